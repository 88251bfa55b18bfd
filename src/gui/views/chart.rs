//! The pipeline chart: one row per instruction (in fetch order), one column
//! per cycle, each cell naming the stage the instruction was in, with the
//! notation of `ChartRecorder::to_text`: `ID*` stalled, `ID/X` flushed.
//! Drawn with the painter, only the visible cells, so a full 2000-cycle
//! window costs no more per frame than a small one. The header (cycles) and
//! the left column (pc and instruction) stay in place while scrolling.

use super::Ctx;
use crate::config::CoreModel;
use crate::gui::session::{CHART_WINDOW, Speed};
use crate::pipeline::record::Stage;
use crate::pipeline::trace::{CellState, ChartRecorder, ChartRow, cell_text, mark_meaning};
use crate::pipeline::view::describe_cell;
use egui::{Align, Align2, Color32, FontId, Rect, Sense, Vec2, pos2, vec2};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Options of this view that persist across restarts.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Options {
    /// Keep the newest cycle in view as the chart grows.
    pub follow: bool,
    /// The last cycle scrolled to while following.
    #[serde(skip)]
    followed: Option<u64>,
    /// The outcome of the last export, in words.
    #[serde(skip)]
    status: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            follow: true,
            followed: None,
            status: None,
        }
    }
}

/// A dialog that answers `None` faster than this was not shown at all (no
/// portal): write next to the current directory instead.
const INSTANT_NONE: Duration = Duration::from_millis(300);

/// Characters of disassembly in the left column.
const DISASM_CHARS: usize = 24;

pub fn ui(ui: &mut egui::Ui, ctx: &mut Ctx) {
    ui_aligned(ui, ctx, None);
}

/// The chart with its rows placed as `align` says (compare mode: row `r`
/// shows the instruction with fetch sequence number `align[r]`, or
/// nothing, so the same instruction is on the same row in every
/// machine's chart); `None` shows every row in fetch order.
pub fn ui_aligned(ui: &mut egui::Ui, ctx: &mut Ctx, align: Option<&[Option<u64>]>) {
    let s = ctx.session;
    let chart = &s.chart;
    let opts = &mut ctx.options.chart;
    let palette = ctx.palette;

    ui.horizontal_wrapped(|ui| {
        ui.checkbox(&mut opts.follow, "Follow newest cycle")
            .on_hover_text("Scroll to the newest cycle whenever the chart grows");
        let has = !chart.is_empty();
        if ui
            .add_enabled(has, egui::Button::new("Export CSV…"))
            .on_hover_text("One line per cell: seq,pc,instruction,cycle,stage,state")
            .clicked()
        {
            opts.status = Some(export_csv(chart, s.machine().symbols()));
        }
        if ui
            .add_enabled(has, egui::Button::new("Copy as text"))
            .on_hover_text("The chart as the command line prints it")
            .clicked()
        {
            ui.ctx().copy_text(chart.to_text(s.machine().symbols()));
            opts.status = Some("copied the chart as text".into());
        }
        ui.separator();
        let recording = if s.record_chart {
            "recording"
        } else {
            "not recording"
        };
        ui.label(recording).on_hover_text(format!(
            "The chart keeps a window of {CHART_WINDOW} cycles, recorded while stepping \
             and while running at a set speed; once full it slides, showing the newest \
             {CHART_WINDOW} cycles. At \
             full speed, the last {CHART_WINDOW} cycles before each frame are recorded."
        ));
        if let Some((first, last)) = chart.recorded_cycles() {
            ui.separator();
            ui.label(format!(
                "cycles {}–{}, {} instruction{}",
                first + 1,
                last + 1,
                chart.row_count(),
                if chart.row_count() == 1 { "" } else { "s" }
            ));
        }
    });
    if let Some(status) = opts.status.clone() {
        ui.horizontal(|ui| {
            ui.label(egui::RichText::new(status).weak());
            if ui.small_button("✖").clicked() {
                opts.status = None;
            }
        });
    }
    legend(ui, chart, &palette);

    if s.config.core.model != CoreModel::FiveStage || s.machine().pipeline.is_none() {
        ui.add_space(8.0);
        ui.label(
            "The pipeline chart needs the five-stage core: choose the FiveStage model in \
             Configuration (e.g. the textbook preset).",
        );
        return;
    }
    if s.running && s.speed == Speed::Full && s.record_chart {
        ui.label(
            egui::RichText::new(format!(
                "Running at full speed: each frame shows the newest {CHART_WINDOW} cycles."
            ))
            .weak(),
        );
    }
    if !s.record_chart {
        ui.label(egui::RichText::new("Chart recording is off.").color(palette.stall));
    }
    if chart.is_empty() {
        ui.add_space(8.0);
        ui.label("No cycles recorded yet: step the machine to record (F10 steps one cycle).");
        return;
    }
    if let Some(c) = chart.truncated_at() {
        ui.label(
            egui::RichText::new(format!("Recording stopped at cycle {}.", c + 1))
                .color(palette.stall),
        );
    }
    let rows: Vec<Option<ChartRow>> = match align {
        None => chart.rows().map(Some).collect(),
        Some(seqs) => {
            let all: Vec<ChartRow> = chart.rows().collect();
            seqs.iter()
                .map(|seq| {
                    let seq = (*seq)?;
                    let i = all.binary_search_by_key(&seq, |r| r.seq).ok()?;
                    Some(all[i])
                })
                .collect()
        }
    };
    draw_chart(ui, chart, &rows, s.machine(), &palette, opts);
}

/// The notation: every mark the chart uses (`IF*`, `MEM*`, `EX/X`, ...)
/// with its meaning, from the library's `mark_meaning`.
fn legend(ui: &mut egui::Ui, chart: &ChartRecorder, p: &crate::gui::theme::Palette) {
    let mono = |t: &str, c: Option<Color32>| {
        let r = egui::RichText::new(t).monospace();
        match c {
            Some(c) => r.color(c),
            None => r,
        }
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(mono("EX", None));
        ui.label(mark_meaning(Stage::Ex, CellState::Ran));
        ui.label(mono("▮", Some(p.current)));
        ui.label("newest cycle (the one the pipeline view shows)");
        ui.weak("· hover a cell for its reason");
    });
    let used = chart.marks_used();
    if used.is_empty() {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        for (stage, state) in used {
            let colour = match state {
                CellState::Flushed => p.flush,
                _ => p.stall,
            };
            ui.label(mono(&cell_text(stage, state), Some(colour)));
            let meaning = match state {
                CellState::Flushed => format!("flushed from {}", stage.name()),
                _ => mark_meaning(stage, state).to_string(),
            };
            ui.label(meaning);
            ui.add_space(6.0);
        }
    });
}

/// Writes the CSV where the user says, or next to the current directory
/// when no dialog can be shown; returns what happened in words.
fn export_csv(chart: &ChartRecorder, symbols: &crate::symbols::SymbolTable) -> String {
    let csv = chart.to_csv(symbols);
    let t = Instant::now();
    let picked = rfd::FileDialog::new()
        .set_file_name("pipeline-chart.csv")
        .add_filter("CSV", &["csv"])
        .save_file();
    let (path, fallback) = match picked {
        Some(p) => (p, false),
        None if t.elapsed() < INSTANT_NONE => (PathBuf::from("pipeline-chart.csv"), true),
        None => return "export cancelled".into(),
    };
    let shown = std::fs::canonicalize(path.parent().unwrap_or(&path))
        .map(|d| d.join(path.file_name().unwrap_or_default()))
        .unwrap_or_else(|_| path.clone());
    match std::fs::write(&path, csv) {
        Ok(()) if fallback => format!(
            "no file dialog is available: wrote {} (in the current directory)",
            shown.display()
        ),
        Ok(()) => format!("wrote {}", shown.display()),
        Err(e) => format!("cannot write {}: {e}", shown.display()),
    }
}

/// The cell's colours: (fill, text).
fn cell_colors(
    state: CellState,
    p: &crate::gui::theme::Palette,
    visuals: &egui::Visuals,
) -> (Color32, Color32) {
    match state {
        CellState::Ran => (visuals.faint_bg_color, visuals.text_color()),
        CellState::Stalled => (p.stall.gamma_multiply(0.25), p.stall),
        CellState::Flushed => (p.flush.gamma_multiply(0.25), p.flush),
    }
}

fn stage_tint(stage: Stage, visuals: &egui::Visuals) -> Color32 {
    // A faint per-stage tint makes the diagonal easy to follow.
    let base = visuals.widgets.inactive.bg_fill;
    let k = match stage {
        Stage::If => 0.55,
        Stage::Id => 0.7,
        Stage::Ex => 0.85,
        Stage::Mem => 1.0,
        Stage::Wb => 1.15,
    };
    base.gamma_multiply(k)
}

fn draw_chart(
    ui: &mut egui::Ui,
    chart: &ChartRecorder,
    rows: &[Option<ChartRow>],
    machine: &crate::machine::Machine,
    p: &crate::gui::theme::Palette,
    opts: &mut Options,
) {
    let symbols = machine.symbols();
    let Some((first, last)) = chart.recorded_cycles() else {
        return;
    };
    let font = FontId::monospace(12.0);
    let char_w = ui.ctx().fonts_mut(|f| f.glyph_width(&font, '0'));
    let row_h = (ui.ctx().fonts_mut(|f| f.row_height(&font)) + 5.0).round();
    let cell_w = (char_w * 5.0 + 10.0).round();
    let label_w = (char_w * (8 + 2 + DISASM_CHARS) as f32 + 14.0).round();
    let header_h = row_h + 2.0;
    let ncols = (last - first + 1) as usize;
    let nrows = rows.len();
    let size = vec2(
        label_w + ncols as f32 * cell_w,
        header_h + nrows as f32 * row_h,
    );
    let visuals = ui.visuals().clone();
    let follow_to = (opts.follow && opts.followed != Some(last)).then_some(last);

    egui::ScrollArea::both()
        .id_salt("pipeline-chart")
        .auto_shrink([false, false])
        .show_viewport(ui, |ui, viewport| {
            let (rect, response) = ui.allocate_exact_size(size, Sense::hover());
            // Named for screen readers (and tests, which hover its cells).
            response.widget_info(|| {
                egui::WidgetInfo::labeled(egui::WidgetType::Other, true, "pipeline chart cells")
            });
            let origin = rect.min;
            let painter = ui.painter();
            let clip = ui.clip_rect();

            // Visible rows and columns. The viewport may lie past the end
            // for a frame when a new window has fewer rows or columns than
            // the one scrolled (a run's last chart after a long one):
            // then nothing is visible, rather than a reversed range.
            let r1 = ((((viewport.max.y - header_h) / row_h).ceil().max(0.0)) as usize).min(nrows);
            let r0 = ((((viewport.min.y - header_h) / row_h).floor().max(0.0)) as usize).min(r1);
            let c1 = ((((viewport.max.x - label_w) / cell_w).ceil().max(0.0)) as usize).min(ncols);
            let c0 = ((((viewport.min.x - label_w) / cell_w).floor().max(0.0)) as usize).min(c1);
            let (cy0, cy1) = (first + c0 as u64, first + c1 as u64);

            // Sticky header and left column, in screen coordinates.
            let left_x = origin.x + viewport.min.x;
            let top_y = origin.y + viewport.min.y;
            let col_x = |c: usize| origin.x + label_w + c as f32 * cell_w;
            let row_y = |r: usize| origin.y + header_h + r as f32 * row_h;

            let hover = response.hover_pos();
            let hovered_row = hover.and_then(|h| {
                let r = ((h.y - origin.y - header_h) / row_h).floor();
                (h.y > top_y + header_h && r >= 0.0 && (r as usize) < nrows).then_some(r as usize)
            });
            let hovered_col = hover.and_then(|h| {
                let c = ((h.x - origin.x - label_w) / cell_w).floor();
                (h.x > left_x + label_w && c >= 0.0 && (c as usize) < ncols).then_some(c as usize)
            });

            // The cells.
            let cells_painter = painter.with_clip_rect(
                Rect::from_min_max(pos2(left_x + label_w, top_y + header_h), clip.max)
                    .intersect(clip),
            );
            // The newest column.
            let newest = ncols - 1;
            if (c0..c1).contains(&newest) {
                cells_painter.rect_filled(
                    Rect::from_min_size(
                        pos2(col_x(newest), row_y(r0)),
                        vec2(cell_w, (r1 - r0) as f32 * row_h),
                    ),
                    0.0,
                    p.current.gamma_multiply(0.12),
                );
            }
            for (i, row) in rows[r0..r1].iter().enumerate() {
                let r = r0 + i;
                let y = row_y(r);
                if r % 2 == 1 || hovered_row == Some(r) {
                    let fill = if hovered_row == Some(r) {
                        visuals.widgets.hovered.weak_bg_fill.gamma_multiply(0.6)
                    } else {
                        visuals.faint_bg_color
                    };
                    cells_painter.rect_filled(
                        Rect::from_min_size(
                            pos2(col_x(c0), y),
                            vec2((c1 - c0) as f32 * cell_w, row_h),
                        ),
                        0.0,
                        fill,
                    );
                }
                let Some(row) = row else { continue };
                for (cycle, stage, state) in row.cells_in(cy0, cy1) {
                    let c = (cycle - first) as usize;
                    let cell =
                        Rect::from_min_size(pos2(col_x(c), y), vec2(cell_w, row_h)).shrink(1.0);
                    let (mut fill, text) = cell_colors(state, p, &visuals);
                    if state == CellState::Ran {
                        fill = stage_tint(stage, &visuals);
                    }
                    cells_painter.rect_filled(cell, 2.0, fill);
                    cells_painter.text(
                        cell.center(),
                        Align2::CENTER_CENTER,
                        cell_text(stage, state),
                        font.clone(),
                        text,
                    );
                }
            }

            // The left column: pc and instruction.
            let left = painter.with_clip_rect(
                Rect::from_min_max(
                    pos2(left_x, top_y + header_h),
                    pos2(left_x + label_w, clip.max.y),
                )
                .intersect(clip),
            );
            left.rect_filled(
                Rect::from_min_max(
                    pos2(left_x, top_y + header_h),
                    pos2(left_x + label_w, clip.max.y),
                ),
                0.0,
                visuals.panel_fill,
            );
            for (i, row) in rows[r0..r1].iter().enumerate() {
                let r = r0 + i;
                let y = row_y(r);
                if hovered_row == Some(r) {
                    left.rect_filled(
                        Rect::from_min_size(pos2(left_x, y), vec2(label_w, row_h)),
                        0.0,
                        visuals.widgets.hovered.weak_bg_fill.gamma_multiply(0.6),
                    );
                }
                let Some(row) = row else { continue };
                let text = truncate(&row.text(symbols), DISASM_CHARS);
                left.text(
                    pos2(left_x + 4.0, y + row_h / 2.0),
                    Align2::LEFT_CENTER,
                    format!("{:08x}  {text}", row.pc),
                    font.clone(),
                    visuals.text_color(),
                );
            }
            left.line_segment(
                [
                    pos2(left_x + label_w - 1.0, top_y),
                    pos2(left_x + label_w - 1.0, clip.max.y),
                ],
                visuals.widgets.noninteractive.bg_stroke,
            );

            // The header: cycle labels (1-based, as in the text chart).
            let head = painter.with_clip_rect(
                Rect::from_min_max(pos2(left_x, top_y), pos2(clip.max.x, top_y + header_h))
                    .intersect(clip),
            );
            head.rect_filled(
                Rect::from_min_max(pos2(left_x, top_y), pos2(clip.max.x, top_y + header_h)),
                0.0,
                visuals.panel_fill,
            );
            let head_cells = head.with_clip_rect(
                Rect::from_min_max(
                    pos2(left_x + label_w, top_y),
                    pos2(clip.max.x, top_y + header_h),
                )
                .intersect(clip),
            );
            // Labels wider than a cell (long runs) go on every `every`-th
            // column, and on the newest and the hovered one.
            let every = label_every(last + 1, char_w, cell_w);
            // Columns whose label is always drawn; others keep clear of them.
            let pinned = |c: usize| c == newest || hovered_col == Some(c);
            let near_pinned = |c: usize| {
                [Some(newest), hovered_col]
                    .into_iter()
                    .flatten()
                    .any(|q| q.abs_diff(c) < every as usize)
            };
            for c in c0..c1 {
                let label = first + c as u64 + 1;
                let shown = pinned(c) || (label.is_multiple_of(every) && !near_pinned(c));
                if !shown {
                    continue;
                }
                let color = if c == newest {
                    p.current
                } else if hovered_col == Some(c) {
                    visuals.strong_text_color()
                } else {
                    visuals.weak_text_color()
                };
                head_cells.text(
                    pos2(col_x(c) + cell_w / 2.0, top_y + header_h / 2.0),
                    Align2::CENTER_CENTER,
                    label.to_string(),
                    font.clone(),
                    color,
                );
            }
            head.text(
                pos2(left_x + 4.0, top_y + header_h / 2.0),
                Align2::LEFT_CENTER,
                format!("{:<8}  instruction", "pc"),
                font.clone(),
                visuals.weak_text_color(),
            );
            head.line_segment(
                [
                    pos2(left_x, top_y + header_h - 1.0),
                    pos2(clip.max.x, top_y + header_h - 1.0),
                ],
                visuals.widgets.noninteractive.bg_stroke,
            );

            // Hover: the instruction, and the cell under the pointer.
            if let Some(r) = hovered_row
                && let Some(Some(row)) = rows.get(r)
            {
                let cell = hovered_col.and_then(|c| row.cell_at(first + c as u64));
                let text = row.text(symbols);
                let span = row.span();
                response.on_hover_ui_at_pointer(|ui| {
                    ui.label(egui::RichText::new(format!("{:08x}  {text}", row.pc)).monospace());
                    ui.label(format!("fetched as instruction #{}", row.seq));
                    match span {
                        Some((a, b)) if a == b => {
                            ui.label(format!("in the pipeline in cycle {}", a + 1));
                        }
                        Some((a, b)) => {
                            ui.label(format!("in the pipeline in cycles {}–{}", a + 1, b + 1));
                        }
                        None => {}
                    }
                    if let Some(cell) = cell {
                        let text = format!(
                            "cycle {}: {}",
                            cell.cycle + 1,
                            describe_cell(machine, &cell)
                        );
                        let colour = match cell.state {
                            CellState::Ran => visuals.text_color(),
                            CellState::Stalled => p.stall,
                            CellState::Flushed => p.flush,
                        };
                        ui.label(egui::RichText::new(text).color(colour));
                    }
                });
            }

            // Follow the newest cycle.
            if let Some(last) = follow_to {
                let target = Rect::from_min_size(
                    pos2(col_x(newest), row_y(nrows.saturating_sub(1))),
                    Vec2::new(cell_w, row_h),
                );
                // Without animation: while running, an animated scroll would
                // always lag behind the newest cycle.
                ui.scroll_to_rect_animation(
                    target,
                    Some(Align::Max),
                    egui::style::ScrollAnimation::none(),
                );
                opts.followed = Some(last);
            }
        });
}

/// How many columns apart the header labels go so that labels up to
/// `max_label` fit: 1, 2 or 5 times a power of ten.
fn label_every(max_label: u64, char_w: f32, cell_w: f32) -> u64 {
    let width = (max_label.to_string().len() as f32 + 1.0) * char_w;
    let need = (width / cell_w).ceil().max(1.0) as u64;
    let mut step = 1;
    loop {
        for k in [1, 2, 5] {
            if k * step >= need {
                return k * step;
            }
        }
        step *= 10;
    }
}

/// `s` cut to `width` characters, ending in `…` when cut.
fn truncate(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(width - 1).collect();
        t.push('…');
        t
    }
}

#[cfg(test)]
mod tests {
    use super::label_every;

    #[test]
    fn header_labels_thin_out_only_when_they_do_not_fit() {
        // 7-pixel digits in 45-pixel cells.
        assert_eq!(label_every(60, 7.0, 45.0), 1);
        assert_eq!(label_every(99_999, 7.0, 45.0), 1);
        assert_eq!(label_every(56_736_000, 7.0, 45.0), 2);
        assert_eq!(label_every(1_000_000_000_000, 7.0, 45.0), 5);
        assert_eq!(label_every(1_000_000_000_000, 7.0, 9.0), 20);
    }
}
