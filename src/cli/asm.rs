//! `glassbox asm`: assemble a `.s` file into an ELF executable; and the
//! `.s` support of `glassbox run`/`disasm` (assemble in memory, then load).

use super::{EXIT_USAGE, parse_u32};
use clap::Args;
use glassbox::asm::{self, AsmOptions, DEFAULT_TEXT_BASE, Isa, Program};
use glassbox::loader::{Image, MemRegion};
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
    #[arg(long, value_parser = Isa::parse, default_value = "rv32im")]
    pub march: Isa,
}

/// Whether `path` is an assembly source (`.s`, or `.S`, which is refused
/// with advice).
pub fn is_source(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("s" | "S"))
}

/// Assembles a source file, printing every diagnostic to stderr.
fn assemble_file(path: &Path, text_base: u32, isa: Isa) -> Result<Program, String> {
    if path.extension().and_then(|e| e.to_str()) == Some("S") {
        return Err(format!(
            "{}: .S files need the C preprocessor, which glassbox does not have; run \
             `riscv64-unknown-elf-gcc -E -P {} -o prog.s` and give it prog.s",
            path.display(),
            path.display()
        ));
    }
    let source =
        std::fs::read(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    let source = String::from_utf8_lossy(&source);
    let opts = AsmOptions {
        text_base,
        file_name: path.display().to_string(),
        isa,
    };
    asm::assemble(&source, &opts).map_err(|diags| {
        for d in &diags {
            eprintln!("{d}");
        }
        let n = diags.len();
        format!(
            "{}: {n} error{} in the assembly source",
            path.display(),
            if n == 1 { "" } else { "s" }
        )
    })
}

/// Assembles a source file into an image that fits `ram`.
pub fn load_source(path: &Path, ram: MemRegion) -> Result<Image, String> {
    let program = assemble_file(path, ram.base, Isa::default())?;
    program
        .check_fits(ram)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(program.image)
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
