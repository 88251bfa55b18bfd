//! Semihosting calls one at a time on the functional core: results, errno,
//! console queues, the host-file sandbox and wild guest pointers. The
//! picolibc programs in tests/ext_programs.rs run them on every core.

mod common_cli;
mod support;

use common_cli::TempDir;
use glassbox::config::MachineConfig;
use glassbox::{Halt, Machine, StopReason};
use support::*;

const SLLI_MARK: u32 = 0x01f0_1013;
const EBREAK: u32 = 0x0010_0073;
const SRAI_MARK: u32 = 0x4070_5013;
/// A parameter block and a string area in RAM.
const BLOCK: u32 = DATA;
const STR: u32 = DATA + 0x100;
const BUF: u32 = DATA + 0x200;

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
const SYS_CLOCK: u32 = 0x10;
const SYS_TIME: u32 = 0x11;
const SYS_ERRNO: u32 = 0x13;
const SYS_GET_CMDLINE: u32 = 0x15;
const SYS_HEAPINFO: u32 = 0x16;
const SYS_EXIT: u32 = 0x18;
const SYS_EXIT_EXTENDED: u32 = 0x20;

const EACCES: u32 = 13;
const EFAULT: u32 = 14;
const EBADF: u32 = 9;

fn machine(config: MachineConfig) -> Machine {
    machine_with_config(
        config,
        &[SLLI_MARK, EBREAK, SRAI_MARK, SLLI_MARK, EBREAK, SRAI_MARK],
    )
}

fn with_dir(dir: &std::path::Path) -> MachineConfig {
    let mut c = MachineConfig::default();
    c.semihosting.dir = Some(dir.to_path_buf());
    c
}

/// Runs one call from the start of the program: a0 = op, a1 = arg.
/// Returns a0 afterwards (the machine is left after the `srai`).
fn call(m: &mut Machine, op: u32, arg: u32) -> u32 {
    m.hart.pc = RAM_BASE;
    m.hart.set_reg(A0, op);
    m.hart.set_reg(A1, arg);
    let stop = m.run(3);
    assert_eq!(stop, StopReason::CycleLimit, "{:?}", m.halt);
    assert_eq!(m.hart.pc, RAM_BASE + 12);
    m.hart.reg(A0)
}

fn block(m: &mut Machine, words: &[u32]) -> u32 {
    load(m, BLOCK, words);
    BLOCK
}

fn string(m: &mut Machine, s: &str) -> (u32, u32) {
    let mut b = s.as_bytes().to_vec();
    b.push(0);
    assert!(m.bus.ram.write_bytes(STR, &b));
    (STR, s.len() as u32)
}

fn open(m: &mut Machine, name: &str, mode: u32) -> u32 {
    let (p, len) = string(m, name);
    let b = block(m, &[p, mode, len]);
    call(m, SYS_OPEN, b)
}

fn errno(m: &mut Machine) -> u32 {
    call(m, SYS_ERRNO, 0)
}

#[test]
fn console_handles_use_the_uart_queues() {
    let mut m = machine(MachineConfig::default());
    let out = open(&mut m, ":tt", 4);
    let inp = open(&mut m, ":tt", 0);
    assert_eq!((out, inp), (0, 1));
    assert!(m.bus.ram.write_bytes(BUF, b"hello"));
    let b = block(&mut m, &[out, BUF, 5]);
    assert_eq!(call(&mut m, SYS_WRITE, b), 0, "0 bytes left unwritten");
    assert!(m.bus.ram.write_bytes(STR, b"!\0"));
    call(&mut m, SYS_WRITEC, STR);
    call(&mut m, SYS_WRITE0, STR);
    assert_eq!(m.take_output(), b"hello!!");
    let b = block(&mut m, &[out]);
    assert_eq!(call(&mut m, SYS_ISTTY, b), 1);

    // Reading waits for input, then takes what there is.
    m.hart.pc = RAM_BASE;
    m.hart.set_reg(A0, SYS_READ);
    let b = block(&mut m, &[inp, BUF, 8]);
    m.hart.set_reg(A1, b);
    assert_eq!(m.run(3), StopReason::NeedInput);
    assert_eq!(m.hart.pc, RAM_BASE + 4, "the ebreak runs again");
    m.push_input(b"abc");
    assert_eq!(m.run(2), StopReason::CycleLimit);
    assert_eq!(m.hart.reg(A0), 5, "8 asked, 3 read, 5 not read");
    assert_eq!(ram_bytes(&m, BUF, 3), b"abc");
    m.push_input(b"z");
    assert_eq!(call(&mut m, SYS_READC, 0), b'z' as u32);
    m.close_input();
    let b = block(&mut m, &[inp, BUF, 8]);
    assert_eq!(call(&mut m, SYS_READ, b), 8, "end of input: nothing read");
    assert_eq!(call(&mut m, SYS_READC, 0), u32::MAX);
    let b = block(&mut m, &[inp]);
    assert_eq!(call(&mut m, SYS_CLOSE, b), 0);
    assert_eq!(call(&mut m, SYS_CLOSE, b), u32::MAX);
    assert_eq!(errno(&mut m), EBADF);
}

#[test]
fn host_files_inside_the_directory() {
    let dir = TempDir::new("semihost-files");
    dir.file("in.txt", b"0123456789");
    let mut m = machine(with_dir(dir.path()));
    let h = open(&mut m, "in.txt", 1); // "rb"
    assert_eq!(h, 0);
    let b = block(&mut m, &[h]);
    assert_eq!(call(&mut m, SYS_FLEN, b), 10);
    assert_eq!(call(&mut m, SYS_ISTTY, b), 0);
    let b = block(&mut m, &[h, 4]);
    assert_eq!(call(&mut m, SYS_SEEK, b), 0);
    let b = block(&mut m, &[h, BUF, 16]);
    assert_eq!(call(&mut m, SYS_READ, b), 10, "6 read of 16");
    assert_eq!(ram_bytes(&m, BUF, 6), b"456789");
    assert_eq!(call(&mut m, SYS_READ, b), 16, "end of file");

    let w = open(&mut m, "out.txt", 4); // "w"
    assert!(m.bus.ram.write_bytes(BUF, b"written"));
    let b = block(&mut m, &[w, BUF, 7]);
    assert_eq!(call(&mut m, SYS_WRITE, b), 0);
    assert_eq!(call(&mut m, SYS_WRITE, b), 0);
    assert_eq!(
        std::fs::read(dir.path().join("out.txt")).unwrap(),
        b"writtenwritten"
    );
    // Reading a write-only handle is an error.
    let b = block(&mut m, &[w, BUF, 1]);
    assert_eq!(call(&mut m, SYS_READ, b), u32::MAX);
    assert_eq!(errno(&mut m), EBADF);
    assert!(m.take_notes().is_empty());
}

#[test]
fn escapes_from_the_directory_are_refused_with_a_note() {
    let outside = TempDir::new("semihost-outside");
    outside.file("secret", b"x");
    let dir = TempDir::new("semihost-sandbox");
    std::os::unix::fs::symlink(outside.path(), dir.path().join("link")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret"), dir.path().join("s")).unwrap();
    let mut m = machine(with_dir(dir.path()));
    let abs = outside.path().join("secret").display().to_string();
    for name in ["../secret", abs.as_str(), "link/secret", "s", "./s", ""] {
        assert_eq!(open(&mut m, name, 0), u32::MAX, "{name:?}");
        assert_eq!(errno(&mut m), EACCES, "{name:?}");
        let notes = m.take_notes();
        assert_eq!(notes.len(), 1, "{name:?}");
        assert!(notes[0].contains("refused"), "{}", notes[0]);
    }
    // Writing through a link out of the directory creates nothing outside.
    assert_eq!(open(&mut m, "link/new", 4), u32::MAX);
    assert!(!outside.path().join("new").exists());
}

/// A link inside the directory to a file that does not exist yet outside
/// it: opening it for writing would create that file through the link.
#[test]
fn a_dangling_link_out_of_the_directory_is_refused() {
    let outside = TempDir::new("semihost-dangling-outside");
    let dir = TempDir::new("semihost-dangling");
    let target = outside.path().join("created");
    std::os::unix::fs::symlink(&target, dir.path().join("d")).unwrap();
    let mut m = machine(with_dir(dir.path()));
    for mode in [0, 4, 8] {
        assert_eq!(open(&mut m, "d", mode), u32::MAX, "mode {mode}");
        assert_eq!(errno(&mut m), EACCES, "mode {mode}");
        let notes = m.take_notes();
        assert_eq!(notes.len(), 1, "mode {mode}");
        assert!(notes[0].contains("symbolic link"), "{}", notes[0]);
    }
    assert!(!target.exists(), "nothing created outside the directory");
    // A link that stays inside the directory still works.
    std::os::unix::fs::symlink(dir.path().join("real"), dir.path().join("inner")).unwrap();
    assert_eq!(open(&mut m, "inner", 4), 0);
    assert!(dir.path().join("real").exists());
    assert!(m.take_notes().is_empty());
}

#[test]
fn without_a_directory_no_host_file_opens() {
    let mut m = machine(MachineConfig::default());
    assert_eq!(open(&mut m, "Cargo.toml", 0), u32::MAX);
    assert_eq!(errno(&mut m), EACCES);
    let notes = m.take_notes();
    assert!(notes[0].contains("--semihost-dir"), "{notes:?}");
}

#[test]
fn wild_pointers_give_errors() {
    let mut m = machine(MachineConfig::default());
    for op in [
        SYS_OPEN,
        SYS_WRITE,
        SYS_READ,
        SYS_WRITEC,
        SYS_WRITE0,
        SYS_FLEN,
        SYS_HEAPINFO,
    ] {
        for arg in [0, 0x10, 0xffff_fffc, RAM_END] {
            assert_eq!(call(&mut m, op, arg), u32::MAX, "op {op:#x} arg {arg:#x}");
            assert_eq!(errno(&mut m), EFAULT, "op {op:#x} arg {arg:#x}");
        }
    }
    let out = open(&mut m, ":tt", 4);
    for (buf, len) in [(0, 4), (RAM_END - 2, 4), (RAM_BASE, u32::MAX)] {
        let b = block(&mut m, &[out, buf, len]);
        assert_eq!(call(&mut m, SYS_WRITE, b), u32::MAX);
        assert_eq!(errno(&mut m), EFAULT);
    }
    assert!(m.take_output().is_empty());
}

#[test]
fn time_error_checks_cmdline_and_heap() {
    let mut m = machine(MachineConfig::default());
    m.cycle = 250_000_000;
    assert_eq!(call(&mut m, SYS_CLOCK, 0), 250, "centiseconds at 100 MHz");
    assert_eq!(call(&mut m, SYS_TIME, 0), 2, "seconds at 100 MHz");
    let b = block(&mut m, &[(-5i32) as u32]);
    assert_eq!(call(&mut m, SYS_ISERROR, b), 1);
    let b = block(&mut m, &[3]);
    assert_eq!(call(&mut m, SYS_ISERROR, b), 0);
    m.semihost.cmdline = "prog.elf 1 2".into();
    let b = block(&mut m, &[BUF, 64]);
    assert_eq!(call(&mut m, SYS_GET_CMDLINE, b), 0);
    assert_eq!(ram_bytes(&m, BUF, 13), b"prog.elf 1 2\0");
    assert_eq!(ram_bytes(&m, BLOCK + 4, 4), 12u32.to_le_bytes());
    let b = block(&mut m, &[BUF, 4]);
    assert_eq!(call(&mut m, SYS_GET_CMDLINE, b), u32::MAX, "too small");
    // HEAPINFO: a1 points at the address of the four-word block.
    load(&mut m, BLOCK, &[BUF]);
    assert_eq!(call(&mut m, SYS_HEAPINFO, BLOCK), 0);
    let info: Vec<u32> = ram_bytes(&m, BUF, 16)
        .chunks(4)
        .map(|c| u32::from_le_bytes(c.try_into().unwrap()))
        .collect();
    // Nothing was loaded through `load`, so the heap starts at RAM's base.
    assert_eq!(
        info,
        [
            RAM_BASE,
            RAM_END - (1 << 20),
            0x8400_0000,
            RAM_END - (1 << 20)
        ]
    );
}

#[test]
fn exit_and_exit_extended() {
    let mut m = machine(MachineConfig::default());
    m.hart.set_reg(A0, SYS_EXIT);
    m.hart.set_reg(A1, 0x2_0026);
    assert_eq!(m.run(10), StopReason::Halted(Halt::Exited(0)));
    let mut m = machine(MachineConfig::default());
    m.hart.set_reg(A0, SYS_EXIT);
    m.hart.set_reg(A1, 0x2_0023);
    assert_eq!(m.run(10), StopReason::Halted(Halt::Exited(1)));
    let mut m = machine(MachineConfig::default());
    load(&mut m, BLOCK, &[0x2_0026, 42]);
    m.hart.set_reg(A0, SYS_EXIT_EXTENDED);
    m.hart.set_reg(A1, BLOCK);
    assert_eq!(m.run(10), StopReason::Halted(Halt::Exited(42)));
    // Any other reason exits with 1, whatever the subcode (as QEMU).
    let mut m = machine(MachineConfig::default());
    load(&mut m, BLOCK, &[0x2_0023, 42]);
    m.hart.set_reg(A0, SYS_EXIT_EXTENDED);
    m.hart.set_reg(A1, BLOCK);
    assert_eq!(m.run(10), StopReason::Halted(Halt::Exited(1)));
}

/// Mode "a" appends at the end whatever the position; "w" truncates.
#[test]
fn append_and_truncate_modes() {
    let dir = TempDir::new("semihost-append");
    dir.file("log.txt", b"old\n");
    dir.file("new.txt", b"old contents\n");
    let mut m = machine(with_dir(dir.path()));
    assert!(m.bus.ram.write_bytes(BUF, b"line\n"));
    let a = open(&mut m, "log.txt", 8);
    let w = open(&mut m, "new.txt", 4);
    for h in [a, w, a] {
        let b = block(&mut m, &[h, BUF, 5]);
        assert_eq!(call(&mut m, SYS_WRITE, b), 0);
    }
    let read = |name: &str| std::fs::read(dir.path().join(name)).unwrap();
    assert_eq!(read("log.txt"), b"old\nline\nline\n");
    assert_eq!(read("new.txt"), b"line\n");
}

#[test]
fn unknown_operations_stop_with_a_message() {
    let mut m = machine(MachineConfig::default());
    m.hart.set_reg(A0, 0x99);
    assert!(matches!(m.run(10), StopReason::Halted(Halt::Error(_))));
    assert!(halt_error(&m).contains("unknown semihosting operation 0x99"));
}

#[test]
fn disabled_or_unmarked_ebreak_is_a_breakpoint() {
    let mut c = MachineConfig::default();
    c.semihosting.enabled = false;
    let mut m = machine(c);
    m.hart.set_reg(A0, SYS_WRITEC);
    m.run(10);
    assert_eq!((m.hart.mcause, m.hart.pc), (CAUSE_BREAKPOINT, RAM_BASE + 4));
    // An ebreak without the markers around it.
    let mut m = machine_with(&[0x13, EBREAK, SRAI_MARK]);
    m.hart.set_reg(A0, SYS_WRITEC);
    m.run(10);
    assert_eq!((m.hart.mcause, m.hart.pc), (CAUSE_BREAKPOINT, RAM_BASE + 4));
    assert!(halt_error(&m).contains("breakpoint"));
}

/// Host files are outside the timeline: going back and forward again
/// replays the calls in between, and a replay must neither truncate a
/// file opened for writing again (a later snapshot may skip the writes
/// that refilled it) nor write it again (an appended line would double).
#[test]
fn time_travel_replays_leave_host_files_as_the_run_wrote_them() {
    use glassbox::debug::Timeline;
    use support::enc::{addi, bne, lui};
    const SYS_WRITE_BLOCK: u32 = BLOCK + 0x20;
    let call_words = |op: u32, block: u32| {
        prog(&[
            &[addi(A0, ZERO, op as i32), lui(A1, block >> 12)],
            &[addi(A1, A1, (block & 0xfff) as i32)],
            &[SLLI_MARK, EBREAK, SRAI_MARK],
        ])
    };
    // About 2000 cycles of nothing, so that snapshots fall in between.
    let delay = [addi(T0, ZERO, 1000), addi(T0, T0, -1), bne(T0, ZERO, -4)];
    let words = prog(&[
        &call_words(SYS_OPEN, BLOCK),
        &delay,
        &call_words(SYS_WRITE, SYS_WRITE_BLOCK),
        &delay,
        &[addi(A0, ZERO, SYS_EXIT as i32), lui(A1, 0x20)],
        &[addi(A1, A1, 0x26), SLLI_MARK, EBREAK, SRAI_MARK],
    ]);
    // Mode "w" with snapshots every 1024 cycles (going forward again
    // restores one taken after the write), mode "a" with none after the
    // start (going forward again replays the write).
    for preset in ["functional", "textbook"] {
        for (mode, interval) in [(4, 1024), (8, u64::MAX)] {
            let dir = TempDir::new("semihost-replay");
            let mut config = MachineConfig::preset(preset).unwrap();
            config.semihosting.dir = Some(dir.path().to_path_buf());
            let mut m = machine_with_config(config, &words);
            let (name, len) = string(&mut m, "out");
            load(&mut m, BLOCK, &[name, mode, len]);
            load(&mut m, SYS_WRITE_BLOCK, &[0, BUF, 5]);
            assert!(m.bus.ram.write_bytes(BUF, b"hello"));
            let mut t = Timeline::new(m);
            t.set_interval(interval);
            let stop = t.run(100_000, &mut |_, _| true);
            assert_eq!(stop, StopReason::Halted(Halt::Exited(0)), "{preset}");
            let file = || std::fs::read(dir.path().join("out")).unwrap();
            assert_eq!(file(), b"hello", "{preset} mode {mode}: the run");
            // Back to between the open and the write: the open is replayed.
            t.seek(500).unwrap();
            assert_eq!(file(), b"hello", "{preset} mode {mode}: back");
            t.seek(t.furthest()).unwrap();
            assert_eq!(file(), b"hello", "{preset} mode {mode}: forward again");
            assert!(t.machine().halt.is_some());
        }
    }
}
