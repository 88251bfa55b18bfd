//! The debugger's time travel, breakpoints and save states, driven through
//! the window without a display (egui_kittest).

#![cfg(feature = "gui")]

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use glassbox::config::MachineConfig;
use glassbox::gui::views::timeline::cycle_at;
use glassbox::gui::{Command, GlassboxApp, Session, Settings};
use glassbox::machine::Machine;

fn session(preset: &str) -> Session {
    let cfg = MachineConfig::preset(preset).expect("preset");
    Session::demo(cfg).expect("demo loads")
}

/// Counts up forever (for runs longer than the demo's 1557 cycles).
const COUNT: &str =
    "    .globl _start\n_start:\n    li t0, 0\nloop:\n    addi t0, t0, 1\n    j loop\n";

fn counting() -> Session {
    let mut s = session("textbook");
    s.apply(Command::Assemble {
        name: "count.s".into(),
        source: COUNT.into(),
    });
    assert!(s.error.is_none(), "{:?}", s.error);
    s
}

fn harness(app: GlassboxApp) -> Harness<'static, GlassboxApp> {
    let mut h = Harness::builder()
        .with_size(egui::Vec2::new(1600.0, 1000.0))
        .build_ui_state(|ui, app: &mut GlassboxApp| app.show(ui), app);
    h.run();
    h
}

/// What a step back must restore exactly.
#[derive(Debug, PartialEq)]
struct Seen {
    cycle: u64,
    instret: u64,
    pc: u32,
    x: [u32; 32],
}

fn seen(m: &Machine) -> Seen {
    Seen {
        cycle: m.cycle,
        instret: m.instret,
        pc: m.hart.pc,
        x: m.hart.x,
    }
}

fn now(h: &Harness<'static, GlassboxApp>) -> Seen {
    seen(h.state().session().machine())
}

#[test]
fn shift_f10_steps_back_exactly_one_cycle() {
    let mut h = harness(GlassboxApp::new(session("textbook"), Settings::default()));
    let mut trace = vec![now(&h)];
    for _ in 0..12 {
        h.key_press(Key::F10);
        h.run();
        trace.push(now(&h));
    }
    assert_eq!(trace[12].cycle, 12);
    assert!(trace[12].instret > 0, "instructions retired on the way");
    for back in (0..12).rev() {
        h.key_press_modifiers(Modifiers::SHIFT, Key::F10);
        h.run();
        assert_eq!(now(&h), trace[back], "after stepping back to cycle {back}");
    }
    h.get_by_label("cycle 0 of 12 (in the past)");
    // At reset there is nothing before: the machine stays and says so.
    h.key_press_modifiers(Modifiers::SHIFT, Key::F10);
    h.run();
    assert_eq!(now(&h), trace[0]);
    h.get_by_label_contains("already at the start");
    // Stepping forward again retraces the same states.
    h.key_press(Key::F10);
    h.run();
    assert_eq!(now(&h), trace[1]);
}

#[test]
fn shift_f11_steps_back_to_just_before_the_last_retirement() {
    let mut h = harness(GlassboxApp::new(session("textbook"), Settings::default()));
    let mut trace = vec![now(&h)];
    for _ in 0..60 {
        h.key_press(Key::F10);
        h.run();
        trace.push(now(&h));
    }
    let end = now(&h);
    assert!(end.instret >= 5, "retired {}", end.instret);
    // Three instructions back: each lands on the last cycle at which one
    // instruction fewer had retired.
    let mut instret = end.instret;
    for _ in 0..3 {
        h.key_press_modifiers(Modifiers::SHIFT, Key::F11);
        h.run();
        instret -= 1;
        let want = trace.iter().rfind(|s| s.instret == instret).unwrap();
        assert_eq!(now(&h), *want);
    }
    // The figures for the demo under textbook timing: 47 retired by cycle
    // 60; three back, the 45th instruction retires in cycle 56.
    let s = now(&h);
    assert_eq!((end.cycle, end.instret), (60, 47));
    assert_eq!((s.cycle, s.instret), (55, 44));
}

#[test]
fn reverse_run_goes_back_to_the_previous_breakpoint() {
    let mut a = GlassboxApp::new(session("textbook"), Settings::default());
    let main = a
        .session()
        .machine()
        .symbols()
        .lookup("main")
        .expect("main");
    a.push(Command::ToggleBreakpoint(main));
    let mut h = harness(a);
    h.state_mut().push(Command::Run);
    for _ in 0..50 {
        h.run_steps(1);
        if !h.state().session().running {
            break;
        }
    }
    h.run();
    let at_bp = now(&h);
    h.get_by_label_contains(&format!("breakpoint 1 at {main:#010x} <main> (hit 1 time)"));
    // On past the breakpoint, then back to it with Shift+F5.
    h.state_mut().push(Command::RunCycles(40));
    h.run();
    assert_eq!(now(&h).cycle, at_bp.cycle + 40);
    h.key_press_modifiers(Modifiers::SHIFT, Key::F5);
    h.run();
    assert_eq!(now(&h), at_bp);
    let stop = h.state().session().last_stop.clone();
    assert_eq!(
        stop,
        Some(format!(
            "reverse run: breakpoint 1 at {main:#010x} <main> (hit 1 time)"
        ))
    );
    h.get_by_label_contains(&format!(
        "reverse run: breakpoint 1 at {main:#010x} <main> (hit 1 time)"
    ));
    // Nothing before it: to reset.
    h.key_press_modifiers(Modifiers::SHIFT, Key::F5);
    h.run();
    assert_eq!(now(&h).cycle, 0);
    h.get_by_label_contains("reverse run: back at reset");
}

#[test]
fn the_toolbar_steps_back_and_the_buttons_say_their_shortcuts() {
    let mut a = GlassboxApp::new(session("textbook"), Settings::default());
    a.push(Command::RunCycles(9));
    let mut h = harness(a);
    assert_eq!(now(&h).cycle, 9);
    h.get_by_label("◀ Back cycle").click();
    h.run();
    assert_eq!(now(&h).cycle, 8);
    h.get_by_label("◀ Back instr").click();
    h.run();
    assert!(now(&h).cycle < 8);
    h.get_by_label("◀◀ Reverse").click();
    h.run();
    assert_eq!(now(&h).cycle, 0);
    // At reset, going back is disabled.
    use egui_kittest::kittest::NodeT;
    assert!(
        h.get_by_label("◀ Back cycle")
            .accesskit_node()
            .is_disabled()
    );
}

/// The counting machine after `cycles` cycles of one uninterrupted run.
fn reference(cycles: u64) -> Seen {
    let mut m = counting().machine().clone();
    m.run(cycles);
    seen(&m)
}

#[test]
fn clicking_and_dragging_the_scrubber_seeks() {
    let mut a = GlassboxApp::new(counting(), Settings::default());
    a.push(Command::RunCycles(4000));
    let mut h = harness(a);
    assert_eq!(now(&h).cycle, 4000);
    let bar = h.get_by_label("timeline scrubber").rect();
    let (left, right) = (bar.left() + 4.0, bar.right() - 4.0);
    let y = bar.center().y;
    let x = left + 0.25 * (right - left);
    let target = cycle_at(x, left, right, 0, 4000);
    assert!((900..1100).contains(&target), "{target}");
    h.drag_at(egui::pos2(x, y));
    h.drop_at(egui::pos2(x, y));
    h.run();
    assert_eq!(now(&h), reference(target));
    h.get_by_label(&format!("cycle {target} of 4000 (in the past)"));
    // Dragging: the release seeks exactly where it ends.
    let x1 = left + 0.75 * (right - left);
    let x2 = left + 0.6 * (right - left);
    h.drag_at(egui::pos2(x1, y));
    h.run();
    h.hover_at(egui::pos2(x2, y));
    h.run();
    h.drop_at(egui::pos2(x2, y));
    h.run();
    let target = cycle_at(x2, left, right, 0, 4000);
    assert_eq!(now(&h), reference(target));
    // The furthest cycle stays where it was: nothing was dropped.
    assert_eq!(h.state().session().timeline().furthest(), 4000);
}

#[test]
fn the_chart_of_the_past_is_rebuilt_by_replay() {
    let mut a = GlassboxApp::new(counting(), Settings::default());
    a.push(Command::RunCycles(5000));
    a.push(Command::Seek(3000));
    let h = harness(a);
    let s = h.state().session();
    assert_eq!(s.machine().cycle, 3000);
    let (first, last) = s.chart.recorded_cycles().expect("a chart");
    assert_eq!((first, last + 1), (1000, 3000));
    // The same rows as a chart recorded while first running those cycles.
    let mut m = counting().machine().clone();
    m.run(1000);
    let mut chart = glassbox::pipeline::trace::ChartRecorder::new(1000, 3000);
    for _ in 1000..3000 {
        m.step();
        chart.record(&m.pipeline.as_ref().unwrap().last());
    }
    assert_eq!(
        s.chart.to_text(m.symbols()),
        chart.to_text(m.symbols()),
        "replayed chart"
    );
}

#[test]
fn an_edit_in_the_past_asks_first_then_drops_the_future() {
    let mut a = GlassboxApp::new(session("textbook"), Settings::default());
    a.push(Command::RunCycles(20));
    a.push(Command::Seek(15));
    let mut h = harness(a);
    assert!(h.state().session().in_past());
    let before = now(&h);
    h.state_mut().push(Command::SetRegister(5, 0x1234_5678));
    h.run();
    h.get_by_label_contains("drops 5 cycles of recorded future (up to cycle 20)");
    h.get_by_label("Cancel").click();
    h.run();
    assert_eq!(now(&h), before, "cancelled: nothing changed");
    assert_eq!(h.state().session().timeline().furthest(), 20);
    assert!(h.query_by_label("Edit the past?").is_none());
    // Again, and accept.
    h.state_mut().push(Command::SetRegister(5, 0x1234_5678));
    h.run();
    h.get_by_label("Edit and drop the future").click();
    h.run();
    let s = h.state().session();
    assert_eq!(s.machine().hart.x[5], 0x1234_5678);
    assert_eq!(s.machine().cycle, 15);
    assert_eq!(s.timeline().furthest(), 15, "the future was dropped");
    assert!(!s.in_past());
    drop(s);
    // In the present, edits need no question.
    h.state_mut().push(Command::SetRegister(6, 7));
    h.run();
    assert_eq!(h.state().session().machine().hart.x[6], 7);
    assert!(h.query_by_label("Edit the past?").is_none());
}

fn breakpoints_app() -> Harness<'static, GlassboxApp> {
    harness(GlassboxApp::new(
        counting(),
        Settings::showing(vec![glassbox::gui::views::Tab::Breakpoints]),
    ))
}

fn type_into(h: &mut Harness<'static, GlassboxApp>, label: &str, text: &str) {
    h.get_by_label(label).focus();
    h.run();
    h.get_by_label(label).type_text(text);
    h.run();
}

fn run_until_paused(h: &mut Harness<'static, GlassboxApp>) {
    h.state_mut().push(Command::Run);
    for _ in 0..200 {
        h.run_steps(1);
        if !h.state().session().running {
            break;
        }
    }
    h.run();
    assert!(!h.state().session().running, "the run stopped");
}

#[test]
fn the_breakpoints_view_adds_a_conditional_breakpoint_and_counts_its_hits() {
    use glassbox::debug::stops::{StopSet, run_until_stop};
    let mut h = breakpoints_app();
    h.get_by_label("No breakpoints. Add one above, or click a line's margin in Disassembly.");
    type_into(&mut h, "at", "loop");
    type_into(&mut h, "if", "t0 >= ");
    // The condition is incomplete: the column and a caret, and no add.
    h.get_by_label_contains("column 7: ");
    h.get_by_label("Add breakpoint").click();
    h.run();
    h.get_by_label("fix the condition first");
    assert!(h.state().session().stops.breakpoints.is_empty());
    type_into(&mut h, "if", "5");
    assert!(h.query_by_label_contains("column 7").is_none());
    h.get_by_label("Add breakpoint").click();
    h.run();
    let (lp, initial) = {
        let s = h.state().session();
        assert_eq!(s.stops.breakpoints.len(), 1);
        let b = &s.stops.breakpoints[0];
        assert_eq!(b.condition.as_ref().map(|c| c.source()), Some("t0 >= 5"));
        (b.pc, s.machine().clone())
    };
    assert_eq!(Some(lp), initial.symbols().lookup("loop"));
    h.get_by_label_contains("<loop>");
    h.get_by_label("hits 0");
    // The reference: the library's own stop loop on the same machine.
    let mut m = initial;
    let mut stops = StopSet::new();
    stops.add_breakpoint(lp, Some("t0 >= 5")).unwrap();
    stops.arm(&mut m);
    let first = run_until_stop(&mut m, &mut stops, 1_000_000);
    run_until_paused(&mut h);
    assert_eq!(now(&h), seen(&m), "stopped where the library stops");
    assert!(h.state().session().machine().hart.x[5] >= 5);
    h.get_by_label("hits 1");
    h.get_by_label_contains(&first.text);
    // The next hit counts two.
    run_until_stop(&mut m, &mut stops, 1_000_000);
    run_until_paused(&mut h);
    assert_eq!(now(&h), seen(&m));
    h.get_by_label("hits 2");
    // Hit counts follow the timeline back.
    h.state_mut().push(Command::StepBackCycle);
    h.run();
    h.get_by_label("hits 1");
}

#[test]
fn editing_a_condition_shows_the_error_and_keeps_the_old_one() {
    let mut a = GlassboxApp::new(
        counting(),
        Settings::showing(vec![glassbox::gui::views::Tab::Breakpoints]),
    );
    let lp = a.session().machine().symbols().lookup("loop").unwrap();
    a.push(Command::AddBreakpoint {
        pc: lp,
        condition: "t0 == 3".into(),
    });
    let mut h = harness(a);
    let node = h.get_by_label("condition #1");
    assert_eq!(node.value().as_deref(), Some("t0 == 3"));
    type_into(&mut h, "condition #1", " &&");
    h.get_by_label_contains("column 11: ");
    // Leaving the field does not send a bad condition.
    h.get_by_label("if").focus();
    h.run();
    let s = h.state().session();
    assert_eq!(
        s.stops.breakpoints[0]
            .condition
            .as_ref()
            .map(|c| c.source()),
        Some("t0 == 3")
    );
}

#[test]
fn a_watchpoint_on_unmapped_memory_is_refused_with_the_memory_map() {
    let mut h = breakpoints_app();
    type_into(&mut h, "on", "0x10");
    h.get_by_label("Add watchpoint").click();
    h.run();
    h.get_by_label_contains("cannot watch 0x00000010..0x00000014: no byte of it is mapped");
    assert!(h.state().session().stops.watchpoints.is_empty());
    // A mapped one is listed, with its kind and range.
    let mut h2 = breakpoints_app();
    type_into(&mut h2, "on", "0x80000100");
    type_into(&mut h2, "bytes", "8");
    h2.get_by_label("Add watchpoint").click();
    h2.run();
    h2.get_by_label("write 0x80000100..0x80000108");
    assert_eq!(h2.state().session().stops.watchpoints.len(), 1);
}

#[test]
fn event_stops_are_armed_from_the_view() {
    let mut h = breakpoints_app();
    h.get_by_label("ecall").click();
    h.run();
    assert!(h.state().session().stops.events.ecall);
    assert!(h.state().session().machine().triggers().events.ecall);
    h.get_by_label("trap taken").click();
    h.run();
    assert_eq!(h.state().session().stops.events.trap, Some(None));
    type_into(&mut h, "cause", "2");
    assert_eq!(h.state().session().stops.events.trap, Some(Some(2)));
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("glassbox-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn save_state_and_load_state_round_trip_through_the_file_menu_prompt() {
    use egui_kittest::kittest::NodeT;
    use glassbox::gui::state_files::Action;
    let dir = temp_dir("state");
    let mut a = GlassboxApp::new(session("textbook"), Settings::default());
    let main = a.session().machine().symbols().lookup("main").unwrap();
    a.push(Command::AddBreakpoint {
        pc: main,
        condition: "a0 == 12345".into(),
    });
    a.push(Command::RunCycles(1000));
    let mut h = harness(a);
    let (saved, console, stops) = {
        let s = h.state().session();
        assert!(!s.console().is_empty(), "the demo printed by cycle 1000");
        (seen(s.machine()), s.console().to_vec(), s.stops.clone())
    };
    assert_eq!(saved.cycle, 1000);
    h.state_mut().state_files.show_prompt(Action::Save, &dir);
    h.run();
    let save = h
        .get_all_by_label("Save state")
        .find(|n| n.accesskit_node().role() == egui::accesskit::Role::Button)
        .expect("the prompt's button");
    save.click();
    h.run();
    let path = dir.join("session.gbxstate");
    assert!(path.exists());
    h.get_by_label_contains("saved the state at cycle 1000");
    // On to the end, then back to the saved state.
    h.state_mut().push(Command::RunCycles(100_000));
    h.run();
    let end = {
        let s = h.state().session();
        assert!(s.machine().halt.is_some(), "the demo finished");
        (seen(s.machine()), s.console().to_vec())
    };
    h.state_mut().push(Command::LoadState(path.clone()));
    h.run();
    {
        let s = h.state().session();
        assert_eq!(seen(s.machine()), saved);
        assert_eq!(s.console(), &console[..]);
        assert_eq!(s.stops, stops);
        assert!(
            s.machine().breakpoints.contains(&main),
            "the stops are armed"
        );
        assert_eq!(s.timeline().start(), 1000);
    }
    h.get_by_label_contains("loaded a state at cycle 1000");
    // Reset goes back to the loaded state.
    h.state_mut().push(Command::RunCycles(50));
    h.run();
    h.state_mut().push(Command::Reset);
    h.run();
    assert_eq!(now(&h), saved);
    // It runs on to exactly the same end.
    h.state_mut().push(Command::RunCycles(100_000));
    h.run();
    let s = h.state().session();
    assert_eq!((seen(s.machine()), s.console().to_vec()), end);
    drop(s);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_bad_state_file_says_what_is_wrong_and_keeps_the_machine() {
    let dir = temp_dir("badstate");
    let mut a = GlassboxApp::new(session("textbook"), Settings::default());
    a.push(Command::RunCycles(300));
    let mut h = harness(a);
    let before = now(&h);
    let notes = dir.join("notes.gbxstate");
    std::fs::write(&notes, b"these are not a machine").unwrap();
    h.state_mut().push(Command::LoadState(notes.clone()));
    h.run();
    h.get_by_label(&format!(
        "{}: not a Glassbox save state (the file does not start with \"GLASSBOX\")",
        notes.display()
    ));
    assert_eq!(now(&h), before);
    // A state from another version of the format.
    let good = dir.join("good.gbxstate");
    h.state_mut().push(Command::SaveState(good.clone()));
    h.run();
    let mut bytes = std::fs::read(&good).unwrap();
    bytes[8..12].copy_from_slice(&9u32.to_le_bytes());
    let other = dir.join("other.gbxstate");
    std::fs::write(&other, &bytes).unwrap();
    h.state_mut().push(Command::LoadState(other));
    h.run();
    h.get_by_label_contains("save state of format version 9; this Glassbox reads version 2");
    // Truncated.
    let bytes = std::fs::read(&good).unwrap();
    let cut = dir.join("cut.gbxstate");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    h.state_mut().push(Command::LoadState(cut));
    h.run();
    h.get_by_label_contains("the save state is truncated (");
    assert_eq!(now(&h), before);
    // A missing file.
    h.state_mut()
        .push(Command::LoadState(dir.join("missing.gbxstate")));
    h.run();
    h.get_by_label_contains("missing.gbxstate: No such file");
    assert_eq!(now(&h), before);
    std::fs::remove_dir_all(&dir).ok();
}
