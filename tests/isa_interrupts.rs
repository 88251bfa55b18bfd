//! Machine software and timer interrupts: when they are taken (to the
//! cycle), masking, priority, vectoring, and `wfi`.

mod support;

use glassbox::isa::csr::*;
use glassbox::{Halt, Machine, StopReason};
use support::enc::*;
use support::*;

/// A machine running `program` with interrupts enabled in mstatus and the
/// given `mie`, a handler of `nop`s at HANDLER.
fn interruptible(program: &[u32], mie: u32) -> Machine {
    let mut m = machine_with(program);
    load(&mut m, HANDLER, &[nop(); 64]);
    install_handler(&mut m);
    m.hart.mstatus = MSTATUS_MIE;
    m.hart.mie = mie;
    m
}

fn nops(n: usize) -> Vec<u32> {
    vec![nop(); n]
}

#[test]
fn software_interrupt_from_a_store_to_msip() {
    let mut program = vec![
        lui(A1, CLINT >> 12),
        addi(A2, ZERO, 1),
        sw(A2, A1, 0),
        addi(A3, ZERO, 5),
    ];
    program.extend(nops(8));
    let mut m = interruptible(&program, MIE_MSIE);
    assert_eq!(m.run(4), StopReason::CycleLimit);
    assert_eq!(
        trap_state(&m),
        TrapState {
            pc: HANDLER + 4,
            mepc: RAM_BASE + 12,
            mcause: IRQ_SOFTWARE,
            mtval: 0
        }
    );
    assert_eq!(
        m.hart.reg(A3),
        0,
        "the instruction after the store has not run"
    );
    assert_eq!(
        (m.cycle, m.instret),
        (4, 4),
        "taking the interrupt cost no cycle"
    );
    assert_eq!(m.hart.mstatus, MSTATUS_MPIE);
    assert_eq!(m.csr_read(MIP), Some(0x8));
}

#[test]
fn timer_interrupt_at_the_exact_cycle() {
    for when in [1u64, 2, 10, 37] {
        let mut m = interruptible(&nops(64), MIE_MTIE);
        m.bus.clint.mtimecmp = when;
        // Run exactly up to the deadline: the interrupt is taken, nothing more.
        assert_eq!(m.run(when), StopReason::CycleLimit);
        assert_eq!(
            trap_state(&m),
            TrapState {
                pc: HANDLER,
                mepc: RAM_BASE + 4 * when as u32,
                mcause: IRQ_TIMER,
                mtval: 0
            },
            "mtimecmp {when}"
        );
        assert_eq!((m.cycle, m.instret), (when, when), "mtimecmp {when}");
    }
    // mtimecmp = 0 is due at once.
    let mut m = interruptible(&nops(4), MIE_MTIE);
    m.bus.clint.mtimecmp = 0;
    assert_eq!(m.run(1), StopReason::CycleLimit);
    assert_eq!(
        (m.hart.mepc, m.hart.pc, m.cycle),
        (RAM_BASE, HANDLER + 4, 1)
    );
}

#[test]
fn timer_programmed_by_the_guest() {
    // lui a1, CLINT+0x4000; addi a2, zero, 6; sw zero, 4(a1); sw a2, 0(a1); nops
    let mut program = vec![
        lui(A1, MTIMECMP >> 12),
        addi(A2, ZERO, 6),
        sw(ZERO, A1, 4),
        sw(A2, A1, 0),
    ];
    program.extend(nops(16));
    let mut m = interruptible(&program, MIE_MTIE);
    assert_eq!(m.run(50), StopReason::CycleLimit);
    assert_eq!(m.bus.clint.mtimecmp, 6);
    assert_eq!(m.hart.mepc, RAM_BASE + 24);
    assert_eq!(m.hart.mcause, IRQ_TIMER);
    // The handler is nops and leaves MIE clear: no second interrupt.
    assert_eq!((m.cycle, m.instret, m.hart.pc), (50, 50, HANDLER + 4 * 44));
}

#[test]
fn moving_mtime_moves_the_timer() {
    // sw a2, -8(a1) at cycle 2 sets mtime = 1000; mtimecmp = 1005 is then due
    // at cycle 7.
    let mut program = vec![lui(A1, 0x200c), addi(A2, ZERO, 1000), sw(A2, A1, -8)];
    program.extend(nops(16));
    let mut m = interruptible(&program, MIE_MTIE);
    m.bus.clint.mtimecmp = 1005;
    assert_eq!(m.run(7), StopReason::CycleLimit);
    assert_eq!(
        (m.hart.pc, m.hart.mepc, m.hart.mcause),
        (HANDLER, RAM_BASE + 28, IRQ_TIMER)
    );
    assert_eq!(m.csr_read(TIME), Some(1005));
    assert_eq!(m.csr_read(CYCLE), Some(7), "mcycle is not mtime");
    assert_eq!(m.peek(MTIME, 4), Some(1005));
    assert_eq!(m.peek(MTIME + 4, 4), Some(0));
}

#[test]
fn masked_interrupts_are_not_taken() {
    // Pending but masked by mie, then by mstatus.MIE.
    for (mie, mstatus) in [
        (0, MSTATUS_MIE),
        (MIE_MEIE, MSTATUS_MIE),
        (MIE_MSIE | MIE_MTIE, 0),
    ] {
        let mut m = interruptible(&nops(32), mie);
        m.hart.mstatus = mstatus;
        m.bus.clint.msip = true;
        m.bus.clint.mtimecmp = 3;
        assert_eq!(m.run(20), StopReason::CycleLimit);
        assert_eq!(
            (m.hart.pc, m.hart.mcause, m.cycle, m.instret),
            (RAM_BASE + 80, 0, 20, 20)
        );
        assert_eq!(m.csr_read(MIP), Some(0x88));
    }
}

#[test]
fn enabling_a_pending_interrupt_takes_it_before_the_next_instruction() {
    // (name, enabling instruction, mie, mstatus)
    let cases: &[(&str, u32, u32, u32)] = &[
        ("csrrs mie", csrrs(ZERO, MIE, A1), 0, MSTATUS_MIE),
        (
            "csrrsi mstatus",
            csrrsi(ZERO, MSTATUS, MSTATUS_MIE),
            MIE_MTIE,
            0,
        ),
        ("csrw mstatus", csrw(MSTATUS, A2), MIE_MTIE, 0),
    ];
    for &(name, inst, mie, mstatus) in cases {
        let mut program = nops(4);
        program.push(inst);
        program.extend(nops(4));
        let mut m = interruptible(&program, mie);
        m.hart.mstatus = mstatus;
        m.hart.set_reg(A1, MIE_MTIE);
        m.hart.set_reg(A2, MSTATUS_MIE);
        m.bus.clint.mtimecmp = 2;
        assert_eq!(m.run(5), StopReason::CycleLimit);
        assert_eq!(
            trap_state(&m),
            TrapState {
                pc: HANDLER,
                mepc: RAM_BASE + 20,
                mcause: IRQ_TIMER,
                mtval: 0
            },
            "{name}"
        );
        assert_eq!((m.cycle, m.instret), (5, 5), "{name}");
    }
}

#[test]
fn software_interrupt_has_priority_over_timer() {
    // The handler logs mcause at s0, clears msip, and on a timer interrupt
    // clears MTIE (t1 = MTIE), then returns.
    let handler = [
        csrr(T0, MCAUSE),     // 0
        sw(T0, S0, 0),        // 4
        addi(S0, S0, 4),      // 8
        sw(ZERO, S1, 0),      // 12: msip = 0
        andi(T2, T0, 4),      // 16: cause 7 has bit 2, cause 3 does not
        beq(T2, ZERO, 8),     // 20: software: skip to mret
        csrrc(ZERO, MIE, T1), // 24
        mret(),               // 28
    ];
    let mut m = interruptible(&nops(32), MIE_MSIE | MIE_MTIE);
    load(&mut m, HANDLER, &handler);
    m.hart.set_reg(S0, DATA);
    m.hart.set_reg(S1, MSIP);
    m.hart.set_reg(T1, MIE_MTIE);
    m.bus.clint.msip = true;
    m.bus.clint.mtimecmp = 0;
    assert_eq!(m.run(20), StopReason::CycleLimit);
    assert_eq!(m.peek(DATA, 4), Some(IRQ_SOFTWARE));
    assert_eq!(m.peek(DATA + 4, 4), Some(IRQ_TIMER));
    assert_eq!(m.peek(DATA + 8, 4), Some(0));
    // Software handler: 7 instructions, timer handler: 8, then 5 nops.
    assert_eq!((m.cycle, m.instret, m.hart.pc), (20, 20, RAM_BASE + 20));
    assert_eq!(
        (m.hart.mie, m.hart.mstatus),
        (MIE_MSIE, MSTATUS_MIE | MSTATUS_MPIE)
    );
    assert!(!m.bus.clint.msip);
}

#[test]
fn vectored_mtvec_sends_interrupts_to_base_plus_4_cause() {
    for (msip, timer, target, cause) in [
        (true, false, HANDLER + 12, IRQ_SOFTWARE),
        (false, true, HANDLER + 28, IRQ_TIMER),
        (true, true, HANDLER + 12, IRQ_SOFTWARE),
    ] {
        let mut m = interruptible(&nops(8), MIE_MSIE | MIE_MTIE);
        m.hart.mtvec = HANDLER | 1;
        m.bus.clint.msip = msip;
        m.bus.clint.mtimecmp = if timer { 3 } else { u64::MAX };
        let at = if msip { 0 } else { 3 };
        assert_eq!(m.run(at), StopReason::CycleLimit);
        assert_eq!(
            trap_state(&m),
            TrapState {
                pc: target,
                mepc: RAM_BASE + 4 * at as u32,
                mcause: cause,
                mtval: 0
            },
            "msip {msip} timer {timer}"
        );
    }
}

#[test]
fn an_interrupt_without_a_handler_halts() {
    let mut m = machine_with(&nops(8));
    m.hart.mstatus = MSTATUS_MIE;
    m.hart.mie = MIE_MTIE;
    m.bus.clint.mtimecmp = 3;
    let stop = m.run(100);
    let msg = halt_error(&m);
    assert_eq!(stop, StopReason::Halted(Halt::Error(msg.clone())));
    assert!(msg.contains("machine timer interrupt"), "{msg}");
    assert!(msg.contains("0x8000000c"), "{msg}");
    assert_eq!(
        trap_state(&m),
        TrapState {
            pc: RAM_BASE + 12,
            mepc: RAM_BASE + 12,
            mcause: IRQ_TIMER,
            mtval: 0
        }
    );
    assert_eq!((m.cycle, m.instret), (3, 3));
}

#[test]
fn wfi_sleeps_until_the_timer() {
    // wfi at cycle 0 with mtimecmp = 100: time jumps to the deadline, the
    // wfi completes there (its own cycle is the last of the sleep), and the
    // interrupt is taken before the next instruction, at cycle 100 exactly.
    let mut m = interruptible(&[wfi(), nop(), nop()], MIE_MTIE);
    load(&mut m, HANDLER, &[j(0)]);
    m.bus.clint.mtimecmp = 100;
    assert_eq!(m.run(100), StopReason::CycleLimit);
    assert_eq!(
        trap_state(&m),
        TrapState {
            pc: HANDLER,
            mepc: RAM_BASE + 4,
            mcause: IRQ_TIMER,
            mtval: 0
        }
    );
    assert_eq!((m.cycle, m.instret), (100, 1));
    assert_eq!(m.csr_read(TIME), Some(100));
    assert_eq!(m.run(100), StopReason::CycleLimit);
    assert_eq!((m.cycle, m.instret, m.hart.pc), (200, 101, HANDLER));
}

#[test]
fn wfi_costs_one_cycle_when_the_timer_is_due_next_cycle() {
    // mtimecmp = 3, wfi at cycle 2: it completes at 3, like a nop would.
    let mut m = interruptible(&[nop(), nop(), wfi(), nop()], MIE_MTIE);
    m.bus.clint.mtimecmp = 3;
    assert_eq!(m.run(3), StopReason::CycleLimit);
    assert_eq!(
        (m.cycle, m.instret, m.hart.pc, m.hart.mepc),
        (3, 3, HANDLER, RAM_BASE + 12)
    );
}

#[test]
fn wfi_sleep_is_the_same_when_the_run_is_split() {
    let reference = {
        let mut m = interruptible(&[nop(), wfi(), nop()], MIE_MTIE);
        m.bus.clint.mtimecmp = 100;
        assert_eq!(m.run(110), StopReason::CycleLimit);
        assert_eq!(
            (m.cycle, m.instret, m.hart.pc, m.hart.mepc),
            (110, 12, HANDLER + 40, RAM_BASE + 8)
        );
        m
    };
    for split in [1u64, 2, 50, 99, 100, 101] {
        let mut m = interruptible(&[nop(), wfi(), nop()], MIE_MTIE);
        m.bus.clint.mtimecmp = 100;
        assert_eq!(m.run(split), StopReason::CycleLimit);
        assert_eq!(m.cycle, split, "split at {split}");
        if split < 100 {
            // A run that ends during the sleep leaves the wfi to run again.
            assert_eq!(
                (m.instret, m.hart.pc),
                (1, RAM_BASE + 4),
                "split at {split}"
            );
        }
        assert_eq!(m.run(110 - split), StopReason::CycleLimit);
        assert_eq!(m.hart, reference.hart, "split at {split}");
        assert_eq!((m.cycle, m.instret), (110, 12), "split at {split}");
    }
    // Single steps all the way.
    let mut m = interruptible(&[nop(), wfi(), nop()], MIE_MTIE);
    m.bus.clint.mtimecmp = 100;
    for _ in 0..110 {
        assert_eq!(m.step(), StopReason::CycleLimit);
    }
    assert_eq!(m.hart, reference.hart);
    assert_eq!((m.cycle, m.instret), (110, 12));
}

#[test]
fn wfi_with_interrupts_globally_disabled_continues_without_trapping() {
    let mut m = interruptible(&[wfi(), addi(A0, ZERO, 7), nop(), nop()], MIE_MTIE);
    m.hart.mstatus = 0;
    m.bus.clint.mtimecmp = 50;
    assert_eq!(m.run(52), StopReason::CycleLimit);
    assert_eq!(
        (m.hart.pc, m.hart.reg(A0), m.hart.mcause),
        (RAM_BASE + 12, 7, 0)
    );
    assert_eq!((m.cycle, m.instret), (52, 3));
    assert_eq!(m.hart.mstatus, 0);
}

#[test]
fn wfi_with_an_enabled_interrupt_pending_completes_at_once() {
    // msip pending and enabled in mie, masked globally: wfi is a nop.
    let mut m = interruptible(&[wfi(), wfi(), addi(A0, ZERO, 1)], MIE_MSIE);
    m.hart.mstatus = 0;
    m.bus.clint.msip = true;
    assert_eq!(m.run(3), StopReason::CycleLimit);
    assert_eq!(
        (m.cycle, m.instret, m.hart.pc, m.hart.reg(A0)),
        (3, 3, RAM_BASE + 12, 1)
    );
    // Timer already due: the same.
    let mut m = interruptible(&[wfi(), nop()], MIE_MTIE);
    m.hart.mstatus = 0;
    m.bus.clint.mtimecmp = 0;
    assert_eq!(m.run(1), StopReason::CycleLimit);
    assert_eq!((m.cycle, m.instret, m.hart.pc), (1, 1, RAM_BASE + 4));
}

#[test]
fn wfi_that_can_never_wake_halts() {
    // (name, mie, mtimecmp)
    for (name, mie, mtimecmp) in [
        ("nothing enabled", 0, 10),
        ("timer enabled but never programmed", MIE_MTIE, u64::MAX),
        ("only msip enabled", MIE_MSIE, 10),
        ("only the external interrupt enabled", MIE_MEIE, 10),
    ] {
        let mut m = interruptible(&[nop(), wfi(), nop()], mie);
        m.bus.clint.mtimecmp = mtimecmp;
        let stop = m.run(1000);
        let msg = halt_error(&m);
        assert_eq!(stop, StopReason::Halted(Halt::Error(msg.clone())), "{name}");
        assert!(msg.contains("wfi"), "{name}: {msg}");
        assert!(msg.contains("0x80000004"), "{name}: {msg}");
        assert_eq!(
            (m.cycle, m.instret, m.hart.pc),
            (1, 1, RAM_BASE + 4),
            "{name}"
        );
    }
}

#[test]
fn mret_into_a_pending_interrupt_takes_it_at_once() {
    // Handler: mret. msip stays pending, so every mret re-enters at once:
    // each round costs exactly one cycle (the mret) and retires it.
    let mut m = interruptible(&nops(4), MIE_MSIE);
    load(&mut m, HANDLER, &[mret()]);
    m.bus.clint.msip = true;
    assert_eq!(m.run(10), StopReason::CycleLimit);
    assert_eq!(
        (m.cycle, m.instret, m.hart.pc, m.hart.mepc),
        (10, 10, HANDLER, RAM_BASE)
    );
}
