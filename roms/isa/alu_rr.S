/*
 * alu_rr: register-register ALU instructions
 *   add sub sll slt sltu xor srl sra or and
 * Covers signed overflow, shift amounts taken from the low 5 bits of rs2
 * (including values > 31), x0 as source and destination, rd == rs1/rs2.
 * Exit code 0 = pass, N = test N failed.
 */
#include "isa_macros.h"

TEST_BEGIN

/* ---------------- add ---------------- */
    TEST_RR               1, add, 0x00000000, 0x00000000, 0x00000000
    TEST_RR               2, add, 0x00000002, 0x00000001, 0x00000001
    TEST_RR               3, add, 0x0000000a, 0x00000003, 0x00000007
    TEST_RR               4, add, 0xffff8000, 0x00000000, 0xffff8000
    TEST_RR               5, add, 0x80000000, 0x80000000, 0x00000000
    TEST_RR               6, add, 0x7fff8000, 0x80000000, 0xffff8000
    TEST_RR               7, add, 0x80000000, 0x7fffffff, 0x00000001
    TEST_RR               8, add, 0x00000000, 0xffffffff, 0x00000001
    TEST_RR               9, add, 0xfffffffe, 0xffffffff, 0xffffffff
    TEST_RR_SRC1_EQ_DEST 10, add, 24, 13, 11
    TEST_RR_SRC2_EQ_DEST 11, add, 25, 14, 11
    TEST_RR_SRC12_EQ_DEST 12, add, 26, 13
    TEST_RR_ZERO_DEST    13, add, 11, 22
    TEST_RR_ZERO_SRC1    14, add, 15, 15
    TEST_RR_ZERO_SRC2    15, add, 32, 32
    TEST_RR_ZERO_SRC12   16, add, 0

/* ---------------- sub ---------------- */
    TEST_RR              20, sub, 0x00000000, 0x00000000, 0x00000000
    TEST_RR              21, sub, 0x00000000, 0x00000001, 0x00000001
    TEST_RR              22, sub, 0xfffffffc, 0x00000003, 0x00000007
    TEST_RR              23, sub, 0x00008000, 0x00000000, 0xffff8000
    TEST_RR              24, sub, 0x80000000, 0x80000000, 0x00000000
    TEST_RR              25, sub, 0x7fffffff, 0x80000000, 0x00000001
    TEST_RR              26, sub, 0x80000000, 0x7fffffff, 0xffffffff
    TEST_RR              27, sub, 0xffffffff, 0x00000000, 0x00000001
    TEST_RR_SRC1_EQ_DEST 28, sub, 2, 13, 11
    TEST_RR_SRC2_EQ_DEST 29, sub, 3, 14, 11
    TEST_RR_SRC12_EQ_DEST 30, sub, 0, 13
    TEST_RR_ZERO_DEST    31, sub, 11, 22
    TEST_RR_ZERO_SRC1    32, sub, 0xffffffde, 34
    TEST_RR_ZERO_SRC2    33, sub, 32, 32

/* ---------------- sll ---------------- */
    TEST_RR              40, sll, 0x00000001, 0x00000001, 0
    TEST_RR              41, sll, 0x00000002, 0x00000001, 1
    TEST_RR              42, sll, 0x00000080, 0x00000001, 7
    TEST_RR              43, sll, 0x80000000, 0x00000001, 31
    TEST_RR              44, sll, 0xffffc000, 0xffffffff, 14
    TEST_RR              45, sll, 0x21212121, 0x21212121, 0
    TEST_RR              46, sll, 0x42424242, 0x21212121, 1
    TEST_RR              47, sll, 0x90909080, 0x21212121, 7
    TEST_RR              48, sll, 0x80000000, 0x21212121, 31
    /* only the low 5 bits of rs2 count */
    TEST_RR              49, sll, 0x21212121, 0x21212121, 0xffffffc0
    TEST_RR              50, sll, 0x42424242, 0x21212121, 0xffffffc1
    TEST_RR              51, sll, 0x90909080, 0x21212121, 0xffffffe7
    TEST_RR              52, sll, 0x80000000, 0x21212121, 0xffffffdf
    TEST_RR              53, sll, 0x21212121, 0x21212121, 32
    TEST_RR              54, sll, 0x42424242, 0x21212121, 33
    TEST_RR_SRC1_EQ_DEST 55, sll, 0x00000080, 0x00000001, 7
    TEST_RR_SRC2_EQ_DEST 56, sll, 0x00004000, 0x00000001, 14
    TEST_RR_SRC12_EQ_DEST 57, sll, 24, 3
    TEST_RR_ZERO_DEST    58, sll, 1, 3
    TEST_RR_ZERO_SRC1    59, sll, 0, 15
    TEST_RR_ZERO_SRC2    60, sll, 0x12345678, 0x12345678

/* ---------------- slt ---------------- */
    TEST_RR              65, slt, 0, 0x00000000, 0x00000000
    TEST_RR              66, slt, 1, 0x00000000, 0x00000001
    TEST_RR              67, slt, 1, 0x00000003, 0x00000007
    TEST_RR              68, slt, 0, 0x00000007, 0x00000003
    TEST_RR              69, slt, 0, 0x00000000, 0xffff8000
    TEST_RR              70, slt, 1, 0x80000000, 0x00000000
    TEST_RR              71, slt, 1, 0x80000000, 0x7fffffff
    TEST_RR              72, slt, 0, 0x7fffffff, 0x80000000
    TEST_RR              73, slt, 1, 0xffffffff, 0x00000001
    TEST_RR              74, slt, 0, 0x00000001, 0xffffffff
    TEST_RR              75, slt, 0, 0xffffffff, 0xffffffff
    TEST_RR_SRC1_EQ_DEST 76, slt, 1, 0xfffffff0, 0x0000000f
    TEST_RR_SRC2_EQ_DEST 77, slt, 0, 0x0000000f, 0xfffffff0
    TEST_RR_SRC12_EQ_DEST 78, slt, 0, 0x80000000
    TEST_RR_ZERO_DEST    79, slt, 1, 2
    TEST_RR_ZERO_SRC1    80, slt, 0, 0xffffffff
    TEST_RR_ZERO_SRC2    81, slt, 1, 0xffffffff

/* ---------------- sltu ---------------- */
    TEST_RR              85, sltu, 0, 0x00000000, 0x00000000
    TEST_RR              86, sltu, 1, 0x00000000, 0x00000001
    TEST_RR              87, sltu, 0, 0xffffffff, 0x00000001
    TEST_RR              88, sltu, 1, 0x00000001, 0xffffffff
    TEST_RR              89, sltu, 1, 0x7fffffff, 0x80000000
    TEST_RR              90, sltu, 0, 0x80000000, 0x7fffffff
    TEST_RR              91, sltu, 0, 0xffff8000, 0xffff8000
    TEST_RR              92, sltu, 1, 0xfffffffe, 0xffffffff
    TEST_RR_SRC1_EQ_DEST 93, sltu, 0, 0xfffffff0, 0x0000000f
    TEST_RR_SRC2_EQ_DEST 94, sltu, 1, 0x0000000f, 0xfffffff0
    TEST_RR_SRC12_EQ_DEST 95, sltu, 0, 0x80000000
    TEST_RR_ZERO_DEST    96, sltu, 1, 2
    TEST_RR_ZERO_SRC1    97, sltu, 1, 5
    TEST_RR_ZERO_SRC2    98, sltu, 0, 0xffffffff
    TEST_RR_ZERO_SRC1    99, sltu, 0, 0

/* ---------------- xor ---------------- */
    TEST_RR             100, xor, 0xf00ff00f, 0xff00ff00, 0x0f0f0f0f
    TEST_RR             101, xor, 0xff00ff00, 0x0ff00ff0, 0xf0f0f0f0
    TEST_RR             102, xor, 0x0ff00ff0, 0x00ff00ff, 0x0f0f0f0f
    TEST_RR             103, xor, 0x00ff00ff, 0xf00ff00f, 0xf0f0f0f0
    TEST_RR_SRC1_EQ_DEST 104, xor, 0xf00ff00f, 0xff00ff00, 0x0f0f0f0f
    TEST_RR_SRC2_EQ_DEST 105, xor, 0xff00ff00, 0x0ff00ff0, 0xf0f0f0f0
    TEST_RR_SRC12_EQ_DEST 106, xor, 0, 0xff00ff00
    TEST_RR_ZERO_DEST   107, xor, 0x11111111, 0x22222222
    TEST_RR_ZERO_SRC1   108, xor, 0x00ff00ff, 0x00ff00ff
    TEST_RR_ZERO_SRC2   109, xor, 0xff00ff00, 0xff00ff00

/* ---------------- srl ---------------- */
    TEST_RR             110, srl, 0x80000000, 0x80000000, 0
    TEST_RR             111, srl, 0x40000000, 0x80000000, 1
    TEST_RR             112, srl, 0x01000000, 0x80000000, 7
    TEST_RR             113, srl, 0x00020000, 0x80000000, 14
    TEST_RR             114, srl, 0x00000001, 0x80000000, 31
    TEST_RR             115, srl, 0x7fffffff, 0xffffffff, 1
    TEST_RR             116, srl, 0x00424242, 0x21212121, 7
    TEST_RR             117, srl, 0x40000000, 0x80000000, 0xffffffc1
    TEST_RR             118, srl, 0x00000001, 0x80000000, 0xffffffff
    TEST_RR             119, srl, 0x80000000, 0x80000000, 32
    TEST_RR             120, srl, 0x00020000, 0x80000000, 0xffffffee
    TEST_RR_SRC1_EQ_DEST 121, srl, 0x01000000, 0x80000000, 7
    TEST_RR_SRC2_EQ_DEST 122, srl, 0x00020000, 0x80000000, 14
    TEST_RR_SRC12_EQ_DEST 123, srl, 0, 7
    TEST_RR_ZERO_DEST   124, srl, 0x80000000, 3
    TEST_RR_ZERO_SRC1   125, srl, 0, 15
    TEST_RR_ZERO_SRC2   126, srl, 0x87654321, 0x87654321

/* ---------------- sra ---------------- */
    TEST_RR             130, sra, 0x80000000, 0x80000000, 0
    TEST_RR             131, sra, 0xc0000000, 0x80000000, 1
    TEST_RR             132, sra, 0xff000000, 0x80000000, 7
    TEST_RR             133, sra, 0xfffe0000, 0x80000000, 14
    TEST_RR             134, sra, 0xffffffff, 0x80000000, 31
    TEST_RR             135, sra, 0x3fffffff, 0x7fffffff, 1
    TEST_RR             136, sra, 0x00000000, 0x7fffffff, 31
    TEST_RR             137, sra, 0xc0c0c0c0, 0x81818181, 1
    TEST_RR             138, sra, 0xff030303, 0x81818181, 7
    TEST_RR             139, sra, 0xff030303, 0x81818181, 0xffffffe7
    TEST_RR             140, sra, 0xffffffff, 0x81818181, 0xffffffff
    TEST_RR             141, sra, 0x81818181, 0x81818181, 32
    TEST_RR             142, sra, 0x00ffffff, 0x7fffffff, 0x00000027
    TEST_RR_SRC1_EQ_DEST 143, sra, 0xff000000, 0x80000000, 7
    TEST_RR_SRC2_EQ_DEST 144, sra, 0xfffe0000, 0x80000000, 14
    TEST_RR_SRC12_EQ_DEST 145, sra, 0, 7
    TEST_RR_ZERO_DEST   146, sra, 0x80000000, 3
    TEST_RR_ZERO_SRC1   147, sra, 0, 15
    TEST_RR_ZERO_SRC2   148, sra, 0x87654321, 0x87654321

/* ---------------- or ---------------- */
    TEST_RR             150, or, 0xff0fff0f, 0xff00ff00, 0x0f0f0f0f
    TEST_RR             151, or, 0xfff0fff0, 0x0ff00ff0, 0xf0f0f0f0
    TEST_RR             152, or, 0x0fff0fff, 0x00ff00ff, 0x0f0f0f0f
    TEST_RR             153, or, 0xf0fff0ff, 0xf00ff00f, 0xf0f0f0f0
    TEST_RR_SRC1_EQ_DEST 154, or, 0xff0fff0f, 0xff00ff00, 0x0f0f0f0f
    TEST_RR_SRC2_EQ_DEST 155, or, 0xfff0fff0, 0x0ff00ff0, 0xf0f0f0f0
    TEST_RR_SRC12_EQ_DEST 156, or, 0xff00ff00, 0xff00ff00
    TEST_RR_ZERO_DEST   157, or, 0x11111111, 0x22222222
    TEST_RR_ZERO_SRC1   158, or, 0x00ff00ff, 0x00ff00ff
    TEST_RR_ZERO_SRC2   159, or, 0xff00ff00, 0xff00ff00

/* ---------------- and ---------------- */
    TEST_RR             160, and, 0x0f000f00, 0xff00ff00, 0x0f0f0f0f
    TEST_RR             161, and, 0x00f000f0, 0x0ff00ff0, 0xf0f0f0f0
    TEST_RR             162, and, 0x000f000f, 0x00ff00ff, 0x0f0f0f0f
    TEST_RR             163, and, 0xf000f000, 0xf00ff00f, 0xf0f0f0f0
    TEST_RR_SRC1_EQ_DEST 164, and, 0x0f000f00, 0xff00ff00, 0x0f0f0f0f
    TEST_RR_SRC2_EQ_DEST 165, and, 0x00f000f0, 0x0ff00ff0, 0xf0f0f0f0
    TEST_RR_SRC12_EQ_DEST 166, and, 0xff00ff00, 0xff00ff00
    TEST_RR_ZERO_DEST   167, and, 0x11111111, 0x33333333
    TEST_RR_ZERO_SRC1   168, and, 0, 0xffffffff
    TEST_RR_ZERO_SRC2   169, and, 0, 0xffffffff

/* ---- a chain of dependent results (forwarding/hazard style) ---- */
    TEST_CASE 170
    li      a1, 5
    li      a2, 3
    add     a3, a1, a2          /* 8   */
    sub     a4, a3, a1          /* 3   */
    sll     a5, a3, a4          /* 64  */
    xor     a6, a5, a3          /* 72  */
    or      a7, a6, a2          /* 75  */
    and     a0, a7, a5          /* 64  */
    sra     a0, a0, a2          /* 8   */
    slt     s0, a4, a0          /* 1   */
    sltu    s1, a0, a4          /* 0   */
    add     a0, a0, s0          /* 9   */
    add     a0, a0, s1          /* 9   */
    srl     a0, a0, s0          /* 4   */
    CHECK   a0, 4

TEST_END
