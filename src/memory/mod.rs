//! The memory hierarchy: a configurable cache model ([`Cache`]) that holds
//! real data and reports every access as an [`AccessEvent`], and the
//! [`Hierarchy`] of L1I, L1D, L2 and main memory that the timing cores
//! reach RAM through.
//!
//! - `hierarchy`: the levels, their costs (timing rules 12–16), the write
//!   buffer, per-cycle events and the hit-rate series;
//! - `cache`: configuration, validation, the cache itself, statistics;
//! - `replacement`: LRU, FIFO, random and tree-PLRU state;
//! - `shadow`: the fully-associative LRU shadow cache that classifies
//!   misses as compulsory, capacity or conflict.

pub mod cache;
pub mod hierarchy;
mod replacement;
mod shadow;

pub use cache::{
    AccessEvent, AccessKind, Backing, Cache, CacheConfig, CacheStats, KindStats, Line, LineView,
    MissKind, Replacement, Victim, WritePolicy,
};
pub use hierarchy::{Hierarchy, Level, MemoryConfig, Sample};
