/* vector_op: one V-extension instruction (vadd.vv); Glassbox names V. */
    .option norelax
    .section .text.init, "ax", @progbits
    .globl _start
_start:
    vadd.vv v1, v2, v3
    li      a0, 0
    li      a7, 93
    ecall
