//! Several machines side by side: a `Group` runs the same program on
//! members with different configurations, in lockstep by cycle or by
//! retired instruction, and stops when any member stops.
//!
//! Configurations that compute differently are shown, not hidden: the group
//! watches every member's retirements and reports the first retired
//! instruction whose architectural results differ (`Divergence`): the
//! instruction itself, the register it wrote and the value, the memory it
//! wrote, or where the program went next. (A pipeline without a hazard unit
//! really computes stale values; the group says where first.)
//!
//! `compare` turns the members' statistics into the comparison table, and
//! `sweep` runs whole (configuration × program) tables headless.

pub mod compare;
pub mod member;
pub mod state;
pub mod sweep;

pub use compare::{Comparison, Row, compare};
pub use member::Member;
pub use state::{StateDifference, state_difference};

use crate::config::MachineConfig;
use crate::disasm::disasm;
use crate::isa::decode;
use crate::loader::Image;
use crate::machine::{Machine, StopReason};
use std::collections::VecDeque;
use std::fmt;

/// The unit a group steps its members by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lockstep {
    /// One retired instruction on every member per step: the same
    /// instruction is at the same place in each member's program.
    #[default]
    Instruction,
    /// One clock cycle on every member per step: the same moment in time.
    Cycle,
}

/// Why a group stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GroupReason {
    /// The member's machine stopped (halt, breakpoint, watchpoint, event,
    /// input wait). A cycle limit is not a stop.
    Machine(StopReason),
    /// The member's architectural results differ from the first member's
    /// (`Group::divergence` has the report).
    Diverged,
}

/// A stop of the group: which member, its label and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupStop {
    /// Index of the member (in the order they were added).
    pub member: usize,
    pub label: String,
    pub reason: GroupReason,
}

impl fmt::Display for GroupStop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.reason {
            GroupReason::Machine(r) => write!(f, "{}: {r}", self.label),
            GroupReason::Diverged => write!(
                f,
                "{}: computes differently from the first machine",
                self.label
            ),
        }
    }
}

/// A memory write of a retired store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemWrite {
    pub addr: u32,
    /// Bytes written: 1, 2 or 4.
    pub width: u32,
    /// The value written (the low `width` bytes).
    pub value: u32,
}

/// What one retired instruction did to architectural state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Retired {
    /// Instructions retired before it (0 for the first).
    pub index: u64,
    /// Cycles completed when it had retired.
    pub cycle: u64,
    pub pc: u32,
    pub word: u32,
    /// The register written and its value (never x0).
    pub rd: Option<(u8, u32)>,
    pub store: Option<MemWrite>,
}

/// Which architectural result differs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Difference {
    /// The members went on at different pcs after the instruction (a
    /// branch decided differently, a jump to a different target).
    NextPc,
    /// Different instruction words at the same pc (the program changed
    /// itself differently).
    Instruction,
    /// A different register, or a different value, written.
    Register,
    /// A different memory write.
    Memory,
}

/// One member's side of a divergence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberResult {
    pub member: usize,
    pub label: String,
    /// Cycles completed when the instruction had retired on this member.
    pub cycle: u64,
    pub word: u32,
    pub rd: Option<(u8, u32)>,
    pub store: Option<MemWrite>,
    /// The pc of the next instruction the member retired, when known.
    pub next_pc: Option<u32>,
}

impl MemberResult {
    /// The differing result in words, e.g. `a0 = 0x00000007`.
    pub fn describe(&self, what: Difference) -> String {
        match what {
            Difference::NextPc => match self.next_pc {
                Some(pc) => format!("next pc {pc:#010x}"),
                None => "no next instruction".into(),
            },
            Difference::Instruction => format!("word {:08x}", self.word),
            Difference::Register => match self.rd {
                Some((r, v)) => format!("{} = {v:#010x}", crate::isa::reg::abi_name(r)),
                None => "writes no register".into(),
            },
            Difference::Memory => match self.store {
                Some(w) => format!("mem{}[{:#010x}] = {:#x}", 8 * w.width, w.addr, w.value),
                None => "writes no memory".into(),
            },
        }
    }
}

/// The first retired instruction whose architectural results differ
/// between members.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Divergence {
    /// Its position in the retired-instruction stream (0-based).
    pub index: u64,
    pub pc: u32,
    /// The first member's instruction word and its disassembly.
    pub word: u32,
    pub disassembly: String,
    pub what: Difference,
    /// Every member's result, in member order.
    pub members: Vec<MemberResult>,
}

impl Divergence {
    /// The first member that differs from member 0.
    pub fn first_differing(&self) -> usize {
        let base = self.members[0].describe(self.what);
        self.members
            .iter()
            .position(|m| m.describe(self.what) != base)
            .unwrap_or(0)
    }
}

impl fmt::Display for Divergence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.what {
            Difference::NextPc => "where the program goes next",
            Difference::Instruction => "the instruction word",
            Difference::Register => "the register written",
            Difference::Memory => "the memory written",
        };
        writeln!(
            f,
            "the machines compute differently at instruction {} ({:#010x}: {}): {what} differs",
            self.index + 1,
            self.pc,
            self.disassembly
        )?;
        for m in &self.members {
            writeln!(
                f,
                "  {}: {} (cycle {})",
                m.label,
                m.describe(self.what),
                m.cycle
            )?;
        }
        Ok(())
    }
}

/// Cycles a member may take for one instruction step before the group
/// gives up on it (a `wfi` with no interrupt coming, a stuck member).
pub const STEP_INSTRUCTION_LIMIT: u64 = 1_000_000;

struct Entry<M> {
    label: String,
    member: M,
    /// Retirements not yet compared with every other member's.
    pending: VecDeque<Retired>,
    /// The last retirement compared (for a next-pc report).
    prev: Option<Retired>,
}

/// Machines with different configurations running the same program.
pub struct Group<M: Member> {
    entries: Vec<Entry<M>>,
    lockstep: Lockstep,
    /// Whether retirements are compared (needs cycle-by-cycle stepping).
    check: bool,
    divergence: Option<Divergence>,
    stop_on_divergence: bool,
    /// Every member's stop of the last step (not only the first).
    last_stops: Vec<GroupStop>,
}

impl<M: Member> Default for Group<M> {
    fn default() -> Self {
        Group::new(Lockstep::default())
    }
}

impl Group<Machine> {
    /// A group of fresh machines, one per (label, configuration), with
    /// `image` loaded in each.
    pub fn from_configs(
        configs: Vec<(String, MachineConfig)>,
        image: &Image,
        lockstep: Lockstep,
    ) -> Result<Group<Machine>, crate::config::ConfigError> {
        let mut g = Group::new(lockstep);
        for (label, config) in configs {
            g.add(label, Machine::with_image(config, image)?);
        }
        Ok(g)
    }
}

impl<M: Member> Group<M> {
    pub fn new(lockstep: Lockstep) -> Group<M> {
        Group {
            entries: Vec::new(),
            lockstep,
            check: true,
            divergence: None,
            stop_on_divergence: true,
            last_stops: Vec::new(),
        }
    }

    /// Adds a member (it should have the same program loaded, at the same
    /// point, as the others). Returns its index.
    pub fn add(&mut self, label: impl Into<String>, member: M) -> usize {
        self.entries.push(Entry {
            label: label.into(),
            member,
            pending: VecDeque::new(),
            prev: None,
        });
        self.entries.len() - 1
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn lockstep(&self) -> Lockstep {
        self.lockstep
    }

    pub fn set_lockstep(&mut self, lockstep: Lockstep) {
        self.lockstep = lockstep;
    }

    /// Whether retirements are compared. Comparing needs every member to
    /// go one cycle at a time; without it, `run` in cycle lockstep runs
    /// each member a whole bulk at full speed.
    pub fn set_check(&mut self, check: bool) {
        self.check = check;
        if !check {
            for e in &mut self.entries {
                e.pending.clear();
            }
        }
    }

    pub fn checking(&self) -> bool {
        self.check
    }

    /// Whether finding a divergence stops the group (it is recorded either
    /// way). On by default.
    pub fn set_stop_on_divergence(&mut self, stop: bool) {
        self.stop_on_divergence = stop;
    }

    pub fn label(&self, i: usize) -> &str {
        &self.entries[i].label
    }

    pub fn labels(&self) -> Vec<String> {
        self.entries.iter().map(|e| e.label.clone()).collect()
    }

    pub fn member(&self, i: usize) -> &M {
        &self.entries[i].member
    }

    /// A member for changes that do not run it (breakpoints, views). A run
    /// or step through it bypasses the group's comparison.
    pub fn member_mut(&mut self, i: usize) -> &mut M {
        &mut self.entries[i].member
    }

    pub fn members(&self) -> impl Iterator<Item = (&str, &M)> {
        self.entries.iter().map(|e| (e.label.as_str(), &e.member))
    }

    pub fn machine(&self, i: usize) -> &Machine {
        self.entries[i].member.machine()
    }

    /// The members back, in order, with their labels.
    pub fn into_members(self) -> Vec<(String, M)> {
        self.entries
            .into_iter()
            .map(|e| (e.label, e.member))
            .collect()
    }

    /// The first divergence found, if any (kept once found).
    pub fn divergence(&self) -> Option<&Divergence> {
        self.divergence.as_ref()
    }

    /// Every member's stop in the last step or run, in member order, then
    /// a divergence found in it (the returned stop is the first of them).
    pub fn last_stops(&self) -> &[GroupStop] {
        &self.last_stops
    }

    /// The comparison table of the members' statistics now.
    pub fn comparison(&self) -> Comparison {
        let labels = self.labels();
        let stats: Vec<_> = self
            .entries
            .iter()
            .map(|e| compare::stat_map(&e.member.machine().stats()))
            .collect();
        compare(&labels, &stats)
    }

    /// One lockstep step: one cycle or one retired instruction on every
    /// member. Returns the first member's stop, if any member stopped.
    pub fn step(&mut self) -> Option<GroupStop> {
        self.last_stops.clear();
        match self.lockstep {
            Lockstep::Cycle => self.step_cycle_all(),
            Lockstep::Instruction => self.step_instruction_all(),
        }
        self.first_stop()
    }

    /// Up to `steps` lockstep steps (cycles or instructions, as set),
    /// until any member stops.
    pub fn run(&mut self, steps: u64) -> Option<GroupStop> {
        self.last_stops.clear();
        if self.lockstep == Lockstep::Cycle && !self.check {
            return self.run_unchecked(steps);
        }
        for _ in 0..steps {
            match self.lockstep {
                Lockstep::Cycle => self.step_cycle_all(),
                Lockstep::Instruction => self.step_instruction_all(),
            }
            if !self.last_stops.is_empty() {
                break;
            }
        }
        self.first_stop()
    }

    fn first_stop(&self) -> Option<GroupStop> {
        self.last_stops.first().cloned()
    }

    /// Cycle lockstep without comparison: every member runs the same
    /// number of cycles at full speed. A member that stops early leaves the
    /// others at the end of the run (they are not rolled back).
    fn run_unchecked(&mut self, cycles: u64) -> Option<GroupStop> {
        for i in 0..self.entries.len() {
            let e = &mut self.entries[i];
            let stop = e.member.run(cycles);
            self.note_stop(i, stop);
        }
        self.first_stop()
    }

    fn note_stop(&mut self, i: usize, stop: StopReason) {
        if stop != StopReason::CycleLimit {
            self.last_stops.push(GroupStop {
                member: i,
                label: self.entries[i].label.clone(),
                reason: GroupReason::Machine(stop),
            });
        }
    }

    fn step_cycle_all(&mut self) {
        for i in 0..self.entries.len() {
            let stop = self.cycle_member(i);
            self.note_stop(i, stop);
        }
        self.compare_pending();
    }

    fn step_instruction_all(&mut self) {
        for i in 0..self.entries.len() {
            let target = self.entries[i].member.machine().instret + 1;
            let limit = self.entries[i]
                .member
                .machine()
                .cycle
                .saturating_add(STEP_INSTRUCTION_LIMIT);
            let stop = loop {
                let stop = self.cycle_member(i);
                let m = self.entries[i].member.machine();
                if m.instret >= target || stop != StopReason::CycleLimit || m.cycle >= limit {
                    break stop;
                }
            };
            self.note_stop(i, stop);
        }
        self.compare_pending();
    }

    /// One cycle on member `i`, recording what retired in it.
    fn cycle_member(&mut self, i: usize) -> StopReason {
        // Nothing is queued once a divergence is found: only the first is
        // reported, and the queues must not grow for the rest of the run.
        let check = self.check && self.divergence.is_none();
        let e = &mut self.entries[i];
        let m = e.member.machine();
        let (pc, instret) = (m.hart.pc, m.instret);
        // The functional core executes the instruction at the pc; read it
        // first, as the instruction may overwrite itself.
        let word = if m.pipeline.is_none() {
            m.peek_inst(pc).unwrap_or_default()
        } else {
            0
        };
        let stop = e.member.step_cycle();
        let m = e.member.machine();
        if check && m.instret == instret + 1 {
            e.pending.push_back(retired(m, instret, pc, word));
        }
        // Cycle by cycle, the functional core never stops at a breakpoint
        // (a run does not stop at the pc it starts from): look here.
        if stop == StopReason::CycleLimit && m.pipeline.is_none() && m.hart.pc != pc {
            let at = m.hart.pc;
            if m.breakpoints.contains(&at) && e.member.accept(&StopReason::Breakpoint(at)) {
                return StopReason::Breakpoint(at);
            }
        }
        stop
    }

    /// Compares the retirements every member has made.
    fn compare_pending(&mut self) {
        if !self.check || self.entries.len() < 2 {
            for e in &mut self.entries {
                e.pending.clear();
            }
            return;
        }
        let had = self.divergence.is_some();
        while self.divergence.is_none() && self.entries.iter().all(|e| !e.pending.is_empty()) {
            let now: Vec<Retired> = self
                .entries
                .iter_mut()
                .map(|e| e.pending.pop_front().expect("checked non-empty"))
                .collect();
            let d = self.diverges(&now);
            for (e, r) in self.entries.iter_mut().zip(&now) {
                e.prev = Some(*r);
            }
            if let Some(d) = d {
                self.divergence = Some(d);
                for e in &mut self.entries {
                    e.pending.clear();
                }
            }
        }
        // Reported once, when found (also beside a member's own stop in
        // the same step); a run after it goes on.
        if let Some(d) = &self.divergence
            && self.stop_on_divergence
            && !had
        {
            let member = d.first_differing();
            self.last_stops.push(GroupStop {
                member,
                label: self.entries[member].label.clone(),
                reason: GroupReason::Diverged,
            });
        }
    }

    /// The divergence shown by the retirements `now` (one per member, the
    /// same index), if any.
    fn diverges(&self, now: &[Retired]) -> Option<Divergence> {
        let first = &now[0];
        if now.iter().any(|r| r.pc != first.pc) {
            // The previous instruction sent the members to different places.
            let prev: Vec<Retired> = self.entries.iter().filter_map(|e| e.prev).collect();
            if prev.len() == self.entries.len() {
                let p = prev[0];
                return Some(self.report(p, Difference::NextPc, &prev, Some(now)));
            }
            // The very first instruction: the members started apart.
            return Some(self.report(*first, Difference::NextPc, now, None));
        }
        let what = if now.iter().any(|r| r.word != first.word) {
            Difference::Instruction
        } else if now.iter().any(|r| r.rd != first.rd) {
            Difference::Register
        } else if now.iter().any(|r| r.store != first.store) {
            Difference::Memory
        } else {
            return None;
        };
        Some(self.report(*first, what, now, None))
    }

    fn report(
        &self,
        at: Retired,
        what: Difference,
        results: &[Retired],
        next: Option<&[Retired]>,
    ) -> Divergence {
        let symbols = self.entries[0].member.machine().symbols();
        Divergence {
            index: at.index,
            pc: at.pc,
            word: at.word,
            disassembly: disasm(at.word, at.pc, symbols),
            what,
            members: results
                .iter()
                .enumerate()
                .map(|(i, r)| MemberResult {
                    member: i,
                    label: self.entries[i].label.clone(),
                    cycle: r.cycle,
                    word: r.word,
                    rd: r.rd,
                    store: r.store,
                    next_pc: next
                        .map(|n| n[i].pc)
                        .or_else(|| self.entries[i].pending.front().map(|n| n.pc)),
                })
                .collect(),
        }
    }
}

/// What the instruction that just retired on `m` did. `pc` and `word` are
/// where the functional core stood before the cycle (a pipeline says
/// itself which instruction retired).
fn retired(m: &Machine, index: u64, pc: u32, word: u32) -> Retired {
    if let Some(p) = m.pipeline.as_deref()
        && let Some(slot) = p.last_retired()
    {
        let store = (slot.inst.is_store() && slot.fault.is_none()).then(|| {
            let width = crate::isa::exec::mem_width(slot.inst.op);
            MemWrite {
                addr: slot.mem_addr(),
                width,
                value: slot.store_data & mask(width),
            }
        });
        return Retired {
            index,
            cycle: m.cycle,
            pc: slot.tag.pc,
            word: parcel(slot.tag.word),
            rd: (slot.dest != 0).then_some((slot.dest, slot.wb_value)),
            store,
        };
    }
    let inst = decode(word);
    let word = parcel(word);
    let store = if inst.is_store() {
        m.last_store.map(|(addr, width, value)| MemWrite {
            addr,
            width,
            value: value & mask(width),
        })
    } else {
        None
    };
    Retired {
        index,
        cycle: m.cycle,
        pc,
        word,
        rd: inst.dest().map(|r| (r, m.hart.x[r as usize])),
        store,
    }
}

/// The instruction's own bits: a compressed instruction's 16.
fn parcel(word: u32) -> u32 {
    if decode(word).len == 2 {
        word & 0xffff
    } else {
        word
    }
}

fn mask(width: u32) -> u32 {
    if width >= 4 {
        u32::MAX
    } else {
        (1 << (8 * width)) - 1
    }
}
