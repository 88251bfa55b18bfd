//! The stub's recorded history: going back by snapshot and replay. It
//! keeps the state at the start and after each debugger edit (an edit
//! makes the edited state the new present, and going forward again from
//! before it applies it again where it was made), and replays from the
//! latest one before the cycle it wants. Runs are deterministic, so a
//! replay reaches exactly the states the first run went through.
//!
//! Its methods have the names and meanings of `debug::Timeline`'s, which
//! is to replace it.

use crate::machine::{Machine, StopReason};
use std::fmt;

/// Cycles a single instruction step may take.
const STEP_INSTRUCTION_LIMIT: u64 = 1 << 24;

/// What `reverse_run` found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReverseStop {
    /// An accepted stop; the machine is at the cycle it happened.
    Stopped(StopReason),
    /// No stop before: the machine is at the start.
    Start,
}

/// Why a move in time was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SeekError {
    PastFurthest { target: u64, furthest: u64 },
    BeforeStart { target: u64, start: u64 },
    AtStart(u64),
}

impl fmt::Display for SeekError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SeekError::PastFurthest { target, furthest } => write!(
                f,
                "cycle {target} has not been reached yet (the furthest cycle reached is {furthest})"
            ),
            SeekError::BeforeStart { target, start } => {
                write!(
                    f,
                    "cycle {target} is before the start of the history ({start})"
                )
            }
            SeekError::AtStart(c) => write!(f, "already at the start of the history (cycle {c})"),
        }
    }
}

/// Why an edit was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EditError(pub String);

pub struct History {
    m: Machine,
    /// Console bytes the current line of history has produced so far.
    produced: usize,
    /// States to replay from, by cycle: the start, then the state after
    /// each edit, each with `produced` at that point.
    snaps: Vec<(Machine, usize)>,
    furthest: u64,
    /// The console output of the current line of history, as far as it
    /// was run (replays produce the same bytes again, and are not added).
    console: Vec<u8>,
    /// Console bytes added since `take_new_output` last ran.
    fresh: Vec<u8>,
}

impl History {
    pub fn new(m: Machine) -> History {
        History {
            furthest: m.cycle,
            produced: 0,
            snaps: vec![(m.clone(), 0)],
            m,
            console: Vec::new(),
            fresh: Vec::new(),
        }
    }

    pub fn machine(&self) -> &Machine {
        &self.m
    }

    /// The machine, to arm breakpoints and triggers in (they are not part
    /// of the history: restoring a state keeps the current ones).
    pub fn triggers_mut(&mut self) -> &mut Machine {
        &mut self.m
    }

    pub fn start(&self) -> u64 {
        self.snaps[0].0.cycle
    }

    pub fn furthest(&self) -> u64 {
        self.furthest.max(self.m.cycle)
    }

    pub fn console(&self) -> &[u8] {
        &self.console
    }

    /// Console output made for the first time since the last call.
    pub fn take_new_output(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.fresh)
    }

    pub fn close_input(&mut self) {
        self.m.close_input();
    }

    /// Replaces the machine by a recorded state, keeping the armed stops.
    fn restore(&mut self, i: usize) {
        let bps = std::mem::take(&mut self.m.breakpoints);
        let triggers = self.m.triggers().clone();
        self.m = self.snaps[i].0.clone();
        self.produced = self.snaps[i].1;
        self.m.breakpoints = bps;
        self.m.set_triggers(triggers);
        self.m.take_output();
    }

    /// One run of the machine towards `limit`, stopping at the next
    /// recorded edit, which it applies on arrival.
    fn advance(&mut self, limit: u64) -> StopReason {
        let now = self.m.cycle;
        let mut end = limit;
        let next_edit = (1..self.snaps.len()).find(|&i| self.snaps[i].0.cycle > now);
        if let Some(i) = next_edit {
            end = end.min(self.snaps[i].0.cycle);
        }
        let mut r = self.m.run(end.saturating_sub(now));
        let out = self.m.take_output();
        self.produced += out.len();
        if self.produced > self.console.len() {
            let new = out.len().min(self.produced - self.console.len());
            self.console.extend_from_slice(&out[out.len() - new..]);
            self.fresh.extend_from_slice(&out[out.len() - new..]);
        }
        if let Some(i) = next_edit
            && self.m.cycle == self.snaps[i].0.cycle
        {
            self.restore(i);
            // The functional core reports a breakpoint at the pc a run
            // starts from only at the end of the run before: this split
            // run must report it itself.
            let pc = self.m.hart.pc;
            if r == StopReason::CycleLimit
                && self.m.pipeline.is_none()
                && self.m.cycle < limit
                && self.m.breakpoints.contains(&pc)
            {
                r = StopReason::Breakpoint(pc);
            }
        }
        self.furthest = self.furthest.max(self.m.cycle);
        r
    }

    /// Runs forward up to `max_cycles`; raw stops `accept` refuses are run
    /// past. Halts, input waits and the cycle limit always return.
    pub fn run(
        &mut self,
        max_cycles: u64,
        accept: &mut dyn FnMut(&Machine, &StopReason) -> bool,
    ) -> StopReason {
        let limit = self.m.cycle.saturating_add(max_cycles);
        loop {
            let r = self.advance(limit);
            match r {
                StopReason::CycleLimit if self.m.cycle < limit && self.m.halt.is_none() => {}
                StopReason::CycleLimit | StopReason::Halted(_) | StopReason::NeedInput => {
                    return r;
                }
                _ if accept(&self.m, &r) => return r,
                _ => {}
            }
            if self.m.cycle >= limit {
                return StopReason::CycleLimit;
            }
        }
    }

    /// One cycle forward.
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

    /// To `target` cycles, by replay from the latest state before it.
    fn goto(&mut self, target: u64) {
        if target < self.m.cycle {
            let i = self
                .snaps
                .iter()
                .rposition(|s| s.0.cycle <= target)
                .unwrap_or(0);
            self.restore(i);
        }
        while self.m.cycle < target && self.m.halt.is_none() {
            self.advance(target);
        }
    }

    /// Back to the state just after the previous instruction retired.
    pub fn step_back_instruction(&mut self) -> Result<(), SeekError> {
        let target = self.m.instret;
        if target <= self.snaps[0].0.instret {
            return Err(SeekError::AtStart(self.start()));
        }
        let target = target - 1;
        let now = self.m.cycle;
        let i = self
            .snaps
            .iter()
            .rposition(|s| s.0.instret <= target && s.0.cycle <= now)
            .unwrap_or(0);
        self.restore(i);
        while self.m.instret < target && self.m.halt.is_none() {
            let c = self.m.cycle + 1;
            self.advance(c);
        }
        Ok(())
    }

    /// Goes to cycle `target` (between the start and the furthest cycle).
    pub fn seek(&mut self, target: u64) -> Result<(), SeekError> {
        let furthest = self.furthest();
        if target > furthest {
            return Err(SeekError::PastFurthest { target, furthest });
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

    /// Runs backwards to the previous stop `accept` accepts, or to the
    /// start. `accept` sees the stops of each stretch in forward order.
    pub fn reverse_run(
        &mut self,
        accept: &mut dyn FnMut(&Machine, &StopReason) -> bool,
    ) -> ReverseStop {
        self.furthest = self.furthest();
        let now = self.m.cycle;
        let mut end = now;
        for i in (0..self.snaps.len()).rev() {
            if self.snaps[i].0.cycle >= end {
                continue;
            }
            self.restore(i);
            let mut found = None;
            while self.m.cycle < end && self.m.halt.is_none() {
                let r = self.run(end - self.m.cycle, accept);
                match r {
                    StopReason::CycleLimit | StopReason::Halted(_) | StopReason::NeedInput => {
                        break;
                    }
                    _ if self.m.cycle < now => found = Some((self.m.cycle, r)),
                    _ => break,
                }
            }
            if let Some((cycle, r)) = found {
                self.goto(cycle);
                return ReverseStop::Stopped(r);
            }
            end = self.snaps[i].0.cycle;
        }
        self.restore(0);
        ReverseStop::Start
    }

    /// An edit: the current state becomes the new present.
    fn edited(&mut self) {
        let now = self.m.cycle;
        self.snaps.retain(|s| s.0.cycle < now);
        let mut s = self.m.clone();
        s.breakpoints.clear();
        self.snaps.push((s, self.produced));
        self.furthest = now;
        // The dropped future's output was shown; a new future's is new.
        self.console.truncate(self.produced);
    }

    pub fn set_reg(&mut self, r: u8, value: u32) -> Result<(), EditError> {
        if r == 0 || r > 31 {
            return Err(EditError(format!("x{r} cannot be written")));
        }
        self.m.hart.set_reg(r, value);
        self.edited();
        Ok(())
    }

    /// Sets pc; on the five-stage core fetch restarts there.
    pub fn set_pc(&mut self, pc: u32) -> Result<(), EditError> {
        self.m.hart.pc = pc;
        if let Some(p) = &mut self.m.pipeline {
            p.fetch_pc = pc;
        }
        self.edited();
        Ok(())
    }

    pub fn set_csr(&mut self, csr: u16, value: u32) -> Result<(), EditError> {
        if !self.m.csr_write(csr, value) {
            return Err(EditError(format!(
                "CSR {csr:#x} is read-only or does not exist"
            )));
        }
        self.edited();
        Ok(())
    }

    pub fn poke(&mut self, addr: u32, width: u32, value: u32) -> Result<(), EditError> {
        if !self.m.poke(addr, width, value) {
            return Err(EditError(format!("nothing is mapped at {addr:#010x}")));
        }
        self.edited();
        Ok(())
    }
}
