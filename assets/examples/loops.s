# loops.s - nested loops and a function call: sum of i*j for i, j < 10.
    .text
    .globl _start
_start:
    li      s0, 0            # i
    li      s2, 0            # total
outer:
    li      s1, 0            # j
inner:
    mv      a0, s0
    mv      a1, s1
    call    multiply         # a0 = i * j
    add     s2, s2, a0
    addi    s1, s1, 1
    li      t0, 10
    bne     s1, t0, inner
    addi    s0, s0, 1
    bne     s0, t0, outer
    li      t1, 2025         # (0+...+9)^2 = 45^2
    sub     a0, s2, t1       # 0 on success
    li      a7, 93
    ecall

# multiply(a0, a1) -> a0, the M extension's way
multiply:
    mul     a0, a0, a1
    ret
