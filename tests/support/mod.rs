//! Shared helpers for the instruction-level tests (`tests/isa_*.rs`).
#![allow(dead_code)]

pub mod enc;

use enc::Reg;
use glassbox::config::{MachineConfig, Misaligned};
use glassbox::{Halt, Machine, StopReason};

pub const RAM_BASE: u32 = 0x8000_0000;
pub const RAM_SIZE: u32 = 64 << 20;
/// One past the last byte of the default RAM.
pub const RAM_END: u32 = RAM_BASE + RAM_SIZE;
/// Where the tests put their trap handlers.
pub const HANDLER: u32 = 0x8000_4000;
/// A scratch data area well away from code.
pub const DATA: u32 = 0x8001_0000;

pub const UART: u32 = 0x1000_0000;
pub const UART_LSR: u32 = UART + 5;
pub const CLINT: u32 = 0x0200_0000;
pub const MSIP: u32 = CLINT;
pub const MTIMECMP: u32 = CLINT + 0x4000;
pub const MTIME: u32 = CLINT + 0xbff8;

pub const MSTATUS_MIE: u32 = 1 << 3;
pub const MSTATUS_MPIE: u32 = 1 << 7;
pub const MSTATUS_MPP: u32 = 3 << 11;
pub const MIE_MSIE: u32 = 1 << 3;
pub const MIE_MTIE: u32 = 1 << 7;
pub const MIE_MEIE: u32 = 1 << 11;

pub const CAUSE_MISALIGNED_FETCH: u32 = 0;
pub const CAUSE_FETCH_ACCESS: u32 = 1;
pub const CAUSE_ILLEGAL: u32 = 2;
pub const CAUSE_BREAKPOINT: u32 = 3;
pub const CAUSE_MISALIGNED_LOAD: u32 = 4;
pub const CAUSE_LOAD_ACCESS: u32 = 5;
pub const CAUSE_MISALIGNED_STORE: u32 = 6;
pub const CAUSE_STORE_ACCESS: u32 = 7;
pub const CAUSE_ECALL_M: u32 = 11;
pub const IRQ_SOFTWARE: u32 = 0x8000_0003;
pub const IRQ_TIMER: u32 = 0x8000_0007;

// ABI register numbers.
pub const ZERO: Reg = 0;
pub const RA: Reg = 1;
pub const SP: Reg = 2;
pub const GP: Reg = 3;
pub const TP: Reg = 4;
pub const T0: Reg = 5;
pub const T1: Reg = 6;
pub const T2: Reg = 7;
pub const S0: Reg = 8;
pub const S1: Reg = 9;
pub const A0: Reg = 10;
pub const A1: Reg = 11;
pub const A2: Reg = 12;
pub const A3: Reg = 13;
pub const A4: Reg = 14;
pub const A5: Reg = 15;
pub const A6: Reg = 16;
pub const A7: Reg = 17;
pub const S2: Reg = 18;
pub const T3: Reg = 28;
pub const T6: Reg = 31;

/// A default machine (64 MiB RAM) with `program` at the start of RAM.
pub fn machine_with(program: &[u32]) -> Machine {
    machine_with_config(MachineConfig::default(), program)
}

/// Like `machine_with`, with misaligned accesses performed byte by byte.
pub fn machine_emulating_misaligned(program: &[u32]) -> Machine {
    let config = MachineConfig {
        misaligned: Misaligned::Emulate,
        ..MachineConfig::default()
    };
    machine_with_config(config, program)
}

pub fn machine_with_config(config: MachineConfig, program: &[u32]) -> Machine {
    let mut m = Machine::new(config).expect("valid configuration");
    load(&mut m, RAM_BASE, program);
    assert_eq!(m.hart.pc, RAM_BASE);
    m
}

/// Writes instruction (or data) words at `addr`.
pub fn load(m: &mut Machine, addr: u32, words: &[u32]) {
    let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
    assert!(
        m.bus.ram.write_bytes(addr, &bytes),
        "{addr:#x} is not in RAM"
    );
}

/// Concatenates instruction sequences (for programs using `enc::li`).
pub fn prog(parts: &[&[u32]]) -> Vec<u32> {
    parts.iter().flat_map(|p| p.iter().copied()).collect()
}

/// Runs exactly `n` single steps, each of which must end by the cycle limit.
pub fn steps(m: &mut Machine, n: usize) {
    for i in 0..n {
        let r = m.step();
        assert_eq!(r, StopReason::CycleLimit, "step {i} at pc {:#x}", m.hart.pc);
    }
}

/// A machine running the single instruction `inst` once, with registers set
/// first. Asserts that it retired without trapping.
pub fn exec1(inst: u32, regs: &[(Reg, u32)]) -> Machine {
    let mut m = machine_with(&[inst]);
    for &(r, v) in regs {
        m.hart.set_reg(r, v);
    }
    assert_eq!(m.step(), StopReason::CycleLimit);
    assert_eq!(
        (m.hart.pc, m.cycle, m.instret, m.hart.mcause),
        (RAM_BASE + 4, 1, 1, 0),
        "{inst:#010x} must retire normally"
    );
    m
}

/// The state a synchronous trap leaves, for exact comparison.
#[derive(Debug, PartialEq, Eq)]
pub struct TrapState {
    pub pc: u32,
    pub mepc: u32,
    pub mcause: u32,
    pub mtval: u32,
}

pub fn trap_state(m: &Machine) -> TrapState {
    TrapState {
        pc: m.hart.pc,
        mepc: m.hart.mepc,
        mcause: m.hart.mcause,
        mtval: m.hart.mtval,
    }
}

/// Sets `mtvec` to `HANDLER` (direct mode).
pub fn install_handler(m: &mut Machine) {
    m.hart.mtvec = HANDLER;
}

/// The error message of a machine that halted with `Halt::Error`.
pub fn halt_error(m: &Machine) -> String {
    match &m.halt {
        Some(Halt::Error(msg)) => msg.clone(),
        other => panic!("expected Halt::Error, got {other:?}"),
    }
}

/// Reads `len` bytes of RAM.
pub fn ram_bytes(m: &Machine, addr: u32, len: u32) -> Vec<u8> {
    m.bus.ram.slice(addr, len).expect("in RAM").to_vec()
}

/// Everything a user can observe of a machine on a pipelined core, as
/// text, but RAM (compare `bus.ram` apart: it is large): architectural
/// state, counters, the last store, the pipeline registers
/// (the fields their stage has written so far), the last cycle's record
/// and the pipeline view. Two runs that agree on this are
/// indistinguishable.
pub fn observable(m: &Machine) -> String {
    use glassbox::pipeline::latch::Slot;
    let Some(p) = m.pipeline.as_deref() else {
        return format!("{:?} {:?} {:?}", m.cycle, m.instret, m.hart);
    };
    // A pipeline register holds, besides what its stages wrote, whatever
    // its slot held before: meaningless, and never read.
    let fetched = |s: Option<&Slot>| {
        s.map(|s| {
            (
                s.tag,
                s.predicted_next,
                s.fault,
                s.resolved_next,
                s.operands_latched,
            )
        })
    };
    let decoded = |s: Option<&Slot>| {
        s.map(|s| {
            (
                fetched(Some(s)),
                s.inst,
                s.class,
                s.dest,
                s.srcs,
                s.rs1_value,
                s.rs2_value,
            )
        })
    };
    let executed =
        |s: Option<&Slot>| s.map(|s| (decoded(Some(s)), s.alu_result, s.store_data, s.next_pc));
    format!(
        "cycle {} instret {} halt {:?}\nhart {:?}\nlast store {:?}\n\
         fetch {:#x} seq {} busy {} {} {} keep {}\nif {:?}\nid {:?}\nex {:?}\nmem {:?}\nwb {:?}\n\
         last {:?}\nretired {:?}\nstats {:?}\npredictor {:?}\nview {:?}\nevents {:?}\nout {:?}",
        m.cycle,
        m.instret,
        m.halt,
        m.hart,
        m.last_store,
        p.fetch_pc,
        p.next_seq,
        p.if_busy,
        p.mem_busy,
        p.ex_cycles,
        p.keep_pc_at_retire,
        fetched(p.if_hold()),
        fetched(p.if_id()),
        decoded(p.id_ex()),
        executed(p.ex_mem()),
        p.mem_wb(),
        p.last(),
        p.last_retired(),
        p.stats,
        p.predictor.view(),
        p.view(m),
        p.events(m),
        m.bus.uart.output,
    )
}

/// The lines where two `observable` states differ (the states are long).
pub fn first_differences(a: &str, b: &str) -> String {
    let mut out = String::new();
    for (la, lb) in a.lines().zip(b.lines()).filter(|(x, y)| x != y).take(6) {
        let cut = |s: &str| s.chars().take(1500).collect::<String>();
        out += &format!("fast path:      {}\ncycle by cycle: {}\n", cut(la), cut(lb));
    }
    out
}

/// Runs `fast` (fast path allowed) and `slow` (cycle by cycle) through the
/// same `run(n)` calls, one per item of `stops`, until a run ends other
/// than at its cycle limit or `stops` runs out. After every stop the two
/// must agree on how the run stopped, on everything `observable` and on
/// RAM. Returns how the last run stopped, or the first difference.
pub fn compare_stops(
    fast: &mut Machine,
    slow: &mut Machine,
    stops: impl IntoIterator<Item = u64>,
) -> Result<StopReason, String> {
    let mut last = StopReason::CycleLimit;
    for (k, n) in stops.into_iter().enumerate() {
        let (k, cycle) = (k + 1, slow.cycle);
        let (a, b) = (fast.run(n), slow.run(n));
        let (oa, ob) = (observable(fast), observable(slow));
        if a != b || oa != ob {
            return Err(format!(
                "differs after stop {k} (run({n}) from cycle {cycle}): {a:?} / {b:?}\n{}",
                first_differences(&oa, &ob)
            ));
        }
        if fast.bus.ram.as_bytes() != slow.bus.ram.as_bytes() {
            return Err(format!(
                "RAM differs after stop {k} (run({n}) from cycle {cycle})"
            ));
        }
        last = a;
        if last != StopReason::CycleLimit {
            break;
        }
    }
    Ok(last)
}
