//! A 16550 UART subset: transmit prints, receive reads the console input
//! queue. No interrupts (the platform has no interrupt controller for it).

use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

const RBR_THR: u32 = 0;
const IER: u32 = 1;
const IIR_FCR: u32 = 2;
const LCR: u32 = 3;
const MCR: u32 = 4;
const LSR: u32 = 5;
const MSR: u32 = 6;
const SCR: u32 = 7;

const LSR_DATA_READY: u8 = 1 << 0;
const LSR_THR_EMPTY: u8 = 1 << 5;
const LSR_TX_IDLE: u8 = 1 << 6;
const LCR_DLAB: u8 = 1 << 7;

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Uart {
    /// Bytes the guest printed and the host has not yet taken.
    pub output: Vec<u8>,
    /// Console input not yet read by the guest.
    pub input: VecDeque<u8>,
    /// Set when the host has no more input to give.
    pub input_closed: bool,
    ier: u8,
    lcr: u8,
    mcr: u8,
    scr: u8,
    divisor: u16,
}

impl Uart {
    fn lsr(&self) -> u8 {
        let ready = if self.input.is_empty() {
            0
        } else {
            LSR_DATA_READY
        };
        LSR_THR_EMPTY | LSR_TX_IDLE | ready
    }

    /// Timing-path read of the register at `offset` (byte-wide registers;
    /// wider accesses read the register at their address).
    pub fn read(&mut self, offset: u32, live: bool) -> u32 {
        let dlab = self.lcr & LCR_DLAB != 0;
        let v = match offset {
            RBR_THR if dlab => self.divisor as u8,
            RBR_THR => {
                if live {
                    self.input.pop_front().unwrap_or(0)
                } else {
                    self.input.front().copied().unwrap_or(0)
                }
            }
            IER if dlab => (self.divisor >> 8) as u8,
            IER => self.ier,
            IIR_FCR => 0x01, // no interrupt pending
            LCR => self.lcr,
            MCR => self.mcr,
            LSR => self.lsr(),
            MSR => 0,
            SCR => self.scr,
            _ => 0,
        };
        v as u32
    }

    /// Side-effect-free read.
    pub fn peek(&self, offset: u32) -> u32 {
        self.clone().read(offset, false)
    }

    /// Write of one byte. `live` is false for debugger pokes, which must not
    /// print.
    pub fn write(&mut self, offset: u32, value: u8, live: bool) {
        let dlab = self.lcr & LCR_DLAB != 0;
        match offset {
            RBR_THR if dlab => self.divisor = (self.divisor & 0xff00) | value as u16,
            RBR_THR if live => self.output.push(value),
            RBR_THR => {}
            IER if dlab => self.divisor = (self.divisor & 0x00ff) | (value as u16) << 8,
            IER => self.ier = value & 0x0f,
            LCR => self.lcr = value,
            MCR => self.mcr = value & 0x1f,
            SCR => self.scr = value,
            _ => {}
        }
    }
}
