//! Exact-cycle tests of multi-cycle multiply and divide in the five-stage
//! pipeline (timing contract rule 10; `docs/timing.md`). Operands are set
//! in registers before the run so that only EX occupancy adds cycles.
//!
//! Cycle numbers in comments are 0-based ("c2" = the third cycle).

mod support;

use glassbox::config::MachineConfig;
use glassbox::pipeline::Pipeline;
use glassbox::pipeline::record::*;
use glassbox::{Halt, Machine, StopReason};
use support::enc::*;
use support::*;

fn exit() -> Vec<u32> {
    vec![addi(A0, 0, 0), addi(A7, 0, 93), ecall()]
}

fn config(preset: &str, mul: u32, div: u32) -> MachineConfig {
    let mut c = MachineConfig::preset(preset).expect("preset exists");
    c.core.mul_latency = mul;
    c.core.div_latency = div;
    c
}

/// `body` + exit with t0 = 42 and t1 = 6.
fn machine(cfg: MachineConfig, body: &[u32]) -> Machine {
    let mut m = machine_with_config(cfg, &prog(&[body, &exit()]));
    m.hart.set_reg(T0, 42);
    m.hart.set_reg(T1, 6);
    m
}

fn run_to_exit(m: &mut Machine) {
    assert_eq!(m.run(10_000), StopReason::Halted(Halt::Exited(0)));
}

fn pipe(m: &Machine) -> &Pipeline {
    m.pipeline.as_ref().expect("five-stage core")
}

fn stage(m: &Machine, s: Stage) -> StageEvent {
    pipe(m).last().stages[s as usize]
}

const PC0: u32 = RAM_BASE;

#[test]
fn mul_occupies_ex_for_its_latency() {
    for (lat, cycles) in [(1, 8), (3, 10), (8, 15)] {
        let mut m = machine(config("textbook", lat, 1), &[mul(T2, T0, T1)]);
        run_to_exit(&mut m);
        // 4 retired (base 8) + (latency - 1).
        assert_eq!((m.cycle, m.instret), (cycles, 4), "mul latency {lat}");
        assert_eq!(m.hart.reg(T2), 252);
        assert_eq!(pipe(&m).stats.stall_ex_busy, lat as u64 - 1);
    }
}

#[test]
fn div_and_rem_occupy_ex_for_the_div_latency() {
    for (lat, cycles) in [(1, 9), (3, 13), (8, 23)] {
        // mul latency 8 must not matter here.
        let mut m = machine(
            config("textbook", 8, lat),
            &[div(T2, T0, T1), rem(S1, T0, T1)],
        );
        run_to_exit(&mut m);
        // 5 retired (base 9) + 2 × (latency - 1).
        assert_eq!((m.cycle, m.instret), (cycles, 5), "div latency {lat}");
        assert_eq!((m.hart.reg(T2), m.hart.reg(S1)), (7, 0));
    }
}

#[test]
fn busy_ex_holds_if_and_id_and_sends_bubbles_to_mem() {
    let mut m = machine(config("textbook", 3, 1), &[mul(T2, T0, T1)]);
    steps(&mut m, 3);
    // c2: first EX cycle of the mul, two more to go; ID holds its next one.
    assert!(matches!(
        stage(&m, Stage::Ex),
        StageEvent::Stalled(t, StallCause::ExBusy { pc: PC0, left: 2 }) if t.pc == PC0
    ));
    assert!(matches!(stage(&m, Stage::Id), StageEvent::Stalled(t, _) if t.pc == PC0 + 4));
    let if_pc = stage(&m, Stage::If).tag().map(|t| t.pc);
    assert_eq!(if_pc, Some(PC0 + 8));
    steps(&mut m, 1);
    // c3: second EX cycle; a bubble in MEM.
    assert!(matches!(
        stage(&m, Stage::Ex),
        StageEvent::Stalled(_, StallCause::ExBusy { left: 1, .. })
    ));
    assert!(matches!(stage(&m, Stage::Id), StageEvent::Stalled(t, _) if t.pc == PC0 + 4));
    assert_eq!(stage(&m, Stage::Mem), StageEvent::Bubble);
    steps(&mut m, 1);
    // c4: the mul completes EX; still a bubble in MEM; ID moves on.
    assert!(matches!(stage(&m, Stage::Ex), StageEvent::Ran(t) if t.pc == PC0));
    assert_eq!(stage(&m, Stage::Mem), StageEvent::Bubble);
    assert!(matches!(stage(&m, Stage::Id), StageEvent::Ran(t) if t.pc == PC0 + 4));
    steps(&mut m, 1);
    // c5: the mul in MEM.
    assert!(matches!(stage(&m, Stage::Mem), StageEvent::Ran(t) if t.pc == PC0));
}

#[test]
fn back_to_back_multiplies_each_pay_their_latency() {
    let mut m = machine(
        config("textbook", 3, 1),
        &[mul(T2, T0, T1), mul(S1, T0, T1)],
    );
    run_to_exit(&mut m);
    // 5 retired (base 9) + 2 + 2.
    assert_eq!((m.cycle, m.instret), (13, 5));
    assert_eq!(pipe(&m).stats.stall_ex_busy, 4);
}

#[test]
fn dependent_multiplies_forward_without_extra_stall() {
    let mut m = machine(
        config("textbook", 3, 1),
        &[mul(T2, T0, T1), mul(S1, T2, T1)],
    );
    run_to_exit(&mut m);
    // 5 retired (base 9) + 2 + 2; the product forwards from EX/MEM.
    assert_eq!((m.cycle, m.instret), (13, 5));
    assert_eq!(m.hart.reg(S1), 252 * 6);
}

#[test]
fn a_multi_cycle_multiply_receives_forwarded_operands() {
    let mut m = machine(
        config("textbook", 3, 1),
        &[addi(T0, 0, 5), nop(), mul(T2, T0, T1)],
    );
    run_to_exit(&mut m);
    // 6 retired (base 10) + 2; t0 comes from MEM/WB in the mul's first EX
    // cycle (c4): the addi has left the pipeline by its last one (c6).
    assert_eq!((m.cycle, m.instret), (12, 6));
    assert_eq!(m.hart.reg(T2), 30);
}

#[test]
fn use_of_a_product_forwards_without_extra_stall() {
    for (lat, cycles) in [(1, 9), (3, 11), (8, 16)] {
        let mut m = machine(
            config("textbook", lat, 1),
            &[mul(T2, T0, T1), add(S1, T2, T2)],
        );
        run_to_exit(&mut m);
        // 5 retired (base 9) + (latency - 1); EX/MEM→EX forwarding.
        assert_eq!((m.cycle, m.instret), (cycles, 5), "mul latency {lat}");
        assert_eq!(m.hart.reg(S1), 504);
        let s = &pipe(&m).stats;
        assert_eq!(s.stall_data + s.stall_load_use, 0);
    }
}

#[test]
fn use_of_a_product_without_forwarding_waits_for_wb() {
    for (lat, cycles) in [(1, 11), (3, 13)] {
        let mut m = machine(
            config("no-forwarding", lat, 1),
            &[mul(T2, T0, T1), add(S1, T2, T2)],
        );
        run_to_exit(&mut m);
        // 5 retired (base 9) + (latency - 1) + 2 (mul in MEM, then WB).
        assert_eq!((m.cycle, m.instret), (cycles, 5), "mul latency {lat}");
        assert_eq!(m.hart.reg(S1), 504);
        assert_eq!(pipe(&m).stats.stall_data, 2);
    }
}

#[test]
fn single_cycle_core_ignores_ex_latencies() {
    let mut m = machine(
        config("single-cycle", 8, 8),
        &[mul(T2, T0, T1), div(S1, T0, T1)],
    );
    run_to_exit(&mut m);
    // One cycle per instruction (rule 11).
    assert_eq!((m.cycle, m.instret), (5, 5));
    assert_eq!((m.hart.reg(T2), m.hart.reg(S1)), (252, 7));
}
