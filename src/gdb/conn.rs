//! The byte channel to GDB: any reader and writer (stdin/stdout for
//! `--stdio`, a TCP stream for `--port`, byte buffers in tests). A thread
//! reads, so the run loop can ask "has GDB sent anything?" (a Ctrl-C)
//! between bulks without blocking.
//!
//! Incoming bytes pass a framing filter first, so that no input can end
//! the session: outside a packet only `$`, `+` and Ctrl-C (0x03) mean
//! anything and other bytes are dropped (so is `-`, a request to resend
//! the last reply, which `gdbstub` cannot do and a pipe or TCP stream
//! never needs); a packet longer than the stub's buffer is dropped whole,
//! with a note on the diagnostics channel; a packet with a wrong checksum
//! is answered `-` (GDB then sends it again) and not passed on.

use gdbstub::conn::{Connection, ConnectionExt};
use std::collections::VecDeque;
use std::io::{self, Read, Write};
use std::sync::mpsc::{self, Receiver, TryRecvError};

pub struct ChannelConn {
    rx: Receiver<Vec<u8>>,
    pending: VecDeque<u8>,
    closed: bool,
    out: io::BufWriter<Box<dyn Write + Send>>,
    frame: Frame,
    /// The packet being received, from its `$`.
    packet: Vec<u8>,
    /// Longest packet passed on (`$`, data, `#` and checksum).
    limit: usize,
    diag: Box<dyn Write + Send>,
}

/// Where the filter is in GDB's framing.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Frame {
    Outside,
    Data,
    /// Checksum digits still to come.
    Checksum(u8),
}

impl ChannelConn {
    /// Starts the reader thread. It ends at end of input or on a read
    /// error, which the connection then reports as end of file.
    pub fn new(
        mut input: impl Read + Send + 'static,
        output: impl Write + Send + 'static,
        limit: usize,
        diag: Box<dyn Write + Send>,
    ) -> Self {
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            loop {
                match input.read(&mut buf) {
                    Ok(0) => return,
                    Ok(n) => {
                        if tx.send(buf[..n].to_vec()).is_err() {
                            return;
                        }
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(_) => return,
                }
            }
        });
        ChannelConn {
            rx,
            pending: VecDeque::new(),
            closed: false,
            out: io::BufWriter::new(Box::new(output)),
            frame: Frame::Outside,
            packet: Vec::new(),
            limit,
            diag,
        }
    }

    /// Passes whole packets and the meaningful single bytes on.
    fn filter(&mut self, chunk: Vec<u8>) {
        for b in chunk {
            match self.frame {
                Frame::Outside => match b {
                    b'$' => {
                        self.packet.clear();
                        self.packet.push(b);
                        self.frame = Frame::Data;
                    }
                    b'+' | 0x03 => self.pending.push_back(b),
                    _ => {}
                },
                Frame::Data | Frame::Checksum(_) => {
                    self.packet.push(b);
                    self.frame = match self.frame {
                        Frame::Data if b == b'#' => Frame::Checksum(2),
                        Frame::Checksum(1) => {
                            if checksum_ok(&self.packet) {
                                self.pending.extend(self.packet.drain(..));
                            } else {
                                // GDB resends a packet it gets `-` for.
                                self.packet.clear();
                                let _ = self.out.write_all(b"-").and_then(|_| self.out.flush());
                            }
                            Frame::Outside
                        }
                        Frame::Checksum(n) => Frame::Checksum(n - 1),
                        f => f,
                    };
                    if self.packet.len() > self.limit {
                        let _ = writeln!(
                            self.diag,
                            "glassbox gdb: dropped a packet longer than {} bytes",
                            self.limit
                        );
                        self.packet.clear();
                        self.frame = Frame::Outside;
                    }
                }
            }
        }
    }

    fn eof() -> io::Error {
        io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "the debugger closed the connection",
        )
    }

    /// Moves what the reader thread has to `pending`, blocking if asked.
    fn fill(&mut self, block: bool) {
        while self.pending.is_empty() && !self.closed {
            let chunk = if block {
                self.rx.recv().ok()
            } else {
                match self.rx.try_recv() {
                    Ok(c) => Some(c),
                    Err(TryRecvError::Empty) => return,
                    Err(TryRecvError::Disconnected) => None,
                }
            };
            match chunk {
                Some(c) => self.filter(c),
                None => self.closed = true,
            }
        }
    }
}

/// Whether `$data#xx` carries the right checksum (the sum of the data
/// bytes modulo 256, in two hex digits).
fn checksum_ok(packet: &[u8]) -> bool {
    let n = packet.len();
    if n < 4 {
        return false;
    }
    let sum = packet[1..n - 3].iter().fold(0u8, |a, &b| a.wrapping_add(b));
    std::str::from_utf8(&packet[n - 2..])
        .ok()
        .and_then(|h| u8::from_str_radix(h, 16).ok())
        == Some(sum)
}

impl Connection for ChannelConn {
    type Error = io::Error;

    fn write(&mut self, byte: u8) -> io::Result<()> {
        self.out.write_all(&[byte])
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.out.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

impl ConnectionExt for ChannelConn {
    fn read(&mut self) -> io::Result<u8> {
        self.fill(true);
        self.pending.pop_front().ok_or_else(Self::eof)
    }

    fn peek(&mut self) -> io::Result<Option<u8>> {
        self.fill(false);
        match self.pending.front() {
            Some(&b) => Ok(Some(b)),
            None if self.closed => Err(Self::eof()),
            None => Ok(None),
        }
    }
}
