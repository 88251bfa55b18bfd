//! The GDB remote stub: `glassbox gdb` serves one GDB session over any
//! byte channel (stdin/stdout with `--stdio`, TCP with `--port`), built
//! on the `gdbstub` crate.
//!
//! - `arch`: the registers GDB sees and the target description.
//! - `control`: run control (run in bulks, step, reverse, seek, edits),
//!   with breakpoints and watchpoints in a `debug::stops::StopSet` and
//!   the history in a `debug::Timeline`.
//! - `target`: the `gdbstub` target, passing requests to `control`.
//! - `monitor`: the `monitor` commands.
//! - `conn`: the connection, read by a thread so Ctrl-C is noticed while
//!   the machine runs.
//!
//! Nothing here prints to stdout: with `--stdio` it is GDB's channel. The
//! guest's console output and every diagnostic go to the writers given.

pub mod arch;
pub mod conn;
pub mod control;
pub mod monitor;
pub mod target;

use crate::machine::Machine;
pub use conn::ChannelConn;
pub use control::Control;
use gdbstub::common::Signal;
use gdbstub::conn::{Connection, ConnectionExt};
use gdbstub::stub::run_blocking::{BlockingEventLoop, Event, WaitForStopReasonError};
use gdbstub::stub::{DisconnectReason, GdbStub, GdbStubError};
use std::io::Write;
pub use target::GdbTarget;

/// Largest packet accepted from GDB (GDB is told, and never sends more;
/// anything longer is garbage and ends the session with a message).
pub const PACKET_SIZE: usize = 16 * 1024;

/// How a session ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ending {
    /// GDB detached (`detach`, or quitting after `target remote`).
    Detached,
    /// GDB killed the program (`kill`, or quitting).
    Killed,
    /// The program exited while GDB watched, with this code.
    Exited(i32),
    /// The connection closed without a goodbye; `running` if the machine
    /// was running at the time.
    Disconnected { running: bool },
}

/// Why a session could not go on.
#[derive(Debug)]
pub struct SessionError(pub String);

impl std::fmt::Display for SessionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The connection lent to one `GdbStub` (a new stub takes over after a
/// packet `gdbstub` refuses, on the same connection).
pub struct ConnRef<'a>(&'a mut ChannelConn);

impl Connection for ConnRef<'_> {
    type Error = std::io::Error;

    fn write(&mut self, byte: u8) -> std::io::Result<()> {
        self.0.write(byte)
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.0.write_all(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Connection::flush(self.0)
    }
}

impl ConnectionExt for ConnRef<'_> {
    fn read(&mut self) -> std::io::Result<u8> {
        self.0.read()
    }

    fn peek(&mut self) -> std::io::Result<Option<u8>> {
        self.0.peek()
    }
}

struct EventLoop<'a>(std::marker::PhantomData<&'a ()>);

impl<'a> BlockingEventLoop for EventLoop<'a> {
    type Target = GdbTarget;
    type Connection = ConnRef<'a>;
    type StopReason = target::StopReason;

    fn wait_for_stop_reason(
        target: &mut GdbTarget,
        conn: &mut ConnRef<'a>,
    ) -> Result<Event<target::StopReason>, WaitForStopReasonError<String, std::io::Error>> {
        target.running = true;
        loop {
            if let Some(stop) = target.run_bulk() {
                target.running = false;
                return Ok(Event::TargetStopped(stop));
            }
            // Between bulks: has GDB sent something (a Ctrl-C)?
            if conn
                .peek()
                .map_err(WaitForStopReasonError::Connection)?
                .is_some()
            {
                let byte = conn.read().map_err(WaitForStopReasonError::Connection)?;
                return Ok(Event::IncomingData(byte));
            }
        }
    }

    fn on_interrupt(target: &mut GdbTarget) -> Result<Option<target::StopReason>, String> {
        target.running = false;
        Ok(Some(target::StopReason::Signal(Signal::SIGINT)))
    }
}

/// Serves one GDB session on `conn` until GDB detaches, kills or goes
/// away. `console` receives the guest's console output, `diag` messages.
///
/// A packet `gdbstub` cannot parse (GDB never sends one) is answered with
/// an error reply, noted on `diag`, and a fresh stub serves the rest of
/// the session: the machine is untouched.
pub fn serve(
    machine: Machine,
    mut conn: ChannelConn,
    console: Box<dyn Write + Send>,
    mut diag: Box<dyn Write + Send>,
) -> Result<Ending, SessionError> {
    let notes = diag_clone(&mut diag);
    let mut target = GdbTarget::new(Control::new(machine), console, diag);
    let mut notes = notes;
    loop {
        let stub = GdbStub::<GdbTarget, ConnRef>::builder(ConnRef(&mut conn))
            .packet_buffer_size(PACKET_SIZE)
            .build()
            .map_err(|e| SessionError(format!("cannot start the stub: {e}")))?;
        let e = match stub.run_blocking::<EventLoop>(&mut target) {
            Ok(DisconnectReason::Disconnect) => return Ok(Ending::Detached),
            Ok(DisconnectReason::Kill) => return Ok(Ending::Killed),
            Ok(DisconnectReason::TargetExited(c)) => return Ok(Ending::Exited(c as i32)),
            Ok(DisconnectReason::TargetTerminated(s)) => {
                return Err(SessionError(format!("the program was terminated by {s}")));
            }
            Err(e) => e,
        };
        if e.is_connection_error() {
            return classify(e, target.running);
        }
        let _ = writeln!(
            notes,
            "glassbox gdb: refused a packet ({e}); the session goes on"
        );
        // GDB waits for an answer to the packet: an error.
        let refused = ConnRef(&mut conn)
            .write_all(b"$E01#a6")
            .and_then(|_| Connection::flush(&mut conn));
        if let Err(e) = refused {
            return Err(SessionError(format!("connection: {e}")));
        }
        target.running = false;
    }
}

/// The diagnostics channel, shared by the target and the session loop.
fn diag_clone(diag: &mut Box<dyn Write + Send>) -> Box<dyn Write + Send> {
    let shared = std::sync::Arc::new(std::sync::Mutex::new(std::mem::replace(
        diag,
        Box::new(std::io::sink()),
    )));
    *diag = Box::new(SharedWriter(shared.clone()));
    Box::new(SharedWriter(shared))
}

struct SharedWriter(std::sync::Arc<std::sync::Mutex<Box<dyn Write + Send>>>);

impl Write for SharedWriter {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        match self.0.lock() {
            Ok(mut w) => w.write(b),
            Err(_) => Ok(b.len()),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self.0.lock() {
            Ok(mut w) => w.flush(),
            Err(_) => Ok(()),
        }
    }
}

/// A closed connection is an ending; anything else is an error.
fn classify(
    e: GdbStubError<String, std::io::Error>,
    running: bool,
) -> Result<Ending, SessionError> {
    let text = e.to_string();
    if let Some((io, _)) = e.into_connection_error()
        && io.kind() == std::io::ErrorKind::UnexpectedEof
    {
        return Ok(Ending::Disconnected { running });
    }
    Err(SessionError(format!("protocol error: {text}")))
}

#[cfg(test)]
mod tests;
