//! Assembler directives (`.word`, `.align`, `.section`, ...).

use super::Diag;
use super::assembler::{Asm, Operand};
use super::lexer::Tok;
use super::march::Isa;
use super::model::{FragKind, SectionKind};
use super::suggest;
use crate::symbols::SymbolKind;

/// Every directive understood, for "did you mean" suggestions.
pub const DIRECTIVES: &[&str] = &[
    ".text",
    ".data",
    ".rodata",
    ".bss",
    ".section",
    ".globl",
    ".global",
    ".local",
    ".weak",
    ".type",
    ".size",
    ".word",
    ".half",
    ".byte",
    ".short",
    ".long",
    ".int",
    ".2byte",
    ".4byte",
    ".8byte",
    ".dword",
    ".quad",
    ".ascii",
    ".asciz",
    ".string",
    ".space",
    ".skip",
    ".zero",
    ".align",
    ".balign",
    ".p2align",
    ".equ",
    ".set",
    ".equiv",
    ".file",
    ".ident",
    ".option",
    ".attribute",
    ".end",
    ".hidden",
    ".loc",
];

impl Asm {
    pub fn directive(&mut self, name: &str, col: u32, ops: &[Operand]) -> Result<(), Diag> {
        let lower = name.to_ascii_lowercase();
        match lower.as_str() {
            ".text" | ".data" | ".bss" | ".rodata" => {
                self.no_operands(name, ops)?;
                self.switch_section(&lower, col)
            }
            ".section" => {
                let Some(first) = ops.first().and_then(|o| o.toks.first()) else {
                    return Err(self.err(col, ".section needs a name, e.g. .section .rodata"));
                };
                let sec = match &first.tok {
                    Tok::Ident(s) => s.clone(),
                    Tok::Str(b) => String::from_utf8_lossy(b).into_owned(),
                    _ => return Err(self.err(first.col, "expected a section name like .rodata")),
                };
                self.switch_section(&sec, first.col)
            }
            ".globl" | ".global" | ".weak" => {
                for op in ops {
                    let n = self.symbol_name(op)?;
                    self.globals.insert(n);
                }
                Ok(())
            }
            ".type" => {
                let Some(op) = ops.first() else {
                    return Err(self.err(col, ".type needs a symbol: .type main, @function"));
                };
                let n = self.symbol_name(op)?;
                let text = ops
                    .get(1)
                    .map(|o| o.text.to_ascii_lowercase())
                    .unwrap_or_default();
                let kind = if text.contains("func") {
                    SymbolKind::Function
                } else if text.contains("object") {
                    SymbolKind::Object
                } else {
                    SymbolKind::Other
                };
                self.types.insert(n, kind);
                Ok(())
            }
            ".option" => self.option(col, ops),
            ".local" | ".size" | ".file" | ".ident" | ".attribute" | ".end" | ".hidden"
            | ".loc" => Ok(()),
            ".word" | ".long" | ".int" | ".4byte" => self.data(4, col, ops),
            ".half" | ".short" | ".2byte" => self.data(2, col, ops),
            ".byte" => self.data(1, col, ops),
            ".dword" | ".quad" | ".8byte" => self.data(8, col, ops),
            ".ascii" | ".asciz" | ".string" => self.strings(&lower != ".ascii", col, ops),
            ".space" | ".skip" | ".zero" => self.space(&lower, col, ops),
            ".align" | ".p2align" => self.align(true, col, ops),
            ".balign" => self.align(false, col, ops),
            ".equ" | ".set" | ".equiv" => {
                let Some(first) = ops.first() else {
                    return Err(self.err(
                        col,
                        format!("{name} needs a name and a value: {name} SIZE, 16"),
                    ));
                };
                let n = self.symbol_name(first)?;
                if lower == ".equiv" && self.symbols.contains_key(&n) {
                    return Err(self.err(first.col, format!("`{n}` is already defined")));
                }
                if ops.len() > 2 {
                    return Err(self.err(ops[2].col, format!("{name} takes a name and one value")));
                }
                self.set_symbol(&n, first.col, ops.get(1))
            }
            _ => {
                let hint = suggest::closest(&lower, DIRECTIVES.iter().copied())
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
                Err(self.err(col, format!("unknown directive `{name}`{hint}")))
            }
        }
    }

    /// `.option rvc`/`norvc` switch compression on and off from here on;
    /// `push`/`pop` save and restore that. The linker options (`relax`,
    /// `norelax`, `pic`, `nopic`) change nothing in a program assembled
    /// and linked in one go.
    fn option(&mut self, col: u32, ops: &[Operand]) -> Result<(), Diag> {
        if ops
            .first()
            .is_some_and(|o| o.text.eq_ignore_ascii_case("arch"))
        {
            return self.option_arch(col, &ops[1..]);
        }
        let word = match ops {
            [op] => match op.toks {
                [t] => match &t.tok {
                    Tok::Ident(w) => Some(w.to_ascii_lowercase()),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        };
        let at = ops.first().map_or(col, |o| o.col);
        match word.as_deref() {
            Some("rvc") => {
                self.rvc = true;
                self.any_rvc = true;
            }
            Some("norvc") => self.rvc = false,
            Some("push") => self.option_stack.push(self.rvc),
            Some("pop") => match self.option_stack.pop() {
                Some(rvc) => self.rvc = rvc,
                None => {
                    return Err(self.err(at, ".option pop without a matching .option push"));
                }
            },
            Some("relax" | "norelax" | "pic" | "nopic" | "csr-check" | "no-csr-check") => {}
            _ => {
                return Err(self.err(
                    at,
                    "unknown .option: use rvc, norvc, push, pop, arch, relax, norelax, pic or nopic",
                ));
            }
        }
        Ok(())
    }

    /// `.option arch, +c` / `-c` (extensions added or removed, as GNU
    /// `as` 2.40 takes them) or `.option arch, rv32imac` (a whole ISA). Only
    /// C changes anything here; M, A, Zicsr and Zifencei are accepted.
    fn option_arch(&mut self, col: u32, ops: &[Operand]) -> Result<(), Diag> {
        if ops.is_empty() {
            return Err(self.err(
                col,
                ".option arch needs +ext, -ext or an ISA: .option arch, +c",
            ));
        }
        for op in ops {
            let text = op.text.trim().to_ascii_lowercase();
            let rvc = if let Some(ext) = text.strip_prefix('+').or_else(|| text.strip_prefix('-')) {
                match ext {
                    "c" | "zca" => Some(text.starts_with('+')),
                    "m" | "a" | "zicsr" | "zifencei" => None,
                    _ => {
                        return Err(self.err(
                            op.col,
                            format!("unknown extension `{ext}` in .option arch: Glassbox has m, a, c, zicsr and zifencei"),
                        ));
                    }
                }
            } else {
                let isa = Isa::parse(&text).map_err(|e| self.err(op.col, e))?;
                Some(isa.c)
            };
            if let Some(on) = rvc {
                self.rvc = on;
                self.any_rvc |= on;
            }
        }
        Ok(())
    }

    fn no_operands(&self, name: &str, ops: &[Operand]) -> Result<(), Diag> {
        match ops.first() {
            Some(op) => Err(self.err(
                op.col,
                format!("{name} takes no operands (for other sections use .section)"),
            )),
            None => Ok(()),
        }
    }

    fn symbol_name(&self, op: &Operand) -> Result<String, Diag> {
        match op.toks {
            [t] => match &t.tok {
                Tok::Ident(n) if n != "." => Ok(n.clone()),
                _ => Err(self.err(
                    op.col,
                    format!("expected a symbol name, found `{}`", op.text),
                )),
            },
            _ => Err(self.err(
                op.col,
                format!("expected a symbol name, found `{}`", op.text),
            )),
        }
    }

    fn data(&mut self, width: u8, col: u32, ops: &[Operand]) -> Result<(), Diag> {
        if ops.is_empty() {
            return Err(self.err(col, "expected at least one value"));
        }
        let mut values = Vec::new();
        for op in ops {
            values.push((self.expr(op)?, op.col));
        }
        self.reserve(col, u64::from(width) * values.len() as u64)?;
        if self.chunks[self.cur].kind == SectionKind::Bss {
            // Zeros are fine in .bss; anything else is a mistake.
            let all_zero = values
                .iter()
                .all(|(e, _)| matches!(super::expr::eval_const(e), Ok(0)));
            if !all_zero {
                return Err(self.err(col, ".bss holds only zeros; put initialised data in .data"));
            }
        }
        self.push(FragKind::Data { width, values });
        Ok(())
    }

    fn strings(&mut self, nul: bool, col: u32, ops: &[Operand]) -> Result<(), Diag> {
        if ops.is_empty() {
            return Err(self.err(col, "expected a string in double quotes"));
        }
        let mut bytes = Vec::new();
        for op in ops {
            match op.toks {
                [t] if matches!(t.tok, Tok::Str(_)) => {
                    if let Tok::Str(s) = &t.tok {
                        bytes.extend_from_slice(s);
                        if nul {
                            bytes.push(0);
                        }
                    }
                }
                _ => {
                    return Err(self.err(
                        op.col,
                        format!("expected a string in double quotes, found `{}`", op.text),
                    ));
                }
            }
        }
        self.reserve(col, bytes.len() as u64)?;
        if self.chunks[self.cur].kind == SectionKind::Bss {
            return Err(self.err(
                col,
                ".bss holds only zeros; put strings in .data or .rodata",
            ));
        }
        self.push(FragKind::Bytes(bytes));
        Ok(())
    }

    fn space(&mut self, name: &str, col: u32, ops: &[Operand]) -> Result<(), Diag> {
        let Some(size_op) = ops.first() else {
            return Err(self.err(col, format!("{name} needs a size in bytes: {name} 16")));
        };
        let len = self.const_value(size_op, "the size")?;
        if len < 0 || len > i64::from(u32::MAX) {
            return Err(self.err(
                size_op.col,
                format!("size {len} is out of range: 0 to 4294967295 bytes"),
            ));
        }
        let byte = match ops.get(1) {
            Some(op) if name != ".zero" => self.byte_value(op)?,
            Some(op) => return Err(self.err(op.col, ".zero takes only a size")),
            None => 0,
        };
        if ops.len() > 2 {
            return Err(self.err(
                ops[2].col,
                format!("{name} takes a size and an optional fill byte"),
            ));
        }
        self.reserve(col, len as u64)?;
        if byte != 0 && self.chunks[self.cur].kind == SectionKind::Bss {
            return Err(self.err(col, ".bss holds only zeros; put initialised data in .data"));
        }
        self.push(FragKind::Fill {
            len: len as u32,
            byte,
        });
        Ok(())
    }

    fn byte_value(&self, op: &Operand) -> Result<u8, Diag> {
        let v = self.const_value(op, "the fill value")?;
        if !(-128..=255).contains(&v) {
            return Err(self.err(
                op.col,
                format!("fill value {v} does not fit in a byte (-128 to 255)"),
            ));
        }
        Ok(v as u8)
    }

    /// `.align`/`.p2align n` (power of two) or `.balign bytes`, with
    /// optional fill and maximum skip.
    fn align(&mut self, power: bool, col: u32, ops: &[Operand]) -> Result<(), Diag> {
        let Some(first) = ops.first().filter(|o| !o.toks.is_empty()) else {
            return Err(self.err(col, "expected an alignment, e.g. .align 2 (4 bytes)"));
        };
        let v = self.const_value(first, "the alignment")?;
        let align: u32 = if power {
            if !(0..=16).contains(&v) {
                return Err(self.err(
                    first.col,
                    format!("alignment power {v} is out of range: 0 to 16 (1 to 65536 bytes)"),
                ));
            }
            1 << v
        } else {
            if !(1..=65536).contains(&v) || (v & (v - 1)) != 0 {
                return Err(self.err(
                    first.col,
                    format!("alignment {v} must be a power of two from 1 to 65536"),
                ));
            }
            v as u32
        };
        let fill = match ops.get(1).filter(|o| !o.toks.is_empty()) {
            Some(op) => Some(self.byte_value(op)?),
            None => None,
        };
        let max =
            match ops.get(2).filter(|o| !o.toks.is_empty()) {
                Some(op) => {
                    let m = self.const_value(op, "the maximum skip")?;
                    Some(u32::try_from(m).map_err(|_| {
                        self.err(op.col, format!("maximum skip {m} must be 0 or more"))
                    })?)
                }
                None => None,
            };
        if ops.len() > 3 {
            return Err(self.err(
                ops[3].col,
                "alignment takes at most 3 operands: alignment, fill, maximum skip",
            ));
        }
        let code =
            self.chunks[self.cur].kind == SectionKind::Text && matches!(fill, None | Some(0));
        if fill.is_some_and(|f| f != 0) && self.chunks[self.cur].kind == SectionKind::Bss {
            return Err(self.err(col, ".bss holds only zeros; the fill must be 0"));
        }
        self.reserve(col, u64::from(align))?;
        let chunk = self.chunk();
        chunk.align = chunk.align.max(align);
        // GNU `as` ignores code alignment to no more than an instruction's
        // alignment (4 bytes, or 2 while C is on): instructions are aligned
        // already.
        if code && align <= if self.rvc { 2 } else { 4 } {
            return Ok(());
        }
        self.push(FragKind::Align {
            align,
            fill: if code { None } else { Some(fill.unwrap_or(0)) },
            max,
        });
        Ok(())
    }
}
