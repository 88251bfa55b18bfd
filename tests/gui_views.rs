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

/// The chart on `textbook`, at reset of a load followed by its user (one
/// load-use stall).
fn load_use_chart() -> Harness<'static, GlassboxApp> {
    let mut a = app("textbook", vec![Tab::Chart]);
    a.push(Command::Assemble {
        name: "t.s".into(),
        source: "    .globl _start\n_start:\n    lw t0, -4(sp)\n    add t1, t0, t0\n    \
                 li a7, 93\n    ecall\n"
            .into(),
    });
    harness(a, big())
}

#[test]
fn the_chart_legend_explains_the_marks_it_uses() {
    let mut h = load_use_chart();
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

/// The chart above the Caches view (L1D tab), on a program run to its end
/// by the background runner, as in the window (`GlassboxApp::with_worker`).
fn worker_app(cfg: MachineConfig, rom: Option<&str>) -> GlassboxApp {
    let mut session = Session::demo(cfg).expect("demo loads");
    if let Some(rom) = rom {
        session.open(std::path::Path::new(rom));
        assert!(session.error.is_none(), "{:?}", session.error);
    }
    let mut dock = egui_dock::DockState::new(vec![Tab::Chart]);
    dock.main_surface_mut()
        .split_below(egui_dock::NodeIndex::root(), 0.5, vec![Tab::Caches]);
    let settings = Settings {
        dock: Some(dock),
        ..Settings::default()
    };
    let mut a = GlassboxApp::new(session, settings).with_worker();
    a.push(Command::SetSpeed(Speed::Full));
    a
}

#[test]
fn after_a_background_run_the_chart_and_caches_show_its_end() {
    // `no-forwarding` alone has no caches: also the default caches with
    // the no-forwarding core.
    let default_no_forwarding = glassbox::config::ConfigName {
        core: Some("no-forwarding".into()),
        ..glassbox::config::ConfigName::base("default")
    };
    for (preset, rom) in [
        ("default", None),
        ("no-forwarding", None),
        ("default, core: no-forwarding", None),
        ("classic-l1", None),
        ("default", Some("roms/matmul.elf")),
    ] {
        let cfg = match preset {
            "default, core: no-forwarding" => default_no_forwarding.resolve().unwrap(),
            name => MachineConfig::preset(name).expect("preset"),
        };
        let mut h = harness(worker_app(cfg, rom), big());
        h.get_by_label("▶ Run").click();
        // Frames while the worker runs (the bound only ends a hung test).
        for _ in 0..60_000 {
            h.run_steps(1);
            if !h.state().session().running {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        h.run();
        let (cycle, last) = {
            let s = h.state().session();
            assert!(!s.running, "{preset} {rom:?}: the run stopped");
            assert_eq!(s.last_stop.as_deref(), Some("exited with code 0"));
            let mem = s.machine().memory.as_ref();
            let last = mem.map(|m| m.last_access(glassbox::memory::Level::L1d));
            (s.machine().cycle, last)
        };
        let first = cycle.saturating_sub(2_000) + 1;
        h.get_by_label_contains(&format!("cycles {first}–{cycle},"));
        let Some(last) = last else {
            // Ideal memory: the Caches view says there are none.
            continue;
        };
        let (at, ev) = last.expect("an L1D access");
        assert!(h.query_by_label("last access: none yet").is_none());
        h.get_by_label_contains(&format!("{:#010x} in set {}", ev.addr, ev.set));
        let ago = cycle - (at + 1);
        let s = if ago == 1 { "" } else { "s" };
        h.get_by_label_contains(&format!("(in cycle {}, {ago} cycle{s} ago)", at + 1));
    }
}

#[test]
fn a_short_chart_after_a_long_one_scrolled_to_its_end_is_drawn() {
    // Follow scrolls a window of many rows to its last one; the next
    // window has a handful, and the scroll offset is past its end for a
    // frame.
    let mut a = app("textbook", vec![Tab::Chart]);
    a.push(Command::Assemble {
        name: "spin.s".into(),
        source: "    .globl _start\n_start:\n    addi t0, t0, 1\n    j _start\n".into(),
    });
    a.push(Command::RunCycles(3_000));
    let mut h = harness(a, big());
    h.run();
    assert!(h.state().session().chart.row_count() > 500);
    h.state_mut().push(Command::Reset);
    h.state_mut().push(Command::RunCycles(5));
    h.run();
    h.get_by_label_contains("cycles 1–5, ");
}

/// The centre of a chart cell: row `row` (fetch order), column `col`
/// (from the first recorded cycle), as `views::chart` lays them out.
fn chart_cell(h: &Harness<'static, GlassboxApp>, row: usize, col: usize) -> egui::Pos2 {
    let font = egui::FontId::monospace(12.0);
    let char_w = h.ctx.fonts_mut(|f| f.glyph_width(&font, '0'));
    let row_h = (h.ctx.fonts_mut(|f| f.row_height(&font)) + 5.0).round();
    let cell_w = (char_w * 5.0 + 10.0).round();
    let label_w = (char_w * 34.0 + 14.0).round();
    let header_h = row_h + 2.0;
    let origin = h.get_by_label("pipeline chart cells").rect().min;
    egui::pos2(
        origin.x + label_w + (col as f32 + 0.5) * cell_w,
        origin.y + header_h + (row as f32 + 0.5) * row_h,
    )
}

#[test]
fn hovering_a_chart_cell_gives_its_reason_in_words() {
    let mut h = load_use_chart();
    h.get_by_label("Step cycle").click();
    h.run();
    // The load, fetched in cycle 1: one cycle, singular.
    h.hover_at(chart_cell(&h, 0, 0));
    h.run();
    h.get_by_label("in the pipeline in cycle 1");
    h.get_by_label("cycle 1: worked in IF");
    for _ in 0..3 {
        h.get_by_label("Step cycle").click();
        h.run();
    }
    // Cycle 3: the add waits in ID for the load's value, in the datapath
    // view's words.
    h.hover_at(chart_cell(&h, 1, 2));
    h.run();
    h.get_by_label("cycle 3: stalled in ID: load-use: t0 from lw at 0x80000000");
    h.get_by_label("in the pipeline in cycles 2–4");
    // The `li` behind it is held in IF.
    h.hover_at(chart_cell(&h, 2, 2));
    h.run();
    h.get_by_label("cycle 3: held in IF: the stage ahead is stalled");
}

#[test]
fn the_stall_bars_say_their_values_in_a_tooltip() {
    // Tooltips are a layer of their own: never cut off at the panel's
    // edge, unlike the plot's own hover labels (switched off).
    let mut h = harness(app("default", vec![Tab::Statistics]), big());
    h.get_by_label("▶ Run").click();
    run_to_stop(&mut h);
    let expected: Vec<String> = {
        let s = h.state().session();
        let stats = s.machine().stats();
        let count = |name: &str| match stats.iter().find(|s| s.name == name).unwrap().value {
            glassbox::stats::StatValue::Count(n) => n,
            v => panic!("{name}: {v:?}"),
        };
        let cycles = count("cycles");
        [
            ("load_use", "load-use"),
            ("data_hazard", "data hazard"),
            ("ex_busy", "EX busy"),
            ("serialize", "serialize"),
            ("wfi", "wfi"),
            ("icache", "I-cache"),
            ("dcache", "D-cache"),
        ]
        .iter()
        .map(|(name, label)| {
            let name = format!("pipeline.stall.{name}");
            let n = count(&name);
            let what = stats.iter().find(|s| s.name == name).unwrap().description;
            let words = glassbox::pipeline::view::plural(n, "stall cycle");
            let share = 100.0 * n as f64 / cycles as f64;
            format!("{label}: {words} ({share:.1} % of all cycles)\n{what}")
        })
        .collect()
    };
    // Down the plot under the total, through every bar.
    let total = h.get_by_label_contains(" stall cycles (").rect();
    let mut seen = std::collections::BTreeSet::new();
    for dy in (4..170).step_by(4) {
        h.hover_at(egui::pos2(total.min.x + 200.0, total.max.y + dy as f32));
        h.run();
        for label in &expected {
            if h.query_by_label(label).is_some() {
                seen.insert(label.clone());
            }
        }
    }
    assert_eq!(seen.len(), expected.len(), "{seen:#?}");
}

/// Hovers the header of a stage of the datapath drawing (stage boxes as
/// `views::pipeline` lays them out: 1000 × 465 units, centred, scaled).
fn hover_stage(h: &mut Harness<'static, GlassboxApp>, stage: Stage) {
    const STAGE_X: [(f32, f32); 5] = [
        (0.0, 172.0),
        (194.0, 372.0),
        (394.0, 612.0),
        (634.0, 800.0),
        (822.0, 1000.0),
    ];
    let rect = h.get_by_label_contains("IF: ").rect();
    let k = rect.height() / 465.0;
    let ox = rect.min.x + ((rect.width() - 1000.0 * k) / 2.0).max(0.0);
    let (x0, x1) = STAGE_X[stage as usize];
    h.hover_at(egui::pos2(ox + k * (x0 + x1) / 2.0, rect.min.y + 20.0 * k));
    h.run();
}

#[test]
fn stage_tooltips_during_a_data_cache_miss() {
    // The cycle the store's fill ends, and one while it freezes the rest.
    let (end, sp) = {
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
                break (m.cycle, m.hart.reg(2));
            }
        }
    };
    let mut a = app("default", vec![Tab::Pipeline]);
    a.push(Command::Assemble {
        name: "t.s".into(),
        source: STORE_LOAD.into(),
    });
    a.push(Command::RunCycles(end - 10));
    let mut h = harness(a, big());
    // MEM: the store waits for its fill; IF is held, not a bubble.
    hover_stage(&mut h, Stage::Mem);
    h.get_by_label(&format!("MEM stage in cycle {}", end - 10));
    h.get_by_label("waited for a cache fill, holding");
    // It holds the store now and in the coming cycle.
    assert_eq!(h.get_all_by_label("0x80000008  sw t1,0(sp)").count(), 2);
    h.get_by_label(&format!(
        "Why: data-cache miss at {sp:#010x}: the fill needs 10 more cycles"
    ));
    hover_stage(&mut h, Stage::If);
    h.get_by_label(&format!("IF stage in cycle {}", end - 10));
    h.get_by_label("held");
    h.get_by_label("Why: held: the stage ahead is stalled");
    assert!(h.query_by_label("a bubble (nothing)").is_none());
    // The fill's last cycle: the store's, completing.
    h.state_mut().push(Command::RunCycles(10));
    h.run();
    hover_stage(&mut h, Stage::Mem);
    h.get_by_label(&format!("MEM stage in cycle {end}"));
    h.get_by_label("0x80000008  sw t1,0(sp)");
    h.get_by_label(&format!(
        "Why: data-cache miss at {sp:#010x}: the fill completes in this cycle"
    ));
    // Then the load, which hits.
    h.state_mut().push(Command::StepCycle);
    h.run();
    hover_stage(&mut h, Stage::Mem);
    h.get_by_label("worked on");
    h.get_by_label("0x8000000c  lw t0,0(sp)");
    assert!(h.query_by_label_contains("Why:").is_none());
}

#[test]
fn the_first_cycle_of_a_fetch_miss_is_marked_in_the_view() {
    let mut a = app("default", vec![Tab::Pipeline]);
    a.push(Command::Assemble {
        name: "t.s".into(),
        source: STORE_LOAD.into(),
    });
    a.push(Command::StepCycle);
    let mut h = harness(a, big());
    hover_stage(&mut h, Stage::If);
    h.get_by_label("IF stage in cycle 1");
    h.get_by_label("waited for a cache fill, holding");
    h.get_by_label("Why: instruction-cache miss at 0x80000000: the fill needs 110 more cycles");
}

#[test]
fn the_legend_explains_the_marks_of_a_data_cache_miss() {
    let mut a = app("default", vec![Tab::Chart]);
    a.push(Command::Assemble {
        name: "t.s".into(),
        source: STORE_LOAD.into(),
    });
    a.push(Command::RunCycles(400));
    let h = harness(a, big());
    for (mark, meaning) in [
        (
            "IF*",
            "held in IF: an instruction-cache miss, or a stall or a data-cache miss ahead",
        ),
        (
            "ID*",
            "stalled in ID: a data hazard (load-use), serialization or wfi, or held behind EX",
        ),
        (
            "EX*",
            "held in EX: a multi-cycle operation (mul, div), or a data-cache miss ahead",
        ),
        ("MEM*", "held in MEM: a data-cache miss (fill)"),
    ] {
        h.get_by_label(mark);
        h.get_by_label(meaning);
    }
}

#[test]
fn a_pause_in_a_background_run_leaves_the_chart_at_the_current_cycle() {
    let cfg = MachineConfig::preset("default").unwrap();
    let mut h = harness(worker_app(cfg, Some("roms/matmul.elf")), big());
    h.get_by_label("▶ Run").click();
    // Frames until the worker is well into the run.
    for _ in 0..60_000 {
        h.run_steps(1);
        if h.state().session().machine().cycle > 100_000 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    h.get_by_label("⏸ Pause").click();
    h.run();
    let cycle = {
        let s = h.state().session();
        assert!(!s.running);
        assert_eq!(s.last_stop.as_deref(), Some("paused"));
        s.machine().cycle
    };
    assert!(cycle > 100_000);
    h.get_by_label_contains(&format!("cycles {}–{cycle},", cycle - 1_999));
    h.get_by_label_contains("(in cycle ");
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

/// Seen under Xvfb: the 16 switch checkboxes wrapped onto two rows, so
/// switch i no longer sat under LED i and clicking "the first switch"
/// set switch 15. Now switch i is drawn right under LED i, and a click
/// on it sets bit i of the switches.
#[test]
fn switch_i_sits_under_led_i() {
    let cfg = MachineConfig::preset("textbook").expect("preset");
    let mut session = Session::demo(cfg).expect("demo loads");
    let rom = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("roms/devices/leds.elf");
    session.apply(Command::Open(rom));
    let mut a = GlassboxApp::new(session, Settings::showing(vec![Tab::Devices]));
    a.push(Command::RunCycles(100_000));
    // A narrow window, as in the default layout's Devices pane.
    let mut h = Harness::builder()
        .with_size(egui::Vec2::new(420.0, 700.0))
        .build_ui_state(|ui, app: &mut GlassboxApp| app.show(ui), a);
    run_to_stop(&mut h);
    let row_y = h.get_by_label("switch 0").rect().center().y;
    let mut prev_x = f32::INFINITY;
    for i in 0..16 {
        let r = h.get_by_label(&format!("switch {i}")).rect();
        assert_eq!(r.center().y, row_y, "switch {i} on the one row");
        assert!(r.center().x < prev_x, "switch {i} left of switch {}", i - 1);
        prev_x = r.center().x;
    }
    for i in [0, 3, 14] {
        h.get_by_label(&format!("switch {i}")).click();
        h.run();
    }
    h.state_mut().push(Command::RunCycles(100_000));
    run_to_stop(&mut h);
    let s = h.state().session();
    let d = s.machine().devices();
    assert_eq!((d.switches(), d.leds()), (0x4009, 0x4009));
}
