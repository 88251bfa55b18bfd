//! The decoded instruction: one typed value that the executor, the pipeline,
//! the disassembler and the statistics all read.

use serde::{Deserialize, Serialize};

/// Every RV32IM + Zicsr + Zifencei operation, plus `Illegal` for encodings
/// outside the ISA (decoding never fails; executing `Illegal` traps).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[repr(u8)]
pub enum Op {
    Lui,
    Auipc,
    Jal,
    Jalr,
    Beq,
    Bne,
    Blt,
    Bge,
    Bltu,
    Bgeu,
    Lb,
    Lh,
    Lw,
    Lbu,
    Lhu,
    Sb,
    Sh,
    Sw,
    Addi,
    Slti,
    Sltiu,
    Xori,
    Ori,
    Andi,
    Slli,
    Srli,
    Srai,
    Add,
    Sub,
    Sll,
    Slt,
    Sltu,
    Xor,
    Srl,
    Sra,
    Or,
    And,
    Mul,
    Mulh,
    Mulhsu,
    Mulhu,
    Div,
    Divu,
    Rem,
    Remu,
    Fence,
    FenceI,
    Ecall,
    Ebreak,
    Mret,
    Wfi,
    Csrrw,
    Csrrs,
    Csrrc,
    Csrrwi,
    Csrrsi,
    Csrrci,
    Illegal,
}

/// Instruction classes, for hazard rules, latencies and statistics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum InstClass {
    Alu,
    Mul,
    Div,
    Load,
    Store,
    Branch,
    Jump,
    Csr,
    System,
    Fence,
    Illegal,
}

impl InstClass {
    pub const ALL: [InstClass; 11] = [
        InstClass::Alu,
        InstClass::Mul,
        InstClass::Div,
        InstClass::Load,
        InstClass::Store,
        InstClass::Branch,
        InstClass::Jump,
        InstClass::Csr,
        InstClass::System,
        InstClass::Fence,
        InstClass::Illegal,
    ];

    pub fn name(self) -> &'static str {
        match self {
            InstClass::Alu => "alu",
            InstClass::Mul => "mul",
            InstClass::Div => "div",
            InstClass::Load => "load",
            InstClass::Store => "store",
            InstClass::Branch => "branch",
            InstClass::Jump => "jump",
            InstClass::Csr => "csr",
            InstClass::System => "system",
            InstClass::Fence => "fence",
            InstClass::Illegal => "illegal",
        }
    }
}

/// A decoded instruction. Fields an operation does not use are zero.
///
/// `imm` holds the sign-extended immediate; for CSR operations it holds the
/// CSR number, and for the `*i` CSR forms `rs1` holds the 5-bit immediate
/// (so `reads_rs1` is false for them). For `fence` it holds bits 31:20.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Inst {
    pub op: Op,
    pub rd: u8,
    pub rs1: u8,
    pub rs2: u8,
    pub imm: i32,
}

impl Inst {
    pub const ILLEGAL: Inst = Inst {
        op: Op::Illegal,
        rd: 0,
        rs1: 0,
        rs2: 0,
        imm: 0,
    };

    pub fn class(&self) -> InstClass {
        use Op::*;
        match self.op {
            Lui | Auipc | Addi | Slti | Sltiu | Xori | Ori | Andi | Slli | Srli | Srai | Add
            | Sub | Sll | Slt | Sltu | Xor | Srl | Sra | Or | And => InstClass::Alu,
            Mul | Mulh | Mulhsu | Mulhu => InstClass::Mul,
            Div | Divu | Rem | Remu => InstClass::Div,
            Lb | Lh | Lw | Lbu | Lhu => InstClass::Load,
            Sb | Sh | Sw => InstClass::Store,
            Beq | Bne | Blt | Bge | Bltu | Bgeu => InstClass::Branch,
            Jal | Jalr => InstClass::Jump,
            Csrrw | Csrrs | Csrrc | Csrrwi | Csrrsi | Csrrci => InstClass::Csr,
            Ecall | Ebreak | Mret | Wfi => InstClass::System,
            Fence | FenceI => InstClass::Fence,
            Illegal => InstClass::Illegal,
        }
    }

    /// Whether the instruction reads register `rs1` (x0 included).
    pub fn reads_rs1(&self) -> bool {
        use Op::*;
        !matches!(
            self.op,
            Lui | Auipc
                | Jal
                | Fence
                | FenceI
                | Ecall
                | Ebreak
                | Mret
                | Wfi
                | Csrrwi
                | Csrrsi
                | Csrrci
                | Illegal
        )
    }

    /// Whether the instruction reads register `rs2` (stores read it as data).
    pub fn reads_rs2(&self) -> bool {
        matches!(
            self.class(),
            InstClass::Branch | InstClass::Store | InstClass::Mul | InstClass::Div
        ) || matches!(
            self.op,
            Op::Add
                | Op::Sub
                | Op::Sll
                | Op::Slt
                | Op::Sltu
                | Op::Xor
                | Op::Srl
                | Op::Sra
                | Op::Or
                | Op::And
        )
    }

    /// The register this instruction writes, if any (never x0).
    pub fn dest(&self) -> Option<u8> {
        let writes = !matches!(
            self.class(),
            InstClass::Branch
                | InstClass::Store
                | InstClass::System
                | InstClass::Fence
                | InstClass::Illegal
        );
        (writes && self.rd != 0).then_some(self.rd)
    }

    pub fn is_load(&self) -> bool {
        self.class() == InstClass::Load
    }

    pub fn is_store(&self) -> bool {
        self.class() == InstClass::Store
    }

    /// Whether the instruction can change the pc other than to pc + 4.
    pub fn is_control(&self) -> bool {
        matches!(self.class(), InstClass::Branch | InstClass::Jump)
    }
}
