//! Assembled programs run on the machine (functional and pipelined), the
//! ELF writer's files load back identically, and the CLI accepts `.s`.

use glassbox::asm::{AsmOptions, Isa, Program, assemble, write_elf};
use glassbox::loader::{MemRegion, load_elf};
use glassbox::{Halt, Machine, MachineConfig, StopReason};
use std::path::PathBuf;
use std::process::Command;

fn asm(src: &str) -> Program {
    assemble(src, &AsmOptions::default()).unwrap_or_else(|d| panic!("{d:?}"))
}

fn run(program: &Program, preset: &str) -> Machine {
    let mut m =
        Machine::with_image(MachineConfig::preset(preset).unwrap(), &program.image).unwrap();
    let stop = m.run(1_000_000);
    assert!(
        matches!(stop, StopReason::Halted(Halt::Exited(0))),
        "{preset}: {stop:?}"
    );
    m
}

const SUM: &str = "
    .text
    .globl _start
_start:
    li   a1, 10          # sum 1..10 with a loop
    li   a2, 0
1:  add  a2, a2, a1
    addi a1, a1, -1
    bnez a1, 1b
    la   t0, result
    sw   a2, 0(t0)
    lw   a3, result
    li   a4, 0x12345678
    li   a5, -2049
    call square
    li   a0, 0
    li   a7, 93
    ecall
square:
    mul  a6, a3, a3
    ret
    .data
result: .word 0
";

#[test]
fn programs_compute_the_same_on_both_cores() {
    let p = asm(SUM);
    for preset in ["functional", "textbook"] {
        let m = run(&p, preset);
        let r = |n: u8| m.hart.reg(n);
        assert_eq!(
            (r(12), r(13), r(14), r(15), r(16)),
            (55, 55, 0x1234_5678, -2049i32 as u32, 3025),
            "{preset}"
        );
    }
}

/// The same source assembled for rv32imac: GNU's compression (checked
/// byte for byte in `asm_golden`) makes it smaller, and it computes the same
/// with the same instructions retired, on the functional core and the pipeline.
#[test]
fn compressed_programs_compute_the_same() {
    let opts = AsmOptions {
        isa: Isa::RV32IMAC,
        ..AsmOptions::default()
    };
    let c = assemble(SUM, &opts).unwrap_or_else(|d| panic!("{d:?}"));
    let plain = asm(SUM);
    let size = |p: &Program| p.section(".text").unwrap().size;
    assert_eq!((size(&plain), size(&c)), (84, 68));
    assert!(c.rvc && !plain.rvc);
    // `li a1, 10` is c.li (2 bytes); `li a4, 0x12345678` is lui + addi (8).
    assert_eq!(
        &c.source_map[..3],
        &[(0x8000_0000, 5), (0x8000_0002, 6), (0x8000_0004, 7)]
    );
    for preset in ["functional", "textbook"] {
        let (mc, mp) = (run(&c, preset), run(&plain, preset));
        let r = |n: u8| mc.hart.reg(n);
        assert_eq!(
            (r(12), r(13), r(14), r(15), r(16)),
            (55, 55, 0x1234_5678, -2049i32 as u32, 3025),
            "{preset}"
        );
        assert_eq!(mc.instret, mp.instret, "{preset}");
    }
}

/// Atomics assembled for rv32imac run: an AMO returns the old value and
/// stores the sum; lr/sc succeeds (0) on an untouched reservation.
#[test]
fn assembled_atomics_run() {
    let src = "
    .globl _start
_start:
    la      a1, cell
    li      a2, 5
    amoadd.w.aqrl a0, a2, (a1)
    lr.w    a3, (a1)
    addi    a3, a3, 1
    sc.w    a4, a3, (a1)
    lw      a5, 0(a1)
    li      a7, 93
    mv      s0, a0
    li      a0, 0
    ecall
    .data
cell: .word 37
";
    let opts = AsmOptions {
        isa: Isa::RV32IMAC,
        ..AsmOptions::default()
    };
    let p = assemble(src, &opts).unwrap_or_else(|d| panic!("{d:?}"));
    for preset in ["functional", "textbook"] {
        let m = run(&p, preset);
        let r = |n: u8| m.hart.reg(n);
        assert_eq!((r(8), r(14), r(15)), (37, 0, 43), "{preset}");
    }
}

#[test]
fn source_map_covers_every_instruction_of_an_expansion() {
    let p = asm(SUM);
    let text = p.section(".text").unwrap();
    assert_eq!(p.source_map.len() as u32, text.size / 4);
    // `li a4, 0x12345678` (line 13) is lui + addi; `call` (line 15) is auipc + jalr.
    let lines: Vec<u32> = p.source_map.iter().map(|&(_, l)| l).collect();
    assert_eq!(lines.iter().filter(|&&l| l == 13).count(), 2);
    assert_eq!(lines.iter().filter(|&&l| l == 15).count(), 2);
    assert_eq!(p.line_of(0x8000_0000), Some(5));
    assert_eq!(p.image.entry, 0x8000_0000);
    assert_eq!(
        p.image.symbols.lookup("result"),
        Some(p.section(".data").unwrap().addr)
    );
}

#[test]
fn written_elf_loads_to_the_same_image() {
    let p = asm(&format!(
        "{SUM}\n.section .rodata\nmsg: .string \"hi\"\n.bss\nbuf: .space 64\n"
    ));
    let ram = MemRegion {
        base: 0x8000_0000,
        size: 1 << 20,
    };
    let elf = write_elf(&p);
    let image = load_elf(&elf, ram).unwrap();
    assert_eq!(image.entry, p.image.entry);
    assert_eq!(image.segments, p.image.segments);
    assert_eq!(image.symbols, p.image.symbols);
    assert_eq!(image.code, p.image.code);
    assert_eq!(image.segments.len(), 4);
    assert!(image.segments[0].executable && !image.segments[1].executable);
}

fn examples() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/examples");
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

#[test]
fn examples_exit_0_on_the_textbook_pipeline() {
    let all = examples();
    assert_eq!(all.len(), 6);
    for path in all {
        let src = std::fs::read_to_string(&path).unwrap();
        let p = assemble(&src, &AsmOptions::default())
            .unwrap_or_else(|d| panic!("{}: {d:?}", path.display()));
        let mut m =
            Machine::with_image(MachineConfig::preset("textbook").unwrap(), &p.image).unwrap();
        let stop = m.run(5_000_000);
        assert!(
            matches!(stop, StopReason::Halted(Halt::Exited(0))),
            "{}: {stop:?}",
            path.display()
        );
    }
}

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("glassbox-asm-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn cli_runs_and_assembles_sources() {
    let exe = env!("CARGO_BIN_EXE_glassbox");
    let dir = temp_dir("cli");
    let src = dir.join("prog.s");
    std::fs::write(&src, "_start: li a0, 7\n li a7, 93\n ecall\n").unwrap();
    let st = Command::new(exe).arg("run").arg(&src).status().unwrap();
    assert_eq!(st.code(), Some(7));

    let elf = dir.join("prog.elf");
    let out = Command::new(exe)
        .args(["asm"])
        .arg(&src)
        .arg("-o")
        .arg(&elf)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let st = Command::new(exe).arg("run").arg(&elf).status().unwrap();
    assert_eq!(st.code(), Some(7));
    let listing = Command::new(exe).arg("disasm").arg(&elf).output().unwrap();
    assert!(String::from_utf8_lossy(&listing.stdout).contains("_start"));

    let bad = dir.join("bad.s");
    std::fs::write(&bad, "ad a0, a0, 1\nj nowhere\n").unwrap();
    let out = Command::new(exe).arg("asm").arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.s:1:1: error: unknown instruction `ad`; did you mean `add`?"),
        "{err}"
    );
    assert!(
        err.contains("bad.s:2:3: error: undefined label `nowhere`"),
        "{err}"
    );

    // `--march rv32imac`: `c.li a0, 7`, then `li a7, 93` (too big for
    // c.li) and `ecall` stay 4 bytes; flagged RVC, and it runs.
    let out = Command::new(exe)
        .args(["asm", "--march", "rv32imac"])
        .arg(&src)
        .arg("-o")
        .arg(&elf)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&elf).unwrap();
    assert_eq!(u32::from_le_bytes(bytes[36..40].try_into().unwrap()), 1);
    let image = load_elf(
        &bytes,
        MemRegion {
            base: 0x8000_0000,
            size: 1 << 20,
        },
    )
    .unwrap();
    assert_eq!(
        image.segments[0].data,
        [0x1d, 0x45, 0x93, 0x08, 0xd0, 0x05, 0x73, 0, 0, 0]
    );
    let st = Command::new(exe).arg("run").arg(&elf).status().unwrap();
    assert_eq!(st.code(), Some(7));
    let out = Command::new(exe)
        .args(["asm", "--march", "rv64gc"])
        .arg(&src)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("starts with rv32"));

    let upper = dir.join("prog.S");
    std::fs::write(&upper, "nop\n").unwrap();
    let out = Command::new(exe).arg("run").arg(&upper).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("gcc -E"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn objdump_reads_written_elf_when_installed() {
    let dir = temp_dir("objdump");
    let elf = dir.join("a.elf");
    std::fs::write(&elf, write_elf(&asm(SUM))).unwrap();
    let Ok(out) = Command::new("riscv64-unknown-elf-objdump")
        .arg("-d")
        .arg(&elf)
        .output()
    else {
        return; // toolchain not installed
    };
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("<_start>:") && text.contains("<square>:"),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(dir);
}
