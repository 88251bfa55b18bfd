//! The debugger driven without a display (egui_kittest): find widgets by
//! their labels, click, and check what the window shows.

#![cfg(feature = "gui")]

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
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
    // The view shows cycle 2, as it happened: the first instruction was
    // in ID (it is in the ID/EX register now, bound for EX in cycle 3).
    for _ in 0..2 {
        h.get_by_label("Step cycle").click();
        h.run();
    }
    let text = {
        let s = h.state().session();
        let ex = s.machine().pipeline.as_ref().unwrap().id_ex();
        let ex = ex.expect("an instruction for EX").tag;
        glassbox::disasm::disasm(ex.word, ex.pc, s.machine().symbols()).replace('\t', " ")
    };
    h.get_by_label_contains(&format!("ID: {text}; EX: bubble"));
    h.get_by_label_contains("WB: bubble");
    h.get_by_label_contains("Cycle 2: each stage shows the instruction it held in cycle 2");
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
fn the_editor_assembles_for_the_chosen_isa() {
    let cfg = MachineConfig::preset("textbook").unwrap();
    let session = Session::demo(cfg).unwrap();
    let mut settings = Settings::showing(vec![Tab::Editor]);
    settings.views.editor.text =
        "    .globl _start\n_start:\n    li a0, 7\n    li a7, 93\n    ecall\n".into();
    let mut h = harness(GlassboxApp::new(session, settings));
    h.get_by_label("ISA").click();
    h.run();
    h.get_by_label("rv32imac").click();
    h.run();
    h.get_by_label("▶ Assemble & load").click();
    h.run();
    let s = h.state().session();
    assert!(s.error.is_none(), "{:?}", s.error);
    assert_eq!(s.isa.to_string(), "rv32imac");
    // `li a0, 7` is c.li (2 bytes), so `li a7, 93` starts at +2.
    assert_eq!(s.source_line(0x8000_0002), Some(4));
    assert_eq!(s.machine().peek_ram(0x8000_0000, 2), Some(0x451d));
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
fn the_editor_names_a_mistyped_register() {
    let cfg = MachineConfig::preset("textbook").unwrap();
    let session = Session::demo(cfg).unwrap();
    let mut settings = Settings::showing(vec![Tab::Editor]);
    settings.views.editor.text = "_start:\n    add t0q, t1, t2\n".into();
    let mut h = harness(GlassboxApp::new(session, settings));
    h.get_by_label("▶ Assemble & load").click();
    h.run();
    h.get_by_label_contains("unknown register `t0q`, did you mean `t0`?");
    assert!(h.query_by_label_contains("undefined label").is_none());
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

/// A picolibc program (semihosting) reads `scanf` input from the GUI
/// console and prints there, and its exit status shows.
#[test]
fn picolibc_scanf_runs_in_the_gui_console() {
    let cfg = MachineConfig::preset("textbook").unwrap();
    let mut session = Session::demo(cfg).unwrap();
    session.open(std::path::Path::new("roms/sdk/scanf.elf"));
    let mut a = GlassboxApp::new(session, Settings::showing(vec![Tab::Console]));
    a.push(Command::SetSpeed(glassbox::gui::Speed::Full));
    a.push(Command::PushInput(b"3 10\n-4\n7\n".to_vec()));
    let mut h = harness(a);
    h.get_by_label("▶ Run").click();
    h.run_steps(5);
    assert!(h.state().session().running, "scanf waits for more input");
    h.get_by_label("Type integers, end with Ctrl-D:");
    h.get_by_label("EOF").click();
    h.run_steps(5);
    let s = h.state().session();
    assert_eq!(
        s.console(),
        b"Type integers, end with Ctrl-D:\ncount 4, sum 16, max 10\n"
    );
    assert_eq!(s.last_stop.as_deref(), Some("exited with code 4"));
    h.get_by_label("count 4, sum 16, max 10");
}

/// What semihosting refused (a host file with no directory given) shows
/// in the console as a note.
#[test]
fn semihosting_notes_show_in_the_console() {
    let dir = std::env::temp_dir().join(format!("glassbox-gui-note-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let src = dir.join("open.s");
    std::fs::write(
        &src,
        "    .globl _start\n_start:\n    li a0, 1\n    la a1, block\n\
         \x20   slli x0, x0, 0x1f\n    ebreak\n    srai x0, x0, 7\n\
         \x20   li a0, 0\n    li a7, 93\n    ecall\n\
         \x20   .data\nblock: .word name, 0, 10\nname: .string \"secret.txt\"\n",
    )
    .unwrap();
    let cfg = MachineConfig::preset("textbook").unwrap();
    let mut session = Session::demo(cfg).unwrap();
    session.open(&src);
    assert!(session.error.is_none(), "{:?}", session.error);
    let mut a = GlassboxApp::new(session, Settings::showing(vec![Tab::Console]));
    a.push(Command::SetSpeed(glassbox::gui::Speed::Full));
    let mut h = harness(a);
    h.get_by_label("▶ Run").click();
    h.run_steps(5);
    assert_eq!(
        h.state().session().last_stop.as_deref(),
        Some("exited with code 0")
    );
    let notes = h.state().session().machine().semihost.notes.clone();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0].starts_with(
            "semihosting: the program at pc 0x80000010 tried to open host file \"secret.txt\""
        ),
        "{notes:?}"
    );
    h.get_by_label(&format!("note: {}", notes[0]));
    std::fs::remove_dir_all(&dir).unwrap();
}

// ---------------------------------------------------------------- issue 15: configurations, editor

fn configuration_app(preset: &str) -> Harness<'static, GlassboxApp> {
    let cfg = MachineConfig::preset(preset).unwrap();
    let session = Session::demo(cfg).unwrap();
    harness(GlassboxApp::new(
        session,
        Settings::showing(vec![Tab::Configuration]),
    ))
}

/// Semihosting is switched off in the configuration view.
#[test]
fn semihosting_switches_off_in_the_configuration_view() {
    let mut h = configuration_app("default");
    h.get_by_label("semihosting on").click();
    h.run();
    h.get_by_label("Apply (resets the machine)").click();
    h.run();
    let s = h.state().session();
    assert!(!s.config.semihosting.enabled);
    assert!(!s.machine().config.semihosting.enabled);
}

#[test]
fn picking_a_core_preset_keeps_the_memory_and_names_the_configuration() {
    let mut h = configuration_app("default");
    h.get_by_label("config: default");
    assert_eq!(
        h.state().window_title(),
        "fibonacci (built-in demo) · default · Glassbox"
    );
    // The core combo shows the textbook core; choose no-forwarding.
    h.get_by_value("textbook").click();
    h.run();
    h.get_by_label("no-forwarding").click();
    h.run();
    h.get_by_label("name: default, core: no-forwarding");
    h.get_by_label("Apply (resets the machine)").click();
    h.run();
    let expected = glassbox::config::ConfigName {
        core: Some("no-forwarding".into()),
        ..glassbox::config::ConfigName::base("default")
    }
    .resolve()
    .unwrap();
    {
        let s = h.state().session();
        assert_eq!(s.config, expected);
        assert!(s.machine().memory.is_some(), "the caches stay");
    }
    h.get_by_label("config: default, core: no-forwarding");
    assert_eq!(
        h.state().window_title(),
        "fibonacci (built-in demo) · default, core: no-forwarding · Glassbox"
    );
    // A memory preset keeps the core.
    h.get_by_value("l1-l2-dram").click();
    h.run();
    h.get_by_label("ideal").click();
    h.run();
    h.get_by_label("name: default, core: no-forwarding, memory: ideal");
    h.get_by_label("Apply (resets the machine)").click();
    h.run();
    let s = h.state().session();
    assert_eq!(s.config, MachineConfig::preset("no-forwarding").unwrap());
}

#[test]
fn a_modified_configuration_says_so() {
    let mut h = configuration_app("default");
    let mut cfg = MachineConfig::preset("default").unwrap();
    cfg.core.mul_latency = 3;
    h.state_mut().push(Command::ApplyConfig(cfg));
    h.run();
    h.get_by_label("config: default (modified)");
    assert_eq!(
        h.state().window_title(),
        "fibonacci (built-in demo) · default (modified) · Glassbox"
    );
}

#[test]
fn fields_without_effect_are_disabled_with_the_reason() {
    let mut h = configuration_app("textbook");
    // Memory latency does nothing without caches.
    let field = h.get_by_label("memory latency");
    field.hover();
    h.run();
    h.get_by_label_contains("no effect here: without caches memory is ideal");
    let spin = h.get_by_value("50 cycles");
    assert!(
        spin.accesskit_node().is_disabled(),
        "memory latency is disabled"
    );
    // With the caches of classic-l1 it is live.
    let mut h = configuration_app("classic-l1");
    let spin = h.get_by_value("50 cycles");
    assert!(!spin.accesskit_node().is_disabled());
    h.run();
}

#[test]
fn one_cycle_latencies_are_singular_in_the_configuration() {
    // textbook: multiply and divide take one cycle in EX.
    let h = configuration_app("textbook");
    assert_eq!(h.get_all_by_value("1 cycle").count(), 2);
    assert!(h.query_by_value("1 cycles").is_none());
    // classic-l1: both L1s hit in one cycle, memory takes 50.
    let h = configuration_app("classic-l1");
    h.get_by_value("50 cycles");
    assert!(h.query_by_value("1 cycles").is_none());
}

#[test]
fn examples_open_as_untitled_copies_and_edits_are_marked() {
    let cfg = MachineConfig::preset("textbook").unwrap();
    let session = Session::demo(cfg).unwrap();
    let mut h = harness(GlassboxApp::new(
        session,
        Settings::showing(vec![Tab::Editor]),
    ));
    h.get_by_label("Examples ⏷").click();
    h.run();
    h.get_by_label("hazards.s").click();
    h.run();
    {
        let e = &h.state().settings.views.editor;
        assert_eq!(e.path, None, "an example is never saved over");
        assert_eq!(e.display_name(), "untitled.s");
    }
    h.get_by_label("untitled.s");
    h.get_by_label("(a copy of hazards.s: Save asks where)");
    // Type into the editor: the name gets its unsaved marker.
    h.state_mut()
        .settings
        .views
        .editor
        .text
        .push_str("    nop\n");
    h.run();
    h.get_by_label("untitled.s*");
    assert!(h.state().settings.views.editor.modified());
}

#[test]
fn a_fresh_editor_behind_another_tab_has_no_unsaved_marker() {
    // The default layout: the Editor tab sits behind the Pipeline view.
    // The demo is no source, so the editor holds the first example as an
    // untitled copy; its tab title is "Editor: " and this.
    let mut h = harness(app("textbook"));
    h.run();
    let e = &h.state().settings.views.editor;
    assert_eq!(e.text, glassbox::gui::EXAMPLES[0].1);
    assert!(!e.modified());
    assert_eq!(e.display_name(), "untitled.s");
    // Typed into, it is.
    h.state_mut().settings.views.editor.text.push_str("nop\n");
    assert_eq!(
        h.state().settings.views.editor.display_name(),
        "untitled.s*"
    );
}

#[test]
fn clicking_below_the_last_line_focuses_the_editor() {
    let cfg = MachineConfig::preset("textbook").unwrap();
    let session = Session::demo(cfg).unwrap();
    let mut settings = Settings::showing(vec![Tab::Editor]);
    settings.views.editor.text = "_start:\n    nop\n".into();
    let mut h = harness(GlassboxApp::new(session, settings));
    // Far below the two lines, near the bottom of the window.
    let pos = egui::pos2(800.0, 900.0);
    h.hover_at(pos);
    h.drag_at(pos);
    h.drop_at(pos);
    h.run();
    h.event(egui::Event::Text("ret".into()));
    h.run();
    assert_eq!(
        h.state().settings.views.editor.text,
        "_start:\n    nop\nret",
        "the keystrokes reached the editor"
    );
}

// ---------------------------------------------------------------- issue 15: the built-in file browser

fn wheel(h: &Harness<'static, GlassboxApp>, at: egui::Pos2, dy: f32) {
    h.hover_at(at);
    h.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: egui::vec2(0.0, dy),
        phase: egui::TouchPhase::Move,
        modifiers: egui::Modifiers::NONE,
    });
}

#[test]
fn the_file_browser_scrolls_keeps_its_size_and_takes_a_typed_path() {
    let dir = std::env::temp_dir().join(format!("glassbox-browser-{}", std::process::id()));
    let sub = dir.join("sub");
    std::fs::create_dir_all(&sub).unwrap();
    for i in 0..100 {
        std::fs::write(dir.join(format!("entry-{i:03}.s")), "nop\n").unwrap();
    }
    let prog = sub.join("prog.s");
    std::fs::write(
        &prog,
        "    .globl _start\n_start:\n    li a0, 0\n    li a7, 93\n    ecall\n",
    )
    .unwrap();
    let mut h = browser_on(&dir, egui::Vec2::new(900.0, 700.0));
    // Folders first, with a trailing slash (the icon is painted).
    let first = h.get_by_label("sub/").rect();
    let cancel = h.get_by_label("Cancel").rect();
    // The last entry is out of sight until the wheel scrolls the list.
    assert!(
        h.query_by_label("entry-099.s")
            .is_none_or(|n| n.rect().min.y > cancel.min.y),
        "the list is clipped above the buttons"
    );
    wheel(&h, first.center(), -10_000.0);
    // The wheel scrolls smoothly: let the animation finish.
    h.run_steps(60);
    let last = h.get_by_label("entry-099.s").rect();
    assert!(
        last.max.y <= cancel.min.y,
        "scrolled into view: {last:?} above {cancel:?}"
    );
    // Into a folder with one file: the window keeps its size.
    wheel(&h, last.center(), 10_000.0);
    h.run_steps(60);
    h.get_by_label("sub/").click();
    h.run();
    h.get_by_label("prog.s");
    assert_eq!(h.get_by_label("Cancel").rect(), cancel, "the size holds");
    // A typed path opens the file.
    let shown = sub.display().to_string();
    h.get_all_by_value(&shown)
        .next()
        .expect("the path field")
        .click();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    h.event(egui::Event::Text(prog.display().to_string()));
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    let name = h.state().session().program_name.clone();
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(name, "prog.s");
    assert!(h.query_by_label("Cancel").is_none(), "the browser closed");
}

/// The window with the file browser open on `dir`, `size` large.
fn browser_on(dir: &std::path::Path, size: egui::Vec2) -> Harness<'static, GlassboxApp> {
    let cfg = MachineConfig::preset("textbook").unwrap();
    let session = Session::demo(cfg).unwrap();
    let mut a = GlassboxApp::new(session, Settings::showing(vec![Tab::Console]));
    a.show_browser(dir.to_path_buf());
    let mut h = Harness::builder()
        .with_size(size)
        .build_ui_state(|ui, app: &mut GlassboxApp| app.show(ui), a);
    h.run();
    h
}

#[test]
fn the_file_browser_keeps_a_size_the_user_gave_it() {
    let dir = std::env::temp_dir().join(format!("glassbox-resize-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(dir.join("a.s"), "nop\n").unwrap();
    let mut h = browser_on(&dir, egui::Vec2::new(1200.0, 900.0));
    // The window's bottom-right corner: right of the path field's Go,
    // below Cancel.
    let go = h.get_by_label("Go").rect();
    let cancel = h.get_by_label("Cancel").rect();
    let corner = egui::pos2(go.max.x + 8.0, cancel.max.y + 8.0);
    h.hover_at(corner);
    h.run();
    h.drag_at(corner);
    h.run();
    let to = corner + egui::vec2(120.0, 150.0);
    for k in 1..=10 {
        h.hover_at(corner + (to - corner) * (k as f32 / 10.0));
        h.run();
    }
    h.drop_at(to);
    h.run();
    let resized = h.get_by_label("Cancel").rect();
    assert!(
        resized.min.y > cancel.min.y + 100.0,
        "the drag resized the window: {cancel:?} → {resized:?}"
    );
    // Into a folder and back up: the size stays the user's.
    h.get_by_label("sub/").click();
    h.run();
    assert_eq!(h.get_by_label("Cancel").rect(), resized);
    h.get_by_label("Up").click();
    h.run();
    assert_eq!(h.get_by_label("Cancel").rect(), resized);
    std::fs::remove_dir_all(&dir).ok();
}

/// Seen under Xvfb: in the default layout's narrow Configuration pane the
/// predictor's combo box was laid out past the pane's edge (a combo box
/// does not wrap onto the next line by itself), leaving its label alone.
#[test]
fn the_configuration_choices_wrap_inside_a_narrow_view() {
    let cfg = MachineConfig::preset("default").unwrap();
    let session = Session::demo(cfg).unwrap();
    let app = GlassboxApp::new(session, Settings::showing(vec![Tab::Configuration]));
    let width = 420.0;
    let mut h = Harness::builder()
        .with_size(egui::Vec2::new(width, 700.0))
        .build_ui_state(|ui, app: &mut GlassboxApp| app.show(ui), app);
    h.run();
    let combos: Vec<_> = h
        .get_all_by_role(egui::accesskit::Role::ComboBox)
        .map(|n| (n.value(), n.rect()))
        .collect();
    assert!(
        combos.len() >= 4,
        "preset, core, predictor, memory: {combos:?}"
    );
    for (value, rect) in combos {
        assert!(
            rect.max.x <= width && rect.width() > 20.0,
            "{value:?} inside the view: {rect:?}"
        );
    }
}

#[test]
fn the_editor_tab_names_a_source_opened_while_it_is_hidden() {
    // `glassbox gui hazards.s`: the Editor tab sits behind the Pipeline
    // view and is not shown, yet its title names the file.
    let cfg = MachineConfig::preset("textbook").expect("preset");
    let mut session = Session::demo(cfg).expect("demo loads");
    session.open(std::path::Path::new("assets/examples/hazards.s"));
    assert_eq!(session.error, None);
    let mut h = harness(GlassboxApp::new(session, Settings::default()));
    h.run();
    // The editor's own widgets are not drawn; the title, which egui_dock
    // does not expose to AccessKit, is built from `display_name`.
    assert!(h.query_by_label_contains("Assemble & load").is_none());
    let name = |h: &Harness<'static, GlassboxApp>| h.state().settings.views.editor.display_name();
    assert_eq!(name(&h), "hazards.s");
    // Another file opened later is followed too.
    h.state()
        .session()
        .open(std::path::Path::new("assets/examples/loops.s"));
    h.run();
    assert_eq!(name(&h), "loops.s");
}
