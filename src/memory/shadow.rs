//! The shadow cache that classifies misses (the "three Cs").
//!
//! A fully-associative LRU cache with as many lines as the real cache sees
//! the same accesses. For a miss in the real cache:
//! - *compulsory*: the line was never held before (first touch ever);
//! - *conflict*: the fully-associative cache holds it, so only the real
//!   cache's mapping (set conflicts) or replacement policy lost it;
//! - *capacity*: even the fully-associative cache lost it.
//!
//! Cost: the recency list is a doubly linked list in slot arrays (no
//! allocation once all slots exist) with a hash map from line address to
//! slot, so an access costs one expected-O(1) lookup plus O(1) list surgery.
//! A shadow miss adds an O(1) map update and an O(log n) update of the
//! `seen` set (which grows with the program's footprint in lines).
//!
//! The map uses a fixed hash function and is derived state: it is not
//! serialized but rebuilt from the slots, so save states never depend on
//! hashing and equality ignores it.

use std::collections::{BTreeSet, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

const NIL: u32 = u32::MAX;

/// What the shadow cache knew about a line before an access.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ShadowOutcome {
    /// The fully-associative cache held the line.
    Hit,
    /// Not held now, but held at some earlier time.
    MissSeen,
    /// Never held before.
    MissNew,
}

/// A fixed, fast hash for line addresses (the murmur3 64-bit finalizer;
/// line addresses have zero low bits, so the bits must be mixed).
#[derive(Default)]
struct LineHasher(u64);

impl Hasher for LineHasher {
    fn finish(&self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.0 = u64::from(n);
    }
}

type LineMap = HashMap<u32, u32, BuildHasherDefault<LineHasher>>;

#[derive(Clone, Debug)]
pub(crate) struct Shadow {
    s: State,
    /// Line address → slot; derived from `s.line[..]`.
    index: LineMap,
}

/// The serialized state of the shadow cache.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct State {
    capacity: u32,
    /// Per slot: line address, and the neighbours towards MRU / LRU.
    line: Vec<u32>,
    newer: Vec<u32>,
    older: Vec<u32>,
    /// Most and least recently used slots (`NIL` when empty).
    mru: u32,
    lru: u32,
    /// Every line address ever inserted.
    seen: BTreeSet<u32>,
}

impl PartialEq for Shadow {
    fn eq(&self, other: &Shadow) -> bool {
        self.s == other.s
    }
}

impl Eq for Shadow {}

impl Serialize for Shadow {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        self.s.serialize(ser)
    }
}

impl<'de> Deserialize<'de> for Shadow {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Shadow, D::Error> {
        let s = State::deserialize(de)?;
        let n = s.line.len();
        let links_ok = s.newer.len() == n
            && s.older.len() == n
            && n <= s.capacity as usize
            && [s.mru, s.lru]
                .into_iter()
                .chain(s.newer.iter().copied())
                .chain(s.older.iter().copied())
                .all(|x| x == NIL || (x as usize) < n)
            && (n == 0) == (s.mru == NIL);
        if !links_ok {
            return Err(serde::de::Error::custom("inconsistent shadow cache state"));
        }
        let index: LineMap = s
            .line
            .iter()
            .enumerate()
            .map(|(slot, &l)| (l, slot as u32))
            .collect();
        if index.len() != n {
            return Err(serde::de::Error::custom("duplicate line in shadow cache"));
        }
        Ok(Shadow { s, index })
    }
}

impl Shadow {
    pub(crate) fn new(capacity: u32) -> Shadow {
        Shadow {
            s: State {
                capacity,
                line: Vec::new(),
                newer: Vec::new(),
                older: Vec::new(),
                mru: NIL,
                lru: NIL,
                seen: BTreeSet::new(),
            },
            index: LineMap::default(),
        }
    }

    /// Empties the cache (after a flush or invalidation); `seen` survives,
    /// so later misses on old lines count as capacity, not compulsory.
    pub(crate) fn clear(&mut self) {
        self.index.clear();
        self.s.line.clear();
        self.s.newer.clear();
        self.s.older.clear();
        self.s.mru = NIL;
        self.s.lru = NIL;
    }

    /// Accesses `line_addr`: a held line becomes most recently used; a
    /// missing one is inserted (evicting the LRU line) if `allocate`.
    #[inline]
    pub(crate) fn access(&mut self, line_addr: u32, allocate: bool) -> ShadowOutcome {
        if let Some(&slot) = self.index.get(&line_addr) {
            self.unlink(slot);
            self.push_mru(slot);
            return ShadowOutcome::Hit;
        }
        if !allocate {
            return if self.s.seen.contains(&line_addr) {
                ShadowOutcome::MissSeen
            } else {
                ShadowOutcome::MissNew
            };
        }
        let slot = if (self.s.line.len() as u32) < self.s.capacity {
            self.s.line.push(line_addr);
            self.s.newer.push(NIL);
            self.s.older.push(NIL);
            self.s.line.len() as u32 - 1
        } else {
            let slot = self.s.lru;
            self.unlink(slot);
            self.index.remove(&self.s.line[slot as usize]);
            self.s.line[slot as usize] = line_addr;
            slot
        };
        self.index.insert(line_addr, slot);
        self.push_mru(slot);
        if self.s.seen.insert(line_addr) {
            ShadowOutcome::MissNew
        } else {
            ShadowOutcome::MissSeen
        }
    }

    fn unlink(&mut self, slot: u32) {
        let (newer, older) = (self.s.newer[slot as usize], self.s.older[slot as usize]);
        match newer {
            NIL => self.s.mru = older,
            n => self.s.older[n as usize] = older,
        }
        match older {
            NIL => self.s.lru = newer,
            o => self.s.newer[o as usize] = newer,
        }
    }

    fn push_mru(&mut self, slot: u32) {
        self.s.newer[slot as usize] = NIL;
        self.s.older[slot as usize] = self.s.mru;
        match self.s.mru {
            NIL => self.s.lru = slot,
            m => self.s.newer[m as usize] = slot,
        }
        self.s.mru = slot;
    }
}
