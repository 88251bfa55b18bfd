//! Editing the machine: the core (model, forwarding, hazards, branches,
//! predictor, latencies), RAM and the memory hierarchy, on a working copy
//! that starts from the session's configuration. Apply rebuilds the
//! machine (the program restarts); presets and RON files load into the
//! working copy; the RON it would save is shown live.

use super::Ctx;
use crate::config::{
    BranchStage, ConfigError, ConfigName, CoreModel, MachineConfig, Misaligned, PRESETS, Part,
    PredictorConfig, preset_equal_to, preset_with_part, presets_for,
};
use crate::gui::session::Command;
use crate::memory::cache::{MAX_CACHE_SIZE, MAX_WRITE_BUFFER};
use crate::memory::{CacheConfig, Replacement, WritePolicy};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// A dialog that answers `None` faster than this was not shown at all.
const INSTANT_NONE: Duration = Duration::from_millis(300);

/// Options of this view that persist across restarts.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Options {
    /// Where "Save RON…"/"Load RON…" last went.
    pub path: String,
    /// The configuration being edited.
    #[serde(skip)]
    work: Option<MachineConfig>,
    /// The session's configuration when `work` was taken from it.
    #[serde(skip)]
    base: Option<MachineConfig>,
    /// The name `work` was chosen by (presets, parts, a file) and what
    /// that name denotes.
    #[serde(skip)]
    name: Option<(ConfigName, MachineConfig)>,
    /// `work`'s label, computed when `work` changes.
    #[serde(skip)]
    label: Option<(MachineConfig, String)>,
    /// Caches switched off in the editor, to restore when switched back on.
    #[serde(skip)]
    parked: [Option<CacheConfig>; 3],
    /// The path field is shown (the native dialog is unavailable).
    #[serde(skip)]
    path_field: Option<FileAction>,
    /// The last file operation's outcome: (is an error, text).
    #[serde(skip)]
    message: Option<(bool, String)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FileAction {
    Save,
    Load,
}

fn default_cache(i: usize) -> CacheConfig {
    if i == 2 {
        CacheConfig {
            size: 65536,
            line_size: 64,
            ways: 8,
            replacement: Replacement::Lru,
            write_policy: WritePolicy::WriteBackAllocate,
            write_buffer: 0,
            hit_latency: 10,
        }
    } else {
        CacheConfig {
            size: 4096,
            line_size: 32,
            ways: 2,
            replacement: Replacement::Lru,
            write_policy: WritePolicy::WriteBackAllocate,
            write_buffer: 0,
            hit_latency: 1,
        }
    }
}

/// The field an error names (`memory.l1d.ways`), if any.
fn bad_field(err: &ConfigError) -> Option<&str> {
    match err {
        ConfigError::Invalid { field, .. } => Some(field),
        _ => None,
    }
}

/// A row label, red when the current error names this field.
fn row_label(ui: &mut egui::Ui, text: &str, field: &str, bad: Option<&str>, hint: &str) {
    let hit = bad.is_some_and(|b| b == field || b.starts_with(&format!("{field}.")));
    let mut t = egui::RichText::new(text);
    if hit {
        t = t.color(ui.visuals().error_fg_color).strong();
    }
    let r = ui.label(t);
    if !hint.is_empty() {
        r.on_hover_text(format!("{hint}\n({field})"));
    } else {
        r.on_hover_text(field);
    }
}

/// Why a field has no effect here, from `MachineConfig::inert_fields`.
fn why<'a>(inert: &[(&str, &'a str)], field: &str) -> Option<&'a str> {
    inert
        .iter()
        .find(|(f, _)| field == *f || field.strip_prefix(f).is_some_and(|r| r.starts_with('.')))
        .map(|(_, w)| *w)
}

/// A row label for a field that may have no effect: then it is weak and
/// its tooltip says why.
fn row_label_inert(
    ui: &mut egui::Ui,
    text: &str,
    field: &str,
    bad: Option<&str>,
    hint: &str,
    why: Option<&str>,
) {
    match why {
        None => row_label(ui, text, field, bad, hint),
        Some(w) => {
            ui.label(egui::RichText::new(text).weak())
                .on_hover_text(format!("no effect here: {w}\n({field})"));
        }
    }
}

fn pow2_combo(ui: &mut egui::Ui, id: &str, value: &mut u32, from: u32, to: u32, unit: &str) {
    egui::ComboBox::from_id_salt(id)
        .selected_text(format!("{value}{unit}"))
        .show_ui(ui, |ui| {
            let mut v = from;
            while v <= to {
                ui.selectable_value(value, v, format!("{v}{unit}"));
                v *= 2;
            }
        });
}

fn human_bytes(n: u64) -> String {
    if n >= 1 << 30 && n.is_multiple_of(1 << 30) {
        format!("{} GiB", n >> 30)
    } else if n >= 1 << 20 && n.is_multiple_of(1 << 20) {
        format!("{} MiB", n >> 20)
    } else if n >= 1 << 10 && n.is_multiple_of(1 << 10) {
        format!("{} KiB", n >> 10)
    } else {
        format!("{n} B")
    }
}

pub fn ui(ui: &mut egui::Ui, ctx: &mut Ctx) {
    let session = ctx.session;
    let opts = &mut ctx.options.configuration;
    // Start from (or follow) the session's configuration: when the session
    // changed and nothing was edited, take the new one.
    let current = &session.config;
    if opts.work.as_ref() == Some(current) {
        opts.base = Some(current.clone());
    } else if opts.work.is_none() || opts.work == opts.base {
        opts.work = Some(current.clone());
        opts.base = Some(current.clone());
        opts.name = Some(session.config_name.clone());
    }
    let (mut name, mut named) = opts
        .name
        .clone()
        .unwrap_or_else(|| session.config_name.clone());
    let mut work = opts.work.take().unwrap_or_else(|| current.clone());
    let validation = work.validate();
    let bad = validation
        .as_ref()
        .err()
        .and_then(bad_field)
        .map(String::from);
    let bad = bad.as_deref();

    // Actions first, so they stay in reach.
    ui.horizontal_wrapped(|ui| {
        let changed = work != *current;
        let apply = ui.add_enabled(
            validation.is_ok(),
            egui::Button::new("Apply (resets the machine)"),
        );
        let apply = if validation.is_ok() {
            apply.on_hover_text("rebuild the machine with this configuration; the program restarts")
        } else {
            apply.on_disabled_hover_text("fix the error below first")
        };
        if apply.clicked() && work.validate().is_ok() {
            ctx.commands.push(Command::ApplyNamedConfig {
                name: name.clone(),
                named: Box::new(named.clone()),
                config: Box::new(work.clone()),
            });
            opts.message = Some((false, "applied; the machine was reset".into()));
        }
        if ui
            .add_enabled(changed, egui::Button::new("Revert"))
            .on_hover_text("back to the running machine's configuration")
            .clicked()
        {
            work = current.clone();
            opts.base = Some(current.clone());
            (name, named) = session.config_name.clone();
            opts.message = None;
        }
        if ui.button("Save RON…").clicked() {
            save_dialog(opts, &work);
        }
        if ui.button("Load RON…").clicked()
            && let Some(path) = load_dialog(opts, &mut work)
        {
            name = ConfigName::base(path);
            named = work.clone();
        }
    });
    // The choices: a whole preset, or one part at a time.
    ui.horizontal_wrapped(|ui| {
        ui.label("preset").on_hover_text(
            "a whole configuration: core, predictor and memory (see README, Machine configurations)",
        );
        let whole = preset_equal_to(&work);
        egui::ComboBox::from_id_salt("config-preset")
            .selected_text(whole.unwrap_or("—"))
            .show_ui(ui, |ui| {
                for (p, _) in PRESETS {
                    if ui.selectable_label(whole == Some(*p), *p).clicked()
                        && let Some(cfg) = MachineConfig::preset(p)
                    {
                        work = cfg.clone();
                        (name, named) = (ConfigName::base(*p), cfg);
                        opts.message =
                            Some((false, format!("preset \"{p}\" (not applied yet)")));
                    }
                }
            });
        for (part, tip) in [
            (
                Part::Core,
                "the core variant: model, forwarding, hazard unit, branch stage, latencies \
                 (keeps the predictor and the memory)",
            ),
            (Part::Predictor, "the branch predictor (keeps the rest)"),
            (
                Part::Memory,
                "the caches and main memory (keeps the core and the predictor)",
            ),
        ] {
            let now = preset_with_part(part, &work);
            // A combo box is laid out in a horizontal group of its own,
            // which the wrapping row cannot move to the next line: break
            // the row by hand when the label and its combo do not fit, or
            // the combo ends up clipped past the view's edge.
            if ui.available_size_before_wrap().x < part_width(ui, part.name(), now) {
                ui.end_row();
            } else {
                ui.separator();
            }
            ui.label(part.name()).on_hover_text(tip);
            egui::ComboBox::from_id_salt(("config-part", part.name()))
                .selected_text(now.unwrap_or("custom"))
                .show_ui(ui, |ui| {
                    for p in presets_for(part) {
                        if ui.selectable_label(now == Some(p), p).clicked()
                            && let Some(cfg) = MachineConfig::preset(p)
                        {
                            part.copy(&cfg, &mut work);
                            // The part as the base has it needs no name.
                            let keep = MachineConfig::from_file_or_preset(std::path::Path::new(
                                &name.base,
                            ))
                            .is_ok_and(|b| part.same(&b, &work));
                            name.set_part(part, (!keep).then(|| p.to_string()));
                            if let Ok(n) = name.resolve() {
                                named = n;
                            }
                            opts.message = Some((
                                false,
                                format!("{} \"{p}\" (not applied yet)", part.name()),
                            ));
                        }
                    }
                });
        }
    });
    let label = match &opts.label {
        Some((cfg, label)) if *cfg == work => label.clone(),
        _ => {
            let label = name.label_for(&named, &work);
            opts.label = Some((work.clone(), label.clone()));
            label
        }
    };
    ui.label(format!("name: {label}"));
    opts.name = Some((name, named));
    if let Some(action) = opts.path_field {
        ui.horizontal(|ui| {
            ui.label(match action {
                FileAction::Save => "save to",
                FileAction::Load => "load from",
            });
            let r = ui.add(
                egui::TextEdit::singleline(&mut opts.path)
                    .desired_width(260.0)
                    .hint_text("path/to/config.ron"),
            );
            let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            let go = ui
                .button(match action {
                    FileAction::Save => "Save",
                    FileAction::Load => "Load",
                })
                .clicked();
            if go || enter {
                let path = PathBuf::from(opts.path.trim());
                match action {
                    FileAction::Save => save_to(opts, &work, path),
                    FileAction::Load => {
                        if let Some(p) = load_from(opts, &mut work, path) {
                            opts.name = Some((ConfigName::base(p), work.clone()));
                            opts.label = None;
                        }
                    }
                }
            }
            if ui.button("Cancel").clicked() {
                opts.path_field = None;
            }
        });
    }
    match &validation {
        Err(e) => {
            ui.colored_label(ui.visuals().error_fg_color, format!("⚠ {e}"));
        }
        Ok(()) if work != *current => {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                "edited: differs from the running machine (Apply to use it)",
            );
        }
        Ok(()) => {
            ui.weak("the running machine uses this configuration");
        }
    }
    if let Some((is_err, text)) = &opts.message {
        if *is_err {
            ui.colored_label(ui.visuals().error_fg_color, text);
        } else {
            ui.weak(text);
        }
    }
    ui.separator();

    egui::ScrollArea::vertical()
        .id_salt("config-scroll")
        .show(ui, |ui| {
            egui::CollapsingHeader::new("Core")
                .default_open(true)
                .show(ui, |ui| core(ui, &mut work, bad));
            egui::CollapsingHeader::new("Memory hierarchy")
                .default_open(true)
                .show(ui, |ui| memory(ui, &mut work, &mut opts.parked, bad));
            egui::CollapsingHeader::new("RON preview")
                .default_open(true)
                .show(ui, |ui| {
                    let mut ron = work.to_ron();
                    ui.add(
                        egui::TextEdit::multiline(&mut ron)
                            .code_editor()
                            .interactive(false)
                            .desired_width(f32::INFINITY),
                    );
                });
        });
    opts.work = Some(work);
}

fn core(ui: &mut egui::Ui, cfg: &mut MachineConfig, bad: Option<&str>) {
    let inert = cfg.inert_fields();
    egui::Grid::new("config-core")
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            let c = &mut cfg.core;
            row_label(
                ui,
                "model",
                "core.model",
                bad,
                "which CPU model runs the program",
            );
            ui.horizontal(|ui| {
                ui.selectable_value(&mut c.model, CoreModel::Functional, "functional")
                    .on_hover_text("no timing: one instruction per step");
                ui.selectable_value(&mut c.model, CoreModel::SingleCycle, "single-cycle")
                    .on_hover_text("one instruction per cycle, plus memory stalls");
                ui.selectable_value(&mut c.model, CoreModel::FiveStage, "five-stage")
                    .on_hover_text("the classic IF/ID/EX/MEM/WB pipeline");
            });
            ui.end_row();
            let w = |f: &str| why(&inert, f);
            let off = |r: egui::Response, f: &str| match w(f) {
                Some(reason) => r.on_disabled_hover_text(format!("no effect here: {reason}")),
                None => r,
            };
            let f = "core.forwarding";
            row_label_inert(
                ui,
                "forwarding",
                f,
                bad,
                "EX/MEM to EX and MEM/WB to EX paths",
                w(f),
            );
            off(
                ui.add_enabled(
                    w(f).is_none(),
                    egui::Checkbox::without_text(&mut c.forwarding),
                ),
                f,
            );
            ui.end_row();
            let f = "core.hazard_detection";
            row_label_inert(
                ui,
                "hazard detection",
                f,
                bad,
                "without it no stall is inserted and readers see stale values",
                w(f),
            );
            off(
                ui.add_enabled(
                    w(f).is_none(),
                    egui::Checkbox::without_text(&mut c.hazard_detection),
                ),
                f,
            );
            ui.end_row();
            let f = "core.branch_resolution";
            row_label_inert(
                ui,
                "branch resolution",
                f,
                bad,
                "the stage where branches and jumps are resolved",
                w(f),
            );
            ui.add_enabled_ui(w(f).is_none(), |ui| {
                ui.horizontal(|ui| {
                    ui.selectable_value(&mut c.branch_resolution, BranchStage::Ex, "EX");
                    ui.selectable_value(&mut c.branch_resolution, BranchStage::Id, "ID");
                });
            });
            ui.end_row();
            let f = "core.predictor";
            row_label_inert(ui, "predictor", f, bad, "branch prediction in IF", w(f));
            ui.add_enabled_ui(w(f).is_none(), |ui| predictor(ui, &mut c.predictor, bad));
            ui.end_row();
            let f = "core.mul_latency";
            row_label_inert(
                ui,
                "mul latency",
                f,
                bad,
                "cycles a multiply occupies EX",
                w(f),
            );
            off(
                ui.add_enabled(w(f).is_none(), cycles(&mut c.mul_latency).range(1..=1000)),
                f,
            );
            ui.end_row();
            let f = "core.div_latency";
            row_label_inert(
                ui,
                "div latency",
                f,
                bad,
                "cycles a divide or remainder occupies EX",
                w(f),
            );
            off(
                ui.add_enabled(w(f).is_none(), cycles(&mut c.div_latency).range(1..=1000)),
                f,
            );
            ui.end_row();
            row_label(
                ui,
                "RAM",
                "ram_size",
                bad,
                "at 0x80000000; a multiple of 4 KiB, at most 2 GiB",
            );
            ui.horizontal(|ui| {
                let mut kib = cfg.ram_size / 1024;
                if ui
                    .add(
                        egui::DragValue::new(&mut kib)
                            .range(4..=(2 << 20))
                            .speed(64.0)
                            .suffix(" KiB"),
                    )
                    .changed()
                {
                    cfg.ram_size = kib.saturating_mul(1024);
                }
                ui.weak(human_bytes(cfg.ram_size as u64));
            });
            ui.end_row();
            row_label(
                ui,
                "misaligned access",
                "misaligned",
                bad,
                "what a misaligned load or store does",
            );
            ui.horizontal(|ui| {
                ui.selectable_value(&mut cfg.misaligned, Misaligned::Trap, "trap");
                ui.selectable_value(&mut cfg.misaligned, Misaligned::Emulate, "emulate");
            });
            ui.end_row();
            row_label(
                ui,
                "semihosting",
                "semihosting",
                bad,
                "RISC-V semihosting (picolibc's printf, scanf and exit); off, its \
                 marked ebreak is an ordinary breakpoint",
            );
            ui.horizontal(|ui| {
                ui.checkbox(&mut cfg.semihosting.enabled, "semihosting on");
                let sh = &mut cfg.semihosting;
                let mut text = sh
                    .dir
                    .as_ref()
                    .map_or_else(String::new, |d| d.display().to_string());
                let r = ui
                    .add_enabled(
                        sh.enabled,
                        egui::TextEdit::singleline(&mut text)
                            .id_salt("semihost-dir")
                            .hint_text("no host files")
                            .desired_width(180.0),
                    )
                    .on_hover_text(
                        "the only directory whose files the guest may open \
                         (semihosting.dir); empty: none",
                    );
                if r.changed() {
                    sh.dir = (!text.is_empty()).then(|| PathBuf::from(text));
                }
            });
            ui.end_row();
        });
}

fn predictor(ui: &mut egui::Ui, p: &mut PredictorConfig, bad: Option<&str>) {
    ui.vertical(|ui| {
        let name = match p {
            PredictorConfig::StaticNotTaken => "static not-taken",
            PredictorConfig::StaticBtfnt => "static BTFNT",
            PredictorConfig::Bimodal { .. } => "bimodal",
            PredictorConfig::Gshare { .. } => "gshare",
        };
        egui::ComboBox::from_id_salt("config-predictor")
            .selected_text(name)
            .show_ui(ui, |ui| {
                let (entries, btb) = match *p {
                    PredictorConfig::Bimodal {
                        entries,
                        btb_entries,
                        ..
                    }
                    | PredictorConfig::Gshare {
                        entries,
                        btb_entries,
                        ..
                    } => (entries, btb_entries),
                    _ => (256, 64),
                };
                if ui
                    .selectable_label(
                        matches!(p, PredictorConfig::StaticNotTaken),
                        "static not-taken",
                    )
                    .clicked()
                {
                    *p = PredictorConfig::StaticNotTaken;
                }
                if ui
                    .selectable_label(matches!(p, PredictorConfig::StaticBtfnt), "static BTFNT")
                    .on_hover_text("backward taken, forward not taken")
                    .clicked()
                {
                    *p = PredictorConfig::StaticBtfnt;
                }
                if ui
                    .selectable_label(matches!(p, PredictorConfig::Bimodal { .. }), "bimodal")
                    .clicked()
                    && !matches!(p, PredictorConfig::Bimodal { .. })
                {
                    *p = PredictorConfig::Bimodal {
                        counter_bits: 2,
                        entries,
                        btb_entries: btb,
                    };
                }
                if ui
                    .selectable_label(matches!(p, PredictorConfig::Gshare { .. }), "gshare")
                    .clicked()
                    && !matches!(p, PredictorConfig::Gshare { .. })
                {
                    *p = PredictorConfig::Gshare {
                        history_bits: entries.trailing_zeros().clamp(1, 8) as u8,
                        entries,
                        btb_entries: btb,
                    };
                }
            });
        let field = |ui: &mut egui::Ui, text: &str, f: &str| {
            row_label(ui, text, &format!("core.predictor.{f}"), bad, "")
        };
        match p {
            PredictorConfig::StaticNotTaken | PredictorConfig::StaticBtfnt => {}
            PredictorConfig::Bimodal {
                counter_bits,
                entries,
                btb_entries,
            } => {
                ui.horizontal(|ui| {
                    field(ui, "counter bits", "counter_bits");
                    ui.selectable_value(counter_bits, 1, "1");
                    ui.selectable_value(counter_bits, 2, "2");
                });
                ui.horizontal(|ui| {
                    field(ui, "counters", "entries");
                    pow2_combo(ui, "pred-entries", entries, 1, 1 << 20, "");
                    field(ui, "BTB", "btb_entries");
                    pow2_combo(ui, "pred-btb", btb_entries, 1, 1 << 16, "");
                });
            }
            PredictorConfig::Gshare {
                history_bits,
                entries,
                btb_entries,
            } => {
                ui.horizontal(|ui| {
                    field(ui, "history bits", "history_bits");
                    ui.add(egui::DragValue::new(history_bits).range(1..=20));
                });
                ui.horizontal(|ui| {
                    field(ui, "counters", "entries");
                    pow2_combo(ui, "pred-entries", entries, 1, 1 << 20, "");
                    field(ui, "BTB", "btb_entries");
                    pow2_combo(ui, "pred-btb", btb_entries, 1, 1 << 16, "");
                });
            }
        }
    });
}

fn memory(
    ui: &mut egui::Ui,
    cfg: &mut MachineConfig,
    parked: &mut [Option<CacheConfig>; 3],
    bad: Option<&str>,
) {
    let inert = cfg.inert_fields();
    if let Some(w) = why(&inert, "memory") {
        // Every field below is without effect: say so once, above them.
        ui.colored_label(ui.visuals().warn_fg_color, format!("No effect here: {w}."));
        ui.add_enabled_ui(false, |ui| memory_fields(ui, cfg, parked, bad, &[]));
    } else {
        memory_fields(ui, cfg, parked, bad, &inert);
    }
}

fn memory_fields(
    ui: &mut egui::Ui,
    cfg: &mut MachineConfig,
    parked: &mut [Option<CacheConfig>; 3],
    bad: Option<&str>,
    inert: &[(&str, &str)],
) {
    let m = &mut cfg.memory;
    for (i, (slot, name, key)) in [
        (&mut m.l1i, "L1I (instructions)", "l1i"),
        (&mut m.l1d, "L1D (data)", "l1d"),
        (&mut m.l2, "L2 (unified)", "l2"),
    ]
    .into_iter()
    .enumerate()
    {
        let field = format!("memory.{key}");
        ui.horizontal(|ui| {
            let mut on = slot.is_some();
            let hit = bad.is_some_and(|b| b.starts_with(&field));
            let mut t = egui::RichText::new(name).strong();
            if hit {
                t = t.color(ui.visuals().error_fg_color);
            }
            if ui.checkbox(&mut on, t).changed() {
                if on {
                    *slot = Some(parked[i].take().unwrap_or_else(|| default_cache(i)));
                } else {
                    parked[i] = slot.take();
                }
            }
            if let Some(c) = slot.as_ref()
                && c.line_size > 0
                && c.ways > 0
            {
                let lines = c.size / c.line_size;
                let sets = if lines.is_multiple_of(c.ways) && c.size.is_multiple_of(c.line_size) {
                    (lines / c.ways).to_string()
                } else {
                    "?".into()
                };
                ui.weak(format!(
                    "{} = {sets} set{} × {} way{} × {} B",
                    human_bytes(c.size as u64),
                    if sets == "1" { "" } else { "s" },
                    c.ways,
                    crate::pipeline::view::plural_s(c.ways as u64),
                    c.line_size
                ));
            }
        });
        if let Some(c) = slot.as_mut() {
            ui.indent(("cache-edit", i), |ui| cache(ui, c, &field, i, bad));
        }
    }
    ui.add_space(4.0);
    egui::Grid::new("config-memory")
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            let w = |f: &str| why(inert, f);
            let off = |r: egui::Response, f: &str| match w(f) {
                Some(reason) => r.on_disabled_hover_text(format!("no effect here: {reason}")),
                None => r,
            };
            let f = "memory.latency";
            row_label_inert(
                ui,
                "memory latency",
                f,
                bad,
                "cycles main memory takes to deliver a line or accept a write",
                w(f),
            );
            off(
                ui.add_enabled(w(f).is_none(), cycles(&mut m.latency).range(0..=100_000)),
                f,
            );
            ui.end_row();
            let f = "memory.transfer_per_word";
            row_label_inert(
                ui,
                "transfer per word",
                f,
                bad,
                "extra cycles per 4-byte word moved to or from memory",
                w(f),
            );
            off(
                ui.add_enabled(
                    w(f).is_none(),
                    cycles(&mut m.transfer_per_word).range(0..=10_000),
                ),
                f,
            );
            ui.end_row();
            let f = "memory.sample_interval";
            row_label_inert(
                ui,
                "hit-rate sampling",
                f,
                bad,
                "cycles between samples of the hit-rate plot (0: off)",
                w(f),
            );
            off(
                ui.add_enabled(
                    w(f).is_none(),
                    cycles(&mut m.sample_interval)
                        .range(0..=100_000_000)
                        .speed(100.0),
                ),
                f,
            );
            ui.end_row();
        });
}

fn cache(ui: &mut egui::Ui, c: &mut CacheConfig, field: &str, i: usize, bad: Option<&str>) {
    egui::Grid::new(("config-cache", i))
        .num_columns(2)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            let f = |n: &str| format!("{field}.{n}");
            row_label(
                ui,
                "size",
                &f("size"),
                bad,
                "total data capacity: sets × ways × line size",
            );
            ui.horizontal(|ui| {
                ui.add(
                    egui::DragValue::new(&mut c.size)
                        .range(0..=MAX_CACHE_SIZE)
                        .speed(64.0)
                        .suffix(" B"),
                );
                if ui.small_button("½").clicked() && c.size > 1 {
                    c.size /= 2;
                }
                if ui.small_button("×2").clicked() && c.size <= MAX_CACHE_SIZE / 2 {
                    c.size *= 2;
                }
            });
            ui.end_row();
            row_label(ui, "line size", &f("line_size"), bad, "bytes per line");
            pow2_combo(ui, &f("line_size"), &mut c.line_size, 4, 4096, " B");
            ui.end_row();
            row_label(
                ui,
                "ways",
                &f("ways"),
                bad,
                "associativity: 1 = direct-mapped, lines = fully associative",
            );
            ui.horizontal(|ui| {
                ui.add(egui::DragValue::new(&mut c.ways).range(1..=65536));
                if ui.small_button("direct").clicked() {
                    c.ways = 1;
                }
                if ui.small_button("full").clicked() && c.line_size > 0 {
                    c.ways = (c.size / c.line_size).max(1);
                }
            });
            ui.end_row();
            row_label(
                ui,
                "replacement",
                &f("replacement"),
                bad,
                "which line a miss in a full set evicts",
            );
            ui.horizontal(|ui| {
                let text = match c.replacement {
                    Replacement::Lru => "LRU",
                    Replacement::Fifo => "FIFO",
                    Replacement::Random { .. } => "random",
                    Replacement::TreePlru => "tree-PLRU",
                };
                egui::ComboBox::from_id_salt(f("replacement"))
                    .selected_text(text)
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut c.replacement, Replacement::Lru, "LRU");
                        ui.selectable_value(&mut c.replacement, Replacement::Fifo, "FIFO");
                        let is_random = matches!(c.replacement, Replacement::Random { .. });
                        if ui.selectable_label(is_random, "random").clicked() && !is_random {
                            c.replacement = Replacement::Random { seed: 1 };
                        }
                        ui.selectable_value(&mut c.replacement, Replacement::TreePlru, "tree-PLRU");
                    });
                if let Replacement::Random { seed } = &mut c.replacement {
                    ui.label("seed");
                    ui.add(egui::DragValue::new(seed));
                }
            });
            ui.end_row();
            row_label(
                ui,
                "write policy",
                &f("write_policy"),
                bad,
                "what a store does",
            );
            egui::ComboBox::from_id_salt(f("write_policy"))
                .selected_text(match c.write_policy {
                    WritePolicy::WriteBackAllocate => "write-back, allocate",
                    WritePolicy::WriteThroughNoAllocate => "write-through, no allocate",
                })
                .show_ui(ui, |ui| {
                    ui.selectable_value(
                        &mut c.write_policy,
                        WritePolicy::WriteBackAllocate,
                        "write-back, allocate",
                    );
                    ui.selectable_value(
                        &mut c.write_policy,
                        WritePolicy::WriteThroughNoAllocate,
                        "write-through, no allocate",
                    );
                });
            ui.end_row();
            row_label(
                ui,
                "write buffer",
                &f("write_buffer"),
                bad,
                "entries between the L1D and the level below (0: none; L1D only)",
            );
            ui.add(
                egui::DragValue::new(&mut c.write_buffer)
                    .range(0..=MAX_WRITE_BUFFER)
                    .suffix(" entries"),
            );
            ui.end_row();
            row_label(
                ui,
                "hit latency",
                &f("hit_latency"),
                bad,
                "cycles for a hit",
            );
            ui.add(cycles(&mut c.hit_latency).range(1..=1000));
            ui.end_row();
        });
}

fn save_dialog(opts: &mut Options, cfg: &MachineConfig) {
    let t = Instant::now();
    let mut dialog = rfd::FileDialog::new()
        .add_filter("Glassbox configuration", &["ron"])
        .set_file_name("machine.ron");
    if let Some(dir) = start_dir(&opts.path) {
        dialog = dialog.set_directory(dir);
    }
    match dialog.save_file() {
        Some(path) => save_to(opts, cfg, path),
        None if t.elapsed() < INSTANT_NONE => {
            opts.path_field = Some(FileAction::Save);
            if opts.path.is_empty() {
                opts.path = "machine.ron".into();
            }
        }
        None => {}
    }
}

/// Returns the path of a file that loaded.
fn load_dialog(opts: &mut Options, work: &mut MachineConfig) -> Option<String> {
    let t = Instant::now();
    let mut dialog = rfd::FileDialog::new()
        .add_filter("Glassbox configuration", &["ron"])
        .add_filter("All files", &["*"]);
    if let Some(dir) = start_dir(&opts.path) {
        dialog = dialog.set_directory(dir);
    }
    match dialog.pick_file() {
        Some(path) => load_from(opts, work, path),
        None if t.elapsed() < INSTANT_NONE => {
            opts.path_field = Some(FileAction::Load);
            None
        }
        None => None,
    }
}

fn start_dir(path: &str) -> Option<PathBuf> {
    let p = PathBuf::from(path);
    let dir = p.parent()?;
    dir.is_dir().then(|| dir.to_path_buf())
}

fn save_to(opts: &mut Options, cfg: &MachineConfig, path: PathBuf) {
    let text = format!(
        "// Glassbox machine configuration (load it with --config {}).\n{}\n",
        path.display(),
        cfg.to_ron()
    );
    match std::fs::write(&path, text) {
        Ok(()) => {
            opts.message = Some((false, format!("saved {}", path.display())));
            opts.path_field = None;
        }
        Err(e) => opts.message = Some((true, format!("cannot write {}: {e}", path.display()))),
    }
    opts.path = path.display().to_string();
}

/// Returns the path when the file loaded.
fn load_from(opts: &mut Options, work: &mut MachineConfig, path: PathBuf) -> Option<String> {
    opts.path = path.display().to_string();
    match MachineConfig::from_file(&path) {
        Ok(cfg) => {
            *work = cfg;
            opts.message = Some((
                false,
                format!("loaded {} (not applied yet)", path.display()),
            ));
            opts.path_field = None;
            Some(opts.path.clone())
        }
        // Errors name the file, then the line and column or the field.
        Err(e) => {
            opts.message = Some((true, e.to_string()));
            None
        }
    }
}

/// A number of cycles: " cycle" after 1, " cycles" after any other
/// count (as the frame starts: a drag shows the new word a frame later).
fn cycles<N: egui::emath::Numeric>(value: &mut N) -> egui::DragValue<'_> {
    let word = if value.to_f64() == 1.0 {
        " cycle"
    } else {
        " cycles"
    };
    egui::DragValue::new(value).suffix(word)
}

/// The width of a part's label and combo box (`now` its text, "custom"
/// when no preset matches), with the spacing between them.
fn part_width(ui: &egui::Ui, label: &str, now: Option<&str>) -> f32 {
    let width = |text: &str, style: egui::TextStyle| {
        egui::WidgetText::from(text)
            .into_galley(ui, Some(egui::TextWrapMode::Extend), f32::INFINITY, style)
            .size()
            .x
    };
    let sp = ui.spacing();
    let combo = width(now.unwrap_or("custom"), egui::TextStyle::Button)
        + sp.icon_spacing
        + sp.icon_width
        + 2.0 * sp.button_padding.x;
    width(label, egui::TextStyle::Body) + combo.max(sp.combo_width) + 2.0 * sp.item_spacing.x
}
