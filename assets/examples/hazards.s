# hazards.s - data hazards in the five-stage pipeline.
# Step through this on the "textbook" preset and watch the forwarding
# paths and the load-use stall. Exits with status 0 when the sums check.
    .text
    .globl _start
_start:
    li      t0, 5
    addi    t1, t0, 1        # RAW on t0: forwarded from EX/MEM
    add     t2, t1, t0       # RAW on t1 (EX/MEM) and t0 (MEM/WB)
    la      a1, value
    lw      t3, 0(a1)        # load...
    add     t4, t3, t2       # ...used at once: one stall cycle (load-use)
    sw      t4, 4(a1)        # store data forwarded too
    lw      t5, 4(a1)
    li      t6, 42 + 11      # expected: value + t2 (t2 = 5 + 6)
    sub     a0, t5, t6       # 0 if everything flowed through correctly
    li      a7, 93           # exit(a0)
    ecall

    .data
value:  .word 42
        .word 0
