//! The standalone cache model: mapping, replacement, write policies, miss
//! classification, debugger purity and configuration checks.

use glassbox::memory::{
    AccessEvent, AccessKind, Backing, Cache, CacheConfig, MissKind, Replacement, Victim,
    WritePolicy,
};

/// RAM below the cache, recording every transfer.
struct Ram {
    bytes: Vec<u8>,
    line_reads: Vec<u32>,
    line_writes: Vec<(u32, Vec<u8>)>,
    byte_writes: Vec<(u32, Vec<u8>)>,
}

impl Ram {
    /// `size` bytes where byte `i` holds `i as u8`.
    fn new(size: usize) -> Ram {
        Ram {
            bytes: (0..size).map(|i| i as u8).collect(),
            line_reads: Vec::new(),
            line_writes: Vec::new(),
            byte_writes: Vec::new(),
        }
    }

    fn word(&self, addr: u32) -> u32 {
        let a = addr as usize;
        u32::from_le_bytes(self.bytes[a..a + 4].try_into().unwrap())
    }
}

impl Backing for Ram {
    fn read_line(&mut self, addr: u32, buf: &mut [u8]) {
        self.line_reads.push(addr);
        let a = addr as usize;
        buf.copy_from_slice(&self.bytes[a..a + buf.len()]);
    }

    fn write_line(&mut self, addr: u32, data: &[u8]) {
        self.line_writes.push((addr, data.to_vec()));
        let a = addr as usize;
        self.bytes[a..a + data.len()].copy_from_slice(data);
    }

    fn write_bytes(&mut self, addr: u32, data: &[u8]) {
        self.byte_writes.push((addr, data.to_vec()));
        let a = addr as usize;
        self.bytes[a..a + data.len()].copy_from_slice(data);
    }
}

fn config(size: u32, line_size: u32, ways: u32, replacement: Replacement) -> CacheConfig {
    CacheConfig {
        size,
        line_size,
        ways,
        replacement,
        write_policy: WritePolicy::WriteBackAllocate,
        write_buffer: 0,
        hit_latency: 1,
    }
}

fn cache(size: u32, line_size: u32, ways: u32, replacement: Replacement) -> Cache {
    Cache::new(config(size, line_size, ways, replacement)).expect("valid configuration")
}

fn read(c: &mut Cache, ram: &mut Ram, addr: u32) -> AccessEvent {
    c.access(addr, 4, AccessKind::Read, 0, ram).1
}

/// Snapshot of everything a debugger can see.
fn views(c: &Cache) -> Vec<glassbox::memory::LineView> {
    (0..c.sets())
        .flat_map(|s| (0..c.ways()).map(move |w| (s, w)))
        .map(|(s, w)| c.line(s, w))
        .collect()
}

#[test]
fn direct_mapped_ping_pong_misses_every_time_as_conflicts() {
    // 256 B, 16 B lines, direct-mapped: 16 sets; 0x000 and 0x100 share set 0.
    let mut c = cache(256, 16, 1, Replacement::Lru);
    let mut ram = Ram::new(4096);
    for i in 0..20 {
        let addr = if i % 2 == 0 { 0x000 } else { 0x100 };
        let e = read(&mut c, &mut ram, addr);
        assert_eq!((e.set, e.way, e.hit), (0, Some(0), false), "access {i}");
        let expect = if i < 2 {
            MissKind::Compulsory
        } else {
            MissKind::Conflict
        };
        assert_eq!(e.miss_kind, Some(expect), "access {i}");
        let victim = (i > 0).then(|| {
            let other = if addr == 0 { 0x100 } else { 0x000 };
            Victim {
                tag: other >> 8,
                addr: other,
                dirty: false,
            }
        });
        assert_eq!(e.victim, victim, "access {i}");
    }
    let s = c.stats();
    assert_eq!((s.read.accesses, s.read.hits, s.read.misses), (20, 0, 20));
    assert_eq!((s.compulsory, s.capacity, s.conflict), (2, 0, 18));
    assert_eq!((s.writebacks, s.fills), (0, 20));
    assert_eq!(ram.line_reads.len(), 20);
}

#[test]
fn two_way_ping_pong_hits_after_the_first_two() {
    // 256 B, 16 B lines, 2 ways: 8 sets; 0x000 and 0x080 share set 0.
    let mut c = cache(256, 16, 2, Replacement::Lru);
    let mut ram = Ram::new(4096);
    for i in 0..20 {
        let addr = if i % 2 == 0 { 0x000 } else { 0x080 };
        let e = read(&mut c, &mut ram, addr);
        assert_eq!(e.set, 0);
        assert_eq!(e.way, Some(i % 2), "access {i}");
        assert_eq!(e.hit, i >= 2, "access {i}");
        assert_eq!(e.victim, None);
    }
    let s = c.stats();
    assert_eq!((s.read.accesses, s.read.hits, s.read.misses), (20, 18, 2));
    assert_eq!((s.compulsory, s.capacity, s.conflict), (2, 0, 0));
    assert_eq!(s.hit_rate(), 0.9);
}

/// One set of four ways; A B C D fill it, A hits, then E and F miss.
/// Returns the ways and victim addresses of E and F, and the views before E.
/// (way, victim address) per miss, and (repl_value, repl_text) per way.
type Victims = (Vec<(u32, u32)>, Vec<(u64, String)>);

fn victims(replacement: Replacement) -> Victims {
    let mut c = cache(64, 16, 4, replacement);
    let mut ram = Ram::new(4096);
    for addr in [0x00, 0x10, 0x20, 0x30, 0x00] {
        read(&mut c, &mut ram, addr);
    }
    let state = (0..4)
        .map(|w| {
            let v = c.line(0, w);
            (v.repl_value, v.repl_text)
        })
        .collect();
    let out = [0x40, 0x50]
        .into_iter()
        .map(|addr| {
            let e = read(&mut c, &mut ram, addr);
            assert!(!e.hit);
            (e.way.unwrap(), e.victim.unwrap().addr)
        })
        .collect();
    (out, state)
}

#[test]
fn lru_fifo_and_tree_plru_choose_different_victims() {
    let (lru, lru_state) = victims(Replacement::Lru);
    assert_eq!(lru, vec![(1, 0x10), (2, 0x20)]);
    let ages: Vec<u64> = lru_state.iter().map(|s| s.0).collect();
    assert_eq!(ages, vec![0, 3, 2, 1]);
    assert_eq!(lru_state[1].1, "LRU age 3 of 4");

    let (fifo, fifo_state) = victims(Replacement::Fifo);
    assert_eq!(fifo, vec![(0, 0x00), (1, 0x10)]);
    let ages: Vec<u64> = fifo_state.iter().map(|s| s.0).collect();
    assert_eq!(ages, vec![3, 2, 1, 0]);
    assert_eq!(fifo_state[0].1, "FIFO age 3 of 4");

    // Tree-PLRU after A B C D A: root points right (1), the left node
    // points at way 1 (1), the right node at way 2 (0): bits 0b011.
    let (plru, plru_state) = victims(Replacement::TreePlru);
    assert_eq!(plru, vec![(2, 0x20), (1, 0x10)]);
    assert_eq!(plru_state[0].0, 0b011);
    assert_eq!(
        plru_state[0].1,
        "PLRU bits 110 (node 0 first), next victim way 2"
    );
}

#[test]
fn random_replacement_is_deterministic_for_a_seed() {
    let run = |seed: u64| {
        let mut c = cache(64, 16, 4, Replacement::Random { seed });
        let mut ram = Ram::new(4096);
        let mut events = Vec::new();
        let mut x = 7u32;
        for _ in 0..300 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            events.push(read(&mut c, &mut ram, ((x >> 16) % 12) * 16));
        }
        (events, *c.stats())
    };
    let (a, sa) = run(42);
    let (b, sb) = run(42);
    assert_eq!(a, b);
    assert_eq!(sa, sb);
    assert!(a.iter().all(|e| e.way.unwrap() < 4));
    let (c, _) = run(43);
    let ways = |v: &[AccessEvent]| v.iter().map(|e| e.way).collect::<Vec<_>>();
    assert_ne!(ways(&a), ways(&c), "another seed, other victims");
    // A zero seed is usable too.
    let (z, _) = run(0);
    assert_eq!(z.len(), 300);
}

#[test]
fn write_back_keeps_ram_stale_until_the_dirty_victim_is_written_back() {
    // 64 B, 16 B lines, direct-mapped: 4 sets; 0x04 and 0x44 share set 0.
    let mut c = cache(64, 16, 1, Replacement::Lru);
    let mut ram = Ram::new(4096);
    let old = ram.word(0x04);
    let (_, e) = c.access(0x04, 4, AccessKind::Write, 0xdead_beef, &mut ram);
    assert_eq!(
        (e.hit, e.way, e.miss_kind),
        (false, Some(0), Some(MissKind::Compulsory))
    );
    assert_eq!(ram.line_reads, vec![0x00], "write-allocate fills the line");
    assert_eq!(ram.word(0x04), old, "RAM is stale");
    assert!(ram.byte_writes.is_empty());
    let v = c.line(0, 0);
    assert!(v.valid && v.dirty);
    assert_eq!((v.tag, v.addr), (0, 0));
    assert_eq!(c.peek(0x04, 4), Some(0xdead_beef));

    // A byte and a halfword write hit the same line.
    let (_, e) = c.access(0x01, 1, AccessKind::Write, 0xa5, &mut ram);
    assert!(e.hit);
    c.access(0x0a, 2, AccessKind::Write, 0x1234, &mut ram);
    assert_eq!(
        c.access(0x04, 4, AccessKind::Read, 0, &mut ram).0,
        0xdead_beef
    );
    assert_eq!(c.access(0x0a, 2, AccessKind::Read, 0, &mut ram).0, 0x1234);
    assert_eq!(c.access(0x01, 1, AccessKind::Read, 0, &mut ram).0, 0xa5);
    assert!(ram.line_writes.is_empty());

    // Evicting it writes back exactly the modified line.
    let e = read(&mut c, &mut ram, 0x44);
    assert_eq!(
        e.victim,
        Some(Victim {
            tag: 0,
            addr: 0,
            dirty: true
        })
    );
    let mut expect: Vec<u8> = (0..16).collect();
    expect[1] = 0xa5;
    expect[4..8].copy_from_slice(&0xdead_beef_u32.to_le_bytes());
    expect[10..12].copy_from_slice(&0x1234_u16.to_le_bytes());
    assert_eq!(ram.line_writes, vec![(0x00, expect)]);
    assert_eq!(ram.word(0x04), 0xdead_beef);
    assert_eq!(c.stats().writebacks, 1);
    assert_eq!(c.stats().write.accesses, 3);
    assert!(!c.line(0, 0).dirty);
}

#[test]
fn write_through_no_allocate_updates_ram_at_once() {
    let mut cfg = config(64, 16, 1, Replacement::Lru);
    cfg.write_policy = WritePolicy::WriteThroughNoAllocate;
    cfg.write_buffer = 4;
    let mut c = Cache::new(cfg).unwrap();
    let mut ram = Ram::new(4096);

    // A write miss does not allocate.
    let (_, e) = c.access(0x08, 4, AccessKind::Write, 0x1122_3344, &mut ram);
    assert_eq!(
        e,
        AccessEvent {
            addr: 0x08,
            kind: AccessKind::Write,
            set: 0,
            way: None,
            hit: false,
            miss_kind: Some(MissKind::Compulsory),
            victim: None,
        }
    );
    assert_eq!(ram.word(0x08), 0x1122_3344);
    assert_eq!(ram.byte_writes, vec![(0x08, vec![0x44, 0x33, 0x22, 0x11])]);
    assert!(ram.line_reads.is_empty());
    assert!(!c.line(0, 0).valid);
    assert_eq!(c.peek(0x08, 4), None);

    // A read brings the line in (the first write did not count as holding
    // it, so this miss is compulsory too); a write hit updates both copies
    // and the line stays clean.
    let e = read(&mut c, &mut ram, 0x08);
    assert_eq!((e.hit, e.miss_kind), (false, Some(MissKind::Compulsory)));
    let (_, e) = c.access(0x0c, 2, AccessKind::Write, 0xbeef, &mut ram);
    assert_eq!((e.hit, e.way), (true, Some(0)));
    assert_eq!(ram.word(0x0c) & 0xffff, 0xbeef);
    assert_eq!(c.peek(0x0c, 2), Some(0xbeef));
    assert!(!c.line(0, 0).dirty);

    // Evictions never write back.
    let e = read(&mut c, &mut ram, 0x48);
    assert_eq!(
        e.victim,
        Some(Victim {
            tag: 0,
            addr: 0,
            dirty: false
        })
    );
    assert!(ram.line_writes.is_empty());
    let s = c.stats();
    assert_eq!((s.write_throughs, s.writebacks, s.fills), (2, 0, 2));
    assert_eq!((s.write.accesses, s.write.hits, s.write.misses), (2, 1, 1));
}

#[test]
fn looping_over_more_lines_than_fit_gives_capacity_misses() {
    // Fully associative LRU, 4 lines, looping over 5: every access misses.
    let mut c = cache(64, 16, 4, Replacement::Lru);
    let mut ram = Ram::new(4096);
    for _ in 0..3 {
        for line in 0..5 {
            let e = read(&mut c, &mut ram, line * 16);
            assert!(!e.hit);
        }
    }
    let s = c.stats();
    assert_eq!((s.compulsory, s.capacity, s.conflict), (5, 10, 0));

    // Direct-mapped, 4 lines, looping over 8 lines: capacity, not conflict.
    let mut c = cache(64, 16, 1, Replacement::Lru);
    for _ in 0..3 {
        for line in 0..8 {
            c.access(line * 16, 4, AccessKind::Fetch, 0, &mut ram);
        }
    }
    let s = c.stats();
    assert_eq!((s.fetch.accesses, s.fetch.misses), (24, 24));
    assert_eq!((s.compulsory, s.capacity, s.conflict), (8, 16, 0));
    assert_eq!(s.read.accesses + s.write.accesses, 0);
}

#[test]
fn peek_and_poke_never_touch_replacement_state_or_statistics() {
    for replacement in [
        Replacement::Lru,
        Replacement::Fifo,
        Replacement::TreePlru,
        Replacement::Random { seed: 9 },
    ] {
        let mut c = cache(128, 16, 4, replacement);
        let mut ram = Ram::new(4096);
        for addr in [0x00, 0x40, 0x10, 0x80, 0x00, 0xc0, 0x50] {
            read(&mut c, &mut ram, addr);
        }
        let before = c.clone();
        let lines = views(&c);
        let stats = *c.stats();
        for addr in (0..0x100).step_by(4) {
            let cached = c.lookup(addr).is_some();
            assert_eq!(c.peek(addr, 4).is_some(), cached);
            if let Some(v) = c.peek(addr, 4) {
                assert_eq!(v, ram.word(addr), "clean copy equals RAM");
            }
        }
        assert_eq!(views(&c), lines);
        assert_eq!(c.stats(), &stats);
        assert_eq!(c, before);

        // Poke changes only the cached bytes.
        assert!(c.poke(0x04, 4, 0x0bad_f00d));
        assert!(!c.poke(0x300, 4, 1));
        assert_eq!(c.peek(0x04, 4), Some(0x0bad_f00d));
        assert_eq!(c.stats(), &stats);
        let after = views(&c);
        for (a, b) in after.iter().zip(&lines) {
            assert_eq!(
                (a.valid, a.dirty, a.tag, a.repl_value, &a.repl_text),
                (b.valid, b.dirty, b.tag, b.repl_value, &b.repl_text)
            );
        }
        // And the next real accesses behave as if nothing happened.
        let mut twin = before.clone();
        let mut ram2 = Ram::new(4096);
        for addr in [0x100, 0x140, 0x20, 0x10] {
            let e1 = read(&mut c, &mut ram, addr);
            let e2 = read(&mut twin, &mut ram2, addr);
            assert_eq!(e1, e2, "{replacement:?}");
        }
    }
}

#[test]
fn flush_writes_back_dirty_lines_and_invalidate_drops_them() {
    let mut c = cache(64, 16, 2, Replacement::Lru);
    let mut ram = Ram::new(4096);
    c.access(0x00, 4, AccessKind::Write, 0x1111_1111, &mut ram);
    c.access(0x30, 4, AccessKind::Write, 0x2222_2222, &mut ram);
    read(&mut c, &mut ram, 0x20);
    let mut flushed = c.clone();
    flushed.flush(&mut ram);
    assert_eq!(ram.line_writes.len(), 2);
    assert_eq!((ram.word(0x00), ram.word(0x30)), (0x1111_1111, 0x2222_2222));
    assert_eq!(flushed.stats().writebacks, 2);
    assert!(views(&flushed).iter().all(|v| !v.valid && !v.dirty));

    let mut ram2 = Ram::new(4096);
    c.invalidate_all();
    assert!(views(&c).iter().all(|v| !v.valid));
    assert_eq!(
        c.access(0x00, 4, AccessKind::Read, 0, &mut ram2).0,
        0x0302_0100
    );
    assert!(ram2.line_writes.is_empty());
    // After a flush, a line seen before misses as capacity, not compulsory.
    let e = read(&mut flushed, &mut ram, 0x30);
    assert_eq!(e.miss_kind, Some(MissKind::Capacity));
}

#[test]
fn three_way_caches_are_allowed_and_fill_invalid_ways_first() {
    // 192 B = 4 sets x 3 ways x 16 B.
    let mut c = cache(192, 16, 3, Replacement::Lru);
    let mut ram = Ram::new(4096);
    let ways: Vec<_> = [0x000, 0x040, 0x080, 0x0c0]
        .into_iter()
        .map(|a| read(&mut c, &mut ram, a))
        .map(|e| (e.set, e.way.unwrap(), e.victim.map(|v| v.addr)))
        .collect();
    assert_eq!(
        ways,
        vec![
            (0, 0, None),
            (0, 1, None),
            (0, 2, None),
            (0, 0, Some(0x000))
        ]
    );
    assert_eq!(c.tag_of(0x0c0), 3);
    assert_eq!(c.line(0, 0).addr, 0x0c0);
}

#[test]
fn eight_way_tree_plru_follows_the_tree() {
    let mut c = cache(128, 16, 8, Replacement::TreePlru);
    let mut ram = Ram::new(4096);
    for line in 0..8 {
        read(&mut c, &mut ram, line * 16);
    }
    // After filling 0..7 in order every node points left: victim way 0.
    assert_eq!(c.line(0, 0).repl_value, 0);
    let e = read(&mut c, &mut ram, 0x80);
    assert_eq!(e.way, Some(0));
    // Way 0 just used: the root points right, then left, left: way 4.
    let e = read(&mut c, &mut ram, 0x90);
    assert_eq!(e.way, Some(4));
    // Ways 0 and 4 used: root left, node 1 right (2..3), node 4 left: way 2.
    let e = read(&mut c, &mut ram, 0xa0);
    assert_eq!(e.way, Some(2));
}

#[test]
fn invalid_configurations_name_the_field_and_rule() {
    let base = config(256, 16, 2, Replacement::Lru);
    let check = |f: &dyn Fn(&mut CacheConfig), want: &str| {
        let mut cfg = base.clone();
        f(&mut cfg);
        let err = cfg.validate("l1d").expect_err(want);
        assert!(err.starts_with(want), "{err:?} should start with {want:?}");
    };
    check(
        &|c| c.line_size = 24,
        "l1d.line_size: must be a power of two (got 24)",
    );
    check(
        &|c| c.line_size = 2,
        "l1d.line_size: must be at least 4 bytes",
    );
    check(
        &|c| c.line_size = 512,
        "l1d.line_size: must not be larger than the cache (size 256, got 512)",
    );
    check(&|c| c.size = 0, "l1d.size: must not be zero");
    check(
        &|c| c.size = 100,
        "l1d.size: must be a multiple of line_size 16",
    );
    check(
        &|c| {
            c.size = 96;
            c.ways = 1;
        },
        "l1d.size: the number of sets, size / (ways * line_size), must be a power of two",
    );
    check(&|c| c.size = 1 << 30, "l1d.size: must be at most");
    check(&|c| c.ways = 0, "l1d.ways: must be at least 1");
    check(
        &|c| c.ways = 3,
        "l1d.ways: must divide the number of lines, 16 (got 3)",
    );
    check(
        &|c| c.ways = 32,
        "l1d.ways: must be at most the number of lines, 16 (got 32)",
    );
    check(
        &|c| {
            c.size = 192;
            c.ways = 3;
            c.replacement = Replacement::TreePlru;
        },
        "l1d.replacement: tree-PLRU requires ways to be a power of two (got 3)",
    );
    check(
        &|c| {
            c.size = 4096;
            c.line_size = 4;
            c.ways = 128;
            c.replacement = Replacement::TreePlru;
        },
        "l1d.replacement: tree-PLRU supports at most 64 ways",
    );
    check(
        &|c| c.write_buffer = 1000,
        "l1d.write_buffer: must be at most",
    );
    check(
        &|c| c.hit_latency = 0,
        "l1d.hit_latency: must be between 1 and 1000 cycles (got 0)",
    );

    assert_eq!(base.validate("l1d"), Ok(()));
    assert_eq!(base.sets(), 8);
    let full = config(256, 16, 16, Replacement::TreePlru);
    assert_eq!((full.validate("l2"), full.sets()), (Ok(()), 1));
    let err = Cache::new(config(256, 24, 1, Replacement::Lru)).unwrap_err();
    assert_eq!(err, "cache.line_size: must be a power of two (got 24)");
}

#[test]
fn configurations_parse_strictly_and_caches_round_trip_through_serde() {
    let text = "(size: 1024, line_size: 32, ways: 4, replacement: Random(seed: 5), \
                write_policy: WriteBackAllocate, write_buffer: 2, hit_latency: 1)";
    let cfg: CacheConfig = ron::from_str(text).unwrap();
    assert_eq!(cfg.replacement, Replacement::Random { seed: 5 });
    assert!(ron::from_str::<CacheConfig>(&text.replace(")", ", colour: 1)")).is_err());

    let mut c = Cache::new(cfg).unwrap();
    let mut ram = Ram::new(8192);
    for i in 0..100u32 {
        let addr = ((i * 68) % 4096) & !3;
        c.access(addr, 4, AccessKind::Write, i, &mut ram);
    }
    let json = serde_json::to_string(&c).unwrap();
    let mut back: Cache = serde_json::from_str(&json).unwrap();
    assert_eq!(back, c);
    let mut ram2 = Ram::new(8192);
    ram2.bytes.clone_from(&ram.bytes);
    for i in 0..100u32 {
        let addr = ((i * 132) % 4096) & !3;
        assert_eq!(
            c.access(addr, 4, AccessKind::Read, 0, &mut ram),
            back.access(addr, 4, AccessKind::Read, 0, &mut ram2)
        );
    }
}

#[test]
fn miss_kinds_add_up_to_misses() {
    let mut c = cache(256, 16, 2, Replacement::Fifo);
    let mut ram = Ram::new(1 << 16);
    let mut x = 1u32;
    for _ in 0..2000 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        let addr = (x % 1024) & !3;
        let kind = [AccessKind::Read, AccessKind::Write, AccessKind::Fetch][(x >> 20) as usize % 3];
        let (_, e) = c.access(addr, 4, kind, x, &mut ram);
        assert_eq!(e.hit, e.miss_kind.is_none());
    }
    let s = c.stats();
    assert_eq!(s.accesses(), 2000);
    assert_eq!(s.hits() + s.misses(), 2000);
    assert_eq!(s.compulsory + s.capacity + s.conflict, s.misses());
    assert_eq!(s.compulsory, 64, "1 KiB of 16-byte lines, all touched");
    assert_eq!(s.fills, s.misses());
}
