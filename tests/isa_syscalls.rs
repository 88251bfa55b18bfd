//! Host services: syscall emulation (`ecall` with mtvec = 0) and HTIF.

mod support;

use glassbox::machine::ProgramInfo;
use glassbox::{Halt, Machine, StopReason};
use std::sync::Arc;
use support::enc::*;
use support::*;

/// A machine about to run `ecall` with a7 = `n` and a0..a2 set.
fn syscall(n: u32, a0: u32, a1: u32, a2: u32) -> Machine {
    let mut m = machine_with(&[ecall(), addi(T0, ZERO, 1)]);
    m.hart.set_reg(A7, n);
    m.hart.set_reg(A0, a0);
    m.hart.set_reg(A1, a1);
    m.hart.set_reg(A2, a2);
    m
}

/// Runs the syscall to completion (one cycle); returns a0 and the output.
fn serve(m: &mut Machine) -> (u32, String) {
    assert_eq!(m.step(), StopReason::CycleLimit);
    assert_eq!((m.hart.pc, m.cycle, m.instret), (RAM_BASE + 4, 1, 1));
    let out = String::from_utf8(m.take_output()).unwrap();
    (m.hart.reg(A0), out)
}

#[test]
fn write_to_stdout_and_stderr() {
    for fd in [1, 2] {
        let mut m = syscall(64, fd, DATA, 5);
        assert!(m.bus.ram.write_bytes(DATA, b"hello, world"));
        assert_eq!(serve(&mut m), (5, "hello".to_string()), "fd {fd}");
        assert_eq!(
            (m.hart.reg(A1), m.hart.reg(A2), m.hart.reg(A7)),
            (DATA, 5, 64)
        );
    }
    let mut m = syscall(64, 1, DATA, 0);
    assert_eq!(serve(&mut m), (0, String::new()));
}

#[test]
fn write_errors() {
    // Bad fds: -EBADF; buffers outside RAM: -EFAULT.
    for (fd, buf, len, want) in [
        (0, DATA, 4, -9),
        (3, DATA, 4, -9),
        (0xffff_ffff, DATA, 4, -9),
        (1, 0x1000, 4, -14),
        (1, RAM_END - 2, 4, -14),
        (1, UART, 1, -14),
    ] {
        let mut m = syscall(64, fd, buf, len);
        assert_eq!(
            serve(&mut m),
            (want as u32, String::new()),
            "fd {fd} buf {buf:#x}"
        );
    }
}

#[test]
fn read_waits_for_input_then_completes() {
    let mut m = syscall(63, 0, DATA, 16);
    m.hart.mstatus = 0;
    for _ in 0..3 {
        assert_eq!(m.run(100), StopReason::NeedInput);
        assert_eq!(
            (m.hart.pc, m.cycle, m.instret, m.hart.reg(A0)),
            (RAM_BASE, 0, 0, 0)
        );
    }
    m.push_input(b"abc\n");
    assert_eq!(m.run(1), StopReason::CycleLimit);
    assert_eq!(
        (m.hart.reg(A0), m.hart.pc, m.cycle, m.instret),
        (4, RAM_BASE + 4, 1, 1)
    );
    assert_eq!(ram_bytes(&m, DATA, 5), b"abc\n\0");
}

#[test]
fn read_takes_at_most_len_and_returns_0_at_end_of_input() {
    let mut m = machine_with(&[ecall(), ecall(), ecall(), ecall()]);
    m.hart.set_reg(A7, 63);
    m.hart.set_reg(A1, DATA);
    m.hart.set_reg(A2, 3);
    m.push_input(b"hello");
    m.close_input();
    let mut got = vec![];
    for _ in 0..3 {
        m.hart.set_reg(A0, 0);
        assert_eq!(m.step(), StopReason::CycleLimit);
        got.push((m.hart.reg(A0), ram_bytes(&m, DATA, 3)));
    }
    assert_eq!(
        got,
        [
            (3, b"hel".to_vec()),
            (2, b"lol".to_vec()),
            (0, b"lol".to_vec())
        ],
        "3 bytes, the last 2, then end of input"
    );
    // Reading from a bad fd.
    m.hart.set_reg(A0, 1);
    assert_eq!(m.step(), StopReason::CycleLimit);
    assert_eq!(m.hart.reg(A0), -9i32 as u32);
    assert_eq!((m.cycle, m.instret), (4, 4));
}

#[test]
fn exit_calls() {
    for (n, a0, code) in [(93, 42, 42), (94, 0xffff_ffff, -1), (93, 0, 0), (10, 7, 0)] {
        let mut m = syscall(n, a0, 0, 0);
        assert_eq!(
            m.run(100),
            StopReason::Halted(Halt::Exited(code)),
            "syscall {n}"
        );
        assert_eq!(m.halt, Some(Halt::Exited(code)));
        assert_eq!(
            (m.cycle, m.instret, m.hart.reg(T0)),
            (1, 1, 0),
            "syscall {n}"
        );
        // A halted machine stays halted.
        assert_eq!(m.run(100), StopReason::Halted(Halt::Exited(code)));
        assert_eq!(m.cycle, 1);
    }
}

#[test]
fn brk_moves_the_break_within_ram() {
    let mut m = machine_with(&[ecall(); 8]);
    m.hart.set_reg(A7, 214);
    let mut results = vec![];
    for request in [
        0,
        RAM_BASE + 0x1000,
        RAM_BASE + 0x800, // below the current break: unchanged
        RAM_END + 1,      // outside RAM
        0x1000,
        RAM_BASE + 0x2003,
        RAM_END,
    ] {
        m.hart.set_reg(A0, request);
        assert_eq!(m.step(), StopReason::CycleLimit);
        results.push(m.hart.reg(A0));
    }
    assert_eq!(
        results,
        [
            RAM_BASE,
            RAM_BASE + 0x1000,
            RAM_BASE + 0x1000,
            RAM_BASE + 0x1000,
            RAM_BASE + 0x1000,
            RAM_BASE + 0x2003,
            RAM_END
        ]
    );
}

#[test]
fn rars_print_calls() {
    assert!(machine_with(&[]).bus.ram.write_bytes(DATA, b"x"));
    let cases: &[(&str, u32, u32, &str)] = &[
        ("print int", 1, 1234, "1234"),
        ("print int negative", 1, -1234i32 as u32, "-1234"),
        ("print int INT_MIN", 1, 0x8000_0000, "-2147483648"),
        ("print int 0", 1, 0, "0"),
        ("print char", 11, b'A' as u32, "A"),
        ("print char uses the low byte", 11, 0x0000_0142, "B"),
        ("print hex", 34, 0xdead_beef, "0xdeadbeef"),
        ("print hex pads", 34, 1, "0x00000001"),
        ("print binary", 35, 5, "00000000000000000000000000000101"),
        (
            "print binary all ones",
            35,
            0xffff_ffff,
            "11111111111111111111111111111111",
        ),
        ("print unsigned", 36, 0xffff_ffff, "4294967295"),
        ("print unsigned 0", 36, 0, "0"),
    ];
    for &(name, n, a0, text) in cases {
        let mut m = syscall(n, a0, 0, 0);
        let (ret, out) = serve(&mut m);
        assert_eq!(out, text, "{name}");
        assert_eq!(ret, a0, "{name}: a0 preserved");
    }
    // print string
    let mut m = syscall(4, DATA, 0, 0);
    assert!(m.bus.ram.write_bytes(DATA, b"Hi there\n\0junk"));
    assert_eq!(serve(&mut m), (DATA, "Hi there\n".to_string()));
    let mut m = syscall(4, DATA, 0, 0);
    assert_eq!(serve(&mut m), (DATA, String::new()), "an empty string");
}

#[test]
fn print_string_outside_ram_halts() {
    for addr in [0x1000, RAM_END] {
        let mut m = syscall(4, addr, 0, 0);
        let stop = m.run(10);
        let msg = halt_error(&m);
        assert_eq!(stop, StopReason::Halted(Halt::Error(msg.clone())));
        assert!(msg.contains("print string"), "{msg}");
    }
    // A string running into the end of RAM without a NUL.
    let mut m = syscall(4, RAM_END - 3, 0, 0);
    assert!(m.bus.ram.write_bytes(RAM_END - 3, b"abc"));
    m.run(10);
    assert!(halt_error(&m).contains("NUL"));
    assert!(m.take_output().is_empty());
}

#[test]
fn read_int() {
    let cases: &[(&[u8], u32)] = &[
        (b"42\n", 42),
        (b"  -17  \n", -17i32 as u32),
        (b"+8\n", 8),
        (b"0x1F\n", 31),
        (b"-0x10\n", -16i32 as u32),
        (b"4294967295\n", 0xffff_ffff),
        (b"hello\n", 0),
        (b"\n", 0),
    ];
    for &(input, want) in cases {
        let mut m = syscall(5, 99, 0, 0);
        m.push_input(input);
        m.push_input(b"7\n");
        let (got, out) = serve(&mut m);
        assert_eq!(got, want, "{:?}", String::from_utf8_lossy(input));
        assert!(out.is_empty());
        assert_eq!(m.bus.uart.input.len(), 2, "only one line consumed");
    }
    // Waits for a whole line.
    let mut m = syscall(5, 99, 0, 0);
    m.push_input(b"12");
    assert_eq!(m.run(10), StopReason::NeedInput);
    assert_eq!((m.cycle, m.hart.pc), (0, RAM_BASE));
    m.push_input(b"3\n");
    assert_eq!(m.run(1), StopReason::CycleLimit);
    assert_eq!(m.hart.reg(A0), 123);
    // At end of input: the rest without a newline, then 0.
    let mut m = machine_with(&[ecall(), ecall()]);
    m.hart.set_reg(A7, 5);
    m.push_input(b"-5");
    m.close_input();
    steps(&mut m, 1);
    assert_eq!(m.hart.reg(A0), -5i32 as u32);
    m.hart.set_reg(A0, 99);
    steps(&mut m, 1);
    assert_eq!(m.hart.reg(A0), 0);
}

#[test]
fn read_char() {
    let mut m = machine_with(&[ecall(), ecall(), ecall()]);
    m.hart.set_reg(A7, 12);
    assert_eq!(m.run(5), StopReason::NeedInput);
    assert_eq!((m.cycle, m.instret), (0, 0));
    m.push_input(b"xy");
    steps(&mut m, 2);
    let second = m.hart.reg(A0);
    assert_eq!(second, b'y' as u32);
    assert_eq!(m.run(5), StopReason::NeedInput);
    m.close_input();
    steps(&mut m, 1);
    assert_eq!(m.hart.reg(A0), 0xffff_ffff, "end of input reads -1");
    assert_eq!((m.cycle, m.instret), (3, 3));
}

#[test]
fn unknown_syscall_halts_with_a_clear_error() {
    for n in [0, 2, 999, 0xffff_ffff] {
        let mut m = syscall(n, 0, 0, 0);
        let stop = m.run(10);
        let msg = halt_error(&m);
        assert_eq!(stop, StopReason::Halted(Halt::Error(msg.clone())), "{n}");
        assert!(
            msg.contains(&format!("unknown syscall number {n}")),
            "{msg}"
        );
        assert!(msg.contains("0x80000000"), "{msg}");
        assert_eq!(m.hart.reg(A0), 0);
    }
}

#[test]
fn syscalls_preserve_other_registers() {
    let mut m = syscall(36, 5, 6, 7);
    for r in 1..32u8 {
        if ![A0, A1, A2, A7].contains(&r) {
            m.hart.set_reg(r, 0x100 + r as u32);
        }
    }
    let before = m.hart.x;
    serve(&mut m);
    let mut want = before;
    want[T0 as usize] = 1;
    m.step();
    assert_eq!(m.hart.x, want);
}

// ---------------------------------------------------------------------------
// HTIF

const TOHOST: u32 = 0x8000_2000;
const FROMHOST: u32 = TOHOST + 8;
const REQUEST: u32 = 0x8000_3000;

fn htif_machine(program: &[u32]) -> Machine {
    let mut m = machine_with(program);
    m.program = Arc::new(ProgramInfo {
        entry: RAM_BASE,
        tohost: Some(TOHOST),
        fromhost: Some(FROMHOST),
        ..ProgramInfo::default()
    });
    m.hart.set_reg(S0, TOHOST);
    m
}

#[test]
fn htif_exit_codes() {
    for (value, code) in [
        (1u32, 0),
        (3, 1),
        ((5 << 1) | 1, 5),
        (0xffff_ffff, 0x7fff_ffff),
    ] {
        let mut m = htif_machine(&[nop(), sw(A0, S0, 0), addi(T0, ZERO, 1)]);
        m.hart.set_reg(A0, value);
        assert_eq!(
            m.run(100),
            StopReason::Halted(Halt::Exited(code)),
            "{value:#x}"
        );
        assert_eq!(
            (m.cycle, m.instret, m.hart.pc, m.hart.reg(T0)),
            (2, 2, RAM_BASE + 8, 0)
        );
    }
}

#[test]
fn htif_ignores_zero_and_other_addresses() {
    // Storing 0 to tohost, and storing next to it, do nothing.
    let mut m = htif_machine(&[sw(ZERO, S0, 0), sw(A0, S0, 16), sw(A0, S0, -4), nop()]);
    m.hart.set_reg(A0, 1);
    assert_eq!(m.run(4), StopReason::CycleLimit);
    assert_eq!(m.halt, None);
    // A store to the high word of tohost acts on the whole 64-bit value.
    let mut m = htif_machine(&[sw(A0, S0, 4)]);
    m.poke(TOHOST, 4, 7);
    m.hart.set_reg(A0, 0);
    assert_eq!(m.run(4), StopReason::Halted(Halt::Exited(3)));
    // A byte store into tohost works too.
    let mut m = htif_machine(&[sb(A0, S0, 0)]);
    m.hart.set_reg(A0, 0x105);
    assert_eq!(m.run(4), StopReason::Halted(Halt::Exited(2)));
}

#[test]
fn htif_syscall_proxy_write() {
    // {64, fd 1, buf, len} at REQUEST; sw REQUEST to tohost.
    let mut m = htif_machine(&[sw(A0, S0, 0), lw(A1, S0, 8), nop()]);
    let request: [u64; 4] = [64, 1, DATA as u64, 6];
    for (i, w) in request.iter().enumerate() {
        assert!(
            m.bus
                .ram
                .write_bytes(REQUEST + 8 * i as u32, &w.to_le_bytes())
        );
    }
    assert!(m.bus.ram.write_bytes(DATA, b"proxy!"));
    m.hart.set_reg(A0, REQUEST);
    assert_eq!(m.run(3), StopReason::CycleLimit);
    assert_eq!(m.take_output(), b"proxy!");
    assert_eq!(
        ram_bytes(&m, REQUEST, 8),
        6u64.to_le_bytes(),
        "result in word 0"
    );
    assert_eq!(
        ram_bytes(&m, FROMHOST, 8),
        1u64.to_le_bytes(),
        "fromhost = 1"
    );
    assert_eq!(ram_bytes(&m, TOHOST, 8), [0; 8], "tohost cleared");
    assert_eq!(m.hart.reg(A1), 1, "the guest sees fromhost");
    assert_eq!((m.cycle, m.instret, m.halt.clone()), (3, 3, None));

    // A bad fd returns -EBADF as a 64-bit value.
    let mut m = htif_machine(&[sw(A0, S0, 0)]);
    for (i, w) in [64u64, 7, DATA as u64, 6].iter().enumerate() {
        assert!(
            m.bus
                .ram
                .write_bytes(REQUEST + 8 * i as u32, &w.to_le_bytes())
        );
    }
    m.hart.set_reg(A0, REQUEST);
    steps(&mut m, 1);
    assert_eq!(ram_bytes(&m, REQUEST, 8), (-9i64 as u64).to_le_bytes());
    assert!(m.take_output().is_empty());
}

#[test]
fn htif_syscall_proxy_exit_and_unknown() {
    let mut m = htif_machine(&[sw(A0, S0, 0)]);
    for (i, w) in [93u64, 12].iter().enumerate() {
        assert!(
            m.bus
                .ram
                .write_bytes(REQUEST + 8 * i as u32, &w.to_le_bytes())
        );
    }
    m.hart.set_reg(A0, REQUEST);
    assert_eq!(m.run(10), StopReason::Halted(Halt::Exited(12)));

    let mut m = htif_machine(&[sw(A0, S0, 0)]);
    assert!(m.bus.ram.write_bytes(REQUEST, &1234u64.to_le_bytes()));
    m.hart.set_reg(A0, REQUEST);
    let stop = m.run(10);
    let msg = halt_error(&m);
    assert_eq!(stop, StopReason::Halted(Halt::Error(msg.clone())));
    assert!(msg.contains("HTIF") && msg.contains("1234"), "{msg}");
}

#[test]
fn ecall_is_a_syscall_only_without_a_handler() {
    let mut m = syscall(64, 1, DATA, 1);
    install_handler(&mut m);
    steps(&mut m, 1);
    assert_eq!(
        (m.hart.pc, m.hart.mcause, m.hart.reg(A0)),
        (HANDLER, CAUSE_ECALL_M, 1)
    );
    assert!(m.take_output().is_empty());
}
