//! `glassbox asm`: assemble a `.s` file into an ELF executable (`.s` ROMs of
//! `glassbox run`/`disasm` are assembled in memory by `glassbox::headless`).

use super::{EXIT_USAGE, parse_u32};
use clap::Args;
use glassbox::asm::{self, DEFAULT_TEXT_BASE, Isa, Program};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Exit status when the source has errors.
pub const EXIT_ASM_ERRORS: u8 = 1;

#[derive(Args)]
pub struct AsmArgs {
    /// Assembly source (GNU as syntax, .s)
    pub source: PathBuf,
    /// Output ELF file (default: the source name with .elf)
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Address of .text (the other sections follow it)
    #[arg(long, value_parser = parse_u32, default_value_t = DEFAULT_TEXT_BASE)]
    pub text_base: u32,
    /// Target ISA: rv32im (default), rv32imc, rv32ima or rv32imac; with C,
    /// instructions are compressed as GNU as does
    #[arg(long, value_name = "ISA", value_parser = Isa::parse, default_value = "rv32im")]
    pub march: Isa,
}

/// Assembles a source file, printing every diagnostic to stderr.
fn assemble_file(path: &Path, text_base: u32, isa: Isa) -> Result<Program, String> {
    glassbox::headless::assemble_file(path, text_base, isa).map_err(super::report_rom_error)
}

pub fn main(args: AsmArgs) -> ExitCode {
    let program = match assemble_file(&args.source, args.text_base, args.march) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("glassbox: {e}");
            let usage = !args.source.exists()
                || args.source.extension().and_then(|e| e.to_str()) == Some("S");
            return ExitCode::from(if usage { EXIT_USAGE } else { EXIT_ASM_ERRORS });
        }
    };
    let out = args
        .output
        .unwrap_or_else(|| args.source.with_extension("elf"));
    if let Err(e) = std::fs::write(&out, asm::write_elf(&program)) {
        eprintln!("glassbox: cannot write {}: {e}", out.display());
        return ExitCode::from(EXIT_USAGE);
    }
    ExitCode::SUCCESS
}
