/*
 * load: lb lh lw lbu lhu.
 * Sign vs zero extension, every byte/halfword position, little-endian byte
 * order, negative and extreme (+2047/-2048) offsets, rd == rs1, rd = x0.
 * Exit code 0 = pass, N = test N failed.
 *
 * Data (little endian):
 *   ld0:  .word 0x80f17f02   bytes 02 7f f1 80
 *   ld4:  .word 0xff00807f   bytes 7f 80 00 ff
 *   ld8:  .word 0x12345678   bytes 78 56 34 12
 *   ld12: .word 0xdeadbeef   bytes ef be ad de
 */
#include "isa_macros.h"

TEST_BEGIN

/* ---------------- lb ---------------- */
    TEST_LOAD   1, lb,  0x00000002, ld0, 0, 0
    TEST_LOAD   2, lb,  0x0000007f, ld0, 0, 1
    TEST_LOAD   3, lb,  0xfffffff1, ld0, 0, 2
    TEST_LOAD   4, lb,  0xffffff80, ld0, 0, 3
    TEST_LOAD   5, lb,  0xffffffff, ld8, 0, -1      /* ld4+3 = 0xff */
    TEST_LOAD   6, lb,  0x00000000, ld8, 0, -2      /* ld4+2 = 0x00 */
    TEST_LOAD   7, lb,  0xffffff80, ld8, 0, -3      /* ld4+1 = 0x80 */
    TEST_LOAD   8, lb,  0x0000007f, ld8, 0, -4      /* ld4+0 = 0x7f */
    TEST_LOAD   9, lb,  0xffffff80, ld0, 3-2047, 2047
    TEST_LOAD  10, lb,  0xfffffff1, ld0, 2+2048, -2048
    TEST_LOAD  11, lb,  0xffffffde, ld12, 0, 3

/* ---------------- lbu ---------------- */
    TEST_LOAD  20, lbu, 0x00000002, ld0, 0, 0
    TEST_LOAD  21, lbu, 0x0000007f, ld0, 0, 1
    TEST_LOAD  22, lbu, 0x000000f1, ld0, 0, 2
    TEST_LOAD  23, lbu, 0x00000080, ld0, 0, 3
    TEST_LOAD  24, lbu, 0x000000ff, ld8, 0, -1
    TEST_LOAD  25, lbu, 0x00000000, ld8, 0, -2
    TEST_LOAD  26, lbu, 0x00000080, ld0, 3-2047, 2047
    TEST_LOAD  27, lbu, 0x000000f1, ld0, 2+2048, -2048
    TEST_LOAD  28, lbu, 0x000000de, ld12, 0, 3

/* ---------------- lh ---------------- */
    TEST_LOAD  30, lh,  0x00007f02, ld0, 0, 0
    TEST_LOAD  31, lh,  0xffff80f1, ld0, 0, 2
    TEST_LOAD  32, lh,  0xffff807f, ld4, 0, 0
    TEST_LOAD  33, lh,  0xffffff00, ld4, 0, 2
    TEST_LOAD  34, lh,  0x00001234, ld12, 0, -2
    TEST_LOAD  35, lh,  0x00005678, ld12, 0, -4
    TEST_LOAD  36, lh,  0xffffdead, ld12, 0, 2
    TEST_LOAD  37, lh,  0xffffbeef, ld12, 0, 0
    TEST_LOAD  38, lh,  0xffff80f1, ld0, 2-2046, 2046
    TEST_LOAD  39, lh,  0x00001234, ld8, 2+2048, -2048

/* ---------------- lhu ---------------- */
    TEST_LOAD  40, lhu, 0x00007f02, ld0, 0, 0
    TEST_LOAD  41, lhu, 0x000080f1, ld0, 0, 2
    TEST_LOAD  42, lhu, 0x0000807f, ld4, 0, 0
    TEST_LOAD  43, lhu, 0x0000ff00, ld4, 0, 2
    TEST_LOAD  44, lhu, 0x00001234, ld12, 0, -2
    TEST_LOAD  45, lhu, 0x0000dead, ld12, 0, 2
    TEST_LOAD  46, lhu, 0x0000beef, ld12, 0, 0
    TEST_LOAD  47, lhu, 0x000080f1, ld0, 2-2046, 2046
    TEST_LOAD  48, lhu, 0x0000beef, ld12, 2048, -2048

/* ---------------- lw ---------------- */
    TEST_LOAD  50, lw,  0x80f17f02, ld0, 0, 0
    TEST_LOAD  51, lw,  0xff00807f, ld0, 0, 4
    TEST_LOAD  52, lw,  0x12345678, ld0, 0, 8
    TEST_LOAD  53, lw,  0xdeadbeef, ld0, 0, 12
    TEST_LOAD  54, lw,  0xdeadbeef, ld_end, 0, -4
    TEST_LOAD  55, lw,  0x80f17f02, ld_end, 0, -16
    TEST_LOAD  56, lw,  0xff00807f, ld4, -2044, 2044
    TEST_LOAD  57, lw,  0x12345678, ld8, 2048, -2048

/* ---------------- register corner cases ---------------- */
    TEST_CASE 60                /* rd == rs1 */
    la      a1, ld8
    lw      a1, 0(a1)
    CHECK   a1, 0x12345678

    TEST_CASE 61                /* rd = x0: value discarded, no trap */
    la      a1, ld8
    lw      x0, 0(a1)
    lb      x0, 1(a1)
    lhu     x0, 2(a1)
    CHECK   x0, 0

    TEST_CASE 62                /* use of a loaded value right away */
    la      a1, ld0
    lw      a2, 8(a1)
    addi    a4, a2, 1
    lbu     a3, 0(a1)
    add     a4, a4, a3
    CHECK   a4, 0x1234567b

    TEST_CASE 63                /* pointer chasing: load an address, then load through it */
    la      a1, ld12
    la      a2, ptr_cell
    lw      a3, 0(a2)
    lw      a4, 0(a3)
    CHECK   a4, 0xdeadbeef

TEST_END

    .data
    .align 4
ld0:    .word 0x80f17f02
ld4:    .word 0xff00807f
ld8:    .word 0x12345678
ld12:   .word 0xdeadbeef
ld_end:
ptr_cell:
    .word ld12
