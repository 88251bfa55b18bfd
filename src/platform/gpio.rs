//! General-purpose I/O for teaching and games: 16 LEDs, 16 switches,
//! 8 buttons (a D-pad and four more) and a 4-digit seven-segment display,
//! with an interrupt when an input changes.

use super::AccessFault;
use serde::{Deserialize, Serialize};

pub const GPIO_BASE: u32 = 0x1100_2000;
pub const GPIO_SIZE: u32 = 0x1000;

pub const LEDS: u32 = 0x00;
pub const SWITCHES: u32 = 0x04;
pub const BUTTONS: u32 = 0x08;
pub const SEVENSEG: u32 = 0x0c;
pub const IRQ_ENABLE: u32 = 0x10;
pub const CHANGED: u32 = 0x14;

/// Button bits (BUTTONS register and `Machine::set_buttons`).
pub const BUTTON_UP: u8 = 1 << 0;
pub const BUTTON_DOWN: u8 = 1 << 1;
pub const BUTTON_LEFT: u8 = 1 << 2;
pub const BUTTON_RIGHT: u8 = 1 << 3;
pub const BUTTON_A: u8 = 1 << 4;
pub const BUTTON_B: u8 = 1 << 5;
pub const BUTTON_START: u8 = 1 << 6;
pub const BUTTON_SELECT: u8 = 1 << 7;

/// CHANGED: switches in bits 0..15, buttons in bits 16..23.
pub const CHANGED_BUTTONS_SHIFT: u32 = 16;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gpio {
    pub leds: u16,
    pub switches: u16,
    pub buttons: u8,
    /// Byte i = digit i: segments a..g in bits 0..6, the point in bit 7.
    pub sevenseg: u32,
    pub irq_enable: bool,
    /// Inputs that changed since the guest last cleared them.
    pub changed: u32,
}

impl Gpio {
    pub fn set_switches(&mut self, bits: u16) {
        self.changed |= (self.switches ^ bits) as u32;
        self.switches = bits;
    }

    pub fn set_buttons(&mut self, bits: u8) {
        self.changed |= ((self.buttons ^ bits) as u32) << CHANGED_BUTTONS_SHIFT;
        self.buttons = bits;
    }

    /// The interrupt line (PLIC source 13).
    pub fn irq_level(&self) -> bool {
        self.irq_enable && self.changed != 0
    }

    pub fn read(&self, offset: u32) -> Result<u32, AccessFault> {
        Ok(match offset {
            LEDS => self.leds as u32,
            SWITCHES => self.switches as u32,
            BUTTONS => self.buttons as u32,
            SEVENSEG => self.sevenseg,
            IRQ_ENABLE => self.irq_enable as u32,
            CHANGED => self.changed,
            _ => return Err(AccessFault),
        })
    }

    /// SWITCHES and BUTTONS are read-only; CHANGED is write-1-to-clear
    /// (debugger pokes, `live` false, clear nothing).
    pub fn write(&mut self, offset: u32, value: u32, live: bool) -> Result<(), AccessFault> {
        match offset {
            LEDS => self.leds = value as u16,
            SEVENSEG => self.sevenseg = value,
            IRQ_ENABLE => self.irq_enable = value & 1 != 0,
            CHANGED if live => self.changed &= !value,
            SWITCHES | BUTTONS | CHANGED => {}
            _ => return Err(AccessFault),
        }
        Ok(())
    }
}
