//! The devices beyond the QEMU `virt` subset (display, keyboard, GPIO)
//! and the PLIC that routes their interrupts, as one value hosts read
//! through `Machine::devices()`.

use super::display::{Display, DisplayView};
use super::gpio::Gpio;
use super::keyboard::Keyboard;
use super::plic::Plic;
use crate::config::DevicesConfig;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Devices {
    pub plic: Plic,
    pub display: Display,
    pub keyboard: Keyboard,
    pub gpio: Gpio,
}

impl Default for Devices {
    fn default() -> Self {
        Devices::new(&DevicesConfig::default())
    }
}

impl Devices {
    pub fn new(cfg: &DevicesConfig) -> Devices {
        Devices {
            plic: Plic::default(),
            display: Display::new(cfg),
            keyboard: Keyboard::default(),
            gpio: Gpio::default(),
        }
    }

    /// The display, to read pixels without side effects.
    pub fn display(&self) -> DisplayView<'_> {
        self.display.view()
    }

    /// LED i is bit i.
    pub fn leds(&self) -> u16 {
        self.gpio.leds
    }

    /// Digit i's segments (a..g in bits 0..6, point in bit 7) in byte i.
    pub fn sevenseg(&self) -> [u8; 4] {
        self.gpio.sevenseg.to_le_bytes()
    }

    pub fn switches(&self) -> u16 {
        self.gpio.switches
    }

    pub fn buttons(&self) -> u8 {
        self.gpio.buttons
    }

    /// Events waiting in the keyboard FIFO.
    pub fn keys_queued(&self) -> usize {
        self.keyboard.fifo.len()
    }
}
