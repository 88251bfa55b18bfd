//! A 16550 UART subset: transmit prints, receive reads the console input
//! queue. Two interrupts are real, wired to PLIC source 10 as on QEMU
//! `virt`: received data available (IER bit 0) and transmitter holding
//! register empty (IER bit 1). Transmission is instant, so THR is always
//! empty: its interrupt is raised by each THR write (the byte leaves at
//! once) and by enabling it, and cleared by reading IIR while IIR reports
//! it (16550 semantics).

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
pub const IER_RX_AVAILABLE: u8 = 1 << 0;
pub const IER_THR_EMPTY: u8 = 1 << 1;
const FCR_FIFO_ENABLE: u8 = 1 << 0;
/// IIR values: no interrupt, received data available, THR empty.
pub const IIR_NONE: u8 = 0x01;
pub const IIR_RX_AVAILABLE: u8 = 0x04;
pub const IIR_THR_EMPTY: u8 = 0x02;
/// IIR bits 7..6 read 11 while the FIFOs are enabled (FCR bit 0).
const IIR_FIFOS: u8 = 0xc0;

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
    /// FCR bit 0 (FIFOs enabled), echoed in IIR bits 7..6.
    #[serde(default)]
    fifos: bool,
    /// The THR-empty interrupt is raised (until IIR reports it or THR is
    /// written).
    #[serde(default)]
    thre_pending: bool,
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

    /// The identification IIR reports: received data first, then THR
    /// empty.
    fn iir_id(&self) -> u8 {
        if self.ier & IER_RX_AVAILABLE != 0 && !self.input.is_empty() {
            IIR_RX_AVAILABLE
        } else if self.ier & IER_THR_EMPTY != 0 && self.thre_pending {
            IIR_THR_EMPTY
        } else {
            IIR_NONE
        }
    }

    /// The interrupt line (PLIC source 10).
    pub fn irq_level(&self) -> bool {
        self.iir_id() != IIR_NONE
    }

    /// Whether received data could raise the interrupt (RX interrupt
    /// enabled and the host may still send input).
    pub fn rx_armed(&self) -> bool {
        self.ier & IER_RX_AVAILABLE != 0 && !self.input_closed
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
            IIR_FCR => {
                let id = self.iir_id();
                if live && id == IIR_THR_EMPTY {
                    self.thre_pending = false;
                }
                id | if self.fifos { IIR_FIFOS } else { 0 }
            }
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
            RBR_THR if live => {
                self.output.push(value);
                // Sent at once: THR is empty again.
                self.thre_pending = true;
            }
            RBR_THR => {}
            IER if dlab => self.divisor = (self.divisor & 0x00ff) | (value as u16) << 8,
            IER => {
                let enabling = value & IER_THR_EMPTY != 0 && self.ier & IER_THR_EMPTY == 0;
                if enabling && live {
                    self.thre_pending = true;
                }
                self.ier = value & 0x0f;
            }
            IIR_FCR => self.fifos = value & FCR_FIFO_ENABLE != 0,
            LCR => self.lcr = value,
            MCR => self.mcr = value & 0x1f,
            SCR => self.scr = value,
            _ => {}
        }
    }
}
