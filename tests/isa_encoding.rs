//! Checks the tests' own instruction encoder: against words produced by the
//! GNU assembler, and by a round trip through the decoder for every
//! instruction and immediate extreme.

mod support;

use glassbox::isa::csr::*;
use glassbox::isa::{Op, decode};
use support::enc::*;
use support::*;

#[test]
fn encoder_matches_gnu_as() {
    let cases: &[(&str, u32, u32)] = &[
        ("nop", nop(), 0x0000_0013),
        ("addi a0, a0, -1", addi(A0, A0, -1), 0xfff5_0513),
        ("li a7, 93", addi(A7, ZERO, 93), 0x05d0_0893),
        ("jal zero, -4", jal(ZERO, -4), 0xffdf_f06f),
        ("beq zero, zero, -8", beq(ZERO, ZERO, -8), 0xfe00_0ce3),
        ("bne a0, a1, 8", bne(A0, A1, 8), 0x00b5_1463),
        ("sw a0, -4(sp)", sw(A0, SP, -4), 0xfea1_2e23),
        ("lw a0, 0(sp)", lw(A0, SP, 0), 0x0001_2503),
        ("lui a0, 0xfffff", lui(A0, 0xfffff), 0xffff_f537),
        ("auipc t0, 0", auipc(T0, 0), 0x0000_0297),
        ("jalr ra, 0(t0)", jalr(RA, T0, 0), 0x0002_80e7),
        ("ret", ret(), 0x0000_8067),
        ("srai a0, a0, 1", srai(A0, A0, 1), 0x4015_5513),
        ("mul a0, a0, a1", mul(A0, A0, A1), 0x02b5_0533),
        ("csrr a0, mcycle", csrr(A0, MCYCLE), 0xb000_2573),
        ("csrw mtvec, t0", csrw(MTVEC, T0), 0x3052_9073),
        ("ecall", ecall(), 0x0000_0073),
        ("ebreak", ebreak(), 0x0010_0073),
        ("mret", mret(), 0x3020_0073),
        ("wfi", wfi(), 0x1050_0073),
        ("fence", fence(0xf, 0xf), 0x0ff0_000f),
        ("fence.i", fence_i(), 0x0000_100f),
    ];
    for &(text, got, want) in cases {
        assert_eq!(
            got, want,
            "{text}: encoded {got:#010x}, GNU as gives {want:#010x}"
        );
    }
}

/// (encoding, op, rd, rs1, rs2, imm) as the decoder must see them.
type Decoded = (u32, Op, u8, u8, u8, i32);

#[test]
fn every_encoder_round_trips_through_the_decoder() {
    let mut cases: Vec<Decoded> = vec![
        (lui(A0, 0xfffff), Op::Lui, A0, 0, 0, 0xffff_f000u32 as i32),
        (lui(T6, 0x80000), Op::Lui, T6, 0, 0, i32::MIN),
        (auipc(A1, 0x12345), Op::Auipc, A1, 0, 0, 0x1234_5000),
        (jal(RA, -(1 << 20)), Op::Jal, RA, 0, 0, -(1 << 20)),
        (jal(RA, (1 << 20) - 2), Op::Jal, RA, 0, 0, (1 << 20) - 2),
        (jal(ZERO, 0x800), Op::Jal, 0, 0, 0, 0x800),
        (jalr(A0, A1, -2048), Op::Jalr, A0, A1, 0, -2048),
        (jalr(A0, A1, 2047), Op::Jalr, A0, A1, 0, 2047),
        (fence(0xf, 0xf), Op::Fence, 0, 0, 0, 0x0ff),
        (fence_i(), Op::FenceI, 0, 0, 0, 0),
        (ecall(), Op::Ecall, 0, 0, 0, 0),
        (ebreak(), Op::Ebreak, 0, 0, 0, 0),
        (mret(), Op::Mret, 0, 0, 0, 0),
        (wfi(), Op::Wfi, 0, 0, 0, 0),
        (slli(A0, A1, 31), Op::Slli, A0, A1, 0, 31),
        (srli(A0, A1, 31), Op::Srli, A0, A1, 0, 31),
        (srai(A0, A1, 31), Op::Srai, A0, A1, 0, 31),
    ];
    type B = fn(u8, u8, i32) -> u32;
    let branches: [(B, Op); 6] = [
        (beq, Op::Beq),
        (bne, Op::Bne),
        (blt, Op::Blt),
        (bge, Op::Bge),
        (bltu, Op::Bltu),
        (bgeu, Op::Bgeu),
    ];
    for (f, op) in branches {
        for off in [-4096, -2, 2, 0x7fe, 0x800, 4094] {
            cases.push((f(A3, T6, off), op, 0, A3, T6, off));
        }
    }
    type I = fn(u8, u8, i32) -> u32;
    let i_ops: [(I, Op); 11] = [
        (lb, Op::Lb),
        (lh, Op::Lh),
        (lw, Op::Lw),
        (lbu, Op::Lbu),
        (lhu, Op::Lhu),
        (addi, Op::Addi),
        (slti, Op::Slti),
        (sltiu, Op::Sltiu),
        (xori, Op::Xori),
        (ori, Op::Ori),
        (andi, Op::Andi),
    ];
    for (f, op) in i_ops {
        for imm in [-2048, -1, 0, 1, 0x7ff] {
            cases.push((f(T6, S1, imm), op, T6, S1, 0, imm));
        }
    }
    let s_ops: [(I, Op); 3] = [(sb, Op::Sb), (sh, Op::Sh), (sw, Op::Sw)];
    for (f, op) in s_ops {
        for imm in [-2048, -33, -1, 0, 31, 32, 0x7ff] {
            // sX rs2, imm(rs1)
            cases.push((f(A2, S1, imm), op, 0, S1, A2, imm));
        }
    }
    type R = fn(u8, u8, u8) -> u32;
    let r_ops: [(R, Op); 18] = [
        (add, Op::Add),
        (sub, Op::Sub),
        (sll, Op::Sll),
        (slt, Op::Slt),
        (sltu, Op::Sltu),
        (xor, Op::Xor),
        (srl, Op::Srl),
        (sra, Op::Sra),
        (or, Op::Or),
        (and, Op::And),
        (mul, Op::Mul),
        (mulh, Op::Mulh),
        (mulhsu, Op::Mulhsu),
        (mulhu, Op::Mulhu),
        (div, Op::Div),
        (divu, Op::Divu),
        (rem, Op::Rem),
        (remu, Op::Remu),
    ];
    for (f, op) in r_ops {
        cases.push((f(T6, A0, S2), op, T6, A0, S2, 0));
    }
    type C = fn(u8, u16, u8) -> u32;
    let csr_reg: [(C, Op); 3] = [(csrrw, Op::Csrrw), (csrrs, Op::Csrrs), (csrrc, Op::Csrrc)];
    for (f, op) in csr_reg {
        cases.push((f(A0, 0xfff, T6), op, A0, T6, 0, 0xfff));
    }
    type CI = fn(u8, u16, u32) -> u32;
    let csr_imm: [(CI, Op); 3] = [
        (csrrwi, Op::Csrrwi),
        (csrrsi, Op::Csrrsi),
        (csrrci, Op::Csrrci),
    ];
    for (f, op) in csr_imm {
        cases.push((f(A0, MSCRATCH, 31), op, A0, 31, 0, MSCRATCH as i32));
    }
    for (word, op, rd, rs1, rs2, imm) in cases {
        let d = decode(word);
        assert_eq!(
            (d.op, d.rd, d.rs1, d.rs2, d.imm),
            (op, rd, rs1, rs2, imm),
            "{word:#010x}"
        );
    }
}

#[test]
fn li_expands_to_the_exact_value() {
    for v in [
        0u32,
        1,
        2047,
        0xffff_f800,
        0xffff_ffff,
        0x800,
        0x7fff_ffff,
        0x8000_0000,
        0x1234_5678,
        0xdead_beef,
        0x0000_0fff,
    ] {
        let code = li(A0, v);
        let mut m = machine_with(&code);
        steps(&mut m, code.len());
        assert_eq!(m.hart.reg(A0), v, "li a0, {v:#x}");
    }
}
