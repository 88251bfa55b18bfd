//! The debugger layer: everything the GUI, the gdb stub and the CLI share
//! on top of `Machine` (no GUI code): breakpoints, watchpoints and event
//! stops (`stops`, conditions in `expr`), reverse execution (`timeline`)
//! and save states (`savestate`).

pub mod debugger;
pub mod expr;
pub mod savestate;
pub mod stops;
pub mod timeline;

pub use debugger::Debugger;
pub use savestate::{SaveState, StateError};
pub use timeline::{
    DEFAULT_BUDGET, Edit, EditError, JournalEntry, Mark, MarkKind, ReverseStop, SeekError, Timeline,
};
