//! RV32C in the assembler: which compressed encoding GNU `as` picks for a
//! plain instruction, and the explicit `c.*` mnemonics.
//!
//! GNU `as` compresses by looking a mnemonic up in its opcode table, where
//! the `c.` forms of that mnemonic come first: the first form whose operand
//! rules hold wins, and only operands that are constants while parsing
//! qualify. So the choice depends on the mnemonic written, not only on the
//! instruction it means: `mv a0, zero` stays 4 bytes while `li a0, 0`
//! becomes `c.li`. [`Rvc`] records which mnemonic's rules apply; the
//! encodings themselves are `isa::decode_c`'s.

use super::Diag;
use super::assembler::{Asm, Operand};
use super::model::{FragKind, Imm, Part, Reach};
use crate::isa::Op;
use crate::isa::decode_c::{COp, encode_compressed};

/// Which compressed forms a part may take: those of the mnemonic it came
/// from (checked against GNU `as` 2.40 in `tests/golden/asm_c/`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rvc {
    /// The rules of the instruction's own mnemonic (`addi`, `lw`, ...;
    /// pseudo-instructions that GNU expands through them, like `li`'s
    /// `lui` + `addi` or `sext.b`'s shifts, use these too).
    Own,
    /// Never compressed (`jalr rd, rs, imm`, `call`, `jal`).
    Never,
    /// `li rd, small`: only `c.li`.
    Li,
    /// `mv rd, rs`: only `c.mv`.
    Mv,
    /// `add rd, rs, imm`: `c.addi4spn`, `c.addi` (by 0 too), `c.addi16sp`.
    AddImm,
    /// `jr rs`, `ret`: `c.jr`.
    Jr,
    /// `jalr rs`: `c.jalr`.
    JalrReg,
    /// `unimp`: `c.unimp`.
    Unimp,
}

/// x8..x15, the registers of the 3-bit fields.
fn creg(r: u8) -> bool {
    (8..16).contains(&r)
}

const SP: u8 = 2;

/// The compressed encoding GNU `as` emits for one instruction, if any.
/// `imm` is the part's immediate as the 32-bit encoder takes it (the
/// 20-bit field for `lui`).
pub fn squeeze(rvc: Rvc, op: Op, rd: u8, rs1: u8, rs2: u8, imm: i32) -> Option<u16> {
    let form = |ok: bool, c: COp, imm: i32| {
        (ok && c.imm_fits(imm)).then(|| encode_compressed(c, rd, rs1, rs2, imm))
    };
    let mv =
        |ok: bool| (ok && rd != 0 && rs1 != 0).then(|| encode_compressed(COp::Mv, rd, 0, rs1, 0));
    let same = rd == rs1;
    match (rvc, op) {
        (Rvc::Never, _) => None,
        (Rvc::Unimp, _) => Some(encode_compressed(COp::Unimp, 0, 0, 0, 0)),
        (Rvc::Li, Op::Addi) => form(rd != 0 && rs1 == 0, COp::Li, imm),
        (Rvc::Mv, Op::Addi) => mv(imm == 0),
        (Rvc::Jr, Op::Jalr) => form(rd == 0 && rs1 != 0 && imm == 0, COp::Jr, 0),
        (Rvc::JalrReg, Op::Jalr) => form(rd == 1 && rs1 != 0 && imm == 0, COp::Jalr, 0),
        (Rvc::AddImm, Op::Addi) => form(creg(rd) && rs1 == SP, COp::Addi4spn, imm)
            .or_else(|| form(same && rd != 0, COp::Addi, imm))
            .or_else(|| form(same && rd == SP, COp::Addi16sp, imm)),
        (Rvc::Own, Op::Addi) => form(creg(rd) && rs1 == SP, COp::Addi4spn, imm)
            .or_else(|| form(same && rd != 0 && imm != 0, COp::Addi, imm))
            .or_else(|| form(rd == 0 && rs1 == 0 && imm == 0, COp::Nop, 0))
            .or_else(|| form(same && rd == SP, COp::Addi16sp, imm))
            .or_else(|| form(rd != 0 && rs1 == 0, COp::Li, imm))
            .or_else(|| mv(imm == 0)),
        (Rvc::Own, Op::Add) => {
            if same && rd != 0 && rs2 != 0 {
                Some(encode_compressed(COp::Add, rd, rd, rs2, 0))
            } else if rd == rs2 && rd != 0 && rs1 != 0 {
                // Addition commutes: `add a0, a1, a0` is `c.add a0, a1`.
                Some(encode_compressed(COp::Add, rd, rd, rs1, 0))
            } else if rs1 == 0 && rd != 0 && rs2 != 0 {
                Some(encode_compressed(COp::Mv, rd, 0, rs2, 0))
            } else {
                None
            }
        }
        (Rvc::Own, Op::Sub) => form(same && creg(rd) && creg(rs2), COp::Sub, 0),
        (Rvc::Own, Op::And | Op::Or | Op::Xor) => {
            let c = match op {
                Op::And => COp::And,
                Op::Or => COp::Or,
                _ => COp::Xor,
            };
            if same && creg(rd) && creg(rs2) {
                Some(encode_compressed(c, rd, rd, rs2, 0))
            } else if rd == rs2 && creg(rd) && creg(rs1) {
                Some(encode_compressed(c, rd, rd, rs1, 0))
            } else {
                None
            }
        }
        (Rvc::Own, Op::Andi) => form(same && creg(rd), COp::Andi, imm),
        (Rvc::Own, Op::Slli) => form(same && rd != 0 && imm != 0, COp::Slli, imm),
        (Rvc::Own, Op::Srli) => form(same && creg(rd) && imm != 0, COp::Srli, imm),
        (Rvc::Own, Op::Srai) => form(same && creg(rd) && imm != 0, COp::Srai, imm),
        (Rvc::Own, Op::Lw) => form(rd != 0 && rs1 == SP, COp::Lwsp, imm)
            .or_else(|| form(creg(rd) && creg(rs1), COp::Lw, imm)),
        (Rvc::Own, Op::Sw) => {
            form(rs1 == SP, COp::Swsp, imm).or_else(|| form(creg(rs1) && creg(rs2), COp::Sw, imm))
        }
        (Rvc::Own, Op::Lui) => {
            // The 20-bit field, as the value it loads.
            let value = ((imm as u32) << 12) as i32;
            form(rd != 0 && rd != SP, COp::Lui, value)
        }
        (Rvc::Own, Op::Ebreak) => Some(encode_compressed(COp::Ebreak, 0, 0, 0, 0)),
        _ => None,
    }
}

/// The mnemonics `c.addi4spn` ... `c.unimp`.
pub fn is_compressed_mnemonic(m: &str) -> bool {
    COp::ALL.iter().any(|c| c.name() == m)
}

/// What an immediate of each form may be, for error messages.
fn imm_range(c: COp) -> &'static str {
    match c {
        COp::Addi4spn => "a multiple of 4 from 4 to 1020",
        COp::Lw | COp::Sw => "a multiple of 4 from 0 to 124",
        COp::Lwsp | COp::Swsp => "a multiple of 4 from 0 to 252",
        COp::Addi | COp::Li | COp::Andi => "-32 to 31",
        COp::Addi16sp => "a non-zero multiple of 16 from -512 to 496",
        COp::Lui => "1 to 0x1f or 0xfffe0 to 0xfffff",
        COp::Srli | COp::Srai | COp::Slli => "1 to 31",
        _ => "none",
    }
}

impl Asm {
    /// An explicit `c.*` instruction (`m` is one, per
    /// [`is_compressed_mnemonic`]).
    pub fn compressed(&mut self, m: &str, col: u32, ops: &[Operand]) -> Result<FragKind, Diag> {
        let Some(&c) = COp::ALL.iter().find(|c| c.name() == m) else {
            return Err(self.err(col, format!("unknown instruction `{m}`")));
        };
        if !self.rvc {
            return Err(self.err(
                col,
                format!(
                    "`{m}` is a compressed instruction (the C extension), which is off: assemble with --march rv32imc or rv32imac, or put `.option rvc` before it"
                ),
            ));
        }
        let want = |asm: &Asm, n: usize, syntax: &str| asm.want(m, col, ops, n, syntax);
        // A register limited to x8..x15, at `col` in the source.
        let cr_at = |asm: &Asm, r: u8, col: u32, text: &str| -> Result<u8, Diag> {
            if creg(r) {
                Ok(r)
            } else {
                Err(asm.err(
                    col,
                    format!(
                        "`{m}` takes only registers x8-x15 (s0, s1, a0-a5) here, found `{text}`"
                    ),
                ))
            }
        };
        let cr = |asm: &Asm, op: &Operand| cr_at(asm, asm.reg(op)?, op.col, &op.text);
        let nonzero = |asm: &Asm, op: &Operand, r: u8| {
            if r == 0 {
                Err(asm.err(op.col, format!("`{m}` cannot use x0 here")))
            } else {
                Ok(r)
            }
        };
        let sp_at = |asm: &Asm, r: u8, col: u32, text: &str| -> Result<u8, Diag> {
            if r == SP {
                Ok(r)
            } else {
                Err(asm.err(col, format!("`{m}` works on sp only here, found `{text}`")))
            }
        };
        let is_sp =
            |asm: &Asm, op: &Operand| sp_at(asm, asm.reg(op)?, op.col, &op.text).map(|_| ());
        let imm = |asm: &Asm, op: &Operand, scale_lui: bool| -> Result<i32, Diag> {
            let v = asm.const_value(op, &format!("the immediate of `{m}`"))?;
            let field = if scale_lui {
                // `c.lui rd, 0xfffff` names the 20-bit field, as objdump prints it.
                if (0xfffe0..=0xfffff).contains(&v) {
                    Some(((v as u32) << 12) as i32)
                } else if (1..=0x1f).contains(&v) {
                    Some((v as i32) << 12)
                } else {
                    None
                }
            } else {
                // Shifts by 0 are HINTs GNU does not write as `c.*`.
                let shift = matches!(c, COp::Slli | COp::Srli | COp::Srai);
                i32::try_from(v)
                    .ok()
                    .filter(|&v| c.imm_fits(v) && !(shift && v == 0))
            };
            field.ok_or_else(|| {
                asm.err(
                    op.col,
                    format!(
                        "immediate {v} is out of range for `{m}`: it takes {}",
                        imm_range(c)
                    ),
                )
            })
        };
        // `offset(reg)` with a constant offset: the offset, the base
        // register and where the base is written.
        let mem = |asm: &Asm, op: &Operand| -> Result<(i32, u8, u32, String), Diag> {
            let Some((off, base)) = asm.mem(op)? else {
                return Err(asm.err(op.col, format!("`{m}` needs an address like 8(sp)")));
            };
            let v = match off {
                Imm::Fixed(v) => i64::from(v),
                Imm::Expr { e, col, .. } => super::expr::eval_const(&e)
                    .map_err(|_| asm.err(col, format!("the offset of `{m}` must be a constant")))?,
            };
            let v = i32::try_from(v)
                .ok()
                .filter(|&v| c.imm_fits(v))
                .ok_or_else(|| {
                    asm.err(
                        op.col,
                        format!(
                            "offset {v} is out of range for `{m}`: it takes {}",
                            imm_range(c)
                        ),
                    )
                })?;
            let t = &op.toks[op.toks.len() - 2];
            let text = match &t.tok {
                super::lexer::Tok::Ident(n) => n.clone(),
                _ => String::new(),
            };
            Ok((v, base, t.col, text))
        };
        // (op, rd, rs1, rs2, imm) of the base instruction it expands to.
        let (rd, rs1, rs2, v) = match c {
            COp::Addi4spn => {
                want(self, 3, "rd', sp, uimm")?;
                let rd = cr(self, &ops[0])?;
                is_sp(self, &ops[1])?;
                (rd, SP, 0, imm(self, &ops[2], false)?)
            }
            COp::Lw | COp::Sw => {
                want(
                    self,
                    2,
                    if c == COp::Lw {
                        "rd', offset(rs1')"
                    } else {
                        "rs2', offset(rs1')"
                    },
                )?;
                let r = cr(self, &ops[0])?;
                let (v, base, bcol, btext) = mem(self, &ops[1])?;
                let base = cr_at(self, base, bcol, &btext)?;
                if c == COp::Lw {
                    (r, base, 0, v)
                } else {
                    (0, base, r, v)
                }
            }
            COp::Lwsp | COp::Swsp => {
                want(
                    self,
                    2,
                    if c == COp::Lwsp {
                        "rd, offset(sp)"
                    } else {
                        "rs2, offset(sp)"
                    },
                )?;
                let r = self.reg(&ops[0])?;
                let (v, base, bcol, btext) = mem(self, &ops[1])?;
                sp_at(self, base, bcol, &btext)?;
                if c == COp::Lwsp {
                    (nonzero(self, &ops[0], r)?, SP, 0, v)
                } else {
                    (0, SP, r, v)
                }
            }
            COp::Nop | COp::Ebreak | COp::Unimp => {
                want(self, 0, "")?;
                (0, 0, 0, 0)
            }
            COp::Addi | COp::Li | COp::Slli => {
                let syntax = if c == COp::Slli {
                    "rd, shamt"
                } else {
                    "rd, imm"
                };
                want(self, 2, syntax)?;
                let rd = self.reg(&ops[0])?;
                let v = imm(self, &ops[1], false)?;
                let rs1 = if c == COp::Li { 0 } else { rd };
                (rd, rs1, 0, v)
            }
            COp::Lui => {
                want(self, 2, "rd, imm")?;
                let rd = nonzero(self, &ops[0], self.reg(&ops[0])?)?;
                if rd == SP {
                    return Err(self.err(
                        ops[0].col,
                        "`c.lui` cannot load sp (that encoding is c.addi16sp)",
                    ));
                }
                (rd, 0, 0, imm(self, &ops[1], true)?)
            }
            COp::Addi16sp => {
                want(self, 2, "sp, imm")?;
                is_sp(self, &ops[0])?;
                (SP, SP, 0, imm(self, &ops[1], false)?)
            }
            COp::Srli | COp::Srai | COp::Andi => {
                want(
                    self,
                    2,
                    if c == COp::Andi {
                        "rd', imm"
                    } else {
                        "rd', shamt"
                    },
                )?;
                let rd = cr(self, &ops[0])?;
                (rd, rd, 0, imm(self, &ops[1], false)?)
            }
            COp::Sub | COp::Xor | COp::Or | COp::And => {
                want(self, 2, "rd', rs2'")?;
                let rd = cr(self, &ops[0])?;
                (rd, rd, cr(self, &ops[1])?, 0)
            }
            COp::Mv | COp::Add => {
                want(self, 2, "rd, rs2")?;
                let rd = self.reg(&ops[0])?;
                let rs2 = nonzero(self, &ops[1], self.reg(&ops[1])?)?;
                (rd, if c == COp::Add { rd } else { 0 }, rs2, 0)
            }
            COp::Jr | COp::Jalr => {
                want(self, 1, "rs1")?;
                let rs1 = nonzero(self, &ops[0], self.reg(&ops[0])?)?;
                (0, rs1, 0, 0)
            }
            COp::J | COp::Jal => {
                want(self, 1, "label")?;
                let (target, col) = self.target(&ops[0])?;
                return Ok(FragKind::Jump {
                    rd: u8::from(c == COp::Jal),
                    target,
                    col,
                    reach: Reach::OnlyCompressed,
                    len: 2,
                });
            }
            COp::Beqz | COp::Bnez => {
                want(self, 2, "rs1', label")?;
                let rs1 = cr(self, &ops[0])?;
                let (target, col) = self.target(&ops[1])?;
                return Ok(FragKind::Branch {
                    op: if c == COp::Beqz { Op::Beq } else { Op::Bne },
                    rs1,
                    rs2: 0,
                    target,
                    col,
                    reach: Reach::OnlyCompressed,
                    len: 2,
                });
            }
        };
        let half = encode_compressed(c, rd, rs1, rs2, v);
        let base = crate::isa::decode(u32::from(half));
        Ok(FragKind::Code(vec![Part {
            op: base.op,
            rd,
            rs1,
            rs2,
            imm: Imm::Fixed(v),
            rvc: Rvc::Never,
            half: Some(half),
        }]))
    }
}
