//! One headless run of a (configuration, program) pair: building the
//! machine from a ROM file (ELF, raw image or assembly source), running it
//! to its end or a cycle limit, and how the run ended. `glassbox run` and
//! `glassbox sweep` both go through here, so a sweep's row is exactly what
//! `glassbox run ROM --config C --stats` reports for that pair.

use crate::asm::{self, AsmOptions, Isa, Program};
use crate::config::MachineConfig;
use crate::loader::{self, Image, MemRegion};
use crate::machine::{Halt, Machine, StopReason};
use crate::stats::Stat;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::Path;

/// Exit status when the cycle limit cut the run off.
pub const EXIT_CYCLE_LIMIT: u8 = 124;
/// Exit status when the machine stopped with an error (bad trap, unknown
/// syscall, ...).
pub const EXIT_MACHINE_ERROR: u8 = 125;
/// Cycles per `Machine::run` call: between calls the guest's output and
/// notes are drained, so a long run holds no growing buffers.
pub const BATCH: u64 = 1 << 20;

/// A ROM that could not be turned into a machine: the message, and for an
/// assembly source its diagnostics (one per line, `file:line:col: ...`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RomError {
    pub message: String,
    pub diagnostics: Vec<String>,
}

impl RomError {
    fn new(message: String) -> RomError {
        RomError {
            message,
            diagnostics: Vec::new(),
        }
    }
}

impl fmt::Display for RomError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<String> for RomError {
    fn from(message: String) -> RomError {
        RomError::new(message)
    }
}

/// Whether `path` is an assembly source (`.s`, or `.S`, which is refused
/// with advice).
pub fn is_source(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("s" | "S"))
}

/// Assembles a source file with `.text` at `text_base`.
pub fn assemble_file(path: &Path, text_base: u32, isa: Isa) -> Result<Program, RomError> {
    if path.extension().and_then(|e| e.to_str()) == Some("S") {
        return Err(RomError::new(format!(
            "{}: .S files need the C preprocessor, which glassbox does not have; run \
             `riscv64-unknown-elf-gcc -E -P {} -o prog.s` and give it prog.s",
            path.display(),
            path.display()
        )));
    }
    let source = std::fs::read(path)
        .map_err(|e| RomError::new(format!("{}: cannot read: {e}", path.display())))?;
    let source = String::from_utf8_lossy(&source);
    let opts = AsmOptions {
        text_base,
        file_name: path.display().to_string(),
        isa,
    };
    asm::assemble(&source, &opts).map_err(|diags| {
        let n = diags.len();
        RomError {
            message: format!(
                "{}: {} in the assembly source",
                path.display(),
                crate::words::plural(n as u64, "error")
            ),
            diagnostics: diags.iter().map(|d| d.to_string()).collect(),
        }
    })
}

/// Refuses `--march` (`isa`) unless `rom` is an assembly source: machine
/// code's ISA is already fixed (`None` is the built-in demo, also code).
pub fn check_march(rom: Option<&Path>, isa: Option<Isa>) -> Result<(), RomError> {
    let Some(isa) = isa else { return Ok(()) };
    if rom.is_some_and(is_source) {
        return Ok(());
    }
    let what = rom.map_or_else(
        || "the built-in demo is".to_string(),
        |p| format!("{} is", p.display()),
    );
    Err(RomError::new(format!(
        "--march {isa} is for assembly sources (.s) only; {what} machine code already \
         (drop --march, or give the .s source)"
    )))
}

/// The image of a ROM file for a machine whose RAM is `ram`: an assembly
/// source is assembled for `isa` (`--march`; rv32im when `None`), a raw
/// binary needs `raw_addr`, anything else must be an ELF file. `None` is
/// the built-in demo. An ISA given for anything but a source is refused
/// rather than ignored: machine code's ISA is already fixed, and a silent
/// no-op would let a user believe it changed something.
pub fn load_image(
    rom: Option<&Path>,
    raw_addr: Option<u32>,
    isa: Option<Isa>,
    ram: MemRegion,
) -> Result<Image, RomError> {
    check_march(rom, isa)?;
    match rom {
        Some(p) if is_source(p) => {
            let program = assemble_file(p, ram.base, isa.unwrap_or_default())?;
            program
                .check_fits(ram)
                .map_err(|e| RomError::new(format!("{}: {e}", p.display())))?;
            Ok(program.image)
        }
        Some(p) => {
            // Without a raw address only ELF files are taken, so that a
            // wrong file is an error message rather than a run of garbage.
            if raw_addr.is_none() {
                require_elf(p)?;
            }
            loader::load_file(p, ram, raw_addr)
                .map_err(|e| RomError::new(format!("{}: {e}", p.display())))
        }
        None => loader::load_bytes(crate::demo::DEMO_ROM, ram, None)
            .map_err(|e| RomError::new(format!("built-in demo: {e}"))),
    }
}

/// Checks that a file starts like an ELF file (the loader then checks the
/// rest and names any problem).
fn require_elf(path: &Path) -> Result<(), RomError> {
    use std::io::Read;
    let mut magic = [0u8; 4];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut magic))
        .map_err(|e| RomError::new(format!("{}: cannot read: {e}", path.display())))?;
    if n == 0 {
        return Err(RomError::new(format!("{}: empty file", path.display())));
    }
    if n < 4 || magic != loader::ELF_MAGIC {
        return Err(RomError::new(format!(
            "{}: not an ELF file (bad magic); to run a raw binary image, give its load \
             address with --raw-addr (e.g. --raw-addr 0x80000000)",
            path.display()
        )));
    }
    Ok(())
}

/// A new machine built from `config` with the ROM (or the demo) loaded
/// (`load_image` says what `raw_addr` and `isa` do).
pub fn build_machine(
    config: MachineConfig,
    rom: Option<&Path>,
    raw_addr: Option<u32>,
    isa: Option<Isa>,
) -> Result<Machine, RomError> {
    let mut m = Machine::new(config).map_err(|e| RomError::new(e.to_string()))?;
    let image = load_image(rom, raw_addr, isa, m.ram_region())?;
    m.load(&image);
    Ok(m)
}

/// The machine of a headless run: built as `build_machine` does, with the
/// ROM's path as the semihosting command line (as a shell would pass it).
pub fn start(
    config: MachineConfig,
    rom: Option<&Path>,
    raw_addr: Option<u32>,
    isa: Option<Isa>,
) -> Result<Machine, RomError> {
    let mut m = build_machine(config, rom, raw_addr, isa)?;
    if let Some(rom) = rom {
        m.semihost.cmdline = rom.display().to_string();
    }
    Ok(m)
}

/// How a headless run ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Ending {
    /// The program exited with this code.
    Exited(i32),
    /// The cycle limit came first (exit status 124).
    CycleLimit,
    /// The machine stopped with an error (exit status 125).
    Error(String),
}

impl Ending {
    /// What `glassbox run` ends a run with `stop` as (breakpoint and
    /// watchpoint stops are the runner's own business and not endings).
    pub fn of(stop: &StopReason) -> Ending {
        match stop {
            StopReason::Halted(Halt::Exited(c)) => Ending::Exited(*c),
            StopReason::Halted(Halt::Error(msg)) => Ending::Error(msg.clone()),
            StopReason::CycleLimit => Ending::CycleLimit,
            other => Ending::Error(format!("unexpected stop: {other:?}")),
        }
    }

    /// The exit status `glassbox run` gives (the low 8 bits of an exit code).
    pub fn exit_status(&self) -> u8 {
        match self {
            Ending::Exited(c) => *c as u8,
            Ending::CycleLimit => EXIT_CYCLE_LIMIT,
            Ending::Error(_) => EXIT_MACHINE_ERROR,
        }
    }
}

/// Runs `m` with its console input closed and empty until it halts or
/// reaches cycle `limit`. What the guest prints is dropped.
pub fn run_closed(m: &mut Machine, limit: u64) -> StopReason {
    m.close_input();
    loop {
        let left = limit.saturating_sub(m.cycle);
        let stop = m.run(left.min(BATCH));
        m.take_output();
        m.take_notes();
        match stop {
            StopReason::CycleLimit if m.cycle < limit => {}
            // Input is closed: the guest reads end of file next time.
            StopReason::NeedInput => m.close_input(),
            stop => return stop,
        }
    }
}

/// The result of one headless run.
#[derive(Clone, Debug, PartialEq)]
pub struct RunResult {
    pub ending: Ending,
    /// `Machine::stats` at the end.
    pub stats: Vec<Stat>,
}

/// Does exactly what `glassbox run ROM --config C --max-cycles LIMIT
/// [--march ISA] --stats < /dev/null` does, and returns how it ended with
/// the statistics.
pub fn run_pair(
    config: MachineConfig,
    rom: &Path,
    isa: Option<Isa>,
    limit: u64,
) -> Result<RunResult, RomError> {
    let mut m = start(config, Some(rom), None, isa)?;
    let stop = run_closed(&mut m, limit);
    Ok(RunResult {
        ending: Ending::of(&stop),
        stats: m.stats(),
    })
}
