//! Glassbox: a cycle-accurate, educational RISC-V (RV32IM + Zicsr +
//! Zifencei) emulator. This library is the whole simulation; the GUI, the
//! `glassbox` command, the tests and the benchmarks all drive it through the
//! same API. See ARCHITECTURE.md for the codemap.

pub mod asm;
pub mod bench;
pub mod config;
pub mod cosim;
pub mod debug;
pub mod demo;
pub mod disasm;
pub mod gdb;
pub mod group;
#[cfg(feature = "gui")]
pub mod gui;
pub mod headless;
pub mod isa;
pub mod loader;
pub mod machine;
pub mod memory;
pub mod pipeline;
pub mod platform;
pub mod stats;
pub mod symbols;
pub mod words;

pub use config::MachineConfig;
pub use machine::{Halt, Machine, StopReason};
