//! The compressed (RV32C) half of the decoder: each 16-bit encoding becomes
//! the base instruction it expands to (RISC-V unprivileged spec, chapter
//! "C" Standard Extension, table of RVC instruction listings), with `len` 2.
//!
//! Reserved encodings, the all-zero parcel, and the encodings that belong to
//! extensions Glassbox does not implement (the F and D loads and stores, the
//! RV64/RV128-only forms) decode as illegal. HINT encodings (for example
//! `c.addi x0, 5`, `c.li x0, 1`, `c.slli` by 0) are legal and decode to
//! their expansion, which has no effect, as the spec allows.

use super::inst::{Inst, Op};

/// The register of a 3-bit `rd'`/`rs1'`/`rs2'` field: x8..x15.
#[inline]
fn creg(p: u16, lo: u32) -> u8 {
    8 + ((p as u32 >> lo) & 7) as u8
}

/// The full 5-bit register field at bits `lo + 4 : lo`.
#[inline]
fn reg5(p: u16, lo: u32) -> u8 {
    ((p as u32 >> lo) & 31) as u8
}

/// Bit `from` of the parcel, moved to bit `to`.
#[inline]
fn bit(p: u16, from: u32, to: u32) -> u32 {
    ((p as u32 >> from) & 1) << to
}

/// Bits `from + n - 1 : from` of the parcel, moved to start at bit `to`.
#[inline]
fn bits(p: u16, from: u32, n: u32, to: u32) -> u32 {
    ((p as u32 >> from) & ((1 << n) - 1)) << to
}

/// Sign-extends the low `n` bits of `v`.
#[inline]
fn sext(v: u32, n: u32) -> i32 {
    ((v << (32 - n)) as i32) >> (32 - n)
}

fn inst(op: Op, rd: u8, rs1: u8, rs2: u8, imm: i32) -> Inst {
    Inst {
        op,
        rd,
        rs1,
        rs2,
        imm,
        len: 2,
    }
}

const ILLEGAL: Inst = Inst {
    len: 2,
    ..Inst::ILLEGAL
};

/// The 6-bit signed immediate of CI-format instructions: imm[5] at bit 12,
/// imm[4:0] at bits 6:2.
fn ci_imm(p: u16) -> i32 {
    sext(bit(p, 12, 5) | bits(p, 2, 5, 0), 6)
}

/// The 6-bit shift amount of c.slli/c.srli/c.srai, or `None` where RV32
/// reserves it (shamt[5] set).
fn shamt(p: u16) -> Option<i32> {
    (p >> 12 & 1 == 0).then(|| bits(p, 2, 5, 0) as i32)
}

/// c.lw / c.sw offset: uimm[5:3] at 12:10, uimm[2] at 6, uimm[6] at 5.
fn cl_offset(p: u16) -> i32 {
    (bits(p, 10, 3, 3) | bit(p, 6, 2) | bit(p, 5, 6)) as i32
}

/// c.j / c.jal offset: imm[11|4|9:8|10|6|7|3:1|5] at bits 12:2.
fn cj_offset(p: u16) -> i32 {
    let v = bit(p, 12, 11)
        | bit(p, 11, 4)
        | bits(p, 9, 2, 8)
        | bit(p, 8, 10)
        | bit(p, 7, 6)
        | bit(p, 6, 7)
        | bits(p, 3, 3, 1)
        | bit(p, 2, 5);
    sext(v, 12)
}

/// c.beqz / c.bnez offset: imm[8|4:3] at 12:10, imm[7:6|2:1|5] at 6:2.
fn cb_offset(p: u16) -> i32 {
    let v = bit(p, 12, 8) | bits(p, 10, 2, 3) | bits(p, 5, 2, 6) | bits(p, 3, 2, 1) | bit(p, 2, 5);
    sext(v, 9)
}

/// Decodes one 16-bit parcel (its low two bits are not `11`).
pub fn decode_compressed(p: u16) -> Inst {
    use Op::*;
    let funct3 = p >> 13;
    match (p & 3, funct3) {
        // ---- quadrant 0 ----
        (0, 0b000) => {
            // c.addi4spn: nzuimm[5:4|9:6|2|3] at bits 12:5.
            let imm = bits(p, 11, 2, 4) | bits(p, 7, 4, 6) | bit(p, 6, 2) | bit(p, 5, 3);
            if imm == 0 {
                // Includes the all-zero parcel, defined illegal.
                return ILLEGAL;
            }
            inst(Addi, creg(p, 2), 2, 0, imm as i32)
        }
        (0, 0b010) => inst(Lw, creg(p, 2), creg(p, 7), 0, cl_offset(p)),
        (0, 0b110) => inst(Sw, 0, creg(p, 7), creg(p, 2), cl_offset(p)),
        // c.fld, c.flw, c.fsd, c.fsw (no F or D) and the reserved 100.
        (0, _) => ILLEGAL,

        // ---- quadrant 1 ----
        (1, 0b000) => {
            // c.nop / c.addi (HINTs when rd = x0 or the immediate is 0).
            let rd = reg5(p, 7);
            inst(Addi, rd, rd, 0, ci_imm(p))
        }
        (1, 0b001) => inst(Jal, 1, 0, 0, cj_offset(p)),
        (1, 0b010) => inst(Addi, reg5(p, 7), 0, 0, ci_imm(p)),
        (1, 0b011) => {
            let rd = reg5(p, 7);
            if rd == 2 {
                // c.addi16sp: nzimm[9] at 12, nzimm[4|6|8:7|5] at 6:2.
                let v =
                    bit(p, 12, 9) | bit(p, 6, 4) | bit(p, 5, 6) | bits(p, 3, 2, 7) | bit(p, 2, 5);
                if v == 0 {
                    return ILLEGAL;
                }
                inst(Addi, 2, 2, 0, sext(v, 10))
            } else {
                // c.lui: nzimm[17] at 12, nzimm[16:12] at 6:2.
                let imm = ci_imm(p);
                if imm == 0 {
                    return ILLEGAL;
                }
                inst(Lui, rd, 0, 0, imm << 12)
            }
        }
        (1, 0b100) => {
            let rd = creg(p, 7);
            match (p >> 10) & 3 {
                0b00 => match shamt(p) {
                    Some(s) => inst(Srli, rd, rd, 0, s),
                    None => ILLEGAL,
                },
                0b01 => match shamt(p) {
                    Some(s) => inst(Srai, rd, rd, 0, s),
                    None => ILLEGAL,
                },
                0b10 => inst(Andi, rd, rd, 0, ci_imm(p)),
                _ => {
                    if p >> 12 & 1 != 0 {
                        // c.subw, c.addw (RV64) and reserved encodings.
                        return ILLEGAL;
                    }
                    let op = match (p >> 5) & 3 {
                        0b00 => Sub,
                        0b01 => Xor,
                        0b10 => Or,
                        _ => And,
                    };
                    inst(op, rd, rd, creg(p, 2), 0)
                }
            }
        }
        (1, 0b101) => inst(Jal, 0, 0, 0, cj_offset(p)),
        (1, 0b110) => inst(Beq, 0, creg(p, 7), 0, cb_offset(p)),
        (1, _) => inst(Bne, 0, creg(p, 7), 0, cb_offset(p)),

        // ---- quadrant 2 ----
        (2, 0b000) => {
            let rd = reg5(p, 7);
            match shamt(p) {
                Some(s) => inst(Slli, rd, rd, 0, s),
                None => ILLEGAL,
            }
        }
        (2, 0b010) => {
            // c.lwsp: uimm[5] at 12, uimm[4:2|7:6] at 6:2; rd = x0 reserved.
            let rd = reg5(p, 7);
            if rd == 0 {
                return ILLEGAL;
            }
            let imm = bit(p, 12, 5) | bits(p, 4, 3, 2) | bits(p, 2, 2, 6);
            inst(Lw, rd, 2, 0, imm as i32)
        }
        (2, 0b100) => {
            let (r1, r2) = (reg5(p, 7), reg5(p, 2));
            match (p >> 12 & 1, r1, r2) {
                (0, 0, 0) => ILLEGAL, // c.jr x0: reserved
                (0, _, 0) => inst(Jalr, 0, r1, 0, 0),
                (0, _, _) => inst(Add, r1, 0, r2, 0), // c.mv
                (_, 0, 0) => inst(Ebreak, 0, 0, 0, 0),
                (_, _, 0) => inst(Jalr, 1, r1, 0, 0),
                _ => inst(Add, r1, r1, r2, 0), // c.add
            }
        }
        (2, 0b110) => {
            // c.swsp: uimm[5:2|7:6] at 12:7.
            let imm = bits(p, 9, 4, 2) | bits(p, 7, 2, 6);
            inst(Sw, 0, 2, reg5(p, 2), imm as i32)
        }
        // c.fldsp, c.flwsp, c.fsdsp, c.fswsp.
        _ => ILLEGAL,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Words and expansions from `riscv64-unknown-elf-as -march=rv32imac`
    /// and `objdump -M no-aliases` (binutils 2.40).
    #[test]
    fn known_parcels_expand() {
        use Op::*;
        for (p, want) in [
            (0x0808, (Addi, 10, 2, 0, 16)),    // c.addi4spn a0,sp,16
            (0x414c, (Lw, 11, 10, 0, 4)),      // c.lw a1,4(a0)
            (0xc50c, (Sw, 0, 10, 11, 8)),      // c.sw a1,8(a0)
            (0x0001, (Addi, 0, 0, 0, 0)),      // c.nop
            (0x0505, (Addi, 10, 10, 0, 1)),    // c.addi a0,1
            (0x4515, (Addi, 10, 0, 0, 5)),     // c.li a0,5
            (0x713d, (Addi, 2, 2, 0, -32)),    // c.addi16sp sp,-32
            (0x6585, (Lui, 11, 0, 0, 0x1000)), // c.lui a1,0x1
            (0x810d, (Srli, 10, 10, 0, 3)),    // c.srli a0,0x3
            (0x850d, (Srai, 10, 10, 0, 3)),    // c.srai a0,0x3
            (0x890d, (Andi, 10, 10, 0, 3)),    // c.andi a0,3
            (0x8d0d, (Sub, 10, 10, 11, 0)),    // c.sub a0,a1
            (0x8d2d, (Xor, 10, 10, 11, 0)),    // c.xor a0,a1
            (0x8d4d, (Or, 10, 10, 11, 0)),     // c.or a0,a1
            (0x8d6d, (And, 10, 10, 11, 0)),    // c.and a0,a1
            (0x050e, (Slli, 10, 10, 0, 3)),    // c.slli a0,0x3
            (0x4512, (Lw, 10, 2, 0, 4)),       // c.lwsp a0,4(sp)
            (0x8502, (Jalr, 0, 10, 0, 0)),     // c.jr a0
            (0x852e, (Add, 10, 0, 11, 0)),     // c.mv a0,a1
            (0x9002, (Ebreak, 0, 0, 0, 0)),    // c.ebreak
            (0x9502, (Jalr, 1, 10, 0, 0)),     // c.jalr a0
            (0x952e, (Add, 10, 10, 11, 0)),    // c.add a0,a1
            (0xc22a, (Sw, 0, 2, 10, 4)),       // c.swsp a0,4(sp)
            (0x2001, (Jal, 1, 0, 0, 0)),       // c.jal .
            (0xa001, (Jal, 0, 0, 0, 0)),       // c.j .
            (0xc101, (Beq, 0, 10, 0, 0)),      // c.beqz a0,.
            (0xe101, (Bne, 0, 10, 0, 0)),      // c.bnez a0,.
        ] {
            let i = decode_compressed(p);
            assert_eq!((i.op, i.rd, i.rs1, i.rs2, i.imm), want, "{p:#06x}");
            assert_eq!(i.len, 2);
        }
    }

    #[test]
    fn reserved_parcels_are_illegal() {
        for p in [
            0x0000u16, // all zeros
            0x0004,    // c.addi4spn with nzuimm 0
            0x2000,    // c.fld
            0x6000,    // c.flw
            0x8000,    // reserved
            0x6101,    // c.addi16sp with 0
            0x6501,    // c.lui a0, 0
            0x9005,    // c.srli with shamt[5] (RV32 reserved)
            0x1002,    // c.slli with shamt[5]
            0x9c01,    // c.subw (RV64)
            0x4002,    // c.lwsp x0
            0x8002,    // c.jr x0
            0xe002,    // c.fswsp
        ] {
            let i = decode_compressed(p);
            assert_eq!((i.op, i.len), (Op::Illegal, 2), "{p:#06x}");
        }
    }

    #[test]
    fn offsets_reach_their_extremes() {
        // c.j -2048 (0xb001), c.j +2046 (0x2ffd is c.jal +2046).
        assert_eq!(decode_compressed(0xb001).imm, -2048);
        assert_eq!(decode_compressed(0x2ffd).imm, 2046);
        // c.beqz a0,-256 (0xd101), c.bnez a0,+254 (0xed7d).
        assert_eq!(decode_compressed(0xd101).imm, -256);
        assert_eq!(decode_compressed(0xed7d).imm, 254);
        assert_eq!(decode_compressed(0xed7d).op, Op::Bne);
        // c.lwsp a0,252(sp) (0x557e), c.swsp a0,252(sp) (0xdfaa).
        assert_eq!(decode_compressed(0x557e).imm, 252);
        assert_eq!(decode_compressed(0xdfaa).imm, 252);
        // c.addi4spn a0,sp,1020 (0x1fe8); c.addi16sp sp,496 (0x617d).
        assert_eq!(decode_compressed(0x1fe8).imm, 1020);
        assert_eq!(decode_compressed(0x617d).imm, 496);
        // c.lw a0,124(a1) (0x5de8); c.addi16sp sp,-512 (0x7101).
        assert_eq!(decode_compressed(0x5de8).imm, 124);
        assert_eq!(decode_compressed(0x7101).imm, -512);
        // c.lui a0,0xfffe0 (0x7501) and 0x1f (0x657d).
        assert_eq!(decode_compressed(0x7501).imm, 0xfffe_0000u32 as i32);
        assert_eq!(decode_compressed(0x657d).imm, 0x1f000);
        // c.li a0,-32 (0x5501), c.andi a0,-32 (0x9901).
        assert_eq!(decode_compressed(0x5501).imm, -32);
        assert_eq!(decode_compressed(0x9901).imm, -32);
    }
}
