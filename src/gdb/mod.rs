//! The GDB remote stub: `glassbox gdb` serves one GDB session over any
//! byte channel (stdin/stdout with `--stdio`, TCP with `--port`), built
//! on the `gdbstub` crate.
//!
//! - `arch`: the registers GDB sees and the target description.
//! - `control`: run control (run in bulks, step, reverse, seek, edits),
//!   with breakpoints and watchpoints in a `debug::stops::StopSet`.
//! - `history`: reverse execution by snapshot and replay.
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
pub mod history;
pub mod monitor;
pub mod target;

use crate::machine::Machine;
pub use conn::ChannelConn;
pub use control::Control;
use gdbstub::common::Signal;
use gdbstub::conn::ConnectionExt;
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

struct EventLoop;

impl BlockingEventLoop for EventLoop {
    type Target = GdbTarget;
    type Connection = ChannelConn;
    type StopReason = target::StopReason;

    fn wait_for_stop_reason(
        target: &mut GdbTarget,
        conn: &mut ChannelConn,
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
pub fn serve(
    machine: Machine,
    conn: ChannelConn,
    console: Box<dyn Write + Send>,
    diag: Box<dyn Write + Send>,
) -> Result<Ending, SessionError> {
    let mut target = GdbTarget::new(Control::new(machine), console, diag);
    let stub = GdbStub::<GdbTarget, ChannelConn>::builder(conn)
        .packet_buffer_size(PACKET_SIZE)
        .build()
        .map_err(|e| SessionError(format!("cannot start the stub: {e}")))?;
    match stub.run_blocking::<EventLoop>(&mut target) {
        Ok(DisconnectReason::Disconnect) => Ok(Ending::Detached),
        Ok(DisconnectReason::Kill) => Ok(Ending::Killed),
        Ok(DisconnectReason::TargetExited(c)) => Ok(Ending::Exited(c as i32)),
        Ok(DisconnectReason::TargetTerminated(s)) => {
            Err(SessionError(format!("the program was terminated by {s}")))
        }
        Err(e) => classify(e, target.running),
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
