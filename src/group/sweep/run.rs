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
        headless::run_pair(cfg, &job.rom, limit)
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
#[derive(Clone, Copy, Debug)]
pub struct Speedup {
    pub jobs: usize,
    pub threads: usize,
    pub serial: Duration,
    pub parallel: Duration,
}

impl Speedup {
    pub fn ratio(&self) -> f64 {
        self.serial.as_secs_f64() / self.parallel.as_secs_f64().max(1e-9)
    }
}

/// Times `jobs` on one thread, then on `k`; checks that both give the same
/// rows.
pub fn measure_speedup(jobs: &[Job], max_cycles: Option<u64>, k: usize) -> Result<Speedup, String> {
    let t = Instant::now();
    let one = run_jobs(jobs, max_cycles, 1, &|_| {})?;
    let serial = t.elapsed();
    let t = Instant::now();
    let many = run_jobs(jobs, max_cycles, k, &|_| {})?;
    let parallel = t.elapsed();
    if one != many {
        return Err("the parallel sweep's rows differ from the serial sweep's".into());
    }
    Ok(Speedup {
        jobs: jobs.len(),
        threads: k,
        serial,
        parallel,
    })
}
