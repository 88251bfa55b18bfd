/*
 * lui_auipc: LUI and AUIPC.
 * Expected addresses for AUIPC are built with absolute lui/addi (%hi/%lo),
 * which does not depend on AUIPC itself.
 * Exit code 0 = pass, N = test N failed.
 */
#include "isa_macros.h"

TEST_BEGIN

/* ---------------- lui ---------------- */
    TEST_CASE 1
    lui     a4, 0
    CHECK   a4, 0

    TEST_CASE 2
    lui     a4, 0xfffff
    CHECK   a4, 0xfffff000

    TEST_CASE 3
    lui     a4, 0x7ffff
    CHECK   a4, 0x7ffff000

    TEST_CASE 4
    lui     a4, 0x80000
    CHECK   a4, 0x80000000

    TEST_CASE 5                 /* low 12 bits are cleared, not kept */
    li      a4, -1
    lui     a4, 0x00001
    CHECK   a4, 0x00001000

    TEST_CASE 6                 /* sign bit: arithmetic shift sees it */
    lui     a4, 0x80000
    srai    a4, a4, 12
    CHECK   a4, 0xfff80000

    TEST_CASE 7
    lui     a4, 0x12345
    addi    a4, a4, 0x678
    CHECK   a4, 0x12345678

    TEST_CASE 8                 /* lui + negative addi */
    lui     a4, 0x12346
    addi    a4, a4, -0x800
    CHECK   a4, 0x12345800

    TEST_CASE 9
    lui     x0, 0x80000
    CHECK   x0, 0

/* ---------------- auipc ---------------- */
    TEST_CASE 20
10: auipc   a4, 0
    CHECK_ADDR a4, 10b

    TEST_CASE 21
11: auipc   a4, 1
    lui     t4, %hi(11b)
    addi    t4, t4, %lo(11b)
    li      t3, 0x1000
    add     t4, t4, t3
    CHECK_REG a4, t4

    TEST_CASE 22
12: auipc   a4, 0xfffff         /* pc - 0x1000 */
    lui     t4, %hi(12b)
    addi    t4, t4, %lo(12b)
    li      t3, 0x1000
    sub     t4, t4, t3
    CHECK_REG a4, t4

    TEST_CASE 23
13: auipc   a4, 0x80000         /* pc + 0x80000000, wraps */
    lui     t4, %hi(13b)
    addi    t4, t4, %lo(13b)
    li      t3, 0x80000000
    add     t4, t4, t3
    CHECK_REG a4, t4

    TEST_CASE 24                /* auipc in the middle of a sequence */
    nop
    nop
14: auipc   a4, 0x12345
    lui     t4, %hi(14b)
    addi    t4, t4, %lo(14b)
    li      t3, 0x12345000
    add     t4, t4, t3
    CHECK_REG a4, t4

    TEST_CASE 25
    auipc   x0, 0x1
    CHECK   x0, 0

    TEST_CASE 26                /* pc-relative data access via auipc/lw */
15: auipc   a1, %pcrel_hi(auipc_data)
    lw      a4, %pcrel_lo(15b)(a1)
    CHECK   a4, 0xcafef00d

    TEST_CASE 27                /* auipc + jalr computed jump */
16: auipc   a1, %pcrel_hi(17f)
    jalr    x0, %pcrel_lo(16b)(a1)
    j       fail
17: nop

TEST_END

    .data
    .align 2
auipc_data:
    .word 0xcafef00d
