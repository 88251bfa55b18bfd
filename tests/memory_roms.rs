//! The memory-hierarchy teaching ROMs (`roms/README.md`, "Memory-hierarchy
//! ROMs") teach what they claim, measured on the cache presets: each pair
//! of variants prints the same checksum while the cache statistics differ
//! the way the lesson says, by the amounts the access patterns predict.
//!
//! Every run goes through the lockstep co-simulation checker (`Cosim`), so
//! each measurement also proves that the caches hold real, coherent data:
//! the timing core never differs from the functional reference. Each
//! (ROM, configuration) pair is simulated once per test binary and shared
//! between the tests that need it (the ROMs are 0.4–1.8M instructions and
//! CI runs debug builds).

mod common_cli;

use common_cli::{is_memory_teaching_rom, roms_dir};
use glassbox::config::MachineConfig;
use glassbox::cosim::Cosim;
use glassbox::memory::Sample;
use glassbox::stats::StatValue;
use glassbox::{Halt, Machine, StopReason, loader};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// Far more than any teaching ROM needs (matmul_naive is ~16M cycles on
/// classic-l1).
const LIMIT: u64 = 100_000_000;

/// `classic-l1` L1D geometry: 32-byte lines hold 8 int32.
const INTS_PER_LINE: u64 = 8;

/// Misses outside the measured loops (stack, runtime, `.bss` neighbours)
/// are the same few in every variant of one source; the exact counts
/// below are "derived part + the variant-independent rest", and the rest
/// must stay small.
const OVERHEAD: u64 = 16;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Cfg {
    /// The `classic-l1` preset as shipped (4 KiB 2-way L1s, 32 B lines).
    ClassicL1,
    /// `classic-l1` with a direct-mapped L1D (and a non-default sample
    /// interval, to check the time series honours it).
    DirectMapped,
    /// The `l1-l2-dram` preset as shipped.
    L1L2Dram,
    /// `classic-l1` with 256-byte L1D lines (4 list nodes per line).
    WideLines,
}

const DIRECT_MAPPED_INTERVAL: u64 = 2_500;

impl Cfg {
    fn name(self) -> &'static str {
        match self {
            Cfg::ClassicL1 => "classic-l1",
            Cfg::DirectMapped => "classic-l1 with a direct-mapped L1D",
            Cfg::L1L2Dram => "l1-l2-dram",
            Cfg::WideLines => "classic-l1 with 256-byte L1D lines",
        }
    }

    fn config(self) -> MachineConfig {
        let preset = |n: &str| MachineConfig::preset(n).unwrap_or_else(|| panic!("preset {n}"));
        match self {
            Cfg::ClassicL1 => preset("classic-l1"),
            Cfg::L1L2Dram => preset("l1-l2-dram"),
            Cfg::DirectMapped => {
                let mut c = preset("classic-l1");
                let l1d = c.memory.l1d.as_mut().expect("classic-l1 has an L1D");
                assert_eq!((l1d.size, l1d.ways), (4096, 2));
                l1d.ways = 1;
                c.memory.sample_interval = DIRECT_MAPPED_INTERVAL;
                c
            }
            Cfg::WideLines => {
                let mut c = preset("classic-l1");
                c.memory
                    .l1d
                    .as_mut()
                    .expect("classic-l1 has an L1D")
                    .line_size = 256;
                c
            }
        }
    }
}

/// What one co-simulated run produced.
#[derive(Debug)]
struct Outcome {
    what: String,
    stats: HashMap<&'static str, StatValue>,
    series: Vec<Sample>,
    sample_interval: u64,
}

impl Outcome {
    fn count(&self, name: &str) -> u64 {
        match self.stats.get(name) {
            Some(StatValue::Count(n)) => *n,
            other => panic!("{}: stat {name} is {other:?}, not a count", self.what),
        }
    }

    fn real(&self, name: &str) -> f64 {
        match self.stats.get(name) {
            Some(StatValue::Real(x)) => *x,
            other => panic!("{}: stat {name} is {other:?}, not a real", self.what),
        }
    }

    fn misses(&self) -> u64 {
        self.count("l1d.misses")
    }

    fn read_misses(&self) -> u64 {
        self.count("l1d.read_misses")
    }

    fn cycles(&self) -> u64 {
        self.count("cycles")
    }

    fn summary(&self) -> String {
        format!(
            "{}: cycles {}, instret {}, l1d accesses {}, misses {} (read {}, write {}; \
             compulsory {}, capacity {}, conflict {}), hit rate {:.4}",
            self.what,
            self.cycles(),
            self.count("instret"),
            self.count("l1d.accesses"),
            self.misses(),
            self.read_misses(),
            self.count("l1d.write_misses"),
            self.count("l1d.misses.compulsory"),
            self.count("l1d.misses.capacity"),
            self.count("l1d.misses.conflict"),
            self.real("l1d.hit_rate"),
        )
    }
}

fn expected_stdout(rom: &str) -> String {
    let p = roms_dir().join(format!("expected/{rom}.stdout"));
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
}

/// Loads `rom`, runs it to its exit under the co-simulation checker and
/// checks the console output and exit code.
fn simulate(rom: &str, cfg: Cfg) -> Outcome {
    assert!(is_memory_teaching_rom(rom), "{rom} is not a teaching ROM");
    let what = format!("{rom} on {}", cfg.name());
    let path = roms_dir().join(format!("{rom}.elf"));
    let mut m = Machine::new(cfg.config()).expect("valid configuration");
    let img = loader::load_file(&path, m.ram_region(), None)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    m.load(&img);
    let mut cosim = Cosim::new(m).expect("a five-stage configuration");
    cosim.close_input();
    let stop = cosim
        .run(LIMIT)
        .unwrap_or_else(|d| panic!("{what}: the timing core diverged\n{d}"));
    assert_eq!(
        stop,
        StopReason::Halted(Halt::Exited(0)),
        "{what}: end of run"
    );
    assert_eq!(
        cosim.reference.halt,
        Some(Halt::Exited(0)),
        "{what}: the reference"
    );
    assert_eq!(cosim.dut.instret, cosim.reference.instret, "{what}");
    let out = cosim.take_output();
    assert_eq!(
        String::from_utf8_lossy(&out),
        expected_stdout(rom),
        "{what}: console output"
    );
    let m = &cosim.dut;
    let h = m.memory.as_ref().expect("a cache configuration");
    Outcome {
        stats: m.stats().into_iter().map(|s| (s.name, s.value)).collect(),
        series: h.series.clone(),
        sample_interval: h.config.sample_interval,
        what,
    }
}

type Cell = Arc<OnceLock<Arc<Outcome>>>;

/// `simulate`, once per (ROM, configuration) for the whole test binary;
/// a test asking for a run another thread is doing waits for it.
fn run(rom: &str, cfg: Cfg) -> Arc<Outcome> {
    static RUNS: OnceLock<Mutex<HashMap<(String, Cfg), Cell>>> = OnceLock::new();
    let cell: Cell = {
        let mut runs = RUNS
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        runs.entry((rom.to_string(), cfg)).or_default().clone()
    };
    let o = cell.get_or_init(|| Arc::new(simulate(rom, cfg))).clone();
    eprintln!("{}", o.summary());
    o
}

/// Runs two ROMs on two threads (each test needs two runs; CI has 2 cores).
fn run_pair(a: &str, b: &str, cfg: Cfg) -> (Arc<Outcome>, Arc<Outcome>) {
    std::thread::scope(|s| {
        let hb = s.spawn(|| run(b, cfg));
        let ra = run(a, cfg);
        let rb = hb.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
        (ra, rb)
    })
}

fn assert_small(what: &str, rest: u64) {
    assert!(
        rest <= OVERHEAD,
        "{what}: {rest} misses outside the measured pattern (at most {OVERHEAD} expected)"
    );
}

#[test]
fn row_major_beats_column_major() {
    let (row, col) = run_pair("cache_row", "cache_col", Cfg::ClassicL1);
    // 2 passes over 128x128 int32. Row-major: one miss per 32-byte line,
    // 2 * 16384 / 8 = 4096. Column-major: +512 B per read, and a column
    // touches 128 lines (4 KiB) before coming back to the next int of the
    // same lines, which by then are evicted: all 2 * 16384 = 32768 miss.
    let reads = 2 * 128 * 128;
    let rest = row.read_misses() - reads / INTS_PER_LINE;
    assert_small(&row.what, rest);
    assert_eq!(
        col.read_misses(),
        reads + rest,
        "{}: every column-major read misses",
        col.what
    );
    // The fill (and crt0's .bss clear) is the same row-major code in both.
    assert_eq!(row.count("l1d.write_misses"), col.count("l1d.write_misses"));
    assert!(
        col.misses() > 4 * row.misses(),
        "{} vs {}",
        col.summary(),
        row.summary()
    );
    // Each extra miss costs the 50-cycle memory latency.
    assert!(
        col.cycles() > 2 * row.cycles(),
        "{} vs {}",
        col.summary(),
        row.summary()
    );
    assert!(col.real("l1d.hit_rate") < 0.5 && row.real("l1d.hit_rate") > 0.85);
}

#[test]
fn stride_misses_grow_until_one_per_read() {
    let [s1, s4, s8, s16] = std::thread::scope(|s| {
        let h: Vec<_> = [1, 4, 8, 16]
            .map(|st| s.spawn(move || run(&format!("cache_stride{st}"), Cfg::ClassicL1)))
            .into_iter()
            .collect();
        let v: Vec<_> = h
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect();
        [v[0].clone(), v[1].clone(), v[2].clone(), v[3].clone()]
    });
    // 32768 reads of a 128 KiB array (32x the cache): with a stride of S
    // ints a 32-byte line serves 8/S consecutive reads, so there are
    // 32768 * S / 8 read misses up to S = 8; from S = 8 on every read
    // misses (32768), and larger strides cannot miss more.
    const READS: u64 = 32768;
    let rest = s1.read_misses() - READS / INTS_PER_LINE;
    assert_small(&s1.what, rest);
    for (o, stride) in [(&s4, 4), (&s8, 8), (&s16, 16)] {
        let derived = READS * stride.min(INTS_PER_LINE) / INTS_PER_LINE;
        assert_eq!(o.read_misses(), derived + rest, "{}", o.summary());
    }
    // The sequential fill is the same in every variant.
    for o in [&s4, &s8, &s16] {
        assert_eq!(
            o.count("l1d.write_misses"),
            s1.count("l1d.write_misses"),
            "{}",
            o.what
        );
    }
    assert!(s1.misses() < s4.misses() && s4.misses() < s8.misses());
    assert_eq!(s8.misses(), s16.misses(), "stride 8 and 16 both saturate");
    assert!(s1.cycles() < s4.cycles() && s4.cycles() < s8.cycles());
    // Saturated: the same misses, only a few more loop instructions.
    assert!(
        s16.cycles().abs_diff(s8.cycles()) < 1000,
        "{} vs {}",
        s16.summary(),
        s8.summary()
    );
    // Nothing here is a conflict miss: a fully associative cache of the
    // same size would miss just as much.
    for o in [&s1, &s4, &s8, &s16] {
        assert_eq!(o.count("l1d.misses.conflict"), 0, "{}", o.what);
    }
}

#[test]
fn blocked_matmul_beats_naive() {
    let (naive, blocked) = run_pair("matmul_naive", "matmul_blocked", Cfg::ClassicL1);
    // Naive i-j-k walks a column of B (+256 B per read): B (16 KiB) does
    // not fit, so about every B read misses, 64^3 = 262144 of them.
    assert!(
        naive.read_misses() > 64 * 64 * 64,
        "{}: each column-of-B read should miss",
        naive.summary()
    );
    assert!(
        naive.misses() > 10 * blocked.misses(),
        "{} vs {}",
        naive.summary(),
        blocked.summary()
    );
    // Blocking executes more instructions but still wins on time.
    assert!(blocked.count("instret") > naive.count("instret"));
    assert!(
        naive.cycles() > 3 * blocked.cycles(),
        "{} vs {}",
        naive.summary(),
        blocked.summary()
    );
    assert!(blocked.real("l1d.hit_rate") > 0.95 && naive.real("l1d.hit_rate") < 0.6);
}

#[test]
fn ping_pong_conflicts_in_a_direct_mapped_cache() {
    let (conflict, control) = run_pair("cache_conflict", "cache_noconflict", Cfg::DirectMapped);
    // 32 passes x 1024 x (A[i], B[i]) = 65536 reads. A[i] and B[i] share a
    // set of the 4 KiB direct-mapped cache, so every read evicts the line
    // the next one needs: all 65536 miss. A fully associative 4 KiB LRU
    // cache would still miss once per line and pass (A + B = 8 KiB cycle
    // through it): 32 * 256 = 8192 capacity misses; the rest are conflicts.
    const READS: u64 = 65536;
    const LINE_PASSES: u64 = 32 * 2 * 1024 / INTS_PER_LINE;
    let rest = control.read_misses() - LINE_PASSES;
    assert_small(&control.what, rest);
    assert_eq!(
        conflict.read_misses(),
        READS + rest,
        "{}: every ping-pong read misses",
        conflict.summary()
    );
    assert!(
        conflict.count("l1d.misses.conflict") >= READS - LINE_PASSES,
        "{}",
        conflict.summary()
    );
    // In the control B[i]'s line sits 8 sets after A[i]'s: the two
    // streams never evict each other, exactly like a fully associative
    // cache.
    assert_eq!(
        control.count("l1d.misses.conflict"),
        0,
        "{}: B 256 bytes further on removes the conflicts",
        control.summary()
    );
    assert!(conflict.misses() > 6 * control.misses());
    assert!(conflict.cycles() > 3 * control.cycles());
}

#[test]
fn two_ways_remove_the_ping_pong_conflicts() {
    let (conflict, control) = run_pair("cache_conflict", "cache_noconflict", Cfg::ClassicL1);
    // With 2 ways A[i] and B[i] live side by side in their set: only the
    // capacity misses (one per line and pass) remain, as in the control.
    const LINE_PASSES: u64 = 32 * 2 * 1024 / INTS_PER_LINE;
    for o in [&conflict, &control] {
        assert_eq!(
            o.count("l1d.misses.conflict"),
            0,
            "{}: no conflict misses with 2 ways",
            o.summary()
        );
        assert_small(&o.what, o.read_misses() - LINE_PASSES);
    }
    assert_eq!(conflict.read_misses(), control.read_misses());
    // The same work costs about the same: within 1% of each other.
    assert!(
        conflict.cycles().abs_diff(control.cycles()) * 100 < control.cycles(),
        "{} vs {}",
        conflict.summary(),
        control.summary()
    );
}

#[test]
fn shuffled_list_walk_misses_more_than_sequential() {
    // 8 walks of 4096 nodes (256 KiB, 64 B each) = 32768 dependent hops.
    const HOPS: u64 = 32768;
    let (shuffled, seq) = run_pair("cache_list", "cache_list_seq", Cfg::WideLines);
    // With 256-byte lines a sequential hop (+64 B) stays in the line of
    // the previous one 3 times in 4; a shuffled hop lands in a random line
    // of the 256 KiB list and nearly always misses.
    assert!(
        shuffled.read_misses() >= HOPS,
        "{}: every shuffled hop misses",
        shuffled.summary()
    );
    assert!(
        seq.read_misses() < HOPS / 4 + HOPS / 8,
        "{}: one sequential hop in 4 misses",
        seq.summary()
    );
    assert!(
        shuffled.read_misses() > 2 * seq.read_misses(),
        "{} vs {}",
        shuffled.summary(),
        seq.summary()
    );
    assert!(shuffled.cycles() > seq.cycles());
}

#[test]
fn both_list_walks_miss_on_every_hop_on_classic_l1() {
    // On classic-l1 a node (64 B) spans two 32-byte lines, so the
    // sequential walk also enters a new line on every hop: both orders
    // miss on (almost) every hop and the measured difference is small.
    // The shuffled-vs-sequential lesson needs lines longer than a node
    // (see `shuffled_list_walk_misses_more_than_sequential`).
    const HOPS: u64 = 32768;
    let (shuffled, seq) = run_pair("cache_list", "cache_list_seq", Cfg::ClassicL1);
    for o in [&shuffled, &seq] {
        assert!(o.read_misses() >= HOPS, "{}", o.summary());
    }
    assert!(shuffled.misses() > seq.misses());
    assert!(shuffled.cycles() > seq.cycles());
}

/// The co-simulated runs above cover every ROM on classic-l1; this adds
/// the shorter ones behind an L2 (the L1s' write-backs and fills now go
/// through a write-back L2 that holds the only fresh copy).
#[test]
fn teaching_roms_cosimulate_on_l1_l2_dram() {
    let roms = [
        "cache_row",
        "cache_col",
        "cache_conflict",
        "cache_noconflict",
        "cache_stride1",
    ];
    let outs: Vec<_> = std::thread::scope(|s| {
        let hs: Vec<_> = roms
            .chunks(3)
            .map(|chunk| {
                s.spawn(move || {
                    chunk
                        .iter()
                        .map(|r| run(r, Cfg::L1L2Dram))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        hs.into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    for (rom, o) in roms.iter().zip(&outs) {
        // The L2 sees the L1D's misses, and catches some of them.
        assert!(o.count("l2.accesses") > 0, "{}", o.what);
        assert!(o.count("l2.hits") > 0, "{}", o.what);
        // The L1D is the same 4 KiB 2-way cache and sees the same accesses
        // in the same order (the timing below it does not matter), so its
        // figures are exactly those of classic-l1.
        let l1 = run(rom, Cfg::ClassicL1);
        for stat in [
            "l1d.accesses",
            "l1d.misses",
            "l1d.read_misses",
            "l1d.write_misses",
            "l1d.misses.conflict",
        ] {
            assert_eq!(o.count(stat), l1.count(stat), "{stat}: {}", o.what);
        }
    }
    // The lesson carries over: column order misses far more in the L1D;
    // the L2 (10 cycles) now serves what main memory (100 cycles) would.
    let (row, col) = (&outs[0], &outs[1]);
    assert!(col.misses() > 4 * row.misses());
    assert!(col.cycles() > row.cycles());
}

/// Every teaching ROM is exercised on classic-l1 by the tests above; this
/// test makes sure none is forgotten and checks each one's time series.
#[test]
fn every_teaching_rom_cosimulates_on_classic_l1_with_a_sane_series() {
    let mut roms: Vec<String> = std::fs::read_dir(roms_dir())
        .expect("roms/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "elf"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .filter(|n| is_memory_teaching_rom(n))
        .collect();
    roms.sort();
    assert_eq!(roms.len(), 12, "teaching ROMs: {roms:?}");
    let outs: Vec<_> = std::thread::scope(|s| {
        let (a, b) = roms.split_at(roms.len() / 2);
        let ha = s.spawn(|| a.iter().map(|r| run(r, Cfg::ClassicL1)).collect::<Vec<_>>());
        let mut v: Vec<_> = b.iter().map(|r| run(r, Cfg::ClassicL1)).collect();
        v.extend(ha.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        v
    });
    for o in &outs {
        check_series(o);
    }
    for rom in ["cache_conflict", "cache_noconflict"] {
        check_series(&run(rom, Cfg::DirectMapped));
    }
}

/// Samples every `sample_interval` cycles, cumulative counts that never
/// decrease, hits never above accesses, and the last sample no further
/// than the final statistics.
fn check_series(o: &Outcome) {
    let every = o.sample_interval;
    assert!(every > 0, "{}", o.what);
    let cycles = o.cycles();
    assert_eq!(
        o.series.len() as u64,
        cycles / every,
        "{}: one sample per {every} cycles over {cycles} cycles",
        o.what
    );
    let mut prev: Option<&Sample> = None;
    for (i, s) in o.series.iter().enumerate() {
        assert_eq!(s.cycle, (i as u64 + 1) * every, "{}: sample {i}", o.what);
        for (level, &(acc, hits)) in s.counts.iter().enumerate() {
            assert!(hits <= acc, "{}: sample {i} level {level}", o.what);
            if let Some(p) = prev {
                let (pa, ph) = p.counts[level];
                assert!(
                    acc >= pa && hits >= ph,
                    "{}: sample {i} level {level} went down: {:?} -> {:?}",
                    o.what,
                    p.counts[level],
                    (acc, hits)
                );
            }
        }
        prev = Some(s);
    }
    let last = o.series.last().expect("at least one sample");
    let (acc, hits) = last.counts[1];
    assert!(acc <= o.count("l1d.accesses") && hits <= o.count("l1d.hits"));
    assert!(acc > 0, "{}: the L1D was used", o.what);
    let (acc, hits) = last.counts[0];
    assert!(acc <= o.count("l1i.accesses") && hits <= o.count("l1i.hits"));
}

/// The time series shows the lesson while it happens: in the second half
/// of cache_col (the column-major passes) the L1D hit rate between two
/// samples is far below cache_row's in the same stretch.
#[test]
fn hit_rate_series_shows_the_column_major_phase() {
    let (row, col) = run_pair("cache_row", "cache_col", Cfg::ClassicL1);
    let window_rate = |o: &Outcome| {
        let n = o.series.len();
        let (a, b) = (o.series[n / 2].counts[1], o.series[n - 2].counts[1]);
        (b.1 - a.1) as f64 / (b.0 - a.0) as f64
    };
    let (r, c) = (window_rate(&row), window_rate(&col));
    assert!(r > 0.8, "{}: windowed hit rate {r}", row.what);
    assert!(c < 0.3, "{}: windowed hit rate {c}", col.what);
}
