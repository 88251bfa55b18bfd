//! Why an image could not be loaded, worded for a student reading the message.

use super::MemRegion;
use thiserror::Error;

/// Every way loading can fail. Each variant names the problem so the
/// message alone tells the student what is wrong with the file.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LoadError {
    #[error("empty file: there is no program to load")]
    Empty,

    #[error("not an ELF file (bad magic): it does not start with 0x7f 'E' 'L' 'F'")]
    NotElf,

    #[error(
        "64-bit ELF: Glassbox runs RV32 programs only (compile with -march=rv32i... -mabi=ilp32)"
    )]
    Elf64,

    #[error("invalid ELF class {0} in e_ident (expected 1 = 32-bit)")]
    BadClass(u8),

    #[error("big-endian ELF: RISC-V programs for Glassbox must be little-endian")]
    BigEndian,

    #[error("invalid ELF data encoding {0} in e_ident (expected 1 = little-endian)")]
    BadEncoding(u8),

    #[error("ELF is for {machine}, not RISC-V (243)", machine = machine_desc(*.0))]
    WrongMachine(u16),

    #[error("not an executable (ELF type {name}){hint}", name = type_name(*.0), hint = type_hint(*.0))]
    NotExecutable(u16),

    /// A structure the file declares lies (partly) past the end of the file.
    #[error(
        "file truncated: {what} extends past end of file \
         (offset {offset}, {}, file size {file_size})",
        crate::words::plural(*.len, "byte")
    )]
    Truncated {
        what: String,
        offset: u64,
        len: u64,
        file_size: u64,
    },

    /// A header field holds a value the ELF spec does not allow.
    #[error("malformed ELF: {0}")]
    Malformed(String),

    /// The ELF's float ABI flag (`e_flags` bits 1-2): the program passes
    /// floating-point values in F/D registers Glassbox does not have.
    #[error(
        "this program was built for the {abi}-float ABI (ELF flag EF_RISCV_FLOAT_ABI_{flag}, \
         from -mabi={mabi}), but Glassbox has no floating-point registers (no F or D \
         extension): build with -mabi=ilp32 and an -march without f or d, for \
         example -march=rv32imac -mabi=ilp32",
        abi = float_abi(*.0).0, flag = float_abi(*.0).1, mabi = float_abi(*.0).2
    )]
    FloatAbi(u32),

    #[error("no loadable segments: the ELF has no PT_LOAD program header with a non-zero size")]
    NoLoadableSegments,

    /// `end` is exclusive; u64 because a segment may end exactly at 4 GiB.
    #[error(
        "segment {}–{} lies outside RAM {}: link the program at {} (for example \
         -T roms/common/link.ld, -T assets/sdk/glassbox.ld with picolibc, or \
         -Ttext={})",
        hex(*.start), hex_end(*.end), ram_range(.ram), hex(.ram.base), hex(.ram.base)
    )]
    SegmentOutsideRam {
        start: u32,
        end: u64,
        ram: MemRegion,
    },

    /// Two segments claim the same memory; ranges are `[start, end)`.
    #[error(
        "segments overlap: {}–{} and {}–{}",
        hex(.first.0), hex_end(.first.1), hex(.second.0), hex_end(.second.1)
    )]
    OverlappingSegments {
        first: (u32, u64),
        second: (u32, u64),
    },

    #[error("image of {size} bytes is larger than RAM ({ram_size} bytes)")]
    TooLarge { size: u64, ram_size: u32 },

    #[error("entry point {addr} is not inside a loaded segment", addr = hex(*.0))]
    EntryOutsideSegments(u32),

    #[error("raw image load address {} is outside RAM {}", hex(*.addr), ram_range(.ram))]
    RawAddrOutsideRam { addr: u32, ram: MemRegion },

    #[error(
        "raw image of {len} bytes at {} runs past the end of RAM {}",
        hex(*.addr), ram_range(.ram)
    )]
    RawPastEndOfRam { addr: u32, len: u64, ram: MemRegion },

    /// The file could not be read; the text names the path and the OS reason.
    #[error("cannot read {0}")]
    Io(String),
}

/// (ABI name, flag suffix, -mabi value) for the float-ABI bits of e_flags.
fn float_abi(bits: u32) -> (&'static str, &'static str, &'static str) {
    match bits {
        1 => ("single", "SINGLE", "ilp32f"),
        2 => ("double", "DOUBLE", "ilp32d"),
        _ => ("quad", "QUAD", "ilp32q"),
    }
}

fn hex(v: u32) -> String {
    format!("{v:#010x}")
}

/// Formats an exclusive end as the last byte it covers, as students read ranges.
fn hex_end(end: u64) -> String {
    format!("{:#010x}", end.saturating_sub(1))
}

fn ram_range(ram: &MemRegion) -> String {
    if ram.size == 0 {
        return format!("(empty region at {})", hex(ram.base));
    }
    format!("{}–{}", hex(ram.base), hex_end(ram.end()))
}

/// Names for the e_machine values a student is likely to meet by mistake.
pub fn machine_name(m: u16) -> &'static str {
    match m {
        0 => "none",
        2 => "SPARC",
        3 => "x86 (i386)",
        8 => "MIPS",
        20 => "PowerPC",
        21 => "PowerPC64",
        40 => "ARM",
        42 => "SuperH",
        50 => "IA-64",
        62 => "x86-64",
        83 => "AVR",
        94 => "Xtensa",
        183 => "AArch64",
        243 => "RISC-V",
        247 => "BPF",
        258 => "LoongArch",
        _ => "unknown",
    }
}

fn machine_desc(m: u16) -> String {
    match machine_name(m) {
        "unknown" => format!("an unknown machine ({m})"),
        name => format!("machine {name} ({m})"),
    }
}

fn type_name(t: u16) -> String {
    match t {
        0 => "none".into(),
        1 => "relocatable".into(),
        2 => "executable".into(),
        3 => "shared object".into(),
        4 => "core dump".into(),
        _ => format!("{t}"),
    }
}

fn type_hint(t: u16) -> &'static str {
    match t {
        1 => "; this is an object file: link it into an executable first",
        4 => "; this is a core dump, not a program",
        _ => "",
    }
}
