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
        }
    }
}

/// The `mcause` value of an interrupt (interrupt bit set).
pub fn interrupt_cause(i: Interrupt) -> u32 {
    0x8000_0000 | i as u32
}
