/*
 * fence: FENCE (all pred/succ forms used by software, FENCE.TSO, the PAUSE
 * hint encoding) and FENCE.I with self-modifying code: store a new
 * instruction over existing code, execute fence.i, run the new instruction.
 * Exit code 0 = pass, N = test N failed.
 */
#include "isa_macros.h"

TEST_BEGIN

    TEST_CASE 1                 /* fences execute as no-ops for registers */
    li      a4, 0x1234
    fence
    fence   rw, rw
    fence   r, r
    fence   w, w
    fence   iorw, iorw
    fence   i, o
    fence.tso
    .word   0x0100000f          /* pause (fence w, 0): a HINT */
    CHECK   a4, 0x1234

    TEST_CASE 2                 /* memory ordering around a fence */
    la      a1, fdata
    li      a2, 0x600df00d
    sw      a2, 0(a1)
    fence   w, r
    lw      a4, 0(a1)
    CHECK   a4, 0x600df00d

    TEST_CASE 3                 /* fence.i alone is harmless */
    li      a4, 7
    fence.i
    CHECK   a4, 7

/* ---------------- self-modifying code ---------------- */
    TEST_CASE 10                /* run the original code first (warm any cache) */
    li      a4, 0
    jal     ra, smc_slot
    CHECK   a4, 1

    TEST_CASE 11                /* patch: addi a4, x0, 1 -> addi a4, x0, 2 */
    la      a1, smc_slot
    la      a2, tmpl_addi2
    lw      a3, 0(a2)
    sw      a3, 0(a1)
    fence.i
    li      a4, 0
    jal     ra, smc_slot
    CHECK   a4, 2

    TEST_CASE 12                /* patch again with a lui */
    la      a1, smc_slot
    la      a2, tmpl_lui
    lw      a3, 0(a2)
    sw      a3, 0(a1)
    fence.i
    li      a4, 0
    jal     ra, smc_slot
    CHECK   a4, 0x12345000

    TEST_CASE 13                /* patch the instruction right after fence.i */
    la      a1, 1f
    la      a2, tmpl_addi2
    lw      a3, 0(a2)
    sw      a3, 0(a1)
    fence.i
1:  addi    a4, x0, 99          /* replaced by addi a4, x0, 2 */
    CHECK   a4, 2

    TEST_CASE 14                /* patch with byte stores (sb x4) */
    la      a1, smc_slot
    la      a2, tmpl_addi3
    lbu     a3, 0(a2)
    sb      a3, 0(a1)
    lbu     a3, 1(a2)
    sb      a3, 1(a1)
    lbu     a3, 2(a2)
    sb      a3, 2(a1)
    lbu     a3, 3(a2)
    sb      a3, 3(a1)
    fence.i
    li      a4, 0
    jal     ra, smc_slot
    CHECK   a4, 3

    TEST_CASE 15                /* code written into a data buffer and called */
    la      a1, code_buf
    la      a2, tmpl_addi2
    lw      a3, 0(a2)
    sw      a3, 0(a1)           /* addi a4, x0, 2 */
    la      a2, tmpl_ret
    lw      a3, 0(a2)
    sw      a3, 4(a1)           /* ret */
    fence.i
    li      a4, 0
    jalr    ra, 0(a1)
    CHECK   a4, 2

TEST_END

    .text
    .align 2
smc_slot:
    addi    a4, x0, 1           /* patched by the tests */
    ret

/* templates (never executed in place, only copied) */
tmpl_addi2:
    addi    a4, x0, 2
tmpl_addi3:
    addi    a4, x0, 3
tmpl_lui:
    lui     a4, 0x12345
tmpl_ret:
    ret

    .data
    .align 4
fdata:
    .word   0
code_buf:
    .word   0, 0, 0, 0
