//! The five-stage core's fast path (`src/pipeline/fast.rs`) against the
//! cycle model: on every ROM and on the configurations it covers, a run
//! that takes the fast path must be indistinguishable from one that goes
//! cycle by cycle, at the end and at every point a run stops.
//! `tests/cosim_random.rs` does the same on random programs.

mod common_cli;
mod support;

use common_cli::{isa_roms, program_roms, roms_dir};
use glassbox::config::PredictorConfig;
use glassbox::{Machine, MachineConfig, StopReason, loader};
use std::path::Path;
use support::compare_stops;

const LIMIT: u64 = 50_000_000;

fn textbook() -> MachineConfig {
    MachineConfig::preset("textbook").expect("preset exists")
}

/// The other configurations the fast path covers.
fn covered() -> Vec<(&'static str, MachineConfig)> {
    let mut slow = textbook();
    slow.core.mul_latency = 3;
    slow.core.div_latency = 12;
    let mut btfnt = textbook();
    btfnt.core.predictor = PredictorConfig::StaticBtfnt;
    btfnt.core.mul_latency = 2;
    vec![
        ("textbook", textbook()),
        ("textbook, mul 3, div 12", slow),
        ("BTFNT, mul 2", btfnt),
    ]
}

fn machine(cfg: &MachineConfig, path: &Path, stdin: &[u8], cycle_by_cycle: bool) -> Machine {
    let mut m = Machine::new(cfg.clone()).expect("valid configuration");
    let img = loader::load_file(path, m.ram_region(), None)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    m.load(&img);
    m.push_input(stdin);
    m.close_input();
    m.pipeline
        .as_mut()
        .expect("a pipelined core")
        .cycle_by_cycle = cycle_by_cycle;
    m
}

fn roms() -> Vec<(String, std::path::PathBuf, Vec<u8>)> {
    let mut v: Vec<_> = program_roms()
        .into_iter()
        .map(|r| (r.name, r.path, r.stdin))
        .collect();
    v.extend(isa_roms().into_iter().map(|(n, p)| (n, p, vec![])));
    v
}

/// Runs both to the end in one call each.
fn same_end(name: &str, cfg_name: &str, cfg: &MachineConfig, path: &Path, stdin: &[u8]) {
    let mut fast = machine(cfg, path, stdin, false);
    let mut slow = machine(cfg, path, stdin, true);
    match compare_stops(&mut fast, &mut slow, [LIMIT]) {
        Ok(StopReason::Halted(_)) => {}
        other => panic!("{name} on {cfg_name}: {other:?}"),
    }
}

#[test]
fn every_rom_ends_the_same() {
    for (cfg_name, cfg) in covered() {
        for (name, path, stdin) in roms() {
            same_end(&name, cfg_name, &cfg, &path, &stdin);
        }
    }
}

/// Stop lengths: the shortest run the fast path takes, a few just longer,
/// and some long ones.
const CHUNKS: &[u64] = &[64, 65, 66, 67, 70, 77, 91, 100, 128, 203, 1000, 4099];

/// Stops every `chunk` cycles (varying) until the program ends and
/// compares everything each time: every stop is a handover from the fast
/// path to the cycle model.
fn same_at_every_stop(
    name: &str,
    cfg_name: &str,
    cfg: &MachineConfig,
    path: &Path,
    stdin: &[u8],
    chunks: &[u64],
) {
    let mut fast = machine(cfg, path, stdin, false);
    let mut slow = machine(cfg, path, stdin, true);
    if let Err(e) = compare_stops(&mut fast, &mut slow, chunks.iter().copied().cycle()) {
        panic!("{name} on {cfg_name}: {e}");
    }
}

#[test]
fn every_stop_matches_on_short_roms() {
    for (cfg_name, cfg) in covered() {
        for (name, path, stdin) in roms() {
            // matmul alone is a million cycles; it has its own test below.
            if name == "matmul" {
                continue;
            }
            same_at_every_stop(&name, cfg_name, &cfg, &path, &stdin, CHUNKS);
        }
    }
}

#[test]
fn matmul_stops_match_and_the_fast_path_carries_the_run() {
    let path = roms_dir().join("matmul.elf");
    // A million cycles: mostly long stops, with short ones among them.
    let chunks = [64, 20_011, 65, 70, 50_021, 77, 128, 99_991];
    same_at_every_stop("matmul", "textbook", &textbook(), &path, &[], &chunks);

    let mut m = machine(&textbook(), &path, &[], false);
    assert!(matches!(m.run(LIMIT), StopReason::Halted(_)));
    let p = m.pipeline.as_deref().unwrap();
    assert!(
        p.fast_path_cycles * 100 > m.cycle * 99,
        "the fast path covered only {} of {} cycles",
        p.fast_path_cycles,
        m.cycle
    );
}

/// The same matrix multiply built for rv32imac (`roms/rvc/matmul.elf`,
/// more than half of its instructions compressed).
#[test]
fn rvc_matmul_stops_match_and_the_fast_path_carries_the_run() {
    let path = roms_dir().join("rvc/matmul.elf");
    let chunks = [64, 20_011, 65, 70, 50_021, 77, 128, 99_991];
    same_at_every_stop("rvc/matmul", "textbook", &textbook(), &path, &[], &chunks);

    let mut m = machine(&textbook(), &path, &[], false);
    assert!(matches!(m.run(LIMIT), StopReason::Halted(_)));
    let p = m.pipeline.as_deref().unwrap();
    assert!(
        p.fast_path_cycles * 100 > m.cycle * 99,
        "the fast path covered only {} of {} cycles",
        p.fast_path_cycles,
        m.cycle
    );
}

#[test]
fn watched_runs_go_cycle_by_cycle() {
    let path = roms_dir().join("matmul.elf");
    // Single steps, a breakpoint set, or the chart's history kept: the
    // fast path stays out of it.
    let mut m = machine(&textbook(), &path, &[], false);
    for _ in 0..500 {
        m.step();
    }
    assert_eq!(m.pipeline.as_deref().unwrap().fast_path_cycles, 0);
    m.breakpoints.insert(0x1234_5678);
    m.run(100_000);
    assert_eq!(m.pipeline.as_deref().unwrap().fast_path_cycles, 0);
    m.breakpoints.clear();
    m.pipeline.as_mut().unwrap().keep_chart_history(100);
    m.run(100_000);
    assert_eq!(m.pipeline.as_deref().unwrap().fast_path_cycles, 0);
}

#[test]
fn other_configurations_go_cycle_by_cycle() {
    let path = roms_dir().join("fibonacci.elf");
    for preset in [
        "no-forwarding",
        "no-hazard-detection",
        "bare-pipeline",
        "branch-in-id",
        "bimodal",
        "gshare",
        "classic-l1",
    ] {
        let cfg = MachineConfig::preset(preset).unwrap();
        let mut m = machine(&cfg, &path, &[], false);
        m.run(LIMIT);
        assert_eq!(
            m.pipeline.as_deref().unwrap().fast_path_cycles,
            0,
            "{preset}"
        );
    }
}
