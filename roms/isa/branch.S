/*
 * branch: beq bne blt bge bltu bgeu, taken and not taken, forward and
 * backward, signed vs unsigned edge cases, x0 operands, near-maximum
 * offsets (about +-4 KiB) and "branch must not write any register".
 * Exit code 0 = pass, N = test N failed.
 */
#include "isa_macros.h"

TEST_BEGIN

/* ---------------- beq ---------------- */
    TEST_BR_TAKEN       1, beq, 0, 0
    TEST_BR_TAKEN       2, beq, 1, 1
    TEST_BR_TAKEN       3, beq, -1, -1
    TEST_BR_TAKEN       4, beq, 0x80000000, 0x80000000
    TEST_BR_NOT_TAKEN   5, beq, 0, 1
    TEST_BR_NOT_TAKEN   6, beq, 1, 0
    TEST_BR_NOT_TAKEN   7, beq, -1, 1
    TEST_BR_NOT_TAKEN   8, beq, 1, -1
    TEST_BR_NOT_TAKEN   9, beq, 0x80000000, 0

/* ---------------- bne ---------------- */
    TEST_BR_TAKEN      10, bne, 0, 1
    TEST_BR_TAKEN      11, bne, 1, 0
    TEST_BR_TAKEN      12, bne, -1, 1
    TEST_BR_TAKEN      13, bne, 1, -1
    TEST_BR_TAKEN      14, bne, 0x80000000, 0x7fffffff
    TEST_BR_NOT_TAKEN  15, bne, 0, 0
    TEST_BR_NOT_TAKEN  16, bne, 1, 1
    TEST_BR_NOT_TAKEN  17, bne, -1, -1

/* ---------------- blt (signed) ---------------- */
    TEST_BR_TAKEN      20, blt, 0, 1
    TEST_BR_TAKEN      21, blt, -1, 1
    TEST_BR_TAKEN      22, blt, -2, -1
    TEST_BR_TAKEN      23, blt, 0x80000000, 0x7fffffff
    TEST_BR_TAKEN      24, blt, 0x80000000, 0
    TEST_BR_TAKEN      25, blt, -1, 0
    TEST_BR_NOT_TAKEN  26, blt, 1, 0
    TEST_BR_NOT_TAKEN  27, blt, 1, -1
    TEST_BR_NOT_TAKEN  28, blt, -1, -2
    TEST_BR_NOT_TAKEN  29, blt, 1, -2
    TEST_BR_NOT_TAKEN  30, blt, 0x7fffffff, 0x80000000
    TEST_BR_NOT_TAKEN  31, blt, 5, 5
    TEST_BR_NOT_TAKEN  32, blt, 0, 0xffffffff

/* ---------------- bge (signed) ---------------- */
    TEST_BR_TAKEN      40, bge, 0, 0
    TEST_BR_TAKEN      41, bge, 1, 1
    TEST_BR_TAKEN      42, bge, -1, -1
    TEST_BR_TAKEN      43, bge, 1, 0
    TEST_BR_TAKEN      44, bge, 1, -2
    TEST_BR_TAKEN      45, bge, -1, -2
    TEST_BR_TAKEN      46, bge, 0x7fffffff, 0x80000000
    TEST_BR_TAKEN      47, bge, 0, 0xffffffff
    TEST_BR_NOT_TAKEN  48, bge, 0, 1
    TEST_BR_NOT_TAKEN  49, bge, -1, 1
    TEST_BR_NOT_TAKEN  50, bge, -2, -1
    TEST_BR_NOT_TAKEN  51, bge, -2, 1
    TEST_BR_NOT_TAKEN  52, bge, 0x80000000, 0x7fffffff

/* ---------------- bltu (unsigned) ---------------- */
    TEST_BR_TAKEN      60, bltu, 0, 1
    TEST_BR_TAKEN      61, bltu, 0xfffffffe, 0xffffffff
    TEST_BR_TAKEN      62, bltu, 0, 0xffffffff
    TEST_BR_TAKEN      63, bltu, 0x7fffffff, 0x80000000
    TEST_BR_NOT_TAKEN  64, bltu, 1, 0
    TEST_BR_NOT_TAKEN  65, bltu, 0xffffffff, 0xfffffffe
    TEST_BR_NOT_TAKEN  66, bltu, 0xffffffff, 0
    TEST_BR_NOT_TAKEN  67, bltu, 0x80000000, 0x7fffffff
    TEST_BR_NOT_TAKEN  68, bltu, 7, 7

/* ---------------- bgeu (unsigned) ---------------- */
    TEST_BR_TAKEN      70, bgeu, 0, 0
    TEST_BR_TAKEN      71, bgeu, 1, 1
    TEST_BR_TAKEN      72, bgeu, 0xffffffff, 0xffffffff
    TEST_BR_TAKEN      73, bgeu, 1, 0
    TEST_BR_TAKEN      74, bgeu, 0xffffffff, 0xfffffffe
    TEST_BR_TAKEN      75, bgeu, 0xffffffff, 0
    TEST_BR_TAKEN      76, bgeu, 0x80000000, 0x7fffffff
    TEST_BR_NOT_TAKEN  77, bgeu, 0, 1
    TEST_BR_NOT_TAKEN  78, bgeu, 0xfffffffe, 0xffffffff
    TEST_BR_NOT_TAKEN  79, bgeu, 0, 0xffffffff
    TEST_BR_NOT_TAKEN  80, bgeu, 0x7fffffff, 0x80000000

/* ---------------- x0 operands ---------------- */
    TEST_CASE 90
    beq     x0, x0, 1f
    j       fail
1:
    TEST_CASE 91
    bne     x0, x0, 1f
    j       2f
1:  j       fail
2:
    TEST_CASE 92                /* bltz */
    li      a1, -5
    blt     a1, x0, 1f
    j       fail
1:
    TEST_CASE 93                /* bgtz via blt x0, a1 (not taken for -5) */
    blt     x0, a1, 1f
    j       2f
1:  j       fail
2:
    TEST_CASE 94                /* bgez for 0 */
    bge     x0, x0, 1f
    j       fail
1:
    TEST_CASE 95                /* nothing is unsigned-less than 0 */
    li      a1, 0
    bltu    a1, x0, 1f
    j       2f
1:  j       fail
2:
    TEST_CASE 96                /* everything is unsigned->= 0 */
    li      a1, 0x80000000
    bgeu    a1, x0, 1f
    j       fail
1:

/* ---------------- branches do not write registers ---------------- */
    TEST_CASE 100
    li      a1, 3
    li      a2, 3
    li      a4, 0x1234
    beq     a1, a2, 1f
1:  bne     a1, a2, 1f
1:  CHECK   a1, 3
    CHECK   a2, 3
    CHECK   a4, 0x1234

/* ---------------- long offsets (imm bits 11/12 of the B format) -------- */
    TEST_CASE 110               /* forward by ~4 KiB */
    li      a1, 1
    li      a2, 2
    blt     a1, a2, far_fwd
    j       fail
    .rept 1016
    j       fail
    .endr
far_fwd:
    TEST_CASE 111               /* backward by ~4 KiB */
    j       far_back_src
far_back_dst:
    j       far_back_done
    .rept 1012
    j       fail
    .endr
far_back_src:
    bltu    a1, a2, far_back_dst
    j       fail
far_back_done:

/* ---------------- a counted backward loop ---------------- */
    TEST_CASE 120
    li      a1, 0
    li      a2, 10
    li      a4, 0
1:  add     a4, a4, a1
    addi    a1, a1, 1
    blt     a1, a2, 1b
    CHECK   a4, 45
    CHECK   a1, 10

TEST_END
