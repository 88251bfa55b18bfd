//! The C extension: the test encoder against GNU `as`, each compressed
//! instruction's expansion, a program mixing 16- and 32-bit instructions
//! on every core model, link values, `mepc`/`mtval` of compressed
//! instructions, `misa`, and fetches at the end of RAM.

mod support;

use glassbox::isa::{Op, decode};
use glassbox::{Halt, Machine, MachineConfig, StopReason};
use support::enc::*;
use support::*;

#[test]
fn encoder_matches_gnu_as() {
    // `riscv64-unknown-elf-as -march=rv32imac` (binutils 2.40) on the
    // source in each comment.
    let cases = [
        (c_addi(A0, -32), 0x1501), // c.addi a0,-32
        (c_li(21, 31), 0x4afd),    // c.li s5,31
        (c_lui(A5, 0x1f), 0x67fd), // c.lui a5,0x1f
        (c_lui(A5, -32), 0x7781),  // c.lui a5,0xfffe0
        (c_addi16sp(-512), 0x7101),
        (c_addi16sp(496), 0x617d),
        (c_addi4spn(A5, 1020), 0x1ffc),
        (c_slli(T1, 31), 0x037e),
        (c_srli(S1, 31), 0x80fd),
        (c_srai(A5, 1), 0x8785),
        (c_andi(A2, -32), 0x9a01),
        (c_sub(S0, A5), 0x8c1d),
        (c_xor(S1, A4), 0x8cb9),
        (c_or(A0, A3), 0x8d55),
        (c_and(A1, A2), 0x8df1),
        (c_j(-2048), 0xb001),
        (c_jal(2046), 0x2ffd),
        (c_beqz(S0, -256), 0xd001),
        (c_bnez(A5, 254), 0xeffd),
        (c_lw(A0, S1, 124), 0x5ce8),
        (c_sw(A5, A0, 64), 0xc13c),
        (c_lwsp(T6, 252), 0x5ffe),
        (c_swsp(27, 188), 0xdf6e), // c.swsp s11,188(sp)
        (c_jr(T0), 0x8282),
        (c_mv(A0, T6), 0x857e),
        (c_ebreak(), 0x9002),
        (c_jalr(A0), 0x9502),
        (c_add(20, A1), 0x9a2e), // c.add s4,a1
    ];
    for (i, (got, want)) in cases.into_iter().enumerate() {
        assert_eq!(got, want, "case {i}: {got:#06x} != {want:#06x}");
    }
}

#[test]
fn each_compressed_instruction_expands_to_its_base_instruction() {
    use Op::*;
    // (parcel, (op, rd, rs1, rs2, imm)) as the C extension's expansion
    // table gives them.
    let cases = [
        (c_addi4spn(A3, 8), (Addi, A3, SP, 0, 8)),
        (c_lw(A5, A3, 4), (Lw, A5, A3, 0, 4)),
        (c_sw(A4, A3, 124), (Sw, 0, A3, A4, 124)),
        (c_nop(), (Addi, 0, 0, 0, 0)),
        (c_addi(S0, -2), (Addi, S0, S0, 0, -2)),
        (c_jal(-4), (Jal, RA, 0, 0, -4)),
        (c_li(T1, -1), (Addi, T1, 0, 0, -1)),
        (c_addi16sp(-64), (Addi, SP, SP, 0, -64)),
        (c_lui(S1, -1), (Lui, S1, 0, 0, -4096)),
        (c_srli(S1, 4), (Srli, S1, S1, 0, 4)),
        (c_srai(S1, 31), (Srai, S1, S1, 0, 31)),
        (c_andi(S1, -16), (Andi, S1, S1, 0, -16)),
        (c_sub(A0, A1), (Sub, A0, A0, A1, 0)),
        (c_xor(A0, S0), (Xor, A0, A0, S0, 0)),
        (c_or(A0, A1), (Or, A0, A0, A1, 0)),
        (c_and(A0, S0), (And, A0, A0, S0, 0)),
        (c_j(2), (Jal, 0, 0, 0, 2)),
        (c_beqz(S0, -2), (Beq, 0, S0, 0, -2)),
        (c_bnez(S0, 6), (Bne, 0, S0, 0, 6)),
        (c_slli(T0, 1), (Slli, T0, T0, 0, 1)),
        (c_lwsp(RA, 0), (Lw, RA, SP, 0, 0)),
        (c_jr(RA), (Jalr, 0, RA, 0, 0)),
        (c_mv(A2, A0), (Add, A2, 0, A0, 0)),
        (c_ebreak(), (Ebreak, 0, 0, 0, 0)),
        (c_jalr(T3), (Jalr, RA, T3, 0, 0)),
        (c_add(A2, S1), (Add, A2, A2, S1, 0)),
        (c_swsp(A2, 252), (Sw, 0, SP, A2, 252)),
    ];
    for (p, want) in cases {
        // The upper half of the word is the next parcel: it must not matter.
        for upper in [0, 0xffff] {
            let i = decode(p | upper << 16);
            assert_eq!((i.op, i.rd, i.rs1, i.rs2, i.imm), want, "{p:#06x}");
            assert_eq!(i.len, 2, "{p:#06x}");
        }
    }
    assert_eq!(decode(addi(A0, A0, 1)).len, 4);
}

/// Every configuration whose results must match the functional core's
/// (bare-pipeline and no-hazard-detection compute wrong values by design).
fn all_cores() -> Vec<(&'static str, MachineConfig)> {
    [
        "functional",
        "single-cycle",
        "default",
        "textbook",
        "bimodal",
        "gshare",
        "branch-in-id",
        "no-forwarding",
        "classic-l1",
        "l1-l2-dram",
    ]
    .into_iter()
    .map(|n| (n, MachineConfig::preset(n).expect("preset")))
    .collect()
}

/// Byte offset of instruction `i` of a mixed stream.
fn offset_of(insts: &[u32], i: usize) -> u32 {
    insts[..i]
        .iter()
        .map(|&w| if w & 3 == 3 { 4 } else { 2 })
        .sum()
}

fn run_to_exit(m: &mut Machine) {
    let stop = m.run(1_000_000);
    assert_eq!(
        stop,
        StopReason::Halted(Halt::Exited(0)),
        "pc {:#x}",
        m.hart.pc
    );
}

#[test]
fn a_mixed_program_gives_the_same_results_on_every_core() {
    let mut p = vec![
        c_li(S0, 12),
        c_addi(S0, -2), // s0 = 10
        c_lui(S1, 1),
        c_srli(S1, 4), // 0x100
        c_srai(S1, 1), // 0x80
        c_slli(S1, 2), // 0x200
        c_andi(S1, -16),
        c_li(A0, 6),
        c_li(A1, 3),
        c_sub(A0, A1), // 3
        c_xor(A0, S0), // 9
        c_or(A0, A1),  // 11
        c_and(A0, S0), // 10
        c_mv(A2, A0),
        c_add(A2, S1), // 0x20a
        c_addi16sp(-64),
        c_addi4spn(A3, 8), // sp + 8
        c_swsp(A2, 4),
        c_lwsp(A4, 4),   // load-use right after the store
        c_sw(A4, A3, 4), // sp + 12
        c_lw(A5, A3, 4),
        addi(T0, A5, 1), // 32-bit, at a 2-byte boundary: 0x20b
        c_beqz(S0, 4),   // not taken
        c_bnez(S0, 4),   // taken over the next parcel
        c_li(T1, 1),
        c_jal(4), // over the next parcel; ra = pc + 2
        c_li(T1, 2),
        c_mv(T2, RA),
        c_j(4),
        c_li(T1, 3),
        auipc(T3, 0),
        addi(T3, T3, 12),
        c_jalr(T3), // to auipc + 12, over the next parcel; ra = pc + 2
        c_li(T1, 4),
        c_mv(S2, RA),
        auipc(T3, 0),
        addi(T3, T3, 12),
        c_jr(T3),
        c_li(T1, 5),
        jal(RA, 6), // 32-bit jal over one parcel: ra = pc + 4
        c_li(T1, 6),
        c_mv(T4, RA),
        c_addi16sp(64),
        c_li(A0, 0),
    ];
    let jal_at = offset_of(&p, 25);
    let jalr_at = offset_of(&p, 32);
    let jal32_at = offset_of(&p, 39);
    p.extend([addi(A7, ZERO, 93), ecall()]);
    let words = parcels(&p);
    for (name, cfg) in all_cores() {
        let mut m = machine_with_config(cfg, &words);
        let sp = m.hart.reg(SP);
        run_to_exit(&mut m);
        let r = |x| m.hart.reg(x);
        assert_eq!(
            (r(S0), r(S1), r(A2), r(A3), r(A4), r(A5), r(T0), r(T1)),
            (10, 0x200, 0x20a, sp - 56, 0x20a, 0x20a, 0x20b, 0),
            "{name}"
        );
        assert_eq!(
            (r(T2), r(S2), r(T4), r(SP)),
            (
                RAM_BASE + jal_at + 2,
                RAM_BASE + jalr_at + 2,
                RAM_BASE + jal32_at + 4,
                sp
            ),
            "{name}: link values"
        );
        assert_eq!(m.instret, p.len() as u64 - 6, "{name}: six skipped");
        // What the CPU sees (write-back caches may hold it).
        assert_eq!(m.peek(sp - 52, 4), Some(0x20a), "{name}");
    }
}

const T4: u8 = 29;

/// Runs until the trap handler is next to run (a breakpoint there).
fn run_to_handler(m: &mut Machine) {
    install_handler(m);
    m.breakpoints.insert(HANDLER);
    assert_eq!(m.run(1000), StopReason::Breakpoint(HANDLER));
}

#[test]
fn misa_reports_c() {
    let m = machine_with(&[]);
    let misa = m.csr_read(0x301).unwrap();
    assert_eq!(misa & (1 << 2), 1 << 2);
}

#[test]
fn compressed_traps_report_the_parcel_and_the_2_byte_pc() {
    for (name, cfg) in all_cores() {
        // c.nop, then c.ebreak at +2; the handler sees mepc = +2.
        let mut m = machine_with_config(cfg.clone(), &[cpair(c_nop(), c_ebreak())]);
        run_to_handler(&mut m);
        assert_eq!(
            trap_state(&m),
            TrapState {
                pc: HANDLER,
                mepc: RAM_BASE + 2,
                mcause: CAUSE_BREAKPOINT,
                mtval: RAM_BASE + 2
            },
            "{name}: c.ebreak"
        );
        // A reserved parcel (c.addi4spn by 0) at +2: mtval is the parcel.
        let mut m = machine_with_config(cfg, &[cpair(c_nop(), 0x0010)]);
        run_to_handler(&mut m);
        assert_eq!(
            trap_state(&m),
            TrapState {
                pc: HANDLER,
                mepc: RAM_BASE + 2,
                mcause: CAUSE_ILLEGAL,
                mtval: 0x0010
            },
            "{name}: reserved parcel"
        );
    }
}

#[test]
fn fetches_at_the_end_of_ram() {
    for (name, cfg) in all_cores() {
        // A compressed instruction in the last two bytes runs; the fetch
        // after it faults at the end of RAM.
        let mut m = machine_with_config(cfg.clone(), &[jalr(ZERO, T0, 0)]);
        load(&mut m, RAM_END - 4, &[cpair(c_li(A0, 7), c_addi(A0, 1))]);
        m.hart.set_reg(T0, RAM_END - 4);
        // Views read it as fetch does: its two bytes are enough.
        assert_eq!(m.peek_inst(RAM_END - 2), Some(c_addi(A0, 1)), "{name}");
        assert_eq!(m.instruction_at(RAM_END - 2).map(|i| i.len), Some(2));
        run_to_handler(&mut m);
        assert_eq!(
            (trap_state(&m), m.hart.reg(A0), m.instret),
            (
                TrapState {
                    pc: HANDLER,
                    mepc: RAM_END,
                    mcause: CAUSE_FETCH_ACCESS,
                    mtval: RAM_END
                },
                8,
                3
            ),
            "{name}: compressed in the last parcel"
        );
        // A 32-bit instruction whose second half is past the end: the
        // fault is the instruction's (mepc) at its second parcel (mtval).
        let mut m = machine_with_config(cfg, &[jalr(ZERO, T0, 0)]);
        let addi_lo = addi(A0, A0, 1) & 0xffff;
        load(&mut m, RAM_END - 4, &[c_li(A0, 7) | addi_lo << 16]);
        m.hart.set_reg(T0, RAM_END - 4);
        assert_eq!(m.peek_inst(RAM_END - 4), Some(c_li(A0, 7)), "{name}");
        assert_eq!(
            m.peek_inst(RAM_END - 2),
            None,
            "{name}: half an instruction"
        );
        run_to_handler(&mut m);
        assert_eq!(
            (trap_state(&m), m.hart.reg(A0), m.instret),
            (
                TrapState {
                    pc: HANDLER,
                    mepc: RAM_END - 2,
                    mcause: CAUSE_FETCH_ACCESS,
                    mtval: RAM_END
                },
                7,
                2
            ),
            "{name}: 32-bit instruction straddling the end of RAM"
        );
    }
}

/// `roms/rvc/matmul.elf` is `roms/matmul.c` built for rv32imac: on every
/// core it prints what the rv32im build prints.
#[test]
fn rv32imac_matmul_runs_on_every_core() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let want = std::fs::read(root.join("roms/expected/matmul.stdout")).unwrap();
    for (name, cfg) in all_cores() {
        let mut m = Machine::new(cfg).unwrap();
        let img =
            glassbox::loader::load_file(&root.join("roms/rvc/matmul.elf"), m.ram_region(), None)
                .unwrap();
        m.load(&img);
        assert_eq!(
            m.run(50_000_000),
            StopReason::Halted(Halt::Exited(0)),
            "{name}"
        );
        assert_eq!(m.take_output(), want, "{name}");
    }
}
