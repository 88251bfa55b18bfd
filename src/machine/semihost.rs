//! RISC-V semihosting: the host services an `ebreak` between
//! `slli x0, x0, 0x1f` and `srai x0, x0, 7` asks for (operation in a0,
//! parameter or parameter block in a1, result in a0), with the numbers and
//! conventions of the Arm semihosting specification that RISC-V adopted.
//!
//! Console handles (`:tt`) use the UART's input and output queues, so the
//! CLI's stdin/stdout and the GUI console serve them as they serve the UART.
//! Host files are reachable only inside the configured directory; the open
//! files are kept as (path, position) so the machine stays a plain value
//! that clones and serializes (each call opens the host file anew).
//! Time is a pure function of the cycle count (see docs/platform.md).

use super::{Halt, Machine};
use crate::isa::reg::{A0, A1};
use serde::{Deserialize, Serialize};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Component, Path, PathBuf};

/// `slli x0, x0, 0x1f`, the word before the `ebreak`.
pub const ENTRY_NOP: u32 = 0x01f0_1013;
/// `ebreak`.
pub const EBREAK: u32 = 0x0010_0073;
/// `srai x0, x0, 7`, the word after it.
pub const EXIT_NOP: u32 = 0x4070_5013;

const SYS_OPEN: u32 = 0x01;
const SYS_CLOSE: u32 = 0x02;
const SYS_WRITEC: u32 = 0x03;
const SYS_WRITE0: u32 = 0x04;
const SYS_WRITE: u32 = 0x05;
const SYS_READ: u32 = 0x06;
const SYS_READC: u32 = 0x07;
const SYS_ISERROR: u32 = 0x08;
const SYS_ISTTY: u32 = 0x09;
const SYS_SEEK: u32 = 0x0a;
const SYS_FLEN: u32 = 0x0c;
const SYS_TMPNAM: u32 = 0x0d;
const SYS_REMOVE: u32 = 0x0e;
const SYS_RENAME: u32 = 0x0f;
const SYS_CLOCK: u32 = 0x10;
const SYS_TIME: u32 = 0x11;
const SYS_SYSTEM: u32 = 0x12;
const SYS_ERRNO: u32 = 0x13;
const SYS_GET_CMDLINE: u32 = 0x15;
const SYS_HEAPINFO: u32 = 0x16;
const SYS_EXIT: u32 = 0x18;
const SYS_EXIT_EXTENDED: u32 = 0x20;
const SYS_ELAPSED: u32 = 0x30;
const SYS_TICKFREQ: u32 = 0x31;

/// `ADP_Stopped_ApplicationExit`: the reason code of a normal exit.
const APPLICATION_EXIT: u32 = 0x2_0026;

/// The nominal clock that turns cycles into time for `SYS_CLOCK`,
/// `SYS_TIME` and `SYS_TICKFREQ`: 100 MHz.
pub const CLOCK_HZ: u64 = 100_000_000;

/// The stack `SYS_HEAPINFO` reports: the top 1 MiB of RAM (less when the
/// program leaves less room above its image).
const STACK_SIZE: u32 = 1 << 20;

/// The `:semihosting-features` file: magic "SHFB" and one feature byte
/// (bit 0 `SYS_EXIT_EXTENDED`, bit 1 separate stdout/stderr on `:tt`).
const FEATURES: [u8; 5] = [b'S', b'H', b'F', b'B', 0b11];

// errno values (newlib/picolibc numbering) reported through SYS_ERRNO.
const ENOENT: i32 = 2;
const EIO: i32 = 5;
const EBADF: i32 = 9;
const EACCES: i32 = 13;
const EFAULT: i32 = 14;
const EINVAL: i32 = 22;
const ENOSYS: i32 = 88;

/// Longest file name read from the guest.
const MAX_STRING: u32 = 1 << 16;

/// An open handle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
enum Handle {
    /// `:tt` opened for reading: the console input queue.
    ConsoleIn,
    /// `:tt` opened for writing (stdout or stderr): the console output.
    ConsoleOut,
    /// `:semihosting-features`, read from `pos`.
    Features { pos: u64 },
    /// A host file inside the semihosting directory.
    File {
        path: PathBuf,
        pos: u64,
        read: bool,
        write: bool,
        append: bool,
    },
}

/// Semihosting state: the handle table, the last error, the command line
/// and the notes for the user (refused paths).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Semihost {
    handles: Vec<Option<Handle>>,
    errno: i32,
    /// What `SYS_GET_CMDLINE` returns (the CLI sets the ROM's file name).
    pub cmdline: String,
    /// Messages for the user, taken with `Machine::take_notes`.
    pub notes: Vec<String>,
    /// Calls at cycles before this one are replays of calls already made
    /// (the timeline sets it to its furthest cycle): host files already
    /// hold what they wrote, so a replay neither truncates nor writes them
    /// again. Not part of the state: a run does not depend on it.
    #[serde(skip)]
    pub replay_before: u64,
}

/// Why a call failed: an errno for the guest.
type Errno = i32;

impl Machine {
    /// Whether the `ebreak` at `pc` is a semihosting call: semihosting is
    /// on and the `ebreak` sits between the two marker instructions, all
    /// three aligned 32-bit words in RAM.
    pub(crate) fn is_semihost_call(&self, pc: u32) -> bool {
        if !self.config.semihosting.enabled || pc & 3 != 0 {
            return false;
        }
        let word = |a: u32| {
            self.guest_bytes(a, 4)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        };
        word(pc.wrapping_sub(4)) == Some(ENTRY_NOP)
            && word(pc) == Some(EBREAK)
            && word(pc.wrapping_add(4)) == Some(EXIT_NOP)
    }

    /// Whether the call being served was made before, in a run the
    /// timeline now replays (see `Semihost::replay_before`).
    fn replaying(&self) -> bool {
        self.cycle < self.semihost.replay_before
    }

    /// Takes the notes semihosting left for the user (refused paths).
    pub fn take_notes(&mut self) -> Vec<String> {
        std::mem::take(&mut self.semihost.notes)
    }

    /// Serves the semihosting call at the current pc. Returns false if it
    /// must wait for console input (nothing changed; it runs again later).
    pub(crate) fn semihost(&mut self) -> bool {
        let (op, arg) = (self.hart.reg(A0), self.hart.reg(A1));
        self.events = true;
        let result: Result<u32, Errno> = match op {
            SYS_OPEN => self.sh_open(arg),
            SYS_CLOSE => self.sh_close(arg),
            SYS_WRITEC => match self.guest_bytes(arg, 1) {
                Some(b) => {
                    self.bus.uart.output.push(b[0]);
                    Ok(self.hart.reg(A0))
                }
                None => Err(EFAULT),
            },
            SYS_WRITE0 => match self.read_c_string(arg) {
                Some(s) => {
                    self.bus.uart.output.extend_from_slice(&s);
                    Ok(self.hart.reg(A0))
                }
                None => Err(EFAULT),
            },
            SYS_WRITE => self.sh_write(arg),
            SYS_READ => match self.sh_read(arg) {
                Some(r) => r,
                None => return false,
            },
            SYS_READC => match self.bus.uart.input.pop_front() {
                Some(c) => Ok(c as u32),
                None if self.bus.uart.input_closed => Ok(u32::MAX),
                None => {
                    self.waiting_for_input = true;
                    return false;
                }
            },
            SYS_ISERROR => self.param(arg, 0).map(|s| ((s as i32) < 0) as u32),
            SYS_ISTTY => self.param(arg, 0).and_then(|h| match self.handle(h)? {
                Handle::ConsoleIn | Handle::ConsoleOut => Ok(1),
                _ => Ok(0),
            }),
            SYS_SEEK => self.sh_seek(arg),
            SYS_FLEN => self.sh_flen(arg),
            SYS_CLOCK => Ok((self.cycle / (CLOCK_HZ / 100)) as u32),
            SYS_TIME => Ok((self.cycle / CLOCK_HZ) as u32),
            SYS_ELAPSED => {
                let c = self.cycle;
                self.sh_store(arg, 0, c as u32)
                    .and_then(|()| self.sh_store(arg, 1, (c >> 32) as u32))
                    .map(|()| 0)
            }
            SYS_TICKFREQ => Ok(CLOCK_HZ as u32),
            SYS_ERRNO => Ok(self.semihost.errno as u32),
            SYS_GET_CMDLINE => self.sh_cmdline(arg),
            SYS_HEAPINFO => self.sh_heapinfo(arg),
            SYS_EXIT => {
                // On RV32 the reason is the argument itself; QEMU maps a
                // normal exit to status 0 and anything else to 1.
                let code = if arg == APPLICATION_EXIT { 0 } else { 1 };
                self.halt = Some(Halt::Exited(code));
                return true;
            }
            SYS_EXIT_EXTENDED => match (self.param(arg, 0), self.param(arg, 1)) {
                (Ok(reason), Ok(code)) => {
                    let code = if reason == APPLICATION_EXIT {
                        code as i32
                    } else {
                        1
                    };
                    self.halt = Some(Halt::Exited(code));
                    return true;
                }
                _ => Err(EFAULT),
            },
            SYS_TMPNAM | SYS_REMOVE | SYS_RENAME | SYS_SYSTEM => {
                self.semihost.notes.push(format!(
                    "semihosting call {op:#x} at pc {:#010x} is not offered (no temporary \
                     files, removal, renaming or host commands); the guest got an error",
                    self.hart.pc
                ));
                Err(ENOSYS)
            }
            _ => {
                self.halt = Some(Halt::Error(format!(
                    "unknown semihosting operation {op:#x} (a0) at pc {:#010x}; see the \
                     platform documentation for the supported calls",
                    self.hart.pc
                )));
                return true;
            }
        };
        let ret = match result {
            Ok(v) => v,
            Err(e) => {
                self.semihost.errno = e;
                u32::MAX
            }
        };
        self.hart.set_reg(A0, ret);
        true
    }

    /// Word `i` of the parameter block at `block`.
    fn param(&self, block: u32, i: u32) -> Result<u32, Errno> {
        let addr = block.checked_add(4 * i).ok_or(EFAULT)?;
        let b = self.guest_bytes(addr, 4).ok_or(EFAULT)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn sh_store(&mut self, block: u32, i: u32, v: u32) -> Result<(), Errno> {
        let addr = block.checked_add(4 * i).ok_or(EFAULT)?;
        if self.bus.ram.offset(addr, 4).is_none() {
            return Err(EFAULT);
        }
        self.set_guest_bytes(addr, &v.to_le_bytes());
        Ok(())
    }

    fn handle(&self, h: u32) -> Result<&Handle, Errno> {
        self.semihost
            .handles
            .get(h as usize)
            .and_then(|s| s.as_ref())
            .ok_or(EBADF)
    }

    fn handle_mut(&mut self, h: u32) -> Result<&mut Handle, Errno> {
        self.semihost
            .handles
            .get_mut(h as usize)
            .and_then(|s| s.as_mut())
            .ok_or(EBADF)
    }

    fn sh_open(&mut self, block: u32) -> Result<u32, Errno> {
        let (name_ptr, mode, len) = (
            self.param(block, 0)?,
            self.param(block, 1)?,
            self.param(block, 2)?,
        );
        if mode > 11 || len > MAX_STRING {
            return Err(EINVAL);
        }
        let name = self.guest_bytes(name_ptr, len).ok_or(EFAULT)?;
        let name = String::from_utf8_lossy(&name).into_owned();
        // Modes: 0-3 "r", 4-7 "w", 8-11 "a" (each: text, binary, +, +binary).
        let (read, write, append, plus) = match mode / 4 {
            0 => (true, false, false, mode & 2 != 0),
            1 => (false, true, false, mode & 2 != 0),
            _ => (false, true, true, mode & 2 != 0),
        };
        let handle = match name.as_str() {
            ":tt" if mode < 4 => Handle::ConsoleIn,
            ":tt" => Handle::ConsoleOut,
            ":semihosting-features" if mode < 4 => Handle::Features { pos: 0 },
            _ => {
                let path = self.sandboxed_path(&name)?;
                let mut o = std::fs::OpenOptions::new();
                o.read(read || plus).write(write || plus).append(append);
                if write {
                    o.create(true).truncate(!append && !self.replaying());
                }
                o.open(&path).map_err(|e| io_errno(&e))?;
                Handle::File {
                    path,
                    pos: 0,
                    read: read || plus,
                    write: write || plus,
                    append,
                }
            }
        };
        let slots = &mut self.semihost.handles;
        let h = match slots.iter().position(Option::is_none) {
            Some(i) => i,
            None => {
                slots.push(None);
                slots.len() - 1
            }
        };
        slots[h] = Some(handle);
        Ok(h as u32)
    }

    /// The host path for a guest file name, if it stays inside the
    /// semihosting directory; a refusal leaves a note for the user.
    fn sandboxed_path(&mut self, name: &str) -> Result<PathBuf, Errno> {
        let pc = self.hart.pc;
        let Some(dir) = self.config.semihosting.dir.clone() else {
            self.semihost.notes.push(format!(
                "semihosting: the program at pc {pc:#010x} tried to open host file {name:?}; \
                 host files are off (give a directory with --semihost-dir DIR)"
            ));
            return Err(EACCES);
        };
        let refuse = |m: &mut Machine, why: &str| {
            m.semihost.notes.push(format!(
                "semihosting: refused to open {name:?} (pc {pc:#010x}): {why}; only files \
                 inside {} are reachable",
                dir.display()
            ));
            Err(EACCES)
        };
        let rel = Path::new(name);
        if name.is_empty() || !rel.components().all(|c| matches!(c, Component::Normal(_))) {
            return refuse(self, "absolute paths, `..` and `.` are not allowed");
        }
        let Ok(root) = dir.canonicalize() else {
            return refuse(self, "the semihosting directory does not exist");
        };
        let Some(resolved) = resolve_links(&root.join(rel), MAX_LINKS) else {
            return Err(ENOENT);
        };
        if !resolved.starts_with(&root) {
            return refuse(
                self,
                "it leads outside the directory through a symbolic link",
            );
        }
        Ok(resolved)
    }

    fn sh_close(&mut self, block: u32) -> Result<u32, Errno> {
        let h = self.param(block, 0)?;
        self.handle(h)?;
        self.semihost.handles[h as usize] = None;
        Ok(0)
    }

    /// `SYS_WRITE`: returns the number of bytes *not* written.
    fn sh_write(&mut self, block: u32) -> Result<u32, Errno> {
        let (h, buf, len) = (
            self.param(block, 0)?,
            self.param(block, 1)?,
            self.param(block, 2)?,
        );
        let handle = self.handle(h)?.clone();
        let data = self.guest_bytes(buf, len).ok_or(EFAULT)?;
        match handle {
            Handle::ConsoleOut => {
                self.bus.uart.output.extend_from_slice(&data);
                Ok(0)
            }
            Handle::File {
                path,
                pos,
                write: true,
                append,
                ..
            } => {
                let mut f = std::fs::OpenOptions::new()
                    .write(true)
                    .append(append)
                    .open(&path)
                    .map_err(|e| io_errno(&e))?;
                let replaying = self.replaying();
                let at = if append {
                    f.seek(SeekFrom::End(0))
                } else {
                    f.seek(SeekFrom::Start(pos))
                }
                .map_err(|e| io_errno(&e))?;
                // A replayed append finds its bytes already at the end.
                let end = if replaying && append {
                    at
                } else {
                    at + len as u64
                };
                if !replaying {
                    f.write_all(&data).map_err(|e| io_errno(&e))?;
                }
                if let Handle::File { pos, .. } = self.handle_mut(h)? {
                    *pos = end;
                }
                Ok(0)
            }
            _ => Err(EBADF),
        }
    }

    /// `SYS_READ`: returns the number of bytes *not* read (`len` at end of
    /// file); `None` while waiting for console input.
    fn sh_read(&mut self, block: u32) -> Option<Result<u32, Errno>> {
        let params = (|| {
            Ok((
                self.param(block, 0)?,
                self.param(block, 1)?,
                self.param(block, 2)?,
            ))
        })();
        let (h, buf, len) = match params {
            Ok(p) => p,
            Err(e) => return Some(Err(e)),
        };
        let handle = match self.handle(h) {
            Ok(x) => x.clone(),
            Err(e) => return Some(Err(e)),
        };
        if self.bus.ram.offset(buf, len).is_none() {
            return Some(Err(EFAULT));
        }
        let data: Vec<u8> = match handle {
            Handle::ConsoleIn => {
                let uart = &mut self.bus.uart;
                if uart.input.is_empty() && len > 0 && !uart.input_closed {
                    self.waiting_for_input = true;
                    return None;
                }
                let n = (len as usize).min(uart.input.len());
                uart.input.drain(..n).collect()
            }
            Handle::Features { pos } => {
                let start = (pos as usize).min(FEATURES.len());
                let n = (len as usize).min(FEATURES.len() - start);
                if let Ok(Handle::Features { pos }) = self.handle_mut(h) {
                    *pos += n as u64;
                }
                FEATURES[start..start + n].to_vec()
            }
            Handle::File {
                path,
                pos,
                read: true,
                ..
            } => {
                let r = (|| {
                    let mut f = std::fs::File::open(&path)?;
                    f.seek(SeekFrom::Start(pos))?;
                    let mut data = Vec::new();
                    f.take(len as u64).read_to_end(&mut data)?;
                    Ok::<_, std::io::Error>(data)
                })();
                match r {
                    Ok(d) => {
                        if let Ok(Handle::File { pos, .. }) = self.handle_mut(h) {
                            *pos += d.len() as u64;
                        }
                        d
                    }
                    Err(e) => return Some(Err(io_errno(&e))),
                }
            }
            _ => return Some(Err(EBADF)),
        };
        self.set_guest_bytes(buf, &data);
        Some(Ok(len - data.len() as u32))
    }

    fn sh_seek(&mut self, block: u32) -> Result<u32, Errno> {
        let (h, to) = (self.param(block, 0)?, self.param(block, 1)?);
        match self.handle_mut(h)? {
            Handle::File { pos, .. } | Handle::Features { pos } => {
                *pos = to as u64;
                Ok(0)
            }
            _ => Err(EINVAL),
        }
    }

    fn sh_flen(&mut self, block: u32) -> Result<u32, Errno> {
        let h = self.param(block, 0)?;
        match self.handle(h)? {
            Handle::File { path, .. } => std::fs::metadata(path)
                .map(|m| m.len().min(i32::MAX as u64) as u32)
                .map_err(|e| io_errno(&e)),
            Handle::Features { .. } => Ok(FEATURES.len() as u32),
            _ => Err(EINVAL),
        }
    }

    fn sh_cmdline(&mut self, block: u32) -> Result<u32, Errno> {
        let (buf, len) = (self.param(block, 0)?, self.param(block, 1)?);
        let mut text = self.semihost.cmdline.clone().into_bytes();
        text.push(0);
        if text.len() > len as usize {
            return Err(EINVAL);
        }
        if self.bus.ram.offset(buf, text.len() as u32).is_none() {
            return Err(EFAULT);
        }
        self.set_guest_bytes(buf, &text);
        self.sh_store(block, 1, text.len() as u32 - 1)?;
        Ok(0)
    }

    /// `SYS_HEAPINFO`: a1 points at the address of a four-word block, which
    /// gets {heap base, heap limit, stack base, stack limit}.
    fn sh_heapinfo(&mut self, arg: u32) -> Result<u32, Errno> {
        let block = self.param(arg, 0)?;
        let ram_end = self.bus.ram.end().min(u32::MAX as u64 + 1);
        let top = ram_end as u32; // wraps to 0 for a RAM that ends at 4 GiB
        let heap_base = self.brk;
        let stack_limit = ram_end
            .saturating_sub(STACK_SIZE as u64)
            .max(heap_base as u64) as u32;
        for (i, v) in [heap_base, stack_limit, top, stack_limit]
            .into_iter()
            .enumerate()
        {
            self.sh_store(block, i as u32, v)?;
        }
        Ok(0)
    }
}

/// How many symbolic links a name may go through (as Linux's `ELOOP`).
const MAX_LINKS: u32 = 40;

/// Where `path` leads with every symbolic link followed, including a link
/// to a file that does not exist yet (opening it for writing would create
/// that file, so its target is what the sandbox must check). `None`: a
/// directory on the way is missing, or too many links.
fn resolve_links(path: &Path, links_left: u32) -> Option<PathBuf> {
    if let Ok(p) = path.canonicalize() {
        return Some(p);
    }
    let here = path.parent()?.canonicalize().ok()?.join(path.file_name()?);
    match std::fs::symlink_metadata(&here) {
        Ok(md) if md.file_type().is_symlink() => {
            // A dangling link: follow it by hand (an absolute target
            // replaces the directory in `join`).
            let target = std::fs::read_link(&here).ok()?;
            let next = here.parent()?.join(target);
            resolve_links(&next, links_left.checked_sub(1)?)
        }
        _ => Some(here),
    }
}

/// The errno for a host I/O error, as the guest's C library numbers them.
fn io_errno(e: &std::io::Error) -> Errno {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => ENOENT,
        PermissionDenied => EACCES,
        InvalidInput => EINVAL,
        _ => EIO,
    }
}
