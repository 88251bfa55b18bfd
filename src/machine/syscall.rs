//! Host services: syscall emulation for `ecall` while `mtvec` = 0, and the
//! HTIF `tohost` protocol. Numbers and conventions follow the platform spec.

use super::{Halt, Machine};
use crate::isa::reg::{A0, A1, A2, A7};
use crate::platform::FinisherAction;

const EBADF: i32 = 9;
const EFAULT: i32 = 14;
/// Longest string `print string` will read before giving up.
const MAX_STRING: u32 = 1 << 16;

impl Machine {
    /// Serves the syscall in a7. Returns false if it must wait for console
    /// input (nothing changed; the ecall runs again later).
    pub(crate) fn syscall(&mut self) -> bool {
        let (pc, a7) = (self.hart.pc, self.hart.reg(A7));
        let served = self.serve_syscall();
        if served && self.triggers().events.ecall {
            self.note_syscall(pc, a7);
        }
        served
    }

    fn serve_syscall(&mut self) -> bool {
        let h = &self.hart;
        let (n, a0, a1, a2) = (h.reg(A7), h.reg(A0), h.reg(A1), h.reg(A2));
        let pc = h.pc;
        let ret: u32 = match n {
            63 => match self.read_console(a0, a1, a2) {
                Some(r) => r,
                None => return false,
            },
            64 => self.write_console(a0, a1, a2) as u32,
            93 | 94 => {
                self.halt = Some(Halt::Exited(a0 as i32));
                return true;
            }
            10 => {
                self.halt = Some(Halt::Exited(0));
                return true;
            }
            214 => {
                if a0 > self.brk && self.bus.ram.offset(a0, 0).is_some() {
                    self.brk = a0;
                }
                self.brk
            }
            1 => self.print(format!("{}", a0 as i32)),
            4 => match self.read_c_string(a0) {
                Some(s) => {
                    self.bus.uart.output.extend_from_slice(&s);
                    a0
                }
                None => {
                    self.halt = Some(Halt::Error(format!(
                        "print string (syscall 4) at pc {pc:#010x}: {a0:#010x} is not a \
                         NUL-terminated string in RAM"
                    )));
                    return true;
                }
            },
            11 => {
                self.bus.uart.output.push(a0 as u8);
                a0
            }
            34 => self.print(format!("{a0:#010x}")),
            35 => self.print(format!("{a0:032b}")),
            36 => self.print(format!("{a0}")),
            5 => match self.read_line() {
                Some(line) => parse_int(&line),
                None => return false,
            },
            12 => match self.bus.uart.input.pop_front() {
                Some(c) => c as u32,
                None if self.bus.uart.input_closed => u32::MAX,
                None => {
                    self.waiting_for_input = true;
                    return false;
                }
            },
            _ => {
                self.halt = Some(Halt::Error(format!(
                    "unknown syscall number {n} (a7) at pc {pc:#010x}; see the platform \
                     documentation for the supported calls"
                )));
                return true;
            }
        };
        self.hart.set_reg(A0, ret);
        true
    }

    fn print(&mut self, s: String) -> u32 {
        self.bus.uart.output.extend_from_slice(s.as_bytes());
        self.hart.reg(A0)
    }

    pub(super) fn read_c_string(&self, addr: u32) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        for i in 0..MAX_STRING {
            let a = addr.checked_add(i)?;
            match self.guest_bytes(a, 1)?[0] {
                0 => return Some(out),
                c => out.push(c),
            }
        }
        None
    }

    /// `write(fd, buf, len)`: returns the byte count or a negative errno.
    fn write_console(&mut self, fd: u32, buf: u32, len: u32) -> i32 {
        if fd != 1 && fd != 2 {
            return -EBADF;
        }
        match self.guest_bytes(buf, len) {
            Some(bytes) => {
                self.bus.uart.output.extend_from_slice(&bytes);
                len as i32
            }
            None => -EFAULT,
        }
    }

    /// `read(0, buf, len)`: what input there is, up to `len`; 0 at end of
    /// input; `None` while waiting for more.
    fn read_console(&mut self, fd: u32, buf: u32, len: u32) -> Option<u32> {
        if fd != 0 {
            return Some(-EBADF as u32);
        }
        if self.bus.ram.offset(buf, len).is_none() {
            return Some(-EFAULT as u32);
        }
        let uart = &mut self.bus.uart;
        if uart.input.is_empty() && len > 0 {
            if uart.input_closed {
                return Some(0);
            }
            self.waiting_for_input = true;
            return None;
        }
        let n = (len as usize).min(uart.input.len());
        let bytes: Vec<u8> = uart.input.drain(..n).collect();
        self.set_guest_bytes(buf, &bytes);
        Some(n as u32)
    }

    /// One line of input (without its newline), for `read int`.
    fn read_line(&mut self) -> Option<String> {
        let uart = &mut self.bus.uart;
        let end = match uart.input.iter().position(|&c| c == b'\n') {
            Some(i) => i + 1,
            None if uart.input_closed => uart.input.len(),
            None => {
                self.waiting_for_input = true;
                return None;
            }
        };
        let line: Vec<u8> = uart.input.drain(..end).collect();
        Some(String::from_utf8_lossy(&line).trim().to_string())
    }

    /// The store at `pc` touched `tohost` (act on its value as HTIF does)
    /// or wrote the test finisher (exit or reset).
    pub(crate) fn htif_store(&mut self, pc: u32) {
        self.events = true;
        if let Some(action) = self.bus.finisher.pending.take() {
            self.halt = Some(match action {
                FinisherAction::Exit(code) => Halt::Exited(code),
                FinisherAction::Reset => Halt::Error(format!(
                    "the program asked for a reset through the test finisher (0x7777 at \
                     {:#010x}); Glassbox does not reset, reload the program instead",
                    crate::platform::FINISHER_BASE
                )),
            });
            return;
        }
        let Some(tohost) = self.program.tohost else {
            return;
        };
        let Some(v) = self.read_u64(tohost) else {
            return;
        };
        if self.triggers().events.tohost {
            self.note_tohost(pc, v);
        }
        if v == 0 {
            return;
        }
        if v & 1 == 1 {
            self.halt = Some(Halt::Exited((v >> 1) as i32));
            return;
        }
        match self.htif_syscall(v) {
            Ok(result) => {
                let addr = v as u32;
                self.write_u64(addr, result);
                if let Some(fromhost) = self.program.fromhost {
                    self.write_u64(fromhost, 1);
                }
                self.write_u64(tohost, 0);
            }
            Err(msg) => self.halt = Some(Halt::Error(format!("HTIF: {msg}"))),
        }
    }

    /// Serves a syscall-proxy request: `v` points at {number, arg0, arg1, arg2}.
    fn htif_syscall(&mut self, v: u64) -> Result<u64, String> {
        let addr =
            u32::try_from(v).map_err(|_| format!("request address {v:#x} is outside RAM"))?;
        let word = |m: &Machine, i: u32| {
            m.read_u64(addr.wrapping_add(8 * i))
                .ok_or_else(|| format!("request at {addr:#010x} is outside RAM"))
        };
        let n = word(self, 0)?;
        let (a0, a1, a2) = (
            word(self, 1)? as u32,
            word(self, 2)? as u32,
            word(self, 3)? as u32,
        );
        match n {
            64 => Ok(self.write_console(a0, a1, a2) as i64 as u64),
            93 | 94 => {
                self.halt = Some(Halt::Exited(a0 as i32));
                Ok(0)
            }
            _ => Err(format!(
                "unknown syscall-proxy number {n} in the request at {addr:#010x}"
            )),
        }
    }

    fn read_u64(&self, addr: u32) -> Option<u64> {
        let b = self.guest_bytes(addr, 8)?;
        Some(u64::from_le_bytes(b.try_into().ok()?))
    }

    fn write_u64(&mut self, addr: u32, v: u64) {
        self.set_guest_bytes(addr, &v.to_le_bytes());
    }

    /// Guest RAM as the CPU sees it, for host services (syscalls, HTIF):
    /// `None` unless all of it is RAM. Caches, when modelled, hold newer
    /// data than RAM, so host services must come through here.
    pub(crate) fn guest_bytes(&self, addr: u32, len: u32) -> Option<Vec<u8>> {
        let mut bytes = self.bus.ram.slice(addr, len)?.to_vec();
        if let Some(h) = &self.memory {
            h.overlay(addr, &mut bytes);
        }
        Some(bytes)
    }

    /// Writes guest RAM for a host service, keeping every cached copy
    /// coherent (no replacement or dirty-state change).
    pub(crate) fn set_guest_bytes(&mut self, addr: u32, bytes: &[u8]) {
        self.bus.ram.write_bytes(addr, bytes);
        if let Some(h) = &mut self.memory {
            h.poke_bytes(addr, bytes);
        }
    }
}

/// RARS `read int`: a decimal (optionally signed) or 0x-hex number; 0 if the
/// line holds none.
fn parse_int(s: &str) -> u32 {
    let (neg, digits) = match s.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let v = match digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        Some(hex) => u32::from_str_radix(hex, 16).ok(),
        None => digits.parse::<u32>().ok(),
    }
    .unwrap_or(0);
    if neg { v.wrapping_neg() } else { v }
}
