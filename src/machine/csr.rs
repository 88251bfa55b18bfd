//! Machine-mode CSR behaviour: which exist, what reads return, what writes
//! keep (WARL), and which are read-only.

use super::Machine;
use super::hart::*;
use super::trap::{Exception, Trap};
use crate::isa::Inst;
use crate::isa::csr::*;
use crate::isa::exec::{CsrAccess, csr_access, csr_new_value};

impl Machine {
    /// The current `mip`: MSIP and MTIP mirror the CLINT, MEIP the PLIC.
    pub fn mip(&self) -> u32 {
        let mut mip = 0;
        if self.bus.meip(self.cycle) {
            mip |= MIP_MEIP;
        }
        if self.bus.clint.msip {
            mip |= MIP_MSIP;
        }
        if self.bus.clint.timer_pending(self.cycle) {
            mip |= MIP_MTIP;
        }
        mip
    }

    /// Reads a CSR as an instruction would; `None` if it does not exist.
    /// Never changes state, so debuggers may call it.
    pub fn csr_read(&self, csr: u16) -> Option<u32> {
        let h = &self.hart;
        let mtime = self.bus.clint.mtime(self.cycle);
        Some(match csr {
            MSTATUS => h.mstatus | MSTATUS_MPP,
            MISA => MISA_VALUE,
            MIE => h.mie,
            MTVEC => h.mtvec,
            MSCRATCH => h.mscratch,
            MEPC => h.mepc,
            MCAUSE => h.mcause,
            MTVAL => h.mtval,
            MIP => self.mip(),
            MVENDORID | MARCHID | MIMPID | MHARTID => 0,
            MCYCLE | CYCLE => self.mcycle() as u32,
            MCYCLEH | CYCLEH => (self.mcycle() >> 32) as u32,
            MINSTRET | INSTRET => self.minstret() as u32,
            MINSTRETH | INSTRETH => (self.minstret() >> 32) as u32,
            TIME => mtime as u32,
            TIMEH => (mtime >> 32) as u32,
            _ => return None,
        })
    }

    /// Writes a CSR, keeping only the bits the machine implements. Returns
    /// false for a CSR that does not exist or is read-only. Debuggers may
    /// call it to edit state.
    pub fn csr_write(&mut self, csr: u16, v: u32) -> bool {
        if is_read_only(csr) || self.csr_read(csr).is_none() {
            return false;
        }
        let h = &mut self.hart;
        match csr {
            MSTATUS => h.mstatus = v & (MSTATUS_MIE | MSTATUS_MPIE),
            MIE => h.mie = v & (MIP_MSIP | MIP_MTIP | MIP_MEIP),
            // Modes 2 and 3 are reserved: keep the base, fall back to direct.
            MTVEC => h.mtvec = if v & 3 == 1 { v & !2 } else { v & !3 },
            MSCRATCH => h.mscratch = v,
            // IALIGN = 16 (C is always on): bit 0 reads as zero.
            MEPC => h.mepc = v & !1,
            MCAUSE => h.mcause = v,
            MTVAL => h.mtval = v,
            MCYCLE | MCYCLEH => {
                let new = set_half(self.mcycle(), csr == MCYCLEH, v);
                self.hart.mcycle_offset = new.wrapping_sub(self.cycle);
            }
            MINSTRET | MINSTRETH => {
                let new = set_half(self.minstret(), csr == MINSTRETH, v);
                self.hart.minstret_offset = new.wrapping_sub(self.instret);
            }
            // misa is WARL with a fixed value; mip's bits mirror the CLINT
            // and the PLIC.
            _ => {}
        }
        true
    }

    /// The architectural `mcycle`: the cycle count as the guest last set it.
    pub fn mcycle(&self) -> u64 {
        self.cycle.wrapping_add(self.hart.mcycle_offset)
    }

    pub fn minstret(&self) -> u64 {
        self.instret.wrapping_add(self.hart.minstret_offset)
    }

    /// Executes a CSR instruction (`bits` is its encoding, for `mtval`) and
    /// returns the value for rd. `rs1_value` is the value of rs1 (ignored by
    /// the immediate forms).
    pub fn exec_csr(&mut self, inst: &Inst, bits: u32, rs1_value: u32) -> Result<u32, Trap> {
        let CsrAccess { csr, writes, .. } = csr_access(inst);
        let illegal = Trap::new(Exception::IllegalInstruction, bits);
        let old = self.csr_read(csr).ok_or(illegal)?;
        if writes {
            if is_read_only(csr) {
                return Err(illegal);
            }
            let new = csr_new_value(inst, old, rs1_value);
            self.csr_write(csr, new);
            // The written value is what the next instruction sees, so this
            // instruction's own cycle and retirement must not add to it.
            match csr {
                MCYCLE | MCYCLEH => {
                    self.hart.mcycle_offset = self.hart.mcycle_offset.wrapping_sub(1)
                }
                MINSTRET | MINSTRETH => {
                    self.hart.minstret_offset = self.hart.minstret_offset.wrapping_sub(1)
                }
                _ => {}
            }
        }
        Ok(old)
    }
}

fn set_half(v: u64, high: bool, half: u32) -> u64 {
    if high {
        (v & 0xffff_ffff) | (half as u64) << 32
    } else {
        (v & !0xffff_ffff) | half as u64
    }
}
