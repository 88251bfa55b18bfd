//! One legend for the whole debugger: each colour means the same thing in
//! every view (pipeline, chart, caches, memory, registers).

use egui::Color32;

#[derive(Clone, Copy, Debug)]
pub struct Palette {
    pub stall: Color32,
    pub flush: Color32,
    pub forward: Color32,
    pub hit: Color32,
    pub miss: Color32,
    pub dirty: Color32,
    /// Values changed by the last step, recent memory accesses.
    pub changed: Color32,
    /// The current pc, the instruction in a stage.
    pub current: Color32,
    pub bubble: Color32,
}

pub fn palette(dark: bool) -> Palette {
    if dark {
        Palette {
            stall: Color32::from_rgb(230, 180, 60),
            flush: Color32::from_rgb(235, 90, 90),
            forward: Color32::from_rgb(90, 200, 250),
            hit: Color32::from_rgb(110, 210, 120),
            miss: Color32::from_rgb(235, 90, 90),
            dirty: Color32::from_rgb(200, 130, 250),
            changed: Color32::from_rgb(250, 220, 90),
            current: Color32::from_rgb(120, 170, 255),
            bubble: Color32::from_gray(110),
        }
    } else {
        Palette {
            stall: Color32::from_rgb(190, 120, 0),
            flush: Color32::from_rgb(200, 30, 30),
            forward: Color32::from_rgb(0, 120, 200),
            hit: Color32::from_rgb(20, 140, 40),
            miss: Color32::from_rgb(200, 30, 30),
            dirty: Color32::from_rgb(140, 50, 200),
            changed: Color32::from_rgb(170, 120, 0),
            current: Color32::from_rgb(30, 90, 220),
            bubble: Color32::from_gray(150),
        }
    }
}

/// The legend, drawn the same way wherever it appears.
pub fn legend(ui: &mut egui::Ui, p: &Palette) {
    ui.horizontal_wrapped(|ui| {
        for (name, c) in [
            ("stall", p.stall),
            ("flush", p.flush),
            ("forward", p.forward),
            ("hit", p.hit),
            ("miss", p.miss),
            ("dirty", p.dirty),
            ("changed", p.changed),
        ] {
            ui.label(egui::RichText::new("■").color(c));
            ui.label(name);
        }
    });
}
