//! The keyboard: a FIFO of press and release events with USB HID key
//! codes (usage page 0x07), a status register and an interrupt.

use super::AccessFault;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

pub const KEYBOARD_BASE: u32 = 0x1100_1000;
pub const KEYBOARD_SIZE: u32 = 0x1000;

pub const STATUS: u32 = 0x00;
pub const DATA: u32 = 0x04;
pub const CTRL: u32 = 0x08;

pub const STATUS_AVAILABLE: u32 = 1;
pub const STATUS_OVERFLOW: u32 = 2;
/// Bit 16 of a DATA word: 1 for a press, 0 for a release.
pub const DATA_PRESS: u32 = 1 << 16;
pub const FIFO_LEN: usize = 16;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Keyboard {
    /// Events not yet read, as DATA words.
    pub fifo: VecDeque<u32>,
    /// An event was dropped because the FIFO was full; cleared by a read
    /// of STATUS.
    pub overflow: bool,
    pub irq_enable: bool,
}

impl Keyboard {
    /// A key event from the host. With the FIFO full the event is lost
    /// and STATUS.OVERFLOW set.
    pub fn key(&mut self, code: u16, pressed: bool) {
        if self.fifo.len() >= FIFO_LEN {
            self.overflow = true;
        } else {
            self.fifo
                .push_back(code as u32 | if pressed { DATA_PRESS } else { 0 });
        }
    }

    /// The interrupt line (PLIC source 11): events wait and it is enabled.
    pub fn irq_level(&self) -> bool {
        self.irq_enable && !self.fifo.is_empty()
    }

    fn status(&self) -> u32 {
        (!self.fifo.is_empty()) as u32 | if self.overflow { STATUS_OVERFLOW } else { 0 }
    }

    /// A register read: reading DATA pops an event, reading STATUS clears
    /// OVERFLOW (both only when `live`).
    pub fn read(&mut self, offset: u32, live: bool) -> Result<u32, AccessFault> {
        Ok(match offset {
            STATUS => {
                let s = self.status();
                if live {
                    self.overflow = false;
                }
                s
            }
            DATA if live => self.fifo.pop_front().unwrap_or(0),
            DATA => self.fifo.front().copied().unwrap_or(0),
            CTRL => self.irq_enable as u32,
            _ => return Err(AccessFault),
        })
    }

    pub fn peek(&self, offset: u32) -> Option<u32> {
        self.clone().read(offset, false).ok()
    }

    /// STATUS and DATA are read-only.
    pub fn write(&mut self, offset: u32, value: u32) -> Result<(), AccessFault> {
        match offset {
            CTRL => self.irq_enable = value & 1 != 0,
            STATUS | DATA => {}
            _ => return Err(AccessFault),
        }
        Ok(())
    }
}
