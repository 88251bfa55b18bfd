//! Exact-cycle tests of the five-stage pipeline's data path: throughput,
//! the register file, forwarding, load-use, and the teaching configurations
//! without forwarding or hazard detection (timing contract rules 1–6;
//! `docs/timing.md` explains each number).
//!
//! Cycle numbers in comments are 0-based: "c3" is the cycle with three
//! cycles completed before it, i.e. the one `m.step()` number 4 runs.

mod support;

use glassbox::config::MachineConfig;
use glassbox::pipeline::Pipeline;
use glassbox::pipeline::record::*;
use glassbox::{Halt, Machine, StopReason};
use support::enc::*;
use support::*;

/// `addi a0,x0,0; addi a7,x0,93; ecall`: exit(0), 3 instructions.
fn exit() -> Vec<u32> {
    vec![addi(A0, 0, 0), addi(A7, 0, 93), ecall()]
}

fn preset(name: &str) -> MachineConfig {
    MachineConfig::preset(name).expect("preset exists")
}

/// A machine with `body` followed by the exit sequence at the start of RAM.
fn machine(cfg: MachineConfig, body: &[u32]) -> Machine {
    machine_with_config(cfg, &prog(&[body, &exit()]))
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

fn step(m: &mut Machine) {
    assert_eq!(m.step(), StopReason::CycleLimit);
}

const PC0: u32 = RAM_BASE;

// ---- Rule 1: throughput ----

#[test]
fn straight_line_takes_n_plus_four_cycles() {
    for k in [0usize, 1, 5, 17] {
        let body = vec![nop(); k];
        let mut m = machine(preset("textbook"), &body);
        run_to_exit(&mut m);
        // k nops + 3 exit instructions, one per cycle, + 4 to drain.
        let n = k as u64 + 3;
        assert_eq!((m.cycle, m.instret), (n + 4, n), "{k} nops");
    }
}

#[test]
fn each_cycle_every_stage_holds_the_next_older_instruction() {
    let body: Vec<u32> = (1..=6).map(|i| addi(T0 + (i % 3) as u8, 0, i)).collect();
    let mut m = machine(preset("textbook"), &body);
    for k in 0..9u32 {
        step(&mut m);
        assert_eq!(pipe(&m).last().cycle, k as u64);
        // In cycle k, stage j works on instruction k - j (IF = 0 ... WB = 4).
        for (j, s) in Stage::ALL.iter().enumerate() {
            let expect = (k >= j as u32).then(|| PC0 + 4 * (k - j as u32));
            let got = stage(&m, *s).tag().map(|t| t.pc);
            assert_eq!(got, expect, "cycle {k}, stage {}", s.name());
        }
        // The view after the cycle: IF/ID holds what ID works on next.
        assert_eq!(pipe(&m).if_id().map(|x| x.tag.pc), Some(PC0 + 4 * k));
    }
    // Instruction 0 retires in c4: after 5 cycles, instret is 1.
    assert_eq!(m.instret, 5);
}

// ---- Rule 2: the register file is written before it is read ----

#[test]
fn producer_three_ahead_never_stalls_without_forwarding() {
    let mut m = machine(
        preset("no-forwarding"),
        &[addi(T0, 0, 5), nop(), nop(), add(T1, T0, T0)],
    );
    run_to_exit(&mut m);
    // 7 instructions, no stall: 7 + 4. The add's ID (c4) sees the addi's WB (c4).
    assert_eq!((m.cycle, m.instret), (11, 7));
    assert_eq!(m.hart.reg(T1), 10);
    assert_eq!(pipe(&m).stats.stall_data, 0);
}

// ---- Rule 3: forwarding ----

#[test]
fn distance_one_alu_producer_forwards_from_ex_mem() {
    let mut m = machine(preset("textbook"), &[addi(T0, 0, 5), add(T1, T0, T0)]);
    steps(&mut m, 4);
    // c3: the add is in EX, the addi in MEM: both operands from EX/MEM.
    let f = pipe(&m).last().forwards;
    for (i, f) in f.iter().enumerate() {
        assert_eq!(
            *f,
            Some(Forward {
                to: Stage::Ex,
                operand: i as u8 + 1,
                reg: T0,
                from: ForwardFrom::ExMem,
                producer_pc: PC0,
                value: 5,
            })
        );
    }
    run_to_exit(&mut m);
    // 5 instructions, 0 stalls: 9 cycles.
    assert_eq!((m.cycle, m.instret), (9, 5));
    assert_eq!(m.hart.reg(T1), 10);
    assert_eq!(pipe(&m).stats.forwards, 2);
    assert_eq!(pipe(&m).stats.stall_data + pipe(&m).stats.stall_load_use, 0);
}

#[test]
fn distance_two_alu_producer_forwards_from_mem_wb() {
    let mut m = machine(
        preset("textbook"),
        &[addi(T0, 0, 5), addi(T2, 0, 1), add(T1, 0, T0)],
    );
    steps(&mut m, 5);
    // c4: the add is in EX, the first addi in WB: rs2 from MEM/WB.
    assert_eq!(
        pipe(&m).last().forwards[1],
        Some(Forward {
            to: Stage::Ex,
            operand: 2,
            reg: T0,
            from: ForwardFrom::MemWb,
            producer_pc: PC0,
            value: 5,
        })
    );
    run_to_exit(&mut m);
    // 6 instructions, 0 stalls: 10 cycles.
    assert_eq!((m.cycle, m.instret), (10, 6));
    assert_eq!(m.hart.reg(T1), 5);
}

// ---- Rule 5: forwarding off, hazard detection on ----

#[test]
fn no_forwarding_distance_one_stalls_two_cycles() {
    let mut m = machine(preset("no-forwarding"), &[addi(T0, 0, 5), add(T1, T0, T0)]);
    let hazard = StallCause::DataHazard {
        reg: T0,
        producer_pc: PC0,
    };
    steps(&mut m, 3);
    // c2: addi in EX, add in ID waits.
    assert_eq!(
        stage(&m, Stage::Id),
        StageEvent::Stalled(pipe(&m).if_id().unwrap().tag, hazard)
    );
    step(&mut m);
    // c3: addi in MEM, still waiting.
    assert!(matches!(stage(&m, Stage::Id), StageEvent::Stalled(_, c) if c == hazard));
    step(&mut m);
    // c4: addi in WB, the add reads the written value.
    assert!(matches!(stage(&m, Stage::Id), StageEvent::Ran(t) if t.pc == PC0 + 4));
    run_to_exit(&mut m);
    // 5 instructions + 2 stall cycles.
    assert_eq!((m.cycle, m.instret), (11, 5));
    assert_eq!(m.hart.reg(T1), 10);
    assert_eq!(pipe(&m).stats.stall_data, 2);
}

#[test]
fn no_forwarding_distance_two_stalls_one_cycle() {
    let mut m = machine(
        preset("no-forwarding"),
        &[addi(T0, 0, 5), nop(), add(T1, T0, T0)],
    );
    run_to_exit(&mut m);
    // 6 instructions + 1 stall cycle.
    assert_eq!((m.cycle, m.instret), (11, 6));
    assert_eq!(m.hart.reg(T1), 10);
    assert_eq!(pipe(&m).stats.stall_data, 1);
}

#[test]
fn no_forwarding_load_use_waits_for_wb() {
    let mut m = machine(preset("no-forwarding"), &[lw(T0, S0, 0), add(T1, T0, T0)]);
    m.hart.set_reg(S0, DATA);
    load(&mut m, DATA, &[21]);
    run_to_exit(&mut m);
    // 5 instructions + 2 stall cycles (the load must reach WB).
    assert_eq!((m.cycle, m.instret), (11, 5));
    assert_eq!(m.hart.reg(T1), 42);
    assert_eq!(pipe(&m).stats.stall_data, 2);
    assert_eq!(pipe(&m).stats.stall_load_use, 0);
}

// ---- Rule 4: load-use ----

#[test]
fn load_use_stalls_one_cycle_in_id() {
    let mut m = machine(preset("textbook"), &[lw(T0, S0, 0), add(T1, T0, T0)]);
    m.hart.set_reg(S0, DATA);
    load(&mut m, DATA, &[21]);
    steps(&mut m, 3);
    // c2: the lw is in EX, the add in ID stalls.
    assert_eq!(
        stage(&m, Stage::Id),
        StageEvent::Stalled(
            pipe(&m).if_id().unwrap().tag,
            StallCause::LoadUse {
                reg: T0,
                producer_pc: PC0,
            }
        )
    );
    step(&mut m);
    // c3: a bubble in EX, the add decodes.
    assert_eq!(stage(&m, Stage::Ex), StageEvent::Bubble);
    assert!(matches!(stage(&m, Stage::Id), StageEvent::Ran(t) if t.pc == PC0 + 4));
    step(&mut m);
    // c4: the add in EX takes the loaded value from MEM/WB.
    assert_eq!(
        pipe(&m).last().forwards[0].map(|f| (f.from, f.value)),
        Some((ForwardFrom::MemWb, 21))
    );
    run_to_exit(&mut m);
    // 5 instructions + 1 stall cycle.
    assert_eq!((m.cycle, m.instret), (10, 5));
    assert_eq!(m.hart.reg(T1), 42);
    assert_eq!(pipe(&m).stats.stall_load_use, 1);
}

#[test]
fn load_use_stall_holds_the_next_fetch_in_if() {
    let mut m = machine(preset("textbook"), &[lw(T0, S0, 0), add(T1, T0, T0)]);
    m.hart.set_reg(S0, DATA);
    steps(&mut m, 3);
    // c2: ID stalls on the add (pc+4); IF has fetched the instruction after
    // it (pc+8) and holds it.
    let held = stage(&m, Stage::If).tag().expect("IF holds an instruction");
    assert_eq!(held.pc, PC0 + 8);
    step(&mut m);
    // c3: the same instruction (fetched once: same sequence number) is
    // still shown in IF; it enters ID in c4.
    let again = stage(&m, Stage::If).tag().expect("IF holds an instruction");
    assert_eq!((again.pc, again.seq), (held.pc, held.seq));
    step(&mut m);
    assert!(matches!(stage(&m, Stage::Id), StageEvent::Ran(t) if t.pc == PC0 + 8));
    assert_eq!(stage(&m, Stage::If).tag().map(|t| t.pc), Some(PC0 + 12));
}

#[test]
fn load_use_through_store_data_stalls_one_cycle() {
    let mut m = machine(preset("textbook"), &[lw(T0, S0, 0), sw(T0, S0, 4)]);
    m.hart.set_reg(S0, DATA);
    load(&mut m, DATA, &[0x1234_5678]);
    run_to_exit(&mut m);
    // The store reads t0 as rs2 (store data): 5 instructions + 1 stall.
    assert_eq!((m.cycle, m.instret), (10, 5));
    assert_eq!(m.peek(DATA + 4, 4), Some(0x1234_5678));
    assert_eq!(pipe(&m).stats.stall_load_use, 1);
}

#[test]
fn load_use_through_store_address_stalls_one_cycle() {
    let mut m = machine(preset("textbook"), &[lw(T0, S0, 0), sw(T1, T0, 0)]);
    m.hart.set_reg(S0, DATA);
    m.hart.set_reg(T1, 77);
    load(&mut m, DATA, &[DATA + 64]);
    run_to_exit(&mut m);
    // The store's base address is the loaded value: 5 + 1 stall.
    assert_eq!((m.cycle, m.instret), (10, 5));
    assert_eq!(m.peek(DATA + 64, 4), Some(77));
    assert_eq!(pipe(&m).stats.stall_load_use, 1);
}

#[test]
fn load_at_distance_two_does_not_stall() {
    let mut m = machine(preset("textbook"), &[lw(T0, S0, 0), nop(), add(T1, T0, T0)]);
    m.hart.set_reg(S0, DATA);
    load(&mut m, DATA, &[21]);
    run_to_exit(&mut m);
    // 6 instructions, 0 stalls: MEM/WB→EX forwards the loaded value.
    assert_eq!((m.cycle, m.instret), (10, 6));
    assert_eq!(m.hart.reg(T1), 42);
    assert_eq!(pipe(&m).stats.stall_load_use, 0);
}

// ---- Rule 6: hazard detection off ----

#[test]
fn without_hazard_detection_a_load_user_gets_the_address() {
    let mut m = machine(
        preset("no-hazard-detection"),
        &[lw(T0, S0, 0), add(T1, T0, T0), add(T2, T0, 0)],
    );
    m.hart.set_reg(S0, DATA);
    m.hart.set_reg(T0, 7);
    load(&mut m, DATA, &[21]);
    steps(&mut m, 4);
    // c3: the add in EX, the lw in MEM: EX/MEM holds the lw's address.
    let stale = pipe(&m).last().stale_reads;
    for s in stale {
        let s = s.expect("both operands are stale reads");
        assert_eq!((s.reg, s.producer_pc, s.value), (T0, PC0, DATA));
    }
    run_to_exit(&mut m);
    // No stall: 6 instructions in 10 cycles.
    assert_eq!((m.cycle, m.instret), (10, 6));
    // t1 = address + address; the next add (distance 2) gets the data.
    assert_eq!(m.hart.reg(T1), DATA.wrapping_mul(2));
    assert_eq!(m.hart.reg(T2), 21);
    assert_eq!(pipe(&m).stats.stale_reads, 2);
    assert_eq!(pipe(&m).stats.stall_load_use, 0);
}

#[test]
fn without_hazard_detection_alu_forwarding_still_works() {
    let mut m = machine(
        preset("no-hazard-detection"),
        &[addi(T0, 0, 5), add(T1, T0, T0), add(T2, T0, 0)],
    );
    run_to_exit(&mut m);
    // 6 instructions, no stall, correct values, no stale read.
    assert_eq!((m.cycle, m.instret), (10, 6));
    assert_eq!((m.hart.reg(T1), m.hart.reg(T2)), (10, 5));
    assert_eq!(pipe(&m).stats.stale_reads, 0);
}

#[test]
fn bare_pipeline_load_user_gets_the_old_register() {
    let mut m = machine(preset("bare-pipeline"), &[lw(T0, S0, 0), add(T1, T0, T0)]);
    m.hart.set_reg(S0, DATA);
    m.hart.set_reg(T0, 7);
    load(&mut m, DATA, &[21]);
    run_to_exit(&mut m);
    // No stall: 5 instructions in 9 cycles; t1 = old t0 doubled.
    assert_eq!((m.cycle, m.instret), (9, 5));
    assert_eq!(m.hart.reg(T1), 14);
    assert_eq!(m.hart.reg(T0), 21);
    assert_eq!(pipe(&m).stats.stale_reads, 2);
    let s = pipe(&m).stats.clone();
    assert_eq!(s.stall_data + s.stall_load_use, 0);
}

#[test]
fn bare_pipeline_alu_readers_at_distance_one_and_two_are_stale() {
    let mut m = machine(
        preset("bare-pipeline"),
        &[
            addi(T0, 0, 5),
            add(T1, T0, 0),
            add(T2, T0, 0),
            add(S1, T0, 0),
        ],
    );
    m.hart.set_reg(T0, 7);
    steps(&mut m, 4);
    // c3: the first reader is in EX with the old value it read in c2.
    let s = pipe(&m).last().stale_reads[0].expect("a stale read");
    assert_eq!((s.reg, s.producer_pc, s.value), (T0, PC0, 7));
    run_to_exit(&mut m);
    // 7 instructions, no stall.
    assert_eq!((m.cycle, m.instret), (11, 7));
    // Distances 1 and 2 read the old 7; distance 3 reads the new 5.
    assert_eq!((m.hart.reg(T1), m.hart.reg(T2), m.hart.reg(S1)), (7, 7, 5));
    assert_eq!(pipe(&m).stats.stale_reads, 2);
}
