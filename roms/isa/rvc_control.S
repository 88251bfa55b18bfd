/*
 * rvc_control: RV32C control transfer and what C changes for the rest of
 * the ISA (IALIGN = 16), with explicit c.* mnemonics.
 *   c.j c.jal c.jr c.jalr c.beqz c.bnez c.ebreak, reserved 16-bit
 *   encodings (illegal instruction)
 * Forward and backward, the extreme offsets (c.j/c.jal -2048 and +2046,
 * c.beqz/c.bnez -256 and +254), links of pc + 2, c.jalr with rs1 = ra and
 * an odd target (bit 0 cleared), targets at 2-byte boundaries (checked at
 * run time: address mod 4 = 2), branches on just-computed and just-loaded
 * registers, a counted c.bnez loop. 32-bit jal/jalr/branches/auipc/ecall
 * at 2-byte boundaries (link pc + 4, mepc keeps bit 1) and 32-bit
 * instructions straddling a 64-byte boundary (so a cache line of 16, 32
 * or 64 bytes), run in sequence and as a jump target.
 * Built with -march=rv32imc_zicsr_zifencei. Exit code 0 = pass, N = test N.
 * -DQEMU_VIRT (or -DQEMU_SPIKE) skips the mtval checks of c.ebreak and of
 * illegal 16-bit encodings (QEMU 7.2 fills mtval only on some paths).
 */
#include "isa_macros.h"

/* fail unless the address of `label` is 2 mod 4 (a 2-byte boundary that
 * is not a word boundary); clobbers t4 and t5 */
.macro CHECK_HALF_ALIGNED label
    la      t4, \label
    andi    t4, t4, 3
    CHECK   t4, 2
.endm

/* A 16-bit encoding that must raise an illegal-instruction trap with
 * mepc = its address (and mtval = its bits); execution resumes after it. */
.macro TEST_ILLEGAL_C num, parcel
    TEST_CASE \num
    TRAP_ARM_RESUME .Lnext\@
.Lill\@:
    .hword  \parcel
.Lnext\@:
    CHECK      TR_COUNT, 1
    CHECK      TR_CAUSE, CAUSE_ILLEGAL
    CHECK_ADDR TR_EPC, .Lill\@
#ifndef QEMU_SPIKE
    CHECK      TR_TVAL, \parcel
#endif
.endm

TEST_BEGIN
    USE_TRAP_RECORDER

/* ---------------- c.j ---------------- */
    TEST_CASE 1                 /* c.j forward to a 2-byte boundary */
    CHECK_HALF_ALIGNED 1f
    c.li    a0, 1
    .balign 4
    c.j     1f
    c.li    a0, 2               /* skipped */
    c.nop
1:  CHECK   a0, 1

    TEST_CASE 2                 /* c.j backward */
    c.li    a0, 0
    c.j     2f
1:  c.addi  a0, 5
    c.j     3f
2:  c.addi  a0, 1
    c.j     1b
3:  CHECK   a0, 6

    TEST_CASE 3                 /* c.j +2046 */
    c.li    a0, 0
    c.j     1f                  /* offset 2 + 2044 */
    .skip   2044
1:  c.li    a0, 3
    CHECK   a0, 3

    TEST_CASE 4                 /* c.j -2048 */
    c.li    a0, 0
    c.j     1f
2:  c.li    a0, 4               /* 2048 bytes before the c.j at 1 */
    .option push
    .option norvc
    jal     x0, 3f
    .option pop
    .skip   2048 - 6
1:  c.j     2b
3:  CHECK   a0, 4

/* ---------------- c.jal ---------------- */
    TEST_CASE 5                 /* c.jal forward: ra = pc + 2 */
    li      ra, 0
    c.jal   1f
2:  j       fail
1:  CHECK_ADDR ra, 2b

    TEST_CASE 6                 /* c.jal backward, link at a 2-byte boundary */
    c.j     3f
1:  c.j     4f
    .balign 4
3:  c.jal   1b
2:  j       fail
4:  CHECK_ADDR ra, 2b
    CHECK_HALF_ALIGNED 2b

    TEST_CASE 7                 /* c.jal +2046 and -2048 */
    c.jal   1f
5:  .skip   2044
1:  CHECK_ADDR ra, 5b
    c.j     1f
    .option push
    .option norvc
2:  jal     x0, 3f              /* 2048 bytes before the c.jal at 1 */
    .option pop
    .skip   2048 - 4
1:  c.jal   2b
6:  j       fail
3:  CHECK_ADDR ra, 6b

/* ---------------- c.jr / c.jalr ---------------- */
    TEST_CASE 8                 /* c.jr to a 2-byte boundary, rd untouched */
    CHECK_HALF_ALIGNED 1f
    la      a0, 1f
    li      ra, 0x55
    c.jr    a0
    j       fail
    .balign 4
    c.nop
1:  CHECK   ra, 0x55

    TEST_CASE 9                 /* c.jalr: ra = pc + 2, target at 2-byte boundary */
    la      t0, 1f
    c.jalr  t0
2:  j       fail
    .balign 4
    c.nop
1:  CHECK_ADDR ra, 2b
    CHECK_HALF_ALIGNED 1b

    TEST_CASE 10                /* c.jalr ra: the target is the old ra */
    la      ra, 1f
    c.jalr  ra
2:  j       fail
1:  CHECK_ADDR ra, 2b

    TEST_CASE 11                /* c.jalr / c.jr clear bit 0 of the target */
    la      a1, 1f
    addi    a1, a1, 1
    c.jalr  a1
2:  j       fail
1:  CHECK_ADDR ra, 2b
    la      a2, 3f + 1
    c.jr    a2
    j       fail
3:

    TEST_CASE 12                /* call and return, both compressed */
    c.j     1f
/* a0 *= 2, returning with c.jr ra */
rvc_double:
    c.add   a0, a0
    c.jr    ra
1:  c.li    a0, 7
    c.jal   rvc_double
    c.jal   rvc_double
    CHECK   a0, 28

    TEST_CASE 13                /* c.jr on a register just loaded */
    la      a1, jump_table
    c.lw    a2, 4(a1)
    c.jr    a2
    j       fail
jt_1:
    c.lw    a3, 0(a1)
    c.jalr  a3
    CHECK   a0, 56

/* ---------------- c.beqz / c.bnez ---------------- */
    TEST_CASE 20                /* taken forward and backward */
    c.li    a0, 0
    li      a5, 0x80000000
    c.beqz  a0, 2f
    j       fail
1:  c.bnez  a5, 3f
    j       fail
2:  c.beqz  a0, 1b
    j       fail
3:

    TEST_CASE 21                /* not taken forward and backward */
    c.li    s0, 1
    c.li    s1, 0
1:  c.beqz  s0, 2f
    c.bnez  s1, 2f
    c.bnez  s1, 1b
    c.beqz  s0, 1b
    c.j     3f
2:  j       fail
3:

    TEST_CASE 22                /* c.beqz +254 */
    c.li    a2, 0
    c.beqz  a2, 1f
    .skip   252
1:  CHECK   a2, 0

    TEST_CASE 23                /* c.bnez -256 */
    c.li    a3, -1
    c.j     1f
2:  c.li    a3, 5               /* 256 bytes before the c.bnez at 1 */
    .option push
    .option norvc
    jal     x0, 3f
    .option pop
    .skip   256 - 6
1:  c.bnez  a3, 2b
3:  CHECK   a3, 5

    TEST_CASE 24                /* branch on a value computed just before */
    c.li    a4, 1
    c.addi  a4, -1
    c.bnez  a4, 1f
    c.addi  a4, -1
    c.beqz  a4, 1f              /* a4 = -1: not taken */
    c.j     2f
1:  j       fail
2:  CHECK   a4, -1

    TEST_CASE 25                /* branch on a value loaded just before */
    la      a1, jump_table
    c.lw    a5, 0(a1)
    c.beqz  a5, 1f
    lw      a5, 8(a1)           /* 0 */
    c.bnez  a5, 1f
    c.j     2f
1:  j       fail
2:

    TEST_CASE 26                /* a counted c.bnez loop */
    c.li    a0, 10
    c.li    a1, 0
1:  c.add   a1, a0
    c.addi  a0, -1
    c.bnez  a0, 1b
    CHECK   a1, 55

    TEST_CASE 27                /* branch to a 2-byte boundary */
    CHECK_HALF_ALIGNED 1f
    c.li    s1, 0
    c.beqz  s1, 1f
    j       fail
    .balign 4
    c.nop
1:

/* ---------------- 32-bit instructions at 2-byte boundaries ---------------- */
    TEST_CASE 30                /* jal at 2 mod 4: link = pc + 4 */
    .balign 4
    c.nop
1:  jal     ra, 3f
2:  j       fail
3:  CHECK_ADDR ra, 2b
    CHECK_HALF_ALIGNED 1b

    TEST_CASE 31                /* jalr and beq to 2-byte boundaries */
    la      t1, 1f
    jalr    ra, 0(t1)
    j       fail
    .balign 4
    c.nop
1:  CHECK_HALF_ALIGNED 1b
    .option push
    .option norvc
    beq     x0, x0, 2f
    .option pop
    j       fail
    .balign 4
    c.nop
2:  CHECK_HALF_ALIGNED 2b

    TEST_CASE 32                /* auipc at 2 mod 4 */
    .balign 4
    c.nop
1:  auipc   a0, 0
    CHECK_ADDR a0, 1b
    CHECK_HALF_ALIGNED 1b

    TEST_CASE 33                /* ecall at 2 mod 4: mepc keeps bit 1 */
    TRAP_ARM
    .balign 4
    c.nop
1:  ecall
    CHECK_TRAP CAUSE_ECALL_M, 1b
    CHECK_HALF_ALIGNED 1b

    TEST_CASE 34                /* instructions straddling a 64-byte boundary */
    .balign 64
    .rept 31
    c.nop
    .endr
1:  lui     a0, 0x12345         /* bytes 62..65 of the block */
    .rept 30
    c.nop
    .endr
2:  addi    a0, a0, 0x678       /* and again at the next boundary */
    CHECK   a0, 0x12345678
    la      t0, 1b
    andi    t0, t0, 63
    CHECK   t0, 62
    la      t0, 2b
    andi    t0, t0, 63
    CHECK   t0, 62

    TEST_CASE 35                /* a straddling instruction as a jump target */
    c.li    a1, 0
    c.j     1f
    .balign 64
    .rept 31
    c.nop
    .endr
1:  addi    a1, a1, 0x123       /* fetched first in the upper line */
    c.addi  a1, 1
    CHECK   a1, 0x124
    la      t0, 1b
    andi    t0, t0, 63
    CHECK   t0, 62

    TEST_CASE 36                /* a straddling branch, taken backward */
    c.li    a2, 3
    .balign 64
    .rept 31
    c.nop
    .endr
1:  addi    a2, a2, -1          /* straddles */
    .rept 30
    c.nop
    .endr
    .option push
    .option norvc
    bne     a2, x0, 1b          /* straddles the next boundary */
    .option pop
    CHECK   a2, 0

/* ---------------- c.ebreak and illegal encodings ---------------- */
    TEST_CASE 40                /* c.ebreak: cause 3, mepc = it */
    TRAP_ARM_RESUME 2f
    c.nop
1:  c.ebreak
2:  CHECK_TRAP CAUSE_BREAKPOINT, 1b
#ifndef QEMU_SPIKE
    CHECK_ADDR TR_TVAL, 1b
#endif

    TEST_ILLEGAL_C 41, 0x0000   /* all zeros */
    TEST_ILLEGAL_C 42, 0x0004   /* c.addi4spn with 0 */
    TEST_ILLEGAL_C 43, 0x6101   /* c.addi16sp with 0 */
    TEST_ILLEGAL_C 44, 0x6501   /* c.lui a0, 0 */
    TEST_ILLEGAL_C 45, 0x4002   /* c.lwsp x0 */
    TEST_ILLEGAL_C 46, 0x8002   /* c.jr x0 */
    TEST_ILLEGAL_C 47, 0x9005   /* c.srli shamt[5] = 1 (RV32) */

TEST_END
TRAP_RECORDER

    .data
    .align 2
jump_table:
    .word rvc_double, jt_1, 0
