//! Compare mode's model, without any GUI code: two to four sessions on the
//! same program with different configurations, driven by one set of
//! controls. Stepping is in lockstep by retired instruction or by cycle;
//! a run goes on until any machine stops, and the stop names the machine
//! and why. Breakpoints, program changes and debugger edits go to every
//! machine; a configuration change goes to the machine with focus (and
//! every machine restarts, so they stay in step).
//!
//! Full speed: the worker (`gui::runner`) runs the whole group in bulks
//! (`Compare::run_bulk`), one machine after another on the same thread, so
//! nothing is sent per cycle and the UI locks the group only to build a
//! frame, exactly as for one session.

use super::runner::Simulated;
use super::session::{BULK_CYCLES, CHART_WINDOW, Command, Session, Speed};
use crate::config::{ConfigName, MachineConfig};
use crate::group::{StateDifference, state_difference};
use crate::machine::StopReason;
use std::time::{Duration, Instant};

/// At most this many machines side by side.
pub const MAX_MACHINES: usize = 4;

/// Host time each machine runs per group bulk when free-running, each on
/// its own thread: long against starting the threads (on a busy host, a
/// new thread may wait a while for a core), short against the frame pace
/// (the UI waits for the bulk to end).
const FREE_SHARE: Duration = Duration::from_millis(4);

/// How the machines are kept together while stepping and running.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Lockstep {
    /// The same number of retired instructions: one step retires one more
    /// on every machine; a run keeps the others level with the first.
    #[default]
    Instruction,
    /// The same cycle: one step is one cycle on every machine.
    Cycle,
    /// Runs let every machine go at its own pace, each with an equal share
    /// of the worker's time, so a fast configuration is not held to a slow
    /// one's speed; a machine that stops pauses the others where they are.
    /// At slow speeds each tick is one cycle on every machine.
    Free,
}

impl Lockstep {
    pub fn name(self) -> &'static str {
        match self {
            Lockstep::Instruction => "by instruction",
            Lockstep::Cycle => "by cycle",
            Lockstep::Free => "free-running",
        }
    }
}

/// Which machine stopped a step or a run, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stopped {
    /// The machine's index (0 is the first, the speed-up reference).
    pub member: usize,
    pub label: String,
    pub reason: StopReason,
    /// The reason in words (breakpoint numbers and hits, exit code).
    pub text: String,
}

impl Stopped {
    /// "machine 2 (no-forwarding): breakpoint 1 at …"
    pub fn describe(&self) -> String {
        format!(
            "machine {} ({}): {}",
            self.member + 1,
            self.label,
            self.text
        )
    }
}

/// One configuration chosen for compare mode.
#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    pub config: MachineConfig,
    /// What it was chosen by and what that name denotes.
    pub name: (ConfigName, MachineConfig),
}

impl Choice {
    pub fn preset(name: &str) -> Option<Choice> {
        let config = MachineConfig::preset(name)?;
        Some(Choice {
            name: (ConfigName::base(name), config.clone()),
            config,
        })
    }
}

/// What compare mode can say of the machines' architectural state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StateCheck {
    /// Running: compared once paused.
    Running,
    /// The machines have retired different numbers of instructions
    /// (stepped or run by cycle, or free-running), so their states are
    /// not comparable.
    Uneven,
    /// Every machine has retired `instret` instructions; each one's first
    /// difference from machine 1's pc and registers (`None`: the same;
    /// the first entry is machine 1's own, always `None`).
    Level {
        instret: u64,
        differences: Vec<Option<StateDifference>>,
    },
}

/// The last state check and what it was made at: every machine's
/// (cycle, instret) and the command count, since an edit changes state
/// without a cycle passing.
type CheckedAt = (Vec<(u64, u64)>, u64);

pub struct Compare {
    members: Vec<Session>,
    /// Commands applied so far (the state check's cache key).
    commands: u64,
    /// The last state check (made once per state, not once per frame).
    checked: std::cell::RefCell<Option<(CheckedAt, StateCheck)>>,
    /// The machine whose views the shared views show.
    pub focus: usize,
    pub lockstep: Lockstep,
    pub running: bool,
    pub speed: Speed,
    /// The machine that ended the last step or run (none after a plain
    /// pause or a completed step).
    pub stopped: Option<Stopped>,
    /// What the last group action did, in words (for the status line).
    pub status: Option<String>,
    /// An error to show (bad program, bad configuration).
    pub error: Option<String>,
    /// "Run N cycles" is under way: it runs at full speed whatever the
    /// speed setting, as for one machine.
    run_n: bool,
    /// Fractional steps owed at slow speeds.
    owed: f64,
    last_tick: Option<Instant>,
}

impl Compare {
    /// Builds one machine per choice on `base`'s program, with its
    /// breakpoints. Two to four choices.
    pub fn new(base: &Session, choices: &[Choice]) -> Result<Compare, String> {
        if !(2..=MAX_MACHINES).contains(&choices.len()) {
            return Err(format!(
                "compare mode needs 2 to {MAX_MACHINES} configurations, not {}",
                choices.len()
            ));
        }
        let mut members = Vec::new();
        for (i, c) in choices.iter().enumerate() {
            let s = base
                .with_config(c.config.clone(), c.name.clone())
                .map_err(|e| format!("machine {} ({}): {e}", i + 1, c.name.0.base))?;
            members.push(s);
        }
        Ok(Compare {
            members,
            commands: 0,
            checked: std::cell::RefCell::new(None),
            focus: 0,
            lockstep: Lockstep::default(),
            running: false,
            speed: Speed::Full,
            stopped: None,
            status: None,
            error: None,
            run_n: false,
            owed: 0.0,
            last_tick: None,
        })
    }

    /// How many machines.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    pub fn member(&self, i: usize) -> &Session {
        &self.members[i.min(self.members.len() - 1)]
    }

    /// The machine with focus: the shared views (registers, memory, ...)
    /// show it.
    pub fn focused(&self) -> &Session {
        self.member(self.focus)
    }

    /// The machine's label: its configuration's name, with a number when
    /// two machines have the same name.
    pub fn label(&self, i: usize) -> String {
        let own = &self.member(i).config_label;
        let same = self
            .members
            .iter()
            .filter(|m| m.config_label == *own)
            .count();
        if same > 1 {
            format!("{own} #{}", i + 1)
        } else {
            own.clone()
        }
    }

    /// The comparison table of the machines now (`group::compare`, the
    /// same table `glassbox sweep` prints): cycles, CPI, stalls by cause,
    /// misses per level, predictor accuracy, speed-up against machine 1.
    pub fn comparison(&self) -> crate::group::Comparison {
        let labels: Vec<String> = (0..self.len()).map(|i| self.label(i)).collect();
        let stats: Vec<_> = self
            .members
            .iter()
            .map(|m| crate::group::compare::stat_map(&m.machine().stats()))
            .collect();
        crate::group::compare(&labels, &stats)
    }

    /// Each machine's architectural state against machine 1's, when all
    /// have retired the same number of instructions (`group::state`).
    pub fn state_check(&self) -> StateCheck {
        if self.running {
            return StateCheck::Running;
        }
        let at: CheckedAt = (
            self.members
                .iter()
                .map(|m| (m.machine().cycle, m.machine().instret))
                .collect(),
            self.commands,
        );
        if let Some((key, check)) = &*self.checked.borrow()
            && *key == at
        {
            return check.clone();
        }
        let instret = at.0[0].1;
        let check = if at.0.iter().any(|&(_, n)| n != instret) {
            StateCheck::Uneven
        } else {
            let first = self.members[0].machine();
            StateCheck::Level {
                instret,
                differences: self
                    .members
                    .iter()
                    .map(|m| state_difference(first, m.machine()))
                    .collect(),
            }
        };
        *self.checked.borrow_mut() = Some((at, check.clone()));
        check
    }

    /// The choices the machines run now (to persist and to reopen).
    pub fn choices(&self) -> Vec<Choice> {
        self.members
            .iter()
            .map(|m| Choice {
                config: m.config.clone(),
                name: m.config_name.clone(),
            })
            .collect()
    }

    /// Applies one command from the controls or a view.
    pub fn apply(&mut self, cmd: Command) {
        self.error = None;
        self.commands += 1;
        match cmd {
            Command::Run => self.start(),
            Command::Pause => self.pause(),
            Command::StepCycle => self.step(Lockstep::Cycle),
            Command::StepInstruction => self.step(Lockstep::Instruction),
            Command::RunCycles(n) => {
                if self.running {
                    return;
                }
                self.start();
                if !self.running {
                    return;
                }
                self.run_n = true;
                for m in &mut self.members {
                    m.apply(Command::RunCycles(n));
                }
                self.after_run(true);
            }
            Command::SetSpeed(s) => self.speed = s,
            Command::LoadState(_) | Command::Seek(_) | Command::RunTo(_) => {
                self.error = Some(
                    "not in compare mode: leave compare mode (Compare menu) to load a state, \
                     seek or run to a line"
                        .into(),
                );
            }
            // The machine with focus saves its state.
            Command::SaveState(p) => self.focused_mut().apply(Command::SaveState(p)),
            // A configuration edits the machine with focus; all restart.
            Command::ApplyConfig(_) | Command::ApplyNamedConfig { .. } => {
                let f = self.focus;
                self.members[f].apply(cmd);
                if let Some(e) = self.members[f].error.take() {
                    self.error = Some(format!("machine {} ({}): {e}", f + 1, self.label(f)));
                }
                self.reset_all();
            }
            Command::Reset => self.reset_all(),
            other => {
                // Back steps, breakpoints, edits, input, programs: every
                // machine, so they stay comparable.
                let back = matches!(
                    other,
                    Command::StepBackCycle | Command::StepBackInstruction | Command::ReverseRun
                );
                if back {
                    self.running = false;
                }
                for m in &mut self.members {
                    m.apply(other.clone());
                }
                self.collect_errors();
                self.stopped = None;
                self.status = back.then(|| self.focused().last_stop.clone()).flatten();
            }
        }
    }

    fn focused_mut(&mut self) -> &mut Session {
        let f = self.focus.min(self.members.len() - 1);
        &mut self.members[f]
    }

    /// Moves a session error to the group's, naming the machine.
    fn collect_errors(&mut self) {
        let mut errors = Vec::new();
        for (i, m) in self.members.iter_mut().enumerate() {
            if let Some(e) = m.error.take() {
                errors.push((i, e));
            }
        }
        if let Some((i, e)) = errors.into_iter().next() {
            self.error = Some(format!("machine {} ({}): {e}", i + 1, self.label(i)));
        }
    }

    fn reset_all(&mut self) {
        self.running = false;
        for m in &mut self.members {
            m.apply(Command::Reset);
        }
        self.collect_errors();
        self.stopped = None;
        self.status = None;
    }

    pub fn start(&mut self) {
        self.stopped = None;
        self.status = None;
        self.owed = 0.0;
        self.last_tick = None;
        self.run_n = false;
        if let Some(i) = self.members.iter().position(|m| m.machine().halt.is_some()) {
            // A halted machine cannot run on: the others would leave it.
            self.status = Some(format!(
                "machine {} ({}) has halted: reset to run again",
                i + 1,
                self.label(i)
            ));
            return;
        }
        for m in &mut self.members {
            m.speed = Speed::Full;
            m.last_reason = None;
            m.apply(Command::Run);
        }
        self.running = true;
    }

    pub fn pause(&mut self) {
        self.running = false;
        self.run_n = false;
        for m in &mut self.members {
            if m.running {
                m.pause();
                m.sync_chart();
            }
        }
        self.status = Some("paused".into());
    }

    /// One step of every machine: a cycle, or one more retired
    /// instruction. A machine that stops (breakpoint, exit) is named.
    fn step(&mut self, by: Lockstep) {
        if self.running {
            return;
        }
        self.stopped = None;
        for m in &mut self.members {
            m.last_reason = None;
            match by {
                Lockstep::Cycle | Lockstep::Free => m.apply(Command::StepCycle),
                Lockstep::Instruction => m.apply(Command::StepInstruction),
            }
        }
        self.collect_errors();
        self.stopped = self.first_stop();
        self.status = Some(match &self.stopped {
            Some(s) => s.describe(),
            None => match by {
                Lockstep::Cycle | Lockstep::Free => "stepped one cycle".into(),
                Lockstep::Instruction => "stepped one instruction".into(),
            },
        });
    }

    /// The first machine whose last step or run ended for a reason other
    /// than its cycle budget.
    fn first_stop(&self) -> Option<Stopped> {
        self.members.iter().enumerate().find_map(|(i, m)| {
            let reason = m.last_reason.clone()?;
            if matches!(reason, StopReason::CycleLimit | StopReason::NeedInput) {
                return None;
            }
            Some(Stopped {
                member: i,
                label: self.label(i),
                text: m
                    .last_stop
                    .clone()
                    .unwrap_or_else(|| super::session::describe(&reason)),
                reason,
            })
        })
    }

    /// After machines ran: when any machine stopped, the group stops.
    fn after_run(&mut self, ran: bool) {
        let all_stopped = self.members.iter().all(|m| !m.running);
        let any_stopped = self.members.iter().any(|m| !m.running);
        if !any_stopped {
            return;
        }
        if ran || all_stopped {
            self.stopped = self.first_stop();
        }
        self.running = false;
        self.run_n = false;
        for m in &mut self.members {
            if m.running {
                m.pause();
                m.sync_chart();
            }
        }
        self.status = Some(match &self.stopped {
            Some(s) => s.describe(),
            None => self
                .members
                .iter()
                .find_map(|m| m.last_stop.clone())
                .unwrap_or_else(|| "paused".into()),
        });
    }

    /// Runs every machine further by up to `cycles` cycles of the first
    /// machine: by cycle, all reach the same cycle; by instruction, the
    /// others run until they retired as many instructions as the first.
    /// A machine that stops (breakpoint, exit) stops the group where it
    /// stopped: machines that went past it go back to its cycle (by
    /// cycle) or to its count of retired instructions (by instruction).
    pub fn run_bulk(&mut self, cycles: u64) {
        if !self.running {
            return;
        }
        match self.lockstep {
            Lockstep::Free => {
                // The same host time for each, at once: every machine runs
                // bulks on its own thread until its share of this call is
                // spent (at least one bulk) or it stops. Nothing ties them,
                // so where each is when another stops is a matter of host
                // timing; a stop within the share is not.
                std::thread::scope(|scope| {
                    let (first, rest) = self.members.split_at_mut(1);
                    for m in rest {
                        scope.spawn(move || run_share(m, cycles));
                    }
                    run_share(&mut first[0], cycles);
                });
            }
            Lockstep::Cycle => {
                let before: Vec<u64> = self.members.iter().map(|m| m.machine().cycle).collect();
                let lowest = before.iter().copied().min().unwrap_or(0);
                let mut target = lowest.saturating_add(cycles);
                for m in &mut self.members {
                    let now = m.machine().cycle;
                    if m.running && now < target {
                        m.run_bulk(target - now);
                    }
                    // Stopped, or waiting for input: the others go no
                    // further than this cycle.
                    if !m.wants_cycles() {
                        target = target.min(m.machine().cycle);
                    }
                }
                // Level with the machine that stopped first, by going
                // back: only machines that passed it in this bulk.
                // A stop of its own past that cycle is undone with it, so
                // it must not be reported: it runs on until the group
                // pauses it.
                for (m, &from) in self.members.iter_mut().zip(&before) {
                    if m.machine().cycle > target && from <= target {
                        m.seek(target);
                        m.last_reason = None;
                        m.apply(Command::Run);
                    }
                }
            }
            Lockstep::Instruction => {
                let before: Vec<u64> = self.members.iter().map(|m| m.machine().cycle).collect();
                let (first, rest) = self.members.split_at_mut(1);
                let lead = &mut first[0];
                if lead.running {
                    lead.run_bulk(cycles);
                }
                let target = lead.machine().instret;
                for m in rest.iter_mut() {
                    run_to_instret(m, target);
                }
                // A machine stopped (or waits for input) short of the
                // first: every machine that went further goes back to as
                // many retired instructions, replaying from where this
                // bulk began (`run_to_instret` never overshoots).
                let level = self
                    .members
                    .iter()
                    .filter(|m| !m.wants_cycles())
                    .map(|m| m.machine().instret)
                    .min();
                if let Some(level) = level {
                    for (m, &from) in self.members.iter_mut().zip(&before) {
                        if m.machine().instret > level {
                            m.seek(from);
                            m.last_reason = None;
                            m.apply(Command::Run);
                            run_to_instret(m, level);
                        }
                    }
                }
            }
        }
        self.after_run(true);
    }

    /// Records the newest cycles of every machine's chart before a frame;
    /// by instruction, the others step until they are level with the
    /// first again.
    pub fn record_tail(&mut self) {
        if !self.running {
            return;
        }
        match self.lockstep {
            Lockstep::Cycle | Lockstep::Free => {
                for m in &mut self.members {
                    m.record_tail();
                }
            }
            Lockstep::Instruction => {
                let (first, rest) = self.members.split_at_mut(1);
                first[0].record_tail();
                let target = first[0].machine().instret;
                for m in rest {
                    // Bounded: a machine that no longer retires the same
                    // instructions must not hold the frame.
                    for _ in 0..8 * CHART_WINDOW {
                        if m.machine().instret >= target || !m.running {
                            break;
                        }
                        m.apply(Command::StepCycle);
                    }
                }
            }
        }
        self.after_run(true);
    }

    /// Whether the worker has something to do.
    pub fn wants_cycles(&self) -> bool {
        self.running
            && (self.speed == Speed::Full || self.run_n)
            && self.members.iter().all(|m| m.wants_cycles())
    }

    /// Advances the group for one frame on the calling thread: at full
    /// speed (without a worker) for up to `budget`, otherwise as many
    /// lockstep steps per second as the speed says.
    pub fn tick(&mut self, budget: Duration) {
        if !self.running {
            return;
        }
        let now = Instant::now();
        let elapsed = self.last_tick.map_or(0.0, |t| (now - t).as_secs_f64());
        self.last_tick = Some(now);
        let speed = if self.run_n { Speed::Full } else { self.speed };
        match speed {
            Speed::Full => {
                let deadline = now + budget;
                while self.wants_cycles() && Instant::now() < deadline {
                    self.run_bulk(BULK_CYCLES);
                }
                self.record_tail();
            }
            Speed::PerSecond(rate) => {
                self.owed = (self.owed + elapsed * rate).min(rate.max(1.0));
                let n = self.owed.floor() as u64;
                self.owed -= n as f64;
                for _ in 0..n {
                    for m in &mut self.members {
                        m.last_reason = None;
                        match self.lockstep {
                            Lockstep::Cycle | Lockstep::Free => m.apply(Command::StepCycle),
                            Lockstep::Instruction => m.apply(Command::StepInstruction),
                        }
                    }
                    self.after_run(true);
                    if !self.running {
                        break;
                    }
                }
            }
        }
    }
}

/// Free-running: bulks of `cycles` until `FREE_SHARE` has passed or the
/// machine stops.
fn run_share(m: &mut Session, cycles: u64) {
    let start = Instant::now();
    while m.wants_cycles() {
        m.run_bulk(cycles);
        if start.elapsed() >= FREE_SHARE {
            break;
        }
    }
}

/// Runs `m` until it has retired `target` instructions or stops. No core
/// retires more than one instruction per cycle, so running the missing
/// count as cycles never overshoots.
fn run_to_instret(m: &mut Session, target: u64) {
    while m.running && m.wants_cycles() {
        let missing = target.saturating_sub(m.machine().instret);
        if missing == 0 {
            break;
        }
        m.run_bulk(missing);
    }
}

impl Simulated for Compare {
    fn wants_cycles(&self) -> bool {
        Compare::wants_cycles(self)
    }
    fn record_tail(&mut self) {
        Compare::record_tail(self)
    }
    fn run_bulk(&mut self, cycles: u64) {
        Compare::run_bulk(self, cycles)
    }
}
