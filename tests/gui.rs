//! The debugger driven without a display (egui_kittest): find widgets by
//! their labels, click, and check what the window shows.

#![cfg(feature = "gui")]

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use glassbox::config::MachineConfig;
use glassbox::gui::views::Tab;
use glassbox::gui::{Command, GlassboxApp, Session, Settings};

fn app(preset: &str) -> GlassboxApp {
    let cfg = MachineConfig::preset(preset).expect("preset");
    let session = Session::demo(cfg).expect("demo loads");
    GlassboxApp::new(session, Settings::default())
}

fn harness(app: GlassboxApp) -> Harness<'static, GlassboxApp> {
    let mut h = Harness::builder()
        .with_size(egui::Vec2::new(1600.0, 1000.0))
        .build_ui_state(|ui, app: &mut GlassboxApp| app.show(ui), app);
    h.run();
    h
}

#[test]
fn opens_paused_at_reset_on_the_demo() {
    let h = harness(app("textbook"));
    h.get_by_label("cycle 0");
    h.get_by_label("instret 0");
    h.get_by_label("ready at reset");
    h.get_by_label_contains("fibonacci");
    assert!(!h.state().session().running);
}

#[test]
fn stepping_a_cycle_advances_the_machine_and_the_registers_view() {
    let mut h = harness(app("textbook"));
    h.get_by_label("Step cycle").click();
    h.run();
    h.get_by_label("cycle 1");
    assert_eq!(h.state().session().machine().cycle, 1);
    // Five cycles: the first instruction reaches WB and retires.
    for _ in 0..4 {
        h.get_by_label("Step cycle").click();
        h.run();
    }
    h.get_by_label("cycle 5");
    h.get_by_label("instret 1");
    // The registers view shows pc in hex.
    let pc = h.state().session().machine().hart.pc;
    h.get_by_label(&format!("0x{pc:08x}"));
}

#[test]
fn step_instruction_retires_exactly_one() {
    let mut h = harness(app("textbook"));
    h.get_by_label("Step instr").click();
    h.run();
    assert_eq!(h.state().session().machine().instret, 1);
    h.get_by_label("instret 1");
}

#[test]
fn run_stops_at_a_breakpoint() {
    let mut a = app("textbook");
    let main = a
        .session()
        .machine()
        .symbols()
        .lookup("main")
        .expect("demo has main");
    a.push(Command::ToggleBreakpoint(main));
    let mut h = harness(a);
    h.get_by_label("▶ Run").click();
    for _ in 0..50 {
        h.run_steps(1);
        if !h.state().session().running {
            break;
        }
    }
    h.run();
    assert!(!h.state().session().running);
    h.get_by_label_contains(&format!("breakpoint 1 at {main:#010x} <main> (hit 1 time)"));
}

#[test]
fn a_bad_file_shows_the_loader_message_and_keeps_the_machine() {
    let dir = std::env::temp_dir().join(format!("glassbox-gui-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("notes.elf");
    let mut bytes = b"\x7fELF\x02\x01\x01".to_vec();
    bytes.resize(64, 0);
    std::fs::write(&bad, bytes).unwrap();
    let mut a = app("textbook");
    a.push(Command::StepCycle);
    a.push(Command::Open(bad.clone()));
    let mut h = harness(a);
    h.run();
    h.get_by_label_contains("64-bit ELF");
    // The demo is still loaded, with its state.
    assert!(h.state().session().program_name.contains("fibonacci"));
    assert_eq!(h.state().session().machine().cycle, 1);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn applying_a_configuration_rebuilds_the_machine() {
    let mut a = app("textbook");
    a.push(Command::StepCycle);
    a.push(Command::StepCycle);
    let mut h = harness(a);
    assert_eq!(h.state().session().machine().cycle, 2);
    let cfg = MachineConfig::preset("classic-l1").unwrap();
    h.state_mut().push(Command::ApplyConfig(cfg.clone()));
    h.run();
    let s = h.state().session();
    assert_eq!(s.config, cfg);
    assert_eq!(s.machine().cycle, 0, "the machine restarted");
    assert!(s.machine().memory.is_some(), "the new machine has caches");
    h.get_by_label("cycle 0");
}

#[test]
fn keyboard_shortcuts_step() {
    let mut h = harness(app("textbook"));
    h.key_press(egui::Key::F10);
    h.run();
    assert_eq!(h.state().session().machine().cycle, 1);
    h.key_press(egui::Key::F11);
    h.run();
    assert!(h.state().session().machine().instret >= 1);
}

#[test]
fn the_pipeline_view_names_what_each_stage_holds() {
    let mut h = harness(app("textbook"));
    h.get_by_label_contains("IF: ");
    // After two cycles the first instruction is in EX and the second in ID.
    for _ in 0..2 {
        h.get_by_label("Step cycle").click();
        h.run();
    }
    let text = {
        let s = h.state().session();
        let ex = s.machine().pipeline.as_ref().unwrap().id_ex();
        let ex = ex.expect("an instruction in EX").tag;
        glassbox::disasm::disasm(ex.word, ex.pc, s.machine().symbols()).replace('\t', " ")
    };
    h.get_by_label_contains(&format!("EX: {text}"));
    h.get_by_label_contains("WB: bubble");
}

#[test]
fn a_cache_line_appears_after_a_miss() {
    let cfg = MachineConfig::preset("classic-l1").unwrap();
    let session = Session::demo(cfg).unwrap();
    let mut a = GlassboxApp::new(session, Settings::showing(vec![Tab::Caches]));
    a.push(Command::StepCycle);
    let mut h = harness(a);
    h.run();
    // The first fetch missed and filled one L1I line: its tag is shown.
    let (tag, set, sets) = {
        let s = h.state().session();
        let l1i = s.machine().memory.as_ref().unwrap().l1i.as_ref().unwrap();
        assert_eq!(l1i.stats().misses(), 1);
        let pc = s.machine().hart.pc;
        assert!(l1i.lookup(pc).is_some(), "the line is cached");
        (l1i.tag_of(pc), l1i.set_of(pc), l1i.sets())
    };
    // The Caches view: pick the L1I and find the line by its tag.
    h.get_by_label("L1I").click();
    h.run();
    h.get_by_label_contains(&format!("set {set} way 0: tag {tag:#x}"));
    // An untouched set shows invalid lines.
    h.get_by_label_contains(&format!("set {} way 1: invalid", (set + 1) % sets));
}

#[test]
fn the_editor_assembles_and_loads_its_text() {
    let cfg = MachineConfig::preset("textbook").unwrap();
    let session = Session::demo(cfg).unwrap();
    let mut settings = Settings::showing(vec![Tab::Editor]);
    settings.views.editor.text =
        "    .globl _start\n_start:\n    li a0, 7\n    li a7, 93\n    ecall\n".into();
    let mut h = harness(GlassboxApp::new(session, settings));
    h.get_by_label("▶ Assemble & load").click();
    h.run();
    let s = h.state().session();
    assert!(s.error.is_none(), "{:?}", s.error);
    assert!(s.source.is_some(), "the program came from the editor");
    assert_eq!(s.source_line(0x8000_0000), Some(3));
}

#[test]
fn the_editor_lists_assembly_errors() {
    let cfg = MachineConfig::preset("textbook").unwrap();
    let session = Session::demo(cfg).unwrap();
    let mut settings = Settings::showing(vec![Tab::Editor]);
    settings.views.editor.text = "_start:\n    addd a0, a0, 1\n".into();
    let mut h = harness(GlassboxApp::new(session, settings));
    h.get_by_label("▶ Assemble & load").click();
    h.run();
    assert_eq!(h.state().session().asm_errors.len(), 1);
    h.get_by_label_contains("did you mean");
    // The demo stays loaded.
    assert!(h.state().session().program_name.contains("fibonacci"));
}

#[test]
fn the_chart_records_the_newest_cycles_at_full_speed() {
    let cfg = MachineConfig::preset("textbook").unwrap();
    let session = Session::demo(cfg).unwrap();
    let mut a = GlassboxApp::new(session, Settings::showing(vec![Tab::Chart]));
    a.push(Command::Assemble {
        name: "spin.s".into(),
        source: "    .globl _start\n_start:\n    addi t0, t0, 1\n    j _start\n".into(),
    });
    a.push(Command::SetSpeed(glassbox::gui::Speed::Full));
    let mut h = harness(a);
    h.get_by_label("▶ Run").click();
    h.run_steps(3);
    h.state_mut().push(Command::Pause);
    h.run_steps(1);
    let (cycle, first, last, rows) = {
        let s = h.state().session();
        assert!(!s.running);
        let (first, last) = s.chart.recorded_cycles().expect("the chart recorded");
        (s.machine().cycle, first, last, s.chart.row_count())
    };
    // The last frame's newest cycles, up to the pause.
    assert_eq!(last + 1, cycle);
    assert_eq!(last + 1 - first, glassbox::gui::session::CHART_WINDOW);
    assert!(rows > 0);
    h.get_by_label_contains(&format!("cycles {}–{}", first + 1, last + 1));
}

#[test]
fn the_console_sends_input_and_end_of_file_to_the_guest() {
    let cfg = MachineConfig::preset("textbook").unwrap();
    let mut session = Session::demo(cfg).unwrap();
    session.open(std::path::Path::new("roms/echo.elf"));
    let mut a = GlassboxApp::new(session, Settings::showing(vec![Tab::Console]));
    a.push(Command::SetSpeed(glassbox::gui::Speed::Full));
    a.push(Command::PushInput(b"hello\n".to_vec()));
    let mut h = harness(a);
    h.get_by_label("▶ Run").click();
    h.run_steps(5);
    // echo has echoed the line and waits for more: no end-of-file yet.
    assert!(h.state().session().running);
    assert_eq!(h.state().session().console(), b"HELLO\n");
    h.get_by_label("HELLO");
    h.get_by_label("EOF").click();
    h.run_steps(5);
    let s = h.state().session();
    assert!(s.machine().bus.uart.input_closed);
    assert!(!s.running);
    assert_eq!(s.last_stop.as_deref(), Some("exited with code 0"));
}
