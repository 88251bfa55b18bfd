//! The Devices view: the display, scaled with nearest-neighbour
//! filtering; keyboard input to the guest while the display has focus;
//! LEDs, the seven-segment digits, switches and buttons.
//!
//! The framebuffer is read once per frame, and only while the view is
//! shown (egui does not call a hidden tab), into one texture that is
//! updated in place. Inputs become `Command`s, journaled by the timeline
//! like console input.

use super::Ctx;
use crate::gui::session::Command;
use crate::platform::PixelFormat;
use crate::platform::gpio;
use crate::platform::keys::key_code;
use egui::{Color32, Sense, TextureHandle, TextureOptions, Vec2};

/// The buttons, in bit order, with their labels.
const BUTTONS: [(u8, &str); 8] = [
    (gpio::BUTTON_UP, "Up"),
    (gpio::BUTTON_DOWN, "Down"),
    (gpio::BUTTON_LEFT, "Left"),
    (gpio::BUTTON_RIGHT, "Right"),
    (gpio::BUTTON_A, "A"),
    (gpio::BUTTON_B, "B"),
    (gpio::BUTTON_START, "Start"),
    (gpio::BUTTON_SELECT, "Select"),
];

/// What the view keeps between frames (egui memory, not persisted).
#[derive(Clone, Default)]
struct State {
    texture: Option<TextureHandle>,
    /// The pixels read last frame, reused as the buffer for the next.
    pixels: Vec<u32>,
    /// Buttons held with the pointer last frame: a change is an input.
    held: u8,
    /// HID codes pressed through the display and not yet released.
    keys_down: Vec<u16>,
}

/// Whether the program has switched a device on (an interrupt enabled,
/// LEDs or digits lit, the pixel format changed): the window then brings
/// the Devices view forward, once per program.
pub fn in_use(d: &crate::platform::Devices) -> bool {
    d.plic.enable != 0
        || d.display.irq_enable
        || d.display.format != PixelFormat::Xrgb8888
        || d.keyboard.irq_enable
        || d.gpio.irq_enable
        || d.leds() != 0
        || d.sevenseg() != [0; 4]
}

/// The HID code of an egui key, for the keys `platform::keys` names.
pub fn hid_code(key: egui::Key) -> Option<u16> {
    use egui::Key;
    let name = match key {
        Key::ArrowLeft => "left",
        Key::ArrowRight => "right",
        Key::ArrowUp => "up",
        Key::ArrowDown => "down",
        Key::Enter => "enter",
        Key::Escape => "esc",
        Key::Backspace => "backspace",
        Key::Tab => "tab",
        Key::Space => "space",
        Key::Minus => "minus",
        Key::Equals => "equal",
        Key::Comma => "comma",
        Key::Period => "period",
        Key::Slash => "slash",
        // Letters and digits: their names are the key names.
        k if k.name().len() == 1 => return key_code(&k.name().to_ascii_lowercase()),
        _ => return None,
    };
    key_code(name)
}

pub fn ui(ui: &mut egui::Ui, ctx: &mut Ctx) {
    let id = ui.id().with("glassbox-devices");
    let mut st: State = ui.data(|d| d.get_temp(id)).unwrap_or_default();
    let m = ctx.session.machine();
    let dev = m.devices();
    let disp = dev.display();
    let (w, h) = (disp.width() as usize, disp.height() as usize);

    disp.read_xrgb8888(&mut st.pixels);
    let image = egui::ColorImage::new(
        [w, h],
        st.pixels
            .iter()
            .map(|p| Color32::from_rgb((p >> 16) as u8, (p >> 8) as u8, *p as u8))
            .collect(),
    );
    let texture = match &mut st.texture {
        Some(t) if t.size() == [w, h] => {
            t.set(image, TextureOptions::NEAREST);
            t.clone()
        }
        slot => slot
            .insert(
                ui.ctx()
                    .load_texture("glassbox-display", image, TextureOptions::NEAREST),
            )
            .clone(),
    };

    let focused = ui.memory(|mem| mem.has_focus(id.with("display")));
    ui.horizontal_wrapped(|ui| {
        let format = match disp.format() {
            PixelFormat::Xrgb8888 => "XRGB8888",
            PixelFormat::Rgb565 => "RGB565",
        };
        ui.label(format!(
            "Display {w}×{h} {format}, frame {}",
            disp.frame(m.cycle)
        ));
        ui.separator();
        if focused {
            ui.colored_label(
                ctx.palette.hit,
                "Keyboard: keys go to the guest. Click outside the display to release it.",
            );
        } else {
            ui.weak("Keyboard: click the display to type to the guest.");
        }
    });

    // The controls take what they need; the display gets the rest, at the
    // largest scale that fits.
    let controls_height = 150.0;
    let room = ui.available_size() - Vec2::new(0.0, controls_height);
    let scale = (room.x / w as f32).min(room.y / h as f32).max(0.25);
    let size = Vec2::new(w as f32, h as f32) * scale;
    let display_id = id.with("display");
    let (rect, _) = ui.allocate_exact_size(size, Sense::hover());
    let resp = ui.interact(rect, display_id, Sense::click());
    resp.widget_info(|| egui::WidgetInfo::labeled(egui::WidgetType::Other, true, "Guest display"));
    let resp = resp.on_hover_text("click to type to the guest");
    if resp.clicked() {
        resp.request_focus();
    }
    ui.painter().image(
        texture.id(),
        rect,
        egui::Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1.0, 1.0)),
        Color32::WHITE,
    );
    if focused {
        ui.painter().rect_stroke(
            rect,
            0.0,
            egui::Stroke::new(2.0, ctx.palette.hit),
            egui::StrokeKind::Outside,
        );
        // Arrows, Tab and Esc go to the guest, not to moving focus.
        ui.memory_mut(|mem| {
            mem.set_focus_lock_filter(
                display_id,
                egui::EventFilter {
                    tab: true,
                    horizontal_arrows: true,
                    vertical_arrows: true,
                    escape: true,
                },
            )
        });
        let events = ui.input(|i| i.events.clone());
        for e in events {
            if let egui::Event::Key {
                key,
                pressed,
                repeat: false,
                ..
            } = e
                && let Some(code) = hid_code(key)
            {
                if pressed {
                    st.keys_down.push(code);
                } else {
                    st.keys_down.retain(|&c| c != code);
                }
                ctx.commands.push(Command::Key(code, pressed));
            }
        }
    } else {
        // Focus lost with keys down: the guest sees them released.
        for code in st.keys_down.drain(..) {
            ctx.commands.push(Command::Key(code, false));
        }
    }

    ui.add_space(6.0);
    // One grid, so switch i sits right under LED i (same column, same
    // pitch); 16 checkboxes wrapped onto two rows and broke that.
    egui::Grid::new(id.with("gpio"))
        .num_columns(2)
        .show(ui, |ui| {
            ui.label("LEDs");
            leds(ui, dev.leds(), ctx.palette.hit);
            ui.end_row();
            ui.label("Switches");
            let sw = dev.switches();
            let new = switches(ui, id.with("switches"), sw);
            if new != sw {
                ctx.commands.push(Command::SetSwitches(new));
            }
            ui.end_row();
            ui.label("Seven-segment");
            sevenseg(ui, dev.sevenseg(), ctx.palette.miss);
            ui.end_row();
        });
    ui.horizontal_wrapped(|ui| {
        ui.label("Buttons (hold)");
        let mut held = 0;
        for (bit, label) in BUTTONS {
            let r = ui.add(egui::Button::new(label).selected(dev.buttons() & bit != 0));
            if r.is_pointer_button_down_on() {
                held |= bit;
            }
        }
        // Only a change made here is an input: the buttons of a past
        // cycle shown after stepping back are not edited.
        if held != st.held {
            ctx.commands.push(Command::SetButtons(held));
            st.held = held;
        }
    });
    ui.data_mut(|d| d.insert_temp(id, st));
}

/// The pitch of LEDs and switches: switch i is drawn under LED i.
const GPIO_CELL: f32 = 12.0;
const GPIO_GAP: f32 = 3.0;

/// Switch i is bit i, drawn like LED i (switch 15 leftmost): a square,
/// filled when on; a click flips it. Returns the switches after clicks.
fn switches(ui: &mut egui::Ui, id: egui::Id, bits: u16) -> u16 {
    let (d, pitch) = (GPIO_CELL, GPIO_CELL + GPIO_GAP);
    let (rect, _) = ui.allocate_exact_size(Vec2::new(16.0 * pitch, d), Sense::hover());
    let mut new = bits;
    for i in 0..16 {
        let cell = egui::Rect::from_min_size(
            egui::pos2(rect.min.x + (15 - i) as f32 * pitch, rect.min.y),
            Vec2::splat(d),
        );
        let r = ui.interact(cell, id.with(i), Sense::click());
        if r.clicked() {
            new ^= 1 << i;
        }
        let on = new & (1 << i) != 0;
        r.widget_info(|| {
            egui::WidgetInfo::selected(egui::WidgetType::Checkbox, true, on, format!("switch {i}"))
        });
        let v = ui.style().interact(&r);
        let fill = if on {
            ui.visuals().selection.bg_fill
        } else {
            v.bg_fill
        };
        ui.painter()
            .rect(cell, 2.0, fill, v.bg_stroke, egui::StrokeKind::Inside);
        r.on_hover_text(format!("switch {i}: {}", if on { "on" } else { "off" }));
    }
    new
}

/// LED i is bit i; LED 15 is drawn first (leftmost).
fn leds(ui: &mut egui::Ui, bits: u16, lit: Color32) {
    let (d, pitch) = (GPIO_CELL, GPIO_CELL + GPIO_GAP);
    let (rect, _) = ui.allocate_exact_size(Vec2::new(16.0 * pitch, d), Sense::hover());
    let off = ui.visuals().widgets.inactive.bg_fill;
    for i in 0..16 {
        let x = rect.min.x + (15 - i) as f32 * pitch + d / 2.0;
        let on = bits & (1 << i) != 0;
        ui.painter().circle_filled(
            egui::pos2(x, rect.center().y),
            d / 2.0,
            if on { lit } else { off },
        );
    }
}

/// Four digits, digit 0 rightmost; segments a..g in bits 0..6, the point
/// in bit 7.
fn sevenseg(ui: &mut egui::Ui, digits: [u8; 4], lit: Color32) {
    let (dw, dh, t) = (16.0, 28.0, 3.0);
    let (rect, _) = ui.allocate_exact_size(Vec2::new(4.0 * (dw + 8.0), dh), Sense::hover());
    let off = ui.visuals().widgets.inactive.bg_fill;
    let p = ui.painter();
    for (n, &segs) in digits.iter().rev().enumerate() {
        let o = rect.min + Vec2::new(n as f32 * (dw + 8.0), 0.0);
        let h2 = dh / 2.0;
        // (x, y, width, height) of a..g, relative to the digit's corner.
        let shapes = [
            (t, 0.0, dw - 2.0 * t, t),
            (dw - t, t, t, h2 - t),
            (dw - t, h2, t, h2 - t),
            (t, dh - t, dw - 2.0 * t, t),
            (0.0, h2, t, h2 - t),
            (0.0, t, t, h2 - t),
            (t, h2 - t / 2.0, dw - 2.0 * t, t),
        ];
        for (s, &(x, y, w, h)) in shapes.iter().enumerate() {
            let r = egui::Rect::from_min_size(o + Vec2::new(x, y), Vec2::new(w, h));
            p.rect_filled(r, 1.0, if segs & (1 << s) != 0 { lit } else { off });
        }
        let dot = egui::pos2(o.x + dw + 3.0, o.y + dh - t / 2.0);
        p.circle_filled(dot, t / 2.0 + 0.5, if segs & 0x80 != 0 { lit } else { off });
    }
}
