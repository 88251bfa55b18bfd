//! An assembly editor: syntax highlighting (a small tokenizer below),
//! line numbers, the last assembly's errors marked in the text and listed
//! (click one to put the cursor there), "Assemble & load" (Ctrl+Enter
//! while the editor has focus), opening and saving `.s` files, the
//! examples, and the line of the current pc while stepping.

use super::Ctx;
use crate::asm::Isa;
use crate::gui::EXAMPLES;
use crate::gui::session::{Command, Session};
use egui::text::{CCursor, CCursorRange, LayoutJob, TextFormat};
use egui::{Color32, FontId, Id, Rect, Shape, Stroke, pos2};
use serde::{Deserialize, Serialize};
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A dialog answering `None` faster than this was not a person cancelling
/// (no portal or zenity): the path field is offered instead.
const INSTANT_NONE: Duration = Duration::from_millis(300);

/// Options of this view that persist across restarts (the text included).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Options {
    /// The text being edited.
    pub text: String,
    /// Its file name (for messages and `Assemble`).
    pub name: String,
    /// Where it was opened from or saved to; `None` for an untitled text
    /// (examples open as untitled copies, so Save asks where).
    pub path: Option<PathBuf>,
    /// The text as last opened or saved (hash): a different text is an
    /// unsaved change, marked with `*`.
    pub saved: Option<u64>,
    /// The example or program an untitled text was copied from.
    pub copied_from: Option<String>,
    /// The session's source when last looked at (hash), to notice a newly
    /// loaded program.
    #[serde(skip)]
    seen_source: Option<u64>,
    /// The text as last synchronised with the session (hash): unchanged
    /// text follows newly loaded programs.
    #[serde(skip)]
    synced_text: Option<u64>,
    /// The loaded program's source differs from unsaved edits.
    #[serde(skip)]
    offer_source: bool,
    /// Move the cursor to (line, column), 1-based.
    #[serde(skip)]
    jump_to: Option<(u32, u32)>,
    /// The pc's line last frame (to scroll it into view once).
    #[serde(skip)]
    last_pc_line: Option<u32>,
    /// The fallback path field (no native dialog).
    #[serde(skip)]
    path_prompt: Option<(PathAction, String)>,
    #[serde(skip)]
    message: Option<(bool, String)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PathAction {
    Open,
    Save,
}

fn hash_of(s: Option<&str>) -> u64 {
    let mut h = DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

// ---------------------------------------------------------------------
// Tokenizer

/// What a piece of source text is, for colouring.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tok {
    Plain,
    Mnemonic,
    Register,
    Number,
    Comment,
    Directive,
    Label,
    Str,
}

fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_' || c == '.' || c == '$' || c == '%'
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '$'
}

fn is_csr(word: &str) -> bool {
    crate::isa::csr::IMPLEMENTED.iter().any(|&(_, n)| n == word)
}

/// Splits assembly source into coloured byte ranges covering all of it.
/// No token spans a newline (block comments are cut at each), so each
/// token lies on one line.
fn tokenize(text: &str) -> Vec<(Range<usize>, Tok)> {
    let b = text.as_bytes();
    let n = b.len();
    let mut out: Vec<(Range<usize>, Tok)> = Vec::new();
    let mut push = |r: Range<usize>, t: Tok| {
        if r.is_empty() {
            return;
        }
        if let Some((last, lt)) = out.last_mut()
            && *lt == t
            && last.end == r.start
            && matches!(t, Tok::Plain | Tok::Comment)
        {
            last.end = r.end;
            return;
        }
        out.push((r, t));
    };
    let mut i = 0;
    let mut in_block = false;
    let mut stmt_start = true;
    let char_at = |i: usize| text[i..].chars().next().unwrap_or('\0');
    while i < n {
        if in_block && b[i] != b'\n' {
            let end_line = text[i..].find('\n').map_or(n, |p| i + p);
            match text[i..end_line].find("*/") {
                Some(p) => {
                    push(i..i + p + 2, Tok::Comment);
                    i += p + 2;
                    in_block = false;
                }
                None => {
                    push(i..end_line, Tok::Comment);
                    i = end_line;
                }
            }
            continue;
        }
        let c = char_at(i);
        let next = if i + 1 < n { b[i + 1] } else { 0 };
        let line_end = text[i..].find('\n').map_or(n, |p| i + p);
        match c {
            '\n' => {
                push(i..i + 1, Tok::Plain);
                stmt_start = true;
                i += 1;
            }
            '#' => {
                push(i..line_end, Tok::Comment);
                i = line_end;
            }
            '/' if next == b'/' => {
                push(i..line_end, Tok::Comment);
                i = line_end;
            }
            '/' if next == b'*' => {
                push(i..i + 2, Tok::Comment);
                i += 2;
                in_block = true;
            }
            ';' => {
                push(i..i + 1, Tok::Plain);
                stmt_start = true;
                i += 1;
            }
            '"' | '\'' => {
                let mut j = i + 1;
                while j < line_end {
                    match b[j] {
                        b'\\' => j += 2,
                        q if q == c as u8 => {
                            j += 1;
                            break;
                        }
                        _ => j += 1,
                    }
                }
                let j = j.min(line_end);
                push(i..j, Tok::Str);
                stmt_start = false;
                i = j;
            }
            c if c.is_ascii_digit() => {
                let mut j = i;
                while j < n && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
                    j += 1;
                }
                if stmt_start && j < n && b[j] == b':' {
                    push(i..j + 1, Tok::Label);
                    i = j + 1;
                } else {
                    push(i..j, Tok::Number);
                    stmt_start = false;
                    i = j;
                }
            }
            c if is_ident_start(c) => {
                let mut j = i + 1;
                while j < n && is_ident(char_at(j)) {
                    j += char_at(j).len_utf8();
                }
                let word = &text[i..j];
                if stmt_start && j < n && b[j] == b':' {
                    push(i..j + 1, Tok::Label);
                    i = j + 1;
                    continue;
                }
                let tok = if word.starts_with('%') {
                    Tok::Directive
                } else if stmt_start {
                    stmt_start = false;
                    if word.starts_with('.') {
                        Tok::Directive
                    } else {
                        Tok::Mnemonic
                    }
                } else if crate::isa::reg::parse(word).is_some() || is_csr(word) {
                    Tok::Register
                } else {
                    Tok::Plain
                };
                push(i..j, tok);
                i = j;
            }
            c => {
                let l = c.len_utf8();
                push(i..i + l, Tok::Plain);
                i += l;
            }
        }
    }
    out
}

// ---------------------------------------------------------------------
// Colours and layout

fn color_of(t: Tok, dark: bool, plain: Color32) -> Color32 {
    let rgb = |r, g, b| Color32::from_rgb(r, g, b);
    match (t, dark) {
        (Tok::Plain, _) => plain,
        (Tok::Mnemonic, true) => rgb(86, 156, 214),
        (Tok::Mnemonic, false) => rgb(0, 0, 220),
        (Tok::Register, true) => rgb(156, 220, 254),
        (Tok::Register, false) => rgb(0, 90, 140),
        (Tok::Number, true) => rgb(181, 206, 168),
        (Tok::Number, false) => rgb(9, 134, 88),
        (Tok::Comment, true) => rgb(106, 153, 85),
        (Tok::Comment, false) => rgb(0, 128, 0),
        (Tok::Directive, true) => rgb(197, 134, 192),
        (Tok::Directive, false) => rgb(175, 0, 219),
        (Tok::Label, true) => rgb(220, 220, 170),
        (Tok::Label, false) => rgb(121, 94, 38),
        (Tok::Str, true) => rgb(206, 145, 120),
        (Tok::Str, false) => rgb(163, 21, 21),
    }
}

/// The byte ranges to underline for diagnostics at (line, column), both
/// 1-based: the word that starts at the column (an identifier, number or
/// register), else the one character there. Underlining by position, not
/// by token kind, matters most for a misspelt register: `t9` is plain
/// text to the highlighter, yet it is the thing that is wrong.
fn error_spans(text: &str, at: &[(u32, u32)]) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    for &(line, column) in at {
        // Past the last line this is the text's end, where no column is.
        let start_of_line: usize = text
            .split_inclusive('\n')
            .take(line.saturating_sub(1) as usize)
            .map(str::len)
            .sum();
        let rest = &text[start_of_line..];
        let row = &rest[..rest.find('\n').unwrap_or(rest.len())];
        let Some((off, first)) = row.char_indices().nth(column.saturating_sub(1) as usize) else {
            continue;
        };
        let word: usize = row[off..]
            .chars()
            .take_while(|&c| is_ident(c))
            .map(char::len_utf8)
            .sum();
        let len = if word > 0 { word } else { first.len_utf8() };
        let start = start_of_line + off;
        spans.push(start..start + len);
    }
    spans
}

/// The highlighted layout; the text at each diagnostic's (line, column)
/// underlined (`error_spans`).
fn highlight(
    text: &str,
    font: &FontId,
    dark: bool,
    plain: Color32,
    error_at: &[(u32, u32)],
    error_color: Color32,
) -> LayoutJob {
    let mut job = LayoutJob {
        text: text.to_string(),
        ..Default::default()
    };
    job.wrap.max_width = f32::INFINITY;
    let spans = error_spans(text, error_at);
    let in_error = |i: usize| spans.iter().any(|r| r.contains(&i));
    for (r, t) in tokenize(text) {
        // Cut the token where an error span starts or ends, so exactly the
        // span is underlined.
        let mut cuts: Vec<usize> = spans
            .iter()
            .flat_map(|e| [e.start, e.end])
            .filter(|&c| c > r.start && c < r.end)
            .collect();
        cuts.sort_unstable();
        cuts.dedup();
        let mut from = r.start;
        for to in cuts.into_iter().chain([r.end]) {
            let underline = if in_error(from) {
                Stroke::new(1.5, error_color)
            } else {
                Stroke::NONE
            };
            job.sections.push(egui::text::LayoutSection {
                leading_space: 0.0,
                byte_range: egui::text::ByteIndex(from)..egui::text::ByteIndex(to),
                format: TextFormat {
                    font_id: font.clone(),
                    color: color_of(t, dark, plain),
                    underline,
                    ..Default::default()
                },
            });
            from = to;
        }
    }
    job
}

// ---------------------------------------------------------------------
// Files

/// Asks the native dialog; `Err` when there is none (an instant `None`).
fn dialog(action: PathAction, dir: Option<&Path>, name: &str) -> Result<Option<PathBuf>, ()> {
    let t = Instant::now();
    let mut d = rfd::FileDialog::new()
        .add_filter("Assembly", &["s", "S", "asm"])
        .add_filter("All files", &["*"]);
    if let Some(dir) = dir {
        d = d.set_directory(dir);
    }
    let picked = match action {
        PathAction::Open => d.pick_file(),
        PathAction::Save => d.set_file_name(name).save_file(),
    };
    match picked {
        Some(p) => Ok(Some(p)),
        None if t.elapsed() < INSTANT_NONE => Err(()),
        None => Ok(None),
    }
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into())
}

impl Options {
    /// Loads a file's text (`path` given) or an untitled copy of `name`.
    fn load_text(&mut self, name: String, text: String, path: Option<PathBuf>) {
        let h = hash_of(Some(&text));
        self.synced_text = Some(h);
        self.saved = Some(h);
        self.text = text;
        match path {
            Some(_) => {
                self.name = name;
                self.copied_from = None;
            }
            None => {
                self.name = String::new();
                self.copied_from = Some(name);
            }
        }
        self.path = path;
        self.offer_source = false;
    }

    /// The text differs from what was last opened or saved. A text never
    /// opened nor saved is modified once something is typed: the empty
    /// editor of a first start (before the view has ever been shown and
    /// filled with an example) has nothing to lose.
    pub fn modified(&self) -> bool {
        match self.saved {
            Some(h) => h != hash_of(Some(&self.text)),
            None => !self.text.is_empty(),
        }
    }

    /// The file name, `untitled.s` without one, `*` when modified.
    pub fn display_name(&self) -> String {
        let name = if self.name.is_empty() {
            "untitled.s"
        } else {
            &self.name
        };
        format!("{name}{}", if self.modified() { "*" } else { "" })
    }

    fn do_path(&mut self, action: PathAction, path: PathBuf) {
        match action {
            PathAction::Open => match std::fs::read(&path) {
                Ok(bytes) => {
                    let text = String::from_utf8_lossy(&bytes).into_owned();
                    self.load_text(file_name(&path), text, Some(path.clone()));
                    self.message = Some((false, format!("opened {}", path.display())));
                }
                Err(e) => self.message = Some((true, format!("{}: {e}", path.display()))),
            },
            PathAction::Save => match std::fs::write(&path, &self.text) {
                Ok(()) => {
                    self.name = file_name(&path);
                    self.saved = Some(hash_of(Some(&self.text)));
                    self.copied_from = None;
                    self.message = Some((false, format!("saved {}", path.display())));
                    self.path = Some(path);
                }
                Err(e) => self.message = Some((true, format!("{}: {e}", path.display()))),
            },
        }
    }

    fn file_action(&mut self, action: PathAction) {
        let dir = self
            .path
            .as_ref()
            .and_then(|p| p.parent().map(Path::to_path_buf))
            .or_else(|| std::env::current_dir().ok());
        let name = if self.name.is_empty() {
            "program.s".to_string()
        } else {
            self.name.clone()
        };
        match dialog(action, dir.as_deref(), &name) {
            Ok(Some(p)) => self.do_path(action, p),
            Ok(None) => {}
            Err(()) => {
                let start = self
                    .path
                    .clone()
                    .or_else(|| dir.map(|d| d.join(&name)))
                    .map(|p| p.display().to_string())
                    .unwrap_or_default();
                self.path_prompt = Some((action, start));
            }
        }
    }

    /// Follows the session's program when it changes. The tab title calls
    /// it too, so a tab behind another names the file it will show.
    pub(crate) fn sync(&mut self, s: &Session) {
        let src = s.source_text();
        let h = hash_of(src);
        if self.seen_source == Some(h) {
            return;
        }
        let first = self.seen_source.is_none();
        self.seen_source = Some(h);
        if first && self.text.is_empty() {
            match src {
                Some(t) => self.load_text(
                    s.program_name.clone(),
                    t.to_string(),
                    s.program_path.clone(),
                ),
                None => {
                    let (name, text) = EXAMPLES[0];
                    self.load_text(name.to_string(), text.to_string(), None);
                }
            }
            return;
        }
        let Some(src) = src else {
            return;
        };
        if src == self.text {
            self.synced_text = Some(h);
            self.offer_source = false;
        } else if !first && self.synced_text == Some(hash_of(Some(&self.text))) {
            // Unchanged since the last load: follow the new program.
            self.load_text(
                s.program_name.clone(),
                src.to_string(),
                s.program_path.clone(),
            );
        } else {
            self.offer_source = true;
        }
    }
}

/// Character index of (line, column), both 1-based.
fn char_index(text: &str, line: u32, column: u32) -> usize {
    let mut idx = 0;
    for (i, l) in text.split('\n').enumerate() {
        if i + 1 == line as usize {
            let col = (column.max(1) - 1) as usize;
            return idx + col.min(l.chars().count());
        }
        idx += l.chars().count() + 1;
    }
    text.chars().count()
}

// ---------------------------------------------------------------------
// The view

pub fn ui(ui: &mut egui::Ui, ctx: &mut Ctx) {
    let s = ctx.session;
    let pal = ctx.palette;
    let opts = &mut ctx.options.editor;
    opts.sync(s);
    let editor_id = Id::new("glassbox-asm-editor");
    let mut assemble = false;

    // Toolbar.
    ui.horizontal_wrapped(|ui| {
        let sc = ui.ctx().format_shortcut(&egui::KeyboardShortcut::new(
            egui::Modifiers::COMMAND,
            egui::Key::Enter,
        ));
        if ui
            .button("▶ Assemble & load")
            .on_hover_text(format!(
                "assemble the text and load it into the machine ({sc} in the editor)"
            ))
            .clicked()
        {
            assemble = true;
        }
        isa_choice(ui, s.isa, ctx.commands);
        ui.separator();
        if ui.button("Open…").clicked() {
            opts.file_action(PathAction::Open);
        }
        let save_tip = opts
            .path
            .as_ref()
            .map_or("choose a file".to_string(), |p| p.display().to_string());
        if ui.button("Save").on_hover_text(save_tip).clicked() {
            match opts.path.clone() {
                Some(p) => opts.do_path(PathAction::Save, p),
                None => opts.file_action(PathAction::Save),
            }
        }
        if ui.button("Save as…").clicked() {
            opts.file_action(PathAction::Save);
        }
        ui.menu_button("Examples ⏷", |ui| {
            for (name, text) in EXAMPLES {
                if ui.button(*name).clicked() {
                    opts.load_text(name.to_string(), text.to_string(), None);
                    ui.close();
                }
            }
        });
        ui.separator();
        let shown = ui.label(opts.display_name());
        if opts.modified() {
            shown.on_hover_text("unsaved changes");
        }
        if let Some(from) = &opts.copied_from {
            ui.weak(format!("(a copy of {from}: Save asks where)"));
        }
    });

    // The fallback path field.
    if let Some((action, path)) = &mut opts.path_prompt {
        let action = *action;
        let mut go = false;
        let mut cancel = false;
        ui.horizontal(|ui| {
            ui.label(match action {
                PathAction::Open => "Open path:",
                PathAction::Save => "Save to path:",
            });
            let r = ui.add(egui::TextEdit::singleline(path).desired_width(360.0));
            go = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            go |= ui
                .button(match action {
                    PathAction::Open => "Open",
                    PathAction::Save => "Save",
                })
                .clicked();
            cancel = ui.button("Cancel").clicked();
        });
        if go {
            let p = PathBuf::from(path.trim());
            opts.path_prompt = None;
            opts.do_path(action, p);
        } else if cancel {
            opts.path_prompt = None;
        }
    }
    if opts.offer_source {
        ui.horizontal_wrapped(|ui| {
            ui.colored_label(
                pal.stall,
                format!(
                    "The loaded program ({}) differs from the editor's text.",
                    s.program_name
                ),
            );
            if ui.button("Load its source").clicked()
                && let Some(src) = s.source_text()
            {
                opts.load_text(
                    s.program_name.clone(),
                    src.to_string(),
                    s.program_path.clone(),
                );
            }
            if ui.button("Keep mine").clicked() {
                opts.offer_source = false;
            }
        });
    }
    if let Some((err, msg)) = opts.message.clone() {
        ui.horizontal(|ui| {
            if err {
                ui.colored_label(pal.miss, msg);
            } else {
                ui.label(egui::RichText::new(msg).weak());
            }
            if ui.small_button("✖").clicked() {
                opts.message = None;
            }
        });
    }

    // Ctrl+Enter, only while the editor has focus (before the editor sees
    // the Enter).
    if ui.memory(|m| m.has_focus(editor_id))
        && ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::Enter))
    {
        assemble = true;
    }

    // The pc's line, when the text is the loaded program's.
    let is_loaded = s.source_text() == Some(opts.text.as_str());
    let pc_line = if is_loaded {
        s.source_line(s.machine().hart.pc)
    } else {
        None
    };
    let scroll_pc = pc_line.is_some() && pc_line != opts.last_pc_line;
    opts.last_pc_line = pc_line;

    let error_lines: Vec<u32> = s.asm_errors.iter().map(|d| d.line).collect();
    let error_at: Vec<(u32, u32)> = s.asm_errors.iter().map(|d| (d.line, d.column)).collect();
    let errors_h = if s.asm_errors.is_empty() {
        0.0
    } else {
        let rows = s.asm_errors.len().min(6) as f32;
        rows * (ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y)
            + 2.0 * ui.spacing().item_spacing.y
            + 24.0
    };

    // Jumping to a line: place the cursor before the editor draws.
    let jump = opts.jump_to.take();
    if let Some((line, col)) = jump {
        let idx = char_index(&opts.text, line, col);
        let mut state = egui::TextEdit::load_state(ui.ctx(), editor_id).unwrap_or_default();
        state
            .cursor
            .set_char_range(Some(CCursorRange::one(CCursor::new(idx))));
        egui::TextEdit::store_state(ui.ctx(), editor_id, state);
        ui.memory_mut(|m| m.request_focus(editor_id));
    }

    let font = egui::TextStyle::Monospace.resolve(ui.style());
    let dark = ui.visuals().dark_mode;
    let plain = ui.visuals().text_color();
    let line_count = opts.text.split('\n').count().max(1);
    let digits = line_count.to_string().len().max(3);
    let cw = ui.fonts_mut(|f| f.glyph_width(&font, '0'));
    let gutter_w = (digits as f32 + 1.5) * cw;
    let bg = ui.visuals().extreme_bg_color;
    let weak = ui.visuals().weak_text_color();

    let editor_h = (ui.available_height() - errors_h).max(60.0);
    egui::ScrollArea::both()
        .id_salt("editor-scroll")
        .max_height(editor_h)
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let bg_idx = ui.painter().add(Shape::Noop);
            let mut layouter = |ui: &egui::Ui, buf: &dyn egui::TextBuffer, _wrap: f32| {
                let job = highlight(buf.as_str(), &font, dark, plain, &error_at, pal.miss);
                ui.ctx().fonts_mut(|f| f.layout_job(job))
            };
            let out = ui
                .horizontal_top(|ui| {
                    ui.add_space(gutter_w);
                    egui::TextEdit::multiline(&mut opts.text)
                        .id(editor_id)
                        .code_editor()
                        .frame(egui::Frame::NONE)
                        .desired_width(f32::INFINITY)
                        .desired_rows(20)
                        // Fills the view, so a click below the last line
                        // focuses the editor (at the end of the text).
                        .min_size(egui::vec2(0.0, editor_h))
                        .layouter(&mut layouter)
                        .show(ui)
                })
                .inner;
            let clip = ui.clip_rect();
            let area = out.response.response.rect;
            let left = area.min.x - gutter_w;
            let right = clip.max.x.max(area.max.x);
            let row_rect = |i: usize| -> Option<Rect> {
                let row = out.galley.rows.get(i)?;
                let y0 = out.galley_pos.y + row.pos.y;
                Some(Rect::from_min_max(
                    pos2(left, y0),
                    pos2(right, y0 + row.rect().height().max(font.size)),
                ))
            };
            // Backgrounds under the text: the editor, error lines, the pc.
            let mut shapes = vec![Shape::rect_filled(
                Rect::from_min_max(
                    pos2(left, area.min.y),
                    pos2(right, area.max.y.max(clip.max.y)),
                ),
                0.0,
                bg,
            )];
            for d in &s.asm_errors {
                if let Some(r) = row_rect((d.line as usize).saturating_sub(1)) {
                    shapes.push(Shape::rect_filled(r, 0.0, pal.miss.gamma_multiply(0.22)));
                }
            }
            if let Some(l) = pc_line
                && let Some(r) = row_rect((l as usize).saturating_sub(1))
            {
                shapes.push(Shape::rect_filled(r, 0.0, pal.current.gamma_multiply(0.3)));
                if scroll_pc {
                    ui.scroll_to_rect(r, None);
                }
            }
            ui.painter().set(bg_idx, Shape::Vec(shapes));
            // Line numbers.
            let gutter_painter = ui.painter();
            for (i, row) in out.galley.rows.iter().enumerate() {
                let y = out.galley_pos.y + row.pos.y;
                if y > clip.max.y || y + font.size * 2.0 < clip.min.y {
                    continue;
                }
                let n = i as u32 + 1;
                let color = if error_lines.contains(&n) {
                    pal.miss
                } else if Some(n) == pc_line {
                    pal.current
                } else {
                    weak
                };
                gutter_painter.text(
                    pos2(left + gutter_w - cw, y),
                    egui::Align2::RIGHT_TOP,
                    n.to_string(),
                    font.clone(),
                    color,
                );
            }
            if let Some((line, _)) = jump
                && let Some(r) = row_rect((line as usize).saturating_sub(1))
            {
                ui.scroll_to_rect(r, Some(egui::Align::Center));
            }
        });

    // The errors of the last assembly.
    if !s.asm_errors.is_empty() {
        ui.separator();
        ui.colored_label(
            pal.miss,
            format!(
                "{} assembly error{} (click to go to the line)",
                s.asm_errors.len(),
                if s.asm_errors.len() == 1 { "" } else { "s" }
            ),
        );
        egui::ScrollArea::vertical()
            .id_salt("editor-errors")
            .max_height(errors_h)
            .show(ui, |ui| {
                for d in &s.asm_errors {
                    let text = format!("{}:{}: {}", d.line, d.column, d.message);
                    if ui
                        .add(
                            egui::Label::new(egui::RichText::new(text).monospace().color(pal.miss))
                                .sense(egui::Sense::click()),
                        )
                        .on_hover_cursor(egui::CursorIcon::PointingHand)
                        .clicked()
                    {
                        opts.jump_to = Some((d.line, d.column));
                    }
                }
            });
    }

    if assemble {
        let name = if opts.name.is_empty() {
            "untitled.s".to_string()
        } else {
            opts.name.clone()
        };
        opts.synced_text = Some(hash_of(Some(&opts.text)));
        ctx.commands.push(Command::Assemble {
            name,
            source: opts.text.clone(),
        });
    }
}

/// The ISA the next "Assemble & load" targets.
fn isa_choice(ui: &mut egui::Ui, current: Isa, commands: &mut Vec<Command>) {
    let mut chosen = current;
    egui::ComboBox::from_label("ISA")
        .selected_text(current.to_string())
        .show_ui(ui, |ui| {
            for isa in Isa::CHOICES {
                ui.selectable_value(&mut chosen, isa, isa.to_string());
            }
        })
        .response
        .on_hover_text(
            "the ISA to assemble for: with C (rv32imc, rv32imac) instructions are \
             compressed as GNU as does; `.option rvc`/`norvc` in the source change it \
             from there on",
        );
    if chosen != current {
        commands.push(Command::SetIsa(chosen));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<(&str, Tok)> {
        tokenize(src)
            .into_iter()
            .filter(|(_, t)| *t != Tok::Plain)
            .map(|(r, t)| (&src[r], t))
            .collect()
    }

    /// The underlined text of a highlighted layout.
    fn underlined(src: &str, at: &[(u32, u32)]) -> Vec<String> {
        let job = highlight(
            src,
            &FontId::monospace(12.0),
            true,
            Color32::WHITE,
            at,
            Color32::RED,
        );
        job.sections
            .iter()
            .filter(|s| s.format.underline != Stroke::NONE)
            .map(|s| src[s.byte_range.start.0..s.byte_range.end.0].to_string())
            .collect()
    }

    /// Seen under Xvfb: for `li t9, 5` ("7:13: unknown register `t9`")
    /// the editor underlined `li` and `5`, every token but the wrong one.
    #[test]
    fn the_underline_is_at_the_diagnostic() {
        let src = "_start:\n    li      t9, 5\n    addi t1, t0, 1\n";
        assert_eq!(underlined(src, &[(2, 13)]), vec!["t9"]);
        assert_eq!(underlined(src, &[(3, 5)]), vec!["addi"]);
        // A column on punctuation underlines that character; one past the
        // line or a line past the end underlines nothing.
        assert_eq!(underlined(src, &[(2, 15)]), vec![","]);
        assert_eq!(underlined(src, &[(2, 40), (9, 1)]), Vec::<String>::new());
        // No diagnostics: no underline, and the sections still cover the text.
        assert!(underlined(src, &[]).is_empty());
    }

    #[test]
    fn tokens() {
        let k = kinds("loop: addi t0, t0, -0x10 # count\n  .word 3\n");
        assert_eq!(
            k,
            vec![
                ("loop:", Tok::Label),
                ("addi", Tok::Mnemonic),
                ("t0", Tok::Register),
                ("t0", Tok::Register),
                ("0x10", Tok::Number),
                ("# count", Tok::Comment),
                (".word", Tok::Directive),
                ("3", Tok::Number),
            ]
        );
        let k = kinds("a: .string \"x#y\" /* c\n d */ lw a0, %lo(sym)(a1); ret");
        assert_eq!(
            k,
            vec![
                ("a:", Tok::Label),
                (".string", Tok::Directive),
                ("\"x#y\"", Tok::Str),
                ("/* c", Tok::Comment),
                (" d */", Tok::Comment),
                ("lw", Tok::Mnemonic),
                ("a0", Tok::Register),
                ("%lo", Tok::Directive),
                ("a1", Tok::Register),
                ("ret", Tok::Mnemonic),
            ]
        );
        // A block comment over several lines, an empty one included.
        let k = kinds("/* a\n\n b */ nop");
        assert_eq!(
            k,
            vec![
                ("/* a", Tok::Comment),
                (" b */", Tok::Comment),
                ("nop", Tok::Mnemonic)
            ]
        );
        // Covers the whole text.
        let src = "x: ✖ li a0, 'c'\n";
        let toks = tokenize(src);
        assert_eq!(toks.first().map(|t| t.0.start), Some(0));
        assert_eq!(toks.last().map(|t| t.0.end), Some(src.len()));
        for w in toks.windows(2) {
            assert_eq!(w[0].0.end, w[1].0.start);
        }
    }

    #[test]
    fn cursor_index() {
        assert_eq!(char_index("ab\ncd\n", 2, 2), 4);
        assert_eq!(char_index("ab\ncd\n", 9, 1), 6);
    }
}
