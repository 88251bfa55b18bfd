//! Simulation speed measurement, shared by `glassbox bench` and `cargo bench`.

use crate::machine::{Machine, StopReason};
use std::time::{Duration, Instant};

#[derive(Clone, Debug)]
pub struct BenchResult {
    pub runs: u32,
    pub instructions: u64,
    pub cycles: u64,
    /// Time spent simulating, excluding machine set-up between runs.
    pub elapsed: Duration,
    pub last_stop: StopReason,
    /// Of `cycles`, those the five-stage core's fast path covered.
    pub fast_path_cycles: u64,
}

impl BenchResult {
    pub fn mips(&self) -> f64 {
        self.instructions as f64 / self.elapsed.as_secs_f64() / 1e6
    }

    pub fn mcycles_per_second(&self) -> f64 {
        self.cycles as f64 / self.elapsed.as_secs_f64() / 1e6
    }
}

/// Runs fresh copies of `template` to completion (or `max_cycles`) until at
/// least `min_time` of simulation has been measured, or ten times that has
/// passed in all. Console input is closed.
pub fn measure(template: &Machine, max_cycles: u64, min_time: Duration) -> BenchResult {
    let mut result = BenchResult {
        runs: 0,
        instructions: 0,
        cycles: 0,
        elapsed: Duration::ZERO,
        last_stop: StopReason::CycleLimit,
        fast_path_cycles: 0,
    };
    // Short programs spend more time in set-up (a copy of RAM per run)
    // than in simulation: bound the wall time too.
    let wall = Instant::now();
    while (result.elapsed < min_time && wall.elapsed() < 10 * min_time) || result.runs == 0 {
        let mut m = template.clone();
        m.close_input();
        let start = Instant::now();
        let stop = m.run(max_cycles);
        result.elapsed += start.elapsed();
        result.runs += 1;
        result.instructions += m.instret - template.instret;
        result.cycles += m.cycle - template.cycle;
        result.last_stop = stop;
        let fast = |m: &Machine| m.pipeline.as_ref().map_or(0, |p| p.fast_path_cycles);
        result.fast_path_cycles += fast(&m) - fast(template);
    }
    result
}
