//! Programs people build for other platforms, run unchanged on every
//! preset that computes correct results: QEMU `virt` bare-metal programs
//! (UART + test finisher), picolibc with semihosting, and the project's own
//! runtime built for rv32imac. Exact console output and exit status.

mod common_cli;

use common_cli::root;
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
