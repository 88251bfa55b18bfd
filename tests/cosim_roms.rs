//! Every ROM (program and ISA) under the lockstep co-simulation checker, on
//! every five-stage preset with hazard detection and a few variants: the
//! timing core must never differ from the functional reference, and each
//! run must end with the ROM's exit code (and its expected console output).

use glassbox::config::{BranchStage, MachineConfig};
use glassbox::cosim::Cosim;
use glassbox::{Halt, Machine, StopReason, loader};
use std::path::{Path, PathBuf};

/// Far more than any ROM needs on any of these cores.
const LIMIT: u64 = 20_000_000;

fn preset(name: &str) -> MachineConfig {
    MachineConfig::preset(name).unwrap_or_else(|| panic!("preset {name} exists"))
}

fn roms_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("roms")
}

/// `*.elf` in `dir`, sorted, as (display name, path).
fn elfs(dir: &Path, prefix: &str) -> Vec<(String, PathBuf)> {
    let mut v: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "elf"))
        .map(|p| {
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            (format!("{prefix}{stem}"), p)
        })
        .collect();
    v.sort();
    v
}

fn all_roms() -> Vec<(String, PathBuf)> {
    let dir = roms_dir();
    let mut v = elfs(&dir, "");
    // The memory-hierarchy teaching ROMs run long; tests/memory_roms.rs
    // co-simulates them on the cache presets.
    v.retain(|(name, _)| !name.starts_with("cache_") && !name.starts_with("matmul_"));
    v.extend(elfs(&dir.join("isa"), "isa/"));
    assert!(
        v.len() >= 26,
        "expected the 9 program and 17 ISA ROMs, found {v:?}"
    );
    v
}

/// Runs one ROM under the checker; panics with the divergence report.
fn cosim_rom(cfg_name: &str, cfg: &MachineConfig, name: &str, path: &Path) {
    let mut m = Machine::new(cfg.clone()).expect("valid configuration");
    let img = loader::load_file(path, m.ram_region(), None)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    m.load(&img);
    let mut cosim = Cosim::new(m).expect("a five-stage configuration");
    if name == "echo" {
        let stdin = std::fs::read(roms_dir().join("expected/echo.stdin")).expect("echo.stdin");
        cosim.push_input(&stdin);
    }
    cosim.close_input();
    let stop = match cosim.run(LIMIT) {
        Ok(s) => s,
        Err(d) => panic!("{name} on {cfg_name}: the timing core diverged\n{d}"),
    };
    let code = if name == "exit_code" { 3 } else { 0 };
    assert_eq!(
        stop,
        StopReason::Halted(Halt::Exited(code)),
        "{name} on {cfg_name}: wrong end of run (cycle {}, instret {})",
        cosim.dut.cycle,
        cosim.dut.instret
    );
    assert_eq!(
        cosim.reference.halt,
        Some(Halt::Exited(code)),
        "{name} on {cfg_name}: the reference did not halt the same way"
    );
    assert_eq!(
        cosim.dut.instret, cosim.reference.instret,
        "{name} on {cfg_name}"
    );
    let out = cosim.take_output();
    let expected_path = roms_dir().join(format!("expected/{name}.stdout"));
    let expected = if name.starts_with("isa/") {
        Vec::new()
    } else {
        std::fs::read(&expected_path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", expected_path.display()))
    };
    assert_eq!(
        String::from_utf8_lossy(&out),
        String::from_utf8_lossy(&expected),
        "{name} on {cfg_name}: console output"
    );
}

/// All ROMs on one configuration; `matmul` (about a million instructions)
/// only when `with_matmul`, to keep the debug build fast.
fn check_config(cfg_name: &str, cfg: MachineConfig, with_matmul: bool) {
    let mut ran = 0;
    for (name, path) in all_roms() {
        if name == "matmul" && !with_matmul {
            continue;
        }
        cosim_rom(cfg_name, &cfg, &name, &path);
        ran += 1;
    }
    assert!(ran >= 20);
}

#[test]
fn cosim_roms_textbook() {
    check_config("textbook", preset("textbook"), true);
}

#[test]
fn cosim_roms_no_forwarding() {
    check_config("no-forwarding", preset("no-forwarding"), false);
}

#[test]
fn cosim_roms_branch_in_id() {
    check_config("branch-in-id", preset("branch-in-id"), false);
}

#[test]
fn cosim_roms_bimodal() {
    check_config("bimodal", preset("bimodal"), false);
}

#[test]
fn cosim_roms_gshare() {
    check_config("gshare", preset("gshare"), false);
}

#[test]
fn cosim_roms_textbook_slow_muldiv() {
    let mut cfg = preset("textbook");
    cfg.core.mul_latency = 3;
    cfg.core.div_latency = 12;
    check_config("textbook mul 3 div 12", cfg, false);
}

#[test]
fn cosim_roms_branch_in_id_no_forwarding() {
    let mut cfg = preset("branch-in-id");
    cfg.core.forwarding = false;
    assert_eq!(cfg.core.branch_resolution, BranchStage::Id);
    assert!(cfg.core.hazard_detection);
    check_config("branch-in-id without forwarding", cfg, true);
}
