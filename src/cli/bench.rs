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
    // Not with --compare (refused in `main`), which opens ROMs as the
    // window does.
    #[command(flatten)]
    pub march: super::MarchArg,
    /// Minimum measured simulation time in seconds
    #[arg(long, default_value_t = 3.0)]
    pub seconds: f64,
    /// Run the five-stage core cycle by cycle throughout, without its fast
    /// path for unwatched stretches (same results, slower)
    #[arg(long)]
    pub cycle_by_cycle: bool,
    /// Measure reverse execution instead: forward with and without
    /// history, step back by cycle and by instruction, seeks, memory (on
    /// benches/forever.s stretched to --cycles unless a ROM is given)
    #[arg(long)]
    pub reverse: bool,
    /// Cycles of the --reverse run
    #[arg(long, default_value_t = 100_000_000)]
    pub cycles: u64,
    /// Measure compare mode instead: the machine of --config (and --core,
    /// --predictor, --memory) beside one more per --compare (a preset or a
    /// RON file), at full speed as the window runs them, by instruction, by
    /// cycle and free-running; prints each machine's speed as a share of its solo headless
    /// speed (on benches/forever.s unless a ROM is given; --seconds per
    /// phase)
    #[arg(long, value_name = "CONFIG")]
    pub compare: Vec<String>,
    /// Measure `glassbox sweep` instead: a fixed sweep (four ROMs, or ROM,
    /// on eight configurations, four times over) one run after another,
    /// then on --jobs threads, and the speed-up
    #[arg(long)]
    pub sweep: bool,
    /// Threads of the --sweep measurement
    #[arg(long, default_value_t = 2)]
    pub jobs: usize,
}

/// The configurations of `bench --sweep`: cores, predictors, caches.
const SWEEP_CONFIGS: [&str; 8] = [
    "textbook",
    "no-forwarding",
    "branch-in-id",
    "gshare",
    "bimodal",
    "classic-l1",
    "l1-l2-dram",
    "single-cycle",
];

/// The ROMs of `bench --sweep`: programs of different lengths, so the
/// threads must balance uneven work as a real sweep does.
const SWEEP_ROMS: [&str; 4] = [
    "roms/matmul.elf",
    "roms/matmul_blocked.elf",
    "roms/bubble_sort.elf",
    "roms/cache_list.elf",
];

fn sweep(args: &BenchArgs) -> ExitCode {
    use glassbox::group::sweep::{Plan, run};
    let roms: Vec<PathBuf> = match &args.rom {
        Some(rom) => vec![rom.clone()],
        None => SWEEP_ROMS.iter().map(PathBuf::from).collect(),
    };
    let configs: Vec<String> = SWEEP_CONFIGS.iter().map(|c| c.to_string()).collect();
    let plan = Plan::from_args(&configs, Vec::new(), roms, None).and_then(|mut plan| {
        plan.set_isa(args.march.march)?;
        Ok(plan)
    });
    let plan = match plan {
        Ok(p) => p,
        Err(e) => {
            eprintln!("glassbox: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    // Four rounds of the plan: a few seconds on one thread in a release
    // build, long enough that thread start-up does not count.
    let jobs: Vec<_> = (0..4).flat_map(|_| plan.jobs()).collect();
    match run::measure_speedup(&jobs, None, args.jobs.max(1)) {
        Ok(s) => {
            let cores = |cpu: Duration, wall: Duration| {
                format!(
                    "{:.3} s CPU, {:.2} cores",
                    cpu.as_secs_f64(),
                    cpu.as_secs_f64() / wall.as_secs_f64().max(1e-9)
                )
            };
            println!("runs:         {}", s.jobs);
            print!("one thread:   {:.3} s", s.serial.as_secs_f64());
            match s.serial_cpu {
                Some(cpu) => println!(" ({})", cores(cpu, s.serial)),
                None => println!(),
            }
            print!(
                "{} threads:    {:.3} s",
                s.threads,
                s.parallel.as_secs_f64()
            );
            match &s.parallel_cpu {
                Some(cpu) => println!(
                    " ({}; per thread {})",
                    cores(cpu.iter().sum(), s.parallel),
                    cpu.iter()
                        .map(|c| format!("{:.3} s", c.as_secs_f64()))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                None => println!(),
            }
            println!(
                "speed-up:     {:.2}x wall clock (floor 0.8 x {} = {:.1})",
                s.ratio(),
                s.threads,
                0.8 * s.threads as f64
            );
            if let Some(r) = s.cpu_ratio() {
                println!(
                    "              {r:.2}x by CPU time (one thread's over the busiest thread's: \
                     the wall-clock figure on {} otherwise idle cores)",
                    s.threads
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("glassbox: {e}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

pub fn main(args: BenchArgs) -> ExitCode {
    if args.reverse {
        return reverse(args);
    }
    if args.sweep {
        return sweep(&args);
    }
    if !args.compare.is_empty() {
        if args.march.march.is_some() {
            eprintln!(
                "glassbox: bench --compare opens the ROM as the window does, with the ISA chosen \
                 there: --march is not for it"
            );
            return ExitCode::from(EXIT_USAGE);
        }
        return compare(args);
    }
    let rom = args.rom.unwrap_or_else(|| PathBuf::from("roms/matmul.elf"));
    let mut m = match load_config(&args.config)
        .and_then(|cfg| build_machine(cfg, Some(&rom), None, args.march.march))
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

fn reverse(args: BenchArgs) -> ExitCode {
    let m = load_config(&args.config).and_then(|cfg| match &args.rom {
        Some(rom) => build_machine(cfg, Some(rom), None, args.march.march),
        None => {
            let mut m = glassbox::Machine::new(cfg).map_err(|e| e.to_string())?;
            m.load(&glassbox::bench::long_program(args.cycles)?);
            Ok(m)
        }
    });
    let m = match m {
        Ok(m) => m,
        Err(e) => {
            eprintln!("glassbox: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let r = glassbox::bench::reverse(&m, args.cycles, 10_000, 21);
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!("cycles:                 {}", r.cycles);
    println!(
        "forward, no history:    {:.3} s ({:.1} Mcycles/s)",
        r.plain.as_secs_f64(),
        r.cycles as f64 / r.plain.as_secs_f64() / 1e6
    );
    println!(
        "forward, history:       {:.3} s (x{:.3}, {:+.1} %)",
        r.with_history.as_secs_f64(),
        r.history_cost(),
        100.0 * (r.history_cost() - 1.0)
    );
    println!(
        "step back one cycle:    median {:.2} ms, worst {:.2} ms",
        ms(r.back_cycle.0),
        ms(r.back_cycle.1)
    );
    println!(
        "step back instruction:  median {:.2} ms, worst {:.2} ms",
        ms(r.back_instruction.0),
        ms(r.back_instruction.1)
    );
    println!(
        "seek, random cycles:    median {:.2} ms, worst {:.2} ms",
        ms(r.seek.0),
        ms(r.seek.1)
    );
    println!(
        "history memory:         {:.1} MiB of {:.0} MiB budget, {} snapshots",
        r.memory_used as f64 / (1 << 20) as f64,
        r.budget as f64 / (1 << 20) as f64,
        r.snapshots
    );
    ExitCode::SUCCESS
}

#[cfg(not(feature = "gui"))]
fn compare(_: BenchArgs) -> ExitCode {
    eprintln!(
        "glassbox: bench --compare measures the window's compare mode: build with the `gui` feature"
    );
    ExitCode::from(EXIT_USAGE)
}

#[cfg(feature = "gui")]
fn compare(args: BenchArgs) -> ExitCode {
    use glassbox::config::ConfigName;
    use glassbox::gui::Session;
    use glassbox::gui::compare::{Choice, Lockstep};
    use glassbox::gui::compare_bench::measure_compare;
    let fail = |e: String| {
        eprintln!("glassbox: {e}");
        ExitCode::from(EXIT_USAGE)
    };
    let first = args.config.name();
    let mut names = vec![first];
    names.extend(args.compare.iter().map(ConfigName::base));
    let mut choices = Vec::new();
    for name in names {
        match name.resolve() {
            Ok(config) => choices.push(Choice {
                name: (name, config.clone()),
                config,
            }),
            Err(e) => return fail(e.to_string()),
        }
    }
    let mut base = match Session::demo(choices[0].config.clone()) {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    match &args.rom {
        Some(rom) => base.open(rom),
        None => base.apply(glassbox::gui::Command::Assemble {
            name: "forever.s".into(),
            source: glassbox::bench::FOREVER_SOURCE.into(),
        }),
    }
    if let Some(e) = base.error.take() {
        return fail(e);
    }
    let runs = match measure_compare(
        &base,
        &choices,
        &[Lockstep::Instruction, Lockstep::Cycle, Lockstep::Free],
        args.seconds,
    ) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    println!("program:  {}", base.program_name);
    println!(
        "machines: {}, at full speed (in lockstep on one worker thread, free-running on a \
         thread each)",
        choices.len()
    );
    for run in &runs {
        println!(
            "lockstep {}: {} frames in {:.2} s",
            run.lockstep.name(),
            run.frames,
            run.elapsed.as_secs_f64()
        );
        for m in &run.members {
            println!(
                "  {:<24} solo {:7.1} M cycles/s, compare {:7.1} M cycles/s: {:5.1} % of solo",
                m.label,
                m.solo / 1e6,
                m.grouped / 1e6,
                100.0 * m.ratio()
            );
        }
    }
    ExitCode::SUCCESS
}
