//! Subcommands of the `glassbox` binary.

pub mod asm;
pub mod bench;
pub mod gdb;
pub mod gui;
pub mod run;
pub mod sweep;

use clap::Args;
use glassbox::asm::Isa;
use glassbox::config::{ConfigName, MachineConfig};
use glassbox::group::sweep::plan::PartChoices;
use glassbox::machine::Machine;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Exit status for a usage, file or configuration error.
pub const EXIT_USAGE: u8 = 2;

/// Accepts decimal or 0x-prefixed hexadecimal.
pub fn parse_u32(s: &str) -> Result<u32, String> {
    let s = s.replace('_', "");
    let r = match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(hex) => u32::from_str_radix(hex, 16),
        None => s.parse(),
    };
    r.map_err(|e| format!("not a 32-bit number: {e}"))
}

/// The machine configuration flags, shared by `run`, `gui`, `gdb` and
/// `bench`: a whole configuration, and the parts to change in it.
#[derive(Args, Clone, Debug, Default)]
pub struct ConfigArgs {
    /// Machine configuration: a RON file or a preset name [default: default]
    #[arg(long)]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub parts: PartArgs,
}

/// The parts of a configuration to replace, shared by `ConfigArgs` and
/// `sweep` (which replaces them in each of its configurations).
#[derive(Args, Clone, Debug, Default)]
pub struct PartArgs {
    /// Replace the core variant (model, forwarding, hazard unit, branch
    /// stage, latencies) with a core preset's, keeping memory and predictor
    #[arg(long, value_name = "PRESET")]
    pub core: Option<String>,
    /// Replace the branch predictor with a predictor preset's
    #[arg(long, value_name = "PRESET")]
    pub predictor: Option<String>,
    /// Replace the memory hierarchy with a memory preset's, keeping the core
    #[arg(long, value_name = "PRESET")]
    pub memory: Option<String>,
}

impl PartArgs {
    pub fn choices(&self) -> PartChoices {
        PartChoices {
            core: self.core.clone(),
            predictor: self.predictor.clone(),
            memory: self.memory.clone(),
        }
    }
}

impl ConfigArgs {
    pub fn name(&self) -> ConfigName {
        let base = self
            .config
            .as_ref()
            .map_or_else(|| "default".into(), |p| p.to_string_lossy().into_owned());
        self.parts.choices().on(&base)
    }
}

/// `--march`, for the subcommands that assemble `.s` ROMs in memory; the
/// same parser and choices as `glassbox asm --march`.
#[derive(Args, Clone, Copy, Debug, Default)]
pub struct MarchArg {
    /// Target ISA of an assembly-source ROM (.s): rv32im (default), rv32imc,
    /// rv32ima or rv32imac, as `glassbox asm --march` takes it; an error
    /// with an ELF file or raw image, which are machine code already
    #[arg(long, value_name = "ISA", value_parser = Isa::parse)]
    pub march: Option<Isa>,
}

pub fn load_config(args: &ConfigArgs) -> Result<MachineConfig, String> {
    args.name().resolve().map_err(|e| e.to_string())
}

/// Loads a ROM file, or the built-in demo when `rom` is `None`, into a new
/// machine built from `config`; an assembly source is assembled for `isa`
/// (`--march`) and its diagnostics go to stderr.
pub fn build_machine(
    config: MachineConfig,
    rom: Option<&Path>,
    raw_addr: Option<u32>,
    isa: Option<Isa>,
) -> Result<Machine, String> {
    glassbox::headless::build_machine(config, rom, raw_addr, isa).map_err(report_rom_error)
}

/// Prints an assembly source's diagnostics and returns the message.
pub fn report_rom_error(e: glassbox::headless::RomError) -> String {
    for d in &e.diagnostics {
        eprintln!("{d}");
    }
    e.message
}

pub fn disasm_main(rom: &Path, raw_addr: Option<u32>) -> ExitCode {
    let m = match build_machine(MachineConfig::default(), Some(rom), raw_addr, None) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("glassbox: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    print!("{}", m.listing());
    ExitCode::SUCCESS
}
