//! What GDB is told about the machine: the RV32 integer registers and pc
//! (sent together in the `g` packet) and every implemented machine CSR
//! (read and written one at a time with `p`/`P`), in a target description
//! built from `isa::csr::IMPLEMENTED`, so the list cannot drift from what
//! `Machine::csr_read` knows.

use crate::isa::{csr, reg};
use gdbstub::arch::{Arch, RegId, Registers};
use std::num::NonZeroUsize;
use std::sync::OnceLock;

/// GDB's register number of `pc`; the integer registers are 0..=31.
pub const PC_REGNUM: usize = 32;
/// GDB numbers CSR `n` as `CSR_REGNUM_BASE + n` (the numbering GDB's own
/// RISC-V descriptions and QEMU use), so `info registers mstatus` works.
pub const CSR_REGNUM_BASE: usize = 65;

/// The 32-bit RISC-V hart of Glassbox, as GDB sees it.
pub enum GlassboxRv32 {}

/// The `g` packet: x0..x31 then pc, little-endian.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CoreRegs {
    pub x: [u32; 32],
    pub pc: u32,
}

impl Registers for CoreRegs {
    type ProgramCounter = u32;

    fn pc(&self) -> u32 {
        self.pc
    }

    fn gdb_serialize(&self, mut write_byte: impl FnMut(Option<u8>)) {
        for v in self.x.iter().chain(std::iter::once(&self.pc)) {
            v.to_le_bytes()
                .into_iter()
                .for_each(|b| write_byte(Some(b)));
        }
    }

    fn gdb_deserialize(&mut self, bytes: &[u8]) -> Result<(), ()> {
        if bytes.len() != 33 * 4 {
            return Err(());
        }
        let mut words = bytes
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]));
        for x in self.x.iter_mut() {
            *x = words.next().ok_or(())?;
        }
        self.pc = words.next().ok_or(())?;
        Ok(())
    }
}

/// One register GDB may ask for with `p`/`P`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reg {
    X(u8),
    Pc,
    Csr(u16),
}

impl RegId for Reg {
    fn from_raw_id(id: usize) -> Option<(Self, Option<NonZeroUsize>)> {
        let reg = match id {
            0..=31 => Reg::X(id as u8),
            PC_REGNUM => Reg::Pc,
            _ => {
                let n = u16::try_from(id.checked_sub(CSR_REGNUM_BASE)?).ok()?;
                csr::name(n)?;
                Reg::Csr(n)
            }
        };
        Some((reg, NonZeroUsize::new(4)))
    }

    fn to_raw_id(&self) -> Option<usize> {
        Some(match *self {
            Reg::X(n) => n as usize,
            Reg::Pc => PC_REGNUM,
            Reg::Csr(n) => CSR_REGNUM_BASE + n as usize,
        })
    }
}

impl Arch for GlassboxRv32 {
    type Usize = u32;
    type Registers = CoreRegs;
    /// The length of the instruction GDB breaks on (2 or 4); any is fine,
    /// since breakpoints never patch memory here.
    type BreakpointKind = usize;
    type RegId = Reg;

    fn target_description_xml() -> Option<&'static str> {
        static XML: OnceLock<String> = OnceLock::new();
        Some(XML.get_or_init(target_xml))
    }
}

/// The target description: GDB's standard RISC-V feature names, so that
/// GDB's RISC-V support recognises the registers.
pub fn target_xml() -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n\
         <target version=\"1.0\">\n<architecture>riscv:rv32</architecture>\n\
         <feature name=\"org.gnu.gdb.riscv.cpu\">\n",
    );
    for (n, name) in reg::ABI_NAMES.iter().enumerate() {
        let ty = match n {
            1 => "code_ptr",
            2 | 8 => "data_ptr",
            _ => "int",
        };
        s += &format!("<reg name=\"{name}\" bitsize=\"32\" type=\"{ty}\" regnum=\"{n}\"/>\n");
    }
    s += &format!(
        "<reg name=\"pc\" bitsize=\"32\" type=\"code_ptr\" regnum=\"{PC_REGNUM}\"/>\n</feature>\n\
         <feature name=\"org.gnu.gdb.riscv.csr\">\n"
    );
    for &(n, name) in csr::IMPLEMENTED {
        let regnum = CSR_REGNUM_BASE + n as usize;
        s += &format!(
            "<reg name=\"{name}\" bitsize=\"32\" type=\"int\" regnum=\"{regnum}\" group=\"csr\"/>\n"
        );
    }
    s += "</feature>\n</target>\n";
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_regs_round_trip_through_the_g_packet_layout() {
        let mut r = CoreRegs::default();
        for (i, x) in r.x.iter_mut().enumerate() {
            *x = 0x0101_0101 * i as u32;
        }
        r.pc = 0x8000_0004;
        let mut bytes = Vec::new();
        r.gdb_serialize(|b| bytes.push(b.unwrap()));
        assert_eq!(bytes.len(), 132);
        assert_eq!(&bytes[128..], &[4, 0, 0, 0x80]);
        let mut back = CoreRegs::default();
        back.gdb_deserialize(&bytes).unwrap();
        assert_eq!(back, r);
        assert!(back.gdb_deserialize(&bytes[..131]).is_err());
    }

    #[test]
    fn register_numbers() {
        assert_eq!(Reg::from_raw_id(5).unwrap().0, Reg::X(5));
        assert_eq!(Reg::from_raw_id(32).unwrap().0, Reg::Pc);
        assert_eq!(
            Reg::from_raw_id(65 + 0x300).unwrap().0,
            Reg::Csr(csr::MSTATUS)
        );
        // Floating-point numbers and unimplemented CSRs do not exist here.
        assert!(Reg::from_raw_id(33).is_none());
        assert!(Reg::from_raw_id(65 + 0x7b0).is_none());
        assert!(Reg::from_raw_id(usize::MAX).is_none());
        assert!(
            target_xml().contains("name=\"mcause\" bitsize=\"32\" type=\"int\" regnum=\"899\"")
        );
    }
}
