//! `glassbox gui` (and `glassbox` alone): the debugger window, on the
//! built-in demo ROM unless a ROM is named. Without the `gui` feature the
//! demo runs headless instead.

use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Default)]
pub struct GuiArgs {
    /// ELF file or assembly source to open (default: the built-in demo)
    pub rom: Option<PathBuf>,
    #[command(flatten)]
    pub config: super::ConfigArgs,
    /// The editor's ISA for an assembly source (the ISA box above it).
    #[command(flatten)]
    pub march: super::MarchArg,
}

#[cfg(feature = "gui")]
pub fn main(args: GuiArgs) -> ExitCode {
    use super::{EXIT_USAGE, load_config};
    use glassbox::gui::Session;
    let config = match load_config(&args.config) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("glassbox: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let mut session = match Session::demo(config) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("glassbox: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    session.name_config(args.config.name());
    if let Err(e) = glassbox::headless::check_march(args.rom.as_deref(), args.march.march) {
        eprintln!("glassbox: {e}");
        return ExitCode::from(EXIT_USAGE);
    }
    if let Some(isa) = args.march.march {
        session.apply(glassbox::gui::Command::SetIsa(isa));
    }
    if let Some(rom) = &args.rom {
        // A bad file is shown in the window; the demo stays loaded.
        session.open(rom);
    }
    match glassbox::gui::app::run(session) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("glassbox: cannot open the window: {e}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

#[cfg(not(feature = "gui"))]
pub fn main(args: GuiArgs) -> ExitCode {
    eprintln!("glassbox: built without the `gui` feature; running the demo headless");
    super::run::main(super::run::RunArgs {
        rom: args.rom,
        config: args.config,
        march: args.march,
        ..super::run::RunArgs::default()
    })
}
