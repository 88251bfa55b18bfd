//! The user's stops: breakpoints (with conditions and ignore counts),
//! watchpoints and event stops, and the decision whether a raw machine
//! stop is one the user asked for.
//!
//! The machine only knows raw triggers (`machine::triggers`): addresses,
//! watched ranges, event kinds. `StopSet::arm` installs them, the machine
//! stops on every raw hit, and `StopSet::accept` evaluates conditions and
//! ignore counts and keeps the hit counts. Running on past a refused stop
//! is the caller's loop (`run_until_stop` here, or the timeline's).
//!
//! Hit counts are the sorted list of cycles at which hits happened,
//! de-duplicated by cycle: going back in time and running over the same
//! cycles again finds the same hits and counts nothing twice, and
//! `hits_at(cycle)` is the count as of any cycle. A hit counts only when
//! the condition holds.
//!
//! An ignore count `n` makes a breakpoint or watchpoint stop from its
//! `n + 1`-th hit on (`ignore: 499` stops on the 500th hit and every one
//! after it, as in GDB). Because it depends only on the count of hits as
//! of the cycle, a replay decides the same way.

use super::expr::{EvalError, Expr, ParseError};
use crate::machine::{
    EventHit, EventKind, Machine, StopReason, Triggers, WatchKind,
    triggers::{EventTriggers, WatchTrigger, exception_name},
};
use crate::platform::{CLINT_BASE, CLINT_SIZE, FINISHER_BASE, FINISHER_SIZE, UART_BASE, UART_SIZE};
use crate::words::plural;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt::Write;

impl Serialize for Expr {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.source())
    }
}

/// Conditions are stored as their source text and parsed again on load; a
/// text that no longer parses is a load error naming it.
impl<'de> Deserialize<'de> for Expr {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Expr, D::Error> {
        let text = String::deserialize(d)?;
        Expr::parse(&text).map_err(|e| serde::de::Error::custom(format!("condition {text:?}: {e}")))
    }
}

/// Cycles at which something was hit, sorted, each once.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hits(Vec<u64>);

impl Hits {
    /// Records a hit at `cycle`; a hit already recorded there is the same
    /// hit seen again (a replay), not a new one.
    pub fn record(&mut self, cycle: u64) {
        if let Err(i) = self.0.binary_search(&cycle) {
            self.0.insert(i, cycle);
        }
    }

    /// All hits recorded.
    pub fn count(&self) -> u64 {
        self.0.len() as u64
    }

    /// Hits at or before `cycle`.
    pub fn at(&self, cycle: u64) -> u64 {
        self.0.partition_point(|&c| c <= cycle) as u64
    }

    /// Forgets hits after `cycle` (the future they belong to was dropped).
    pub fn truncate_after(&mut self, cycle: u64) {
        let n = self.0.partition_point(|&c| c <= cycle);
        self.0.truncate(n);
    }

    pub fn cycles(&self) -> &[u64] {
        &self.0
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Breakpoint {
    pub id: u32,
    pub pc: u32,
    /// Stop only when this holds (evaluated at the stop).
    pub condition: Option<Expr>,
    /// Hits to let pass before stopping.
    pub ignore: u64,
    pub enabled: bool,
    pub hits: Hits,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Watchpoint {
    pub id: u32,
    pub kind: WatchKind,
    pub addr: u32,
    pub len: u32,
    /// Stop only when the value stored (or loaded) equals this.
    pub value: Option<u32>,
    /// Hits to let pass before stopping.
    pub ignore: u64,
    pub enabled: bool,
    pub hits: Hits,
}

/// Which events stop the run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventStops {
    /// A trap taken: `Some(None)` any cause, `Some(Some(c))` only cause `c`.
    pub trap: Option<Option<u32>>,
    pub interrupt: bool,
    pub ecall: bool,
    pub tohost: bool,
}

/// Why a stop could not be added.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StopError {
    /// The condition does not parse.
    Condition(ParseError),
    /// Something else, in words.
    Invalid(String),
}

impl std::fmt::Display for StopError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StopError::Condition(e) => write!(f, "condition: {e}"),
            StopError::Invalid(s) => f.write_str(s),
        }
    }
}

impl std::error::Error for StopError {}

impl From<ParseError> for StopError {
    fn from(e: ParseError) -> Self {
        StopError::Condition(e)
    }
}

/// Everything the user asked to stop at.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StopSet {
    pub breakpoints: Vec<Breakpoint>,
    pub watchpoints: Vec<Watchpoint>,
    pub events: EventStops,
    /// The next id to give out (breakpoints and watchpoints share them).
    next_id: u32,
    /// Ids of the breakpoints or watchpoint that made the last accepted
    /// stop, and any condition that could not be evaluated there.
    #[serde(skip)]
    last: Vec<u32>,
    #[serde(skip)]
    last_error: Option<(u32, EvalError)>,
}

impl StopSet {
    pub fn new() -> StopSet {
        StopSet::default()
    }

    /// A fresh id, above every id in use (also for a hand-edited file).
    fn take_id(&mut self) -> u32 {
        let used = self
            .breakpoints
            .iter()
            .map(|b| b.id)
            .chain(self.watchpoints.iter().map(|w| w.id))
            .max()
            .unwrap_or(0);
        self.next_id = self.next_id.max(used).saturating_add(1);
        self.next_id
    }

    /// Adds an enabled breakpoint at `pc`, with an optional condition.
    /// Returns its id.
    pub fn add_breakpoint(&mut self, pc: u32, condition: Option<&str>) -> Result<u32, StopError> {
        let condition = condition
            .filter(|c| !c.trim().is_empty())
            .map(Expr::parse)
            .transpose()?;
        let id = self.take_id();
        self.breakpoints.push(Breakpoint {
            id,
            pc,
            condition,
            ignore: 0,
            enabled: true,
            hits: Hits::default(),
        });
        Ok(id)
    }

    /// Adds an enabled watchpoint on `len` bytes at `addr`. A range with
    /// no mapped byte is refused (it could never fire); a range partly
    /// outside the memory map is accepted, and the returned warning says
    /// which part can never be accessed.
    pub fn add_watchpoint(
        &mut self,
        m: &Machine,
        kind: WatchKind,
        addr: u32,
        len: u32,
        value: Option<u32>,
    ) -> Result<(u32, Option<String>), StopError> {
        let warning = check_range(m, addr, len)?;
        let id = self.take_id();
        self.watchpoints.push(Watchpoint {
            id,
            kind,
            addr,
            len,
            value,
            ignore: 0,
            enabled: true,
            hits: Hits::default(),
        });
        Ok((id, warning))
    }

    /// Removes the breakpoint or watchpoint `id`; false if there is none.
    pub fn remove(&mut self, id: u32) -> bool {
        let before = self.breakpoints.len() + self.watchpoints.len();
        self.breakpoints.retain(|b| b.id != id);
        self.watchpoints.retain(|w| w.id != id);
        before != self.breakpoints.len() + self.watchpoints.len()
    }

    /// Enables or disables `id`; false if there is none.
    pub fn set_enabled(&mut self, id: u32, enabled: bool) -> bool {
        if let Some(b) = self.breakpoint_mut(id) {
            b.enabled = enabled;
            return true;
        }
        if let Some(w) = self.watchpoint_mut(id) {
            w.enabled = enabled;
            return true;
        }
        false
    }

    /// Sets the ignore count of `id`; false if there is none.
    pub fn set_ignore(&mut self, id: u32, ignore: u64) -> bool {
        if let Some(b) = self.breakpoint_mut(id) {
            b.ignore = ignore;
            return true;
        }
        if let Some(w) = self.watchpoint_mut(id) {
            w.ignore = ignore;
            return true;
        }
        false
    }

    /// Sets or clears (empty text) the condition of breakpoint `id`. A bad
    /// expression leaves the old condition in place.
    pub fn set_condition(&mut self, id: u32, condition: Option<&str>) -> Result<(), StopError> {
        let parsed = condition
            .filter(|c| !c.trim().is_empty())
            .map(Expr::parse)
            .transpose()?;
        let b = self
            .breakpoint_mut(id)
            .ok_or_else(|| StopError::Invalid(format!("no breakpoint {id}")))?;
        b.condition = parsed;
        Ok(())
    }

    pub fn breakpoint_mut(&mut self, id: u32) -> Option<&mut Breakpoint> {
        self.breakpoints.iter_mut().find(|b| b.id == id)
    }

    pub fn watchpoint_mut(&mut self, id: u32) -> Option<&mut Watchpoint> {
        self.watchpoints.iter_mut().find(|w| w.id == id)
    }

    /// Whether nothing would stop a run.
    pub fn is_empty(&self) -> bool {
        !self.breakpoints.iter().any(|b| b.enabled)
            && !self.watchpoints.iter().any(|w| w.enabled)
            && self.event_triggers() == EventTriggers::default()
    }

    fn event_triggers(&self) -> EventTriggers {
        let e = &self.events;
        EventTriggers {
            trap: e.trap,
            interrupt: e.interrupt,
            ecall: e.ecall,
            tohost: e.tohost,
        }
    }

    /// Installs the raw triggers of every enabled stop into `m`, replacing
    /// the machine's breakpoints and triggers.
    pub fn arm(&self, m: &mut Machine) {
        m.breakpoints = self
            .breakpoints
            .iter()
            .filter(|b| b.enabled)
            .map(|b| b.pc)
            .collect();
        let watchpoints = self
            .watchpoints
            .iter()
            .filter(|w| w.enabled)
            .map(|w| WatchTrigger {
                id: w.id,
                kind: w.kind,
                addr: w.addr,
                len: w.len,
                value: w.value,
            })
            .collect();
        m.set_triggers(Triggers {
            watchpoints,
            events: self.event_triggers(),
        });
    }

    /// Whether the raw stop `stop` (just returned by a run of `m`) is a
    /// stop the user asked for. Counts the hit (at `m.cycle`) when the
    /// condition holds, then applies the ignore count. A condition that
    /// cannot be evaluated (unmapped memory, unknown symbol) stops the run,
    /// and `last_error` says why. Stops that are not triggers (halt, cycle
    /// limit, input wait) are always accepted.
    pub fn accept(&mut self, m: &Machine, stop: &StopReason) -> bool {
        self.last.clear();
        self.last_error = None;
        let cycle = m.cycle;
        match stop {
            StopReason::Breakpoint(pc) => {
                let mut stops = false;
                for b in self.breakpoints.iter_mut() {
                    if !b.enabled || b.pc != *pc {
                        continue;
                    }
                    let holds = match &b.condition {
                        None => true,
                        Some(c) => match c.holds(m) {
                            Ok(h) => h,
                            Err(e) => {
                                self.last_error = Some((b.id, e));
                                self.last.push(b.id);
                                stops = true;
                                continue;
                            }
                        },
                    };
                    if holds {
                        b.hits.record(cycle);
                        if b.hits.at(cycle) > b.ignore {
                            self.last.push(b.id);
                            stops = true;
                        }
                    }
                }
                stops
            }
            StopReason::Watchpoint(hit) => {
                let Some(w) = self
                    .watchpoints
                    .iter_mut()
                    .find(|w| w.id == hit.id && w.enabled)
                else {
                    return false;
                };
                w.hits.record(cycle);
                let stops = w.hits.at(cycle) > w.ignore;
                if stops {
                    self.last.push(w.id);
                }
                stops
            }
            StopReason::Event(e) => self.wants_event(e),
            StopReason::Halted(_) | StopReason::CycleLimit | StopReason::NeedInput => true,
        }
    }

    fn wants_event(&self, e: &EventHit) -> bool {
        let ev = &self.events;
        match e.kind {
            EventKind::Trap { cause, .. } => ev.trap.is_some_and(|c| c.is_none_or(|c| c == cause)),
            EventKind::Interrupt { .. } => ev.interrupt,
            EventKind::Ecall { .. } => ev.ecall,
            EventKind::Tohost { .. } => ev.tohost,
        }
    }

    /// Ids of the breakpoints or watchpoint behind the last accepted stop.
    pub fn last_hits(&self) -> &[u32] {
        &self.last
    }

    /// A condition that could not be evaluated at the last stop: the
    /// breakpoint's id and why.
    pub fn last_error(&self) -> Option<&(u32, EvalError)> {
        self.last_error.as_ref()
    }

    /// Hits of breakpoint or watchpoint `id` at or before `cycle`.
    pub fn hits_at(&self, id: u32, cycle: u64) -> u64 {
        self.breakpoints
            .iter()
            .find(|b| b.id == id)
            .map(|b| &b.hits)
            .or_else(|| {
                self.watchpoints
                    .iter()
                    .find(|w| w.id == id)
                    .map(|w| &w.hits)
            })
            .map_or(0, |h| h.at(cycle))
    }

    /// Forgets every hit after `cycle` (an edit in the past dropped that
    /// future).
    pub fn truncate_hits_after(&mut self, cycle: u64) {
        for b in &mut self.breakpoints {
            b.hits.truncate_after(cycle);
        }
        for w in &mut self.watchpoints {
            w.hits.truncate_after(cycle);
        }
    }

    /// The accepted stop in words, for a status line: the stop itself and
    /// which breakpoints made it, with their hit counts.
    pub fn describe_stop(&self, m: &Machine, stop: &StopReason) -> String {
        let cycle = m.cycle;
        let mut s = match stop {
            StopReason::Watchpoint(h) => h.describe(m.symbols()),
            StopReason::Breakpoint(pc) => {
                let ids: Vec<String> = self.last.iter().map(|i| i.to_string()).collect();
                let which = match ids.len() {
                    0 => "breakpoint".to_string(),
                    1 => format!("breakpoint {}", ids[0]),
                    _ => format!("breakpoints {}", ids.join(", ")),
                };
                format!("{which} at {}", addr_text(m, *pc))
            }
            other => other.to_string(),
        };
        if let Some(&id) = self.last.first() {
            let _ = write!(s, " ({})", hit_times(self.hits_at(id, cycle)));
        }
        if let Some((id, e)) = &self.last_error {
            let _ = write!(s, "; the condition of breakpoint {id} failed: {e}");
        }
        s
    }

    /// One line per stop, for UIs and the CLI, with hit counts as of
    /// `cycle`.
    pub fn describe(&self, m: &Machine, cycle: u64) -> Vec<String> {
        let mut lines = Vec::new();
        for b in &self.breakpoints {
            let mut s = format!(
                "{} breakpoint{} at {}",
                b.id,
                if b.enabled { "" } else { " (disabled)" },
                addr_text(m, b.pc)
            );
            if let Some(c) = &b.condition {
                let _ = write!(s, " if {c}");
            }
            if b.ignore > 0 {
                let _ = write!(s, ", ignore {}", plural(b.ignore, "hit"));
            }
            let _ = write!(s, ", {}", hit_times(b.hits.at(cycle)));
            lines.push(s);
        }
        for w in &self.watchpoints {
            let mut s = format!(
                "{} {} watchpoint{} on {} at {}",
                w.id,
                w.kind.name(),
                if w.enabled { "" } else { " (disabled)" },
                plural(w.len as u64, "byte"),
                addr_text(m, w.addr)
            );
            if let Some(v) = w.value {
                let _ = write!(s, " == {v:#x}");
            }
            if w.ignore > 0 {
                let _ = write!(s, ", ignore {}", plural(w.ignore, "hit"));
            }
            let _ = write!(s, ", {}", hit_times(w.hits.at(cycle)));
            lines.push(s);
        }
        let e = &self.events;
        match e.trap {
            Some(None) => lines.push("stop on every trap".into()),
            Some(Some(c)) => lines.push(format!(
                "stop on trap cause {c} ({})",
                exception_name(c).unwrap_or("unknown cause")
            )),
            None => {}
        }
        for (on, what) in [
            (e.interrupt, "stop on every interrupt"),
            (e.ecall, "stop on every ecall"),
            (e.tohost, "stop on every write to tohost"),
        ] {
            if on {
                lines.push(what.into());
            }
        }
        lines
    }
}

/// `hit 1 time`, `hit 3 times`.
fn hit_times(n: u64) -> String {
    format!("hit {}", plural(n, "time"))
}

/// `0x80000040 <main+8>`.
fn addr_text(m: &Machine, addr: u32) -> String {
    match m.symbols().nearest(addr) {
        Some((name, 0)) => format!("{addr:#010x} <{name}>"),
        Some((name, off)) if off < 0x1_0000 => format!("{addr:#010x} <{name}+{off:#x}>"),
        _ => format!("{addr:#010x}"),
    }
}

/// Checks a watched range against the memory map: an error when no byte
/// of it is mapped, a warning when some are not.
fn check_range(m: &Machine, addr: u32, len: u32) -> Result<Option<String>, StopError> {
    if len == 0 {
        return Err(StopError::Invalid(
            "a watchpoint must cover at least one byte".into(),
        ));
    }
    let start = addr as u64;
    let end = start + len as u64;
    if end > 1 << 32 {
        return Err(StopError::Invalid(format!(
            "the watched range {addr:#010x} + {len:#x} runs past the end of the address space"
        )));
    }
    let regions = [
        ("RAM", m.bus.ram.base(), m.bus.ram.size()),
        ("the UART", UART_BASE, UART_SIZE),
        ("the CLINT", CLINT_BASE, CLINT_SIZE),
        ("the test finisher", FINISHER_BASE, FINISHER_SIZE),
    ];
    let mapped: u64 = regions
        .iter()
        .map(|&(_, b, s)| {
            end.min(b as u64 + s as u64)
                .saturating_sub(start.max(b as u64))
        })
        .sum();
    let map = regions
        .iter()
        .map(|&(name, b, s)| format!("{name} is {b:#010x}..{:#010x}", b as u64 + s as u64))
        .collect::<Vec<_>>()
        .join(", ");
    if mapped == 0 {
        return Err(StopError::Invalid(format!(
            "cannot watch {addr:#010x}..{end:#010x}: no byte of it is mapped, so no access \
             could ever reach it ({map})"
        )));
    }
    Ok((mapped < len as u64).then(|| {
        format!(
            "{} of the {len} watched bytes at {addr:#010x}..{end:#010x} are not mapped and can \
             never be accessed ({map})",
            len as u64 - mapped
        )
    }))
}

/// What `run_until_stop` ended with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserStop {
    pub stop: StopReason,
    /// The stop in words (`StopSet::describe_stop`).
    pub text: String,
}

/// Runs `m` for at most `max_cycles` cycles honoring `stops`: arms the
/// raw triggers, and runs on past every raw stop that `accept` refuses
/// (a false condition, an ignored hit). Returns the first stop the user
/// asked for, or the end of the run (halt, input wait, cycle limit).
pub fn run_until_stop(m: &mut Machine, stops: &mut StopSet, max_cycles: u64) -> UserStop {
    stops.arm(m);
    let limit = m.cycle.saturating_add(max_cycles);
    loop {
        let stop = m.run(limit.saturating_sub(m.cycle));
        if stops.accept(m, &stop) {
            let text = stops.describe_stop(m, &stop);
            return UserStop { stop, text };
        }
    }
}

impl Machine {
    /// `run_until_stop` as a method: runs at most `max_cycles` cycles
    /// honoring `stops` (conditions, ignore counts), and returns the first
    /// stop the user asked for or the end of the run.
    pub fn run_with_stops(&mut self, stops: &mut StopSet, max_cycles: u64) -> UserStop {
        run_until_stop(self, stops, max_cycles)
    }
}
