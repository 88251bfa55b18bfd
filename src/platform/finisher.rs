//! QEMU `virt`'s SiFive test finisher: one 32-bit register whose writes
//! end the run. Programs written for `qemu-system-riscv32 -machine virt`
//! exit through it, so they run here unchanged with the same exit status.
//!
//! The low 16 bits of a write select the action and the high 16 bits carry
//! the exit code: `0x5555` passes (status 0), `(code << 16) | 0x3333`
//! exits with `code`, `0x7777` asks for a reset (which Glassbox has no
//! notion of, so it stops the machine with a message). Other values are
//! ignored, as on QEMU. Reads return 0.

use serde::{Deserialize, Serialize};

pub const FINISHER_BASE: u32 = 0x0010_0000;
pub const FINISHER_SIZE: u32 = 0x1000;

const PASS: u32 = 0x5555;
const FAIL: u32 = 0x3333;
const RESET: u32 = 0x7777;

/// What a write to the finisher asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FinisherAction {
    Exit(i32),
    Reset,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Finisher {
    /// Set by a write, taken by the machine when the store completes.
    pub pending: Option<FinisherAction>,
}

impl Finisher {
    /// A store to the register at `offset` (only a word write at offset 0
    /// acts, as QEMU's device takes 32-bit accesses to its one register).
    pub fn write(&mut self, offset: u32, width: u32, value: u32, live: bool) {
        if !live || offset != 0 || width != 4 {
            return;
        }
        self.pending = match value & 0xffff {
            PASS => Some(FinisherAction::Exit(0)),
            FAIL => Some(FinisherAction::Exit((value >> 16) as i32)),
            RESET => Some(FinisherAction::Reset),
            _ => None,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_qemu() {
        let mut f = Finisher::default();
        f.write(0, 4, 0x5555, true);
        assert_eq!(f.pending.take(), Some(FinisherAction::Exit(0)));
        f.write(0, 4, (7 << 16) | 0x3333, true);
        assert_eq!(f.pending.take(), Some(FinisherAction::Exit(7)));
        f.write(0, 4, 0x7777, true);
        assert_eq!(f.pending.take(), Some(FinisherAction::Reset));
        f.write(0, 4, 0x1234, true);
        assert_eq!(f.pending, None);
        f.write(0, 4, 0x5555, false);
        assert_eq!(f.pending, None);
        f.write(0, 2, 0x5555, true);
        assert_eq!(f.pending, None);
    }
}
