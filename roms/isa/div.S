/*
 * div: DIV DIVU REM REMU.
 * Truncating division with every sign combination, division by zero
 * (quotient = -1 / all ones, remainder = dividend), signed overflow
 * INT_MIN / -1 (quotient INT_MIN, remainder 0).
 * Exit code 0 = pass, N = test N failed.
 */
#include "isa_macros.h"

TEST_BEGIN

/* ---------------- div ---------------- */
    TEST_RR               1, div, 3,          20, 6
    TEST_RR               2, div, -3,         -20, 6
    TEST_RR               3, div, -3,         20, -6
    TEST_RR               4, div, 3,          -20, -6
    TEST_RR               5, div, 0,          0, 5
    TEST_RR               6, div, 0,          5, 7
    TEST_RR               7, div, 0,          -5, 7          /* rounds toward zero */
    TEST_RR               8, div, 0x80000000, 0x80000000, 1
    TEST_RR               9, div, 0x80000000, 0x80000000, -1 /* overflow */
    TEST_RR              10, div, 0xc0000000, 0x80000000, 2
    TEST_RR              11, div, 0x40000000, 0x80000000, -2
    TEST_RR              12, div, 0x7fffffff, 0x7fffffff, 1
    TEST_RR              13, div, 0x80000001, 0x7fffffff, -1
    TEST_RR              14, div, -1,         1, 0           /* by zero */
    TEST_RR              15, div, -1,         0, 0
    TEST_RR              16, div, -1,         -20, 0
    TEST_RR              17, div, -1,         0x80000000, 0
    TEST_RR_SRC1_EQ_DEST 18, div, 4,          29, 7
    TEST_RR_SRC2_EQ_DEST 19, div, -4,         29, -7
    TEST_RR_SRC12_EQ_DEST 20, div, 1,         -9
    TEST_RR_ZERO_DEST    21, div, 20, 6
    TEST_RR_ZERO_SRC1    22, div, 0, 7
    TEST_RR_ZERO_SRC2    23, div, -1, 7                      /* by x0 */

/* ---------------- divu ---------------- */
    TEST_RR              30, divu, 3,          20, 6
    TEST_RR              31, divu, 715827879,  -20, 6        /* 0xffffffec / 6 */
    TEST_RR              32, divu, 0,          20, -6
    TEST_RR              33, divu, 0,          -20, -6       /* 0xffffffec < 0xfffffffa */
    TEST_RR              34, divu, 1,          -6, -20
    TEST_RR              35, divu, 0x80000000, 0x80000000, 1
    TEST_RR              36, divu, 0,          0x80000000, -1
    TEST_RR              37, divu, 0x40000000, 0x80000000, 2
    TEST_RR              38, divu, 0xffffffff, 0xffffffff, 1
    TEST_RR              39, divu, 0xffffffff, 1, 0          /* by zero */
    TEST_RR              40, divu, 0xffffffff, 0, 0
    TEST_RR              41, divu, 0xffffffff, 0x80000000, 0
    TEST_RR_SRC1_EQ_DEST 42, divu, 4,          29, 7
    TEST_RR_SRC2_EQ_DEST 43, divu, 0,          29, -7
    TEST_RR_SRC12_EQ_DEST 44, divu, 1,         -9
    TEST_RR_ZERO_DEST    45, divu, 20, 6
    TEST_RR_ZERO_SRC1    46, divu, 0, 7
    TEST_RR_ZERO_SRC2    47, divu, 0xffffffff, 7

/* ---------------- rem (sign follows the dividend) ---------------- */
    TEST_RR              50, rem, 2,           20, 6
    TEST_RR              51, rem, -2,          -20, 6
    TEST_RR              52, rem, 2,           20, -6
    TEST_RR              53, rem, -2,          -20, -6
    TEST_RR              54, rem, 0,           0, 5
    TEST_RR              55, rem, 5,           5, 7
    TEST_RR              56, rem, -5,          -5, 7
    TEST_RR              57, rem, 0,           0x80000000, 1
    TEST_RR              58, rem, 0,           0x80000000, -1   /* overflow case */
    TEST_RR              59, rem, 0xffffffff,  0x80000000, 0x7fffffff
    TEST_RR              60, rem, 1,           1, 0             /* by zero */
    TEST_RR              61, rem, 0,           0, 0
    TEST_RR              62, rem, -20,         -20, 0
    TEST_RR              63, rem, 0x80000000,  0x80000000, 0
    TEST_RR_SRC1_EQ_DEST 64, rem, 1,           29, 7
    TEST_RR_SRC2_EQ_DEST 65, rem, -1,          -29, 7
    TEST_RR_SRC12_EQ_DEST 66, rem, 0,          -9
    TEST_RR_ZERO_DEST    67, rem, 20, 6
    TEST_RR_ZERO_SRC1    68, rem, 0, 7
    TEST_RR_ZERO_SRC2    69, rem, -7, -7                        /* by x0 */

/* ---------------- remu ---------------- */
    TEST_RR              70, remu, 2,          20, 6
    TEST_RR              71, remu, 2,          -20, 6           /* 0xffffffec % 6 */
    TEST_RR              72, remu, 20,         20, -6
    TEST_RR              73, remu, 0xffffffec, -20, -6
    TEST_RR              74, remu, 14,         -6, -20          /* 0xfffffffa - 0xffffffec */
    TEST_RR              75, remu, 0,          0x80000000, 1
    TEST_RR              76, remu, 0x80000000, 0x80000000, -1
    TEST_RR              77, remu, 0,          0x80000000, 2
    TEST_RR              78, remu, 1,          0xffffffff, 2
    TEST_RR              79, remu, 1,          1, 0             /* by zero */
    TEST_RR              80, remu, 0,          0, 0
    TEST_RR              81, remu, 0xffffffec, -20, 0
    TEST_RR_SRC1_EQ_DEST 82, remu, 1,          29, 7
    TEST_RR_SRC2_EQ_DEST 83, remu, 29,         29, -7
    TEST_RR_SRC12_EQ_DEST 84, remu, 0,         -9
    TEST_RR_ZERO_DEST    85, remu, 20, 6
    TEST_RR_ZERO_SRC1    86, remu, 0, 7
    TEST_RR_ZERO_SRC2    87, remu, 0xfffffff9, -7

/* ---------------- quotient * divisor + remainder == dividend -------- */
    TEST_CASE 90
    li      a1, -1234567
    li      a2, 89
    div     a3, a1, a2
    rem     a4, a1, a2
    mul     a3, a3, a2
    add     a3, a3, a4
    CHECK_REG a3, a1

TEST_END
