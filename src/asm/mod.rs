//! The built-in assembler: GNU `as` syntax for RV32IM (with A and C) + Zicsr +
//! Zifencei, straight to a loadable [`Image`] (no object files: it
//! assembles and links in one go, with a fixed default layout).
//!
//! For the same source and section addresses every section's bytes equal
//! what GNU `as -march=rv32im_zicsr_zifencei -mno-relax` + `ld` produce, or
//! with [`Isa`] C, what `-march=rv32imac` produces: GNU's compression of
//! plain instructions ([`compress`]) and its relaxation of branches and
//! `j` ([`layout`]). `tests/asm_golden.rs` checks a corpus for each. Errors
//! never stop the run: all of them come back at once, each with file,
//! line, column and a message meant for beginners.
//!
//! Pipeline: [`lexer`] (statements of tokens) → [`assembler`] (labels,
//! directives in [`directives`], mnemonics in [`instructions`], into the
//! fragments of [`model`]) → [`layout`] (placement, branch relaxation,
//! immediates, [`encode`]) → [`Program`]; [`write_elf`] makes a file.

mod assembler;
mod compress;
mod directives;
mod elf_writer;
mod encode;
mod expr;
mod instructions;
mod layout;
mod lexer;
mod march;
mod model;
mod suggest;

pub use elf_writer::write_elf;
pub use encode::encode;
pub use march::Isa;

use crate::loader::{Image, ImageFormat, MemRegion, Segment};
use crate::symbols::{Symbol, SymbolKind, SymbolTable};
use std::fmt;

/// Where the text section goes by default: the start of RAM.
pub const DEFAULT_TEXT_BASE: u32 = 0x8000_0000;

#[derive(Clone, Debug)]
pub struct AsmOptions {
    /// Address of `.text`; `.rodata`, `.data` and `.bss` follow, each at the
    /// next multiple of max(16, its alignment).
    pub text_base: u32,
    /// Name used in diagnostics.
    pub file_name: String,
    /// The target ISA (`--march`); with C, plain instructions are compressed
    /// as GNU `as` compresses them. Default rv32im.
    pub isa: Isa,
}

impl Default for AsmOptions {
    fn default() -> Self {
        AsmOptions {
            text_base: DEFAULT_TEXT_BASE,
            file_name: "<input>".into(),
            isa: Isa::default(),
        }
    }
}

/// One error. Displays as `file:line:col: error: message`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: error: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

/// A diagnostic before the file name is attached.
#[derive(Clone, Debug)]
pub(crate) struct Diag {
    pub line: u32,
    pub col: u32,
    pub msg: String,
}

impl Diag {
    pub fn new(line: u32, col: u32, msg: String) -> Diag {
        Diag { line, col, msg }
    }
}

/// One output section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectionInfo {
    /// `.text`, `.rodata`, `.data` or `.bss`.
    pub name: String,
    pub addr: u32,
    pub size: u32,
    pub align: u32,
    /// The contents (empty for `.bss`, which is all zeros).
    pub bytes: Vec<u8>,
}

/// An assembled program.
#[derive(Clone, Debug)]
pub struct Program {
    /// Segments (one per non-empty section), entry (`_start`, else the
    /// start of `.text`) and labels.
    pub image: Image,
    /// All four sections, empty ones included, in address order.
    pub sections: Vec<SectionInfo>,
    /// `(address, source line)` of every instruction, sorted by address;
    /// each instruction of a pseudo-instruction's expansion is listed.
    pub source_map: Vec<(u32, u32)>,
    /// Labels declared `.globl` (bound globally in the ELF symbol table).
    pub globals: Vec<String>,
    /// Whether C was on anywhere (the ISA or `.option rvc`): the ELF's
    /// `EF_RISCV_RVC` flag, as GNU `as` sets it.
    pub rvc: bool,
}

impl Program {
    /// The source line of the instruction at `addr`.
    pub fn line_of(&self, addr: u32) -> Option<u32> {
        self.source_map
            .binary_search_by_key(&addr, |&(a, _)| a)
            .ok()
            .map(|i| self.source_map[i].1)
    }

    /// The section called `name`.
    pub fn section(&self, name: &str) -> Option<&SectionInfo> {
        self.sections.iter().find(|s| s.name == name)
    }

    /// Checks that every segment lies in `ram`, naming the first that does not.
    pub fn check_fits(&self, ram: MemRegion) -> Result<(), String> {
        for s in &self.image.segments {
            if !ram.contains_range(s.addr, s.mem_size) {
                return Err(format!(
                    "the program's {:#010x}..{:#010x} lies outside RAM ({:#010x}..{:#010x})",
                    s.addr,
                    s.end(),
                    ram.base,
                    ram.end()
                ));
            }
        }
        Ok(())
    }
}

/// Assembles `source`. Returns every error found, sorted by position.
pub fn assemble(source: &str, opts: &AsmOptions) -> Result<Program, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let statements = lexer::tokenize(source, &mut diags);
    let mut asm = assembler::Asm::new(opts.isa);
    for st in &statements {
        asm.statement(st);
    }
    diags.append(&mut asm.diags);
    let placement = layout::relax(&mut asm, opts.text_base);
    let emitted = layout::emit(&asm, &placement, &mut diags);
    let too_high = placement
        .sections
        .iter()
        .any(|&(_, a, s, _)| a + s > 1 << 32);
    if too_high {
        diags.push(Diag::new(
            1,
            1,
            format!(
                "the program does not fit below 4 GiB when .text starts at {:#x}",
                opts.text_base
            ),
        ));
    }
    if !diags.is_empty() {
        diags.sort_by_key(|d| (d.line, d.col));
        return Err(diags
            .into_iter()
            .map(|d| Diagnostic {
                file: opts.file_name.clone(),
                line: d.line,
                column: d.col,
                message: d.msg,
            })
            .collect());
    }
    Ok(build_program(&asm, &placement, emitted))
}

fn build_program(
    asm: &assembler::Asm,
    at: &layout::Placement,
    emitted: layout::Emitted,
) -> Program {
    let mut sections = Vec::new();
    for &(kind, addr, size, align) in &at.sections {
        let mut bytes = Vec::new();
        if kind != model::SectionKind::Bss {
            bytes = vec![0; size as usize];
            for (ci, c) in asm.chunks.iter().enumerate() {
                if c.kind == kind {
                    let off = (at.chunk_base[ci] - addr) as usize;
                    let b = &emitted.chunk_bytes[ci];
                    bytes[off..off + b.len()].copy_from_slice(b);
                }
            }
        }
        sections.push(SectionInfo {
            name: kind.name().into(),
            addr: addr as u32,
            size: size as u32,
            align,
            bytes,
        });
    }
    let resolver = layout::Resolver { asm, at };
    let addr_of = |name: &str| match asm.symbols.get(name) {
        Some(assembler::SymDef::Label { .. }) => resolver
            .eval(&expr::Expr::Sym {
                name: name.into(),
                shown: name.into(),
                col: 0,
            })
            .ok()
            .map(|v| v as u32),
        _ => None,
    };
    // Locals first, then globals: the order of the ELF symbol table, so an
    // image read back from `write_elf` output is identical.
    let mut symbols = Vec::new();
    let mut globals = Vec::new();
    for global in [false, true] {
        for name in asm
            .label_order
            .iter()
            .filter(|n| layout::is_exported_label(n))
        {
            if asm.globals.contains(name) != global {
                continue;
            }
            if let Some(addr) = addr_of(name) {
                let kind = asm.types.get(name).copied().unwrap_or(SymbolKind::Other);
                symbols.push(Symbol {
                    name: name.clone(),
                    addr,
                    size: 0,
                    kind,
                });
                if global {
                    globals.push(name.clone());
                }
            }
        }
    }
    let text = &sections[0];
    let entry = addr_of("_start").unwrap_or(text.addr);
    let segments = sections
        .iter()
        .filter(|s| s.size > 0)
        .map(|s| Segment {
            addr: s.addr,
            data: s.bytes.clone(),
            mem_size: s.size,
            executable: s.name == ".text",
        })
        .collect();
    let code = if text.size > 0 {
        vec![(text.addr, text.size)]
    } else {
        Vec::new()
    };
    Program {
        image: Image {
            format: ImageFormat::Elf,
            entry,
            segments,
            symbols: SymbolTable::new(symbols),
            code,
        },
        sections,
        source_map: emitted.source_map,
        globals,
        rvc: asm.any_rvc,
    }
}
