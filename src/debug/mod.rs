//! The debugger layer: everything the GUI, the gdb stub and the CLI share
//! on top of `Machine` (no GUI code).

pub mod expr;
pub mod stops;
