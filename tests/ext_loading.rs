//! Friendlier loading: the classic `-Ttext=0x80000000` link loads with its
//! headers skipped, and what Glassbox cannot run is named with the flag to
//! use instead (fixtures in roms/loading/, built by roms/build.sh).

mod common_cli;

use common_cli::root;
use glassbox::config::MachineConfig;
use glassbox::loader::{self, LoadError};
use glassbox::{Halt, Machine, StopReason};

fn machine() -> Machine {
    Machine::new(MachineConfig::default()).expect("default config")
}

fn load(name: &str) -> Result<loader::Image, LoadError> {
    let m = machine();
    loader::load_file(
        &root().join("roms/loading").join(name),
        m.ram_region(),
        None,
    )
}

#[test]
fn classic_link_loads_without_its_headers() {
    // readelf: LOAD offset 0x0, vaddr 0x7ffff000, filesz 0x1052: the ELF
    // and program headers, zero padding, then .text at 0x80000000.
    let img = load("classic_link.elf").expect("loads");
    assert_eq!(img.entry, 0x8000_0000);
    assert_eq!(img.segments[0].addr, 0x8000_0000);
    assert_eq!(img.segments[0].data.len(), 0x52);
    let mut m = machine();
    m.load(&img);
    m.close_input();
    assert_eq!(m.run(100_000), StopReason::Halted(Halt::Exited(0)));
    assert_eq!(m.take_output(), b"Hello from Glassbox!\n");
}

#[test]
fn segment_outside_ram_says_where_ram_is_and_how_to_link() {
    let e = load("linked_low.elf")
        .expect_err("linked at 0x1000")
        .to_string();
    assert_eq!(
        e,
        "segment 0x00000000–0x00001051 lies outside RAM 0x80000000–0x83ffffff: link the \
         program at 0x80000000 (for example -T roms/common/link.ld, -T assets/sdk/glassbox.ld \
         with picolibc, or -Ttext=0x80000000)"
    );
}

#[test]
fn hard_float_abi_is_named_with_the_flag_to_use() {
    let e = load("hard_float.elf").expect_err("ilp32d");
    assert_eq!(e, LoadError::FloatAbi(2));
    let text = e.to_string();
    assert!(text.contains("double-float ABI"), "{text}");
    assert!(text.contains("EF_RISCV_FLOAT_ABI_DOUBLE"), "{text}");
    assert!(text.contains("-mabi=ilp32d"), "{text}");
    assert!(text.contains("build with -mabi=ilp32"), "{text}");
}

/// The F flag too (and quad): the same ELF with `e_flags` (offset 0x24)
/// saying single- or quad-float ABI.
#[test]
fn single_and_quad_float_abi_flags_are_named() {
    let mut bytes = std::fs::read(root().join("roms/loading/hard_float.elf")).unwrap();
    for (flags, abi, text) in [
        (
            0x2,
            1,
            "built for the single-float ABI (ELF flag EF_RISCV_FLOAT_ABI_SINGLE, from -mabi=ilp32f)",
        ),
        (
            0x6,
            3,
            "built for the quad-float ABI (ELF flag EF_RISCV_FLOAT_ABI_QUAD, from -mabi=ilp32q)",
        ),
    ] {
        bytes[0x24..0x28].copy_from_slice(&(flags as u32).to_le_bytes());
        let e = loader::load_bytes(&bytes, machine().ram_region(), None).expect_err("float ABI");
        assert_eq!(e, LoadError::FloatAbi(abi));
        let msg = e.to_string();
        assert!(msg.contains(text), "{msg}");
        assert!(
            msg.ends_with("for example -march=rv32imac -mabi=ilp32"),
            "{msg}"
        );
    }
}

fn stop_message(name: &str) -> String {
    let mut m = machine();
    m.load(&load(name).expect("loads"));
    match m.run(100_000) {
        StopReason::Halted(Halt::Error(msg)) => msg,
        other => panic!("{name}: {other:?}"),
    }
}

#[test]
fn float_and_vector_instructions_name_their_extension() {
    let f = stop_message("float_op.elf");
    assert!(
        f.ends_with(
            "This is an instruction of the F (single-precision floating point) extension, \
             which Glassbox does not implement: build with -march=rv32imac -mabi=ilp32 \
             (no f, d or v)"
        ),
        "{f}"
    );
    assert!(
        f.starts_with("illegal instruction at pc 0x8000000c (mtval 0xc5f553)"),
        "{f}"
    );
    let v = stop_message("vector_op.elf");
    assert!(v.contains("of the V (vectors) extension"), "{v}");
    // A plain illegal word gets no such hint.
    let hint = glassbox::machine::trap::missing_extension_hint(0xffff_ffff);
    assert_eq!(hint, "");
    // fadd.d (fmt = 1) names D; fld (width 3) names D; flh (width 1) Zfh.
    assert!(glassbox::machine::trap::missing_extension_hint(0x02c5_f553).contains("D (double"));
    assert!(glassbox::machine::trap::missing_extension_hint(0x0005_3507).contains("D (double"));
    assert!(glassbox::machine::trap::missing_extension_hint(0x0005_1507).contains("Zfh"));
}
