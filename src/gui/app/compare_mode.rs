//! Compare mode in the window: the machines' own views (pipeline, chart,
//! caches, statistics) side by side, the shared views (registers, memory,
//! breakpoints, ...) on the machine with focus, the comparison table, one
//! set of controls, and a status that says which machine stopped and why.
//! The group runs on its own worker thread at full speed, exactly as one
//! session does (`gui::runner`); the session waits, paused, meanwhile.

use super::{FRAME_BUDGET, GlassboxApp, MAX_FRAME_BUDGET, MIN_FRAME_INTERVAL, is_edit};
use crate::gui::compare::{Choice, Compare, Lockstep};
use crate::gui::runner::{Shared, Worker};
use crate::gui::session::{Command, Session, Speed};
use crate::gui::theme::{self, Palette, palette};
use crate::gui::views::{self, Ctx, Tab, ViewOptions, chart};
use egui_dock::{DockArea, DockState, NodeIndex, Style, TabViewer};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A dockable view of compare mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CompareTab {
    /// The table of every machine's figures, with bars.
    Comparison,
    /// One machine's own view (pipeline, chart, caches, statistics).
    Machine(usize, Tab),
    /// A view of the machine with focus (registers, memory, ...).
    Focused(Tab),
}

/// The views each machine has of its own.
pub const MACHINE_TABS: [Tab; 4] = [Tab::Chart, Tab::Pipeline, Tab::Caches, Tab::Statistics];
/// The views that show the machine with focus. (Keys, switches and
/// buttons from the Devices view go to every machine, as console input
/// does, so the machines stay comparable.)
pub const FOCUSED_TABS: [Tab; 8] = [
    Tab::Registers,
    Tab::Disassembly,
    Tab::Breakpoints,
    Tab::Memory,
    Tab::Console,
    Tab::Devices,
    Tab::Configuration,
    Tab::Editor,
];

/// What compare mode keeps across restarts.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CompareSettings {
    /// The layout, and the number of machines it was made for.
    pub dock: Option<(usize, DockState<CompareTab>)>,
    /// Each machine's view options, by position.
    pub views: Vec<ViewOptions>,
    pub lockstep: Lockstep,
}

/// The layout for `n` machines: a column per machine (its chart above
/// its pipeline, caches and statistics), so aligned charts line up; the
/// comparison and the focused machine's views on the right.
pub fn default_compare_dock(n: usize) -> DockState<CompareTab> {
    let mut dock = DockState::new(vec![CompareTab::Machine(0, Tab::Chart)]);
    let s = dock.main_surface_mut();
    let [left, right] = s.split_right(NodeIndex::root(), 0.74, vec![CompareTab::Comparison]);
    s.split_below(
        right,
        0.5,
        FOCUSED_TABS
            .iter()
            .map(|t| CompareTab::Focused(*t))
            .collect(),
    );
    let mut columns = vec![left];
    let mut last = left;
    for i in 1..n {
        let keep = 1.0 / (n - i + 1) as f32;
        let [_, new] = s.split_right(last, keep, vec![CompareTab::Machine(i, Tab::Chart)]);
        columns.push(new);
        last = new;
    }
    for (i, node) in columns.into_iter().enumerate() {
        s.split_below(
            node,
            0.55,
            MACHINE_TABS[1..]
                .iter()
                .map(|t| CompareTab::Machine(i, *t))
                .collect(),
        );
    }
    dock
}

pub struct CompareMode {
    shared: Arc<Shared<Compare>>,
    worker: Option<Worker<Compare>>,
    dock: DockState<CompareTab>,
}

impl CompareMode {
    pub fn save_into(&self, s: &mut CompareSettings) {
        let g = self.shared.lock_for_frame();
        s.dock = Some((g.len(), self.dock.clone()));
        s.lockstep = g.lockstep;
    }
}

/// What the compare controls asked for this frame.
#[derive(Default)]
struct Asked {
    lockstep: Option<Lockstep>,
    focus: Option<usize>,
    leave: bool,
    choose: bool,
}

impl GlassboxApp {
    /// The machines side by side (tests: without a worker, frames run
    /// them).
    pub fn compare(&self) -> Option<std::sync::MutexGuard<'_, Compare>> {
        self.compare.as_ref().map(|c| c.shared.lock_for_frame())
    }

    /// Opens compare mode on `session`'s program; an error stays in the
    /// dialog.
    pub fn open_compare(&mut self, choices: &[Choice]) {
        let shared = self.shared.clone();
        let mut session = shared.lock_for_frame();
        self.enter_compare(&mut session, choices);
        shared.end_frame(session);
    }

    pub(super) fn enter_compare(&mut self, session: &mut Session, choices: &[Choice]) {
        let mut g = match Compare::new(session, choices) {
            Ok(g) => g,
            Err(e) => {
                self.chooser.open = true;
                self.chooser.error = Some(e);
                return;
            }
        };
        self.chooser.open = false;
        self.chooser.error = None;
        if session.running {
            session.apply(Command::Pause);
        }
        g.lockstep = self.settings.compare.lockstep;
        g.speed = self.settings.speed;
        let n = g.len();
        let dock = match self.settings.compare.dock.clone() {
            Some((k, d)) if k == n => d,
            _ => default_compare_dock(n),
        };
        self.settings
            .compare
            .views
            .resize_with(n, || self.settings.views.clone());
        let shared = Shared::new(g);
        let worker = self.worker.is_some().then(|| Worker::spawn(shared.clone()));
        self.compare = Some(CompareMode {
            shared,
            worker,
            dock,
        });
    }

    /// Back to the one session (the machines of compare mode are dropped;
    /// the layout is kept).
    pub fn leave_compare(&mut self) {
        if let Some(c) = self.compare.take() {
            c.save_into(&mut self.settings.compare);
            drop(c);
        }
    }

    /// The window in compare mode; `show` calls this.
    pub(super) fn show_compare(&mut self, ui: &mut egui::Ui) {
        let frame_start = Instant::now();
        let Some(cm) = self.compare.as_mut() else {
            return;
        };
        let shared = cm.shared.clone();
        let has_worker = cm.worker.is_some();
        let mut dock = std::mem::replace(&mut cm.dock, DockState::new(Vec::new()));
        let mut g = shared.lock_for_frame();
        self.meter.frame(g.running, g.member(0).machine().cycle);
        let ctx = ui.ctx().clone();
        ctx.set_visuals(if self.settings.dark {
            egui::Visuals::dark()
        } else {
            egui::Visuals::light()
        });
        ctx.set_zoom_factor(self.settings.zoom);
        self.shortcuts(&ctx, g.focused());
        let pal = palette(self.settings.dark);
        let mut asked = Asked::default();
        egui::Panel::top("menu").show(ui, |ui| self.compare_menu(ui, &g, &mut dock, &mut asked));
        egui::Panel::top("controls").show(ui, |ui| {
            self.controls(ui, g.focused());
            compare_controls(ui, &g, &mut asked, &pal);
        });
        self.confirm_past_edits(&ctx, g.focused());
        egui::Panel::bottom("status").show(ui, |ui| self.compare_status(ui, &g, &pal));
        let aligned = views::compare::align_group(&g);
        let n = g.len();
        self.settings
            .compare
            .views
            .resize_with(n, || self.settings.views.clone());
        let docked: Vec<CompareTab> = dock
            .main_surface()
            .iter()
            .flat_map(|n| n.iter_tabs())
            .copied()
            .collect();
        let mut focus = None;
        let mut viewer = CompareViewer {
            g: &g,
            commands: &mut self.commands,
            palette: pal,
            views: &mut self.settings.compare.views,
            aligned: &aligned,
            focus: &mut focus,
            docked,
        };
        DockArea::new(&mut dock)
            .id(egui::Id::new("glassbox-compare-dock"))
            .style(Style::from_egui(ui.style().as_ref()))
            .show_inside(ui, &mut viewer);
        if let Some(f) = focus.or(asked.focus) {
            g.focus = f.min(n - 1);
        }
        if let Some(l) = asked.lockstep {
            g.lockstep = l;
            self.settings.compare.lockstep = l;
        }
        // One point per frame where the machines change.
        let confirmed = std::mem::take(&mut self.confirmed_edits);
        let commands = std::mem::take(&mut self.commands);
        let changed = !confirmed.is_empty() || !commands.is_empty();
        for cmd in confirmed {
            g.apply(cmd);
        }
        for cmd in commands {
            if let Command::SetSpeed(s) = cmd {
                self.settings.speed = s;
            }
            if is_edit(&cmd) && (g.focused().in_past() || !self.pending_edits.is_empty()) {
                self.pending_edits.push(cmd);
            } else {
                g.apply(cmd);
            }
        }
        if !has_worker || g.speed != Speed::Full {
            let drawing = self.sim_end.map_or(Duration::ZERO, |t| t.elapsed());
            g.tick(drawing.clamp(FRAME_BUDGET, MAX_FRAME_BUDGET));
            self.sim_end = Some(Instant::now());
        }
        if changed || (g.running && !has_worker) {
            ctx.request_repaint();
        } else if g.running {
            let predicted = Duration::from_secs_f32(ctx.input(|i| i.predicted_dt));
            let wait = MIN_FRAME_INTERVAL.saturating_sub(frame_start.elapsed());
            ctx.request_repaint_after(wait + predicted);
        }
        let labels: Vec<String> = (0..n).map(|i| g.label(i)).collect();
        let title = format!(
            "{} · compare {} · Glassbox",
            g.focused().program_name,
            labels.join(" vs ")
        );
        shared.end_frame(g);
        if let Some(cm) = self.compare.as_mut() {
            cm.dock = dock;
        }
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
        if asked.choose {
            let s = self.shared.clone();
            let session = s.lock_for_frame();
            self.chooser.show(&session);
            s.end_frame(session);
        }
        if asked.leave {
            self.leave_compare();
            ctx.request_repaint();
        }
    }

    fn compare_menu(
        &mut self,
        ui: &mut egui::Ui,
        g: &Compare,
        dock: &mut DockState<CompareTab>,
        asked: &mut Asked,
    ) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                ui.label("Programs open on every machine:");
                ui.menu_button("Examples", |ui| {
                    for (name, text) in crate::gui::EXAMPLES {
                        if ui.button(*name).clicked() {
                            ui.close();
                            self.commands.push(Command::Assemble {
                                name: name.to_string(),
                                source: text.to_string(),
                            });
                        }
                    }
                });
                if ui.button("Built-in demo").clicked() {
                    ui.close();
                    self.commands.push(Command::OpenBytes(
                        "fibonacci.elf".into(),
                        crate::demo::DEMO_ROM.to_vec(),
                    ));
                }
            });
            ui.menu_button("Compare", |ui| {
                if ui
                    .button("Leave compare mode")
                    .on_hover_text("back to one machine (the one before compare mode)")
                    .clicked()
                {
                    ui.close();
                    asked.leave = true;
                }
                if ui
                    .button("Choose other configurations…")
                    .on_hover_text("leave compare mode and choose again")
                    .clicked()
                {
                    ui.close();
                    asked.leave = true;
                    asked.choose = true;
                }
            });
            ui.menu_button("View", |ui| {
                let mut toggle = |ui: &mut egui::Ui, tab: CompareTab, title: String| {
                    let shown = dock.find_tab(&tab).is_some();
                    if ui.selectable_label(shown, title).clicked() {
                        match dock.find_tab(&tab) {
                            Some(at) => {
                                dock.remove_tab(at);
                            }
                            None => dock.push_to_focused_leaf(tab),
                        }
                    }
                };
                toggle(ui, CompareTab::Comparison, "Comparison".into());
                for i in 0..g.len() {
                    ui.menu_button(format!("machine {}: {}", i + 1, g.label(i)), |ui| {
                        for t in MACHINE_TABS {
                            toggle(ui, CompareTab::Machine(i, t), t.title().into());
                        }
                    });
                }
                ui.menu_button("machine with focus", |ui| {
                    for t in FOCUSED_TABS {
                        toggle(ui, CompareTab::Focused(t), t.title().into());
                    }
                });
                ui.separator();
                if ui.button("Restore the default layout").clicked() {
                    *dock = default_compare_dock(g.len());
                }
                ui.separator();
                ui.checkbox(&mut self.settings.dark, "Dark theme");
            });
        });
    }

    fn compare_status(&self, ui: &mut egui::Ui, g: &Compare, p: &Palette) {
        egui::Grid::new("compare-status")
            .num_columns(5)
            .spacing([16.0, 2.0])
            .show(ui, |ui| {
                for i in 0..g.len() {
                    let s = g.member(i);
                    let m = s.machine();
                    let name = egui::RichText::new(format!("machine {}: {}", i + 1, g.label(i)));
                    ui.label(if g.focus == i {
                        name.strong().color(p.current)
                    } else {
                        name
                    });
                    ui.monospace(format!("cycle {}", m.cycle));
                    ui.monospace(format!("instret {}", m.instret));
                    let cpi = if m.instret == 0 {
                        "CPI –".to_string()
                    } else {
                        format!("CPI {:.3}", m.cycle as f64 / m.instret as f64)
                    };
                    ui.monospace(cpi);
                    let state = if g.running {
                        "running".to_string()
                    } else {
                        s.last_stop
                            .clone()
                            .unwrap_or_else(|| "ready at reset".into())
                    };
                    ui.label(state);
                    ui.end_row();
                }
            });
        ui.horizontal_wrapped(|ui| {
            ui.label(format!("lockstep {}", g.lockstep.name()));
            ui.separator();
            let state = if g.running {
                match self.meter.rates() {
                    Some((fps, r)) if r >= 1e6 => {
                        format!("running, {:.1} M cycles/s each, {fps:.0} fps", r / 1e6)
                    }
                    Some((fps, r)) => format!("running, {r:.0} cycles/s each, {fps:.0} fps"),
                    None => "running".to_string(),
                }
            } else {
                g.status.clone().unwrap_or_else(|| "ready".into())
            };
            match &g.stopped {
                Some(_) if !g.running => {
                    ui.label(egui::RichText::new(format!("stopped by {state}")).strong());
                }
                _ => {
                    ui.label(state);
                }
            }
            theme::legend(ui, p);
        });
        if let Some(e) = &g.error {
            ui.colored_label(p.flush, e);
        }
    }
}

/// The compare row of the controls: lockstep and focus.
fn compare_controls(ui: &mut egui::Ui, g: &Compare, asked: &mut Asked, p: &Palette) {
    ui.horizontal_wrapped(|ui| {
        ui.label(egui::RichText::new("Compare").strong().color(p.current));
        ui.label("lockstep");
        for l in [Lockstep::Instruction, Lockstep::Cycle, Lockstep::Free] {
            let tip = match l {
                Lockstep::Instruction => {
                    "each step retires one more instruction on every machine; a run keeps \
                     the others level with machine 1"
                }
                Lockstep::Cycle => {
                    "each step is one cycle on every machine; a run keeps them \
                     at the same cycle"
                }
                Lockstep::Free => {
                    "a run lets each machine go at its own speed, with an equal share of the \
                     host's time; the first to stop pauses the others where they are"
                }
            };
            if ui
                .selectable_label(g.lockstep == l, l.name())
                .on_hover_text(tip)
                .clicked()
            {
                asked.lockstep = Some(l);
            }
        }
        ui.separator();
        ui.label("focus").on_hover_text(
            "the machine whose registers, memory, breakpoints and console the shared views show",
        );
        for i in 0..g.len() {
            if ui
                .selectable_label(g.focus == i, format!("{}: {}", i + 1, g.label(i)))
                .clicked()
            {
                asked.focus = Some(i);
            }
        }
        ui.separator();
        if ui
            .button("Leave compare mode")
            .on_hover_text("back to one machine")
            .clicked()
        {
            asked.leave = true;
        }
    });
}

struct CompareViewer<'a> {
    g: &'a Compare,
    commands: &'a mut Vec<Command>,
    palette: Palette,
    views: &'a mut Vec<ViewOptions>,
    aligned: &'a [Vec<Option<u64>>],
    /// A machine the user clicked into: it takes focus.
    focus: &'a mut Option<usize>,
    docked: Vec<CompareTab>,
}

impl TabViewer for CompareViewer<'_> {
    type Tab = CompareTab;

    fn title(&mut self, tab: &mut CompareTab) -> egui::WidgetText {
        match *tab {
            CompareTab::Comparison => "Comparison".into(),
            CompareTab::Machine(i, t) if i < self.g.len() => {
                format!("{} · {}", t.title(), self.g.label(i)).into()
            }
            CompareTab::Machine(_, t) => format!("{} · (no machine)", t.title()).into(),
            CompareTab::Focused(t) => {
                format!("{} · {} (focus)", t.title(), self.g.label(self.g.focus)).into()
            }
        }
    }

    fn id(&mut self, tab: &mut CompareTab) -> egui::Id {
        egui::Id::new(("glassbox-compare-tab", *tab))
    }

    fn clear_background(&self, tab: &CompareTab) -> bool {
        !self.docked.contains(tab)
    }

    fn ui(&mut self, ui: &mut egui::Ui, tab: &mut CompareTab) {
        let g = self.g;
        match *tab {
            CompareTab::Comparison => views::compare::table(ui, g, &self.palette),
            CompareTab::Machine(i, t) if i < g.len() => {
                if views::compare::heading(ui, g, i, &self.palette) {
                    *self.focus = Some(i);
                }
                let mut ctx = Ctx {
                    session: g.member(i),
                    commands: self.commands,
                    palette: self.palette,
                    options: &mut self.views[i],
                };
                if t == Tab::Chart {
                    chart::ui_aligned(ui, &mut ctx, self.aligned.get(i).map(|v| v.as_slice()));
                } else {
                    views::show(t, ui, &mut ctx);
                }
            }
            CompareTab::Machine(..) => {
                ui.label("This machine is not in the comparison.");
            }
            CompareTab::Focused(t) => {
                let f = g.focus.min(g.len() - 1);
                ui.label(
                    egui::RichText::new(format!("machine {}: {} (focus)", f + 1, g.label(f)))
                        .color(self.palette.current),
                );
                let mut ctx = Ctx {
                    session: g.member(f),
                    commands: self.commands,
                    palette: self.palette,
                    options: &mut self.views[f],
                };
                views::show(t, ui, &mut ctx);
            }
        }
    }
}
