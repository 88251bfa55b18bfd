//! `Member`: what a machine must offer to run in a `Group`. Implemented
//! for a bare `Machine` (tests, `sweep`) and for `debug::Debugger` (the
//! GUI's sessions, with their breakpoint conditions and time travel).

use crate::debug::Debugger;
use crate::machine::{Machine, StopReason};

pub trait Member {
    /// The machine as it is now.
    fn machine(&self) -> &Machine;

    /// One clock cycle (one instruction on the functional core). Returns
    /// `StopReason::CycleLimit` when nothing stopped it.
    fn step_cycle(&mut self) -> StopReason;

    /// Until one more instruction retires, or the run stops.
    fn step_instruction(&mut self) -> StopReason;

    /// Up to `max_cycles` cycles at full speed, until a stop.
    fn run(&mut self, max_cycles: u64) -> StopReason;

    /// Whether a raw machine stop is one the user asked for (a breakpoint
    /// whose condition holds, past its ignore count). A bare machine takes
    /// every stop.
    fn accept(&mut self, stop: &StopReason) -> bool {
        let _ = stop;
        true
    }
}

impl Member for Machine {
    fn machine(&self) -> &Machine {
        self
    }

    fn step_cycle(&mut self) -> StopReason {
        Machine::run(self, 1)
    }

    fn step_instruction(&mut self) -> StopReason {
        Machine::step_instruction(self, super::STEP_INSTRUCTION_LIMIT)
    }

    fn run(&mut self, max_cycles: u64) -> StopReason {
        Machine::run(self, max_cycles)
    }
}

impl Member for Debugger {
    fn machine(&self) -> &Machine {
        Debugger::machine(self)
    }

    /// One cycle through the timeline, with the user's stops consulted
    /// (a breakpoint whose condition is false does not stop the group).
    fn step_cycle(&mut self) -> StopReason {
        Debugger::run(self, 1)
    }

    fn step_instruction(&mut self) -> StopReason {
        Debugger::step_instruction(self)
    }

    fn run(&mut self, max_cycles: u64) -> StopReason {
        Debugger::run(self, max_cycles)
    }

    fn accept(&mut self, stop: &StopReason) -> bool {
        Debugger::accept(self, stop)
    }
}
