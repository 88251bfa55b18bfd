//! The pipeline view: the textbook datapath drawn with the painter, with
//! what each stage holds for the coming cycle and what happened to it in
//! the cycle just finished (stalled, flushed, forwarded), then the last
//! cycle's events in words and the predictor's tables.
//!
//! The drawing lives on a fixed 1000 × 465 logical canvas scaled to the
//! width of the view. Which parts are drawn follows the configuration:
//! forwarding paths and the forwarding unit only with forwarding, the
//! hazard unit only with hazard detection, the branch unit in EX or ID.
//! The single-cycle core gets the same datapath without pipeline
//! registers; the functional core has no timing model to draw.

use super::Ctx;
use crate::config::{BranchStage, CoreConfig, CoreModel};
use crate::disasm::disasm;
use crate::gui::theme::{self, Palette};
use crate::isa::reg::abi_name;
use crate::machine::Machine;
use crate::pipeline::record::{CycleRecord, Forward, ForwardFrom, Stage, StageEvent, StallCause};
use crate::pipeline::view::{LatchView, PipelineView, StageState, StageView};
use egui::{
    Align2, Color32, CornerRadius, FontId, Pos2, Rect, Sense, Shape, Stroke, StrokeKind, Vec2,
    pos2, vec2,
};
use serde::{Deserialize, Serialize};

/// Options of this view that persist across restarts.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Options {
    pub show_legend: bool,
    pub show_events: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            show_legend: true,
            show_events: true,
        }
    }
}

/// The logical canvas.
const W: f32 = 1000.0;
const H: f32 = 465.0;
/// Stage columns (x ranges) and pipeline registers between them.
const STAGE_X: [(f32, f32); 5] = [
    (0.0, 172.0),
    (194.0, 372.0),
    (394.0, 612.0),
    (634.0, 800.0),
    (822.0, 1000.0),
];
const REG_X: [(f32, f32); 4] = [
    (176.0, 190.0),
    (376.0, 390.0),
    (616.0, 630.0),
    (804.0, 818.0),
];
const REG_NAMES: [&str; 4] = ["IF/ID", "ID/EX", "EX/MEM", "MEM/WB"];
const HEADER_H: f32 = 62.0;
const REG_Y: (f32, f32) = (80.0, 425.0);

/// Logical canvas to screen.
struct Geo {
    o: Pos2,
    k: f32,
}

impl Geo {
    fn p(&self, x: f32, y: f32) -> Pos2 {
        self.o + vec2(x, y) * self.k
    }
    fn r(&self, x0: f32, y0: f32, x1: f32, y1: f32) -> Rect {
        Rect::from_min_max(self.p(x0, y0), self.p(x1, y1))
    }
    fn pts(&self, pts: &[(f32, f32)]) -> Vec<Pos2> {
        pts.iter().map(|&(x, y)| self.p(x, y)).collect()
    }
}

/// Colours and strokes shared by the drawing.
struct Style {
    wire: Stroke,
    control: Stroke,
    box_stroke: Stroke,
    box_fill: Color32,
    text: Color32,
    weak: Color32,
    label: FontId,
    small: FontId,
}

/// A forwarding path: where it comes from, where it goes, and its polyline.
struct Path {
    from: ForwardFrom,
    to: Stage,
    operand: u8,
    pts: &'static [(f32, f32)],
}

const EX_MEM_TO_EX_A: &[(f32, f32)] = &[
    (640.0, 240.0),
    (640.0, 340.0),
    (402.0, 340.0),
    (402.0, 195.0),
    (410.0, 195.0),
];
const EX_MEM_TO_EX_B: &[(f32, f32)] = &[
    (640.0, 240.0),
    (640.0, 340.0),
    (402.0, 340.0),
    (402.0, 255.0),
    (410.0, 255.0),
];
const MEM_WB_TO_EX_A: &[(f32, f32)] = &[
    (930.0, 350.0),
    (396.0, 350.0),
    (396.0, 215.0),
    (410.0, 215.0),
];
const MEM_WB_TO_EX_B: &[(f32, f32)] = &[
    (930.0, 350.0),
    (396.0, 350.0),
    (396.0, 275.0),
    (410.0, 275.0),
];
const EX_MEM_TO_ID: &[(f32, f32)] = &[(640.0, 240.0), (640.0, 150.0), (372.0, 150.0)];

fn forward_paths(core: &CoreConfig) -> Vec<Path> {
    let mut v = Vec::new();
    if !core.forwarding {
        return v;
    }
    v.push(Path {
        from: ForwardFrom::ExMem,
        to: Stage::Ex,
        operand: 1,
        pts: EX_MEM_TO_EX_A,
    });
    v.push(Path {
        from: ForwardFrom::ExMem,
        to: Stage::Ex,
        operand: 2,
        pts: EX_MEM_TO_EX_B,
    });
    v.push(Path {
        from: ForwardFrom::MemWb,
        to: Stage::Ex,
        operand: 1,
        pts: MEM_WB_TO_EX_A,
    });
    v.push(Path {
        from: ForwardFrom::MemWb,
        to: Stage::Ex,
        operand: 2,
        pts: MEM_WB_TO_EX_B,
    });
    if core.branch_resolution == BranchStage::Id {
        v.push(Path {
            from: ForwardFrom::ExMem,
            to: Stage::Id,
            operand: 0,
            pts: EX_MEM_TO_ID,
        });
    }
    v
}

/// Whether `f` travelled on `path`.
fn on_path(f: &Forward, path: &Path) -> bool {
    f.from == path.from && f.to == path.to && (path.operand == 0 || path.operand == f.operand)
}

fn from_name(f: ForwardFrom) -> &'static str {
    match f {
        ForwardFrom::ExMem => "EX/MEM",
        ForwardFrom::MemWb => "MEM/WB",
    }
}

/// `add` at 0x… for explanations.
fn what_at(m: &Machine, pc: u32) -> String {
    let word = m.peek_inst(pc).unwrap_or(0);
    let text = disasm(word, pc, m.symbols());
    let mnemonic = text.split_whitespace().next().unwrap_or("?");
    format!("{mnemonic} at {pc:#010x}")
}

/// What hovering shows.
#[derive(Clone, Copy, PartialEq)]
enum Hover {
    Stage(usize),
    Register(usize),
    Path(usize),
}

pub fn ui(ui: &mut egui::Ui, ctx: &mut Ctx) {
    let s = ctx.session;
    let m = &s.machine();
    let palette = ctx.palette;
    let opts = &mut ctx.options.pipeline;
    let core = &m.config.core;

    ui.horizontal_wrapped(|ui| {
        ui.checkbox(&mut opts.show_legend, "Legend");
        ui.checkbox(&mut opts.show_events, "Events");
        ui.separator();
        ui.label(summary(core, m));
    });
    if core.model == CoreModel::FiveStage {
        ui.label(
            egui::RichText::new(format!(
                "Cycle {c}: each stage shows the instruction it held in cycle {c} and what \
                 happened to it, as the chart's newest column {c} does; the pipeline \
                 registers hold what the stages pass on to cycle {}.",
                m.cycle + 1,
                c = m.cycle
            ))
            .weak(),
        );
    }
    if opts.show_legend && core.model != CoreModel::Functional {
        theme::legend(ui, &palette);
    }
    ui.separator();
    // The drawing fits the view's height too, leaving a little room below
    // for the events (the rest scrolls).
    let max_height = (ui.available_height() - 8.0).max(H * 0.45);

    match core.model {
        CoreModel::Functional => {
            ui.add_space(12.0);
            ui.label(
                "The functional core has no timing model: it runs one instruction per step, \
                 with no stages, stalls or forwarding to draw.",
            );
            ui.label(
                "Choose the FiveStage (or SingleCycle) model in Configuration, e.g. the \
                 textbook preset, to see the datapath.",
            );
        }
        CoreModel::SingleCycle => {
            egui::ScrollArea::vertical()
                .id_salt("pipeline-view")
                .auto_shrink([false, false])
                .show(ui, |ui| single_cycle(ui, m, &palette, max_height));
        }
        CoreModel::FiveStage => {
            let Some(view) = m.pipeline_view() else {
                ui.label("The pipeline has not been built.");
                return;
            };
            let Some(p) = m.pipeline.as_ref() else {
                return;
            };
            let rec = &p.last();
            let show_events = opts.show_events;
            egui::ScrollArea::vertical()
                .id_salt("pipeline-view")
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    five_stage(ui, m, core, &view, rec, &palette, max_height);
                    if show_events {
                        ui.add_space(6.0);
                        events(ui, &view, &palette);
                    }
                    predictor(ui, &view);
                });
        }
    }
}

fn summary(core: &CoreConfig, m: &Machine) -> String {
    match core.model {
        CoreModel::Functional => "functional core".into(),
        CoreModel::SingleCycle => format!(
            "single-cycle core · cycle {} · {} retired",
            m.cycle, m.instret
        ),
        CoreModel::FiveStage => format!(
            "cycle {} · {} retired · forwarding {} · hazard unit {} · branches resolved in {}",
            m.cycle,
            m.instret,
            if core.forwarding { "on" } else { "off" },
            if core.hazard_detection { "on" } else { "off" },
            match core.branch_resolution {
                BranchStage::Ex => "EX",
                BranchStage::Id => "ID",
            }
        ),
    }
}

fn style(ui: &egui::Ui, k: f32) -> Style {
    let v = ui.visuals();
    let fg = v.widgets.noninteractive.fg_stroke.color;
    let w = (1.2 * k).clamp(1.0, 2.0);
    Style {
        wire: Stroke::new(w, fg.lerp_to_gamma(v.panel_fill, 0.25)),
        control: Stroke::new(w, v.weak_text_color()),
        box_stroke: Stroke::new(w, fg),
        box_fill: v.extreme_bg_color,
        text: v.text_color(),
        weak: v.weak_text_color(),
        label: FontId::proportional((11.0 * k).clamp(8.0, 16.0)),
        small: FontId::proportional((9.5 * k).clamp(7.0, 14.0)),
    }
}

/// Allocates the canvas: full width, height in proportion.
fn canvas(ui: &mut egui::Ui, max_height: f32) -> (egui::Response, egui::Painter, Geo) {
    let width = ui.available_width().max(300.0);
    // Fit the width; a short view shrinks the drawing only down to 70 %
    // of that (then it scrolls), so the labels stay readable.
    let by_width = width / W;
    let k = by_width
        .min(max_height / H)
        .max(by_width.min(0.7))
        .clamp(0.45, 2.0);
    let (response, painter) = ui.allocate_painter(vec2(width.max(W * k), H * k), Sense::hover());
    let geo = Geo {
        o: response.rect.min + vec2(((width - W * k) / 2.0).max(0.0), 0.0),
        k,
    };
    (response, painter, geo)
}

/// A polyline with an arrowhead at its end.
fn wire(painter: &egui::Painter, g: &Geo, pts: &[(f32, f32)], stroke: Stroke) {
    let p = g.pts(pts);
    painter.add(Shape::line(p.clone(), stroke));
    if let [.., a, b] = p[..] {
        arrowhead(painter, a, b, stroke, g.k);
    }
}

/// A polyline without an arrowhead (a branch of a bus).
fn line(painter: &egui::Painter, g: &Geo, pts: &[(f32, f32)], stroke: Stroke) {
    painter.add(Shape::line(g.pts(pts), stroke));
}

fn dashed(painter: &egui::Painter, g: &Geo, pts: &[(f32, f32)], stroke: Stroke) {
    let p = g.pts(pts);
    painter.extend(Shape::dashed_line(&p, stroke, 4.0 * g.k, 3.0 * g.k));
    if let [.., a, b] = p[..] {
        arrowhead(painter, a, b, stroke, g.k);
    }
}

fn arrowhead(painter: &egui::Painter, from: Pos2, to: Pos2, stroke: Stroke, k: f32) {
    let dir = (to - from).normalized();
    if !dir.is_finite() {
        return;
    }
    let len = (5.0 * k).clamp(4.0, 9.0) + stroke.width;
    let n = vec2(-dir.y, dir.x) * len * 0.45;
    let base = to - dir * len;
    painter.add(Shape::convex_polygon(
        vec![to, base + n, base - n],
        stroke.color,
        Stroke::NONE,
    ));
}

fn dot(painter: &egui::Painter, g: &Geo, x: f32, y: f32, color: Color32) {
    painter.circle_filled(g.p(x, y), (2.2 * g.k).max(1.5), color);
}

/// A labelled box; `border` overrides the outline colour.
#[allow(clippy::too_many_arguments)]
fn component(
    painter: &egui::Painter,
    g: &Geo,
    st: &Style,
    r: (f32, f32, f32, f32),
    text: &str,
    border: Option<Color32>,
    radius: f32,
    font: &FontId,
) -> Rect {
    let rect = g.r(r.0, r.1, r.2, r.3);
    let stroke = match border {
        Some(c) => Stroke::new(st.box_stroke.width * 2.0, c),
        None => st.box_stroke,
    };
    painter.rect(
        rect,
        CornerRadius::same((radius * g.k).min(120.0) as u8),
        st.box_fill,
        stroke,
        StrokeKind::Inside,
    );
    painter.text(
        rect.center(),
        Align2::CENTER_CENTER,
        text,
        font.clone(),
        border.unwrap_or(st.text),
    );
    rect
}

/// A multiplexer: a tall capsule.
fn mux(painter: &egui::Painter, g: &Geo, st: &Style, r: (f32, f32, f32, f32), label: &str) {
    let rect = g.r(r.0, r.1, r.2, r.3);
    let radius = (rect.width() / 2.0).min(120.0) as u8;
    painter.rect(
        rect,
        CornerRadius::same(radius),
        st.box_fill,
        st.box_stroke,
        StrokeKind::Inside,
    );
    if !label.is_empty() {
        painter.text(
            pos2(rect.center().x, rect.top() - 2.0),
            Align2::CENTER_BOTTOM,
            label,
            st.small.clone(),
            st.weak,
        );
    }
}

/// The classic ALU outline (two convex halves around the notch).
fn alu(painter: &egui::Painter, g: &Geo, st: &Style, border: Option<Color32>) {
    let top = g.pts(&[
        (490.0, 180.0),
        (560.0, 210.0),
        (560.0, 240.0),
        (505.0, 240.0),
        (490.0, 225.0),
    ]);
    let bottom = g.pts(&[
        (490.0, 255.0),
        (505.0, 240.0),
        (560.0, 240.0),
        (560.0, 270.0),
        (490.0, 300.0),
    ]);
    painter.add(Shape::convex_polygon(top, st.box_fill, Stroke::NONE));
    painter.add(Shape::convex_polygon(bottom, st.box_fill, Stroke::NONE));
    let outline = g.pts(&[
        (490.0, 180.0),
        (560.0, 210.0),
        (560.0, 270.0),
        (490.0, 300.0),
        (490.0, 255.0),
        (505.0, 240.0),
        (490.0, 225.0),
    ]);
    let stroke = match border {
        Some(c) => Stroke::new(st.box_stroke.width * 2.0, c),
        None => st.box_stroke,
    };
    painter.add(Shape::closed_line(outline, stroke));
    painter.text(
        g.p(535.0, 240.0),
        Align2::CENTER_CENTER,
        "ALU",
        st.label.clone(),
        border.unwrap_or(st.text),
    );
}

/// What happened to a stage's instruction in the cycle shown: (colour,
/// the badge's word from the library's `StageState`).
fn stage_state(sv: &StageView, p: &Palette) -> Option<(Color32, &'static str)> {
    let state = sv.state?;
    let colour = match state {
        StageState::CacheMiss => p.miss,
        StageState::Held | StageState::Stalled => p.stall,
        StageState::Flushed => p.flush,
    };
    Some((colour, state.word()))
}

/// `s` cut to `n` characters, ending in `…` when cut.
fn fit(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// A stage's header box: name, state, instruction for the coming cycle.
#[allow(clippy::too_many_arguments)]
fn header(
    painter: &egui::Painter,
    g: &Geo,
    st: &Style,
    x: (f32, f32),
    name: &str,
    state: Option<(Color32, &str)>,
    text: Option<(&str, u32)>,
    p: &Palette,
    hovered: bool,
) {
    let rect = g.r(x.0 + 2.0, 2.0, x.1 - 2.0, HEADER_H);
    let (fill, stroke) = match state {
        Some((c, _)) => (c.gamma_multiply(0.18), Stroke::new(2.0, c)),
        None => (st.box_fill, st.box_stroke),
    };
    let stroke = if hovered {
        Stroke::new(stroke.width + 1.0, stroke.color)
    } else {
        stroke
    };
    painter.rect(rect, 4.0, fill, stroke, StrokeKind::Inside);
    let pad = 6.0 * g.k;
    let title = FontId::proportional((13.0 * g.k).clamp(9.0, 18.0));
    painter.text(
        rect.left_top() + vec2(pad, pad * 0.6),
        Align2::LEFT_TOP,
        name,
        title,
        st.text,
    );
    if let Some((c, word)) = state {
        painter.text(
            rect.right_top() + vec2(-pad, pad * 0.6),
            Align2::RIGHT_TOP,
            word,
            st.small.clone(),
            c,
        );
    }
    let mono_size = (11.5 * g.k).clamp(8.0, 15.0);
    let mono = FontId::monospace(mono_size);
    let chars = ((rect.width() - 2.0 * pad) / (mono_size * 0.6))
        .floor()
        .max(4.0) as usize;
    match text {
        Some((t, pc)) => {
            // The badge is about this instruction: same colour.
            let color = state.map_or(p.current, |(c, _)| c);
            painter.text(
                pos2(rect.left() + pad, rect.center().y + 2.0 * g.k),
                Align2::LEFT_CENTER,
                fit(&t.replace('\t', " "), chars),
                mono.clone(),
                color,
            );
            painter.text(
                pos2(rect.left() + pad, rect.bottom() - pad * 0.5),
                Align2::LEFT_BOTTOM,
                format!("{pc:#010x}"),
                FontId::monospace((10.0 * g.k).clamp(7.0, 13.0)),
                st.weak,
            );
        }
        None => {
            painter.text(
                pos2(rect.left() + pad, rect.center().y + 2.0 * g.k),
                Align2::LEFT_CENTER,
                "bubble",
                mono,
                p.bubble,
            );
        }
    }
}

/// The datapath common to both timing cores. `pipelined` draws the
/// pipeline registers; `highlights` colours the memories, hazard and
/// branch units.
struct Marks {
    imem: Option<Color32>,
    dmem: Option<Color32>,
    hazard: Option<Color32>,
    branch: Option<Color32>,
    /// The branch target wire (a redirect happened).
    target: Option<Color32>,
    regfile: Option<Color32>,
}

fn datapath(
    painter: &egui::Painter,
    g: &Geo,
    st: &Style,
    core: &CoreConfig,
    pipelined: bool,
    marks: &Marks,
) {
    let w = st.wire;
    let fwd = pipelined && core.forwarding;
    let branch_in_id = pipelined && core.branch_resolution == BranchStage::Id;

    // IF: PC mux, PC, instruction memory, +2 or +4.
    wire(painter, g, &[(28.0, 230.0), (38.0, 230.0)], w);
    wire(painter, g, &[(72.0, 230.0), (90.0, 230.0)], w);
    line(painter, g, &[(80.0, 160.0), (80.0, 330.0)], w);
    dot(painter, g, 80.0, 230.0, w.color);
    wire(painter, g, &[(80.0, 330.0), (92.0, 330.0)], w);
    // pc + len (2 or 4) back to the PC mux.
    wire(
        painter,
        g,
        &[
            (132.0, 330.0),
            (146.0, 330.0),
            (146.0, 372.0),
            (4.0, 372.0),
            (4.0, 245.0),
            (12.0, 245.0),
        ],
        w,
    );
    painter.text(
        g.p(150.0, 362.0),
        Align2::LEFT_CENTER,
        "pc+2/4",
        st.small.clone(),
        st.weak,
    );
    // The instruction and the pc go on to ID.
    // Into a pipeline register: an arrow only when there is one.
    let to_reg = |pts: &[(f32, f32)]| {
        if pipelined {
            wire(painter, g, pts, w)
        } else {
            line(painter, g, pts, w)
        }
    };
    to_reg(&[(166.0, 240.0), (176.0, 240.0)]);
    to_reg(&[(80.0, 160.0), (176.0, 160.0)]);

    // ID: the instruction bus, register file, immediate generator.
    line(painter, g, &[(176.0, 240.0), (214.0, 240.0)], w);
    line(painter, g, &[(214.0, 195.0), (214.0, 410.0)], w);
    dot(painter, g, 214.0, 240.0, w.color);
    wire(painter, g, &[(214.0, 195.0), (236.0, 195.0)], w);
    wire(painter, g, &[(214.0, 225.0), (236.0, 225.0)], w);
    wire(painter, g, &[(214.0, 347.0), (240.0, 347.0)], w);
    // rd travels along to write-back.
    to_reg(&[(214.0, 410.0), (804.0, 410.0)]);
    painter.text(
        g.p(330.0, 404.0),
        Align2::CENTER_BOTTOM,
        "rd",
        st.small.clone(),
        st.weak,
    );
    // Register outputs and the immediate go on to EX.
    line(painter, g, &[(320.0, 205.0), (394.0, 205.0)], w);
    line(painter, g, &[(320.0, 265.0), (394.0, 265.0)], w);
    line(painter, g, &[(316.0, 347.0), (394.0, 347.0)], w);
    // The pc goes on to EX (for the branch target and the link value).
    line(painter, g, &[(176.0, 160.0), (394.0, 160.0)], w);

    // EX: forwarding muxes, ALU source mux, ALU.
    if fwd {
        line(painter, g, &[(390.0, 205.0), (410.0, 205.0)], w);
        line(painter, g, &[(390.0, 265.0), (410.0, 265.0)], w);
        wire(painter, g, &[(424.0, 205.0), (490.0, 205.0)], w);
        wire(painter, g, &[(424.0, 265.0), (450.0, 265.0)], w);
    } else {
        wire(painter, g, &[(390.0, 205.0), (490.0, 205.0)], w);
        wire(painter, g, &[(390.0, 265.0), (450.0, 265.0)], w);
    }
    wire(
        painter,
        g,
        &[
            (390.0, 347.0),
            (444.0, 347.0),
            (444.0, 290.0),
            (450.0, 290.0),
        ],
        w,
    );
    wire(painter, g, &[(464.0, 275.0), (490.0, 275.0)], w);
    // Store data.
    line(painter, g, &[(432.0, 265.0), (432.0, 320.0)], w);
    dot(painter, g, 432.0, 265.0, w.color);
    wire(painter, g, &[(432.0, 320.0), (670.0, 320.0)], w);
    painter.text(
        g.p(520.0, 316.0),
        Align2::CENTER_BOTTOM,
        "store data",
        st.small.clone(),
        st.weak,
    );
    // ALU result to the data memory address, and past it to WB.
    wire(painter, g, &[(560.0, 240.0), (670.0, 240.0)], w);
    line(painter, g, &[(648.0, 240.0), (648.0, 180.0)], w);
    dot(painter, g, 648.0, 240.0, w.color);
    wire(
        painter,
        g,
        &[
            (648.0, 180.0),
            (845.0, 180.0),
            (845.0, 220.0),
            (860.0, 220.0),
        ],
        w,
    );
    // Memory data to WB.
    wire(painter, g, &[(770.0, 260.0), (860.0, 260.0)], w);
    // Write-back: the value and rd to the register file.
    wire(
        painter,
        g,
        &[
            (876.0, 240.0),
            (930.0, 240.0),
            (930.0, 440.0),
            (230.0, 440.0),
            (230.0, 285.0),
            (236.0, 285.0),
        ],
        w,
    );
    painter.text(
        g.p(600.0, 436.0),
        Align2::CENTER_BOTTOM,
        "write-back value",
        st.small.clone(),
        st.weak,
    );
    wire(
        painter,
        g,
        &[
            (804.0, 410.0),
            (836.0, 410.0),
            (836.0, 455.0),
            (224.0, 455.0),
            (224.0, 255.0),
            (236.0, 255.0),
        ],
        w,
    );
    painter.text(
        g.p(600.0, 451.0),
        Align2::CENTER_BOTTOM,
        "write register (rd)",
        st.small.clone(),
        st.weak,
    );

    // Branch unit: compares the operands, computes the target, redirects
    // the PC mux.
    let (bx, by) = if branch_in_id {
        ((326.0, 134.0, 372.0, 172.0), 349.0)
    } else {
        ((500.0, 96.0, 590.0, 140.0), 560.0)
    };
    if branch_in_id {
        // The pc passes through the branch unit on its way to EX.
        wire(painter, g, &[(345.0, 205.0), (345.0, 172.0)], st.wire);
        wire(painter, g, &[(335.0, 265.0), (335.0, 172.0)], st.wire);
        dot(painter, g, 345.0, 205.0, w.color);
        dot(painter, g, 335.0, 265.0, w.color);
    } else {
        line(painter, g, &[(394.0, 160.0), (515.0, 160.0)], w);
        wire(painter, g, &[(515.0, 160.0), (515.0, 140.0)], w);
        wire(
            painter,
            g,
            &[(470.0, 205.0), (470.0, 118.0), (500.0, 118.0)],
            w,
        );
        wire(
            painter,
            g,
            &[(480.0, 265.0), (480.0, 128.0), (500.0, 128.0)],
            w,
        );
        dot(painter, g, 470.0, 205.0, w.color);
        dot(painter, g, 480.0, 265.0, w.color);
    }
    let target_stroke = match marks.target {
        Some(c) => Stroke::new(w.width * 2.0, c),
        None => w,
    };
    wire(
        painter,
        g,
        &[
            (by, bx.1),
            (by, 86.0),
            (4.0, 86.0),
            (4.0, 215.0),
            (12.0, 215.0),
        ],
        target_stroke,
    );
    painter.text(
        g.p(if branch_in_id { 265.0 } else { 470.0 }, 84.0),
        Align2::CENTER_BOTTOM,
        "branch / jump target",
        st.small.clone(),
        marks.target.unwrap_or(st.weak),
    );

    // Components, drawn over the wires.
    mux(painter, g, st, (12.0, 195.0, 28.0, 265.0), "PC mux");
    component(
        painter,
        g,
        st,
        (38.0, 212.0, 72.0, 248.0),
        "PC",
        None,
        3.0,
        &st.label,
    );
    component(
        painter,
        g,
        st,
        (90.0, 190.0, 166.0, 290.0),
        "Instruction\nmemory",
        marks.imem,
        3.0,
        &st.label,
    );
    component(
        painter,
        g,
        st,
        (92.0, 312.0, 132.0, 348.0),
        "+2/4",
        None,
        3.0,
        &st.label,
    );
    component(
        painter,
        g,
        st,
        (236.0, 180.0, 320.0, 305.0),
        "Registers",
        marks.regfile,
        3.0,
        &st.label,
    );
    for (y, t) in [
        (195.0, "rs1"),
        (225.0, "rs2"),
        (255.0, "rd"),
        (285.0, "data"),
    ] {
        painter.text(
            g.p(239.0, y),
            Align2::LEFT_CENTER,
            t,
            st.small.clone(),
            st.weak,
        );
    }
    component(
        painter,
        g,
        st,
        (240.0, 330.0, 316.0, 364.0),
        "Imm gen",
        None,
        17.0,
        &st.label,
    );
    mux(painter, g, st, (450.0, 250.0, 464.0, 300.0), "ALUSrc");
    alu(painter, g, st, None);
    component(
        painter,
        g,
        st,
        (670.0, 190.0, 770.0, 330.0),
        "Data\nmemory",
        marks.dmem,
        3.0,
        &st.label,
    );
    for (y, t) in [(240.0, "addr"), (320.0, "wdata")] {
        painter.text(
            g.p(673.0, y - 8.0),
            Align2::LEFT_CENTER,
            t,
            st.small.clone(),
            st.weak,
        );
    }
    mux(painter, g, st, (860.0, 200.0, 876.0, 280.0), "WB mux");
    let branch_label = if pipelined {
        "Branch unit\ncompare, target"
    } else {
        "Branch\ncompare, target"
    };
    component(
        painter,
        g,
        st,
        bx,
        if branch_in_id {
            "Branch\n=  <"
        } else {
            branch_label
        },
        marks.branch,
        3.0,
        &st.small,
    );

    if pipelined && core.hazard_detection {
        dashed(
            painter,
            g,
            &[(200.0, 114.0), (55.0, 114.0), (55.0, 212.0)],
            st.control,
        );
        dot(painter, g, 183.0, 114.0, st.control.color);
        dashed(painter, g, &[(376.0, 124.0), (318.0, 124.0)], st.control);
        component(
            painter,
            g,
            st,
            (200.0, 96.0, 318.0, 132.0),
            "Hazard detection unit",
            marks.hazard,
            3.0,
            &st.small,
        );
        painter.text(
            g.p(120.0, 110.0),
            Align2::CENTER_BOTTOM,
            "stall: hold PC, IF/ID",
            st.small.clone(),
            st.weak,
        );
    }

    if fwd {
        mux(painter, g, st, (410.0, 185.0, 424.0, 225.0), "");
        mux(painter, g, st, (410.0, 245.0, 424.0, 285.0), "");
        dashed(painter, g, &[(417.0, 368.0), (417.0, 285.0)], st.control);
        dashed(
            painter,
            g,
            &[
                (520.0, 368.0),
                (520.0, 360.0),
                (580.0, 360.0),
                (580.0, 172.0),
                (417.0, 172.0),
                (417.0, 185.0),
            ],
            st.control,
        );
        component(
            painter,
            g,
            st,
            (404.0, 368.0, 560.0, 396.0),
            "Forwarding unit",
            None,
            3.0,
            &st.small,
        );
    }
}

fn five_stage(
    ui: &mut egui::Ui,
    m: &Machine,
    core: &CoreConfig,
    view: &PipelineView,
    rec: &CycleRecord,
    p: &Palette,
    max_height: f32,
) {
    let (response, painter, g) = canvas(ui, max_height);
    // The drawing's text for screen readers (and tests): each stage and
    // what it holds.
    let summary = view
        .stages
        .iter()
        .map(|sv| {
            let held = sv
                .instr
                .as_ref()
                .map_or_else(|| "bubble".to_string(), |n| n.text.replace('\t', " "));
            format!("{}: {held}", sv.stage.name())
        })
        .collect::<Vec<_>>()
        .join("; ");
    response.widget_info(|| egui::WidgetInfo::labeled(egui::WidgetType::Other, true, &summary));
    let st = style(ui, g.k);
    let paths = forward_paths(core);

    // What the pointer is over: a path, else a register, else a stage.
    let hover = response.hover_pos().and_then(|h| {
        let near = (5.0 * g.k).max(4.0);
        if let Some(i) = paths.iter().position(|path| {
            g.pts(path.pts)
                .windows(2)
                .any(|s| distance_to_segment(h, s[0], s[1]) <= near)
        }) {
            return Some(Hover::Path(i));
        }
        if let Some(i) = REG_X
            .iter()
            .position(|&(x0, x1)| g.r(x0, REG_Y.0, x1, REG_Y.1).expand(3.0).contains(h))
        {
            return Some(Hover::Register(i));
        }
        STAGE_X
            .iter()
            .position(|&(x0, x1)| g.r(x0, 0.0, x1, H).contains(h))
            .map(Hover::Stage)
    });

    // Stage columns, tinted by what happened in the last cycle.
    for (i, sv) in view.stages.iter().enumerate() {
        let (x0, x1) = STAGE_X[i];
        let state = stage_state(sv, p);
        // Only stalled or flushed stages are tinted: a faint tint on every
        // column was a third of the pixels a software renderer shades per
        // frame, for a difference hardly visible.
        if let Some((c, _)) = state {
            painter.rect_filled(g.r(x0, 0.0, x1, H), 4.0, c.gamma_multiply(0.07));
        }
        header(
            &painter,
            &g,
            &st,
            (x0, x1),
            sv.stage.name(),
            state,
            sv.instr.as_ref().map(|n| (n.text.as_str(), n.pc)),
            p,
            hover == Some(Hover::Stage(i)),
        );
    }

    let miss = |stage: Stage| match rec.stages[stage as usize] {
        StageEvent::Stalled(_, StallCause::CacheMiss { .. }) => Some(p.miss),
        _ => None,
    };
    let hazard_stall = rec.stages.iter().any(|e| {
        matches!(
            e,
            StageEvent::Stalled(
                _,
                StallCause::LoadUse { .. } | StallCause::DataHazard { .. }
            )
        )
    });
    let (branch, target) = match &rec.resolution {
        Some(r) if r.correct => (Some(p.hit), None),
        Some(_) => (Some(p.flush), Some(p.flush)),
        None => (None, None),
    };
    let stale = rec.stale_reads.iter().any(Option::is_some);
    let marks = Marks {
        imem: miss(Stage::If),
        dmem: miss(Stage::Mem),
        hazard: hazard_stall.then_some(p.stall),
        branch,
        target,
        regfile: stale.then_some(p.stall),
    };
    datapath(&painter, &g, &st, core, true, &marks);

    // Forwarding paths: all of them thin, the ones used thick on top.
    let used = |path: &Path| rec.forwards.iter().flatten().any(|f| on_path(f, path));
    for (i, path) in paths.iter().enumerate() {
        let mut stroke = Stroke::new(st.wire.width, p.forward.gamma_multiply(0.45));
        if hover == Some(Hover::Path(i)) {
            stroke = Stroke::new(st.wire.width * 2.0, p.forward.gamma_multiply(0.8));
        }
        wire(&painter, &g, path.pts, stroke);
    }
    for path in paths.iter().filter(|path| used(path)) {
        wire(
            &painter,
            &g,
            path.pts,
            Stroke::new((3.0 * g.k).clamp(2.5, 5.0), p.forward),
        );
    }
    if core.forwarding {
        painter.text(
            g.p(760.0, 346.0),
            Align2::RIGHT_BOTTOM,
            "forward from MEM/WB",
            st.small.clone(),
            p.forward,
        );
        painter.text(
            g.p(596.0, 336.0),
            Align2::RIGHT_BOTTOM,
            "forward from EX/MEM",
            st.small.clone(),
            p.forward,
        );
    }

    // Pipeline registers, over everything.
    for (i, &(x0, x1)) in REG_X.iter().enumerate() {
        let latch = view.registers.get(i);
        let valid = latch.is_some_and(|l| l.valid);
        let rect = g.r(x0, REG_Y.0, x1, REG_Y.1);
        let fill = if valid {
            ui.visuals().widgets.inactive.bg_fill
        } else {
            ui.visuals().extreme_bg_color
        };
        let stroke = if hover == Some(Hover::Register(i)) {
            Stroke::new(st.box_stroke.width * 2.0, p.current)
        } else {
            st.box_stroke
        };
        painter.rect(rect, 2.0, fill, stroke, StrokeKind::Inside);
        painter.text(
            g.p((x0 + x1) / 2.0, REG_Y.0 - 3.0),
            Align2::CENTER_BOTTOM,
            REG_NAMES[i],
            st.small.clone(),
            st.text,
        );
    }

    // Tooltips.
    match hover {
        Some(Hover::Stage(i)) => {
            let sv = &view.stages[i];
            response.on_hover_ui_at_pointer(|ui| stage_tooltip(ui, view.cycle, sv, p));
        }
        Some(Hover::Register(i)) => {
            if let Some(latch) = view.registers.get(i) {
                response.on_hover_ui_at_pointer(|ui| latch_tooltip(ui, view.cycle, latch, p));
            }
        }
        Some(Hover::Path(i)) => {
            let path = &paths[i];
            response.on_hover_ui_at_pointer(|ui| path_tooltip(ui, m, path, rec, p));
        }
        None => {}
    }
}

fn stage_tooltip(ui: &mut egui::Ui, cycle: u64, sv: &StageView, p: &Palette) {
    ui.strong(format!("{} stage in cycle {cycle}", sv.stage.name()));
    let text = |n: &crate::pipeline::view::InstrView| {
        format!("{:#010x}  {}", n.pc, n.text.replace('\t', " "))
    };
    let what = match (&sv.last, sv.state) {
        (StageEvent::Bubble, _) => None,
        (StageEvent::Ran(_), _) => Some(("worked on".to_string(), p.current)),
        (_, Some(state)) => {
            let (c, _) = stage_state(sv, p).unwrap_or((p.stall, ""));
            let word = match state {
                StageState::Flushed => "flushed (thrown away)",
                StageState::CacheMiss => "waited for a cache fill, holding",
                StageState::Held => "held",
                StageState::Stalled => "stalled, holding",
            };
            Some((word.to_string(), c))
        }
        (_, None) => None,
    };
    match (what, &sv.instr) {
        (Some((word, c)), Some(n)) => {
            ui.label(egui::RichText::new(word).color(c));
            ui.label(egui::RichText::new(text(n)).monospace().color(c));
        }
        _ => {
            ui.label(egui::RichText::new("a bubble (nothing)").color(p.bubble));
        }
    }
    if let Some(note) = &sv.note {
        ui.label(format!("Why: {note}"));
    }
    ui.separator();
    match &sv.next {
        Some(n) => {
            ui.label(egui::RichText::new("Next cycle it holds:").weak());
            ui.label(egui::RichText::new(text(n)).monospace().weak());
        }
        None => {
            ui.label(egui::RichText::new("Next cycle: a bubble").weak());
        }
    }
}

fn latch_tooltip(ui: &mut egui::Ui, cycle: u64, latch: &LatchView, p: &Palette) {
    ui.strong(format!("{} pipeline register", latch.name));
    ui.label(
        egui::RichText::new(format!(
            "as latched at the end of cycle {cycle}: the input of cycle {}",
            cycle + 1
        ))
        .weak(),
    );
    if !latch.valid {
        ui.label(egui::RichText::new("holds a bubble").color(p.bubble));
        return;
    }
    egui::Grid::new(("latch", latch.name))
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            for (name, value) in &latch.fields {
                ui.label(*name);
                ui.label(egui::RichText::new(value.replace('\t', " ")).monospace());
                ui.end_row();
            }
        });
}

fn path_tooltip(ui: &mut egui::Ui, m: &Machine, path: &Path, rec: &CycleRecord, p: &Palette) {
    let to = match (path.to, path.operand) {
        (Stage::Id, _) => "the branch unit in ID".to_string(),
        (_, 1) => "the ALU's first operand (rs1) in EX".to_string(),
        (_, _) => "the ALU's second operand (rs2) in EX".to_string(),
    };
    ui.strong(format!("Forwarding path: {} to {to}", from_name(path.from)));
    let what = match path.from {
        ForwardFrom::ExMem => "carries the ALU result of the instruction now in MEM (one ahead)",
        ForwardFrom::MemWb => {
            "carries the write-back value of the instruction now in WB (two ahead)"
        }
    };
    ui.label(what);
    let mut any = false;
    for f in rec.forwards.iter().flatten().filter(|f| on_path(f, path)) {
        any = true;
        ui.label(
            egui::RichText::new(format!(
                "last cycle: rs{} = {} = {:#x} from {} ({})",
                f.operand,
                abi_name(f.reg),
                f.value,
                from_name(f.from),
                what_at(m, f.producer_pc)
            ))
            .color(p.forward),
        );
    }
    if !any {
        ui.label(egui::RichText::new("not used in the last cycle").weak());
    }
}

fn distance_to_segment(p: Pos2, a: Pos2, b: Pos2) -> f32 {
    let ab: Vec2 = b - a;
    let len2 = ab.length_sq();
    if len2 == 0.0 {
        return (p - a).length();
    }
    let t = ((p - a).dot(ab) / len2).clamp(0.0, 1.0);
    (p - (a + ab * t)).length()
}

fn events(ui: &mut egui::Ui, view: &PipelineView, p: &Palette) {
    ui.strong(format!("Cycle {}: what happened", view.cycle));
    if view.events.is_empty() {
        let text = if view.cycle == 0 {
            "nothing yet: step the machine (F10)"
        } else {
            "no events in the last cycle"
        };
        ui.label(egui::RichText::new(text).weak());
        return;
    }
    for e in &view.events {
        let color = if e.starts_with("forward") {
            Some(p.forward)
        } else if e.contains("miss at") {
            Some(p.miss)
        } else if e.contains("stalled") || e.starts_with("stale") {
            Some(p.stall)
        } else if e.starts_with("flushed") || e.contains("mispredicted") || e.starts_with("trap") {
            Some(p.flush)
        } else {
            None
        };
        let text = egui::RichText::new(format!("• {}", e.replace('\t', " ")));
        ui.label(match color {
            Some(c) => text.color(c),
            None => text,
        });
    }
}

fn predictor(ui: &mut egui::Ui, view: &PipelineView) {
    let pv = &view.predictor;
    if pv.counters.is_empty() && pv.btb.is_empty() {
        ui.add_space(4.0);
        ui.label(egui::RichText::new(format!("Predictor: {}", pv.name)).weak());
        return;
    }
    egui::CollapsingHeader::new(format!("Predictor: {}", pv.name))
        .id_salt("predictor-tables")
        .show(ui, |ui| {
            if let Some((h, bits)) = pv.history {
                ui.label(
                    egui::RichText::new(format!(
                        "global history: {:0w$b} ({bits} bit{}, newest outcome on the right)",
                        h,
                        crate::pipeline::view::plural_s(bits as u64),
                        w = bits as usize
                    ))
                    .monospace(),
                );
            }
            let per_row = 16;
            let rows = pv.counters.len().div_ceil(per_row);
            ui.label(format!(
                "{} counter{} of {} bit{} ({}): predicted taken at {} or more",
                pv.counters.len(),
                crate::pipeline::view::plural_s(pv.counters.len() as u64),
                pv.counter_bits,
                if pv.counter_bits == 1 { "" } else { "s" },
                if pv.counter_bits == 1 {
                    "0 = not taken, 1 = taken"
                } else {
                    "0 strongly not taken … 3 strongly taken"
                },
                if pv.counter_bits == 1 { 1 } else { 2 }
            ));
            let row_h = ui.text_style_height(&egui::TextStyle::Monospace);
            egui::ScrollArea::vertical()
                .id_salt("counters")
                .max_height(180.0)
                .show_rows(ui, row_h, rows, |ui, range| {
                    let taken = if pv.counter_bits == 1 { 1 } else { 2 };
                    for r in range {
                        let start = r * per_row;
                        let end = (start + per_row).min(pv.counters.len());
                        ui.horizontal(|ui| {
                            ui.spacing_mut().item_spacing.x = 4.0;
                            ui.label(
                                egui::RichText::new(format!("{start:4}:"))
                                    .monospace()
                                    .weak(),
                            );
                            for &c in &pv.counters[start..end] {
                                let t = egui::RichText::new(c.to_string()).monospace();
                                ui.label(if c >= taken { t.strong() } else { t.weak() });
                            }
                        });
                    }
                });
            ui.separator();
            let filled = pv.btb.iter().filter(|e| e.is_some()).count();
            ui.label(format!(
                "branch target buffer: {filled} of {} entr{} filled",
                pv.btb.len(),
                if pv.btb.len() == 1 { "y" } else { "ies" }
            ));
            if filled > 0 {
                egui::ScrollArea::vertical()
                    .id_salt("btb")
                    .max_height(180.0)
                    .show(ui, |ui| {
                        egui::Grid::new("btb-grid").striped(true).show(ui, |ui| {
                            ui.strong("index");
                            ui.strong("branch pc");
                            ui.strong("target");
                            ui.strong("kind");
                            ui.end_row();
                            for (i, e) in pv.btb.iter().enumerate() {
                                let Some(e) = e else { continue };
                                ui.monospace(i.to_string());
                                ui.monospace(format!("{:#010x}", e.pc));
                                ui.monospace(format!("{:#010x}", e.target));
                                ui.label(e.kind.name());
                                ui.end_row();
                            }
                        });
                    });
            }
        });
}

/// The single-cycle datapath with the instruction at pc.
fn single_cycle(ui: &mut egui::Ui, m: &Machine, p: &Palette, max_height: f32) {
    let (response, painter, g) = canvas(ui, max_height);
    let st = style(ui, g.k);
    let pc = m.hart.pc;
    let text = m
        .peek_inst(pc)
        .map(|w| disasm(w, pc, m.symbols()).replace('\t', " "));
    painter.rect_filled(g.r(0.0, 0.0, W, H), 4.0, ui.visuals().faint_bg_color);
    // One header across the whole datapath: everything happens in one cycle.
    let rect = g.r(2.0, 2.0, W - 2.0, HEADER_H);
    painter.rect(rect, 4.0, st.box_fill, st.box_stroke, StrokeKind::Inside);
    let pad = 8.0 * g.k;
    painter.text(
        rect.left_top() + vec2(pad, pad * 0.6),
        Align2::LEFT_TOP,
        "Single-cycle datapath: the whole instruction runs in one cycle",
        FontId::proportional((13.0 * g.k).clamp(9.0, 18.0)),
        st.text,
    );
    painter.text(
        pos2(rect.left() + pad, rect.bottom() - pad * 0.6),
        Align2::LEFT_BOTTOM,
        match &text {
            Some(t) => format!("{pc:#010x}  {t}"),
            None => format!("{pc:#010x}  (no memory here)"),
        },
        FontId::monospace((13.0 * g.k).clamp(9.0, 17.0)),
        p.current,
    );
    // Phase labels where the pipeline has its stages.
    for (i, &(x0, x1)) in STAGE_X.iter().enumerate() {
        let name = ["fetch", "decode", "execute", "memory", "write-back"][i];
        painter.text(
            g.p((x0 + x1) / 2.0, 72.0),
            Align2::CENTER_CENTER,
            name,
            st.small.clone(),
            st.weak,
        );
    }
    let marks = Marks {
        imem: None,
        dmem: None,
        hazard: None,
        branch: None,
        target: None,
        regfile: None,
    };
    let core = &m.config.core;
    datapath(&painter, &g, &st, core, false, &marks);
    if let Some(t) = text {
        response.on_hover_ui_at_pointer(|ui| {
            ui.label("The single-cycle core runs one instruction per cycle (plus memory stall cycles); every part of the datapath works on the same instruction:");
            ui.label(egui::RichText::new(format!("{pc:#010x}  {t}")).monospace().color(p.current));
        });
    }
}
