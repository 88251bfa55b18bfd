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

/// Every RV32C instruction, named as GNU objdump prints them (`c.addi4spn`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum COp {
    Addi4spn,
    Lw,
    Sw,
    Nop,
    Addi,
    Jal,
    Li,
    Addi16sp,
    Lui,
    Srli,
    Srai,
    Andi,
    Sub,
    Xor,
    Or,
    And,
    J,
    Beqz,
    Bnez,
    Slli,
    Lwsp,
    Jr,
    Mv,
    Ebreak,
    Jalr,
    Add,
    Swsp,
    Unimp,
}

impl COp {
    pub const ALL: [COp; 28] = [
        COp::Addi4spn,
        COp::Lw,
        COp::Sw,
        COp::Nop,
        COp::Addi,
        COp::Jal,
        COp::Li,
        COp::Addi16sp,
        COp::Lui,
        COp::Srli,
        COp::Srai,
        COp::Andi,
        COp::Sub,
        COp::Xor,
        COp::Or,
        COp::And,
        COp::J,
        COp::Beqz,
        COp::Bnez,
        COp::Slli,
        COp::Lwsp,
        COp::Jr,
        COp::Mv,
        COp::Ebreak,
        COp::Jalr,
        COp::Add,
        COp::Swsp,
        COp::Unimp,
    ];

    /// The assembler mnemonic (`c.addi4spn`).
    pub fn name(self) -> &'static str {
        use COp::*;
        match self {
            Addi4spn => "c.addi4spn",
            Lw => "c.lw",
            Sw => "c.sw",
            Nop => "c.nop",
            Addi => "c.addi",
            Jal => "c.jal",
            Li => "c.li",
            Addi16sp => "c.addi16sp",
            Lui => "c.lui",
            Srli => "c.srli",
            Srai => "c.srai",
            Andi => "c.andi",
            Sub => "c.sub",
            Xor => "c.xor",
            Or => "c.or",
            And => "c.and",
            J => "c.j",
            Beqz => "c.beqz",
            Bnez => "c.bnez",
            Slli => "c.slli",
            Lwsp => "c.lwsp",
            Jr => "c.jr",
            Mv => "c.mv",
            Ebreak => "c.ebreak",
            Jalr => "c.jalr",
            Add => "c.add",
            Swsp => "c.swsp",
            Unimp => "c.unimp",
        }
    }

    /// Whether `imm` (in the units of the expanded instruction: bytes for
    /// offsets, the shifted value for `c.lui`) has an encoding, reserved
    /// encodings excluded. HINT encodings (`c.addi` by 0, shifts by 0)
    /// count as encodable.
    pub fn imm_fits(self, imm: i32) -> bool {
        use COp::*;
        let r = |lo: i32, hi: i32, step: i32| (lo..=hi).contains(&imm) && imm % step == 0;
        match self {
            Addi4spn => imm != 0 && r(0, 1020, 4),
            Lw | Sw => r(0, 124, 4),
            Lwsp | Swsp => r(0, 252, 4),
            Addi | Li | Andi => r(-32, 31, 1),
            Addi16sp => imm != 0 && r(-512, 496, 16),
            Lui => imm != 0 && imm & 0xfff == 0 && r(-32 << 12, 31 << 12, 1),
            Srli | Srai | Slli => r(0, 31, 1),
            Jal | J => r(-2048, 2046, 2),
            Beqz | Bnez => r(-256, 254, 2),
            Nop | Sub | Xor | Or | And | Jr | Mv | Ebreak | Jalr | Add | Unimp => imm == 0,
        }
    }
}

/// Bits `lo + n - 1 : lo` of `v`, moved to start at bit `at`: the inverse
/// of [`bits`], which takes them out of a parcel.
#[inline]
fn field(v: u32, lo: u32, n: u32, at: u32) -> u16 {
    (((v >> lo) & ((1 << n) - 1)) << at) as u16
}

/// The 3-bit field of register x8..x15 (the caller checks the range).
#[inline]
fn cfield(r: u8, at: u32) -> u16 {
    (u16::from(r.wrapping_sub(8)) & 7) << at
}

/// The 5-bit register field at `at`.
#[inline]
fn rfield(r: u8, at: u32) -> u16 {
    (u16::from(r) & 31) << at
}

/// Inverse of [`ci_imm`].
fn ci_bits(imm: i32) -> u16 {
    let v = imm as u32;
    field(v, 5, 1, 12) | field(v, 0, 5, 2)
}

/// Inverse of [`cl_offset`].
fn cl_bits(imm: i32) -> u16 {
    let v = imm as u32;
    field(v, 3, 3, 10) | field(v, 2, 1, 6) | field(v, 6, 1, 5)
}

/// Inverse of [`cj_offset`].
fn cj_bits(imm: i32) -> u16 {
    let v = imm as u32;
    field(v, 11, 1, 12)
        | field(v, 4, 1, 11)
        | field(v, 8, 2, 9)
        | field(v, 10, 1, 8)
        | field(v, 6, 1, 7)
        | field(v, 7, 1, 6)
        | field(v, 1, 3, 3)
        | field(v, 5, 1, 2)
}

/// Inverse of [`cb_offset`].
fn cb_bits(imm: i32) -> u16 {
    let v = imm as u32;
    field(v, 8, 1, 12)
        | field(v, 3, 2, 10)
        | field(v, 6, 2, 5)
        | field(v, 1, 2, 3)
        | field(v, 5, 1, 2)
}

/// Encodes one compressed instruction from the fields of the base
/// instruction it expands to (so `decode_compressed` gives them back):
/// `c.lw a0, 4(a1)` is `(Lw, rd 10, rs1 11, _, 4)`, `c.mv a0, a1` is
/// `(Mv, rd 10, _, rs2 11, _)`, `c.lui` takes the shifted value. Callers
/// check registers and [`COp::imm_fits`] first; here fields are masked.
pub fn encode_compressed(op: COp, rd: u8, rs1: u8, rs2: u8, imm: i32) -> u16 {
    use COp::*;
    let v = imm as u32;
    // Quadrant, funct3, and the rest.
    let q = |quadrant: u16, funct3: u16, rest: u16| (funct3 << 13) | rest | quadrant;
    let arith = |funct2: u16| {
        q(
            1,
            0b100,
            (0b011 << 10) | cfield(rd, 7) | (funct2 << 5) | cfield(rs2, 2),
        )
    };
    match op {
        Addi4spn => q(
            0,
            0b000,
            field(v, 4, 2, 11)
                | field(v, 6, 4, 7)
                | field(v, 2, 1, 6)
                | field(v, 3, 1, 5)
                | cfield(rd, 2),
        ),
        Lw => q(0, 0b010, cl_bits(imm) | cfield(rs1, 7) | cfield(rd, 2)),
        Sw => q(0, 0b110, cl_bits(imm) | cfield(rs1, 7) | cfield(rs2, 2)),
        Nop => q(1, 0b000, 0),
        Addi => q(1, 0b000, rfield(rd, 7) | ci_bits(imm)),
        Jal => q(1, 0b001, cj_bits(imm)),
        Li => q(1, 0b010, rfield(rd, 7) | ci_bits(imm)),
        Addi16sp => q(
            1,
            0b011,
            field(v, 9, 1, 12)
                | rfield(2, 7)
                | field(v, 4, 1, 6)
                | field(v, 6, 1, 5)
                | field(v, 7, 2, 3)
                | field(v, 5, 1, 2),
        ),
        Lui => q(1, 0b011, rfield(rd, 7) | ci_bits(imm >> 12)),
        Srli => q(1, 0b100, cfield(rd, 7) | ci_bits(imm)),
        Srai => q(1, 0b100, (0b01 << 10) | cfield(rd, 7) | ci_bits(imm)),
        Andi => q(1, 0b100, (0b10 << 10) | cfield(rd, 7) | ci_bits(imm)),
        Sub => arith(0b00),
        Xor => arith(0b01),
        Or => arith(0b10),
        And => arith(0b11),
        J => q(1, 0b101, cj_bits(imm)),
        Beqz => q(1, 0b110, cfield(rs1, 7) | cb_bits(imm)),
        Bnez => q(1, 0b111, cfield(rs1, 7) | cb_bits(imm)),
        Slli => q(2, 0b000, rfield(rd, 7) | ci_bits(imm)),
        Lwsp => q(
            2,
            0b010,
            field(v, 5, 1, 12) | rfield(rd, 7) | field(v, 2, 3, 4) | field(v, 6, 2, 2),
        ),
        Jr => q(2, 0b100, rfield(rs1, 7)),
        Mv => q(2, 0b100, rfield(rd, 7) | rfield(rs2, 2)),
        Ebreak => q(2, 0b100, 1 << 12),
        Jalr => q(2, 0b100, (1 << 12) | rfield(rs1, 7)),
        Add => q(2, 0b100, (1 << 12) | rfield(rd, 7) | rfield(rs2, 2)),
        Swsp => q(
            2,
            0b110,
            field(v, 2, 4, 9) | field(v, 6, 2, 7) | rfield(rs2, 2),
        ),
        Unimp => 0,
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

    /// `encode_compressed` is the inverse of `decode_compressed` for every
    /// instruction, every register it can name and awkward immediates.
    #[test]
    fn encode_is_the_inverse_of_decode() {
        let imms = [
            -2048, -512, -256, -32, -16, -2, -1, 0, 1, 2, 4, 16, 31, 32, 124, 252, 254, 496, 1020,
            2046, 0x1000, 0x1f000, -0x1000, -0x20000,
        ];
        let mut checked = 0;
        for op in COp::ALL {
            for r1 in 0..32u8 {
                for r2 in [0u8, 1, 2, 8, 9, 15, 31] {
                    for imm in imms.into_iter().filter(|&i| op.imm_fits(i)) {
                        // The expanded instruction this form stands for.
                        let want = match op {
                            COp::Addi4spn => (Op::Addi, r1, 2, 0, imm),
                            COp::Lw => (Op::Lw, r1, r2, 0, imm),
                            COp::Sw => (Op::Sw, 0, r1, r2, imm),
                            COp::Nop => (Op::Addi, 0, 0, 0, 0),
                            COp::Addi => (Op::Addi, r1, r1, 0, imm),
                            COp::Jal => (Op::Jal, 1, 0, 0, imm),
                            COp::Li => (Op::Addi, r1, 0, 0, imm),
                            COp::Addi16sp => (Op::Addi, 2, 2, 0, imm),
                            COp::Lui => (Op::Lui, r1, 0, 0, imm),
                            COp::Srli => (Op::Srli, r1, r1, 0, imm),
                            COp::Srai => (Op::Srai, r1, r1, 0, imm),
                            COp::Andi => (Op::Andi, r1, r1, 0, imm),
                            COp::Sub => (Op::Sub, r1, r1, r2, 0),
                            COp::Xor => (Op::Xor, r1, r1, r2, 0),
                            COp::Or => (Op::Or, r1, r1, r2, 0),
                            COp::And => (Op::And, r1, r1, r2, 0),
                            COp::J => (Op::Jal, 0, 0, 0, imm),
                            COp::Beqz => (Op::Beq, 0, r1, 0, imm),
                            COp::Bnez => (Op::Bne, 0, r1, 0, imm),
                            COp::Slli => (Op::Slli, r1, r1, 0, imm),
                            COp::Lwsp => (Op::Lw, r1, 2, 0, imm),
                            COp::Jr => (Op::Jalr, 0, r1, 0, 0),
                            COp::Mv => (Op::Add, r1, 0, r2, 0),
                            COp::Ebreak => (Op::Ebreak, 0, 0, 0, 0),
                            COp::Jalr => (Op::Jalr, 1, r1, 0, 0),
                            COp::Add => (Op::Add, r1, r1, r2, 0),
                            COp::Swsp => (Op::Sw, 0, 2, r1, imm),
                            COp::Unimp => (Op::Illegal, 0, 0, 0, 0),
                        };
                        let (o, rd, rs1, rs2, imm) = want;
                        let c = |r: u8| (8..16).contains(&r);
                        // Registers each form can name (x0 where it means
                        // another instruction or is reserved, sp in c.lui).
                        let encodable = match op {
                            COp::Addi4spn | COp::Srli | COp::Srai | COp::Andi => c(rd),
                            COp::Lw => c(rd) && c(rs1),
                            COp::Sw => c(rs1) && c(rs2),
                            COp::Sub | COp::Xor | COp::Or | COp::And => c(rd) && c(rs2),
                            COp::Beqz | COp::Bnez => c(rs1),
                            COp::Lwsp => rd != 0,
                            COp::Jr | COp::Jalr => rs1 != 0,
                            COp::Mv | COp::Add => rs2 != 0,
                            COp::Lui => rd != 2,
                            _ => true,
                        };
                        if !encodable {
                            continue;
                        }
                        let p = encode_compressed(op, rd, rs1, rs2, imm);
                        let i = decode_compressed(p);
                        assert_eq!(
                            (i.op, i.rd, i.rs1, i.rs2, i.imm),
                            (o, rd, rs1, rs2, imm),
                            "{op:?} {p:#06x}"
                        );
                        assert_eq!(i.len, 2);
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 5000, "{checked}");
    }
}
