/*
 * Glassbox ISA self-test macros (GNU as .macro based).
 *
 * Macros only use .L...\@ labels internally, so numeric local labels (1:,
 * 1b) in test code can be passed to and used around them freely.
 *
 * Every test ROM looks like
 *
 *     #include "isa_macros.h"
 *     TEST_BEGIN
 *         TEST_RR  1, add, 3, 1, 2
 *         ...
 *     TEST_END
 *
 * Results are reported through HTIF (with -DQEMU_VIRT, also through the
 * virt board's test finisher):
 *     all tests passed  -> tohost = 1                 (exit code 0)
 *     test N failed     -> tohost = (N << 1) | 1      (exit code N)
 * A failure before any test number was set reports 9999.
 * An unexpected trap (one the test did not ask for) reports the number of
 * the test that was running when it happened.
 *
 * Register conventions
 *   x31 (t6)  current test number (TESTNUM)            -- never touch
 *   x30 (t5)  expected value scratch used by CHECK*
 *   x11 (a1), x12 (a2)  operands, x14 (a4) result
 *   s2..s11   reserved for the trap-recording handlers (see TRAP_RECORDER)
 *
 * All ISA ROMs are assembled without linker relaxation (no gp use).
 */
#ifndef GLASSBOX_ISA_MACROS_H
#define GLASSBOX_ISA_MACROS_H

/* -DQEMU_VIRT: for qemu-system-riscv32 -machine virt -bios none. Reports
 * through the test finisher too (after the HTIF stores, on which Glassbox
 * and QEMU's spike machine stop first) and skips what QEMU_SPIKE skips. */
#ifdef QEMU_VIRT
#ifndef QEMU_SPIKE
#define QEMU_SPIKE
#endif
#define QEMU_VIRT_FINISHER 0x00100000
#endif

#define TESTNUM x31
#define FAIL_NO_TESTNUM 9999

/* Trap recorder registers */
#define TR_CAUSE   s2   /* mcause at the last trap              */
#define TR_TVAL    s3   /* mtval at the last trap (mip for irqs) */
#define TR_EPC     s4   /* mepc at the last trap                */
#define TR_COUNT   s5   /* number of traps taken                */
#define TR_RESUME  s8   /* if non-zero: resume here instead of mepc+4 */
#define TR_STATUS  s9   /* mstatus seen inside the handler      */

#define CLINT_BASE      0x02000000
#define CLINT_MSIP      0x0000
#define CLINT_MTIMECMP  0x4000
#define CLINT_MTIME     0xBFF8

#define CAUSE_MISALIGNED_FETCH  0
#define CAUSE_FETCH_ACCESS      1
#define CAUSE_ILLEGAL           2
#define CAUSE_BREAKPOINT        3
#define CAUSE_MISALIGNED_LOAD   4
#define CAUSE_LOAD_ACCESS       5
#define CAUSE_MISALIGNED_STORE  6
#define CAUSE_STORE_ACCESS      7
#define CAUSE_ECALL_M           11
#define CAUSE_IRQ_MSI           0x80000003
#define CAUSE_IRQ_MTI           0x80000007

/* ------------------------------------------------------------------------
 * Program skeleton
 * ---------------------------------------------------------------------- */
.macro TEST_BEGIN
    .option norelax
    .section .text.init, "ax", @progbits
    .globl _start
_start:
    li      TESTNUM, 0
    la      t0, __unexpected_trap
    csrw    mtvec, t0
    j       __tests_begin

    .align 2
__unexpected_trap:
    j       fail

__tests_begin:
.endm

.macro TEST_END
    j       pass

    .globl pass
pass:
    li      t0, 1
    j       __report

    .globl fail
fail:
    bnez    TESTNUM, .Lhave_num
    li      TESTNUM, FAIL_NO_TESTNUM
.Lhave_num:
    slli    t0, TESTNUM, 1
    ori     t0, t0, 1

/* t0 = value for tohost. Low word first (this is the store Glassbox acts
 * on), then the high word (0). Writing the high word last also makes the
 * ROMs work on QEMU's spike machine, whose HTIF triggers on that store. */
__report:
    fence
    la      t1, tohost
    sw      t0, 0(t1)
    sw      zero, 4(t1)
#ifdef QEMU_VIRT
/* QEMU's virt board has no HTIF: tell its SiFive test finisher instead,
 * 0x5555 for a pass, (N << 16) | 0x3333 for exit code N. */
    li      t1, 0x5555
    li      t2, 1
    beq     t0, t2, .Lfinish
    srli    t1, t0, 1
    slli    t1, t1, 16
    li      t2, 0x3333
    or      t1, t1, t2
.Lfinish:
    li      t2, QEMU_VIRT_FINISHER
    sw      t1, 0(t2)
#endif
.Lhalt:
    j       .Lhalt

    .section .tohost, "aw", @progbits
    .align 6
    .globl tohost
    .type tohost, @object
    .size tohost, 8
tohost:   .dword 0
    .globl fromhost
    .type fromhost, @object
    .size fromhost, 8
fromhost: .dword 0

    .text
.endm

/* ------------------------------------------------------------------------
 * Basic checking
 * ---------------------------------------------------------------------- */
.macro TEST_CASE num
    li      TESTNUM, \num
.endm

/* fail unless reg == exp (exp is any li-able constant) */
.macro CHECK reg, exp
    li      t5, \exp
    beq     \reg, t5, .Lok\@
    j       fail
.Lok\@:
.endm

/* fail unless ra == rb */
.macro CHECK_REG ra, rb
    beq     \ra, \rb, .Lok\@
    j       fail
.Lok\@:
.endm

/* fail unless reg == address of label (absolute, not pc-relative) */
.macro CHECK_ADDR reg, label
    lui     t5, %hi(\label)
    addi    t5, t5, %lo(\label)
    beq     \reg, t5, .Lok\@
    j       fail
.Lok\@:
.endm

/* fail unless (reg & mask) == exp */
.macro CHECK_MASKED reg, mask, exp
    li      t5, \mask
    and     t5, \reg, t5
    li      t4, \exp
    beq     t5, t4, .Lok\@
    j       fail
.Lok\@:
.endm

/* ------------------------------------------------------------------------
 * Register-register ALU tests:  a4 = a1 op a2
 * ---------------------------------------------------------------------- */
.macro TEST_RR num, op, exp, a, b
    TEST_CASE \num
    li      a1, \a
    li      a2, \b
    \op     a4, a1, a2
    CHECK   a4, \exp
.endm

.macro TEST_RR_SRC1_EQ_DEST num, op, exp, a, b
    TEST_CASE \num
    li      a1, \a
    li      a2, \b
    \op     a1, a1, a2
    CHECK   a1, \exp
.endm

.macro TEST_RR_SRC2_EQ_DEST num, op, exp, a, b
    TEST_CASE \num
    li      a1, \a
    li      a2, \b
    \op     a2, a1, a2
    CHECK   a2, \exp
.endm

.macro TEST_RR_SRC12_EQ_DEST num, op, exp, a
    TEST_CASE \num
    li      a1, \a
    \op     a1, a1, a1
    CHECK   a1, \exp
.endm

/* result written to x0 must be discarded */
.macro TEST_RR_ZERO_DEST num, op, a, b
    TEST_CASE \num
    li      a1, \a
    li      a2, \b
    \op     x0, a1, a2
    CHECK   x0, 0
.endm

/* x0 as first source */
.macro TEST_RR_ZERO_SRC1 num, op, exp, b
    TEST_CASE \num
    li      a2, \b
    \op     a4, x0, a2
    CHECK   a4, \exp
.endm

/* x0 as second source */
.macro TEST_RR_ZERO_SRC2 num, op, exp, a
    TEST_CASE \num
    li      a1, \a
    \op     a4, a1, x0
    CHECK   a4, \exp
.endm

.macro TEST_RR_ZERO_SRC12 num, op, exp
    TEST_CASE \num
    li      a4, 0x5a5a5a5a
    \op     a4, x0, x0
    CHECK   a4, \exp
.endm

/* ------------------------------------------------------------------------
 * Register-immediate ALU tests: a4 = a1 op imm
 * ---------------------------------------------------------------------- */
.macro TEST_IMM num, op, exp, a, imm
    TEST_CASE \num
    li      a1, \a
    \op     a4, a1, \imm
    CHECK   a4, \exp
.endm

.macro TEST_IMM_SRC_EQ_DEST num, op, exp, a, imm
    TEST_CASE \num
    li      a1, \a
    \op     a1, a1, \imm
    CHECK   a1, \exp
.endm

.macro TEST_IMM_ZERO_SRC num, op, exp, imm
    TEST_CASE \num
    li      a4, 0x5a5a5a5a
    \op     a4, x0, \imm
    CHECK   a4, \exp
.endm

.macro TEST_IMM_ZERO_DEST num, op, a, imm
    TEST_CASE \num
    li      a1, \a
    \op     x0, a1, \imm
    CHECK   x0, 0
.endm

/* ------------------------------------------------------------------------
 * Loads: a4 = load(label + off) with base register a1 = label + bias,
 * so the instruction sees offset (off - bias). Use bias to get negative or
 * large offsets.  TEST_LOAD num, op, exp, label, bias, imm
 *   -> a1 = label + bias ; op a4, imm(a1)   (effective address label+bias+imm)
 * ---------------------------------------------------------------------- */
.macro TEST_LOAD num, op, exp, label, bias, imm
    TEST_CASE \num
    la      a1, \label
    li      t4, \bias
    add     a1, a1, t4
    li      a4, 0x5a5a5a5a
    \op     a4, \imm(a1)
    CHECK   a4, \exp
.endm

/* ------------------------------------------------------------------------
 * Stores: store `val` with `sop` at label+bias+imm, read back with `lop`,
 * expect `exp`.
 * ---------------------------------------------------------------------- */
.macro TEST_STORE num, sop, lop, exp, val, label, bias, imm
    TEST_CASE \num
    la      a1, \label
    li      t4, \bias
    add     a1, a1, t4
    li      a2, \val
    \sop    a2, \imm(a1)
    li      a4, 0x5a5a5a5a
    \lop    a4, \imm(a1)
    CHECK   a4, \exp
.endm

/* ------------------------------------------------------------------------
 * Branches.
 * TEST_BR_TAKEN: the branch must be taken forward, then backward, then
 * forward again.  TEST_BR_NOT_TAKEN: forward and backward, never taken.
 * ---------------------------------------------------------------------- */
.macro TEST_BR_TAKEN num, op, a, b
    TEST_CASE \num
    li      a1, \a
    li      a2, \b
    \op     a1, a2, .Lbr2\@     /* forward, taken */
    j       fail
.Lbr1\@:
    \op     a1, a2, .Lbr3\@     /* forward, taken */
    j       fail
.Lbr2\@:
    \op     a1, a2, .Lbr1\@     /* backward, taken */
    j       fail
.Lbr3\@:
.endm

.macro TEST_BR_NOT_TAKEN num, op, a, b
    TEST_CASE \num
    li      a1, \a
    li      a2, \b
    \op     a1, a2, .Lbr1\@     /* forward, not taken */
    j       .Lbr2\@
.Lbr1\@:
    j       fail
.Lbr2\@:
    \op     a1, a2, .Lbr1\@     /* backward, not taken */
.endm

/* ------------------------------------------------------------------------
 * Trap recording.  TRAP_RECORDER emits a handler (label trap_recorder,
 * 4-byte aligned) that stores mcause/mtval/mepc/mstatus into TR_* registers,
 * counts, and resumes at TR_RESUME if non-zero, else at mepc + 4.
 * Interrupts (mcause bit 31) are not expected by it and cause a failure.
 * Handler clobbers s7.
 * ---------------------------------------------------------------------- */
.macro TRAP_RECORDER
    .align 2
trap_recorder:
    csrr    TR_CAUSE, mcause
    csrr    TR_TVAL, mtval
    csrr    TR_EPC, mepc
    csrr    TR_STATUS, mstatus
    addi    TR_COUNT, TR_COUNT, 1
    bgez    TR_CAUSE, .Ltr_exc\@
    j       fail                        /* interrupt: not expected here */
.Ltr_exc\@:
    mv      s7, TR_RESUME
    bnez    s7, .Ltr_resume\@
    addi    s7, TR_EPC, 4
.Ltr_resume\@:
    csrw    mepc, s7
    mret
.endm

/* Install trap_recorder as the (direct mode) trap vector. */
.macro USE_TRAP_RECORDER
    la      t0, trap_recorder
    csrw    mtvec, t0
.endm

/* TRAP_ARM, resuming at `label` instead of mepc + 4 (after a 16-bit
 * instruction that traps). */
.macro TRAP_ARM_RESUME label
    TRAP_ARM
    la      TR_RESUME, \label
.endm

/* Reset the recorder state before provoking a trap. */
.macro TRAP_ARM
    li      TR_COUNT, 0
    li      TR_CAUSE, -1
    li      TR_TVAL, -1
    li      TR_EPC, -1
    li      TR_RESUME, 0
.endm

/* After the provoking instruction: exactly one trap with this cause/epc. */
.macro CHECK_TRAP cause, epc_label
    CHECK      TR_COUNT, 1
    CHECK      TR_CAUSE, \cause
    CHECK_ADDR TR_EPC, \epc_label
.endm

.macro CHECK_NO_TRAP
    CHECK   TR_COUNT, 0
.endm

/* Execute the raw instruction word `word` and expect exactly one trap with
 * the given cause, mepc == address of the word and mtval == tval.
 * (Requires USE_TRAP_RECORDER.) */
.macro TEST_TRAP_WORD num, word, cause, tval
    TEST_CASE \num
    TRAP_ARM
.Ltrap_word_\@:
    .word   \word
    CHECK      TR_COUNT, 1
    CHECK      TR_CAUSE, \cause
    CHECK_ADDR TR_EPC, .Ltrap_word_\@
    CHECK      TR_TVAL, \tval
.endm

/* Illegal instruction: mtval must hold the instruction bits.
 * (-DQEMU_SPIKE: QEMU 7.2 fills mtval only on some paths; not checked.) */
#ifdef QEMU_SPIKE
.macro TEST_ILLEGAL num, word
    TEST_CASE \num
    TRAP_ARM
.Lill_word_\@:
    .word   \word
    CHECK      TR_COUNT, 1
    CHECK      TR_CAUSE, CAUSE_ILLEGAL
    CHECK_ADDR TR_EPC, .Lill_word_\@
.endm
#else
.macro TEST_ILLEGAL num, word
    TEST_TRAP_WORD \num, \word, CAUSE_ILLEGAL, \word
.endm
#endif

/* Execute the raw instruction word and expect no trap. */
.macro TEST_NO_TRAP_WORD num, word
    TEST_CASE \num
    TRAP_ARM
    .word   \word
    CHECK   TR_COUNT, 0
.endm

/* Raw CSR instruction encodings, for CSRs the assembler refuses to write
 * (read-only ones) or does not know.  rd/rs1 are register NUMBERS.
 *   funct3: 1 csrrw, 2 csrrs, 3 csrrc, 5 csrrwi, 6 csrrsi, 7 csrrci      */
#define CSR_ENC(f3, rd, rs1, csr) \
    (((csr) << 20) | ((rs1) << 15) | ((f3) << 12) | ((rd) << 7) | 0x73)

#endif
