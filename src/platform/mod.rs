//! The platform a ROM sees: the memory map and its devices, reached through
//! two paths.
//!
//! - The *timing path* (`load`/`store`) is what the CPU uses. Device reads
//!   may have side effects (the UART pops a byte of input).
//! - The *debug path* (`peek`/`poke`) is for debuggers and loaders. A peek
//!   never changes any state; a poke writes RAM or a device register without
//!   triggering device actions (no HTIF command, no console output).

pub mod clint;
pub mod finisher;
pub mod ram;
pub mod uart;

use serde::{Deserialize, Serialize};

pub use clint::Clint;
pub use finisher::{FINISHER_BASE, FINISHER_SIZE, Finisher, FinisherAction};
pub use ram::Ram;
pub use uart::Uart;

pub const RAM_BASE: u32 = 0x8000_0000;
pub const CLINT_BASE: u32 = 0x0200_0000;
pub const CLINT_SIZE: u32 = 0x1_0000;
pub const UART_BASE: u32 = 0x1000_0000;
pub const UART_SIZE: u32 = 0x100;

/// Which region of the memory map an address falls in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Region {
    Ram,
    Clint,
    Uart,
    Finisher,
}

/// The memory map's cause for refusing an access.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AccessFault;

/// RAM plus the MMIO devices, keyed by the memory map above.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Bus {
    pub ram: Ram,
    pub uart: Uart,
    pub clint: Clint,
    /// QEMU virt's test finisher; `#[serde(default)]` keeps older save
    /// states loadable.
    #[serde(default)]
    pub finisher: Finisher,
}

impl Bus {
    pub fn new(ram_size: u32) -> Bus {
        Bus {
            ram: Ram::new(RAM_BASE, ram_size),
            uart: Uart::default(),
            clint: Clint::default(),
            finisher: Finisher::default(),
        }
    }

    /// The region holding all `width` bytes at `addr`, if one does.
    pub fn region(&self, addr: u32, width: u32) -> Option<Region> {
        let inside = |base: u32, size: u32| {
            let off = addr.wrapping_sub(base);
            off < size && size - off >= width
        };
        if inside(self.ram.base(), self.ram.size()) {
            Some(Region::Ram)
        } else if inside(UART_BASE, UART_SIZE) {
            Some(Region::Uart)
        } else if inside(CLINT_BASE, CLINT_SIZE) {
            Some(Region::Clint)
        } else if inside(FINISHER_BASE, FINISHER_SIZE) {
            Some(Region::Finisher)
        } else {
            None
        }
    }

    /// Timing-path read of 1, 2 or 4 bytes, zero-extended. `now` is the
    /// current cycle, which drives `mtime`.
    pub fn load(&mut self, addr: u32, width: u32, now: u64) -> Result<u32, AccessFault> {
        match self.region(addr, width) {
            Some(Region::Ram) => Ok(self.ram.read(addr, width)),
            Some(Region::Uart) => Ok(self.uart.read(addr - UART_BASE, true)),
            Some(Region::Clint) => Ok(self.clint.read(addr - CLINT_BASE, width, now)),
            Some(Region::Finisher) => Ok(0),
            None => Err(AccessFault),
        }
    }

    /// Timing-path write of the low `width` bytes of `value`.
    pub fn store(
        &mut self,
        addr: u32,
        width: u32,
        value: u32,
        now: u64,
    ) -> Result<(), AccessFault> {
        match self.region(addr, width) {
            Some(Region::Ram) => self.ram.write(addr, width, value),
            Some(Region::Uart) => self.uart.write(addr - UART_BASE, value as u8, true),
            Some(Region::Clint) => self.clint.write(addr - CLINT_BASE, width, value, now),
            Some(Region::Finisher) => self
                .finisher
                .write(addr - FINISHER_BASE, width, value, true),
            None => return Err(AccessFault),
        }
        Ok(())
    }

    /// Side-effect-free read, for debuggers. `None` where nothing is mapped.
    pub fn peek(&self, addr: u32, width: u32, now: u64) -> Option<u32> {
        match self.region(addr, width)? {
            Region::Ram => Some(self.ram.read(addr, width)),
            Region::Uart => Some(self.uart.peek(addr - UART_BASE)),
            Region::Clint => Some(self.clint.read(addr - CLINT_BASE, width, now)),
            Region::Finisher => Some(0),
        }
    }

    /// Debug-path write: stores without device actions. Returns false where
    /// nothing is mapped.
    pub fn poke(&mut self, addr: u32, width: u32, value: u32, now: u64) -> bool {
        match self.region(addr, width) {
            Some(Region::Ram) => self.ram.write(addr, width, value),
            Some(Region::Uart) => self.uart.write(addr - UART_BASE, value as u8, false),
            Some(Region::Clint) => self.clint.write(addr - CLINT_BASE, width, value, now),
            Some(Region::Finisher) => {}
            None => return false,
        }
        true
    }

    /// Reads a byte range for a debugger; unmapped bytes are `None`.
    pub fn peek_bytes(&self, addr: u32, len: u32, now: u64) -> Vec<Option<u8>> {
        (0..len)
            .map(|i| self.peek(addr.wrapping_add(i), 1, now).map(|v| v as u8))
            .collect()
    }
}
