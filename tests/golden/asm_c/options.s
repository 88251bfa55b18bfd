# .option in a rv32imac source: rvc/norvc, push/pop (nested), arch, and
# code alignment under each (GNU skips alignment to no more than 2 bytes
# while C is on, 4 while it is off).
    .text
    .globl _start
_start:
    li      a0, 1
    .option push
    .option norvc
    li      a0, 1
    .p2align 2
    li      a0, 2
    .option push
    .option rvc
    li      a0, 3
    .p2align 2
    li      a0, 4
    .option pop
    li      a0, 5
    .option pop
    li      a0, 6
    .p2align 1
    li      a0, 7
    .option arch, -c
    mv      a0, a1
    .option arch, +c
    mv      a0, a1
    .option arch, rv32im
    ret
    .option arch, rv32imac_zicsr_zifencei
    ret
    .option relax
    .option norelax
    ret
    .p2align 4
    c.nop
