/*
 * rvc_alu: the RV32C arithmetic encodings, each written with its explicit
 * c.* mnemonic so that the assembler cannot pick the 32-bit form.
 *   c.nop c.addi c.li c.lui c.addi16sp c.addi4spn c.slli c.srli c.srai
 *   c.andi c.mv c.add c.sub c.xor c.or c.and, and HINT encodings (no
 *   effect, no trap).
 * Edge immediates (the most negative, the largest, 1), shift amounts 1 and
 * 31, signed overflow, rd = rs2, full 5-bit registers where the encoding
 * allows them, the x8..x15 registers at both ends, and back-to-back
 * dependent 16-bit and 32-bit instructions (forwarding in every pipeline).
 * Built with -march=rv32imc_zicsr_zifencei: the test macros themselves are
 * compressed where GNU as can, so 32-bit instructions land at 2-byte
 * boundaries throughout. Exit code 0 = pass, N = test N failed.
 * -DQEMU_VIRT reports through QEMU virt's test finisher as well.
 */
#include "isa_macros.h"

TEST_BEGIN

/* ---------------- c.li ---------------- */
    TEST_CASE 1                 /* c.li: -32, 31, 0, full registers */
    c.li    a0, -32
    CHECK   a0, -32
    c.li    t1, 31
    CHECK   t1, 31
    li      ra, 0x1234
    c.li    ra, 0
    CHECK   ra, 0
    c.li    s11, -1
    CHECK   s11, 0xffffffff

/* ---------------- c.addi ---------------- */
    TEST_CASE 2                 /* c.addi -32 and 31 */
    li      t0, 100
    c.addi  t0, -32
    CHECK   t0, 68
    c.addi  t0, 31
    CHECK   t0, 99

    TEST_CASE 3                 /* c.addi wraps: INT_MAX + 1, 0 - 1 */
    li      a5, 0x7fffffff
    c.addi  a5, 1
    CHECK   a5, 0x80000000
    c.li    a5, 0
    c.addi  a5, -1
    CHECK   a5, 0xffffffff

    TEST_CASE 4                 /* c.addi chain: each reads the last */
    c.li    a0, 1
    c.addi  a0, 2
    c.addi  a0, 3
    c.addi  a0, -7
    CHECK   a0, -1

/* ---------------- c.lui ---------------- */
    TEST_CASE 5                 /* c.lui: smallest and largest positive */
    c.lui   a0, 1
    CHECK   a0, 0x1000
    c.lui   t2, 0x1f
    CHECK   t2, 0x1f000

    TEST_CASE 6                 /* c.lui: negative immediates sign-extend */
    c.lui   s1, 0xfffe0
    CHECK   s1, 0xfffe0000
    c.lui   ra, 0xfffff
    CHECK   ra, 0xfffff000

    TEST_CASE 7                 /* c.lui + c.addi build a constant */
    c.lui   a3, 0x12
    c.addi  a3, -1
    CHECK   a3, 0x11fff

/* ---------------- c.addi16sp / c.addi4spn ---------------- */
    TEST_CASE 8                 /* c.addi16sp -512, 496, 16, -16 */
    mv      s0, sp
    li      sp, 0x10000
    c.addi16sp sp, -512
    CHECK   sp, 0xfe00
    c.addi16sp sp, 496
    CHECK   sp, 0xfff0
    c.addi16sp sp, 16
    CHECK   sp, 0x10000
    c.addi16sp sp, -16
    CHECK   sp, 0xfff0

    TEST_CASE 9                 /* c.addi4spn 4 and 1020, into a0 and s0's neighbours */
    li      sp, 0x20000
    c.addi4spn a0, sp, 4
    CHECK   a0, 0x20004
    c.addi4spn a5, sp, 1020
    CHECK   a5, 0x203fc
    c.addi4spn s1, sp, 512
    CHECK   s1, 0x20200

    TEST_CASE 10                /* c.addi4spn reads sp right after it is written */
    li      sp, -8
    c.addi4spn a1, sp, 8
    CHECK   a1, 0
    c.addi16sp sp, 16
    c.addi4spn a2, sp, 16
    CHECK   a2, 24
    mv      sp, s0

/* ---------------- shifts ---------------- */
    TEST_CASE 11                /* c.slli 1 and 31, full register */
    c.li    t3, 3
    c.slli  t3, 1
    CHECK   t3, 6
    c.slli  t3, 31
    CHECK   t3, 0

    TEST_CASE 12
    c.li    s10, -1
    c.slli  s10, 31
    CHECK   s10, 0x80000000

    TEST_CASE 13                /* c.srli 1 and 31: zeros shifted in */
    li      a0, 0x80000001
    c.srli  a0, 1
    CHECK   a0, 0x40000000
    li      a1, 0x80000000
    c.srli  a1, 31
    CHECK   a1, 1

    TEST_CASE 14                /* c.srai 1 and 31: the sign shifted in */
    li      a2, 0x80000001
    c.srai  a2, 1
    CHECK   a2, 0xc0000000
    li      s0, 0x80000000
    c.srai  s0, 31
    CHECK   s0, 0xffffffff
    li      s1, 0x7fffffff
    c.srai  s1, 31
    CHECK   s1, 0

/* ---------------- c.andi ---------------- */
    TEST_CASE 15                /* c.andi -32 (0xffffffe0), 31, 0, -1 */
    li      a3, 0x12345678
    c.andi  a3, -32
    CHECK   a3, 0x12345660
    li      a4, 0x12345678
    c.andi  a4, 31
    CHECK   a4, 0x18
    li      a5, 0x12345678
    c.andi  a5, -1
    CHECK   a5, 0x12345678
    c.andi  a5, 0
    CHECK   a5, 0

/* ---------------- c.mv / c.add ---------------- */
    TEST_CASE 16                /* c.mv between full registers */
    li      t4, 0xdeadbeef
    c.mv    ra, t4
    CHECK   ra, 0xdeadbeef
    c.mv    s9, ra
    CHECK   s9, 0xdeadbeef
    CHECK   t4, 0xdeadbeef

    TEST_CASE 17                /* c.add, with wrap-around */
    li      t0, 0x7fffffff
    c.li    t1, 1
    c.add   t0, t1
    CHECK   t0, 0x80000000
    li      s2, 0xffffffff
    c.add   s2, t1
    CHECK   s2, 0

    TEST_CASE 18                /* c.add rd, rd doubles */
    li      a0, 0x40000001
    c.add   a0, a0
    CHECK   a0, 0x80000002

    TEST_CASE 19                /* c.mv reads a value just written by c.add */
    c.li    a0, 5
    c.li    a1, 7
    c.add   a0, a1
    c.mv    a2, a0
    c.add   a2, a2
    CHECK   a2, 24

/* ---------------- c.sub c.xor c.or c.and ---------------- */
    TEST_CASE 20                /* c.sub, with wrap and rd == rs2 */
    c.li    a0, 5
    c.li    a1, 7
    c.sub   a0, a1
    CHECK   a0, -2
    li      s0, 0x80000000
    c.li    s1, 1
    c.sub   s0, s1
    CHECK   s0, 0x7fffffff
    c.sub   s1, s1
    CHECK   s1, 0

    TEST_CASE 21                /* c.xor */
    li      a4, 0xff00ff00
    li      a5, 0x0ff00ff0
    c.xor   a4, a5
    CHECK   a4, 0xf0f0f0f0
    c.xor   a5, a5
    CHECK   a5, 0

    TEST_CASE 22                /* c.or */
    li      a2, 0xff00ff00
    li      a3, 0x0ff00ff0
    c.or    a2, a3
    CHECK   a2, 0xfff0fff0
    CHECK   a3, 0x0ff00ff0

    TEST_CASE 23                /* c.and */
    li      s0, 0xff00ff00
    li      a1, 0x0ff00ff0
    c.and   s0, a1
    CHECK   s0, 0x0f000f00
    c.and   a1, a1
    CHECK   a1, 0x0ff00ff0

/* ---------------- c.nop and HINTs ---------------- */
    TEST_CASE 24                /* c.nop changes nothing */
    li      a0, 0x5a5a
    c.nop
    c.nop
    CHECK   a0, 0x5a5a

    TEST_CASE 25                /* HINTs: no effect, no trap, x0 stays 0 */
    li      a0, 0x1234
    .hword  0x0005              /* c.nop 1 (c.addi x0, 1) */
    .hword  0x4005              /* c.li x0, 1 */
    .hword  0x802a              /* c.mv x0, a0 */
    .hword  0x902a              /* c.add x0, a0 */
    .hword  0x0006              /* c.slli x0, 1 */
    CHECK   x0, 0
    CHECK   a0, 0x1234

/* ---------------- mixed sizes ---------------- */
    TEST_CASE 26                /* 32-bit ops read 16-bit results and back */
    c.li    a0, 3
    slli    a1, a0, 4           /* 32-bit, at a 2-byte boundary */
    c.add   a1, a0
    mul     a2, a1, a0          /* 32-bit */
    c.srli  a2, 1
    xori    a2, a2, 0x100       /* 32-bit */
    c.mv    a3, a2
    CHECK   a3, 0x14c

    TEST_CASE 27                /* a chain through both sizes with x0 */
    c.li    a0, 9
    .option push
    .option norvc
    add     a0, a0, x0          /* forced 32-bit */
    .option pop
    c.mv    a1, a0
    sub     a1, x0, a1
    c.addi  a1, 9
    CHECK   a1, 0

TEST_END
