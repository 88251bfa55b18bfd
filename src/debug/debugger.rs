//! `Debugger`: the timeline and the user's stops together, the one API the
//! GUI session, the gdb stub and the CLI drive. Forward and reverse runs
//! arm the stops' raw triggers and ask `StopSet::accept` about every raw
//! stop; hit counts are kept by cycle, so going back and running the same
//! cycles again counts nothing twice, and an edit that drops the future
//! drops its hits too.

use super::savestate::SaveState;
use super::stops::StopSet;
use super::timeline::{EditError, ReverseStop, SeekError, Timeline};
use crate::machine::{Machine, StopReason};

pub struct Debugger {
    timeline: Timeline,
    stops: StopSet,
}

impl Debugger {
    pub fn new(machine: Machine) -> Debugger {
        Debugger::with_stops(machine, StopSet::new())
    }

    pub fn with_stops(machine: Machine, stops: StopSet) -> Debugger {
        let mut d = Debugger {
            timeline: Timeline::new(machine),
            stops,
        };
        d.rearm();
        d
    }

    /// A session from a save state: its machine at its cycle (the start of
    /// the new timeline), its stops, and its console output.
    pub fn from_state(state: SaveState) -> Debugger {
        let SaveState {
            mut machine,
            stops,
            console,
            ..
        } = state;
        // Printed before the state was saved: the timeline's console
        // starts with it.
        let mut out = console;
        out.extend_from_slice(&machine.take_output());
        machine.bus.uart.output = out;
        Debugger::with_stops(machine, stops)
    }

    /// The session now, as a save state.
    pub fn save_state(&self, program_name: &str) -> SaveState {
        SaveState::new(
            program_name,
            self.timeline.machine(),
            &self.stops,
            self.timeline.console(),
        )
    }

    pub fn machine(&self) -> &Machine {
        self.timeline.machine()
    }

    pub fn timeline(&self) -> &Timeline {
        &self.timeline
    }

    /// The timeline, for what the debugger does not wrap (budget, marks).
    pub fn timeline_mut(&mut self) -> &mut Timeline {
        &mut self.timeline
    }

    pub fn stops(&self) -> &StopSet {
        &self.stops
    }

    /// Change the stops through this; every run re-arms them.
    pub fn stops_mut(&mut self) -> &mut StopSet {
        &mut self.stops
    }

    /// Installs the stops' raw triggers into the machine.
    pub fn rearm(&mut self) {
        self.stops.arm(self.timeline.triggers_mut());
    }

    /// Hits of breakpoint or watchpoint `id` as of the current cycle.
    pub fn hits(&self, id: u32) -> u64 {
        self.stops.hits_at(id, self.timeline.cycle())
    }

    /// Runs forward up to `max_cycles` cycles, until a stop the user asked
    /// for (conditions and ignore counts applied), a halt or an input wait.
    pub fn run(&mut self, max_cycles: u64) -> StopReason {
        self.rearm();
        let stops = &mut self.stops;
        self.timeline
            .run(max_cycles, &mut |m, s| stops.accept(m, s))
    }

    /// Whether a raw machine stop found outside a run (e.g. by a
    /// `group::Group` stepping cycle by cycle) is one the user asked for;
    /// records the hit like a run would.
    pub fn accept(&mut self, stop: &StopReason) -> bool {
        self.stops.accept(self.timeline.machine(), stop)
    }

    /// One cycle forward (one instruction on the functional and
    /// single-cycle cores); stops are not consulted.
    pub fn step_cycle(&mut self) -> StopReason {
        self.timeline.step_cycle()
    }

    pub fn step_instruction(&mut self) -> StopReason {
        self.timeline.step_instruction()
    }

    pub fn step_back_cycle(&mut self) -> Result<(), SeekError> {
        self.timeline.step_back_cycle()
    }

    pub fn step_back_instruction(&mut self) -> Result<(), SeekError> {
        self.timeline.step_back_instruction()
    }

    pub fn seek(&mut self, cycle: u64) -> Result<(), SeekError> {
        self.timeline.seek(cycle)
    }

    /// Back to the previous stop the user asked for, or to the start.
    pub fn reverse_run(&mut self) -> ReverseStop {
        self.rearm();
        let stops = &mut self.stops;
        self.timeline.reverse_run(&mut |m, s| stops.accept(m, s))
    }

    /// The stop in words, for a status line.
    pub fn describe_stop(&self, stop: &StopReason) -> String {
        self.stops.describe_stop(self.timeline.machine(), stop)
    }

    /// Whether an edit now would drop the future (a GUI asks first).
    pub fn in_past(&self) -> bool {
        self.timeline.in_past()
    }

    fn edited(&mut self, r: Result<(), EditError>) -> Result<(), EditError> {
        if r.is_ok() {
            self.stops.truncate_hits_after(self.timeline.cycle());
        }
        r
    }

    pub fn set_reg(&mut self, r: u8, value: u32) -> Result<(), EditError> {
        let r = self.timeline.set_reg(r, value);
        self.edited(r)
    }

    pub fn set_pc(&mut self, pc: u32) -> Result<(), EditError> {
        let r = self.timeline.set_pc(pc);
        self.edited(r)
    }

    pub fn set_csr(&mut self, csr: u16, value: u32) -> Result<(), EditError> {
        let r = self.timeline.set_csr(csr, value);
        self.edited(r)
    }

    pub fn poke(&mut self, addr: u32, width: u32, value: u32) -> Result<(), EditError> {
        let r = self.timeline.poke(addr, width, value);
        self.edited(r)
    }

    pub fn push_input(&mut self, bytes: &[u8]) {
        self.timeline.push_input(bytes);
        self.stops.truncate_hits_after(self.timeline.cycle());
    }

    pub fn close_input(&mut self) {
        self.timeline.close_input();
        self.stops.truncate_hits_after(self.timeline.cycle());
    }

    /// Everything printed up to the current cycle.
    pub fn console(&self) -> &[u8] {
        self.timeline.console()
    }

    pub fn state_hash(&self) -> u64 {
        self.timeline.state_hash()
    }
}
