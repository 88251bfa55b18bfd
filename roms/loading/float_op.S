/*
 * float_op: prints through the UART, then runs one F-extension instruction
 * (fadd.s). Built with -march=rv32imf -mabi=ilp32 (soft-float ABI, so it
 * loads); Glassbox stops at the fadd.s naming the F extension.
 */
    .option norelax
    .section .text.init, "ax", @progbits
    .globl _start
_start:
    li      a1, 0x10000000
    li      a2, 'F'
    sb      a2, 0(a1)
    fadd.s  fa0, fa1, fa2
    li      a0, 0
    li      a7, 93
    ecall
