//! Instruction words from fields: the inverse of `isa::decode`, written from
//! the base ISA's format tables. Callers range-check immediates first; here
//! out-of-range bits are simply masked off.

use crate::isa::Op;

/// Encodes one instruction. `imm` is the offset for I/S/B/J formats, the
/// 20-bit field for `lui`/`auipc`, the shift amount for shifts, the CSR
/// number for CSR operations (with `rs1` holding the register or the 5-bit
/// immediate), and bits 31:20 for `fence`.
pub fn encode(op: Op, rd: u8, rs1: u8, rs2: u8, imm: i32) -> u32 {
    use Op::*;
    let (rd, rs1, rs2) = (u32::from(rd & 31), u32::from(rs1 & 31), u32::from(rs2 & 31));
    let imm_u = imm as u32;
    let r =
        |f7: u32, f3: u32| (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | 0x33;
    let i = |f3: u32, opcode: u32| {
        ((imm_u & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opcode
    };
    let s = |f3: u32| {
        (((imm_u >> 5) & 0x7f) << 25)
            | (rs2 << 20)
            | (rs1 << 15)
            | (f3 << 12)
            | ((imm_u & 0x1f) << 7)
            | 0x23
    };
    let b = |f3: u32| {
        (((imm_u >> 12) & 1) << 31)
            | (((imm_u >> 5) & 0x3f) << 25)
            | (rs2 << 20)
            | (rs1 << 15)
            | (f3 << 12)
            | (((imm_u >> 1) & 0xf) << 8)
            | (((imm_u >> 11) & 1) << 7)
            | 0x63
    };
    let shift = |f7: u32, f3: u32| {
        (f7 << 25) | ((imm_u & 31) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | 0x13
    };
    let csr = |f3: u32| ((imm_u & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | 0x73;
    // The atomics: funct5, aq/rl from `imm`, funct3 = 2 (word).
    let amo = |f5: u32, rs2: u32| {
        (f5 << 27) | ((imm_u & 3) << 25) | (rs2 << 20) | (rs1 << 15) | (2 << 12) | (rd << 7) | 0x2f
    };
    match op {
        Lui => ((imm_u & 0xfffff) << 12) | (rd << 7) | 0x37,
        Auipc => ((imm_u & 0xfffff) << 12) | (rd << 7) | 0x17,
        Jal => {
            (((imm_u >> 20) & 1) << 31)
                | (((imm_u >> 1) & 0x3ff) << 21)
                | (((imm_u >> 11) & 1) << 20)
                | (((imm_u >> 12) & 0xff) << 12)
                | (rd << 7)
                | 0x6f
        }
        Jalr => i(0, 0x67),
        Beq => b(0),
        Bne => b(1),
        Blt => b(4),
        Bge => b(5),
        Bltu => b(6),
        Bgeu => b(7),
        Lb => i(0, 0x03),
        Lh => i(1, 0x03),
        Lw => i(2, 0x03),
        Lbu => i(4, 0x03),
        Lhu => i(5, 0x03),
        Sb => s(0),
        Sh => s(1),
        Sw => s(2),
        Addi => i(0, 0x13),
        Slti => i(2, 0x13),
        Sltiu => i(3, 0x13),
        Xori => i(4, 0x13),
        Ori => i(6, 0x13),
        Andi => i(7, 0x13),
        Slli => shift(0, 1),
        Srli => shift(0, 5),
        Srai => shift(0x20, 5),
        Add => r(0, 0),
        Sub => r(0x20, 0),
        Sll => r(0, 1),
        Slt => r(0, 2),
        Sltu => r(0, 3),
        Xor => r(0, 4),
        Srl => r(0, 5),
        Sra => r(0x20, 5),
        Or => r(0, 6),
        And => r(0, 7),
        Mul => r(1, 0),
        Mulh => r(1, 1),
        Mulhsu => r(1, 2),
        Mulhu => r(1, 3),
        Div => r(1, 4),
        Divu => r(1, 5),
        Rem => r(1, 6),
        Remu => r(1, 7),
        Fence => ((imm_u & 0xfff) << 20) | (rs1 << 15) | (rd << 7) | 0x0f,
        FenceI => (1 << 12) | 0x0f,
        Ecall => 0x73,
        Ebreak => 0x0010_0073,
        Mret => 0x3020_0073,
        Wfi => 0x1050_0073,
        Csrrw => csr(1),
        Csrrs => csr(2),
        Csrrc => csr(3),
        Csrrwi => csr(5),
        Csrrsi => csr(6),
        Csrrci => csr(7),
        LrW => amo(0b00010, 0),
        ScW => amo(0b00011, rs2),
        AmoswapW => amo(0b00001, rs2),
        AmoaddW => amo(0b00000, rs2),
        AmoxorW => amo(0b00100, rs2),
        AmoandW => amo(0b01100, rs2),
        AmoorW => amo(0b01000, rs2),
        AmominW => amo(0b10000, rs2),
        AmomaxW => amo(0b10100, rs2),
        AmominuW => amo(0b11000, rs2),
        AmomaxuW => amo(0b11100, rs2),
        Illegal => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::isa::{Inst, decode};

    /// Every operation round-trips through the decoder with awkward fields.
    #[test]
    fn encode_is_the_inverse_of_decode() {
        for &op in Op::ALL.iter().filter(|&&op| op != Op::Illegal) {
            for imm in [0, 1, -1, 2047, -2048, 0x7fe, -4096, 4094, 0x1234] {
                let w = encode(op, 5, 6, 7, imm);
                let d: Inst = decode(w);
                assert_eq!(d.op, op, "{op:?} {imm} {w:#010x}");
                assert_eq!(
                    encode(d.op, d.rd, d.rs1, d.rs2, reencode_imm(op, d.imm)),
                    w,
                    "{op:?} {imm}"
                );
            }
        }
    }

    /// The decoder sign-extends and shifts some immediates; undo that.
    fn reencode_imm(op: Op, imm: i32) -> i32 {
        match op {
            Op::Lui | Op::Auipc => ((imm as u32) >> 12) as i32,
            _ if op.is_atomic() => imm & 3,
            _ => imm,
        }
    }
}
