//! What the pipeline registers carry. Each instruction in flight lives in
//! one `Slot` from fetch to write-back, and the pipeline registers (IF/ID,
//! ID/EX, EX/MEM, MEM/WB) hold the index of their slot: advancing a stage
//! moves an index, not the data. A slot's fields are the ones a textbook
//! datapath labels on the registers; each is filled by the stage named in
//! its comment.

use crate::isa::{Inst, InstClass};
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
pub struct Slot {
    /// IF.
    pub tag: Tag,
    /// IF: the pc fetched next, as predicted for this instruction.
    pub predicted_next: u32,
    /// ID.
    pub inst: Inst,
    /// ID: looked up once from `inst`, so that later stages and the hazard
    /// checks compare bytes: the class, the register written (0: none) and
    /// the registers read (0: none or x0).
    pub class: InstClass,
    pub dest: u8,
    pub srcs: [u8; 2],
    /// ID: register values read (EX may replace them with forwarded ones;
    /// a multi-cycle operation latches them in its first EX cycle).
    pub rs1_value: u32,
    pub rs2_value: u32,
    /// ID: set when the branch or jump was resolved in ID.
    pub resolved_next: Option<u32>,
    pub operands_latched: bool,
    /// EX: the value for rd, or the memory address of a load/store.
    pub alu_result: u32,
    /// EX: the value a store writes (rs2 after forwarding).
    pub store_data: u32,
    /// EX: the pc of the next instruction in program order.
    pub next_pc: u32,
    /// MEM: the value written to rd (the ALU result or the loaded data).
    pub wb_value: u32,
    /// MEM: the store touched `tohost`; HTIF acts when it reaches WB.
    pub tohost: bool,
    /// Any stage: an exception travels with the instruction to WB.
    pub fault: Option<Trap>,
}

impl Slot {
    pub(crate) const EMPTY: Slot = Slot {
        tag: Tag {
            seq: 0,
            pc: 0,
            word: 0,
        },
        predicted_next: 0,
        inst: Inst::ILLEGAL,
        class: InstClass::Illegal,
        dest: 0,
        srcs: [0, 0],
        rs1_value: 0,
        rs2_value: 0,
        resolved_next: None,
        operands_latched: false,
        alu_result: 0,
        store_data: 0,
        next_pc: 0,
        wb_value: 0,
        tohost: false,
        fault: None,
    };

    /// Memory address of a load or store (computed by the ALU).
    pub fn mem_addr(&self) -> u32 {
        self.alu_result
    }
}
