# forever.s - sums and rewrites a 1 KiB array over and over (loads, stores,
# a multiply, taken and not-taken branches) for about 2^32 passes, i.e.
# forever in the GUI. For measuring the GUI at full speed; `glassbox bench`
# runs the same code with a finite pass count (see ROUNDS).
    .equ    ROUNDS, 0
    .text
    .globl _start
_start:
    la      s0, data
    li      s1, 256          # words
    li      s2, 0            # running sum
    li      s3, ROUNDS       # passes left (0: 2^32)
again:
    mv      t0, s0
    li      t1, 0
loop:
    lw      t2, 0(t0)
    add     s2, s2, t2
    mul     t3, t2, t1
    andi    t4, t1, 3
    bnez    t4, skip
    addi    t3, t3, 1
skip:
    sw      t3, 0(t0)
    addi    t0, t0, 4
    addi    t1, t1, 1
    bne     t1, s1, loop
    addi    s3, s3, -1
    bnez    s3, again
    li      a0, 0
    li      a7, 93
    ecall

    .data
data:
    .space  1024
