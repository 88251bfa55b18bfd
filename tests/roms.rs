//! Every ROM on every preset that has hazard detection, through the library
//! API: exact console output and exit code, and the cycle/instruction
//! relations each core model guarantees.

mod common_cli;

use common_cli::{ProgramRom, isa_roms, program_roms};
use glassbox::config::{CoreModel, MachineConfig};
use glassbox::{Halt, Machine, StopReason, loader};
use std::path::Path;

/// Presets whose programs compute correct results (all but
/// `no-hazard-detection` and `bare-pipeline`).
const CORRECT_PRESETS: &[&str] = &[
    "default",
    "textbook",
    "single-cycle",
    "functional",
    "no-forwarding",
    "branch-in-id",
    "bimodal",
    "gshare",
    "classic-l1",
    "l1-l2-dram",
    "ideal",
    "not-taken",
    "btfnt",
];

/// Far more than any ROM needs (matmul on a stalling pipeline is < 5M).
const LIMIT: u64 = 50_000_000;

struct Run {
    stop: StopReason,
    stdout: Vec<u8>,
    cycles: u64,
    instret: u64,
}

fn config(preset: &str) -> MachineConfig {
    MachineConfig::preset(preset).unwrap_or_else(|| panic!("preset {preset} exists"))
}

fn run(preset: &str, path: &Path, stdin: &[u8]) -> Run {
    let mut m = Machine::new(config(preset)).expect("preset is valid");
    let img = loader::load_file(path, m.ram_region(), None)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    m.load(&img);
    m.push_input(stdin);
    m.close_input();
    let stop = m.run(LIMIT);
    Run {
        stop,
        stdout: m.take_output(),
        cycles: m.cycle,
        instret: m.instret,
    }
}

/// ROMs that take traps or sleep in `wfi`. In the functional model a
/// trapping instruction costs a cycle without retiring, and `wfi` jumps time
/// to the timer deadline (docs/platform.md), so these need more cycles than
/// instructions even there; every other ROM needs exactly one per instruction.
const TRAPPING_ROMS: &[&str] = &[
    "timer_irq",
    "isa/csr",
    "isa/interrupts",
    "isa/traps",
    "isa/atomic",
    "isa/rvc_control",
    "isa/rvc_mem",
];

/// The cycle/instret relation of the preset's core model.
fn check_counts(preset: &str, what: &str, r: &Run) {
    assert!(r.instret > 0, "{what} on {preset}: nothing retired");
    match config(preset).core.model {
        CoreModel::Functional if TRAPPING_ROMS.contains(&what) => assert!(
            r.cycles > r.instret,
            "{what} on {preset}: traps and wfi cost cycles without retiring: {} cycles, {} instructions",
            r.cycles,
            r.instret
        ),
        CoreModel::Functional => assert_eq!(
            r.cycles, r.instret,
            "{what} on {preset}: the functional model takes one cycle per instruction"
        ),
        CoreModel::FiveStage => assert!(
            r.cycles > r.instret,
            "{what} on {preset}: a pipeline needs more cycles ({}) than instructions ({})",
            r.cycles,
            r.instret
        ),
        CoreModel::SingleCycle => assert!(
            r.cycles >= r.instret,
            "{what} on {preset}: {} cycles < {} instructions",
            r.cycles,
            r.instret
        ),
    }
}

fn check_program(preset: &str, rom: &ProgramRom) -> Run {
    let r = run(preset, &rom.path, &rom.stdin);
    assert_eq!(
        String::from_utf8_lossy(&r.stdout),
        String::from_utf8_lossy(&rom.expected_stdout),
        "stdout of {} on {preset}",
        rom.name
    );
    assert_eq!(
        r.stdout, rom.expected_stdout,
        "stdout bytes of {} on {preset}",
        rom.name
    );
    assert_eq!(
        r.stop,
        StopReason::Halted(Halt::Exited(rom.exit_code)),
        "{} on {preset}",
        rom.name
    );
    check_counts(preset, &rom.name, &r);
    r
}

fn check_isa(preset: &str, name: &str, path: &Path) {
    let r = run(preset, path, b"");
    match &r.stop {
        StopReason::Halted(Halt::Exited(0)) => {}
        StopReason::Halted(Halt::Exited(n)) => {
            panic!("ISA test isa/{name} on {preset}: test case {n} failed")
        }
        other => panic!("ISA test isa/{name} on {preset} did not exit: {other:?}"),
    }
    assert_eq!(
        String::from_utf8_lossy(&r.stdout),
        "",
        "isa/{name} on {preset} prints nothing"
    );
    check_counts(preset, &format!("isa/{name}"), &r);
}

/// Every program ROM and every ISA ROM on `preset`.
fn check_preset(preset: &str) {
    let roms = program_roms();
    for rom in &roms {
        check_program(preset, rom);
    }
    for (name, path) in isa_roms() {
        check_isa(preset, &name, &path);
    }
}

#[test]
fn preset_default() {
    check_preset("default");
}

#[test]
fn preset_textbook() {
    check_preset("textbook");
}

#[test]
fn preset_single_cycle() {
    check_preset("single-cycle");
}

#[test]
fn preset_functional() {
    check_preset("functional");
}

#[test]
fn preset_no_forwarding() {
    check_preset("no-forwarding");
}

#[test]
fn preset_branch_in_id() {
    check_preset("branch-in-id");
}

#[test]
fn preset_bimodal() {
    check_preset("bimodal");
}

#[test]
fn preset_gshare() {
    check_preset("gshare");
}

#[test]
fn preset_classic_l1() {
    check_preset("classic-l1");
}

#[test]
fn preset_l1_l2_dram() {
    check_preset("l1-l2-dram");
}

#[test]
fn preset_ideal() {
    check_preset("ideal");
}

#[test]
fn preset_not_taken() {
    check_preset("not-taken");
}

#[test]
fn preset_btfnt() {
    check_preset("btfnt");
}

#[test]
fn every_correct_preset_has_a_test() {
    // The list above names every preset except the two that are documented
    // to compute wrong results.
    let mut all: Vec<&str> = glassbox::config::PRESETS.iter().map(|(n, _)| *n).collect();
    all.retain(|n| !["no-hazard-detection", "bare-pipeline"].contains(n));
    all.sort_unstable();
    let mut ours = CORRECT_PRESETS.to_vec();
    ours.sort_unstable();
    assert_eq!(ours, all);
    for p in CORRECT_PRESETS {
        assert!(config(p).core.hazard_detection, "{p} has hazard detection");
    }
}

#[test]
fn every_model_retires_the_same_instructions() {
    // Timing models change cycles, never the program's path: each program
    // ROM without timer interrupts retires the same count everywhere
    // (matmul, a million instructions, is left out to keep this quick).
    for rom in program_roms() {
        if rom.name == "matmul" || rom.name == "timer_irq" {
            continue;
        }
        let reference = run("functional", &rom.path, &rom.stdin).instret;
        for preset in CORRECT_PRESETS {
            let r = run(preset, &rom.path, &rom.stdin);
            assert_eq!(r.instret, reference, "instret of {} on {preset}", rom.name);
        }
    }
}

#[test]
fn hello_syscall_counts_exactly() {
    let rom = common_cli::program_rom("hello_syscall");
    let r = check_program("functional", &rom);
    assert_eq!((r.cycles, r.instret), (11, 11));
    let r = check_program("textbook", &rom);
    assert_eq!(r.instret, 11);
}

#[test]
fn echo_without_closed_input_asks_for_more() {
    let rom = common_cli::program_rom("echo");
    let mut m = Machine::new(config("functional")).unwrap();
    let img = loader::load_file(&rom.path, m.ram_region(), None).unwrap();
    m.load(&img);
    assert_eq!(m.run(LIMIT), StopReason::NeedInput);
    m.push_input(&rom.stdin);
    assert_eq!(m.run(LIMIT), StopReason::NeedInput);
    assert_eq!(m.take_output(), rom.expected_stdout);
    m.close_input();
    assert_eq!(m.run(LIMIT), StopReason::Halted(Halt::Exited(0)));
    assert_eq!(m.take_output(), b"");
}
