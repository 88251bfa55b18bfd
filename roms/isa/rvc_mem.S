/*
 * rvc_mem: the RV32C loads and stores, with explicit c.* mnemonics.
 *   c.lw c.sw (base and data in x8..x15, offsets 0..124)
 *   c.lwsp c.swsp (sp-relative, any register, offsets 0..252)
 *   c.addi4spn used as an sp-relative address
 * Offsets 0 and the maximum, every x8..x15 register as base and data,
 * rd == base, c.lwsp into a full register (and into sp itself), words with
 * the sign bit set (no extension to get wrong), read-back of stores with
 * neighbours untouched, store-to-load and load-use back to back (16- and
 * 32-bit mixed), a load feeding c.jr, misaligned and unmapped addresses
 * (cause 4/6 and 5/7, mepc = the 16-bit instruction, rd and memory
 * untouched). Built with -march=rv32imc_zicsr_zifencei.
 * Exit code 0 = pass, N = test N failed.
 * -DQEMU_VIRT (or -DQEMU_SPIKE) skips the misaligned and unmapped checks
 * (QEMU does misaligned accesses; its unmapped space differs).
 */
#include "isa_macros.h"

#define UNMAPPED 0x40000000

TEST_BEGIN
    USE_TRAP_RECORDER

/* ---------------- c.lw ---------------- */
    TEST_CASE 1                 /* c.lw offset 0 and 124 */
    la      a1, buf
    c.lw    a4, 0(a1)
    CHECK   a4, 0x00000001
    c.lw    a4, 124(a1)
    CHECK   a4, 0x80000020

    TEST_CASE 2                 /* c.lw with every x8..x15 as base */
    la      s0, buf
    c.mv    s1, s0
    c.mv    a0, s0
    c.mv    a1, s0
    c.mv    a2, s0
    c.mv    a3, s0
    c.mv    a4, s0
    c.mv    a5, s0
    c.lw    a5, 4(s0)
    CHECK   a5, 0xfffffffe
    c.lw    a5, 8(s1)
    CHECK   a5, 0x00000003
    c.lw    a5, 12(a0)
    CHECK   a5, 0x7fffffff
    c.lw    a5, 16(a1)
    CHECK   a5, 0x00000005
    c.lw    a5, 20(a2)
    CHECK   a5, 0x00000006
    c.lw    a5, 24(a3)
    CHECK   a5, 0x00000007
    c.lw    a5, 28(a4)
    CHECK   a5, 0x80000000
    c.lw    a4, 32(a4)          /* rd == base */
    CHECK   a4, 0x00000009

    TEST_CASE 3                 /* c.lw into every x8..x15 */
    la      a5, buf
    c.lw    s0, 36(a5)
    c.lw    s1, 40(a5)
    c.lw    a0, 44(a5)
    c.lw    a1, 48(a5)
    c.lw    a2, 52(a5)
    c.lw    a3, 56(a5)
    c.lw    a4, 60(a5)
    c.lw    a5, 64(a5)
    CHECK   s0, 10
    CHECK   s1, 11
    CHECK   a0, 12
    CHECK   a1, 13
    CHECK   a2, 14
    CHECK   a3, 15
    CHECK   a4, 16
    CHECK   a5, 17

    TEST_CASE 4                 /* load-use: c.lw then a dependent op, both sizes */
    la      a1, buf
    c.lw    a0, 4(a1)
    c.addi  a0, 3
    CHECK   a0, 1
    c.lw    a2, 8(a1)
    slli    a2, a2, 2
    CHECK   a2, 12
    lw      a3, 12(a1)          /* 32-bit load, 16-bit use */
    c.srli  a3, 30
    CHECK   a3, 1
    c.lw    a4, 0(a1)           /* load feeding the next load's base */
    c.slli  a4, 2
    c.add   a4, a1
    c.lw    a4, 0(a4)
    CHECK   a4, 0xfffffffe

/* ---------------- c.sw ---------------- */
    TEST_CASE 5                 /* c.sw offset 0 and 124, read back */
    la      a1, wbuf
    li      a2, 0x89abcdef
    c.sw    a2, 0(a1)
    c.lw    a4, 0(a1)
    CHECK   a4, 0x89abcdef
    li      a3, 0x01234567
    c.sw    a3, 124(a1)
    lw      a4, 124(a1)
    CHECK   a4, 0x01234567
    lw      a4, 120(a1)         /* neighbours untouched */
    CHECK   a4, 0
    lw      a4, 4(a1)
    CHECK   a4, 0
    lw      a4, 128(a1)
    CHECK   a4, 0xa5a5a5a5

    TEST_CASE 6                 /* c.sw every x8..x15 as data */
    la      s0, wbuf
    c.li    s1, 1
    c.li    a0, 2
    c.li    a1, 3
    c.li    a2, 4
    c.li    a3, 5
    c.li    a4, -6
    c.li    a5, -7
    c.sw    s0, 8(s0)           /* data == base */
    c.sw    s1, 12(s0)
    c.sw    a0, 16(s0)
    c.sw    a1, 20(s0)
    c.sw    a2, 24(s0)
    c.sw    a3, 28(s0)
    c.sw    a4, 32(s0)
    c.sw    a5, 36(s0)
    lw      t0, 8(s0)
    CHECK_ADDR t0, wbuf
    lw      t0, 12(s0)
    CHECK   t0, 1
    lw      t0, 16(s0)
    CHECK   t0, 2
    lw      t0, 20(s0)
    CHECK   t0, 3
    lw      t0, 24(s0)
    CHECK   t0, 4
    lw      t0, 28(s0)
    CHECK   t0, 5
    lw      t0, 32(s0)
    CHECK   t0, -6
    lw      t0, 36(s0)
    CHECK   t0, -7

    TEST_CASE 7                 /* c.sw with every x8..x15 as base */
    la      s0, wbuf + 40
    c.mv    s1, s0
    c.mv    a0, s0
    c.mv    a1, s0
    c.mv    a2, s0
    c.mv    a3, s0
    c.mv    a4, s0
    li      a5, 0x77
    c.sw    a5, 0(s0)
    c.sw    a5, 4(s1)
    c.sw    a5, 8(a0)
    c.sw    a5, 12(a1)
    c.sw    a5, 16(a2)
    c.sw    a5, 20(a3)
    c.sw    a5, 24(a4)
    c.mv    a5, s0
    c.sw    a4, 28(a5)
    la      t0, wbuf + 40
    li      t1, 0
1:  add     t2, t0, t1
    lw      t2, 0(t2)
    CHECK   t2, 0x77
    addi    t1, t1, 4
    li      t2, 28
    bne     t1, t2, 1b
    lw      t2, 28(t0)
    CHECK_ADDR t2, wbuf + 40

    TEST_CASE 8                 /* store then load of the same word, back to back */
    la      a0, wbuf
    li      a1, 0x13572468
    c.sw    a1, 68(a0)
    c.lw    a2, 68(a0)
    c.addi  a2, 1
    CHECK   a2, 0x13572469
    sw      a2, 72(a0)          /* 32-bit store, 16-bit load */
    c.lw    a3, 72(a0)
    CHECK   a3, 0x13572469
    c.sw    a3, 76(a0)          /* 16-bit store, 32-bit byte loads */
    lbu     a4, 76(a0)
    CHECK   a4, 0x69
    lb      a4, 79(a0)
    CHECK   a4, 0x13

/* ---------------- c.lwsp / c.swsp ---------------- */
    TEST_CASE 10                /* c.lwsp offset 0 and 252, full registers */
    mv      s11, sp
    la      sp, buf
    c.lwsp  ra, 0(sp)
    CHECK   ra, 1
    c.lwsp  t3, 252(sp)
    CHECK   t3, 0xc0ffee00
    c.lwsp  a0, 4(sp)
    CHECK   a0, 0xfffffffe

    TEST_CASE 11                /* c.swsp offset 0 and 252, full registers */
    la      sp, wbuf
    li      t4, 0xfeedface
    c.swsp  t4, 252(sp)
    li      ra, 0x0badf00d
    c.swsp  ra, 0(sp)
    la      t0, wbuf
    lw      t1, 252(t0)
    CHECK   t1, 0xfeedface
    lw      t1, 0(t0)
    CHECK   t1, 0x0badf00d
    lw      t1, 248(t0)
    CHECK   t1, 0
    c.lwsp  t2, 252(sp)
    CHECK   t2, 0xfeedface

    TEST_CASE 12                /* c.swsp sp itself, c.lwsp into sp */
    la      sp, wbuf
    c.swsp  sp, 80(sp)
    c.li    a0, 0
    c.swsp  a0, 84(sp)
    c.addi16sp sp, 16
    c.lwsp  sp, 68(sp)          /* wbuf + 84: 0 */
    CHECK   sp, 0
    la      sp, wbuf
    c.lwsp  sp, 80(sp)          /* back to wbuf */
    CHECK_ADDR sp, wbuf

    TEST_CASE 13                /* a push/pop round trip; load feeding c.jr */
    la      sp, wbuf + 256
    c.addi16sp sp, -16
    la      a0, 1f
    c.swsp  a0, 12(sp)
    c.li    a0, 0
    c.lwsp  a1, 12(sp)
    c.jr    a1
    j       fail
1:  c.addi16sp sp, 16
    CHECK_ADDR sp, wbuf + 256

    TEST_CASE 14                /* c.addi4spn as the base of c.lw and c.sw */
    la      sp, buf
    c.addi4spn a2, sp, 96
    c.lw    a3, 4(a2)           /* buf + 100 */
    CHECK   a3, 26
    la      sp, wbuf
    c.addi4spn s1, sp, 1020     /* wbuf + 1020: the last word */
    li      a4, 0x31415926
    c.sw    a4, 0(s1)
    la      t0, wbuf + 1020
    lw      t1, 0(t0)
    CHECK   t1, 0x31415926
    mv      sp, s11

#ifndef QEMU_SPIKE
/* ---------------- misaligned and unmapped ---------------- */
    TEST_CASE 20                /* misaligned c.lw: cause 4, rd untouched */
    la      a0, buf + 2
    li      a1, 0x5a
    TRAP_ARM_RESUME 2f
1:  c.lw    a1, 0(a0)
2:  CHECK_TRAP CAUSE_MISALIGNED_LOAD, 1b
    CHECK_REG TR_TVAL, a0
    CHECK   a1, 0x5a

    TEST_CASE 21                /* misaligned c.sw: cause 6, memory untouched */
    la      a0, wbuf + 90
    li      a1, -1
    TRAP_ARM_RESUME 2f
1:  c.sw    a1, 4(a0)
2:  CHECK_TRAP CAUSE_MISALIGNED_STORE, 1b
    addi    t0, a0, 4
    CHECK_REG TR_TVAL, t0
    la      t0, wbuf
    lw      t1, 92(t0)
    CHECK   t1, 0
    lw      t1, 96(t0)
    CHECK   t1, 0

    TEST_CASE 22                /* misaligned c.lwsp / c.swsp */
    la      sp, buf + 1
    TRAP_ARM_RESUME 2f
1:  c.lwsp  a1, 0(sp)
2:  CHECK_TRAP CAUSE_MISALIGNED_LOAD, 1b
    TRAP_ARM_RESUME 2f
1:  c.swsp  a1, 4(sp)
2:  CHECK_TRAP CAUSE_MISALIGNED_STORE, 1b
    mv      sp, s11

    TEST_CASE 23                /* unmapped: cause 5 and 7 */
    li      s0, UNMAPPED
    li      a1, 0x5a
    TRAP_ARM_RESUME 2f
1:  c.lw    a1, 4(s0)
2:  CHECK_TRAP CAUSE_LOAD_ACCESS, 1b
    CHECK   a1, 0x5a
    CHECK   TR_TVAL, UNMAPPED + 4
    TRAP_ARM_RESUME 2f
1:  c.sw    a1, 124(s0)
2:  CHECK_TRAP CAUSE_STORE_ACCESS, 1b
    CHECK   TR_TVAL, UNMAPPED + 124
#endif

TEST_END
TRAP_RECORDER

    .data
    .align 6
/* buf: word k (0-based) holds k + 1, except the few with the sign bit or
 * all ones to show that c.lw has nothing to extend. */
buf:
    .word 0x00000001, 0xfffffffe, 0x00000003, 0x7fffffff
    .word 5, 6, 7, 0x80000000, 9, 10, 11, 12, 13, 14, 15, 16
    .word 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
    .word 0x80000020
    .rept 31
    .word 0x11111111
    .endr
    .word 0xc0ffee00
    .align 6
wbuf:
    .rept 32
    .word 0
    .endr
    .word 0xa5a5a5a5
    .rept 223
    .word 0
    .endr
