//! Reverse execution: the `Timeline` owns the machine and can bring it back
//! to any cycle between reset and the furthest cycle reached.
//!
//! It keeps periodic snapshots and replays from the nearest one, never a
//! record per cycle. A run is a pure function of the program, the
//! configuration and what entered from outside, so the timeline journals
//! everything that enters (console input, end of input, debugger edits)
//! with its cycle and replays it there.
//!
//! - **Snapshots are cheap.** RAM stays one flat array for the hot paths;
//!   its dirty-page bitmap (`platform::ram`) says which 4 KiB pages were
//!   written since the last snapshot. A snapshot copies only those and
//!   shares every other page with the snapshot before it (pages are
//!   `Arc`s, grouped 64 to a chunk so that a snapshot's page table is a
//!   few hundred pointers). The rest of the machine is a plain `Clone`
//!   without RAM's bytes.
//! - **Restoring is cheap.** The timeline knows which page table the live
//!   RAM equals apart from its dirty pages, so going to another snapshot
//!   copies only the pages that differ.
//! - **Memory stays within a budget.** When the snapshots outgrow it, the
//!   one whose removal leaves the smallest gap relative to its distance
//!   from the current cycle goes: spacing grows with distance (roughly
//!   exponentially), and every cycle stays reachable by replay.
//! - **Repeated step-backs are fast.** A replay of a long stretch leaves a
//!   few snapshots near its end, so the next step back replays less.
//!
//! The state at cycle `c` is the machine as a run stopping at `c` leaves it,
//! after every journaled edit made at `c`. Replays are exact because
//! `Machine::run` gives the same state however a run is split into calls
//! (`tests/timetravel.rs` checks it against state hashes, for every core
//! and preset, with the fast path on).

use crate::machine::{Machine, StopReason};
use crate::platform::ram::PAGE_SIZE;
use serde::{Deserialize, Serialize};
use std::hash::Hasher;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Snapshot memory allowed by default.
pub const DEFAULT_BUDGET: usize = 256 << 20;
/// Cycles between the snapshots a forward run takes.
pub const DEFAULT_INTERVAL: u64 = 1 << 18;
/// A replay longer than this leaves snapshots behind (see `replay_to`).
const DENSIFY_MIN: u64 = 4096;
/// Snapshots a long replay leaves behind, evenly spaced.
const DENSIFY_STEPS: u64 = 8;
/// At most this many snapshots, whatever their size.
const MAX_SNAPSHOTS: usize = 20_000;
/// Cycles `step_instruction` waits for an instruction to retire.
const STEP_INSTRUCTION_LIMIT: u64 = 1_000_000;

type Page = Arc<[u8]>;
/// 64 pages: one word of the dirty bitmap.
type Chunk = Arc<Vec<Page>>;

/// A copy of RAM as shared pages.
#[derive(Clone)]
struct Pages {
    chunks: Vec<Chunk>,
}

/// Something that entered the machine from outside, replayed at its cycle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Edit {
    Reg(u8, u32),
    Pc(u32),
    Csr(u16, u32),
    Poke {
        addr: u32,
        width: u32,
        value: u32,
    },
    Input(Vec<u8>),
    CloseInput,
    /// A key pressed or released (HID code, `platform::keys`).
    Key {
        code: u16,
        pressed: bool,
    },
    /// The buttons' new state (`platform::gpio`).
    Buttons(u8),
    /// The switches' new state.
    Switches(u16),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalEntry {
    pub cycle: u64,
    pub edit: Edit,
}

/// What a scrubber marks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MarkKind {
    /// A stop the run reported (breakpoint, watchpoint, event, halt).
    Stop(StopReason),
    /// Traps entered; the cycle is that of the last one when `count` > 1
    /// (they happened within one run of the machine).
    Trap { count: u64 },
    /// Console output appeared by this cycle (`bytes` of it).
    Output { bytes: usize },
    /// A debugger edit or console input.
    Edit,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mark {
    pub cycle: u64,
    pub kind: MarkKind,
}

/// Where `reverse_run` stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReverseStop {
    /// At the previous stop, which is this one.
    Stopped(StopReason),
    /// No stop before: at the start of the timeline (reset).
    Start,
}

/// Why the timeline could not go where it was asked; the machine is
/// unchanged.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SeekError {
    #[error("cycle {target} has not been reached yet (the furthest cycle reached is {furthest})")]
    PastFurthest { target: u64, furthest: u64 },
    #[error("cycle {target} is before the start of the timeline (cycle {start})")]
    BeforeStart { target: u64, start: u64 },
    #[error("already at the start of the timeline (cycle {0})")]
    AtStart(u64),
}

/// Why an edit was refused; nothing changed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("x{0} does not exist (registers are x0 to x31)")]
    NoRegister(u8),
    #[error("CSR {0:#x} is read-only or does not exist")]
    Csr(u16),
    #[error("nothing is mapped at {addr:#010x} ({})", crate::words::plural(*.width as u64, "byte"))]
    Unmapped { addr: u32, width: u32 },
    #[error("width {0} is not 1, 2 or 4 bytes")]
    Width(u32),
}

struct Snapshot {
    cycle: u64,
    instret: u64,
    /// Journal entries applied.
    jpos: usize,
    /// Console bytes printed.
    console_len: usize,
    machine: Machine,
    pages: Pages,
    /// Memory of `machine` and the page table (pages are counted apart,
    /// since snapshots share them).
    bytes: usize,
    /// The framebuffer's share of `bytes`: 0 when the snapshot before it
    /// holds the same frame (the guest did not draw in between), which
    /// that one counts.
    frame_bytes: usize,
}

/// Gives each timeline's page store an id for `Ram::dirty_base`.
static NEXT_STORE: AtomicU64 = AtomicU64::new(1);

pub struct Timeline {
    m: Machine,
    /// Sorted by (cycle, jpos); the first is the start and always stays.
    snaps: Vec<Snapshot>,
    /// The pages the live RAM equals, apart from its dirty pages.
    base: Pages,
    store_id: u64,
    zero: Page,
    journal: Vec<JournalEntry>,
    /// Journal entries applied to the live machine.
    jpos: usize,
    /// Console output up to the furthest cycle.
    console: Vec<u8>,
    /// How much of it was printed by the current cycle.
    console_len: usize,
    /// (cycle, console length by then), at the end of each run that
    /// printed, up to the furthest cycle.
    output_stamps: Vec<(u64, usize)>,
    marks: Vec<Mark>,
    furthest: u64,
    budget: usize,
    interval: u64,
    /// Bytes of distinct pages and chunks held by snapshots.
    page_bytes: usize,
    /// Sum of `Snapshot::bytes`.
    snap_bytes: usize,
}

/// How a run through the timeline treats the machine's stops.
enum Mode<'a> {
    /// Replaying: no triggers armed, nothing to accept.
    Replay,
    /// Forward with triggers: `accept` says which stops are the user's.
    Run(&'a mut dyn FnMut(&Machine, &StopReason) -> bool),
}

impl Timeline {
    /// Takes over the machine; its present state is the start of the
    /// timeline.
    pub fn new(machine: Machine) -> Timeline {
        Timeline::with_budget(machine, DEFAULT_BUDGET)
    }

    /// Like `new`, with a snapshot memory budget in bytes.
    pub fn with_budget(mut machine: Machine, budget: usize) -> Timeline {
        let store_id = NEXT_STORE.fetch_add(1, Ordering::Relaxed);
        if machine.bus.ram.dirty_base() != 0 {
            // Dirty relative to another timeline's pages: start afresh.
            machine.bus.ram.mark_all_dirty();
        }
        let zero: Page = Arc::from(vec![0u8; PAGE_SIZE]);
        let pages = machine.bus.ram.pages();
        let chunk: Chunk = Arc::new(vec![zero.clone(); 64]);
        let base = Pages {
            chunks: vec![chunk; pages.div_ceil(64)],
        };
        let furthest = machine.cycle;
        let mut t = Timeline {
            m: machine,
            snaps: Vec::new(),
            base,
            store_id,
            zero,
            journal: Vec::new(),
            jpos: 0,
            console: Vec::new(),
            console_len: 0,
            output_stamps: Vec::new(),
            marks: Vec::new(),
            furthest,
            budget,
            interval: DEFAULT_INTERVAL,
            page_bytes: 0,
            snap_bytes: 0,
        };
        // Output the machine printed before it was handed over.
        t.collect_output();
        t.take_snapshot();
        t
    }

    /// Cycles between the snapshots of a forward run (at least 1024).
    pub fn set_interval(&mut self, cycles: u64) {
        self.interval = cycles.max(1024);
    }

    pub fn set_budget(&mut self, bytes: usize) {
        self.budget = bytes;
        self.thin();
    }

    pub fn budget(&self) -> usize {
        self.budget
    }

    /// Bytes the snapshots hold (machine copies, page tables and pages).
    pub fn memory_used(&self) -> usize {
        self.page_bytes + self.snap_bytes
    }

    pub fn snapshot_count(&self) -> usize {
        self.snaps.len()
    }

    /// The machine at the current cycle. Change it only through the
    /// timeline's edits, so that they are journaled.
    pub fn machine(&self) -> &Machine {
        &self.m
    }

    /// The machine for installing debugger triggers (breakpoints and
    /// watchpoints), which are not machine state: the timeline keeps them
    /// across going back and disarms them while it replays. Anything else
    /// changed through this is not journaled and breaks replay.
    pub fn triggers_mut(&mut self) -> &mut Machine {
        &mut self.m
    }

    /// Gives the machine back (at the current cycle).
    pub fn into_machine(mut self) -> Machine {
        self.m.bus.ram.mark_all_dirty();
        self.m
    }

    pub fn cycle(&self) -> u64 {
        self.m.cycle
    }

    /// The cycle the timeline starts at (reset, usually 0).
    pub fn start(&self) -> u64 {
        self.snaps[0].cycle
    }

    /// The furthest cycle reached.
    pub fn furthest(&self) -> u64 {
        self.furthest
    }

    /// Whether the current cycle is before the furthest one: an edit now
    /// drops the future (a GUI should say so first).
    pub fn in_past(&self) -> bool {
        self.m.cycle < self.furthest || self.jpos < self.journal.len()
    }

    /// Everything printed up to the current cycle.
    pub fn console(&self) -> &[u8] {
        &self.console[..self.console_len]
    }

    /// (cycle, console length by then) for each run that printed, up to
    /// the furthest cycle.
    pub fn output_stamps(&self) -> &[(u64, usize)] {
        &self.output_stamps
    }

    /// Stops, traps, output and edits up to the furthest cycle, by cycle.
    pub fn marks(&self) -> &[Mark] {
        &self.marks
    }

    pub fn journal(&self) -> &[JournalEntry] {
        &self.journal
    }

    // ---- running forward ----

    /// Runs forward up to `max_cycles` cycles. A machine stop (breakpoint,
    /// watchpoint, event) that `accept` rejects is stepped past and the
    /// run goes on; halts, input waits and the cycle limit always return.
    /// Journaled edits of the future (after going back) are replayed at
    /// their cycles.
    pub fn run(
        &mut self,
        max_cycles: u64,
        accept: &mut dyn FnMut(&Machine, &StopReason) -> bool,
    ) -> StopReason {
        let limit = self.m.cycle.saturating_add(max_cycles);
        self.advance(limit, Mode::Run(accept))
    }

    /// One cycle forward (one instruction on the functional and
    /// single-cycle cores).
    pub fn step_cycle(&mut self) -> StopReason {
        self.run(1, &mut |_, _| true)
    }

    /// Forward until one more instruction retires (or the run stops).
    pub fn step_instruction(&mut self) -> StopReason {
        let target = self.m.instret + 1;
        let limit = self.m.cycle.saturating_add(STEP_INSTRUCTION_LIMIT);
        loop {
            let stop = self.run(1, &mut |_, _| true);
            if self.m.instret >= target || stop != StopReason::CycleLimit || self.m.cycle >= limit {
                return stop;
            }
        }
    }

    // ---- going back ----

    /// Back one cycle: to the last state before the current cycle (on the
    /// single-cycle core with caches, where one instruction may take
    /// several cycles, that is the state before the last instruction).
    pub fn step_back_cycle(&mut self) -> Result<(), SeekError> {
        if self.m.cycle <= self.start() {
            return Err(SeekError::AtStart(self.start()));
        }
        self.goto(self.m.cycle - 1);
        Ok(())
    }

    /// Back to the state just before the last retired instruction retired.
    pub fn step_back_instruction(&mut self) -> Result<(), SeekError> {
        let retired = self.m.instret;
        let first = &self.snaps[0];
        if retired <= first.instret {
            return Err(SeekError::AtStart(first.cycle));
        }
        // The latest snapshot before that retirement.
        let i = self
            .snaps
            .iter()
            .rposition(|s| s.instret < retired && s.cycle <= self.m.cycle)
            .unwrap_or(0);
        let now = self.m.cycle;
        self.restore(i);
        self.advance_while(&|m| m.instret < retired, now);
        Ok(())
    }

    /// Goes to cycle `target` (between the start and the furthest cycle).
    /// On the single-cycle core with caches, a cycle inside an instruction
    /// goes to the state before that instruction.
    pub fn seek(&mut self, target: u64) -> Result<(), SeekError> {
        if target > self.furthest {
            return Err(SeekError::PastFurthest {
                target,
                furthest: self.furthest,
            });
        }
        if target < self.start() {
            return Err(SeekError::BeforeStart {
                target,
                start: self.start(),
            });
        }
        self.goto(target);
        Ok(())
    }

    /// Runs backwards to the previous stop that `accept` accepts (of any
    /// kind the armed triggers raise), or to the start. `accept` sees the
    /// stops of the stretch it scans in forward order.
    pub fn reverse_run(
        &mut self,
        accept: &mut dyn FnMut(&Machine, &StopReason) -> bool,
    ) -> ReverseStop {
        let now = self.m.cycle;
        let mut end = now;
        while let Some(i) = self.snaps.iter().rposition(|s| s.cycle < end) {
            let from = self.snaps[i].cycle;
            self.restore(i);
            let mut found: Option<(u64, StopReason)> = None;
            // One cycle past `end`: the functional core reports a stop at
            // the state a run starts from only in the run before it.
            let scan_end = (end + 1).min(now);
            loop {
                let stop = self.advance(scan_end, Mode::Run(&mut *accept));
                match stop {
                    StopReason::CycleLimit | StopReason::NeedInput | StopReason::Halted(_) => {
                        break;
                    }
                    _ if self.m.cycle < now => found = Some((self.m.cycle, stop)),
                    _ => break,
                }
                if self.m.cycle >= scan_end {
                    break;
                }
            }
            if let Some((cycle, stop)) = found {
                self.goto(cycle);
                return ReverseStop::Stopped(stop);
            }
            if i == 0 {
                break;
            }
            end = from;
        }
        let start = self.start();
        self.goto(start);
        ReverseStop::Start
    }

    // ---- edits ----

    /// Sets register `r` (x1..x31; x0 stays 0).
    pub fn set_reg(&mut self, r: u8, value: u32) -> Result<(), EditError> {
        if r >= 32 {
            return Err(EditError::NoRegister(r));
        }
        self.edit(Edit::Reg(r, value))
    }

    pub fn set_pc(&mut self, pc: u32) -> Result<(), EditError> {
        self.edit(Edit::Pc(pc))
    }

    pub fn set_csr(&mut self, csr: u16, value: u32) -> Result<(), EditError> {
        self.edit(Edit::Csr(csr, value))
    }

    /// Writes memory or a device register as a debugger (no device
    /// actions; cached copies kept coherent).
    pub fn poke(&mut self, addr: u32, width: u32, value: u32) -> Result<(), EditError> {
        if !matches!(width, 1 | 2 | 4) {
            return Err(EditError::Width(width));
        }
        self.edit(Edit::Poke { addr, width, value })
    }

    pub fn push_input(&mut self, bytes: &[u8]) {
        // Cannot fail.
        let _ = self.edit(Edit::Input(bytes.to_vec()));
    }

    pub fn close_input(&mut self) {
        let _ = self.edit(Edit::CloseInput);
    }

    /// A key pressed or released on the host, journaled so time travel
    /// replays it at this cycle.
    pub fn key(&mut self, code: u16, pressed: bool) {
        let _ = self.edit(Edit::Key { code, pressed });
    }

    /// The buttons' new state (bit i = button i), journaled.
    pub fn set_buttons(&mut self, bits: u8) {
        let _ = self.edit(Edit::Buttons(bits));
    }

    /// The switches' new state, journaled.
    pub fn set_switches(&mut self, bits: u16) {
        let _ = self.edit(Edit::Switches(bits));
    }

    /// Applies an edit now; if it took, the future after this point is
    /// dropped and the edit journaled.
    fn edit(&mut self, edit: Edit) -> Result<(), EditError> {
        apply(&mut self.m, &edit)?;
        self.truncate_future();
        self.journal.push(JournalEntry {
            cycle: self.m.cycle,
            edit,
        });
        self.jpos = self.journal.len();
        self.add_mark(self.m.cycle, MarkKind::Edit);
        Ok(())
    }

    /// Makes the current state the present: drops everything after it.
    fn truncate_future(&mut self) {
        if !self.in_past() {
            return;
        }
        let (cycle, jpos) = (self.m.cycle, self.jpos);
        while let Some(s) = self.snaps.last() {
            if self.snaps.len() > 1 && (s.cycle > cycle || (s.cycle == cycle && s.jpos > jpos)) {
                let s = self.snaps.pop().unwrap();
                self.release_snapshot(s);
            } else {
                break;
            }
        }
        self.journal.truncate(jpos);
        self.console.truncate(self.console_len);
        self.output_stamps.retain(|&(c, _)| c <= cycle);
        self.marks.retain(|m| m.cycle <= cycle);
        self.furthest = cycle;
    }

    // ---- state digest ----

    /// A digest of everything observable at the current cycle: the
    /// machine (hart, devices, counters, pipeline registers and last cycle
    /// record, predictor, caches with replacement state, statistics), RAM,
    /// and the console output so far.
    pub fn state_hash(&self) -> u64 {
        let mut h = HashWriter(std::hash::DefaultHasher::new());
        // Writing to a hasher cannot fail.
        let _ = self.m.write_observable(&mut h);
        let ram = &self.m.bus.ram;
        for p in 0..ram.pages() {
            let known_zero =
                !ram.is_dirty(p) && Arc::ptr_eq(&self.base.chunks[p >> 6][p & 63], &self.zero);
            // Zero pages count the same however the bookkeeping knows it.
            if !known_zero && ram.page(p).iter().any(|&b| b != 0) {
                h.0.write_u64(p as u64);
                h.0.write(ram.page(p));
            }
        }
        h.0.write(self.console());
        h.0.finish()
    }

    // ---- the engine ----

    /// Runs to `limit` (or a stop), applying journaled edits at their
    /// cycles, collecting output and taking snapshots.
    fn advance(&mut self, limit: u64, mut mode: Mode) -> StopReason {
        let disarmed = match mode {
            Mode::Replay => Some(self.disarm()),
            Mode::Run(_) => None,
        };
        let stop = loop {
            self.apply_due_edits();
            if let Some(h) = &self.m.halt {
                break StopReason::Halted(h.clone());
            }
            if self.m.cycle >= limit {
                break StopReason::CycleLimit;
            }
            let next_edit = self.journal.get(self.jpos).map_or(u64::MAX, |e| e.cycle);
            let next_snap = self.last_snapshot_cycle().saturating_add(self.interval);
            let lim = limit.min(next_edit).min(next_snap.max(self.m.cycle + 1));
            let before = self.furthest;
            let traps = self.m.traps;
            // Host files keep what the furthest run wrote.
            self.m.semihost.replay_before = self.furthest;
            let stop = self.m.run(lim - self.m.cycle);
            self.after_chunk(before, traps);
            match stop {
                StopReason::CycleLimit => {}
                StopReason::Halted(_) => {
                    if self.m.cycle > before {
                        self.add_mark(self.m.cycle, MarkKind::Stop(stop.clone()));
                    }
                    break stop;
                }
                StopReason::NeedInput => {
                    if self.jpos < self.journal.len() && next_edit == self.m.cycle {
                        continue;
                    }
                    break stop;
                }
                other => {
                    if let Mode::Run(accept) = &mut mode
                        && accept(&self.m, &other)
                    {
                        self.add_mark(self.m.cycle, MarkKind::Stop(other.clone()));
                        break other;
                    }
                }
            }
        };
        if let Some(d) = disarmed {
            self.rearm(d);
        }
        stop
    }

    /// After each call of `Machine::run`: output, marks, the furthest
    /// cycle, the periodic snapshot.
    fn after_chunk(&mut self, furthest_before: u64, traps_before: u64) {
        self.collect_output();
        let now = self.m.cycle;
        if now > furthest_before {
            let n = self.m.traps - traps_before;
            if n > 0 {
                let at = self.m.last_trap_cycle.max(furthest_before);
                self.add_mark(at, MarkKind::Trap { count: n });
            }
            self.furthest = now;
        }
        if now >= self.last_snapshot_cycle().saturating_add(self.interval) {
            self.take_snapshot();
        }
    }

    fn collect_output(&mut self) {
        let out = self.m.take_output();
        if out.is_empty() {
            return;
        }
        // Output a replay prints again is already in the log.
        let old = (self.console.len() - self.console_len).min(out.len());
        debug_assert_eq!(
            &self.console[self.console_len..self.console_len + old],
            &out[..old]
        );
        self.console_len += old;
        if old < out.len() {
            self.console.truncate(self.console_len);
            self.console.extend_from_slice(&out[old..]);
            self.console_len = self.console.len();
            let cycle = self.m.cycle;
            self.output_stamps.push((cycle, self.console_len));
            self.add_mark(
                cycle,
                MarkKind::Output {
                    bytes: out.len() - old,
                },
            );
        }
    }

    fn add_mark(&mut self, cycle: u64, kind: MarkKind) {
        let mark = Mark { cycle, kind };
        let at = self.marks.partition_point(|m| m.cycle <= cycle);
        if self.marks[..at]
            .iter()
            .rev()
            .take_while(|m| m.cycle == cycle)
            .any(|m| *m == mark)
        {
            return;
        }
        self.marks.insert(at, mark);
    }

    fn apply_due_edits(&mut self) {
        while let Some(e) = self.journal.get(self.jpos) {
            if e.cycle > self.m.cycle {
                break;
            }
            debug_assert_eq!(e.cycle, self.m.cycle, "a replay passed an edit's cycle");
            // It took when it was made, on the same state.
            let _ = apply(&mut self.m, &e.edit);
            self.jpos += 1;
        }
    }

    /// Takes the triggers and the chart history out for a replay (the
    /// fast path stays on, and nothing stops it).
    fn disarm(&mut self) -> (crate::machine::Armed, usize) {
        let armed = self.m.take_armed();
        let hist = match self.m.pipeline.as_mut() {
            Some(p) => {
                let n = p.chart_history_capacity();
                p.keep_chart_history(0);
                n
            }
            None => 0,
        };
        (armed, hist)
    }

    fn rearm(&mut self, (armed, hist): (crate::machine::Armed, usize)) {
        self.m.put_armed(armed);
        if let Some(p) = self.m.pipeline.as_mut() {
            p.keep_chart_history(hist);
        }
    }

    /// Goes to the last state with cycle <= `target` (the caller checked
    /// the range).
    fn goto(&mut self, target: u64) {
        // The latest snapshot at or before the target.
        let i = self.snaps.partition_point(|s| s.cycle <= target) - 1;
        // Already between it and the target: go on from here.
        let here = self.m.cycle <= target
            && (self.m.cycle > self.snaps[i].cycle
                || (self.m.cycle == self.snaps[i].cycle && self.jpos >= self.snaps[i].jpos));
        if !here {
            self.restore(i);
        }
        let from = self.m.cycle;
        self.replay_to(target);
        let past = self.m.cycle;
        if past > target {
            // One instruction took the run past the target (single-cycle
            // core with caches): go to the state before it.
            let i = self.snaps.partition_point(|s| s.cycle <= from.min(target)) - 1;
            self.restore(i);
            self.advance_while(&|m| m.cycle <= target, past);
        }
    }

    /// Replays to `target`, leaving a few snapshots on a long way so that
    /// going back a little further is quick.
    fn replay_to(&mut self, target: u64) {
        let dist = target.saturating_sub(self.m.cycle);
        if dist > DENSIFY_MIN {
            let step = dist / DENSIFY_STEPS;
            for k in 1..DENSIFY_STEPS {
                let at = target - dist + k * step;
                self.advance(at, Mode::Replay);
                if self.m.cycle != at || self.m.halt.is_some() {
                    break;
                }
                if self.m.cycle > self.last_snapshot_cycle() {
                    self.take_snapshot();
                }
            }
        }
        self.advance(target, Mode::Replay);
    }

    /// From a state where `pred` holds, goes to the last state reachable
    /// by single steps for which it still holds (`pred` must turn false
    /// once and stay false). Snapshots at the points tried make the
    /// search a bisection.
    /// `upper` is a cycle known to be past it (it sizes the first chunk).
    fn advance_while(&mut self, pred: &dyn Fn(&Machine) -> bool, upper: u64) {
        let mut chunk: u64 = (upper.saturating_sub(self.m.cycle) / 2).clamp(1, 1 << 16);
        loop {
            let (cycle, jpos) = (self.m.cycle, self.jpos);
            // The point to come back to if this chunk goes too far.
            self.take_snapshot();
            let stop = self.advance(cycle.saturating_add(chunk), Mode::Replay);
            let progressed = self.m.cycle > cycle || self.jpos > jpos;
            if pred(&self.m) {
                if !progressed || stop != StopReason::CycleLimit {
                    // Halted or waiting for input: nothing comes after.
                    return;
                }
                continue;
            }
            // Went too far: back to where this chunk began.
            let i = self
                .snaps
                .iter()
                .rposition(|s| s.cycle < cycle || (s.cycle == cycle && s.jpos <= jpos))
                .unwrap_or(0);
            self.restore(i);
            if self.m.cycle < cycle || self.jpos < jpos {
                self.advance(cycle, Mode::Replay);
            }
            if chunk == 1 {
                return;
            }
            chunk /= 2;
        }
    }

    // ---- snapshots ----

    fn last_snapshot_cycle(&self) -> u64 {
        // Snapshots before the current cycle count; later ones (in the
        // past of the furthest cycle) do not space this run's.
        let i = self.snaps.partition_point(|s| s.cycle <= self.m.cycle);
        self.snaps[i.max(1) - 1].cycle
    }

    /// Snapshots the current state (inserted in cycle order).
    fn take_snapshot(&mut self) {
        let pages = self.capture_pages();
        let machine = self.m.clone_without_ram();
        let at = self
            .snaps
            .partition_point(|s| (s.cycle, s.jpos) <= (self.m.cycle, self.jpos));
        let display = &machine.bus.devices.display;
        let frame = display.bytes().len();
        let shared = at > 0
            && self.snaps[at - 1]
                .machine
                .bus
                .devices
                .display
                .shares_frame_with(display);
        let frame_bytes = if shared { 0 } else { frame };
        let bytes = (bincode::serialized_size(&machine).unwrap_or(0) as usize)
            .saturating_sub(frame - frame_bytes)
            + std::mem::size_of::<Snapshot>()
            + pages.chunks.len() * std::mem::size_of::<Chunk>();
        let snap = Snapshot {
            cycle: self.m.cycle,
            instret: self.m.instret,
            jpos: self.jpos,
            console_len: self.console_len,
            machine,
            pages,
            bytes,
            frame_bytes,
        };
        if at > 0 && (self.snaps[at - 1].cycle, self.snaps[at - 1].jpos) == (snap.cycle, snap.jpos)
        {
            // Already have this state.
            self.release_pages(snap.pages);
            return;
        }
        self.snap_bytes += bytes;
        self.snaps.insert(at, snap);
        self.thin();
    }

    /// The live RAM as pages: the base with the dirty pages copied.
    fn capture_pages(&mut self) -> Pages {
        let ram = &mut self.m.bus.ram;
        let mut chunks = self.base.chunks.clone();
        for (w, &bits) in ram.dirty().iter().enumerate() {
            if bits == 0 {
                continue;
            }
            let mut chunk: Vec<Page> = (*chunks[w]).clone();
            let mut left = bits;
            while left != 0 {
                let b = left.trailing_zeros() as usize;
                left &= left - 1;
                let p = (w << 6) | b;
                if p >= ram.pages() {
                    break;
                }
                let data = ram.page(p);
                chunk[b] = if data.iter().all(|&x| x == 0) && data.len() == PAGE_SIZE {
                    self.zero.clone()
                } else {
                    self.page_bytes += data.len();
                    Arc::from(data)
                };
            }
            self.page_bytes += 64 * std::mem::size_of::<Page>();
            chunks[w] = Arc::new(chunk);
        }
        ram.clear_dirty(self.store_id);
        let pages = Pages { chunks };
        let old = std::mem::replace(&mut self.base, pages.clone());
        self.release_pages(old);
        pages
    }

    /// Makes the live machine snapshot `i`.
    fn restore(&mut self, i: usize) {
        let s = &self.snaps[i];
        let ram = &mut self.m.bus.ram;
        for (w, target) in s.pages.chunks.iter().enumerate() {
            let dirty = ram.dirty()[w];
            let base = &self.base.chunks[w];
            if dirty == 0 && Arc::ptr_eq(base, target) {
                continue;
            }
            for (b, page) in target.iter().enumerate() {
                let p = (w << 6) | b;
                if p >= ram.pages() {
                    break;
                }
                if dirty & (1 << b) != 0 || !Arc::ptr_eq(&base[b], page) {
                    ram.restore_page(p, page);
                }
            }
        }
        ram.clear_dirty(self.store_id);
        let pages = s.pages.clone();
        self.m.restore_from(&s.machine);
        self.jpos = s.jpos;
        self.console_len = s.console_len;
        let old = std::mem::replace(&mut self.base, pages);
        self.release_pages(old);
    }

    /// Drops snapshots beyond the budget (never the first): each time the
    /// one whose removal leaves the smallest gap for its distance from the
    /// current cycle.
    fn thin(&mut self) {
        while self.snaps.len() > 2
            && (self.memory_used() > self.budget || self.snaps.len() > MAX_SNAPSHOTS)
        {
            let now = self.m.cycle;
            let end = self.furthest.max(now);
            let mut best = (f64::INFINITY, 0);
            for i in 1..self.snaps.len() {
                let prev = self.snaps[i - 1].cycle;
                let next = self.snaps.get(i + 1).map_or(end, |s| s.cycle);
                let c = self.snaps[i].cycle;
                let gap = (next - prev) as f64;
                let dist = c.abs_diff(now) as f64 + self.interval as f64;
                let score = gap / dist;
                if score < best.0 {
                    best = (score, i);
                }
            }
            let s = self.snaps.remove(best.1);
            self.hand_on_frame(&s, best.1);
            self.release_snapshot(s);
        }
    }

    /// When a snapshot that counted a framebuffer goes, the next one, if
    /// it shares that frame, counts it from now on: the memory stays.
    fn hand_on_frame(&mut self, gone: &Snapshot, next: usize) {
        if gone.frame_bytes == 0 {
            return;
        }
        if let Some(n) = self.snaps.get_mut(next)
            && n.frame_bytes == 0
            && n.machine
                .bus
                .devices
                .display
                .shares_frame_with(&gone.machine.bus.devices.display)
        {
            n.frame_bytes = gone.frame_bytes;
            n.bytes += gone.frame_bytes;
            self.snap_bytes += gone.frame_bytes;
        }
    }

    fn release_snapshot(&mut self, s: Snapshot) {
        self.snap_bytes -= s.bytes;
        self.release_pages(s.pages);
    }

    /// Drops a page table, counting the pages and chunks freed with it.
    fn release_pages(&mut self, pages: Pages) {
        for chunk in pages.chunks {
            if Arc::strong_count(&chunk) != 1 {
                continue;
            }
            self.page_bytes -= 64 * std::mem::size_of::<Page>();
            for page in chunk.iter() {
                if Arc::strong_count(page) == 1 {
                    self.page_bytes -= page.len();
                }
            }
        }
    }
}

/// Applies an edit to a machine, as the debugger makes it.
fn apply(m: &mut Machine, edit: &Edit) -> Result<(), EditError> {
    match *edit {
        Edit::Reg(r, v) => m.hart.set_reg(r, v),
        Edit::Pc(pc) => {
            m.hart.pc = pc;
            if let Some(p) = &mut m.pipeline {
                p.fetch_pc = pc;
            }
        }
        Edit::Csr(csr, v) => {
            if !m.csr_write(csr, v) {
                return Err(EditError::Csr(csr));
            }
        }
        Edit::Poke { addr, width, value } => {
            if !m.poke(addr, width, value) {
                return Err(EditError::Unmapped { addr, width });
            }
        }
        Edit::Input(ref bytes) => m.push_input(bytes),
        Edit::CloseInput => m.close_input(),
        Edit::Key { code, pressed } => m.key(code, pressed),
        Edit::Buttons(bits) => m.set_buttons(bits),
        Edit::Switches(bits) => m.set_switches(bits),
    }
    Ok(())
}

/// Feeds bytes written to it into a hasher.
struct HashWriter(std::hash::DefaultHasher);

impl std::io::Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
