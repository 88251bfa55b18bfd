//! Run control for the stub: the one place that runs, steps, rewinds and
//! edits the machine. The protocol side (`target.rs`) only asks for these
//! operations. Breakpoints and watchpoints are a `debug::stops::StopSet`
//! (GDB keeps ignore counts and conditions itself, so the set only holds
//! plain stops); history is kept by `debug::Timeline` (reverse execution
//! by snapshot and replay, edits journaled).
//!
//! What GDB sees is architectural: the registers after the last retired
//! instruction, and pc = the next instruction to retire. On the
//! five-stage core a breakpoint stops the machine when its instruction is
//! about to be fetched and a watchpoint when the accessing instruction
//! leaves MEM; `settle` then runs on until pc sits on the breakpoint, or
//! until the accessing instruction has retired, as GDB expects of a
//! breakpoint and of a (continuable) watchpoint.

use crate::debug::stops::StopSet;
use crate::debug::timeline::{ReverseStop, Timeline};
use crate::isa::InstClass;
use crate::isa::exec::mem_width;
use crate::machine::{Halt, Machine, StopReason, WatchKind};
use std::collections::BTreeMap;

/// Why a run or step ended, as the stub reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stop {
    /// A step finished (instruction or cycles).
    Done,
    Breakpoint(u32),
    /// A watchpoint fired on an access to `addr` (inside the watched
    /// range); the accessing instruction has retired.
    Watch {
        kind: WatchKind,
        addr: u32,
    },
    Exited(i32),
    /// The machine cannot go on; the message says why.
    Error(String),
    /// Reverse execution reached the start of the recorded history.
    HistoryStart,
}

/// Retirements after a fetch breakpoint within which its instruction must
/// reach the head of the pipeline; if it has not, it was fetched on a
/// wrong path and flushed. Five covers every instruction in flight.
const SETTLE_RETIRES: u64 = 5;
/// Cycles a single step may take (a `wfi` with no timer would wait
/// forever).
pub const STEP_LIMIT: u64 = 1 << 24;

pub struct Control {
    h: Timeline,
    /// Console bytes shown so far (output is shown once, when first made,
    /// however often the timeline replays it).
    shown: usize,
    stops: StopSet,
    /// GDB's breakpoints (by address) and watchpoints (by address, length
    /// and kind), to the ids of the stops in `stops`.
    bp_ids: BTreeMap<u32, u32>,
    watch_ids: BTreeMap<(u32, u32, WatchKindKey), u32>,
}

/// `WatchKind` as a map key.
type WatchKindKey = u8;

fn key(kind: WatchKind) -> WatchKindKey {
    kind as u8
}

impl Control {
    /// Takes a loaded machine. Its console input is closed (the debugger
    /// owns stdin), so a guest read sees end of file.
    pub fn new(mut m: Machine) -> Control {
        m.close_input();
        Control {
            h: Timeline::new(m),
            shown: 0,
            stops: StopSet::new(),
            bp_ids: BTreeMap::new(),
            watch_ids: BTreeMap::new(),
        }
    }

    pub fn machine(&self) -> &Machine {
        self.h.machine()
    }

    /// The furthest cycle reached.
    pub fn furthest(&self) -> u64 {
        self.h.furthest()
    }

    /// Console output not shown yet.
    pub fn take_output(&mut self) -> Vec<u8> {
        let console = self.h.console();
        let new = console.get(self.shown..).unwrap_or_default().to_vec();
        self.shown = self.shown.max(console.len());
        new
    }

    /// After an edit the future is dropped: output from here on is new.
    fn edited(&mut self, ok: bool) -> bool {
        self.shown = self.shown.min(self.h.console().len());
        ok
    }

    fn arm(&mut self) {
        self.stops.arm(self.h.triggers_mut());
    }

    pub fn add_breakpoint(&mut self, pc: u32) -> bool {
        if !self.bp_ids.contains_key(&pc) {
            match self.stops.add_breakpoint(pc, None) {
                Ok(id) => self.bp_ids.insert(pc, id),
                Err(_) => return false,
            };
            self.arm();
        }
        true
    }

    pub fn remove_breakpoint(&mut self, pc: u32) -> bool {
        let Some(id) = self.bp_ids.remove(&pc) else {
            return false;
        };
        self.stops.remove(id);
        self.arm();
        true
    }

    /// A watchpoint on `len` bytes at `addr`; false if none of them is
    /// mapped (GDB then says it cannot insert it).
    pub fn add_watchpoint(&mut self, addr: u32, len: u32, kind: WatchKind) -> bool {
        let k = (addr, len, key(kind));
        if !self.watch_ids.contains_key(&k) {
            let m = self.h.machine();
            match self.stops.add_watchpoint(m, kind, addr, len, None) {
                Ok((id, _)) => self.watch_ids.insert(k, id),
                Err(_) => return false,
            };
            self.arm();
        }
        true
    }

    pub fn remove_watchpoint(&mut self, addr: u32, len: u32, kind: WatchKind) -> bool {
        let Some(id) = self.watch_ids.remove(&(addr, len, key(kind))) else {
            return false;
        };
        self.stops.remove(id);
        self.arm();
        true
    }

    /// Runs forward for at most `budget` cycles; `None` if nothing stopped
    /// it (the caller polls GDB and calls again). `fresh` marks the first
    /// bulk of a resume.
    pub fn resume(&mut self, budget: u64, fresh: bool) -> Option<Stop> {
        if let Some(h) = &self.machine().halt {
            return Some(halted(h));
        }
        let limit = self.machine().cycle.saturating_add(budget);
        if fresh && let Some(stop) = self.access_in_flight() {
            return Some(stop);
        }
        if fresh && let Some(stop) = self.run_in_flight(limit) {
            return Some(stop);
        }
        let left = limit.saturating_sub(self.machine().cycle);
        if left == 0 {
            return None;
        }
        let stops = &mut self.stops;
        let r = self.h.run(left, &mut |m, r| stops.accept(m, r));
        self.settle(r)
    }

    /// Turns a raw stop into what GDB is told, running on first where the
    /// core stopped before the point GDB expects (see the module doc).
    fn settle(&mut self, r: StopReason) -> Option<Stop> {
        match r {
            StopReason::Halted(h) => Some(halted(&h)),
            StopReason::CycleLimit => None,
            StopReason::NeedInput => {
                // Input is closed, so this cannot happen; if it does, the
                // guest gets end of file and runs on.
                self.h.close_input();
                None
            }
            StopReason::Breakpoint(_) => self.settle_breakpoint(),
            StopReason::Watchpoint(hit) => {
                let w = self.stops.watchpoints.iter().find(|w| w.id == hit.id);
                // The watched byte the access touched first.
                let addr = w.map_or(hit.addr, |w| {
                    if hit.addr.wrapping_sub(w.addr) < w.len {
                        hit.addr
                    } else {
                        w.addr
                    }
                });
                // GDB (on RISC-V) expects a watchpoint to stop before the
                // access, and steps over it itself. The five-stage core
                // stops with the accessing instruction next to retire;
                // the functional cores stop after it, so go back one.
                if self.machine().pipeline.is_none() && self.machine().hart.pc != hit.pc {
                    let _ = self.h.step_back_instruction();
                }
                Some(Stop::Watch {
                    kind: hit.kind,
                    addr,
                })
            }
            // No event stops are armed for GDB.
            StopReason::Event(_) => None,
        }
    }

    /// On the five-stage core, the oldest instruction in flight may have
    /// done its memory access (it is past MEM) before GDB set a
    /// watchpoint on it: report that access now, before the instruction
    /// retires, as any other watchpoint stop.
    fn access_in_flight(&self) -> Option<Stop> {
        let s = self.machine().pipeline.as_ref()?.mem_wb()?;
        let (load, store) = (s.class == InstClass::Load, s.class == InstClass::Store);
        if !load && !store {
            return None;
        }
        let (addr, width) = (s.alu_result, mem_width(s.inst.op));
        self.stops.watchpoints.iter().find_map(|w| {
            let kind_matches = match w.kind {
                WatchKind::Read => load,
                WatchKind::Write => store,
                WatchKind::Access => true,
            };
            let overlaps = addr.wrapping_sub(w.addr) < w.len || w.addr.wrapping_sub(addr) < width;
            (w.enabled && kind_matches && overlaps).then(|| Stop::Watch {
                kind: w.kind,
                addr: if addr.wrapping_sub(w.addr) < w.len {
                    addr
                } else {
                    w.addr
                },
            })
        })
    }

    /// On the five-stage core, the instructions already fetched when a
    /// resume starts passed the fetch check before GDB set its
    /// breakpoints (GDB steps by setting one on the next instruction):
    /// run them out one cycle at a time, checking pc at each retirement.
    fn run_in_flight(&mut self, limit: u64) -> Option<Stop> {
        self.machine().pipeline.as_ref()?;
        let start = self.machine().instret;
        while self.machine().instret <= start + SETTLE_RETIRES && self.machine().cycle < limit {
            let retired = self.machine().instret;
            let stops = &mut self.stops;
            let r = self.h.run(1, &mut |m, r| stops.accept(m, r));
            if r != StopReason::CycleLimit {
                return self.settle(r);
            }
            let m = self.machine();
            if m.instret > retired && self.bp_ids.contains_key(&m.hart.pc) {
                return Some(Stop::Breakpoint(m.hart.pc));
            }
        }
        None
    }

    /// After a fetch breakpoint: retire what is older, and report the
    /// breakpoint when pc reaches it; `None` if it was a wrong-path fetch.
    fn settle_breakpoint(&mut self) -> Option<Stop> {
        let start = self.machine().instret;
        loop {
            let m = self.machine();
            if self.bp_ids.contains_key(&m.hart.pc) {
                return Some(Stop::Breakpoint(m.hart.pc));
            }
            if m.instret > start + SETTLE_RETIRES {
                return None;
            }
            match self.h.step_cycle() {
                StopReason::Halted(h) => return Some(halted(&h)),
                _ => continue,
            }
        }
    }

    /// One instruction forward.
    pub fn step_instruction(&mut self) -> Stop {
        if let Some(h) = &self.machine().halt {
            return halted(h);
        }
        let before = self.machine().instret;
        let r = self.h.step_instruction();
        match r {
            StopReason::Watchpoint(_) => {
                let accepted = self.stops.accept(self.h.machine(), &r);
                let stop = if accepted { self.settle(r) } else { None };
                if self.machine().instret == before {
                    // The access stopped the step early: finish it.
                    let rest = self.h.step_instruction();
                    if let StopReason::Halted(h) = rest {
                        return halted(&h);
                    }
                }
                stop.unwrap_or(Stop::Done)
            }
            StopReason::Halted(h) => halted(&h),
            _ => Stop::Done,
        }
    }

    /// `n` cycles forward (stopping early at a breakpoint, watchpoint or a
    /// halt).
    pub fn step_cycles(&mut self, n: u64) -> Stop {
        let target = self.machine().cycle.saturating_add(n);
        while self.machine().cycle < target {
            let fresh = self.machine().cycle + n == target;
            if let Some(stop) = self.resume(target - self.machine().cycle, fresh) {
                return stop;
            }
        }
        Stop::Done
    }

    /// Back to the state just after the previous instruction retired: the
    /// first cycle with one instruction fewer retired, which is where a
    /// forward step stops (the timeline's step back goes to the last such
    /// cycle; on the five-stage core stalls may lie between the two).
    pub fn reverse_step_instruction(&mut self) -> Stop {
        if self.h.step_back_instruction().is_err() {
            return Stop::HistoryStart;
        }
        let target = self.machine().instret;
        if self.h.step_back_instruction().is_ok() {
            while self.machine().instret < target && self.machine().halt.is_none() {
                self.h.step_instruction();
            }
        } else {
            let start = self.h.start();
            let _ = self.h.seek(start);
        }
        Stop::Done
    }

    /// Back to the previous breakpoint or watchpoint stop, or to the
    /// start of the history.
    pub fn reverse_continue(&mut self) -> Stop {
        let now = self.machine().instret;
        loop {
            let stops = &mut self.stops;
            let r = self.h.reverse_run(&mut |m, r| stops.accept(m, r));
            let raw = match r {
                ReverseStop::Start => return Stop::HistoryStart,
                ReverseStop::Stopped(raw) => raw,
            };
            let from = self.machine().cycle;
            let stop = self.settle(raw);
            // A stop whose settled point is not before where we started
            // (the breakpoint we sit on, fetched a few cycles ago) is no
            // step back: look before it.
            if self.machine().instret < now
                && let Some(stop) = stop
            {
                return stop;
            }
            if self.h.seek(from).is_err() {
                return Stop::HistoryStart;
            }
        }
    }

    /// Goes to `cycle`, between the start and the furthest cycle reached.
    pub fn seek(&mut self, cycle: u64) -> Result<(), String> {
        self.h.seek(cycle).map_err(|e| e.to_string())
    }

    pub fn set_reg(&mut self, r: u8, v: u32) -> bool {
        let ok = self.h.set_reg(r, v).is_ok();
        self.edited(ok)
    }

    pub fn set_pc(&mut self, pc: u32) -> bool {
        let ok = self.h.set_pc(pc).is_ok();
        self.edited(ok)
    }

    pub fn set_csr(&mut self, csr: u16, v: u32) -> bool {
        let ok = self.h.set_csr(csr, v).is_ok();
        self.edited(ok)
    }

    pub fn poke(&mut self, addr: u32, bytes: &[u8]) -> bool {
        let ok = bytes
            .iter()
            .zip(addr..)
            .all(|(&b, a)| self.h.poke(a, 1, b as u32).is_ok());
        self.edited(ok)
    }
}

fn halted(h: &Halt) -> Stop {
    match h {
        Halt::Exited(c) => Stop::Exited(*c),
        Halt::Error(msg) => Stop::Error(msg.clone()),
    }
}
