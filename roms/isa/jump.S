/*
 * jump: JAL and JALR.
 * Link values, forward/backward and long JAL offsets, JALR immediate
 * offsets (positive/negative), JALR clearing bit 0 of the target,
 * rd == rs1 for JALR (target uses the OLD rs1), rd = x0, call/return.
 * Exit code 0 = pass, N = test N failed.
 */
#include "isa_macros.h"

TEST_BEGIN

/* ---------------- jal ---------------- */
    TEST_CASE 1                 /* jal forward, link = pc + 4 */
    li      ra, 0
    jal     ra, 1f
2:  j       fail
1:  CHECK_ADDR ra, 2b

    TEST_CASE 2                 /* jal with rd = x0 (j): no link */
    li      a4, 0x55
    jal     x0, 1f
    j       fail
1:  CHECK   a4, 0x55
    CHECK   x0, 0

    TEST_CASE 3                 /* jal backward, into a4 */
    j       2f
1:  j       3f
2:  jal     a4, 1b
4:  j       fail
3:  CHECK_ADDR a4, 4b

    TEST_CASE 4                 /* long forward jal (offset > 4 KiB) */
    jal     a4, jal_far_fwd
5:  j       fail
    .rept 1600
    j       fail
    .endr
jal_far_fwd:
    CHECK_ADDR a4, 5b

    TEST_CASE 5                 /* long backward jal */
    j       jal_far_back_src
jal_far_back_dst:
    j       jal_far_back_done
    .rept 1600
    j       fail
    .endr
jal_far_back_src:
    jal     a5, jal_far_back_dst
6:  j       fail
jal_far_back_done:
    CHECK_ADDR a5, 6b

/* ---------------- jalr ---------------- */
    TEST_CASE 10                /* plain jalr, link = pc + 4 */
    la      t0, 1f
    li      ra, 0
    jalr    ra, 0(t0)
2:  j       fail
1:  CHECK_ADDR ra, 2b

    TEST_CASE 11                /* positive offset */
    la      t0, 1f
    addi    t0, t0, -12
    jalr    a4, 12(t0)
2:  j       fail
1:  CHECK_ADDR a4, 2b

    TEST_CASE 12                /* negative offset */
    la      t0, 1f
    addi    t0, t0, 2000
    jalr    a4, -2000(t0)
2:  j       fail
1:  CHECK_ADDR a4, 2b

    TEST_CASE 13                /* bit 0 of rs1 + imm is cleared (rs1 odd) */
    la      t0, 1f
    addi    t0, t0, 1
    jalr    a4, 0(t0)
2:  j       fail
1:  CHECK_ADDR a4, 2b

    TEST_CASE 14                /* bit 0 of rs1 + imm is cleared (imm odd) */
    la      t0, 1f
    jalr    a4, 1(t0)
2:  j       fail
1:  CHECK_ADDR a4, 2b

    TEST_CASE 15                /* rs1 odd and imm odd: sum is even, no clear needed */
    la      t0, 1f
    addi    t0, t0, -3
    jalr    a4, 3(t0)
2:  j       fail
1:  CHECK_ADDR a4, 2b

    TEST_CASE 16                /* rd == rs1: target from the old value */
    la      a4, 1f
    jalr    a4, 0(a4)
2:  j       fail
1:  CHECK_ADDR a4, 2b

    TEST_CASE 17                /* rd == rs1 with an offset */
    la      a4, 1f
    addi    a4, a4, -8
    jalr    a4, 8(a4)
2:  j       fail
1:  CHECK_ADDR a4, 2b

    TEST_CASE 18                /* rd = x0 (jr) */
    la      t0, 1f
    li      a4, 0x66
    jalr    x0, 0(t0)
    j       fail
1:  CHECK   a4, 0x66
    CHECK   x0, 0

    TEST_CASE 19                /* jalr backward */
    j       2f
1:  j       3f
2:  la      t0, 1b
    jalr    a4, t0
4:  j       fail
3:  CHECK_ADDR a4, 4b

/* ---------------- call / return ---------------- */
    TEST_CASE 20
    li      a4, 0
    call    add_one             /* auipc ra + jalr ra */
    call    add_one
    jal     ra, add_one
    CHECK   a4, 3

    TEST_CASE 21                /* nested calls with saved ra */
    li      a4, 0
    jal     ra, add_two
    CHECK   a4, 2

    TEST_CASE 22                /* indirect call through a table */
    la      t0, jump_table
    lw      t1, 4(t0)           /* -> add_one */
    li      a4, 10
    jalr    ra, 0(t1)
    CHECK   a4, 11

TEST_END

    .text
add_one:
    addi    a4, a4, 1
    ret                         /* jalr x0, 0(ra) */

add_two:
    mv      s0, ra
    jal     ra, add_one
    jal     ra, add_one
    jalr    x0, 0(s0)

    .data
    .align 2
jump_table:
    .word   fail
    .word   add_one
