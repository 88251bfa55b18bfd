/*
 * store: sb sh sw, read back with loads of every width.
 * Checks that narrow stores only change their own bytes, truncation of the
 * stored register, little-endian layout, negative/extreme offsets,
 * storing x0, and base register == source register.
 * The scratch area sd0..sd28 starts filled with 0xdeadbeef.
 * Exit code 0 = pass, N = test N failed.
 */
#include "isa_macros.h"

TEST_BEGIN

/* ---------------- sw ---------------- */
    TEST_STORE  1, sw, lw,  0xaa00aa00, 0xaa00aa00, sd0, 0, 0
    TEST_STORE  2, sw, lw,  0x00aa00aa, 0x00aa00aa, sd0, 0, 4
    TEST_STORE  3, sw, lw,  0x0aa00aa0, 0x0aa00aa0, sd8, 0, -4
    TEST_STORE  4, sw, lw,  0xa00aa00a, 0xa00aa00a, sd0, -2044, 2044
    TEST_STORE  5, sw, lw,  0x12345678, 0x12345678, sd8, 2048, -2048
    TEST_CASE 6                 /* words written by 1..5 */
    la      a1, sd0
    lw      a4, 0(a1)
    CHECK   a4, 0xa00aa00a      /* test 4 overwrote sd0 (test 1) */
    lw      a4, 4(a1)
    CHECK   a4, 0x0aa00aa0      /* test 3 overwrote sd4 (test 2) */
    lw      a4, 8(a1)
    CHECK   a4, 0x12345678
    lw      a4, 12(a1)
    CHECK   a4, 0xdeadbeef      /* untouched */

    TEST_CASE 7                 /* little-endian layout of a word */
    la      a1, sd16
    li      a2, 0x11223344
    sw      a2, 0(a1)
    lbu     a4, 0(a1)
    CHECK   a4, 0x44
    lbu     a4, 1(a1)
    CHECK   a4, 0x33
    lbu     a4, 2(a1)
    CHECK   a4, 0x22
    lbu     a4, 3(a1)
    CHECK   a4, 0x11
    lhu     a4, 2(a1)
    CHECK   a4, 0x1122
    lhu     a4, 0(a1)
    CHECK   a4, 0x3344

/* ---------------- sb ---------------- */
    TEST_STORE 10, sb, lbu, 0x000000aa, 0xffffffaa, sd12, 0, 0
    TEST_STORE 11, sb, lb,  0xffffffaa, 0x000000aa, sd12, 0, 1
    TEST_STORE 12, sb, lbu, 0x00000078, 0x12345678, sd12, 0, 2   /* truncation */
    TEST_STORE 13, sb, lb,  0x00000000, 0x00000000, sd12, 0, 3
    TEST_CASE 14                /* the four bytes assembled */
    la      a1, sd12
    lw      a4, 0(a1)
    CHECK   a4, 0x0078aaaa
    TEST_STORE 15, sb, lbu, 0x000000a5, 0x000000a5, sd20, -2047, 2047
    TEST_STORE 16, sb, lbu, 0x0000005a, 0x0000005a, sd20, 2048+1, -2048
    TEST_CASE 17                /* only bytes 0 and 1 of sd20 changed */
    la      a1, sd20
    lw      a4, 0(a1)
    CHECK   a4, 0xdead5aa5
    lw      a4, 4(a1)
    CHECK   a4, 0xdeadbeef

/* ---------------- sh ---------------- */
    TEST_STORE 20, sh, lhu, 0x0000aa55, 0x0000aa55, sd24, 0, 0
    TEST_STORE 21, sh, lh,  0xffffabcd, 0x1234abcd, sd24, 0, 2   /* truncation */
    TEST_CASE 22
    la      a1, sd24
    lw      a4, 0(a1)
    CHECK   a4, 0xabcdaa55
    lw      a4, 4(a1)
    CHECK   a4, 0xdeadbeef      /* neighbour untouched */
    lw      a4, -4(a1)
    CHECK   a4, 0xdead5aa5      /* sd20 as left by tests 15/16 */
    TEST_STORE 23, sh, lhu, 0x00007ff0, 0x00007ff0, sd28, -2046, 2046
    TEST_STORE 24, sh, lh,  0xffff8001, 0x00008001, sd28, 2048+2, -2048
    TEST_CASE 25
    la      a1, sd28
    lw      a4, 0(a1)
    CHECK   a4, 0x80017ff0

/* ---------------- register corner cases ---------------- */
    TEST_CASE 30                /* store x0 */
    la      a1, sd4
    sw      x0, 0(a1)
    lw      a4, 0(a1)
    CHECK   a4, 0
    li      a2, -1
    sw      a2, 0(a1)
    sb      x0, 1(a1)
    sh      x0, 2(a1)
    lw      a4, 0(a1)
    CHECK   a4, 0x000000ff

    TEST_CASE 31                /* base register is also the data register */
    la      a1, sd16
    sw      a1, 0(a1)
    lw      a4, 0(a1)
    CHECK_REG a4, a1

    TEST_CASE 32                /* store then load with a different base */
    la      a1, sd0
    addi    a2, a1, 32
    li      a3, 0x5555aaaa
    sw      a3, 4(a1)
    lw      a4, -28(a2)
    CHECK   a4, 0x5555aaaa

TEST_END

    .data
    .align 4
sd0:    .word 0xdeadbeef
sd4:    .word 0xdeadbeef
sd8:    .word 0xdeadbeef
sd12:   .word 0xdeadbeef
sd16:   .word 0xdeadbeef
sd20:   .word 0xdeadbeef
sd24:   .word 0xdeadbeef
sd28:   .word 0xdeadbeef
sd32:   .word 0xdeadbeef
