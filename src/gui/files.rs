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

/// The in-app file browser's state.
#[derive(Clone, Debug, Default)]
pub struct Browser {
    pub open: bool,
    pub dir: PathBuf,
    pub error: Option<String>,
}

impl Browser {
    pub fn show_at(&mut self, dir: PathBuf) {
        self.open = true;
        self.dir = dir;
        self.error = None;
    }

    /// Draws the browser window; returns a chosen file.
    pub fn ui(&mut self, ctx: &egui::Context) -> Option<PathBuf> {
        if !self.open {
            return None;
        }
        let mut chosen = None;
        let mut open = true;
        egui::Window::new("Open a program")
            .open(&mut open)
            .default_size([520.0, 420.0])
            .show(ctx, |ui| {
                ui.horizontal(|ui| {
                    if ui.button("⬆ Up").clicked()
                        && let Some(parent) = self.dir.parent()
                    {
                        self.dir = parent.to_path_buf();
                    }
                    ui.monospace(self.dir.display().to_string());
                });
                ui.separator();
                match list(&self.dir) {
                    Ok(entries) => {
                        egui::ScrollArea::vertical().show(ui, |ui| {
                            for (path, is_dir) in entries {
                                let name = path
                                    .file_name()
                                    .map(|n| n.to_string_lossy().into_owned())
                                    .unwrap_or_default();
                                let label = if is_dir { format!("📁 {name}") } else { name };
                                if ui.selectable_label(false, label).clicked() {
                                    if is_dir {
                                        self.dir = path;
                                    } else {
                                        chosen = Some(path);
                                    }
                                }
                            }
                        });
                    }
                    Err(e) => {
                        ui.colored_label(egui::Color32::RED, e);
                    }
                }
            });
        if chosen.is_some() || !open {
            self.open = false;
        }
        chosen
    }
}

fn list(dir: &Path) -> Result<Vec<(PathBuf, bool)>, String> {
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
