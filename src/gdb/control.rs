//! Run control for the stub: the one place that runs, steps, rewinds and
//! edits the machine. The protocol side (`target.rs`) only asks for these
//! operations, so it does not care how history is kept.
//!
//! What GDB sees is architectural: the registers after the last retired
//! instruction, and pc = the next instruction to retire. On the
//! five-stage core a breakpoint stops the machine when its instruction is
//! about to be fetched; `settle` then runs the older instructions out, so
//! GDB finds pc on the breakpoint with nothing after it retired.

use crate::machine::{Halt, Machine, StopReason};
use gdbstub::target::ext::breakpoints::WatchKind;
use std::collections::BTreeSet;

/// Why a run or step ended, as the stub reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stop {
    /// A step finished (instruction or cycles).
    Done,
    Breakpoint(u32),
    /// A watchpoint fired on an access to `addr`.
    Watch {
        kind: WatchKind,
        addr: u32,
    },
    Exited(i32),
    /// The machine cannot go on; the message says why.
    Error(String),
    /// Reverse execution reached the start of the recorded history.
    HistoryStart,
}

/// Retirements after a fetch breakpoint within which its instruction must
/// reach the head of the pipeline; if it has not, it was fetched on a
/// wrong path and flushed. Five covers every instruction in flight.
const SETTLE_RETIRES: u64 = 5;
/// Cycles a single step may take (a `wfi` with no timer would wait
/// forever).
pub const STEP_LIMIT: u64 = 1 << 24;

pub struct Control {
    m: Machine,
    breakpoints: BTreeSet<u32>,
    /// Machine states to replay from, oldest first: reset, then the state
    /// after each debugger edit (an edit makes a new present, so replay
    /// must start from it, not before it).
    history: Vec<Machine>,
    /// The furthest cycle reached on the current line of history.
    furthest: u64,
}

impl Control {
    /// Takes a loaded machine. Its console input is closed (the debugger
    /// owns stdin), so a guest read sees end of file.
    pub fn new(mut m: Machine) -> Control {
        m.close_input();
        Control {
            history: vec![m.clone()],
            furthest: m.cycle,
            m,
            breakpoints: BTreeSet::new(),
        }
    }

    /// The furthest cycle reached since the last edit.
    pub fn furthest(&self) -> u64 {
        self.furthest.max(self.m.cycle)
    }

    pub fn machine(&self) -> &Machine {
        &self.m
    }

    /// Console output the guest produced since the last call, when it is
    /// new: output replayed or re-run in the past was shown already.
    pub fn take_output(&mut self) -> Vec<u8> {
        let out = self.m.take_output();
        if self.m.cycle >= self.furthest {
            out
        } else {
            Vec::new()
        }
    }

    pub fn add_breakpoint(&mut self, pc: u32) -> bool {
        self.breakpoints.insert(pc);
        self.m.breakpoints = self.breakpoints.clone();
        true
    }

    pub fn remove_breakpoint(&mut self, pc: u32) -> bool {
        let had = self.breakpoints.remove(&pc);
        self.m.breakpoints = self.breakpoints.clone();
        had
    }

    /// Runs forward for at most `budget` cycles; `None` if nothing stopped
    /// it (the caller polls GDB and calls again).
    pub fn resume(&mut self, budget: u64) -> Option<Stop> {
        let stop = self.resume_inner(budget);
        self.note_progress();
        stop
    }

    /// Output made on the way to a new furthest cycle stays queued for
    /// `take_output`; going back empties the queue.
    fn note_progress(&mut self) {
        if self.m.cycle < self.furthest {
            self.m.take_output();
        }
    }

    fn resume_inner(&mut self, budget: u64) -> Option<Stop> {
        if let Some(h) = &self.m.halt {
            return Some(halted(h));
        }
        let r = self.run_to_edit(budget);
        match r {
            StopReason::CycleLimit => None,
            StopReason::Breakpoint(_) => self.settle(),
            other => self.stop_of(other),
        }
    }

    /// Runs at most `budget` cycles, and no further than the next recorded
    /// edit, which it applies on arrival: going forward again from the
    /// past replays the debugger's edits where they were made.
    fn run_to_edit(&mut self, budget: u64) -> StopReason {
        let now = self.m.cycle;
        let next_edit = self.history[1..]
            .iter()
            .position(|h| h.cycle > now)
            .map(|i| i + 1);
        let Some(i) = next_edit else {
            return self.m.run(budget);
        };
        let r = self.m.run(budget.min(self.history[i].cycle - now));
        if self.m.cycle == self.history[i].cycle {
            self.m = self.history[i].clone();
            self.m.breakpoints = self.breakpoints.clone();
        }
        r
    }

    /// After a fetch breakpoint: retire what is older, and report the
    /// breakpoint when pc reaches it; `None` if it was a wrong-path fetch.
    fn settle(&mut self) -> Option<Stop> {
        let start = self.m.instret;
        loop {
            let pc = self.m.hart.pc;
            if self.breakpoints.contains(&pc) {
                return Some(Stop::Breakpoint(pc));
            }
            if self.m.instret > start + SETTLE_RETIRES {
                return None;
            }
            match self.run_to_edit(1) {
                StopReason::CycleLimit | StopReason::Breakpoint(_) => {}
                other => return self.stop_of(other),
            }
        }
    }

    fn stop_of(&mut self, r: StopReason) -> Option<Stop> {
        match r {
            StopReason::Halted(h) => Some(halted(&h)),
            StopReason::CycleLimit => None,
            StopReason::NeedInput => {
                // Input is closed, so this cannot happen; if it does, the
                // guest gets end of file and runs on.
                self.m.close_input();
                None
            }
            StopReason::Breakpoint(pc) => Some(Stop::Breakpoint(pc)),
        }
    }

    /// One instruction forward.
    pub fn step_instruction(&mut self) -> Stop {
        if let Some(h) = &self.m.halt {
            return halted(h);
        }
        // Breakpoints are not for single steps: GDB steps off them.
        self.m.breakpoints.clear();
        let target = self.m.instret + 1;
        let limit = self.m.cycle.saturating_add(STEP_LIMIT);
        let r = loop {
            let r = self.run_to_edit(1);
            if self.m.instret >= target || r != StopReason::CycleLimit || self.m.cycle >= limit {
                break r;
            }
        };
        self.m.breakpoints = self.breakpoints.clone();
        self.note_progress();
        self.stop_of(r).unwrap_or(Stop::Done)
    }

    /// `n` cycles forward (stopping early at a breakpoint or a halt).
    pub fn step_cycles(&mut self, n: u64) -> Stop {
        let target = self.m.cycle.saturating_add(n);
        while self.m.cycle < target {
            if let Some(stop) = self.resume(target - self.m.cycle) {
                return stop;
            }
        }
        Stop::Done
    }

    pub fn set_reg(&mut self, r: u8, v: u32) {
        self.m.hart.set_reg(r, v);
        self.edited();
    }

    /// Sets pc; on the five-stage core the pipeline is refilled from there.
    pub fn set_pc(&mut self, pc: u32) {
        self.m.hart.pc = pc;
        if let Some(p) = &mut self.m.pipeline {
            p.fetch_pc = pc;
        }
        self.edited();
    }

    pub fn set_csr(&mut self, csr: u16, v: u32) -> bool {
        let ok = self.m.csr_write(csr, v);
        self.edited();
        ok
    }

    pub fn poke(&mut self, addr: u32, bytes: &[u8]) -> bool {
        let ok = bytes
            .iter()
            .zip(addr..)
            .all(|(&b, a)| self.m.poke(a, 1, b as u32));
        self.edited();
        ok
    }

    /// An edit makes the current state the new present: what was recorded
    /// after it is dropped, and replays start from the edited state.
    fn edited(&mut self) {
        let now = self.m.cycle;
        self.history.retain(|h| h.cycle < now);
        self.history.push(self.m.clone());
        self.furthest = now;
    }

    pub fn add_watchpoint(&mut self, _addr: u32, _len: u32, _kind: WatchKind) -> bool {
        false
    }

    pub fn remove_watchpoint(&mut self, _addr: u32, _len: u32, _kind: WatchKind) -> bool {
        false
    }

    /// The latest recorded state at or before `pred` allows, with
    /// breakpoints off, to replay from.
    fn restore(&mut self, before: impl Fn(&Machine) -> bool) {
        let start = self.history.iter().rposition(|h| before(h)).unwrap_or(0);
        self.m = self.history[start].clone();
        self.m.breakpoints.clear();
    }

    /// Back to the state just after the previous instruction retired;
    /// at reset, the start of the history.
    pub fn reverse_step_instruction(&mut self) -> Stop {
        self.furthest = self.furthest();
        if self.m.instret == 0 {
            return Stop::HistoryStart;
        }
        let target = self.m.instret - 1;
        self.restore(|h| h.instret <= target);
        while self.m.instret < target && self.m.halt.is_none() {
            self.m.step_instruction(STEP_LIMIT);
        }
        self.m.breakpoints = self.breakpoints.clone();
        self.note_progress();
        Stop::Done
    }

    /// Back to the last point before now where pc was on a breakpoint, or
    /// to the start of the history. Replays each recorded stretch, newest
    /// first, noting where pc sat on a breakpoint after a retirement.
    pub fn reverse_continue(&mut self) -> Stop {
        self.furthest = self.furthest();
        let mut end = self.m.instret;
        for i in (0..self.history.len()).rev() {
            self.m = self.history[i].clone();
            self.m.breakpoints.clear();
            let mut last_hit = None;
            loop {
                if self.m.instret < end && self.breakpoints.contains(&self.m.hart.pc) {
                    last_hit = Some(self.m.instret);
                }
                if self.m.instret >= end || self.m.halt.is_some() {
                    break;
                }
                self.m.step_instruction(STEP_LIMIT);
            }
            if let Some(n) = last_hit {
                self.m = self.history[i].clone();
                self.m.breakpoints.clear();
                while self.m.instret < n && self.m.halt.is_none() {
                    self.m.step_instruction(STEP_LIMIT);
                }
                self.m.breakpoints = self.breakpoints.clone();
                self.note_progress();
                return Stop::Breakpoint(self.m.hart.pc);
            }
            end = self.history[i].instret;
        }
        self.m = self.history[0].clone();
        self.m.breakpoints = self.breakpoints.clone();
        self.note_progress();
        Stop::HistoryStart
    }

    /// Goes to `cycle`, which must lie between the first recorded state
    /// and the furthest cycle reached.
    pub fn seek(&mut self, cycle: u64) -> Result<(), String> {
        let furthest = self.furthest();
        let first = self.history[0].cycle;
        if cycle > furthest {
            return Err(format!(
                "cycle {cycle} has not been reached yet (the furthest is {furthest})"
            ));
        }
        if cycle < first {
            return Err(format!(
                "cycle {cycle} is before the start of the history ({first})"
            ));
        }
        self.furthest = furthest;
        if cycle < self.m.cycle {
            self.restore(|h| h.cycle <= cycle);
        }
        self.m.breakpoints.clear();
        while self.m.cycle < cycle && self.m.halt.is_none() {
            self.m.run(cycle - self.m.cycle);
        }
        self.m.breakpoints = self.breakpoints.clone();
        self.note_progress();
        Ok(())
    }
}

fn halted(h: &Halt) -> Stop {
    match h {
        Halt::Exited(c) => Stop::Exited(*c),
        Halt::Error(msg) => Stop::Error(msg.clone()),
    }
}
