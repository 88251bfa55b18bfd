//! `cargo bench`: the speed figures the issues set floors for, all on the
//! matrix-multiply ROM (and bubble sort for the inspection view):
//! - functional model, instructions per second (issue #2: >= 150 M);
//! - five-stage model with ideal memory, cycles per second (issue #3:
//!   >= 60 M) and its time relative to the functional model (<= 3x);
//! - one cycle step plus reading the whole pipeline view (< 20 us);
//! - for comparison, the five-stage model without its fast path, and with
//!   caches (which the fast path does not cover).
//!
//! - reverse execution (issue #11) on `benches/forever.s` stretched to 10^8
//!   cycles, `default` and `textbook`: forward with history vs without,
//!   step back by cycle and by instruction, seeks, history memory.
//!
//! `glassbox bench` runs the same measurement for one configuration
//! (`--reverse` for the reverse-execution figures).

use glassbox::bench::measure;
use glassbox::loader;
use glassbox::{Machine, MachineConfig};
use std::time::{Duration, Instant};

fn machine(preset: &str, rom: &str) -> Machine {
    let cfg = MachineConfig::preset(preset).expect("preset exists");
    let mut m = Machine::new(cfg).expect("preset is valid");
    let path = format!("{}/roms/{rom}", env!("CARGO_MANIFEST_DIR"));
    let image = loader::load_file(path.as_ref(), m.ram_region(), None).expect("ROM loads");
    m.load(&image);
    m
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` does not, and
    // then this only checks that the benchmark builds.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let time = Duration::from_secs(3);
    let f = measure(&machine("functional", "matmul.elf"), u64::MAX, time);
    println!(
        "functional/matmul:  {:7.1} M instructions/s  ({} instructions, {} runs, stop {:?})",
        f.mips(),
        f.instructions,
        f.runs,
        f.last_stop
    );
    let p = measure(&machine("textbook", "matmul.elf"), u64::MAX, time);
    println!(
        "five-stage/matmul:  {:7.1} M cycles/s        ({} cycles, CPI {:.3}, stop {:?})",
        p.mcycles_per_second(),
        p.cycles,
        p.cycles as f64 / p.instructions as f64,
        p.last_stop
    );
    let per_run = |r: &glassbox::bench::BenchResult| r.elapsed.as_secs_f64() / r.runs as f64;
    println!(
        "five-stage / functional time for the same program: {:.2}x  (fast path: {:.1} % of cycles)",
        per_run(&p) / per_run(&f),
        100.0 * p.fast_path_cycles as f64 / p.cycles as f64
    );
    let mut slow = machine("textbook", "matmul.elf");
    slow.pipeline
        .as_mut()
        .expect("five-stage core")
        .cycle_by_cycle = true;
    let c = measure(&slow, u64::MAX, time);
    println!(
        "five-stage/matmul, cycle by cycle throughout: {:7.1} M cycles/s ({:.2}x functional)",
        c.mcycles_per_second(),
        per_run(&c) / per_run(&f)
    );
    let d = measure(&machine("l1-l2-dram", "matmul.elf"), u64::MAX, time);
    println!(
        "l1-l2-dram/matmul (cycle by cycle): {:7.1} M cycles/s",
        d.mcycles_per_second()
    );
    let mut m = machine("bimodal", "bubble_sort.elf");
    let steps = 20_000;
    let start = Instant::now();
    let mut seen = 0;
    for _ in 0..steps {
        m.step();
        let view = m.pipeline_view().expect("five-stage core");
        seen += view.stages.len() + view.events.len();
    }
    println!(
        "step one cycle + read the pipeline view: {:.2} us ({seen} items read)",
        start.elapsed().as_secs_f64() * 1e6 / steps as f64
    );
    for preset in ["default", "textbook"] {
        let cycles = 100_000_000;
        let cfg = MachineConfig::preset(preset).expect("preset exists");
        let mut m = Machine::new(cfg).expect("preset is valid");
        m.load(&glassbox::bench::long_program(cycles).expect("forever.s assembles"));
        let r = glassbox::bench::reverse(&m, cycles, 10_000, 21);
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        println!(
            "reverse/{preset}: {} cycles; history costs {:+.1} %; step back cycle {:.2}/{:.2} ms, \
             instruction {:.2}/{:.2} ms (median/worst); seek {:.2}/{:.2} ms; {:.1} of {} MiB",
            r.cycles,
            100.0 * (r.history_cost() - 1.0),
            ms(r.back_cycle.0),
            ms(r.back_cycle.1),
            ms(r.back_instruction.0),
            ms(r.back_instruction.1),
            ms(r.seek.0),
            ms(r.seek.1),
            r.memory_used as f64 / (1 << 20) as f64,
            r.budget >> 20
        );
    }
}
