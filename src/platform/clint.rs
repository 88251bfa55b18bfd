//! The core-local interruptor: software interrupt (`msip`) and the machine
//! timer. `mtime` advances one tick per cycle; it is stored as an offset
//! from the cycle counter so that time costs nothing while nobody looks.

use serde::{Deserialize, Serialize};

const MSIP: u32 = 0x0;
const MTIMECMP: u32 = 0x4000;
const MTIME: u32 = 0xbff8;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Clint {
    pub msip: bool,
    pub mtimecmp: u64,
    /// mtime = cycle + mtime_offset (wrapping).
    pub mtime_offset: u64,
}

impl Default for Clint {
    fn default() -> Self {
        Clint {
            msip: false,
            mtimecmp: u64::MAX,
            mtime_offset: 0,
        }
    }
}

impl Clint {
    pub fn mtime(&self, now: u64) -> u64 {
        now.wrapping_add(self.mtime_offset)
    }

    pub fn timer_pending(&self, now: u64) -> bool {
        self.mtime(now) >= self.mtimecmp
    }

    /// The first cycle at or after `now` at which the timer is pending.
    pub fn timer_deadline(&self, now: u64) -> u64 {
        let t = self.mtime(now);
        if t >= self.mtimecmp {
            now
        } else {
            now.saturating_add(self.mtimecmp - t)
        }
    }

    fn reg64(offset: u32, base: u32, value: u64) -> Option<(u64, u32)> {
        let rel = offset.checked_sub(base)?;
        (rel < 8).then_some((value, rel * 8))
    }

    pub fn read(&self, offset: u32, width: u32, now: u64) -> u32 {
        let mask = if width >= 4 {
            u32::MAX
        } else {
            (1 << (width * 8)) - 1
        };
        let v = if offset < 4 {
            (self.msip as u32) >> (offset * 8)
        } else if let Some((v, shift)) = Self::reg64(offset, MTIMECMP, self.mtimecmp)
            .or_else(|| Self::reg64(offset, MTIME, self.mtime(now)))
        {
            (v >> shift) as u32
        } else {
            0
        };
        v & mask
    }

    pub fn write(&mut self, offset: u32, width: u32, value: u32, now: u64) {
        let bytes = (0..width).map(|i| (offset + i, (value >> (i * 8)) as u8));
        for (off, byte) in bytes {
            if off == MSIP {
                self.msip = byte & 1 != 0;
            } else if let Some(rel) = off.checked_sub(MTIMECMP).filter(|r| *r < 8) {
                self.mtimecmp = set_byte(self.mtimecmp, rel, byte);
            } else if let Some(rel) = off.checked_sub(MTIME).filter(|r| *r < 8) {
                let t = set_byte(self.mtime(now), rel, byte);
                self.mtime_offset = t.wrapping_sub(now);
            }
        }
    }
}

fn set_byte(v: u64, index: u32, byte: u8) -> u64 {
    let shift = index * 8;
    (v & !(0xffu64 << shift)) | (byte as u64) << shift
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mtime_follows_cycles_and_writes() {
        let mut c = Clint::default();
        assert_eq!(c.read(MTIME, 4, 100), 100);
        c.write(MTIME, 4, 10, 100);
        assert_eq!(c.read(MTIME, 4, 150), 60);
        c.write(MTIMECMP, 4, 200, 150);
        c.write(MTIMECMP + 4, 4, 0, 150);
        assert_eq!(c.mtimecmp, 200);
        assert!(!c.timer_pending(150));
        assert_eq!(c.timer_deadline(150), 290);
        assert!(c.timer_pending(290));
    }
}
