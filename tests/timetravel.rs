//! Reverse execution (`debug::Timeline`): for the functional, single-cycle
//! and five-stage cores and every preset, going back (by cycle, by
//! instruction, by seeking, by reverse-running to breakpoints) restores
//! exactly the state first reached at that cycle, as a state hash over
//! everything observable and as exact values; going forward again
//! reproduces the same states; console output and the input journal
//! follow; edits in the past drop the future.

use glassbox::config::PRESETS;
use glassbox::debug::{MarkKind, ReverseStop, SeekError, Timeline};
use glassbox::{Halt, Machine, MachineConfig, StopReason, loader};
use std::path::PathBuf;

fn rom(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("roms")
        .join(format!("{name}.elf"))
}

fn machine(preset: &str, name: &str) -> Machine {
    let cfg = MachineConfig::preset(preset).expect("preset exists");
    let mut m = Machine::new(cfg).expect("valid configuration");
    let img = loader::load_file(&rom(name), m.ram_region(), None).expect("ROM loads");
    m.load(&img);
    m
}

fn accept_all(_: &Machine, _: &StopReason) -> bool {
    true
}

fn presets() -> Vec<&'static str> {
    PRESETS.iter().map(|(n, _)| *n).collect()
}

/// Everything the tests compare as exact values, besides the hash.
fn values(t: &Timeline) -> (u64, u64, u32, [u32; 32], Vec<u8>) {
    let m = t.machine();
    (
        m.cycle,
        m.instret,
        m.hart.pc,
        m.hart.x,
        t.console().to_vec(),
    )
}

/// A state recorded on the way forward.
#[derive(Clone, Debug, PartialEq)]
struct Seen {
    hash: u64,
    values: (u64, u64, u32, [u32; 32], Vec<u8>),
}

fn seen(t: &Timeline) -> Seen {
    Seen {
        hash: t.state_hash(),
        values: values(t),
    }
}

/// Runs forward in uneven chunks, recording the state after each, then
/// single-steps `tail` states at the end, recording each.
fn forward(t: &mut Timeline, cycles: u64, tail: usize) -> (Vec<Seen>, Vec<Seen>) {
    let mut chunks = Vec::new();
    let sizes = [997u64, 4093, 61, 12_289, 1, 7919];
    let mut k = 0;
    while t.cycle() < cycles && t.machine().halt.is_none() {
        let stop = t.run(sizes[k % sizes.len()], &mut accept_all);
        k += 1;
        chunks.push(seen(t));
        if stop == StopReason::NeedInput {
            break;
        }
    }
    let mut steps = vec![seen(t)];
    for _ in 0..tail {
        if t.machine().halt.is_some() {
            break;
        }
        let stop = t.step_cycle();
        steps.push(seen(t));
        if stop == StopReason::NeedInput {
            break;
        }
    }
    (chunks, steps)
}

/// The ROMs every preset runs here: output, traps and interrupts, wfi,
/// loads and stores.
const ROMS: &[&str] = &["fibonacci", "timer_irq", "bubble_sort", "hello_uart"];

#[test]
fn every_preset_goes_back_to_identical_states() {
    for preset in presets() {
        for name in ROMS {
            let what = format!("{preset}/{name}");
            let mut t = Timeline::new(machine(preset, name));
            t.set_interval(8192);
            let (chunks, steps) = forward(&mut t, 60_000, 40);
            assert!(!chunks.is_empty(), "{what}: ran");

            // Chunking does not matter: a second timeline run straight to
            // each recorded cycle reaches the same states.
            let mut u = Timeline::new(machine(preset, name));
            for s in &chunks {
                let c = s.values.0;
                u.run(c - u.cycle(), &mut accept_all);
                assert_eq!(seen(&u), *s, "{what}: one run to cycle {c}");
            }

            // Step back one cycle at a time over the tail.
            for s in steps.iter().rev().skip(1) {
                t.step_back_cycle().unwrap();
                assert_eq!(seen(&t), *s, "{what}: step back to cycle {}", s.values.0);
            }
            // Seek to every recorded cycle, out of order.
            let mut order: Vec<usize> = (0..chunks.len()).collect();
            order.sort_by_key(|&i| (i * 7919) % chunks.len());
            for i in order {
                let s = &chunks[i];
                t.seek(s.values.0).unwrap();
                assert_eq!(seen(&t), *s, "{what}: seek to cycle {}", s.values.0);
            }
            // Forward again from the start reproduces the recorded states.
            t.seek(0).unwrap();
            for s in &chunks {
                t.run(s.values.0 - t.cycle(), &mut accept_all);
                assert_eq!(seen(&t), *s, "{what}: forward again to {}", s.values.0);
            }
            assert!(t.memory_used() <= t.budget(), "{what}: within budget");
        }
    }
}

#[test]
fn step_back_instruction_lands_before_each_retirement() {
    for preset in presets() {
        let what = format!("{preset}/bubble_sort");
        let mut t = Timeline::new(machine(preset, "bubble_sort"));
        t.set_interval(4096);
        t.run(20_000, &mut accept_all);
        // Every state of the last 60 cycles.
        let mut states = vec![seen(&t)];
        for _ in 0..60 {
            t.step_cycle();
            states.push(seen(&t));
        }
        for _ in 0..10 {
            let retired = t.machine().instret;
            // The last state, before now, with fewer instructions retired.
            let now = t.cycle();
            let expect = states
                .iter()
                .rfind(|s| s.values.1 < retired && s.values.0 < now)
                .cloned();
            t.step_back_instruction().unwrap();
            match expect {
                Some(s) => assert_eq!(seen(&t), s, "{what}: before instruction {retired}"),
                None => break,
            }
        }
    }
}

#[test]
fn seek_past_furthest_errors_and_keeps_the_machine() {
    let mut t = Timeline::new(machine("textbook", "bubble_sort"));
    t.run(5_000, &mut accept_all);
    t.seek(1_000).unwrap();
    let before = seen(&t);
    assert_eq!(
        t.seek(5_001),
        Err(SeekError::PastFurthest {
            target: 5_001,
            furthest: 5_000
        })
    );
    assert_eq!(seen(&t), before);
    t.seek(0).unwrap();
    assert_eq!(t.step_back_cycle(), Err(SeekError::AtStart(0)));
    assert_eq!(t.step_back_instruction(), Err(SeekError::AtStart(0)));
    assert_eq!(t.cycle(), 0);
}

#[test]
fn console_output_follows_the_current_cycle() {
    for preset in ["functional", "textbook", "default"] {
        let mut t = Timeline::new(machine(preset, "fibonacci"));
        t.set_interval(2048);
        let stop = t.run(10_000_000, &mut accept_all);
        assert_eq!(stop, StopReason::Halted(Halt::Exited(0)), "{preset}");
        let full = t.console().to_vec();
        assert!(!full.is_empty());
        let stamps = t.output_stamps().to_vec();
        let end = t.cycle();
        // Halfway, the console holds exactly what a plain run prints by then.
        let mid = end / 2;
        let mut plain = machine(preset, "fibonacci");
        plain.run(mid);
        t.seek(mid).unwrap();
        assert_eq!(
            t.console(),
            plain.take_output(),
            "{preset}: console at {mid}"
        );
        assert!(
            t.marks()
                .iter()
                .any(|m| matches!(m.kind, MarkKind::Output { .. }))
        );
        t.seek(end).unwrap();
        assert_eq!(t.console(), full, "{preset}: console at the end");
        assert_eq!(t.output_stamps(), stamps);
    }
}

#[test]
fn input_is_journaled_and_replayed() {
    for preset in ["functional", "single-cycle", "textbook", "default"] {
        let mut t = Timeline::new(machine(preset, "echo"));
        t.set_interval(1024);
        assert_eq!(t.run(1_000_000, &mut accept_all), StopReason::NeedInput);
        let waited = t.cycle();
        t.push_input(b"hello ");
        assert_eq!(t.run(1_000_000, &mut accept_all), StopReason::NeedInput);
        let second = t.cycle();
        assert_eq!(t.console(), b"HELLO ");
        t.push_input(b"world\n");
        t.close_input();
        let stop = t.run(1_000_000, &mut accept_all);
        assert_eq!(stop, StopReason::Halted(Halt::Exited(0)), "{preset}");
        let end = seen(&t);
        assert_eq!(t.console(), b"HELLO WORLD\n");
        // Back before the first input: nothing printed, input not given.
        t.seek(waited - 1).unwrap();
        assert_eq!(t.console(), b"");
        assert!(t.machine().bus.uart.input.is_empty());
        // At the second wait, the first line only.
        t.seek(second).unwrap();
        assert_eq!(t.console(), b"HELLO ");
        // The journal brings forward runs to the same end.
        t.seek(0).unwrap();
        let stop = t.run(10_000_000, &mut accept_all);
        assert_eq!(stop, StopReason::Halted(Halt::Exited(0)), "{preset}");
        assert_eq!(seen(&t), end, "{preset}: replayed run");
    }
}

#[test]
fn an_edit_in_the_past_drops_the_future() {
    let mut t = Timeline::new(machine("textbook", "bubble_sort"));
    t.run(8_000, &mut accept_all);
    assert!(!t.in_past());
    t.seek(3_000).unwrap();
    assert!(t.in_past());
    let pc = t.machine().hart.pc;
    t.set_reg(10, 0x1234).unwrap();
    assert!(!t.in_past());
    assert_eq!(t.furthest(), 3_000);
    assert_eq!(
        t.seek(3_001),
        Err(SeekError::PastFurthest {
            target: 3_001,
            furthest: 3_000
        })
    );
    assert_eq!(t.machine().hart.x[10], 0x1234);
    // The new future is journaled: going back and forward keeps the edit.
    t.run(500, &mut accept_all);
    let after = seen(&t);
    t.seek(2_000).unwrap();
    assert_ne!(t.machine().hart.x[10], 0x1234);
    t.seek(3_000).unwrap();
    assert_eq!(t.machine().hart.x[10], 0x1234);
    assert_eq!(t.machine().hart.pc, pc);
    t.seek(3_500).unwrap();
    assert_eq!(seen(&t), after);
    // A refused edit changes nothing and keeps the future.
    t.seek(3_200).unwrap();
    assert!(t.set_csr(0xf11, 1).is_err());
    assert_eq!(
        t.poke(0x4000_0000, 1, 1).unwrap_err().to_string(),
        "nothing is mapped at 0x40000000 (1 byte)"
    );
    assert_eq!(
        t.poke(0x4000_0000, 4, 1).unwrap_err().to_string(),
        "nothing is mapped at 0x40000000 (4 bytes)"
    );
    assert_eq!(t.furthest(), 3_500);
}

#[test]
fn reverse_run_stops_at_the_previous_breakpoint() {
    for preset in [
        "functional",
        "single-cycle",
        "textbook",
        "default",
        "bimodal",
    ] {
        let what = preset;
        let mut t = Timeline::new(machine(preset, "bubble_sort"));
        t.set_interval(4096);
        // Run to the end without breakpoints, then put one on a hot pc.
        let stop = t.run(5_000_000, &mut accept_all);
        assert!(matches!(stop, StopReason::Halted(_)), "{what}: {stop:?}");
        // Forward with a breakpoint: record where each hit happens.
        let end = t.cycle();
        t.seek(0).unwrap();
        t.run(3_000, &mut accept_all);
        let bp = t.machine().hart.pc;
        t.seek(0).unwrap();
        t.triggers_mut().breakpoints.insert(bp);
        let mut hits = Vec::new();
        while let StopReason::Breakpoint(pc) = t.run(u64::MAX, &mut accept_all) {
            assert_eq!(pc, bp);
            hits.push(seen(&t));
        }
        assert!(hits.len() >= 3, "{what}: {} hits", hits.len());
        assert_eq!(t.cycle(), end);
        // Backwards, hit by hit, to the start.
        for h in hits.iter().rev() {
            assert_eq!(
                t.reverse_run(&mut accept_all),
                ReverseStop::Stopped(StopReason::Breakpoint(bp)),
                "{what}"
            );
            assert_eq!(seen(&t), *h, "{what}: reverse to cycle {}", h.values.0);
        }
        assert_eq!(t.reverse_run(&mut accept_all), ReverseStop::Start);
        assert_eq!(t.cycle(), 0);
        // A predicate that rejects every other hit.
        t.seek(end).unwrap();
        let mut n = 0;
        let r = t.reverse_run(&mut |_, _| {
            n += 1;
            n % 2 == 0
        });
        assert!(matches!(r, ReverseStop::Stopped(_)));
    }
}

#[test]
fn debugger_hit_counts_are_exact_after_going_back() {
    use glassbox::debug::Debugger;
    use glassbox::debug::stops::StopSet;
    let mut d = Debugger::new(machine("textbook", "bubble_sort"));
    d.run(3_000);
    let pc = d.machine().hart.pc;
    d.seek(0).unwrap();
    let mut stops = StopSet::new();
    let id = stops.add_breakpoint(pc, None).unwrap();
    *d.stops_mut() = stops;
    let mut at = Vec::new();
    for _ in 0..4 {
        assert_eq!(d.run(10_000_000), StopReason::Breakpoint(pc));
        at.push((d.machine().cycle, d.hits(id)));
    }
    assert_eq!(at.iter().map(|a| a.1).collect::<Vec<_>>(), [1, 2, 3, 4]);
    // Back over the hits: each reverse run lands on the previous one, and
    // the count is the count as of that cycle.
    for &(cycle, hits) in at.iter().rev().skip(1) {
        assert!(
            matches!(d.reverse_run(), ReverseStop::Stopped(StopReason::Breakpoint(p)) if p == pc)
        );
        assert_eq!((d.machine().cycle, d.hits(id)), (cycle, hits));
    }
    // Forward again: the same hits, counted once.
    assert_eq!(d.run(10_000_000), StopReason::Breakpoint(pc));
    assert_eq!((d.machine().cycle, d.hits(id)), at[1]);
    // An edit here drops the later hits.
    d.set_reg(5, 7).unwrap();
    assert_eq!(d.stops().hits_at(id, u64::MAX), 2);
}

/// A framebuffer the guest does not draw in is one block of memory that
/// every snapshot shares, so the history's memory counts it once, not
/// once per snapshot (320×240×4 bytes each made a `textbook` run of
/// 10^8 cycles use 174 MiB of the budget, and sizing every snapshot
/// visited each of its bytes).
#[test]
fn snapshots_count_an_undrawn_framebuffer_once() {
    let mut t = Timeline::new(machine("textbook", "matmul"));
    t.set_interval(1024);
    let frame = t.machine().bus.devices.display().raw().len();
    assert!(frame >= 320 * 240 * 2, "a framebuffer exists: {frame}");
    t.run(64 * 1024, &mut accept_all);
    let snaps = t.snapshot_count();
    assert!(snaps >= 60, "{snaps} snapshots");
    let used = t.memory_used();
    assert!(
        used >= frame && used < frame + snaps * 40_000,
        "{used} bytes for {snaps} snapshots of a {frame}-byte frame"
    );
}
