/*
 * alu_imm: register-immediate ALU instructions
 *   addi slti sltiu xori ori andi slli srli srai
 * Covers negative / extreme 12-bit immediates (sign extension of bit 11),
 * shift amounts 0..31, x0 as source and destination, rd == rs1.
 * Exit code 0 = pass, N = test N failed.
 */
#include "isa_macros.h"

TEST_BEGIN

/* ---------------- addi ---------------- */
    TEST_IMM              1, addi, 0x00000000, 0x00000000, 0
    TEST_IMM              2, addi, 0x00000002, 0x00000001, 1
    TEST_IMM              3, addi, 0x0000000a, 0x00000003, 7
    TEST_IMM              4, addi, 0xfffff800, 0x00000000, -2048
    TEST_IMM              5, addi, 0x80000000, 0x80000000, 0
    TEST_IMM              6, addi, 0x7ffff800, 0x80000000, -2048
    TEST_IMM              7, addi, 0x000007ff, 0x00000000, 2047
    TEST_IMM              8, addi, 0x800007fe, 0x7fffffff, 2047
    TEST_IMM              9, addi, 0x800007ff, 0x80000000, 2047
    TEST_IMM             10, addi, 0x80000000, 0x7fffffff, 1
    TEST_IMM             11, addi, 0x00000000, 0xffffffff, 1
    TEST_IMM             12, addi, 0xffffffff, 0x00000000, -1
    TEST_IMM             13, addi, 0x7ffffffe, 0x7fffffff, -1
    TEST_IMM_SRC_EQ_DEST 14, addi, 24, 13, 11
    TEST_IMM_ZERO_SRC    15, addi, 32, 32
    TEST_IMM_ZERO_SRC    16, addi, 0xfffff800, -2048
    TEST_IMM_ZERO_DEST   17, addi, 33, 50

/* ---------------- slti ---------------- */
    TEST_IMM             20, slti, 0, 0x00000000, 0
    TEST_IMM             21, slti, 0, 0x00000001, 1
    TEST_IMM             22, slti, 1, 0x00000003, 7
    TEST_IMM             23, slti, 0, 0x00000007, 3
    TEST_IMM             24, slti, 0, 0x00000000, -2048
    TEST_IMM             25, slti, 1, 0x80000000, 0
    TEST_IMM             26, slti, 1, 0x80000000, -2048
    TEST_IMM             27, slti, 1, 0x00000000, 2047
    TEST_IMM             28, slti, 0, 0x7fffffff, 2047
    TEST_IMM             29, slti, 0, 0x7fffffff, -2048
    TEST_IMM             30, slti, 0, 0xffffffff, -1
    TEST_IMM             31, slti, 1, 0xffffffff, 1
    TEST_IMM             32, slti, 0, 0x00000000, -1
    TEST_IMM             33, slti, 1, 0xfffff7ff, -2048
    TEST_IMM_SRC_EQ_DEST 34, slti, 1, 11, 13
    TEST_IMM_ZERO_SRC    35, slti, 0, -1
    TEST_IMM_ZERO_SRC    36, slti, 1, 1
    TEST_IMM_ZERO_DEST   37, slti, 0, 1

/* ---------------- sltiu (immediate is sign-extended, compare unsigned) --- */
    TEST_IMM             40, sltiu, 0, 0x00000000, 0
    TEST_IMM             41, sltiu, 0, 0x00000001, 1
    TEST_IMM             42, sltiu, 1, 0x00000003, 7
    TEST_IMM             43, sltiu, 0, 0x00000007, 3
    TEST_IMM             44, sltiu, 1, 0x00000000, -2048
    TEST_IMM             45, sltiu, 0, 0x80000000, 0
    TEST_IMM             46, sltiu, 1, 0x80000000, -2048
    TEST_IMM             47, sltiu, 1, 0x00000000, 2047
    TEST_IMM             48, sltiu, 0, 0x7fffffff, 2047
    TEST_IMM             49, sltiu, 0, 0xffffffff, -1
    TEST_IMM             50, sltiu, 1, 0xfffffffe, -1
    TEST_IMM             51, sltiu, 1, 0x00000001, -1
    TEST_IMM             52, sltiu, 0, 0xfffff800, -2048
    TEST_IMM             53, sltiu, 1, 0xfffff7ff, -2048
    TEST_IMM             54, sltiu, 1, 0x00000000, 1
    TEST_IMM             55, sltiu, 0, 0x00000005, 1
    TEST_IMM_SRC_EQ_DEST 56, sltiu, 1, 11, 13
    TEST_IMM_ZERO_SRC    57, sltiu, 1, -1
    TEST_IMM_ZERO_SRC    58, sltiu, 0, 0
    TEST_IMM_ZERO_DEST   59, sltiu, 0, 1

/* ---------------- xori ---------------- */
    TEST_IMM             60, xori, 0xff00f00f, 0x00ff0f00, -0xf1
    TEST_IMM             61, xori, 0x0ff00f00, 0x0ff00ff0, 0x0f0
    TEST_IMM             62, xori, 0x00ff0ff0, 0x00ff08ff, 0x70f
    TEST_IMM             63, xori, 0xf00ff0ff, 0xf00ff00f, 0x0f0
    TEST_IMM             64, xori, 0xedcba987, 0x12345678, -1
    TEST_IMM             65, xori, 0xedcbae78, 0x12345678, -2048
    TEST_IMM_SRC_EQ_DEST 66, xori, 0xff00f80f, 0xff00ff00, 0x70f
    TEST_IMM_ZERO_SRC    67, xori, 0x0f0, 0x0f0
    TEST_IMM_ZERO_SRC    68, xori, 0xffffff0f, -0xf1
    TEST_IMM_ZERO_DEST   69, xori, 0x00ff00ff, 0x70f

/* ---------------- ori ---------------- */
    TEST_IMM             70, ori, 0xffffff0f, 0xff00ff00, -0xf1
    TEST_IMM             71, ori, 0x0ff00ff0, 0x0ff00ff0, 0x0f0
    TEST_IMM             72, ori, 0x00ff07ff, 0x00ff00ff, 0x70f
    TEST_IMM             73, ori, 0xf00ff0ff, 0xf00ff00f, 0x0f0
    TEST_IMM             74, ori, 0xfffff800, 0x00000000, -2048
    TEST_IMM             75, ori, 0x123457ff, 0x12345678, 0x7ff
    TEST_IMM_SRC_EQ_DEST 76, ori, 0xff00fff0, 0xff00ff00, 0x0f0
    TEST_IMM_ZERO_SRC    77, ori, 0x0f0, 0x0f0
    TEST_IMM_ZERO_SRC    78, ori, 0xffffff0f, -0xf1
    TEST_IMM_ZERO_DEST   79, ori, 0xff00ff00, 0x70f

/* ---------------- andi ---------------- */
    TEST_IMM             80, andi, 0xff00ff00, 0xff00ff00, -0xf1
    TEST_IMM             81, andi, 0x000000f0, 0x0ff00ff0, 0x0f0
    TEST_IMM             82, andi, 0x0000000f, 0x00ff00ff, 0x70f
    TEST_IMM             83, andi, 0x00000000, 0xf00ff00f, 0x0f0
    TEST_IMM             84, andi, 0x12345000, 0x12345678, -2048
    TEST_IMM             85, andi, 0x00000678, 0x12345678, 0x7ff
    TEST_IMM             86, andi, 0x12345678, 0x12345678, -1
    TEST_IMM_SRC_EQ_DEST 87, andi, 0x00000000, 0xff00ff00, 0x0f0
    TEST_IMM_ZERO_SRC    88, andi, 0, -1
    TEST_IMM_ZERO_DEST   89, andi, 0xff00ff00, 0x70f

/* ---------------- slli ---------------- */
    TEST_IMM             90, slli, 0x00000001, 0x00000001, 0
    TEST_IMM             91, slli, 0x00000002, 0x00000001, 1
    TEST_IMM             92, slli, 0x00000080, 0x00000001, 7
    TEST_IMM             93, slli, 0x00004000, 0x00000001, 14
    TEST_IMM             94, slli, 0x80000000, 0x00000001, 31
    TEST_IMM             95, slli, 0xffffffff, 0xffffffff, 0
    TEST_IMM             96, slli, 0xfffffffe, 0xffffffff, 1
    TEST_IMM             97, slli, 0xffffff80, 0xffffffff, 7
    TEST_IMM             98, slli, 0xffffc000, 0xffffffff, 14
    TEST_IMM             99, slli, 0x80000000, 0xffffffff, 31
    TEST_IMM            100, slli, 0x21212121, 0x21212121, 0
    TEST_IMM            101, slli, 0x42424242, 0x21212121, 1
    TEST_IMM            102, slli, 0x90909080, 0x21212121, 7
    TEST_IMM            103, slli, 0x48484000, 0x21212121, 14
    TEST_IMM            104, slli, 0x80000000, 0x21212121, 31
    TEST_IMM_SRC_EQ_DEST 105, slli, 0x00000080, 0x00000001, 7
    TEST_IMM_ZERO_SRC   106, slli, 0, 31
    TEST_IMM_ZERO_DEST  107, slli, 0x21212121, 1

/* ---------------- srli ---------------- */
    TEST_IMM            110, srli, 0x80000000, 0x80000000, 0
    TEST_IMM            111, srli, 0x40000000, 0x80000000, 1
    TEST_IMM            112, srli, 0x01000000, 0x80000000, 7
    TEST_IMM            113, srli, 0x00020000, 0x80000000, 14
    TEST_IMM            114, srli, 0x00000001, 0x80000000, 31
    TEST_IMM            115, srli, 0xffffffff, 0xffffffff, 0
    TEST_IMM            116, srli, 0x7fffffff, 0xffffffff, 1
    TEST_IMM            117, srli, 0x01ffffff, 0xffffffff, 7
    TEST_IMM            118, srli, 0x0003ffff, 0xffffffff, 14
    TEST_IMM            119, srli, 0x00000001, 0xffffffff, 31
    TEST_IMM            120, srli, 0x21212121, 0x21212121, 0
    TEST_IMM            121, srli, 0x10909090, 0x21212121, 1
    TEST_IMM            122, srli, 0x00424242, 0x21212121, 7
    TEST_IMM            123, srli, 0x00008484, 0x21212121, 14
    TEST_IMM            124, srli, 0x00000000, 0x21212121, 31
    TEST_IMM_SRC_EQ_DEST 125, srli, 0x01000000, 0x80000000, 7
    TEST_IMM_ZERO_SRC   126, srli, 0, 4
    TEST_IMM_ZERO_DEST  127, srli, 0x21212121, 1

/* ---------------- srai ---------------- */
    TEST_IMM            130, srai, 0x80000000, 0x80000000, 0
    TEST_IMM            131, srai, 0xc0000000, 0x80000000, 1
    TEST_IMM            132, srai, 0xff000000, 0x80000000, 7
    TEST_IMM            133, srai, 0xfffe0000, 0x80000000, 14
    TEST_IMM            134, srai, 0xffffffff, 0x80000000, 31
    TEST_IMM            135, srai, 0x7fffffff, 0x7fffffff, 0
    TEST_IMM            136, srai, 0x3fffffff, 0x7fffffff, 1
    TEST_IMM            137, srai, 0x00ffffff, 0x7fffffff, 7
    TEST_IMM            138, srai, 0x0001ffff, 0x7fffffff, 14
    TEST_IMM            139, srai, 0x00000000, 0x7fffffff, 31
    TEST_IMM            140, srai, 0x81818181, 0x81818181, 0
    TEST_IMM            141, srai, 0xc0c0c0c0, 0x81818181, 1
    TEST_IMM            142, srai, 0xff030303, 0x81818181, 7
    TEST_IMM            143, srai, 0xfffe0606, 0x81818181, 14
    TEST_IMM            144, srai, 0xffffffff, 0x81818181, 31
    TEST_IMM_SRC_EQ_DEST 145, srai, 0xff000000, 0x80000000, 7
    TEST_IMM_ZERO_SRC   146, srai, 0, 4
    TEST_IMM_ZERO_DEST  147, srai, 0x81818181, 1

/* nop is addi x0, x0, 0 and must not change anything */
    TEST_CASE 150
    li      a4, 77
    nop
    addi    x0, x0, 5
    CHECK   a4, 77
    CHECK   x0, 0

TEST_END
