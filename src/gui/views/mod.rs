//! One file per view. A view reads the session and pushes `Command`s; it
//! never changes the machine itself, so every change happens at one point
//! per frame.

pub mod breakpoints;
pub mod caches;
pub mod chart;
pub mod compare;
pub mod configuration;
pub mod console;
pub mod devices;
pub mod disassembly;
pub mod editor;
pub mod memory;
pub mod pipeline;
pub mod registers;
pub mod statistics;
pub mod timeline;

use super::session::{Command, Session};
use super::theme::Palette;
use serde::{Deserialize, Serialize};

/// What every view gets for one frame.
pub struct Ctx<'a> {
    pub session: &'a Session,
    pub commands: &'a mut Vec<Command>,
    pub palette: Palette,
    pub options: &'a mut ViewOptions,
}

/// View options that persist across restarts.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ViewOptions {
    pub pipeline: pipeline::Options,
    pub chart: chart::Options,
    pub registers: registers::Options,
    pub disassembly: disassembly::Options,
    pub memory: memory::Options,
    pub caches: caches::Options,
    pub console: console::Options,
    pub statistics: statistics::Options,
    pub configuration: configuration::Options,
    pub editor: editor::Options,
    pub breakpoints: breakpoints::Options,
}

/// The dockable views.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Tab {
    Pipeline,
    Chart,
    Registers,
    Disassembly,
    Memory,
    Caches,
    Console,
    Statistics,
    Configuration,
    Editor,
    Breakpoints,
    Devices,
}

impl Tab {
    pub const ALL: [Tab; 12] = [
        Tab::Pipeline,
        Tab::Chart,
        Tab::Registers,
        Tab::Disassembly,
        Tab::Memory,
        Tab::Caches,
        Tab::Console,
        Tab::Statistics,
        Tab::Configuration,
        Tab::Editor,
        Tab::Breakpoints,
        Tab::Devices,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Pipeline => "Pipeline",
            Tab::Chart => "Pipeline chart",
            Tab::Registers => "Registers",
            Tab::Disassembly => "Disassembly",
            Tab::Memory => "Memory",
            Tab::Caches => "Caches",
            Tab::Console => "Console",
            Tab::Statistics => "Statistics",
            Tab::Configuration => "Configuration",
            Tab::Editor => "Editor",
            Tab::Breakpoints => "Breakpoints",
            Tab::Devices => "Devices",
        }
    }
}

/// The "Go to" field of the listing views (an address, a symbol, `pc` or
/// a register name): returns the address once, when the user asks for it.
/// A text that names nothing is shown in the miss colour.
pub fn goto_field(
    ui: &mut egui::Ui,
    text: &mut String,
    error: &mut bool,
    palette: Palette,
    m: &crate::machine::Machine,
) -> Option<u32> {
    ui.label("Go to");
    let r = ui.add(
        egui::TextEdit::singleline(text)
            .desired_width(140.0)
            .hint_text("address or symbol")
            .text_color_opt(error.then_some(palette.miss)),
    );
    if r.changed() {
        *error = false;
    }
    let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
    if !(ui.button("Go").clicked() || enter) {
        return None;
    }
    let addr = memory::parse_address(text, m);
    *error = addr.is_none();
    addr
}

/// Shows one view.
pub fn show(tab: Tab, ui: &mut egui::Ui, ctx: &mut Ctx) {
    match tab {
        Tab::Pipeline => pipeline::ui(ui, ctx),
        Tab::Chart => chart::ui(ui, ctx),
        Tab::Registers => registers::ui(ui, ctx),
        Tab::Disassembly => disassembly::ui(ui, ctx),
        Tab::Memory => memory::ui(ui, ctx),
        Tab::Caches => caches::ui(ui, ctx),
        Tab::Console => console::ui(ui, ctx),
        Tab::Statistics => statistics::ui(ui, ctx),
        Tab::Configuration => configuration::ui(ui, ctx),
        Tab::Editor => editor::ui(ui, ctx),
        Tab::Breakpoints => breakpoints::ui(ui, ctx),
        Tab::Devices => devices::ui(ui, ctx),
    }
}
