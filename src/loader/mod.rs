//! Turns a program file (RISC-V ELF32 executable or flat binary) into an
//! [`Image`]: the bytes to place in RAM, the entry point and the symbols.
//!
//! The loader never panics and never trusts the file: every offset and size
//! is checked, so a corrupt or hostile file gives a [`LoadError`] that names
//! the problem instead of crashing the emulator a student is learning with.

mod elf;
mod error;
mod raw;

pub use elf::load_elf;
pub use error::{LoadError, machine_name};
pub use raw::load_raw;

/// Re-exported so users of [`Image`] need one import.
pub use crate::symbols::{Symbol, SymbolKind, SymbolTable};

use std::path::Path;

/// Where an image may be placed (the machine's RAM).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemRegion {
    pub base: u32,
    pub size: u32,
}

impl MemRegion {
    /// One past the last byte; u64 because RAM may end exactly at 4 GiB.
    pub fn end(&self) -> u64 {
        u64::from(self.base) + u64::from(self.size)
    }

    /// Whether `[addr, addr + len)` lies inside the region. Computed in u64 so
    /// hostile sizes cannot wrap around the 32-bit address space. An empty
    /// range is contained if it starts inside the region or at its end.
    pub fn contains_range(&self, addr: u32, len: u32) -> bool {
        addr >= self.base && u64::from(addr) + u64::from(len) <= self.end()
    }
}

/// A run of memory to initialise: `data` first, then zeros up to `mem_size`
/// (the .bss part), so the machine never reads leftover RAM contents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    pub addr: u32,
    pub data: Vec<u8>,
    pub mem_size: u32,
    /// Holds code (ELF `PF_X`; always true for raw images, which have no
    /// flags): tells the disassembly listing which regions to decode.
    pub executable: bool,
}

impl Segment {
    /// One past the last byte of the segment (exclusive, may be 2^32).
    pub fn end(&self) -> u64 {
        u64::from(self.addr) + u64::from(self.mem_size)
    }

    /// Whether `addr` is one of the segment's bytes.
    pub fn contains(&self, addr: u32) -> bool {
        addr >= self.addr && u64::from(addr) < self.end()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageFormat {
    Elf,
    Raw,
}

/// A program ready to be copied into RAM.
#[derive(Clone, Debug)]
pub struct Image {
    pub format: ImageFormat,
    pub entry: u32,
    /// Sorted by address, non-overlapping, all inside the RAM given to the loader.
    pub segments: Vec<Segment>,
    /// Empty for raw images.
    pub symbols: SymbolTable,
    /// Address and length of each region holding instructions (for
    /// disassembly listings), sorted.
    pub code: Vec<(u32, u32)>,
}

impl Image {
    /// Address of symbol `tohost`: where riscv-tests style programs report
    /// their result to the host.
    pub fn tohost(&self) -> Option<u32> {
        self.symbols.lookup("tohost")
    }

    /// Address of symbol `fromhost`: the host's reply channel.
    pub fn fromhost(&self) -> Option<u32> {
        self.symbols.lookup("fromhost")
    }
}

/// The 4 bytes every ELF file starts with.
pub const ELF_MAGIC: [u8; 4] = [0x7f, b'E', b'L', b'F'];

/// Loads a file's contents: ELF if it starts with the ELF magic, else a raw
/// binary at `raw_addr` (default `ram.base`). Sniffing the magic lets the
/// student pass either kind of file without a flag.
pub fn load_bytes(bytes: &[u8], ram: MemRegion, raw_addr: Option<u32>) -> Result<Image, LoadError> {
    if bytes.is_empty() {
        return Err(LoadError::Empty);
    }
    if bytes.starts_with(&ELF_MAGIC) {
        load_elf(bytes, ram)
    } else {
        load_raw(bytes, raw_addr.unwrap_or(ram.base), ram)
    }
}

/// Reads `path` and loads it with [`load_bytes`]. Read errors name the path.
pub fn load_file(path: &Path, ram: MemRegion, raw_addr: Option<u32>) -> Result<Image, LoadError> {
    let bytes =
        std::fs::read(path).map_err(|e| LoadError::Io(format!("{}: {e}", path.display())))?;
    load_bytes(&bytes, ram, raw_addr)
}
