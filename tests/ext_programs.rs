//! Programs people build for other platforms, run unchanged on every
//! preset that computes correct results: QEMU `virt` bare-metal programs
//! (UART + test finisher), picolibc with semihosting, and the project's own
//! runtime built for rv32imac. Exact console output and exit status.

mod common_cli;

use common_cli::{TempDir, root};
use glassbox::config::MachineConfig;
use glassbox::{Halt, Machine, StopReason, loader};
use std::process::{Command, Stdio};

const PRESETS: &[&str] = &[
    "functional",
    "single-cycle",
    "textbook",
    "branch-in-id",
    "no-forwarding",
    "gshare",
    "classic-l1",
    "l1-l2-dram",
];

const LIMIT: u64 = 20_000_000;

fn run_rom(preset: &str, rom: &str, stdin: &[u8]) -> (StopReason, String) {
    let config = MachineConfig::preset(preset).expect("preset exists");
    let mut m = Machine::new(config).expect("preset is valid");
    let path = root().join(rom);
    let img = loader::load_file(&path, m.ram_region(), None)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    m.load(&img);
    m.push_input(stdin);
    m.close_input();
    let stop = m.run(LIMIT);
    (stop, String::from_utf8_lossy(&m.take_output()).into_owned())
}

fn cli(args: &[&str], stdin: &[u8]) -> (Option<i32>, String, String) {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_glassbox"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("glassbox starts");
    let _ = child.stdin.take().expect("stdin").write_all(stdin);
    let out = child.wait_with_output().expect("glassbox finishes");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr,
    )
}

/// `roms/qemu/virt_exit.elf` exits with status 3 under
/// `qemu-system-riscv32 -machine virt -bios none` (checked when it was
/// built; see roms/README.md): the same output and status here.
#[test]
fn qemu_virt_program_exits_through_the_test_finisher() {
    for preset in PRESETS {
        let (stop, out) = run_rom(preset, "roms/qemu/virt_exit.elf", b"");
        assert_eq!(stop, StopReason::Halted(Halt::Exited(3)), "{preset}");
        assert_eq!(out, "Hello from QEMU virt!\n", "{preset}");
    }
    let (code, out, _) = cli(&["run", "roms/qemu/virt_exit.elf"], b"");
    assert_eq!((code, out.as_str()), (Some(3), "Hello from QEMU virt!\n"));
}

/// The picolibc examples (`roms/sdk/*.c`, built by `roms/sdk/build.sh`
/// with `--specs=picolibc.specs --oslib=semihost`): printf, scanf from the
/// console, malloc and the exit status, on every preset.
#[test]
fn picolibc_semihosting_examples() {
    let cases: &[(&str, &[u8], &str, i32)] = &[
        (
            "roms/sdk/hello.elf",
            b"",
            "Hello from picolibc on Glassbox!\n2 + 40 = 42, strings, 0x00c0ffee\n",
            0,
        ),
        (
            "roms/sdk/scanf.elf",
            b"3 10\n-4\n7\n",
            "Type integers, end with Ctrl-D:\ncount 4, sum 16, max 10\n",
            4,
        ),
        (
            "roms/sdk/malloc.elf",
            b"",
            "alu\nbranch\ncache\ndecode\nforwarding\nhazard\npipeline\nregister\n\
             total 49995000\n",
            0,
        ),
    ];
    exit_and_print_on_every_preset(cases);
    // The CLI feeds stdin to scanf.
    let (code, out, _) = cli(&["run", "roms/sdk/scanf.elf"], b"1 2 3\n");
    assert_eq!(
        (code, out.as_str()),
        (
            Some(3),
            "Type integers, end with Ctrl-D:\ncount 3, sum 6, max 3\n"
        )
    );
}

/// Each (ROM, console input, exact output, exit code) on every preset.
fn exit_and_print_on_every_preset(cases: &[(&str, &[u8], &str, i32)]) {
    for &(rom, stdin, expected, code) in cases {
        for preset in PRESETS {
            let (stop, out) = run_rom(preset, rom, stdin);
            assert_eq!(
                stop,
                StopReason::Halted(Halt::Exited(code)),
                "{rom} {preset}"
            );
            assert_eq!(out, expected, "{rom} {preset}");
        }
    }
}

/// The same three programs built the other documented way, with the
/// project's tiny runtime (`roms/sdk/tiny_*.c`, no libc: syscalls for the
/// console, the brk syscall for the heap), rv32imac, on every preset.
#[test]
fn tiny_runtime_examples() {
    let cases: &[(&str, &[u8], &str, i32)] = &[
        (
            "roms/sdk/tiny_hello.elf",
            b"",
            "Hello from the tiny runtime on Glassbox!\n2 + 40 = 42, 0x00c0ffee\n",
            0,
        ),
        (
            "roms/sdk/tiny_scanf.elf",
            b"3 10\n-4\n7\n",
            "Type integers, end with Ctrl-D:\ncount 4, sum 16, max 10\n",
            4,
        ),
        (
            "roms/sdk/tiny_malloc.elf",
            b"",
            "alu\nbranch\ncache\ndecode\nforwarding\nhazard\npipeline\nregister\n\
             total 49995000\n",
            0,
        ),
    ];
    exit_and_print_on_every_preset(cases);
    let (code, out, _) = cli(&["run", "roms/sdk/tiny_scanf.elf"], b"1 2 3\n");
    assert_eq!(
        (code, out.as_str()),
        (
            Some(3),
            "Type integers, end with Ctrl-D:\ncount 3, sum 6, max 3\n"
        )
    );
}

/// The CLI shows the sandbox's refusal on stderr.
#[test]
fn cli_semihost_dir_option_is_checked() {
    let (code, _, err) = cli(
        &["run", "--semihost-dir", "no/such/dir", "roms/sdk/hello.elf"],
        b"",
    );
    assert_eq!(code, Some(2));
    assert!(err.contains("not a directory"), "{err}");
}

/// Semihosting from the command line and from a configuration file: host
/// files only inside the named directory (a refusal is a note on stderr),
/// and switched off the marked `ebreak` is an ordinary breakpoint.
#[test]
fn cli_semihosting_switches_and_host_directory() {
    let dir = TempDir::new("ext-semihost-cli");
    // SYS_OPEN("out.txt", "w"), then exit with the handle (or -1).
    let src = dir.file(
        "open.s",
        b"    .globl _start\n_start:\n    li a0, 1\n    la a1, block\n\
          \x20   slli x0, x0, 0x1f\n    ebreak\n    srai x0, x0, 7\n\
          \x20   li a7, 93\n    ecall\n    .data\n\
          block: .word name, 4, 7\nname: .string \"out.txt\"\n",
    );
    let src = src.to_str().unwrap();
    let (code, _, err) = cli(&["run", src], b"");
    assert_eq!(code, Some(255), "exit(-1): refused");
    assert!(
        err.contains(
            "glassbox: note: semihosting: the program at pc 0x80000010 tried to open host \
             file \"out.txt\"; host files are off (give a directory with --semihost-dir DIR)"
        ),
        "{err}"
    );
    std::fs::create_dir(dir.path().join("box")).unwrap();
    let boxed = dir.path().join("box");
    let (code, _, err) = cli(
        &["run", "--semihost-dir", boxed.to_str().unwrap(), src],
        b"",
    );
    assert_eq!((code, err.as_str()), (Some(0), ""), "handle 0");
    assert!(boxed.join("out.txt").exists());
    // The same directory named in a configuration file.
    std::fs::remove_file(boxed.join("out.txt")).unwrap();
    let ron = dir.file(
        "dir.ron",
        format!("(semihosting: (dir: Some({:?})))", boxed.display()).as_bytes(),
    );
    let (code, _, err) = cli(&["run", "--config", ron.to_str().unwrap(), src], b"");
    assert_eq!((code, err.as_str()), (Some(0), ""));
    assert!(boxed.join("out.txt").exists());
    // Switched off: no handler is installed, so the breakpoint stops it.
    let off = dir.file("off.ron", b"(semihosting: (enabled: false))");
    for args in [
        vec!["run", "--no-semihosting", src],
        vec!["run", "--config", off.to_str().unwrap(), src],
    ] {
        let (code, _, err) = cli(&args, b"");
        assert_eq!(code, Some(125), "{args:?}");
        assert!(
            err.contains("breakpoint (ebreak) at pc 0x80000010"),
            "{args:?}: {err}"
        );
    }
}
