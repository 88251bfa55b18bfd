//! `cargo bench`: functional-model speed on the matrix-multiply ROM, the
//! figure issue #2 sets a floor for. `glassbox bench` runs the same code.

use glassbox::bench::measure;
use glassbox::loader;
use glassbox::{Machine, MachineConfig};
use std::time::Duration;

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` does not, and
    // then this only checks that the benchmark builds.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let rom = concat!(env!("CARGO_MANIFEST_DIR"), "/roms/matmul.elf");
    let mut m = Machine::new(MachineConfig::default()).expect("default config is valid");
    let image = loader::load_file(rom.as_ref(), m.ram_region(), None).expect("matmul ROM loads");
    m.load(&image);
    let r = measure(&m, u64::MAX, Duration::from_secs(3));
    println!(
        "functional/matmul: {:.1} MIPS ({} instructions in {:.3} s over {} runs; stop: {:?})",
        r.mips(),
        r.instructions,
        r.elapsed.as_secs_f64(),
        r.runs,
        r.last_stop
    );
}
