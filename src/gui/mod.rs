//! The desktop debugger (cargo feature `gui`). It drives the same library
//! API as the command line: `session` holds the machine and run control
//! without any GUI code; `app` lays out the views; each view in `views/`
//! reads the session and pushes `Command`s that the app applies once per
//! frame.

pub mod app;
pub mod compare;
pub mod compare_bench;
pub mod files;
pub mod runner;
pub mod session;
pub mod state_files;
pub mod theme;
pub mod views;

pub use app::{GlassboxApp, Settings};
pub use session::{Command, Session, Speed};

/// Example programs, openable from the File menu.
pub const EXAMPLES: &[(&str, &str)] = &[
    ("hazards.s", include_str!("../../assets/examples/hazards.s")),
    (
        "branches.s",
        include_str!("../../assets/examples/branches.s"),
    ),
    ("loops.s", include_str!("../../assets/examples/loops.s")),
    ("cache.s", include_str!("../../assets/examples/cache.s")),
    (
        "syscalls.s",
        include_str!("../../assets/examples/syscalls.s"),
    ),
    (
        "interrupt.s",
        include_str!("../../assets/examples/interrupt.s"),
    ),
];
