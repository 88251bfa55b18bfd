//! Mnemonics: real instructions and the standard pseudo-instructions, each
//! turned into a fragment of instruction templates. Expansions follow GNU
//! `as` with `-mno-relax` (checked against its output in the golden tests).

use super::Diag;
use super::assembler::{Asm, Operand};
use super::compress::Rvc;
use super::expr::{Expr, Scope};
use super::lexer::Tok;
use super::model::{FragKind, Imm, ImmKind, Part, Reach};
use super::suggest;
use crate::isa::{Op, reg};

/// CSR names as the disassembler prints them (one table for both).
#[path = "../disasm/csr_names.rs"]
#[allow(dead_code, clippy::duplicate_mod)]
mod csr_names;

/// Every mnemonic accepted, common ones first (suggestions prefer them).
pub const MNEMONICS: &[&str] = &[
    "add",
    "addi",
    "sub",
    "and",
    "andi",
    "or",
    "ori",
    "xor",
    "xori",
    "sll",
    "slli",
    "srl",
    "srli",
    "sra",
    "srai",
    "slt",
    "slti",
    "sltu",
    "sltiu",
    "lui",
    "auipc",
    "lw",
    "lh",
    "lb",
    "lhu",
    "lbu",
    "sw",
    "sh",
    "sb",
    "beq",
    "bne",
    "blt",
    "bge",
    "bltu",
    "bgeu",
    "jal",
    "jalr",
    "mul",
    "mulh",
    "mulhsu",
    "mulhu",
    "div",
    "divu",
    "rem",
    "remu",
    "ecall",
    "ebreak",
    "mret",
    "wfi",
    "fence",
    "fence.i",
    "fence.tso",
    "csrrw",
    "csrrs",
    "csrrc",
    "csrrwi",
    "csrrsi",
    "csrrci",
    "li",
    "la",
    "lla",
    "mv",
    "not",
    "neg",
    "nop",
    "seqz",
    "snez",
    "sltz",
    "sgtz",
    "beqz",
    "bnez",
    "blez",
    "bgez",
    "bltz",
    "bgtz",
    "bgt",
    "ble",
    "bgtu",
    "bleu",
    "j",
    "jr",
    "ret",
    "call",
    "tail",
    "csrr",
    "csrw",
    "csrs",
    "csrc",
    "csrwi",
    "csrsi",
    "csrci",
    "rdcycle",
    "rdcycleh",
    "rdtime",
    "rdtimeh",
    "rdinstret",
    "rdinstreth",
    "sext.b",
    "sext.h",
    "zext.b",
    "zext.h",
    "unimp",
    "scall",
    "sbreak",
    "lr.w",
    "sc.w",
    "amoswap.w",
    "amoadd.w",
    "amoxor.w",
    "amoand.w",
    "amoor.w",
    "amomin.w",
    "amomax.w",
    "amominu.w",
    "amomaxu.w",
];

const R_OPS: &[(&str, Op, Option<Op>)] = &[
    ("add", Op::Add, Some(Op::Addi)),
    ("sub", Op::Sub, None),
    ("sll", Op::Sll, Some(Op::Slli)),
    ("slt", Op::Slt, Some(Op::Slti)),
    ("sltu", Op::Sltu, Some(Op::Sltiu)),
    ("xor", Op::Xor, Some(Op::Xori)),
    ("srl", Op::Srl, Some(Op::Srli)),
    ("sra", Op::Sra, Some(Op::Srai)),
    ("or", Op::Or, Some(Op::Ori)),
    ("and", Op::And, Some(Op::Andi)),
    ("mul", Op::Mul, None),
    ("mulh", Op::Mulh, None),
    ("mulhsu", Op::Mulhsu, None),
    ("mulhu", Op::Mulhu, None),
    ("div", Op::Div, None),
    ("divu", Op::Divu, None),
    ("rem", Op::Rem, None),
    ("remu", Op::Remu, None),
];

const I_OPS: &[(&str, Op)] = &[
    ("addi", Op::Addi),
    ("slti", Op::Slti),
    ("sltiu", Op::Sltiu),
    ("xori", Op::Xori),
    ("ori", Op::Ori),
    ("andi", Op::Andi),
    ("slli", Op::Slli),
    ("srli", Op::Srli),
    ("srai", Op::Srai),
];

const LOADS: &[(&str, Op)] = &[
    ("lb", Op::Lb),
    ("lh", Op::Lh),
    ("lw", Op::Lw),
    ("lbu", Op::Lbu),
    ("lhu", Op::Lhu),
];
const STORES: &[(&str, Op)] = &[("sb", Op::Sb), ("sh", Op::Sh), ("sw", Op::Sw)];
const BRANCHES: &[(&str, Op)] = &[
    ("beq", Op::Beq),
    ("bne", Op::Bne),
    ("blt", Op::Blt),
    ("bge", Op::Bge),
    ("bltu", Op::Bltu),
    ("bgeu", Op::Bgeu),
];
const ATOMICS: &[(&str, Op)] = &[
    ("lr.w", Op::LrW),
    ("sc.w", Op::ScW),
    ("amoswap.w", Op::AmoswapW),
    ("amoadd.w", Op::AmoaddW),
    ("amoxor.w", Op::AmoxorW),
    ("amoand.w", Op::AmoandW),
    ("amoor.w", Op::AmoorW),
    ("amomin.w", Op::AmominW),
    ("amomax.w", Op::AmomaxW),
    ("amominu.w", Op::AmominuW),
    ("amomaxu.w", Op::AmomaxuW),
];
const CSR_OPS: &[(&str, Op, Op)] = &[
    ("csrrw", Op::Csrrw, Op::Csrrwi),
    ("csrrs", Op::Csrrs, Op::Csrrsi),
    ("csrrc", Op::Csrrc, Op::Csrrci),
];
const COUNTERS: &[(&str, u16)] = &[
    ("rdcycle", 0xc00),
    ("rdtime", 0xc01),
    ("rdinstret", 0xc02),
    ("rdcycleh", 0xc80),
    ("rdtimeh", 0xc81),
    ("rdinstreth", 0xc82),
];

const RA: u8 = 1;
const T1: u8 = 6;

fn find<T: Copy>(table: &[(&str, T)], m: &str) -> Option<T> {
    table.iter().find(|(n, _)| *n == m).map(|(_, v)| *v)
}

fn code(parts: Vec<Part>) -> FragKind {
    FragKind::Code(parts)
}

impl Asm {
    pub fn instruction(&mut self, m: &str, col: u32, ops: &[Operand]) -> Result<FragKind, Diag> {
        if let Some(&(_, op, imm_op)) = R_OPS.iter().find(|(n, ..)| *n == m) {
            if !self.isa.m
                && matches!(
                    op,
                    Op::Mul
                        | Op::Mulh
                        | Op::Mulhsu
                        | Op::Mulhu
                        | Op::Div
                        | Op::Divu
                        | Op::Rem
                        | Op::Remu
                )
            {
                return Err(self.err(
                    col,
                    format!(
                        "`{m}` needs the M extension, which --march {} leaves out",
                        self.isa
                    ),
                ));
            }
            self.want(m, col, ops, 3, "rd, rs1, rs2")?;
            let (rd, rs1) = (self.reg(&ops[0])?, self.reg(&ops[1])?);
            if let Some(iop) = imm_op.filter(|_| !self.is_reg(&ops[2])) {
                // GNU accepts `add a0, a0, 5` for `addi`.
                let kind = if matches!(iop, Op::Slli | Op::Srli | Op::Srai) {
                    ImmKind::Shamt
                } else {
                    ImmKind::Signed12
                };
                let imm = self.imm(&ops[2], kind)?;
                // `add rd, rs, imm` has compressed forms of its own.
                let rvc = if iop == Op::Addi {
                    Rvc::AddImm
                } else {
                    Rvc::Own
                };
                return Ok(code(vec![Part {
                    op: iop,
                    rd,
                    rs1,
                    rs2: 0,
                    imm,
                    rvc,
                    ..Part::BASE
                }]));
            }
            let rs2 = self.reg(&ops[2])?;
            return Ok(code(vec![Part::new(op, rd, rs1, rs2, 0)]));
        }
        if let Some(op) = find(I_OPS, m) {
            self.want(m, col, ops, 3, "rd, rs1, immediate")?;
            let (rd, rs1) = (self.reg(&ops[0])?, self.reg(&ops[1])?);
            let kind = if matches!(op, Op::Slli | Op::Srli | Op::Srai) {
                ImmKind::Shamt
            } else {
                ImmKind::Signed12
            };
            let imm = self.imm(&ops[2], kind)?;
            return Ok(code(vec![Part {
                op,
                rd,
                rs1,
                rs2: 0,
                imm,
                ..Part::BASE
            }]));
        }
        if let Some(op) = find(LOADS, m) {
            self.want(m, col, ops, 2, "rd, offset(rs1)")?;
            let rd = self.reg(&ops[0])?;
            return Ok(code(match self.mem(&ops[1])? {
                Some((imm, rs1)) => vec![Part {
                    op,
                    rd,
                    rs1,
                    rs2: 0,
                    imm,
                    ..Part::BASE
                }],
                // `lw a0, label`: auipc + load, through rd itself.
                None => {
                    let (e, c) = self.target(&ops[1])?;
                    vec![
                        pcrel_hi(rd, e.clone(), c),
                        Part {
                            op,
                            rd,
                            rs1: rd,
                            rs2: 0,
                            imm: lo_prev(e, c),
                            ..Part::BASE
                        },
                    ]
                }
            }));
        }
        if let Some(op) = find(STORES, m) {
            if ops.len() == 3 {
                // `sw a0, label, t0`: auipc t0 + store.
                let (rs2, tmp) = (self.reg(&ops[0])?, self.reg(&ops[2])?);
                let (e, c) = self.target(&ops[1])?;
                return Ok(code(vec![
                    pcrel_hi(tmp, e.clone(), c),
                    Part {
                        op,
                        rd: 0,
                        rs1: tmp,
                        rs2,
                        imm: lo_prev(e, c),
                        ..Part::BASE
                    },
                ]));
            }
            self.want(m, col, ops, 2, "rs2, offset(rs1)")?;
            let rs2 = self.reg(&ops[0])?;
            return match self.mem(&ops[1])? {
                Some((imm, rs1)) => Ok(code(vec![Part { op, rd: 0, rs1, rs2, imm, ..Part::BASE }])),
                None => Err(self.err(
                    ops[1].col,
                    format!("`{m}` needs an address like 8(sp); to store to a label give a scratch register: {m} {}, {}, t0", ops[0].text, ops[1].text),
                )),
            };
        }
        if let Some(op) = find(BRANCHES, m) {
            self.want(m, col, ops, 3, "rs1, rs2, label")?;
            let (rs1, rs2) = (self.reg(&ops[0])?, self.reg(&ops[1])?);
            return self.branch(op, rs1, rs2, &ops[2]);
        }
        if let Some(&(_, op, iop)) = CSR_OPS.iter().find(|(n, ..)| *n == m) {
            self.want(m, col, ops, 3, "rd, csr, rs1")?;
            let (rd, csr) = (self.reg(&ops[0])?, self.csr(&ops[1])?);
            return self.csr_op(op, iop, rd, csr, &ops[2]);
        }
        if let Some(&(_, op, iop)) = [
            ("csrrwi", Op::Csrrwi, Op::Csrrwi),
            ("csrrsi", Op::Csrrsi, Op::Csrrsi),
            ("csrrci", Op::Csrrci, Op::Csrrci),
        ]
        .iter()
        .find(|(n, ..)| *n == m)
        {
            self.want(m, col, ops, 3, "rd, csr, uimm5")?;
            let (rd, csr) = (self.reg(&ops[0])?, self.csr(&ops[1])?);
            return self.csr_op(op, iop, rd, csr, &ops[2]);
        }
        if let Some(csr) = find(COUNTERS, m) {
            self.want(m, col, ops, 1, "rd")?;
            let rd = self.reg(&ops[0])?;
            return Ok(code(vec![Part::new(Op::Csrrs, rd, 0, 0, i32::from(csr))]));
        }
        if let Some(frag) = self.atomic(m, col, ops)? {
            return Ok(frag);
        }
        self.pseudo_or_system(m, col, ops)
    }

    /// The A extension: `lr.w rd, (rs1)`, `sc.w rd, rs2, (rs1)`,
    /// `amo*.w rd, rs2, (rs1)`, each with an optional `.aq`, `.rl` or
    /// `.aqrl` ordering suffix. `None` if `m` is none of them.
    fn atomic(&self, m: &str, col: u32, ops: &[Operand]) -> Result<Option<FragKind>, Diag> {
        let (base, order) = [(".aqrl", 3), (".aq", 2), (".rl", 1)]
            .iter()
            .find_map(|&(sfx, bits)| m.strip_suffix(sfx).map(|b| (b, bits)))
            .unwrap_or((m, 0));
        let Some(op) = find(ATOMICS, base) else {
            return Ok(None);
        };
        if !self.isa.a {
            return Err(self.err(
                col,
                format!("`{m}` needs the A extension, which --march {} leaves out; use rv32ima or rv32imac", self.isa),
            ));
        }
        let (rd, rs2, addr) = if op == Op::LrW {
            self.want(m, col, ops, 2, "rd, (rs1)")?;
            (self.reg(&ops[0])?, 0, &ops[1])
        } else {
            self.want(m, col, ops, 3, "rd, rs2, (rs1)")?;
            (self.reg(&ops[0])?, self.reg(&ops[1])?, &ops[2])
        };
        // The address is a register in parentheses; GNU also takes `0(rs1)`.
        let bad = || {
            self.err(
                addr.col,
                format!(
                    "`{m}` needs its address as (rs1), like (a0), found `{}`",
                    addr.text
                ),
            )
        };
        let rs1 = match self.mem(addr).map_err(|_| bad())? {
            Some((Imm::Fixed(0), r)) => r,
            Some((Imm::Expr { e, .. }, r)) if matches!(super::expr::eval_const(&e), Ok(0)) => r,
            _ => return Err(bad()),
        };
        Ok(Some(code(vec![Part::new(op, rd, rs1, rs2, order)])))
    }

    fn pseudo_or_system(&mut self, m: &str, col: u32, ops: &[Operand]) -> Result<FragKind, Diag> {
        let fixed = |op: Op, rd: u8, rs1: u8, rs2: u8, imm: i32| {
            Ok(code(vec![Part::new(op, rd, rs1, rs2, imm)]))
        };
        match m {
            "lui" | "auipc" => {
                self.want(m, col, ops, 2, "rd, immediate")?;
                let rd = self.reg(&ops[0])?;
                let imm = self.imm(&ops[1], ImmKind::Upper20)?;
                let op = if m == "lui" { Op::Lui } else { Op::Auipc };
                Ok(code(vec![Part {
                    op,
                    rd,
                    rs1: 0,
                    rs2: 0,
                    imm,
                    ..Part::BASE
                }]))
            }
            "jal" => {
                let (rd, t) = match ops.len() {
                    1 => (RA, &ops[0]),
                    _ => {
                        self.want(m, col, ops, 2, "rd, label")?;
                        (self.reg(&ops[0])?, &ops[1])
                    }
                };
                self.jal(rd, t)
            }
            "j" => {
                self.want(m, col, ops, 1, "label")?;
                if self.rvc {
                    // Relaxed to `c.j` when in reach, as GNU `as` does.
                    let (target, col) = self.target(&ops[0])?;
                    return Ok(FragKind::Jump {
                        rd: 0,
                        target,
                        col,
                        reach: Reach::Compressible,
                        len: 2,
                    });
                }
                self.jal(0, &ops[0])
            }
            "jalr" => self.jalr(col, ops),
            "jr" => {
                self.want(m, col, ops, 1, "rs")?;
                let rs = self.reg(&ops[0])?;
                Ok(code(vec![Part {
                    rvc: Rvc::Jr,
                    ..Part::new(Op::Jalr, 0, rs, 0, 0)
                }]))
            }
            "ret" => {
                self.want(m, col, ops, 0, "")?;
                Ok(code(vec![Part {
                    rvc: Rvc::Jr,
                    ..Part::new(Op::Jalr, 0, RA, 0, 0)
                }]))
            }
            "call" | "tail" => {
                let (rd, t) = match (m, ops.len()) {
                    ("call", 2) => (self.reg(&ops[0])?, &ops[1]),
                    _ => {
                        self.want(m, col, ops, 1, "label")?;
                        (if m == "call" { RA } else { T1 }, &ops[0])
                    }
                };
                let (e, c) = self.target(t)?;
                // `call rd, sym` goes through t1, as in GNU `as`.
                let (link, tmp) = match (m, ops.len()) {
                    ("call", 2) => (rd, T1),
                    ("call", _) => (RA, RA),
                    _ => (0, T1),
                };
                Ok(code(vec![
                    pcrel_hi(tmp, e.clone(), c),
                    Part {
                        op: Op::Jalr,
                        rd: link,
                        rs1: tmp,
                        rs2: 0,
                        imm: lo_prev(e, c),
                        ..Part::BASE
                    },
                ]))
            }
            "la" | "lla" => {
                self.want(m, col, ops, 2, "rd, label")?;
                let rd = self.reg(&ops[0])?;
                let (e, c) = self.target(&ops[1])?;
                Ok(code(vec![
                    pcrel_hi(rd, e.clone(), c),
                    Part {
                        op: Op::Addi,
                        rd,
                        rs1: rd,
                        rs2: 0,
                        imm: lo_prev(e, c),
                        ..Part::BASE
                    },
                ]))
            }
            "li" => {
                self.want(m, col, ops, 2, "rd, value")?;
                let rd = self.reg(&ops[0])?;
                let v = self
                    .const_value(&ops[1], "the value of `li`")
                    .map_err(|mut d| {
                        if d.msg.contains("is a label") {
                            d.msg.push_str("; to load a label's address use `la`");
                        }
                        d
                    })?;
                if !(-(1i64 << 31)..(1i64 << 32)).contains(&v) {
                    return Err(self.err(ops[1].col, format!("value {v} does not fit in a 32-bit register (-2147483648 to 4294967295)")));
                }
                Ok(code(li_parts(rd, v as u32 as i32)))
            }
            "mv" | "not" | "neg" | "seqz" | "snez" | "sltz" | "sgtz" | "sext.b" | "sext.h"
            | "zext.b" | "zext.h" => {
                self.want(m, col, ops, 2, "rd, rs")?;
                let (rd, rs) = (self.reg(&ops[0])?, self.reg(&ops[1])?);
                let p = Part::new;
                Ok(code(match m {
                    "mv" => vec![Part {
                        rvc: Rvc::Mv,
                        ..p(Op::Addi, rd, rs, 0, 0)
                    }],
                    "not" => vec![p(Op::Xori, rd, rs, 0, -1)],
                    "neg" => vec![p(Op::Sub, rd, 0, rs, 0)],
                    "seqz" => vec![p(Op::Sltiu, rd, rs, 0, 1)],
                    "snez" => vec![p(Op::Sltu, rd, 0, rs, 0)],
                    "sltz" => vec![p(Op::Slt, rd, rs, 0, 0)],
                    "sgtz" => vec![p(Op::Slt, rd, 0, rs, 0)],
                    "zext.b" => vec![p(Op::Andi, rd, rs, 0, 255)],
                    "sext.b" => vec![p(Op::Slli, rd, rs, 0, 24), p(Op::Srai, rd, rd, 0, 24)],
                    "sext.h" => vec![p(Op::Slli, rd, rs, 0, 16), p(Op::Srai, rd, rd, 0, 16)],
                    _ => vec![p(Op::Slli, rd, rs, 0, 16), p(Op::Srli, rd, rd, 0, 16)],
                }))
            }
            "beqz" | "bnez" | "blez" | "bgez" | "bltz" | "bgtz" => {
                self.want(m, col, ops, 2, "rs, label")?;
                let rs = self.reg(&ops[0])?;
                let (op, a, b) = match m {
                    "beqz" => (Op::Beq, rs, 0),
                    "bnez" => (Op::Bne, rs, 0),
                    "blez" => (Op::Bge, 0, rs),
                    "bgez" => (Op::Bge, rs, 0),
                    "bltz" => (Op::Blt, rs, 0),
                    _ => (Op::Blt, 0, rs),
                };
                self.branch(op, a, b, &ops[1])
            }
            "bgt" | "ble" | "bgtu" | "bleu" => {
                self.want(m, col, ops, 3, "rs1, rs2, label")?;
                let (a, b) = (self.reg(&ops[0])?, self.reg(&ops[1])?);
                let op = match m {
                    "bgt" => Op::Blt,
                    "ble" => Op::Bge,
                    "bgtu" => Op::Bltu,
                    _ => Op::Bgeu,
                };
                // Operands swapped: a > b is b < a.
                self.branch(op, b, a, &ops[2])
            }
            "csrr" => {
                self.want(m, col, ops, 2, "rd, csr")?;
                let (rd, csr) = (self.reg(&ops[0])?, self.csr(&ops[1])?);
                fixed(Op::Csrrs, rd, 0, 0, csr)
            }
            "csrw" | "csrs" | "csrc" | "csrwi" | "csrsi" | "csrci" => {
                let imm_form = m.ends_with('i');
                self.want(
                    m,
                    col,
                    ops,
                    2,
                    if imm_form { "csr, uimm5" } else { "csr, rs" },
                )?;
                let csr = self.csr(&ops[0])?;
                let (op, iop) = match &m[..4] {
                    "csrw" => (Op::Csrrw, Op::Csrrwi),
                    "csrs" => (Op::Csrrs, Op::Csrrsi),
                    _ => (Op::Csrrc, Op::Csrrci),
                };
                let op = if imm_form { iop } else { op };
                self.csr_op(op, iop, 0, csr, &ops[1])
            }
            "nop" => {
                self.want(m, col, ops, 0, "")?;
                fixed(Op::Addi, 0, 0, 0, 0)
            }
            "ecall" | "scall" => self
                .want(m, col, ops, 0, "")
                .and(fixed(Op::Ecall, 0, 0, 0, 0)),
            "ebreak" | "sbreak" => self
                .want(m, col, ops, 0, "")
                .and(fixed(Op::Ebreak, 0, 0, 0, 0)),
            "mret" => self
                .want(m, col, ops, 0, "")
                .and(fixed(Op::Mret, 0, 0, 0, 0)),
            "wfi" => self
                .want(m, col, ops, 0, "")
                .and(fixed(Op::Wfi, 0, 0, 0, 0)),
            "fence.i" => self
                .want(m, col, ops, 0, "")
                .and(fixed(Op::FenceI, 0, 0, 0, 0)),
            "fence.tso" => self
                .want(m, col, ops, 0, "")
                .and(fixed(Op::Fence, 0, 0, 0, 0x833)),
            // `unimp` is `csrrw zero, cycle, zero`: always an illegal instruction.
            "unimp" => self.want(m, col, ops, 0, "").and(Ok(code(vec![Part {
                rvc: Rvc::Unimp,
                ..Part::new(Op::Csrrw, 0, 0, 0, 0xc00)
            }]))),
            "fence" => {
                if ops.is_empty() {
                    return fixed(Op::Fence, 0, 0, 0, 0xff);
                }
                self.want(m, col, ops, 2, "predecessor, successor (e.g. rw, rw)")?;
                let (p, s) = (self.fence_set(&ops[0])?, self.fence_set(&ops[1])?);
                fixed(Op::Fence, 0, 0, 0, (p << 4 | s) as i32)
            }
            _ => {
                let compressed = crate::isa::decode_c::COp::ALL.iter().map(|c| c.name());
                let hint = suggest::closest(m, MNEMONICS.iter().copied().chain(compressed))
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
                Err(self.err(col, format!("unknown instruction `{m}`{hint}")))
            }
        }
    }

    /// Checks the operand count, naming the expected syntax.
    pub(super) fn want(
        &self,
        m: &str,
        col: u32,
        ops: &[Operand],
        n: usize,
        syntax: &str,
    ) -> Result<(), Diag> {
        if ops.len() == n {
            return Ok(());
        }
        let noun = |k: usize| {
            if k == 1 {
                "operand".to_string()
            } else {
                "operands".to_string()
            }
        };
        let expected = if n == 0 {
            format!("`{m}` takes no operands")
        } else {
            format!("`{m}` takes {n} {} ({m} {syntax})", noun(n))
        };
        let at = if ops.len() > n { ops[n].col } else { col };
        Err(self.err(
            at,
            format!(
                "{expected}, but {} {} given",
                ops.len(),
                if ops.len() == 1 { "was" } else { "were" }
            ),
        ))
    }

    pub fn is_reg(&self, op: &Operand) -> bool {
        matches!(op.toks, [t] if matches!(&t.tok, Tok::Ident(n) if reg::parse(n).is_some()))
    }

    pub fn reg(&self, op: &Operand) -> Result<u8, Diag> {
        if let [t] = op.toks
            && let Tok::Ident(n) = &t.tok
            && let Some(r) = reg::parse(n)
        {
            return Ok(r);
        }
        if op.toks.is_empty() {
            return Err(self.err(op.col, "missing operand: expected a register"));
        }
        if let [t] = op.toks
            && let Tok::Ident(n) = &t.tok
            && let Some(r) = suggest::register(n)
        {
            return Err(self.err(
                op.col,
                format!("unknown register `{n}`, did you mean `{r}`?"),
            ));
        }
        Err(self.err(
            op.col,
            format!(
                "expected a register (x0-x31 or a name like a0, sp, t1), found `{}`",
                op.text
            ),
        ))
    }

    /// An immediate operand, with an optional `%hi(...)`-style modifier.
    pub(super) fn imm(&self, op: &Operand, plain: ImmKind) -> Result<Imm, Diag> {
        if self.is_reg(op) {
            return Err(self.err(
                op.col,
                format!(
                    "expected an immediate value here, found register `{}`",
                    op.text
                ),
            ));
        }
        let (kind, inner) = match op.toks {
            [p, m, open, inner @ .., close]
                if p.tok == Tok::Punct("%")
                    && open.tok == Tok::Punct("(")
                    && close.tok == Tok::Punct(")") =>
            {
                let Tok::Ident(name) = &m.tok else {
                    return Err(self.err(
                        m.col,
                        "expected a relocation name after `%`, e.g. %hi or %lo",
                    ));
                };
                let kind =
                    match name.as_str() {
                        "hi" => ImmKind::Hi,
                        "lo" => ImmKind::Lo,
                        "pcrel_hi" => ImmKind::PcrelHi,
                        "pcrel_lo" => ImmKind::PcrelLo,
                        _ => return Err(self.err(
                            m.col,
                            format!(
                                "unknown operator `%{name}`: use %hi, %lo, %pcrel_hi or %pcrel_lo"
                            ),
                        )),
                    };
                let upper = matches!(kind, ImmKind::Hi | ImmKind::PcrelHi);
                if upper != (plain == ImmKind::Upper20) || plain == ImmKind::Shamt {
                    let what = if upper {
                        "lui or auipc (20-bit upper part)"
                    } else {
                        "12-bit immediates (addi, loads, stores)"
                    };
                    return Err(self.err(op.col, format!("`%{name}` belongs with {what}")));
                }
                (kind, inner)
            }
            _ => (plain, op.toks),
        };
        let sub = Operand {
            toks: inner,
            col: inner.first().map_or(op.col, |t| t.col),
            text: String::new(),
        };
        if inner.is_empty() {
            return Err(self.err(op.col, "missing operand: expected an immediate value"));
        }
        Ok(Imm::Expr {
            e: self.expr(&sub)?,
            col: op.col,
            kind,
        })
    }

    /// `offset(reg)` or `(reg)`; `None` if the operand is not of that form.
    pub(super) fn mem(&self, op: &Operand) -> Result<Option<(Imm, u8)>, Diag> {
        let toks = op.toks;
        let n = toks.len();
        if n < 3 || toks[n - 1].tok != Tok::Punct(")") || toks[n - 3].tok != Tok::Punct("(") {
            return Ok(None);
        }
        let Tok::Ident(r) = &toks[n - 2].tok else {
            return Ok(None);
        };
        let Some(rs1) = reg::parse(r) else {
            if self.absolute(r).is_some() || self.symbols.contains_key(r) {
                return Ok(None); // `sym+(CONST)`: an expression, not an address
            }
            return Err(self.err(
                toks[n - 2].col,
                format!("expected a base register in the parentheses (like 8(sp)), found `{r}`"),
            ));
        };
        let off = &toks[..n - 3];
        if off.is_empty() {
            return Ok(Some((Imm::Fixed(0), rs1)));
        }
        let sub = Operand {
            toks: off,
            col: op.col,
            text: op.text.clone(),
        };
        Ok(Some((self.imm(&sub, ImmKind::Signed12)?, rs1)))
    }

    /// A label or address operand.
    pub(super) fn target(&self, op: &Operand) -> Result<(Expr, u32), Diag> {
        if self.is_reg(op) {
            return Err(self.err(
                op.col,
                format!("expected a label, found register `{}`", op.text),
            ));
        }
        Ok((self.expr(op)?, op.col))
    }

    fn branch(&self, op: Op, rs1: u8, rs2: u8, t: &Operand) -> Result<FragKind, Diag> {
        let (target, col) = self.target(t)?;
        // `beq rs, zero` and `bne rs, zero` with rs in x8..x15 have a
        // compressed form (`c.beqz`, `c.bnez`); GNU relaxes those from 2 bytes.
        let reach =
            if self.rvc && matches!(op, Op::Beq | Op::Bne) && rs2 == 0 && (8..16).contains(&rs1) {
                Reach::Compressible
            } else {
                Reach::Base
            };
        Ok(FragKind::Branch {
            op,
            rs1,
            rs2,
            target,
            col,
            len: if reach == Reach::Base { 4 } else { 2 },
            reach,
        })
    }

    fn jal(&self, rd: u8, t: &Operand) -> Result<FragKind, Diag> {
        let (e, col) = self.target(t)?;
        Ok(code(vec![Part {
            op: Op::Jal,
            rd,
            rs1: 0,
            rs2: 0,
            imm: Imm::Expr {
                e,
                col,
                kind: ImmKind::Jal,
            },
            ..Part::BASE
        }]))
    }

    fn jalr(&self, col: u32, ops: &[Operand]) -> Result<FragKind, Diag> {
        let part = |rd, rs1, imm| {
            Ok(code(vec![Part {
                op: Op::Jalr,
                rd,
                rs1,
                rs2: 0,
                imm,
                rvc: Rvc::Never,
                ..Part::BASE
            }]))
        };
        match ops.len() {
            1 => match self.mem(&ops[0])? {
                Some((imm, rs1)) => part(RA, rs1, imm),
                // Only this form, `jalr rs`, becomes `c.jalr` in GNU `as`.
                None => Ok(code(vec![Part {
                    rvc: Rvc::JalrReg,
                    ..Part::new(Op::Jalr, RA, self.reg(&ops[0])?, 0, 0)
                }])),
            },
            2 => {
                let rd = self.reg(&ops[0])?;
                match self.mem(&ops[1])? {
                    Some((imm, rs1)) => part(rd, rs1, imm),
                    None => part(rd, self.reg(&ops[1])?, Imm::Fixed(0)),
                }
            }
            _ => {
                self.want("jalr", col, ops, 3, "rd, rs1, offset")?;
                let (rd, rs1) = (self.reg(&ops[0])?, self.reg(&ops[1])?);
                part(rd, rs1, self.imm(&ops[2], ImmKind::Signed12)?)
            }
        }
    }

    /// A CSR by name or number.
    fn csr(&self, op: &Operand) -> Result<i32, Diag> {
        if let [t] = op.toks
            && let Tok::Ident(n) = &t.tok
        {
            let lower = n.to_ascii_lowercase();
            if let Some(&(num, _)) = csr_names::OBJDUMP_CSR_NAMES
                .iter()
                .find(|(_, name)| *name == lower)
            {
                return Ok(i32::from(num));
            }
            if self.absolute(n).is_none() {
                let hint =
                    suggest::closest(&lower, csr_names::OBJDUMP_CSR_NAMES.iter().map(|(_, s)| *s))
                        .map(|s| format!("; did you mean `{s}`?"))
                        .unwrap_or_default();
                return Err(self.err(op.col, format!("unknown CSR `{n}`{hint}")));
            }
        }
        let v = self.const_value(op, "a CSR number")?;
        if !(0..=0xfff).contains(&v) {
            return Err(self.err(
                op.col,
                format!("CSR number {v} is out of range: 0 to 4095 (0xfff)"),
            ));
        }
        Ok(v as i32)
    }

    /// The source operand of a CSR instruction: a register, or a 5-bit
    /// immediate (which selects the `*i` form, as GNU `as` allows).
    fn csr_op(&self, op: Op, iop: Op, rd: u8, csr: i32, src: &Operand) -> Result<FragKind, Diag> {
        let reg_form = !matches!(op, Op::Csrrwi | Op::Csrrsi | Op::Csrrci);
        if reg_form && self.is_reg(src) {
            return Ok(code(vec![Part::new(op, rd, self.reg(src)?, 0, csr)]));
        }
        if !reg_form && self.is_reg(src) {
            return Err(self.err(
                src.col,
                format!(
                    "expected a 5-bit immediate (0 to 31), found register `{}`",
                    src.text
                ),
            ));
        }
        let v = self.const_value(src, "the CSR immediate")?;
        if !(0..=31).contains(&v) {
            return Err(self.err(
                src.col,
                format!("immediate {v} is out of range: CSR immediates are 0 to 31"),
            ));
        }
        Ok(code(vec![Part::new(iop, rd, v as u8, 0, csr)]))
    }

    /// `iorw` letters of a fence operand.
    fn fence_set(&self, op: &Operand) -> Result<u32, Diag> {
        let bad = || {
            self.err(
                op.col,
                format!(
                    "expected a fence set made of the letters i, o, r, w (like rw), found `{}`",
                    op.text
                ),
            )
        };
        let [t] = op.toks else { return Err(bad()) };
        let Tok::Ident(s) = &t.tok else {
            return Err(bad());
        };
        let mut bits = 0;
        for c in s.chars() {
            bits |= match c {
                'i' => 8,
                'o' => 4,
                'r' => 2,
                'w' => 1,
                _ => return Err(bad()),
            };
        }
        Ok(bits)
    }
}

fn pcrel_hi(rd: u8, e: Expr, col: u32) -> Part {
    Part {
        op: Op::Auipc,
        rd,
        rs1: 0,
        rs2: 0,
        imm: Imm::Expr {
            e,
            col,
            kind: ImmKind::PcrelHi,
        },
        ..Part::BASE
    }
}

fn lo_prev(e: Expr, col: u32) -> Imm {
    Imm::Expr {
        e,
        col,
        kind: ImmKind::PcrelLoPrev,
    }
}

/// `li` as GNU `as` expands it on RV32: `addi` for 12-bit values, else
/// `lui` of the rounded upper part plus `addi` of the rest (if not 0, or
/// if rd is x0: GNU's test for "no upper register yet" then holds too).
/// With C, the lone `addi` may become only `c.li`; the two-instruction
/// form compresses as `lui` and `addi` do.
pub fn li_parts(rd: u8, v: i32) -> Vec<Part> {
    if (-2048..2048).contains(&v) {
        return vec![Part {
            rvc: Rvc::Li,
            ..Part::new(Op::Addi, rd, 0, 0, v)
        }];
    }
    let hi = (v.wrapping_add(0x800) as u32) >> 12;
    let lo = v.wrapping_sub((hi << 12) as i32);
    let mut parts = vec![Part::new(Op::Lui, rd, 0, 0, hi as i32)];
    if lo != 0 || rd == 0 {
        parts.push(Part::new(Op::Addi, rd, rd, 0, lo));
    }
    parts
}
