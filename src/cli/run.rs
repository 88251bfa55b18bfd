//! `glassbox run`: the headless runner.

use super::{EXIT_USAGE, build_machine, load_config, parse_u32};
use clap::{Args, ValueEnum};
use glassbox::machine::{Halt, Machine, StopReason};
use glassbox::stats;
use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc;

/// Exit status when the cycle limit cut the run off.
pub const EXIT_CYCLE_LIMIT: u8 = 124;
/// Exit status when the machine stopped with an error (bad trap, unknown
/// syscall, ...).
pub const EXIT_MACHINE_ERROR: u8 = 125;
/// Cycles between console flushes and input polls.
const BATCH: u64 = 1 << 20;

#[derive(Clone, Copy, Debug, Default, ValueEnum)]
pub enum StatsFormat {
    #[default]
    Text,
    Json,
    Ron,
}

#[derive(Args, Default)]
pub struct RunArgs {
    /// ELF file or raw binary; the built-in demo if omitted
    pub rom: Option<PathBuf>,
    /// Machine configuration (RON)
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Stop after this many cycles (exit status 124)
    #[arg(long)]
    pub max_cycles: Option<u64>,
    /// Print statistics when the run ends
    #[arg(long)]
    pub stats: bool,
    /// Format of the statistics
    #[arg(long, value_enum, default_value_t)]
    pub stats_format: StatsFormat,
    /// Write statistics to this file instead of stderr (implies --stats)
    #[arg(long)]
    pub stats_file: Option<PathBuf>,
    /// Load address of a raw binary (default: start of RAM)
    #[arg(long, value_parser = parse_u32)]
    pub raw_addr: Option<u32>,
}

impl RunArgs {
    pub fn demo() -> RunArgs {
        RunArgs::default()
    }
}

pub fn main(args: RunArgs) -> ExitCode {
    let machine = load_config(args.config.as_deref())
        .and_then(|cfg| build_machine(cfg, args.rom.as_deref(), args.raw_addr));
    let mut m = match machine {
        Ok(m) => m,
        Err(e) => {
            eprintln!("glassbox: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let limit = args.max_cycles.unwrap_or(u64::MAX);
    let stop = run_with_console(&mut m, limit);
    let code = match &stop {
        StopReason::Halted(Halt::Exited(c)) => ExitCode::from(*c as u8),
        StopReason::Halted(Halt::Error(msg)) => {
            eprintln!("glassbox: machine stopped: {msg}");
            ExitCode::from(EXIT_MACHINE_ERROR)
        }
        _ => {
            eprintln!(
                "glassbox: stopped at the cycle limit ({limit} cycles) before the program exited"
            );
            ExitCode::from(EXIT_CYCLE_LIMIT)
        }
    };
    if args.stats || args.stats_file.is_some() {
        let s = m.stats();
        let text = match args.stats_format {
            StatsFormat::Text => stats::to_text(&s),
            StatsFormat::Json => stats::to_json(&s) + "\n",
            StatsFormat::Ron => stats::to_ron(&s) + "\n",
        };
        match &args.stats_file {
            Some(path) => {
                if let Err(e) = std::fs::write(path, text) {
                    eprintln!("glassbox: cannot write {}: {e}", path.display());
                    return ExitCode::from(EXIT_USAGE);
                }
            }
            None => eprint!("{text}"),
        }
    }
    code
}

/// Where console input comes from.
enum Input {
    /// Piped or redirected stdin, already queued whole: deterministic.
    Queued,
    /// A terminal, read by a thread so the machine runs meanwhile.
    Terminal(mpsc::Receiver<Vec<u8>>),
}

fn start_input(m: &mut Machine) -> Input {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        let mut all = Vec::new();
        // An unreadable stdin is the same as an empty one for the guest.
        let _ = stdin.lock().read_to_end(&mut all);
        m.push_input(&all);
        m.close_input();
        return Input::Queued;
    }
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        let mut stdin = std::io::stdin();
        loop {
            match stdin.read(&mut buf) {
                Ok(0) | Err(_) => {
                    let _ = tx.send(Vec::new());
                    return;
                }
                Ok(n) => {
                    if tx.send(buf[..n].to_vec()).is_err() {
                        return;
                    }
                }
            }
        }
    });
    Input::Terminal(rx)
}

/// Feeds console input from a chunk: an empty chunk means end of input.
fn feed(m: &mut Machine, chunk: Vec<u8>) {
    if chunk.is_empty() {
        m.close_input();
    } else {
        m.push_input(&chunk);
    }
}

/// Runs until exit, error or `limit` cycles, connecting the guest console
/// to stdin and stdout.
pub fn run_with_console(m: &mut Machine, limit: u64) -> StopReason {
    let input = start_input(m);
    let mut stdout = std::io::stdout().lock();
    loop {
        let left = limit.saturating_sub(m.cycle);
        let stop = m.run(left.min(BATCH));
        let out = m.take_output();
        // A closed stdout must not stop the machine.
        let _ = stdout.write_all(&out);
        let _ = stdout.flush();
        match (&stop, &input) {
            (StopReason::CycleLimit, _) if m.cycle < limit => {
                if let Input::Terminal(rx) = &input {
                    while let Ok(chunk) = rx.try_recv() {
                        feed(m, chunk);
                    }
                }
            }
            (StopReason::NeedInput, Input::Terminal(rx)) => match rx.recv() {
                Ok(chunk) => feed(m, chunk),
                Err(_) => m.close_input(),
            },
            // Queued input is already closed, so the machine cannot wait.
            (StopReason::NeedInput, Input::Queued) => m.close_input(),
            _ => return stop,
        }
    }
}
