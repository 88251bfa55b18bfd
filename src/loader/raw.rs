//! Flat binaries: the file is copied byte for byte to one address.

use super::{Image, ImageFormat, LoadError, MemRegion, Segment};
use crate::symbols::SymbolTable;

/// Loads `bytes` as one segment at `addr`; execution starts at `addr`.
/// A raw file has no headers, so the only checks are that it is non-empty
/// and fits in RAM at that address.
pub fn load_raw(bytes: &[u8], addr: u32, ram: MemRegion) -> Result<Image, LoadError> {
    if bytes.is_empty() {
        return Err(LoadError::Empty);
    }
    // An image must start on a RAM byte (not just at its end).
    if addr < ram.base || u64::from(addr) >= ram.end() {
        return Err(LoadError::RawAddrOutsideRam { addr, ram });
    }
    let len = bytes.len() as u64;
    if len > u64::from(ram.size) {
        return Err(LoadError::TooLarge {
            size: len,
            ram_size: ram.size,
        });
    }
    if u64::from(addr) + len > ram.end() {
        return Err(LoadError::RawPastEndOfRam { addr, len, ram });
    }
    // len <= ram.size, so it fits in u32.
    let mem_size = u32::try_from(len).map_err(|_| LoadError::TooLarge {
        size: len,
        ram_size: ram.size,
    })?;
    Ok(Image {
        format: ImageFormat::Raw,
        entry: addr,
        segments: vec![Segment {
            addr,
            data: bytes.to_vec(),
            mem_size,
            executable: true,
        }],
        code: vec![(addr, mem_size)],
        symbols: SymbolTable::default(),
    })
}
