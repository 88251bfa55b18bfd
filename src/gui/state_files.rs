//! File → Save state… and Load state…: the native dialog where the desktop
//! has one, otherwise a small window asking for the path. The session does
//! the work (`Command::SaveState`, `Command::LoadState`); a bad file leaves
//! the machine as it was and the status line says what is wrong.

use super::session::Command;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A cancel faster than this was not a person (no native dialog).
const INSTANT_NONE: Duration = Duration::from_millis(300);
pub const EXTENSION: &str = "gbxstate";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Save,
    Load,
}

/// The path prompt shown when there is no native dialog.
#[derive(Debug, Default)]
pub struct StateFiles {
    prompt: Option<(Action, String)>,
}

impl StateFiles {
    /// Asks for a file through the native dialog, or opens the prompt.
    pub fn ask(&mut self, action: Action, dir: &Path, commands: &mut Vec<Command>) {
        let t = Instant::now();
        let dialog = rfd::FileDialog::new()
            .add_filter("Glassbox save state", &[EXTENSION])
            .add_filter("All files", &["*"])
            .set_directory(dir);
        let picked = match action {
            Action::Save => dialog
                .set_file_name(format!("session.{EXTENSION}"))
                .save_file(),
            Action::Load => dialog.pick_file(),
        };
        match picked {
            Some(path) => commands.push(command(action, path)),
            None if t.elapsed() < INSTANT_NONE => self.show_prompt(action, dir),
            None => {}
        }
    }

    /// Opens the in-app prompt (also used by tests).
    pub fn show_prompt(&mut self, action: Action, dir: &Path) {
        let path = dir.join(format!("session.{EXTENSION}"));
        self.prompt = Some((action, path.display().to_string()));
    }

    pub fn ui(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) {
        let Some((action, path)) = &mut self.prompt else {
            return;
        };
        let title = match action {
            Action::Save => "Save state",
            Action::Load => "Load state",
        };
        let mut done = false;
        egui::Window::new(title)
            .collapsible(false)
            .resizable(false)
            .show(ctx, |ui| {
                let l = ui.label("File");
                let r = ui
                    .add(egui::TextEdit::singleline(path).desired_width(420.0))
                    .labelled_by(l.id);
                let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                ui.horizontal(|ui| {
                    if ui.button(title).clicked() || enter {
                        commands.push(command(*action, PathBuf::from(path.trim())));
                        done = true;
                    }
                    if ui.button("Cancel").clicked() {
                        done = true;
                    }
                });
            });
        if done {
            self.prompt = None;
        }
    }
}

fn command(action: Action, path: PathBuf) -> Command {
    match action {
        Action::Save => Command::SaveState(path),
        Action::Load => Command::LoadState(path),
    }
}
