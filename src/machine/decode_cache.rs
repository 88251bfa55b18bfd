//! A direct-mapped cache of decoded instructions, indexed by pc (in 16-bit
//! parcels, since instructions start at any 2-byte boundary) and tagged
//! with the instruction bits themselves (16 of them for a compressed one). Decoding depends only on the word, so a
//! hit is correct by construction and self-modifying code needs no
//! invalidation. It is host-side acceleration, not architectural state.

use crate::isa::{Inst, decode};

const ENTRIES: usize = 1 << 14;

/// Empty until first used, so that snapshots of a machine (which leave it
/// out) cost no allocation.
#[derive(Clone, Debug, Default)]
pub struct DecodeCache {
    slots: Vec<(u32, Inst)>,
}

impl DecodeCache {
    #[inline(always)]
    pub fn get(&mut self, pc: u32, word: u32) -> Inst {
        let i = (pc >> 1) as usize & (ENTRIES - 1);
        // The bounds check the index needs anyway doubles as the check
        // for the first use.
        let slot = match self.slots.get_mut(i) {
            Some(s) => s,
            None => self.allocate(i),
        };
        if slot.0 != word {
            *slot = (word, decode(word));
        }
        slot.1
    }

    #[cold]
    fn allocate(&mut self, i: usize) -> &mut (u32, Inst) {
        // Word 0 decodes to the illegal instruction, so empty slots are valid.
        self.slots = vec![(0, decode(0)); ENTRIES];
        &mut self.slots[i]
    }
}
