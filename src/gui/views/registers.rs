//! x0–x31 with ABI names and pc, in hex, signed or unsigned; registers
//! changed by the last step are highlighted; CSRs below. Values can be
//! edited while paused.

use super::Ctx;
use crate::gui::session::Command;
use crate::isa::csr::IMPLEMENTED;
use crate::isa::reg::abi_name;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Radix {
    #[default]
    Hex,
    Signed,
    Unsigned,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Options {
    pub radix: Radix,
    /// The register being edited and its text.
    #[serde(skip)]
    editing: Option<(Target, String)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Reg(u8),
    Pc,
    Csr(u16),
}

fn format(v: u32, radix: Radix) -> String {
    match radix {
        Radix::Hex => format!("0x{v:08x}"),
        Radix::Signed => format!("{}", v as i32),
        Radix::Unsigned => format!("{v}"),
    }
}

fn parse(text: &str) -> Option<u32> {
    let t = text.trim().replace('_', "");
    if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        return u32::from_str_radix(h, 16).ok();
    }
    if let Some(n) = t.strip_prefix('-') {
        return n.parse::<u32>().ok().map(|v| v.wrapping_neg());
    }
    t.parse().ok()
}

pub fn ui(ui: &mut egui::Ui, ctx: &mut Ctx) {
    let s = ctx.session;
    let m = &s.machine();
    let opts = &mut ctx.options.registers;
    ui.horizontal(|ui| {
        ui.selectable_value(&mut opts.radix, Radix::Hex, "hex");
        ui.selectable_value(&mut opts.radix, Radix::Signed, "signed");
        ui.selectable_value(&mut opts.radix, Radix::Unsigned, "unsigned");
    });
    let editable = !s.running;
    let mono = egui::TextStyle::Monospace;
    let mut row = |ui: &mut egui::Ui, name: String, target: Target, value: u32, changed: bool| {
        ui.label(egui::RichText::new(name).text_style(mono.clone()));
        let editing_this = matches!(&opts.editing, Some((t, _)) if *t == target);
        if editing_this {
            let Some((_, text)) = &mut opts.editing else {
                return;
            };
            let r = ui.add(
                egui::TextEdit::singleline(text)
                    .desired_width(110.0)
                    .font(mono.clone()),
            );
            if r.lost_focus() {
                if ui.input(|i| i.key_pressed(egui::Key::Enter))
                    && let Some(v) = parse(text)
                {
                    ctx.commands.push(match target {
                        Target::Reg(r) => Command::SetRegister(r, v),
                        Target::Pc => Command::SetPc(v),
                        Target::Csr(c) => Command::SetCsr(c, v),
                    });
                }
                opts.editing = None;
            } else {
                r.request_focus();
            }
        } else {
            let mut text = egui::RichText::new(format(value, opts.radix)).text_style(mono.clone());
            if changed {
                text = text.color(ctx.palette.changed).strong();
            }
            let r = ui.add(egui::Label::new(text).sense(egui::Sense::click()));
            let r = if editable {
                r.on_hover_text("double-click to edit")
            } else {
                r
            };
            if editable && r.double_clicked() {
                opts.editing = Some((target, format(value, Radix::Hex)));
            }
        }
        ui.end_row();
    };
    egui::ScrollArea::vertical().show(ui, |ui| {
        egui::Grid::new("regs").striped(true).show(ui, |ui| {
            row(
                ui,
                "pc".into(),
                Target::Pc,
                m.hart.pc,
                m.hart.pc != s.prev_pc,
            );
            for i in 0..32u8 {
                let v = m.hart.reg(i);
                let name = format!("x{i:<2} {:<4}", abi_name(i));
                row(ui, name, Target::Reg(i), v, v != s.prev_regs[i as usize]);
            }
        });
        ui.separator();
        ui.label("CSRs");
        egui::Grid::new("csrs").striped(true).show(ui, |ui| {
            for &(csr, name) in IMPLEMENTED {
                if let Some(v) = m.csr_read(csr) {
                    row(ui, format!("{name:<10}"), Target::Csr(csr), v, false);
                }
            }
        });
    });
}
