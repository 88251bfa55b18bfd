//! The platform a ROM sees: the memory map and its devices, reached through
//! two paths.
//!
//! - The *timing path* (`load`/`store`) is what the CPU uses. Device reads
//!   may have side effects (the UART pops a byte of input).
//! - The *debug path* (`peek`/`poke`) is for debuggers and loaders. A peek
//!   never changes any state; a poke writes RAM or a device register without
//!   triggering device actions (no HTIF command, no console output).

pub mod clint;
pub mod devices;
pub mod display;
pub mod finisher;
pub mod gpio;
pub mod keyboard;
pub mod keys;
pub mod plic;
pub mod png;
pub mod ram;
pub mod uart;

use serde::{Deserialize, Serialize};

use crate::config::DevicesConfig;
pub use clint::Clint;
pub use devices::Devices;
pub use display::{DISPLAY_BASE, DISPLAY_SIZE, DisplayView, FB_BASE, PixelFormat};
pub use finisher::{FINISHER_BASE, FINISHER_SIZE, Finisher, FinisherAction};
pub use gpio::{GPIO_BASE, GPIO_SIZE};
pub use keyboard::{KEYBOARD_BASE, KEYBOARD_SIZE};
pub use keys::{KeyEvent, KeyScript, KeyScriptError};
pub use plic::{PLIC_BASE, PLIC_SIZE};
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
    Plic,
    Display,
    Framebuffer,
    Keyboard,
    Gpio,
}

impl Region {
    /// Registers of 32 bits that take aligned word accesses only.
    fn word_registers(self) -> bool {
        matches!(
            self,
            Region::Plic | Region::Display | Region::Keyboard | Region::Gpio
        )
    }
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
    /// PLIC, display, keyboard and GPIO.
    pub devices: Devices,
}

impl Bus {
    pub fn new(ram_size: u32, devices: &DevicesConfig) -> Bus {
        Bus {
            ram: Ram::new(RAM_BASE, ram_size),
            uart: Uart::default(),
            clint: Clint::default(),
            finisher: Finisher::default(),
            devices: Devices::new(devices),
        }
    }

    /// The interrupt lines into the PLIC at cycle `now` (bit n = source n).
    pub fn irq_levels(&self, now: u64) -> u32 {
        let d = &self.devices;
        (self.uart.irq_level() as u32) << plic::SOURCE_UART
            | (d.keyboard.irq_level() as u32) << plic::SOURCE_KEYBOARD
            | (d.display.irq_level(now) as u32) << plic::SOURCE_VSYNC
            | (d.gpio.irq_level() as u32) << plic::SOURCE_GPIO
    }

    /// MEIP: the PLIC has a claimable interrupt above its threshold.
    #[inline]
    pub fn meip(&self, now: u64) -> bool {
        let p = &self.devices.plic;
        // Nothing enabled: no need to look at the devices.
        p.enable != 0 && p.deliverable(self.irq_levels(now)) != 0
    }

    /// The first cycle at or after `now` at which a device's interrupt
    /// line rises by itself (only the display's vsync does, with time);
    /// `u64::MAX` if none will.
    pub fn device_deadline(&self, now: u64) -> u64 {
        self.devices.display.irq_deadline(now)
    }

    /// Timing-path read of a device register or framebuffer bytes.
    fn device_load(
        &mut self,
        r: Region,
        addr: u32,
        width: u32,
        now: u64,
    ) -> Result<u32, AccessFault> {
        if r.word_registers() && (width != 4 || addr & 3 != 0) {
            return Err(AccessFault);
        }
        let levels = self.irq_levels(now);
        let d = &mut self.devices;
        match r {
            Region::Plic => d.plic.read(addr - PLIC_BASE, levels, true),
            Region::Display => d.display.read(addr - DISPLAY_BASE, now),
            Region::Framebuffer => Ok(d.display.fb_read(addr - FB_BASE, width)),
            Region::Keyboard => d.keyboard.read(addr - KEYBOARD_BASE, true),
            Region::Gpio => d.gpio.read(addr - GPIO_BASE),
            _ => Err(AccessFault),
        }
    }

    /// Timing-path (`live`) or debugger write of a device register or
    /// framebuffer bytes.
    fn device_store(
        &mut self,
        r: Region,
        addr: u32,
        width: u32,
        value: u32,
        now: u64,
        live: bool,
    ) -> Result<(), AccessFault> {
        if r.word_registers() && (width != 4 || addr & 3 != 0) {
            return Err(AccessFault);
        }
        let d = &mut self.devices;
        match r {
            Region::Plic => d.plic.write(addr - PLIC_BASE, value, live),
            Region::Display => d.display.write(addr - DISPLAY_BASE, value, now, live),
            Region::Framebuffer => {
                d.display.fb_write(addr - FB_BASE, width, value);
                Ok(())
            }
            Region::Keyboard => d.keyboard.write(addr - KEYBOARD_BASE, value),
            Region::Gpio => d.gpio.write(addr - GPIO_BASE, value, live),
            _ => Err(AccessFault),
        }
    }

    /// Side-effect-free read of a device register; narrower or unaligned
    /// reads inside one register see its bytes (debuggers read memory
    /// byte by byte).
    fn device_peek(&self, r: Region, addr: u32, width: u32, now: u64) -> Option<u32> {
        let d = &self.devices;
        if r == Region::Framebuffer {
            return Some(d.display.fb_read(addr - FB_BASE, width));
        }
        let word = addr & !3;
        if (addr & 3) + width > 4 {
            return None;
        }
        let v = match r {
            Region::Plic => d
                .plic
                .clone()
                .read(word - PLIC_BASE, self.irq_levels(now), false),
            Region::Display => d.display.read(word - DISPLAY_BASE, now),
            Region::Keyboard => d.keyboard.peek(word - KEYBOARD_BASE).ok_or(AccessFault),
            Region::Gpio => d.gpio.read(word - GPIO_BASE),
            _ => Err(AccessFault),
        }
        .ok()?;
        let v = v >> ((addr & 3) * 8);
        Some(if width == 4 {
            v
        } else {
            v & ((1 << (width * 8)) - 1)
        })
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
        } else if inside(FB_BASE, self.devices.display.fb_size()) {
            Some(Region::Framebuffer)
        } else if inside(PLIC_BASE, PLIC_SIZE) {
            Some(Region::Plic)
        } else if inside(DISPLAY_BASE, DISPLAY_SIZE) {
            Some(Region::Display)
        } else if inside(KEYBOARD_BASE, KEYBOARD_SIZE) {
            Some(Region::Keyboard)
        } else if inside(GPIO_BASE, GPIO_SIZE) {
            Some(Region::Gpio)
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
            Some(r) => self.device_load(r, addr, width, now),
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
            Some(r) => self.device_store(r, addr, width, value, now, true)?,
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
            r => self.device_peek(r, addr, width, now),
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
            Some(r) => return self.device_store(r, addr, width, value, now, false).is_ok(),
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
