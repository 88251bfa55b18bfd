//! Every figure of the run, all read from `Machine::stats()`: CPI and its
//! history, where the stall cycles went, how well branches were predicted,
//! the caches level by level, and the full table with descriptions.

use super::Ctx;
use crate::stats::{Stat, StatValue};
use egui_plot::{AxisHints, Bar, BarChart, GridMark, Line, Plot};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// Samples of (cycle, instret) kept for the CPI plot.
const HISTORY: usize = 1024;

/// Options of this view that persist across restarts.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Options {
    /// Text that the full table's names must contain.
    pub filter: String,
    /// Plot the CPI of each interval rather than the running average.
    pub interval_cpi: bool,
    /// (cycle, instret) once per frame while the machine changes.
    #[serde(skip)]
    history: VecDeque<(u64, u64)>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            filter: String::new(),
            interval_cpi: true,
            history: VecDeque::new(),
        }
    }
}

/// The stat called `name`, if this machine has it.
pub(super) fn find<'a>(stats: &'a [Stat], name: &str) -> Option<&'a Stat> {
    stats.iter().find(|s| s.name == name)
}

/// The stat's value as a number (missing: `None`).
pub(super) fn number(stats: &[Stat], name: &str) -> Option<f64> {
    match find(stats, name)?.value {
        StatValue::Count(n) => Some(n as f64),
        StatValue::Int(n) => Some(n as f64),
        StatValue::Real(x) => Some(x),
        StatValue::Missing => None,
    }
}

/// A count (0 when missing).
pub(super) fn count(stats: &[Stat], name: &str) -> u64 {
    match find(stats, name).map(|s| s.value) {
        Some(StatValue::Count(n)) => n,
        Some(StatValue::Int(n)) => n.max(0) as u64,
        Some(StatValue::Real(x)) => x.max(0.0) as u64,
        _ => 0,
    }
}

/// A value as text: fractions as percentages, reals with 3 decimals.
pub(super) fn format_value(s: &Stat) -> String {
    match s.value {
        StatValue::Count(n) => group(n),
        StatValue::Int(n) => n.to_string(),
        StatValue::Real(x) if s.unit == "fraction" => format!("{:.2} %", x * 100.0),
        StatValue::Real(x) => format!("{x:.3}"),
        StatValue::Missing => "–".into(),
    }
}

/// The named stat's value as text ("–" when missing or absent).
pub(super) fn show(stats: &[Stat], name: &str) -> String {
    find(stats, name).map_or_else(|| "–".into(), format_value)
}

/// 1234567 → "1 234 567".
pub(super) fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

/// A label whose hover text is the stat's description.
fn described(ui: &mut egui::Ui, stats: &[Stat], name: &str, text: impl Into<egui::WidgetText>) {
    let r = ui.label(text);
    if let Some(s) = find(stats, name) {
        r.on_hover_text(format!("{}\n{} ({})", s.description, s.name, s.unit));
    }
}

fn record(opts: &mut Options, cycle: u64, instret: u64) {
    if opts
        .history
        .back()
        .is_some_and(|&(c, i)| c > cycle || i > instret)
    {
        // The machine was reset or rebuilt.
        opts.history.clear();
    }
    if opts.history.back().is_some_and(|&(c, _)| c == cycle) {
        return;
    }
    if opts.history.len() >= HISTORY {
        opts.history.pop_front();
    }
    opts.history.push_back((cycle, instret));
}

const STALLS: [(&str, &str); 7] = [
    ("pipeline.stall.load_use", "load-use"),
    ("pipeline.stall.data_hazard", "data hazard"),
    ("pipeline.stall.ex_busy", "EX busy"),
    ("pipeline.stall.serialize", "serialize"),
    ("pipeline.stall.wfi", "wfi"),
    ("pipeline.stall.icache", "I-cache"),
    ("pipeline.stall.dcache", "D-cache"),
];

pub fn ui(ui: &mut egui::Ui, ctx: &mut Ctx) {
    let m = &ctx.session.machine();
    let stats = m.stats();
    let opts = &mut ctx.options.statistics;
    record(opts, m.cycle, m.instret);
    let p = ctx.palette;

    egui::ScrollArea::vertical()
        .id_salt("statistics-scroll")
        .show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                described(
                    ui,
                    &stats,
                    "cycles",
                    format!("cycles {}", show(&stats, "cycles")),
                );
                ui.separator();
                described(
                    ui,
                    &stats,
                    "instret",
                    format!("retired {}", show(&stats, "instret")),
                );
                ui.separator();
                described(
                    ui,
                    &stats,
                    "cpi",
                    egui::RichText::new(format!("CPI {}", show(&stats, "cpi"))).strong(),
                );
                if find(&stats, "exit_code").is_some_and(|s| s.value != StatValue::Missing) {
                    ui.separator();
                    described(
                        ui,
                        &stats,
                        "exit_code",
                        format!("exit code {}", show(&stats, "exit_code")),
                    );
                }
            });
            if m.pipeline.is_none() {
                ui.weak(
                    "The functional model has no timing: one instruction per step, \
                     no stalls, no predictor, no caches.",
                );
            }

            egui::CollapsingHeader::new("CPI over time")
                .default_open(true)
                .show(ui, |ui| cpi_plot(ui, opts));

            if m.pipeline.is_some() {
                egui::CollapsingHeader::new("Stall cycles by cause")
                    .default_open(true)
                    .show(ui, |ui| stall_chart(ui, &stats, p.stall));
                egui::CollapsingHeader::new("Branch prediction")
                    .default_open(true)
                    .show(ui, |ui| predictor(ui, &stats));
            }
            if m.memory.is_some() {
                egui::CollapsingHeader::new("Caches")
                    .default_open(true)
                    .show(ui, |ui| caches(ui, &stats));
            }
            egui::CollapsingHeader::new(format!("All statistics ({})", stats.len()))
                .default_open(false)
                .show(ui, |ui| table(ui, &stats, &mut opts.filter));
        });
}

fn cpi_plot(ui: &mut egui::Ui, opts: &mut Options) {
    ui.horizontal(|ui| {
        ui.selectable_value(&mut opts.interval_cpi, true, "per interval");
        ui.selectable_value(&mut opts.interval_cpi, false, "running average");
        if ui
            .small_button("clear")
            .on_hover_text("forget the samples")
            .clicked()
        {
            opts.history.clear();
        }
    });
    let h = &opts.history;
    let points: Vec<[f64; 2]> = if opts.interval_cpi {
        h.iter()
            .zip(h.iter().skip(1))
            .filter(|(a, b)| b.1 > a.1)
            .map(|(a, b)| [b.0 as f64, (b.0 - a.0) as f64 / (b.1 - a.1) as f64])
            .collect()
    } else {
        h.iter()
            .filter(|&&(_, i)| i > 0)
            .map(|&(c, i)| [c as f64, c as f64 / i as f64])
            .collect()
    };
    if points.len() < 2 {
        ui.weak("Run or step the machine to sample CPI (one sample per frame while this view is shown).");
        return;
    }
    let shown = points.clone();
    let r = Plot::new("cpi-plot")
        .height(140.0)
        .include_y(0.0)
        .include_y(1.0)
        .x_axis_label("cycle")
        .y_axis_label("CPI")
        .allow_scroll(false)
        .show_x(false)
        .show_y(false)
        .show(ui, |plot| {
            plot.line(Line::new("CPI", points).allow_hover(false));
            plot.pointer_coordinate()
        });
    if let Some(at) = r.inner
        && let Some(&[x, y]) = nearest(&shown, at.x)
    {
        r.response
            .on_hover_text_at_pointer(format!("cycle {}: CPI {y:.3}", group(x as u64)));
    }
}

/// The point of a series nearest to `x` (points in increasing x).
pub fn nearest(points: &[[f64; 2]], x: f64) -> Option<&[f64; 2]> {
    let i = points.partition_point(|p| p[0] < x);
    [i.checked_sub(1), Some(i)]
        .into_iter()
        .flatten()
        .filter_map(|i| points.get(i))
        .min_by(|a, b| (a[0] - x).abs().total_cmp(&(b[0] - x).abs()))
}

// Plots here show their values in a tooltip (its own layer) instead of
// egui_plot's hover labels, which are drawn inside the plot and cut off
// at the panel's edge.

fn stall_chart(ui: &mut egui::Ui, stats: &[Stat], colour: egui::Color32) {
    let total = count(stats, "pipeline.stall.total");
    let cycles = count(stats, "cycles").max(1);
    described(
        ui,
        stats,
        "pipeline.stall.total",
        format!(
            "{} stall cycle{} ({:.1} % of all cycles)",
            group(total),
            crate::pipeline::view::plural_s(total),
            100.0 * total as f64 / cycles as f64
        ),
    );
    let bars: Vec<Bar> = STALLS
        .iter()
        .enumerate()
        .map(|(i, (name, label))| {
            Bar::new((STALLS.len() - 1 - i) as f64, count(stats, name) as f64)
                .name(*label)
                .fill(colour)
                .width(0.7)
        })
        .collect();
    let labels: Vec<&str> = STALLS.iter().rev().map(|(_, l)| *l).collect();
    let r = Plot::new("stall-chart")
        .show_x(false)
        .show_y(false)
        .height(170.0)
        .include_x(0.0)
        .include_x(1.0)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .show_grid([true, false])
        .y_grid_spacer(|_| {
            (0..STALLS.len())
                .map(|i| GridMark {
                    value: i as f64,
                    step_size: 1.0,
                })
                .collect()
        })
        .custom_y_axes(vec![
            AxisHints::new_y()
                .min_thickness(80.0)
                .label_spacing(8.0..=10.0)
                .formatter(move |mark, _| {
                    let i = mark.value.round();
                    if (mark.value - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < labels.len() {
                        labels[i as usize].to_string()
                    } else {
                        String::new()
                    }
                }),
        ])
        .x_axis_label("cycles")
        .show(ui, |plot| {
            plot.bar_chart(
                BarChart::new("stall cycles", bars)
                    .horizontal()
                    .allow_hover(false),
            );
            plot.pointer_coordinate()
        });
    // The bar under the pointer (bars are drawn from the bottom up).
    if let Some(at) = r.inner {
        let i = at.y.round();
        if (at.y - i).abs() <= 0.35 && i >= 0.0 && (i as usize) < STALLS.len() {
            let (name, label) = STALLS[STALLS.len() - 1 - i as usize];
            let n = count(stats, name);
            let text = format!(
                "{label}: {} ({:.1} % of all cycles)",
                crate::pipeline::view::plural(n, "stall cycle"),
                100.0 * n as f64 / cycles as f64
            );
            let text = match find(stats, name) {
                Some(s) => format!("{text}\n{}", s.description),
                None => text,
            };
            r.response.on_hover_text_at_pointer(text);
        }
    }
    ui.horizontal_wrapped(|ui| {
        for (name, label) in [
            ("pipeline.flush.mispredict", "mispredict flushes"),
            ("pipeline.flush.trap", "trap flushes"),
            ("pipeline.flush.other", "other flushes"),
            ("pipeline.squashed", "squashed"),
            ("pipeline.forwards", "forwards"),
            ("pipeline.stale_reads", "stale reads"),
        ] {
            described(ui, stats, name, format!("{label} {}", show(stats, name)));
            ui.separator();
        }
    });
}

fn predictor(ui: &mut egui::Ui, stats: &[Stat]) {
    egui::Grid::new("predictor-grid")
        .striped(true)
        .num_columns(4)
        .show(ui, |ui| {
            ui.strong("type");
            ui.strong("resolved");
            ui.strong("correct");
            ui.strong("accuracy");
            ui.end_row();
            for (kind, label) in [("branch", "conditional"), ("jal", "jal"), ("jalr", "jalr")] {
                let base = format!("predictor.{kind}");
                ui.label(label);
                let resolved = format!("{base}.resolved");
                let correct = format!("{base}.correct");
                let accuracy = format!("{base}.accuracy");
                described(ui, stats, &resolved, show(stats, &resolved));
                described(ui, stats, &correct, show(stats, &correct));
                accuracy_bar(ui, stats, &accuracy);
                ui.end_row();
            }
            ui.strong("all");
            ui.label("");
            ui.label("");
            accuracy_bar(ui, stats, "predictor.accuracy");
            ui.end_row();
        });
}

fn accuracy_bar(ui: &mut egui::Ui, stats: &[Stat], name: &str) {
    match number(stats, name) {
        Some(x) => {
            let r = ui.add(
                egui::ProgressBar::new(x as f32)
                    .desired_width(120.0)
                    .text(show(stats, name)),
            );
            if let Some(s) = find(stats, name) {
                r.on_hover_text(s.description);
            }
        }
        None => described(ui, stats, name, "–"),
    }
}

fn caches(ui: &mut egui::Ui, stats: &[Stat]) {
    let levels: Vec<&str> = ["l1i", "l1d", "l2"]
        .into_iter()
        .filter(|l| find(stats, &format!("{l}.accesses")).is_some())
        .collect();
    egui::Grid::new("stat-caches-grid")
        .striped(true)
        .num_columns(levels.len() + 1)
        .show(ui, |ui| {
            ui.label("");
            for l in &levels {
                ui.strong(l.to_uppercase());
            }
            ui.end_row();
            for (field, label) in [
                ("accesses", "accesses"),
                ("hit_rate", "hit rate"),
                ("misses", "misses"),
                ("misses.compulsory", "  compulsory"),
                ("misses.capacity", "  capacity"),
                ("misses.conflict", "  conflict"),
                ("writebacks", "write-backs"),
                ("amat", "AMAT (cycles)"),
            ] {
                ui.label(label);
                for l in &levels {
                    let name = format!("{l}.{field}");
                    described(ui, stats, &name, show(stats, &name));
                }
                ui.end_row();
            }
        });
    if count(stats, "memory.write_buffer_full") > 0 {
        described(
            ui,
            stats,
            "memory.write_buffer_full",
            format!(
                "writes that found the write buffer full: {}",
                show(stats, "memory.write_buffer_full")
            ),
        );
    }
}

fn table(ui: &mut egui::Ui, stats: &[Stat], filter: &mut String) {
    ui.horizontal(|ui| {
        ui.label("filter");
        ui.add(egui::TextEdit::singleline(filter).desired_width(160.0));
        if !filter.is_empty() && ui.small_button("✖").clicked() {
            filter.clear();
        }
    });
    let needle = filter.to_lowercase();
    egui::Grid::new("stat-table")
        .striped(true)
        .num_columns(3)
        .show(ui, |ui| {
            ui.strong("name");
            ui.strong("value");
            ui.strong("unit");
            ui.end_row();
            for s in stats
                .iter()
                .filter(|s| needle.is_empty() || s.name.contains(&needle))
            {
                ui.monospace(s.name).on_hover_text(s.description);
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    ui.monospace(format_value(s));
                });
                ui.weak(s.unit);
                ui.end_row();
            }
        });
}
