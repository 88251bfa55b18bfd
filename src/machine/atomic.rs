//! The A extension's memory side: `lr.w`, `sc.w` and the AMOs, with the
//! single-hart reservation. The functional core runs this for the whole
//! instruction; the five-stage core runs it in MEM. See docs/platform.md
//! for the reservation rules and docs/timing.md for the timing.

use super::Machine;
use super::trap::{Exception, Trap};
use super::triggers::WatchHit;
use crate::isa::exec::amo_value;
use crate::isa::{Inst, Op};

impl Machine {
    /// Performs the memory part of an atomic at `addr` (rs1's value) with
    /// rs2's value `src`. Returns the value for rd, whether the write
    /// touched `tohost` (the caller completes it like a store's), and the
    /// watchpoint the access fires (`pc` and `word` name the instruction;
    /// the caller reports the hit where the access completes, as for loads
    /// and stores).
    ///
    /// A misaligned address traps as on Spike: `lr.w` with a load
    /// address-misaligned exception (cause 4), `sc.w` and the AMOs with a
    /// store/AMO one (cause 6), whatever `misaligned` says. Atomics work
    /// on RAM only: elsewhere they raise the matching access fault.
    pub(crate) fn exec_atomic(
        &mut self,
        inst: &Inst,
        addr: u32,
        src: u32,
        (pc, word): (u32, u32),
    ) -> Result<(u32, bool, Option<WatchHit>), Trap> {
        let lr = inst.op == Op::LrW;
        if addr & 3 != 0 {
            let cause = if lr {
                Exception::LoadMisaligned
            } else {
                Exception::StoreMisaligned
            };
            return Err(Trap::new(cause, addr));
        }
        if self.bus.ram.offset(addr, 4).is_none() {
            let cause = if lr {
                Exception::LoadAccessFault
            } else {
                Exception::StoreAccessFault
            };
            return Err(Trap::new(cause, addr));
        }
        match inst.op {
            Op::LrW => {
                let v = self.load_data(addr, 4)?;
                self.reservation = Some(addr);
                let hit = if self.watching() {
                    self.watch_hit(pc, word, addr, 4, None, v)
                } else {
                    None
                };
                Ok((v, false, hit))
            }
            Op::ScW => {
                // Success needs the reservation `lr.w` set on this word;
                // either way the reservation is gone afterwards.
                let held = self.reservation.take() == Some(addr);
                if !held {
                    return Ok((1, false, None));
                }
                let old = if self.watching() {
                    self.watch_before_store(addr, 4)
                } else {
                    None
                };
                let tohost = self.store_data(addr, 4, src)?;
                let hit = old.and_then(|o| self.watch_hit(pc, word, addr, 4, Some(o), src));
                Ok((0, tohost, hit))
            }
            op => {
                // Read, then write: the caches see both accesses.
                let old = self.load_data(addr, 4)?;
                let new = amo_value(op, old, src).unwrap_or(old);
                let tohost = self.store_data(addr, 4, new)?;
                let hit = if self.watching() {
                    self.watch_amo(pc, word, addr, old, new)
                } else {
                    None
                };
                Ok((old, tohost, hit))
            }
        }
    }

    /// A store of `width` bytes at `addr` clears a reservation on any word
    /// it touches.
    #[inline(always)]
    pub(crate) fn clear_reservation_on_store(&mut self, addr: u32, width: u32) {
        if let Some(r) = self.reservation
            && (addr & !3 == r || addr.wrapping_add(width - 1) & !3 == r)
        {
            self.reservation = None;
        }
    }
}
