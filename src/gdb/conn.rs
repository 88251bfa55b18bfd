//! The byte channel to GDB: any reader and writer (stdin/stdout for
//! `--stdio`, a TCP stream for `--port`, byte buffers in tests). A thread
//! reads, so the run loop can ask "has GDB sent anything?" (a Ctrl-C)
//! between bulks without blocking.

use gdbstub::conn::{Connection, ConnectionExt};
use std::collections::VecDeque;
use std::io::{self, Read, Write};
use std::sync::mpsc::{self, Receiver, TryRecvError};

pub struct ChannelConn {
    rx: Receiver<Vec<u8>>,
    pending: VecDeque<u8>,
    closed: bool,
    out: io::BufWriter<Box<dyn Write + Send>>,
}

impl ChannelConn {
    /// Starts the reader thread. It ends at end of input or on a read
    /// error, which the connection then reports as end of file.
    pub fn new(mut input: impl Read + Send + 'static, output: impl Write + Send + 'static) -> Self {
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
        if !self.pending.is_empty() || self.closed {
            return;
        }
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
            Some(c) => self.pending.extend(c),
            None => self.closed = true,
        }
    }
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
