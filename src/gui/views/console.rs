//! The guest's console: its output (UTF-8, invalid bytes replaced),
//! scrolling along as it grows, and a line that sends keyboard input to
//! the guest.

use super::Ctx;
use crate::gui::session::Command;
use serde::{Deserialize, Serialize};

/// What `Session::last_stop` says while the guest waits for input.
const WAITING: &str = "waiting for console input";
/// Semihosting notes shown above the output at most.
const MAX_NOTES: usize = 3;

/// Options of this view that persist across restarts.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Options {
    /// Keep the newest output in view.
    pub auto_scroll: bool,
    /// The input line being typed.
    #[serde(skip)]
    input: String,
    /// Output decoded so far, in whole lines.
    #[serde(skip)]
    lines: Lines,
    /// Output before this byte is hidden ("Clear").
    #[serde(skip)]
    cleared_at: usize,
    /// The guest waited for input last frame (to focus the input line once).
    #[serde(skip)]
    was_waiting: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            auto_scroll: true,
            input: String::new(),
            lines: Lines::default(),
            cleared_at: 0,
            was_waiting: false,
        }
    }
}

/// The console split into lines, decoded once: only bytes that arrived
/// since the last frame are looked at.
#[derive(Clone, Debug, Default)]
struct Lines {
    /// Bytes of the console consumed into `done`.
    consumed: usize,
    /// The offset the lines start at (the clear point).
    from: usize,
    done: Vec<String>,
}

impl Lines {
    fn update(&mut self, console: &[u8], from: usize) {
        if console.len() < self.consumed || from != self.from {
            *self = Lines {
                consumed: from.min(console.len()),
                from,
                done: Vec::new(),
            };
        }
        let new = &console[self.consumed..];
        if let Some(last_nl) = new.iter().rposition(|&b| b == b'\n') {
            for line in new[..last_nl].split(|&b| b == b'\n') {
                self.done.push(clean(line));
            }
            self.consumed += last_nl + 1;
        }
    }
}

/// A line as text: UTF-8 lossy, without a trailing `\r`, tabs expanded.
fn clean(bytes: &[u8]) -> String {
    let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
    let text = String::from_utf8_lossy(bytes);
    if text.contains('\t') {
        let mut out = String::with_capacity(text.len() + 8);
        for c in text.chars() {
            if c == '\t' {
                let n = 8 - out.chars().count() % 8;
                out.extend(std::iter::repeat_n(' ', n));
            } else {
                out.push(c);
            }
        }
        out
    } else {
        text.into_owned()
    }
}

pub fn ui(ui: &mut egui::Ui, ctx: &mut Ctx) {
    let s = ctx.session;
    let pal = ctx.palette;
    let opts = &mut ctx.options.console;
    if s.console().len() < opts.cleared_at {
        opts.cleared_at = 0;
    }
    opts.lines.update(s.console(), opts.cleared_at);
    let partial = clean(&s.console()[opts.lines.consumed.max(opts.cleared_at)..]);
    let waiting = s.last_stop.as_deref() == Some(WAITING);

    ui.horizontal(|ui| {
        ui.checkbox(&mut opts.auto_scroll, "auto-scroll");
        if ui
            .button("Clear")
            .on_hover_text("hide the output so far")
            .clicked()
        {
            opts.cleared_at = s.console().len();
        }
        if ui.button("Copy").clicked() {
            let text = String::from_utf8_lossy(&s.console()[opts.cleared_at..]).into_owned();
            ui.ctx().copy_text(text);
        }
        ui.label(
            egui::RichText::new(format!(
                "{} byte{}",
                s.console().len(),
                crate::pipeline::view::plural_s(s.console().len() as u64)
            ))
            .small()
            .weak(),
        );
    });

    // What semihosting refused (host files outside the sandbox): part of
    // the machine's state, so it shows as of the current cycle. The CLI
    // prints the same notes on stderr.
    let notes = &s.machine().semihost.notes;
    for note in notes.iter().skip(notes.len().saturating_sub(MAX_NOTES)) {
        ui.label(egui::RichText::new(format!("note: {note}")).color(pal.stall))
            .on_hover_text(note.as_str());
    }
    if notes.len() > MAX_NOTES {
        ui.label(
            egui::RichText::new(format!(
                "({} notes, the last {MAX_NOTES} shown)",
                notes.len()
            ))
            .small()
            .weak(),
        );
    }

    // The input line at the bottom, the output above it.
    let input_h = ui.spacing().interact_size.y + 2.0 * ui.spacing().item_spacing.y + 6.0;
    let out_h = (ui.available_height() - input_h).max(40.0);
    let row_h = ui.text_style_height(&egui::TextStyle::Monospace);
    let done = &opts.lines.done;
    let total = done.len() + 1;
    egui::Frame::canvas(ui.style()).show(ui, |ui| {
        ui.set_min_height(out_h - 8.0);
        egui::ScrollArea::both()
            .id_salt("console-output")
            .max_height(out_h - 8.0)
            .auto_shrink([false, false])
            .stick_to_bottom(opts.auto_scroll)
            .show_rows(ui, row_h, total, |ui, range| {
                for i in range {
                    let text = if i < done.len() {
                        done[i].as_str()
                    } else {
                        partial.as_str()
                    };
                    ui.add(
                        egui::Label::new(egui::RichText::new(text).monospace())
                            .extend()
                            .selectable(true),
                    );
                }
            });
    });

    ui.horizontal(|ui| {
        let r = ui.add(
            egui::TextEdit::singleline(&mut opts.input)
                .id_salt("console-input")
                .font(egui::TextStyle::Monospace)
                .desired_width((ui.available_width() - 180.0).max(80.0))
                .hint_text("input for the guest; Enter sends it with a newline"),
        );
        let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if enter || ui.button("Send").clicked() {
            let mut bytes = std::mem::take(&mut opts.input).into_bytes();
            bytes.push(b'\n');
            ctx.commands.push(Command::PushInput(bytes));
            r.request_focus();
        }
        // Ctrl+D in the input line, as in a terminal.
        let ctrl_d = r.has_focus()
            && ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::D));
        let closed = s.machine().bus.uart.input_closed;
        let eof = ui
            .add_enabled(!closed, egui::Button::new("EOF"))
            .on_hover_text(
                "End of input (Ctrl+D): sends what is typed without a newline, \
                 then the guest's reads return end-of-file until the next reset",
            );
        if !closed && (ctrl_d || eof.clicked()) {
            let rest = std::mem::take(&mut opts.input).into_bytes();
            if !rest.is_empty() {
                ctx.commands.push(Command::PushInput(rest));
            }
            ctx.commands.push(Command::CloseInput);
        }
        if waiting {
            if !opts.was_waiting {
                r.request_focus();
            }
            ui.label(egui::RichText::new("⏳ waiting for console input").color(pal.stall));
        }
    });
    opts.was_waiting = waiting;
}
