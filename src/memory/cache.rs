//! A configurable set-associative cache that holds real data.
//!
//! The level below is the [`Backing`] trait, so a cache can sit on RAM, on
//! another cache, or (in tests) on a plain byte vector. Under write-back the
//! level below really is stale until a dirty line is evicted or flushed.
//!
//! Address split: `| tag | set index | line offset |`, with the set index
//! `log2(sets)` bits wide (sets is always a power of two; ways need not be).

use serde::{Deserialize, Serialize};

use super::replacement::ReplState;
use super::shadow::{Shadow, ShadowOutcome};

/// Never a tag: line offsets take at least 2 address bits.
const NO_TAG: u32 = u32::MAX;

/// Largest cache the model accepts (its data is held in host memory).
pub const MAX_CACHE_SIZE: u32 = 16 << 20;
/// Deepest write buffer the model accepts.
pub const MAX_WRITE_BUFFER: u32 = 256;
/// Most ways tree-PLRU supports (its bits are one `u64` per set).
pub const MAX_PLRU_WAYS: u32 = 64;

/// The shape and policies of one cache.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CacheConfig {
    /// Total data capacity in bytes (`sets * ways * line_size`).
    pub size: u32,
    /// Bytes per line: a power of two, at least 4.
    pub line_size: u32,
    /// Associativity: 1 = direct-mapped, `size / line_size` = fully associative.
    pub ways: u32,
    pub replacement: Replacement,
    pub write_policy: WritePolicy,
    /// Write-buffer depth in entries, 0 = none. Recorded here; its timing
    /// belongs to the pipeline integration.
    pub write_buffer: u32,
    /// Cycles for a hit (at least 1).
    pub hit_latency: u32,
}

/// Which valid line a miss in a full set evicts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Replacement {
    /// Least recently used.
    Lru,
    /// Oldest fill first; hits do not matter.
    Fifo,
    /// Uniformly random way from a deterministic xorshift64* generator.
    Random { seed: u64 },
    /// Tree pseudo-LRU; requires a power-of-two number of ways.
    TreePlru,
}

/// What a store does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum WritePolicy {
    /// Stores stay in the cache (line marked dirty) until eviction; a store
    /// miss first fills the line.
    WriteBackAllocate,
    /// Every store also goes to the level below at once; a store miss does
    /// not bring the line in.
    WriteThroughNoAllocate,
}

impl CacheConfig {
    /// Checks every rule; errors name the field as `{name}.{field}`, e.g.
    /// `"l1d.line_size: must be a power of two (got 24)"`.
    pub fn validate(&self, name: &str) -> Result<(), String> {
        let err = |field: &str, rule: String| Err(format!("{name}.{field}: {rule}"));
        let size = self.size;
        let line = self.line_size;
        let ways = self.ways;
        if size == 0 {
            return err("size", "must not be zero".into());
        }
        if size > MAX_CACHE_SIZE {
            return err(
                "size",
                format!("must be at most {MAX_CACHE_SIZE} bytes (16 MiB) (got {size})"),
            );
        }
        if !line.is_power_of_two() {
            return err("line_size", format!("must be a power of two (got {line})"));
        }
        if line < 4 {
            return err(
                "line_size",
                format!("must be at least 4 bytes (got {line})"),
            );
        }
        if line > size {
            return err(
                "line_size",
                format!("must not be larger than the cache (size {size}, got {line})"),
            );
        }
        if !size.is_multiple_of(line) {
            return err(
                "size",
                format!("must be a multiple of line_size {line} (got {size})"),
            );
        }
        let lines = size / line;
        if ways == 0 {
            return err("ways", "must be at least 1 (got 0)".into());
        }
        if ways > lines {
            return err(
                "ways",
                format!("must be at most the number of lines, {lines} (got {ways})"),
            );
        }
        if !lines.is_multiple_of(ways) {
            return err(
                "ways",
                format!("must divide the number of lines, {lines} (got {ways})"),
            );
        }
        let sets = lines / ways;
        if !sets.is_power_of_two() {
            return err(
                "size",
                format!(
                    "the number of sets, size / (ways * line_size), must be a power of two \
                     (got {size} bytes = {sets} sets; with a power-of-two number of ways \
                     the size must be a power of two)"
                ),
            );
        }
        if self.replacement == Replacement::TreePlru {
            if !ways.is_power_of_two() {
                return err(
                    "replacement",
                    format!("tree-PLRU requires ways to be a power of two (got {ways})"),
                );
            }
            if ways > MAX_PLRU_WAYS {
                return err(
                    "replacement",
                    format!("tree-PLRU supports at most {MAX_PLRU_WAYS} ways (got {ways})"),
                );
            }
        }
        if self.write_buffer > MAX_WRITE_BUFFER {
            return err(
                "write_buffer",
                format!(
                    "must be at most {MAX_WRITE_BUFFER} entries (got {})",
                    self.write_buffer
                ),
            );
        }
        if !(1..=1000).contains(&self.hit_latency) {
            return err(
                "hit_latency",
                format!(
                    "must be between 1 and 1000 cycles (got {})",
                    self.hit_latency
                ),
            );
        }
        Ok(())
    }

    /// Number of sets (meaningful once `validate` passed).
    pub fn sets(&self) -> u32 {
        self.size / (self.line_size * self.ways)
    }

    /// Total number of lines.
    pub fn lines(&self) -> u32 {
        self.size / self.line_size
    }
}

/// Who made an access.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AccessKind {
    Read,
    Write,
    Fetch,
}

/// Why a miss happened (see `shadow.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MissKind {
    /// First touch of the line ever.
    Compulsory,
    /// A fully-associative LRU cache of the same size would also miss.
    Capacity,
    /// A fully-associative LRU cache of the same size would hit.
    Conflict,
}

/// One access, as data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessEvent {
    pub addr: u32,
    pub kind: AccessKind,
    pub set: u32,
    /// The way that now holds the line; `None` for a write-through
    /// no-allocate write miss.
    pub way: Option<u32>,
    pub hit: bool,
    /// `Some` exactly when `hit` is false.
    pub miss_kind: Option<MissKind>,
    /// The valid line this access evicted, if any.
    pub victim: Option<Victim>,
}

/// An evicted line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Victim {
    pub tag: u32,
    /// Address of the line's first byte.
    pub addr: u32,
    /// The line was dirty, so it was written back with `write_line`.
    pub dirty: bool,
}

/// The level below a cache: memory or the next cache.
pub trait Backing {
    /// Fills `buf` (one whole line) from the line at `addr`.
    fn read_line(&mut self, addr: u32, buf: &mut [u8]);
    /// Writes back one whole dirty line at `addr`.
    fn write_line(&mut self, addr: u32, data: &[u8]);
    /// A write-through store of 1, 2 or 4 bytes at `addr`.
    fn write_bytes(&mut self, addr: u32, data: &[u8]);
}

/// Tag state of one line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub valid: bool,
    pub dirty: bool,
    pub tag: u32,
}

/// Everything about one line, for display.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LineView {
    pub valid: bool,
    pub dirty: bool,
    pub tag: u32,
    /// Address of the line's first byte (meaningful when valid).
    pub addr: u32,
    /// LRU/FIFO: age rank in the set (0 = newest); tree-PLRU: the set's
    /// bits (bit n = node n); random: 0.
    pub repl_value: u64,
    /// The same, as text: "LRU age 0 of 4", "PLRU bits 101 ...".
    pub repl_text: String,
    pub data: Vec<u8>,
}

/// Accesses, hits and misses of one kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindStats {
    pub accesses: u64,
    pub hits: u64,
    pub misses: u64,
}

/// Counters of one cache. Debugger peeks and pokes never change them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheStats {
    pub read: KindStats,
    pub write: KindStats,
    pub fetch: KindStats,
    pub compulsory: u64,
    pub capacity: u64,
    pub conflict: u64,
    /// Dirty lines written to the level below (evictions and flushes).
    pub writebacks: u64,
    /// Lines read from the level below.
    pub fills: u64,
    /// Write-through stores sent to the level below.
    pub write_throughs: u64,
    /// Cycles stalled on a full write buffer (counted by the integration).
    pub write_buffer_full_stalls: u64,
}

impl CacheStats {
    pub fn kind(&self, kind: AccessKind) -> &KindStats {
        match kind {
            AccessKind::Read => &self.read,
            AccessKind::Write => &self.write,
            AccessKind::Fetch => &self.fetch,
        }
    }

    fn kind_mut(&mut self, kind: AccessKind) -> &mut KindStats {
        match kind {
            AccessKind::Read => &mut self.read,
            AccessKind::Write => &mut self.write,
            AccessKind::Fetch => &mut self.fetch,
        }
    }

    pub fn accesses(&self) -> u64 {
        self.read.accesses + self.write.accesses + self.fetch.accesses
    }

    pub fn hits(&self) -> u64 {
        self.read.hits + self.write.hits + self.fetch.hits
    }

    pub fn misses(&self) -> u64 {
        self.read.misses + self.write.misses + self.fetch.misses
    }

    /// Hits / accesses, or 0 before the first access.
    pub fn hit_rate(&self) -> f64 {
        match self.accesses() {
            0 => 0.0,
            n => self.hits() as f64 / n as f64,
        }
    }
}

/// A set-associative cache holding real data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cache {
    cfg: CacheConfig,
    sets: u32,
    ways: u32,
    offset_bits: u32,
    index_bits: u32,
    /// `sets * ways` lines, way-major within a set: line `set * ways + way`.
    lines: Vec<Line>,
    /// Per line: its tag if valid, else `NO_TAG` (tags have at most 30
    /// bits). Derived from `lines`; a flat array makes the tag match on
    /// every access one tight (vectorizable) scan.
    keys: Vec<u32>,
    /// Line data in the same order, `line_size` bytes each.
    data: Vec<u8>,
    repl: ReplState,
    /// Access counter: the timestamps of LRU and FIFO.
    tick: u64,
    stats: CacheStats,
    shadow: Shadow,
    /// The line (address, way) of the last access. It is the most recently
    /// used line of the cache and of the shadow, so touching it again
    /// changes no replacement state: the common case (the next instruction
    /// in the same line) skips that work. Derived; `NO_TAG` when unknown.
    /// Skipping the work also skips the access counter's tick, so a save
    /// state keeps the hint: a loaded cache then counts exactly as the
    /// one saved.
    #[serde(default)]
    mru: MruHint,
}

/// A hint derived from the cache state: it never takes part in equality.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
struct MruHint(u32, u32);

impl Default for MruHint {
    fn default() -> Self {
        MruHint(NO_TAG, 0)
    }
}

impl PartialEq for MruHint {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for MruHint {}

impl Cache {
    /// Builds an empty cache; the configuration must be valid.
    pub fn new(cfg: CacheConfig) -> Result<Cache, String> {
        cfg.validate("cache")?;
        let sets = cfg.sets();
        let ways = cfg.ways;
        let n = (sets * ways) as usize;
        Ok(Cache {
            sets,
            ways,
            offset_bits: cfg.line_size.trailing_zeros(),
            index_bits: sets.trailing_zeros(),
            lines: vec![Line::default(); n],
            keys: vec![NO_TAG; n],
            data: vec![0; cfg.size as usize],
            repl: ReplState::new(cfg.replacement, sets, ways),
            tick: 0,
            stats: CacheStats::default(),
            shadow: Shadow::new(cfg.lines()),
            mru: MruHint::default(),
            cfg,
        })
    }

    pub fn config(&self) -> &CacheConfig {
        &self.cfg
    }

    pub fn stats(&self) -> &CacheStats {
        &self.stats
    }

    /// Zeroes the statistics (contents and replacement state stay).
    pub fn reset_stats(&mut self) {
        self.stats = CacheStats::default();
    }

    pub fn sets(&self) -> u32 {
        self.sets
    }

    pub fn ways(&self) -> u32 {
        self.ways
    }

    /// The set `addr` maps to.
    #[inline]
    pub fn set_of(&self, addr: u32) -> u32 {
        (addr >> self.offset_bits) & (self.sets - 1)
    }

    /// The tag of `addr`.
    #[inline]
    pub fn tag_of(&self, addr: u32) -> u32 {
        addr >> (self.offset_bits + self.index_bits)
    }

    /// Address of the first byte of the line holding `addr`.
    #[inline]
    pub fn line_addr(&self, addr: u32) -> u32 {
        addr & !(self.cfg.line_size - 1)
    }

    fn addr_of(&self, set: u32, tag: u32) -> u32 {
        (tag << (self.offset_bits + self.index_bits)) | (set << self.offset_bits)
    }

    /// The way holding `addr`, without touching any state.
    #[inline]
    pub fn lookup(&self, addr: u32) -> Option<u32> {
        let (set, tag) = (self.set_of(addr), self.tag_of(addr));
        let base = (set * self.ways) as usize;
        self.keys[base..base + self.ways as usize]
            .iter()
            .position(|&k| k == tag)
            .map(|w| w as u32)
    }

    fn check_width(&self, addr: u32, width: u32) -> usize {
        let off = (addr & (self.cfg.line_size - 1)) as usize;
        assert!(
            matches!(width, 1 | 2 | 4) && off + width as usize <= self.cfg.line_size as usize,
            "cache access of {width} bytes at {addr:#010x} must be 1, 2 or 4 bytes within one line"
        );
        off
    }

    #[inline]
    fn byte_index(&self, set: u32, way: u32, off: usize) -> usize {
        (set * self.ways + way) as usize * self.cfg.line_size as usize + off
    }

    /// A CPU access of `width` bytes (1, 2 or 4) within one line. Reads and
    /// fetches return the value (little-endian, zero-extended); writes store
    /// the low `width` bytes of `value` and return 0. Misses fill from
    /// `below`, writing a dirty victim back first with `write_line`;
    /// write-through stores go to `below.write_bytes`.
    pub fn access(
        &mut self,
        addr: u32,
        width: u32,
        kind: AccessKind,
        value: u32,
        below: &mut dyn Backing,
    ) -> (u32, AccessEvent) {
        let off = self.check_width(addr, width);
        let set = self.set_of(addr);
        let tag = self.tag_of(addr);
        let line_addr = self.line_addr(addr);
        if line_addr == self.mru.0 {
            return self.access_mru(addr, width, kind, value, off, below);
        }
        let write = kind == AccessKind::Write;
        let write_through = self.cfg.write_policy == WritePolicy::WriteThroughNoAllocate;
        let allocate = !(write && write_through);
        self.tick += 1;
        let found = self.lookup(addr);
        let shadow = self.shadow.access(line_addr, allocate);

        let ks = self.stats.kind_mut(kind);
        ks.accesses += 1;
        let mut event = AccessEvent {
            addr,
            kind,
            set,
            way: found,
            hit: found.is_some(),
            miss_kind: None,
            victim: None,
        };
        let way = match found {
            Some(way) => {
                ks.hits += 1;
                self.repl.touch(set, way, self.tick, false);
                way
            }
            None => {
                ks.misses += 1;
                let miss_kind = match shadow {
                    ShadowOutcome::Hit => MissKind::Conflict,
                    ShadowOutcome::MissSeen => MissKind::Capacity,
                    ShadowOutcome::MissNew => MissKind::Compulsory,
                };
                match miss_kind {
                    MissKind::Compulsory => self.stats.compulsory += 1,
                    MissKind::Capacity => self.stats.capacity += 1,
                    MissKind::Conflict => self.stats.conflict += 1,
                }
                event.miss_kind = Some(miss_kind);
                if !allocate {
                    self.write_through(addr, width, value, below);
                    return (0, event);
                }
                let (way, victim) = self.fill(set, tag, line_addr, below);
                event.way = Some(way);
                event.victim = victim;
                way
            }
        };

        self.mru = MruHint(line_addr, way);
        let v = self.data_access(set, way, off, addr, width, kind, value, below);
        (v, event)
    }

    /// A hit on the line of the previous access (see `mru`): the same
    /// outcome as the general path, without the replacement bookkeeping.
    fn access_mru(
        &mut self,
        addr: u32,
        width: u32,
        kind: AccessKind,
        value: u32,
        off: usize,
        below: &mut dyn Backing,
    ) -> (u32, AccessEvent) {
        let set = self.set_of(addr);
        let way = self.mru.1;
        let ks = self.stats.kind_mut(kind);
        ks.accesses += 1;
        ks.hits += 1;
        let event = AccessEvent {
            addr,
            kind,
            set,
            way: Some(way),
            hit: true,
            miss_kind: None,
            victim: None,
        };
        let v = self.data_access(set, way, off, addr, width, kind, value, below);
        (v, event)
    }

    /// The data part of an access to a present line: a read or fetch
    /// returns the value; a write stores it and either marks the line dirty
    /// or, write-through, passes it on below (returning 0).
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    fn data_access(
        &mut self,
        set: u32,
        way: u32,
        off: usize,
        addr: u32,
        width: u32,
        kind: AccessKind,
        value: u32,
        below: &mut dyn Backing,
    ) -> u32 {
        let i = self.byte_index(set, way, off);
        if kind != AccessKind::Write {
            return load(&self.data[i..], width);
        }
        store(&mut self.data[i..], width, value);
        if self.cfg.write_policy == WritePolicy::WriteThroughNoAllocate {
            self.write_through(addr, width, value, below);
        } else {
            self.lines[(set * self.ways + way) as usize].dirty = true;
        }
        0
    }

    fn write_through(&mut self, addr: u32, width: u32, value: u32, below: &mut dyn Backing) {
        let bytes = value.to_le_bytes();
        below.write_bytes(addr, &bytes[..width as usize]);
        self.stats.write_throughs += 1;
    }

    /// Brings the line at `line_addr` into `set`: an invalid way if there
    /// is one (lowest first), else the replacement policy's victim.
    fn fill(
        &mut self,
        set: u32,
        tag: u32,
        line_addr: u32,
        below: &mut dyn Backing,
    ) -> (u32, Option<Victim>) {
        let base = (set * self.ways) as usize;
        let free = self.lines[base..base + self.ways as usize]
            .iter()
            .position(|l| !l.valid);
        let way = match free {
            Some(w) => w as u32,
            None => self.repl.victim(set),
        };
        let idx = base + way as usize;
        let ls = self.cfg.line_size as usize;
        let range = idx * ls..(idx + 1) * ls;
        let old = self.lines[idx];
        let victim = old.valid.then(|| Victim {
            tag: old.tag,
            addr: self.addr_of(set, old.tag),
            dirty: old.dirty,
        });
        if let Some(v) = victim
            && v.dirty
        {
            below.write_line(v.addr, &self.data[range.clone()]);
            self.stats.writebacks += 1;
        }
        below.read_line(line_addr, &mut self.data[range]);
        self.stats.fills += 1;
        self.lines[idx] = Line {
            valid: true,
            dirty: false,
            tag,
        };
        self.keys[idx] = tag;
        self.repl.touch(set, way, self.tick, true);
        (way, victim)
    }

    /// Side-effect-free read of the cached copy, if present (no replacement
    /// update, no statistics); `None` means the caller should read below.
    pub fn peek(&self, addr: u32, width: u32) -> Option<u32> {
        let off = self.check_width(addr, width);
        let way = self.lookup(addr)?;
        Some(load(
            &self.data[self.byte_index(self.set_of(addr), way, off)..],
            width,
        ))
    }

    /// Debugger write to the cached copy, if present; the dirty bit stays
    /// as it is (so the caller should also write the level below). Returns
    /// false if the line is not cached.
    pub fn poke(&mut self, addr: u32, width: u32, value: u32) -> bool {
        let off = self.check_width(addr, width);
        let Some(way) = self.lookup(addr) else {
            return false;
        };
        let i = self.byte_index(self.set_of(addr), way, off);
        store(&mut self.data[i..], width, value);
        true
    }

    /// Writes every dirty line back to `below`, then invalidates everything.
    pub fn flush(&mut self, below: &mut dyn Backing) {
        let ls = self.cfg.line_size as usize;
        for idx in 0..self.lines.len() {
            let l = self.lines[idx];
            if l.valid && l.dirty {
                let set = idx as u32 / self.ways;
                below.write_line(
                    self.addr_of(set, l.tag),
                    &self.data[idx * ls..(idx + 1) * ls],
                );
                self.stats.writebacks += 1;
            }
        }
        self.invalidate_all();
    }

    /// Invalidates every line without writing anything back (dirty data is
    /// lost; meant for instruction caches on `fence.i`). Data bytes stay as
    /// they were, for display; the shadow cache is emptied too.
    pub fn invalidate_all(&mut self) {
        self.mru = MruHint::default();
        for l in &mut self.lines {
            l.valid = false;
            l.dirty = false;
        }
        self.keys.fill(NO_TAG);
        self.repl.reset();
        self.shadow.clear();
    }

    /// One line for display.
    pub fn line(&self, set: u32, way: u32) -> LineView {
        assert!(
            set < self.sets && way < self.ways,
            "line ({set}, {way}) out of range"
        );
        let base = (set * self.ways) as usize;
        let idx = base + way as usize;
        let l = self.lines[idx];
        let valid: Vec<bool> = self.lines[base..base + self.ways as usize]
            .iter()
            .map(|l| l.valid)
            .collect();
        let (repl_value, repl_text) = self.repl.view(set, way, &valid);
        let ls = self.cfg.line_size as usize;
        LineView {
            valid: l.valid,
            dirty: l.dirty,
            tag: l.tag,
            addr: self.addr_of(set, l.tag),
            repl_value,
            repl_text,
            data: self.data[idx * ls..(idx + 1) * ls].to_vec(),
        }
    }
}

#[inline]
fn load(d: &[u8], width: u32) -> u32 {
    match width {
        1 => d[0] as u32,
        2 => u16::from_le_bytes([d[0], d[1]]) as u32,
        _ => u32::from_le_bytes([d[0], d[1], d[2], d[3]]),
    }
}

#[inline]
fn store(d: &mut [u8], width: u32, value: u32) {
    d[..width as usize].copy_from_slice(&value.to_le_bytes()[..width as usize]);
}
