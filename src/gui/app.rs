//! The application: the dock of views around one `Session`, the menus and
//! controls, shortcuts, files, and the settings that persist.

pub mod compare_mode;

pub use compare_mode::CompareSettings;

use super::files::{self, Browser};
use super::runner::{Shared, Worker};
use super::session::{Command, Session, Speed};
use super::theme::{self, palette};
use super::views::{self, Ctx, Tab, ViewOptions};
use egui_dock::{DockArea, DockState, NodeIndex, Style, TabViewer};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::{Arc, MutexGuard};
use std::time::{Duration, Instant};

/// Without a worker thread (tests), the host time spent simulating per
/// frame at full speed: most of a 60 Hz frame. Where drawing is slower,
/// the budget grows to match it, up to `MAX_FRAME_BUDGET`.
const FRAME_BUDGET: Duration = Duration::from_millis(12);
const MAX_FRAME_BUDGET: Duration = Duration::from_millis(30);
/// While the worker runs, frames are requested this often (40 per second;
/// input and egui animations may add some).
const MIN_FRAME_INTERVAL: Duration = Duration::from_millis(25);
/// The wall time over which frames and cycles are counted for the status.
const METER_WINDOW: Duration = Duration::from_secs(1);
const MAX_RECENT: usize = 8;

/// Everything that persists across restarts.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub dark: bool,
    pub zoom: f32,
    pub recent: Vec<PathBuf>,
    pub dock: Option<DockState<Tab>>,
    pub views: ViewOptions,
    pub speed: Speed,
    pub run_n: u64,
    /// Compare mode's layout, per-machine view options and lockstep.
    pub compare: CompareSettings,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            dark: true,
            zoom: 1.0,
            recent: Vec::new(),
            dock: None,
            views: ViewOptions::default(),
            speed: Speed::Full,
            run_n: 100,
            compare: CompareSettings::default(),
        }
    }
}

impl Settings {
    /// Default settings with only these views, in one tab group (tests,
    /// screenshots).
    pub fn showing(tabs: Vec<Tab>) -> Settings {
        Settings {
            dock: Some(DockState::new(tabs)),
            ..Settings::default()
        }
    }
}

const SETTINGS_KEY: &str = "glassbox-settings";

pub fn default_dock() -> DockState<Tab> {
    let mut dock = DockState::new(vec![Tab::Pipeline, Tab::Chart, Tab::Editor]);
    let surface = dock.main_surface_mut();
    let [main, right] = surface.split_right(
        NodeIndex::root(),
        0.72,
        vec![Tab::Registers, Tab::Breakpoints],
    );
    surface.split_below(
        right,
        0.55,
        vec![Tab::Caches, Tab::Statistics, Tab::Configuration],
    );
    let [_, bottom] = surface.split_below(main, 0.62, vec![Tab::Disassembly, Tab::Memory]);
    surface.split_right(bottom, 0.6, vec![Tab::Console, Tab::Devices]);
    dock
}

pub struct GlassboxApp {
    shared: Arc<Shared>,
    /// Runs the machine at full speed; without it (tests), frames do.
    worker: Option<Worker>,
    pub settings: Settings,
    dock: DockState<Tab>,
    commands: Vec<Command>,
    browser: Browser,
    /// When the last simulation slice ended (to measure drawing time).
    sim_end: Option<Instant>,
    meter: Meter,
    scrubber: views::timeline::Scrubber,
    /// Save state / Load state.
    pub state_files: super::state_files::StateFiles,
    /// Edits made in the past, waiting for the user to accept dropping the
    /// recorded future.
    pending_edits: Vec<Command>,
    /// Edits the user accepted: applied in the next frame.
    confirmed_edits: Vec<Command>,
    /// The window title last sent, to send a change only.
    title: String,
    /// Compare mode, when on: its machines replace the session in the
    /// window (the session waits, paused).
    compare: Option<compare_mode::CompareMode>,
    /// The dialog that chooses compare mode's configurations.
    chooser: views::compare::Chooser,
    /// The Devices view was brought forward for the program loaded (see
    /// `views::devices::in_use`).
    devices_shown: bool,
}

/// Real frames and simulated cycles per second of wall time, over the
/// last `METER_WINDOW` of a run.
struct Meter {
    /// (when a frame was built, the machine's cycle then)
    frames: VecDeque<(Instant, u64)>,
    /// With `GLASSBOX_FPS_LOG` set, the rates go to stderr about once a
    /// second while running (for measuring the GUI under Xvfb, where
    /// nobody reads the status bar): when they were printed last.
    log: Option<Option<Instant>>,
}

impl Default for Meter {
    fn default() -> Meter {
        Meter {
            frames: VecDeque::new(),
            log: std::env::var_os("GLASSBOX_FPS_LOG").map(|_| None),
        }
    }
}

impl Meter {
    fn frame(&mut self, running: bool, cycle: u64) {
        if !running {
            self.frames.clear();
            return;
        }
        let now = Instant::now();
        self.frames.push_back((now, cycle));
        if let Some(last) = &mut self.log
            && last.is_none_or(|t| now - t >= Duration::from_secs(1))
        {
            *last = Some(now);
            if let Some((fps, cps)) = self.rates() {
                eprintln!("glassbox: {fps:.1} fps, {cps:.0} cycles/s");
            }
        }
        while self.frames.len() > 2
            && self
                .frames
                .get(1)
                .is_some_and(|f| now - f.0 >= METER_WINDOW)
        {
            self.frames.pop_front();
        }
    }

    /// (frames per second, cycles per second), once two frames are in.
    fn rates(&self) -> Option<(f64, f64)> {
        let (&(t0, c0), &(t1, c1)) = (self.frames.front()?, self.frames.back()?);
        let dt = (t1 - t0).as_secs_f64();
        (self.frames.len() >= 2 && dt > 0.0).then(|| {
            (
                (self.frames.len() - 1) as f64 / dt,
                c1.saturating_sub(c0) as f64 / dt,
            )
        })
    }
}

/// A keyboard shortcut and its text for menus and tooltips.
struct Shortcut(egui::KeyboardShortcut);

impl Shortcut {
    const fn key(key: egui::Key) -> Shortcut {
        Shortcut(egui::KeyboardShortcut::new(egui::Modifiers::NONE, key))
    }
    const fn shift(key: egui::Key) -> Shortcut {
        Shortcut(egui::KeyboardShortcut::new(egui::Modifiers::SHIFT, key))
    }
    const fn ctrl(key: egui::Key) -> Shortcut {
        Shortcut(egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, key))
    }
    fn text(&self, ctx: &egui::Context) -> String {
        ctx.format_shortcut(&self.0)
    }
}

const STEP_CYCLE: Shortcut = Shortcut::key(egui::Key::F10);
const STEP_INSTR: Shortcut = Shortcut::key(egui::Key::F11);
const RUN_PAUSE: Shortcut = Shortcut::key(egui::Key::F5);
const BACK_CYCLE: Shortcut = Shortcut::shift(egui::Key::F10);
const BACK_INSTR: Shortcut = Shortcut::shift(egui::Key::F11);
const REVERSE_RUN: Shortcut = Shortcut::shift(egui::Key::F5);
const RESET: Shortcut = Shortcut::ctrl(egui::Key::R);
const RUN_N: Shortcut = Shortcut::key(egui::Key::F8);
const OPEN: Shortcut = Shortcut::ctrl(egui::Key::O);

impl GlassboxApp {
    /// The app without a worker thread: each frame runs the machine for a
    /// time slice itself (deterministic for tests).
    pub fn new(session: Session, settings: Settings) -> GlassboxApp {
        let dock = settings.dock.clone().unwrap_or_else(default_dock);
        let mut session = session;
        session.speed = settings.speed;
        GlassboxApp {
            shared: Shared::new(session),
            worker: None,
            settings,
            dock,
            commands: Vec::new(),
            browser: Browser::default(),
            sim_end: None,
            meter: Meter::default(),
            scrubber: Default::default(),
            state_files: Default::default(),
            pending_edits: Vec::new(),
            confirmed_edits: Vec::new(),
            title: String::new(),
            compare: None,
            chooser: Default::default(),
            devices_shown: false,
        }
    }

    /// Runs the machine at full speed on a worker thread from now on, so
    /// drawing and simulating overlap.
    pub fn with_worker(mut self) -> GlassboxApp {
        self.worker = Some(Worker::spawn(self.shared.clone()));
        self
    }

    /// The session, locked (the worker waits at its next check).
    pub fn session(&self) -> MutexGuard<'_, Session> {
        self.shared.lock_for_frame()
    }

    /// Builds the app for eframe, restoring saved settings.
    pub fn from_creation(cc: &eframe::CreationContext, session: Session) -> GlassboxApp {
        let settings: Settings = cc
            .storage
            .and_then(|s| eframe::get_value(s, SETTINGS_KEY))
            .unwrap_or_default();
        GlassboxApp::new(session, settings).with_worker()
    }

    /// Shows the built-in file browser at `dir`.
    pub fn show_browser(&mut self, dir: PathBuf) {
        self.browser.show_at(dir);
    }

    pub fn push(&mut self, cmd: Command) {
        self.commands.push(cmd);
    }

    fn open_dialog(&mut self, session: &Session) {
        let start = session
            .program_path
            .as_ref()
            .and_then(|p| p.parent().map(|d| d.to_path_buf()))
            .unwrap_or_else(|| std::env::current_dir().unwrap_or_default());
        match files::native_open(&start) {
            Ok(Some(path)) => self.open_path(path),
            Ok(None) => {}
            Err(files::NoNativeDialog) => self.browser.show_at(start),
        }
    }

    fn open_path(&mut self, path: PathBuf) {
        self.commands.push(Command::Open(path.clone()));
        self.settings.recent.retain(|p| *p != path);
        self.settings.recent.insert(0, path);
        self.settings.recent.truncate(MAX_RECENT);
    }

    fn shortcuts(&mut self, ctx: &egui::Context, session: &Session) {
        let running = session.running;
        ctx.input_mut(|i| {
            // Before the unshifted keys, which match with Shift held too.
            if i.consume_shortcut(&BACK_CYCLE.0) && !running {
                self.commands.push(Command::StepBackCycle);
            }
            if i.consume_shortcut(&BACK_INSTR.0) && !running {
                self.commands.push(Command::StepBackInstruction);
            }
            if i.consume_shortcut(&REVERSE_RUN.0) && !running {
                self.commands.push(Command::ReverseRun);
            }
            if i.consume_shortcut(&STEP_CYCLE.0) && !running {
                self.commands.push(Command::StepCycle);
            }
            if i.consume_shortcut(&STEP_INSTR.0) && !running {
                self.commands.push(Command::StepInstruction);
            }
            if i.consume_shortcut(&RUN_PAUSE.0) {
                self.commands.push(if running {
                    Command::Pause
                } else {
                    Command::Run
                });
            }
            if i.consume_shortcut(&RESET.0) {
                self.commands.push(Command::Reset);
            }
            if i.consume_shortcut(&RUN_N.0) && !running {
                self.commands.push(Command::RunCycles(self.settings.run_n));
            }
        });
        if ctx.input_mut(|i| i.consume_shortcut(&OPEN.0)) {
            self.open_dialog(session);
        }
    }

    fn menu_bar(&mut self, ui: &mut egui::Ui, session: &Session) {
        let ctx = ui.ctx().clone();
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                if ui
                    .add(egui::Button::new("Open…").shortcut_text(OPEN.text(&ctx)))
                    .clicked()
                {
                    ui.close();
                    self.open_dialog(session);
                }
                if ui.button("Open with the built-in browser…").clicked() {
                    ui.close();
                    let dir = std::env::current_dir().unwrap_or_default();
                    self.browser.show_at(dir);
                }
                ui.menu_button("Recent", |ui| {
                    if self.settings.recent.is_empty() {
                        ui.label("(none yet)");
                    }
                    for p in self.settings.recent.clone() {
                        if ui.button(p.display().to_string()).clicked() {
                            ui.close();
                            self.open_path(p);
                        }
                    }
                });
                ui.menu_button("Examples", |ui| {
                    for (name, text) in super::EXAMPLES {
                        if ui.button(*name).clicked() {
                            ui.close();
                            self.commands.push(Command::Assemble {
                                name: name.to_string(),
                                source: text.to_string(),
                            });
                        }
                    }
                });
                ui.separator();
                let dir = session
                    .program_path
                    .as_ref()
                    .and_then(|p| p.parent().map(|d| d.to_path_buf()))
                    .unwrap_or_else(|| std::env::current_dir().unwrap_or_default());
                use super::state_files::Action;
                if ui
                    .button("Save state…")
                    .on_hover_text(
                        "write the whole session (configuration, program, machine at this \
                         cycle, breakpoints, console) to a file",
                    )
                    .clicked()
                {
                    ui.close();
                    self.state_files.ask(Action::Save, &dir, &mut self.commands);
                }
                if ui
                    .button("Load state…")
                    .on_hover_text("replace the session with a saved one")
                    .clicked()
                {
                    ui.close();
                    self.state_files.ask(Action::Load, &dir, &mut self.commands);
                }
                ui.separator();
                if ui.button("Built-in demo").clicked() {
                    ui.close();
                    self.commands.push(Command::OpenBytes(
                        "fibonacci.elf".into(),
                        crate::demo::DEMO_ROM.to_vec(),
                    ));
                }
            });
            ui.menu_button("Run", |ui| {
                let running = session.running;
                let item = |ui: &mut egui::Ui, text: &str, sc: &Shortcut, enabled: bool| {
                    ui.add_enabled(
                        enabled,
                        egui::Button::new(text).shortcut_text(sc.text(&ctx)),
                    )
                    .clicked()
                };
                if item(ui, "Step one cycle", &STEP_CYCLE, !running) {
                    self.commands.push(Command::StepCycle);
                }
                if item(ui, "Step one instruction", &STEP_INSTR, !running) {
                    self.commands.push(Command::StepInstruction);
                }
                let at_start = session.machine().cycle <= session.timeline().start();
                ui.separator();
                if item(
                    ui,
                    "Step back one cycle",
                    &BACK_CYCLE,
                    !running && !at_start,
                ) {
                    self.commands.push(Command::StepBackCycle);
                }
                if item(
                    ui,
                    "Step back one instruction",
                    &BACK_INSTR,
                    !running && !at_start,
                ) {
                    self.commands.push(Command::StepBackInstruction);
                }
                if item(
                    ui,
                    "Reverse run (to the previous stop)",
                    &REVERSE_RUN,
                    !running && !at_start,
                ) {
                    self.commands.push(Command::ReverseRun);
                }
                ui.separator();
                if item(ui, if running { "Pause" } else { "Run" }, &RUN_PAUSE, true) {
                    self.commands.push(if running {
                        Command::Pause
                    } else {
                        Command::Run
                    });
                }
                if item(
                    ui,
                    &format!(
                        "Run {} cycle{}",
                        self.settings.run_n,
                        crate::pipeline::view::plural_s(self.settings.run_n)
                    ),
                    &RUN_N,
                    !running,
                ) {
                    self.commands.push(Command::RunCycles(self.settings.run_n));
                }
                if item(ui, "Reset", &RESET, true) {
                    self.commands.push(Command::Reset);
                }
            });
            ui.menu_button("Compare", |ui| {
                if ui
                    .button("Compare configurations…")
                    .on_hover_text(
                        "run this program on two to four machines side by side, stepped \
                         together",
                    )
                    .clicked()
                {
                    ui.close();
                    self.chooser.show(session);
                }
            });
            ui.menu_button("View", |ui| {
                for tab in Tab::ALL {
                    let shown = self.dock.find_tab(&tab).is_some();
                    if ui.selectable_label(shown, tab.title()).clicked() {
                        match self.dock.find_tab(&tab) {
                            Some(at) => {
                                self.dock.remove_tab(at);
                            }
                            None => self.dock.push_to_focused_leaf(tab),
                        }
                    }
                }
                ui.separator();
                if ui.button("Restore the default layout").clicked() {
                    self.dock = default_dock();
                }
                ui.separator();
                ui.checkbox(&mut self.settings.dark, "Dark theme");
                ui.horizontal(|ui| {
                    ui.label("Zoom");
                    ui.add(egui::Slider::new(&mut self.settings.zoom, 0.5..=3.0).step_by(0.1));
                });
            });
        });
    }

    fn controls(&mut self, ui: &mut egui::Ui, session: &Session) {
        let ctx = ui.ctx().clone();
        let running = session.running;
        ui.horizontal_wrapped(|ui| {
            let b = |ui: &mut egui::Ui, text: &str, tip: String, enabled: bool| {
                ui.add_enabled(enabled, egui::Button::new(text))
                    .on_hover_text(tip)
                    .clicked()
            };
            if b(ui, "⟲ Reset", format!("Reset ({})", RESET.text(&ctx)), true) {
                self.commands.push(Command::Reset);
            }
            let back = !running && session.machine().cycle > session.timeline().start();
            if b(
                ui,
                "◀◀ Reverse",
                format!(
                    "Run backwards to the previous stop, or to reset ({})",
                    REVERSE_RUN.text(&ctx)
                ),
                back,
            ) {
                self.commands.push(Command::ReverseRun);
            }
            if b(
                ui,
                "◀ Back instr",
                format!(
                    "Step back one instruction: to the state just before the last \
                     retired instruction retired ({})",
                    BACK_INSTR.text(&ctx)
                ),
                back,
            ) {
                self.commands.push(Command::StepBackInstruction);
            }
            if b(
                ui,
                "◀ Back cycle",
                format!("Step back one cycle ({})", BACK_CYCLE.text(&ctx)),
                back,
            ) {
                self.commands.push(Command::StepBackCycle);
            }
            if b(
                ui,
                "Step cycle",
                format!("Step one cycle ({})", STEP_CYCLE.text(&ctx)),
                !running,
            ) {
                self.commands.push(Command::StepCycle);
            }
            if b(
                ui,
                "Step instr",
                format!("Step one instruction ({})", STEP_INSTR.text(&ctx)),
                !running,
            ) {
                self.commands.push(Command::StepInstruction);
            }
            let label = if running { "⏸ Pause" } else { "▶ Run" };
            if b(
                ui,
                label,
                format!("Run or pause ({})", RUN_PAUSE.text(&ctx)),
                true,
            ) {
                self.commands.push(if running {
                    Command::Pause
                } else {
                    Command::Run
                });
            }
            ui.add(
                egui::DragValue::new(&mut self.settings.run_n)
                    .range(1..=1_000_000_000)
                    .prefix("N = "),
            );
            if b(
                ui,
                "Run N",
                format!("Run N cycles ({})", RUN_N.text(&ctx)),
                !running,
            ) {
                self.commands.push(Command::RunCycles(self.settings.run_n));
            }
            ui.separator();
            ui.label("Speed");
            let mut full = matches!(self.settings.speed, Speed::Full);
            let mut rate = match self.settings.speed {
                Speed::PerSecond(r) => r,
                Speed::Full => 10.0,
            };
            let mut changed = ui.checkbox(&mut full, "full").changed();
            if !full {
                changed |= ui
                    .add(
                        egui::Slider::new(&mut rate, 1.0..=10_000.0)
                            .logarithmic(true)
                            .suffix(" cycles/s"),
                    )
                    .changed();
            }
            if changed {
                self.settings.speed = if full {
                    Speed::Full
                } else {
                    Speed::PerSecond(rate)
                };
                self.commands.push(Command::SetSpeed(self.settings.speed));
            }
        });
    }

    fn status(&self, ui: &mut egui::Ui, s: &Session) {
        let m = &s.machine();
        ui.horizontal_wrapped(|ui| {
            ui.monospace(format!("cycle {}", m.cycle));
            ui.separator();
            ui.monospace(format!("instret {}", m.instret));
            ui.separator();
            ui.label(&s.program_name);
            ui.separator();
            ui.label(format!("config: {}", s.config_label))
                .on_hover_text("the machine's configuration (see the Configuration view)");
            ui.separator();
            let state = if s.running {
                match self.meter.rates() {
                    Some((fps, r)) if r >= 1e6 => {
                        format!("running, {:.1} M cycles/s, {fps:.0} fps", r / 1e6)
                    }
                    Some((fps, r)) => format!("running, {r:.0} cycles/s, {fps:.0} fps"),
                    None => "running".to_string(),
                }
            } else {
                s.last_stop
                    .clone()
                    .unwrap_or_else(|| "ready at reset".into())
            };
            ui.label(state);
            theme::legend(ui, &palette(self.settings.dark));
        });
        if let Some(e) = &s.error {
            ui.colored_label(palette(self.settings.dark).flush, e);
        }
    }

    /// The whole window; `eframe::App::ui` and the tests call this. The
    /// session stays locked while the frame is built; the worker runs on
    /// while egui tessellates and the renderer paints.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        if self.compare.is_some() {
            return self.show_compare(ui);
        }
        let frame_start = Instant::now();
        let shared = self.shared.clone();
        let mut session = shared.lock_for_frame();
        self.meter.frame(session.running, session.machine().cycle);
        let ctx = ui.ctx().clone();
        ctx.set_visuals(if self.settings.dark {
            egui::Visuals::dark()
        } else {
            egui::Visuals::light()
        });
        ctx.set_zoom_factor(self.settings.zoom);
        self.shortcuts(&ctx, &session);
        // Files dropped on the window.
        let dropped = ctx.input(|i| i.raw.dropped_files.clone());
        for f in dropped {
            self.open_path(f.path().to_path_buf());
        }
        if let Some(p) = self.browser.ui(&ctx) {
            self.open_path(p);
        }
        self.state_files.ui(&ctx, &mut self.commands);
        if let Some(choices) = self.chooser.ui(&ctx, &session) {
            self.enter_compare(&mut session, &choices);
        }
        egui::Panel::top("menu").show(ui, |ui| self.menu_bar(ui, &session));
        egui::Panel::top("controls").show(ui, |ui| self.controls(ui, &session));
        let pal = palette(self.settings.dark);
        egui::Panel::top("timeline").show(ui, |ui| {
            views::timeline::ui(ui, &session, &mut self.commands, &mut self.scrubber, &pal)
        });
        self.confirm_past_edits(&ctx, &session);
        egui::Panel::bottom("status").show(ui, |ui| self.status(ui, &session));
        let main_surface = self.dock.main_surface().iter().flat_map(|n| n.iter_tabs());
        let mut viewer = Viewer {
            session: &session,
            commands: &mut self.commands,
            palette: palette(self.settings.dark),
            options: &mut self.settings.views,
            docked: main_surface.copied().collect(),
        };
        DockArea::new(&mut self.dock)
            .style(Style::from_egui(ui.style().as_ref()))
            .show_inside(ui, &mut viewer);
        // One point per frame where the machine changes.
        let confirmed = std::mem::take(&mut self.confirmed_edits);
        let commands = std::mem::take(&mut self.commands);
        let changed = !confirmed.is_empty() || !commands.is_empty();
        for cmd in confirmed {
            session.apply(cmd);
        }
        for cmd in commands {
            if matches!(
                cmd,
                Command::Open(_)
                    | Command::OpenBytes(..)
                    | Command::Assemble { .. }
                    | Command::LoadState(_)
            ) {
                self.devices_shown = false;
            }
            // An edit in the past waits for the user's answer (and any edit
            // after it, to keep their order).
            if is_edit(&cmd) && (session.in_past() || !self.pending_edits.is_empty()) {
                self.pending_edits.push(cmd);
            } else {
                session.apply(cmd);
            }
        }
        if !self.devices_shown && views::devices::in_use(session.machine().devices()) {
            self.devices_shown = true;
            match self.dock.find_tab(&Tab::Devices) {
                Some(at) => {
                    let _ = self.dock.set_active_tab(at);
                }
                None => self.dock.push_to_focused_leaf(Tab::Devices),
            }
        }
        // Slow speeds step here; full speed is the worker's, if there is one.
        if self.worker.is_none() || session.speed != Speed::Full {
            // The time since the last simulation slice ended went to drawing.
            let drawing = self.sim_end.map_or(Duration::ZERO, |t| t.elapsed());
            session.tick(drawing.clamp(FRAME_BUDGET, MAX_FRAME_BUDGET));
            self.sim_end = Some(Instant::now());
        }
        if changed || (session.running && self.worker.is_none()) {
            // Show the new state in the next frame.
            ctx.request_repaint();
        } else if session.running {
            // Paced: a frame more than the eye needs costs the worker CPU.
            // egui shortens the delay by its predicted frame time.
            let predicted = Duration::from_secs_f32(ctx.input(|i| i.predicted_dt));
            let wait = MIN_FRAME_INTERVAL.saturating_sub(frame_start.elapsed());
            ctx.request_repaint_after(wait + predicted);
        }
        let title = format!(
            "{} · {} · Glassbox",
            session.program_name, session.config_label
        );
        shared.end_frame(session);
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }

    /// The window's title: the program and the configuration.
    pub fn window_title(&self) -> String {
        let s = self.session();
        format!("{} · {} · Glassbox", s.program_name, s.config_label)
    }

    /// Asks before an edit in the past drops the recorded future.
    fn confirm_past_edits(&mut self, ctx: &egui::Context, session: &Session) {
        if self.pending_edits.is_empty() {
            return;
        }
        let (now, future) = (session.machine().cycle, session.future_cycles());
        let mut answer = None;
        egui::Modal::new(egui::Id::new("glassbox-past-edit")).show(ctx, |ui| {
            ui.heading("Edit the past?");
            ui.label(format!(
                "The machine is at cycle {now}, in the past. This edit drops {future} cycle{} \
                 of recorded future (up to cycle {}); the edited state becomes the new present.",
                if future == 1 { "" } else { "s" },
                now + future,
            ));
            ui.horizontal(|ui| {
                if ui.button("Edit and drop the future").clicked() {
                    answer = Some(true);
                }
                if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                    answer = Some(false);
                }
            });
        });
        match answer {
            Some(true) => self.confirmed_edits = std::mem::take(&mut self.pending_edits),
            Some(false) => self.pending_edits.clear(),
            None => {}
        }
    }

    /// Settings as they should be saved now.
    pub fn settings_to_save(&self) -> Settings {
        let mut s = Settings {
            dock: Some(self.dock.clone()),
            speed: self.shared.lock_for_frame().speed,
            ..self.settings.clone()
        };
        if let Some(c) = &self.compare {
            c.save_into(&mut s.compare);
        }
        s
    }
}

/// Commands that change the machine's state at the current cycle: in the
/// past, they drop the recorded future.
fn is_edit(cmd: &Command) -> bool {
    matches!(
        cmd,
        Command::SetRegister(..)
            | Command::SetPc(_)
            | Command::SetCsr(..)
            | Command::PokeByte(..)
            | Command::PushInput(_)
            | Command::Key(..)
            | Command::SetButtons(_)
            | Command::SetSwitches(_)
            | Command::CloseInput
    )
}

struct Viewer<'a> {
    session: &'a Session,
    commands: &'a mut Vec<Command>,
    palette: theme::Palette,
    options: &'a mut ViewOptions,
    /// Tabs in the main surface (not in floating windows).
    docked: Vec<Tab>,
}

impl TabViewer for Viewer<'_> {
    type Tab = Tab;

    fn title(&mut self, tab: &mut Tab) -> egui::WidgetText {
        match tab {
            // The editor's file, `*` marking unsaved changes; synced first,
            // so that it names the program opened while it was hidden.
            Tab::Editor => {
                self.options.editor.sync(self.session);
                format!("Editor: {}", self.options.editor.display_name()).into()
            }
            _ => tab.title().into(),
        }
    }

    fn id(&mut self, tab: &mut Tab) -> egui::Id {
        egui::Id::new(("glassbox-tab", *tab))
    }

    /// Docked tabs lie on the window's clear colour, which is their
    /// background colour: filling them again would double the pixels a
    /// software renderer shades per frame.
    fn clear_background(&self, tab: &Tab) -> bool {
        !self.docked.contains(tab)
    }

    fn ui(&mut self, ui: &mut egui::Ui, tab: &mut Tab) {
        let mut ctx = Ctx {
            session: self.session,
            commands: self.commands,
            palette: self.palette,
            options: self.options,
        };
        views::show(*tab, ui, &mut ctx);
    }
}

impl eframe::App for GlassboxApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn clear_color(&self, visuals: &egui::Visuals) -> [f32; 4] {
        // The docked tabs' background (see `Viewer::clear_background`).
        visuals.window_fill().to_normalized_gamma_f32()
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, SETTINGS_KEY, &self.settings_to_save());
    }
}

/// Opens the window on `session`.
pub fn run(session: Session) -> Result<(), String> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Glassbox")
            .with_inner_size([1400.0, 900.0])
            .with_drag_and_drop(true),
        // egui draws no gradients that band; dithering only costs shader
        // time (much of a frame under software rendering).
        dithering: false,
        ..Default::default()
    };
    eframe::run_native(
        "Glassbox",
        options,
        Box::new(move |cc| Ok(Box::new(GlassboxApp::from_creation(cc, session)))),
    )
    .map_err(|e| e.to_string())
}
