//! Save states (`debug::savestate`): a state saved at cycle C and loaded
//! back runs to the same end, output and state hash as the uninterrupted
//! run, on several configurations; bad files get clear errors.

use glassbox::debug::stops::StopSet;
use glassbox::debug::{Debugger, SaveState, StateError};
use glassbox::{Halt, Machine, MachineConfig, StopReason, loader};
use std::path::PathBuf;

fn machine(preset: &str, name: &str) -> Machine {
    let cfg = MachineConfig::preset(preset).expect("preset exists");
    let mut m = Machine::new(cfg).expect("valid configuration");
    let rom = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("roms/{name}.elf"));
    let img = loader::load_file(&rom, m.ram_region(), None).expect("ROM loads");
    m.load(&img);
    m
}

/// Runs to the end; returns (stop, console, state hash, cycle).
fn finish(d: &mut Debugger) -> (StopReason, Vec<u8>, u64, u64) {
    let mut stop = d.run(50_000_000);
    while stop == StopReason::NeedInput {
        d.close_input();
        stop = d.run(50_000_000);
    }
    (
        stop,
        d.console().to_vec(),
        d.state_hash(),
        d.machine().cycle,
    )
}

#[test]
fn a_loaded_state_runs_to_the_same_end() {
    let cases = [
        ("functional", "fibonacci"),
        ("single-cycle", "timer_irq"),
        ("textbook", "bubble_sort"),
        ("default", "fibonacci"),
        ("bimodal", "timer_irq"),
        ("l1-l2-dram", "bubble_sort"),
        ("gshare", "hello_uart"),
    ];
    for (preset, name) in cases {
        let what = format!("{preset}/{name}");
        let mut whole = Debugger::new(machine(preset, name));
        let end = finish(&mut whole);
        assert!(
            matches!(end.0, StopReason::Halted(Halt::Exited(_))),
            "{what}: {end:?}"
        );
        for at in [1, end.3 / 3, end.3 * 2 / 3] {
            let mut first = Debugger::new(machine(preset, name));
            first.run(at);
            let bytes = first.save_state(name).to_bytes().unwrap();
            let state = SaveState::from_bytes(&bytes).unwrap();
            assert_eq!(state.program_name, name);
            assert_eq!(state.machine.cycle, first.machine().cycle);
            let mut loaded = Debugger::from_state(state);
            assert_eq!(
                loaded.state_hash(),
                first.state_hash(),
                "{what}: loaded at {at}"
            );
            assert_eq!(finish(&mut loaded), end, "{what}: saved at cycle {at}");
        }
    }
}

#[test]
fn stops_and_hit_counts_are_saved() {
    let mut d = Debugger::new(machine("textbook", "bubble_sort"));
    d.run(3_000);
    let pc = d.machine().hart.pc;
    let mut stops = StopSet::new();
    let id = stops.add_breakpoint(pc, None).unwrap();
    *d.stops_mut() = stops;
    assert!(matches!(d.run(1_000_000), StopReason::Breakpoint(p) if p == pc));
    assert!(matches!(d.run(1_000_000), StopReason::Breakpoint(p) if p == pc));
    let hits = d.hits(id);
    assert!(hits >= 2);
    let state = SaveState::from_bytes(&d.save_state("b").to_bytes().unwrap()).unwrap();
    let mut e = Debugger::from_state(state);
    assert_eq!(e.hits(id), hits);
    assert_eq!(e.run(1_000_000), d.run(1_000_000));
    assert_eq!(e.hits(id), d.hits(id));
    assert_eq!(e.state_hash(), d.state_hash());
}

#[test]
fn bad_files_get_clear_errors() {
    let d = Debugger::new(machine("textbook", "fibonacci"));
    let good = d.save_state("f").to_bytes().unwrap();
    // RAM is mostly zeros: 64 MiB compress to little.
    assert!(good.len() < 64 << 10, "{} bytes", good.len());
    let err = |b: &[u8]| SaveState::from_bytes(b).unwrap_err().to_string();
    assert_eq!(
        err(b"PK\x03\x04 not a state"),
        "not a Glassbox save state (the file does not start with \"GLASSBOX\")"
    );
    assert_eq!(
        err(&good[..10]),
        "the save state is truncated (10 of 20 bytes)"
    );
    let cut = good.len() - 7;
    assert_eq!(
        err(&good[..cut]),
        format!(
            "the save state is truncated ({cut} of {} bytes)",
            good.len()
        )
    );
    let mut v1 = good.clone();
    v1[8] = 1;
    assert!(matches!(
        SaveState::from_bytes(&v1),
        Err(StateError::Version { found: 1 })
    ));
    assert!(err(&v1).starts_with("save state of format version 1; this Glassbox reads version 2"));
    let mut bad = good.clone();
    let mid = 20 + (good.len() - 20) / 2;
    bad[mid] ^= 0x55;
    assert!(
        err(&bad).starts_with("the save state is corrupt: "),
        "{}",
        err(&bad)
    );
    let mut longer = good.clone();
    longer.push(0);
    assert_eq!(
        err(&longer),
        "the save state is corrupt: 1 byte after the end of the state"
    );
    // A missing file names the path.
    let e = SaveState::load(std::path::Path::new("/nonexistent/x.state")).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("cannot read /nonexistent/x.state: ")
    );
}
