//! `glassbox bench`: simulation speed on a ROM.

use super::{EXIT_USAGE, build_machine, load_config};
use clap::Args;
use glassbox::bench::measure;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Args)]
pub struct BenchArgs {
    /// ROM to run (default: roms/matmul.elf)
    pub rom: Option<PathBuf>,
    /// Machine configuration (RON)
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Minimum measured simulation time in seconds
    #[arg(long, default_value_t = 3.0)]
    pub seconds: f64,
}

pub fn main(args: BenchArgs) -> ExitCode {
    let rom = args.rom.unwrap_or_else(|| PathBuf::from("roms/matmul.elf"));
    let m = match load_config(args.config.as_deref())
        .and_then(|cfg| build_machine(cfg, Some(&rom), None))
    {
        Ok(m) => m,
        Err(e) => {
            eprintln!("glassbox: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
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
    println!("last stop:    {:?}", r.last_stop);
    ExitCode::SUCCESS
}
