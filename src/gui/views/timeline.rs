//! The timeline: a scrubber from reset to the furthest cycle reached, with
//! marks where the run stopped, trapped or printed. Clicking or dragging
//! seeks there; a "go to cycle" field seeks to an exact cycle.
//!
//! A seek far from a snapshot replays up to a snapshot interval, so while
//! the handle is dragged the seeks are throttled (`DRAG_SEEK_INTERVAL`);
//! the handle follows the pointer at once, and the release seeks exactly.

use crate::debug::{MarkKind, Timeline};
use crate::gui::session::{Command, Session};
use crate::gui::theme::Palette;
use std::time::{Duration, Instant};

/// At most one seek this often while dragging.
const DRAG_SEEK_INTERVAL: Duration = Duration::from_millis(60);
const BAR_HEIGHT: f32 = 18.0;

/// What the scrubber remembers between frames (not persisted).
#[derive(Debug, Default)]
pub struct Scrubber {
    /// The cycle under the pointer while dragging.
    dragging: Option<u64>,
    last_seek: Option<Instant>,
    /// The "go to cycle" field.
    goto: u64,
}

/// The cycle at `x` on a bar from `left` to `right` spanning `start..=end`.
pub fn cycle_at(x: f32, left: f32, right: f32, start: u64, end: u64) -> u64 {
    let width = (right - left).max(1.0);
    let f = ((x - left) / width).clamp(0.0, 1.0) as f64;
    start + ((end - start) as f64 * f).round() as u64
}

fn x_of(cycle: u64, left: f32, right: f32, start: u64, end: u64) -> f32 {
    if end <= start {
        return left;
    }
    let f = (cycle.saturating_sub(start)) as f64 / (end - start) as f64;
    left + (right - left) * f.clamp(0.0, 1.0) as f32
}

/// The colour and the words for a mark.
fn describe(kind: &MarkKind, p: &Palette) -> (egui::Color32, String) {
    match kind {
        MarkKind::Stop(stop) => (p.flush, crate::gui::session::describe(stop)),
        MarkKind::Trap { count: 1 } => (p.stall, "trap".to_string()),
        MarkKind::Trap { count } => (p.stall, format!("{count} traps")),
        MarkKind::Output { bytes } => (
            p.hit,
            format!(
                "console output ({} so far)",
                crate::pipeline::view::plural(*bytes as u64, "byte")
            ),
        ),
        MarkKind::Edit => (p.dirty, "debugger edit or console input".to_string()),
    }
}

/// The scrubber row (shown under the controls).
pub fn ui(
    ui: &mut egui::Ui,
    s: &Session,
    commands: &mut Vec<Command>,
    state: &mut Scrubber,
    p: &Palette,
) {
    let tl: &Timeline = s.timeline();
    let (start, end, now) = (tl.start(), tl.furthest(), s.machine().cycle);
    ui.horizontal(|ui| {
        ui.label("Timeline").on_hover_text(
            "every cycle from reset to the furthest reached; click or drag to go there \
             (marks: red stops, amber traps, green console output, violet edits)",
        );
        // Room for the cycle text, the "go to" field and the Seek button.
        let text_w = 440.0;
        let width = (ui.available_width() - text_w).max(120.0);
        let (rect, resp) =
            ui.allocate_exact_size(egui::vec2(width, BAR_HEIGHT), egui::Sense::click_and_drag());
        resp.widget_info(|| {
            egui::WidgetInfo::labeled(egui::WidgetType::Slider, true, "timeline scrubber")
        });
        let (left, right) = (rect.left() + 4.0, rect.right() - 4.0);
        let painter = ui.painter_at(rect);
        let visuals = ui.visuals();
        painter.rect_filled(rect, 3.0, visuals.extreme_bg_color);
        let mid = rect.center().y;
        painter.line_segment(
            [egui::pos2(left, mid), egui::pos2(right, mid)],
            visuals.widgets.inactive.fg_stroke,
        );
        // Marks: at most one per pixel column, stops drawn over the rest.
        let mut hover: Option<String> = None;
        let pointer = resp.hover_pos();
        for layer in 0..2 {
            for m in tl.marks() {
                let is_stop = matches!(m.kind, MarkKind::Stop(_));
                if is_stop != (layer == 1) {
                    continue;
                }
                let x = x_of(m.cycle, left, right, start, end);
                let (color, words) = describe(&m.kind, p);
                painter.line_segment(
                    [
                        egui::pos2(x, rect.top() + 2.0),
                        egui::pos2(x, rect.bottom() - 2.0),
                    ],
                    egui::Stroke::new(if is_stop { 2.0 } else { 1.0 }, color),
                );
                if let Some(pt) = pointer
                    && (pt.x - x).abs() <= 2.0
                {
                    hover = Some(format!("cycle {}: {words}", m.cycle));
                }
            }
        }
        // The handle: where the machine is, or where the drag is.
        let shown = state.dragging.unwrap_or(now);
        let hx = x_of(shown, left, right, start, end);
        painter.rect_filled(
            egui::Rect::from_center_size(egui::pos2(hx, mid), egui::vec2(5.0, BAR_HEIGHT)),
            2.0,
            p.current,
        );
        let at_pointer = |pos: egui::Pos2| cycle_at(pos.x, left, right, start, end);
        if let Some(pos) = resp.interact_pointer_pos() {
            let target = at_pointer(pos);
            if resp.drag_stopped() || resp.clicked() {
                state.dragging = None;
                state.last_seek = None;
                if target != now {
                    commands.push(Command::Seek(target));
                }
            } else if resp.dragged() || resp.is_pointer_button_down_on() {
                state.dragging = Some(target);
                let due = state
                    .last_seek
                    .is_none_or(|t| t.elapsed() >= DRAG_SEEK_INTERVAL);
                if due && target != now {
                    state.last_seek = Some(Instant::now());
                    commands.push(Command::Seek(target));
                }
            }
        } else if resp.drag_stopped() {
            state.dragging = None;
        }
        match (&hover, pointer) {
            (Some(h), _) => {
                resp.on_hover_text(h);
            }
            (None, Some(pt)) => {
                resp.on_hover_text(format!("cycle {}", at_pointer(pt)));
            }
            _ => {}
        }
        let text = if now < end {
            format!("cycle {now} of {end} (in the past)")
        } else {
            format!("cycle {now} (furthest)")
        };
        ui.monospace(text);
        ui.add(
            egui::DragValue::new(&mut state.goto)
                .range(start..=end)
                .prefix("go to "),
        );
        if ui
            .add_enabled(state.goto != now, egui::Button::new("Seek"))
            .on_hover_text("go to this cycle")
            .clicked()
        {
            commands.push(Command::Seek(state.goto));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bar_maps_both_ends_and_the_middle() {
        assert_eq!(cycle_at(10.0, 10.0, 110.0, 0, 1000), 0);
        assert_eq!(cycle_at(110.0, 10.0, 110.0, 0, 1000), 1000);
        assert_eq!(cycle_at(60.0, 10.0, 110.0, 0, 1000), 500);
        // Outside the bar: clamped to the ends.
        assert_eq!(cycle_at(-5.0, 10.0, 110.0, 0, 1000), 0);
        assert_eq!(cycle_at(500.0, 10.0, 110.0, 0, 1000), 1000);
        assert_eq!(x_of(250, 10.0, 110.0, 0, 1000), 35.0);
        // Nothing run yet: everything at the left end.
        assert_eq!(x_of(0, 10.0, 110.0, 0, 0), 10.0);
    }

    #[test]
    fn marks_count_in_words() {
        let p = crate::gui::theme::palette(true);
        let words = |kind| describe(&kind, &p).1;
        assert_eq!(
            words(MarkKind::Output { bytes: 1 }),
            "console output (1 byte so far)"
        );
        assert_eq!(
            words(MarkKind::Output { bytes: 12 }),
            "console output (12 bytes so far)"
        );
        assert_eq!(words(MarkKind::Trap { count: 1 }), "trap");
        assert_eq!(words(MarkKind::Trap { count: 3 }), "3 traps");
    }
}
