//! The debugger layer over the machine, without any GUI: reverse execution
//! (`timeline`) and save states (`savestate`). The GUI session, the gdb
//! stub and the CLI drive it.

pub mod timeline;

pub use timeline::{
    DEFAULT_BUDGET, Edit, EditError, JournalEntry, Mark, MarkKind, ReverseStop, SeekError, Timeline,
};
