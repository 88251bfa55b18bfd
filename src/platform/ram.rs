//! Main memory: a flat little-endian byte array.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Ram {
    base: u32,
    bytes: Vec<u8>,
}

impl Ram {
    pub fn new(base: u32, size: u32) -> Ram {
        Ram {
            base,
            bytes: vec![0; size as usize],
        }
    }

    pub fn base(&self) -> u32 {
        self.base
    }

    pub fn size(&self) -> u32 {
        self.bytes.len() as u32
    }

    /// One past the last byte, saturated at 4 GiB.
    pub fn end(&self) -> u64 {
        self.base as u64 + self.bytes.len() as u64
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    pub fn as_bytes_mut(&mut self) -> &mut [u8] {
        &mut self.bytes
    }

    /// Offset of `addr` if `width` bytes there are all in RAM.
    #[inline(always)]
    pub fn offset(&self, addr: u32, width: u32) -> Option<usize> {
        let off = addr.wrapping_sub(self.base) as usize;
        (off + width as usize <= self.bytes.len()).then_some(off)
    }

    /// Reads `width` (1, 2 or 4) bytes; the caller has checked the range.
    #[inline(always)]
    pub fn read(&self, addr: u32, width: u32) -> u32 {
        let off = addr.wrapping_sub(self.base) as usize;
        match width {
            1 => self.bytes[off] as u32,
            2 => u16::from_le_bytes([self.bytes[off], self.bytes[off + 1]]) as u32,
            _ => u32::from_le_bytes(self.bytes[off..off + 4].try_into().unwrap()),
        }
    }

    /// Writes the low `width` bytes of `value`; the caller has checked the range.
    #[inline(always)]
    pub fn write(&mut self, addr: u32, width: u32, value: u32) {
        let off = addr.wrapping_sub(self.base) as usize;
        let bytes = value.to_le_bytes();
        self.bytes[off..off + width as usize].copy_from_slice(&bytes[..width as usize]);
    }

    /// Reads an aligned 32-bit word if it lies in RAM: the fetch fast path.
    #[inline(always)]
    pub fn fetch(&self, addr: u32) -> Option<u32> {
        let off = addr.wrapping_sub(self.base) as usize;
        self.bytes
            .get(off..off + 4)
            .map(|b| u32::from_le_bytes(b.try_into().unwrap()))
    }

    /// Copies `data` to `addr`; false if it does not fit.
    pub fn write_bytes(&mut self, addr: u32, data: &[u8]) -> bool {
        match self.offset(addr, 0) {
            Some(off) if off + data.len() <= self.bytes.len() => {
                self.bytes[off..off + data.len()].copy_from_slice(data);
                true
            }
            _ => false,
        }
    }

    /// The bytes at `addr..addr+len`, if all in RAM.
    pub fn slice(&self, addr: u32, len: u32) -> Option<&[u8]> {
        let off = self.offset(addr, len)?;
        Some(&self.bytes[off..off + len as usize])
    }
}
