//! The session shared between the UI thread and a worker thread that runs
//! the machine at full speed. The UI locks the session only while it builds
//! a frame (views read the machine, commands are applied); egui's
//! tessellation and the renderer's painting happen after the lock is
//! released, so they overlap with the simulation. Nothing is sent per
//! cycle: the views read the machine's state once per frame.
//!
//! Hand-over: the UI raises `ui_wants` and locks. The worker checks the
//! flag between bulks of `BULK_CYCLES`, steps the chart's tail (so the
//! frame shows the newest cycles), and waits on the condition variable
//! until the UI has finished its frame.

use super::session::{BULK_CYCLES, Session};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;

/// What a worker can run at full speed: one session, or the machines of
/// compare mode (`gui::compare::Compare`).
pub trait Simulated: Send + 'static {
    /// Running at full speed and able to make progress.
    fn wants_cycles(&self) -> bool;
    /// Steps the chart's newest cycles before a frame is built.
    fn record_tail(&mut self);
    /// Up to `cycles` more cycles without recording.
    fn run_bulk(&mut self, cycles: u64);
}

impl Simulated for Session {
    fn wants_cycles(&self) -> bool {
        Session::wants_cycles(self)
    }
    fn record_tail(&mut self) {
        Session::record_tail(self)
    }
    fn run_bulk(&mut self, cycles: u64) {
        Session::run_bulk(self, cycles)
    }
}

pub struct Shared<S = Session> {
    session: Mutex<S>,
    wake: Condvar,
    /// The UI is waiting for the lock (set without it, cleared with it).
    ui_wants: AtomicBool,
    quit: AtomicBool,
}

impl<S: Simulated> Shared<S> {
    pub fn new(session: S) -> Arc<Shared<S>> {
        Arc::new(Shared {
            session: Mutex::new(session),
            wake: Condvar::new(),
            ui_wants: AtomicBool::new(false),
            quit: AtomicBool::new(false),
        })
    }

    /// The session, without asking the worker to hand over: only for when
    /// no worker runs (the worker keeps the lock between its checks).
    pub fn lock(&self) -> MutexGuard<'_, S> {
        // A panic in the worker leaves a usable session: show it.
        self.session.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The session for one frame: the worker stops at its next check.
    pub fn lock_for_frame(&self) -> MutexGuard<'_, S> {
        self.ui_wants.store(true, Ordering::Release);
        let guard = self.lock();
        // Cleared under the lock, so the worker cannot miss the wake-up.
        self.ui_wants.store(false, Ordering::Release);
        guard
    }

    /// Lets the worker go on after a frame (the guard is dropped first).
    pub fn end_frame(&self, guard: MutexGuard<'_, S>) {
        drop(guard);
        self.wake.notify_all();
    }
}

/// The worker thread; stopped and joined when dropped.
pub struct Worker<S: Simulated = Session> {
    shared: Arc<Shared<S>>,
    thread: Option<JoinHandle<()>>,
}

impl<S: Simulated> Worker<S> {
    pub fn spawn(shared: Arc<Shared<S>>) -> Worker<S> {
        let s = shared.clone();
        let thread = std::thread::Builder::new()
            .name("glassbox-sim".into())
            .spawn(move || work(&s))
            .expect("cannot start the simulation thread");
        Worker {
            shared,
            thread: Some(thread),
        }
    }
}

impl<S: Simulated> Drop for Worker<S> {
    fn drop(&mut self) {
        self.shared.quit.store(true, Ordering::Release);
        // Taking the lock orders the flag before the worker's next wait.
        drop(self.shared.lock());
        self.shared.wake.notify_all();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn work<S: Simulated>(shared: &Shared<S>) {
    let mut s = shared.lock();
    loop {
        if shared.quit.load(Ordering::Acquire) {
            return;
        }
        if shared.ui_wants.load(Ordering::Acquire) {
            if s.wants_cycles() {
                s.record_tail();
            }
            s = shared
                .wake
                .wait_while(s, |_| {
                    shared.ui_wants.load(Ordering::Acquire) && !shared.quit.load(Ordering::Acquire)
                })
                .unwrap_or_else(|e| e.into_inner());
            continue;
        }
        if !s.wants_cycles() {
            // Idle until the next frame ends (it may have started a run).
            s = shared.wake.wait(s).unwrap_or_else(|e| e.into_inner());
            continue;
        }
        s.run_bulk(BULK_CYCLES);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::MachineConfig;
    use crate::gui::session::{CHART_WINDOW, Command};
    use std::time::Duration;

    #[test]
    fn the_worker_runs_between_frames_and_each_frame_sees_the_newest_chart() {
        let mut session = Session::demo(MachineConfig::preset("textbook").unwrap()).unwrap();
        session.apply(Command::Assemble {
            name: "spin.s".into(),
            source: "    .globl _start\n_start:\n    addi t0, t0, 1\n    j _start\n".into(),
        });
        let shared = Shared::new(session);
        let worker = Worker::spawn(shared.clone());
        let mut s = shared.lock_for_frame();
        s.apply(Command::Run);
        shared.end_frame(s);
        // Frames until the worker has run a while (not a timing assertion:
        // the loop only bounds how long a broken worker can hang the test).
        let mut cycle = 0;
        for _ in 0..20_000 {
            std::thread::sleep(Duration::from_millis(1));
            let s = shared.lock_for_frame();
            cycle = s.machine().cycle;
            let (first, last) = s.chart.recorded_cycles().unwrap_or((0, 0));
            if cycle > 0 {
                // The worker recorded the newest cycles before handing over.
                assert_eq!(last + 1, cycle);
                assert_eq!(last + 1 - first, CHART_WINDOW);
            }
            shared.end_frame(s);
            if cycle > 10 * CHART_WINDOW {
                break;
            }
        }
        assert!(cycle > 10 * CHART_WINDOW, "the worker made progress");
        let mut s = shared.lock_for_frame();
        s.apply(Command::Pause);
        let paused_at = s.machine().cycle;
        shared.end_frame(s);
        drop(worker);
        let s = shared.lock();
        assert!(!s.running);
        assert_eq!(s.machine().cycle, paused_at, "nothing ran after the pause");
    }
}
