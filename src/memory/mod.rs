//! The memory hierarchy's building blocks. So far: a standalone,
//! configurable cache model ([`Cache`]) that holds real data and reports
//! every access as an [`AccessEvent`]; it is not yet wired into the machine
//! or the pipeline.
//!
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
