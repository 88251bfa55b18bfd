//! Opening files: the native dialog (rfd) when the desktop has one, and an
//! in-app browser when it does not. rfd answers `None` at once both for
//! "cancelled" and for "no portal available", so after a `None` that came
//! back too fast for a person to have cancelled, the app offers its own
//! browser instead of doing nothing.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A cancel faster than this was not a person.
const INSTANT_NONE: Duration = Duration::from_millis(300);

/// The native dialog could not be shown (no portal, no zenity).
#[derive(Debug)]
pub struct NoNativeDialog;

/// Asks the native dialog: `Ok(None)` is a cancel.
pub fn native_open(start: &Path) -> Result<Option<PathBuf>, NoNativeDialog> {
    let t = Instant::now();
    let picked = rfd::FileDialog::new()
        .add_filter("RISC-V programs", &["elf", "s", "asm"])
        .add_filter("All files", &["*"])
        .set_directory(start)
        .pick_file();
    match picked {
        Some(p) => Ok(Some(p)),
        None if t.elapsed() < INSTANT_NONE => Err(NoNativeDialog),
        None => Ok(None),
    }
}

/// A folder's entries (path, is a folder), or why it cannot be read.
type Listing = Result<Vec<(PathBuf, bool)>, String>;

/// The in-app file browser's state.
#[derive(Clone, Debug, Default)]
pub struct Browser {
    pub open: bool,
    pub dir: PathBuf,
    pub error: Option<String>,
    /// The path field: the folder shown, or what was typed or pasted.
    pub path_text: String,
    /// The listing of `dir` (read when the folder changes, not per frame).
    listing: Option<(PathBuf, Listing)>,
}

impl Browser {
    pub fn show_at(&mut self, dir: PathBuf) {
        self.open = true;
        self.error = None;
        self.go_to(dir);
    }

    fn go_to(&mut self, dir: PathBuf) {
        self.path_text = dir.display().to_string();
        self.dir = dir;
        self.error = None;
    }

    /// Enter in the path field: a folder is shown, a file is chosen.
    fn follow_typed(&mut self) -> Option<PathBuf> {
        let text = self.path_text.trim();
        let p = PathBuf::from(text);
        let p = if p.is_relative() { self.dir.join(p) } else { p };
        if p.is_dir() {
            self.go_to(p);
            None
        } else if p.is_file() {
            Some(p)
        } else {
            self.error = Some(format!("{text}: no such file or folder"));
            None
        }
    }

    /// Draws the browser window; returns a chosen file. The window keeps
    /// the size the user gives it; the list scrolls (wheel, drag, bar).
    pub fn ui(&mut self, ctx: &egui::Context) -> Option<PathBuf> {
        if !self.open {
            return None;
        }
        if self.listing.as_ref().is_none_or(|(d, _)| *d != self.dir) {
            self.listing = Some((self.dir.clone(), list(&self.dir)));
        }
        let mut chosen = None;
        let mut open = true;
        let mut go: Option<PathBuf> = None;
        let mut cancel = false;
        egui::Window::new("Open a program")
            .id(egui::Id::new("glassbox-file-browser"))
            .open(&mut open)
            .default_size([560.0, 440.0])
            .min_size([320.0, 200.0])
            .resizable(true)
            .collapsible(false)
            .show(ctx, |ui| {
                ui.horizontal(|ui| {
                    if ui.button("Up").on_hover_text("the parent folder").clicked()
                        && let Some(parent) = self.dir.parent()
                    {
                        go = Some(parent.to_path_buf());
                    }
                    let field = ui.add(
                        egui::TextEdit::singleline(&mut self.path_text)
                            .desired_width(ui.available_width() - 48.0)
                            .hint_text("type or paste a path, then Enter"),
                    );
                    let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    if (ui.button("Go").clicked() || enter)
                        && let Some(file) = self.follow_typed()
                    {
                        chosen = Some(file);
                    }
                });
                if let Some(e) = &self.error {
                    ui.colored_label(ui.visuals().error_fg_color, e);
                }
                let row_h = ui.spacing().interact_size.y;
                // The buttons keep the bottom; the list fills the rest, so
                // the window's size is the user's, whatever the folder holds.
                egui::Panel::bottom("browser-footer").show(ui, |ui| {
                    ui.horizontal(|ui| {
                        cancel = ui.button("Cancel").clicked();
                        ui.weak("folders, .elf, .s, .asm and .bin files");
                    });
                });
                egui::CentralPanel::default().show(ui, |ui| {
                    match self.listing.as_ref().map(|(_, l)| l) {
                        Some(Ok(entries)) => {
                            egui::ScrollArea::vertical()
                                .id_salt("browser-list")
                                .auto_shrink([false, false])
                                .show_rows(ui, row_h, entries.len(), |ui, rows| {
                                    for (path, is_dir) in &entries[rows] {
                                        if entry(ui, path, *is_dir, row_h) {
                                            if *is_dir {
                                                go = Some(path.clone());
                                            } else {
                                                chosen = Some(path.clone());
                                            }
                                        }
                                    }
                                });
                        }
                        Some(Err(e)) => {
                            ui.colored_label(ui.visuals().error_fg_color, e);
                        }
                        None => {}
                    }
                });
            });
        if let Some(dir) = go {
            self.go_to(dir);
        }
        if chosen.is_some() || !open || cancel {
            self.open = false;
        }
        chosen
    }
}

/// One row of the list: a painted folder icon (no font has to carry it)
/// before folders. Returns whether it was clicked.
fn entry(ui: &mut egui::Ui, path: &Path, is_dir: bool, row_h: f32) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    ui.horizontal(|ui| {
        let (rect, _) = ui.allocate_exact_size(egui::vec2(16.0, row_h), egui::Sense::hover());
        if is_dir {
            folder_icon(ui.painter(), rect, ui.visuals().text_color());
        }
        let text = if is_dir { format!("{name}/") } else { name };
        ui.selectable_label(false, text).clicked()
    })
    .inner
}

/// A folder: a body with a tab on its upper left.
fn folder_icon(painter: &egui::Painter, rect: egui::Rect, color: egui::Color32) {
    let c = rect.center();
    let body = egui::Rect::from_center_size(c + egui::vec2(0.0, 1.0), egui::vec2(14.0, 9.0));
    let tab = egui::Rect::from_min_size(body.min - egui::vec2(0.0, 2.0), egui::vec2(6.0, 3.0));
    painter.rect_filled(tab, 1.0, color.gamma_multiply(0.8));
    painter.rect_filled(body, 1.5, color.gamma_multiply(0.8));
}

fn list(dir: &Path) -> Listing {
    let rd = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut v: Vec<(PathBuf, bool)> = rd
        .filter_map(|e| e.ok())
        .map(|e| {
            let p = e.path();
            let is_dir = p.is_dir();
            (p, is_dir)
        })
        .filter(|(p, is_dir)| {
            *is_dir
                || p.extension()
                    .is_some_and(|x| matches!(x.to_str(), Some("elf" | "s" | "asm" | "bin")))
        })
        .collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Ok(v)
}
