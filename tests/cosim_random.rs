//! Random programs, dense in hazards, under the lockstep co-simulation
//! checker on every five-stage configuration with hazard detection: the
//! timing core must retire exactly what the functional reference does.
//!
//! Programs use a pool of five registers, so that dependencies at distance
//! 1, 2 and 3 are the rule. They mix ALU, `lui`/`auipc`, M-extension ops
//! (division by zero and overflow included), loads and stores to a small
//! buffer (through a fixed base and through addresses computed just
//! before), forward branches and jumps, `jalr` to `auipc`-computed targets,
//! calls to subroutines, counted loops (the only backward branches), CSR
//! accesses, fences, self-modifying code behind `fence.i`, MMIO (UART output,
//! `mtime`) and traps (misaligned accesses, access faults, `ebreak`,
//! illegal instructions, `ecall`, misaligned jump and branch targets) taken
//! by a handler that skips the culprit. They end with an `exit` syscall.
//!
//! The `rvc_*` tests run the same programs with about three in four of the
//! instructions that have a compressed form emitted as that form, so that
//! 32-bit instructions sit at 2-byte boundaries and straddle cache lines.
//! There the handler skips the culprit by its length (the low bits of its
//! first parcel), and the handler and the self-modifying sequences stay
//! word-aligned (`Asm::Align4`) with the latter kept 32-bit.
//!
//! Also checks that the checker itself notices a difference, and that the
//! five-stage core's fast path (`src/pipeline/fast.rs`) leaves every run,
//! stopped anywhere, exactly as the cycle model does.

mod support;

use glassbox::config::{BranchStage, MachineConfig, PredictorConfig};
use glassbox::cosim::Cosim;
use glassbox::symbols::SymbolTable;
use glassbox::{Halt, Machine, StopReason};
use proptest::prelude::*;
use support::enc::*;
use support::{A0, A1, A7, DATA, RA, RAM_BASE, S0, T0, T1, T2, compare_stops};

/// Registers the random instructions read and write.
const POOL: [Reg; 5] = [T0, T1, T2, A0, A1];
/// Holds `DATA`, the base of the data buffer; never written after setup.
const BASE: Reg = S0;
/// The loop counter; only loop headers and tails write it.
const LOOP: Reg = 9; // s1
/// The trap handler's scratch registers; nothing else uses them.
const T5: Reg = 30;
const T6: Reg = 31;
/// Bytes of the data buffer at `DATA` (accesses reach `DATA + 127`).
const DATA_LEN: usize = 128;
/// RAM for the random programs: code from `RAM_BASE`, data at `DATA`.
const RAM_SIZE: u32 = 0x2_0000;
/// Cycle cap per run: generous for the longest program on the slowest core.
const CAP: u64 = 200_000;

/// `addi x0, sp, 0`, a 32-bit no-op whose upper parcel (0x0001) is
/// `c.nop`: a jump to its second half runs one compressed no-op and goes
/// on after it, so jumps into the middle of an instruction neither trap
/// (IALIGN is 16) nor run into garbage that may loop.
const NOP_WITH_C_NOP_ABOVE: u32 = 0x0001_0013;
const CSR_MSCRATCH: u16 = 0x340;
const CSR_MEPC: u16 = 0x341;
const CSR_MCAUSE: u16 = 0x342;
const CSR_MTVAL: u16 = 0x343;
const CSR_MTVEC: u16 = 0x305;
const CSR_MISA: u16 = 0x301;
const CSR_MCYCLE: u16 = 0xb00;
const CSR_MINSTRET: u16 = 0xb02;
const CSR_CYCLE: u16 = 0xc00;
const CSR_TIME: u16 = 0xc01;
const CSR_INSTRET: u16 = 0xc02;

// ---- configurations ----------------------------------------------------------

/// A preset with a small RAM: each run builds (and the checker clones) a
/// machine, and 64 MiB of RAM per run would dominate the test's time.
fn preset(name: &str) -> MachineConfig {
    let mut c = MachineConfig::preset(name).unwrap_or_else(|| panic!("preset {name} exists"));
    c.ram_size = RAM_SIZE;
    c
}

fn textbook_slow_muldiv() -> MachineConfig {
    let mut c = preset("textbook");
    c.core.mul_latency = 3;
    c.core.div_latency = 12;
    c
}

fn branch_in_id_no_forwarding() -> MachineConfig {
    let mut c = preset("branch-in-id");
    c.core.forwarding = false;
    c
}

/// Not a preset: static BTFNT prediction with branches in EX, which the
/// fast path covers, and short multi-cycle multiply and divide.
fn btfnt_ex_muldiv() -> MachineConfig {
    let mut c = btfnt_id_muldiv();
    c.core.branch_resolution = BranchStage::Ex;
    c
}

/// Not a preset: static BTFNT prediction, branches in ID, short multi-cycle
/// multiply and divide.
fn btfnt_id_muldiv() -> MachineConfig {
    let mut c = preset("textbook");
    c.core.predictor = PredictorConfig::StaticBtfnt;
    c.core.branch_resolution = BranchStage::Id;
    c.core.mul_latency = 2;
    c.core.div_latency = 5;
    c
}

/// Tiny caches, so the random programs evict, write back and refill all
/// the time: direct-mapped write-back L1D, FIFO L1I, a random-replacement
/// write-through L2 in front of memory.
fn tiny_caches() -> MachineConfig {
    use glassbox::memory::{CacheConfig, Replacement, WritePolicy};
    let cache = |size, ways, replacement, write_policy, write_buffer, hit_latency| CacheConfig {
        size,
        line_size: 16,
        ways,
        replacement,
        write_policy,
        write_buffer,
        hit_latency,
    };
    let mut c = preset("textbook");
    c.memory.l1i = Some(cache(
        128,
        2,
        Replacement::Fifo,
        WritePolicy::WriteBackAllocate,
        0,
        1,
    ));
    c.memory.l1d = Some(cache(
        128,
        1,
        Replacement::Lru,
        WritePolicy::WriteBackAllocate,
        0,
        1,
    ));
    c.memory.l2 = Some(cache(
        512,
        4,
        Replacement::Random { seed: 3 },
        WritePolicy::WriteThroughNoAllocate,
        0,
        3,
    ));
    c.memory.latency = 7;
    c.memory.transfer_per_word = 1;
    c
}

/// The full hierarchy preset.
fn l1_l2_dram() -> MachineConfig {
    preset("l1-l2-dram")
}

// ---- programs ----------------------------------------------------------------

/// Where a load or store goes.
#[derive(Clone, Debug)]
enum Addr {
    /// `slot`-th aligned element from `DATA`.
    Base { slot: u8 },
    /// `andi tmp, src, mask; add tmp, tmp, s0`, then the `slot`-th aligned
    /// element from `tmp`: the address depends on the instruction before.
    Computed { tmp: Reg, src: Reg, slot: u8 },
}

#[derive(Clone, Debug)]
enum Spec {
    /// Register-register op `f` of `RR_OPS` (the last 8 are M-extension).
    Rr {
        f: usize,
        rd: Reg,
        rs1: Reg,
        rs2: Reg,
    },
    /// Register-immediate op `f` of `RI_OPS`.
    Ri {
        f: usize,
        rd: Reg,
        rs1: Reg,
        imm: i32,
    },
    Upper {
        auipc: bool,
        rd: Reg,
        imm20: u32,
    },
    /// Load kind `w` (lb, lh, lw, lbu, lhu).
    Load {
        w: usize,
        rd: Reg,
        addr: Addr,
    },
    /// Store kind `w` (sb, sh, sw).
    Store {
        w: usize,
        rs2: Reg,
        addr: Addr,
    },
    /// A forward conditional branch over `skip` items.
    Branch {
        f3: u32,
        rs1: Reg,
        rs2: Reg,
        skip: usize,
    },
    Jal {
        rd: Reg,
        skip: usize,
    },
    /// `auipc tmp; addi tmp; jalr rd, 0(tmp)` forward over `skip` items.
    Jalr {
        tmp: Reg,
        rd: Reg,
        skip: usize,
    },
    /// `jal ra, sub` (modulo the number of subroutines).
    Call {
        sub: usize,
    },
    Csr {
        k: usize,
        rd: Reg,
        rs: Reg,
        uimm: u32,
    },
    Fence,
    FenceI,
    /// A trapping (or possibly trapping) instruction of kind `k`.
    Trap {
        k: usize,
        rd: Reg,
        rs: Reg,
        tmp: Reg,
    },
    /// A UART or CLINT access of kind `k`.
    Mmio {
        k: usize,
        rd: Reg,
        rs: Reg,
        tmp: Reg,
    },
    /// Rewrites the instruction right after its `fence.i` with
    /// `RR_OPS[f] rd, rs1, rs2`, then executes it.
    Smc {
        a: usize,
        b: usize,
        f: usize,
        rd: Reg,
        rs1: Reg,
        rs2: Reg,
    },
}

#[derive(Clone, Debug)]
enum Top {
    S(Spec),
    /// `count` iterations of `body` (the counter is `s1`).
    Loop {
        count: i32,
        body: Vec<Spec>,
    },
}

#[derive(Clone, Debug)]
struct Program {
    init: Vec<u32>,
    data: Vec<u8>,
    items: Vec<Top>,
    subs: Vec<Vec<Spec>>,
    exit_reg: Reg,
}

type RrFn = fn(Reg, Reg, Reg) -> u32;
const RR_OPS: [RrFn; 18] = [
    add, sub, sll, slt, sltu, xor, srl, sra, or, and, mul, mulh, mulhsu, mulhu, div, divu, rem,
    remu,
];
type RiFn = fn(Reg, Reg, i32) -> u32;
const RI_OPS: [RiFn; 6] = [addi, slti, sltiu, xori, ori, andi];
type ShFn = fn(Reg, Reg, u32) -> u32;
const SH_OPS: [ShFn; 3] = [slli, srli, srai];
const LOADS: [(RiFn, u32); 5] = [(lb, 1), (lh, 2), (lw, 4), (lbu, 1), (lhu, 2)];
const STORES: [(RiFn, u32); 3] = [(sb, 1), (sh, 2), (sw, 4)];

fn pool() -> impl Strategy<Value = Reg> {
    proptest::sample::select(&POOL[..])
}

/// A destination: mostly the pool, sometimes x0.
fn dst() -> impl Strategy<Value = Reg> {
    prop_oneof![12 => pool(), 1 => Just(0)]
}

/// A source: mostly the pool, sometimes x0, the loop counter or the base.
fn src() -> impl Strategy<Value = Reg> {
    prop_oneof![20 => pool(), 2 => Just(0), 1 => Just(LOOP), 1 => Just(BASE)]
}

fn imm12() -> impl Strategy<Value = i32> {
    prop_oneof![-4..4i32, -2048..2048i32]
}

fn value() -> impl Strategy<Value = u32> {
    prop_oneof![
        Just(0u32),
        Just(1),
        Just(u32::MAX),
        Just(0x8000_0000),
        Just(0x7fff_ffff),
        (-16i32..16).prop_map(|v| v as u32),
        any::<u32>(),
    ]
}

fn addr() -> impl Strategy<Value = Addr> {
    prop_oneof![
        any::<u8>().prop_map(|slot| Addr::Base { slot }),
        (pool(), src(), any::<u8>()).prop_map(|(tmp, src, slot)| Addr::Computed { tmp, src, slot }),
    ]
}

/// Straight-line instructions (also what subroutines are made of).
fn compute() -> impl Strategy<Value = Spec> {
    prop_oneof![
        10 => (0..18usize, dst(), src(), src())
            .prop_map(|(f, rd, rs1, rs2)| Spec::Rr { f, rd, rs1, rs2 }),
        6 => (0..9usize, dst(), src(), imm12())
            .prop_map(|(f, rd, rs1, imm)| Spec::Ri { f, rd, rs1, imm }),
        2 => (any::<bool>(), dst(), 0u32..(1 << 20))
            .prop_map(|(auipc, rd, imm20)| Spec::Upper { auipc, rd, imm20 }),
        5 => (0..5usize, dst(), addr()).prop_map(|(w, rd, addr)| Spec::Load { w, rd, addr }),
        4 => (0..3usize, src(), addr()).prop_map(|(w, rs2, addr)| Spec::Store { w, rs2, addr }),
        3 => (0..15usize, dst(), src(), 0u32..32)
            .prop_map(|(k, rd, rs, uimm)| Spec::Csr { k, rd, rs, uimm }),
    ]
}

fn control() -> impl Strategy<Value = Spec> {
    prop_oneof![
        5 => (0..6u32, src(), src(), 0..5usize)
            .prop_map(|(f, rs1, rs2, skip)| Spec::Branch { f3: [0, 1, 4, 5, 6, 7][f as usize], rs1, rs2, skip }),
        1 => (dst(), 0..4usize).prop_map(|(rd, skip)| Spec::Jal { rd, skip }),
        1 => (pool(), dst(), 0..4usize).prop_map(|(tmp, rd, skip)| Spec::Jalr { tmp, rd, skip }),
        2 => any::<usize>().prop_map(|sub| Spec::Call { sub }),
        1 => Just(Spec::Fence),
        1 => Just(Spec::FenceI),
        3 => (0..11usize, dst(), src(), pool())
            .prop_map(|(k, rd, rs, tmp)| Spec::Trap { k, rd, rs, tmp }),
        1 => (0..3usize, dst(), src(), pool())
            .prop_map(|(k, rd, rs, tmp)| Spec::Mmio { k, rd, rs, tmp }),
        1 => (0..5usize, 0..4usize, 0..18usize, dst(), src(), src())
            .prop_map(|(a, b, f, rd, rs1, rs2)| Spec::Smc { a, b, f, rd, rs1, rs2 }),
    ]
}

fn spec() -> impl Strategy<Value = Spec> {
    prop_oneof![3 => compute(), 1 => control()]
}

fn top() -> impl Strategy<Value = Top> {
    prop_oneof![
        8 => spec().prop_map(Top::S),
        1 => (1..5i32, proptest::collection::vec(spec(), 1..12))
            .prop_map(|(count, body)| Top::Loop { count, body }),
    ]
}

fn program() -> impl Strategy<Value = Program> {
    (
        proptest::collection::vec(value(), POOL.len()),
        proptest::collection::vec(any::<u8>(), DATA_LEN),
        proptest::collection::vec(top(), 1..40),
        proptest::collection::vec(proptest::collection::vec(compute(), 0..4), 1..4),
        pool(),
    )
        .prop_map(|(init, data, items, subs, exit_reg)| Program {
            init,
            data,
            items,
            subs,
            exit_reg,
        })
}

// ---- assembly ----------------------------------------------------------------

type Label = usize;

enum Asm {
    Label(Label),
    W(u32),
    /// A 16-bit (compressed) instruction.
    H(u32),
    Br {
        f3: u32,
        rs1: Reg,
        rs2: Reg,
        to: Label,
    },
    Jal {
        rd: Reg,
        to: Label,
    },
    /// `auipc rd, hi; addi rd, rd, lo`: the address of `to`.
    La {
        rd: Reg,
        to: Label,
    },
    /// A `c.nop` if the next address is a 2-byte boundary, so that what
    /// follows starts on a word (`mtvec` needs it, and so does a `sw` of an
    /// instruction word).
    Align4,
}

#[derive(Default)]
struct Asmb {
    items: Vec<Asm>,
    labels: usize,
    /// When set, the state of a xorshift generator that picks, for each
    /// instruction with a compressed form, whether to emit that form.
    compress: Option<u64>,
}

impl Asmb {
    fn label(&mut self) -> Label {
        self.labels += 1;
        self.labels - 1
    }
    fn place(&mut self, l: Label) {
        self.items.push(Asm::Label(l));
    }
    fn w(&mut self, w: u32) {
        if let (Some(state), Some(c)) = (self.compress.as_mut(), compressed_form(w)) {
            *state ^= *state << 13;
            *state ^= *state >> 7;
            *state ^= *state << 17;
            if *state & 3 != 0 {
                self.items.push(Asm::H(c));
                return;
            }
        }
        self.items.push(Asm::W(w));
    }
    fn ws(&mut self, ws: &[u32]) {
        for &w in ws {
            self.w(w);
        }
    }

    /// The words, for code starting at any 4-aligned address (all
    /// references are pc-relative). With compressed instructions, 32-bit
    /// ones may sit at 2-byte boundaries.
    fn finish(&self) -> Vec<u32> {
        let mut at = vec![None; self.labels];
        let mut pc = 0i32;
        for a in &self.items {
            match a {
                Asm::Label(l) => at[*l] = Some(pc),
                Asm::H(_) => pc += 2,
                Asm::W(_) | Asm::Br { .. } | Asm::Jal { .. } => pc += 4,
                Asm::La { .. } => pc += 8,
                Asm::Align4 => pc += pc & 2,
            }
        }
        let addr = |l: &Label| at[*l].expect("label placed");
        // 16-bit halves, in address order: a word is two (even a word such
        // as 0 that is not a 32-bit instruction), a compressed one one.
        let mut halves: Vec<u16> = Vec::new();
        let word = |halves: &mut Vec<u16>, w: u32| halves.extend([w as u16, (w >> 16) as u16]);
        for a in &self.items {
            let pc = halves.len() as i32 * 2;
            match a {
                Asm::Label(_) => continue,
                Asm::Align4 if pc & 2 != 0 => halves.push(c_nop() as u16),
                Asm::Align4 => {}
                Asm::W(w) => word(&mut halves, *w),
                Asm::H(h) => halves.push(*h as u16),
                Asm::Br { f3, rs1, rs2, to } => {
                    word(&mut halves, b_type(addr(to) - pc, *rs2, *rs1, *f3))
                }
                Asm::Jal { rd, to } => word(&mut halves, jal(*rd, addr(to) - pc)),
                Asm::La { rd, to } => {
                    let off = addr(to) - pc;
                    let hi = (off + 0x800) >> 12;
                    let lo = off - (hi << 12);
                    word(&mut halves, auipc(*rd, hi as u32 & 0xf_ffff));
                    word(&mut halves, addi(*rd, *rd, lo));
                }
            }
        }
        if halves.len() % 2 == 1 {
            halves.push(c_nop() as u16);
        }
        halves
            .chunks(2)
            .map(|h| h[0] as u32 | (h[1] as u32) << 16)
            .collect()
    }
}

/// The compressed form of a 32-bit instruction word, if it has one,
/// worked out from the base encoding's fields (not by the decoder under
/// test).
fn compressed_form(w: u32) -> Option<u32> {
    let (opcode, rd, f3) = (w & 0x7f, ((w >> 7) & 31) as Reg, (w >> 12) & 7);
    let (rs1, rs2, f7) = (((w >> 15) & 31) as Reg, ((w >> 20) & 31) as Reg, w >> 25);
    let imm = (w as i32) >> 20;
    let small = (-32..32).contains(&imm);
    let c = |r: Reg| (8..16).contains(&r);
    Some(match (opcode, f3) {
        (0x13, 0) if rd != 0 && rs1 == rd && small && imm != 0 => c_addi(rd, imm),
        (0x13, 0) if rd != 0 && rs1 == 0 && small => c_li(rd, imm),
        (0x13, 0) if rd != 0 && rs1 != 0 && imm == 0 => c_mv(rd, rs1),
        (0x13, 1) if rd != 0 && rs1 == rd && rs2 != 0 => c_slli(rd, rs2 as u32),
        (0x13, 5) if c(rd) && rs1 == rd && rs2 != 0 && f7 == 0 => c_srli(rd, rs2 as u32),
        (0x13, 5) if c(rd) && rs1 == rd && rs2 != 0 && f7 == 0x20 => c_srai(rd, rs2 as u32),
        (0x13, 7) if c(rd) && rs1 == rd && small => c_andi(rd, imm),
        (0x33, 0) if f7 == 0 && rd != 0 && rs2 != 0 && rs1 == 0 => c_mv(rd, rs2),
        (0x33, 0) if f7 == 0 && rd != 0 && rs2 != 0 && rs1 == rd => c_add(rd, rs2),
        (0x33, 0) if f7 == 0x20 && c(rd) && rs1 == rd && c(rs2) => c_sub(rd, rs2),
        (0x33, 4) if f7 == 0 && c(rd) && rs1 == rd && c(rs2) => c_xor(rd, rs2),
        (0x33, 6) if f7 == 0 && c(rd) && rs1 == rd && c(rs2) => c_or(rd, rs2),
        (0x33, 7) if f7 == 0 && c(rd) && rs1 == rd && c(rs2) => c_and(rd, rs2),
        (0x03, 2) if c(rd) && c(rs1) && (0..128).contains(&imm) && imm % 4 == 0 => {
            c_lw(rd, rs1, imm as u32)
        }
        (0x23, 2) => {
            let off = (((w as i32) >> 25) << 5) | ((w >> 7) & 31) as i32;
            if !(c(rs1) && c(rs2) && (0..128).contains(&off) && off % 4 == 0) {
                return None;
            }
            c_sw(rs2, rs1, off as u32)
        }
        (0x67, 0) if imm == 0 && rs1 != 0 && rd == 0 => c_jr(rs1),
        (0x67, 0) if imm == 0 && rs1 != 0 && rd == 1 => c_jalr(rs1),
        (0x73, 0) if w == ebreak() => c_ebreak(),
        _ => return None,
    })
}

fn width_offset(width: u32, slot: u8) -> i32 {
    let n = 64 / width;
    ((slot as u32 % n) * width) as i32
}

/// The address register and offset of an access, emitting its computation.
fn emit_addr(a: &mut Asmb, addr: &Addr, width: u32) -> (Reg, i32) {
    match *addr {
        Addr::Base { slot } => (BASE, width_offset(width, slot)),
        Addr::Computed { tmp, src, slot } => {
            a.w(andi(tmp, src, 0x40 - width as i32));
            a.w(add(tmp, tmp, BASE));
            (tmp, width_offset(width, slot))
        }
    }
}

/// Two different pool registers from indices.
fn two_regs(a: usize, b: usize) -> (Reg, Reg) {
    let i = a % POOL.len();
    let j = (i + 1 + b % (POOL.len() - 1)) % POOL.len();
    (POOL[i], POOL[j])
}

/// Emits one item; `target(skip)` is the label `skip` items ahead (clamped
/// to the end of the region).
fn emit_spec(a: &mut Asmb, s: &Spec, target: &dyn Fn(usize) -> Label, subs: &[Label]) {
    match *s {
        Spec::Rr { f, rd, rs1, rs2 } => a.w(RR_OPS[f](rd, rs1, rs2)),
        Spec::Ri { f, rd, rs1, imm } => {
            if f < RI_OPS.len() {
                a.w(RI_OPS[f](rd, rs1, imm))
            } else {
                a.w(SH_OPS[f - RI_OPS.len()](rd, rs1, imm as u32 & 31))
            }
        }
        Spec::Upper {
            auipc: true,
            rd,
            imm20,
        } => a.w(auipc(rd, imm20)),
        Spec::Upper {
            auipc: false,
            rd,
            imm20,
        } => a.w(lui(rd, imm20)),
        Spec::Load { w, rd, ref addr } => {
            let (op, width) = LOADS[w];
            let (base, off) = emit_addr(a, addr, width);
            a.w(op(rd, base, off));
        }
        Spec::Store { w, rs2, ref addr } => {
            let (op, width) = STORES[w];
            let (base, off) = emit_addr(a, addr, width);
            a.w(op(rs2, base, off));
        }
        Spec::Branch { f3, rs1, rs2, skip } => {
            let to = target(skip);
            a.items.push(Asm::Br { f3, rs1, rs2, to });
        }
        Spec::Jal { rd, skip } => {
            let to = target(skip);
            a.items.push(Asm::Jal { rd, to });
        }
        Spec::Jalr { tmp, rd, skip } => {
            let to = target(skip);
            a.items.push(Asm::La { rd: tmp, to });
            a.w(jalr(rd, tmp, 0));
        }
        Spec::Call { sub } => {
            let to = subs[sub % subs.len()];
            a.items.push(Asm::Jal { rd: RA, to });
        }
        Spec::Csr { k, rd, rs, uimm } => a.w(match k {
            0 => csrrw(rd, CSR_MSCRATCH, rs),
            1 => csrrs(rd, CSR_MSCRATCH, rs),
            2 => csrrc(rd, CSR_MSCRATCH, rs),
            3 => csrrwi(rd, CSR_MSCRATCH, uimm),
            4 => csrrsi(rd, CSR_MSCRATCH, uimm),
            5 => csrrci(rd, CSR_MSCRATCH, uimm),
            6 => csrr(rd, CSR_MSCRATCH),
            7 => csrr(rd, CSR_CYCLE),
            8 => csrr(rd, CSR_INSTRET),
            9 => csrr(rd, CSR_MINSTRET),
            10 => csrr(rd, CSR_MCYCLE),
            11 => csrr(rd, [CSR_MEPC, CSR_MCAUSE, CSR_MTVAL][uimm as usize % 3]),
            12 => csrw(CSR_MINSTRET, rs),
            13 => csrr(rd, CSR_TIME),
            _ => csrr(rd, CSR_MISA),
        }),
        Spec::Fence => a.w(fence(0xf, 0xf)),
        Spec::FenceI => a.w(fence_i()),
        Spec::Trap { k, rd, rs, tmp } => match k {
            0 => a.w(lw(rd, BASE, 1)),
            1 => a.w(lh(rd, BASE, 3)),
            2 => a.w(lhu(rd, BASE, 5)),
            3 => a.w(sw(rs, BASE, 2)),
            4 => a.w(sh(rs, BASE, 1)),
            5 => a.w(ebreak()),
            6 => a.w(0),                   // the all-zero word is illegal
            7 => a.w(csrw(CSR_CYCLE, rs)), // a write to a read-only CSR
            8 => {
                // A jump to a 2-byte boundary inside a 32-bit instruction
                // (legal with C): its upper parcel runs as a compressed
                // instruction (c.nop), then the code after it.
                let to = a.label();
                a.items.push(Asm::La { rd: tmp, to });
                a.w(jalr(rd, tmp, 2));
                a.place(to);
                a.items.push(Asm::W(NOP_WITH_C_NOP_ABOVE));
            }
            9 => {
                // Into the next instruction's upper half, likewise.
                a.items.push(Asm::W(bne(rs, 0, 6))); // 4 bytes: the offset counts on it
                a.items.push(Asm::W(NOP_WITH_C_NOP_ABOVE));
            }
            _ => {
                a.w(lw(rd, 0, 0x10)); // load access fault
                a.w(sw(rs, 0, 0x20)); // store access fault
                a.w(ecall()); // a7 is 0 here: the handler skips it
            }
        },
        Spec::Mmio { k, rd, rs, tmp } => match k {
            0 => a.ws(&[lui(tmp, 0x10000), sb(rs, tmp, 0)]), // UART THR
            1 => a.ws(&[lui(tmp, 0x0200c), lw(rd, tmp, -8)]), // mtime
            _ => a.ws(&[lui(tmp, 0x10000), lbu(rd, tmp, 5)]), // UART LSR
        },
        Spec::Smc {
            a: ia,
            b: ib,
            f,
            rd,
            rs1,
            rs2,
        } => {
            let (ta, tb) = two_regs(ia, ib);
            let word = RR_OPS[f](rd, rs1, rs2);
            let hi = word.wrapping_add(0x800) >> 12;
            let lo = ((word & 0xfff) as i32) << 20 >> 20;
            // Always 32-bit and word-aligned: the offset 20 counts five
            // 4-byte instructions, and the patched word must be aligned
            // for the `sw`.
            a.items.push(Asm::Align4);
            for w in [
                auipc(ta, 0),
                lui(tb, hi & 0xf_ffff),
                addi(tb, tb, lo),
                sw(tb, ta, 20),
                fence_i(),
                addi(rd, rd, 1), // replaced by `word` before it runs
            ] {
                a.items.push(Asm::W(w));
            }
        }
    }
}

/// Emits `specs` with a label before each; forward targets stay inside the
/// region, up to `end`.
fn emit_region(a: &mut Asmb, specs: &[Spec], end: Label, subs: &[Label]) {
    let labels: Vec<Label> = specs.iter().map(|_| a.label()).collect();
    for (i, s) in specs.iter().enumerate() {
        a.place(labels[i]);
        let target = |skip: usize| labels.get(i + 1 + skip).copied().unwrap_or(end);
        emit_spec(a, s, &target, subs);
    }
}

/// The trap handler: `ecall` with a7 = 93 removes the handler and returns
/// to the `ecall`, which is then the exit syscall; anything else is skipped.
fn emit_handler(a: &mut Asmb) {
    let skip = a.label();
    a.ws(&[csrr(T6, CSR_MCAUSE), addi(T5, 0, 11)]);
    a.items.push(Asm::Br {
        f3: 1,
        rs1: T6,
        rs2: T5,
        to: skip,
    });
    a.w(addi(T5, 0, 93));
    a.items.push(Asm::Br {
        f3: 1,
        rs1: A7,
        rs2: T5,
        to: skip,
    });
    a.ws(&[csrw(CSR_MTVEC, 0), mret()]);
    a.place(skip);
    if a.compress.is_some() {
        // The culprit may be 2 or 4 bytes long: its first parcel says.
        a.ws(&[
            csrr(T6, CSR_MEPC),
            lhu(T5, T6, 0),
            andi(T5, T5, 3),
            addi(T5, T5, -3),
            sltiu(T5, T5, 1), // 1 for a 32-bit instruction
            slli(T5, T5, 1),
            addi(T5, T5, 2),
            add(T6, T6, T5),
            csrw(CSR_MEPC, T6),
            mret(),
        ]);
        return;
    }
    a.ws(&[
        csrr(T6, CSR_MEPC),
        addi(T6, T6, 4),
        csrw(CSR_MEPC, T6),
        mret(),
    ]);
}

fn assemble(p: &Program) -> Vec<u32> {
    assemble_with(p, None)
}

/// Assembles `p`, with `compress` (a nonzero seed) emitting about three in
/// four of the instructions that have a compressed form as that form.
fn assemble_with(p: &Program, compress: Option<u64>) -> Vec<u32> {
    let mut a = Asmb {
        compress: compress.map(|s| s | 1),
        ..Asmb::default()
    };
    let handler = a.label();
    let subs: Vec<Label> = p.subs.iter().map(|_| a.label()).collect();
    // Setup: data base, trap handler, register values.
    a.ws(&li(BASE, DATA));
    a.items.push(Asm::La {
        rd: T6,
        to: handler,
    });
    a.w(csrw(CSR_MTVEC, T6));
    for (&r, &v) in POOL.iter().zip(&p.init) {
        a.ws(&li(r, v));
    }
    // The body.
    let tops: Vec<Label> = p.items.iter().map(|_| a.label()).collect();
    let end = a.label();
    for (j, t) in p.items.iter().enumerate() {
        a.place(tops[j]);
        match t {
            Top::S(s) => {
                let target = |skip: usize| tops.get(j + 1 + skip).copied().unwrap_or(end);
                emit_spec(&mut a, s, &target, &subs);
            }
            Top::Loop { count, body } => {
                a.w(addi(LOOP, 0, *count));
                let start = a.label();
                let tail = a.label();
                a.place(start);
                emit_region(&mut a, body, tail, &subs);
                a.place(tail);
                a.w(addi(LOOP, LOOP, -1));
                a.items.push(Asm::Br {
                    f3: 1,
                    rs1: LOOP,
                    rs2: 0,
                    to: start,
                });
            }
        }
    }
    // exit(exit_reg)
    a.place(end);
    a.ws(&[addi(A0, p.exit_reg, 0), addi(A7, 0, 93), ecall()]);
    for (body, &l) in p.subs.iter().zip(&subs) {
        a.place(l);
        let none = a.label(); // no branches in subroutines
        emit_region(&mut a, body, none, &subs);
        a.place(none);
        a.w(ret());
    }
    // mtvec holds a word address: its low two bits are the mode.
    a.items.push(Asm::Align4);
    a.place(handler);
    emit_handler(&mut a);
    a.finish()
}

/// objdump-style text of the program, 16- and 32-bit instructions alike.
fn listing(words: &[u32]) -> String {
    let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
    glassbox::disasm::listing(&[(RAM_BASE, &bytes)], &SymbolTable::default())
}

// ---- running -------------------------------------------------------------------

fn machine(cfg: &MachineConfig, words: &[u32], data: &[u8]) -> Machine {
    let mut m = Machine::new(cfg.clone()).expect("valid configuration");
    let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
    assert!(
        bytes.len() < (DATA - RAM_BASE) as usize,
        "program overlaps data"
    );
    assert!(m.bus.ram.write_bytes(RAM_BASE, &bytes));
    assert!(data.is_empty() || m.bus.ram.write_bytes(DATA, data));
    m
}

/// Runs under the checker; `Err` describes a divergence or a run that did
/// not end with `exit`.
fn cosim(cfg: &MachineConfig, words: &[u32], data: &[u8]) -> Result<i32, String> {
    let m = machine(cfg, words, data);
    let mut c = Cosim::new(m)?;
    c.close_input();
    match c.run(CAP) {
        Err(d) => Err(format!("{d}")),
        Ok(StopReason::Halted(Halt::Exited(code))) => {
            if c.reference.halt != Some(Halt::Exited(code)) {
                return Err(format!(
                    "timing core exited with {code}, reference status {:?}",
                    c.reference.halt
                ));
            }
            if c.dut.instret != c.reference.instret {
                return Err(format!(
                    "instret: timing core {}, reference {}",
                    c.dut.instret, c.reference.instret
                ));
            }
            Ok(code)
        }
        Ok(other) => Err(format!(
            "the run did not exit: {other:?} after {} cycles at pc {:#010x}",
            c.dut.cycle, c.dut.hart.pc
        )),
    }
}

fn check(name: &str, cfg: &MachineConfig, p: &Program) -> Result<(), TestCaseError> {
    let words = assemble(p);
    if let Err(e) = cosim(cfg, &words, &p.data) {
        return Err(TestCaseError::fail(format!(
            "on {name}:\n{e}\nprogram:\n{}",
            listing(&words)
        )));
    }
    Ok(())
}

/// `check` on the program with compressed instructions mixed in.
fn check_rvc(name: &str, cfg: &MachineConfig, p: &Program, seed: u64) -> Result<(), TestCaseError> {
    let words = assemble_with(p, Some(seed));
    match cosim(cfg, &words, &p.data) {
        Ok(_) => Ok(()),
        Err(e) => Err(TestCaseError::fail(format!(
            "on {name} (compressed, seed {seed}):\n{e}\nprogram:\n{}",
            listing(&words)
        ))),
    }
}

/// Random programs mixing 16- and 32-bit instructions: hazards across
/// both sizes, branches and jumps to 2-byte boundaries, 32-bit
/// instructions straddling words and (with the tiny caches' 16-byte
/// lines) I-cache lines.
macro_rules! random_rvc_cosim_test {
    ($test:ident, $name:expr, $cfg:expr) => {
        proptest! {
            #![proptest_config(ProptestConfig {
                cases: 150,
                failure_persistence: None,
                ..ProptestConfig::default()
            })]
            #[test]
            fn $test(p in program(), seed in any::<u64>()) {
                check_rvc($name, &$cfg, &p, seed)?;
            }
        }
    };
}

random_rvc_cosim_test!(rvc_random_textbook, "textbook", preset("textbook"));
random_rvc_cosim_test!(rvc_random_tiny_caches, "tiny caches", tiny_caches());
random_rvc_cosim_test!(rvc_random_l1_l2_dram, "l1-l2-dram", l1_l2_dram());
random_rvc_cosim_test!(
    rvc_random_branch_in_id,
    "branch-in-id",
    preset("branch-in-id")
);
random_rvc_cosim_test!(rvc_random_gshare, "gshare", preset("gshare"));
random_rvc_cosim_test!(
    rvc_random_btfnt_id_muldiv,
    "static BTFNT, branch in ID, mul 2, div 5",
    btfnt_id_muldiv()
);

macro_rules! random_cosim_test {
    ($test:ident, $name:expr, $cfg:expr) => {
        proptest! {
            #![proptest_config(ProptestConfig {
                cases: 600,
                failure_persistence: None,
                ..ProptestConfig::default()
            })]
            #[test]
            fn $test(p in program()) {
                check($name, &$cfg, &p)?;
            }
        }
    };
}

random_cosim_test!(random_textbook, "textbook", preset("textbook"));
random_cosim_test!(random_tiny_caches, "tiny caches", tiny_caches());
random_cosim_test!(random_l1_l2_dram, "l1-l2-dram", l1_l2_dram());
random_cosim_test!(
    random_no_forwarding,
    "no-forwarding",
    preset("no-forwarding")
);
random_cosim_test!(random_branch_in_id, "branch-in-id", preset("branch-in-id"));
random_cosim_test!(random_bimodal, "bimodal", preset("bimodal"));
random_cosim_test!(random_gshare, "gshare", preset("gshare"));
random_cosim_test!(
    random_textbook_slow_muldiv,
    "textbook, mul 3, div 12",
    textbook_slow_muldiv()
);
random_cosim_test!(
    random_branch_in_id_no_forwarding,
    "branch-in-id without forwarding",
    branch_in_id_no_forwarding()
);
random_cosim_test!(
    random_btfnt_id_muldiv,
    "static BTFNT, branch in ID, mul 2, div 5",
    btfnt_id_muldiv()
);

// ---- the generator exercises what it is meant to ------------------------------

/// Sums the pipeline's event counters over 60 generated programs (a fixed
/// seed): every kind of hazard and flush the generator aims at must occur,
/// and every program must run under the checker to its `exit`.
#[test]
fn generated_programs_are_dense_in_hazards() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = program();
    let configs = [
        ("textbook, mul 3, div 12", textbook_slow_muldiv()),
        (
            "branch-in-id without forwarding",
            branch_in_id_no_forwarding(),
        ),
    ];
    let mut totals = [(0u64, 0u64, 0u64, 0u64, 0u64, 0u64, 0u64, 0u64, 0u64); 2];
    let (mut output, mut retired) = (0usize, 0u64);
    for _ in 0..60 {
        let p = strategy.new_tree(&mut runner).expect("a program").current();
        let words = assemble(&p);
        for (i, (name, cfg)) in configs.iter().enumerate() {
            let mut c = Cosim::new(machine(cfg, &words, &p.data)).expect("five-stage");
            c.close_input();
            match c.run(CAP) {
                Ok(StopReason::Halted(Halt::Exited(_))) => {}
                Ok(other) => panic!("on {name}: {other:?}\n{}", listing(&words)),
                Err(d) => panic!("on {name}:\n{d}\nprogram:\n{}", listing(&words)),
            }
            output += c.take_output().len();
            retired += c.dut.instret;
            let s = &c.dut.pipeline.as_ref().expect("pipeline").stats;
            let t = &mut totals[i];
            t.0 += s.stall_load_use;
            t.1 += s.stall_data;
            t.2 += s.stall_ex_busy;
            t.3 += s.stall_serialize;
            t.4 += s.flush_mispredict;
            t.5 += s.flush_trap;
            t.6 += s.flush_other;
            t.7 += s.forwards;
            t.8 += s.traps;
        }
    }
    let [fwd, nofwd] = totals;
    assert!(fwd.0 > 0, "load-use stalls: {fwd:?}");
    assert!(fwd.2 > 0, "multi-cycle EX: {fwd:?}");
    assert!(fwd.3 > 0, "serializing CSR stalls: {fwd:?}");
    assert!(fwd.4 > 0, "mispredictions: {fwd:?}");
    assert!(fwd.5 > 0 && fwd.8 > 0, "traps: {fwd:?}");
    assert!(
        fwd.6 > 0,
        "other flushes (mret, fence.i, syscalls): {fwd:?}"
    );
    assert!(fwd.7 > 0, "forwards: {fwd:?}");
    assert!(
        nofwd.1 > 0,
        "data-hazard stalls without forwarding: {nofwd:?}"
    );
    assert!(nofwd.4 > 0 && nofwd.5 > 0, "{nofwd:?}");
    assert!(output > 0, "some programs print through the UART");
    assert!(
        retired > 60 * 2 * 30,
        "programs run: {retired} instructions in all"
    );
}

/// The same for the programs with compressed instructions (60 programs, a
/// fixed seed, run on the functional core one step at a time): they must
/// all reach their `exit`, and between them run every situation the mixed
/// co-simulations are meant to cover.
#[test]
fn generated_rvc_programs_mix_sizes() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = program();
    let cfg = preset("functional");
    // 16-bit instructions run; 32-bit ones at 2 mod 4; 32-bit ones across
    // a 16-byte line (the tiny caches' line); jumps and taken branches to
    // 2 mod 4; traps of 16-bit and of 32-bit instructions.
    let (mut short, mut odd_long, mut straddle, mut odd_target) = (0u32, 0u32, 0u32, 0u32);
    let (mut short_traps, mut long_traps) = (0u32, 0u32);
    for i in 0..60u64 {
        let p = strategy.new_tree(&mut runner).expect("a program").current();
        let words = assemble_with(&p, Some(i.wrapping_mul(0x9e37_79b9_7f4a_7c15)));
        let mut m = machine(&cfg, &words, &p.data);
        m.close_input();
        while m.halt.is_none() && m.cycle < CAP {
            let (pc, instret, mtvec) = (m.hart.pc, m.instret, m.hart.mtvec);
            let parcel = m.peek(pc, 2).expect("code is in RAM");
            let len = if parcel & 3 == 3 { 4 } else { 2 };
            m.step();
            if m.instret == instret {
                // Nothing retired: the instruction trapped.
                assert_eq!((m.hart.pc, m.hart.mepc), (mtvec, pc), "a trap at {pc:#x}");
                if len == 2 {
                    short_traps += 1;
                } else {
                    long_traps += 1;
                }
                continue;
            }
            match len {
                2 => short += 1,
                _ if pc % 4 == 2 => odd_long += 1,
                _ => {}
            }
            if len == 4 && pc % 16 == 14 {
                straddle += 1;
            }
            if m.hart.pc != pc.wrapping_add(len) && m.hart.pc % 4 == 2 {
                odd_target += 1;
            }
        }
        assert!(
            matches!(m.halt, Some(Halt::Exited(_))),
            "program {i} did not exit: {:?} at {:#x}\n{}",
            m.halt,
            m.hart.pc,
            listing(&words)
        );
    }
    let counts = (
        short,
        odd_long,
        straddle,
        odd_target,
        short_traps,
        long_traps,
    );
    assert!(
        short > 700 && odd_long > 1500 && straddle > 300 && odd_target > 200,
        "{counts:?}"
    );
    assert!(short_traps > 8 && long_traps > 80, "{counts:?}");
}

// ---- minimised divergences --------------------------------------------------------

fn run_plain(cfg: &MachineConfig, words: &[u32]) -> StopReason {
    let mut m = machine(cfg, words, &[]);
    m.run(10_000)
}

/// Found by `cosim_roms` (bubble_sort on textbook with mul 3 / div 12, in
/// `remu a3,a5,a6`): an operand forwarded to a multiply or divide in its
/// first EX cycle was lost by the time a multi-cycle unit finished, and the
/// stale value read in ID was used. Minimised: distance 2, latency 2.
#[test]
fn multi_cycle_mul_keeps_an_operand_forwarded_at_distance_two() {
    let mut cfg = preset("textbook");
    cfg.core.mul_latency = 2;
    let words = [
        addi(T0, 0, 5),
        nop(),
        mul(A0, T0, T0),
        addi(A7, 0, 93),
        ecall(),
    ];
    assert_eq!(
        run_plain(&cfg, &words),
        StopReason::Halted(Halt::Exited(25))
    );
    assert_eq!(cosim(&cfg, &words, &[]), Ok(25));
}

/// The same at distance 1 with the 12-cycle divider of the ROM failure.
#[test]
fn multi_cycle_div_keeps_operands_forwarded_at_distance_one() {
    let cfg = textbook_slow_muldiv();
    let words = [
        addi(T0, 0, 100),
        addi(T1, 0, 7),
        remu(T2, T0, T1),
        divu(A0, T0, T1),
        add(A0, A0, T2),
        addi(A7, 0, 93),
        ecall(),
    ];
    assert_eq!(
        run_plain(&cfg, &words),
        StopReason::Halted(Halt::Exited(16))
    );
    assert_eq!(cosim(&cfg, &words, &[]), Ok(16));
}

// ---- the checker notices differences ------------------------------------------------

/// A checker on `words` (textbook), run until the reference has retired
/// `n` instructions.
fn cosim_after(words: &[u32], n: u64) -> Cosim {
    let mut c = Cosim::new(machine(&preset("textbook"), words, &[])).expect("five-stage");
    while c.reference.instret < n {
        assert_eq!(c.run(1).expect("no divergence yet"), StopReason::CycleLimit);
    }
    assert_eq!(c.reference.instret, n);
    c
}

const EXIT0: [u32; 3] = [0x0000_0513, 0x05d0_0893, 0x0000_0073]; // li a0,0; li a7,93; ecall

fn with_exit(words: &[u32]) -> Vec<u32> {
    assert_eq!(EXIT0, [addi(A0, 0, 0), addi(A7, 0, 93), ecall()]);
    words.iter().chain(&EXIT0).copied().collect()
}

#[test]
fn checker_reports_a_register_difference() {
    let words = with_exit(&[
        addi(T0, 0, 5),
        addi(T1, 0, 1),
        addi(T1, T1, 1),
        addi(T1, T1, 1),
    ]);
    let mut c = cosim_after(&words, 1);
    assert_eq!(c.reference.hart.x[5], 5);
    c.reference.hart.x[5] ^= 1;
    let d = c.run(1000).expect_err("the checker must notice");
    let text = d.to_string();
    assert!(
        text.contains("register t0 (x5): timing core 0x00000005, reference 0x00000004"),
        "{text}"
    );
    assert_eq!((d.pc, d.word), (RAM_BASE + 4, words[1]));
    assert!(d.instruction.ends_with("t1,1"), "{text}");
    assert_eq!((d.timing_core.x[5], d.reference.x[5]), (5, 4));
    assert!(
        text.contains("t0=00000005") && text.contains("t0=00000004"),
        "{text}"
    );
}

#[test]
fn checker_reports_a_memory_write_difference() {
    let words = with_exit(&[
        lui(S0, 0x80010),
        addi(T1, 0, 0x55),
        nop(),
        nop(),
        sw(T1, S0, 8),
        nop(),
    ]);
    // The next instruction to retire is the store.
    let mut c = cosim_after(&words, 4);
    c.reference.hart.x[6] ^= 0x100;
    let d = c.run(1000).expect_err("the checker must notice");
    let text = d.to_string();
    assert!(
        text.contains(
            "memory write: timing core stored 0x55 (4 bytes) at 0x80010008, \
             reference stored 0x155 (4 bytes) at 0x80010008"
        ),
        "{text}"
    );
    assert_eq!(d.pc, RAM_BASE + 16);
    assert!(d.instruction.starts_with("sw"), "{text}");
}

#[test]
fn checker_reports_a_store_address_difference() {
    let words = with_exit(&[lui(S0, 0x80010), addi(T1, 0, 7), nop(), sb(T1, S0, 3)]);
    let mut c = cosim_after(&words, 3);
    c.reference.hart.x[8] += 0x10;
    let d = c.run(1000).expect_err("the checker must notice");
    let text = d.to_string();
    assert!(
        text.contains(
            "memory write: timing core stored 0x7 (1 byte) at 0x80010003, \
             reference stored 0x7 (1 byte) at 0x80010013"
        ),
        "{text}"
    );
}

#[test]
fn checker_reports_a_pc_difference() {
    let words = with_exit(&[addi(T0, 0, 1), addi(T0, 0, 2), addi(T0, 0, 3)]);
    let mut c = cosim_after(&words, 1);
    c.reference.hart.pc += 4;
    let d = c.run(1000).expect_err("the checker must notice");
    let text = d.to_string();
    assert!(
        text.contains("the timing core completed the instruction at 0x80000004, but the reference is at 0x80000008"),
        "{text}"
    );
}

#[test]
fn checker_reports_a_csr_difference() {
    let words = with_exit(&[addi(T0, 0, 9), csrw(CSR_MSCRATCH, T0), nop()]);
    let mut c = cosim_after(&words, 2);
    c.reference.hart.mscratch = 8;
    let d = c.run(1000).expect_err("the checker must notice");
    let text = d.to_string();
    assert!(
        text.contains("CSR mscratch: timing core 0x9, reference 0x8"),
        "{text}"
    );
}

#[test]
fn checker_reports_a_console_difference() {
    let words = with_exit(&[
        lui(T0, 0x10000),
        addi(T1, 0, b'A' as i32),
        sb(T1, T0, 0),
        nop(),
    ]);
    let mut c = cosim_after(&words, 3);
    c.reference.bus.uart.output.push(b'B');
    let d = c.run(1000).expect_err("the checker must notice");
    let text = d.to_string();
    assert!(
        text.contains(r#"console output: timing core printed "", reference "B""#),
        "{text}"
    );
}

#[test]
fn checker_accepts_an_identical_run() {
    let words = with_exit(&[addi(T0, 0, 5), sw(T0, 0, 0)]);
    // Without a handler the store fault halts both models the same way.
    let c = Cosim::new(machine(&preset("textbook"), &words, &[]));
    let mut c = c.expect("five-stage");
    let stop = c.run(1000).expect("no divergence");
    assert!(
        matches!(stop, StopReason::Halted(Halt::Error(_))),
        "{stop:?}"
    );
    assert_eq!(c.dut.halt, c.reference.halt);
}

// ---- the fast path ---------------------------------------------------------------

/// Runs the program with the fast path and cycle by cycle, stopping both
/// after each of `stops` cycles (then to the end), and compares everything
/// observable at every stop.
fn fast_path_check(
    name: &str,
    cfg: &MachineConfig,
    p: &Program,
    stops: &[u64],
) -> Result<(), TestCaseError> {
    fast_path_check_words(name, cfg, p, stops, &assemble(p))
}

fn fast_path_check_words(
    name: &str,
    cfg: &MachineConfig,
    p: &Program,
    stops: &[u64],
    words: &[u32],
) -> Result<(), TestCaseError> {
    let words = words.to_vec();
    let mut fast = machine(cfg, &words, &p.data);
    let mut slow = machine(cfg, &words, &p.data);
    for m in [&mut fast, &mut slow] {
        m.close_input();
    }
    slow.pipeline.as_mut().unwrap().cycle_by_cycle = true;
    let stops = stops.iter().copied().chain([CAP]);
    compare_stops(&mut fast, &mut slow, stops)
        .map(|_| ())
        .map_err(|e| TestCaseError::fail(format!("on {name}, {e}\nprogram:\n{}", listing(&words))))
}

macro_rules! random_fast_path_test {
    ($test:ident, $name:expr, $cfg:expr) => {
        proptest! {
            #![proptest_config(ProptestConfig {
                cases: 300,
                failure_persistence: None,
                ..ProptestConfig::default()
            })]
            #[test]
            fn $test(p in program(), stops in proptest::collection::vec(64u64..400, 0..12)) {
                fast_path_check($name, &$cfg, &p, &stops)?;
            }
        }
    };
}

random_fast_path_test!(fast_path_textbook, "textbook", preset("textbook"));

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 300,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]
    /// The fast path on programs mixing 16- and 32-bit instructions.
    #[test]
    fn fast_path_rvc_textbook(
        p in program(),
        seed in any::<u64>(),
        stops in proptest::collection::vec(64u64..400, 0..12),
    ) {
        let words = assemble_with(&p, Some(seed));
        fast_path_check_words("textbook (compressed)", &preset("textbook"), &p, &stops, &words)?;
    }
}
random_fast_path_test!(
    fast_path_textbook_slow_muldiv,
    "textbook, mul 3, div 12",
    textbook_slow_muldiv()
);
random_fast_path_test!(
    fast_path_btfnt_muldiv,
    "static BTFNT, mul 2, div 5",
    btfnt_ex_muldiv()
);
