//! The editor view (being written).

use super::Ctx;
use serde::{Deserialize, Serialize};

/// Options of this view that persist across restarts.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Options {}

pub fn ui(ui: &mut egui::Ui, ctx: &mut Ctx) {
    let _ = ctx;
    ui.label("This view is being written.");
}
