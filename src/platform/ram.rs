//! Main memory: a flat little-endian byte array, plus a bitmap of the 4 KiB
//! pages written since the debugger's timeline last looked.
//!
//! The bytes stay one flat `Vec` so that the hot paths (fetch, load,
//! store) index it directly. Every write path marks its page dirty (one OR
//! per store), and nothing hands out the bytes mutably, so the bitmap is
//! exact: `debug::timeline` builds a snapshot from the pages written since
//! the previous one and shares the rest (copy on write).

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::ser::{SerializeStruct, Serializer};
use serde::{Deserialize, Serialize};

/// log2 of the page size the dirty bitmap tracks.
pub const PAGE_SHIFT: u32 = 12;
/// Bytes per page.
pub const PAGE_SIZE: usize = 1 << PAGE_SHIFT;
/// One bitmap word covers 64 pages: bits 12..18 of an offset pick the
/// bit, the bits above pick the word.
const WORD_SHIFT: u32 = PAGE_SHIFT + 6;

#[derive(Clone, Debug)]
pub struct Ram {
    base: u32,
    bytes: Vec<u8>,
    /// One bit per page: written since the last `clear_dirty`.
    dirty: Vec<u64>,
    /// Which copy the bitmap is relative to: 0 for all zeros (a new RAM),
    /// else the id `clear_dirty` was given (one timeline's page store).
    dirty_base: u64,
}

fn dirty_words(len: usize) -> usize {
    len.div_ceil(PAGE_SIZE).div_ceil(64)
}

impl Ram {
    /// Zeroed RAM; no page counts as written (they all equal the zero
    /// page the timeline starts from).
    pub fn new(base: u32, size: u32) -> Ram {
        let bytes = vec![0; size as usize];
        Ram {
            base,
            dirty: vec![0; dirty_words(bytes.len())],
            dirty_base: 0,
            bytes,
        }
    }

    /// RAM holding `bytes`; every page counts as written.
    fn from_bytes(base: u32, bytes: Vec<u8>) -> Ram {
        let mut ram = Ram {
            base,
            dirty: vec![0; dirty_words(bytes.len())],
            dirty_base: 0,
            bytes,
        };
        ram.mark_all_dirty();
        ram
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

    #[inline(always)]
    fn mark(&mut self, off: usize) {
        if let Some(w) = self.dirty.get_mut(off >> WORD_SHIFT) {
            *w |= 1 << ((off >> PAGE_SHIFT) & 63);
        }
    }

    /// Writes the low `width` bytes of `value`; the caller has checked the range.
    #[inline(always)]
    pub fn write(&mut self, addr: u32, width: u32, value: u32) {
        let off = addr.wrapping_sub(self.base) as usize;
        let bytes = value.to_le_bytes();
        self.bytes[off..off + width as usize].copy_from_slice(&bytes[..width as usize]);
        // A misaligned debugger poke may cross into the next page.
        self.mark(off);
        self.mark(off + width as usize - 1);
    }

    /// Reads `width` (1, 2 or 4) bytes if they all lie in RAM: the load
    /// fast path (one range check).
    #[inline(always)]
    pub fn load(&self, addr: u32, width: u32) -> Option<u32> {
        let off = addr.wrapping_sub(self.base) as usize;
        let b = self.bytes.get(off..off + width as usize)?;
        Some(match width {
            1 => b[0] as u32,
            2 => u16::from_le_bytes([b[0], b[1]]) as u32,
            _ => u32::from_le_bytes([b[0], b[1], b[2], b[3]]),
        })
    }

    /// Writes the low `width` (1, 2 or 4) bytes of `value` at `addr`,
    /// aligned to `width`, if they lie in RAM; false if not. The store
    /// fast path: a machine's RAM starts at `RAM_BASE` (`check_loaded`
    /// holds loaded ones to it), a page boundary, so an aligned access
    /// lies in one page and marks one bit.
    #[inline(always)]
    pub fn store_aligned(&mut self, addr: u32, width: u32, value: u32) -> bool {
        let off = addr.wrapping_sub(self.base) as usize;
        let Some(b) = self.bytes.get_mut(off..off + width as usize) else {
            return false;
        };
        let v = value.to_le_bytes();
        match width {
            1 => b[0] = v[0],
            2 => b.copy_from_slice(&v[..2]),
            _ => b.copy_from_slice(&v),
        }
        self.mark(off);
        true
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
                if !data.is_empty() {
                    let first = off >> PAGE_SHIFT;
                    let last = (off + data.len() - 1) >> PAGE_SHIFT;
                    for p in first..=last {
                        self.mark(p << PAGE_SHIFT);
                    }
                }
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

    /// Number of pages (the last one may be short).
    pub fn pages(&self) -> usize {
        self.bytes.len().div_ceil(PAGE_SIZE)
    }

    /// The bytes of page `index`.
    pub fn page(&self, index: usize) -> &[u8] {
        let start = index << PAGE_SHIFT;
        &self.bytes[start..(start + PAGE_SIZE).min(self.bytes.len())]
    }

    /// Overwrites page `index` without marking it dirty: the timeline
    /// restoring a snapshot, after which RAM equals that snapshot.
    pub(crate) fn restore_page(&mut self, index: usize, data: &[u8]) {
        let start = index << PAGE_SHIFT;
        self.bytes[start..start + data.len()].copy_from_slice(data);
    }

    /// The dirty bitmap: bit `p % 64` of word `p / 64` is page `p`.
    pub fn dirty(&self) -> &[u64] {
        &self.dirty
    }

    pub fn is_dirty(&self, page: usize) -> bool {
        self.dirty
            .get(page >> 6)
            .is_some_and(|w| w & (1 << (page & 63)) != 0)
    }

    /// Only the timeline clears the bitmap: it then holds a copy of every
    /// page as it is now.
    pub(crate) fn clear_dirty(&mut self, base: u64) {
        self.dirty.fill(0);
        self.dirty_base = base;
    }

    /// What the dirty bitmap is relative to (see `dirty_base`).
    pub fn dirty_base(&self) -> u64 {
        self.dirty_base
    }

    /// Counts every page as written (relative to anything, so also to an
    /// all-zero RAM).
    pub fn mark_all_dirty(&mut self) {
        self.dirty_base = 0;
        let pages = self.pages();
        for (i, w) in self.dirty.iter_mut().enumerate() {
            let n = pages.saturating_sub(i * 64).min(64);
            *w = if n == 64 { u64::MAX } else { (1u64 << n) - 1 };
        }
    }

    /// RAM of `size` bytes at `base` holding `pages` (index, bytes), zero
    /// elsewhere; `None` if a page lies outside it.
    pub fn from_pages(base: u32, size: u32, pages: &[(u32, Vec<u8>)]) -> Option<Ram> {
        let mut ram = Ram::new(base, size);
        for (index, data) in pages {
            let start = (*index as usize).checked_mul(PAGE_SIZE)?;
            if data.len() > PAGE_SIZE || start + data.len() > ram.bytes.len() {
                return None;
            }
            ram.bytes[start..start + data.len()].copy_from_slice(data);
        }
        ram.mark_all_dirty();
        Some(ram)
    }

    /// The pages holding anything but zeros, as (index, bytes).
    pub fn nonzero_pages(&self) -> Vec<(u32, Vec<u8>)> {
        (0..self.pages())
            .filter(|&p| self.page(p).iter().any(|&b| b != 0))
            .map(|p| (p as u32, self.page(p).to_vec()))
            .collect()
    }

    /// Moves the bytes out (leaving this RAM empty), so that the rest of
    /// the machine can be cloned cheaply; `put_bytes` puts them back.
    pub(crate) fn take_bytes(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.bytes)
    }

    pub(crate) fn put_bytes(&mut self, bytes: Vec<u8>) {
        self.bytes = bytes;
    }
}

// Serialized as its base and one byte string (not a sequence of numbers):
// a 64 MiB RAM then costs one copy in binary formats. The dirty bitmap is
// host-side bookkeeping; a loaded RAM counts every page as written.
impl Serialize for Ram {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Bytes<'a>(&'a [u8]);
        impl Serialize for Bytes<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_bytes(self.0)
            }
        }
        let mut st = s.serialize_struct("Ram", 2)?;
        st.serialize_field("base", &self.base)?;
        st.serialize_field("bytes", &Bytes(&self.bytes))?;
        st.end()
    }
}

impl<'de> Deserialize<'de> for Ram {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Ram, D::Error> {
        struct ByteBuf(Vec<u8>);
        impl<'de> Deserialize<'de> for ByteBuf {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ByteBuf, D::Error> {
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = ByteBuf;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str("RAM bytes")
                    }
                    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<ByteBuf, E> {
                        Ok(ByteBuf(v.to_vec()))
                    }
                    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<ByteBuf, E> {
                        Ok(ByteBuf(v))
                    }
                    fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<ByteBuf, A::Error> {
                        let mut v = Vec::new();
                        while let Some(b) = a.next_element()? {
                            v.push(b);
                        }
                        Ok(ByteBuf(v))
                    }
                }
                d.deserialize_byte_buf(V)
            }
        }
        #[derive(Deserialize)]
        #[serde(rename = "Ram")]
        struct Repr {
            base: u32,
            bytes: ByteBuf,
        }
        let r = Repr::deserialize(d)?;
        if r.bytes.0.len() > 1 << 31 {
            return Err(de::Error::custom("RAM larger than 2 GiB"));
        }
        Ok(Ram::from_bytes(r.base, r.bytes.0))
    }
}
