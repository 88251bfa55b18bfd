//! `debug::stops`: conditional breakpoints, ignore counts, hit lists that
//! replays never double-count, watchpoints through a `StopSet`, event
//! stops, save and load, and the listing text.

mod support;

use glassbox::config::MachineConfig;
use glassbox::debug::stops::{StopError, StopSet, run_until_stop};
use glassbox::machine::{EventKind, WatchKind};
use glassbox::{Halt, Machine, StopReason};
use support::enc::*;
use support::*;

const PC0: u32 = RAM_BASE;
/// The loop body's second instruction: t0 has just been incremented.
const BODY: u32 = PC0 + 8;

/// t0 counts 1..=10; each iteration stores t0 at DATA. Then exit 0.
fn counting_loop(cfg: &str) -> Machine {
    let body = [
        addi(T0, 0, 0),
        addi(T0, T0, 1), // PC0+4
        sw(T0, S0, 0),   // PC0+8
        addi(T1, 0, 10),
        bne(T0, T1, -12),
        addi(A0, 0, 0),
        addi(A7, 0, 93),
        ecall(),
    ];
    let mut m = machine_with_config(MachineConfig::preset(cfg).unwrap(), &body);
    m.hart.set_reg(S0, DATA);
    m
}

fn run(m: &mut Machine, s: &mut StopSet) -> StopReason {
    m.run_with_stops(s, 100_000).stop
}

#[test]
fn a_condition_stops_only_where_it_holds_and_counts_only_those_hits() {
    for cfg in ["functional", "single-cycle"] {
        let mut m = counting_loop(cfg);
        let mut s = StopSet::new();
        let id = s.add_breakpoint(BODY, Some("t0 == 5")).unwrap();
        assert_eq!(run(&mut m, &mut s), StopReason::Breakpoint(BODY));
        assert_eq!(m.hart.reg(T0), 5, "{cfg}");
        assert_eq!(s.last_hits(), &[id]);
        // Four refused visits before: not counted.
        assert_eq!(s.hits_at(id, m.cycle), 1);
        assert_eq!(
            run(&mut m, &mut s),
            StopReason::Halted(Halt::Exited(0)),
            "{cfg}"
        );
        assert_eq!(s.hits_at(id, m.cycle), 1);
    }
}

#[test]
fn an_ignore_count_stops_from_the_next_hit_on() {
    let mut m = counting_loop("functional");
    let mut s = StopSet::new();
    let id = s.add_breakpoint(BODY, None).unwrap();
    assert!(s.set_ignore(id, 6));
    // Hits 1..=6 pass; the 7th stops (t0 = 7), and so do later ones.
    assert_eq!(run(&mut m, &mut s), StopReason::Breakpoint(BODY));
    assert_eq!((m.hart.reg(T0), s.hits_at(id, m.cycle)), (7, 7));
    let text = run_until_stop(&mut m, &mut s, 100_000).text;
    assert_eq!(m.hart.reg(T0), 8);
    assert_eq!(text, "breakpoint 1 at 0x80000008 (hit 8 times)");
}

#[test]
fn replaying_the_same_cycles_never_double_counts() {
    let mut m = counting_loop("functional");
    let start = m.clone();
    let mut s = StopSet::new();
    let id = s.add_breakpoint(BODY, None).unwrap();
    let mut cycles = Vec::new();
    for _ in 0..4 {
        run(&mut m, &mut s);
        cycles.push(m.cycle);
    }
    // Visits: the first loop body reaches BODY after 2 instructions, then
    // every 4.
    assert_eq!(cycles, [2, 6, 10, 14]);
    assert_eq!(s.breakpoints[0].hits.cycles(), &cycles[..]);
    // Back to the start (as a timeline would) and over the same cycles.
    let mut m = start;
    for _ in 0..4 {
        run(&mut m, &mut s);
    }
    assert_eq!(s.hits_at(id, m.cycle), 4);
    assert_eq!(s.hits_at(id, 5), 1);
    assert_eq!(s.hits_at(id, 6), 2);
    assert_eq!(s.hits_at(id, 1), 0);
    // An edit in the past drops the future's hits.
    s.truncate_hits_after(6);
    assert_eq!(s.hits_at(id, u64::MAX), 2);
}

#[test]
fn conditions_on_the_pipeline_see_written_back_registers() {
    // On the five-stage core a breakpoint stops when its instruction
    // becomes the next to fetch, so the condition sees the registers the
    // older instructions have written back so far. BODY becomes the next
    // fetch when the addi t0 before it is fetched: c1 in the first
    // iteration, then every 6 cycles (4 instructions + 2 for the taken
    // bne), so visit k ends at m.cycle 2 + 6(k - 1). At visit k, t0
    // holds the count of iteration k - 1 (its addi wrote back long ago,
    // the k-th is in IF): `t0 >= 3` first holds at visit 4, m.cycle 20,
    // where the functional core stops at visit 3.
    let mut m = counting_loop("textbook");
    let mut s = StopSet::new();
    let id = s.add_breakpoint(BODY, Some("t0 >= 3")).unwrap();
    assert_eq!(run(&mut m, &mut s), StopReason::Breakpoint(BODY));
    assert_eq!(
        (m.hart.reg(T0), m.cycle, s.hits_at(id, m.cycle)),
        (3, 20, 1)
    );
    let mut f = counting_loop("functional");
    let mut s = StopSet::new();
    s.add_breakpoint(BODY, Some("t0 >= 3")).unwrap();
    assert_eq!(run(&mut f, &mut s), StopReason::Breakpoint(BODY));
    assert_eq!((f.hart.reg(T0), f.cycle), (3, 10));
}

#[test]
fn a_condition_that_cannot_be_evaluated_stops_and_says_why() {
    let mut m = counting_loop("functional");
    let mut s = StopSet::new();
    let id = s.add_breakpoint(BODY, Some("mem32[0] == 1")).unwrap();
    let stop = run_until_stop(&mut m, &mut s, 100_000);
    assert_eq!(stop.stop, StopReason::Breakpoint(BODY));
    assert_eq!(
        s.last_error().map(|(i, e)| (*i, e.to_string())),
        Some((
            id,
            "mem32[0x00000000] cannot be read: the address is not mapped".into()
        ))
    );
    assert_eq!(
        stop.text,
        "breakpoint 1 at 0x80000008 (hit 0 times); the condition of breakpoint 1 failed: \
         mem32[0x00000000] cannot be read: the address is not mapped"
    );
}

#[test]
fn a_bad_condition_is_refused_with_its_column() {
    let mut s = StopSet::new();
    let e = s.add_breakpoint(BODY, Some("t0 == ")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "condition: expected register, number or '(', found the end at column 7"
    );
    assert!(s.breakpoints.is_empty());
    let id = s.add_breakpoint(BODY, Some("t0 == 1")).unwrap();
    assert!(matches!(
        s.set_condition(id, Some("t0 ==== 1")),
        Err(StopError::Condition(_))
    ));
    assert_eq!(
        s.breakpoints[0].condition.as_ref().map(|c| c.source()),
        Some("t0 == 1")
    );
}

#[test]
fn watchpoints_with_ignore_counts_and_a_value() {
    for cfg in ["functional", "textbook"] {
        let mut m = counting_loop(cfg);
        let mut s = StopSet::new();
        let (id, warning) = s
            .add_watchpoint(&m, WatchKind::Write, DATA, 4, None)
            .unwrap();
        assert_eq!(warning, None);
        s.set_ignore(id, 2);
        let stop = run_until_stop(&mut m, &mut s, 100_000);
        assert_eq!(
            stop.text,
            "write watchpoint 1 at 0x80010000: sw t0,0(s0) at 0x80000008 changed \
             0x00000002 -> 0x00000003 (hit 3 times)",
            "{cfg}"
        );
        s.watchpoints[0].value = Some(9);
        let stop = run_until_stop(&mut m, &mut s, 100_000);
        match stop.stop {
            StopReason::Watchpoint(h) => assert_eq!((h.old, h.new), (8, 9)),
            other => panic!("{other:?}"),
        }
        assert_eq!(s.hits_at(id, m.cycle), 4, "{cfg}");
    }
}

#[test]
fn watchpoints_on_unmapped_memory() {
    let m = counting_loop("functional");
    let mut s = StopSet::new();
    let e = s
        .add_watchpoint(&m, WatchKind::Access, 0x4000_0000, 4, None)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "cannot watch 0x40000000..0x40000004: no byte of it is mapped, so no access could \
         ever reach it (RAM is 0x80000000..0x84000000, the UART is 0x10000000..0x10000100, the \
         CLINT is 0x02000000..0x02010000, the test finisher is 0x00100000..0x00101000)"
    );
    let (_, warning) = s
        .add_watchpoint(&m, WatchKind::Access, RAM_END - 2, 4, None)
        .unwrap();
    assert_eq!(
        warning.as_deref(),
        Some(
            "2 of the 4 watched bytes at 0x83fffffe..0x84000002 are not mapped and can never \
             be accessed (RAM is 0x80000000..0x84000000, the UART is 0x10000000..0x10000100, the \
             CLINT is 0x02000000..0x02010000, the test finisher is 0x00100000..0x00101000)"
        )
    );
    assert!(
        s.add_watchpoint(&m, WatchKind::Read, DATA, 0, None)
            .is_err()
    );
    assert!(
        s.add_watchpoint(&m, WatchKind::Read, 0xffff_fffe, 4, None)
            .is_err()
    );
}

#[test]
fn event_stops_through_a_stop_set() {
    let mut m = counting_loop("textbook");
    let mut s = StopSet::new();
    s.events.ecall = true;
    let stop = run_until_stop(&mut m, &mut s, 100_000);
    match stop.stop {
        StopReason::Event(e) => assert_eq!(e.kind, EventKind::Ecall { a7: 93 }),
        other => panic!("{other:?}"),
    }
    assert_eq!(stop.text, "ecall at 0x8000001c (a7 = 93)");
    assert_eq!(run(&mut m, &mut s), StopReason::Halted(Halt::Exited(0)));
}

#[test]
fn disabled_stops_are_not_armed() {
    let mut m = counting_loop("functional");
    let mut s = StopSet::new();
    let b = s.add_breakpoint(BODY, None).unwrap();
    let (w, _) = s
        .add_watchpoint(&m, WatchKind::Write, DATA, 4, None)
        .unwrap();
    assert!(s.set_enabled(b, false) && s.set_enabled(w, false));
    assert!(s.is_empty());
    assert_eq!(run(&mut m, &mut s), StopReason::Halted(Halt::Exited(0)));
    assert!(s.remove(b) && !s.remove(b));
}

#[test]
fn listing_text() {
    let m = counting_loop("functional");
    let mut s = StopSet::new();
    let b = s.add_breakpoint(BODY, Some("t0 == 5")).unwrap();
    s.set_ignore(b, 3);
    s.add_breakpoint(PC0, None).unwrap();
    s.set_enabled(2, false);
    let w = s
        .add_watchpoint(&m, WatchKind::Read, DATA, 1, Some(7))
        .unwrap();
    s.set_ignore(w.0, 1);
    s.events.trap = Some(Some(2));
    s.events.tohost = true;
    assert_eq!(
        s.describe(&m, 0),
        [
            "1 breakpoint at 0x80000008 if t0 == 5, ignore 3 hits, hit 0 times",
            "2 breakpoint (disabled) at 0x80000000, hit 0 times",
            "3 read watchpoint on 1 byte at 0x80010000 == 0x7, ignore 1 hit, hit 0 times",
            "stop on trap cause 2 (illegal instruction)",
            "stop on every write to tohost",
        ]
    );
}

#[test]
fn a_stop_set_saves_and_loads_with_conditions_parsed_again() {
    let m = counting_loop("functional");
    let mut s = StopSet::new();
    let b = s
        .add_breakpoint(BODY, Some("a0 == 3 && mem32[sp + 8] > 10"))
        .unwrap();
    s.breakpoints[0].hits.record(40);
    s.add_watchpoint(&m, WatchKind::Access, DATA, 8, None)
        .unwrap();
    s.events.interrupt = true;
    let text = serde_json::to_string(&s).unwrap();
    assert!(text.contains(r#""condition":"a0 == 3 && mem32[sp + 8] > 10""#));
    let back: StopSet = serde_json::from_str(&text).unwrap();
    assert_eq!(back, s);
    assert_eq!(back.hits_at(b, 40), 1);
    // New ids continue after the loaded ones, even if the file's counter
    // was edited below them.
    let mut back = back;
    assert_eq!(back.add_breakpoint(PC0, None).unwrap(), 3);
    assert!(text.contains(r#""next_id":2"#));
    let edited: StopSet =
        serde_json::from_str(&text.replace(r#""next_id":2"#, r#""next_id":0"#)).unwrap();
    let mut edited = edited;
    assert_eq!(edited.add_breakpoint(PC0, None).unwrap(), 3);
    // A condition that no longer parses is a load error naming it.
    let bad = text.replace("a0 == 3 &&", "a0 == 3 &&&");
    let e = serde_json::from_str::<StopSet>(&bad)
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with(
            "condition \"a0 == 3 &&& mem32[sp + 8] > 10\": expected register, number or '(', \
             found '&' at column 11"
        ),
        "{e}"
    );
}

#[test]
fn refused_stops_cost_nothing_and_the_cycle_limit_still_holds() {
    // A condition that never holds: the run ends exactly as an unwatched
    // one, on every core.
    for cfg in ["functional", "textbook", "classic-l1"] {
        let mut free = counting_loop(cfg);
        assert_eq!(free.run(100_000), StopReason::Halted(Halt::Exited(0)));
        let mut m = counting_loop(cfg);
        let mut s = StopSet::new();
        let id = s.add_breakpoint(BODY, Some("t0 == 100")).unwrap();
        s.add_watchpoint(&m, WatchKind::Access, DATA, 4, Some(100))
            .unwrap();
        assert_eq!(run(&mut m, &mut s), StopReason::Halted(Halt::Exited(0)));
        assert_eq!((m.cycle, m.instret), (free.cycle, free.instret), "{cfg}");
        assert_eq!(s.hits_at(id, m.cycle), 0);
        // A limit inside the loop stops there, exactly.
        let mut m = counting_loop(cfg);
        let stop = run_until_stop(&mut m, &mut s, 25);
        assert_eq!((stop.stop, m.cycle), (StopReason::CycleLimit, 25), "{cfg}");
    }
}
