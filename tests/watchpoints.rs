//! Raw watchpoints and event stops on every core, to the cycle
//! (`docs/timing.md`, "Watchpoints and event stops"): the functional and
//! single-cycle cores stop right after the instruction; the five-stage
//! core at the end of the cycle in which the accessing instruction leaves
//! MEM (after a cache fill, in its last cycle), and for events at the end
//! of the cycle in which the event happens.
//!
//! Cycle numbers in comments are 0-based: "c4" is the cycle with four
//! cycles completed before it (`m.cycle` is 5 after it).

mod support;

use glassbox::config::MachineConfig;
use glassbox::isa::csr::MTVEC;
use glassbox::machine::ProgramInfo;
use glassbox::machine::triggers::{EventTriggers, WatchTrigger};
use glassbox::machine::{EventHit, EventKind, Triggers, WatchHit, WatchKind};
use glassbox::{Halt, Machine, StopReason};
use std::sync::Arc;
use support::enc::*;
use support::*;

const PC0: u32 = RAM_BASE;

fn preset(name: &str) -> MachineConfig {
    MachineConfig::preset(name).expect("preset exists")
}

fn exit() -> Vec<u32> {
    vec![addi(A0, 0, 0), addi(A7, 0, 93), ecall()]
}

fn machine(cfg: &str, body: &[u32]) -> Machine {
    let mut m = machine_with_config(preset(cfg), &prog(&[body, &exit()]));
    m.hart.set_reg(S0, DATA);
    m
}

fn watch(m: &mut Machine, id: u32, kind: WatchKind, addr: u32, len: u32, value: Option<u32>) {
    let mut t = m.triggers().clone();
    t.watchpoints.push(WatchTrigger {
        id,
        kind,
        addr,
        len,
        value,
    });
    m.set_triggers(t);
}

fn events(m: &mut Machine, events: EventTriggers) {
    m.set_triggers(Triggers {
        watchpoints: vec![],
        events,
    });
}

fn watch_hit(stop: StopReason) -> WatchHit {
    match stop {
        StopReason::Watchpoint(h) => h,
        other => panic!("expected a watchpoint stop, got {other:?}"),
    }
}

fn run_to_exit(m: &mut Machine) {
    assert_eq!(m.run(100_000), StopReason::Halted(Halt::Exited(0)));
}

/// The instruction in MEM/WB (just past MEM) on the five-stage core.
fn past_mem(m: &Machine) -> Option<u32> {
    m.pipeline.as_ref().unwrap().mem_wb().map(|s| s.tag.pc)
}

// ---- Watchpoints ----

/// `li t0, 3; sw t0, 8(s0); nop` and exit, watched for writes at DATA+8.
fn store_program() -> Vec<u32> {
    vec![addi(T0, 0, 3), sw(T0, S0, 8), nop()]
}

fn store_hit() -> WatchHit {
    WatchHit {
        id: 2,
        kind: WatchKind::Write,
        pc: PC0 + 4,
        word: sw(T0, S0, 8),
        addr: DATA + 8,
        width: 4,
        write: true,
        old: 0,
        new: 3,
    }
}

#[test]
fn write_watchpoint_stops_functional_cores_right_after_the_store() {
    for cfg in ["functional", "single-cycle"] {
        let mut m = machine(cfg, &store_program());
        watch(&mut m, 2, WatchKind::Write, DATA + 8, 4, None);
        let hit = watch_hit(m.run(1000));
        assert_eq!(hit, store_hit(), "{cfg}");
        // Two instructions ran; the store's effect is visible.
        assert_eq!((m.cycle, m.instret, m.hart.pc), (2, 2, PC0 + 8), "{cfg}");
        assert_eq!(m.peek(DATA + 8, 4), Some(3));
        run_to_exit(&mut m);
    }
}

#[test]
fn write_watchpoint_stops_the_pipeline_when_the_store_leaves_mem() {
    let mut m = machine("textbook", &store_program());
    watch(&mut m, 2, WatchKind::Write, DATA + 8, 4, None);
    let hit = watch_hit(m.run(1000));
    assert_eq!(hit, store_hit());
    // The store (instruction 1) is in MEM in c1 + 3 = c4: m.cycle 5. It is
    // now in MEM/WB; the addi ahead of it retired in c4.
    assert_eq!((m.cycle, m.instret), (5, 1));
    assert_eq!(past_mem(&m), Some(PC0 + 4));
    assert_eq!(m.peek(DATA + 8, 4), Some(3));
    run_to_exit(&mut m);
    // Stopping changed nothing: 6 instructions, base 10.
    assert_eq!((m.cycle, m.instret), (10, 6));
}

#[test]
fn display_of_a_watch_hit_names_instruction_and_values() {
    assert_eq!(
        store_hit().to_string(),
        "write watchpoint 2 at 0x80010008: sw t0,8(s0) at 0x80000004 changed 0x00000000 -> 0x00000003"
    );
    let read = WatchHit {
        kind: WatchKind::Access,
        word: lbu(T1, S0, 9),
        addr: DATA + 9,
        width: 1,
        write: false,
        old: 0x7f,
        new: 0x7f,
        ..store_hit()
    };
    assert_eq!(
        read.to_string(),
        "access watchpoint 2 at 0x80010009: lbu t1,9(s0) at 0x80000004 read 0x7f"
    );
}

#[test]
fn read_watchpoint_after_a_data_cache_miss_stops_in_the_fill_s_last_cycle() {
    // classic-l1: the first fetch misses (50), so instruction k is in
    // stage j in c50 + k + j: the lw (k = 0) is in MEM in c53, misses
    // (50 more), and leaves MEM at the end of c103: m.cycle 104.
    let mut m = machine("classic-l1", &[lw(T2, S0, 0)]);
    m.poke(DATA, 4, 0x1234_5678);
    watch(&mut m, 7, WatchKind::Read, DATA, 4, None);
    let hit = watch_hit(m.run(1000));
    assert_eq!(m.cycle, 104);
    assert_eq!(past_mem(&m), Some(PC0));
    assert_eq!(
        (
            hit.id, hit.pc, hit.addr, hit.width, hit.write, hit.old, hit.new
        ),
        (7, PC0, DATA, 4, false, 0x1234_5678, 0x1234_5678)
    );
    // The whole run costs what it costs unwatched: 8 + 50 + 50.
    run_to_exit(&mut m);
    assert_eq!((m.cycle, m.instret), (108, 4));
}

#[test]
fn single_cycle_core_with_caches_stops_after_the_stalled_instruction() {
    // The single-cycle core lengthens each cycle by its stalls: the
    // fetch miss (50) and the load miss (50) are in the lw's cycle.
    let mut cfg = preset("classic-l1");
    cfg.core.model = glassbox::config::CoreModel::SingleCycle;
    let mut m = machine_with_config(cfg, &prog(&[&[lw(T2, S0, 0)], &exit()]));
    m.hart.set_reg(S0, DATA);
    watch(&mut m, 1, WatchKind::Read, DATA, 4, None);
    watch_hit(m.run(1000));
    assert_eq!((m.cycle, m.instret), (101, 1));
}

#[test]
fn overlap_is_byte_exact_for_every_width() {
    // One watched byte at DATA+3, for accesses of each width around it.
    let cases: [(u32, bool); 10] = [
        (sw(T0, S0, 0), true),   // bytes 0..4
        (sw(T0, S0, 4), false),  // 4..8
        (sh(T0, S0, 2), true),   // 2..4
        (sh(T0, S0, 0), false),  // 0..2
        (sh(T0, S0, 4), false),  // 4..6
        (sb(T0, S0, 3), true),   // 3
        (sb(T0, S0, 2), false),  // 2
        (sb(T0, S0, 4), false),  // 4
        (lw(T1, S0, 0), false),  // a read: not a write watchpoint's
        (lbu(T1, S0, 3), false), // idem
    ];
    for core in ["functional", "textbook"] {
        for (inst, fires) in cases {
            let mut m = machine(core, &[inst]);
            watch(&mut m, 1, WatchKind::Write, DATA + 3, 1, None);
            let stop = m.run(1000);
            assert_eq!(
                matches!(stop, StopReason::Watchpoint(_)),
                fires,
                "{core}: {inst:#010x}: {stop:?}"
            );
        }
    }
}

#[test]
fn read_write_and_access_kinds() {
    let body = [sw(T0, S0, 0), lw(T1, S0, 0)];
    for core in ["functional", "textbook"] {
        for (kind, first_pc) in [
            (WatchKind::Write, Some(PC0)),
            (WatchKind::Read, Some(PC0 + 4)),
            (WatchKind::Access, Some(PC0)),
        ] {
            let mut m = machine(core, &body);
            m.hart.set_reg(T0, 9);
            watch(&mut m, 1, kind, DATA, 4, None);
            let hit = watch_hit(m.run(1000));
            assert_eq!(Some(hit.pc), first_pc, "{core} {kind:?}");
            if kind == WatchKind::Access {
                // Then the load.
                let hit = watch_hit(m.run(1000));
                assert_eq!((hit.pc, hit.write, hit.new), (PC0 + 4, false, 9));
            }
            run_to_exit(&mut m);
        }
    }
}

#[test]
fn value_condition_stops_only_when_the_value_moved_matches() {
    // Stores 3, then 5, then loads 5: watch for 5 being written, then
    // for 5 being read.
    let body = [
        addi(T0, 0, 3),
        sw(T0, S0, 0),
        addi(T0, 0, 5),
        sw(T0, S0, 0),
        lw(T1, S0, 0),
    ];
    for core in ["functional", "single-cycle", "textbook"] {
        let mut m = machine(core, &body);
        watch(&mut m, 1, WatchKind::Access, DATA, 4, Some(5));
        let hit = watch_hit(m.run(1000));
        assert_eq!(
            (hit.pc, hit.write, hit.old, hit.new),
            (PC0 + 12, true, 3, 5)
        );
        let hit = watch_hit(m.run(1000));
        assert_eq!((hit.pc, hit.write, hit.new), (PC0 + 16, false, 5));
        run_to_exit(&mut m);
    }
}

#[test]
fn a_loaded_value_is_compared_before_sign_extension() {
    let mut m = machine("functional", &[lb(T1, S0, 0)]);
    m.poke(DATA, 1, 0xff);
    watch(&mut m, 1, WatchKind::Read, DATA, 1, Some(0xff));
    let hit = watch_hit(m.run(1000));
    assert_eq!((hit.new, m.hart.reg(T1)), (0xff, u32::MAX));
}

#[test]
fn debugger_peeks_and_pokes_never_trigger() {
    for core in ["functional", "textbook", "classic-l1"] {
        let mut m = machine(core, &[nop()]);
        watch(&mut m, 1, WatchKind::Access, DATA, 4, None);
        assert!(m.poke(DATA, 4, 1));
        assert_eq!(m.peek(DATA, 4), Some(1));
        assert_eq!(m.queued_stops(), 0);
        run_to_exit(&mut m);
    }
}

#[test]
fn faulting_accesses_do_not_trigger() {
    // A misaligned store traps (default policy) and writes nothing.
    let mut m = machine("functional", &[sw(T0, S0, 1)]);
    with_handler(&mut m);
    watch(&mut m, 1, WatchKind::Access, DATA, 8, None);
    run_to_exit(&mut m);
}

#[test]
fn mmio_accesses_are_watched_too() {
    // A store to the UART's transmit register.
    let mut m = machine("textbook", &[sb(T0, S1, 0)]);
    m.hart.set_reg(S1, UART);
    m.hart.set_reg(T0, b'x' as u32);
    watch(&mut m, 1, WatchKind::Write, UART, 1, None);
    let hit = watch_hit(m.run(1000));
    assert_eq!((hit.addr, hit.new, m.cycle), (UART, b'x' as u32, 4));
    run_to_exit(&mut m);
    assert_eq!(m.take_output(), b"x");
}

#[test]
fn the_fast_path_stays_off_while_anything_is_armed() {
    // A long loop that never touches the watched word.
    let body = [addi(T0, 0, 200), addi(T0, T0, -1), bne(T0, 0, -4)];
    let mut free = machine("textbook", &body);
    run_to_exit(&mut free);
    assert!(free.pipeline.as_ref().unwrap().fast_path_cycles > 0);
    let mut watched = machine("textbook", &body);
    watch(&mut watched, 1, WatchKind::Write, DATA, 4, None);
    run_to_exit(&mut watched);
    assert_eq!(watched.pipeline.as_ref().unwrap().fast_path_cycles, 0);
    assert_eq!(watched.cycle, free.cycle);
    let mut evented = machine("textbook", &body);
    events(
        &mut evented,
        EventTriggers {
            interrupt: true,
            ..EventTriggers::default()
        },
    );
    run_to_exit(&mut evented);
    assert_eq!(evented.pipeline.as_ref().unwrap().fast_path_cycles, 0);
}

#[test]
fn a_breakpoint_reached_with_a_watch_hit_is_reported_next() {
    // Functional: the sw at PC0+4 fires, and the pc is then at the
    // breakpoint at PC0+8. Textbook: in c4, as the sw leaves MEM, IF
    // fetches instruction 4, so instruction 5 (PC0+20) becomes the next to
    // fetch: a breakpoint there is reached in the same cycle.
    for (core, bp) in [("functional", PC0 + 8), ("textbook", PC0 + 20)] {
        let mut m = machine(core, &store_program());
        watch(&mut m, 2, WatchKind::Write, DATA + 8, 4, None);
        m.breakpoints.insert(bp);
        assert!(matches!(m.run(1000), StopReason::Watchpoint(_)), "{core}");
        // A debugger may drop what is queued (it moved elsewhere in time).
        let mut dropped = m.clone();
        assert_eq!(dropped.queued_stops(), 1);
        dropped.clear_queued_stops();
        run_to_exit(&mut dropped);
        let cycle = m.cycle;
        assert_eq!(m.run(1000), StopReason::Breakpoint(bp), "{core}");
        assert_eq!(m.cycle, cycle, "{core}: reported without running");
        run_to_exit(&mut m);
    }
}

// ---- Event stops ----

fn event(stop: StopReason) -> EventHit {
    match stop {
        StopReason::Event(e) => e,
        other => panic!("expected an event stop, got {other:?}"),
    }
}

/// A handler that clears `mtvec` and exits with 0.
fn with_handler(m: &mut Machine) {
    load(m, HANDLER, &prog(&[&[csrw(MTVEC, ZERO)], &exit()]));
    install_handler(m);
}

#[test]
fn trap_event_stops_after_the_trap_is_taken() {
    // An illegal instruction (all zeros) at PC0+4.
    let body = [nop(), 0, nop()];
    let trap = |cause| EventTriggers {
        trap: Some(cause),
        ..EventTriggers::default()
    };
    // (core, m.cycle at the stop): functional after the second
    // instruction; textbook when it is in WB, c1 + 4 = c5.
    for (core, cycle) in [("functional", 2), ("single-cycle", 2), ("textbook", 6)] {
        let mut m = machine(core, &body);
        with_handler(&mut m);
        events(&mut m, trap(None));
        let e = event(m.run(1000));
        assert_eq!(
            e,
            EventHit {
                kind: EventKind::Trap {
                    cause: CAUSE_ILLEGAL,
                    tval: 0
                },
                pc: PC0 + 4
            }
        );
        assert_eq!(
            (m.cycle, m.hart.pc, m.hart.mepc),
            (cycle, HANDLER, PC0 + 4),
            "{core}"
        );
        run_to_exit(&mut m);

        // Filtered by cause: only ebreak (3) stops; this one does not.
        let mut m = machine(core, &body);
        with_handler(&mut m);
        events(&mut m, trap(Some(CAUSE_BREAKPOINT)));
        run_to_exit(&mut m);
        let mut m = machine(core, &body);
        with_handler(&mut m);
        events(&mut m, trap(Some(CAUSE_ILLEGAL)));
        assert!(matches!(m.run(1000), StopReason::Event(_)));
    }
    assert_eq!(
        EventHit {
            kind: EventKind::Trap {
                cause: CAUSE_ILLEGAL,
                tval: 0
            },
            pc: PC0 + 4
        }
        .to_string(),
        "trap taken: illegal instruction (mcause 2, mtval 0x0) at 0x80000004"
    );
}

#[test]
fn interrupt_event_stops_after_the_interrupt_is_taken() {
    let body = [sw(T0, S1, 0), addi(T1, 0, 1), addi(T2, 0, 2)];
    // functional: after the store (1 cycle); textbook: the store sets msip
    // in MEM in c3 and the interrupt is taken in that cycle.
    for (core, cycle) in [("functional", 1), ("single-cycle", 1), ("textbook", 4)] {
        let mut m = machine(core, &body);
        with_handler(&mut m);
        m.hart.set_reg(S1, MSIP);
        m.hart.set_reg(T0, 1);
        m.hart.mie = MIE_MSIE;
        m.hart.mstatus = MSTATUS_MIE;
        events(
            &mut m,
            EventTriggers {
                interrupt: true,
                ..EventTriggers::default()
            },
        );
        let e = event(m.run(1000));
        assert_eq!(
            e,
            EventHit {
                kind: EventKind::Interrupt {
                    cause: IRQ_SOFTWARE
                },
                pc: PC0 + 4
            },
            "{core}"
        );
        assert_eq!((m.cycle, m.hart.pc), (cycle, HANDLER), "{core}");
        assert_eq!(
            e.to_string(),
            "interrupt taken: machine software interrupt before 0x80000004"
        );
    }
}

#[test]
fn ecall_event_for_syscalls_and_for_trapping_ecalls() {
    let on = EventTriggers {
        ecall: true,
        ..EventTriggers::default()
    };
    // The exit syscall (mtvec = 0) at PC0+8: reported, then the halt.
    // functional after 3 instructions; textbook in its WB, c2 + 4 = c6.
    for (core, cycle) in [("functional", 3), ("single-cycle", 3), ("textbook", 7)] {
        let mut m = machine(core, &[]);
        events(&mut m, on.clone());
        let e = event(m.run(1000));
        assert_eq!(
            e,
            EventHit {
                kind: EventKind::Ecall { a7: 93 },
                pc: PC0 + 8
            }
        );
        assert_eq!(m.cycle, cycle, "{core}");
        assert_eq!(m.run(1000), StopReason::Halted(Halt::Exited(0)));
        assert_eq!(e.to_string(), "ecall at 0x80000008 (a7 = 93)");
    }
    // With a handler the ecall traps, and is reported as an ecall.
    let mut m = machine("textbook", &[addi(A7, 0, 64), ecall()]);
    with_handler(&mut m);
    events(&mut m, on);
    let e = event(m.run(1000));
    assert_eq!(
        (e, m.hart.pc, m.hart.mcause),
        (
            EventHit {
                kind: EventKind::Ecall { a7: 64 },
                pc: PC0 + 4
            },
            HANDLER,
            CAUSE_ECALL_M
        )
    );
}

#[test]
fn tohost_event_stops_when_htif_acts_before_the_exit() {
    for (core, cycle) in [("functional", 1), ("single-cycle", 1), ("textbook", 5)] {
        let mut m = machine_with_config(preset(core), &[sw(T0, S0, 0), nop(), nop()]);
        m.program = Arc::new(ProgramInfo {
            tohost: Some(DATA),
            ..ProgramInfo::default()
        });
        m.hart.set_reg(S0, DATA);
        m.hart.set_reg(T0, 1); // exit(0)
        events(
            &mut m,
            EventTriggers {
                tohost: true,
                ..EventTriggers::default()
            },
        );
        let e = event(m.run(1000));
        assert_eq!(
            e,
            EventHit {
                kind: EventKind::Tohost { value: 1 },
                pc: PC0
            }
        );
        // textbook: the store is in WB in c4.
        assert_eq!(m.cycle, cycle, "{core}");
        assert_eq!(m.run(1000), StopReason::Halted(Halt::Exited(0)));
        assert_eq!(m.cycle, cycle);
    }
}

#[test]
fn a_watched_store_to_tohost_reports_the_watchpoint_then_the_event() {
    let mut m = machine_with_config(preset("functional"), &[sw(T0, S0, 0)]);
    m.program = Arc::new(ProgramInfo {
        tohost: Some(DATA),
        ..ProgramInfo::default()
    });
    m.hart.set_reg(S0, DATA);
    m.hart.set_reg(T0, 1);
    m.set_triggers(Triggers {
        watchpoints: vec![WatchTrigger {
            id: 1,
            kind: WatchKind::Write,
            addr: DATA,
            len: 4,
            value: None,
        }],
        events: EventTriggers {
            tohost: true,
            ..EventTriggers::default()
        },
    });
    assert!(matches!(m.run(10), StopReason::Watchpoint(_)));
    assert!(matches!(m.run(10), StopReason::Event(_)));
    assert_eq!(m.run(10), StopReason::Halted(Halt::Exited(0)));
}

// ---- Atomics (read and write in one access) ----

/// An A-extension word: `funct5`, aq = rl = 0, width .w.
fn amo(funct5: u32, rd: u8, rs1: u8, rs2: u8) -> u32 {
    (funct5 << 27)
        | ((rs2 as u32) << 20)
        | ((rs1 as u32) << 15)
        | (2 << 12)
        | ((rd as u32) << 7)
        | 0x2f
}

#[test]
fn an_amo_fires_read_write_and_access_watchpoints_like_a_store() {
    // li t0,5; amoadd.w t1,t0,(s0); nop: memory goes 10 -> 15.
    let body = [addi(T0, 0, 5), amo(0x00, T1, S0, T0), nop()];
    for (cfg, cycle) in [("functional", 2), ("single-cycle", 2), ("textbook", 5)] {
        for kind in [WatchKind::Read, WatchKind::Write, WatchKind::Access] {
            let mut m = machine(cfg, &body);
            m.poke(DATA, 4, 10);
            watch(&mut m, 4, kind, DATA, 4, None);
            let hit = watch_hit(m.run(1000));
            assert_eq!(m.cycle, cycle, "{cfg} {kind:?}");
            assert_eq!(
                (
                    hit.id, hit.pc, hit.addr, hit.width, hit.write, hit.old, hit.new
                ),
                (4, PC0 + 4, DATA, 4, true, 10, 15),
                "{cfg} {kind:?}"
            );
            run_to_exit(&mut m);
            assert_eq!((m.hart.reg(T1), m.peek(DATA, 4)), (10, Some(15)));
        }
        // A value condition: read watchpoints compare the value loaded,
        // write ones the value stored.
        let mut m = machine(cfg, &body);
        m.poke(DATA, 4, 10);
        watch(&mut m, 5, WatchKind::Write, DATA, 4, Some(10));
        run_to_exit(&mut m);
        let mut m = machine(cfg, &body);
        m.poke(DATA, 4, 10);
        watch(&mut m, 5, WatchKind::Read, DATA, 4, Some(10));
        assert_eq!(watch_hit(m.run(1000)).id, 5, "{cfg}");
    }
}

#[test]
fn lr_is_watched_as_a_read_and_a_successful_sc_as_a_write() {
    // lr.w t1,(s0); li t0,7; sc.w t2,t0,(s0): the sc succeeds (t2 = 0).
    let body = [amo(0x02, T1, S0, 0), addi(T0, 0, 7), amo(0x03, T2, S0, T0)];
    for cfg in ["functional", "textbook"] {
        let mut m = machine(cfg, &body);
        m.poke(DATA, 4, 9);
        watch(&mut m, 1, WatchKind::Read, DATA, 4, None);
        let hit = watch_hit(m.run(1000));
        assert_eq!((hit.pc, hit.write, hit.new), (PC0, false, 9), "{cfg}");
        let mut m = machine(cfg, &body);
        m.poke(DATA, 4, 9);
        watch(&mut m, 2, WatchKind::Write, DATA, 4, None);
        let hit = watch_hit(m.run(1000));
        assert_eq!(
            (hit.pc, hit.write, hit.old, hit.new),
            (PC0 + 8, true, 9, 7),
            "{cfg}"
        );
        run_to_exit(&mut m);
        assert_eq!((m.hart.reg(T2), m.peek(DATA, 4)), (0, Some(7)), "{cfg}");
    }
}
