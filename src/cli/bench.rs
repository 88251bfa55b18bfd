//! `glassbox bench`: simulation speed on a ROM.

use super::{ConfigArgs, EXIT_USAGE, build_machine, load_config};
use clap::Args;
use glassbox::bench::measure;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Args)]
pub struct BenchArgs {
    /// ROM to run (default: roms/matmul.elf)
    pub rom: Option<PathBuf>,
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Minimum measured simulation time in seconds
    #[arg(long, default_value_t = 3.0)]
    pub seconds: f64,
    /// Run the five-stage core cycle by cycle throughout, without its fast
    /// path for unwatched stretches (same results, slower)
    #[arg(long)]
    pub cycle_by_cycle: bool,
}

pub fn main(args: BenchArgs) -> ExitCode {
    let rom = args.rom.unwrap_or_else(|| PathBuf::from("roms/matmul.elf"));
    let mut m = match load_config(&args.config).and_then(|cfg| build_machine(cfg, Some(&rom), None))
    {
        Ok(m) => m,
        Err(e) => {
            eprintln!("glassbox: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    if let Some(p) = m.pipeline.as_mut() {
        p.cycle_by_cycle = args.cycle_by_cycle;
    }
    let r = measure(&m, u64::MAX, Duration::from_secs_f64(args.seconds.max(0.0)));
    println!("rom:          {}", rom.display());
    println!("runs:         {}", r.runs);
    println!("instructions: {}", r.instructions);
    println!("cycles:       {}", r.cycles);
    println!("time:         {:.3} s", r.elapsed.as_secs_f64());
    println!(
        "speed:        {:.1} MIPS, {:.1} Mcycles/s",
        r.mips(),
        r.mcycles_per_second()
    );
    if m.pipeline.is_some() {
        println!(
            "fast path:    {:.1} % of cycles",
            100.0 * r.fast_path_cycles as f64 / r.cycles.max(1) as f64
        );
    }
    println!("last stop:    {:?}", r.last_stop);
    ExitCode::SUCCESS
}
