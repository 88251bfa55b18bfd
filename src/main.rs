//! The `glassbox` command: opens the debugger window, or runs, assembles,
//! disassembles and benchmarks ROMs without one. All work is done by the
//! library; this file only parses flags.

mod cli;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "glassbox",
    version,
    about = "Cycle-accurate educational RISC-V emulator"
)]
#[command(args_conflicts_with_subcommands = true)]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    /// With no command: open the window (on ROM, or the built-in demo)
    #[command(flatten)]
    gui: cli::gui::GuiArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Run a ROM (ELF, raw binary or .s source) headless; console to stdout/stdin.
    Run(Box<cli::run::RunArgs>),
    /// Run every (configuration, ROM) pair in parallel: a table, CSV/JSON
    /// files and a plot; or emit one command per run and merge their results.
    #[command(
        after_help = "Order: each configuration (--config, or a --plan file's) is its base, \
                      then --core, --predictor and --memory replace those parts of it, then \
                      --set sets fields of the result (docs/sweep.md)."
    )]
    Sweep(Box<cli::sweep::SweepArgs>),
    /// Print a disassembly listing of a ROM's code.
    Disasm {
        /// ELF file or raw binary
        rom: PathBuf,
        /// Load the ROM as a raw binary image at this address (ROMs are ELF files otherwise)
        #[arg(long, value_parser = cli::parse_u32)]
        raw_addr: Option<u32>,
    },
    /// Assemble a .s file (GNU as syntax) into an ELF executable.
    Asm(cli::asm::AsmArgs),
    /// Measure simulation speed on a ROM (default: the matrix-multiply ROM).
    Bench(cli::bench::BenchArgs),
    /// Serve a GDB session for a ROM (`target remote | glassbox gdb ROM --stdio`).
    Gdb(cli::gdb::GdbArgs),
    /// Open the debugger window (the default with no command).
    Gui(cli::gui::GuiArgs),
}

fn main() -> ExitCode {
    let args = Args::parse();
    match args.command {
        Some(Command::Run(a)) => cli::run::main(*a),
        Some(Command::Sweep(a)) => cli::sweep::main(*a),
        Some(Command::Disasm { rom, raw_addr }) => cli::disasm_main(&rom, raw_addr),
        Some(Command::Bench(a)) => cli::bench::main(a),
        Some(Command::Asm(a)) => cli::asm::main(a),
        Some(Command::Gdb(a)) => cli::gdb::main(a),
        Some(Command::Gui(a)) => cli::gui::main(a),
        None => cli::gui::main(args.gui),
    }
}
