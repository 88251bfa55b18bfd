//! The decoded instruction: one typed value that the executor, the pipeline,
//! the disassembler and the statistics all read.

use serde::{Deserialize, Serialize};

/// Every RV32IMAC + Zicsr + Zifencei operation (compressed instructions
/// share the operations they expand to), plus `Illegal` for encodings
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
    LrW,
    ScW,
    AmoswapW,
    AmoaddW,
    AmoxorW,
    AmoandW,
    AmoorW,
    AmominW,
    AmomaxW,
    AmominuW,
    AmomaxuW,
    Illegal,
}

impl Op {
    /// `lr.w`, `sc.w` and the `amo*.w`.
    pub const fn is_atomic(self) -> bool {
        matches!(op_class(self), InstClass::Atomic)
    }

    /// Every operation, in declaration order.
    pub const ALL: [Op; 69] = [
        Op::Lui,
        Op::Auipc,
        Op::Jal,
        Op::Jalr,
        Op::Beq,
        Op::Bne,
        Op::Blt,
        Op::Bge,
        Op::Bltu,
        Op::Bgeu,
        Op::Lb,
        Op::Lh,
        Op::Lw,
        Op::Lbu,
        Op::Lhu,
        Op::Sb,
        Op::Sh,
        Op::Sw,
        Op::Addi,
        Op::Slti,
        Op::Sltiu,
        Op::Xori,
        Op::Ori,
        Op::Andi,
        Op::Slli,
        Op::Srli,
        Op::Srai,
        Op::Add,
        Op::Sub,
        Op::Sll,
        Op::Slt,
        Op::Sltu,
        Op::Xor,
        Op::Srl,
        Op::Sra,
        Op::Or,
        Op::And,
        Op::Mul,
        Op::Mulh,
        Op::Mulhsu,
        Op::Mulhu,
        Op::Div,
        Op::Divu,
        Op::Rem,
        Op::Remu,
        Op::Fence,
        Op::FenceI,
        Op::Ecall,
        Op::Ebreak,
        Op::Mret,
        Op::Wfi,
        Op::Csrrw,
        Op::Csrrs,
        Op::Csrrc,
        Op::Csrrwi,
        Op::Csrrsi,
        Op::Csrrci,
        Op::LrW,
        Op::ScW,
        Op::AmoswapW,
        Op::AmoaddW,
        Op::AmoxorW,
        Op::AmoandW,
        Op::AmoorW,
        Op::AmominW,
        Op::AmomaxW,
        Op::AmominuW,
        Op::AmomaxuW,
        Op::Illegal,
    ];
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
    /// `lr.w`, `sc.w` and the `amo*.w`: read (and write) memory in MEM.
    Atomic,
}

impl InstClass {
    pub const ALL: [InstClass; 12] = [
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
        InstClass::Atomic,
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
            InstClass::Atomic => "atomic",
        }
    }
}

/// A decoded instruction. Fields an operation does not use are zero.
///
/// A compressed (RV32C) instruction decodes to the base instruction it
/// expands to, with `len` 2: everything downstream treats the two alike
/// except for where the next instruction starts.
///
/// `imm` holds the sign-extended immediate; for CSR operations it holds the
/// CSR number, and for the `*i` CSR forms `rs1` holds the 5-bit immediate
/// (so `reads_rs1` is false for them). For `fence` it holds bits 31:20.
/// For the atomics it holds the aq (bit 1) and rl (bit 0) bits; their
/// address is rs1 itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Inst {
    pub op: Op,
    pub rd: u8,
    pub rs1: u8,
    pub rs2: u8,
    pub imm: i32,
    /// Encoding length in bytes: 2 (compressed) or 4.
    pub len: u8,
}

impl Inst {
    pub const ILLEGAL: Inst = Inst {
        op: Op::Illegal,
        rd: 0,
        rs1: 0,
        rs2: 0,
        imm: 0,
        len: 4,
    };

    /// The address of the next instruction in program order.
    #[inline(always)]
    pub fn next_pc(&self, pc: u32) -> u32 {
        pc.wrapping_add(self.len as u32)
    }

    /// Whether this was encoded as a 16-bit (RV32C) instruction.
    #[inline(always)]
    pub fn is_compressed(&self) -> bool {
        self.len == 2
    }

    #[inline(always)]
    pub fn class(&self) -> InstClass {
        OP_INFO[self.op as usize].class
    }

    /// Whether the instruction reads register `rs1` (x0 included).
    #[inline(always)]
    pub fn reads_rs1(&self) -> bool {
        OP_INFO[self.op as usize].reads_rs1
    }

    /// Whether the instruction reads register `rs2` (stores read it as data).
    #[inline(always)]
    pub fn reads_rs2(&self) -> bool {
        OP_INFO[self.op as usize].reads_rs2
    }

    /// The register this instruction writes, if any (never x0).
    #[inline(always)]
    pub fn dest(&self) -> Option<u8> {
        (OP_INFO[self.op as usize].writes_rd && self.rd != 0).then_some(self.rd)
    }

    #[inline(always)]
    pub fn is_load(&self) -> bool {
        self.class() == InstClass::Load
    }

    #[inline(always)]
    pub fn is_store(&self) -> bool {
        self.class() == InstClass::Store
    }

    /// Whether the instruction can change the pc other than to the next
    /// instruction in program order.
    #[inline(always)]
    pub fn is_control(&self) -> bool {
        matches!(self.class(), InstClass::Branch | InstClass::Jump)
    }
}

/// What the pipeline needs to know about an operation, looked up by
/// `Op as usize` (the tables below are computed at compile time from the
/// `match`es, which stay the single definition).
#[derive(Clone, Copy)]
struct OpInfo {
    class: InstClass,
    reads_rs1: bool,
    reads_rs2: bool,
    writes_rd: bool,
}

const OP_INFO: [OpInfo; Op::ALL.len()] = {
    let mut t = [OpInfo {
        class: InstClass::Illegal,
        reads_rs1: false,
        reads_rs2: false,
        writes_rd: false,
    }; Op::ALL.len()];
    let mut i = 0;
    while i < Op::ALL.len() {
        let op = Op::ALL[i];
        let class = op_class(op);
        t[op as usize] = OpInfo {
            class,
            reads_rs1: op_reads_rs1(op),
            reads_rs2: op_reads_rs2(op, class),
            writes_rd: !matches!(
                class,
                InstClass::Branch
                    | InstClass::Store
                    | InstClass::System
                    | InstClass::Fence
                    | InstClass::Illegal
            ),
        };
        i += 1;
    }
    t
};

const fn op_class(op: Op) -> InstClass {
    use Op::*;
    match op {
        Lui | Auipc | Addi | Slti | Sltiu | Xori | Ori | Andi | Slli | Srli | Srai | Add | Sub
        | Sll | Slt | Sltu | Xor | Srl | Sra | Or | And => InstClass::Alu,
        Mul | Mulh | Mulhsu | Mulhu => InstClass::Mul,
        Div | Divu | Rem | Remu => InstClass::Div,
        Lb | Lh | Lw | Lbu | Lhu => InstClass::Load,
        Sb | Sh | Sw => InstClass::Store,
        Beq | Bne | Blt | Bge | Bltu | Bgeu => InstClass::Branch,
        Jal | Jalr => InstClass::Jump,
        Csrrw | Csrrs | Csrrc | Csrrwi | Csrrsi | Csrrci => InstClass::Csr,
        Ecall | Ebreak | Mret | Wfi => InstClass::System,
        Fence | FenceI => InstClass::Fence,
        LrW | ScW | AmoswapW | AmoaddW | AmoxorW | AmoandW | AmoorW | AmominW | AmomaxW
        | AmominuW | AmomaxuW => InstClass::Atomic,
        Illegal => InstClass::Illegal,
    }
}

const fn op_reads_rs1(op: Op) -> bool {
    use Op::*;
    !matches!(
        op,
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

const fn op_reads_rs2(op: Op, class: InstClass) -> bool {
    matches!(
        class,
        InstClass::Branch | InstClass::Store | InstClass::Mul | InstClass::Div
    ) || (matches!(class, InstClass::Atomic) && !matches!(op, Op::LrW))
        || matches!(
            op,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn op_all_lists_every_operation_in_order() {
        for (i, op) in Op::ALL.iter().enumerate() {
            assert_eq!(*op as usize, i, "{op:?}");
        }
        assert_eq!(Op::ALL.last(), Some(&Op::Illegal));
    }
}
