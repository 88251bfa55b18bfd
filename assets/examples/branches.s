# branches.s - taken and not-taken branches for the predictors.
# Counts the odd numbers below 100 with a data-dependent branch
# (hard to predict) inside a loop branch (easy to predict).
    .text
    .globl _start
_start:
    li      t0, 0            # i
    li      t1, 100          # limit
    li      a0, 0            # odd count
loop:
    andi    t2, t0, 1
    beqz    t2, even         # alternates: taken, not taken, ...
    addi    a0, a0, 1
even:
    addi    t0, t0, 1
    blt     t0, t1, loop     # taken 99 times, then falls through
    addi    a0, a0, -50      # 50 odd numbers: exit status 0
    bnez    a0, fail
    li      a7, 93
    ecall
fail:
    li      a0, 1
    li      a7, 93
    ecall
