//! A direct-mapped cache of decoded instructions, indexed by pc (in 16-bit
//! parcels, since instructions start at any 2-byte boundary) and tagged
//! with the instruction bits themselves (16 of them for a compressed one). Decoding depends only on the word, so a
//! hit is correct by construction and self-modifying code needs no
//! invalidation. It is host-side acceleration, not architectural state.

use crate::isa::{Inst, decode};

const ENTRIES: usize = 1 << 14;

#[derive(Clone, Debug)]
pub struct DecodeCache {
    slots: Vec<(u32, Inst)>,
}

impl Default for DecodeCache {
    fn default() -> Self {
        // Word 0 decodes to the illegal instruction, so empty slots are valid.
        DecodeCache {
            slots: vec![(0, decode(0)); ENTRIES],
        }
    }
}

impl DecodeCache {
    #[inline(always)]
    pub fn get(&mut self, pc: u32, word: u32) -> Inst {
        let i = (pc >> 1) as usize & (ENTRIES - 1);
        let slot = &mut self.slots[i];
        if slot.0 != word {
            *slot = (word, decode(word));
        }
        slot.1
    }
}
