//! Raw stop triggers: watchpoints on data accesses and event stops (trap,
//! interrupt, `ecall`, `tohost`). The debugger layer (`debug::stops`)
//! decides which raw stop is a user stop; here is only what every core
//! needs to notice one cheaply.
//!
//! Cost when nothing is armed: loads and stores test one bool
//! (`Machine::watching`), the run loops test whether the queue of hits is
//! empty, and the event hooks sit on paths that are already cold (trap
//! entry, syscalls, HTIF). The fast path does not run while anything is
//! armed.
//!
//! Where each core stops (`docs/timing.md`, "Watchpoints and event
//! stops"): the functional and single-cycle cores right after the
//! instruction that caused the hit; the five-stage core at the end of the
//! cycle in which the accessing instruction leaves MEM (watchpoints) or in
//! which the event happens (WB for traps, `ecall` and `tohost`; the
//! interrupt's cycle).

use super::Machine;
use super::trap::Exception;
use crate::isa::reg::A7;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Which accesses a watchpoint reacts to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum WatchKind {
    Read,
    Write,
    /// Reads and writes.
    Access,
}

impl WatchKind {
    pub fn name(self) -> &'static str {
        match self {
            WatchKind::Read => "read",
            WatchKind::Write => "write",
            WatchKind::Access => "access",
        }
    }

    fn reads(self) -> bool {
        self != WatchKind::Write
    }

    fn writes(self) -> bool {
        self != WatchKind::Read
    }
}

/// A watchpoint as the machine checks it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WatchTrigger {
    pub id: u32,
    pub kind: WatchKind,
    /// The watched bytes: `addr .. addr + len` (wrapping at 4 GiB).
    pub addr: u32,
    pub len: u32,
    /// Only stop when the value moved equals this: the stored value for a
    /// write, the loaded value for a read (the access's raw bytes, zero
    /// extended, before a load's sign extension).
    pub value: Option<u32>,
}

impl WatchTrigger {
    /// Whether an access of `width` bytes at `addr` touches a watched byte.
    #[inline]
    pub fn overlaps(&self, addr: u32, width: u32) -> bool {
        // Offsets from the watch's start, so ranges that wrap work.
        let start = addr.wrapping_sub(self.addr);
        start < self.len || self.addr.wrapping_sub(addr) < width
    }
}

/// The event stops the machine reports.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventTriggers {
    /// A synchronous exception taken: `Some(None)` any cause,
    /// `Some(Some(c))` only `mcause` = `c`.
    pub trap: Option<Option<u32>>,
    pub interrupt: bool,
    /// Every `ecall`: served as a syscall (`mtvec` = 0) or taken as a trap
    /// (reported as `ecall`, not as a trap).
    pub ecall: bool,
    /// A store that reaches `tohost` (or `fromhost`), when HTIF acts on it.
    pub tohost: bool,
}

impl EventTriggers {
    pub fn any(&self) -> bool {
        self.trap.is_some() || self.interrupt || self.ecall || self.tohost
    }
}

/// Everything armed in a machine.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Triggers {
    pub watchpoints: Vec<WatchTrigger>,
    pub events: EventTriggers,
}

impl Triggers {
    pub fn is_empty(&self) -> bool {
        self.watchpoints.is_empty() && !self.events.any()
    }
}

/// A watchpoint that fired.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WatchHit {
    /// The watchpoint's id.
    pub id: u32,
    /// The watchpoint's kind.
    pub kind: WatchKind,
    /// The accessing instruction.
    pub pc: u32,
    pub word: u32,
    /// The access (which may cover more than the watched bytes).
    pub addr: u32,
    pub width: u32,
    /// True for a store, false for a load.
    pub write: bool,
    /// What the accessed bytes held before and after. A load leaves them
    /// alone, so both are the loaded value. For a device register `old`
    /// is what a debugger read of it returns (for the UART's transmit
    /// register, the receive register at the same address).
    pub old: u32,
    pub new: u32,
}

/// What an event stop saw.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventKind {
    /// A synchronous exception was taken (`mcause`, `mtval`).
    Trap { cause: u32, tval: u32 },
    /// An interrupt was taken (`mcause`, with the interrupt bit).
    Interrupt { cause: u32 },
    /// An `ecall` ran, with this syscall number in a7.
    Ecall { a7: u32 },
    /// HTIF acted on a store to `tohost`, which then held `value`.
    Tohost { value: u64 },
}

/// An event stop. The machine's state is the one just after the event:
/// after a trap or interrupt, pc is at the handler.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventHit {
    pub kind: EventKind,
    /// The instruction that caused it (for an interrupt, the one it
    /// interrupted: `mepc`).
    pub pc: u32,
}

fn hex(v: u32, width: u32) -> String {
    format!("{v:#0w$x}", w = 2 + 2 * width.clamp(1, 4) as usize)
}

impl WatchHit {
    /// The stop in words, with the instruction disassembled against
    /// `symbols` (`Display` uses no symbols).
    pub fn describe(&self, symbols: &crate::symbols::SymbolTable) -> String {
        let inst = crate::disasm::disasm(self.word, self.pc, symbols).replace('\t', " ");
        let what = if !self.write {
            format!("read {}", hex(self.new, self.width))
        } else if self.old == self.new {
            format!("wrote {} (unchanged)", hex(self.new, self.width))
        } else {
            format!(
                "changed {} -> {}",
                hex(self.old, self.width),
                hex(self.new, self.width)
            )
        };
        format!(
            "{} watchpoint {} at {:#010x}: {} at {:#010x} {}",
            self.kind.name(),
            self.id,
            self.addr,
            inst,
            self.pc,
            what
        )
    }
}

impl fmt::Display for WatchHit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe(&crate::symbols::SymbolTable::default()))
    }
}

impl fmt::Display for EventHit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pc = self.pc;
        match self.kind {
            EventKind::Trap { cause, tval } => {
                let name = exception_name(cause).unwrap_or("unknown cause");
                write!(
                    f,
                    "trap taken: {name} (mcause {cause}, mtval {tval:#x}) at {pc:#010x}"
                )
            }
            EventKind::Interrupt { cause } => {
                let name = match cause & 0x7fff_ffff {
                    3 => "machine software interrupt",
                    7 => "machine timer interrupt",
                    _ => "interrupt",
                };
                write!(f, "interrupt taken: {name} before {pc:#010x}")
            }
            EventKind::Ecall { a7 } => write!(f, "ecall at {pc:#010x} (a7 = {a7})"),
            EventKind::Tohost { value } => {
                write!(f, "write to tohost at {pc:#010x}: {value:#x}")
            }
        }
    }
}

/// The name of an exception cause.
pub fn exception_name(cause: u32) -> Option<&'static str> {
    use Exception::*;
    let e = [
        InstructionMisaligned,
        InstructionAccessFault,
        IllegalInstruction,
        Breakpoint,
        LoadMisaligned,
        LoadAccessFault,
        StoreMisaligned,
        StoreAccessFault,
        EcallFromM,
    ]
    .into_iter()
    .find(|e| *e as u32 == cause)?;
    Some(e.describe())
}

impl Machine {
    /// Installs the raw triggers (replacing any before). Stops already
    /// queued are kept.
    pub fn set_triggers(&mut self, triggers: Triggers) {
        self.watching = !triggers.watchpoints.is_empty();
        self.triggers = triggers;
    }

    /// Some watchpoint is armed.
    #[inline(always)]
    pub(crate) fn watching(&self) -> bool {
        self.watching
    }

    pub fn triggers(&self) -> &Triggers {
        &self.triggers
    }

    /// Whether anything is armed (breakpoints included): the fast path
    /// stays off while this holds.
    pub fn stops_armed(&self) -> bool {
        !self.breakpoints.is_empty() || !self.triggers.is_empty()
    }

    /// Queues a stop for the run loop to report (in order, one per `run`).
    pub(crate) fn push_stop(&mut self, stop: super::StopReason) {
        self.events = true;
        self.stops.push_back(stop);
    }

    /// The next queued stop, if any.
    #[inline(always)]
    pub(crate) fn take_stop(&mut self) -> Option<super::StopReason> {
        if self.stops.is_empty() {
            return None;
        }
        self.stops.pop_front()
    }

    /// Stops queued and not yet reported.
    pub fn queued_stops(&self) -> usize {
        self.stops.len()
    }

    /// Forgets the stops queued and not yet reported (for a debugger that
    /// moves the machine elsewhere in time: they belong to the old place).
    /// The queue is not part of a save state.
    pub fn clear_queued_stops(&mut self) {
        self.stops.clear();
    }

    /// For a store about to be made: `Some(old value)` when a write
    /// watchpoint covers it (checked only while `watching`).
    #[cold]
    pub(crate) fn watch_before_store(&self, addr: u32, width: u32) -> Option<u32> {
        self.triggers
            .watchpoints
            .iter()
            .any(|w| w.kind.writes() && w.overlaps(addr, width))
            .then(|| self.peek(addr, width).unwrap_or(0))
    }

    /// The watchpoint a completed access fires, if any (the first one
    /// armed, in order). `old` is the value before a store; a load passes
    /// `None` and its value as `new`.
    #[cold]
    pub(crate) fn watch_hit(
        &self,
        pc: u32,
        word: u32,
        addr: u32,
        width: u32,
        old: Option<u32>,
        new: u32,
    ) -> Option<WatchHit> {
        let write = old.is_some();
        let mask = if width >= 4 {
            u32::MAX
        } else {
            (1 << (8 * width)) - 1
        };
        let new = new & mask;
        let w = self.triggers.watchpoints.iter().find(|w| {
            (if write {
                w.kind.writes()
            } else {
                w.kind.reads()
            }) && w.overlaps(addr, width)
                && w.value.is_none_or(|v| v == new)
        })?;
        Some(WatchHit {
            id: w.id,
            kind: w.kind,
            pc,
            word,
            addr,
            width,
            write,
            old: old.unwrap_or(new),
            new,
        })
    }

    /// The watchpoint an atomic memory operation fires, if any: it reads
    /// and writes, so read, write and access watchpoints all see it, and
    /// a value condition matches the value loaded (read watchpoints) or
    /// the one stored (write and access watchpoints). The hit is a write
    /// from `loaded` to `stored`. For AMOs on every core, called where
    /// the AMO completes, like `watch_hit` for loads and stores.
    #[cold]
    pub(crate) fn watch_amo(
        &self,
        pc: u32,
        word: u32,
        addr: u32,
        loaded: u32,
        stored: u32,
    ) -> Option<WatchHit> {
        let w = self.triggers.watchpoints.iter().find(|w| {
            let v = if w.kind == WatchKind::Read {
                loaded
            } else {
                stored
            };
            w.overlaps(addr, 4) && w.value.is_none_or(|x| x == v)
        })?;
        Some(WatchHit {
            id: w.id,
            kind: w.kind,
            pc,
            word,
            addr,
            width: 4,
            write: true,
            old: loaded,
            new: stored,
        })
    }

    /// Records a trap or interrupt being taken (called by trap entry).
    #[cold]
    pub(crate) fn note_trap(&mut self, cause: u32, tval: u32, epc: u32) {
        let ev = &self.triggers.events;
        let kind = if cause & 0x8000_0000 != 0 {
            if !ev.interrupt {
                return;
            }
            EventKind::Interrupt { cause }
        } else if cause == Exception::EcallFromM as u32 && ev.ecall {
            EventKind::Ecall {
                a7: self.hart.reg(A7),
            }
        } else if ev.trap.is_some_and(|c| c.is_none_or(|c| c == cause)) {
            EventKind::Trap { cause, tval }
        } else {
            return;
        };
        self.push_stop(super::StopReason::Event(EventHit { kind, pc: epc }));
    }

    /// Records a served syscall `ecall` at `pc` with number `a7`.
    #[cold]
    pub(crate) fn note_syscall(&mut self, pc: u32, a7: u32) {
        if self.triggers.events.ecall {
            self.push_stop(super::StopReason::Event(EventHit {
                kind: EventKind::Ecall { a7 },
                pc,
            }));
        }
    }

    /// Records HTIF acting on a store to `tohost` made at `pc`.
    #[cold]
    pub(crate) fn note_tohost(&mut self, pc: u32, value: u64) {
        if self.triggers.events.tohost {
            self.push_stop(super::StopReason::Event(EventHit {
                kind: EventKind::Tohost { value },
                pc,
            }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::MachineConfig;

    fn armed(kind: WatchKind, value: Option<u32>) -> Machine {
        let mut m = Machine::new(MachineConfig::default()).unwrap();
        m.set_triggers(Triggers {
            watchpoints: vec![WatchTrigger {
                id: 4,
                kind,
                addr: 0x8000_1002,
                len: 1,
                value,
            }],
            events: EventTriggers::default(),
        });
        m
    }

    #[test]
    fn an_amo_is_seen_by_every_kind_of_watchpoint() {
        for kind in [WatchKind::Read, WatchKind::Write, WatchKind::Access] {
            let hit = armed(kind, None).watch_amo(0x8000_0000, 0, 0x8000_1000, 5, 7);
            assert_eq!(
                hit.map(|h| (h.id, h.write, h.old, h.new)),
                Some((4, true, 5, 7)),
                "{kind:?}"
            );
            // Bytes 0x1004.. are not watched.
            assert_eq!(armed(kind, None).watch_amo(0, 0, 0x8000_1004, 5, 7), None);
        }
        // A value condition: the loaded value for read watchpoints, the
        // stored one for the others.
        assert!(
            armed(WatchKind::Read, Some(5))
                .watch_amo(0, 0, 0x8000_1000, 5, 7)
                .is_some()
        );
        assert!(
            armed(WatchKind::Read, Some(7))
                .watch_amo(0, 0, 0x8000_1000, 5, 7)
                .is_none()
        );
        assert!(
            armed(WatchKind::Write, Some(7))
                .watch_amo(0, 0, 0x8000_1000, 5, 7)
                .is_some()
        );
        assert!(
            armed(WatchKind::Access, Some(5))
                .watch_amo(0, 0, 0x8000_1000, 5, 7)
                .is_none()
        );
    }

    #[test]
    fn ranges_that_wrap_the_address_space_overlap_correctly() {
        let w = WatchTrigger {
            id: 1,
            kind: WatchKind::Access,
            addr: 0xffff_fffe,
            len: 4,
            value: None,
        };
        assert!(w.overlaps(0xffff_fffc, 4));
        assert!(w.overlaps(0x0000_0001, 1));
        assert!(!w.overlaps(0x0000_0002, 4));
        assert!(!w.overlaps(0xffff_fff8, 4));
    }
}
