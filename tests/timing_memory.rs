//! Exact-cycle tests of the memory hierarchy in the timing cores: rules
//! 12–16 of the timing contract and the decisions `docs/timing.md` takes
//! where the contract is silent (overlapping IF and MEM misses, squashed
//! fills, `fence.i`, MMIO, the single-cycle core, debugger views).
//!
//! Cycle numbers in comments are 0-based: "c53" is the cycle with 53 cycles
//! completed before it (`m.cycle` is 54 after it). Programs start at
//! `RAM_BASE`, so instructions 0–7 share the first 32-byte line ("line 0"),
//! 8–15 the next ("line 1"). *Ideal* is the count on the textbook pipeline
//! with ideal memory (rule 1: `n + 4`, plus hazards and flushes); each test
//! checks it too, so that every cache cost below is a difference from a
//! pinned number.
//!
//! The presets: `classic-l1` has 4 KiB 2-way L1s with 32-byte lines (64
//! sets: addresses 2 KiB apart share a set) and memory at 50 cycles, so a
//! miss costs 50. `l1-l2-dram` adds a 64 KiB 8-way L2 (256 sets) at 10
//! cycles in front of memory at 100: an L1 miss that hits in the L2 costs
//! 10, one that misses there too costs 10 + 100 = 110.

mod support;

use glassbox::config::{ConfigError, CoreModel, MachineConfig};
use glassbox::memory::{CacheConfig, Level, Replacement, WritePolicy};
use glassbox::pipeline::Pipeline;
use glassbox::pipeline::record::*;
use glassbox::stats::StatValue;
use glassbox::{Halt, Machine, StopReason};
use support::enc::*;
use support::*;

const PC0: u32 = RAM_BASE;
/// Data lines away from the code's sets: L1 set 32, L2 set 32.
const A: u32 = DATA + 0x400;
/// Same L1 set as `A` (2 KiB apart), different L2 sets.
const B: u32 = A + 2048;
const C: u32 = A + 4096;
/// Same L1 set as `A`, and the same set as `A` in an 8 KiB direct-mapped L2.
const D: u32 = A + 8192;
const S3: Reg = 19;
const T4: Reg = 29;

fn exit() -> Vec<u32> {
    vec![addi(A0, 0, 0), addi(A7, 0, 93), ecall()]
}

fn preset(name: &str) -> MachineConfig {
    MachineConfig::preset(name).expect("preset exists")
}

fn l1i(cfg: &mut MachineConfig) -> &mut CacheConfig {
    cfg.memory.l1i.as_mut().expect("an L1I")
}

fn l1d(cfg: &mut MachineConfig) -> &mut CacheConfig {
    cfg.memory.l1d.as_mut().expect("an L1D")
}

/// `body` followed by an exit with code 0, at `RAM_BASE`, with `s0`..`s2`
/// pointing at `A`, `B`, `C` and `t1` = 0x1234_5678.
fn machine(cfg: MachineConfig, body: &[u32]) -> Machine {
    let mut m = machine_with_config(cfg, &prog(&[body, &exit()]));
    m.hart.set_reg(S0, A);
    m.hart.set_reg(S1, B);
    m.hart.set_reg(S2, C);
    m.hart.set_reg(T1, 0x1234_5678);
    m
}

fn run_to(m: &mut Machine, code: i32) {
    assert_eq!(m.run(100_000), StopReason::Halted(Halt::Exited(code)));
}

/// Runs `body` + exit to the end and returns the machine.
fn run(cfg: MachineConfig, body: &[u32]) -> Machine {
    let mut m = machine(cfg, body);
    run_to(&mut m, 0);
    m
}

/// `(cycles, instret)` of `body` + exit on the configuration.
fn cycles(cfg: MachineConfig, body: &[u32]) -> (u64, u64) {
    let m = run(cfg, body);
    (m.cycle, m.instret)
}

/// A counting statistic by name (`"l1d.misses"`, `"memory.write_buffer_full"`).
fn stat(m: &Machine, name: &str) -> u64 {
    let s = m.stats();
    match s.iter().find(|s| s.name == name).map(|s| s.value) {
        Some(StatValue::Count(n)) => n,
        other => panic!("{name}: {other:?}"),
    }
}

fn pipe(m: &Machine) -> &Pipeline {
    m.pipeline.as_ref().expect("five-stage core")
}

fn step(m: &mut Machine) {
    assert_eq!(m.step(), StopReason::CycleLimit);
}

/// Steps until `n` instructions at `pc` have retired; returns `m.cycle`
/// after each retirement (the retiring cycle included).
fn retire_cycles(m: &mut Machine, pc: u32, n: usize) -> Vec<u64> {
    let mut out = Vec::new();
    for _ in 0..2_000 {
        step(m);
        if pipe(m).last().retired.is_some_and(|t| t.pc == pc) {
            out.push(m.cycle);
            if out.len() == n {
                return out;
            }
        }
    }
    panic!("{pc:#x} retired only {} times", out.len());
}

/// Steps until the cycle numbered `c` has run (`m.cycle == c + 1`).
fn step_through(m: &mut Machine, c: u64) {
    while m.cycle <= c {
        step(m);
    }
}

fn stage(m: &Machine, s: Stage) -> StageEvent {
    pipe(m).last().stages[s as usize]
}

fn stalled_pc(e: StageEvent) -> Option<(u32, StallCause)> {
    match e {
        StageEvent::Stalled(t, c) => Some((t.pc, c)),
        _ => None,
    }
}

// ---- Rule 12: hits ----

#[test]
fn a_cached_loop_iteration_costs_what_it_costs_with_ideal_memory() {
    let body = [
        addi(T0, 0, 3),
        lw(T2, S0, 0), // loop (pc 4)
        addi(T0, T0, -1),
        sw(T2, S0, 4),
        bne(T0, 0, -12), // pc 16
    ];
    // 16 instructions retire; the two taken branches cost 2 each (rule 7):
    // 16 + 4 + 4 = 24. The branch retires for the first time in c8 (it is
    // instruction 4), then every 6 cycles (4 instructions + 2 flushed).
    let mut m = machine(preset("textbook"), &body);
    assert_eq!(retire_cycles(&mut m, PC0 + 16, 3), [9, 15, 21]);
    run_to(&mut m, 0);
    assert_eq!((m.cycle, m.instret), (24, 16));

    // classic-l1: the first fetch misses (+50) and the first load misses
    // (+50); everything after hits (the store hits the line the load
    // brought in), so iterations two and three still take 6 cycles each:
    // 109, 115, 121, and 24 + 50 + 50 = 124 in all.
    let mut m = machine(preset("classic-l1"), &body);
    assert_eq!(retire_cycles(&mut m, PC0 + 16, 3), [109, 115, 121]);
    run_to(&mut m, 0);
    assert_eq!((m.cycle, m.instret), (124, 16));
    assert_eq!(stat(&m, "l1d.accesses"), 6);
    assert_eq!(stat(&m, "l1d.misses"), 1);
    assert_eq!(stat(&m, "l1d.writebacks"), 0);
    // Line 0 at the start, and line 1 by the wrong-path fetch of pc 32
    // right behind the exiting `ecall` at pc 28 (rule 16).
    assert_eq!(stat(&m, "l1i.fetch_misses"), 2);
}

#[test]
fn hit_latency_h_adds_h_minus_one_cycles_per_access() {
    let body = [
        addi(T0, 0, 3),
        lw(T2, S0, 0), // loop (pc 4)
        addi(T0, T0, -1),
        sw(T2, S0, 4),
        bne(T0, 0, -12), // pc 16
    ];
    // L1I hits at 2 cycles: every fetch holds IF one extra cycle. A warm
    // iteration whose first instruction is in IF in cycles t and t + 1
    // has the branch in IF in t + 6 and t + 7, in ID in t + 8 and in EX
    // in t + 9; the one wrong-path fetch (IF in t + 8 and t + 9) is
    // squashed then, and the next iteration is fetched from t + 10.
    let mut cfg = preset("classic-l1");
    l1i(&mut cfg).hit_latency = 2;
    let mut m = machine(cfg, &body);
    let r = retire_cycles(&mut m, PC0 + 16, 3);
    assert_eq!([r[1] - r[0], r[2] - r[1]], [10, 10]);

    // L1D hits at 3 cycles: a load and a store per iteration, 2 extra
    // cycles each: a warm iteration takes 6 + 2 × 2 = 10 cycles.
    let mut cfg = preset("classic-l1");
    l1d(&mut cfg).hit_latency = 3;
    let mut m = machine(cfg, &body);
    let r = retire_cycles(&mut m, PC0 + 16, 3);
    assert_eq!([r[1] - r[0], r[2] - r[1]], [10, 10]);
    // A miss pays the lookup too: the first load costs 2 + 50. The whole
    // run: 24 ideal + 50 (fetch) + 52 + 5 hits × 2 = 136.
    run_to(&mut m, 0);
    assert_eq!((m.cycle, m.instret), (136, 16));
}

// ---- Rule 13: misses ----

#[test]
fn a_miss_to_memory_costs_latency_plus_transfer_of_the_line() {
    let body = [lw(T2, S0, 0)];
    // 4 instructions: ideal 8.
    assert_eq!(cycles(preset("textbook"), &body), (8, 4));
    // One fetch miss and one load miss, 50 each: 8 + 50 + 50.
    assert_eq!(cycles(preset("classic-l1"), &body), (108, 4));
    // With 2 cycles per word, a 32-byte (8-word) line costs 50 + 16 = 66:
    // 8 + 66 + 66.
    let mut cfg = preset("classic-l1");
    cfg.memory.transfer_per_word = 2;
    assert_eq!(cycles(cfg.clone(), &body), (140, 4));
    // 64-byte L1D lines: the data fill moves 16 words, 50 + 32 = 82;
    // the fetch still 66: 8 + 66 + 82.
    let l = l1d(&mut cfg);
    l.line_size = 64;
    assert_eq!(cycles(cfg, &body), (156, 4));
}

#[test]
fn an_l1_miss_to_the_l2_costs_its_hit_latency_or_its_miss_to_memory() {
    // Three loads to one L1 set (2 ways) evict A from L1D but not from
    // the L2 (A, B, C lie in different L2 sets); the fourth load of A
    // misses in L1D and hits in the L2.
    let body = [lw(T2, S0, 0), lw(T2, S1, 0), lw(T2, S2, 0), lw(T2, S0, 0)];
    // 7 instructions: ideal 11.
    assert_eq!(cycles(preset("textbook"), &body), (11, 7));
    // The fetch of line 0 and the first three loads miss in both levels:
    // 10 + 100 = 110 each; the fourth load: 10. 11 + 4 × 110 + 10 = 461.
    let m = run(preset("l1-l2-dram"), &body);
    assert_eq!((m.cycle, m.instret), (461, 7));
    assert_eq!(stat(&m, "l1d.misses"), 4);
    assert_eq!(stat(&m, "l2.hits"), 1);

    // Memory transfer counts the L2's line: with 1 cycle per word and
    // 64-byte L2 lines a miss in both levels costs 10 + 100 + 16 = 126.
    // (The fourth load still hits in the L2: A, B and C stay apart.)
    let mut cfg = preset("l1-l2-dram");
    cfg.memory.transfer_per_word = 1;
    cfg.memory.l2.as_mut().expect("an L2").line_size = 64;
    assert_eq!(cycles(cfg, &body), (11 + 4 * 126 + 10, 7));
}

#[test]
fn an_l2_dirty_victim_is_written_to_memory_on_the_l2_miss() {
    // An 8 KiB direct-mapped L2: D evicts A from it.
    let mut cfg = preset("l1-l2-dram");
    let l2 = cfg.memory.l2.as_mut().expect("an L2");
    (l2.size, l2.ways) = (8192, 1);
    let mut m = machine(
        cfg,
        &[sw(T1, S0, 0), lw(T2, S1, 0), lw(T2, S2, 0), lw(T2, S3, 0)],
    );
    m.hart.set_reg(S3, D);
    run_to(&mut m, 0);
    // 7 instructions: ideal 11. Fetch of line 0: 110.
    // sw A: L1D miss, L2 miss: 110 (A dirty in L1D).
    // lw B: 110.
    // lw C: evicts A from L1D: write-back to the L2, a hit there: 10
    //   (A now dirty in the L2); fill of C: 110. 120.
    // lw D: evicts B from L1D (clean); in the L2 it evicts A, dirty:
    //   written to memory, 100; fill of D: 10 + 100. 210.
    // 11 + 110 + 110 + 110 + 120 + 210 = 671.
    assert_eq!((m.cycle, m.instret), (671, 7));
    assert_eq!(stat(&m, "l1d.writebacks"), 1);
    assert_eq!(stat(&m, "l2.writebacks"), 1);
    assert_eq!(m.peek_ram(A, 4), Some(0x1234_5678));
}

// ---- Rule 14: write-backs, write-through and the write buffer ----

#[test]
fn a_dirty_victim_costs_its_write_back_unless_a_write_buffer_takes_it() {
    // sw A (miss, A dirty); lw B (miss); lw C (miss, evicts A: dirty).
    let body = [sw(T1, S0, 0), lw(T2, S1, 0), lw(T2, S2, 0)];
    // 6 instructions: ideal 10.
    assert_eq!(cycles(preset("textbook"), &body), (10, 6));
    // Fetch 50, sw 50, lw B 50, lw C: write-back 50 + fill 50.
    // 10 + 50 + 50 + 50 + 100 = 260.
    let m = run(preset("classic-l1"), &body);
    assert_eq!((m.cycle, m.instret), (260, 6));
    assert_eq!(stat(&m, "l1d.writebacks"), 1);
    assert_eq!(m.peek_ram(A, 4), Some(0x1234_5678));

    // A one-entry write buffer takes the write-back off the load's path:
    // 10 + 4 × 50 = 210. It was empty, so nothing waits.
    let mut cfg = preset("classic-l1");
    l1d(&mut cfg).write_buffer = 1;
    let m = run(cfg, &body);
    assert_eq!((m.cycle, m.instret), (210, 6));
    assert_eq!(stat(&m, "l1d.writebacks"), 1);
    assert_eq!(stat(&m, "memory.write_buffer_full"), 0);
    assert_eq!(m.peek_ram(A, 4), Some(0x1234_5678));
}

fn write_through(buffer: u32) -> MachineConfig {
    let mut cfg = preset("classic-l1");
    let l = l1d(&mut cfg);
    l.write_policy = WritePolicy::WriteThroughNoAllocate;
    l.write_buffer = buffer;
    cfg
}

#[test]
fn write_through_stores_cost_the_write_to_memory_without_a_buffer() {
    let body = [sw(T1, S0, 0), sw(T1, S0, 4)];
    // 5 instructions: ideal 9.
    assert_eq!(cycles(preset("textbook"), &body), (9, 5));
    // No allocation: both stores miss and each writes one word to
    // memory, 50 (+ transfer of one word, 0 here). 9 + 50 + 50 + 50.
    let m = run(write_through(0), &body);
    assert_eq!((m.cycle, m.instret), (159, 5));
    assert_eq!(
        (stat(&m, "l1d.writes"), stat(&m, "l1d.write_misses")),
        (2, 2)
    );
    assert_eq!(m.peek_ram(A + 4, 4), Some(0x1234_5678));
    // With 3 cycles per word a one-word write costs 53: 9 + 50 + 2 × 53.
    let mut cfg = write_through(0);
    cfg.memory.transfer_per_word = 3;
    // The fetch of line 0 moves 8 words: 50 + 24 = 74.
    assert_eq!(cycles(cfg, &body), (9 + 74 + 2 * 53, 5));
}

#[test]
fn write_through_stores_go_into_the_write_buffer() {
    let body = [sw(T1, S0, 0), sw(T1, S0, 4)];
    // Two entries: both stores go into the buffer (the second starts
    // draining when the first is done); nobody waits: 9 + 50.
    let m = run(write_through(2), &body);
    assert_eq!((m.cycle, m.instret), (59, 5));
    assert_eq!(stat(&m, "memory.write_buffer_full"), 0);
    assert_eq!(m.peek_ram(A + 4, 4), Some(0x1234_5678));
}

#[test]
fn a_store_that_finds_the_write_buffer_full_waits_for_the_oldest_entry() {
    // One entry. The first store is in MEM in c53 (after the 50-cycle
    // fetch miss); its entry drains until c103. The second store, in MEM
    // in c54, finds the buffer full and waits 103 − 54 = 49 cycles.
    // 9 + 50 + 49 = 108.
    let body = [sw(T1, S0, 0), sw(T1, S0, 4)];
    let m = run(write_through(1), &body);
    assert_eq!((m.cycle, m.instret), (108, 5));
    assert_eq!(stat(&m, "memory.write_buffer_full"), 1);

    // Two entries drain one after another: stores in MEM in c53, c54,
    // c55 fill entries that drain until c103 and c153; the third store
    // finds both taken and waits for the oldest: 103 − 55 = 48.
    // 6 instructions: ideal 10; 10 + 50 + 48 = 108.
    let body = [sw(T1, S0, 0), sw(T1, S0, 4), sw(T1, S0, 8)];
    assert_eq!(cycles(preset("textbook"), &body), (10, 6));
    let m = run(write_through(2), &body);
    assert_eq!((m.cycle, m.instret), (108, 6));
    assert_eq!(stat(&m, "memory.write_buffer_full"), 1);
}

// ---- Rule 15: a MEM miss freezes the stages behind it ----

#[test]
fn a_mem_miss_holds_mem_for_one_plus_fill_cycles_and_freezes_the_rest() {
    let mut m = machine(
        preset("classic-l1"),
        &[addi(T3, 0, 9), lw(T2, S0, 0), add(T4, T3, T3)],
    );
    // The fetch of line 0 misses: IF holds pc 0 in c0..c50, so
    // instruction k is in stage j in cycle 50 + k + j. The load (k = 1)
    // is in MEM in c54: a miss. The add is in EX then, receiving t3 from
    // the addi in WB (MEM/WB→EX).
    step_through(&mut m, 54);
    assert_eq!(
        stalled_pc(stage(&m, Stage::Mem)),
        Some((
            PC0 + 4,
            StallCause::CacheMiss {
                data: true,
                addr: A,
                left: 50
            }
        ))
    );
    assert_eq!(
        stalled_pc(stage(&m, Stage::Ex)),
        Some((PC0 + 8, StallCause::Behind))
    );
    assert_eq!(pipe(&m).last().retired.map(|t| t.pc), Some(PC0));
    // MEM holds the load c54..c104 (1 + 50 cycles), WB gets bubbles in
    // c55..c104, the load writes back in c105 and the add, which EX
    // finishes in c104, right behind it in c106.
    step(&mut m);
    assert_eq!(stage(&m, Stage::Wb), StageEvent::Bubble);
    assert_eq!(stage(&m, Stage::Ex).tag().map(|t| t.pc), Some(PC0 + 8));
    assert_eq!(retire_cycles(&mut m, PC0 + 4, 1), [106]);
    assert_eq!(retire_cycles(&mut m, PC0 + 8, 1), [107]);
    // The add kept the operand forwarded to it in the miss cycle: the
    // addi had left the pipeline long before the add finished EX.
    assert_eq!(m.hart.reg(T4), 18);
    run_to(&mut m, 0);
    // 6 instructions: ideal 10; + 50 + 50.
    assert_eq!((m.cycle, m.instret), (110, 6));
}

#[test]
fn an_if_miss_sends_bubbles_to_id_while_older_instructions_go_on() {
    // Instructions 0–7 fill line 0; instruction 8 (the exit's first) is
    // in line 1: its fetch misses in c58 and IF holds it c58..c108, while
    // 5, 6 and 7 drain on (7 retires in c61); it is in ID in c109.
    let mut m = machine(preset("classic-l1"), &[nop(); 8]);
    assert_eq!(retire_cycles(&mut m, PC0 + 28, 1), [62]);
    assert_eq!(stage(&m, Stage::Id), StageEvent::Bubble);
    assert_eq!(
        stalled_pc(stage(&m, Stage::If)),
        Some((
            PC0 + 32,
            StallCause::CacheMiss {
                data: false,
                addr: PC0 + 32,
                left: 47
            }
        ))
    );
    run_to(&mut m, 0);
    // 11 instructions: ideal 15; two fetch misses: 15 + 100.
    assert_eq!((m.cycle, m.instret), (115, 11));
}

#[test]
fn if_and_mem_misses_overlap() {
    // l1-l2-dram. Line 0's fetch misses in both levels (110), so
    // instruction k is in IF in c110 + k. The fetch of instruction 8
    // (line 1) misses in both levels in c118: IF holds it c118..c228.
    // The load (instruction 6) reads pc 0, which the L2 holds since that
    // first fetch: in MEM in c119 it misses in L1D and hits in the L2,
    // 10 cycles. The data fill is over long before the instruction fill,
    // which goes on counting down while MEM is frozen: the load costs
    // nothing. 11 instructions: ideal 15; 15 + 110 + 110 = 235.
    let mut body = vec![nop(); 8];
    body[6] = lw(T2, S3, 0);
    let mut m = machine(preset("l1-l2-dram"), &body);
    m.hart.set_reg(S3, PC0);
    run_to(&mut m, 0);
    assert_eq!((m.cycle, m.instret), (235, 11));
    assert_eq!(m.hart.reg(T2), nop());
    assert_eq!(stat(&m, "l2.hits"), 1);

    // classic-l1, both misses 50 cycles: the fetch of instruction 8
    // misses in c58, the load (to A) in c59. The instruction fill ends
    // in c108, inside the data freeze (c59..c108); IF hands instruction
    // 8 to ID in c109, the first cycle the stages move again, so it is in
    // ID in c110 instead of c109: of the second fetch miss only that one
    // cycle shows. 15 + 50 + 50 + 1 = 116 (not 15 + 3 × 50 = 165).
    let mut body = vec![nop(); 8];
    body[6] = lw(T2, S0, 0);
    let m = run(preset("classic-l1"), &body);
    assert_eq!((m.cycle, m.instret), (116, 11));
}

#[test]
fn a_miss_under_a_load_use_stall() {
    // The load misses; its user waits in ID (1 cycle, rule 4) and then
    // behind the fill. 5 instructions: ideal 9 + 1 = 10; + 50 + 50.
    let body = [lw(T2, S0, 0), add(T4, T2, T2)];
    assert_eq!(cycles(preset("textbook"), &body), (10, 5));
    let m = run(preset("classic-l1"), &body);
    assert_eq!((m.cycle, m.instret), (110, 5));
    assert_eq!(pipe(&m).stats.stall_load_use, 1);
    assert_eq!(m.hart.reg(T4), 0);

    // A fetch miss that starts during the stall. 11 instructions: ideal
    // 15 + 1 = 16. Line 0 arrives in c50; load 0 (to A) misses in MEM in
    // c53: + 50, so instruction k ≥ 1 is in stage j in cycle 100 + k + j.
    // Load 6 (A + 4, a hit now) is in EX in c108, its user 7 stalls in ID,
    // and IF fetches 8 (line 1) in c108: a miss, IF holds it c108..c158
    // and it is in ID in c159. The stall would have held it in IF in
    // c108 and c109 anyway (ID in c110), so the miss shows as 49 cycles:
    // 16 + 50 + 50 + 49 = 165.
    let mut body = vec![nop(); 8];
    body[0] = lw(T3, S0, 0);
    body[6] = lw(T2, S0, 4);
    body[7] = add(T4, T2, T2);
    assert_eq!(cycles(preset("textbook"), &body), (16, 11));
    let m = run(preset("classic-l1"), &body);
    assert_eq!((m.cycle, m.instret), (165, 11));
    assert_eq!(pipe(&m).stats.stall_load_use, 1);
}

// ---- Rule 16 and squashed fills ----

#[test]
fn a_wrong_path_fetch_misses_and_its_fill_completes() {
    let body = [
        addi(A0, 0, 0),
        addi(A7, 0, 93),
        jal(0, 20), // to pc 28
        ecall(),    // pc 12
        nop(),
        nop(),
        nop(),
        beq(0, 0, -16), // pc 28, to pc 12; falls through into line 1
        nop(),
    ];
    // Retired: addi, addi, jal, beq, ecall: 5 + 4 + 2 + 2 = 13 ideal.
    let mut m = machine_with_config(preset("textbook"), &body);
    run_to(&mut m, 0);
    assert_eq!((m.cycle, m.instret), (13, 5));

    // classic-l1: line 0 arrives in c50, so the jal is in IF in c52 and
    // resolves in EX in c54; its target, the beq, is fetched in c55. In
    // c56 IF fetches pc 32 down the wrong path: a miss. The beq resolves
    // in EX in c57 and squashes it, but the fill goes on: IF is busy
    // until c106 and fetches the target in c107 instead of c58: + 49.
    // 13 + 50 + 49 = 112.
    let mut m = machine_with_config(preset("classic-l1"), &body);
    step_through(&mut m, 57);
    assert!(matches!(
        pipe(&m).last().stages[Stage::If as usize],
        StageEvent::Flushed(t, FlushCause::Mispredict { .. }) if t.pc == PC0 + 32
    ));
    assert_eq!((pipe(&m).fetch_pc, pipe(&m).if_busy), (PC0 + 12, 49));
    step_through(&mut m, 106);
    assert_eq!(stage(&m, Stage::If), StageEvent::Bubble);
    step(&mut m);
    assert_eq!(stage(&m, Stage::If).tag().map(|t| t.pc), Some(PC0 + 12));
    run_to(&mut m, 0);
    assert_eq!((m.cycle, m.instret), (112, 5));
    assert_eq!(stat(&m, "l1i.fetch_misses"), 2);
    // The line the wrong path brought in stays.
    let h = m.memory.as_ref().expect("caches");
    assert!(h.cache(Level::L1i).expect("L1I").lookup(PC0 + 32).is_some());
}

// ---- fence.i ----

/// Stores `addi a0, zero, 42` over the `addi a0, zero, 7` at pc 12 and
/// dirties one more data line (B), runs `third` (fence.i or nop), then
/// exits with a0.
fn self_modifying(cfg: MachineConfig, third: u32) -> Machine {
    let mut m = machine_with_config(
        cfg,
        &[
            sw(T1, S0, 0),
            sw(T1, S1, 0),
            third,
            addi(A0, 0, 7), // pc 12
            addi(A7, 0, 93),
            ecall(),
        ],
    );
    m.hart.set_reg(S0, PC0 + 12);
    m.hart.set_reg(S1, B);
    m.hart.set_reg(T1, addi(A0, 0, 42));
    m
}

#[test]
fn fence_i_writes_back_the_data_cache_and_refetches_the_new_code() {
    // Ideal: 6 instructions + the fence.i's 2: 12.
    let mut m = self_modifying(preset("textbook"), fence_i());
    run_to(&mut m, 42);
    assert_eq!(m.cycle, 12);

    // classic-l1: fetch of line 0: 50. Both stores miss (MEM in c53 and,
    // 50 later, c104): 50 each; line 0 and B's line are now dirty in
    // L1D, and instruction k ≥ 2 is in stage j in cycle 150 + k + j. The
    // fence.i, in EX from c154, writes both lines back: 100 extra EX
    // cycles (c154..c254), and invalidates L1I. IF, held behind the busy
    // EX, makes its one fetch (pc 16) in c154, after the invalidation:
    // a miss, which refills line 0 from the updated RAM by c204, well
    // inside the write-back. The fence.i redirects in c254 and the
    // refetch of pc 12 in c255 hits, getting the new instruction.
    // 12 + 50 + 50 + 50 + 100 = 262.
    let mut m = self_modifying(preset("classic-l1"), fence_i());
    run_to(&mut m, 42);
    assert_eq!((m.cycle, m.instret), (262, 6));
    assert_eq!(m.peek_ram(PC0 + 12, 4), Some(addi(A0, 0, 42)));
    assert_eq!(m.peek_ram(B, 4), Some(addi(A0, 0, 42)));
    assert_eq!(stat(&m, "l1d.writebacks"), 2);
    // Line 0 at the start and again after the invalidation. The
    // wrong-path fetches behind the exiting ecall read zero parcels
    // (2-byte instructions: pc 24, 26, ...), so they do not reach line 1
    // before the exit.
    assert_eq!(stat(&m, "l1i.fetch_misses"), 2);

    // With a write buffer the write-back costs the fence.i nothing: it
    // redirects in its first EX cycle, c154, in which IF's fetch of pc 16
    // misses (the L1I was just invalidated); that fill runs c154..c204 and
    // pc 12 is fetched (a hit) in c205 instead of c155: + 50.
    // 12 + 4 × 50 = 212.
    let mut cfg = preset("classic-l1");
    l1d(&mut cfg).write_buffer = 1;
    let mut m = self_modifying(cfg, fence_i());
    run_to(&mut m, 42);
    assert_eq!((m.cycle, m.instret), (212, 6));
    assert_eq!(m.peek_ram(PC0 + 12, 4), Some(addi(A0, 0, 42)));
}

#[test]
fn without_fence_i_the_instruction_cache_runs_the_old_code() {
    // Architecturally allowed: the store sits dirty in L1D (RAM is stale)
    // and L1I still holds line 0 as first fetched, so the old addi runs.
    // 6 instructions: 10; + fetch 50 + two store misses 100 = 160.
    let mut m = self_modifying(preset("classic-l1"), nop());
    run_to(&mut m, 7);
    assert_eq!((m.cycle, m.instret), (160, 6));
    assert_eq!(m.peek(PC0 + 12, 4), Some(addi(A0, 0, 42)));
    assert_eq!(m.peek_ram(PC0 + 12, 4), Some(addi(A0, 0, 7)));
    let l1i = m.memory.as_ref().unwrap().l1i.as_ref().unwrap();
    assert_eq!(l1i.peek(PC0 + 12, 4), Some(addi(A0, 0, 7)));
}

// ---- Debugger views ----

#[test]
fn peek_shows_cached_data_and_peek_ram_shows_stale_ram_until_eviction() {
    let m = run(preset("classic-l1"), &[sw(T1, S0, 0)]);
    assert_eq!(m.peek(A, 4), Some(0x1234_5678));
    assert_eq!(m.peek(A + 2, 2), Some(0x1234));
    assert_eq!(m.peek_ram(A, 4), Some(0));
    let h = m.memory.as_ref().expect("caches");
    let l1d = h.cache(Level::L1d).expect("L1D");
    let way = l1d.lookup(A).expect("A cached");
    let line = l1d.line(l1d.set_of(A), way);
    assert!(line.valid && line.dirty);

    // Two more lines in A's set evict it: now RAM has it.
    let m = run(
        preset("classic-l1"),
        &[sw(T1, S0, 0), lw(T2, S1, 0), lw(T2, S2, 0)],
    );
    assert_eq!(m.peek(A, 4), Some(0x1234_5678));
    assert_eq!(m.peek_ram(A, 4), Some(0x1234_5678));
    assert!(
        m.memory
            .as_ref()
            .unwrap()
            .l1d
            .as_ref()
            .unwrap()
            .lookup(A)
            .is_none()
    );
}

#[test]
fn peek_changes_no_cache_state_and_no_statistic() {
    let mut m = machine(
        preset("l1-l2-dram"),
        &[sw(T1, S0, 0), lw(T2, S1, 0), lw(T2, S2, 0), sw(T1, S1, 4)],
    );
    run_to(&mut m, 0);
    let snapshot = |m: &Machine| {
        let h = m.memory.as_ref().expect("caches");
        let mut lines = Vec::new();
        for level in [Level::L1i, Level::L1d, Level::L2] {
            let c = h.cache(level).expect("cache");
            for set in 0..c.sets() {
                for way in 0..c.ways() {
                    lines.push(c.line(set, way));
                }
            }
        }
        (lines, format!("{:?}", m.stats()))
    };
    let before = snapshot(&m);
    for addr in [A, B, C, D, PC0, PC0 + 64, DATA, A + 4] {
        for width in [1, 2, 4] {
            let _ = m.peek(addr, width);
            let _ = m.peek_ram(addr, width);
        }
    }
    assert_eq!(m.peek(B + 4, 4), Some(0x1234_5678));
    assert_eq!(snapshot(&m), before);
    // Peeking an uncached line does not bring it in.
    let l1d = m.memory.as_ref().unwrap().l1d.as_ref().unwrap();
    assert!(l1d.lookup(D).is_none());
}

#[test]
fn poke_keeps_cached_copies_coherent() {
    let mut m = run(preset("classic-l1"), &[lw(T2, S0, 0)]);
    assert!(m.poke(A, 4, 0xabcd));
    assert_eq!(
        (m.peek(A, 4), m.peek_ram(A, 4)),
        (Some(0xabcd), Some(0xabcd))
    );
    let l1d = m.memory.as_ref().unwrap().l1d.as_ref().unwrap();
    assert_eq!(l1d.peek(A, 4), Some(0xabcd));
}

// ---- MMIO ----

#[test]
fn mmio_bypasses_the_caches() {
    let body = [lui(T0, UART >> 12), sb(T1, T0, 0), lbu(T2, T0, 5)];
    // 6 instructions: ideal 10; + the fetch of line 0: 60. The UART
    // accesses cost nothing and never reach L1D.
    assert_eq!(cycles(preset("textbook"), &body), (10, 6));
    let mut m = run(preset("classic-l1"), &body);
    assert_eq!((m.cycle, m.instret), (60, 6));
    assert_eq!(m.take_output(), vec![0x78]);
    assert_eq!(stat(&m, "l1d.accesses"), 0);
    assert_eq!(stat(&m, "l1d.misses"), 0);
    assert_eq!(pipe(&m).stats.stall_dcache, 0);
}

// ---- The single-cycle and functional cores ----

#[test]
fn single_cycle_core_adds_each_access_s_stall_cycles() {
    let body = [lw(T2, S0, 0), lw(T3, S0, 4)];
    let single = |name: &str| {
        let mut cfg = preset(name);
        cfg.core.model = CoreModel::SingleCycle;
        cfg
    };
    // 5 instructions; the first fetch and the first load miss: 5 + 50 + 50.
    let m = run(single("classic-l1"), &body);
    assert!(m.pipeline.is_none());
    assert_eq!((m.cycle, m.instret), (105, 5));
    assert_eq!((stat(&m, "l1d.misses"), stat(&m, "l1d.hits")), (1, 1));
    // With the L2: 5 + 110 + 110.
    assert_eq!(cycles(single("l1-l2-dram"), &body), (225, 5));
    // Dirty eviction: sw A, lw B, lw C: 6 + 50 + 50 + 50 + (50 + 50).
    let body = [sw(T1, S0, 0), lw(T2, S1, 0), lw(T2, S2, 0)];
    assert_eq!(cycles(single("classic-l1"), &body), (256, 6));
    // fence.i: fetch 50, the stores 50 each, its write-back of two lines
    // 100, the refetch of pc 12 50 (nothing overlaps here): 6 + 300.
    let mut m = self_modifying(single("classic-l1"), fence_i());
    run_to(&mut m, 42);
    assert_eq!((m.cycle, m.instret), (306, 6));
}

#[test]
fn functional_core_has_no_caches() {
    let mut cfg = preset("classic-l1");
    cfg.core.model = CoreModel::Functional;
    let m = run(cfg, &[lw(T2, S0, 0), sw(T1, S0, 0)]);
    assert!(m.memory.is_none());
    assert_eq!((m.cycle, m.instret), (5, 5));
    assert_eq!(m.peek_ram(A, 4), Some(0x1234_5678));
    assert!(m.stats().iter().all(|s| !s.name.starts_with("l1")));
}

// ---- Configuration checks ----

#[test]
fn invalid_cache_configurations_are_rejected_naming_the_field() {
    type Edit = fn(&mut MachineConfig);
    let cases: [(Edit, &str); 9] = [
        (|c| l1d(c).line_size = 24, "memory.l1d.line_size"),
        (|c| l1d(c).line_size = 2, "memory.l1d.line_size"),
        (|c| l1d(c).size = 3000, "memory.l1d.size"),
        (|c| l1i(c).ways = 0, "memory.l1i.ways"),
        (|c| l1d(c).hit_latency = 0, "memory.l1d.hit_latency"),
        (|c| l1d(c).write_buffer = 100_000, "memory.l1d.write_buffer"),
        (
            |c| {
                let l = l1i(c);
                (l.size, l.ways, l.replacement) = (3072, 3, Replacement::TreePlru);
            },
            "memory.l1i.replacement",
        ),
        (
            |c| c.memory.l2.as_mut().unwrap().line_size = 16,
            "memory.l2.line_size",
        ),
        (|c| c.memory.latency = 1_000_000, "memory.latency"),
    ];
    for (edit, field) in cases {
        let mut cfg = preset("l1-l2-dram");
        edit(&mut cfg);
        match cfg.validate() {
            Err(ConfigError::Invalid { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{field}: {other:?}"),
        }
        let err = Machine::new(cfg).expect_err(field).to_string();
        assert!(err.contains(field), "{field}: {err}");
    }
    // The presets themselves are valid.
    for name in ["classic-l1", "l1-l2-dram"] {
        assert_eq!(preset(name).validate(), Ok(()));
    }
}

// ---- Determinism ----

#[test]
fn cached_runs_are_deterministic() {
    // Sum 150 words 36 bytes apart (more lines than L1D holds), storing
    // each running sum back: misses, write-backs and conflicts on every
    // level. Run twice from scratch, and once more in slices of 7 cycles.
    let body = [
        addi(T0, 0, 150),
        lw(T2, S0, 0), // loop
        add(T3, T3, T2),
        sw(T3, S0, 0),
        addi(S0, S0, 36),
        addi(T0, T0, -1),
        bne(T0, 0, -20),
    ];
    let mut random = preset("l1-l2-dram");
    l1d(&mut random).replacement = Replacement::Random { seed: 7 };
    l1d(&mut random).write_buffer = 2;
    random.memory.l2.as_mut().unwrap().replacement = Replacement::Random { seed: 9 };
    let mut through = preset("classic-l1");
    l1d(&mut through).write_policy = WritePolicy::WriteThroughNoAllocate;
    l1d(&mut through).write_buffer = 1;
    through.memory.transfer_per_word = 1;
    let mut single = preset("l1-l2-dram");
    single.core.model = CoreModel::SingleCycle;
    for (name, cfg) in [
        ("classic-l1", preset("classic-l1")),
        ("l1-l2-dram", preset("l1-l2-dram")),
        ("random", random),
        ("write-through", through),
        ("single-cycle", single),
    ] {
        let outcome = |m: &Machine| (m.cycle, m.instret, format!("{:?}", m.stats()));
        let a = run(cfg.clone(), &body);
        let b = run(cfg.clone(), &body);
        assert_eq!(outcome(&a), outcome(&b), "{name}");
        assert!(stat(&a, "l1d.misses") > 100, "{name}");
        let mut c = machine(cfg, &body);
        let stop = loop {
            match c.run(7) {
                StopReason::CycleLimit => continue,
                stop => break stop,
            }
        };
        assert_eq!(stop, StopReason::Halted(Halt::Exited(0)), "{name}");
        assert_eq!(outcome(&c), outcome(&a), "{name}");
    }
}
