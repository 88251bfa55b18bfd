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

/// The program the reverse-execution figures run: `benches/forever.s`
/// (loads, stores, a multiply, branches over a 1 KiB array) with a pass
/// count that makes it at least `cycles` long on any core.
pub fn long_program(cycles: u64) -> Result<crate::loader::Image, String> {
    crate::asm::assemble(&long_source(cycles), &crate::asm::AsmOptions::default())
        .map(|p| p.image)
        .map_err(|d| format!("benches/forever.s: {} assembly errors", d.len()))
}

/// `benches/forever.s`: it runs for about 2^32 passes, i.e. forever.
pub const FOREVER_SOURCE: &str = include_str!("../benches/forever.s");

/// The source of `long_program`.
pub fn long_source(cycles: u64) -> String {
    let source = FOREVER_SOURCE;
    // About 2,600 instructions per pass; at least one cycle each.
    let rounds = cycles.div_ceil(2_600).clamp(1, u32::MAX as u64);
    source.replacen(".equ    ROUNDS, 0", &format!(".equ    ROUNDS, {rounds}"), 1)
}

/// What `reverse` measured.
#[derive(Clone, Debug)]
pub struct ReverseReport {
    pub cycles: u64,
    /// Forward run without history and with it, same cycles, same bulks.
    pub plain: Duration,
    pub with_history: Duration,
    /// Step back one cycle / one instruction at the end: median and worst.
    pub back_cycle: (Duration, Duration),
    pub back_instruction: (Duration, Duration),
    /// Seeks to pseudo-random cycles: median and worst.
    pub seek: (Duration, Duration),
    pub memory_used: usize,
    pub budget: usize,
    pub snapshots: usize,
}

impl ReverseReport {
    /// Forward speed with history relative to without (1.10 = 10 % slower).
    pub fn history_cost(&self) -> f64 {
        self.with_history.as_secs_f64() / self.plain.as_secs_f64()
    }
}

fn median_worst(mut v: Vec<Duration>) -> (Duration, Duration) {
    v.sort();
    (v[v.len() / 2], v[v.len() - 1])
}

/// Reverse execution on `template` run `cycles` cycles forward in bulks
/// of `bulk` (the GUI's is 10,000): the same run without and with the
/// history, then `steps` step-backs by cycle and by instruction at the end
/// and `steps` seeks to pseudo-random cycles.
pub fn reverse(template: &Machine, cycles: u64, bulk: u64, steps: usize) -> ReverseReport {
    use crate::debug::Timeline;
    let mut m = template.clone();
    let start = Instant::now();
    while m.cycle < cycles && m.halt.is_none() {
        m.run(bulk.min(cycles - m.cycle));
    }
    let plain = start.elapsed();
    let end = m.cycle;
    drop(m);

    let start = Instant::now();
    let mut t = Timeline::new(template.clone());
    while t.cycle() < end && t.machine().halt.is_none() {
        t.run(bulk.min(end - t.cycle()), &mut |_, _| true);
    }
    let with_history = start.elapsed();

    let timed = |t: &mut Timeline, f: &dyn Fn(&mut Timeline)| {
        let s = Instant::now();
        f(t);
        s.elapsed()
    };
    let back_cycle: Vec<Duration> = (0..steps)
        .map(|_| {
            timed(&mut t, &|t| {
                let _ = t.step_back_cycle();
            })
        })
        .collect();
    t.seek(t.furthest()).ok();
    let back_instruction: Vec<Duration> = (0..steps)
        .map(|_| {
            timed(&mut t, &|t| {
                let _ = t.step_back_instruction();
            })
        })
        .collect();
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let seek: Vec<Duration> = (0..steps)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let target = x % (t.furthest() + 1);
            timed(&mut t, &|t| {
                let _ = t.seek(target);
            })
        })
        .collect();
    ReverseReport {
        cycles: end - template.cycle,
        plain,
        with_history,
        back_cycle: median_worst(back_cycle),
        back_instruction: median_worst(back_instruction),
        seek: median_worst(seek),
        memory_used: t.memory_used(),
        budget: t.budget(),
        snapshots: t.snapshot_count(),
    }
}
