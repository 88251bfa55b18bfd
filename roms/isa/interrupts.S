/*
 * interrupts: machine software (msip) and timer (mtimecmp) interrupts.
 *   mip mirrors the CLINT, mie masking, mstatus.MIE masking, MIE/MPIE on
 *   interrupt entry and mret, mcause values, direct and vectored mtvec,
 *   wfi waking up (with and without taking the interrupt), MSI before MTI
 *   when both are pending.
 * Exit code 0 = pass, N = test N failed.
 *
 * -DQEMU_SPIKE skips exact-mepc checks (QEMU takes interrupts at
 * translation-block boundaries) and cycle-exact mtime expectations.
 */
#include "isa_macros.h"

#define MSIP_ADDR      (CLINT_BASE + CLINT_MSIP)
#define MTIMECMP_ADDR  (CLINT_BASE + CLINT_MTIMECMP)
#define MTIME_ADDR     (CLINT_BASE + CLINT_MTIME)
#define MIP_MSIP       0x08
#define MIP_MTIP       0x80
#define TIMEOUT        200000

/* msip = v */
.macro MSIP_WRITE v
    li      t0, MSIP_ADDR
    li      t1, \v
    sw      t1, 0(t0)
.endm

/* mtimecmp = mtime + delta (low word of mtime; high word of compare = 0) */
.macro TIMER_IN delta
    li      t0, MTIME_ADDR
    lw      t1, 0(t0)
    li      t2, \delta
    add     t1, t1, t2
    li      t0, MTIMECMP_ADDR
    li      t2, -1
    sw      t2, 0(t0)           /* low = max first: no spurious match */
    sw      zero, 4(t0)
    sw      t1, 0(t0)
.endm

/* mtimecmp = all ones (never fires) */
.macro TIMER_OFF
    li      t0, MTIMECMP_ADDR
    li      t1, -1
    sw      t1, 0(t0)
    sw      t1, 4(t0)
.endm

/* mtimecmp = 0 (pending right away) */
.macro TIMER_NOW
    li      t0, MTIMECMP_ADDR
    sw      zero, 4(t0)
    sw      zero, 0(t0)
.endm

/* spin until TR_COUNT >= n, fail after TIMEOUT iterations */
.macro WAIT_COUNT n
    li      t3, TIMEOUT
    li      t4, \n
.Lwait\@:
    bge     TR_COUNT, t4, .Lwait_done\@
    addi    t3, t3, -1
    bnez    t3, .Lwait\@
    j       fail
.Lwait_done\@:
.endm

.macro IRQ_ARM
    TRAP_ARM
    li      s11, 0
.endm

TEST_BEGIN
    csrw    mie, x0
    csrw    mstatus, x0
    TIMER_OFF
    MSIP_WRITE 0

/* ---------------- mip mirrors the CLINT (nothing enabled) ---------- */
    TEST_CASE 1
    csrr    a4, mip
    CHECK_MASKED a4, MIP_MSIP | MIP_MTIP, 0
    MSIP_WRITE 1
    csrr    a4, mip
    CHECK_MASKED a4, MIP_MSIP, MIP_MSIP
    MSIP_WRITE 0
    csrr    a4, mip
    CHECK_MASKED a4, MIP_MSIP, 0

    TEST_CASE 2
    TIMER_NOW
    csrr    a4, mip
    CHECK_MASKED a4, MIP_MTIP, MIP_MTIP
    TIMER_OFF
    csrr    a4, mip
    CHECK_MASKED a4, MIP_MTIP, 0

    TEST_CASE 3                 /* msip reads back */
    MSIP_WRITE 1
    li      t0, MSIP_ADDR
    lw      a4, 0(t0)
    CHECK_MASKED a4, 1, 1
    MSIP_WRITE 0
    lw      a4, 0(t0)
    CHECK_MASKED a4, 1, 0

    TEST_CASE 4                 /* mtime advances */
    li      t0, MTIME_ADDR
    lw      a1, 0(t0)
    li      t3, 100
1:  addi    t3, t3, -1
    bnez    t3, 1b
    lw      a2, 0(t0)
    beq     a1, a2, fail

/* ---------------- software interrupt, direct mode ---------------- */
    la      t0, irq_handler
    csrw    mtvec, t0

    TEST_CASE 10
    li      t0, MIP_MSIP
    csrw    mie, t0
    csrsi   mstatus, 0x8
    IRQ_ARM
    li      t0, MSIP_ADDR
    li      t1, 1
    sw      t1, 0(t0)
1:  nop
    nop
    nop
    CHECK   TR_COUNT, 1
    CHECK   TR_CAUSE, CAUSE_IRQ_MSI
#ifndef QEMU_SPIKE
    CHECK_ADDR TR_EPC, 1b       /* taken right after the store */
#endif
    CHECK_MASKED TR_TVAL, MIP_MSIP, MIP_MSIP          /* mip in the handler */
    CHECK_MASKED TR_STATUS, 0x1888, 0x1880            /* MIE=0 MPIE=1 MPP=M */
    csrr    a4, mstatus
    CHECK_MASKED a4, 0x88, 0x88                       /* mret: MIE=1 MPIE=1 */
    csrr    a4, mip
    CHECK_MASKED a4, MIP_MSIP, 0                      /* handler cleared it */

/* ---------------- masking by mie ---------------- */
    TEST_CASE 11
    csrw    mie, x0             /* MIE still 1 */
    IRQ_ARM
    MSIP_WRITE 1
    nop
    nop
    CHECK   TR_COUNT, 0
    csrr    a4, mip
    CHECK_MASKED a4, MIP_MSIP, MIP_MSIP
    li      t0, MIP_MSIP
    csrs    mie, t0             /* enabling it makes it fire */
1:  nop
    nop
    CHECK   TR_COUNT, 1
    CHECK   TR_CAUSE, CAUSE_IRQ_MSI
#ifndef QEMU_SPIKE
    CHECK_ADDR TR_EPC, 1b
#endif

/* ---------------- masking by mstatus.MIE, wfi without trap --------- */
    TEST_CASE 12
    csrci   mstatus, 0x8
    IRQ_ARM
    MSIP_WRITE 1
    nop
    wfi                         /* pending & enabled in mie: returns */
    nop
    CHECK   TR_COUNT, 0
    csrr    a4, mip
    CHECK_MASKED a4, MIP_MSIP, MIP_MSIP

    TEST_CASE 13                /* setting MIE takes it at once */
    csrsi   mstatus, 0x8
1:  nop
    nop
    CHECK   TR_COUNT, 1
    CHECK   TR_CAUSE, CAUSE_IRQ_MSI
#ifndef QEMU_SPIKE
    CHECK_ADDR TR_EPC, 1b
#endif
    csrci   mstatus, 0x8

/* ---------------- timer interrupt, direct mode ---------------- */
    TEST_CASE 20
    li      t0, MIP_MTIP
    csrw    mie, t0
    IRQ_ARM
    TIMER_IN 200
    csrsi   mstatus, 0x8
    WAIT_COUNT 1
    CHECK   TR_COUNT, 1
    CHECK   TR_CAUSE, CAUSE_IRQ_MTI
    CHECK_MASKED TR_TVAL, MIP_MTIP, MIP_MTIP
    CHECK_MASKED TR_STATUS, 0x88, 0x80
    csrr    a4, mip
    CHECK_MASKED a4, MIP_MTIP, 0

    TEST_CASE 21                /* the timer does not fire early */
    IRQ_ARM
    TIMER_IN 2000
    li      t0, MTIMECMP_ADDR
    lw      a1, 0(t0)           /* the deadline just programmed */
    li      t0, MTIME_ADDR
    WAIT_COUNT 1
    lw      a2, 0(t0)           /* slow memory must not make this flaky: */
    bltu    a2, a1, fail        /* compare with the deadline itself */
    CHECK   TR_CAUSE, CAUSE_IRQ_MTI

    TEST_CASE 22                /* wfi sleeps until the timer interrupt */
    IRQ_ARM
    TIMER_IN 500
    li      t0, MTIME_ADDR
    lw      a1, 0(t0)
1:  bnez    TR_COUNT, 2f
    wfi
    j       1b
2:
    lw      a2, 0(t0)
    CHECK   TR_COUNT, 1
    CHECK   TR_CAUSE, CAUSE_IRQ_MTI
    sub     a4, a2, a1
    li      t1, 400
    bltu    a4, t1, fail

    TEST_CASE 23                /* wfi with MIE = 0 wakes up, no trap */
    csrci   mstatus, 0x8
    IRQ_ARM
    TIMER_IN 300
    wfi
#ifndef QEMU_SPIKE
    csrr    a4, mip             /* Glassbox wfi waits for (mip & mie) != 0 */
    CHECK_MASKED a4, MIP_MTIP, MIP_MTIP
#else
1:  csrr    a4, mip
    andi    a4, a4, MIP_MTIP
    beqz    a4, 1b
#endif
    CHECK   TR_COUNT, 0
    TIMER_OFF
    csrr    a4, mip
    CHECK_MASKED a4, MIP_MTIP, 0

/* ---------------- both pending: software before timer ------------ */
    TEST_CASE 30
    li      t0, MIP_MSIP | MIP_MTIP
    csrw    mie, t0
    IRQ_ARM
    MSIP_WRITE 1
    TIMER_NOW
    csrsi   mstatus, 0x8
    nop
    nop
    WAIT_COUNT 2
    CHECK   TR_COUNT, 2
    la      t0, irq_log
    lw      a4, 0(t0)
    CHECK   a4, CAUSE_IRQ_MSI
    lw      a4, 4(t0)
    CHECK   a4, CAUSE_IRQ_MTI
    csrci   mstatus, 0x8

/* ---------------- vectored mode ---------------- */
    la      t0, irq_vectors
    ori     t0, t0, 1
    csrw    mtvec, t0

    TEST_CASE 40                /* software interrupt -> base + 4*3 */
    li      t0, MIP_MSIP | MIP_MTIP
    csrw    mie, t0
    IRQ_ARM
    csrsi   mstatus, 0x8
    MSIP_WRITE 1
    WAIT_COUNT 1
    CHECK   s11, 3
    CHECK   TR_CAUSE, CAUSE_IRQ_MSI

    TEST_CASE 41                /* timer interrupt -> base + 4*7 */
    IRQ_ARM
    TIMER_IN 100
    WAIT_COUNT 1
    CHECK   s11, 7
    CHECK   TR_CAUSE, CAUSE_IRQ_MTI

    TEST_CASE 42                /* wfi in vectored mode */
    IRQ_ARM
    TIMER_IN 300
1:  bnez    TR_COUNT, 2f
    wfi
    j       1b
2:
    CHECK   s11, 7

/* ---------------- clean up ---------------- */
    csrci   mstatus, 0x8
    csrw    mie, x0
    TIMER_OFF
    MSIP_WRITE 0
    la      t0, __unexpected_trap
    csrw    mtvec, t0

TEST_END

    .text
/* Direct-mode handler: records, logs mcause, clears the source. */
    .align 2
irq_handler:
    csrr    TR_CAUSE, mcause
    csrr    TR_EPC, mepc
    csrr    TR_STATUS, mstatus
    csrr    TR_TVAL, mip
    bltz    TR_CAUSE, 1f
    j       fail                /* an exception: not expected */
1:  la      s7, irq_log
    andi    s10, TR_COUNT, 7
    slli    s10, s10, 2
    add     s7, s7, s10
    sw      TR_CAUSE, 0(s7)
    addi    TR_COUNT, TR_COUNT, 1
    li      s10, CAUSE_IRQ_MSI
    bne     TR_CAUSE, s10, 2f
    li      s7, MSIP_ADDR
    sw      zero, 0(s7)
    mret
2:  li      s10, CAUSE_IRQ_MTI
    beq     TR_CAUSE, s10, 3f
    j       fail
3:  li      s7, MTIMECMP_ADDR
    li      s10, -1
    sw      s10, 0(s7)
    sw      s10, 4(s7)
    mret

/* Vector table: base + 4 * cause */
    .align 8
irq_vectors:
    j       fail                /* 0: exceptions (none expected) */
    j       fail                /* 1 */
    j       fail                /* 2 */
    j       vec_msi             /* 3: machine software interrupt */
    j       fail                /* 4 */
    j       fail                /* 5 */
    j       fail                /* 6 */
    j       vec_mti             /* 7: machine timer interrupt */
    .rept 8
    j       fail                /* 8..15 */
    .endr

vec_msi:
    csrr    TR_CAUSE, mcause
    li      s11, 3
    addi    TR_COUNT, TR_COUNT, 1
    li      s7, MSIP_ADDR
    sw      zero, 0(s7)
    mret

vec_mti:
    csrr    TR_CAUSE, mcause
    li      s11, 7
    addi    TR_COUNT, TR_COUNT, 1
    li      s7, MTIMECMP_ADDR
    li      s10, -1
    sw      s10, 0(s7)
    sw      s10, 4(s7)
    mret

    .data
    .align 4
irq_log:
    .space 32
