//! Assembler diagnostics: position (file:line:col) and wording of each kind
//! of error, and all errors of a source reported in one run.

use glassbox::asm::{AsmOptions, Diagnostic, Isa, assemble};

fn errors(src: &str) -> Vec<String> {
    let opts = AsmOptions {
        file_name: "t.s".into(),
        ..AsmOptions::default()
    };
    match assemble(src, &opts) {
        Ok(_) => panic!("expected errors for:\n{src}"),
        Err(d) => d.iter().map(Diagnostic::to_string).collect(),
    }
}

fn one(src: &str) -> String {
    let e = errors(src);
    assert_eq!(e.len(), 1, "{e:#?}");
    e[0].clone()
}

#[test]
fn unknown_mnemonic_suggests_the_closest() {
    assert_eq!(
        one("  ad a0, a1, a2\n"),
        "t.s:1:3: error: unknown instruction `ad`; did you mean `add`?"
    );
    assert_eq!(
        one("\n\tbranch a0, a1, x\n"),
        "t.s:2:2: error: unknown instruction `branch`"
    );
    assert_eq!(
        one(".wordd 1"),
        "t.s:1:1: error: unknown directive `.wordd`; did you mean `.word`?"
    );
}

#[test]
fn wrong_operand_count_and_kind() {
    assert_eq!(
        one("add a0, a1"),
        "t.s:1:1: error: `add` takes 3 operands (add rd, rs1, rs2), but 2 were given"
    );
    assert_eq!(
        one("ret a0"),
        "t.s:1:5: error: `ret` takes no operands, but 1 was given"
    );
    assert_eq!(
        one("add a0, 5, a1"),
        "t.s:1:9: error: expected a register (x0-x31 or a name like a0, sp, t1), found `5`"
    );
    assert_eq!(
        one("addi a0, a1, a2"),
        "t.s:1:14: error: expected an immediate value here, found register `a2`"
    );
    assert_eq!(
        one("lw a0, 4(a9)"),
        "t.s:1:10: error: expected a base register in the parentheses (like 8(sp)), found `a9`"
    );
    assert_eq!(
        one("csrr a0, mstatu"),
        "t.s:1:10: error: unknown CSR `mstatu`; did you mean `mstatus`?"
    );
}

#[test]
fn immediates_out_of_range_name_the_range() {
    assert_eq!(
        one("addi a0, a1, 5000"),
        "t.s:1:14: error: immediate 5000 is out of range for `addi`: it takes -2048 to 2047"
    );
    assert_eq!(
        one("slli a0, a0, 32"),
        "t.s:1:14: error: immediate 32 is out of range for `slli`: shift amounts are 0 to 31"
    );
    assert_eq!(
        one("lui a0, 0x100000"),
        "t.s:1:9: error: immediate 1048576 is out of range for `lui`: it takes 0 to 1048575"
    );
    assert_eq!(
        one("csrwi mie, 32"),
        "t.s:1:12: error: immediate 32 is out of range: CSR immediates are 0 to 31"
    );
    assert_eq!(
        one("li a0, 0x100000000"),
        "t.s:1:8: error: value 4294967296 does not fit in a 32-bit register (-2147483648 to 4294967295)"
    );
    assert_eq!(
        one(".data\n.byte 256"),
        "t.s:2:7: error: value 256 does not fit in 1 byte: the range is -128 to 255"
    );
}

#[test]
fn undefined_and_duplicate_labels() {
    assert_eq!(
        one("j nowhere"),
        "t.s:1:3: error: undefined label `nowhere`"
    );
    assert_eq!(
        one("loop: j lop"),
        "t.s:1:9: error: undefined label `lop`; did you mean `loop`?"
    );
    assert_eq!(
        one("a: nop\na: nop"),
        "t.s:2:1: error: label `a` is already defined on line 1"
    );
    assert_eq!(
        one("bnez a0, 1f"),
        "t.s:1:10: error: `1f` refers to a following `1:` label, but there is none after this line"
    );
    assert_eq!(
        one("j 2b"),
        "t.s:1:3: error: `2b` refers to a preceding `2:` label, but there is none before this line"
    );
    assert_eq!(
        one("x: li a0, x"),
        "t.s:1:11: error: the value of `li` must be a constant, but `x` is a label or is defined later; to load a label's address use `la`"
    );
}

#[test]
fn misaligned_targets() {
    assert_eq!(
        one("beq a0, a1, odd\n.equ odd, 0x80000002"),
        "t.s:1:13: error: misaligned branch target: 0x80000002 is not a multiple of 4 (instructions are 4 bytes)"
    );
    assert_eq!(
        one("j x\n.byte 1\nx: .byte 2"),
        "t.s:1:3: error: misaligned jump target: 0x80000005 is not a multiple of 4 (instructions are 4 bytes)"
    );
}

#[test]
fn lexical_errors() {
    assert_eq!(
        one("addi a0, a0, 5x"),
        "t.s:1:14: error: `5x` is not a valid base-10 number"
    );
    assert_eq!(
        one(".ascii \"abc"),
        "t.s:1:8: error: string is missing its closing `\"`"
    );
    assert_eq!(
        one("addi a0, a0, `"),
        "t.s:1:14: error: unexpected character '`'"
    );
    assert_eq!(
        one(".section .foo"),
        "t.s:1:10: error: unknown section `.foo`: use .text, .rodata, .data or .bss (or names like .text.init)"
    );
    assert_eq!(
        one(".bss\n.word 5"),
        "t.s:2:1: error: .bss holds only zeros; put initialised data in .data"
    );
    assert_eq!(
        one(".space 0x7fffffff"),
        "t.s:1:1: error: program is too large: more than 64 MiB of output"
    );
}

#[test]
fn every_error_is_reported_in_one_pass() {
    let src = "start:\n    ad a0, a1, a2\n    add a0, a1\n    addi a0, a1, 5000\n    j nowhere\nstart:\n    nop\n";
    let e = errors(src);
    assert_eq!(
        e,
        [
            "t.s:2:5: error: unknown instruction `ad`; did you mean `add`?",
            "t.s:3:5: error: `add` takes 3 operands (add rd, rs1, rs2), but 2 were given",
            "t.s:4:18: error: immediate 5000 is out of range for `addi`: it takes -2048 to 2047",
            "t.s:5:7: error: undefined label `nowhere`",
            "t.s:6:1: error: label `start` is already defined on line 1",
        ]
    );
}

#[test]
fn columns_count_characters_and_tabs_as_one() {
    assert_eq!(
        one(".ascii \"é\";\tad a0, a0, 1"),
        "t.s:1:13: error: unknown instruction `ad`; did you mean `add`?"
    );
    assert_eq!(
        one("nop; nop; bad"),
        "t.s:1:11: error: unknown instruction `bad`"
    );
}

#[test]
fn a_mistyped_register_names_the_register_it_resembles() {
    // Issue 15: where the operand must be a register.
    assert_eq!(
        one("add t0q, t1, t2"),
        "t.s:1:5: error: unknown register `t0q`, did you mean `t0`?"
    );
    assert_eq!(
        one("lw a0, 0(sp)\nsw s12, 4(sp)"),
        "t.s:2:4: error: unknown register `s12`, did you mean `s1`?"
    );
    assert_eq!(
        one("mv a0, x32"),
        "t.s:1:8: error: unknown register `x32`, did you mean `x2`?"
    );
    // `add` also takes an immediate as its last operand (as GNU as does):
    // an undefined symbol there is a label, but the register is offered.
    assert_eq!(
        one("add t0, t1, t2q"),
        "t.s:1:13: error: undefined label `t2q`; did you mean the register `t2`?"
    );
    // A close label still wins, and nothing close is offered nothing.
    assert_eq!(
        one("t2a: add t0, t1, t2b"),
        "t.s:1:18: error: undefined label `t2b`; did you mean `t2a`?"
    );
    assert_eq!(
        one("add a0, zzzz, a1"),
        "t.s:1:9: error: expected a register (x0-x31 or a name like a0, sp, t1), found `zzzz`"
    );
}

/// RV32C: `c.*` while C is off, the register and immediate limits of the
/// compressed forms, their reach, and `.option` misuse.
#[test]
fn compressed_instructions_say_what_they_need() {
    assert_eq!(
        one("c.addi a0, 1"),
        "t.s:1:1: error: `c.addi` is a compressed instruction (the C extension), which is off: \
         assemble with --march rv32imc or rv32imac, or put `.option rvc` before it"
    );
    assert_eq!(
        one("c.adi a0, 1"),
        "t.s:1:1: error: unknown instruction `c.adi`; did you mean `c.addi`?"
    );
    let e = errors(
        ".option rvc\nc.lw t0, 0(a1)\nc.lw a0, 128(a1)\nc.lwsp a0, 4(a1)\nc.jr zero\n\
         c.lui a0, 0x20\nc.beqz a0, far\n.skip 300\nfar: j 1f + 1\n1: .option pop\n.option foo\n",
    );
    assert_eq!(
        e,
        [
            "t.s:2:6: error: `c.lw` takes only registers x8-x15 (s0, s1, a0-a5) here, found `t0`",
            "t.s:3:10: error: offset 128 is out of range for `c.lw`: it takes a multiple of 4 from 0 to 124",
            "t.s:4:14: error: `c.lwsp` works on sp only here, found `a1`",
            "t.s:5:6: error: `c.jr` cannot use x0 here",
            "t.s:6:11: error: immediate 32 is out of range for `c.lui`: it takes 1 to 0x1f or 0xfffe0 to 0xfffff",
            "t.s:7:12: error: branch target is too far away: 302 bytes, but c.beqz and c.bnez reach -256 to 254",
            "t.s:9:8: error: misaligned jump target: 0x80000131 is not a multiple of 2 (instructions are 2 or 4 bytes)",
            "t.s:10:12: error: .option pop without a matching .option push",
            "t.s:11:9: error: unknown .option: use rvc, norvc, push, pop, arch, relax, norelax, pic or nopic",
        ]
    );
}

/// A: the atomics need `--march` with A, and take their address as (rs1).
#[test]
fn atomics_need_the_a_extension_and_a_plain_address() {
    assert_eq!(
        one("lr.w a0, (a1)"),
        "t.s:1:1: error: `lr.w` needs the A extension, which --march rv32im leaves out; use rv32ima or rv32imac"
    );
    let opts = AsmOptions {
        file_name: "t.s".into(),
        isa: Isa::RV32IMAC,
        ..AsmOptions::default()
    };
    let e: Vec<String> = assemble("amoadd.w.aq a0, a1, 4(a2)\nsc.w a0, a1\n", &opts)
        .unwrap_err()
        .iter()
        .map(Diagnostic::to_string)
        .collect();
    assert_eq!(
        e,
        [
            "t.s:1:21: error: `amoadd.w.aq` needs its address as (rs1), like (a0), found `4(a2)`",
            "t.s:2:1: error: `sc.w` takes 3 operands (sc.w rd, rs2, (rs1)), but 2 were given",
        ]
    );
}
