//! The parsing pass: statements → labels, symbols and fragments in chunks.
//! Errors are collected and parsing goes on with the next statement, so one
//! run reports every problem.

use super::Diag;
use super::compress;
use super::expr::{self, EvalError, Expr, Parser, Scope};
use super::lexer::{Statement, Tok, Token};
use super::march::Isa;
use super::model::{Chunk, Frag, FragKind, Imm, ImmKind, SectionKind};
use crate::symbols::SymbolKind;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Total bytes a source may produce (`.space`, `.align`, strings...), so a
/// typo like `.space 0x7fffffff` is an error, not an out-of-memory abort.
pub const MAX_OUTPUT: u64 = 64 << 20;

#[derive(Clone, Debug)]
pub enum SymDef {
    /// A label: the start of fragment `frag` of chunk `chunk`.
    Label {
        chunk: usize,
        frag: usize,
        line: u32,
    },
    Abs(i64),
    /// `.equ` of an expression that needs addresses; evaluated after layout.
    Deferred(Expr),
}

/// One operand: its tokens, where it starts and its source text.
pub struct Operand<'t> {
    pub toks: &'t [Token],
    pub col: u32,
    pub text: String,
}

pub struct Asm {
    pub chunks: Vec<Chunk>,
    pub cur: usize,
    pub symbols: BTreeMap<String, SymDef>,
    /// Label names in definition order (for the symbol table).
    pub label_order: Vec<String>,
    pub globals: BTreeSet<String>,
    pub types: BTreeMap<String, SymbolKind>,
    local_counts: HashMap<u32, u32>,
    pub diags: Vec<Diag>,
    pub line: u32,
    pub output_bytes: u64,
    /// The ISA of the command line (`--march`).
    pub isa: Isa,
    /// Whether C is on here (`.option rvc`/`norvc` change it).
    pub rvc: bool,
    /// Whether C was on anywhere: the ELF then says so (`EF_RISCV_RVC`),
    /// and jump targets need only be 2-byte aligned.
    pub any_rvc: bool,
    /// `.option push` saves the C setting here; `.option pop` restores it.
    pub option_stack: Vec<bool>,
}

impl Scope for Asm {
    fn absolute(&self, name: &str) -> Option<i64> {
        match self.symbols.get(name) {
            Some(SymDef::Abs(v)) => Some(*v),
            _ => None,
        }
    }

    fn local_ref(&self, n: u32, forward: bool) -> String {
        let count = self.local_counts.get(&n).copied().unwrap_or(0);
        let k = if forward {
            Some(count)
        } else {
            count.checked_sub(1)
        };
        match k {
            Some(k) => local_name(n, k),
            None => format!("{n}\u{2}none"),
        }
    }

    fn here(&self) -> Expr {
        Expr::Here {
            chunk: self.cur,
            frag: self.chunks[self.cur].frags.len(),
        }
    }
}

/// Internal name of the `k`th definition of numeric label `n` (cannot clash
/// with a source name: it contains a control character).
fn local_name(n: u32, k: u32) -> String {
    format!("{n}\u{2}{k}")
}

/// Whether an internal name belongs to a numeric local label.
pub fn is_local_name(name: &str) -> bool {
    name.contains('\u{2}')
}

impl Asm {
    pub fn new(isa: Isa) -> Asm {
        // GNU `as` creates .text, .data and .bss first, in this order; the
        // linker keeps that order among sections of one output section.
        let chunks = [".text", ".data", ".bss"]
            .iter()
            .map(|n| Chunk {
                name: (*n).into(),
                kind: SectionKind::of_section_name(n).unwrap_or(SectionKind::Text),
                frags: Vec::new(),
                align: 1,
            })
            .collect();
        Asm {
            chunks,
            cur: 0,
            symbols: BTreeMap::new(),
            label_order: Vec::new(),
            globals: BTreeSet::new(),
            types: BTreeMap::new(),
            local_counts: HashMap::new(),
            diags: Vec::new(),
            line: 0,
            output_bytes: 0,
            isa,
            rvc: isa.c,
            any_rvc: isa.c,
            option_stack: Vec::new(),
        }
    }

    pub fn err(&self, col: u32, msg: impl Into<String>) -> Diag {
        Diag::new(self.line, col, msg.into())
    }

    pub fn chunk(&mut self) -> &mut Chunk {
        &mut self.chunks[self.cur]
    }

    pub fn push(&mut self, kind: FragKind) {
        let line = self.line;
        self.chunk().frags.push(Frag { line, kind });
    }

    /// Counts bytes against [`MAX_OUTPUT`].
    pub fn reserve(&mut self, col: u32, bytes: u64) -> Result<(), Diag> {
        self.output_bytes = self.output_bytes.saturating_add(bytes);
        if self.output_bytes > MAX_OUTPUT {
            return Err(self.err(
                col,
                format!(
                    "program is too large: more than {} MiB of output",
                    MAX_OUTPUT >> 20
                ),
            ));
        }
        Ok(())
    }

    pub fn statement(&mut self, st: &Statement) {
        self.line = st.line;
        if let Err(d) = self.statement_inner(st) {
            self.diags.push(d);
        }
    }

    fn statement_inner(&mut self, st: &Statement) -> Result<(), Diag> {
        let toks = &st.tokens[..];
        let mut i = 0;
        // Leading labels: `name:` or `1:` (any number of them).
        while i + 1 < toks.len() && toks[i + 1].tok == Tok::Punct(":") {
            match &toks[i].tok {
                Tok::Ident(name) if name != "." => self.define_label(name.clone(), toks[i].col)?,
                Tok::Num(n) if (0..=i64::from(u32::MAX)).contains(n) => {
                    let n = *n as u32;
                    let k = self.local_counts.entry(n).or_insert(0);
                    let name = local_name(n, *k);
                    *k += 1;
                    let (chunk, frag) = (self.cur, self.chunks[self.cur].frags.len());
                    self.symbols.insert(
                        name,
                        SymDef::Label {
                            chunk,
                            frag,
                            line: self.line,
                        },
                    );
                }
                _ => {
                    return Err(self.err(
                        toks[i].col,
                        "a label must be a name or a number followed by `:`",
                    ));
                }
            }
            i += 2;
        }
        let Some(head) = toks.get(i) else {
            return Ok(());
        };
        let Tok::Ident(name) = &head.tok else {
            return Err(self.err(
                head.col,
                "expected an instruction, a directive or a label here",
            ));
        };
        let rest = &toks[i + 1..];
        // `name = expr` is `.set name, expr`.
        if let Some(Token {
            tok: Tok::Punct("="),
            col,
            ..
        }) = rest.first()
        {
            let ops = split_operands(&rest[1..], &st.chars, col + 1);
            return self.set_symbol(name, head.col, ops.first());
        }
        let ops = split_operands(rest, &st.chars, head.end);
        if name.starts_with('.') {
            self.directive(name, head.col, &ops)
        } else {
            let lower = name.to_ascii_lowercase();
            let mut frag = if compress::is_compressed_mnemonic(&lower) {
                self.compressed(&lower, head.col, &ops)?
            } else {
                self.instruction(&lower, head.col, &ops)?
            };
            if let FragKind::Code(parts) = &mut frag {
                if self.rvc {
                    for p in parts.iter_mut().filter(|p| p.half.is_none()) {
                        if let Some(v) = constant_imm(&p.imm) {
                            p.half = compress::squeeze(p.rvc, p.op, p.rd, p.rs1, p.rs2, v);
                        }
                    }
                }
                self.reserve(head.col, 4 * parts.len() as u64)?;
            }
            if self.chunks[self.cur].kind == SectionKind::Bss {
                return Err(self.err(
                    head.col,
                    "instructions cannot go in .bss (it holds only zeros); switch to .text first",
                ));
            }
            // GNU `as` aligns code to 4 bytes, or 2 when the ISA has C.
            let align = if self.isa.c { 2 } else { 4 };
            let chunk = self.chunk();
            chunk.align = chunk.align.max(align);
            self.push(frag);
            Ok(())
        }
    }

    fn define_label(&mut self, name: String, col: u32) -> Result<(), Diag> {
        if let Some(prev) = self.symbols.get(&name) {
            let msg = match prev {
                SymDef::Label { line, .. } => {
                    format!("label `{name}` is already defined on line {line}")
                }
                _ => format!("`{name}` is already defined by .equ/.set; choose another label name"),
            };
            return Err(self.err(col, msg));
        }
        let (chunk, frag) = (self.cur, self.chunks[self.cur].frags.len());
        self.symbols.insert(
            name.clone(),
            SymDef::Label {
                chunk,
                frag,
                line: self.line,
            },
        );
        self.label_order.push(name);
        Ok(())
    }

    /// `.equ`/`.set`/`=`: absolute now if possible, else after layout.
    pub fn set_symbol(
        &mut self,
        name: &str,
        col: u32,
        value: Option<&Operand>,
    ) -> Result<(), Diag> {
        let Some(value) = value else {
            return Err(self.err(col, format!("`{name}` needs a value: .equ {name}, 42")));
        };
        if let Some(SymDef::Label { line, .. }) = self.symbols.get(name) {
            return Err(self.err(
                col,
                format!(
                    "`{name}` is already a label (line {line}); it cannot also be set to a value"
                ),
            ));
        }
        let e = self.expr(value)?;
        let def = match expr::eval_const(&e) {
            Ok(v) => SymDef::Abs(v),
            Err(EvalError::DivByZero) => return Err(self.err(value.col, "division by zero")),
            Err(_) => SymDef::Deferred(e),
        };
        self.symbols.insert(name.to_string(), def);
        Ok(())
    }

    /// Parses an operand as an expression.
    pub fn expr(&self, op: &Operand) -> Result<Expr, Diag> {
        if op.toks.is_empty() {
            return Err(self.err(op.col, "missing operand"));
        }
        Parser::new(op.toks, self)
            .parse_all(op.col)
            .map_err(|(col, msg)| self.err(col, msg))
    }

    /// An expression that must have a value now (sizes, counts, `li`).
    pub fn const_value(&self, op: &Operand, what: &str) -> Result<i64, Diag> {
        let e = self.expr(op)?;
        expr::eval_const(&e).map_err(|err| match err {
            EvalError::DivByZero => self.err(op.col, "division by zero"),
            EvalError::Undefined { shown, col } if shown == "." => self.err(
                col.max(op.col),
                format!("{what} must be a constant, not an address"),
            ),
            EvalError::Undefined { shown, col } => self.err(
                col,
                format!("{what} must be a constant, but `{shown}` is a label or is defined later"),
            ),
            EvalError::Circular(n) => {
                self.err(op.col, format!("`{n}` is defined in terms of itself"))
            }
        })
    }

    /// Switches to (creating if needed) the input section `name`.
    pub fn switch_section(&mut self, name: &str, col: u32) -> Result<(), Diag> {
        let Some(kind) = SectionKind::of_section_name(name) else {
            return Err(self.err(
                col,
                format!("unknown section `{name}`: use .text, .rodata, .data or .bss (or names like .text.init)"),
            ));
        };
        self.cur = match self.chunks.iter().position(|c| c.name == name) {
            Some(i) => i,
            None => {
                self.chunks.push(Chunk {
                    name: name.into(),
                    kind,
                    frags: Vec::new(),
                    align: 1,
                });
                self.chunks.len() - 1
            }
        };
        Ok(())
    }
}

/// The value of an immediate that is a constant while parsing (what GNU
/// `as` requires of a compressed operand), if it is a plain one.
fn constant_imm(imm: &Imm) -> Option<i32> {
    match imm {
        Imm::Fixed(v) => Some(*v),
        Imm::Expr { e, kind, .. }
            if matches!(kind, ImmKind::Signed12 | ImmKind::Shamt | ImmKind::Upper20) =>
        {
            let range = match kind {
                ImmKind::Signed12 => -2048..=2047,
                ImmKind::Shamt => 0..=31,
                _ => 0..=0xfffff,
            };
            // Out of range stays 4 bytes, for the range error at layout.
            expr::eval_const(e)
                .ok()
                .filter(|v| range.contains(v))
                .map(|v| v as i32)
        }
        _ => None,
    }
}

/// Splits tokens at top-level commas. `after` is the column just past the
/// mnemonic, used for the position of a missing operand.
pub fn split_operands<'t>(toks: &'t [Token], chars: &[char], after: u32) -> Vec<Operand<'t>> {
    let mut ops = Vec::new();
    if toks.is_empty() {
        return ops;
    }
    let mut depth = 0i32;
    let mut start = 0;
    let mut col = toks[0].col;
    let text = |t: &[Token], col: u32| -> String {
        match (t.first(), t.last()) {
            (Some(a), Some(b)) => chars
                .get((a.col - 1) as usize..(b.end - 1) as usize)
                .map(|s| s.iter().collect())
                .unwrap_or_default(),
            _ => {
                let _ = col;
                String::new()
            }
        }
    };
    for (i, t) in toks.iter().enumerate() {
        match t.tok {
            Tok::Punct("(") => depth += 1,
            Tok::Punct(")") => depth -= 1,
            Tok::Punct(",") if depth <= 0 => {
                let slice = &toks[start..i];
                ops.push(Operand {
                    toks: slice,
                    col,
                    text: text(slice, col),
                });
                start = i + 1;
                col = toks.get(i + 1).map_or(t.end, |n| n.col);
            }
            _ => {}
        }
    }
    let slice = &toks[start..];
    let _ = after;
    ops.push(Operand {
        toks: slice,
        col,
        text: text(slice, col),
    });
    ops
}
