//! Compare mode's speed against solo runs, for `glassbox bench --compare`:
//! each machine of a group running at full speed in the window, as a share
//! of its own headless speed (issue #13 asks for at least 40 % with two
//! machines). It drives the code the window drives: a `Compare` group on a
//! `runner::Worker` thread, with the UI's side played by this thread, which
//! takes the group for a frame at the window's pace (the worker records
//! the charts' newest cycles for it) and computes what the compare views
//! compute from the model (aligned charts, the comparison table). Only
//! painting is left out. The solo figure is plain `Machine::run` from
//! reset (what `glassbox bench` times), taken before and after the group
//! runs and averaged, so a change in the shared host's load hits both.

use super::compare::{Choice, Compare, Lockstep};
use super::runner::{Shared, Worker};
use super::session::{Command, Session};
use crate::machine::Machine;
use std::time::{Duration, Instant};

/// The window's frame pace at full speed (`app::MIN_FRAME_INTERVAL`).
pub const FRAME_INTERVAL: Duration = Duration::from_millis(25);

/// Cycles of one `Machine::run` call of the solo measurement (the time is
/// checked between them).
const SOLO_CHUNK: u64 = 1_000_000;

/// One machine's speeds.
#[derive(Clone, Debug)]
pub struct MemberSpeed {
    pub label: String,
    /// Headless, alone: cycles per second.
    pub solo: f64,
    /// In the group at full speed: cycles per second.
    pub grouped: f64,
}

impl MemberSpeed {
    /// The share of its solo speed the machine keeps in the group.
    pub fn ratio(&self) -> f64 {
        self.grouped / self.solo
    }
}

/// The group's run in one lockstep mode.
#[derive(Clone, Debug)]
pub struct CompareSpeed {
    pub lockstep: Lockstep,
    pub members: Vec<MemberSpeed>,
    /// Frames taken while the group ran (the UI side's locks).
    pub frames: u64,
    /// Wall time of the measured stretch.
    pub elapsed: Duration,
}

/// Measures `choices` on `base`'s program for about `seconds` per phase,
/// in each lockstep mode of `locksteps`.
pub fn measure_compare(
    base: &Session,
    choices: &[Choice],
    locksteps: &[Lockstep],
    seconds: f64,
) -> Result<Vec<CompareSpeed>, String> {
    let time = Duration::from_secs_f64(seconds.max(0.01));
    // The machines at reset, as compare mode builds them.
    let fresh = Compare::new(base, choices)?;
    let solo = |i: usize| solo_speed(fresh.member(i).machine(), time / 2);
    let before: Vec<f64> = (0..fresh.len()).map(solo).collect();
    let mut out = Vec::new();
    for &lockstep in locksteps {
        let mut g = Compare::new(base, choices)?;
        g.lockstep = lockstep;
        out.push(grouped(g, time));
    }
    for (i, b) in before.iter().enumerate() {
        let s = (b + solo(i)) / 2.0;
        for run in &mut out {
            run.members[i].solo = s;
        }
    }
    Ok(out)
}

/// Runs the group on a worker for `time`, taking frames at the window's
/// pace; speeds over the stretch after the first frame.
fn grouped(mut g: Compare, time: Duration) -> CompareSpeed {
    let lockstep = g.lockstep;
    let labels: Vec<String> = (0..g.len()).map(|i| g.label(i)).collect();
    g.apply(Command::Run);
    let shared = Shared::new(g);
    let worker = Worker::spawn(shared.clone());
    let cycles =
        |g: &Compare| -> Vec<u64> { (0..g.len()).map(|i| g.member(i).machine().cycle).collect() };
    let mut start: Option<(Instant, Vec<u64>)> = None;
    let mut frames = 0;
    let end = loop {
        let frame = Instant::now();
        let g = shared.lock_for_frame();
        // What the compare views compute from the model each frame.
        let aligned = super::views::compare::align_group(&g);
        std::hint::black_box((aligned, g.comparison()));
        let now = (Instant::now(), cycles(&g));
        let running = g.running;
        shared.end_frame(g);
        match &start {
            None => start = Some(now),
            Some((t0, _)) => {
                frames += 1;
                if now.0 - *t0 >= time || !running {
                    break now;
                }
            }
        }
        std::thread::sleep(FRAME_INTERVAL.saturating_sub(frame.elapsed()));
    };
    drop(worker);
    let (t0, c0) = start.expect("a first frame");
    let elapsed = end.0 - t0;
    let members = labels
        .into_iter()
        .enumerate()
        .map(|(i, label)| MemberSpeed {
            label,
            solo: 0.0,
            grouped: (end.1[i] - c0[i]) as f64 / elapsed.as_secs_f64(),
        })
        .collect();
    CompareSpeed {
        lockstep,
        members,
        frames,
        elapsed,
    }
}

/// Cycles per second of `template` run alone, headless, from its state
/// for about `time` (or until it halts).
fn solo_speed(template: &Machine, time: Duration) -> f64 {
    let mut m = template.clone();
    m.close_input();
    let c0 = m.cycle;
    let start = Instant::now();
    while start.elapsed() < time && m.halt.is_none() {
        m.run(SOLO_CHUNK);
    }
    (m.cycle - c0) as f64 / start.elapsed().as_secs_f64()
}
