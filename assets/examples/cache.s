# cache.s - a strided walk over an array: try STRIDE 4 (every word,
# good spatial locality) against 64 (one word per cache line).
    .equ    N, 256           # words in the array
    .equ    STRIDE, 64       # bytes between accesses
    .text
    .globl _start
_start:
    la      s0, array
    li      s1, N * 4        # array size in bytes
    # Fill the array: array[k] = 1
    li      t0, 0
    li      t2, 1
1:  add     t1, s0, t0
    sw      t2, 0(t1)
    addi    t0, t0, 4
    blt     t0, s1, 1b
    # Walk it with the stride, summing
    li      t0, 0
    li      a0, 0
2:  add     t1, s0, t0
    lw      t3, 0(t1)
    add     a0, a0, t3
    addi    t0, t0, STRIDE
    blt     t0, s1, 2b
    addi    a0, a0, -(N * 4 / STRIDE)   # one per access: exit 0
    li      a7, 93
    ecall

    .bss
    .align  6                # start on a cache-line boundary
array:  .space N * 4
