//! The only place that reads instruction bits. Every consumer works on the
//! `Inst` this produces.

use super::inst::{Inst, Op};

#[inline]
fn rd(w: u32) -> u8 {
    ((w >> 7) & 31) as u8
}
#[inline]
fn rs1(w: u32) -> u8 {
    ((w >> 15) & 31) as u8
}
#[inline]
fn rs2(w: u32) -> u8 {
    ((w >> 20) & 31) as u8
}
#[inline]
fn funct3(w: u32) -> u32 {
    (w >> 12) & 7
}
#[inline]
fn funct7(w: u32) -> u32 {
    w >> 25
}
#[inline]
fn imm_i(w: u32) -> i32 {
    (w as i32) >> 20
}
#[inline]
fn imm_s(w: u32) -> i32 {
    (((w as i32) >> 25) << 5) | ((w >> 7) & 0x1f) as i32
}
#[inline]
fn imm_b(w: u32) -> i32 {
    (((w as i32) >> 31) << 12)
        | (((w >> 7) & 1) << 11) as i32
        | (((w >> 25) & 0x3f) << 5) as i32
        | (((w >> 8) & 0xf) << 1) as i32
}
#[inline]
fn imm_u(w: u32) -> i32 {
    (w & 0xffff_f000) as i32
}
#[inline]
fn imm_j(w: u32) -> i32 {
    (((w as i32) >> 31) << 20)
        | (w & 0x000f_f000) as i32
        | (((w >> 20) & 1) << 11) as i32
        | (((w >> 21) & 0x3ff) << 1) as i32
}

fn r(op: Op, w: u32) -> Inst {
    Inst {
        op,
        rd: rd(w),
        rs1: rs1(w),
        rs2: rs2(w),
        imm: 0,
        len: 4,
    }
}
fn i(op: Op, w: u32) -> Inst {
    Inst {
        op,
        rd: rd(w),
        rs1: rs1(w),
        rs2: 0,
        imm: imm_i(w),
        len: 4,
    }
}

/// The length in bytes (2 or 4) of the instruction whose first 16-bit
/// parcel is `parcel`: low bits `11` mark a 32-bit instruction, anything
/// else a compressed one (longer encodings do not exist in RV32 and decode
/// as illegal 32-bit ones).
#[inline(always)]
pub fn inst_len(parcel: u32) -> u32 {
    if parcel & 3 == 3 { 4 } else { 2 }
}

/// The instruction bits of the instruction starting with the low parcel
/// of `w`: all 32 bits for a 32-bit instruction, the low 16 for a
/// compressed one (what `mtval` and listings show).
#[inline(always)]
pub fn inst_bits(w: u32) -> u32 {
    if w & 3 == 3 { w } else { w & 0xffff }
}

/// Decodes the instruction at the start of `w` (little-endian: the first
/// parcel in the low 16 bits). A compressed instruction uses only the low
/// 16 bits and decodes to the base instruction it expands to, with `len`
/// 2. Encodings outside RV32IMAC + Zicsr + Zifencei (including the reserved
/// compressed ones and the all-zero parcel) give `Op::Illegal`.
pub fn decode(w: u32) -> Inst {
    use Op::*;
    if w & 3 != 3 {
        return super::decode_c::decode_compressed(w as u16);
    }
    let f3 = funct3(w);
    match (w >> 2) & 0x1f {
        0b01101 => Inst {
            op: Lui,
            rd: rd(w),
            rs1: 0,
            rs2: 0,
            imm: imm_u(w),
            len: 4,
        },
        0b00101 => Inst {
            op: Auipc,
            rd: rd(w),
            rs1: 0,
            rs2: 0,
            imm: imm_u(w),
            len: 4,
        },
        0b11011 => Inst {
            op: Jal,
            rd: rd(w),
            rs1: 0,
            rs2: 0,
            imm: imm_j(w),
            len: 4,
        },
        0b11001 if f3 == 0 => i(Jalr, w),
        0b11000 => {
            let op = match f3 {
                0 => Beq,
                1 => Bne,
                4 => Blt,
                5 => Bge,
                6 => Bltu,
                7 => Bgeu,
                _ => return Inst::ILLEGAL,
            };
            Inst {
                op,
                rd: 0,
                rs1: rs1(w),
                rs2: rs2(w),
                imm: imm_b(w),
                len: 4,
            }
        }
        0b00000 => {
            let op = match f3 {
                0 => Lb,
                1 => Lh,
                2 => Lw,
                4 => Lbu,
                5 => Lhu,
                _ => return Inst::ILLEGAL,
            };
            i(op, w)
        }
        0b01000 => {
            let op = match f3 {
                0 => Sb,
                1 => Sh,
                2 => Sw,
                _ => return Inst::ILLEGAL,
            };
            Inst {
                op,
                rd: 0,
                rs1: rs1(w),
                rs2: rs2(w),
                imm: imm_s(w),
                len: 4,
            }
        }
        0b00100 => {
            let op = match (f3, funct7(w)) {
                (0, _) => Addi,
                (2, _) => Slti,
                (3, _) => Sltiu,
                (4, _) => Xori,
                (6, _) => Ori,
                (7, _) => Andi,
                (1, 0) => Slli,
                (5, 0) => Srli,
                (5, 0b0100000) => Srai,
                _ => return Inst::ILLEGAL,
            };
            let mut inst = i(op, w);
            if matches!(op, Slli | Srli | Srai) {
                inst.imm &= 31;
            }
            inst
        }
        0b01100 => {
            let op = match (funct7(w), f3) {
                (0, 0) => Add,
                (0, 1) => Sll,
                (0, 2) => Slt,
                (0, 3) => Sltu,
                (0, 4) => Xor,
                (0, 5) => Srl,
                (0, 6) => Or,
                (0, 7) => And,
                (0b0100000, 0) => Sub,
                (0b0100000, 5) => Sra,
                (1, 0) => Mul,
                (1, 1) => Mulh,
                (1, 2) => Mulhsu,
                (1, 3) => Mulhu,
                (1, 4) => Div,
                (1, 5) => Divu,
                (1, 6) => Rem,
                (1, 7) => Remu,
                _ => return Inst::ILLEGAL,
            };
            r(op, w)
        }
        0b01011 if f3 == 2 => {
            let op = match w >> 27 {
                0b00010 if rs2(w) == 0 => LrW,
                0b00011 => ScW,
                0b00001 => AmoswapW,
                0b00000 => AmoaddW,
                0b00100 => AmoxorW,
                0b01100 => AmoandW,
                0b01000 => AmoorW,
                0b10000 => AmominW,
                0b10100 => AmomaxW,
                0b11000 => AmominuW,
                0b11100 => AmomaxuW,
                _ => return Inst::ILLEGAL,
            };
            Inst {
                op,
                rd: rd(w),
                rs1: rs1(w),
                rs2: rs2(w),
                imm: ((w >> 25) & 3) as i32,
                len: 4,
            }
        }
        0b00011 => match f3 {
            0 => Inst {
                op: Fence,
                rd: rd(w),
                rs1: rs1(w),
                rs2: 0,
                imm: (w >> 20) as i32,
                len: 4,
            },
            1 => Inst {
                op: FenceI,
                ..Inst::ILLEGAL
            },
            _ => Inst::ILLEGAL,
        },
        0b11100 => {
            if f3 == 0 {
                if rd(w) != 0 || rs1(w) != 0 {
                    return Inst::ILLEGAL;
                }
                let op = match w >> 20 {
                    0x000 => Ecall,
                    0x001 => Ebreak,
                    0x302 => Mret,
                    0x105 => Wfi,
                    _ => return Inst::ILLEGAL,
                };
                return Inst {
                    op,
                    ..Inst::ILLEGAL
                };
            }
            let op = match f3 {
                1 => Csrrw,
                2 => Csrrs,
                3 => Csrrc,
                5 => Csrrwi,
                6 => Csrrsi,
                7 => Csrrci,
                _ => return Inst::ILLEGAL,
            };
            Inst {
                op,
                rd: rd(w),
                rs1: rs1(w),
                rs2: 0,
                imm: (w >> 20) as i32,
                len: 4,
            }
        }
        _ => Inst::ILLEGAL,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn immediates_sign_extend() {
        // addi a0, a0, -1
        assert_eq!(decode(0xfff5_0513).imm, -1);
        // jal zero, -4 (0xffdff06f)
        let j = decode(0xffdf_f06f);
        assert_eq!((j.op, j.imm), (Op::Jal, -4));
        // beq zero, zero, -8 (0xfe000ce3)
        let b = decode(0xfe00_0ce3);
        assert_eq!((b.op, b.imm), (Op::Beq, -8));
        // sw a0, -4(sp): 0xfea12e23
        let s = decode(0xfea1_2e23);
        assert_eq!((s.op, s.rs1, s.rs2, s.imm), (Op::Sw, 2, 10, -4));
        // lui a0, 0xfffff
        assert_eq!(decode(0xffff_f537).imm, 0xffff_f000u32 as i32);
    }

    #[test]
    fn reserved_encodings_are_illegal() {
        for w in [
            0x0000_0000u32,          // all zeros: defined illegal
            0xffff_ffff,             // all ones
            0x0000_2000,             // c.fld (no D extension)
            0x0200_1013,             // slli with imm[5] set (RV64 only)
            0x4000_0033 | (1 << 12), // funct7 0100000 with sll
            0x0000_2063,             // branch funct3 010
            0x0000_3003,             // ld (RV64)
            0x0000_4073,             // SYSTEM funct3 100
            0x1050_0073 | (1 << 7),  // wfi with rd != 0
        ] {
            assert_eq!(decode(w).op, Op::Illegal, "{w:#010x}");
        }
    }
}
