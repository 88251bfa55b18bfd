//! Memory as hex and ASCII, 16 bytes a row (only the visible rows are
//! read). The last cycle's data accesses are highlighted; a toggle shows
//! either what the CPU sees (cached copies included) or what RAM itself
//! holds, and bytes where the two differ (dirty lines under write-back)
//! are marked in the `dirty` colour. Double-click a byte to edit it while
//! paused.

use super::Ctx;
use crate::gui::session::Command;
use crate::isa::{self, exec::mem_width};
use crate::machine::Machine;
use crate::memory::cache::AccessKind;
use crate::memory::hierarchy::Level;
use crate::pipeline::record::{Stage, StageEvent};
use egui::{Align2, Color32, FontId, Rect, Sense, Stroke, StrokeKind, pos2, vec2};
use serde::{Deserialize, Serialize};

/// Rows shown at once at most: far beyond this, f32 scroll offsets lose
/// precision, so large RAMs are shown as a window around the go-to target.
const MAX_ROWS: u64 = 1 << 18;
/// The window shown around an address outside RAM (devices).
const DEVICE_WINDOW: u64 = 4096;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Source {
    /// `Machine::peek`: what a load would return (caches included).
    #[default]
    Cpu,
    /// `Machine::peek_ram`: RAM itself, possibly stale under write-back.
    Ram,
}

/// How a row's 16 bytes are shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Format {
    /// 16 bytes in hex (editable).
    #[default]
    Bytes,
    /// Four little-endian 32-bit words in hex.
    HexWords,
    /// Four little-endian 32-bit words in signed decimal.
    DecWords,
}

impl Format {
    /// Characters a value takes, and how many values a row has.
    fn cell(self) -> (usize, usize) {
        match self {
            Format::Bytes => (2, 16),
            Format::HexWords => (8, 4),
            Format::DecWords => (11, 4),
        }
    }

    /// A row's values as text (`None` bytes: unmapped).
    fn texts(self, bytes: &[Option<u8>]) -> Vec<String> {
        match self {
            Format::Bytes => bytes
                .iter()
                .map(|b| b.map_or("??".into(), |b| format!("{b:02x}")))
                .collect(),
            Format::HexWords | Format::DecWords => bytes
                .chunks(4)
                .map(|w| {
                    let word: Option<Vec<u8>> = w.iter().copied().collect();
                    match word {
                        Some(b) if b.len() == 4 => {
                            let v = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
                            if self == Format::HexWords {
                                format!("{v:08x}")
                            } else {
                                format!("{:>11}", v as i32)
                            }
                        }
                        _ => "?".repeat(self.cell().0),
                    }
                })
                .collect(),
        }
    }
}

/// Options of this view that persist across restarts.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Options {
    pub source: Source,
    /// Bytes, or words in hex or decimal.
    pub format: Format,
    /// The first address of the shown window (16-byte aligned).
    pub window_start: u32,
    /// The go-to field's text.
    pub goto: String,
    #[serde(skip)]
    editing: Option<(u32, String)>,
    #[serde(skip)]
    scroll_to: Option<u32>,
    /// The go-to target, outlined.
    #[serde(skip)]
    target: Option<u32>,
    #[serde(skip)]
    goto_error: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            source: Source::Cpu,
            format: Format::Bytes,
            window_start: crate::platform::RAM_BASE,
            goto: String::new(),
            editing: None,
            scroll_to: None,
            target: None,
            goto_error: false,
        }
    }
}

/// Parses a go-to target: a symbol, `pc`, a register name (its value), or
/// a number (hex with or without `0x`; decimal with a leading `#`).
pub(crate) fn parse_address(text: &str, m: &Machine) -> Option<u32> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    if let Some(a) = m.symbols().lookup(t) {
        return Some(a);
    }
    if t == "pc" {
        return Some(m.hart.pc);
    }
    if let Some(r) = isa::reg::parse(t) {
        return Some(m.hart.reg(r));
    }
    let t = t.replace('_', "");
    if let Some(d) = t.strip_prefix('#') {
        return d.parse().ok();
    }
    let h = t
        .strip_prefix("0x")
        .or_else(|| t.strip_prefix("0X"))
        .unwrap_or(&t);
    u32::from_str_radix(h, 16).ok()
}

/// A data access of the last cycle: address, width, write.
#[derive(Clone, Copy, Debug)]
struct Access {
    addr: u32,
    width: u32,
    write: bool,
}

/// The width of the load or store in MEM last cycle, if any.
fn mem_stage_access(m: &Machine) -> Option<(isa::Inst, u64)> {
    let p = m.pipeline.as_ref()?;
    let tag = match p.last().stages[Stage::Mem as usize] {
        StageEvent::Ran(t) | StageEvent::Stalled(t, _) => t,
        _ => return None,
    };
    let inst = isa::decode(tag.word);
    (inst.is_load() || inst.is_store()).then_some((inst, tag.seq))
}

/// The last cycle's data accesses (for machines without caches: the
/// pipeline's MEM stage, or the functional core's last store).
fn recent_accesses(m: &Machine) -> Vec<Access> {
    let mut out = Vec::new();
    let mem = mem_stage_access(m);
    if let Some(h) = &m.memory {
        let data_level = if h.l1d.is_some() {
            Level::L1d
        } else {
            Level::L2
        };
        for (level, ev) in &h.events {
            if *level != data_level || ev.kind == AccessKind::Fetch {
                continue;
            }
            let width = mem.map_or(4, |(i, _)| mem_width(i.op));
            out.push(Access {
                addr: ev.addr,
                width,
                write: ev.kind == AccessKind::Write,
            });
        }
        return out;
    }
    if let (Some(p), Some((inst, seq))) = (&m.pipeline, mem)
        && matches!(p.last().stages[Stage::Mem as usize], StageEvent::Ran(_))
        && let Some(slot) = p.mem_wb().filter(|s| s.tag.seq == seq)
    {
        out.push(Access {
            addr: slot.alu_result,
            width: mem_width(inst.op),
            write: inst.is_store(),
        });
        return out;
    }
    if m.pipeline.is_none()
        && let Some((addr, width, _)) = m.last_store
    {
        out.push(Access {
            addr,
            width,
            write: true,
        });
    }
    out
}

/// The address range shown: RAM (a window of it when large), or a small
/// window around a device address.
fn window(m: &Machine, opts: &mut Options) -> (u64, u64) {
    let ram = m.ram_region();
    let (base, end) = (ram.base as u64, ram.base as u64 + ram.size as u64);
    let want = opts.scroll_to.unwrap_or(opts.window_start) as u64;
    let span = MAX_ROWS * 16;
    if (base..end).contains(&want) {
        if end - base <= span {
            opts.window_start = base as u32;
            return (base, end);
        }
        let cur = opts.window_start as u64;
        let start = if (base..end).contains(&cur) && (cur..cur + span).contains(&want) {
            cur
        } else {
            (want.saturating_sub(span / 2) & !15).clamp(base, end - span)
        };
        opts.window_start = start as u32;
        return (start, start + span);
    }
    let cur = opts.window_start as u64;
    let start = if (cur..cur + DEVICE_WINDOW).contains(&want) {
        cur
    } else {
        want.saturating_sub(DEVICE_WINDOW / 2) & !15
    };
    opts.window_start = start as u32;
    (start, (start + DEVICE_WINDOW).min(1 << 32))
}

pub fn ui(ui: &mut egui::Ui, ctx: &mut Ctx) {
    let s = ctx.session;
    let m = &s.machine();
    let pal = ctx.palette;
    let opts = &mut ctx.options.memory;

    // Toolbar: go-to, source toggle, legend.
    ui.horizontal_wrapped(|ui| {
        if let Some(a) = super::goto_field(ui, &mut opts.goto, &mut opts.goto_error, pal, m) {
            opts.scroll_to = Some(a);
            opts.target = Some(a);
        }
        for (name, addr) in [("sp", m.hart.reg(2)), ("gp", m.hart.reg(3))] {
            if ui
                .small_button(name)
                .on_hover_text(format!("go to {name} = {addr:#010x}"))
                .clicked()
            {
                opts.scroll_to = Some(addr);
                opts.target = Some(addr);
            }
        }
        ui.separator();
        let caches = m.memory.is_some();
        ui.add_enabled_ui(caches, |ui| {
            ui.selectable_value(&mut opts.source, Source::Cpu, "CPU view")
                .on_hover_text("what a load sees: cached copies included (Machine::peek)");
            ui.selectable_value(&mut opts.source, Source::Ram, "RAM")
                .on_hover_text("what RAM itself holds: stale under write-back caches");
        })
        .response
        .on_disabled_hover_text("no caches configured: the CPU sees RAM itself");
        ui.separator();
        ui.selectable_value(&mut opts.format, Format::Bytes, "bytes")
            .on_hover_text("16 bytes a row, in hex; double-click one to edit it");
        ui.selectable_value(&mut opts.format, Format::HexWords, "words (hex)")
            .on_hover_text("four 32-bit little-endian words a row, in hex");
        ui.selectable_value(&mut opts.format, Format::DecWords, "words (dec)")
            .on_hover_text("four 32-bit little-endian words a row, in signed decimal");
        ui.separator();
        ui.label(egui::RichText::new("■").color(pal.changed));
        ui.label("write");
        ui.label(egui::RichText::new("■").color(pal.changed.gamma_multiply(0.4)));
        ui.label("read");
        if caches {
            ui.label(egui::RichText::new("■").color(pal.dirty));
            ui.label("cache ≠ RAM");
        }
    });
    ui.separator();

    let (start, end) = window(m, opts);
    let rows = ((end - start).div_ceil(16)) as usize;
    let font = FontId::monospace(egui::TextStyle::Monospace.resolve(ui.style()).size);
    let row_h = ui.text_style_height(&egui::TextStyle::Monospace);
    let cw = ui.fonts_mut(|f| f.glyph_width(&font, '0'));
    let spacing = ui.spacing().item_spacing.y;
    let accesses = recent_accesses(m);
    let format = opts.format;
    // Bytes are edited in the byte format only.
    let editable = !s.running && format == Format::Bytes;

    let mut area = egui::ScrollArea::both()
        .auto_shrink([false, false])
        .id_salt("memory-rows");
    if let Some(a) = opts.scroll_to.take() {
        let row = (a as u64).saturating_sub(start) / 16;
        let y = row as f32 * (row_h + spacing);
        area = area.vertical_scroll_offset((y - 4.0 * (row_h + spacing)).max(0.0));
    }
    let text_col = ui.visuals().text_color();
    let weak = ui.visuals().weak_text_color();
    // Column x offsets (in characters): address, the values (bytes with
    // an extra gap after 8), ASCII.
    let (value_chars, per_row) = format.cell();
    let bytes_per_value = 16 / per_row;
    let hex_x = |i: usize| match format {
        Format::Bytes => (10 + i * 3 + usize::from(i >= 8)) as f32 * cw,
        _ => (10 + (i / bytes_per_value) * (value_chars + 2)) as f32 * cw,
    };
    let ascii_x = match format {
        Format::Bytes => (10 + 16 * 3 + 2) as f32 * cw,
        _ => (10 + per_row * (value_chars + 2) + 1) as f32 * cw,
    };
    let row_w = ascii_x + 17.0 * cw;
    let mut new_edit: Option<(u32, String)> = None;
    let mut poke: Option<(u32, u8)> = None;
    let mut cancel_edit = false;

    area.show_rows(ui, row_h, rows, |ui, range| {
        for row in range {
            let addr = start + row as u64 * 16;
            let (rect, resp) = ui.allocate_exact_size(vec2(row_w, row_h), Sense::click());
            if !ui.is_rect_visible(rect) {
                continue;
            }
            let painter = ui.painter_at(rect.expand(1.0));
            painter.text(
                rect.min,
                Align2::LEFT_TOP,
                format!("{:08x}", addr as u32),
                font.clone(),
                weak,
            );
            let n = (end - addr).min(16) as usize;
            let mut ascii = String::with_capacity(16);
            let mut hovered: Option<usize> = None;
            let pointer = resp.hover_pos();
            let shown_bytes: Vec<Option<u8>> = (0..n)
                .map(|i| {
                    let a = (addr + i as u64) as u32;
                    match opts.source {
                        Source::Cpu => m.peek(a, 1),
                        Source::Ram => m.peek_ram(a, 1),
                    }
                    .map(|v| v as u8)
                })
                .collect();
            let texts = format.texts(&shown_bytes);
            // The row's text for screen readers (and tests).
            resp.widget_info(|| {
                egui::WidgetInfo::labeled(
                    egui::WidgetType::Other,
                    true,
                    format!("{:08x}: {}", addr as u32, texts.join(" ").trim_start()),
                )
            });
            // Value cell width in pixels.
            let value_w = cw * value_chars as f32;
            for i in 0..n {
                let a = (addr + i as u64) as u32;
                let cpu = m.peek(a, 1).map(|v| v as u8);
                let ram = m.peek_ram(a, 1).map(|v| v as u8);
                let shown = match opts.source {
                    Source::Cpu => cpu,
                    Source::Ram => ram,
                };
                let x = rect.min.x + hex_x(i);
                let first_of_value = i % bytes_per_value == 0;
                let cell =
                    Rect::from_min_size(pos2(x - cw * 0.5, rect.min.y), vec2(value_w + cw, row_h));
                ascii.push(match shown {
                    Some(b) if (0x20..0x7f).contains(&b) => b as char,
                    Some(_) => '.',
                    None => ' ',
                });
                // A value is drawn once, at its first byte, marked by what
                // happened to any of its bytes.
                if !first_of_value {
                    continue;
                }
                if pointer.is_some_and(|p| cell.contains(p)) {
                    hovered = Some(i);
                }
                let bytes = a..a.wrapping_add(bytes_per_value as u32);
                let access = accesses.iter().find(|acc| {
                    bytes.start < acc.addr.wrapping_add(acc.width) && acc.addr < bytes.end
                });
                if let Some(acc) = access {
                    let bg = if acc.write {
                        pal.changed
                    } else {
                        pal.changed.gamma_multiply(0.4)
                    };
                    let r =
                        Rect::from_min_size(pos2(x - 1.0, rect.min.y), vec2(value_w + 2.0, row_h));
                    painter.rect_filled(r, 2.0, bg);
                }
                let differs = cpu != ram
                    || bytes
                        .clone()
                        .skip(1)
                        .any(|b| m.peek(b, 1) != m.peek_ram(b, 1));
                let shown = if format == Format::Bytes {
                    shown
                } else {
                    // Dimmed when the whole word is zero.
                    let zero = shown_bytes[i..(i + bytes_per_value).min(n)]
                        .iter()
                        .all(|b| *b == Some(0));
                    Some(if zero { 0 } else { 1 })
                };
                let mut color = if access.is_some_and(|acc| acc.write) {
                    Color32::BLACK
                } else if differs {
                    pal.dirty
                } else {
                    text_col
                };
                if shown == Some(0) && access.is_none() && !differs {
                    color = weak;
                }
                if differs {
                    let r =
                        Rect::from_min_size(pos2(x - 1.0, rect.min.y), vec2(value_w + 2.0, row_h));
                    painter.rect_stroke(r, 2.0, Stroke::new(1.0, pal.dirty), StrokeKind::Inside);
                }
                if opts
                    .target
                    .is_some_and(|t| t & !(bytes_per_value as u32 - 1) == a)
                {
                    let r = Rect::from_min_size(
                        pos2(x - 2.0, rect.min.y - 1.0),
                        vec2(value_w + 4.0, row_h + 2.0),
                    );
                    painter.rect_stroke(r, 2.0, Stroke::new(1.5, pal.current), StrokeKind::Outside);
                }
                let editing_this = matches!(&opts.editing, Some((e, _)) if *e == a);
                if !editing_this {
                    let text = texts[i / bytes_per_value].clone();
                    painter.text(
                        pos2(x, rect.min.y),
                        Align2::LEFT_TOP,
                        text,
                        font.clone(),
                        color,
                    );
                }
            }
            painter.text(
                pos2(rect.min.x + ascii_x, rect.min.y),
                Align2::LEFT_TOP,
                ascii,
                font.clone(),
                text_col,
            );
            // The byte being edited.
            if let Some((ea, text)) = &mut opts.editing
                && (addr..addr + n as u64).contains(&(*ea as u64))
            {
                let i = (*ea as u64 - addr) as usize;
                let cell = Rect::from_min_size(
                    pos2(rect.min.x + hex_x(i) - 2.0, rect.min.y - 1.0),
                    vec2(cw * 2.0 + 8.0, row_h + 2.0),
                );
                let r = ui.put(
                    cell,
                    egui::TextEdit::singleline(text)
                        .font(font.clone())
                        .char_limit(2)
                        .margin(vec2(1.0, 0.0)),
                );
                if r.lost_focus() {
                    if ui.input(|i| i.key_pressed(egui::Key::Enter))
                        && let Ok(b) = u8::from_str_radix(text.trim(), 16)
                    {
                        poke = Some((*ea, b));
                    }
                    cancel_edit = true;
                } else {
                    r.request_focus();
                }
            }
            if let Some(i) = hovered {
                let a = (addr + i as u64) as u32;
                let cpu = m.peek(a, 1);
                let ram = m.peek_ram(a, 1);
                let word = m.peek(a & !3, 4);
                let label = m
                    .symbols()
                    .nearest(a)
                    .map(|(n, off)| {
                        if off == 0 {
                            format!(" <{n}>")
                        } else {
                            format!(" <{n}+{off:#x}>")
                        }
                    })
                    .unwrap_or_default();
                let hex = |v: Option<u32>, w: usize| {
                    v.map_or("unmapped".into(), |v| format!("{v:#0w$x}", w = w + 2))
                };
                let mut tip = format!(
                    "{a:#010x}{label}\nCPU sees {}\nRAM holds {}\nword at {:#010x}: {}",
                    hex(cpu, 2),
                    hex(ram, 2),
                    a & !3,
                    hex(word, 8),
                );
                if let Some(w) = word {
                    tip.push_str(&format!(" = {} = {w} unsigned", w as i32));
                }
                if cpu != ram {
                    tip.push_str("\n(a cache holds a newer copy than RAM)");
                }
                if format != Format::Bytes && !s.running {
                    tip.push_str("\nchoose \"bytes\" to edit");
                }
                if let Some(acc) = accesses
                    .iter()
                    .find(|acc| a >= acc.addr && a < acc.addr.wrapping_add(acc.width))
                {
                    tip.push_str(&format!(
                        "\n{} of {} byte{} at {:#010x} last cycle",
                        if acc.write { "write" } else { "read" },
                        acc.width,
                        if acc.width == 1 { "" } else { "s" },
                        acc.addr
                    ));
                }
                if editable {
                    tip.push_str("\ndouble-click to edit");
                }
                let resp = resp.clone().on_hover_text_at_pointer(tip);
                if editable && resp.double_clicked() && cpu.is_some() {
                    let v = cpu.unwrap_or(0) as u8;
                    new_edit = Some((a, format!("{v:02x}")));
                }
            }
        }
    });
    if cancel_edit {
        opts.editing = None;
    }
    if let Some(e) = new_edit {
        opts.editing = Some(e);
    }
    if s.running {
        opts.editing = None;
    }
    if let Some((a, b)) = poke {
        ctx.commands.push(Command::PokeByte(a, b));
    }
}
