//! The caches, line by line: for the selected level a sets × ways grid
//! (valid, dirty, tag, replacement state; the data on hover), the last
//! access highlighted and explained in words, the level's figures from
//! `Machine::stats()`, and the hit rate over time.

use super::Ctx;
use super::statistics::{count, find, group, show};
use crate::memory::{AccessEvent, AccessKind, Cache, Hierarchy, Level, MissKind};
use crate::stats::Stat;
use egui::{Color32, Sense, Stroke, StrokeKind, Vec2};
use egui_plot::{Legend, Line, Plot};
use serde::{Deserialize, Serialize};

/// Options of this view that persist across restarts.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Options {
    pub level: Level,
    /// Scroll the grid to the set of a new access while paused.
    pub follow: bool,
    /// The access the grid last scrolled to.
    #[serde(skip)]
    scrolled_to: Option<(u64, u32)>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            level: Level::L1d,
            follow: true,
            scrolled_to: None,
        }
    }
}

const LEVELS: [(Level, &str); 3] = [(Level::L1i, "L1I"), (Level::L1d, "L1D"), (Level::L2, "L2")];

const CELL: Vec2 = Vec2::new(150.0, 20.0);
const SET_COL: f32 = 52.0;

fn label(level: Level) -> &'static str {
    LEVELS
        .iter()
        .find(|(l, _)| *l == level)
        .map_or("?", |(_, n)| n)
}

fn kind_text(k: AccessKind) -> &'static str {
    match k {
        AccessKind::Read => "read",
        AccessKind::Write => "write",
        AccessKind::Fetch => "fetch",
    }
}

fn miss_text(k: MissKind) -> &'static str {
    match k {
        MissKind::Compulsory => "compulsory",
        MissKind::Capacity => "capacity",
        MissKind::Conflict => "conflict",
    }
}

/// "read 0x80001234 in set 3 way 1, miss (capacity), evicted tag 0x12 (written back)".
pub fn describe(ev: &AccessEvent) -> String {
    let mut s = format!("{} {:#010x} in set {}", kind_text(ev.kind), ev.addr, ev.set);
    match ev.way {
        Some(w) => s += &format!(" way {w}"),
        None => s += " (not allocated: write-through)",
    }
    if ev.hit {
        s += ", hit";
    } else {
        s += ", miss";
        if let Some(k) = ev.miss_kind {
            s += &format!(" ({})", miss_text(k));
        }
    }
    if let Some(v) = ev.victim {
        s += &format!(", evicted tag {:#x}", v.tag);
        if v.dirty {
            s += " (written back)";
        }
    }
    s
}

pub fn ui(ui: &mut egui::Ui, ctx: &mut Ctx) {
    let s = ctx.session;
    let opts = &mut ctx.options.caches;
    let Some(h) = s.machine().memory.as_deref() else {
        ui.add_space(8.0);
        if s.config.memory.has_caches() {
            ui.label(
                "Caches are configured, but the functional model has no memory timing, \
                 so it runs without them.",
            );
            ui.label("Choose the single-cycle or five-stage model in the Configuration view.");
        } else {
            ui.label("No caches are configured: memory is ideal (every access takes one cycle).");
            ui.label(
                "Add an L1I, L1D or L2 in the Configuration view (or pick the \
                 \"classic-l1\" or \"l1-l2-dram\" preset there).",
            );
        }
        return;
    };
    if h.cache(opts.level).is_none()
        && let Some((l, _)) = LEVELS.iter().find(|(l, _)| h.cache(*l).is_some())
    {
        opts.level = *l;
    }
    let stats = s.machine().stats();
    let p = ctx.palette;

    ui.horizontal(|ui| {
        for (level, name) in LEVELS {
            ui.add_enabled_ui(h.cache(level).is_some(), |ui| {
                ui.selectable_value(&mut opts.level, level, name)
                    .on_disabled_hover_text("not configured");
            });
        }
        ui.separator();
        ui.checkbox(&mut opts.follow, "follow")
            .on_hover_text("scroll to the set of each new access while paused");
    });
    let Some(cache) = h.cache(opts.level) else {
        return;
    };
    let cfg = cache.config();
    ui.label(
        egui::RichText::new(format!(
            "{} B: {} set{} × {} way{} × {} B lines, {:?}, {}, hit {}{}",
            group(cfg.size as u64),
            cache.sets(),
            crate::pipeline::view::plural_s(cache.sets() as u64),
            cache.ways(),
            crate::pipeline::view::plural_s(cache.ways() as u64),
            cfg.line_size,
            cfg.replacement,
            match cfg.write_policy {
                crate::memory::WritePolicy::WriteBackAllocate => "write-back",
                crate::memory::WritePolicy::WriteThroughNoAllocate => "write-through",
            },
            crate::pipeline::view::plural(cfg.hit_latency as u64, "cycle"),
            if cfg.write_buffer > 0 {
                format!(", write buffer {}", cfg.write_buffer)
            } else {
                String::new()
            }
        ))
        .small(),
    );

    // The last access, in words: the hierarchy keeps it however the
    // machine ran. `c` counts the cycles before it, so it happened in the
    // cycle the machine's count names when `c + 1 == now`.
    let now = s.machine().cycle;
    let last = h
        .last_access(opts.level)
        .map(|(c, ev)| (c + 1, ev))
        .filter(|(c, _)| *c <= now);
    match last {
        Some((c, ev)) => {
            let colour = if ev.hit { p.hit } else { p.miss };
            let age = if c == now {
                format!("in cycle {c}, the last one")
            } else {
                format!(
                    "in cycle {c}, {} ago",
                    crate::pipeline::view::plural(now - c, "cycle")
                )
            };
            ui.horizontal_wrapped(|ui| {
                ui.label("last access:");
                ui.label(egui::RichText::new(describe(&ev)).monospace().color(colour));
                ui.weak(format!("({age})"));
            });
        }
        None => {
            ui.weak("last access: none yet");
        }
    }
    // Other levels touched this cycle, for context.
    let others: Vec<String> = h
        .events
        .iter()
        .filter(|(l, _)| *l != opts.level)
        .map(|(l, e)| format!("{}: {}", label(*l), describe(e)))
        .collect();
    if !others.is_empty() {
        // Monospace: the arrow of `describe` is in that font.
        ui.label(
            egui::RichText::new(format!("also this cycle: {}", others.join("; ")))
                .monospace()
                .weak(),
        );
    }

    // The grid takes about half the view, the statistics and the plot
    // their natural height below it; the whole view scrolls when short,
    // so nothing is clipped at any size.
    let view_height = ui.available_height();
    egui::ScrollArea::vertical()
        .id_salt("caches-view-scroll")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let grid_height = (view_height * 0.5 - 2.0 * CELL.y).max(120.0);
            grid(ui, cache, opts, last, now, &p, s.running, grid_height);
            egui::CollapsingHeader::new("Statistics")
                .default_open(true)
                .show(ui, |ui| level_stats(ui, &stats, opts.level));
            egui::CollapsingHeader::new("Hit rate over time")
                .default_open(true)
                .show(ui, |ui| hit_rate_plot(ui, h, &p));
        });
}

#[allow(clippy::too_many_arguments)]
fn grid(
    ui: &mut egui::Ui,
    cache: &Cache,
    opts: &mut Options,
    last: Option<(u64, AccessEvent)>,
    now: u64,
    p: &crate::gui::theme::Palette,
    running: bool,
    height: f32,
) {
    let sets = cache.sets() as usize;
    let ways = cache.ways();
    let spacing = ui.spacing().item_spacing;
    let row_h = CELL.y;
    let mut area = egui::ScrollArea::both()
        .id_salt(("cache-grid", opts.level as usize))
        .max_height(height)
        .auto_shrink([false, true]);
    // Bring a new access into view.
    if let Some((c, ev)) = last
        && opts.follow
        && !running
        && opts.scrolled_to != Some((c, ev.set))
    {
        opts.scrolled_to = Some((c, ev.set));
        let y = ev.set as f32 * (row_h + spacing.y) - height / 2.0 + row_h;
        area = area.vertical_scroll_offset(y.max(0.0));
    }
    // Header: way numbers.
    ui.horizontal(|ui| {
        ui.add_sized(
            [SET_COL, row_h],
            egui::Label::new(egui::RichText::new("set").weak()),
        );
        for w in 0..ways.min(64) {
            ui.add_sized(
                CELL,
                egui::Label::new(egui::RichText::new(format!("way {w}")).weak()),
            );
        }
    });
    let highlight = last.filter(|(c, _)| *c == now).map(|(_, e)| e);
    let stale = last.filter(|(c, _)| *c != now).map(|(_, e)| e);
    area.show_rows(ui, row_h, sets, |ui, range| {
        for set in range {
            ui.horizontal(|ui| {
                ui.add_sized(
                    [SET_COL, row_h],
                    egui::Label::new(egui::RichText::new(format!("{set}")).monospace()),
                );
                for way in 0..ways {
                    let here = |e: &AccessEvent| e.set as usize == set && e.way == Some(way);
                    let mark = if let Some(e) = highlight.filter(here) {
                        Some((e, true))
                    } else {
                        stale.filter(here).map(|e| (e, false))
                    };
                    cell(ui, cache, set as u32, way, mark, p);
                }
            });
        }
    });
    ui.horizontal_wrapped(|ui| {
        let swatch = |ui: &mut egui::Ui, c: Color32, t: &str| {
            ui.label(egui::RichText::new("■").color(c));
            ui.weak(t);
        };
        swatch(ui, p.hit, "hit");
        swatch(ui, p.miss, "miss (line filled)");
        swatch(ui, p.flush, "dirty victim written back");
        swatch(ui, p.dirty, "dirty");
        ui.weak("· hover a line for its data");
    });
}

/// One line of the grid. `mark`: the access that touched it, and whether
/// that was this cycle.
fn cell(
    ui: &mut egui::Ui,
    cache: &Cache,
    set: u32,
    way: u32,
    mark: Option<(AccessEvent, bool)>,
    p: &crate::gui::theme::Palette,
) {
    let line = cache.line(set, way);
    let (rect, response) = ui.allocate_exact_size(CELL, Sense::hover());
    if !ui.is_rect_visible(rect) {
        return;
    }
    // The cell's text for screen readers (and tests).
    response.widget_info(|| {
        let text = if line.valid {
            format!(
                "set {set} way {way}: tag {:#x}{}",
                line.tag,
                if line.dirty { ", dirty" } else { "" }
            )
        } else {
            format!("set {set} way {way}: invalid")
        };
        egui::WidgetInfo::labeled(egui::WidgetType::Other, true, text)
    });
    let visuals = ui.visuals();
    let painter = ui.painter();
    let bg = if line.valid {
        visuals.faint_bg_color
    } else {
        visuals.extreme_bg_color
    };
    painter.rect_filled(rect, 2.0, bg);
    if let Some((ev, current)) = mark {
        let c = if ev.hit { p.hit } else { p.miss };
        let alpha = if current { 70 } else { 25 };
        painter.rect_filled(
            rect,
            2.0,
            Color32::from_rgba_unmultiplied(c.r(), c.g(), c.b(), alpha),
        );
        let victim_wb = ev.victim.is_some_and(|v| v.dirty);
        let stroke_c = if victim_wb { p.flush } else { c };
        let width = if current { 2.0 } else { 1.0 };
        painter.rect_stroke(rect, 2.0, Stroke::new(width, stroke_c), StrokeKind::Inside);
    } else {
        painter.rect_stroke(
            rect,
            2.0,
            Stroke::new(1.0, visuals.widgets.noninteractive.bg_stroke.color),
            StrokeKind::Inside,
        );
    }
    let font = egui::TextStyle::Monospace.resolve(ui.style());
    let small = egui::FontId::monospace(font.size * 0.85);
    let text_c = visuals.text_color();
    let weak_c = visuals.weak_text_color();
    let y = rect.center().y;
    if line.valid {
        painter.text(
            egui::pos2(rect.left() + 4.0, y),
            egui::Align2::LEFT_CENTER,
            format!("{:#x}", line.tag),
            font.clone(),
            text_c,
        );
        if line.dirty {
            let r = egui::Rect::from_center_size(
                egui::pos2(rect.right() - 58.0, y),
                Vec2::new(14.0, 14.0),
            );
            painter.rect_filled(r, 2.0, p.dirty);
            painter.text(
                r.center(),
                egui::Align2::CENTER_CENTER,
                "D",
                small.clone(),
                Color32::BLACK,
            );
        }
        painter.text(
            egui::pos2(rect.right() - 4.0, y),
            egui::Align2::RIGHT_CENTER,
            short_repl(&line.repl_text),
            small,
            weak_c,
        );
    } else {
        painter.text(
            egui::pos2(rect.left() + 4.0, y),
            egui::Align2::LEFT_CENTER,
            "invalid",
            small,
            weak_c,
        );
    }
    response.on_hover_ui(|ui| {
        ui.strong(format!("set {set}, way {way}"));
        if !line.valid {
            ui.label("invalid (empty)");
        } else {
            ui.label(format!(
                "tag {:#x}, {:#010x}–{:#010x}{}",
                line.tag,
                line.addr,
                line.addr.wrapping_add(line.data.len() as u32 - 1),
                if line.dirty {
                    ", dirty (newer than the level below)"
                } else {
                    ", clean"
                }
            ));
            ui.label(&line.repl_text);
            let mut dump = String::new();
            for (i, chunk) in line.data.chunks(16).take(16).enumerate() {
                let a = line.addr.wrapping_add(16 * i as u32);
                let bytes: Vec<String> = chunk.iter().map(|b| format!("{b:02x}")).collect();
                dump += &format!("{a:08x}  {}\n", bytes.join(" "));
            }
            if line.data.len() > 256 {
                dump += &format!("… {} more bytes\n", line.data.len() - 256);
            }
            ui.monospace(dump.trim_end());
        }
        if let Some((ev, current)) = mark {
            ui.separator();
            ui.label(format!(
                "{}: {}",
                if current { "this cycle" } else { "last access" },
                describe(&ev)
            ));
        }
    });
}

/// "LRU age 0 of 4" → "age 0"; "PLRU bits 101 …" → "plru 101".
fn short_repl(text: &str) -> String {
    if let Some(rest) = text
        .strip_prefix("LRU ")
        .or_else(|| text.strip_prefix("FIFO "))
    {
        return rest.split(" of ").next().unwrap_or(rest).to_string();
    }
    if let Some(rest) = text.strip_prefix("PLRU bits ") {
        let bits = rest.split_whitespace().next().unwrap_or("");
        let bits = if bits.len() > 7 {
            format!("{}…", &bits[..6])
        } else {
            bits.to_string()
        };
        return format!("plru {bits}");
    }
    if text == "random" {
        return String::new();
    }
    text.to_string()
}

fn level_stats(ui: &mut egui::Ui, stats: &[Stat], level: Level) {
    let pre = level.name();
    let name = |f: &str| format!("{pre}.{f}");
    let hover = |r: egui::Response, n: &str| match find(stats, n) {
        Some(s) => r.on_hover_text(format!("{}\n{}", s.description, s.name)),
        None => r,
    };
    egui::Grid::new(("cache-stats", pre))
        .striped(true)
        .num_columns(4)
        .show(ui, |ui| {
            ui.label("");
            ui.strong("accesses");
            ui.strong("hits");
            ui.strong("misses");
            ui.end_row();
            for (label, acc, miss) in [
                ("read", "reads", "read_misses"),
                ("write", "writes", "write_misses"),
                ("fetch", "fetches", "fetch_misses"),
                ("all", "accesses", "misses"),
            ] {
                let (a, m) = (count(stats, &name(acc)), count(stats, &name(miss)));
                if a == 0 && label != "all" {
                    continue;
                }
                ui.label(label);
                hover(ui.monospace(group(a)), &name(acc));
                ui.monospace(group(a.saturating_sub(m)));
                hover(ui.monospace(group(m)), &name(miss));
                ui.end_row();
            }
        });
    let misses = count(stats, &name("misses"));
    ui.horizontal_wrapped(|ui| {
        let r = ui.strong(format!("hit rate {}", show(stats, &name("hit_rate"))));
        hover(r, &name("hit_rate"));
        ui.separator();
        for (f, l) in [
            ("misses.compulsory", "compulsory"),
            ("misses.capacity", "capacity"),
            ("misses.conflict", "conflict"),
        ] {
            let n = count(stats, &name(f));
            let pct = if misses == 0 {
                String::new()
            } else {
                format!(" ({:.0} %)", 100.0 * n as f64 / misses as f64)
            };
            let r = ui.label(format!("{l} {}{pct}", group(n)));
            hover(r, &name(f));
        }
    });
    ui.horizontal_wrapped(|ui| {
        let r = ui.label(format!("write-backs {}", show(stats, &name("writebacks"))));
        hover(r, &name("writebacks"));
        if find(stats, &name("amat")).is_some() {
            ui.separator();
            let r = ui.label(format!("AMAT {} cycles", show(stats, &name("amat"))));
            hover(r, &name("amat"));
        }
        if level == Level::L1d && count(stats, "memory.write_buffer_full") > 0 {
            ui.separator();
            let r = ui.label(format!(
                "write buffer full {}",
                show(stats, "memory.write_buffer_full")
            ));
            hover(r, "memory.write_buffer_full");
        }
    });
}

fn hit_rate_plot(ui: &mut egui::Ui, h: &Hierarchy, p: &crate::gui::theme::Palette) {
    if h.config.sample_interval == 0 {
        ui.weak("Sampling is off (memory.sample_interval is 0).");
        return;
    }
    if h.series.len() < 2 {
        ui.weak(format!(
            "Sampled every {} cycle{}; run longer to see the curve.",
            group(h.config.sample_interval),
            crate::pipeline::view::plural_s(h.config.sample_interval)
        ));
        return;
    }
    let colours = [p.forward, p.hit, p.stall];
    let mut series: Vec<(&str, Vec<[f64; 2]>)> = Vec::new();
    let r = Plot::new("cache-hit-rate")
        .show_x(false)
        .show_y(false)
        .height(150.0)
        .include_y(0.0)
        .include_y(1.0)
        .x_axis_label("cycle")
        .y_axis_label("hit rate")
        .allow_scroll(false)
        .legend(Legend::default())
        .show(ui, |plot| {
            for (level, name) in LEVELS {
                if h.cache(level).is_none() {
                    continue;
                }
                let i = level as usize;
                let points: Vec<[f64; 2]> = h
                    .series
                    .windows(2)
                    .filter_map(|w| {
                        let (a0, h0) = w[0].counts[i];
                        let (a1, h1) = w[1].counts[i];
                        (a1 > a0).then(|| [w[1].cycle as f64, (h1 - h0) as f64 / (a1 - a0) as f64])
                    })
                    .collect();
                series.push((name, points.clone()));
                plot.line(Line::new(name, points).color(colours[i]).allow_hover(false));
            }
            plot.pointer_coordinate()
        });
    // The values at the pointer's cycle, in a tooltip (see statistics.rs).
    if let Some(at) = r.inner {
        let lines: Vec<String> = series
            .iter()
            .filter_map(|(name, pts)| {
                let &[x, y] = super::statistics::nearest(pts, at.x)?;
                Some(format!(
                    "{name}: {:.2} % in the interval ending at cycle {}",
                    100.0 * y,
                    group(x as u64)
                ))
            })
            .collect();
        if !lines.is_empty() {
            r.response.on_hover_text_at_pointer(lines.join("\n"));
        }
    }
}
