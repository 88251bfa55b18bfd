//! Timing of compressed instructions (docs/timing.md, rule 17): one
//! instruction per IF cycle whatever its size, and a 32-bit instruction
//! straddling two I-cache lines costs two I-cache accesses whose stalls
//! add. Each test states its arithmetic.

mod support;

use glassbox::{Halt, Machine, MachineConfig, StopReason};
use support::enc::*;
use support::*;

fn preset(name: &str) -> MachineConfig {
    MachineConfig::preset(name).expect("preset exists")
}

/// `nops` c.nop, then a 32-bit `addi a0, a0, 1` (at byte `2 × nops`), then
/// `c_after` c.nop, then the exit (`addi a7, 93; ecall`, 32-bit).
fn program(nops: usize, c_after: usize) -> Vec<u32> {
    let mut p = vec![c_nop(); nops];
    p.push(addi(A0, A0, 1));
    p.extend(vec![c_nop(); c_after]);
    p.extend([addi(A7, ZERO, 93), ecall()]);
    parcels(&p)
}

fn run(cfg: MachineConfig, words: &[u32]) -> Machine {
    let mut m = machine_with_config(cfg, words);
    m.hart.set_reg(A0, u32::MAX); // exit code 0 after the addi
    assert_eq!(m.run(10_000), StopReason::Halted(Halt::Exited(0)));
    m
}

fn l1i_hit_latency(mut cfg: MachineConfig, h: u32) -> MachineConfig {
    cfg.memory.l1i.as_mut().unwrap().hit_latency = h;
    cfg
}

fn stat(m: &Machine, name: &str) -> u64 {
    let l1i = m.memory.as_ref().unwrap().l1i.as_ref().unwrap();
    match name {
        "fetch_misses" => l1i.stats().fetch.misses,
        _ => l1i.stats().fetch.accesses,
    }
}

#[test]
fn one_instruction_per_if_cycle_whatever_its_size() {
    // 15 c.nop, a 32-bit addi at byte 30 (across a word boundary), the
    // 32-bit exit pair: 18 instructions, 18 + 4 = 22 cycles (rule 1).
    let m = run(preset("textbook"), &program(15, 0));
    assert_eq!((m.cycle, m.instret), (22, 18));
    // All compressed but the exit: same count.
    let m = run(preset("textbook"), &program(0, 15));
    assert_eq!((m.cycle, m.instret), (22, 18));
}

#[test]
fn a_fetch_straddling_two_lines_is_two_accesses_whose_stalls_add() {
    // classic-l1: 32-byte lines, fills of 50. The program's first fetch
    // misses line 0 (50). The addi at byte 30 straddles lines 0 and 1:
    // its first parcel hits line 0, its second misses line 1 (50); the
    // rest hits line 1. 22 + 50 + 50 = 122.
    let straddling = program(15, 0);
    let m = run(preset("classic-l1"), &straddling);
    assert_eq!((m.cycle, m.instret), (122, 18));
    assert_eq!(stat(&m, "fetch_misses"), 2);

    // The same instructions with the addi inside line 0 (byte 28) and a
    // c.nop first in line 1: the same two misses, 122.
    let inside = program(14, 1);
    let m = run(preset("classic-l1"), &inside);
    assert_eq!((m.cycle, m.instret), (122, 18));
    assert_eq!(stat(&m, "fetch_misses"), 2);

    // With an L1I hit latency of 2 every access adds 1 (rule 12) and a
    // miss 1 + 50. Each instruction holds IF for 1 + its stalls, the last
    // then needs 4 more cycles:
    //   inside:     18 + 16 hits × 1 + 2 misses × 51 + 4 = 140;
    //   straddling: the addi makes two accesses (a hit and a miss): 141.
    let m = run(l1i_hit_latency(preset("classic-l1"), 2), &inside);
    assert_eq!((m.cycle, m.instret), (140, 18));
    let m = run(l1i_hit_latency(preset("classic-l1"), 2), &straddling);
    assert_eq!((m.cycle, m.instret), (141, 18));
}

#[test]
fn a_straddling_fetch_counts_two_accesses() {
    // Accesses made up to the exit: the 18 instructions, one more for the
    // straddling addi, and the three wrong-path fetches behind the ecall
    // (the cycles it spends in ID, EX and MEM; in its WB cycle the run
    // ends before IF).
    let inside = run(preset("classic-l1"), &program(14, 1));
    let straddling = run(preset("classic-l1"), &program(15, 0));
    assert_eq!(stat(&inside, "fetch_accesses"), 18 + 3);
    assert_eq!(stat(&straddling, "fetch_accesses"), 18 + 1 + 3);
}
