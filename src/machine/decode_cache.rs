//! A direct-mapped cache of decoded instructions, indexed by pc (in 16-bit
//! parcels, since instructions start at any 2-byte boundary) and tagged
//! with the bits the entry was decoded from. Every entry is `(tag,
//! decode(tag))`, so a hit is correct by construction and self-modifying
//! code needs no invalidation. It is host-side acceleration, not
//! architectural state.
//!
//! The hot loops (the functional core, the fast path) tag with the raw
//! 32-bit word at pc: a compressed instruction then also carries the
//! parcel after it in its tag, which costs a miss only when that parcel
//! changes, and spares them the compressed-or-not test on every fetch.
//! Other callers tag with the instruction's own bits (`isa::inst_bits`);
//! both kinds of tag decode to the same instruction.

use crate::isa::{Inst, decode, inst_len};

const ENTRIES: usize = 1 << 14;

/// The table itself: a fixed size, so that the masked index needs no
/// bounds check.
pub(crate) struct Table {
    slots: Box<[Slot; ENTRIES]>,
}

/// A tag and its decoded instruction: 16 bytes, so that the index is a
/// shift and a hit copies the instruction out whole (rebuilding it field
/// by field cost the hot loops more than the 4 bytes saved).
#[derive(Clone, Copy)]
struct Slot {
    tag: u32,
    inst: Inst,
}

impl Slot {
    fn new(tag: u32) -> Slot {
        let inst = decode(tag);
        debug_assert_eq!(inst.len as u32, inst_len(tag));
        Slot { tag, inst }
    }
}

impl Table {
    fn new() -> Table {
        // Word 0 decodes to the illegal instruction, so empty slots are
        // valid. Built on the heap: the table is 256 KiB.
        let slots: Box<[Slot]> = vec![Slot::new(0); ENTRIES].into_boxed_slice();
        match slots.try_into() {
            Ok(slots) => Table { slots },
            Err(_) => unreachable!("the vector has ENTRIES slots"),
        }
    }

    /// The instruction whose bits (raw word or `inst_bits`) are `word`,
    /// at `pc`.
    #[inline(always)]
    pub(crate) fn get(&mut self, pc: u32, word: u32) -> Inst {
        let slot = &mut self.slots[(pc >> 1) as usize & (ENTRIES - 1)];
        if slot.tag != word {
            *slot = Slot::new(word);
        }
        slot.inst
    }
}

/// Empty until first used, and empty again in a clone: snapshots of a
/// machine cost no copy of it.
#[derive(Default)]
pub struct DecodeCache {
    table: Option<Table>,
}

impl Clone for DecodeCache {
    fn clone(&self) -> Self {
        DecodeCache::default()
    }
}

impl std::fmt::Debug for DecodeCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DecodeCache")
    }
}

impl DecodeCache {
    #[inline(always)]
    pub fn get(&mut self, pc: u32, word: u32) -> Inst {
        self.table.get_or_insert_with(Table::new).get(pc, word)
    }

    /// Takes the table out for a hot loop to use directly (allocating it
    /// on first use); `put` gives it back.
    pub(crate) fn take(&mut self) -> Table {
        self.table.take().unwrap_or_else(Table::new)
    }

    pub(crate) fn put(&mut self, table: Table) {
        self.table = Some(table);
    }
}
