//! The five-stage core's fast path (`src/pipeline/fast.rs`) against the
//! cycle model on small hand-assembled programs, each aimed at one edge of
//! what the fast path models or hands over for: code written just before
//! it is fetched, `tohost`, MMIO, faulting accesses, loads to x0, links,
//! load-use after a redirect, multi-cycle multiply and divide, fences,
//! CSRs and system instructions, interrupts, BTFNT, 2-byte targets,
//! long correctly predicted stretches, running off the end of RAM, and
//! atomics with stores while a reservation is held.
//!
//! Every program runs twice, once as usual and once cycle by cycle, with
//! the same sequence of `run(n)` calls (n = 64, 65, ... and mixed), and the
//! two must agree on everything observable and on RAM after every stop.

mod support;

use glassbox::config::{Misaligned, PredictorConfig};
use glassbox::machine::ProgramInfo;
use glassbox::{Halt, Machine, MachineConfig};
use std::sync::Arc;
use support::enc::*;
use support::*;

// ---- registers, CSRs, addresses --------------------------------------------

const S3: Reg = 19;
const S4: Reg = 20;
const S5: Reg = 21;
const T4: Reg = 29;
const T5: Reg = 30;

const MSTATUS: u16 = 0x300;
const MIE: u16 = 0x304;
const MTVEC: u16 = 0x305;
const MSCRATCH: u16 = 0x340;
const MEPC: u16 = 0x341;
const MCAUSE: u16 = 0x342;
const MCYCLE: u16 = 0xb00;
const MINSTRET: u16 = 0xb02;

/// A small RAM keeps the RAM comparison after every stop cheap.
const RAM: u32 = 128 << 10;
const END: u32 = RAM_BASE + RAM;
const TOHOST: u32 = RAM_BASE + 0x1_8000;

/// The longest any program here may run.
const CAP: u64 = 400_000;

// ---- a tiny assembler with labels --------------------------------------------

type Fix = Box<dyn Fn(i32) -> u32>;

/// Words with forward and backward references: `to(l, f)` emits `f(offset)`
/// where offset is the byte distance from this instruction (or from the
/// label `base`, with `rel`) to label `l`.
#[derive(Default)]
struct Asm {
    w: Vec<u32>,
    at: Vec<Option<usize>>,
    fix: Vec<(usize, usize, Option<usize>, Fix)>,
}

impl Asm {
    fn op(&mut self, x: u32) {
        self.w.push(x);
    }
    fn ops(&mut self, xs: &[u32]) {
        self.w.extend_from_slice(xs);
    }
    fn label(&mut self) -> usize {
        self.at.push(None);
        self.at.len() - 1
    }
    fn bind(&mut self, l: usize) {
        self.at[l] = Some(self.w.len());
    }
    fn here(&mut self) -> usize {
        let l = self.label();
        self.bind(l);
        l
    }
    fn to(&mut self, l: usize, f: impl Fn(i32) -> u32 + 'static) {
        self.fix.push((self.w.len(), l, None, Box::new(f)));
        self.w.push(0);
    }
    fn rel(&mut self, l: usize, base: usize, f: impl Fn(i32) -> u32 + 'static) {
        self.fix.push((self.w.len(), l, Some(base), Box::new(f)));
        self.w.push(0);
    }
    /// A mispredicted branch on a static not-taken predictor (and on BTFNT:
    /// forward taken): a sync point for the fast path.
    fn mispredict(&mut self) {
        self.ops(&[beq(ZERO, ZERO, 8), nop()]);
    }
    fn exit_a0(&mut self) {
        self.ops(&[addi(A7, ZERO, 93), ecall()]);
    }
    fn exit(&mut self, code: i32) {
        self.op(addi(A0, ZERO, code));
        self.exit_a0();
    }
    fn finish(mut self) -> Vec<u32> {
        for (i, l, base, f) in std::mem::take(&mut self.fix) {
            let to = self.at[l].expect("label bound") as i32 * 4;
            let from = base.map_or(i, |b| self.at[b].expect("label bound")) as i32 * 4;
            self.w[i] = f(to - from);
        }
        self.w
    }
}

// ---- configurations ---------------------------------------------------------

fn config(mul: u32, div: u32, btfnt: bool) -> MachineConfig {
    let mut c = MachineConfig::preset("textbook").expect("preset exists");
    c.ram_size = RAM;
    c.core.mul_latency = mul;
    c.core.div_latency = div;
    if btfnt {
        c.core.predictor = PredictorConfig::StaticBtfnt;
    }
    c
}

/// The configurations the fast path covers, as `tests/fast_path.rs` has them.
fn covered() -> Vec<(&'static str, MachineConfig)> {
    vec![
        ("textbook", config(1, 1, false)),
        ("textbook, mul 3, div 12", config(3, 12, false)),
        ("BTFNT, mul 2, div 5", config(2, 5, true)),
    ]
}

// ---- the comparison ---------------------------------------------------------

type Setup<'a> = &'a dyn Fn(&mut Machine);

fn no_setup(_: &mut Machine) {}

fn machine(cfg: &MachineConfig, words: &[u32], setup: Setup, cycle_by_cycle: bool) -> Machine {
    let mut m = machine_with_config(cfg.clone(), words);
    setup(&mut m);
    m.close_input();
    m.pipeline.as_mut().expect("five-stage core").cycle_by_cycle = cycle_by_cycle;
    m
}

/// Runs both machines with `stops` (cycling) until the run ends for
/// another reason than the cycle limit or `cap` cycles have passed,
/// comparing after every stop. Returns the machine that took the fast path.
fn compare(
    name: &str,
    cfg_name: &str,
    cfg: &MachineConfig,
    words: &[u32],
    setup: Setup,
    stops: &[u64],
    cap: u64,
) -> Machine {
    let mut fast = machine(cfg, words, setup, false);
    let mut slow = machine(cfg, words, setup, true);
    // Each stop but the last ends at its cycle limit, so the cycles run so
    // far are the sum of the stops.
    let until_cap = stops.iter().copied().cycle().scan(0, |ran, n| {
        (*ran < cap).then(|| {
            *ran += n;
            n
        })
    });
    if let Err(e) = compare_stops(&mut fast, &mut slow, until_cap) {
        panic!(
            "{name} on {cfg_name} (stops {:?}): {e}",
            &stops[..stops.len().min(4)]
        );
    }
    fast
}

const MIXED: &[u64] = &[
    64, 65, 66, 67, 70, 77, 91, 100, 128, 203, 64, 1000, 68, 4099,
];

/// What `check` does with a program.
struct Plan {
    /// Stop every n cycles for every n in 64..64 + span.
    span: u64,
    cap: u64,
    /// The fast path must carry part of a single long run.
    fast: bool,
}

const SHORT: Plan = Plan {
    span: 200,
    cap: CAP,
    fast: true,
};

/// Compares the two on every configuration in `cfgs`, with one long run,
/// runs stopped every n cycles for each n from 64, and mixed stops.
/// Returns the machines of the long runs (fast path taken).
fn check(
    name: &str,
    cfgs: &[(&str, MachineConfig)],
    words: &[u32],
    setup: Setup,
    plan: Plan,
) -> Vec<Machine> {
    let mut ends = Vec::new();
    for (cfg_name, cfg) in cfgs {
        let m = compare(name, cfg_name, cfg, words, setup, &[plan.cap], plan.cap);
        if plan.fast {
            assert!(
                m.pipeline.as_ref().unwrap().fast_path_cycles > 0,
                "{name} on {cfg_name}: the fast path never ran"
            );
        }
        for n in 64..64 + plan.span {
            compare(name, cfg_name, cfg, words, setup, &[n], plan.cap);
        }
        for r in 0..MIXED.len() {
            let mut stops = MIXED.to_vec();
            stops.rotate_left(r);
            compare(name, cfg_name, cfg, words, setup, &stops, plan.cap);
        }
        ends.push(m);
    }
    ends
}

fn exited(m: &Machine) -> i32 {
    match &m.halt {
        Some(Halt::Exited(c)) => *c,
        other => panic!("expected an exit, got {other:?} at pc {:#x}", m.hart.pc),
    }
}

// ---- trap handler -------------------------------------------------------------

/// At `HANDLER`: an exception skips the instruction (mepc + 4) and counts
/// in s5; a timer interrupt counts in s4 and moves mtimecmp 300 cycles on.
/// Both run a short loop with mispredictions (with MIE clear, the fast
/// path may run there). Uses t4, t5, t6.
fn handler() -> Vec<u32> {
    let mut a = Asm::default();
    let irq = a.label();
    a.op(csrr(T6, MCAUSE));
    a.to(irq, |o| blt(T6, ZERO, o));
    a.ops(&[
        csrr(T6, MEPC),
        addi(T6, T6, 4),
        csrw(MEPC, T6),
        addi(S5, S5, 1),
        addi(T5, ZERO, 3),
    ]);
    let l = a.here();
    a.op(addi(T5, T5, -1));
    a.to(l, |o| bne(T5, ZERO, o));
    a.op(mret());
    a.bind(irq);
    a.op(addi(S4, S4, 1));
    a.ops(&li(T5, MTIMECMP));
    a.ops(&[lw(T6, T5, 0), addi(T6, T6, 300), sw(T6, T5, 0)]);
    a.op(addi(T4, ZERO, 3));
    let l = a.here();
    a.op(addi(T4, T4, -1));
    a.to(l, |o| bne(T4, ZERO, o));
    a.op(mret());
    a.finish()
}

fn with_handler(m: &mut Machine) {
    load(m, HANDLER, &handler());
    install_handler(m);
}

// ---- the tests -------------------------------------------------------------------

/// A store that overwrites its own instruction word right before a
/// mispredicted branch: the instruction in WB when the fast path hands over
/// at that branch must be the one that ran, not what memory holds now.
///
/// (Found by review: handovers used to rebuild it from memory.)
#[test]
fn store_to_its_own_word_before_a_mispredicted_branch() {
    let mut a = Asm::default();
    let base = a.here();
    a.op(auipc(S0, 0));
    a.ops(&li(T1, addi(A0, A0, 1)));
    a.ops(&[addi(S1, ZERO, 10), addi(A0, ZERO, 0)]);
    let lp = a.here();
    let me = a.here();
    a.rel(me, base, |o| sw(T1, S0, o));
    a.mispredict();
    // Something the fast path hands over for, right after the sync point.
    a.op(csrr(T0, MSCRATCH));
    a.op(addi(S1, S1, -1));
    a.to(lp, |o| bne(S1, ZERO, o));
    a.exit_a0();
    let words = a.finish();
    for m in check("own word", &covered(), &words, &no_setup, SHORT) {
        // The first pass stores, the nine others run the new addi.
        assert_eq!(exited(&m), 9);
    }
}

/// Code stored one, two and three instructions ahead of its fetch (word,
/// halfword and byte stores), so the cycle model fetches some of it stale.
#[test]
fn code_stored_just_before_it_is_fetched() {
    let enc1 = addi(A0, A0, 1);
    let enc2 = addi(A0, A0, 16);
    let mut a = Asm::default();
    let base = a.here();
    a.op(auipc(S0, 0));
    a.ops(&li(T1, enc1));
    a.ops(&li(T2, enc1 ^ enc2));
    a.ops(&[addi(S1, ZERO, 12), addi(A0, ZERO, 0)]);
    let lp = a.here();
    a.mispredict();
    a.op(xor(T1, T1, T2));
    let (p1, p2, p3, p4, p5) = (a.label(), a.label(), a.label(), a.label(), a.label());
    a.rel(p1, base, |o| sw(T1, S0, o));
    a.bind(p1);
    a.op(enc1);
    a.rel(p2, base, |o| sw(T1, S0, o));
    a.op(nop());
    a.bind(p2);
    a.op(enc1);
    // The upper half of the next word (its immediate), then a byte of it.
    a.op(srli(T3, T1, 16));
    a.rel(p3, base, |o| sh(T3, S0, o + 2));
    a.bind(p3);
    a.op(enc1);
    a.op(srli(T3, T1, 24));
    a.rel(p4, base, |o| sb(T3, S0, o + 3));
    a.op(add(T0, A0, A0));
    a.bind(p4);
    a.op(enc1);
    a.rel(p5, base, |o| sw(T1, S0, o));
    a.ops(&[nop(), nop()]);
    a.bind(p5);
    a.op(enc1);
    // A store to the word of a mispredicted branch's target.
    let p6 = a.label();
    a.rel(p6, base, |o| sw(T1, S0, o));
    a.to(p6, |o| beq(ZERO, ZERO, o));
    a.op(nop());
    a.bind(p6);
    a.op(enc1);
    a.op(addi(S1, S1, -1));
    a.to(lp, |o| bne(S1, ZERO, o));
    a.exit_a0();
    let words = a.finish();
    check("code stored ahead", &covered(), &words, &no_setup, SHORT);
}

/// Stores to and around `tohost` (which the fast path hands over for),
/// loads from it, and the exit through it.
#[test]
fn tohost_stores_and_loads() {
    let mut a = Asm::default();
    a.ops(&li(S0, TOHOST));
    a.ops(&[addi(S1, ZERO, 15), addi(T2, ZERO, 0)]);
    let lp = a.here();
    a.mispredict();
    a.ops(&[
        // Zero to tohost does nothing but is still a tohost store.
        sw(ZERO, S0, 0),
        addi(T2, T2, 3),
        sw(T2, S0, 8),  // fromhost's place: plain RAM
        sw(T2, S0, -4), // just below
        lw(T0, S0, 0),
        add(T2, T2, T0),
        sb(ZERO, S0, 7),
        sh(ZERO, S0, 4),
        lw(T1, S0, 8),
        add(T2, T2, T1),
    ]);
    a.mispredict();
    a.op(addi(S1, S1, -1));
    a.to(lp, |o| bne(S1, ZERO, o));
    // Exit 3 through tohost.
    a.ops(&[addi(T0, ZERO, 7), sw(ZERO, S0, 4), sw(T0, S0, 0)]);
    a.ops(&[nop(), nop(), nop(), nop()]);
    a.exit(99);
    let words = a.finish();
    let setup = |m: &mut Machine| {
        m.program = Arc::new(ProgramInfo {
            entry: RAM_BASE,
            tohost: Some(TOHOST),
            fromhost: Some(TOHOST + 8),
            ..ProgramInfo::default()
        });
    };
    for m in check("tohost", &covered(), &words, &setup, SHORT) {
        assert_eq!(exited(&m), 3);
    }
}

/// UART and CLINT accesses (including mtime, which follows the cycle count)
/// among modelled instructions.
#[test]
fn mmio_uart_and_clint() {
    let mut a = Asm::default();
    a.ops(&li(S0, UART));
    a.ops(&li(S2, CLINT));
    a.ops(&li(S3, DATA));
    a.ops(&[addi(S1, ZERO, 20), addi(T2, ZERO, b'a' as i32)]);
    let lp = a.here();
    a.mispredict();
    a.ops(&[
        sb(T2, S0, 0),
        addi(T2, T2, 1),
        lbu(T0, S0, 5), // LSR
        add(T1, T0, T2),
        sw(T1, S3, 0),
    ]);
    a.mispredict();
    // mtime, low word, then a store of it.
    a.ops(&li(T3, 0xbff8));
    a.ops(&[add(T3, T3, S2), lw(T0, T3, 0), sw(T0, S3, 4), lw(T1, S3, 4)]);
    a.mispredict();
    // mtimecmp high word (far future), written and read back.
    a.ops(&li(T3, 0x4000));
    a.ops(&[
        add(T3, T3, S2),
        addi(T0, ZERO, -1),
        sw(T0, T3, 4),
        lw(T1, T3, 4),
        sw(T1, S3, 8),
    ]);
    a.mispredict();
    a.op(addi(S1, S1, -1));
    a.to(lp, |o| bne(S1, ZERO, o));
    a.exit(0);
    let words = a.finish();
    for m in check("mmio", &covered(), &words, &no_setup, SHORT) {
        assert_eq!(m.bus.uart.output.len(), 20);
    }
}

/// Misaligned loads and stores and accesses outside RAM (trapping to a
/// handler that skips them), and RAM's last bytes.
fn faulting_accesses_program() -> Vec<u32> {
    let mut a = Asm::default();
    a.ops(&li(S3, DATA));
    a.ops(&li(S2, END - 4));
    a.ops(&li(S0, 0x4000_0000));
    a.op(addi(S1, ZERO, 6));
    let lp = a.here();
    a.mispredict();
    a.ops(&[
        addi(T0, ZERO, 5),
        lw(T1, S3, 2), // misaligned
        add(T2, T1, T0),
        sw(T0, S3, 1), // misaligned
        sh(T0, S3, 3), // misaligned
        lh(T1, S3, 6), // aligned
        lw(T1, S0, 0), // no memory there
        add(T2, T1, T1),
        sw(T2, S0, 8), // no memory there
        sw(S1, S2, 0), // RAM's last word
        lw(T0, S2, 0),
        lhu(T1, S2, 2), // its last halfword
        lw(T2, S2, 4),  // one past the end
        sb(T0, S2, 3),
        lw(T2, S2, 2), // straddles the end
        add(T0, T0, T1),
    ]);
    a.mispredict();
    a.op(addi(S1, S1, -1));
    a.to(lp, |o| bne(S1, ZERO, o));
    a.op(csrw(MTVEC, ZERO));
    a.exit(0);
    a.finish()
}

#[test]
fn misaligned_and_out_of_ram_accesses() {
    let words = faulting_accesses_program();
    for m in check(
        "faulting accesses",
        &covered(),
        &words,
        &with_handler,
        SHORT,
    ) {
        assert_eq!(exited(&m), 0);
        assert!(m.hart.reg(S5) >= 6 * 4, "traps taken: {}", m.hart.reg(S5));
    }
    // Misaligned accesses performed byte by byte instead.
    let cfgs: Vec<_> = covered()
        .into_iter()
        .map(|(n, mut c)| {
            c.misaligned = Misaligned::Emulate;
            (n, c)
        })
        .collect();
    check(
        "faulting accesses, misaligned emulated",
        &cfgs,
        &words,
        &with_handler,
        SHORT,
    );
}

/// Loads to x0 (a load-use on x0 is none), also right before a
/// mispredicted branch and as its operand.
#[test]
fn loads_to_x0() {
    let mut a = Asm::default();
    a.ops(&li(S3, DATA));
    a.ops(&[addi(S1, ZERO, 25), addi(T0, ZERO, 77), sw(T0, S3, 0)]);
    let lp = a.here();
    a.mispredict();
    a.ops(&[
        lw(ZERO, S3, 0),
        add(T1, ZERO, ZERO),
        lw(ZERO, S3, 0),
        beq(ZERO, T1, 8), // taken: mispredicted right after a load to x0
        nop(),
        lbu(ZERO, S3, 1),
        sw(ZERO, S3, 4),
        lw(T2, S3, 4),
        add(T2, T2, T0),
        lw(ZERO, S3, 0),
    ]);
    a.mispredict();
    a.op(addi(S1, S1, -1));
    a.to(lp, |o| bne(S1, ZERO, o));
    a.exit(0);
    let words = a.finish();
    check("loads to x0", &covered(), &words, &no_setup, SHORT);
}

/// Calls and returns whose link registers the next instructions read
/// (forwarded from MEM and WB), jalr with rd = rs1, and a link used as a
/// branch operand.
#[test]
fn links_read_by_the_next_instructions() {
    let mut a = Asm::default();
    let (f, g) = (a.label(), a.label());
    a.ops(&[addi(S1, ZERO, 20), addi(A0, ZERO, 0)]);
    let lp = a.here();
    a.to(f, |o| jal(RA, o));
    a.op(add(A0, A0, RA)); // after return
    a.to(g, |o| jal(T0, o));
    a.op(addi(S1, S1, -1));
    a.to(lp, |o| bne(S1, ZERO, o));
    a.op(andi(A0, A0, 0x7f));
    a.exit_a0();
    // f: reads ra at once, twice.
    a.bind(f);
    a.ops(&[
        addi(T1, RA, 0),
        add(T2, RA, T1),
        sub(T2, T2, RA),
        jalr(ZERO, RA, 0),
    ]);
    // g: jalr with rd = rs1 into a stub that uses the new link and returns
    // through it.
    a.bind(g);
    a.ops(&[
        addi(T1, T0, 0),
        auipc(T3, 0),
        addi(T3, T3, 16),
        jalr(T3, T3, 0),
    ]);
    a.ops(&[nop(), nop()]);
    // (jalr lands here: t3 holds its own link)
    a.ops(&[
        addi(T2, T3, 0),
        bne(T2, T3, 8),
        jalr(ZERO, T1, 0), // back after the jal into g
        nop(),
    ]);
    let words = a.finish();
    check("links", &covered(), &words, &no_setup, SHORT);
}

/// Loads whose value the next instruction needs, right at a redirect's
/// target, into a branch that mispredicts, and right before one.
#[test]
fn load_use_right_after_a_redirect() {
    let mut a = Asm::default();
    a.ops(&li(S3, DATA));
    a.ops(&[
        addi(S1, ZERO, 30),
        addi(T0, ZERO, 1),
        sw(T0, S3, 0),
        sw(S3, S3, 4),
    ]);
    let lp = a.here();
    a.ops(&[beq(ZERO, ZERO, 8), nop()]);
    // First instructions at the target: load-use.
    a.ops(&[lw(T1, S3, 0), add(T2, T1, T1), sw(T2, S3, 8)]);
    // A load-use into a branch that mispredicts (taken).
    a.ops(&[lw(T1, S3, 0), bne(T1, ZERO, 8), nop()]);
    // A load right before a mispredicted branch, its value used at the target.
    a.ops(&[lw(T3, S3, 4), beq(ZERO, ZERO, 8), nop(), lw(T2, T3, 0)]);
    // Chained load-use (pointer chase) and a store of the loaded value.
    a.ops(&[lw(T3, S3, 4), lw(T3, T3, 4), lw(T2, T3, 0), sw(T2, T3, 12)]);
    // A load used two instructions later (no stall, forwarded from WB).
    a.ops(&[lw(T1, S3, 0), nop(), add(T2, T1, T2)]);
    a.op(addi(S1, S1, -1));
    a.to(lp, |o| bne(S1, ZERO, o));
    a.exit(0);
    let words = a.finish();
    check("load-use", &covered(), &words, &no_setup, SHORT);
}

/// Multiply and divide with dependents right behind them, a multi-cycle
/// operation right before a mispredicted branch (in WB when the fast path
/// hands over), a branch on a product, and back-to-back multi-cycle ops.
fn muldiv_program() -> Vec<u32> {
    let mut a = Asm::default();
    a.ops(&li(S3, DATA));
    a.ops(&[addi(S1, ZERO, 12), addi(T0, ZERO, 7), addi(T1, ZERO, -3)]);
    let lp = a.here();
    a.mispredict();
    a.ops(&[
        mul(T2, T0, T1),
        add(T3, T2, T2), // dependent right behind
        div(A1, T3, T0),
        sw(A1, S3, 0), // dependent store data
        rem(A2, T2, T1),
        mulh(A3, A2, T2),
        mulhu(A4, A3, A3),
        divu(A5, A4, T0),
        add(A0, A0, A5),
        mul(T2, T2, T1),
        beq(ZERO, ZERO, 8), // mul just before a mispredicted branch
        nop(),
        div(T3, T2, T0),
        bne(T3, ZERO, 8), // branch on a quotient: taken, mispredicted
        nop(),
        lw(T2, S3, 0),
        mul(T3, T2, T2), // load-use into a mul
        remu(A6, T3, T0),
        beq(A6, A6, 8), // branch right after a divide that reads it
        nop(),
        mul(ZERO, T0, T1),  // to x0
        divu(A6, T0, ZERO), // by zero
        jal(RA, 8),         // a jump behind a divide
        nop(),
        addi(T0, T0, 1),
    ]);
    a.op(addi(S1, S1, -1));
    a.to(lp, |o| bne(S1, ZERO, o));
    a.op(andi(A0, A0, 0x7f));
    a.exit_a0();
    a.finish()
}

#[test]
fn multi_cycle_mul_div_and_dependents() {
    let words = muldiv_program();
    let mut cfgs = covered();
    for (mul, div) in [(2, 2), (4, 1), (7, 34), (1, 255), (255, 3)] {
        cfgs.push(("textbook, other latencies", config(mul, div, false)));
    }
    cfgs.push(("BTFNT, mul 5, div 9", config(5, 9, true)));
    check(
        "mul/div",
        &cfgs,
        &words,
        &no_setup,
        Plan { span: 120, ..SHORT },
    );
}

/// `fence` (modelled as a one-cycle no-op) and `fence.i` (handed over)
/// after code written by the program.
#[test]
fn fence_and_fence_i() {
    let enc1 = addi(A0, A0, 1);
    let enc2 = addi(A0, A0, 2);
    let mut a = Asm::default();
    let base = a.here();
    a.op(auipc(S0, 0));
    a.ops(&li(T1, enc1));
    a.ops(&li(T2, enc1 ^ enc2));
    a.ops(&[addi(S1, ZERO, 16), addi(A0, ZERO, 0)]);
    let lp = a.here();
    a.mispredict();
    let p = a.label();
    a.op(xor(T1, T1, T2));
    a.rel(p, base, |o| sw(T1, S0, o));
    a.op(fence_i());
    a.bind(p);
    a.op(enc1);
    a.ops(&[fence(0xf, 0xf), add(T0, A0, A0), fence(0x3, 0x3)]);
    a.mispredict();
    a.ops(&[fence(0xf, 0xf), beq(ZERO, ZERO, 8), nop()]);
    a.op(addi(S1, S1, -1));
    a.to(lp, |o| bne(S1, ZERO, o));
    a.exit_a0();
    let words = a.finish();
    for m in check("fences", &covered(), &words, &no_setup, SHORT) {
        assert_eq!(exited(&m), 8 + 2 * 8);
    }
}

/// CSR reads of the cycle and instruction counters (which the fast path
/// must leave exact), CSR writes, ecall / ebreak / illegal instructions
/// trapping to a handler, a console write, `wfi` woken by the timer with
/// interrupts globally off.
#[test]
fn csrs_and_system_instructions() {
    let mut a = Asm::default();
    a.ops(&li(S3, DATA));
    a.ops(&li(S2, MTIMECMP));
    // The timer can wake wfi but never interrupts (MIE stays clear).
    a.ops(&[addi(T0, ZERO, MIE_MTIE as i32), csrw(MIE, T0)]);
    a.ops(&[sw(ZERO, S2, 4), addi(S1, ZERO, 8)]);
    let lp = a.here();
    a.mispredict();
    a.ops(&[
        csrr(T0, MCYCLE),
        csrr(T1, MINSTRET),
        sub(T2, T0, T1),
        sw(T2, S3, 0),
        csrw(MSCRATCH, T2),
        csrrs(T3, MSCRATCH, S1),
        add(A0, A0, T3),
        ecall(), // traps: mtvec is set
        ebreak(),
        0, // illegal
        csrrw(ZERO, MSCRATCH, T0),
    ]);
    a.mispredict();
    // wfi until mtime reaches mtime + 150.
    a.ops(&li(T3, MTIME));
    a.ops(&[
        lw(T0, T3, 0),
        addi(T0, T0, 150),
        sw(T0, S2, 0),
        wfi(),
        csrr(T1, MCYCLE),
        sw(T1, S3, 4),
    ]);
    a.mispredict();
    a.op(addi(S1, S1, -1));
    a.to(lp, |o| bne(S1, ZERO, o));
    // write(1, DATA + 64, 4) of "ok!\n".
    a.ops(&li(T0, u32::from_le_bytes(*b"ok!\n")));
    a.ops(&[sw(T0, S3, 64), csrw(MTVEC, ZERO)]);
    a.ops(&[
        addi(A0, ZERO, 1),
        addi(A1, S3, 64),
        addi(A2, ZERO, 4),
        addi(A7, ZERO, 64),
        ecall(),
    ]);
    a.mispredict();
    a.ops(&[addi(T0, ZERO, 5), addi(T0, T0, 1)]);
    a.exit(0);
    let words = a.finish();
    for m in check("csrs and system", &covered(), &words, &with_handler, SHORT) {
        assert_eq!(m.bus.uart.output, b"ok!\n");
        assert_eq!(m.hart.reg(S5), 8 * 3);
    }
}

/// A timer interrupt every 300 cycles while the main loop runs with
/// interrupts enabled; the handler (interrupts off) has mispredictions of
/// its own.
#[test]
fn timer_interrupts_enabled() {
    let mut a = Asm::default();
    a.ops(&li(S3, DATA));
    a.ops(&li(S2, MTIMECMP));
    a.ops(&li(T3, MTIME));
    a.ops(&[
        sw(ZERO, S2, 4),
        lw(T0, T3, 0),
        addi(T0, T0, 200),
        sw(T0, S2, 0),
        addi(T0, ZERO, MIE_MTIE as i32),
        csrw(MIE, T0),
        csrrsi(ZERO, MSTATUS, MSTATUS_MIE),
        addi(S1, ZERO, 150),
    ]);
    let lp = a.here();
    a.mispredict();
    a.ops(&[
        lw(T0, S3, 0),
        addi(T0, T0, 1),
        sw(T0, S3, 0),
        mul(T1, T0, T0),
        add(A0, A0, T1),
    ]);
    a.mispredict();
    a.op(addi(S1, S1, -1));
    a.to(lp, |o| bne(S1, ZERO, o));
    a.ops(&[csrrci(ZERO, MSTATUS, MSTATUS_MIE), csrw(MTVEC, ZERO)]);
    // Off for good: the fast path may run the rest.
    let l2 = a.here();
    a.mispredict();
    a.ops(&[addi(T2, T2, 1), slti(T1, T2, 20)]);
    a.to(l2, |o| bne(T1, ZERO, o));
    a.exit(0);
    let words = a.finish();
    for m in check("timer interrupts", &covered(), &words, &with_handler, SHORT) {
        assert!(m.hart.reg(S4) >= 3, "interrupts taken: {}", m.hart.reg(S4));
    }
}

/// The static BTFNT predictor predicting taken: backward loops, `jal`,
/// a never-taken backward branch predicted to a misaligned target, and
/// returns (`jalr`, always mispredicted).
#[test]
fn btfnt_predicts_taken_to_targets() {
    let mut a = Asm::default();
    let func = a.label();
    a.ops(&li(S3, DATA));
    a.op(addi(S1, ZERO, 20));
    let outer = a.here();
    a.op(addi(T0, ZERO, 5));
    let inner = a.here();
    a.ops(&[addi(T0, T0, -1), mul(T1, T0, T0), sw(T1, S3, 0)]);
    a.to(inner, |o| bne(T0, ZERO, o));
    a.to(func, |o| jal(RA, o));
    a.op(add(T2, RA, A0));
    // Never taken, predicted taken (backward) to pc - 2.
    a.op(bne(ZERO, ZERO, -2));
    a.op(bne(S1, S1, -4094));
    // Forward taken (mispredicted on both predictors).
    a.op(bne(S1, ZERO, 8));
    a.op(nop());
    a.op(addi(S1, S1, -1));
    a.to(outer, |o| bne(S1, ZERO, o));
    a.op(andi(A0, A0, 0x7f));
    a.exit_a0();
    a.bind(func);
    a.ops(&[addi(A0, A0, 1), lw(T3, S3, 0), jalr(ZERO, RA, 0)]);
    let words = a.finish();
    let cfgs = vec![
        ("BTFNT", config(1, 1, true)),
        ("BTFNT, mul 2, div 5", config(2, 5, true)),
        ("BTFNT, mul 6", config(6, 1, true)),
        ("textbook", config(1, 1, false)),
    ];
    for m in check("BTFNT", &cfgs, &words, &no_setup, SHORT) {
        assert_eq!(exited(&m), 20);
    }
}

/// Branches and jumps to 2-byte boundaries (legal with C: IALIGN = 16),
/// landing on the second parcel of a word whose first parcel must not run,
/// taken and not taken, on both predictors; BTFNT also predicts the `jal`
/// to a 2-byte boundary in IF.
#[test]
fn branches_to_2_byte_boundaries() {
    let skipped = c_addi(S5, 31); // must never run
    let counted = c_addi(S5, 1);
    let mut a = Asm::default();
    a.op(addi(S1, ZERO, 10));
    let lp = a.here();
    a.mispredict();
    a.ops(&[
        jal(RA, 6), // to the second parcel of the next word
        cpair(skipped, counted),
        addi(T0, RA, 0),
        beq(ZERO, ZERO, 6), // taken to a 2-byte boundary
        cpair(skipped, counted),
        bne(ZERO, ZERO, 6), // not taken
        cpair(c_nop(), counted),
        auipc(T1, 0),
        addi(T1, T1, 14),
        jalr(ZERO, T1, 0), // to auipc + 14: the second parcel below
        cpair(skipped, counted),
        auipc(T1, 0),
        addi(T1, T1, 15), // bit 0 is dropped: auipc + 14
        jalr(T2, T1, 0),
        cpair(skipped, counted),
        addi(T0, T0, 1),
    ]);
    a.op(addi(S1, S1, -1));
    a.to(lp, |o| bne(S1, ZERO, o));
    a.op(csrw(MTVEC, ZERO));
    a.exit(0);
    let words = a.finish();
    let mut cfgs = covered();
    cfgs.push(("BTFNT", config(1, 1, true)));
    for m in check("2-byte targets", &cfgs, &words, &with_handler, SHORT) {
        assert_eq!(m.hart.reg(S5), 50);
    }
}

/// A mix of everything the fast path models, stopped every n cycles for
/// every n from 64 to 400.
#[test]
fn every_stop_length_from_64() {
    let mut a = Asm::default();
    a.ops(&li(S3, DATA));
    a.ops(&[addi(S1, ZERO, 40), addi(T0, ZERO, 3)]);
    let lp = a.here();
    a.ops(&[
        lw(T1, S3, 0),
        add(T1, T1, T0),
        sw(T1, S3, 0),
        mul(T2, T1, T0),
        andi(T3, T2, 3),
        beq(T3, ZERO, 12), // data-dependent: sometimes mispredicted
        addi(A0, A0, 1),
        jal(RA, 8),
        nop(),
        lw(T2, S3, 0),
        divu(T3, T2, T0),
        sw(T3, S3, 4),
    ]);
    a.op(addi(S1, S1, -1));
    a.to(lp, |o| bne(S1, ZERO, o));
    a.op(andi(A0, A0, 0x7f));
    a.exit_a0();
    let words = a.finish();
    check(
        "every stop length",
        &covered(),
        &words,
        &no_setup,
        Plan { span: 337, ..SHORT },
    );
}

/// More than 250 instructions without a misprediction (the fast path's
/// window), with and without mispredictions around them, in a loop, and
/// straight through to the exit.
#[test]
fn long_stretches_without_a_misprediction() {
    let body = |a: &mut Asm, n: usize| {
        for i in 0..n {
            match i % 10 {
                3 => a.op(sw(T0, S3, (i % 64) as i32 * 4)),
                5 => a.op(lw(T1, S3, (i % 64) as i32 * 4)),
                6 => a.op(add(T2, T1, T0)),
                7 => a.op(bne(ZERO, ZERO, 8)), // correctly predicted
                8 => a.op(mul(T3, T2, T0)),
                _ => a.op(addi(T0, T0, 1)),
            }
        }
    };
    for (len, loops) in [
        (200, 6),
        (245, 4),
        (247, 4),
        (248, 4),
        (249, 4),
        (260, 3),
        (600, 2),
    ] {
        let mut a = Asm::default();
        a.ops(&li(S3, DATA));
        a.op(addi(S1, ZERO, loops));
        a.mispredict();
        let lp = a.here();
        body(&mut a, len);
        a.op(addi(S1, S1, -1));
        a.to(lp, |o| bne(S1, ZERO, o)); // mispredicted while looping
        body(&mut a, len);
        a.exit(0);
        let words = a.finish();
        check(
            &format!("{len} instructions between mispredictions"),
            &covered()[..2],
            &words,
            &no_setup,
            Plan {
                span: 40,
                fast: len < 240,
                ..SHORT
            },
        );
    }
}

/// Code at the very end of RAM: a mispredicted branch in its last word
/// whose wrong-path fetches fall outside RAM, and finally running off the
/// end (a fetch fault; without and with a handler). (`faulting_accesses`
/// loads and stores RAM's last bytes.)
#[test]
fn running_off_the_end_of_ram() {
    let mut a = Asm::default();
    a.ops(&li(S2, DATA));
    a.ops(&[addi(S1, ZERO, 12), addi(T0, ZERO, 9)]);
    let lp = a.here();
    a.mispredict();
    a.ops(&[
        sw(T0, S2, 0),
        lw(T1, S2, 0),
        add(T0, T0, T1),
        sh(T0, S2, 2),
        lbu(T2, S2, 3),
        addi(T0, T0, 1),
        addi(S1, S1, -1),
    ]);
    // The last word of RAM: taken while looping (mispredicted, the wrong
    // path is outside RAM), then falling through to the end.
    a.to(lp, |o| bne(S1, ZERO, o));
    let tail = a.finish();
    let start = END - 4 * tail.len() as u32;
    let words = vec![jal(ZERO, (start - RAM_BASE) as i32)];
    let setup = move |m: &mut Machine| load(m, start, &tail);
    let mut cfgs = covered();
    cfgs.push(("BTFNT", config(1, 1, true)));
    for m in check("off the end", &cfgs, &words, &setup, SHORT) {
        let Some(Halt::Error(msg)) = &m.halt else {
            panic!("{:?}", m.halt)
        };
        assert!(msg.contains(&format!("{END:#010x}")), "{msg}");
    }
    // And with a handler, which finds the end as well.
    let setup2 = |m: &mut Machine| {
        setup(m);
        let mut a = Asm::default();
        a.ops(&[csrw(MTVEC, ZERO), addi(A0, ZERO, 4)]);
        a.mispredict();
        a.exit_a0();
        load(m, HANDLER, &a.finish());
        install_handler(m);
    };
    for m in check("off the end, handled", &covered(), &words, &setup2, SHORT) {
        assert_eq!(exited(&m), 4);
    }
}

/// An endless loop of mispredictions (a branch to itself), stopped only by
/// the cycle limit.
#[test]
fn endless_loop_stopped_by_the_cycle_limit() {
    let mut a = Asm::default();
    a.ops(&[addi(T0, ZERO, 1), beq(ZERO, ZERO, 0)]);
    let words = a.finish();
    check(
        "branch to itself",
        &covered(),
        &words,
        &no_setup,
        Plan {
            span: 100,
            cap: 5_000,
            fast: true,
        },
    );
}

/// `lr.w`, `sc.w` and AMOs between long plain stretches the fast path
/// carries: a store and an AMO elsewhere keep the reservation (the `sc.w`
/// succeeds), a store to the reserved word clears it (the `sc.w` fails).
/// The fast path hands over before each atomic and before a store while a
/// reservation is held (docs/timing.md, "Atomics").
#[test]
fn atomics_and_stores_while_a_reservation_is_held() {
    let atomic = |f5: u32, rd: Reg, rs1: Reg, rs2: Reg| r_type(f5 << 2, rs2, rs1, 2, rd, 0x2f);
    let (lr_w, sc_w, amoadd) = (0b00010, 0b00011, 0b00000);
    // Each stretch starts with a sync point the fast path can start from
    // and ends with one it can hand over at (it undoes back to the last
    // sync point before what it does not model).
    let stretch = |a: &mut Asm| {
        a.mispredict();
        for _ in 0..40 {
            a.op(addi(T3, T3, 1));
        }
        a.mispredict();
    };
    let mut a = Asm::default();
    a.ops(&[lui(S0, DATA >> 12), addi(S2, S0, 8)]);
    a.ops(&[addi(S1, ZERO, 10), addi(A0, ZERO, 0), addi(T1, ZERO, 5)]);
    let lp = a.here();
    a.op(atomic(lr_w, T0, S0, ZERO));
    stretch(&mut a);
    a.op(sw(T1, S0, 4));
    a.op(atomic(amoadd, ZERO, S2, T1));
    stretch(&mut a);
    a.op(atomic(sc_w, T2, S0, T1)); // succeeds: 0
    a.op(add(A0, A0, T2));
    a.op(atomic(lr_w, T0, S0, ZERO));
    stretch(&mut a);
    a.op(sw(T1, S0, 0));
    stretch(&mut a);
    a.op(atomic(sc_w, T2, S0, T1)); // fails: 1
    a.op(add(A0, A0, T2));
    a.op(addi(S1, S1, -1));
    a.to(lp, |o| bne(S1, ZERO, o));
    a.exit_a0();
    let words = a.finish();
    for m in check("reservation", &covered(), &words, &no_setup, SHORT) {
        assert_eq!(exited(&m), 10, "ten failed sc.w, ten that succeeded");
        assert_eq!(m.peek(DATA + 8, 4), Some(50), "ten amoadd.w of 5");
    }
}
