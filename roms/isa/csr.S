/*
 * csr: Zicsr instructions and the machine-mode CSR set of Glassbox.
 *   csrrw csrrs csrrc csrrwi csrrsi csrrci (on mscratch), read-only CSR
 *   write traps (incl. csrrw with rs1=x0 and csrrs with a zero-valued rs1
 *   other than x0), rs1=x0 / uimm=0 set/clear being pure reads, unknown
 *   CSRs trapping, counters, misa, mhartid & co, mstatus/mie/mtvec/mepc/
 *   mcause/mtval read-back.
 * Exit code 0 = pass, N = test N failed.
 *
 * Build with -DQEMU_SPIKE to skip the checks that are specific to the
 * Glassbox platform (QEMU implements S-mode CSRs, a different misa, host
 * based counters, ...), for cross-checking on qemu-system-riscv32 -M spike.
 */
#include "isa_macros.h"

#define X0  0
#define A1  11
#define A4  14

#define CSR_MSCRATCH  0x340
#define CSR_CYCLE     0xC00
#define CSR_TIME      0xC01
#define CSR_INSTRET   0xC02
#define CSR_CYCLEH    0xC80
#define CSR_TIMEH     0xC81
#define CSR_INSTRETH  0xC82
#define CSR_MVENDORID 0xF11
#define CSR_MARCHID   0xF12
#define CSR_MIMPID    0xF13
#define CSR_MHARTID   0xF14
#define CSR_SATP      0x180
#define CSR_PMPCFG0   0x3A0

TEST_BEGIN

/* ---------------- basic read/modify/write on mscratch ---------------- */
    TEST_CASE 1
    li      a1, 0x12345678
    csrw    mscratch, a1
    csrr    a4, mscratch
    CHECK   a4, 0x12345678

    TEST_CASE 2                 /* csrrw returns the old value */
    li      a1, 0xdeadbeef
    csrrw   a4, mscratch, a1
    CHECK   a4, 0x12345678
    csrr    a4, mscratch
    CHECK   a4, 0xdeadbeef

    TEST_CASE 3                 /* csrrs */
    li      a1, 0x0000ffff
    csrrs   a4, mscratch, a1
    CHECK   a4, 0xdeadbeef
    csrr    a4, mscratch
    CHECK   a4, 0xdeadffff

    TEST_CASE 4                 /* csrrc */
    li      a1, 0xff00ff00
    csrrc   a4, mscratch, a1
    CHECK   a4, 0xdeadffff
    csrr    a4, mscratch
    CHECK   a4, 0x00ad00ff

    TEST_CASE 5                 /* csrrwi: uimm is zero-extended */
    csrrwi  a4, mscratch, 0x1f
    CHECK   a4, 0x00ad00ff
    csrr    a4, mscratch
    CHECK   a4, 0x0000001f

    TEST_CASE 6                 /* csrrsi */
    csrrwi  x0, mscratch, 0x05
    csrrsi  a4, mscratch, 0x1a
    CHECK   a4, 0x05
    csrr    a4, mscratch
    CHECK   a4, 0x1f

    TEST_CASE 7                 /* csrrci */
    csrrci  a4, mscratch, 0x0c
    CHECK   a4, 0x1f
    csrr    a4, mscratch
    CHECK   a4, 0x13

    TEST_CASE 8                 /* set/clear with rs1 = x0 / uimm = 0: read only */
    li      a1, 0xa5a5a5a5
    csrw    mscratch, a1
    csrrs   a4, mscratch, x0
    CHECK   a4, 0xa5a5a5a5
    csrrc   a4, mscratch, x0
    CHECK   a4, 0xa5a5a5a5
    csrrsi  a4, mscratch, 0
    CHECK   a4, 0xa5a5a5a5
    csrrci  a4, mscratch, 0
    CHECK   a4, 0xa5a5a5a5
    csrr    a4, mscratch
    CHECK   a4, 0xa5a5a5a5

    TEST_CASE 9                 /* rd == rs1: old value out, new value in */
    li      a1, 0xaa
    csrw    mscratch, a1
    li      a1, 0x55
    csrrw   a1, mscratch, a1
    CHECK   a1, 0xaa
    csrr    a4, mscratch
    CHECK   a4, 0x55

    TEST_CASE 10                /* csrrs/csrrc with rd == rs1 */
    li      a1, 0x0f
    csrrs   a1, mscratch, a1    /* old 0x55, new 0x5f */
    CHECK   a1, 0x55
    csrrc   a1, mscratch, a1    /* old 0x5f, clear 0x55 -> 0x0a */
    CHECK   a1, 0x5f
    csrr    a4, mscratch
    CHECK   a4, 0x0a

    TEST_CASE 11                /* csrrw with rd = x0 writes; x0 stays 0 */
    li      a1, 0x777
    csrrw   x0, mscratch, a1
    CHECK   x0, 0
    csrr    a4, mscratch
    CHECK   a4, 0x777

    TEST_CASE 12                /* csrrwi x0 writes zero */
    csrrwi  x0, mscratch, 0
    csrr    a4, mscratch
    CHECK   a4, 0

/* ---------------- read-only CSRs: writes trap ---------------- */
    USE_TRAP_RECORDER
    li      a1, 1               /* non-zero rs1 for set/clear */

    TEST_ILLEGAL 20, CSR_ENC(1, X0, A1, CSR_CYCLE)      /* csrrw  x0, cycle, a1    */
    TEST_ILLEGAL 21, CSR_ENC(2, A4, A1, CSR_CYCLE)      /* csrrs  a4, cycle, a1    */
    TEST_ILLEGAL 22, CSR_ENC(3, A4, A1, CSR_TIME)       /* csrrc  a4, time, a1     */
    TEST_ILLEGAL 23, CSR_ENC(5, A4, 0, CSR_INSTRET)     /* csrrwi a4, instret, 0   */
    TEST_ILLEGAL 24, CSR_ENC(6, A4, 1, CSR_CYCLEH)      /* csrrsi a4, cycleh, 1    */
    TEST_ILLEGAL 25, CSR_ENC(7, X0, 31, CSR_INSTRETH)   /* csrrci x0, instreth, 31 */
    TEST_ILLEGAL 26, CSR_ENC(1, A4, X0, CSR_MHARTID)    /* csrrw  a4, mhartid, x0  */
    TEST_ILLEGAL 27, CSR_ENC(1, X0, A1, CSR_MVENDORID)  /* csrrw  x0, mvendorid, a1 */
    TEST_ILLEGAL 28, CSR_ENC(2, X0, A1, CSR_MARCHID)    /* csrrs  x0, marchid, a1  */
    TEST_ILLEGAL 29, CSR_ENC(3, X0, A1, CSR_MIMPID)     /* csrrc  x0, mimpid, a1   */
    TEST_ILLEGAL 30, CSR_ENC(5, X0, 0, CSR_TIMEH)       /* csrrwi x0, timeh, 0     */

    TEST_CASE 31                /* a trapping CSR instruction does not write rd */
    li      a4, 0x1234
    TRAP_ARM
    .word   CSR_ENC(2, A4, A1, CSR_CYCLE)
    CHECK   TR_COUNT, 1
    CHECK   a4, 0x1234

#ifndef QEMU_SPIKE
    /* csrrs with rs1 != x0 is a write even if the register holds 0, so it
     * traps on a read-only CSR (Zicsr table: rs1 != x0 -> writes CSR).
     * QEMU 7.2 does not trap here; Spike does. */
    li      a1, 0
    TEST_ILLEGAL 33, CSR_ENC(2, A4, A1, CSR_CYCLE)      /* csrrs a4, cycle, a1(=0) */
    TEST_ILLEGAL 34, CSR_ENC(3, A4, A1, CSR_TIME)       /* csrrc a4, time, a1(=0)  */
    li      a1, 1
#endif

/* ---------------- read-only CSRs: pure reads do not trap ----------- */
    TEST_NO_TRAP_WORD 40, CSR_ENC(2, A4, X0, CSR_CYCLE)    /* csrrs  a4, cycle, x0   */
#ifndef QEMU_SPIKE /* QEMU's spike machine has no time CSR */
    TEST_NO_TRAP_WORD 41, CSR_ENC(3, A4, X0, CSR_TIME)     /* csrrc  a4, time, x0    */
#endif
    TEST_NO_TRAP_WORD 42, CSR_ENC(6, A4, 0, CSR_INSTRET)   /* csrrsi a4, instret, 0  */
    TEST_NO_TRAP_WORD 43, CSR_ENC(7, A4, 0, CSR_CYCLEH)    /* csrrci a4, cycleh, 0   */
#ifndef QEMU_SPIKE /* QEMU's spike machine has no time CSR */
    TEST_NO_TRAP_WORD 44, CSR_ENC(2, A4, X0, CSR_TIMEH)    /* csrrs  a4, timeh, x0   */
#endif
    TEST_NO_TRAP_WORD 45, CSR_ENC(2, A4, X0, CSR_INSTRETH) /* csrrs  a4, instreth, x0 */
    TEST_NO_TRAP_WORD 46, CSR_ENC(2, X0, X0, CSR_MHARTID)  /* csrrs  x0, mhartid, x0 */
    TEST_NO_TRAP_WORD 47, CSR_ENC(6, A4, 0, CSR_MVENDORID) /* csrrsi a4, mvendorid, 0 */

    TEST_CASE 48                /* identification CSRs read as zero */
    li      a4, -1
    csrr    a4, mhartid
    CHECK   a4, 0
#ifndef QEMU_SPIKE
    li      a4, -1
    csrr    a4, mvendorid
    CHECK   a4, 0
    li      a4, -1
    csrr    a4, marchid
    CHECK   a4, 0
    li      a4, -1
    csrr    a4, mimpid
    CHECK   a4, 0
#endif
    CHECK   TR_COUNT, 0

/* ---------------- unknown CSRs trap ---------------- */
#ifndef QEMU_SPIKE
    TEST_ILLEGAL 50, CSR_ENC(2, A4, X0, CSR_SATP)       /* csrr a4, satp     */
    TEST_ILLEGAL 51, CSR_ENC(2, A4, X0, CSR_PMPCFG0)    /* csrr a4, pmpcfg0  */
    TEST_ILLEGAL 52, CSR_ENC(1, X0, A1, CSR_SATP)       /* csrw satp, a1     */
#endif

/* ---------------- misa ---------------- */
#ifndef QEMU_SPIKE
    TEST_CASE 55
    csrr    a4, misa
    CHECK   a4, 0x40001105      /* MXL=1 (32-bit), A, C, I and M */
#endif
    TEST_CASE 56                /* writes are ignored (WARL), no trap */
    TRAP_ARM
    csrr    a3, misa
    csrw    misa, x0
    csrr    a4, misa
    CHECK_REG a4, a3
    CHECK   TR_COUNT, 0

/* ---------------- counters ---------------- */
    TEST_CASE 60                /* minstret counts retired instructions */
    csrr    a1, minstret
    nop
    nop
    nop
    csrr    a2, minstret
    sub     a4, a2, a1
#ifndef QEMU_SPIKE
    CHECK   a4, 4               /* 3 nops + the first csrr */
#else
    beqz    a4, fail
#endif

    TEST_CASE 61                /* instret mirrors minstret */
    csrr    a1, minstret
    csrr    a3, instret
    csrr    a2, minstret
    bltu    a3, a1, fail
    bltu    a2, a3, fail

    TEST_CASE 62                /* mcycle advances, cycle mirrors it */
    csrr    a1, mcycle
    csrr    a3, cycle
    nop
    csrr    a2, mcycle
    bltu    a3, a1, fail
    bltu    a2, a3, fail
    beq     a1, a2, fail

    TEST_CASE 63                /* mcycle is writable */
    csrw    mcycle, x0
    csrr    a4, mcycle
#ifndef QEMU_SPIKE              /* QEMU derives counters from host ticks */
    li      t0, 16
    bgeu    a4, t0, fail
#endif

    TEST_CASE 64                /* mcycleh is writable, cycleh mirrors it */
    csrw    mcycle, x0
    li      a1, 5
    csrw    mcycleh, a1
    csrr    a4, mcycleh
    CHECK   a4, 5
    csrr    a4, cycleh
    CHECK   a4, 5
    csrw    mcycleh, x0
    csrr    a4, cycleh
    CHECK   a4, 0

    TEST_CASE 65                /* minstret is writable */
    csrw    minstret, x0
    csrr    a4, minstret
#ifndef QEMU_SPIKE              /* QEMU derives counters from host ticks */
    li      t0, 16
    bgeu    a4, t0, fail
#endif

    TEST_CASE 66                /* minstreth is writable, instreth mirrors it */
    csrw    minstret, x0
    li      a1, 7
    csrw    minstreth, a1
    csrr    a4, minstreth
    CHECK   a4, 7
    csrr    a4, instreth
    CHECK   a4, 7
    csrw    minstreth, x0
    csrr    a4, instreth
    CHECK   a4, 0

#ifndef QEMU_SPIKE              /* QEMU's spike machine has no time CSR */
    TEST_CASE 67                /* time mirrors the CLINT mtime */
    li      t0, CLINT_BASE + CLINT_MTIME
    lw      a1, 0(t0)
    csrr    a3, time
    lw      a2, 0(t0)
    bltu    a3, a1, fail
    bltu    a2, a3, fail
    beq     a1, a2, fail        /* mtime ticks every cycle on Glassbox */
    csrr    a4, timeh
    CHECK   a4, 0
#endif

/* ---------------- machine trap CSRs read back ---------------- */
    TEST_CASE 70                /* mstatus: MIE and MPIE are writable */
    csrw    mstatus, x0
    csrr    a4, mstatus
    CHECK_MASKED a4, 0x88, 0x00
#ifndef QEMU_SPIKE
    CHECK_MASKED a4, 0x1800, 0x1800   /* MPP is hardwired to M (11) */
#endif
    csrsi   mstatus, 0x8        /* MIE (mie CSR is 0: nothing can fire) */
    csrr    a4, mstatus
    CHECK_MASKED a4, 0x88, 0x08
    li      a1, 0x80
    csrs    mstatus, a1         /* MPIE */
    csrr    a4, mstatus
    CHECK_MASKED a4, 0x88, 0x88
    csrci   mstatus, 0x8
    csrr    a4, mstatus
    CHECK_MASKED a4, 0x88, 0x80
    csrc    mstatus, a1
    csrr    a4, mstatus
    CHECK_MASKED a4, 0x88, 0x00

    TEST_CASE 71                /* mie */
    li      a1, 0x88
    csrw    mie, a1
    csrr    a4, mie
    CHECK   a4, 0x88
    csrw    mie, x0
    csrr    a4, mie
    CHECK   a4, 0

#ifndef QEMU_SPIKE
    TEST_CASE 72                /* nothing pending after reset */
    csrr    a4, mip
    CHECK_MASKED a4, 0x88, 0
#endif

    TEST_CASE 73                /* mtvec, direct and vectored mode */
    la      a1, trap_recorder
    csrw    mtvec, a1
    csrr    a4, mtvec
    CHECK_REG a4, a1
    ori     a2, a1, 1
    csrw    mtvec, a2
    csrr    a4, mtvec
    CHECK_REG a4, a2
    csrw    mtvec, a1

    TEST_CASE 74                /* mepc */
    li      a1, 0x80001234
    csrw    mepc, a1
    csrr    a4, mepc
    CHECK   a4, 0x80001234

    TEST_CASE 75                /* mcause */
    li      a1, 11
    csrw    mcause, a1
    csrr    a4, mcause
    CHECK   a4, 11
    li      a1, 0x80000007
    csrw    mcause, a1
    csrr    a4, mcause
    CHECK   a4, 0x80000007

    TEST_CASE 76                /* mtval */
    li      a1, 0xdeadbeef
    csrw    mtval, a1
    csrr    a4, mtval
    CHECK   a4, 0xdeadbeef

    TEST_CASE 77                /* mscratch keeps a full 32-bit value */
    li      a1, 0xffffffff
    csrw    mscratch, a1
    csrr    a4, mscratch
    CHECK   a4, 0xffffffff

TEST_END

    .text
TRAP_RECORDER
