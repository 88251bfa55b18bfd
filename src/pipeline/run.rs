//! The pipeline's run loop.

use super::Pipeline;
use super::cycle::Flow;
use super::fast;
use crate::machine::{Machine, StopReason};

impl Pipeline {
    /// See `Machine::run`.
    pub(crate) fn run(&mut self, m: &mut Machine, max_cycles: u64) -> StopReason {
        let limit = m.cycle.saturating_add(max_cycles);
        m.run_limit = limit;
        loop {
            if let Some(stop) = m.take_stop() {
                return stop;
            }
            if let Some(h) = &m.halt {
                return StopReason::Halted(h.clone());
            }
            if m.cycle >= limit {
                return StopReason::CycleLimit;
            }
            if self.if_id.is_none()
                && limit - m.cycle >= fast::MIN_CYCLES
                && self.fast_handed_over_at != Some(m.cycle)
                && self.fast_path_allowed(m)
            {
                self.fast_forward(m, limit);
                self.fast_handed_over_at = Some(m.cycle);
                continue;
            }
            let before = self.fetch_pc;
            let flow = self.cycle(m);
            if flow == Flow::NeedInput {
                m.waiting_for_input = false;
                return StopReason::NeedInput;
            }
            self.remember_cycle();
            if flow == Flow::Halted {
                continue;
            }
            if m.waiting_for_input {
                // A `wfi` that only the UART's receive interrupt can wake.
                m.waiting_for_input = false;
                return StopReason::NeedInput;
            }
            // Stop when an instruction at a breakpoint becomes the next to
            // fetch.
            // Queued behind any watchpoint or event stop of this cycle.
            if !m.breakpoints.is_empty()
                && self.fetch_pc != before
                && m.breakpoints.contains(&self.fetch_pc)
            {
                m.push_stop(StopReason::Breakpoint(self.fetch_pc));
            }
        }
    }
}
