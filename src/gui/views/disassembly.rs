//! The program's code as `objdump -d` prints it (the text comes from
//! `Machine::listing`, so it matches the command line's `disasm`), with
//! symbol labels, the current pc and each pipeline stage's instruction
//! marked, breakpoints in a gutter, and the source line of each
//! instruction when the program was assembled here. Only the visible rows
//! are laid out, so large programs stay fast.

use super::Ctx;
use crate::gui::session::Command;
use crate::machine::Machine;
use egui::{Align2, Color32, FontId, Rect, Sense, Stroke, StrokeKind, pos2, vec2};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Options of this view that persist across restarts.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Options {
    /// Scroll to the pc whenever it changes.
    pub follow_pc: bool,
    /// Show each instruction's source line (programs assembled here).
    pub show_source: bool,
    /// Show the raw bytes column.
    pub show_bytes: bool,
    /// The go-to field's text.
    pub goto: String,
    #[serde(skip)]
    listing: Option<Listing>,
    #[serde(skip)]
    scroll_to_row: Option<usize>,
    #[serde(skip)]
    last_pc: Option<u32>,
    #[serde(skip)]
    visible: (usize, usize),
    /// The go-to target, outlined.
    #[serde(skip)]
    target: Option<u32>,
    #[serde(skip)]
    goto_error: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            follow_pc: true,
            show_source: true,
            show_bytes: true,
            goto: String::new(),
            listing: None,
            scroll_to_row: None,
            last_pc: None,
            visible: (0, 0),
            target: None,
            goto_error: false,
        }
    }
}

#[derive(Clone, Debug)]
enum Row {
    /// `80000000 <_start>:`
    Label(String),
    /// An instruction (or a `.2byte`/`.word`-style line objdump prints in
    /// code): address, raw bytes column, text.
    Inst {
        addr: u32,
        bytes: String,
        text: String,
    },
    /// A line of a data block or a continuation (address, text).
    Data { addr: u32, text: String },
    /// `...`: a run of zero bytes objdump skips.
    Skip,
}

/// The parsed listing of one loaded program.
#[derive(Clone, Debug)]
struct Listing {
    /// Identifies the program it was made from.
    program: usize,
    rows: Vec<Row>,
    /// (address, row) of every row with an address, sorted by address.
    index: Vec<(u32, usize)>,
}

/// objdump's tab after the mnemonic, as spaces (tab stops of 8).
fn expand_tabs(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c == '\t' {
            let n = 8 - out.chars().count() % 8;
            out.extend(std::iter::repeat_n(' ', n.max(1)));
        } else {
            out.push(c);
        }
    }
    out
}

fn parse_listing(text: &str, program: usize) -> Listing {
    let mut rows = Vec::new();
    for line in text.lines() {
        if line.is_empty() {
            continue;
        }
        if line.trim() == "..." {
            rows.push(Row::Skip);
            continue;
        }
        if !line.starts_with(' ') && line.ends_with(">:") {
            rows.push(Row::Label(line.to_string()));
            continue;
        }
        let Some((a, rest)) = line.split_once(":\t") else {
            rows.push(Row::Data {
                addr: 0,
                text: line.to_string(),
            });
            continue;
        };
        let Ok(addr) = u32::from_str_radix(a.trim(), 16) else {
            rows.push(Row::Data {
                addr: 0,
                text: line.to_string(),
            });
            continue;
        };
        match rest.split_once('\t') {
            Some((bytes, inst)) => rows.push(Row::Inst {
                addr,
                bytes: bytes.trim_end().to_string(),
                text: expand_tabs(inst),
            }),
            None => rows.push(Row::Data {
                addr,
                text: rest.to_string(),
            }),
        }
    }
    let mut index: Vec<(u32, usize)> = rows
        .iter()
        .enumerate()
        .filter_map(|(i, r)| match r {
            Row::Inst { addr, .. } | Row::Data { addr, .. } => Some((*addr, i)),
            _ => None,
        })
        .collect();
    index.sort_by_key(|&(a, i)| (a, i));
    Listing {
        program,
        rows,
        index,
    }
}

impl Listing {
    /// The row showing `addr`, or the closest one below it.
    fn row_of(&self, addr: u32) -> Option<usize> {
        let i = self.index.partition_point(|&(a, _)| a <= addr);
        (i > 0).then(|| self.index[i - 1].1)
    }

    /// The row of exactly this instruction.
    fn exact_row(&self, addr: u32) -> Option<usize> {
        let i = self.index.partition_point(|&(a, _)| a < addr);
        self.index
            .get(i)
            .filter(|&&(a, _)| a == addr)
            .map(|&(_, r)| r)
    }
}

/// The stage each pc was in during the cycle just finished, as the
/// pipeline view and the chart's newest column show them.
fn stage_tags(m: &Machine) -> Vec<(u32, &'static str)> {
    let Some(v) = m.pipeline_view() else {
        return Vec::new();
    };
    v.stages
        .iter()
        .filter_map(|sv| Some((sv.instr.as_ref()?.pc, sv.stage.name())))
        .collect()
}

pub fn ui(ui: &mut egui::Ui, ctx: &mut Ctx) {
    let s = ctx.session;
    let m = &s.machine();
    let pal = ctx.palette;
    let opts = &mut ctx.options.disassembly;

    let program = Arc::as_ptr(&m.program) as usize;
    let mut refresh = false;

    ui.horizontal_wrapped(|ui| {
        if let Some(a) = super::goto_field(ui, &mut opts.goto, &mut opts.goto_error, pal, m) {
            opts.target = Some(a);
            opts.scroll_to_row = opts.listing.as_ref().and_then(|l| l.row_of(a));
            opts.goto_error = opts.scroll_to_row.is_none();
        }
        if ui
            .button("pc")
            .on_hover_text(format!("scroll to the pc ({:#010x})", m.hart.pc))
            .clicked()
        {
            opts.scroll_to_row = opts.listing.as_ref().and_then(|l| l.row_of(m.hart.pc));
        }
        ui.separator();
        ui.checkbox(&mut opts.follow_pc, "follow pc");
        ui.checkbox(&mut opts.show_bytes, "bytes");
        if s.source.is_some() {
            ui.checkbox(&mut opts.show_source, "source");
        }
        refresh = ui
            .small_button("↻")
            .on_hover_text("disassemble again (after the program changed its code)")
            .clicked();
    });
    ui.separator();

    if refresh || opts.listing.as_ref().is_none_or(|l| l.program != program) {
        opts.listing = Some(parse_listing(&m.listing(), program));
        opts.last_pc = None;
    }
    let Some(listing) = opts.listing.take() else {
        return;
    };
    if listing.rows.is_empty() {
        ui.label("The program has no code regions to disassemble.");
        opts.listing = Some(listing);
        return;
    }

    let pc = m.hart.pc;
    if opts.follow_pc
        && opts.last_pc != Some(pc)
        && let Some(r) = listing.exact_row(pc)
    {
        let (a, b) = opts.visible;
        if opts.last_pc.is_none() || r < a + 2 || r + 2 >= b {
            opts.scroll_to_row = Some(r);
        }
    }
    opts.last_pc = Some(pc);

    let font = FontId::monospace(egui::TextStyle::Monospace.resolve(ui.style()).size);
    let row_h = ui.text_style_height(&egui::TextStyle::Monospace);
    let cw = ui.fonts_mut(|f| f.glyph_width(&font, '0'));
    let spacing = ui.spacing().item_spacing.y;
    let tags = stage_tags(m);
    let source_lines: Vec<&str> = if opts.show_source {
        s.source_text()
            .map(|t| t.lines().collect())
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let text_col = ui.visuals().text_color();
    let weak = ui.visuals().weak_text_color();
    let strong = ui.visuals().strong_text_color();
    let label_col = if ui.visuals().dark_mode {
        Color32::from_rgb(220, 220, 170)
    } else {
        Color32::from_rgb(121, 94, 38)
    };
    let running = s.running;
    let halted = m.halt.is_some();

    // Columns (x offsets from the row's left).
    let gutter = row_h + 4.0;
    let tags_x = gutter;
    let addr_x = tags_x + 10.0 * cw;
    let bytes_x = addr_x + 10.0 * cw;
    let text_x = if opts.show_bytes {
        bytes_x + 10.0 * cw
    } else {
        bytes_x
    };
    // The source column follows the instruction text (aligned unless the
    // text is long).
    let source_x = text_x + 26.0 * cw;
    let row_w = source_x
        + if source_lines.is_empty() {
            0.0
        } else {
            60.0 * cw
        };

    let mut area = egui::ScrollArea::both()
        .auto_shrink([false, false])
        .id_salt("disassembly-rows");
    if let Some(r) = opts.scroll_to_row.take() {
        let y = r as f32 * (row_h + spacing) - ui.available_height() / 3.0;
        area = area.vertical_scroll_offset(y.max(0.0));
    }
    let mut commands = Vec::new();
    let target = opts.target;
    let out = area.show_rows(ui, row_h, listing.rows.len(), |ui, range| {
        let mut prev_line: Option<u32> = None;
        let visible = (range.start, range.end);
        // The source line of the instruction just above the first row.
        for row in listing.rows[..range.start].iter().rev() {
            if let Row::Inst { addr, .. } = row {
                prev_line = s.source_line(*addr);
                break;
            }
        }
        for i in range {
            let width = ui.available_width().max(row_w);
            let (rect, resp) = ui.allocate_exact_size(vec2(width, row_h), Sense::click());
            let painter = ui.painter_at(rect);
            let at = |x: f32| pos2(rect.min.x + x, rect.min.y);
            match &listing.rows[i] {
                Row::Label(text) => {
                    painter.text(at(addr_x), Align2::LEFT_TOP, text, font.clone(), label_col);
                }
                Row::Skip => {
                    painter.text(at(text_x), Align2::LEFT_TOP, "...", font.clone(), weak);
                }
                Row::Data { addr, text } => {
                    if *addr != 0 {
                        painter.text(
                            at(addr_x),
                            Align2::LEFT_TOP,
                            format!("{addr:08x}"),
                            font.clone(),
                            weak,
                        );
                    }
                    painter.text(at(bytes_x), Align2::LEFT_TOP, text, font.clone(), weak);
                }
                Row::Inst { addr, bytes, text } => {
                    let addr = *addr;
                    let is_pc = addr == pc;
                    if is_pc {
                        painter.rect_filled(rect, 2.0, pal.current.gamma_multiply(0.3));
                    } else if resp.hovered() {
                        painter.rect_filled(rect, 2.0, ui.visuals().widgets.hovered.weak_bg_fill);
                    }
                    if target == Some(addr) {
                        painter.rect_stroke(
                            rect.shrink(0.5),
                            2.0,
                            Stroke::new(1.0, pal.current),
                            StrokeKind::Inside,
                        );
                    }
                    // Gutter: breakpoint dot (faint on hover).
                    let dot = pos2(rect.min.x + gutter / 2.0, rect.center().y);
                    let in_gutter = resp.hover_pos().is_some_and(|p| p.x < rect.min.x + gutter);
                    if m.breakpoints.contains(&addr) {
                        painter.circle_filled(dot, row_h * 0.32, pal.flush);
                    } else if in_gutter {
                        painter.circle_filled(dot, row_h * 0.32, pal.flush.gamma_multiply(0.35));
                    }
                    // Stage tags.
                    let mut x = tags_x;
                    for (_, name) in tags.iter().filter(|(p, _)| *p == addr) {
                        let w = name.len() as f32 * cw + 4.0;
                        let r = Rect::from_min_size(
                            pos2(rect.min.x + x, rect.min.y + 1.0),
                            vec2(w, row_h - 2.0),
                        );
                        if x + w <= addr_x {
                            painter.rect_filled(r, 3.0, pal.current);
                            painter.text(
                                r.center(),
                                Align2::CENTER_CENTER,
                                name,
                                FontId::monospace(font.size * 0.8),
                                Color32::BLACK,
                            );
                        }
                        x += w + 2.0;
                    }
                    painter.text(
                        at(addr_x),
                        Align2::LEFT_TOP,
                        format!("{addr:08x}"),
                        font.clone(),
                        if is_pc { strong } else { weak },
                    );
                    if opts.show_bytes {
                        painter.text(at(bytes_x), Align2::LEFT_TOP, bytes, font.clone(), weak);
                    }
                    let (code, note) = match text.split_once(" # ") {
                        Some((c, n)) => (c, Some(n)),
                        None => (text.as_str(), None),
                    };
                    let r = painter.text(
                        at(text_x),
                        Align2::LEFT_TOP,
                        code,
                        font.clone(),
                        if is_pc { strong } else { text_col },
                    );
                    let mut text_end = r.max.x;
                    if let Some(n) = note {
                        let r = painter.text(
                            pos2(r.max.x, rect.min.y),
                            Align2::LEFT_TOP,
                            format!(" # {n}"),
                            font.clone(),
                            weak,
                        );
                        text_end = r.max.x;
                    }
                    let line = s.source_line(addr);
                    if !source_lines.is_empty()
                        && let Some(l) = line
                        && prev_line != line
                        && let Some(src) = (l as usize)
                            .checked_sub(1)
                            .and_then(|i| source_lines.get(i))
                    {
                        let x = (rect.min.x + source_x).max(text_end + 2.0 * cw);
                        painter.text(
                            pos2(x, rect.min.y),
                            Align2::LEFT_TOP,
                            format!("{l:>4}│ {}", src.trim()),
                            font.clone(),
                            label_col.gamma_multiply(0.8),
                        );
                    }
                    prev_line = line;

                    if resp.clicked() && in_gutter {
                        commands.push(Command::ToggleBreakpoint(addr));
                    }
                    let resp = if in_gutter {
                        resp.on_hover_text("click to toggle a breakpoint")
                    } else {
                        resp
                    };
                    resp.context_menu(|ui| {
                        ui.label(egui::RichText::new(format!("{addr:#010x}")).monospace());
                        if ui
                            .add_enabled(!halted && !running, egui::Button::new("Run to here"))
                            .clicked()
                        {
                            commands.push(Command::RunTo(addr));
                            ui.close();
                        }
                        let bp = if m.breakpoints.contains(&addr) {
                            "Remove breakpoint"
                        } else {
                            "Set breakpoint"
                        };
                        if ui.button(bp).clicked() {
                            commands.push(Command::ToggleBreakpoint(addr));
                            ui.close();
                        }
                        if ui
                            .add_enabled(!running, egui::Button::new("Set pc here"))
                            .clicked()
                        {
                            commands.push(Command::SetPc(addr));
                            ui.close();
                        }
                        if ui.button("Copy address").clicked() {
                            ui.ctx().copy_text(format!("{addr:#010x}"));
                            ui.close();
                        }
                        if ui.button("Copy line").clicked() {
                            ui.ctx().copy_text(format!("{addr:8x}:\t{bytes}\t{text}"));
                            ui.close();
                        }
                    });
                }
            }
        }
        visible
    });
    opts.visible = out.inner;
    opts.listing = Some(listing);
    ctx.commands.extend(commands);
}
