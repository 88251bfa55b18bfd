/*
 * traps: synchronous exceptions and mret.
 *   ecall (cause 11, mtval 0), ebreak (cause 3, mtval = pc), illegal
 *   instructions (cause 2, mtval = instruction bits), misaligned load/store
 *   (cause 4/6, mtval = address, rd not written, memory not written),
 *   load/store access faults (cause 5/7) at unmapped addresses, fetch
 *   access fault (cause 1) by jumping to unmapped memory, jump/branch
 *   targets at 2-byte boundaries (legal: IALIGN = 16 with C, no trap),
 *   trap entry/exit effects on mstatus
 *   (MIE -> MPIE, mret restoring MIE from MPIE), vectored mtvec sending
 *   exceptions to the base address.
 * Exit code 0 = pass, N = test N failed.
 *
 * -DQEMU_SPIKE skips the Glassbox-specific checks (QEMU does not trap on
 * misaligned data accesses, implements S-mode, ...). Run QEMU with -m 64M.
 */
#include "isa_macros.h"

#define UNMAPPED   0x40000000
#define RAM_END    0x84000000

TEST_BEGIN
    USE_TRAP_RECORDER
    csrw    mie, x0

/* ---------------- ecall / ebreak ---------------- */
    TEST_CASE 1                 /* ecall: cause 11, mepc = ecall, mtval = 0 */
    li      a1, 0x1234
    csrw    mtval, a1
    TRAP_ARM
1:  ecall
    CHECK_TRAP CAUSE_ECALL_M, 1b
    CHECK   TR_TVAL, 0

    TEST_CASE 2                 /* ebreak: cause 3, mtval = pc */
    TRAP_ARM
1:  ebreak
    CHECK_TRAP CAUSE_BREAKPOINT, 1b
#ifndef QEMU_SPIKE                  /* QEMU 7.2 leaves mtval = 0 here */
    CHECK_ADDR TR_TVAL, 1b
#endif

    TEST_CASE 3                 /* with mtvec != 0 an exit ecall must trap, not be served */
    TRAP_ARM
    li      a7, 93
    li      a0, 3               /* if it were served, the exit code says "3" */
1:  ecall
    CHECK_TRAP CAUSE_ECALL_M, 1b
    CHECK   a0, 3               /* no syscall result written */

    TEST_CASE 4                 /* trap entry: MPIE <- MIE, MIE <- 0, MPP = M */
    csrsi   mstatus, 0x8        /* MIE = 1 (mie = 0: no interrupt can fire) */
    TRAP_ARM
    ecall
    CHECK   TR_COUNT, 1
    CHECK_MASKED TR_STATUS, 0x1888, 0x1880
    csrr    a4, mstatus         /* mret: MIE <- MPIE (1), MPIE <- 1 */
    CHECK_MASKED a4, 0x88, 0x88
    csrci   mstatus, 0x8

/* ---------------- illegal instructions ---------------- */
    TEST_ILLEGAL 10, 0x00000000     /* all zeros is defined illegal */
    TEST_ILLEGAL 11, 0xfe000033     /* OP with funct7 = 0x7f */
    TEST_ILLEGAL 12, 0x40001033     /* OP: sll with funct7 = 0x20 */
    TEST_ILLEGAL 13, 0x0000001b     /* addiw: RV64 only (OP-IMM-32) */
    TEST_ILLEGAL 14, 0x0000003b     /* addw:  RV64 only (OP-32) */
    TEST_ILLEGAL 15, 0x00003003     /* ld:    RV64 only (LOAD funct3 3) */
    TEST_ILLEGAL 16, 0x00003023     /* sd:    RV64 only (STORE funct3 3) */
    TEST_ILLEGAL 17, 0x00007003     /* LOAD funct3 7 */
    TEST_ILLEGAL 18, 0x00002063     /* BRANCH funct3 2 */
    TEST_ILLEGAL 19, 0x00001067     /* JALR funct3 1 */
    TEST_ILLEGAL 20, 0x0000200f     /* MISC-MEM funct3 2 */
    TEST_ILLEGAL 21, 0x0000000b     /* custom-0 opcode */
    TEST_ILLEGAL 22, 0x00000053     /* OP-FP: no F extension */
#ifndef QEMU_SPIKE
    TEST_ILLEGAL 23, 0x00002007     /* flw: no F extension */
    TEST_ILLEGAL 24, 0x02001013     /* slli with shamt[5] = 1 (reserved on RV32) */
    TEST_ILLEGAL 25, 0x10200073     /* sret: no S-mode */
    TEST_ILLEGAL 26, 0x00004073     /* SYSTEM funct3 4 */
#endif

#ifndef QEMU_SPIKE              /* QEMU has the C extension */
    TEST_CASE 27                /* reserved 16-bit encoding (c.fld: no D):
                                   illegal, mtval = the parcel */
    TRAP_ARM
1:  .word   0x00012000          /* c.fld, then c.nop */
    CHECK_TRAP CAUSE_ILLEGAL, 1b
    CHECK   TR_TVAL, 0x2000
#endif

    TEST_CASE 28                /* illegal instruction does not write rd */
    li      a4, 0x4321
    TRAP_ARM
    .word   0xfe000733          /* OP funct7 0x7f, rd = a4 */
    CHECK   TR_COUNT, 1
    CHECK   a4, 0x4321

/* ---------------- misaligned loads and stores ---------------- */
#ifndef QEMU_SPIKE
    la      a1, tdata

    TEST_CASE 30                /* lw +1 */
    li      a4, 0x5a5a
    TRAP_ARM
1:  lw      a4, 1(a1)
    CHECK_TRAP CAUSE_MISALIGNED_LOAD, 1b
    CHECK_ADDR TR_TVAL, tdata+1
    CHECK   a4, 0x5a5a          /* rd not written */

    TEST_CASE 31                /* lw +2 */
    TRAP_ARM
1:  lw      a4, 2(a1)
    CHECK_TRAP CAUSE_MISALIGNED_LOAD, 1b
    CHECK_ADDR TR_TVAL, tdata+2

    TEST_CASE 32                /* lw +3 */
    TRAP_ARM
1:  lw      a4, 3(a1)
    CHECK_TRAP CAUSE_MISALIGNED_LOAD, 1b
    CHECK_ADDR TR_TVAL, tdata+3

    TEST_CASE 33                /* lh +1 */
    TRAP_ARM
1:  lh      a4, 1(a1)
    CHECK_TRAP CAUSE_MISALIGNED_LOAD, 1b
    CHECK_ADDR TR_TVAL, tdata+1

    TEST_CASE 34                /* lhu +3 */
    TRAP_ARM
1:  lhu     a4, 3(a1)
    CHECK_TRAP CAUSE_MISALIGNED_LOAD, 1b
    CHECK_ADDR TR_TVAL, tdata+3

    TEST_CASE 35                /* sw +1 */
    li      a2, 0x01020304
    TRAP_ARM
1:  sw      a2, 1(a1)
    CHECK_TRAP CAUSE_MISALIGNED_STORE, 1b
    CHECK_ADDR TR_TVAL, tdata+1

    TEST_CASE 36                /* sw +2 */
    TRAP_ARM
1:  sw      a2, 2(a1)
    CHECK_TRAP CAUSE_MISALIGNED_STORE, 1b
    CHECK_ADDR TR_TVAL, tdata+2

    TEST_CASE 37                /* sh +1 */
    TRAP_ARM
1:  sh      a2, 1(a1)
    CHECK_TRAP CAUSE_MISALIGNED_STORE, 1b
    CHECK_ADDR TR_TVAL, tdata+1

    TEST_CASE 38                /* sh +3 */
    TRAP_ARM
1:  sh      a2, 3(a1)
    CHECK_TRAP CAUSE_MISALIGNED_STORE, 1b
    CHECK_ADDR TR_TVAL, tdata+3

    TEST_CASE 39                /* memory untouched by the trapping stores */
    lw      a4, 0(a1)
    CHECK   a4, 0x89abcdef
    lw      a4, 4(a1)
    CHECK   a4, 0x01234567
#endif

    TEST_CASE 40                /* aligned narrow accesses never trap */
    la      a1, tdata
    TRAP_ARM
    lb      a4, 1(a1)
    lbu     a4, 3(a1)
    lh      a4, 2(a1)
    lhu     a4, 6(a1)
    lw      a4, 4(a1)
    sb      a4, 13(a1)
    sh      a4, 10(a1)
    CHECK   TR_COUNT, 0

/* ---------------- access faults ---------------- */
    TEST_CASE 50                /* load from address 0 */
    li      a4, 0x5a5a
    TRAP_ARM
1:  lw      a4, 0(x0)
    CHECK_TRAP CAUSE_LOAD_ACCESS, 1b
    CHECK   TR_TVAL, 0
    CHECK   a4, 0x5a5a          /* rd not written */

    TEST_CASE 51                /* byte load from an unmapped hole */
    li      a1, UNMAPPED
    TRAP_ARM
1:  lb      a4, 0(a1)
    CHECK_TRAP CAUSE_LOAD_ACCESS, 1b
    CHECK   TR_TVAL, UNMAPPED

    TEST_CASE 52                /* mtval includes the immediate offset */
    li      a1, UNMAPPED
    TRAP_ARM
1:  lhu     a4, 0x7e(a1)
    CHECK_TRAP CAUSE_LOAD_ACCESS, 1b
    CHECK   TR_TVAL, UNMAPPED + 0x7e

    TEST_CASE 53                /* store to an unmapped hole */
    li      a1, UNMAPPED
    TRAP_ARM
1:  sw      a1, 0(a1)
    CHECK_TRAP CAUSE_STORE_ACCESS, 1b
    CHECK   TR_TVAL, UNMAPPED

    TEST_CASE 54                /* byte store to address 0 */
    TRAP_ARM
1:  sb      a1, 0(x0)
    CHECK_TRAP CAUSE_STORE_ACCESS, 1b
    CHECK   TR_TVAL, 0

    TEST_CASE 55                /* first byte past the end of RAM */
    li      a1, RAM_END
    TRAP_ARM
1:  lw      a4, 0(a1)
    CHECK_TRAP CAUSE_LOAD_ACCESS, 1b
    CHECK   TR_TVAL, RAM_END
    TRAP_ARM
2:  sw      a4, 0(a1)
    CHECK_TRAP CAUSE_STORE_ACCESS, 2b
    CHECK   TR_TVAL, RAM_END

    TEST_CASE 56                /* the last word of RAM is fine */
    li      a1, RAM_END - 4
    li      a2, 0x600dcafe
    TRAP_ARM
    sw      a2, 0(a1)
    lw      a4, 0(a1)
    CHECK   TR_COUNT, 0
    CHECK   a4, 0x600dcafe

/* ---------------- instruction fetch access faults ---------------- */
    TEST_CASE 60                /* jump into an unmapped hole */
    TRAP_ARM
    la      TR_RESUME, 2f
    li      t0, UNMAPPED
1:  jalr    ra, 0(t0)
    j       fail
2:  CHECK   TR_COUNT, 1
    CHECK   TR_CAUSE, CAUSE_FETCH_ACCESS
    CHECK   TR_EPC, UNMAPPED
    CHECK   TR_TVAL, UNMAPPED
    CHECK_ADDR ra, 1b+4         /* the jalr itself completed */

    TEST_CASE 61                /* jump to address 0 */
    TRAP_ARM
    la      TR_RESUME, 2f
1:  jalr    x0, 0(x0)
    j       fail
2:  CHECK   TR_COUNT, 1
    CHECK   TR_CAUSE, CAUSE_FETCH_ACCESS
    CHECK   TR_EPC, 0
    CHECK   TR_TVAL, 0

    TEST_CASE 62                /* fall off the end of RAM */
    TRAP_ARM
    la      TR_RESUME, 2f
    li      t0, RAM_END
    jr      t0
    j       fail
2:  CHECK   TR_COUNT, 1
    CHECK   TR_CAUSE, CAUSE_FETCH_ACCESS
    CHECK   TR_EPC, RAM_END
    CHECK   TR_TVAL, RAM_END

/* ---------------- jump / branch targets at 2-byte boundaries ----------------
 * Glassbox has the C extension, so IALIGN = 16: a target with bit 1 set is
 * a legal instruction address and nothing traps. (On a core without C,
 * these would be instruction-address-misaligned traps.) The parcels jumped
 * over or into are compressed instructions written with `.option rvc`. */
    TEST_CASE 70                /* jalr to a 2-byte boundary */
    la      t0, half_target
    addi    t0, t0, 2
    li      a1, 0
    TRAP_ARM
    jalr    a4, 0(t0)
1:  CHECK   TR_COUNT, 0
    CHECK   a1, 2               /* only the second parcel ran */
    CHECK_ADDR a4, 1b           /* link = pc + 4 */

    TEST_CASE 71                /* jalr: bit 0 is cleared, bit 1 kept */
    la      t0, half_target
    li      a1, 0
    TRAP_ARM
    jalr    a4, 3(t0)
1:  CHECK   TR_COUNT, 0
    CHECK   a1, 2
    CHECK_ADDR a4, 1b

    TEST_CASE 72                /* jal to pc+6: the second parcel after it */
    li      a1, 0
    TRAP_ARM
1:  jal     a4, .+6
    .option push
    .option rvc
    c.li    a1, 1
    c.li    a1, 2
    .option pop
    CHECK   TR_COUNT, 0
    CHECK   a1, 2
    CHECK_ADDR a4, 1b+4

    TEST_CASE 73                /* taken branch to pc+6 */
    li      a1, 0
    TRAP_ARM
    beq     x0, x0, .+6
    .option push
    .option rvc
    c.li    a1, 1
    c.li    a1, 2
    .option pop
    CHECK   TR_COUNT, 0
    CHECK   a1, 2

    TEST_CASE 74                /* taken backward branch to pc-2, a 32-bit
                                   branch at a 2-byte boundary */
    li      a2, 1
    TRAP_ARM
    j       1f
    .option push
    .option rvc
    c.li    a2, 0               /* at 1f-2 */
    .option pop
1:  bnez    a2, .-2
    .option push
    .option rvc
    c.nop                       /* back to 4-byte alignment */
    .option pop
    CHECK   TR_COUNT, 0
    CHECK   a2, 0

    TEST_CASE 75                /* NOT taken branch to a 2-byte boundary */
    TRAP_ARM
    bne     x0, x0, .+6
    nop
    CHECK   TR_COUNT, 0

/* ---------------- mret ----------------
 * MPP is hardwired to M on Glassbox; it is still set explicitly before each
 * mret so that the tests also mean the same on cores that have U-mode. */
    TEST_CASE 80                /* MPIE = 1, MIE = 0  ->  MIE = 1, MPIE = 1 */
    csrci   mstatus, 0x8
    li      t0, 0x80
    csrs    mstatus, t0
    li      t0, 0x1800
    csrs    mstatus, t0         /* MPP = M */
    la      t0, 1f
    csrw    mepc, t0
    mret
    j       fail
1:  csrr    a4, mstatus
    CHECK_MASKED a4, 0x88, 0x88

    TEST_CASE 81                /* MPIE = 0, MIE = 1  ->  MIE = 0, MPIE = 1 */
    li      t0, 0x80
    csrc    mstatus, t0
    csrsi   mstatus, 0x8
    li      t0, 0x1800
    csrs    mstatus, t0         /* MPP = M */
    la      t0, 1f
    csrw    mepc, t0
    mret
    j       fail
1:  csrr    a4, mstatus
    CHECK_MASKED a4, 0x88, 0x80

    TEST_CASE 82                /* MPIE = 0, MIE = 0  ->  MIE = 0, MPIE = 1 */
    li      t0, 0x88
    csrc    mstatus, t0
    li      t0, 0x1800
    csrs    mstatus, t0         /* MPP = M */
    la      t0, 1f
    csrw    mepc, t0
    mret
    j       fail
1:  csrr    a4, mstatus
    CHECK_MASKED a4, 0x88, 0x80
    csrw    mstatus, x0

/* ---------------- vectored mtvec: exceptions go to the base --------- */
    TEST_CASE 90
    la      t0, vector_table
    ori     t0, t0, 1
    csrw    mtvec, t0
    TRAP_ARM
1:  ecall
    CHECK_TRAP CAUSE_ECALL_M, 1b
    TRAP_ARM
2:  ebreak
    CHECK_TRAP CAUSE_BREAKPOINT, 2b
    TRAP_ARM
3:  .word   0
    CHECK_TRAP CAUSE_ILLEGAL, 3b
    USE_TRAP_RECORDER

TEST_END

    .text
TRAP_RECORDER

    .align 8
vector_table:
    j       trap_recorder       /* 0: exceptions */
    .rept 15
    j       fail                /* interrupt slots: not expected here */
    .endr

    .align 4
half_target:                    /* entered at +2, returns to a4 */
    .option push
    .option rvc
    c.li    a1, 1
    c.li    a1, 2
    .option pop
    jr      a4

    .data
    .align 4
tdata:
    .word 0x89abcdef
    .word 0x01234567
    .word 0
    .word 0
