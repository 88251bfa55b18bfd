//! Integer ALU instructions (register-register, register-immediate, `lui`,
//! `auipc`) with exact results, one instruction per case.

mod support;

use glassbox::StopReason;
use support::enc::*;
use support::*;

const MIN: u32 = 0x8000_0000;
const MAX: u32 = 0x7fff_ffff;

/// Runs `inst` (rd = a0, rs1 = a1, rs2 = a2) with the given operands.
fn rr(inst: u32, a: u32, b: u32) -> u32 {
    exec1(inst, &[(A0, 0xdead_beef), (A1, a), (A2, b)])
        .hart
        .reg(A0)
}

#[test]
fn register_register_ops() {
    type F = fn(u8, u8, u8) -> u32;
    let cases: &[(&str, F, u32, u32, u32)] = &[
        ("add", add, 1, 2, 3),
        ("add wraps unsigned", add, 0xffff_ffff, 1, 0),
        ("add signed overflow wraps", add, MAX, 1, MIN),
        (
            "add negatives",
            add,
            -5i32 as u32,
            -7i32 as u32,
            -12i32 as u32,
        ),
        ("sub", sub, 10, 3, 7),
        ("sub below zero", sub, 0, 1, 0xffff_ffff),
        ("sub INT_MIN - 1 wraps", sub, MIN, 1, MAX),
        ("sll", sll, 1, 31, MIN),
        (
            "sll by 32 uses low 5 bits (0)",
            sll,
            0x1234_5678,
            32,
            0x1234_5678,
        ),
        ("sll by 33 shifts by 1", sll, 0x8000_0001, 33, 2),
        ("sll ignores high bits of rs2", sll, 3, 0xffff_ffe4, 48),
        ("slt less", slt, -1i32 as u32, 0, 1),
        ("slt greater", slt, 0, -1i32 as u32, 0),
        ("slt equal", slt, 5, 5, 0),
        ("slt INT_MIN < INT_MAX", slt, MIN, MAX, 1),
        ("sltu 0xffffffff > 0", sltu, 0xffff_ffff, 0, 0),
        ("sltu 0 < 0xffffffff", sltu, 0, 0xffff_ffff, 1),
        ("sltu INT_MAX < INT_MIN", sltu, MAX, MIN, 1),
        ("sltu equal", sltu, 7, 7, 0),
        ("xor", xor, 0xff00_ff00, 0x0ff0_0ff0, 0xf0f0_f0f0),
        ("srl", srl, MIN, 31, 1),
        (
            "srl of negative is logical",
            srl,
            0xffff_fff0,
            4,
            0x0fff_ffff,
        ),
        ("srl by 33 shifts by 1", srl, 0x8000_0000, 33, 0x4000_0000),
        ("srl by 32 is no shift", srl, 0xdead_beef, 32, 0xdead_beef),
        ("sra of negative", sra, 0xffff_fff0, 4, 0xffff_ffff),
        ("sra INT_MIN by 31", sra, MIN, 31, 0xffff_ffff),
        ("sra of positive", sra, MAX, 30, 1),
        ("sra by 33 shifts by 1", sra, 0x8000_0000, 33, 0xc000_0000),
        (
            "sra by 0x20 is no shift",
            sra,
            0x8000_0000,
            0x20,
            0x8000_0000,
        ),
        ("or", or, 0xf000_000f, 0x0f00_00f0, 0xff00_00ff),
        ("and", and, 0xf0f0_ffff, 0xff00_0f0f, 0xf000_0f0f),
    ];
    for &(name, f, a, b, want) in cases {
        let got = rr(f(A0, A1, A2), a, b);
        assert_eq!(
            got, want,
            "{name}: {a:#x}, {b:#x} gave {got:#x}, want {want:#x}"
        );
    }
}

#[test]
fn register_immediate_ops() {
    type F = fn(u8, u8, i32) -> u32;
    let cases: &[(&str, F, u32, i32, u32)] = &[
        ("addi", addi, 5, 7, 12),
        ("addi -2048 sign-extends", addi, 0, -2048, 0xffff_f800),
        ("addi 2047", addi, 0, 2047, 0x7ff),
        ("addi -1", addi, 0, -1, 0xffff_ffff),
        ("addi signed overflow wraps", addi, MAX, 1, MIN),
        ("addi wraps to zero", addi, 0xffff_ffff, 1, 0),
        ("slti less (imm negative)", slti, -3i32 as u32, -2, 1),
        ("slti not less", slti, 0, -2048, 0),
        ("slti INT_MIN < -2048", slti, MIN, -2048, 1),
        ("slti equal", slti, 2047, 2047, 0),
        ("sltiu imm -1 is 0xffffffff", sltiu, 0xffff_fffe, -1, 1),
        ("sltiu 0xffffffff not below -1", sltiu, 0xffff_ffff, -1, 0),
        ("sltiu seqz form (x < 1)", sltiu, 0, 1, 1),
        ("sltiu seqz of nonzero", sltiu, 5, 1, 0),
        ("sltiu -2048 is 0xfffff800", sltiu, 0x7fff_ffff, -2048, 1),
        ("xori -1 is not", xori, 0x1234_5678, -1, 0xedcb_a987),
        ("xori 2047", xori, 0xffff_ffff, 2047, 0xffff_f800),
        ("ori -2048", ori, 0x0000_0001, -2048, 0xffff_f801),
        ("ori", ori, 0x10, 0x0f, 0x1f),
        (
            "andi -2048 keeps high bits",
            andi,
            0x1234_5fff,
            -2048,
            0x1234_5800,
        ),
        ("andi 0xff", andi, 0xdead_beef, 0xff, 0xef),
    ];
    for &(name, f, a, imm, want) in cases {
        let got = rr(f(A0, A1, imm), a, 0);
        assert_eq!(
            got, want,
            "{name}: {a:#x}, {imm} gave {got:#x}, want {want:#x}"
        );
    }
    type S = fn(u8, u8, u32) -> u32;
    let shifts: &[(&str, S, u32, u32, u32)] = &[
        ("slli 0", slli, 0xdead_beef, 0, 0xdead_beef),
        ("slli 1", slli, 0xc000_0001, 1, 0x8000_0002),
        ("slli 31", slli, 3, 31, MIN),
        ("srli 31", srli, MIN, 31, 1),
        ("srli of negative", srli, 0xffff_ffff, 28, 0xf),
        ("srai of negative", srai, 0x8000_0000, 4, 0xf800_0000),
        ("srai 31 of negative", srai, 0xffff_fffe, 31, 0xffff_ffff),
        ("srai of positive", srai, 0x7000_0000, 28, 7),
        ("srai -1 by 1", srai, 0xffff_ffff, 1, 0xffff_ffff),
    ];
    for &(name, f, a, sh, want) in shifts {
        let got = rr(f(A0, A1, sh), a, 0);
        assert_eq!(
            got, want,
            "{name}: {a:#x} by {sh} gave {got:#x}, want {want:#x}"
        );
    }
}

#[test]
fn lui_and_auipc() {
    assert_eq!(exec1(lui(A0, 0x12345), &[]).hart.reg(A0), 0x1234_5000);
    assert_eq!(exec1(lui(A0, 0xfffff), &[]).hart.reg(A0), 0xffff_f000);
    assert_eq!(exec1(lui(A0, 0x80000), &[]).hart.reg(A0), MIN);
    // lui overwrites the low 12 bits with zeros.
    assert_eq!(exec1(lui(A0, 1), &[(A0, 0xffff_ffff)]).hart.reg(A0), 0x1000);

    // auipc adds to its own pc; run it from a non-zero offset.
    let mut m = machine_with(&[
        nop(),
        nop(),
        auipc(A0, 0x1),
        auipc(A1, 0),
        auipc(A2, 0xfffff),
    ]);
    steps(&mut m, 5);
    assert_eq!(m.hart.reg(A0), RAM_BASE + 8 + 0x1000);
    assert_eq!(m.hart.reg(A1), RAM_BASE + 12);
    assert_eq!(m.hart.reg(A2), (RAM_BASE + 16).wrapping_sub(0x1000));
    // auipc 0x80000 from 0x8000_0000 wraps to 0.
    assert_eq!(exec1(auipc(A0, 0x80000), &[]).hart.reg(A0), 0);
}

#[test]
fn writes_to_x0_are_discarded() {
    let insts = [
        ("addi", addi(ZERO, A1, 5)),
        ("add", add(ZERO, A1, A2)),
        ("sub", sub(ZERO, A1, A2)),
        ("slli", slli(ZERO, A1, 3)),
        ("xori", xori(ZERO, A1, -1)),
        ("lui", lui(ZERO, 0x12345)),
        ("auipc", auipc(ZERO, 1)),
        ("mul", mul(ZERO, A1, A2)),
        ("div", div(ZERO, A1, A2)),
        ("sltu", sltu(ZERO, A2, A1)),
    ];
    for (name, inst) in insts {
        let m = exec1(inst, &[(A1, 7), (A2, 9)]);
        assert_eq!(m.hart.reg(ZERO), 0, "{name} must not change x0");
        assert_eq!(m.hart.x[0], 0, "{name} must not store into x[0]");
        assert_eq!(
            (m.hart.reg(A1), m.hart.reg(A2)),
            (7, 9),
            "{name} sources unchanged"
        );
    }
    // x0 reads as 0 even as a source.
    assert_eq!(rr(addi(A0, ZERO, 0), 0, 0), 0);
    assert_eq!(
        exec1(sub(A0, ZERO, A1), &[(A1, 1)]).hart.reg(A0),
        0xffff_ffff
    );
}

#[test]
fn aliased_operands() {
    // add a0, a0, a0 doubles; sub a0, a0, a0 is 0; sll a1, a1, a1 uses the old value.
    assert_eq!(
        exec1(add(A0, A0, A0), &[(A0, 0x4000_0001)]).hart.reg(A0),
        0x8000_0002
    );
    assert_eq!(exec1(sub(A0, A0, A0), &[(A0, 12345)]).hart.reg(A0), 0);
    assert_eq!(exec1(sll(A1, A1, A1), &[(A1, 3)]).hart.reg(A1), 24);
    assert_eq!(
        exec1(addi(T6, T6, -1), &[(T6, 0)]).hart.reg(T6),
        0xffff_ffff
    );
}

#[test]
fn a_sequence_counts_one_cycle_and_one_retirement_each() {
    let program = prog(&[
        &li(A0, 0x1234_5678), // 2 words
        &[
            addi(A1, A0, 1),
            xor(A2, A0, A1),
            srli(A3, A0, 16),
            sub(A4, A3, A0),
            sltu(A5, A4, A3),
            slt(A6, A4, A3),
        ],
    ]);
    let mut m = machine_with(&program);
    assert_eq!(m.run(8), StopReason::CycleLimit);
    assert_eq!((m.cycle, m.instret, m.hart.pc), (8, 8, RAM_BASE + 32));
    let h = &m.hart;
    assert_eq!(h.reg(A0), 0x1234_5678);
    assert_eq!(h.reg(A1), 0x1234_5679);
    assert_eq!(h.reg(A2), 0x0000_0001);
    assert_eq!(h.reg(A3), 0x0000_1234);
    assert_eq!(h.reg(A4), 0x1234u32.wrapping_sub(0x1234_5678));
    assert_eq!(h.reg(A5), 0);
    assert_eq!(h.reg(A6), 1);
}

#[test]
fn shift_immediates_with_bit_5_set_are_illegal() {
    // slli/srli/srai with shamt[5] = 1 are RV64 encodings.
    for (name, word) in [
        ("slli 32", slli(A0, A1, 0) | (1 << 25)),
        ("srli 32", srli(A0, A1, 0) | (1 << 25)),
        ("srai 32", srai(A0, A1, 0) | (1 << 25)),
        ("add with funct7 0000010", add(A0, A1, A2) | (1 << 26)),
    ] {
        let mut m = machine_with(&[word]);
        install_handler(&mut m);
        m.hart.set_reg(A0, 77);
        m.step();
        assert_eq!(
            trap_state(&m),
            TrapState {
                pc: HANDLER,
                mepc: RAM_BASE,
                mcause: CAUSE_ILLEGAL,
                mtval: word
            },
            "{name}"
        );
        assert_eq!(m.hart.reg(A0), 77, "{name}: rd unchanged");
    }
}
