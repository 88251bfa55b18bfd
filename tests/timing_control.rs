//! Exact-cycle tests of control flow in the five-stage pipeline: branch
//! and jump costs resolved in EX and in ID, static and dynamic prediction,
//! and the operand stalls of branches resolved in ID (timing contract
//! rules 7–9; `docs/timing.md` explains each number).
//!
//! "Base" below is `n + 4` for `n` retired instructions (rule 1); every
//! other cycle is a stall or a flush.

mod support;

use glassbox::config::{BranchStage, MachineConfig, PredictorConfig};
use glassbox::pipeline::Pipeline;
use glassbox::pipeline::record::*;
use glassbox::{Halt, Machine, StopReason};
use support::enc::*;
use support::*;

fn exit() -> Vec<u32> {
    vec![addi(A0, 0, 0), addi(A7, 0, 93), ecall()]
}

fn preset(name: &str) -> MachineConfig {
    MachineConfig::preset(name).expect("preset exists")
}

fn with_predictor(name: &str, p: PredictorConfig) -> MachineConfig {
    let mut c = preset(name);
    c.core.predictor = p;
    c
}

fn btfnt() -> MachineConfig {
    with_predictor("textbook", PredictorConfig::StaticBtfnt)
}

fn bimodal(bits: u8) -> MachineConfig {
    with_predictor(
        "textbook",
        PredictorConfig::Bimodal {
            counter_bits: bits,
            entries: 256,
            btb_entries: 64,
        },
    )
}

fn machine(cfg: MachineConfig, body: &[u32]) -> Machine {
    machine_with_config(cfg, &prog(&[body, &exit()]))
}

fn run_to_exit(m: &mut Machine) {
    assert_eq!(m.run(10_000), StopReason::Halted(Halt::Exited(0)));
}

fn pipe(m: &Machine) -> &Pipeline {
    m.pipeline.as_ref().expect("five-stage core")
}

/// Runs `body` + exit on `cfg`; returns (cycles, instret, mispredictions).
fn cost(cfg: MachineConfig, body: &[u32], regs: &[(u8, u32)]) -> (u64, u64, u64) {
    let mut m = machine(cfg, body);
    for &(r, v) in regs {
        m.hart.set_reg(r, v);
    }
    run_to_exit(&mut m);
    (m.cycle, m.instret, pipe(&m).stats.flush_mispredict)
}

const PC0: u32 = RAM_BASE;

// ---- Rule 7: resolution in EX, static not-taken ----

/// `bne t0,x0,+8` over one instruction, t0 = 1 (taken) or 0 (not taken).
fn forward_branch(t0: u32) -> (Vec<u32>, Vec<(u8, u32)>) {
    (vec![bne(T0, 0, 8), addi(T1, 0, 99)], vec![(T0, t0)])
}

#[test]
fn taken_branch_in_ex_costs_two() {
    let (body, regs) = forward_branch(1);
    let mut m = machine(preset("textbook"), &body);
    for &(r, v) in &regs {
        m.hart.set_reg(r, v);
    }
    steps(&mut m, 3);
    // c2: the branch resolves in EX; ID and IF are flushed.
    let last = pipe(&m).last();
    assert_eq!(
        last.resolution.map(|r| (r.stage, r.taken)),
        Some((Stage::Ex, true))
    );
    assert!(
        matches!(last.stages[Stage::Id as usize], StageEvent::Flushed(t, _) if t.pc == PC0 + 4)
    );
    assert!(
        matches!(last.stages[Stage::If as usize], StageEvent::Flushed(t, _) if t.pc == PC0 + 8)
    );
    assert_eq!(pipe(&m).fetch_pc, PC0 + 8);
    run_to_exit(&mut m);
    // 4 retired (base 8) + 2.
    assert_eq!((m.cycle, m.instret), (10, 4));
    assert_eq!(m.hart.reg(T1), 0);
    assert_eq!(pipe(&m).stats.squashed, 2);
}

#[test]
fn not_taken_branch_costs_nothing() {
    let (body, regs) = forward_branch(0);
    // 5 retired, base 9, no flush.
    assert_eq!(cost(preset("textbook"), &body, &regs), (9, 5, 0));
}

#[test]
fn jal_in_ex_costs_two() {
    let mut m = machine(preset("textbook"), &[jal(RA, 8), addi(T1, 0, 99)]);
    run_to_exit(&mut m);
    // 4 retired (base 8) + 2.
    assert_eq!((m.cycle, m.instret), (10, 4));
    assert_eq!((m.hart.reg(RA), m.hart.reg(T1)), (PC0 + 4, 0));
}

#[test]
fn jalr_in_ex_costs_two() {
    let body = [jalr(RA, T0, 0), addi(T1, 0, 99)];
    // 4 retired (base 8) + 2.
    assert_eq!(
        cost(preset("textbook"), &body, &[(T0, PC0 + 8)]),
        (10, 4, 1)
    );
}

#[test]
fn spec_loop_costs_two_per_taken_branch() {
    let body = [addi(T0, 0, 3), addi(T0, T0, -1), bne(T0, 0, -4)];
    // 10 retired (base 14) + 2 taken × 2.
    assert_eq!(cost(preset("textbook"), &body, &[]), (18, 10, 2));
}

// ---- Rule 9: resolution in ID ----

#[test]
fn taken_branch_in_id_costs_one() {
    let (body, regs) = forward_branch(1);
    let mut m = machine(preset("branch-in-id"), &body);
    for &(r, v) in &regs {
        m.hart.set_reg(r, v);
    }
    steps(&mut m, 2);
    // c1: the branch resolves in ID; only IF is flushed.
    let last = pipe(&m).last();
    assert_eq!(
        last.resolution.map(|r| (r.stage, r.taken)),
        Some((Stage::Id, true))
    );
    assert!(
        matches!(last.stages[Stage::If as usize], StageEvent::Flushed(t, _) if t.pc == PC0 + 4)
    );
    run_to_exit(&mut m);
    // 4 retired (base 8) + 1.
    assert_eq!((m.cycle, m.instret), (9, 4));
    assert_eq!(pipe(&m).stats.squashed, 1);
}

#[test]
fn not_taken_branch_in_id_costs_nothing() {
    let (body, regs) = forward_branch(0);
    assert_eq!(cost(preset("branch-in-id"), &body, &regs), (9, 5, 0));
}

#[test]
fn jal_and_jalr_in_id_cost_one() {
    // 4 retired (base 8) + 1.
    assert_eq!(
        cost(preset("branch-in-id"), &[jal(RA, 8), nop()], &[]),
        (9, 4, 1)
    );
    assert_eq!(
        cost(
            preset("branch-in-id"),
            &[jalr(RA, T0, 0), nop()],
            &[(T0, PC0 + 8)]
        ),
        (9, 4, 1)
    );
}

#[test]
fn branch_in_id_after_alu_producer_stalls_one() {
    let body = [addi(T0, 0, 1), bne(T0, 0, 8), addi(T1, 0, 99)];
    let mut m = machine(preset("branch-in-id"), &body);
    steps(&mut m, 3);
    // c2: the addi is in EX, the branch waits in ID.
    assert!(matches!(
        pipe(&m).last().stages[Stage::Id as usize],
        StageEvent::Stalled(t, StallCause::DataHazard { reg: T0, producer_pc: PC0 }) if t.pc == PC0 + 4
    ));
    step_ok(&mut m);
    // c3: the addi's result comes from EX/MEM into ID; the branch resolves.
    let last = pipe(&m).last();
    assert_eq!(
        last.forwards[0].map(|f| (f.to, f.from, f.value)),
        Some((Stage::Id, ForwardFrom::ExMem, 1))
    );
    assert_eq!(last.resolution.map(|r| r.stage), Some(Stage::Id));
    run_to_exit(&mut m);
    // 5 retired (base 9) + 1 stall + 1 taken.
    assert_eq!((m.cycle, m.instret), (11, 5));
    assert_eq!(pipe(&m).stats.stall_data, 1);
}

fn step_ok(m: &mut Machine) {
    assert_eq!(m.step(), StopReason::CycleLimit);
}

#[test]
fn branch_in_id_after_alu_at_distance_two_does_not_stall() {
    let body = [addi(T0, 0, 1), nop(), bne(T0, 0, 8), addi(T1, 0, 99)];
    let mut m = machine(preset("branch-in-id"), &body);
    run_to_exit(&mut m);
    // 6 retired (base 10) + 1 taken; EX/MEM→ID forwarding, no stall.
    assert_eq!((m.cycle, m.instret), (11, 6));
    assert_eq!(pipe(&m).stats.stall_data, 0);
}

#[test]
fn branch_in_id_after_load_stalls_two() {
    let body = [lw(T0, S0, 0), bne(T0, 0, 8), addi(T1, 0, 99)];
    let mut m = machine(preset("branch-in-id"), &body);
    m.hart.set_reg(S0, DATA);
    load(&mut m, DATA, &[1]);
    run_to_exit(&mut m);
    // 5 retired (base 9) + 2 stalls (load in EX, then MEM) + 1 taken.
    assert_eq!((m.cycle, m.instret), (12, 5));
    assert_eq!(m.hart.reg(T1), 0);
    assert_eq!(pipe(&m).stats.stall_data, 2);
}

#[test]
fn branch_in_id_after_load_two_ahead_stalls_one() {
    let body = [lw(T0, S0, 0), nop(), bne(T0, 0, 8), addi(T1, 0, 99)];
    let mut m = machine(preset("branch-in-id"), &body);
    m.hart.set_reg(S0, DATA);
    load(&mut m, DATA, &[1]);
    run_to_exit(&mut m);
    // 6 retired (base 10) + 1 stall (load in MEM) + 1 taken.
    assert_eq!((m.cycle, m.instret), (12, 6));
    assert_eq!(pipe(&m).stats.stall_data, 1);
}

#[test]
fn branch_in_id_without_forwarding_waits_for_wb() {
    let mut cfg = preset("no-forwarding");
    cfg.core.branch_resolution = BranchStage::Id;
    let d1 = [addi(T0, 0, 1), bne(T0, 0, 8), addi(T1, 0, 99)];
    // 5 retired (base 9) + 2 stalls + 1 taken.
    assert_eq!(cost(cfg.clone(), &d1, &[]), (12, 5, 1));
    let d2 = [addi(T0, 0, 1), nop(), bne(T0, 0, 8), addi(T1, 0, 99)];
    // 6 retired (base 10) + 1 stall + 1 taken.
    assert_eq!(cost(cfg, &d2, &[]), (12, 6, 1));
}

#[test]
fn jalr_in_id_after_alu_producer_stalls_one() {
    // auipc t0 = its own pc; jalr jumps 12 past it, over one instruction.
    let body = [auipc(T0, 0), jalr(RA, T0, 12), addi(T1, 0, 99)];
    // 5 retired (base 9) + 1 stall + 1 taken.
    assert_eq!(cost(preset("branch-in-id"), &body, &[]), (11, 5, 1));
    // In EX the same program only pays the 2-cycle redirect.
    assert_eq!(cost(preset("textbook"), &body, &[]), (11, 5, 1));
}

#[test]
fn spec_loop_with_branches_in_id() {
    let body = [addi(T0, 0, 3), addi(T0, T0, -1), bne(T0, 0, -4)];
    // 10 retired (base 14) + 3 operand stalls (the addi just ahead) + 2 taken × 1.
    assert_eq!(cost(preset("branch-in-id"), &body, &[]), (19, 10, 2));
    // BTFNT predicts both taken ones; the final fall-through costs 1.
    let cfg = with_predictor("branch-in-id", PredictorConfig::StaticBtfnt);
    assert_eq!(cost(cfg, &body, &[]), (18, 10, 1));
}

// ---- Rule 8: prediction ----

#[test]
fn btfnt_predicts_a_backward_loop() {
    let body = [addi(T0, 0, 3), addi(T0, T0, -1), bne(T0, 0, -4)];
    let mut m = machine(btfnt(), &body);
    run_to_exit(&mut m);
    // 10 retired (base 14); taken twice (right), falls through once (wrong: +2).
    assert_eq!((m.cycle, m.instret), (16, 10));
    assert_eq!(pipe(&m).stats.predictions[0], (3, 2));
}

#[test]
fn btfnt_forward_branch_and_jumps() {
    let (body, regs) = forward_branch(1);
    // A forward branch is predicted not taken: taken costs 2 (base 8).
    assert_eq!(cost(btfnt(), &body, &regs), (10, 4, 1));
    // jal is predicted taken by predecoding in IF: free.
    assert_eq!(cost(btfnt(), &[jal(RA, 8), nop()], &[]), (8, 4, 0));
    // jalr is predicted not taken: 2.
    assert_eq!(
        cost(btfnt(), &[jalr(RA, T0, 0), nop()], &[(T0, PC0 + 8)]),
        (10, 4, 1)
    );
}

/// `addi t0,x0,n; loop: addi t0,t0,-1; bne t0,x0,loop`: 2n + 1 retired
/// before the exit.
fn counted_loop(n: i32) -> Vec<u32> {
    vec![addi(T0, 0, n), addi(T0, T0, -1), bne(T0, 0, -4)]
}

#[test]
fn counted_loop_of_twenty_under_each_predictor() {
    let body = counted_loop(20);
    // 44 retired: base 48. 20 resolutions: 19 taken, 1 not taken.
    // Static not-taken: 19 taken × 2.
    assert_eq!(cost(preset("textbook"), &body, &[]), (86, 44, 19));
    // BTFNT: only the exit is wrong.
    assert_eq!(cost(btfnt(), &body, &[]), (50, 44, 1));
    // Bimodal (1- or 2-bit): the first (BTB miss) and the last are wrong.
    assert_eq!(cost(bimodal(2), &body, &[]), (52, 44, 2));
    assert_eq!(cost(bimodal(1), &body, &[]), (52, 44, 2));
    // gshare, 8 history bits: each of the first 9 resolutions sees a new
    // history (0, 1, 3, ..., 255), so a fresh weakly-not-taken counter:
    // wrong 9 times; from the 10th the history stays 255 and its counter
    // has warmed up; the exit is wrong again: 10 × 2.
    assert_eq!(cost(preset("gshare"), &body, &[]), (68, 44, 10));
}

#[test]
fn gshare_counted_loop_of_ten_never_warms_up() {
    let mut m = machine(preset("gshare"), &counted_loop(10));
    run_to_exit(&mut m);
    // 24 retired: base 28; all 10 resolutions wrong (see above): + 20.
    assert_eq!((m.cycle, m.instret), (48, 24));
    assert_eq!(pipe(&m).stats.predictions[0], (10, 0));
}

/// Two passes of an inner loop of three:
/// ```text
///        addi s1,x0,2
/// outer: addi t0,x0,3
/// inner: addi t0,t0,-1
///        bne  t0,x0,inner     # T T N, T T N
///        addi s1,s1,-1
///        bne  s1,x0,outer     # T, N
/// ```
/// 22 retired: base 26.
fn nested_loops() -> Vec<u32> {
    vec![
        addi(S1, 0, 2),
        addi(T0, 0, 3),
        addi(T0, T0, -1),
        bne(T0, 0, -4),
        addi(S1, S1, -1),
        bne(S1, 0, -16),
    ]
}

#[test]
fn nested_loops_under_each_predictor() {
    let body = nested_loops();
    // Not-taken: 5 taken branches × 2.
    assert_eq!(cost(preset("textbook"), &body, &[]), (36, 22, 5));
    // BTFNT: the 3 fall-throughs × 2.
    assert_eq!(cost(btfnt(), &body, &[]), (32, 22, 3));
    // 2-bit bimodal: inner T(miss) T N(wrong), outer T(miss), inner T T
    // N(wrong), outer N(counter 2: wrong) = 5 × 2.
    assert_eq!(cost(bimodal(2), &body, &[]), (36, 22, 5));
    // 1-bit bimodal: as 2-bit, plus the first inner T of the second pass
    // (the counter last saw N) = 6 × 2.
    assert_eq!(cost(bimodal(1), &body, &[]), (38, 22, 6));
    // gshare: inner T(miss) T(new history) N(right), outer T(miss), inner
    // T T (new histories) N(right), outer N(right) = 5 × 2.
    assert_eq!(cost(preset("gshare"), &body, &[]), (36, 22, 5));
}

/// ```text
///       addi t0,x0,3
/// loop: jal/jalr x0 → skip      # taken 3 times
///       addi t1,t1,1            # never runs
/// skip: addi t0,t0,-1
///       bne  t0,x0,loop         # T T N
/// ```
/// 13 retired: base 17.
fn loop_with_jump(jump: u32) -> Vec<u32> {
    vec![
        addi(T0, 0, 3),
        jump,
        addi(T1, T1, 1),
        addi(T0, T0, -1),
        bne(T0, 0, -12),
    ]
}

#[test]
fn jal_in_a_loop_under_each_predictor() {
    let body = loop_with_jump(jal(0, 8));
    // Not-taken: 3 jal + 2 taken bne, × 2.
    assert_eq!(cost(preset("textbook"), &body, &[]), (27, 13, 5));
    // BTFNT: jal free; bne wrong only on exit.
    assert_eq!(cost(btfnt(), &body, &[]), (19, 13, 1));
    // 2-bit bimodal: first jal (BTB miss), first bne (miss), last bne.
    assert_eq!(cost(bimodal(2), &body, &[]), (23, 13, 3));
}

#[test]
fn jalr_in_a_loop_under_each_predictor() {
    let body = loop_with_jump(jalr(0, S1, 0));
    let regs = [(S1, PC0 + 12)];
    // BTFNT predicts jalr not taken: 3 jalr + the bne exit, × 2.
    assert_eq!(cost(btfnt(), &body, &regs), (25, 13, 4));
    // 2-bit bimodal: the BTB remembers the jalr target after its first run.
    assert_eq!(cost(bimodal(2), &body, &regs), (23, 13, 3));
}
