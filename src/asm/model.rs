//! What parsing produces and layout consumes: input sections ("chunks") of
//! fragments, each fragment one statement's bytes-to-be.

use super::compress::Rvc;
use super::expr::Expr;
use crate::isa::Op;

/// The four output sections, in layout order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum SectionKind {
    Text,
    Rodata,
    Data,
    Bss,
}

impl SectionKind {
    pub const ALL: [SectionKind; 4] = [
        SectionKind::Text,
        SectionKind::Rodata,
        SectionKind::Data,
        SectionKind::Bss,
    ];

    pub fn name(self) -> &'static str {
        match self {
            SectionKind::Text => ".text",
            SectionKind::Rodata => ".rodata",
            SectionKind::Data => ".data",
            SectionKind::Bss => ".bss",
        }
    }

    /// Which output section an input section name goes to, as the GNU
    /// linker's default script groups them.
    pub fn of_section_name(name: &str) -> Option<SectionKind> {
        let is = |base: &str| name == base || name.starts_with(&format!("{base}."));
        if is(".text") {
            Some(SectionKind::Text)
        } else if is(".rodata") || is(".srodata") {
            Some(SectionKind::Rodata)
        } else if is(".data") || is(".sdata") {
            Some(SectionKind::Data)
        } else if is(".bss") || is(".sbss") {
            Some(SectionKind::Bss)
        } else {
            None
        }
    }
}

/// One input section (`.text`, `.text.init`, ...). GNU `as` pads code
/// sections at the end to their alignment, so that is recorded here.
pub struct Chunk {
    pub name: String,
    pub kind: SectionKind,
    pub frags: Vec<Frag>,
    /// Largest alignment requested (bytes, a power of two).
    pub align: u32,
}

pub struct Frag {
    pub line: u32,
    pub kind: FragKind,
}

pub enum FragKind {
    /// Instructions of one source statement (a pseudo-instruction may
    /// expand to several), 4 bytes each, or 2 when compressed.
    Code(Vec<Part>),
    /// A conditional branch to a label, sized by relaxation as GNU `as`
    /// does (see [`Reach`]): `len` is 2 (`c.beqz`/`c.bnez`), 4, 6 (inverted
    /// `c.b*` over a `jal`) or 8 (inverted branch over a `jal`).
    Branch {
        op: Op,
        rs1: u8,
        rs2: u8,
        target: Expr,
        col: u32,
        reach: Reach,
        len: u8,
    },
    /// `j label` with C on (`c.j` or `jal`, by relaxation), and the
    /// explicit `c.j`/`c.jal`: `len` 2 or 4.
    Jump {
        rd: u8,
        target: Expr,
        col: u32,
        reach: Reach,
        len: u8,
    },
    /// `.word`/`.half`/`.byte` values, resolved after layout.
    Data {
        width: u8,
        values: Vec<(Expr, u32)>,
    },
    Bytes(Vec<u8>),
    Fill {
        len: u32,
        byte: u8,
    },
    /// Pad to `align` bytes; `fill: None` means "code fill" in text sections
    /// (zero byte, `c.nop`, then `nop`s as GNU `as` pads) or zeros elsewhere.
    Align {
        align: u32,
        fill: Option<u8>,
        max: Option<u32>,
    },
}

/// Which encodings relaxation may choose for a branch or jump.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    /// Without C: 4 bytes, or 8 when far or in another section.
    Base,
    /// With C, where a compressed form exists: 2 bytes when in reach.
    Compressible,
    /// An explicit `c.*` mnemonic: always 2 bytes, an error if too far.
    OnlyCompressed,
}

/// One instruction with its immediate still to be computed.
#[derive(Clone, Debug)]
pub struct Part {
    pub op: Op,
    pub rd: u8,
    pub rs1: u8,
    pub rs2: u8,
    pub imm: Imm,
    /// Which compressed forms the mnemonic it came from allows.
    pub rvc: Rvc,
    /// The 16-bit encoding, when compressed (decided while parsing, as GNU
    /// `as` does: only constant operands compress).
    pub half: Option<u16>,
}

#[derive(Clone, Debug)]
pub enum Imm {
    Fixed(i32),
    Expr { e: Expr, col: u32, kind: ImmKind },
}

/// How an immediate expression turns into instruction bits, and its range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImmKind {
    /// Plain 12-bit signed (I and S formats).
    Signed12,
    /// Shift amount 0..=31.
    Shamt,
    /// Plain 20-bit field of `lui`/`auipc`, 0..=0xfffff.
    Upper20,
    Hi,
    Lo,
    /// `%pcrel_hi(e)`: relative to this instruction.
    PcrelHi,
    /// Low part of `e` relative to the previous instruction (the `auipc` of
    /// `la`, `call`, `lw rd, sym`...).
    PcrelLoPrev,
    /// `%pcrel_lo(label)`: the low part of the `%pcrel_hi` at `label`.
    PcrelLo,
    /// `jal` target, ±1 MiB.
    Jal,
}

impl Part {
    /// A part with every field zero, for `..Part::BASE` in literals.
    pub const BASE: Part = Part {
        op: Op::Illegal,
        rd: 0,
        rs1: 0,
        rs2: 0,
        imm: Imm::Fixed(0),
        rvc: Rvc::Own,
        half: None,
    };

    pub fn new(op: Op, rd: u8, rs1: u8, rs2: u8, imm: i32) -> Part {
        Part {
            op,
            rd,
            rs1,
            rs2,
            imm: Imm::Fixed(imm),
            ..Part::BASE
        }
    }

    /// Bytes this part takes.
    pub fn size(&self) -> u64 {
        if self.half.is_some() { 2 } else { 4 }
    }
}
