//! `glassbox gdb`: serves one GDB session for a ROM, over stdin/stdout
//! (`--stdio`, for `target remote | glassbox gdb ROM --stdio`) or a TCP
//! port. Only flag parsing and the channel's plumbing live here; the stub
//! is `glassbox::gdb`.

use super::{EXIT_USAGE, build_machine, load_config, parse_u32};
use clap::Args;
use glassbox::gdb::{self, ChannelConn, Ending};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit status when the session failed (a protocol or connection error,
/// or GDB closed the connection while the machine was running).
pub const EXIT_SESSION_ERROR: u8 = 1;

#[derive(Args)]
#[command(group = clap::ArgGroup::new("channel").required(true).args(["port", "stdio"]))]
pub struct GdbArgs {
    /// ELF file, raw binary or assembly source (.s)
    pub rom: PathBuf,
    #[command(flatten)]
    pub config: super::ConfigArgs,
    #[command(flatten)]
    pub march: super::MarchArg,
    /// Load the ROM as a raw binary image at this address
    #[arg(long, value_parser = parse_u32)]
    pub raw_addr: Option<u32>,
    /// Wait for GDB on this TCP port of 127.0.0.1 (`target remote :PORT`)
    #[arg(long)]
    pub port: Option<u16>,
    /// Talk to GDB over stdin/stdout (`target remote | glassbox gdb ROM --stdio`)
    #[arg(long)]
    pub stdio: bool,
}

pub fn main(args: GdbArgs) -> ExitCode {
    let m = match load_config(&args.config)
        .and_then(|cfg| build_machine(cfg, Some(&args.rom), args.raw_addr, args.march.march))
    {
        Ok(m) => m,
        Err(e) => {
            eprintln!("glassbox: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let conn = if args.stdio {
        ChannelConn::new(
            std::io::stdin(),
            std::io::stdout(),
            gdb::PACKET_SIZE,
            Box::new(std::io::stderr()),
        )
    } else {
        let port = args.port.unwrap_or_default();
        let listener = match TcpListener::bind(("127.0.0.1", port)) {
            Ok(l) => l,
            Err(e) => {
                eprintln!("glassbox: cannot listen on port {port}: {e}");
                return ExitCode::from(EXIT_USAGE);
            }
        };
        let port = listener.local_addr().map_or(port, |a| a.port());
        eprintln!("glassbox: waiting for GDB on port {port} (target remote :{port})");
        let stream = match listener.accept() {
            Ok((s, _)) => s,
            Err(e) => {
                eprintln!("glassbox: accepting the connection: {e}");
                return ExitCode::from(EXIT_SESSION_ERROR);
            }
        };
        let _ = stream.set_nodelay(true);
        let reader = match stream.try_clone() {
            Ok(r) => r,
            Err(e) => {
                eprintln!("glassbox: {e}");
                return ExitCode::from(EXIT_SESSION_ERROR);
            }
        };
        ChannelConn::new(
            reader,
            stream,
            gdb::PACKET_SIZE,
            Box::new(std::io::stderr()),
        )
    };
    // stdout may be GDB's channel: the guest's console goes to stderr.
    let ending = gdb::serve(
        m,
        conn,
        Box::new(std::io::stderr()),
        Box::new(std::io::stderr()),
    );
    match ending {
        Ok(Ending::Disconnected { running: true }) => {
            eprintln!("glassbox gdb: the debugger disconnected while the machine was running");
            ExitCode::from(EXIT_SESSION_ERROR)
        }
        Ok(Ending::Disconnected { running: false }) => {
            eprintln!("glassbox gdb: the debugger closed the connection");
            ExitCode::SUCCESS
        }
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("glassbox gdb: {e}; closing the session");
            ExitCode::from(EXIT_SESSION_ERROR)
        }
    }
}
