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

use super::latch::{Slot, Tag};
use super::predictor::BranchKind;
use super::{Pipeline, SLOTS};
use crate::config::{BranchStage, CoreModel, PredictorConfig};
use crate::isa::exec::{alu, branch_target, load_extend, mem_addr, mem_width};
use crate::isa::{Inst, InstClass, Op};
use crate::machine::Machine;

/// Instructions the fast path remembers (a power of two). Going further
/// than this past the last sync point without reaching another ends the
/// stretch there.
const RING: usize = 256;

/// Runs shorter than this go cycle by cycle: the fast path could not reach
/// a sync point and hand over in time to pay for itself.
pub(super) const MIN_CYCLES: u64 = 64;

/// One instruction on the fast path: what it did, when, and what it
/// changed (so that it can be undone).
#[derive(Clone, Copy, Debug)]
struct Rec {
    seq: u64,
    pc: u32,
    word: u32,
    predicted_next: u32,
    next_pc: u32,
    inst: Inst,
    class: InstClass,
    dest: u8,
    /// It was in flight when the fast path began: its slot is the cycle
    /// model's.
    in_slot: bool,
    /// A mispredicted branch or jump (it ends a stretch).
    mispredict: bool,
    forwards: u8,
    load_use: bool,
    /// Cycles in EX.
    lat: u32,
    /// Values of the registers named rs1 and rs2 when it executed.
    a: u32,
    b: u32,
    /// The value `dest` held before, and the value it wrote.
    old: u32,
    result: u32,
    /// Cycles in which it ran in ID and last occupied EX.
    d: u64,
    x: u64,
}

impl Rec {
    const NONE: Rec = Rec {
        seq: 0,
        pc: 0,
        word: 0,
        predicted_next: 0,
        next_pc: 0,
        inst: Inst::ILLEGAL,
        class: InstClass::Illegal,
        dest: 0,
        in_slot: false,
        mispredict: false,
        forwards: 0,
        load_use: false,
        lat: 1,
        a: 0,
        b: 0,
        old: 0,
        result: 0,
        d: 0,
        x: 0,
    };

    fn slot_index(&self) -> u8 {
        (self.seq as usize & (SLOTS - 1)) as u8
    }
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
            recs: vec![Rec::NONE; RING],
            undo: Vec::new(),
        }
    }
}

/// A sync point the fast path can hand over at.
#[derive(Clone, Copy)]
struct SyncPoint {
    /// Index of the first record after it.
    n: u64,
    seq: u64,
    pc: u32,
    cycle: u64,
    undo_len: usize,
    last_store: Option<(u32, u32, u32)>,
}

/// What the pipeline held when the fast path began, to restore it if the
/// fast path gets nowhere.
struct Entry {
    point: SyncPoint,
    /// Records of the instructions in MEM and WB (`first..point.n`).
    first: u64,
    /// The branch in MEM: its slot index and the write-back value its slot
    /// held before MEM ran.
    branch_wb: Option<(u8, u32)>,
}

impl Pipeline {
    /// Whether this pipeline's configuration and the machine's state let
    /// the fast path run now (the run loop checks the cheap part first).
    pub(super) fn fast_path_allowed(&self, m: &Machine) -> bool {
        let c = &self.config;
        !self.cycle_by_cycle
            && c.model == CoreModel::FiveStage
            && c.forwarding
            && c.hazard_detection
            && c.branch_resolution == BranchStage::Ex
            && matches!(
                c.predictor,
                PredictorConfig::StaticNotTaken | PredictorConfig::StaticBtfnt
            )
            && m.memory.is_none()
            && self.history.is_none()
            && m.breakpoints.is_empty()
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
        let progress = self.fast_run(m, limit, &mut scratch);
        self.fast = Some(scratch);
        progress
    }

    fn fast_run(&mut self, m: &mut Machine, limit: u64, sc: &mut Scratch) -> bool {
        let recs = &mut sc.recs[..];
        let at = |n: u64| n as usize & (RING - 1);
        let c0 = m.cycle;
        sc.undo.clear();

        // The instructions in WB and MEM retire on the fast path; each
        // writes its register now.
        let mut n: u64 = 0;
        let mut branch_wb = None;
        let in_flight = [(self.mem_wb, 2), (self.ex_mem, 1)];
        for (latch, age) in in_flight {
            let Some(i) = latch else { continue };
            let s = self.at(i);
            let x = c0.saturating_sub(age);
            let mut r = Rec {
                seq: s.tag.seq,
                pc: s.tag.pc,
                word: s.tag.word,
                predicted_next: s.predicted_next,
                next_pc: s.next_pc,
                inst: s.inst,
                class: s.class,
                dest: s.dest,
                in_slot: true,
                result: s.wb_value,
                d: x.saturating_sub(1),
                x,
                ..Rec::NONE
            };
            if age == 1 {
                // MEM of a branch: its write-back value is its ALU result.
                branch_wb = Some((i, s.wb_value));
                r.result = s.alu_result;
                let s = self.at_mut(i);
                (s.wb_value, s.tohost) = (s.alu_result, false);
            }
            r.old = m.hart.reg(r.dest);
            if r.dest != 0 {
                m.hart.set_reg(r.dest, r.result);
            }
            m.instret += 1;
            self.stats.class_counts[r.class as usize] += 1;
            recs[at(n)] = r;
            n += 1;
        }
        let entry = Entry {
            point: SyncPoint {
                n,
                seq: self.next_seq,
                pc: self.fetch_pc,
                cycle: c0,
                undo_len: 0,
                last_store: m.last_store,
            },
            first: 0,
            branch_wb,
        };
        let mut sync = entry.point;

        // Timing of the two instructions ahead.
        let prev = if n > 0 { recs[at(n - 1)] } else { Rec::NONE };
        let prev2 = if n > 1 { recs[at(n - 2)] } else { Rec::NONE };
        let (mut d1, mut x1, mut dest1, mut load1) =
            (prev.d, prev.x, prev.dest, prev.class == InstClass::Load);
        let (mut x2, mut dest2) = (prev2.x, prev2.dest);
        // Word addresses the two instructions ahead stored to (MAX: none).
        let (mut st1, mut st2) = (u32::MAX, u32::MAX);
        let mut f = c0; // fetch cycle of the next instruction
        let mut pc = self.fetch_pc;
        let mut seq = self.next_seq;
        let (mul_lat, div_lat) = (
            self.config.mul_latency.max(1),
            self.config.div_latency.max(1),
        );
        let tohost = m.program.tohost;

        loop {
            if f >= limit || n - sync.n >= (RING - 8) as u64 {
                break;
            }
            // ---- IF ----
            let Some(word) = m.bus.ram.fetch(pc) else {
                break;
            };
            // The stores of the two instructions ahead happen in MEM after
            // this fetch (the older one only if its MEM is later): code they
            // write is fetched stale, which the cycle model shows.
            if pc & 3 != 0 || pc == st1 || (pc == st2 && x2 + 1 > f) {
                break;
            }
            let predicted_next = self.predictor.predict_next(pc, word);
            // IF passes it to ID once ID has moved on, unless a
            // multi-cycle operation holds EX while ID is empty.
            let mut l = f.max(d1);
            if l > d1 && l < x1 {
                l = x1;
            }

            // ---- ID ----
            let inst = m.decode_cached(pc, word);
            let class = inst.class();
            if inst.op == Op::FenceI {
                break;
            }
            let lat = match class {
                InstClass::Alu
                | InstClass::Load
                | InstClass::Store
                | InstClass::Branch
                | InstClass::Jump
                | InstClass::Fence => 1,
                InstClass::Mul => mul_lat,
                InstClass::Div => div_lat,
                InstClass::Csr | InstClass::System | InstClass::Illegal => break,
            };
            let (r1, r2) = (
                if inst.reads_rs1() { inst.rs1 } else { 0 },
                if inst.reads_rs2() { inst.rs2 } else { 0 },
            );
            // EX holds the instruction ahead until its last cycle; a load
            // ahead that writes a source costs one more (load-use).
            let mut d = (l + 1).max(x1);
            let load_use = load1 && dest1 != 0 && (r1 == dest1 || r2 == dest1);
            if load_use {
                d = d.max(x1 + 1);
            }
            let load_use_stall = load_use && l + 1 == x1;

            // ---- EX ----
            let e = d + 1;
            let x = e + lat as u64 - 1;
            let mem_dest = if x1 + 1 == e { dest1 } else { 0 };
            let wb_dest = if x1 + 2 == e {
                dest1
            } else if x2 + 2 == e {
                dest2
            } else {
                0
            };
            let forwarded = |r: u8| (r != 0 && (r == mem_dest || r == wb_dest)) as u8;
            let forwards = forwarded(r1) + forwarded(r2);
            let a = m.hart.reg(inst.rs1);
            let b = m.hart.reg(inst.rs2);
            let mut next_pc = pc.wrapping_add(4);
            let mut store_word = u32::MAX;
            let mut mispredict = false;
            let result = match class {
                InstClass::Alu | InstClass::Mul | InstClass::Div => alu(&inst, pc, a, b),
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
                    let to_tohost = tohost
                        .is_some_and(|t| addr.wrapping_sub(t) < 8 || t.wrapping_sub(addr) < width);
                    if addr & (width - 1) != 0
                        || m.bus.ram.offset(addr, width).is_none()
                        || to_tohost
                    {
                        break;
                    }
                    sc.undo.push((addr, width, m.bus.ram.read(addr, width)));
                    m.bus.ram.write(addr, width, b);
                    m.last_store = Some((addr, width, b));
                    store_word = addr & !3;
                    addr
                }
                InstClass::Branch | InstClass::Jump => {
                    let target = branch_target(&inst, pc, a, b);
                    let next = target.unwrap_or(next_pc);
                    if next & 3 != 0 {
                        break;
                    }
                    next_pc = next;
                    let kind = BranchKind::of(inst.op).unwrap_or(BranchKind::Conditional) as usize;
                    mispredict = next != predicted_next;
                    let p = &mut self.stats.predictions[kind];
                    p.0 += 1;
                    p.1 += !mispredict as u64;
                    alu(&inst, pc, a, b)
                }
                _ => 0,
            };

            // ---- MEM, WB ----
            let dest = inst.dest().unwrap_or(0);
            let old = m.hart.reg(dest);
            if dest != 0 {
                m.hart.set_reg(dest, result);
            }
            m.instret += 1;
            let s = &mut self.stats;
            s.class_counts[class as usize] += 1;
            s.forwards += forwards as u64;
            s.stall_load_use += load_use_stall as u64;
            s.stall_ex_busy += lat as u64 - 1;
            recs[at(n)] = Rec {
                seq,
                pc,
                word,
                predicted_next,
                next_pc,
                inst,
                class,
                dest,
                in_slot: false,
                mispredict,
                forwards,
                load_use: load_use_stall,
                lat,
                a,
                b,
                old,
                result,
                d,
                x,
            };
            n += 1;
            seq += 1;
            (x2, dest2, st2) = (x1, dest1, st1);
            (d1, x1, dest1, load1, st1) = (d, x, dest, class == InstClass::Load, store_word);
            if mispredict {
                // Two wrong-path fetches (in IF and ID) are squashed.
                s.flush_mispredict += 1;
                s.squashed += 2;
                seq += 2;
                f = x + 1;
                pc = next_pc;
                if f < limit {
                    sync = SyncPoint {
                        n,
                        seq,
                        pc,
                        cycle: f,
                        undo_len: sc.undo.len(),
                        last_store: m.last_store,
                    };
                }
            } else {
                f = l + 1;
                pc = predicted_next;
            }
        }

        // Undo everything after the sync point.
        for k in (sync.n..n).rev() {
            let r = &recs[at(k)];
            if r.dest != 0 {
                m.hart.x[r.dest as usize] = r.old;
            }
            self.unretire(m, r);
            let s = &mut self.stats;
            s.forwards -= r.forwards as u64;
            s.stall_load_use -= r.load_use as u64;
            s.stall_ex_busy -= r.lat as u64 - 1;
            if matches!(r.class, InstClass::Branch | InstClass::Jump) {
                let kind = BranchKind::of(r.inst.op).unwrap_or(BranchKind::Conditional) as usize;
                let p = &mut s.predictions[kind];
                p.0 -= 1;
                p.1 -= !r.mispredict as u64;
            }
            if r.mispredict {
                s.flush_mispredict -= 1;
                s.squashed -= 2;
            }
        }
        for &(addr, width, old) in sc.undo[sync.undo_len..].iter().rev() {
            m.bus.ram.write(addr, width, old);
        }
        m.last_store = sync.last_store;

        if sync.n == entry.point.n {
            // Nowhere: put back the instructions in flight.
            for k in (entry.first..entry.point.n).rev() {
                let r = &recs[at(k)];
                if r.dest != 0 {
                    m.hart.x[r.dest as usize] = r.old;
                }
                self.unretire(m, r);
            }
            if let Some((i, wb)) = entry.branch_wb {
                self.at_mut(i).wb_value = wb;
            }
            m.last_store = entry.point.last_store;
            return false;
        }
        self.hand_over(m, recs, sync);
        self.fast_path_cycles += m.cycle - c0;
        true
    }

    fn unretire(&mut self, m: &mut Machine, r: &Rec) {
        m.instret -= 1;
        self.stats.class_counts[r.class as usize] -= 1;
    }

    /// Leaves the pipeline at `sync` as the cycle model would: the branch
    /// that mispredicted in MEM's register, the instruction before it in
    /// WB's if it had no bubble behind it, and neither retired yet.
    fn hand_over(&mut self, m: &mut Machine, recs: &[Rec], sync: SyncPoint) {
        let at = |n: u64| n as usize & (RING - 1);
        let c = sync.cycle;
        let branch = recs[at(sync.n - 1)];
        // The instruction before the branch, if the fast path or the
        // pipeline it started from knew it.
        let before = (sync.n >= 2).then(|| recs[at(sync.n - 2)]);
        let before_in_wb = before.is_some_and(|r| r.x + 2 == c);

        // The pipeline registers, built while the register file still
        // holds what both instructions wrote.
        let older = &recs[..];
        let window = |k: u64| (k.saturating_sub(4)..sync.n).rev().map(|j| &older[at(j)]);
        let branch_slot = (!branch.in_slot).then(|| slot_of(m, &branch, window(sync.n - 1)));
        let before_slot = before
            .filter(|r| !r.in_slot)
            .map(|r| slot_of(m, &r, window(sync.n - 2)));

        for r in std::iter::once(&branch).chain(before.iter().filter(|_| before_in_wb)) {
            if r.dest != 0 {
                m.hart.x[r.dest as usize] = r.old;
            }
            self.unretire(m, r);
        }
        if let (Some(r), Some(s)) = (before, before_slot) {
            self.claim_slot(r.slot_index());
            *self.at_mut(r.slot_index()) = s;
        }
        if let Some(s) = branch_slot {
            self.claim_slot(branch.slot_index());
            *self.at_mut(branch.slot_index()) = s;
        }
        self.ex_mem = Some(branch.slot_index());
        self.mem_wb = None;
        match before {
            Some(r) if before_in_wb => self.mem_wb = Some(r.slot_index()),
            Some(r) => self.retired_slot = Some(r.slot_index()),
            None => {}
        }
        (self.if_hold, self.if_id, self.id_ex) = (None, None, None);
        self.fetch_pc = sync.pc;
        self.next_seq = sync.seq;
        m.hart.pc = match before {
            Some(r) if before_in_wb => r.pc,
            _ => branch.pc,
        };
        m.cycle = c;
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
/// cycle model fills it. `newer_first` walks back from the newest record
/// through this one and the few before it: the registers ID read may not
/// have been written back yet, and ID latched what they held then.
fn slot_of<'a>(m: &Machine, r: &Rec, newer_first: impl Iterator<Item = &'a Rec> + Clone) -> Slot {
    let inst = r.inst;
    let id_read = |reg: u8| {
        if reg == 0 {
            return 0;
        }
        let mut v = m.hart.reg(reg);
        for w in newer_first.clone() {
            if w.x + 2 <= r.d {
                break;
            }
            if w.dest == reg {
                v = w.old;
            }
        }
        v
    };
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
        dest: r.dest,
        srcs: [
            if inst.reads_rs1() { inst.rs1 } else { 0 },
            if inst.reads_rs2() { inst.rs2 } else { 0 },
        ],
        rs1_value: if latched { a } else { read1 },
        rs2_value: if latched { b } else { read2 },
        resolved_next: None,
        operands_latched: latched,
        alu_result,
        store_data: b,
        next_pc: r.next_pc,
        wb_value: if r.class == InstClass::Load {
            r.result
        } else {
            alu_result
        },
        tohost: false,
        fault: None,
    }
}
