//! Architectural state of the one hart: pc, integer registers and the
//! machine-mode CSRs that are plain storage.

use serde::{Deserialize, Serialize};

pub const MSTATUS_MIE: u32 = 1 << 3;
pub const MSTATUS_MPIE: u32 = 1 << 7;
pub const MSTATUS_MPP: u32 = 3 << 11;
pub const MIP_MSIP: u32 = 1 << 3;
pub const MIP_MTIP: u32 = 1 << 7;
pub const MIP_MEIP: u32 = 1 << 11;
/// RV32 (MXL = 1) with the A, C, I and M extensions.
pub const MISA_VALUE: u32 = (1 << 30) | 1 | (1 << 2) | (1 << 8) | (1 << 12);

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hart {
    pub pc: u32,
    /// x0..x31; x[0] stays 0 because every write goes through `set_reg`.
    pub x: [u32; 32],
    /// Only MIE and MPIE are stored; MPP reads as machine mode always.
    pub mstatus: u32,
    pub mie: u32,
    pub mtvec: u32,
    pub mscratch: u32,
    pub mepc: u32,
    pub mcause: u32,
    pub mtval: u32,
    /// mcycle = cycle + offset and minstret = instret + offset, so that the
    /// guest can write the counters without disturbing the simulation's own
    /// counts (which also drive `mtime`).
    pub mcycle_offset: u64,
    pub minstret_offset: u64,
}

impl Hart {
    pub fn new(pc: u32, sp: u32) -> Hart {
        let mut x = [0; 32];
        x[crate::isa::reg::SP as usize] = sp;
        Hart {
            pc,
            x,
            mstatus: 0,
            mie: 0,
            mtvec: 0,
            mscratch: 0,
            mepc: 0,
            mcause: 0,
            mtval: 0,
            mcycle_offset: 0,
            minstret_offset: 0,
        }
    }

    #[inline(always)]
    pub fn reg(&self, r: u8) -> u32 {
        self.x[(r & 31) as usize]
    }

    #[inline(always)]
    pub fn set_reg(&mut self, r: u8, v: u32) {
        // Branch-free: write, then restore x0.
        self.x[(r & 31) as usize] = v;
        self.x[0] = 0;
    }

    pub fn interrupts_enabled(&self) -> bool {
        self.mstatus & MSTATUS_MIE != 0
    }
}
