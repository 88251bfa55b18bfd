//! Replacement state of a set-associative cache: which way a miss evicts.
//!
//! Invalid ways are always filled first (lowest way first) by the cache
//! itself; this module only chooses among valid ways of a full set.
//!
//! | policy   | state                                   | updated on       |
//! | -------- | --------------------------------------- | ---------------- |
//! | LRU      | a last-use stamp per line               | every access     |
//! | FIFO     | a fill stamp per line                   | fills only       |
//! | random   | one xorshift64* generator per cache     | victim choice    |
//! | tree-PLRU| `ways - 1` bits per set (heap order)    | every access     |
//!
//! Stamps come from the cache's access counter, so they are unique and
//! increasing; the victim is the smallest stamp in the set.

use serde::{Deserialize, Serialize};

use super::cache::Replacement;

/// Non-zero stand-in for a zero random seed (xorshift's state must not be 0).
const ZERO_SEED: u64 = 0x9e37_79b9_7f4a_7c15;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ReplState {
    policy: Replacement,
    ways: u32,
    /// LRU: last use; FIFO: fill time. One per line (set * ways + way).
    stamps: Vec<u64>,
    /// Tree-PLRU bits, one `u64` per set. Node `n` (heap order, root 0,
    /// children `2n+1`, `2n+2`) is bit `n`; 0 means "the victim is in the
    /// left (lower-numbered) half", 1 "in the right half".
    plru: Vec<u64>,
    /// Random: xorshift64* state.
    rng: u64,
}

impl ReplState {
    pub(crate) fn new(policy: Replacement, sets: u32, ways: u32) -> ReplState {
        let lines = sets as usize * ways as usize;
        let stamps = match policy {
            Replacement::Lru | Replacement::Fifo => vec![0; lines],
            _ => Vec::new(),
        };
        let plru = match policy {
            Replacement::TreePlru => vec![0; sets as usize],
            _ => Vec::new(),
        };
        let rng = match policy {
            Replacement::Random { seed: 0 } => ZERO_SEED,
            Replacement::Random { seed } => seed,
            _ => 0,
        };
        ReplState {
            policy,
            ways,
            stamps,
            plru,
            rng,
        }
    }

    /// Forgets all recency information (after the cache is invalidated).
    /// The random generator keeps its state: the run stays one sequence.
    pub(crate) fn reset(&mut self) {
        self.stamps.fill(0);
        self.plru.fill(0);
    }

    /// Records an access to `(set, way)` at time `tick`; `fill` tells a
    /// miss that just brought the line in from a hit.
    #[inline]
    pub(crate) fn touch(&mut self, set: u32, way: u32, tick: u64, fill: bool) {
        match self.policy {
            Replacement::Lru => self.stamps[(set * self.ways + way) as usize] = tick,
            Replacement::Fifo => {
                if fill {
                    self.stamps[(set * self.ways + way) as usize] = tick;
                }
            }
            Replacement::Random { .. } => {}
            Replacement::TreePlru => {
                let bits = &mut self.plru[set as usize];
                let (mut node, mut lo, mut span) = (0u32, 0u32, self.ways);
                while span > 1 {
                    let half = span / 2;
                    if way < lo + half {
                        *bits |= 1 << node; // used the left half: evict right next
                        node = 2 * node + 1;
                    } else {
                        *bits &= !(1 << node);
                        node = 2 * node + 2;
                        lo += half;
                    }
                    span = half;
                }
            }
        }
    }

    /// The way to evict from a full set.
    pub(crate) fn victim(&mut self, set: u32) -> u32 {
        match self.policy {
            Replacement::Lru | Replacement::Fifo => {
                let base = (set * self.ways) as usize;
                let stamps = &self.stamps[base..base + self.ways as usize];
                let mut best = 0;
                for (way, &s) in stamps.iter().enumerate() {
                    if s < stamps[best] {
                        best = way;
                    }
                }
                best as u32
            }
            Replacement::Random { .. } => (self.next_random() % u64::from(self.ways)) as u32,
            Replacement::TreePlru => plru_victim(self.plru[set as usize], self.ways),
        }
    }

    fn next_random(&mut self) -> u64 {
        // xorshift64* (Vigna): small, fast, and good enough for victims.
        let mut x = self.rng;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.rng = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Replacement state of one line for inspection: a number and its text.
    ///
    /// LRU: age rank among the set's valid lines (0 = most recently used).
    /// FIFO: age rank by fill time (0 = newest; the highest goes first).
    /// Tree-PLRU: the set's bits (bit n = node n) and the next victim way.
    /// Random: no per-line state (0).
    pub(crate) fn view(&self, set: u32, way: u32, valid: &[bool]) -> (u64, String) {
        match self.policy {
            Replacement::Lru | Replacement::Fifo => {
                if !valid[way as usize] {
                    return (0, "-".into());
                }
                let base = (set * self.ways) as usize;
                let mine = self.stamps[base + way as usize];
                let age = (0..self.ways as usize)
                    .filter(|&w| valid[w] && self.stamps[base + w] > mine)
                    .count() as u64;
                let what = if self.policy == Replacement::Lru {
                    "LRU"
                } else {
                    "FIFO"
                };
                (age, format!("{what} age {age} of {}", self.ways))
            }
            Replacement::Random { .. } => (0, "random".into()),
            Replacement::TreePlru => {
                let bits = self.plru[set as usize];
                let nodes = self.ways as usize - 1;
                let text: String = (0..nodes)
                    .map(|n| if bits >> n & 1 == 1 { '1' } else { '0' })
                    .collect();
                let victim = plru_victim(bits, self.ways);
                let text = if nodes == 0 {
                    "PLRU (1 way)".to_string()
                } else {
                    format!("PLRU bits {text} (node 0 first), next victim way {victim}")
                };
                (bits, text)
            }
        }
    }
}

/// Follows the tree-PLRU bits from the root to the way they point at.
fn plru_victim(bits: u64, ways: u32) -> u32 {
    let (mut node, mut lo, mut span) = (0u32, 0u32, ways);
    while span > 1 {
        let half = span / 2;
        if bits >> node & 1 == 0 {
            node = 2 * node + 1;
        } else {
            node = 2 * node + 2;
            lo += half;
        }
        span = half;
    }
    lo
}
