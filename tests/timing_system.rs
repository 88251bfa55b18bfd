//! Exact-cycle tests of everything in the five-stage pipeline that is not
//! plain data flow or branching: the single-cycle and functional cores,
//! traps, syscalls, HTIF, CSR serialization, `csrr cycle`, `mret`,
//! `fence.i`, `wfi` and interrupts (`docs/timing.md` explains each number).
//!
//! Cycle numbers in comments are 0-based: "c4" is the cycle with four
//! cycles completed before it (`m.cycle` is 5 after it).

mod support;

use glassbox::config::MachineConfig;
use glassbox::isa::csr::{CYCLE, MCYCLE, MSCRATCH, MSTATUS};
use glassbox::machine::ProgramInfo;
use glassbox::machine::trap::{Exception, Interrupt};
use glassbox::pipeline::Pipeline;
use glassbox::pipeline::record::*;
use glassbox::{Halt, Machine, StopReason};
use std::sync::Arc;
use support::enc::*;
use support::*;

fn exit() -> Vec<u32> {
    vec![addi(A0, 0, 0), addi(A7, 0, 93), ecall()]
}

fn preset(name: &str) -> MachineConfig {
    MachineConfig::preset(name).expect("preset exists")
}

fn machine(cfg: MachineConfig, body: &[u32]) -> Machine {
    machine_with_config(cfg, &prog(&[body, &exit()]))
}

fn textbook(body: &[u32]) -> Machine {
    machine(preset("textbook"), body)
}

fn run_to_exit(m: &mut Machine) {
    assert_eq!(m.run(10_000), StopReason::Halted(Halt::Exited(0)));
}

fn pipe(m: &Machine) -> &Pipeline {
    m.pipeline.as_ref().expect("five-stage core")
}

fn step(m: &mut Machine) {
    assert_eq!(m.step(), StopReason::CycleLimit);
}

/// Steps until an instruction at `pc` retires; returns the machine's cycle
/// count then (the retiring cycle included).
fn cycles_until_retired(m: &mut Machine, pc: u32) -> u64 {
    for _ in 0..200 {
        step(m);
        if pipe(m).last().retired.is_some_and(|t| t.pc == pc) {
            return m.cycle;
        }
    }
    panic!("{pc:#x} never retired");
}

/// A handler of harmless instructions at `HANDLER`, installed in `mtvec`.
fn with_handler(m: &mut Machine) {
    load(
        m,
        HANDLER,
        &[addi(S2, 0, 7), nop(), nop(), nop(), nop(), nop()],
    );
    install_handler(m);
}

const PC0: u32 = RAM_BASE;

// ---- Rule 11: the single-cycle and functional cores ----

#[test]
fn single_cycle_and_functional_cores_take_one_cycle_per_instruction() {
    let spec_loop = [addi(T0, 0, 3), addi(T0, T0, -1), bne(T0, 0, -4)];
    let load_use = [lw(T0, S0, 0), add(T1, T0, T0)];
    for name in ["single-cycle", "functional"] {
        let mut m = machine(preset(name), &spec_loop);
        run_to_exit(&mut m);
        // 10 instructions, 10 cycles: no hazard or branch costs anything.
        assert_eq!((m.cycle, m.instret), (10, 10), "{name}");
        assert!(m.pipeline.is_none());

        let mut m = machine(preset(name), &load_use);
        m.hart.set_reg(S0, DATA);
        load(&mut m, DATA, &[21]);
        run_to_exit(&mut m);
        assert_eq!((m.cycle, m.instret), (5, 5), "{name}");
        assert_eq!(m.hart.reg(T1), 42);
    }
}

// ---- Traps: taken in WB ----

#[test]
fn illegal_instruction_trap_costs_four_cycles() {
    let mut m = machine_with_config(
        preset("textbook"),
        &[addi(T0, 0, 1), 0, addi(T1, 0, 99), nop(), nop(), nop()],
    );
    with_handler(&mut m);
    steps(&mut m, 6);
    // c5: the illegal word (decoded as such in ID in c2) reaches WB: the
    // trap is taken and everything younger is flushed.
    let last = pipe(&m).last();
    assert_eq!(last.trap, Some((PC0 + 4, Exception::IllegalInstruction)));
    assert!(matches!(last.flush, Some(FlushCause::Trap { pc, .. }) if pc == PC0 + 4));
    assert_eq!(pipe(&m).fetch_pc, HANDLER);
    // The handler's first instruction: IF c6 … WB c10, so 11 cycles; a
    // straight run would have retired it in c6: the trap costs 4.
    assert_eq!(cycles_until_retired(&mut m, HANDLER), 11);
    assert_eq!(m.instret, 2);
    assert_eq!(m.hart.reg(T1), 0);
    assert_eq!(
        (m.hart.mepc, m.hart.mcause, m.hart.mtval),
        (PC0 + 4, CAUSE_ILLEGAL, 0)
    );
    assert_eq!(pipe(&m).stats.traps, 1);
}

#[test]
fn ebreak_traps_like_an_illegal_instruction() {
    let mut m = machine_with_config(preset("textbook"), &[addi(T0, 0, 1), ebreak(), nop()]);
    with_handler(&mut m);
    // ebreak in WB in c5; handler IF c6 … WB c10.
    assert_eq!(cycles_until_retired(&mut m, HANDLER), 11);
    assert_eq!((m.hart.mepc, m.hart.mcause), (PC0 + 4, CAUSE_BREAKPOINT));
}

#[test]
fn ecall_with_a_handler_traps_in_wb() {
    let mut m = machine_with_config(preset("textbook"), &[addi(T0, 0, 1), ecall(), nop()]);
    with_handler(&mut m);
    // ecall in WB in c5; handler IF c6 … WB c10.
    assert_eq!(cycles_until_retired(&mut m, HANDLER), 11);
    assert_eq!(m.instret, 2);
    assert_eq!((m.hart.mepc, m.hart.mcause), (PC0 + 4, CAUSE_ECALL_M));
}

#[test]
fn load_access_fault_is_taken_when_the_load_reaches_wb() {
    let mut m = machine_with_config(preset("textbook"), &[lw(T0, 0, 0), nop(), nop()]);
    with_handler(&mut m);
    // Fault found in MEM (c3), taken in WB (c4); handler IF c5 … WB c9.
    assert_eq!(cycles_until_retired(&mut m, HANDLER), 10);
    assert_eq!(m.instret, 1);
    assert_eq!(
        (m.hart.mepc, m.hart.mcause, m.hart.mtval),
        (PC0, CAUSE_LOAD_ACCESS, 0)
    );
}

#[test]
fn jump_to_a_2_byte_boundary_runs_the_parcel_there() {
    // IALIGN = 16: the target (the upper half of a `nop`, parcel 0x0000)
    // is legal, and the all-zero parcel there is an illegal instruction.
    let mut m = machine_with_config(preset("textbook"), &[jalr(RA, T0, 2), nop(), nop()]);
    m.hart.set_reg(T0, PC0 + 8);
    with_handler(&mut m);
    // jalr resolves in EX (c2); the parcel is fetched in IF (c3), found
    // illegal in ID (c4), reaches WB in c7; handler IF c8 … WB c12.
    assert_eq!(cycles_until_retired(&mut m, HANDLER), 13);
    assert_eq!(m.instret, 2);
    assert_eq!(
        (m.hart.mepc, m.hart.mcause, m.hart.mtval),
        (PC0 + 10, CAUSE_ILLEGAL, 0)
    );
    assert_eq!(m.hart.reg(RA), PC0 + 4);
}

#[test]
fn fetch_access_fault_travels_from_if_to_wb() {
    let mut m = machine_with_config(preset("textbook"), &[jalr(0, T0, 0), nop()]);
    m.hart.set_reg(T0, 0x2000_0000);
    with_handler(&mut m);
    // jalr resolves in EX (c2); the fetch at the target faults in IF (c3),
    // reaches WB in c7; handler IF c8 … WB c12.
    assert_eq!(cycles_until_retired(&mut m, HANDLER), 13);
    assert_eq!(m.instret, 2);
    assert_eq!(
        (m.hart.mepc, m.hart.mcause, m.hart.mtval),
        (0x2000_0000, CAUSE_FETCH_ACCESS, 0x2000_0000)
    );
}

// ---- Syscalls: served in WB ----

fn write_hi(m: &mut Machine) {
    load(m, DATA, &[u32::from_le_bytes(*b"hi\n\0")]);
    m.hart.set_reg(A0, 1);
    m.hart.set_reg(A1, DATA);
    m.hart.set_reg(A2, 2);
}

#[test]
fn syscall_mid_program_costs_four_cycles() {
    let mut m = textbook(&[addi(A7, 0, 64), ecall()]);
    write_hi(&mut m);
    steps(&mut m, 6);
    // c5: the write ecall is in WB (it reads a7 written in c4); younger
    // instructions are flushed and fetching restarts after it.
    assert_eq!(
        pipe(&m).last().flush,
        Some(FlushCause::Syscall { pc: PC0 + 4 })
    );
    assert_eq!(pipe(&m).fetch_pc, PC0 + 8);
    assert_eq!(m.take_output(), b"hi");
    run_to_exit(&mut m);
    // 5 retired (base 9) + 4: the exit sequence is refetched from c6.
    assert_eq!((m.cycle, m.instret), (13, 5));
}

#[test]
fn read_waiting_for_input_freezes_the_cycle() {
    let mut m = textbook(&[addi(A7, 0, 63), ecall()]);
    m.hart.set_reg(A0, 0);
    m.hart.set_reg(A1, DATA);
    m.hart.set_reg(A2, 1);
    // The read ecall reaches WB in c5 and cannot complete: the cycle does
    // not happen.
    assert_eq!(m.run(1000), StopReason::NeedInput);
    assert_eq!((m.cycle, m.instret), (5, 1));
    assert_eq!(m.run(1000), StopReason::NeedInput);
    assert_eq!((m.cycle, m.instret), (5, 1));
    m.push_input(b"x");
    run_to_exit(&mut m);
    // As if the input had been there: 5 retired (base 9) + 4.
    assert_eq!((m.cycle, m.instret), (13, 5));
    assert_eq!(m.peek(DATA, 1), Some(u32::from(b'x')));
}

#[test]
fn htif_exit_ends_the_run_when_the_store_is_in_wb() {
    let mut m = machine_with_config(preset("textbook"), &[sw(T0, S0, 0), nop(), nop()]);
    m.program = Arc::new(ProgramInfo {
        tohost: Some(DATA),
        ..ProgramInfo::default()
    });
    m.hart.set_reg(S0, DATA);
    m.hart.set_reg(T0, 1); // exit(0)
    steps(&mut m, 4);
    // c3: the store wrote memory in MEM; nothing has happened yet.
    assert_eq!(m.peek(DATA, 4), Some(1));
    assert_eq!(m.halt, None);
    // c4: the store in WB: the run ends, this cycle counted (1 + 4).
    assert_eq!(m.step(), StopReason::Halted(Halt::Exited(0)));
    assert_eq!((m.cycle, m.instret), (5, 1));
}

/// QEMU `virt`'s test finisher acts like `tohost`: the store completes in
/// WB, and an exit ends the run in that cycle; a reset request stops the
/// machine with a message there too.
#[test]
fn a_finisher_exit_ends_the_run_when_the_store_is_in_wb() {
    const FINISHER: u32 = 0x0010_0000;
    for (value, halt) in [
        (0x5555, Some(Halt::Exited(0))),
        ((42 << 16) | 0x3333, Some(Halt::Exited(42))),
        (0x7777, None),
    ] {
        let mut m = machine_with_config(preset("textbook"), &[sw(T0, S0, 0), nop(), nop()]);
        m.hart.set_reg(S0, FINISHER);
        m.hart.set_reg(T0, value);
        steps(&mut m, 4);
        assert_eq!(m.halt, None, "{value:#x}: c3, the store in MEM");
        let stop = m.step();
        assert_eq!((m.cycle, m.instret), (5, 1), "{value:#x}: c4, in WB");
        match halt {
            Some(h) => assert_eq!(stop, StopReason::Halted(h)),
            None => assert!(
                matches!(&stop, StopReason::Halted(Halt::Error(e)) if e.contains("reset")),
                "{stop:?}"
            ),
        }
    }
}

// ---- CSR instructions serialize ----

#[test]
fn csrr_waits_until_ex_and_mem_are_empty() {
    let mut m = textbook(&[addi(T0, 0, 1), addi(T1, 0, 2), csrr(T2, MSCRATCH)]);
    m.hart.mscratch = 5;
    steps(&mut m, 4);
    // c3: the csrr is in ID with the second addi in EX: it waits.
    assert!(matches!(
        pipe(&m).last().stages[Stage::Id as usize],
        StageEvent::Stalled(t, StallCause::Serialize) if t.pc == PC0 + 8
    ));
    run_to_exit(&mut m);
    // 6 retired (base 10) + 2: the csrr waits in c3 and c4 (second addi in
    // EX, then MEM) and decodes in c5 with it in WB.
    assert_eq!((m.cycle, m.instret), (12, 6));
    assert_eq!(m.hart.reg(T2), 5);
    assert_eq!(pipe(&m).stats.stall_serialize, 2);
}

#[test]
fn csr_result_forwards_like_an_alu_result() {
    let mut m = textbook(&[csrr(T2, MSCRATCH), add(S1, T2, T2)]);
    m.hart.mscratch = 21;
    run_to_exit(&mut m);
    // Nothing ahead of the csrr: no wait; the add takes t2 from EX/MEM.
    // 5 retired (base 9).
    assert_eq!((m.cycle, m.instret), (9, 5));
    assert_eq!(m.hart.reg(S1), 42);
}

#[test]
fn csrr_cycle_counts_cycles_before_its_ex_cycle() {
    let mut m = textbook(&[csrr(T0, CYCLE)]);
    run_to_exit(&mut m);
    // The csrr is in EX in c2: two cycles completed before it.
    assert_eq!(m.hart.reg(T0), 2);

    let mut m = textbook(&[addi(T1, 0, 1), addi(T2, 0, 2), csrr(T0, MCYCLE)]);
    run_to_exit(&mut m);
    // It waits in ID in c3 and c4, decodes in c5, is in EX in c6.
    assert_eq!(m.hart.reg(T0), 6);
    assert_eq!((m.cycle, m.instret), (12, 6));
}

// ---- mret and fence.i ----

#[test]
fn mret_redirects_from_ex_like_a_taken_jump() {
    let mut m = textbook(&[mret(), addi(T1, 0, 99), addi(T1, 0, 98)]);
    m.hart.mepc = PC0 + 12;
    m.hart.mstatus = MSTATUS_MPIE;
    steps(&mut m, 3);
    // c2: mret in EX; ID and IF are flushed; the exit sequence is next.
    assert_eq!(pipe(&m).last().flush, Some(FlushCause::Mret { pc: PC0 }));
    assert_eq!(pipe(&m).fetch_pc, PC0 + 12);
    assert_eq!(m.hart.mstatus & MSTATUS_MIE, MSTATUS_MIE);
    run_to_exit(&mut m);
    // 4 retired (base 8) + 2.
    assert_eq!((m.cycle, m.instret), (10, 4));
    assert_eq!(m.hart.reg(T1), 0);
}

#[test]
fn mret_after_an_alu_instruction_serializes_then_redirects() {
    let mut m = textbook(&[addi(T0, 0, 1), mret(), nop(), nop()]);
    m.hart.mepc = PC0 + 16;
    run_to_exit(&mut m);
    // 5 retired (base 9) + 2 (waits with the addi in EX, then MEM) + 2.
    assert_eq!((m.cycle, m.instret), (13, 5));
    assert_eq!(pipe(&m).stats.stall_serialize, 2);
}

#[test]
fn fence_i_refetches_from_ex() {
    let mut m = textbook(&[fence_i()]);
    steps(&mut m, 3);
    // c2: fence.i in EX flushes ID and IF and refetches from fence.i + 4.
    assert_eq!(pipe(&m).last().flush, Some(FlushCause::FenceI { pc: PC0 }));
    assert_eq!(pipe(&m).fetch_pc, PC0 + 4);
    run_to_exit(&mut m);
    // 4 retired (base 8) + 2.
    assert_eq!((m.cycle, m.instret), (10, 4));
}

#[test]
fn fence_i_makes_an_older_store_to_code_visible() {
    let mut m = textbook(&[sw(T1, S0, 12), fence_i(), nop(), addi(T2, 0, 1)]);
    m.hart.set_reg(S0, PC0);
    m.hart.set_reg(T1, addi(T2, 0, 2));
    run_to_exit(&mut m);
    // 7 retired (base 11) + 2; the rewritten instruction runs.
    assert_eq!((m.cycle, m.instret), (13, 7));
    assert_eq!(m.hart.reg(T2), 2);
}

#[test]
fn fence_is_free() {
    let mut m = textbook(&[fence(0xf, 0xf)]);
    run_to_exit(&mut m);
    // 4 retired (base 8).
    assert_eq!((m.cycle, m.instret), (8, 4));
}

// ---- wfi and interrupts ----

/// `wfi` with the timer at `deadline`, MTIE and MIE set, a handler.
fn wfi_machine(deadline: u64) -> Machine {
    let mut m = textbook(&[wfi(), addi(T1, 0, 99)]);
    with_handler(&mut m);
    m.bus.clint.mtimecmp = deadline;
    m.hart.mie = MIE_MTIE;
    m.hart.mstatus = MSTATUS_MIE;
    m
}

fn assert_wfi_woke_at_52(m: &Machine) {
    // The timer is pending from c50 (mtime = 50). c50: the wfi leaves ID;
    // c51: it is in EX (the oldest not-yet-executed: still no interrupt);
    // c52: it is in MEM, the addi in EX is squashed and the interrupt
    // taken with mepc = wfi + 4. The handler is fetched in c53.
    let last = pipe(m).last();
    assert_eq!(last.cycle, 52);
    assert_eq!(last.interrupt, Some(Interrupt::MachineTimer));
    assert_eq!(pipe(m).fetch_pc, HANDLER);
    assert_eq!((m.hart.mepc, m.hart.mcause), (PC0 + 4, IRQ_TIMER));
    assert_eq!(m.cycle, 53);
    assert_eq!(m.instret, 0);
}

#[test]
fn wfi_timer_interrupt_with_idle_cycles_skipped() {
    let mut m = wfi_machine(50);
    assert_eq!(m.run(53), StopReason::CycleLimit);
    assert_wfi_woke_at_52(&m);
    step(&mut m);
    // c53: IF fetches the handler; the wfi retires.
    let last = pipe(&m).last();
    assert!(matches!(last.stages[Stage::If as usize], StageEvent::Ran(t) if t.pc == HANDLER));
    assert_eq!(last.retired.map(|t| t.pc), Some(PC0));
    assert_eq!(m.hart.reg(T1), 0);
}

#[test]
fn wfi_timer_interrupt_cycle_by_cycle_is_the_same() {
    let mut m = wfi_machine(50);
    steps(&mut m, 53);
    assert_wfi_woke_at_52(&m);
}

#[test]
fn wfi_skipped_cycles_count_as_wfi_stalls() {
    let stall_wfi = |m: &Machine| m.pipeline.as_ref().unwrap().stats.stall_wfi;
    let mut skipped = wfi_machine(50);
    assert_eq!(skipped.run(53), StopReason::CycleLimit);
    let mut stepped = wfi_machine(50);
    steps(&mut stepped, 53);
    assert_eq!(stall_wfi(&skipped), stall_wfi(&stepped));
    assert!(stall_wfi(&stepped) > 40, "{}", stall_wfi(&stepped));
}

#[test]
fn wfi_timer_interrupt_across_split_runs_is_the_same() {
    let mut m = wfi_machine(50);
    assert_eq!(m.run(30), StopReason::CycleLimit);
    assert_eq!(m.cycle, 30);
    assert_eq!(m.run(23), StopReason::CycleLimit);
    assert_wfi_woke_at_52(&m);
}

#[test]
fn wfi_with_an_enabled_interrupt_pending_does_not_wait() {
    let mut m = textbook(&[wfi()]);
    m.bus.clint.mtimecmp = 0;
    m.hart.mie = MIE_MTIE; // pending and enabled, but MIE = 0: not taken
    run_to_exit(&mut m);
    // 4 retired (base 8).
    assert_eq!((m.cycle, m.instret), (8, 4));
}

#[test]
fn wfi_that_can_never_wake_halts() {
    let mut m = textbook(&[wfi()]);
    assert!(matches!(m.run(1000), StopReason::Halted(Halt::Error(_))));
    assert!(halt_error(&m).contains("wfi"));
}

#[test]
fn store_to_msip_interrupts_right_after_the_store() {
    let body = [sw(T0, S0, 0), addi(T1, 0, 1), addi(T2, 0, 2)];
    let setup = |m: &mut Machine| {
        with_handler(m);
        m.hart.set_reg(S0, MSIP);
        m.hart.set_reg(T0, 1);
        m.hart.mie = MIE_MSIE;
        m.hart.mstatus = MSTATUS_MIE;
    };
    let mut m = textbook(&body);
    setup(&mut m);
    steps(&mut m, 4);
    // c3: the store sets msip in MEM; the addi behind it (in EX) is
    // squashed and the interrupt taken at once.
    let last = pipe(&m).last();
    assert_eq!(last.interrupt, Some(Interrupt::MachineSoftware));
    assert_eq!((m.hart.mepc, m.hart.mcause), (PC0 + 4, IRQ_SOFTWARE));
    // The store completes (WB c4); the handler: IF c4 … WB c8.
    assert_eq!(cycles_until_retired(&mut m, HANDLER), 9);
    assert_eq!(m.instret, 2);
    assert_eq!((m.hart.reg(T1), m.hart.reg(T2)), (0, 0));

    // The functional model takes it on the same instruction boundary.
    let mut f = machine(preset("functional"), &body);
    setup(&mut f);
    f.run(2);
    assert_eq!((f.hart.mepc, f.hart.mcause), (PC0 + 4, IRQ_SOFTWARE));
}

#[test]
fn enabling_interrupts_with_a_csr_interrupts_right_after_it() {
    let body = [csrrsi(0, MSTATUS, MSTATUS_MIE), addi(T1, 0, 1)];
    let mut m = textbook(&body);
    with_handler(&mut m);
    m.bus.clint.mtimecmp = 0;
    m.hart.mie = MIE_MTIE;
    steps(&mut m, 4);
    // c2: the csrrsi sets MIE in EX; c3: the addi behind it is squashed.
    assert_eq!(pipe(&m).last().interrupt, Some(Interrupt::MachineTimer));
    assert_eq!(pipe(&m).last().cycle, 3);
    assert_eq!((m.hart.mepc, m.hart.mcause), (PC0 + 4, IRQ_TIMER));

    let mut f = machine(preset("functional"), &body);
    with_handler(&mut f);
    f.bus.clint.mtimecmp = 0;
    f.hart.mie = MIE_MTIE;
    f.run(2);
    assert_eq!(f.hart.mepc, PC0 + 4);
}

#[test]
fn a_fault_leaving_mem_goes_before_an_interrupt() {
    let mut m = machine_with_config(preset("textbook"), &[lw(T0, 0, 0), nop(), nop()]);
    with_handler(&mut m);
    // The timer becomes pending in c3, when the faulting load is in MEM.
    m.bus.clint.mtimecmp = 3;
    m.hart.mie = MIE_MTIE;
    m.hart.mstatus = MSTATUS_MIE;
    steps(&mut m, 5);
    // c4: the load's fault is taken in WB (which clears MIE).
    assert_eq!(
        pipe(&m).last().trap,
        Some((PC0, Exception::LoadAccessFault))
    );
    assert_eq!((m.hart.mepc, m.hart.mcause), (PC0, CAUSE_LOAD_ACCESS));
    assert_eq!(pipe(&m).stats.interrupts, 0);
    assert_eq!(pipe(&m).fetch_pc, HANDLER);
}

#[test]
fn a_syscall_leaving_mem_goes_before_an_interrupt() {
    let mut m = machine_with_config(preset("textbook"), &[ecall(), nop(), nop(), nop()]);
    write_hi(&mut m);
    m.hart.set_reg(A7, 64);
    // mtvec stays 0 (so the ecall is a syscall) until it has been served.
    load(&mut m, HANDLER, &[nop(); 4]);
    m.bus.clint.mtimecmp = 3;
    m.hart.mie = MIE_MTIE;
    m.hart.mstatus = MSTATUS_MIE;
    steps(&mut m, 5);
    // c3: ecall in MEM: no interrupt. c4: the syscall is served in WB.
    assert_eq!(pipe(&m).last().flush, Some(FlushCause::Syscall { pc: PC0 }));
    assert_eq!(m.take_output(), b"hi");
    assert_eq!(pipe(&m).stats.interrupts, 0);
    m.hart.mtvec = HANDLER;
    step(&mut m);
    // c5: nothing in flight: mepc = the fetch pc, ecall + 4.
    assert_eq!(pipe(&m).last().interrupt, Some(Interrupt::MachineTimer));
    assert_eq!(m.hart.mepc, PC0 + 4);
    assert_eq!(pipe(&m).fetch_pc, HANDLER);
}
