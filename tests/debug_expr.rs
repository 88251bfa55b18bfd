//! Condition expressions (`debug::expr`): values, signedness, memory and
//! CSR reads, errors with columns, and no panic on any input.

mod support;

use glassbox::Machine;
use glassbox::debug::expr::Expr;
use glassbox::symbols::{Symbol, SymbolKind, SymbolTable};
use proptest::prelude::*;
use support::enc::*;
use support::*;

fn machine() -> Machine {
    let mut m = machine_with(&[nop()]);
    m.hart.set_reg(A0, 3);
    m.hart.set_reg(A1, (-7i32) as u32);
    m.hart.set_reg(SP, DATA);
    m.hart.mscratch = 0x55;
    m.poke(DATA + 8, 4, 11);
    m.poke(DATA + 12, 4, 0x8765_4321);
    m
}

fn eval(src: &str) -> u32 {
    let e = Expr::parse(src).unwrap_or_else(|e| panic!("{src}: {e}"));
    e.eval(&machine()).unwrap_or_else(|e| panic!("{src}: {e}"))
}

fn parse_error(src: &str) -> String {
    Expr::parse(src).expect_err(src).to_string()
}

#[test]
fn the_issue_s_example() {
    assert_eq!(eval("a0 == 3 && mem32[sp + 8] > 10"), 1);
    assert_eq!(eval("a0 == 3 && mem32[sp + 8] > 11"), 0);
}

#[test]
fn operands() {
    assert_eq!(eval("a0"), 3);
    assert_eq!(eval("x10"), 3);
    assert_eq!(eval("zero + x0"), 0);
    assert_eq!(eval("fp == s0"), 1);
    assert_eq!(eval("pc"), RAM_BASE);
    assert_eq!(eval("mscratch"), 0x55);
    assert_eq!(eval("0x10 + 0b11 + 1_000"), 1019);
    assert_eq!(eval("0XfF"), 255);
    assert_eq!(eval("mem32[sp + 12]"), 0x8765_4321);
    assert_eq!(eval("mem16[sp + 14]"), 0x8765);
    assert_eq!(eval("mem8[sp + 12]"), 0x21);
    // mem8[sp + 8] = 11: byte 1 of the word at sp + 12 is 0x43.
    assert_eq!(eval("mem8[mem8[sp + 8] + sp + 2]"), 0x43);
}

#[test]
fn precedence_and_operators() {
    assert_eq!(eval("1 + 2 * 3"), 7);
    assert_eq!(eval("(1 + 2) * 3"), 9);
    assert_eq!(eval("1 << 4 | 1"), 17);
    assert_eq!(eval("6 & 3 ^ 1"), 3);
    assert_eq!(eval("1 || 0 && 0"), 1);
    assert_eq!(eval("!0 + !5"), 1);
    assert_eq!(eval("~0"), u32::MAX);
    assert_eq!(eval("-1"), u32::MAX);
    assert_eq!(eval("7 / 2 + 7 % 2"), 4);
    assert_eq!(eval("1 - 2"), u32::MAX);
    assert_eq!(eval("3 <= 3 && 3 >= 3 && 2 < 3 && 3 > 2 && 1 != 2"), 1);
    assert_eq!(eval("1 << 32"), 0);
}

#[test]
fn comparisons_are_unsigned_unless_marked_signed() {
    // a1 = -7.
    assert_eq!(eval("a1 < 0"), 0);
    assert_eq!(eval("a1 > 100"), 1);
    assert_eq!(eval("signed(a1) < 0"), 1);
    assert_eq!(eval("signed(a1) < -5"), 1);
    assert_eq!(eval("signed(a1) > -8"), 1);
    assert_eq!(eval("unsigned(signed(a1)) < 0"), 0);
    assert_eq!(eval("signed(a1) / 7"), u32::MAX);
    assert_eq!(eval("a1 / 7"), 0xffff_fff9 / 7);
    assert_eq!(eval("signed(a1) >> 1"), (-4i32) as u32);
    assert_eq!(eval("a1 >> 1"), 0x7fff_fffc);
    assert_eq!(eval("signed(a1) % 4"), (-3i32) as u32);
    assert_eq!(eval("a1 == -7"), 1);
}

#[test]
fn symbols_resolve_when_evaluated() {
    let mut m = machine();
    let symbols = SymbolTable::new(vec![Symbol {
        name: "counter".into(),
        addr: DATA + 8,
        size: 4,
        kind: SymbolKind::Object,
    }]);
    m.program = std::sync::Arc::new(glassbox::machine::ProgramInfo {
        symbols,
        ..Default::default()
    });
    let e = Expr::parse("mem32[counter] == 11").unwrap();
    assert_eq!(e.holds(&m), Ok(true));
    let e = Expr::parse("mem32[countr] == 11").unwrap();
    assert_eq!(
        e.holds(&m).unwrap_err().to_string(),
        "unknown name 'countr': not a register, CSR or symbol of the program"
    );
}

#[test]
fn evaluation_errors_are_reported_not_panics() {
    let m = machine();
    let err = |s: &str| Expr::parse(s).unwrap().eval(&m).unwrap_err().to_string();
    assert_eq!(
        err("mem32[0] == 1"),
        "mem32[0x00000000] cannot be read: the address is not mapped"
    );
    assert_eq!(err("a0 / (a0 - 3)"), "division by zero");
    assert_eq!(err("a0 % 0"), "division by zero");
    // `||` and `&&` short-circuit: the unmapped read is not made.
    assert_eq!(Expr::parse("1 || mem8[0]").unwrap().eval(&m), Ok(1));
    assert_eq!(Expr::parse("0 && mem8[0]").unwrap().eval(&m), Ok(0));
}

#[test]
fn parse_errors_name_the_column_and_what_was_expected() {
    assert_eq!(
        parse_error("a0 == 3 &&"),
        "expected register, number or '(', found the end at column 11"
    );
    assert_eq!(
        parse_error("a0 == * 3"),
        "expected register, number or '(', found '*' at column 7"
    );
    assert_eq!(parse_error("(a0 + 1"), "expected ')' at column 8");
    assert_eq!(
        parse_error("mem32 sp"),
        "expected '[' after mem32 at column 7"
    );
    assert_eq!(parse_error("mem8[sp"), "expected ']' at column 8");
    assert_eq!(
        parse_error("a0 3"),
        "expected an operator or the end, found '3' at column 4"
    );
    assert_eq!(
        parse_error("0x"),
        "expected a number (decimal, 0x hex or 0b binary), found '0x' at column 1"
    );
    assert_eq!(
        parse_error("1 + 99999999999"),
        "number does not fit in 32 bits at column 5"
    );
    assert_eq!(
        parse_error("a0 = 3"),
        "expected an operator or the end, found '=' (compare with '==') at column 4"
    );
    assert_eq!(
        parse_error(&"(".repeat(100)),
        "nesting deeper than 64 levels at column 65"
    );
    assert_eq!(
        parse_error(&"1+".repeat(600)),
        "expression longer than 1024 characters at column 1025"
    );
}

#[test]
fn the_source_text_is_kept() {
    let e = Expr::parse("  a0 == 3 ").unwrap();
    assert_eq!(e.source(), "  a0 == 3 ");
    assert_eq!(e.to_string(), "  a0 == 3 ");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Any text parses or fails with a column inside it (or just past its
    /// end); whatever parses evaluates or fails, never panics.
    #[test]
    fn no_input_panics(src in "\\PC{0,40}") {
        let m = machine();
        match Expr::parse(&src) {
            Ok(e) => { let _ = e.eval(&m); }
            Err(e) => prop_assert!(e.column >= 1 && e.column <= src.chars().count() + 1),
        }
    }

    /// Inputs built from the language's own pieces reach deeper.
    #[test]
    fn no_token_soup_panics(parts in prop::collection::vec(prop::sample::select(vec![
        "a0", "x31", "pc", "mcause", "mem8[", "mem16[", "mem32[", "]", "(", ")",
        "signed(", "unsigned(", "0", "-1", "0xffffffff", "+", "-", "*", "/", "%",
        "<<", ">>", "<", "<=", ">", ">=", "==", "!=", "&", "|", "^", "&&", "||",
        "!", "~", " ", "sp", "foo",
    ]), 0..30)) {
        let src: String = parts.concat();
        let m = machine();
        if let Ok(e) = Expr::parse(&src) {
            let _ = e.eval(&m);
        }
    }
}
