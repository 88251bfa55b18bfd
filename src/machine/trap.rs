//! Trap causes, as the privileged spec numbers them.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Exception {
    InstructionMisaligned = 0,
    InstructionAccessFault = 1,
    IllegalInstruction = 2,
    Breakpoint = 3,
    LoadMisaligned = 4,
    LoadAccessFault = 5,
    StoreMisaligned = 6,
    StoreAccessFault = 7,
    EcallFromM = 11,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Interrupt {
    MachineSoftware = 3,
    MachineTimer = 7,
    MachineExternal = 11,
}

/// A synchronous exception with its `mtval`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trap {
    pub cause: Exception,
    pub tval: u32,
}

impl Trap {
    pub fn new(cause: Exception, tval: u32) -> Trap {
        Trap { cause, tval }
    }
}

impl Exception {
    pub fn describe(self) -> &'static str {
        match self {
            Exception::InstructionMisaligned => "instruction address misaligned",
            Exception::InstructionAccessFault => "instruction access fault",
            Exception::IllegalInstruction => "illegal instruction",
            Exception::Breakpoint => "breakpoint (ebreak)",
            Exception::LoadMisaligned => "load address misaligned",
            Exception::LoadAccessFault => "load access fault",
            Exception::StoreMisaligned => "store address misaligned",
            Exception::StoreAccessFault => "store access fault",
            Exception::EcallFromM => "environment call (ecall)",
        }
    }
}

impl Interrupt {
    pub fn describe(self) -> &'static str {
        match self {
            Interrupt::MachineSoftware => "machine software interrupt",
            Interrupt::MachineTimer => "machine timer interrupt",
            Interrupt::MachineExternal => "machine external interrupt",
        }
    }
}

/// The `mcause` value of an interrupt (interrupt bit set).
pub fn interrupt_cause(i: Interrupt) -> u32 {
    0x8000_0000 | i as u32
}

/// For an illegal instruction from an extension Glassbox does not
/// implement (F, D, Q, Zfh, V): which one, and how to build without it.
/// Empty for anything else.
pub fn missing_extension_hint(word: u32) -> String {
    let opcode = word & 0x7f;
    let width = (word >> 12) & 7;
    let fmt = (word >> 25) & 3;
    let ext = match opcode {
        // LOAD-FP / STORE-FP: the width field tells scalar from vector.
        0b000_0111 | 0b010_0111 => match width {
            1 => "Zfh (half-precision floating point)",
            2 => "F (single-precision floating point)",
            3 => "D (double-precision floating point)",
            4 => "Q (quad-precision floating point)",
            _ => "V (vectors)",
        },
        // FMADD/FMSUB/FNMSUB/FNMADD and OP-FP: fmt in bits 26:25.
        0b100_0011 | 0b100_0111 | 0b100_1011 | 0b100_1111 | 0b101_0011 => match fmt {
            0 => "F (single-precision floating point)",
            1 => "D (double-precision floating point)",
            2 => "Zfh (half-precision floating point)",
            _ => "Q (quad-precision floating point)",
        },
        0b101_0111 => "V (vectors)",
        _ => return String::new(),
    };
    format!(
        ". This is an instruction of the {ext} extension, which Glassbox does not \
         implement: build with -march=rv32imac -mabi=ilp32 (no f, d or v)"
    )
}
