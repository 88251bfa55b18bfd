//! L1I, L1D, an optional unified L2 and main memory, as the CPU reaches
//! them. Each access returns its value and the stall cycles it costs under
//! the rules of `docs/timing.md` (rules 12–16); the caches hold the data, so
//! under write-back RAM is stale until a dirty line leaves the hierarchy.

use super::cache::{AccessEvent, AccessKind, Backing, Cache, CacheConfig, WritePolicy};
use crate::platform::Ram;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// The memory hierarchy's configuration. Without caches memory is ideal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MemoryConfig {
    pub l1i: Option<CacheConfig>,
    pub l1d: Option<CacheConfig>,
    /// Unified second level, behind both L1s.
    pub l2: Option<CacheConfig>,
    /// Cycles main memory takes to deliver a line or accept a write.
    pub latency: u32,
    /// Extra cycles per 4-byte word moved to or from main memory.
    pub transfer_per_word: u32,
    /// Cycles between samples of the hit-rate time series (0: none).
    pub sample_interval: u64,
}

impl Default for MemoryConfig {
    fn default() -> Self {
        MemoryConfig {
            l1i: None,
            l1d: None,
            l2: None,
            latency: 50,
            transfer_per_word: 0,
            sample_interval: 10_000,
        }
    }
}

impl MemoryConfig {
    pub fn has_caches(&self) -> bool {
        self.l1i.is_some() || self.l1d.is_some() || self.l2.is_some()
    }

    pub fn validate(&self) -> Result<(), String> {
        for (name, c) in [
            ("memory.l1i", &self.l1i),
            ("memory.l1d", &self.l1d),
            ("memory.l2", &self.l2),
        ] {
            if let Some(c) = c {
                c.validate(name)?;
            }
        }
        if let Some(l2) = &self.l2
            && let Some(l1) = self
                .l1i
                .iter()
                .chain(&self.l1d)
                .find(|l1| l1.line_size > l2.line_size)
        {
            return Err(format!(
                "memory.l2.line_size: must be at least the L1 line size (got {}, L1 has {})",
                l2.line_size, l1.line_size
            ));
        }
        for (name, c) in [
            ("memory.l1i", &self.l1i),
            ("memory.l1d", &self.l1d),
            ("memory.l2", &self.l2),
        ] {
            if let Some(c) = c
                && c.line_size > 4096
            {
                return Err(format!(
                    "{name}.line_size: must be at most 4096 bytes (got {})",
                    c.line_size
                ));
            }
        }
        for (name, c) in [("memory.l1i", &self.l1i), ("memory.l2", &self.l2)] {
            if c.as_ref().is_some_and(|c| c.write_buffer != 0) {
                return Err(format!(
                    "{name}.write_buffer: must be 0 (the model has one write buffer, between \
                     the L1D and the level below)"
                ));
            }
        }
        if self.latency > 100_000 || self.transfer_per_word > 10_000 {
            return Err(
                "memory.latency: must be at most 100000 cycles (transfer_per_word at most 10000)"
                    .into(),
            );
        }
        Ok(())
    }
}

/// Which cache an event or statistic belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Level {
    L1i,
    L1d,
    L2,
}

impl Level {
    pub fn name(self) -> &'static str {
        match self {
            Level::L1i => "l1i",
            Level::L1d => "l1d",
            Level::L2 => "l2",
        }
    }
}

/// A point of the hit-rate time series.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    pub cycle: u64,
    /// Cumulative (accesses, hits) of L1I, L1D and L2.
    pub counts: [(u64, u64); 3],
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Hierarchy {
    pub config: MemoryConfig,
    pub l1i: Option<Cache>,
    pub l1d: Option<Cache>,
    pub l2: Option<Cache>,
    /// When each entry of L1D's write buffer finishes draining (cycle).
    write_buffer: VecDeque<u64>,
    /// This cycle's cache accesses (cleared by `begin_cycle`).
    pub events: Vec<(Level, AccessEvent)>,
    /// Stall cycles each L1 caused, for its average memory access time.
    pub penalty_cycles: [u64; 2],
    /// Writes that found L1D's write buffer full, and the cycles they waited.
    pub buffer_full: (u64, u64),
    pub series: Vec<Sample>,
    next_sample: u64,
    /// The last access of each level (indexed as `Level`) and the cycle
    /// it happened in (`CycleRecord::cycle`), kept however the machine
    /// runs, so a view shows it after a long run too.
    #[serde(default)]
    last: [Option<(u64, AccessEvent)>; 3],
}

/// The level below an L1: the L2 if there is one, then RAM. Counts what
/// the L1's fills and write-backs cost.
struct Below<'a> {
    l2: Option<&'a mut Cache>,
    ram: &'a mut Ram,
    cfg: &'a MemoryConfig,
    /// Cycles spent filling lines (the access waits for these).
    fill: u64,
    /// Cycles spent writing (dirty victims, write-through stores): a
    /// write buffer can take these off the access's path.
    write: u64,
    events: &'a mut Vec<(Level, AccessEvent)>,
}

/// RAM under the L2.
struct RamBacking<'a> {
    ram: &'a mut Ram,
}

impl Backing for RamBacking<'_> {
    fn read_line(&mut self, addr: u32, buf: &mut [u8]) {
        if let Some(src) = self.ram.slice(addr, buf.len() as u32) {
            buf.copy_from_slice(src);
        }
    }

    fn write_line(&mut self, addr: u32, data: &[u8]) {
        self.ram.write_bytes(addr, data);
    }

    fn write_bytes(&mut self, addr: u32, data: &[u8]) {
        self.ram.write_bytes(addr, data);
    }
}

fn memory_cost(cfg: &MemoryConfig, bytes: u32) -> u64 {
    cfg.latency as u64 + cfg.transfer_per_word as u64 * (bytes as u64).div_ceil(4)
}

impl<'a> Below<'a> {
    fn new(
        l2: Option<&'a mut Cache>,
        ram: &'a mut Ram,
        cfg: &'a MemoryConfig,
        events: &'a mut Vec<(Level, AccessEvent)>,
    ) -> Below<'a> {
        Below {
            l2,
            ram,
            cfg,
            fill: 0,
            write: 0,
            events,
        }
    }

    /// One access to the L2 (or to RAM without one): returns its cost.
    fn l2_access(&mut self, addr: u32, width: u32, kind: AccessKind, value: u32) -> (u32, u64) {
        match self.l2.as_deref_mut() {
            None => {
                let v = match kind {
                    AccessKind::Write => {
                        let b = value.to_le_bytes();
                        self.ram.write_bytes(addr, &b[..width as usize]);
                        0
                    }
                    _ => self.ram.read(addr, width),
                };
                (v, memory_cost(self.cfg, width.max(4)))
            }
            Some(l2) => {
                let before_wb = l2.stats().writebacks;
                let (v, ev) =
                    l2.access(addr, width, kind, value, &mut RamBacking { ram: self.ram });
                let mut cost = l2.config().hit_latency as u64;
                if !ev.hit {
                    let line = l2.config().line_size;
                    if ev.way.is_some() {
                        cost += memory_cost(self.cfg, line);
                    } else {
                        // Write-through, no allocate: the write goes on to memory.
                        cost += memory_cost(self.cfg, width.max(4));
                    }
                    if l2.stats().writebacks > before_wb {
                        cost += memory_cost(self.cfg, line);
                    }
                } else if kind == AccessKind::Write
                    && l2.config().write_policy == WritePolicy::WriteThroughNoAllocate
                {
                    cost += memory_cost(self.cfg, width.max(4));
                }
                self.events.push((Level::L2, ev));
                (v, cost)
            }
        }
    }
}

impl Backing for Below<'_> {
    fn read_line(&mut self, addr: u32, buf: &mut [u8]) {
        if self.l2.is_none() {
            // Straight from memory: the whole line is transferred.
            if let Some(src) = self.ram.slice(addr, buf.len() as u32) {
                buf.copy_from_slice(src);
            }
            self.fill += memory_cost(self.cfg, buf.len() as u32);
            return;
        }
        let (first, cost) = self.l2_access(addr, 4, AccessKind::Read, 0);
        self.fill += cost;
        buf[..4].copy_from_slice(&first.to_le_bytes());
        for (i, chunk) in buf.chunks_exact_mut(4).enumerate().skip(1) {
            let a = addr + 4 * i as u32;
            let v = self
                .l2
                .as_deref()
                .and_then(|l2| l2.peek(a, 4))
                .unwrap_or_else(|| self.ram.read(a, 4));
            chunk.copy_from_slice(&v.to_le_bytes());
        }
    }

    fn write_line(&mut self, addr: u32, data: &[u8]) {
        if self.l2.is_none() {
            self.ram.write_bytes(addr, data);
            self.write += memory_cost(self.cfg, data.len() as u32);
            return;
        }
        let word =
            |i: usize| u32::from_le_bytes(data[4 * i..4 * i + 4].try_into().unwrap_or([0; 4]));
        let (_, cost) = self.l2_access(addr, 4, AccessKind::Write, word(0));
        self.write += cost;
        for i in 1..data.len() / 4 {
            let a = addr + 4 * i as u32;
            let held = self
                .l2
                .as_deref_mut()
                .is_some_and(|l2| l2.poke(a, 4, word(i)));
            let through = self
                .l2
                .as_deref()
                .is_none_or(|l2| l2.config().write_policy == WritePolicy::WriteThroughNoAllocate);
            if !held || through {
                self.ram.write_bytes(a, &data[4 * i..4 * i + 4]);
            }
        }
    }

    fn write_bytes(&mut self, addr: u32, data: &[u8]) {
        let mut b = [0u8; 4];
        b[..data.len()].copy_from_slice(data);
        let (_, cost) = self.l2_access(
            addr,
            data.len() as u32,
            AccessKind::Write,
            u32::from_le_bytes(b),
        );
        self.write += cost;
    }
}

impl Hierarchy {
    pub fn new(config: &MemoryConfig) -> Result<Hierarchy, String> {
        config.validate()?;
        let build = |c: &Option<CacheConfig>| c.clone().map(Cache::new).transpose();
        Ok(Hierarchy {
            config: config.clone(),
            l1i: build(&config.l1i)?,
            l1d: build(&config.l1d)?,
            l2: build(&config.l2)?,
            write_buffer: VecDeque::new(),
            events: Vec::new(),
            penalty_cycles: [0; 2],
            buffer_full: (0, 0),
            series: Vec::new(),
            next_sample: config.sample_interval,
            last: [None; 3],
        })
    }

    /// The cycle of the next hit-rate sample (`u64::MAX`: none).
    pub fn next_sample(&self) -> u64 {
        if self.config.sample_interval == 0 {
            u64::MAX
        } else {
            self.next_sample
        }
    }

    /// Starts a new cycle's event list, and samples the time series when due.
    #[inline]
    pub fn begin_cycle(&mut self, now: u64) {
        self.events.clear();
        if self.config.sample_interval != 0 && now >= self.next_sample {
            self.next_sample = now + self.config.sample_interval;
            let count = |c: &Option<Cache>| {
                c.as_ref()
                    .map_or((0, 0), |c| (c.stats().accesses(), c.stats().hits()))
            };
            self.series.push(Sample {
                cycle: now,
                counts: [count(&self.l1i), count(&self.l1d), count(&self.l2)],
            });
        }
    }

    /// A CPU access to RAM at `addr` (aligned, 1/2/4 bytes): returns the
    /// value (0 for writes) and the stall cycles beyond the stage's own.
    pub fn access(
        &mut self,
        ram: &mut Ram,
        addr: u32,
        width: u32,
        kind: AccessKind,
        value: u32,
        now: u64,
    ) -> (u32, u64) {
        let first_event = self.events.len();
        let result = self.access_inner(ram, addr, width, kind, value, now);
        for &(level, ev) in &self.events[first_event..] {
            self.last[level as usize] = Some((now, ev));
        }
        result
    }

    /// The last access of a level and the cycle it happened in (the
    /// cycle's number as `CycleRecord::cycle` counts: cycles completed
    /// before it).
    pub fn last_access(&self, level: Level) -> Option<(u64, AccessEvent)> {
        self.last[level as usize]
    }

    #[inline(always)]
    fn access_inner(
        &mut self,
        ram: &mut Ram,
        addr: u32,
        width: u32,
        kind: AccessKind,
        value: u32,
        now: u64,
    ) -> (u32, u64) {
        let fetch = kind == AccessKind::Fetch;
        let Hierarchy {
            config,
            l1i,
            l1d,
            l2,
            events,
            write_buffer,
            ..
        } = self;
        let l1 = if fetch { l1i.as_mut() } else { l1d.as_mut() };
        let mut below = Below::new(l2.as_mut(), ram, config, events);
        let Some(l1) = l1 else {
            // No L1 on this side: straight to the L2 (or memory).
            let (v, cost) = below.l2_access(addr, width, kind, value);
            return (v, cost);
        };
        let level = if fetch { Level::L1i } else { Level::L1d };
        let (v, ev) = l1.access(addr, width, kind, value, &mut below);
        let (fill, write_cost) = (below.fill, below.write);
        events.push((level, ev));
        let buffer_depth = l1.config().write_buffer as usize;
        let mut stall = l1.config().hit_latency as u64 - 1 + fill;
        if write_cost > 0 {
            if buffer_depth == 0 {
                stall += write_cost;
            } else {
                // Entries drain one after another; a full buffer makes the
                // access wait for the oldest entry.
                while write_buffer.front().is_some_and(|&t| t <= now) {
                    write_buffer.pop_front();
                }
                let mut wait = 0;
                if write_buffer.len() >= buffer_depth {
                    let oldest = write_buffer.pop_front().unwrap_or(now);
                    wait = oldest.saturating_sub(now);
                    self.buffer_full.0 += 1;
                    self.buffer_full.1 += wait;
                }
                let start = write_buffer.back().copied().unwrap_or(now).max(now + wait);
                write_buffer.push_back(start + write_cost);
                stall += wait;
            }
        }
        self.penalty_cycles[level as usize] += stall;
        (v, stall)
    }

    /// The block an instruction fetch reads at once: the L1I line, else
    /// the L2 line, else a 4-byte memory word.
    fn fetch_block(&self) -> u32 {
        self.l1i
            .as_ref()
            .or(self.l2.as_ref())
            .map_or(4, |c| c.config().line_size)
    }

    /// An instruction fetch at `pc` (2-byte aligned, in RAM): the
    /// instruction's bits (the low 16 for a compressed one) and the stall
    /// cycles. An instruction inside one block (`fetch_block`) is one
    /// access; a 32-bit instruction straddling two blocks is two 2-byte
    /// accesses, one per block, whose stalls add (timing rule 17). `None`:
    /// the second parcel lies past the end of RAM (an access fault, after
    /// the first access has been made and charged).
    pub fn fetch(&mut self, ram: &mut Ram, pc: u32, now: u64) -> (Option<u32>, u64) {
        let block = self.fetch_block();
        if (pc & (block - 1)) + 4 <= block {
            // Blocks never cross the end of RAM (sizes are multiples of
            // 4 KiB, blocks at most 4 KiB), so all four bytes are in RAM.
            let (w, stall) = self.access(ram, pc, 4, AccessKind::Fetch, 0, now);
            return (Some(crate::isa::inst_bits(w)), stall);
        }
        let (lo, first) = self.access(ram, pc, 2, AccessKind::Fetch, 0, now);
        if crate::isa::inst_len(lo) == 2 {
            return (Some(lo), first);
        }
        let hi_addr = pc.wrapping_add(2);
        if ram.offset(hi_addr, 2).is_none() {
            return (None, first);
        }
        let (hi, second) = self.access(ram, hi_addr, 2, AccessKind::Fetch, 0, now);
        (Some(lo | hi << 16), first + second)
    }

    /// Overlays the newest cached copies on bytes read from RAM (the CPU's
    /// view; instruction caches never hold newer data).
    pub fn overlay(&self, addr: u32, bytes: &mut [u8]) {
        for (i, b) in bytes.iter_mut().enumerate() {
            let a = addr.wrapping_add(i as u32);
            if let Some(v) = self
                .l1d
                .as_ref()
                .and_then(|c| c.peek(a, 1))
                .or_else(|| self.l2.as_ref().and_then(|c| c.peek(a, 1)))
            {
                *b = v as u8;
            }
        }
    }

    /// Writes every cached copy of these bytes, leaving cache state alone
    /// (the caller writes RAM).
    pub fn poke_bytes(&mut self, addr: u32, bytes: &[u8]) {
        for (i, &b) in bytes.iter().enumerate() {
            let a = addr.wrapping_add(i as u32);
            for c in [&mut self.l1i, &mut self.l1d, &mut self.l2]
                .into_iter()
                .flatten()
            {
                c.poke(a, 1, b as u32);
            }
        }
    }

    /// `fence.i`: write dirty L1D lines back and invalidate L1I so fetches
    /// see stores. Returns the write-back cycles (0 with a write buffer).
    pub fn fence_i(&mut self, ram: &mut Ram) -> u64 {
        let mut cycles = 0;
        if let Some(l1d) = &mut self.l1d {
            let buffered = l1d.config().write_buffer > 0;
            let Hierarchy {
                config, l2, events, ..
            } = self;
            let mut below = Below::new(l2.as_mut(), ram, config, events);
            l1d.flush(&mut below);
            if !buffered {
                cycles = below.write;
            }
        }
        if let Some(l1i) = &mut self.l1i {
            l1i.invalidate_all();
        }
        cycles
    }

    pub fn cache(&self, level: Level) -> Option<&Cache> {
        match level {
            Level::L1i => self.l1i.as_ref(),
            Level::L1d => self.l1d.as_ref(),
            Level::L2 => self.l2.as_ref(),
        }
    }
}
