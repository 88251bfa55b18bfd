# The program tests/gdb.rs debugs: 300 rounds of a store, a load and a
# call, then exit(7). `counter` is written each round, `other` read.
    .globl _start
    .text
_start:
    la   s0, counter
    li   s1, 0
    li   t4, 0x55
    csrw mscratch, t4
loop:
    addi s1, s1, 1
    sw   s1, 0(s0)
    lw   t0, 4(s0)
    add  t1, t0, s1
    mv   a0, s1
    call twice
    mv   t2, a0
here:
    li   t3, 300
    blt  s1, t3, loop
    lw   a0, 8(s0)
    li   a7, 93
    ecall
twice:
    add  a0, a0, a0
    ret
    .data
counter: .word 0
other:   .word 5
code:    .word 7
