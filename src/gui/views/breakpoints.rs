//! The Breakpoints view: breakpoints (address or symbol, condition, ignore
//! count, enabled, hits), watchpoints (kind, range, value) and event stops
//! (trap by cause, interrupt, `ecall`, `tohost`). Hit counts are those as
//! of the current cycle, so they follow the timeline backwards too.
//!
//! Conditions are parsed here as they are typed, so a bad one shows its
//! column and what was expected before anything is sent; the session
//! parses again when the command arrives (one parser, `debug::expr`).

use super::Ctx;
use super::memory::parse_address;
use crate::debug::expr::Expr;
use crate::debug::stops::EventStops;
use crate::gui::session::Command;
use crate::machine::WatchKind;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

const KINDS: [WatchKind; 3] = [WatchKind::Write, WatchKind::Read, WatchKind::Access];

/// What the view keeps between frames: the fields being typed.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Options {
    #[serde(skip)]
    at: String,
    #[serde(skip)]
    condition: String,
    /// Conditions being edited, by breakpoint id.
    #[serde(skip)]
    drafts: BTreeMap<u32, String>,
    /// Index into `KINDS`.
    #[serde(skip)]
    w_kind: usize,
    #[serde(skip)]
    w_at: String,
    #[serde(skip)]
    w_len: String,
    #[serde(skip)]
    w_value: String,
    #[serde(skip)]
    trap_cause: String,
    /// Why the last "Add" was not sent.
    #[serde(skip)]
    add_error: Option<String>,
}

/// A condition's parse error in words: the column, what was expected, and
/// the text with a caret under the column.
pub fn condition_error(text: &str) -> Option<String> {
    if text.trim().is_empty() {
        return None;
    }
    let e = Expr::parse(text).err()?;
    let caret = " ".repeat(e.column.saturating_sub(1));
    Some(format!(
        "column {}: {}\n{text}\n{caret}^",
        e.column, e.message
    ))
}

/// A number as typed: decimal, or hex with 0x.
fn parse_number(text: &str) -> Option<u32> {
    let t = text.trim().replace('_', "");
    match t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        Some(h) => u32::from_str_radix(h, 16).ok(),
        None => t.parse().ok(),
    }
}

fn labelled(ui: &mut egui::Ui, label: &str, edit: egui::TextEdit) -> egui::Response {
    let l = ui.label(label);
    ui.add(edit).labelled_by(l.id)
}

pub fn ui(ui: &mut egui::Ui, ctx: &mut Ctx) {
    let s = ctx.session;
    let m = s.machine();
    let cycle = m.cycle;
    let pal = ctx.palette;
    let opts = &mut ctx.options.breakpoints;
    let cmds = &mut *ctx.commands;
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.heading("Breakpoints");
        ui.horizontal_wrapped(|ui| {
            labelled(
                ui,
                "at",
                egui::TextEdit::singleline(&mut opts.at)
                    .desired_width(120.0)
                    .hint_text("address or symbol"),
            );
            labelled(
                ui,
                "if",
                egui::TextEdit::singleline(&mut opts.condition)
                    .desired_width(220.0)
                    .hint_text("condition, e.g. a0 == 3"),
            );
            if ui
                .button("Add breakpoint")
                .on_hover_text(
                    "stop before the instruction at this address runs, when the condition \
                     (over registers, pc, CSRs, mem8/16/32[addr]) holds",
                )
                .clicked()
            {
                opts.add_error = match parse_address(&opts.at, m) {
                    None => Some(format!("{:?} is not an address or a symbol", opts.at)),
                    Some(_) if condition_error(&opts.condition).is_some() => {
                        Some("fix the condition first".into())
                    }
                    Some(pc) => {
                        cmds.push(Command::AddBreakpoint {
                            pc,
                            condition: opts.condition.clone(),
                        });
                        opts.condition.clear();
                        None
                    }
                };
            }
        });
        if let Some(e) = condition_error(&opts.condition) {
            ui.colored_label(pal.miss, egui::RichText::new(e).monospace());
        }
        if let Some(e) = &opts.add_error {
            ui.colored_label(pal.miss, e);
        }
        if let Some(msg) = &s.stops_message {
            ui.colored_label(pal.stall, msg);
        }
        if s.stops.breakpoints.is_empty() {
            ui.weak("No breakpoints. Add one above, or click a line's margin in Disassembly.");
        }
        let ids: Vec<u32> = s.stops.breakpoints.iter().map(|b| b.id).collect();
        opts.drafts.retain(|id, _| ids.contains(id));
        for b in &s.stops.breakpoints {
            ui.horizontal_wrapped(|ui| {
                let mut on = b.enabled;
                if ui
                    .checkbox(&mut on, format!("#{}", b.id))
                    .on_hover_text("enabled")
                    .changed()
                {
                    cmds.push(Command::SetEnabled(b.id, on));
                }
                let name = match m.symbols().nearest(b.pc) {
                    Some((n, 0)) => format!(" <{n}>"),
                    Some((n, off)) if off < 0x1_0000 => format!(" <{n}+{off:#x}>"),
                    _ => String::new(),
                };
                ui.monospace(format!("{:#010x}{name}", b.pc));
                let current = b.condition.as_ref().map_or("", |c| c.source()).to_string();
                let draft = opts.drafts.entry(b.id).or_insert_with(|| current.clone());
                let r = labelled(
                    ui,
                    &format!("condition #{}", b.id),
                    egui::TextEdit::singleline(draft)
                        .desired_width(200.0)
                        .hint_text("always"),
                );
                let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                if (enter || r.lost_focus())
                    && *draft != current
                    && condition_error(draft).is_none()
                {
                    cmds.push(Command::SetCondition(b.id, draft.clone()));
                }
                let mut ignore = b.ignore;
                let l = ui.label("ignore");
                if ui
                    .add(egui::DragValue::new(&mut ignore).range(0..=u64::MAX))
                    .labelled_by(l.id)
                    .on_hover_text("hits to pass before stopping (499 stops on the 500th)")
                    .changed()
                {
                    cmds.push(Command::SetIgnore(b.id, ignore));
                }
                ui.label(format!("hits {}", s.stops.hits_at(b.id, cycle)));
                if ui.button("🗑").on_hover_text("delete").clicked() {
                    cmds.push(Command::RemoveStop(b.id));
                }
            });
            if let Some(draft) = opts.drafts.get(&b.id)
                && let Some(e) = condition_error(draft)
            {
                ui.colored_label(pal.miss, egui::RichText::new(e).monospace());
            }
        }

        ui.separator();
        ui.heading("Watchpoints");
        ui.horizontal_wrapped(|ui| {
            egui::ComboBox::from_id_salt("watch-kind")
                .selected_text(KINDS[opts.w_kind].name())
                .show_ui(ui, |ui| {
                    for (i, k) in KINDS.iter().enumerate() {
                        ui.selectable_value(&mut opts.w_kind, i, k.name());
                    }
                });
            labelled(
                ui,
                "on",
                egui::TextEdit::singleline(&mut opts.w_at)
                    .desired_width(120.0)
                    .hint_text("address or symbol"),
            );
            labelled(
                ui,
                "bytes",
                egui::TextEdit::singleline(&mut opts.w_len)
                    .desired_width(50.0)
                    .hint_text("4"),
            );
            labelled(
                ui,
                "value",
                egui::TextEdit::singleline(&mut opts.w_value)
                    .desired_width(90.0)
                    .hint_text("any"),
            );
            if ui
                .button("Add watchpoint")
                .on_hover_text(
                    "stop when an access of this kind touches any byte of the range (and, \
                     with a value, only when the value moved equals it)",
                )
                .clicked()
            {
                let len = if opts.w_len.trim().is_empty() {
                    Some(4)
                } else {
                    parse_number(&opts.w_len)
                };
                let value = if opts.w_value.trim().is_empty() {
                    Ok(None)
                } else {
                    parse_number(&opts.w_value).map(Some).ok_or(())
                };
                opts.add_error = match (parse_address(&opts.w_at, m), len, value) {
                    (None, _, _) => Some(format!("{:?} is not an address or a symbol", opts.w_at)),
                    (_, None, _) => Some(format!("{:?} is not a byte count", opts.w_len)),
                    (_, _, Err(())) => Some(format!("{:?} is not a number", opts.w_value)),
                    (Some(addr), Some(len), Ok(value)) => {
                        cmds.push(Command::AddWatchpoint {
                            kind: KINDS[opts.w_kind],
                            addr,
                            len,
                            value,
                        });
                        None
                    }
                };
            }
        });
        for w in &s.stops.watchpoints {
            ui.horizontal_wrapped(|ui| {
                let mut on = w.enabled;
                if ui.checkbox(&mut on, format!("#{}", w.id)).changed() {
                    cmds.push(Command::SetEnabled(w.id, on));
                }
                let end = w.addr as u64 + w.len as u64;
                let mut text = format!("{} {:#010x}..{end:#010x}", w.kind.name(), w.addr);
                if let Some(v) = w.value {
                    text += &format!(" == {v:#x}");
                }
                ui.monospace(text);
                let mut ignore = w.ignore;
                let l = ui.label("ignore");
                if ui
                    .add(egui::DragValue::new(&mut ignore).range(0..=u64::MAX))
                    .labelled_by(l.id)
                    .changed()
                {
                    cmds.push(Command::SetIgnore(w.id, ignore));
                }
                ui.label(format!("hits {}", s.stops.hits_at(w.id, cycle)));
                if ui.button("🗑").on_hover_text("delete").clicked() {
                    cmds.push(Command::RemoveStop(w.id));
                }
            });
        }

        ui.separator();
        ui.heading("Event stops");
        let mut ev: EventStops = s.stops.events.clone();
        let mut trap = ev.trap.is_some();
        ui.horizontal_wrapped(|ui| {
            ui.checkbox(&mut trap, "trap taken");
            labelled(
                ui,
                "cause",
                egui::TextEdit::singleline(&mut opts.trap_cause)
                    .desired_width(40.0)
                    .hint_text("any"),
            )
            .on_hover_text("mcause number (2 illegal instruction, 5 load fault, 11 ecall, ...)");
            let cause = parse_number(&opts.trap_cause);
            if !opts.trap_cause.trim().is_empty() && cause.is_none() {
                ui.colored_label(pal.miss, "not a number");
            }
            let blank = opts.trap_cause.trim().is_empty();
            if blank || cause.is_some() {
                ev.trap = trap.then_some(cause);
            } else if !trap {
                ev.trap = None;
            }
        });
        ui.checkbox(&mut ev.interrupt, "interrupt taken");
        ui.checkbox(&mut ev.ecall, "ecall");
        ui.checkbox(&mut ev.tohost, "write to tohost");
        if ev != s.stops.events {
            cmds.push(Command::SetEvents(ev));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_condition_says_the_column_with_a_caret() {
        let e = condition_error("a0 == ").expect("an error");
        let (head, rest) = e.split_once('\n').unwrap();
        assert!(head.starts_with("column 7: "), "{head}");
        assert_eq!(rest, "a0 == \n      ^");
        assert_eq!(condition_error("a0 == 3 && mem32[sp + 8] > 10"), None);
        assert_eq!(condition_error("  "), None);
    }

    #[test]
    fn numbers_are_decimal_or_hex() {
        assert_eq!(parse_number("16"), Some(16));
        assert_eq!(parse_number("0x10"), Some(16));
        assert_eq!(parse_number("1_000"), Some(1000));
        assert_eq!(parse_number("x"), None);
    }
}
