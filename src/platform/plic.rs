//! The platform-level interrupt controller, laid out as QEMU `virt`'s
//! (SiFive PLIC) for its context 0, the hart's machine mode: priorities,
//! pending bits, enables, threshold and claim/complete.
//!
//! Sources are level-triggered and the levels are never stored: the bus
//! works them out from the devices' state when asked (`Bus::irq_levels`),
//! so the controller costs nothing while nobody looks and a snapshot of
//! the devices is a snapshot of the interrupt lines. A claimed source is
//! not offered again until its completion, as on the SiFive gateway.

use super::AccessFault;
use serde::{Deserialize, Serialize};

pub const PLIC_BASE: u32 = 0x0c00_0000;
pub const PLIC_SIZE: u32 = 0x0040_0000;
/// Sources 1..=31 exist (0 means "no interrupt").
pub const PLIC_SOURCES: u32 = 32;
/// Priorities and the threshold hold 3 bits (7 levels, as on `virt`).
pub const PLIC_PRIORITY_MASK: u32 = 7;

pub const SOURCE_UART: u32 = 10;
pub const SOURCE_KEYBOARD: u32 = 11;
pub const SOURCE_VSYNC: u32 = 12;
pub const SOURCE_GPIO: u32 = 13;

const PRIORITY: u32 = 0x0;
/// One bit per source; sources 32..1023 would follow in words the
/// platform does not implement (they read 0).
const PENDING: u32 = 0x1000;
const ENABLE: u32 = 0x2000;
const THRESHOLD: u32 = 0x20_0000;
const CLAIM: u32 = 0x20_0004;

/// Register offsets and what they are, for the register tables and tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reg {
    Priority(u32),
    Pending(u32),
    Enable(u32),
    Threshold,
    Claim,
}

fn decode(offset: u32) -> Option<Reg> {
    Some(match offset {
        o if o < PENDING => Reg::Priority((o - PRIORITY) / 4),
        o if (PENDING..PENDING + 0x80).contains(&o) => Reg::Pending((o - PENDING) / 4),
        o if (ENABLE..ENABLE + 0x80).contains(&o) => Reg::Enable((o - ENABLE) / 4),
        THRESHOLD => Reg::Threshold,
        CLAIM => Reg::Claim,
        _ => return None,
    })
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plic {
    /// Priority of each source (0 = never interrupts); index 0 stays 0.
    pub priority: [u32; PLIC_SOURCES as usize],
    /// Context 0's enable bits (bit 0 stays 0).
    pub enable: u32,
    /// Context 0's threshold: only priorities above it interrupt.
    pub threshold: u32,
    /// Sources claimed and not yet completed.
    pub claimed: u32,
}

impl Plic {
    /// Sources that would interrupt context 0 now, given the devices'
    /// `levels` (bit n = source n's line).
    pub fn deliverable(&self, levels: u32) -> u32 {
        let mut m = levels & self.enable & !self.claimed & !1;
        let mut out = 0;
        while m != 0 {
            let s = m.trailing_zeros();
            if self.priority[s as usize] > self.threshold {
                out |= 1 << s;
            }
            m &= m - 1;
        }
        out
    }

    /// What a claim returns: the deliverable source of highest priority,
    /// the lowest id among equals; 0 if none.
    pub fn best(&self, levels: u32) -> u32 {
        let mut m = self.deliverable(levels);
        let (mut best, mut best_pri) = (0, 0);
        while m != 0 {
            let s = m.trailing_zeros();
            if self.priority[s as usize] > best_pri {
                (best, best_pri) = (s, self.priority[s as usize]);
            }
            m &= m - 1;
        }
        best
    }

    /// Reads a register; a claim read claims (`live`), a peek does not.
    pub fn read(&mut self, offset: u32, levels: u32, live: bool) -> Result<u32, AccessFault> {
        Ok(match decode(offset).ok_or(AccessFault)? {
            Reg::Priority(s) if s < PLIC_SOURCES => self.priority[s as usize],
            Reg::Pending(0) => levels & !1,
            Reg::Enable(0) => self.enable,
            Reg::Priority(_) | Reg::Pending(_) | Reg::Enable(_) => 0,
            Reg::Threshold => self.threshold,
            Reg::Claim => {
                let s = self.best(levels);
                if live && s != 0 {
                    self.claimed |= 1 << s;
                }
                s
            }
        })
    }

    /// Writes a register. Pending is read-only; a write to claim/complete
    /// completes the source it names if that source is enabled (otherwise
    /// it is ignored, as the PLIC specification says); debugger pokes
    /// (`live` false) complete nothing.
    pub fn write(&mut self, offset: u32, value: u32, live: bool) -> Result<(), AccessFault> {
        match decode(offset).ok_or(AccessFault)? {
            Reg::Priority(s) if s > 0 && s < PLIC_SOURCES => {
                self.priority[s as usize] = value & PLIC_PRIORITY_MASK
            }
            Reg::Enable(0) => self.enable = value & !1,
            Reg::Threshold => self.threshold = value & PLIC_PRIORITY_MASK,
            Reg::Claim if live && value < PLIC_SOURCES && self.enable & (1 << value) != 0 => {
                self.claimed &= !(1 << value)
            }
            _ => {}
        }
        Ok(())
    }
}
