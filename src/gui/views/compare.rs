//! Compare mode's own views: the dialog that chooses the configurations,
//! the heading of each machine's views, the comparison table with bars,
//! and the alignment of the machines' pipeline charts by instruction.

use crate::config::{ConfigName, MachineConfig, PRESETS, Part, preset_with_part, presets_for};
use crate::gui::compare::{Choice, Compare, MAX_MACHINES, StateCheck};
use crate::gui::session::Session;
use crate::gui::theme::Palette;
use crate::pipeline::record::Stage;
use crate::pipeline::trace::{CellState, ChartRecorder};
use crate::words::plural;
use std::collections::BTreeSet;

/// One machine's configuration in the chooser: a base (the window's
/// configuration now, or a whole preset) and, on top of it, the core,
/// predictor and memory chosen independently (issue #15 item 7), so a
/// comparison can change one thing and keep the rest.
#[derive(Clone, Debug, PartialEq)]
pub struct Slot {
    /// Starts from the configuration of the machine shown now (as edited
    /// in the Configuration view and applied); else from `name.base`.
    pub current: bool,
    /// The base preset (when not `current`) and the parts replaced.
    pub name: ConfigName,
}

impl Slot {
    /// The window's configuration as it is.
    pub fn current() -> Slot {
        Slot {
            current: true,
            name: ConfigName::default(),
        }
    }

    /// A whole preset.
    pub fn preset(name: &str) -> Slot {
        Slot {
            current: false,
            name: ConfigName::base(name),
        }
    }

    /// The configuration the parts are chosen on top of, and its name.
    fn base(&self, session: &Session) -> Result<(MachineConfig, ConfigName), String> {
        if self.current {
            return Ok((session.config.clone(), session.config_name.0.clone()));
        }
        MachineConfig::preset(&self.name.base)
            .map(|c| (c, ConfigName::base(self.name.base.clone())))
            .ok_or_else(|| format!("no preset named \"{}\"", self.name.base))
    }

    /// The configuration this slot names, and the name it goes by.
    pub fn choice(&self, session: &Session) -> Result<Choice, String> {
        let (mut config, mut name) = self.base(session)?;
        let mut replaced = false;
        for part in Part::ALL {
            if let Some(p) = self.name.part(part) {
                let from = MachineConfig::preset(p)
                    .ok_or_else(|| format!("no {} preset named \"{p}\"", part.name()))?;
                part.copy(&from, &mut config);
                name.set_part(part, Some(p.to_string()));
                replaced = true;
            }
        }
        let named = if !replaced && self.current {
            // Unchanged: keep what the window calls it (a file, edits).
            session.config_name.1.clone()
        } else {
            name.resolve().unwrap_or_else(|_| config.clone())
        };
        Ok(Choice {
            config,
            name: (name, named),
        })
    }

    /// The label the machine will have: `ConfigName`'s label.
    pub fn label(&self, session: &Session) -> String {
        match self.choice(session) {
            Ok(c) => choice_label(&c),
            Err(e) => e,
        }
    }

    /// Replaces `part` with preset `p`'s; a part equal to the base's
    /// needs no name.
    fn set_part(&mut self, session: &Session, part: Part, p: &str) {
        let same = match (self.base(session), MachineConfig::preset(p)) {
            (Ok((base, _)), Some(from)) => part.same(&from, &base),
            _ => false,
        };
        self.name.set_part(part, (!same).then(|| p.to_string()));
    }

    /// What machine 2 is by default: the window's configuration with
    /// only the core changed (no forwarding, or else the first other core
    /// preset), so the comparison shows the core's effect and nothing
    /// else (a whole preset would also change the caches).
    pub fn other_core(session: &Session) -> Slot {
        let mut slot = Slot::current();
        let core = std::iter::once("no-forwarding")
            .chain(presets_for(Part::Core))
            .find(|p| {
                MachineConfig::preset(p).is_some_and(|c| !Part::Core.same(&c, &session.config))
            });
        if let Some(p) = core {
            slot.name.set_part(Part::Core, Some(p.to_string()));
        }
        slot
    }
}

/// The "Compare configurations" dialog.
#[derive(Debug, Default)]
pub struct Chooser {
    pub open: bool,
    pub slots: Vec<Slot>,
    /// Why the last attempt failed.
    pub error: Option<String>,
}

impl Chooser {
    /// Opens the dialog: the machine shown now and the same with another
    /// core, unless an earlier choice is kept.
    pub fn show(&mut self, session: &Session) {
        self.open = true;
        self.error = None;
        if self.slots.len() < 2 {
            self.slots = vec![Slot::current(), Slot::other_core(session)];
        }
    }

    /// The configurations the slots name.
    pub fn choices(&self, session: &Session) -> Result<Vec<Choice>, String> {
        self.slots
            .iter()
            .enumerate()
            .map(|(i, s)| {
                s.choice(session)
                    .map_err(|e| format!("machine {}: {e}", i + 1))
            })
            .collect()
    }

    /// The dialog; returns the choices when the user asks to compare.
    pub fn ui(&mut self, ctx: &egui::Context, session: &Session) -> Option<Vec<Choice>> {
        if !self.open {
            return None;
        }
        let mut go = None;
        let mut open = true;
        egui::Window::new("Compare configurations")
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .show(ctx, |ui| {
                ui.label(format!(
                    "Run {} on two to {MAX_MACHINES} machines side by side. One set of \
                     controls steps them all, by instruction or by cycle. Pick a whole \
                     configuration, then change its core, predictor or memory alone.",
                    session.program_name
                ));
                let this = format!("this machine: {}", session.config_label);
                let mut remove = None;
                for (i, slot) in self.slots.iter_mut().enumerate() {
                    ui.separator();
                    ui.horizontal(|ui| {
                        ui.strong(format!("machine {}: {}", i + 1, slot.label(session)));
                        if i >= 2 && ui.small_button("✖").on_hover_text("remove").clicked() {
                            remove = Some(i);
                        }
                    });
                    ui.horizontal(|ui| {
                        slot_row(ui, i, slot, session, &this);
                    });
                }
                if let Some(i) = remove {
                    self.slots.remove(i);
                }
                ui.separator();
                ui.horizontal(|ui| {
                    if ui
                        .add_enabled(
                            self.slots.len() < MAX_MACHINES,
                            egui::Button::new("Add a machine"),
                        )
                        .clicked()
                    {
                        self.slots.push(Slot::preset("default"));
                    }
                    if ui.button("Compare").clicked() {
                        match self.choices(session) {
                            Ok(c) => go = Some(c),
                            Err(e) => self.error = Some(e),
                        }
                    }
                });
                if let Some(e) = &self.error {
                    ui.colored_label(ui.visuals().error_fg_color, e);
                }
            });
        if !open {
            self.open = false;
        }
        go
    }
}

/// One machine's choices: the base, then the core, predictor and memory,
/// as the Configuration view offers them.
fn slot_row(ui: &mut egui::Ui, i: usize, slot: &mut Slot, session: &Session, this: &str) {
    let base = if slot.current {
        this.to_string()
    } else {
        slot.name.base.clone()
    };
    // Extend: the window sizes itself to the row, so the whole
    // configuration name shows instead of a clipped one.
    egui::ComboBox::from_id_salt(("compare-slot", i))
        .wrap_mode(egui::TextWrapMode::Extend)
        .selected_text(base)
        .show_ui(ui, |ui| {
            if ui
                .selectable_label(slot.current, this)
                .on_hover_text(
                    "the configuration the window runs now, with any edits applied in the \
                     Configuration view",
                )
                .clicked()
            {
                *slot = Slot::current();
            }
            for (p, _) in PRESETS {
                let on = !slot.current && slot.name.base == *p;
                if ui.selectable_label(on, *p).clicked() {
                    *slot = Slot::preset(p);
                }
            }
        })
        .response
        .on_hover_text("a whole configuration: core, predictor and memory");
    let config = slot.choice(session).map(|c| c.config).ok();
    for part in Part::ALL {
        let now = config.as_ref().and_then(|c| preset_with_part(part, c));
        ui.label(part.name());
        egui::ComboBox::from_id_salt(("compare-part", i, part.name()))
            .wrap_mode(egui::TextWrapMode::Extend)
            .selected_text(now.unwrap_or("custom"))
            .show_ui(ui, |ui| {
                for p in presets_for(part) {
                    if ui.selectable_label(now == Some(p), p).clicked() {
                        slot.set_part(session, part, p);
                    }
                }
            });
    }
}

/// The heading of one machine's view: its number and configuration, where
/// it is, and whether it has focus (its registers, memory, ... are shown).
/// Returns true when clicked (to give it focus).
pub fn heading(ui: &mut egui::Ui, g: &Compare, i: usize, p: &Palette) -> bool {
    let m = g.member(i).machine();
    let focused = g.focus == i;
    let mut clicked = false;
    ui.horizontal_wrapped(|ui| {
        let name = egui::RichText::new(format!("machine {}: {}", i + 1, g.label(i))).strong();
        let name = if focused { name.color(p.current) } else { name };
        clicked |= ui
            .add(egui::Label::new(name).sense(egui::Sense::click()))
            .on_hover_text("click to give this machine focus")
            .clicked();
        ui.monospace(format!("cycle {} · instret {}", m.cycle, m.instret));
        if focused {
            ui.weak("(focus)");
        } else if ui.small_button("focus").clicked() {
            clicked = true;
        }
    });
    ui.separator();
    clicked
}

/// Where each chart row goes: a key per row that is the same for the
/// same instruction in every machine's chart. Retired instructions (and
/// those still in flight, in order) are keyed by their place in the
/// retired-instruction stream; instructions flushed before the k-th
/// retirement are keyed after the (k-1)-th, in fetch order.
fn row_keys(chart: &ChartRecorder, instret: u64) -> Vec<((u64, u64), u64)> {
    let rows: Vec<_> = chart.rows().collect();
    let retired = |r: &crate::pipeline::trace::ChartRow| {
        r.cells()
            .any(|(_, stage, state)| stage == Stage::Wb && state == CellState::Ran)
    };
    let flushed = |r: &crate::pipeline::trace::ChartRow| {
        r.cells().any(|(_, _, state)| state == CellState::Flushed)
    };
    let total = rows.iter().filter(|r| retired(r)).count() as u64;
    let mut next = instret.saturating_sub(total);
    let mut sub = 0;
    let mut keys = Vec::with_capacity(rows.len());
    for r in &rows {
        if flushed(r) && !retired(r) {
            keys.push(((next, sub), r.seq));
            sub += 1;
        } else {
            keys.push(((next, u64::MAX), r.seq));
            next += 1;
            sub = 0;
        }
    }
    keys
}

/// The rows of every machine's chart, aligned: `rows[i][r]` is the fetch
/// sequence number of the instruction machine `i` shows on row `r`, or
/// `None` for a blank row. The same retired instruction is on the same
/// row in every chart.
pub fn align(charts: &[(&ChartRecorder, u64)]) -> Vec<Vec<Option<u64>>> {
    let keys: Vec<_> = charts.iter().map(|(c, n)| row_keys(c, *n)).collect();
    let all: BTreeSet<(u64, u64)> = keys.iter().flatten().map(|(k, _)| *k).collect();
    let slots: Vec<(u64, u64)> = all.into_iter().collect();
    keys.iter()
        .map(|ks| {
            let mut rows = vec![None; slots.len()];
            for (k, seq) in ks {
                if let Ok(r) = slots.binary_search(k) {
                    rows[r] = Some(*seq);
                }
            }
            rows
        })
        .collect()
}

/// The aligned rows of a compare group's charts.
pub fn align_group(g: &Compare) -> Vec<Vec<Option<u64>>> {
    let charts: Vec<_> = (0..g.len())
        .map(|i| (&g.member(i).chart, g.member(i).machine().instret))
        .collect();
    align(&charts)
}

/// A name for a configuration file chosen in the dialog.
pub fn choice_label(c: &Choice) -> String {
    let (name, named): &(ConfigName, MachineConfig) = &c.name;
    name.label_for(named, &c.config)
}

/// Width of a full bar in the comparison table.
const BAR_WIDTH: f32 = 90.0;

/// The comparison table: a row per figure, a column per machine, each
/// value with a bar (its share of the row's largest). Machine 1 is the
/// speed-up's reference.
pub fn table(ui: &mut egui::Ui, g: &Compare, p: &Palette) {
    let c = g.comparison();
    // The default layout gives the table a narrow tab, where the headings
    // of later columns are past its edge: a wrapped legend names every
    // machine in full.
    let legend: Vec<String> = c
        .labels
        .iter()
        .enumerate()
        .map(|(i, l)| format!("{} = {l}", i + 1))
        .collect();
    ui.add(egui::Label::new(format!("machines: {}", legend.join("; "))).wrap());
    for (text, differs) in state_lines(g) {
        let text = egui::RichText::new(text);
        let text = if differs { text.color(p.flush) } else { text };
        ui.add(egui::Label::new(text).wrap());
    }
    egui::ScrollArea::both()
        .id_salt("compare-table-scroll")
        .show(ui, |ui| {
            egui::Grid::new("compare-table")
                .striped(true)
                .num_columns(1 + c.labels.len())
                .spacing([14.0, 3.0])
                .show(ui, |ui| {
                    ui.label("");
                    // Extend: the heading sets its column's width, so the
                    // whole name shows when scrolled to; a tooltip names it
                    // too.
                    for (i, l) in c.labels.iter().enumerate() {
                        ui.add(
                            egui::Label::new(
                                egui::RichText::new(format!("{}: {l}", i + 1)).strong(),
                            )
                            .wrap_mode(egui::TextWrapMode::Extend),
                        )
                        .on_hover_text(format!("machine {}: {l}", i + 1));
                    }
                    ui.end_row();
                    for row in &c.rows {
                        ui.label(row.title).on_hover_text(format!(
                            "{} ({})",
                            if row.stat == "speedup" {
                                "machine 1's cycles over this machine's"
                            } else {
                                row.stat
                            },
                            row.unit
                        ));
                        for (i, share) in row.bars().into_iter().enumerate() {
                            ui.horizontal(|ui| {
                                bar(ui, share, p.current);
                                ui.monospace(row.text(i));
                            });
                        }
                        ui.end_row();
                    }
                });
        });
}

/// What the comparison view says of the machines' architectural state,
/// line by line, and whether each line reports a difference.
pub fn state_lines(g: &Compare) -> Vec<(String, bool)> {
    match g.state_check() {
        StateCheck::Running => vec![(
            "pc and registers are compared when the machines pause".into(),
            false,
        )],
        StateCheck::Uneven => vec![(
            "pc and registers are compared when every machine has retired as many \
             instructions as machine 1 (step or run by instruction)"
                .into(),
            false,
        )],
        StateCheck::Level {
            instret,
            differences,
        } => {
            let after = format!("after {}", plural(instret, "instruction"));
            let differing: Vec<(String, bool)> = differences
                .iter()
                .enumerate()
                .filter_map(|(i, d)| {
                    let d = d.as_ref()?;
                    Some((
                        format!(
                            "{after}, machine {} ({}) computed differently from machine 1: {d}",
                            i + 1,
                            g.label(i)
                        ),
                        true,
                    ))
                })
                .collect();
            if differing.is_empty() {
                vec![(
                    format!("{after}, every machine has the same pc and registers"),
                    false,
                )]
            } else {
                differing
            }
        }
    }
}

/// A bar `share` (0..=1) of `BAR_WIDTH` long.
fn bar(ui: &mut egui::Ui, share: f64, colour: egui::Color32) {
    let h = ui.text_style_height(&egui::TextStyle::Monospace) * 0.7;
    let (rect, _) = ui.allocate_exact_size(egui::vec2(BAR_WIDTH, h), egui::Sense::hover());
    let painter = ui.painter();
    painter.rect_filled(rect, 1.0, ui.visuals().faint_bg_color);
    let w = BAR_WIDTH * share.clamp(0.0, 1.0) as f32;
    if w > 0.0 {
        let filled = egui::Rect::from_min_size(rect.min, egui::vec2(w, h));
        painter.rect_filled(filled, 1.0, colour.gamma_multiply(0.8));
    }
}
