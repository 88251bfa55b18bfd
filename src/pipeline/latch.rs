//! The pipeline registers between stages, named as a textbook datapath
//! names them. `None` in a latch is a bubble.

use crate::isa::Inst;
use crate::machine::trap::Trap;
use serde::{Deserialize, Serialize};

/// Identity of an instruction in flight: its sequence number (order of
/// fetch, for the pipeline chart), address and encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    pub seq: u64,
    pub pc: u32,
    pub word: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IfId {
    pub tag: Tag,
    /// The pc IF fetched next, as predicted for this instruction.
    pub predicted_next: u32,
    /// A fetch fault travels with the instruction and is taken in WB.
    pub fault: Option<Trap>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdEx {
    pub tag: Tag,
    pub inst: Inst,
    /// Register values read in ID (EX may replace them with forwarded ones).
    pub rs1_value: u32,
    pub rs2_value: u32,
    pub predicted_next: u32,
    /// Set when the branch or jump was already resolved in ID.
    pub resolved_next: Option<u32>,
    /// A multi-cycle operation latched its operands in its first EX cycle.
    pub operands_latched: bool,
    pub fault: Option<Trap>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExMem {
    pub tag: Tag,
    pub inst: Inst,
    /// ALU result: the value for rd, or the memory address of a load/store.
    pub alu_result: u32,
    /// The value a store writes (rs2 after forwarding).
    pub store_data: u32,
    /// The pc of the next instruction in program order.
    pub next_pc: u32,
    pub fault: Option<Trap>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemWb {
    pub tag: Tag,
    pub inst: Inst,
    /// The value written to rd: the ALU result or the loaded data.
    pub wb_value: u32,
    /// Memory address of a load or store (for views and the checker).
    pub mem_addr: u32,
    /// The value a store wrote.
    pub store_data: u32,
    pub next_pc: u32,
    /// The store touched `tohost`: HTIF acts when it reaches WB.
    pub tohost: bool,
    pub fault: Option<Trap>,
}
