//! The fast path: the five-stage core's timing worked out one instruction
//! at a time instead of one cycle at a time, for the stretches of a run
//! that nobody watches cycle by cycle (no breakpoints, no kept chart
//! history, no single steps).
//!
//! It applies the same rules as `cycle.rs` in closed form. For each
//! instruction on the correct path it computes the cycle it leaves IF
//! (`l`), runs in ID (`d`) and last occupies EX (`x`); MEM and WB follow at
//! `x + 1` and `x + 2` with ideal memory. A mispredicted branch resolved in
//! EX at cycle `x` refetches at `x + 1`, after two wrong-path fetches.
//!
//! It hands over only at *sync points*: the start of a cycle in which IF,
//! ID and EX are empty, and MEM and WB hold at most a branch that has
//! executed and the instruction before it. That is the state right after a
//! misprediction in EX (and after reset or a flush), and it is the only
//! state the fast path needs to rebuild for the cycle model: the two
//! instructions left in flight have executed, so their pipeline registers
//! are fixed by what they computed. Anything the fast path does not model
//! (CSRs, system instructions, faults, MMIO, `tohost`, code written just
//! before it is fetched, the run's cycle limit) makes it undo its work back
//! to the last sync point and hand over there; the cycle model then runs
//! through it. Nothing outside this file knows the fast path exists except
//! the run loop, and `tests/fast_path.rs` checks every handover against
//! the cycle model, cycle for cycle.
//!
//! It covers the configurations it was built for: forwarding and hazard
//! detection on, branches in EX, a static predictor, ideal memory (the
//! `textbook` preset, with any multiply and divide latency).

use super::cycle::sources;
use super::latch::{Slot, Tag};
use super::predictor::{BranchKind, btfnt_target};
use super::{Pipeline, SLOTS};
use crate::config::{BranchStage, CoreConfig, CoreModel, PredictorConfig};
use crate::isa::exec::{alu, branch_target, load_extend, mem_addr, mem_width};
use crate::isa::{Inst, InstClass, Op, inst_bits};
use crate::machine::{DecodeTable, Machine};

/// Instructions the fast path remembers (a power of two). Going further
/// than this past the last sync point without reaching another ends the
/// stretch there.
const RING: usize = 256;

/// Runs shorter than this go cycle by cycle: the fast path could not reach
/// a sync point and hand over in time to pay for itself.
pub(super) const MIN_CYCLES: u64 = 64;

/// What the fast path keeps of each instruction: enough to undo it and to
/// know when its register was written. Everything else a handover needs
/// is worked out again for the two instructions it concerns.
#[derive(Clone, Copy, Debug, Default)]
struct Rec {
    /// The last cycle it occupied EX (MEM at `x + 1`, WB at `x + 2`).
    x: u64,
    /// The value its destination held before.
    old: u32,
    /// Its destination (0: none).
    dest: u8,
}

/// Counts since the fast path began, folded into the statistics when it
/// hands over.
#[derive(Clone, Copy, Default)]
struct Tally {
    class_counts: [u64; InstClass::ALL.len()],
    forwards: u64,
    load_use: u64,
    predictions: [(u64, u64); 3],
    mispredicts: u64,
}

/// The fast path's memory between runs (allocated once).
#[derive(Clone)]
pub(super) struct Scratch {
    recs: Vec<Rec>,
    /// Stores since the last sync point: address, width, old value.
    undo: Vec<(u32, u32, u32)>,
}

impl std::fmt::Debug for Scratch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Scratch")
    }
}

impl Default for Scratch {
    fn default() -> Self {
        Scratch {
            recs: vec![Rec::default(); RING],
            undo: Vec::new(),
        }
    }
}

/// A sync point the fast path can hand over at: right after a branch
/// mispredicted in EX.
#[derive(Clone, Copy)]
struct SyncPoint {
    /// Index of the first record after it.
    n: u64,
    /// The next fetch.
    seq: u64,
    pc: u32,
    cycle: u64,
    /// The branch, and the instruction before it.
    branch_pc: u32,
    before_pc: u32,
    /// Their words as fetched (a store may have overwritten its own):
    /// raw, as the decode table is tagged, or their own bits.
    branch_word: u32,
    before_word: u32,
    undo_len: usize,
    last_store: Option<(u32, u32, u32)>,
    tally: Tally,
}

/// The instructions in flight when the fast path began (records
/// `0..n`): their slots and classes, and the write-back value the
/// branch's slot held before the fast path ran its MEM.
struct Entry {
    n: u64,
    slots: [(u8, InstClass); 2],
    branch_wb: Option<(u8, u32)>,
}

/// An instruction a handover puts back in a pipeline register, worked
/// out again from its pc, its timing and the registers around it.
struct Redo {
    seq: u64,
    pc: u32,
    word: u32,
    predicted_next: u32,
    next_pc: u32,
    inst: Inst,
    class: InstClass,
    /// Register values before it ran.
    a: u32,
    b: u32,
    /// The value a load brought (also for rd = x0).
    wb_value: u32,
    lat: u32,
}

/// What the fast path asks of each opcode, in one word: cycles in EX in
/// the low byte (0: the fast path hands over before it), then whether it
/// reads rs1, reads rs2 and writes rd.
fn op_facts(config: &CoreConfig) -> [u32; Op::ALL.len()] {
    Op::ALL.map(|op| {
        let inst = Inst {
            op,
            ..Inst::ILLEGAL
        };
        let lat = match inst.class() {
            _ if op == Op::FenceI => 0,
            InstClass::Csr | InstClass::System | InstClass::Illegal | InstClass::Atomic => 0,
            class => config.ex_cycles(class).min(255),
        };
        let writes = Inst { rd: 1, ..inst }.dest().is_some();
        lat | (inst.reads_rs1() as u32) << READS_RS1
            | (inst.reads_rs2() as u32) << READS_RS2
            | (writes as u32) << WRITES_RD
    })
}

const READS_RS1: u32 = 8;
const READS_RS2: u32 = 9;
const WRITES_RD: u32 = 10;

impl Pipeline {
    /// Whether this pipeline's configuration and the machine's state let
    /// the fast path run now (the run loop checks the cheap part first).
    pub(super) fn fast_path_allowed(&self, m: &Machine) -> bool {
        let c = &self.config;
        // The tests that fail first for configurations it does not cover
        // come first: this runs on many cycles of theirs.
        m.memory.is_none()
            && matches!(
                c.predictor,
                PredictorConfig::StaticNotTaken | PredictorConfig::StaticBtfnt
            )
            && !self.cycle_by_cycle
            && c.model == CoreModel::FiveStage
            && c.forwarding
            && c.hazard_detection
            && c.branch_resolution == BranchStage::Ex
            // Latencies beyond 255 cycles are left to the cycle model.
            && c.mul_latency < 256
            && c.div_latency < 256
            && self.history.is_none()
            // Breakpoints, watchpoints and event stops watch single
            // cycles and accesses.
            && !m.stops_armed()
            // No interrupt can become pending: they are disabled, and only
            // instructions the fast path hands over for enable them.
            && (!m.hart.interrupts_enabled() || m.hart.mie == 0)
            && m.halt.is_none()
            && self.at_sync_point()
    }

    /// The start of a cycle at which the fast path can take over.
    fn at_sync_point(&self) -> bool {
        let quiet = self.if_hold.is_none()
            && self.if_id.is_none()
            && self.id_ex.is_none()
            && self.if_busy == 0
            && self.mem_busy == 0
            && self.ex_cycles == 0
            && !self.keep_pc_at_retire;
        let branch_ok = self.ex_mem.is_none_or(|i| {
            let s = self.at(i);
            matches!(s.class, InstClass::Branch | InstClass::Jump) && s.fault.is_none()
        });
        let wb_ok = self.mem_wb.is_none_or(|i| {
            let s = self.at(i);
            s.fault.is_none() && !s.tohost && !matches!(s.class, InstClass::System)
        });
        quiet && branch_ok && wb_ok
    }

    /// Runs the fast path from a sync point, up to a sync point before
    /// `limit`, and leaves the pipeline as the cycle model would have it
    /// there. Returns whether it got anywhere.
    pub(super) fn fast_forward(&mut self, m: &mut Machine, limit: u64) -> bool {
        let mut scratch = self.fast.take().unwrap_or_default();
        let mut table = m.take_decode_table();
        let progress = self.fast_run(m, limit, &mut scratch, &mut table);
        m.put_decode_table(table);
        self.fast = Some(scratch);
        progress
    }

    // Kept out of the run loop it is called from: inlined there, its
    // loop shared registers with the cycle model's code and spilled more
    // (callgrind on matmul under `textbook`: 236 M host instructions
    // inlined, 231 M as its own function; docs/performance.md).
    #[inline(never)]
    fn fast_run(
        &mut self,
        m: &mut Machine,
        limit: u64,
        sc: &mut Scratch,
        table: &mut DecodeTable,
    ) -> bool {
        let recs = &mut sc.recs[..];
        let at = |n: u64| n as usize & (RING - 1);
        let c0 = m.cycle;
        sc.undo.clear();

        // The instructions in WB and MEM retire on the fast path; each
        // writes its register now. MEM of the branch sets its write-back
        // value.
        let mut n: u64 = 0;
        let mut entry = Entry {
            n: 0,
            slots: [(0, InstClass::Illegal); 2],
            branch_wb: None,
        };
        let (mut pc1, mut word1) = (0, 0);
        for (latch, age) in [(self.mem_wb, 2), (self.ex_mem, 1)] {
            let Some(i) = latch else { continue };
            let s = self.at_mut(i);
            if age == 1 {
                entry.branch_wb = Some((i, s.wb_value));
                (s.wb_value, s.tohost) = (s.alu_result, false);
            }
            let (dest, value, class) = (s.dest, s.wb_value, s.class);
            (pc1, word1) = (s.tag.pc, s.tag.word);
            recs[at(n)] = Rec {
                x: c0.saturating_sub(age),
                old: m.hart.reg(dest),
                dest,
            };
            if dest != 0 {
                m.hart.set_reg(dest, value);
            }
            m.instret += 1;
            self.stats.class_counts[class as usize] += 1;
            entry.slots[n as usize] = (i, class);
            n += 1;
        }
        entry.n = n;
        let entry_store = m.last_store;

        // The instruction ahead (1) and the one before it (2): when each
        // ran in ID (d) and left EX (x), what it writes, whether it is a
        // load, the word it stored to (MAX: none), and its pc.
        let prev = |k: u64| {
            if n >= k {
                recs[at(n - k)]
            } else {
                Rec::default()
            }
        };
        let (r1, r2) = (prev(1), prev(2));
        let (mut x1, mut dest1, mut x2, mut dest2) = (r1.x, r1.dest, r2.x, r2.dest);
        let mut d1 = x1.saturating_sub(1);
        let mut load1 = false;
        let (mut st1, mut st2) = (u32::MAX, u32::MAX);
        let mut f = c0; // when the next instruction is fetched
        let mut pc = self.fetch_pc;
        let mut seq = self.next_seq;
        let facts = op_facts(&self.config);
        let mut t = Tally::default();
        let mut sync: Option<SyncPoint> = None;
        let mut stop_n = n + (RING - 8) as u64;
        // A store may end a reservation; only `lr.w` and `sc.w`, which
        // the fast path hands over before, change whether one is held.
        let reserved = m.reservation.is_some();
        let btfnt = self.predictor.is_btfnt();

        while f < limit && n < stop_n {
            // ---- IF ----
            // The raw word at pc tags the decode cache (as in the
            // functional core); a handover takes the instruction's own
            // bits from it. The last parcel of RAM is left to the cycle
            // model.
            let Some(word) = m.bus.ram.fetch(pc) else {
                break;
            };
            let inst = table.get(pc, word);
            // The stores of the two instructions ahead happen in MEM after
            // this fetch (the older one's only if its MEM is later): code
            // they write is fetched stale, which the cycle model shows. An
            // instruction spans one or two words (a 32-bit one at pc + 2
            // mod 4 spans two); a store writes within one, so word `st`
            // overlaps it when st <= its last byte < st + len + 3. (With
            // no store, st = MAX, this holds only for pc < 3, outside RAM.)
            let fall_through = inst.next_pc(pc);
            let last = fall_through.wrapping_sub(1);
            let span = inst.len as u32 + 3;
            let writes = |st: u32| last.wrapping_sub(st) < span;
            if writes(st1) || (writes(st2) && x2 + 1 > f) {
                break;
            }
            // The static predictors, from the decoded instruction (the
            // fetch stage predecodes the same word).
            let predicted_next = match btfnt {
                true => btfnt_target(pc, &inst).unwrap_or(fall_through),
                false => fall_through,
            };
            // IF passes it to ID once ID has moved on, unless a
            // multi-cycle operation holds EX while ID is empty.
            let mut l = f.max(d1);
            if l > d1 && l < x1 {
                l = x1;
            }

            // ---- ID ----
            let op = facts[inst.op as usize];
            let lat = (op & 0xff) as u64;
            if lat == 0 {
                break;
            }
            let class = inst.class();
            let bit = |b: u32, r: u8| if op >> b & 1 != 0 { r } else { 0 };
            let (s1, s2) = (bit(READS_RS1, inst.rs1), bit(READS_RS2, inst.rs2));
            // EX holds the instruction ahead until its last cycle; a load
            // ahead that writes a source costs one more (load-use).
            let mut d = (l + 1).max(x1);
            let load_use = load1 && dest1 != 0 && (s1 == dest1 || s2 == dest1);
            if load_use {
                d = d.max(x1 + 1);
            }
            t.load_use += (load_use && l + 1 == x1) as u64;

            // ---- EX ----
            let e = d + 1;
            let x = e + lat - 1;
            // Producers in MEM and WB when it enters EX.
            let mem_dest = if x1 + 1 == e { dest1 } else { 0 };
            let wb_dest = if x1 + 2 == e {
                dest1
            } else if x2 + 2 == e {
                dest2
            } else {
                0
            };
            let hit = |r: u8| (r != 0 && (r == mem_dest || r == wb_dest)) as u64;
            t.forwards += hit(s1) + hit(s2);
            let a = m.hart.reg(inst.rs1);
            let b = m.hart.reg(inst.rs2);
            let mut next_pc = fall_through;
            let mut store_word = u32::MAX;
            let mut mispredict = false;
            let result = match class {
                InstClass::Load => {
                    let addr = mem_addr(&inst, a);
                    let width = mem_width(inst.op);
                    if addr & (width - 1) != 0 || m.bus.ram.offset(addr, width).is_none() {
                        break;
                    }
                    load_extend(inst.op, m.bus.ram.read(addr, width))
                }
                InstClass::Store => {
                    let addr = mem_addr(&inst, a);
                    let width = mem_width(inst.op);
                    if addr & (width - 1) != 0
                        || m.bus.ram.offset(addr, width).is_none()
                        || m.touches_tohost(addr, width)
                        || reserved
                    {
                        break;
                    }
                    sc.undo.push((addr, width, m.bus.ram.read(addr, width)));
                    m.bus.ram.store_aligned(addr, width, b);
                    m.last_store = Some((addr, width, b));
                    store_word = addr & !3;
                    0
                }
                InstClass::Branch | InstClass::Jump => {
                    let next = branch_target(&inst, pc, a, b).unwrap_or(next_pc);
                    if next & 1 != 0 {
                        break;
                    }
                    next_pc = next;
                    mispredict = next != predicted_next;
                    let kind = BranchKind::of(inst.op).unwrap_or(BranchKind::Conditional);
                    let p = &mut t.predictions[kind as usize];
                    p.0 += 1;
                    p.1 += !mispredict as u64;
                    alu(&inst, pc, a, b)
                }
                _ => alu(&inst, pc, a, b),
            };

            // ---- MEM, WB ----
            let dest = bit(WRITES_RD, inst.rd);
            recs[at(n)] = Rec {
                x,
                old: m.hart.reg(dest),
                dest,
            };
            if dest != 0 {
                m.hart.set_reg(dest, result);
            }
            t.class_counts[class as usize] += 1;
            n += 1;
            seq += 1;
            (x2, dest2, st2) = (x1, dest1, st1);
            (d1, x1, dest1, load1, st1) = (d, x, dest, class == InstClass::Load, store_word);
            let (before_pc, before_word) = (pc1, word1);
            (pc1, word1) = (pc, word);
            if mispredict {
                // Two wrong-path fetches (in IF and ID) are squashed.
                t.mispredicts += 1;
                seq += 2;
                f = x + 1;
                if f < limit {
                    sync = Some(SyncPoint {
                        n,
                        seq,
                        pc: next_pc,
                        cycle: f,
                        branch_pc: pc,
                        before_pc,
                        branch_word: word,
                        before_word,
                        undo_len: sc.undo.len(),
                        last_store: m.last_store,
                        tally: t,
                    });
                    stop_n = n + (RING - 8) as u64;
                }
                pc = next_pc;
            } else {
                f = l + 1;
                pc = predicted_next;
            }
        }

        // Undo everything after the sync point (all of it without one).
        let back_to = sync.map_or(entry.n, |s| s.n);
        for k in (back_to..n).rev() {
            let r = recs[at(k)];
            if r.dest != 0 {
                m.hart.x[r.dest as usize] = r.old;
            }
        }
        let undo_len = sync.map_or(0, |s| s.undo_len);
        for &(addr, width, old) in sc.undo[undo_len..].iter().rev() {
            m.bus.ram.write(addr, width, old);
        }
        let Some(sync) = sync else {
            // Nowhere: put back the instructions in flight.
            for k in (0..entry.n).rev() {
                self.unretire(m, &recs[at(k)], entry.slots[k as usize].1);
            }
            if let Some((i, wb)) = entry.branch_wb {
                self.at_mut(i).wb_value = wb;
            }
            m.last_store = entry_store;
            return false;
        };
        m.last_store = sync.last_store;
        self.count(m, &sync.tally);
        self.hand_over(m, recs, &sync, &entry);
        self.fast_path_cycles += m.cycle - c0;
        true
    }

    /// Adds what the fast path counted to the statistics.
    fn count(&mut self, m: &mut Machine, t: &Tally) {
        let s = &mut self.stats;
        for (total, n) in s.class_counts.iter_mut().zip(t.class_counts) {
            *total += n;
            m.instret += n;
        }
        // Every cycle in EX but the last holds the stages behind.
        for class in [InstClass::Mul, InstClass::Div] {
            s.stall_ex_busy +=
                (self.config.ex_cycles(class) as u64 - 1) * t.class_counts[class as usize];
        }
        s.forwards += t.forwards;
        s.stall_load_use += t.load_use;
        for (total, p) in s.predictions.iter_mut().zip(t.predictions) {
            (total.0, total.1) = (total.0 + p.0, total.1 + p.1);
        }
        s.flush_mispredict += t.mispredicts;
        s.squashed += 2 * t.mispredicts;
    }

    /// Leaves the pipeline at `sync` as the cycle model would: the branch
    /// that mispredicted in MEM's register, the instruction before it in
    /// WB's if no bubble came between them, and neither retired yet. The
    /// register file holds what both wrote.
    fn hand_over(&mut self, m: &mut Machine, recs: &[Rec], sync: &SyncPoint, entry: &Entry) {
        let at = |n: u64| n as usize & (RING - 1);
        let c = sync.cycle;
        // The branch is always one the fast path ran; the instruction
        // before it may have been in flight when it began, or not exist.
        let kb = sync.n - 1;
        let branch = recs[at(kb)];
        let before = (kb >= 1).then(|| recs[at(kb - 1)]);
        let before_in_wb = before.is_some_and(|r| r.x + 2 == c);
        // Register `reg` before record `k` ran: undo the writes from the
        // newest record back to `k`.
        let value_before = |k: u64, reg: u8| {
            let mut v = m.hart.reg(reg);
            for j in (k..sync.n).rev() {
                let r = recs[at(j)];
                if r.dest == reg && reg != 0 {
                    v = r.old;
                }
            }
            v
        };
        // What ID read in cycle `d`: older instructions may not have
        // written back yet.
        let id_read = |k: u64, d: u64, reg: u8| {
            let mut v = value_before(k, reg);
            for j in (k.saturating_sub(4)..k).rev() {
                let r = recs[at(j)];
                if r.x + 2 <= d {
                    break;
                }
                if r.dest == reg && reg != 0 {
                    v = r.old;
                }
            }
            v
        };
        let redo = |k: u64, pc: u32, word: u32, next_pc: u32, x: u64| {
            let inst = crate::isa::decode(word);
            let class = inst.class();
            let lat = self.config.ex_cycles(class);
            let (a, b) = (value_before(k, inst.rs1), value_before(k, inst.rs2));
            let wb_value = match class {
                InstClass::Load => {
                    let addr = mem_addr(&inst, a);
                    load_extend(inst.op, m.bus.ram.read(addr, mem_width(inst.op)))
                }
                _ => 0,
            };
            let d = x - lat as u64;
            let read = |reg| id_read(k, d, reg);
            let redo = Redo {
                seq: 0,
                pc,
                word,
                predicted_next: self.predictor.predict_next(pc, word),
                next_pc,
                inst,
                class,
                a,
                b,
                wb_value,
                lat,
            };
            let slot = slot_of(&redo, read);
            (redo, slot)
        };
        let (b, mut b_slot) = redo(
            kb,
            sync.branch_pc,
            inst_bits(sync.branch_word),
            sync.pc,
            branch.x,
        );
        b_slot.tag.seq = sync.seq - 3;
        let before_slot = before.filter(|_| kb > entry.n).map(|r| {
            let (o, mut slot) = redo(
                kb - 1,
                sync.before_pc,
                inst_bits(sync.before_word),
                b.pc,
                r.x,
            );
            let mispredicted =
                matches!(o.class, InstClass::Branch | InstClass::Jump) && o.predicted_next != b.pc;
            slot.tag.seq = b_slot.tag.seq - if mispredicted { 3 } else { 1 };
            slot
        });
        let index = |seq: u64| (seq as usize & (SLOTS - 1)) as u8;
        // Where the instruction before is, and its class.
        let before_at = before.map(|_| match before_slot {
            Some(s) => (index(s.tag.seq), s.class),
            None => entry.slots[(kb - 1) as usize],
        });

        // Neither has retired.
        self.unretire(m, &branch, b.class);
        if before_in_wb && let (Some(r), Some((_, class))) = (before, before_at) {
            self.unretire(m, &r, class);
        }
        if let Some(s) = before_slot {
            self.claim_slot(index(s.tag.seq));
            *self.at_mut(index(s.tag.seq)) = s;
        }
        let branch_i = index(b_slot.tag.seq);
        self.claim_slot(branch_i);
        *self.at_mut(branch_i) = b_slot;

        self.ex_mem = Some(branch_i);
        self.mem_wb = None;
        m.hart.pc = b.pc;
        if let Some((i, _)) = before_at {
            if before_in_wb {
                self.mem_wb = Some(i);
                m.hart.pc = sync.before_pc;
            } else {
                self.retired_slot = Some(i);
            }
        }
        (self.if_hold, self.if_id, self.id_ex) = (None, None, None);
        self.fetch_pc = sync.pc;
        self.next_seq = sync.seq;
        m.cycle = c;
    }

    /// Takes back an instruction's retirement and its register write.
    fn unretire(&mut self, m: &mut Machine, r: &Rec, class: InstClass) {
        if r.dest != 0 {
            m.hart.x[r.dest as usize] = r.old;
        }
        m.instret -= 1;
        self.stats.class_counts[class as usize] -= 1;
    }

    /// Keeps the last retired instruction readable before its slot is
    /// reused, as IF does.
    fn claim_slot(&mut self, i: u8) {
        if self.retired_slot == Some(i) {
            self.retired_copy = Some(*self.at(i));
            self.retired_slot = None;
        }
    }
}

/// The pipeline register of an instruction that has executed, as the
/// cycle model fills it; `id_read` gives what ID read of a register.
fn slot_of(r: &Redo, id_read: impl Fn(u8) -> u32) -> Slot {
    let inst = r.inst;
    let (read1, read2) = (id_read(inst.rs1), id_read(inst.rs2));
    // EX used the current value of each source (forwarded when needed) and
    // what ID read of any other field.
    let a = if inst.reads_rs1() { r.a } else { read1 };
    let b = if inst.reads_rs2() { r.b } else { read2 };
    let latched = r.lat > 1;
    let alu_result = match r.class {
        InstClass::Load | InstClass::Store => mem_addr(&inst, a),
        InstClass::Fence => 0,
        _ => alu(&inst, r.pc, a, b),
    };
    Slot {
        tag: Tag {
            seq: r.seq,
            pc: r.pc,
            word: r.word,
        },
        predicted_next: r.predicted_next,
        inst,
        class: r.class,
        dest: inst.dest().unwrap_or(0),
        srcs: sources(&inst),
        rs1_value: if latched { a } else { read1 },
        rs2_value: if latched { b } else { read2 },
        resolved_next: None,
        operands_latched: latched,
        alu_result,
        store_data: b,
        next_pc: r.next_pc,
        wb_value: if r.class == InstClass::Load {
            r.wb_value
        } else {
            alu_result
        },
        tohost: false,
        fault: None,
    }
}
