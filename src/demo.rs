//! The ROM built into the binary, so the first run needs no files.

/// Name shown for the built-in ROM.
pub const DEMO_NAME: &str = "fibonacci (built-in demo)";

/// `roms/fibonacci.elf`: short, prints as it goes, and has loops and calls
/// for the pipeline to show.
pub const DEMO_ROM: &[u8] = include_bytes!("../roms/fibonacci.elf");
