//! The M extension: multiply high/low in all signednesses, divide and
//! remainder including the two special cases the ISA defines.

mod support;

use support::enc::*;
use support::*;

const MIN: u32 = 0x8000_0000;
const MAX: u32 = 0x7fff_ffff;
const NEG1: u32 = 0xffff_ffff;

type F = fn(u8, u8, u8) -> u32;

fn check(cases: &[(&str, F, u32, u32, u32)]) {
    for &(name, f, a, b, want) in cases {
        let m = exec1(f(A0, A1, A2), &[(A0, 0x5555_5555), (A1, a), (A2, b)]);
        let got = m.hart.reg(A0);
        assert_eq!(
            got, want,
            "{name}: ({a:#x}, {b:#x}) gave {got:#x}, want {want:#x}"
        );
        assert_eq!(
            (m.hart.reg(A1), m.hart.reg(A2)),
            (a, b),
            "{name}: sources unchanged"
        );
    }
}

#[test]
fn multiply() {
    check(&[
        ("mul small", mul, 6, 7, 42),
        ("mul -1 * -1", mul, NEG1, NEG1, 1),
        (
            "mul keeps low word",
            mul,
            0x1234_5678,
            0x9abc_def0,
            0x242d_2080,
        ),
        ("mul INT_MIN * INT_MIN", mul, MIN, MIN, 0),
        ("mul INT_MIN * -1", mul, MIN, NEG1, MIN),
        ("mul by zero", mul, 0xdead_beef, 0, 0),
        ("mul mixed signs", mul, -3i32 as u32, 5, -15i32 as u32),
        ("mulh -1 * -1", mulh, NEG1, NEG1, 0),
        ("mulh INT_MIN * INT_MIN", mulh, MIN, MIN, 0x4000_0000),
        ("mulh INT_MAX * INT_MAX", mulh, MAX, MAX, 0x3fff_ffff),
        ("mulh INT_MIN * INT_MAX", mulh, MIN, MAX, 0xc000_0000),
        ("mulh -1 * 1", mulh, NEG1, 1, NEG1),
        ("mulh -3 * 5", mulh, -3i32 as u32, 5, NEG1),
        ("mulh 2^16 * 2^16", mulh, 0x1_0000, 0x1_0000, 1),
        ("mulhu -1 * -1", mulhu, NEG1, NEG1, 0xffff_fffe),
        ("mulhu INT_MIN * INT_MIN", mulhu, MIN, MIN, 0x4000_0000),
        ("mulhu INT_MIN * 2", mulhu, MIN, 2, 1),
        ("mulhu small", mulhu, 6, 7, 0),
        (
            "mulhu 0x12345678 * 0x9abcdef0",
            mulhu,
            0x1234_5678,
            0x9abc_def0,
            0x0b00_ea4e,
        ),
        ("mulhsu -1 * 0xffffffff", mulhsu, NEG1, NEG1, NEG1),
        (
            "mulhsu INT_MIN * 0xffffffff",
            mulhsu,
            MIN,
            NEG1,
            0x8000_0000,
        ),
        ("mulhsu 0xffffffff(rs2 unsigned) * 1", mulhsu, 1, NEG1, 0),
        ("mulhsu 2 * 0x80000000", mulhsu, 2, MIN, 1),
        ("mulhsu -2 * 0x80000000", mulhsu, -2i32 as u32, MIN, NEG1),
        (
            "mulhsu INT_MAX * 0xffffffff",
            mulhsu,
            MAX,
            NEG1,
            0x7fff_fffe,
        ),
        ("mulhsu -1 * 1", mulhsu, NEG1, 1, NEG1),
        ("mulhsu -1 * 0", mulhsu, NEG1, 0, 0),
    ]);
}

#[test]
fn divide_and_remainder() {
    check(&[
        ("div", div, 20, 6, 3),
        (
            "div rounds toward zero (neg dividend)",
            div,
            -7i32 as u32,
            2,
            -3i32 as u32,
        ),
        (
            "div rounds toward zero (neg divisor)",
            div,
            7,
            -2i32 as u32,
            -3i32 as u32,
        ),
        ("div both negative", div, -7i32 as u32, -2i32 as u32, 3),
        ("div by zero is all ones", div, 1234, 0, NEG1),
        ("div negative by zero is all ones", div, MIN, 0, NEG1),
        ("div INT_MIN / -1 overflows to INT_MIN", div, MIN, NEG1, MIN),
        ("div INT_MIN / 1", div, MIN, 1, MIN),
        ("divu", divu, 20, 6, 3),
        ("divu treats operands unsigned", divu, NEG1, 2, MAX),
        ("divu by zero is all ones", divu, 1234, 0, NEG1),
        ("divu INT_MIN / 0xffffffff", divu, MIN, NEG1, 0),
        ("divu 0xffffffff / 0xffffffff", divu, NEG1, NEG1, 1),
        ("rem", rem, 20, 6, 2),
        ("rem takes the dividend's sign", rem, -7i32 as u32, 2, NEG1),
        ("rem with negative divisor", rem, 7, -2i32 as u32, 1),
        ("rem both negative", rem, -7i32 as u32, -2i32 as u32, NEG1),
        (
            "rem by zero is the dividend",
            rem,
            -1234i32 as u32,
            0,
            -1234i32 as u32,
        ),
        ("rem INT_MIN % -1 is 0", rem, MIN, NEG1, 0),
        ("remu", remu, 20, 6, 2),
        ("remu treats operands unsigned", remu, NEG1, 10, 5),
        (
            "remu by zero is the dividend",
            remu,
            0xdead_beef,
            0,
            0xdead_beef,
        ),
        ("remu INT_MIN % 0xffffffff", remu, MIN, NEG1, MIN),
    ]);
}

#[test]
fn divide_by_zero_does_not_trap() {
    let mut m = machine_with(&[div(A0, A1, ZERO), rem(A2, A1, ZERO), divu(A3, A1, ZERO)]);
    install_handler(&mut m);
    m.hart.set_reg(A1, 99);
    steps(&mut m, 3);
    assert_eq!(
        (m.hart.pc, m.cycle, m.instret, m.hart.mcause),
        (RAM_BASE + 12, 3, 3, 0)
    );
    assert_eq!(
        (m.hart.reg(A0), m.hart.reg(A2), m.hart.reg(A3)),
        (NEG1, 99, NEG1)
    );
}

#[test]
fn results_with_aliased_registers() {
    // rd = rs1 = rs2.
    assert_eq!(
        exec1(mul(A0, A0, A0), &[(A0, 0xffff)]).hart.reg(A0),
        0xfffe_0001
    );
    assert_eq!(
        exec1(mulhu(A0, A0, A0), &[(A0, NEG1)]).hart.reg(A0),
        0xffff_fffe
    );
    assert_eq!(exec1(div(A0, A0, A0), &[(A0, MIN)]).hart.reg(A0), 1);
    assert_eq!(exec1(rem(A0, A0, A0), &[(A0, 0)]).hart.reg(A0), 0);
}
