//! The stub fed raw bytes: what it answers, and that bad input (garbage,
//! bad checksums, oversized packets, a client gone mid-run) ends in a
//! clear outcome, never a panic.

use super::*;
use crate::asm::{AsmOptions, assemble};
use crate::config::MachineConfig;
use std::io::Cursor;
use std::sync::{Arc, Mutex};

/// A writer the test can read back.
#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Shared {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

/// A machine running `source` under the functional core.
fn machine(source: &str) -> Machine {
    let cfg = MachineConfig::preset("functional").unwrap();
    let mut m = Machine::new(cfg).unwrap();
    let p = assemble(source, &AsmOptions::default()).unwrap();
    m.load(&p.image);
    m
}

const FOREVER: &str = "_start:\n addi a0, a0, 1\n j _start\n";

/// Serves `input` (then end of input); returns the ending, what the stub
/// sent and what it said on its diagnostics channel.
fn session(source: &str, input: &[u8]) -> (Result<Ending, SessionError>, String, String) {
    let (out, diag) = (Shared::default(), Shared::default());
    let conn = ChannelConn::new(
        Cursor::new(input.to_vec()),
        out.clone(),
        PACKET_SIZE,
        Box::new(diag.clone()),
    );
    let r = serve(
        machine(source),
        conn,
        Box::new(std::io::sink()),
        Box::new(diag.clone()),
    );
    (r, out.text(), diag.text())
}

/// `$data#checksum`.
fn packet(data: &str) -> String {
    let sum = data.bytes().fold(0u8, |a, b| a.wrapping_add(b));
    format!("${data}#{sum:02x}")
}

#[test]
fn reads_registers_and_memory() {
    let input = packet("g") + "+" + &packet("m80000000,4") + "+" + &packet("p341") + "+";
    let (r, out, _) = session(FOREVER, input.as_bytes());
    assert_eq!(r.unwrap(), Ending::Disconnected { running: false });
    // Replies are run-length encoded (`X*n`: n - 29 more copies of X).
    // x0..x31 (x2 = sp = top of RAM, 0x84000000), then pc = 0x80000000.
    assert!(out.contains("$0*2840*~0*~0*F80#b0"), "{out}");
    // addi a0, a0, 1 = 0x00150513, little-endian.
    assert!(out.contains(&packet("13051500")), "{out}");
    // Register 0x341 = 65 + 0x300 is mstatus: 0x1800 (MPP = machine).
    assert!(out.contains("$00180* #43"), "{out}");
}

#[test]
fn ctrl_c_interrupts_a_running_continue() {
    // The interrupt byte is already waiting when the run starts: the stub
    // notices it after the first bulk.
    let input = "+".to_string() + &packet("c") + "\x03" + "+";
    let (r, out, _) = session(FOREVER, input.as_bytes());
    assert_eq!(r.unwrap(), Ending::Disconnected { running: false });
    assert!(
        out.contains(&packet("T02thread:p01.01;")) || out.contains("$S02"),
        "{out}"
    );
}

#[test]
fn a_client_gone_mid_run_ends_the_session() {
    let input = "+".to_string() + &packet("c");
    let (r, _, _) = session(FOREVER, input.as_bytes());
    assert_eq!(r.unwrap(), Ending::Disconnected { running: true });
}

#[test]
fn garbage_and_bad_checksums_are_ignored() {
    let mut input: Vec<u8> = (0..=255u8).filter(|&b| b != b'$' && b != 3).collect();
    input.extend_from_slice(b"$g#00"); // wrong checksum: GDB would resend
    input.extend_from_slice(b"$#zz");
    input.extend_from_slice(packet("m80000000,4").as_bytes());
    input.extend_from_slice(b"+");
    input.extend_from_slice(packet("vMustReplyEmpty").as_bytes());
    input.extend_from_slice(packet("m80000000,zz").as_bytes());
    input.extend_from_slice(packet("M80000000,4:zz").as_bytes());
    input.extend_from_slice(packet("Z0,zz,4").as_bytes());
    input.extend_from_slice(packet("m80000000,4").as_bytes());
    let (r, out, diag) = session(FOREVER, &input);
    match r {
        Ok(Ending::Disconnected { running: false }) => {}
        other => panic!("{other:?} {diag}"),
    }
    assert!(out.starts_with('-'), "bad checksum not refused: {out}");
    // Each malformed command got an error reply and a note; the last
    // packet is served as usual.
    assert_eq!(out.matches("$E01#a6").count(), 3, "{out}");
    assert_eq!(diag.matches("refused a packet").count(), 3, "{diag}");
    assert!(out.ends_with(&packet("13051500")), "{out}");
}

#[test]
fn an_oversized_packet_is_dropped_with_a_message() {
    let big = "$".to_string() + &"a".repeat(PACKET_SIZE + 10) + "#00";
    let input = big + &packet("m80000000,4") + "+";
    let (r, out, diag) = session(FOREVER, input.as_bytes());
    assert_eq!(r.unwrap(), Ending::Disconnected { running: false });
    assert_eq!(
        diag,
        format!("glassbox gdb: dropped a packet longer than {PACKET_SIZE} bytes\n")
    );
    // The next packet is served as usual.
    assert_eq!(out, format!("+{}", packet("13051500")));
}

#[test]
fn memory_writes_reach_memory_and_unmapped_ones_fail() {
    let input = "+".to_string()
        + &packet("M80001000,4:78563412")
        + "+"
        + &packet("m80001000,4")
        + "+"
        + &packet("M10,4:00000000")
        + "+"
        + &packet("m10,4")
        + "+";
    let (r, out, _) = session(FOREVER, input.as_bytes());
    assert_eq!(r.unwrap(), Ending::Disconnected { running: false });
    assert!(out.contains(&packet("OK")), "{out}");
    assert!(out.contains(&packet("78563412")), "{out}");
    // Two errors: the write and the read at address 0x10.
    assert_eq!(out.matches("$E").count(), 2, "{out}");
}

#[test]
fn the_program_exiting_ends_the_session() {
    let exit = "_start:\n li a0, 3\n li a7, 93\n ecall\n";
    let input = "+".to_string() + &packet("c") + "+";
    let (r, out, _) = session(exit, input.as_bytes());
    assert_eq!(r.unwrap(), Ending::Exited(3));
    assert!(out.contains(&packet("W03")), "{out}");
}
