//! Exact-cycle tests of the atomics on the five-stage core
//! (`docs/timing.md`, "Atomics"): one MEM cycle with ideal memory, the
//! result forwarded like a load's (load-use stall), and a read plus a write
//! in the data cache.

mod support;

use glassbox::config::MachineConfig;
use glassbox::{Halt, Machine, StopReason};
use support::enc::*;
use support::*;

/// `amo*.w`/`lr.w`/`sc.w` (funct5) rd, rs2, (rs1), no aq/rl.
fn amo(f5: u32, rd: Reg, rs1: Reg, rs2: Reg) -> u32 {
    (f5 << 27) | ((rs2 as u32) << 20) | ((rs1 as u32) << 15) | (2 << 12) | ((rd as u32) << 7) | 0x2f
}
const AMOADD: u32 = 0b00000;
const LR: u32 = 0b00010;
const SC: u32 = 0b00011;

fn exit() -> Vec<u32> {
    vec![addi(A0, 0, 0), addi(A7, 0, 93), ecall()]
}

fn run(preset: &str, body: &[u32]) -> Machine {
    let cfg = MachineConfig::preset(preset).expect("preset exists");
    // a1 = DATA (0x8001_0000), a2 = 5.
    let setup = [lui(A1, DATA >> 12), addi(A2, 0, 5)];
    let mut m = machine_with_config(cfg, &prog(&[&setup, body, &exit()]));
    assert_eq!(m.run(100_000), StopReason::Halted(Halt::Exited(0)));
    m
}

fn load_use_stalls(m: &Machine) -> u64 {
    m.pipeline
        .as_ref()
        .expect("five-stage")
        .stats
        .stall_load_use
}

#[test]
fn an_amo_takes_one_mem_cycle_and_forwards_like_a_load() {
    // 2 setup + 1 + 3 exit instructions, 4 cycles to drain.
    let m = run("textbook", &[amo(AMOADD, A3, A1, A2)]);
    assert_eq!((m.cycle, m.instret), (10, 6));
    assert_eq!(load_use_stalls(&m), 0);
    // A dependent instruction right behind it waits one cycle, as behind
    // a load, and then gets the old memory value from MEM/WB.
    let m = run("textbook", &[amo(AMOADD, A3, A1, A2), add(A4, A3, A3)]);
    assert_eq!((m.cycle, m.instret), (12, 7));
    assert_eq!(load_use_stalls(&m), 1);
    assert_eq!(m.hart.reg(A4), 0);
    assert_eq!(m.peek(DATA, 4), Some(5));
    // The same program with `lw` in its place has the same timing.
    let m = run("textbook", &[lw(A3, A1, 0), add(A4, A3, A3)]);
    assert_eq!(m.cycle, 12);
    // One instruction between: no stall.
    let m = run(
        "textbook",
        &[amo(AMOADD, A3, A1, A2), nop(), add(A4, A3, A3)],
    );
    assert_eq!((m.cycle, load_use_stalls(&m)), (12, 0));
}

#[test]
fn lr_and_sc_time_like_loads_and_stores() {
    let m = run(
        "textbook",
        &[amo(LR, A3, A1, 0), amo(SC, A4, A1, A2), add(A5, A4, A4)],
    );
    // lr, sc, add: the add waits one cycle for sc's result.
    assert_eq!((m.cycle, m.instret), (13, 8));
    assert_eq!(load_use_stalls(&m), 1);
    assert_eq!((m.hart.reg(A4), m.peek(DATA, 4)), (0, Some(5)));
    // Without forwarding the consumer waits for WB like any other (rs2 is
    // x0 here, so the AMO itself waits on nothing the load does not).
    let m = run("no-forwarding", &[amo(AMOADD, A3, A1, 0), add(A4, A3, A3)]);
    let lw = run("no-forwarding", &[lw(A3, A1, 0), add(A4, A3, A3)]);
    assert_eq!(m.cycle, lw.cycle);
}

#[test]
fn in_the_data_cache_an_amo_is_a_read_then_a_write() {
    // Cold classic-l1: the AMO's read misses and fills the line; its write
    // then hits it. `lw` then `sw` to the same word does the same two
    // accesses in two instructions, so it takes exactly one cycle more.
    let amo_run = run("classic-l1", &[amo(AMOADD, A3, A1, A2)]);
    let pair = run("classic-l1", &[lw(A3, A1, 0), sw(A2, A1, 0)]);
    assert_eq!(amo_run.cycle + 1, pair.cycle);
    let d = |m: &Machine| {
        let h = m.memory.as_ref().expect("caches");
        let s = h.l1d.as_ref().expect("an L1 data cache").stats();
        (
            s.read.accesses,
            s.write.accesses,
            s.read.misses,
            s.write.misses,
        )
    };
    assert_eq!(d(&amo_run), d(&pair));
    assert_eq!(d(&amo_run), (1, 1, 1, 0));
    // A failed sc touches no memory.
    let m = run("classic-l1", &[amo(SC, A4, A1, A2)]);
    assert_eq!(d(&m), (0, 0, 0, 0));
    assert_eq!(m.hart.reg(A4), 1);
}

/// Random programs mixing atomics with loads, stores and ALU operations on
/// a few registers and four data words (dependency chains, reservations
/// broken by stores, sc without lr), checked instruction by instruction
/// against the functional core on pipelines with and without forwarding,
/// early branches and caches.
#[test]
fn random_programs_with_atomics_cosimulate() {
    use glassbox::cosim::Cosim;
    let mut seed: u64 = 0x5eed_a70c;
    let mut next = move |n: u32| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((seed >> 33) as u32) % n
    };
    // s0 = DATA; s1..s3 = DATA + 4, 8, 12 (aligned addresses).
    const BASES: [Reg; 4] = [S0, S1, 19, 20];
    const REGS: [Reg; 5] = [A2, A3, A4, A5, T0];
    for round in 0..12 {
        let mut p = vec![
            lui(S0, DATA >> 12),
            addi(S1, S0, 4),
            addi(19, S0, 8),
            addi(20, S0, 12),
        ];
        for _ in 0..40 {
            let rd = REGS[next(5) as usize];
            let rs = REGS[next(5) as usize];
            let base = BASES[next(4) as usize];
            let f5 = [
                0b00000, 0b00001, 0b00100, 0b01000, 0b01100, 0b10000, 0b10100, 0b11000, 0b11100,
                LR, SC,
            ][next(11) as usize];
            p.push(match next(6) {
                0 | 1 => amo(f5, rd, base, if f5 == LR { 0 } else { rs }),
                2 => lw(rd, base, 0),
                3 => sw(rs, base, 0),
                4 => add(rd, rs, REGS[next(5) as usize]),
                _ => addi(rd, rs, next(64) as i32 - 32),
            });
        }
        p.extend(exit());
        for preset in [
            "textbook",
            "no-forwarding",
            "branch-in-id",
            "classic-l1",
            "gshare",
        ] {
            let cfg = MachineConfig::preset(preset).expect("preset");
            let m = machine_with_config(cfg, &p);
            let mut c = Cosim::new(m).expect("cosim on a pipeline");
            match c.run(100_000) {
                Ok(StopReason::Halted(Halt::Exited(0))) => {}
                Ok(other) => panic!("round {round} on {preset}: {other:?}"),
                Err(d) => panic!("round {round} on {preset}: {d}"),
            }
        }
    }
}
