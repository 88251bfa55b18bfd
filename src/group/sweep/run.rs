//! Runs a sweep's jobs on a pool of worker threads. Each job is one
//! `headless::run_pair`, exactly what `glassbox run --stats` does for the
//! pair; a job that cannot start or does not finish becomes its row's
//! status, and the other jobs go on.

use super::{Job, Row, Status};
use crate::group::compare::stat_map;
use crate::headless;
use rayon::prelude::*;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

/// Runs one job to its row.
pub fn run_job(job: &Job, max_cycles: Option<u64>) -> Row {
    let mut row = Row {
        index: job.index,
        config: job.config.clone(),
        params: job
            .params
            .iter()
            .map(|(f, v)| (f.clone(), v.to_string()))
            .collect(),
        rom: job.rom.display().to_string(),
        status: Status::Exited(0),
        stats: Default::default(),
    };
    let cfg = match &job.machine {
        Ok(c) => c.clone(),
        Err(e) => {
            row.status = Status::ConfigError(e.clone());
            return row;
        }
    };
    let limit = max_cycles.unwrap_or(u64::MAX);
    // A panic is a simulator bug; it must cost one row, not the sweep.
    match catch_unwind(AssertUnwindSafe(|| {
        headless::run_pair(cfg, &job.rom, job.isa, limit)
    })) {
        Ok(Ok(result)) => {
            row.status = result.ending.into();
            row.stats = stat_map(&result.stats);
        }
        Ok(Err(e)) => row.status = Status::LoadError(e.message),
        Err(_) => {
            row.status = Status::MachineError("internal error: the simulator panicked".into())
        }
    }
    row
}

/// Runs every job on `threads` worker threads (0: one per core) and
/// returns the rows in job order. `done` is called from the workers as
/// each row is finished (for a progress bar).
pub fn run_jobs(
    jobs: &[Job],
    max_cycles: Option<u64>,
    threads: usize,
    done: &(dyn Fn(&Row) + Sync),
) -> Result<Vec<Row>, String> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| format!("cannot start {threads} worker threads: {e}"))?;
    Ok(pool.install(|| {
        jobs.par_iter()
            // One job per task: runs differ in length by orders of
            // magnitude, so work stealing needs them separate.
            .with_max_len(1)
            .map(|job| {
                let row = run_job(job, max_cycles);
                done(&row);
                row
            })
            .collect()
    }))
}

/// The same jobs run one after another and on `k` threads, for the
/// speed-up figure (`glassbox bench --sweep`).
#[derive(Clone, Debug)]
pub struct Speedup {
    pub jobs: usize,
    pub threads: usize,
    pub serial: Duration,
    pub parallel: Duration,
    /// CPU time the one thread spent in runs (Linux; `None` elsewhere).
    pub serial_cpu: Option<Duration>,
    /// CPU time each of the `k` threads spent in runs.
    pub parallel_cpu: Option<Vec<Duration>>,
}

impl Speedup {
    /// Wall-clock time one after another / on `k` threads.
    pub fn ratio(&self) -> f64 {
        self.serial.as_secs_f64() / self.parallel.as_secs_f64().max(1e-9)
    }

    /// The same from CPU time: the one thread's, over the busiest of the
    /// `k` threads'. This estimates the wall-clock speed-up on `k`
    /// otherwise idle cores (it counts imbalance and any slow-down of runs
    /// side by side), and it holds on a loaded machine, where the
    /// scheduler may give a process the same CPU share however many
    /// threads it runs.
    pub fn cpu_ratio(&self) -> Option<f64> {
        let busiest = self.parallel_cpu.as_ref()?.iter().max()?.as_secs_f64();
        Some(self.serial_cpu?.as_secs_f64() / busiest.max(1e-9))
    }
}

/// CPU time of the calling thread so far (Linux's schedstat).
fn thread_cpu() -> Option<Duration> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = s.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

/// The rows of a timed run, its wall-clock time and each thread's CPU
/// time in runs.
type Timed = (Vec<Row>, Duration, Option<Vec<Duration>>);

/// Runs the jobs on `k` threads as `run_jobs` does, timing the whole and
/// each thread's CPU time in runs.
fn timed(jobs: &[Job], max_cycles: Option<u64>, k: usize) -> Result<Timed, String> {
    use std::sync::Mutex;
    let busy = Mutex::new(vec![Some(Duration::ZERO); k]);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(k)
        .build()
        .map_err(|e| format!("cannot start {k} worker threads: {e}"))?;
    let t = Instant::now();
    let rows: Vec<Row> = pool.install(|| {
        jobs.par_iter()
            .with_max_len(1)
            .map(|job| {
                let before = thread_cpu();
                let row = run_job(job, max_cycles);
                let spent = before.and_then(|b| Some(thread_cpu()?.saturating_sub(b)));
                let i = rayon::current_thread_index().unwrap_or(0);
                let mut busy = busy.lock().unwrap_or_else(|e| e.into_inner());
                busy[i] = busy[i].and_then(|sum| Some(sum + spent?));
                row
            })
            .collect()
    });
    let wall = t.elapsed();
    let busy = busy.into_inner().unwrap_or_else(|e| e.into_inner());
    let cpu: Option<Vec<Duration>> = busy.into_iter().collect();
    Ok((rows, wall, cpu))
}

/// Times `jobs` on one thread, then on `k`; checks that both give the same
/// rows.
pub fn measure_speedup(jobs: &[Job], max_cycles: Option<u64>, k: usize) -> Result<Speedup, String> {
    let (one, serial, serial_cpu) = timed(jobs, max_cycles, 1)?;
    let (many, parallel, parallel_cpu) = timed(jobs, max_cycles, k)?;
    if one != many {
        return Err("the parallel sweep's rows differ from the serial sweep's".into());
    }
    Ok(Speedup {
        jobs: jobs.len(),
        threads: k,
        serial,
        parallel,
        serial_cpu: serial_cpu.map(|c| c.iter().sum()),
        parallel_cpu,
    })
}
