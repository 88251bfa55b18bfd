/*
 * mul: MUL MULH MULHSU MULHU.
 * Low/high halves of the 64-bit product for signed x signed, signed x
 * unsigned (rs1 signed, rs2 unsigned) and unsigned x unsigned operands,
 * with INT_MIN, -1, 0x7fffffff and mixed-sign edge cases.
 * Exit code 0 = pass, N = test N failed.
 */
#include "isa_macros.h"

TEST_BEGIN

/* ---------------- mul (low 32 bits, same for any signedness) -------- */
    TEST_RR               1, mul, 0x00000000, 0x00000000, 0x00000000
    TEST_RR               2, mul, 0x00000001, 0x00000001, 0x00000001
    TEST_RR               3, mul, 0x00000015, 0x00000003, 0x00000007
    TEST_RR               4, mul, 0x00000000, 0x00000000, 0xffff8000
    TEST_RR               5, mul, 0x00000000, 0x80000000, 0x00000000
    TEST_RR               6, mul, 0x00000000, 0x80000000, 0xffff8000
    TEST_RR               7, mul, 0x00000001, 0xffffffff, 0xffffffff
    TEST_RR               8, mul, 0xffffffff, 0xffffffff, 0x00000001
    TEST_RR               9, mul, 0xfffffffe, 0x7fffffff, 0x00000002
    TEST_RR              10, mul, 0x00000000, 0x80000000, 0x80000000
    TEST_RR              11, mul, 0x80000000, 0x80000000, 0xffffffff
    TEST_RR              12, mul, 0x242d2080, 0x12345678, 0x9abcdef0
    TEST_RR              13, mul, 0x0000ff7f, 0xaaaaaaab, 0x0002fe7d
    TEST_RR              14, mul, 0xffffffeb, 0xfffffff9, 0x00000003
    TEST_RR_SRC1_EQ_DEST 15, mul, 143, 13, 11
    TEST_RR_SRC2_EQ_DEST 16, mul, 154, 14, 11
    TEST_RR_SRC12_EQ_DEST 17, mul, 169, 13
    TEST_RR_ZERO_DEST    18, mul, 11, 22
    TEST_RR_ZERO_SRC1    19, mul, 0, 31
    TEST_RR_ZERO_SRC2    20, mul, 0, 32

/* ---------------- mulh (signed x signed, high) ---------------- */
    TEST_RR              30, mulh, 0x00000000, 0x00000000, 0x00000000
    TEST_RR              31, mulh, 0x00000000, 0x00000001, 0x00000001
    TEST_RR              32, mulh, 0x00000000, 0x00000003, 0x00000007
    TEST_RR              33, mulh, 0x00000000, 0xffffffff, 0xffffffff  /* -1*-1 = 1 */
    TEST_RR              34, mulh, 0xffffffff, 0xffffffff, 0x00000001  /* -1 */
    TEST_RR              35, mulh, 0x40000000, 0x80000000, 0x80000000  /* 2^62 */
    TEST_RR              36, mulh, 0xc0000000, 0x80000000, 0x7fffffff
    TEST_RR              37, mulh, 0x3fffffff, 0x7fffffff, 0x7fffffff
    TEST_RR              38, mulh, 0x00000000, 0x80000000, 0xffffffff  /* +2^31 */
    TEST_RR              39, mulh, 0xffffffff, 0x80000000, 0x00000001  /* -2^31 */
    TEST_RR              40, mulh, 0xffff8000, 0x80000000, 0x00010000  /* -2^47 */
    TEST_RR              41, mulh, 0xf8cc93d6, 0x12345678, 0x9abcdef0
    TEST_RR              42, mulh, 0xffff0081, 0xaaaaaaab, 0x0002fe7d
    TEST_RR              43, mulh, 0xffffffff, 0xfffffff9, 0x00000003  /* -21 */
    TEST_RR_SRC1_EQ_DEST 44, mulh, 0x00000000, 13, 11
    TEST_RR_SRC12_EQ_DEST 45, mulh, 0x40000000, 0x80000000
    TEST_RR_ZERO_DEST    46, mulh, 0x80000000, 0x80000000
    TEST_RR_ZERO_SRC1    47, mulh, 0, 0x80000000
    TEST_RR_ZERO_SRC2    48, mulh, 0, 0xffffffff

/* ---------------- mulhsu (rs1 signed x rs2 unsigned, high) ---------- */
    TEST_RR              50, mulhsu, 0x00000000, 0x00000000, 0x00000000
    TEST_RR              51, mulhsu, 0x00000000, 0x00000001, 0x00000001
    TEST_RR              52, mulhsu, 0xffffffff, 0xffffffff, 0xffffffff  /* -1 * (2^32-1) */
    TEST_RR              53, mulhsu, 0x00000000, 0x00000001, 0xffffffff
    TEST_RR              54, mulhsu, 0x80000000, 0x80000000, 0xffffffff
    TEST_RR              55, mulhsu, 0x7ffffffe, 0x7fffffff, 0xffffffff
    TEST_RR              56, mulhsu, 0xc0000000, 0x80000000, 0x80000000  /* -2^62 */
    TEST_RR              57, mulhsu, 0xffffffff, 0xffffffff, 0x00000001
    TEST_RR              58, mulhsu, 0xffffffff, 0xfffffffe, 0x80000000  /* -2^32 */
    TEST_RR              59, mulhsu, 0x0b00ea4e, 0x12345678, 0x9abcdef0
    TEST_RR              60, mulhsu, 0xf8cc93d6, 0x9abcdef0, 0x12345678
    TEST_RR              61, mulhsu, 0xffff0081, 0xaaaaaaab, 0x0002fe7d
    TEST_RR              62, mulhsu, 0xffffffff, 0xfffffff9, 0x00000003
    TEST_RR              63, mulhsu, 0x3fffffff, 0x7fffffff, 0x80000000
    TEST_RR_SRC1_EQ_DEST 64, mulhsu, 0xffffffff, 0xffffffff, 0x00000005
    TEST_RR_SRC12_EQ_DEST 65, mulhsu, 0xffffffff, 0xffffffff            /* -1*(2^32-1) */
    TEST_RR_ZERO_DEST    66, mulhsu, 0x80000000, 0xffffffff
    TEST_RR_ZERO_SRC1    67, mulhsu, 0, 0xffffffff
    TEST_RR_ZERO_SRC2    68, mulhsu, 0, 0xffffffff

/* ---------------- mulhu (unsigned x unsigned, high) ---------------- */
    TEST_RR              70, mulhu, 0x00000000, 0x00000000, 0x00000000
    TEST_RR              71, mulhu, 0x00000000, 0x00000001, 0x00000001
    TEST_RR              72, mulhu, 0xfffffffe, 0xffffffff, 0xffffffff
    TEST_RR              73, mulhu, 0x40000000, 0x80000000, 0x80000000
    TEST_RR              74, mulhu, 0x00000000, 0xffffffff, 0x00000001
    TEST_RR              75, mulhu, 0x00000001, 0xffffffff, 0x00000002
    TEST_RR              76, mulhu, 0x7fffffff, 0x80000000, 0xffffffff
    TEST_RR              77, mulhu, 0x0b00ea4e, 0x12345678, 0x9abcdef0
    TEST_RR              78, mulhu, 0x0001fefe, 0xaaaaaaab, 0x0002fe7d
    TEST_RR              79, mulhu, 0x00000002, 0xfffffff9, 0x00000003
    TEST_RR_SRC1_EQ_DEST 80, mulhu, 0xfffffffe, 0xffffffff, 0xffffffff
    TEST_RR_SRC2_EQ_DEST 81, mulhu, 0x00000001, 0xffffffff, 0x00000002
    TEST_RR_SRC12_EQ_DEST 82, mulhu, 0xfffffffe, 0xffffffff
    TEST_RR_ZERO_DEST    83, mulhu, 0xffffffff, 0xffffffff
    TEST_RR_ZERO_SRC1    84, mulhu, 0, 0xffffffff
    TEST_RR_ZERO_SRC2    85, mulhu, 0, 0xffffffff

/* ---------------- full 64-bit product recombination ---------------- */
    TEST_CASE 90                /* (-3) * 5 as 64-bit signed: hi:lo = -1:-15 */
    li      a1, -3
    li      a2, 5
    mulh    a3, a1, a2
    mul     a4, a1, a2
    CHECK   a3, 0xffffffff
    CHECK   a4, 0xfffffff1

TEST_END
