//! Branches, jumps and fetch: targets, link values, misaligned targets and
//! fetch faults.

mod support;

use support::enc::*;
use support::*;

const MIN: u32 = 0x8000_0000;
const MAX: u32 = 0x7fff_ffff;
const NEG1: u32 = 0xffff_ffff;

#[test]
fn branches_taken_and_not_taken() {
    type B = fn(u8, u8, i32) -> u32;
    let cases: &[(&str, B, u32, u32, bool)] = &[
        ("beq equal", beq, 5, 5, true),
        ("beq different", beq, 5, 6, false),
        ("beq -1 vs 0xffffffff", beq, NEG1, NEG1, true),
        ("bne different", bne, 0, 1, true),
        ("bne equal", bne, MIN, MIN, false),
        ("blt -1 < 0", blt, NEG1, 0, true),
        ("blt 0 < -1 is false", blt, 0, NEG1, false),
        ("blt INT_MIN < INT_MAX", blt, MIN, MAX, true),
        ("blt equal", blt, 7, 7, false),
        ("bge equal", bge, 7, 7, true),
        ("bge 0 >= -1", bge, 0, NEG1, true),
        ("bge INT_MIN >= INT_MAX is false", bge, MIN, MAX, false),
        ("bltu 0 < 0xffffffff", bltu, 0, NEG1, true),
        ("bltu 0xffffffff < 0 is false", bltu, NEG1, 0, false),
        ("bltu INT_MAX < INT_MIN", bltu, MAX, MIN, true),
        ("bltu equal", bltu, 3, 3, false),
        ("bgeu 0xffffffff >= 0", bgeu, NEG1, 0, true),
        ("bgeu INT_MAX >= INT_MIN is false", bgeu, MAX, MIN, false),
        ("bgeu equal", bgeu, 3, 3, true),
    ];
    let origin = RAM_BASE + 0x1000;
    for &(name, f, a, b, taken) in cases {
        for offset in [16, -16, 4094 - 2, -4096, 4] {
            let mut m = machine_with(&[]);
            load(&mut m, origin, &[f(A1, A2, offset)]);
            m.hart.pc = origin;
            m.hart.set_reg(A1, a);
            m.hart.set_reg(A2, b);
            steps(&mut m, 1);
            let want = if taken {
                origin.wrapping_add(offset as u32)
            } else {
                origin + 4
            };
            assert_eq!(m.hart.pc, want, "{name} offset {offset}");
            assert_eq!((m.cycle, m.instret, m.hart.mcause), (1, 1, 0), "{name}");
            assert_eq!(
                (m.hart.reg(A1), m.hart.reg(A2)),
                (a, b),
                "{name}: no register written"
            );
        }
    }
}

#[test]
fn branch_with_same_register_and_x0() {
    // beq x0, x0 is always taken; bne a0, a0 never; blt x0, x0 never.
    let mut m = machine_with(&[
        beq(ZERO, ZERO, 8),
        nop(),
        bne(A0, A0, 8),
        blt(ZERO, ZERO, 8),
        bge(ZERO, ZERO, -12),
    ]);
    m.hart.set_reg(A0, 3);
    steps(&mut m, 4);
    assert_eq!(m.hart.pc, RAM_BASE + 4);
    assert_eq!((m.cycle, m.instret), (4, 4));
}

#[test]
fn a_counted_loop_runs_exactly() {
    // li t0, 5; loop: addi a0, a0, 3; addi t0, t0, -1; bnez t0, loop; nop
    let mut m = machine_with(&[
        addi(T0, ZERO, 5),
        addi(A0, A0, 3),
        addi(T0, T0, -1),
        bne(T0, ZERO, -8),
        nop(),
    ]);
    m.run(1 + 5 * 3);
    assert_eq!(
        (m.hart.reg(A0), m.hart.reg(T0), m.hart.pc),
        (15, 0, RAM_BASE + 16)
    );
    assert_eq!((m.cycle, m.instret), (16, 16));
}

#[test]
fn jal_links_and_jumps() {
    let cases: &[(&str, u8, i32)] = &[
        ("jal ra, +8", RA, 8),
        ("jal a0, -8", A0, -8),
        ("jal t6, +1MiB-4", T6, (1 << 20) - 4),
        ("jal ra, -1MiB", RA, -(1 << 20)),
        ("jal ra, 0 (to itself)", RA, 0),
        ("j +0x800", ZERO, 0x800),
    ];
    let origin = RAM_BASE + 0x2_0000;
    for &(name, rd, offset) in cases {
        let mut m = machine_with(&[]);
        load(&mut m, origin, &[jal(rd, offset)]);
        m.hart.pc = origin;
        steps(&mut m, 1);
        assert_eq!(m.hart.pc, origin.wrapping_add(offset as u32), "{name}");
        let link = if rd == 0 { 0 } else { origin + 4 };
        assert_eq!(m.hart.reg(rd), link, "{name}: link");
        assert_eq!((m.cycle, m.instret), (1, 1), "{name}");
    }
}

#[test]
fn jalr_targets_and_links() {
    // (name, instruction, a1 value, expected pc, (reg, expected value))
    type Case = (&'static str, u32, u32, u32, (u8, u32));
    let cases: &[Case] = &[
        (
            "jalr ra, 0(a1)",
            jalr(RA, A1, 0),
            RAM_BASE + 0x40,
            RAM_BASE + 0x40,
            (RA, RAM_BASE + 4),
        ),
        (
            "jalr ra, -4(a1)",
            jalr(RA, A1, -4),
            RAM_BASE + 0x40,
            RAM_BASE + 0x3c,
            (RA, RAM_BASE + 4),
        ),
        (
            "jalr ra, 2047(a1) clears bit 0",
            jalr(RA, A1, 2047),
            RAM_BASE + 1,
            RAM_BASE + 0x800,
            (RA, RAM_BASE + 4),
        ),
        (
            "jalr ra, -2048(a1)",
            jalr(RA, A1, -2048),
            RAM_BASE + 0x1000,
            RAM_BASE + 0x800,
            (RA, RAM_BASE + 4),
        ),
        (
            "odd register value, bit 0 cleared",
            jalr(RA, A1, 0),
            RAM_BASE + 0x21,
            RAM_BASE + 0x20,
            (RA, RAM_BASE + 4),
        ),
        (
            "odd immediate, bit 0 cleared",
            jalr(RA, A1, 1),
            RAM_BASE + 0x20,
            RAM_BASE + 0x20,
            (RA, RAM_BASE + 4),
        ),
        (
            "rd == rs1 uses the old value",
            jalr(A1, A1, 8),
            RAM_BASE + 0x100,
            RAM_BASE + 0x108,
            (A1, RAM_BASE + 4),
        ),
        (
            "jr (rd = x0)",
            jalr(ZERO, A1, 0),
            RAM_BASE + 0x44,
            RAM_BASE + 0x44,
            (ZERO, 0),
        ),
        (
            "wraps around the address space",
            jalr(RA, A1, 8),
            0xffff_fffc,
            4,
            (RA, RAM_BASE + 4),
        ),
    ];
    for &(name, inst, a1, pc, (r, v)) in cases {
        let m = {
            let mut m = machine_with(&[inst]);
            m.hart.set_reg(A1, a1);
            steps(&mut m, 1);
            m
        };
        assert_eq!(m.hart.pc, pc, "{name}: target");
        assert_eq!(m.hart.reg(r), v, "{name}: link");
        assert_eq!((m.cycle, m.instret, m.hart.mcause), (1, 1, 0), "{name}");
    }
}

#[test]
fn call_and_return() {
    // 0: jal ra, +12 (to 12); 4: addi a0, a0, 1; 8: j 8 (to 16);
    // 12: addi a0, a0, 10; ret -> 4.
    let mut m = machine_with(&[
        jal(RA, 12),
        addi(A0, A0, 1),
        j(8),
        addi(A0, A0, 10),
        ret(),
        nop(),
    ]);
    steps(&mut m, 5);
    assert_eq!(
        (m.hart.pc, m.hart.reg(A0), m.hart.reg(RA)),
        (RAM_BASE + 16, 11, RAM_BASE + 4)
    );
}

/// (name, instruction, a1, target, link written to rd).
type TargetCase = (&'static str, u32, u32, u32, Option<(u8, u32)>);

#[test]
fn jump_and_branch_targets_at_2_byte_boundaries_are_legal() {
    // IALIGN = 16 (the C extension is always on): a target with bit 1 set
    // is a legal instruction address, so these jump without trapping.
    // (name, instruction, a1, target, link written to rd).
    let cases: &[TargetCase] = &[
        (
            "jal +2",
            jal(RA, 2),
            0,
            RAM_BASE + 2,
            Some((RA, RAM_BASE + 4)),
        ),
        (
            "jal -6",
            jal(RA, -6),
            0,
            RAM_BASE - 6,
            Some((RA, RAM_BASE + 4)),
        ),
        ("j +0x802", jal(ZERO, 0x802), 0, RAM_BASE + 0x802, None),
        (
            "jalr to +2",
            jalr(RA, A1, 2),
            RAM_BASE,
            RAM_BASE + 2,
            Some((RA, RAM_BASE + 4)),
        ),
        (
            "jalr to +3 (bit 0 cleared, bit 1 set)",
            jalr(RA, A1, 0),
            RAM_BASE + 3,
            RAM_BASE + 2,
            Some((RA, RAM_BASE + 4)),
        ),
        (
            "jalr rd == rs1",
            jalr(A1, A1, 6),
            RAM_BASE,
            RAM_BASE + 6,
            Some((A1, RAM_BASE + 4)),
        ),
        ("beq taken +6", beq(A1, A1, 6), 0, RAM_BASE + 6, None),
        ("bne taken -2", bne(A1, ZERO, -2), 1, RAM_BASE - 2, None),
        (
            "bltu taken 4094",
            bltu(ZERO, A1, 4094),
            1,
            RAM_BASE + 4094,
            None,
        ),
    ];
    for &(name, inst, a1, target, link) in cases {
        let mut m = machine_with(&[inst]);
        install_handler(&mut m);
        m.hart.set_reg(A1, a1);
        m.hart.set_reg(RA, 0x1234);
        steps(&mut m, 1);
        assert_eq!(
            (m.hart.pc, m.hart.mcause, m.cycle, m.instret),
            (target, 0, 1, 1),
            "{name}"
        );
        if let Some((rd, value)) = link {
            assert_eq!(m.hart.reg(rd), value, "{name}: link");
        }
    }
}

#[test]
fn misaligned_branch_targets_do_not_trap_when_not_taken() {
    let mut m = machine_with(&[
        beq(A1, ZERO, 6),
        bne(A1, A1, 2),
        blt(A1, ZERO, -2),
        bgeu(ZERO, A1, 4094),
        nop(),
    ]);
    install_handler(&mut m);
    m.hart.set_reg(A1, 1);
    steps(&mut m, 4);
    assert_eq!(
        (m.hart.pc, m.hart.mcause, m.cycle, m.instret),
        (RAM_BASE + 16, 0, 4, 4)
    );
}

#[test]
fn fetch_from_unmapped_addresses_faults() {
    // (name, jump target); the jump retires, the fetch at the target faults.
    for (name, target) in [
        ("address 0x1000", 0x0000_1000u32),
        ("address 0", 0),
        ("the UART (MMIO is not executable)", UART),
        ("the CLINT", CLINT),
        ("just below RAM", RAM_BASE - 4),
        ("the end of RAM", RAM_END),
    ] {
        let mut m = machine_with(&[jalr(RA, A1, 0)]);
        install_handler(&mut m);
        m.hart.set_reg(A1, target);
        steps(&mut m, 2);
        assert_eq!(
            trap_state(&m),
            TrapState {
                pc: HANDLER,
                mepc: target,
                mcause: CAUSE_FETCH_ACCESS,
                mtval: target
            },
            "{name}"
        );
        assert_eq!(
            m.hart.reg(RA),
            RAM_BASE + 4,
            "{name}: the jump itself retired"
        );
        assert_eq!((m.cycle, m.instret), (2, 1), "{name}");
    }
}

#[test]
fn running_off_the_end_of_ram_faults() {
    let mut m = machine_with(&[]);
    load(&mut m, RAM_END - 4, &[addi(A0, ZERO, 1)]);
    m.hart.pc = RAM_END - 4;
    let stop = m.run(10);
    let msg = halt_error(&m);
    assert_eq!(
        stop,
        glassbox::StopReason::Halted(glassbox::Halt::Error(msg.clone()))
    );
    assert!(msg.contains("instruction access fault"), "{msg}");
    assert!(msg.contains("0x84000000"), "{msg}");
    assert_eq!(
        trap_state(&m),
        TrapState {
            pc: RAM_END,
            mepc: RAM_END,
            mcause: CAUSE_FETCH_ACCESS,
            mtval: RAM_END
        }
    );
    assert_eq!((m.hart.reg(A0), m.cycle, m.instret), (1, 2, 1));
}

#[test]
fn fences_are_no_ops() {
    let mut m = machine_with(&[fence(0xf, 0xf), fence(0x1, 0x2), fence_i(), fence(0, 0)]);
    let regs = m.hart.x;
    steps(&mut m, 4);
    assert_eq!(
        (m.hart.pc, m.cycle, m.instret, m.hart.x),
        (RAM_BASE + 16, 4, 4, regs)
    );
}

#[test]
fn self_modifying_code_runs_the_new_instruction() {
    // 0: addi a0, zero, 1   (executed once, then overwritten)
    // 4: sw a2, 0(a1)       (a1 = RAM_BASE, a2 = addi a0, zero, 2)
    // 8: fence.i
    // 12: jalr x0, 0(a1)    (back to 0)
    let mut m = machine_with(&[
        addi(A0, ZERO, 1),
        sw(A2, A1, 0),
        fence_i(),
        jalr(ZERO, A1, 0),
    ]);
    m.hart.set_reg(A1, RAM_BASE);
    m.hart.set_reg(A2, addi(A0, ZERO, 2));
    steps(&mut m, 4);
    assert_eq!((m.hart.reg(A0), m.hart.pc), (1, RAM_BASE));
    steps(&mut m, 1);
    assert_eq!(m.hart.reg(A0), 2, "the rewritten instruction runs");
}
