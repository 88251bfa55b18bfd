//! Issue 15: what the window shows is exactly right. Kittests for the
//! pipeline view, the chart and the Caches view after runs and stops.

#![cfg(feature = "gui")]

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use glassbox::config::MachineConfig;
use glassbox::gui::views::Tab;
use glassbox::gui::{Command, GlassboxApp, Session, Settings, Speed};
use glassbox::pipeline::record::{Stage, StageEvent, StallCause};

const STORE_LOAD: &str = "    .globl _start
_start:
    addi sp, sp, -16
    li t1, 5
    sw t1, 0(sp)
    lw t0, 0(sp)
    mv a0, t1
    add a0, a0, t0
    li a7, 93
    ecall
";

fn app(preset: &str, tabs: Vec<Tab>) -> GlassboxApp {
    let cfg = MachineConfig::preset(preset).expect("preset");
    let session = Session::demo(cfg).expect("demo loads");
    let mut a = GlassboxApp::new(session, Settings::showing(tabs));
    a.push(Command::SetSpeed(Speed::Full));
    a
}

fn harness(app: GlassboxApp, size: egui::Vec2) -> Harness<'static, GlassboxApp> {
    let mut h = Harness::builder()
        .with_size(size)
        .build_ui_state(|ui, app: &mut GlassboxApp| app.show(ui), app);
    h.run();
    h
}

fn big() -> egui::Vec2 {
    egui::Vec2::new(1600.0, 1000.0)
}

/// Frames until the run stops.
fn run_to_stop(h: &mut Harness<'static, GlassboxApp>) {
    for _ in 0..500 {
        h.run_steps(1);
        if !h.state().session().running {
            break;
        }
    }
    h.run();
    assert!(!h.state().session().running, "the run stopped");
}

#[test]
fn after_a_run_the_chart_ends_at_the_last_cycle() {
    for preset in ["default", "no-forwarding", "classic-l1", "textbook"] {
        let mut h = harness(app(preset, vec![Tab::Chart]), big());
        h.get_by_label("▶ Run").click();
        run_to_stop(&mut h);
        let cycle = h.state().session().machine().cycle;
        let first = cycle.saturating_sub(2_000) + 1;
        h.get_by_label_contains(&format!("cycles {first}–{cycle},"));
    }
}

#[test]
fn after_a_run_the_caches_view_shows_the_last_access() {
    let mut h = harness(app("default", vec![Tab::Caches]), big());
    h.get_by_label("last access: none yet");
    h.get_by_label("▶ Run").click();
    run_to_stop(&mut h);
    let (cycle, ev) = {
        let s = h.state().session();
        let mem = s.machine().memory.as_ref().unwrap();
        mem.last_access(glassbox::memory::Level::L1d)
            .expect("an L1D access")
    };
    assert!(h.query_by_label("last access: none yet").is_none());
    h.get_by_label_contains(&format!("{:#010x} in set {}", ev.addr, ev.set));
    let now = h.state().session().machine().cycle;
    let ago = now - (cycle + 1);
    let s = if ago == 1 { "" } else { "s" };
    h.get_by_label_contains(&format!("(in cycle {}, {ago} cycle{s} ago)", cycle + 1));
}

#[test]
fn the_stage_badge_and_text_are_about_the_same_instruction() {
    // The steps: the program, Reset, Run N to the last cycle of
    // the store's data-cache fill.
    let k = {
        let program = glassbox::asm::assemble(STORE_LOAD, &Default::default()).unwrap();
        let mut m = glassbox::Machine::new(MachineConfig::preset("default").unwrap()).unwrap();
        m.load(&program.image);
        loop {
            m.step();
            let rec = m.pipeline.as_ref().unwrap().last();
            if matches!(
                rec.stages[Stage::Mem as usize],
                StageEvent::Stalled(_, StallCause::CacheMiss { left: 0, .. })
            ) {
                break m.cycle;
            }
        }
    };
    let mut a = app("default", vec![Tab::Pipeline]);
    a.push(Command::Assemble {
        name: "t.s".into(),
        source: STORE_LOAD.into(),
    });
    a.push(Command::Reset);
    a.push(Command::RunCycles(k));
    let mut h = harness(a, big());
    h.run();
    assert_eq!(h.state().session().machine().cycle, k);
    // MEM shows the store whose fill ends, not the load behind it.
    h.get_by_label_contains("MEM: sw t1,0(sp); WB: bubble");
    h.get_by_label_contains(&format!("Cycle {k}: each stage shows"));
    // One more cycle: the load is in MEM.
    h.get_by_label("Step cycle").click();
    h.run();
    h.get_by_label_contains("MEM: lw t0,0(sp)");
}

#[test]
fn the_chart_legend_explains_the_marks_it_uses() {
    let mut a = app("textbook", vec![Tab::Chart]);
    a.push(Command::Assemble {
        name: "t.s".into(),
        source: "    .globl _start\n_start:\n    lw t0, -4(sp)\n    add t1, t0, t0\n    \
                 li a7, 93\n    ecall\n"
            .into(),
    });
    let mut h = harness(a, big());
    for _ in 0..4 {
        h.get_by_label("Step cycle").click();
        h.run();
    }
    h.get_by_label("IF*");
    h.get_by_label_contains("held in IF: an instruction-cache miss");
    h.get_by_label("ID*");
    h.get_by_label_contains("stalled in ID: a data hazard (load-use)");
    assert!(
        h.query_by_label("MEM*").is_none(),
        "only marks the chart uses"
    );
}

#[test]
fn the_caches_statistics_grow_with_the_view() {
    let mut h = harness(
        app("default", vec![Tab::Caches]),
        egui::Vec2::new(900.0, 420.0),
    );
    h.get_by_label("▶ Run").click();
    run_to_stop(&mut h);
    // Enlarged: the statistics are laid out inside the window, whole.
    h.set_size(big());
    h.run();
    for label in ["hit rate 9", "Hit rate over time", "compulsory"] {
        let rect = h.get_by_label_contains(label).rect();
        assert!(
            rect.min.y >= 0.0 && rect.max.y <= 1000.0,
            "{label} at {rect:?}"
        );
    }
}

#[test]
fn one_is_singular_in_the_window() {
    let cfg = MachineConfig::preset("default").unwrap();
    let session = Session::demo(cfg).unwrap();
    let mut settings = Settings::showing(vec![Tab::Caches]);
    settings.run_n = 1;
    let mut a = GlassboxApp::new(session, settings);
    a.push(Command::RunCycles(3));
    let mut h = harness(a, big());
    h.get_by_label("L1I").click();
    h.run();
    // L1I's last access was the first fetch, in cycle 1, two cycles ago;
    // its hit time is one cycle.
    h.get_by_label_contains("(in cycle 1, 2 cycles ago)");
    h.get_by_label_contains("hit 1 cycle");
    assert!(h.query_by_label_contains("1 cycles").is_none());
    // The Run menu's item for N = 1.
    h.get_by_label("Run").click();
    h.run();
    h.get_by_label_contains("Run 1 cycle").click();
    h.run();
    assert_eq!(h.state().session().machine().cycle, 4);
    h.get_by_label_contains("(in cycle 1, 3 cycles ago)");
}

#[test]
fn the_memory_view_shows_words_in_hex_and_decimal() {
    let mut a = app("textbook", vec![Tab::Memory]);
    a.push(Command::Assemble {
        name: "t.s".into(),
        source: "    .globl _start\n_start:\n    li a0, -2\n    li a7, 93\n    ecall\n".into(),
    });
    let mut h = harness(a, big());
    let words: Vec<u32> = {
        let s = h.state().session();
        let m = s.machine();
        (0..4)
            .map(|k| m.peek(0x8000_0000 + 4 * k, 4).unwrap())
            .collect()
    };
    let bytes: Vec<String> = words
        .iter()
        .flat_map(|w| w.to_le_bytes())
        .map(|b| format!("{b:02x}"))
        .collect();
    h.get_by_label_contains(&format!("80000000: {}", bytes.join(" ")));
    h.get_by_label("words (hex)").click();
    h.run();
    let hex: Vec<String> = words.iter().map(|w| format!("{w:08x}")).collect();
    h.get_by_label_contains(&format!("80000000: {}", hex.join(" ")));
    h.get_by_label("words (dec)").click();
    h.run();
    let dec: Vec<String> = words.iter().map(|w| format!("{:>11}", *w as i32)).collect();
    h.get_by_label_contains(&format!("80000000: {}", dec.join(" ").trim_start()));
}

/// Whether `c` renders as itself rather than as egui's replacement box
/// (`Fonts::has_glyph` answers "no" for every character of the face that
/// holds the box, so the test compares the atlas images instead).
fn has_glyph(ctx: &egui::Context, font: &egui::FontId, c: char) -> bool {
    let uv = |s: &str| {
        let g = ctx.fonts_mut(|f| f.layout_no_wrap(s.into(), font.clone(), egui::Color32::WHITE));
        g.rows[0].row.glyphs[0].uv_rect
    };
    uv(&c.to_string()) != uv("\u{fffe}")
}

/// Glyphs used only in monospace text, where Hack (egui's bundled
/// monospace font) has them and the proportional fonts do not.
const MONOSPACE_ONLY_GLYPHS: &[char] = &['│', '▮'];

/// Every non-ASCII character in the GUI's code (comments aside) has a
/// glyph in egui's bundled fonts, so nothing renders as a box: `→`, `✓`
/// and `✕`, missing from the proportional fonts, were boxes once.
#[test]
fn gui_text_has_glyphs_in_the_bundled_fonts() {
    let mut h = Harness::new_ui(|ui| {
        ui.label("fonts");
    });
    h.run();
    // The check tells a box from a glyph.
    let (prop, mono) = (
        egui::FontId::proportional(14.0),
        egui::FontId::monospace(14.0),
    );
    assert!(!has_glyph(&h.ctx, &prop, '✓') && !has_glyph(&h.ctx, &prop, '→'));
    assert!(has_glyph(&h.ctx, &mono, '→') && has_glyph(&h.ctx, &prop, '◀'));
    let mut files = vec![std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/gui")];
    let mut missing = Vec::new();
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        if path.extension().is_none_or(|x| x != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = if line.trim_start().starts_with("//") {
                ""
            } else {
                line
            };
            for c in code.chars().filter(|c| !c.is_ascii()) {
                let family = if MONOSPACE_ONLY_GLYPHS.contains(&c) {
                    egui::FontId::monospace(14.0)
                } else {
                    egui::FontId::proportional(14.0)
                };
                if !has_glyph(&h.ctx, &family, c) {
                    missing.push(format!("{}:{}: {c:?}", path.display(), n + 1));
                }
            }
        }
    }
    assert!(missing.is_empty(), "no glyph in egui's fonts: {missing:#?}");
}

/// The Devices view on the snake ROM: its labels say what the display
/// is and how the keyboard reaches the guest; a click gives the display
/// the keyboard, and a key pressed then is the guest's.
#[test]
fn the_devices_view_gives_the_keyboard_to_the_guest() {
    let cfg = MachineConfig::preset("textbook").expect("preset");
    let mut session = Session::demo(cfg).expect("demo loads");
    let rom = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("roms/devices/snake.elf");
    session.apply(Command::Open(rom));
    let mut a = GlassboxApp::new(session, Settings::showing(vec![Tab::Devices]));
    a.push(Command::RunCycles(1_000_000));
    let mut h = Harness::builder()
        .with_size(big())
        .build_ui_state(|ui, app: &mut GlassboxApp| app.show(ui), a);
    run_to_stop(&mut h);
    assert_eq!(h.state().session().machine().cycle, 1_000_000);
    h.get_by_label("Display 320×240 XRGB8888, frame 5");
    h.get_by_label("Keyboard: click the display to type to the guest.");
    for label in [
        "LEDs",
        "Seven-segment",
        "Switches",
        "Buttons (hold)",
        "Start",
    ] {
        h.get_by_label(label);
    }
    h.get_by_label("Guest display").click();
    h.run();
    h.get_by_label("Keyboard: keys go to the guest. Click outside the display to release it.");
    h.key_press(egui::Key::Space);
    h.run();
    let (queued, digits) = devices_of(&h);
    assert_eq!(queued, 2, "space pressed and released");
    assert_eq!(digits, [0; 4], "the game has not started");
    h.state_mut().push(Command::RunCycles(1_000_000));
    run_to_stop(&mut h);
    assert_eq!(
        devices_of(&h),
        (0, [0x3f; 4]),
        "keys read; the game shows its score, 0000"
    );
}

/// Keys waiting in the keyboard FIFO and the seven-segment digits.
fn devices_of(h: &Harness<'static, GlassboxApp>) -> (usize, [u8; 4]) {
    let s = h.state().session();
    let d = s.machine().devices();
    (d.keys_queued(), d.sevenseg())
}

/// A program that switches a device on brings the Devices view forward
/// (in the default layout it sits behind the Console).
#[test]
fn a_program_using_the_devices_brings_their_view_forward() {
    let cfg = MachineConfig::preset("textbook").expect("preset");
    let mut session = Session::demo(cfg).expect("demo loads");
    let rom = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("roms/devices/leds.elf");
    session.apply(Command::Open(rom));
    let mut a = GlassboxApp::new(session, Settings::default());
    a.push(Command::RunCycles(10));
    let mut h = Harness::builder()
        .with_size(big())
        .build_ui_state(|ui, app: &mut GlassboxApp| app.show(ui), a);
    run_to_stop(&mut h);
    assert!(
        h.query_by_label("Guest display").is_none(),
        "not yet in use"
    );
    h.state_mut().push(Command::RunCycles(100_000));
    run_to_stop(&mut h);
    h.get_by_label("Guest display");
}
