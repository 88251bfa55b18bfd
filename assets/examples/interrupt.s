# interrupt.s - a machine timer interrupt handler.
# The CLINT's mtimecmp (0x02004000) fires when mtime (0x0200bff8) reaches
# it; the handler counts three ticks, re-arming the timer each time.
    .equ    MTIME,    0x0200bff8
    .equ    MTIMECMP, 0x02004000
    .equ    PERIOD,   500        # cycles between ticks
    .text
    .globl _start
_start:
    la      t0, handler
    csrw    mtvec, t0            # direct mode: all traps go to handler
    li      s0, 0                # tick counter (the handler increments it)
    call    arm_timer
    li      t0, 1 << 7
    csrs    mie, t0              # enable the timer interrupt (MTIE)
    csrsi   mstatus, 8           # enable interrupts globally (MIE)
wait:
    wfi                          # sleep until an interrupt
    li      t0, 3
    blt     s0, t0, wait
    csrci   mstatus, 8           # interrupts off
    csrw    mtvec, zero          # ecall goes to the host again
    li      a0, 0
    li      a7, 93
    ecall

# arm_timer: mtimecmp = mtime + PERIOD (the high word first to 0, so no
# spurious interrupt fires between the two stores)
arm_timer:
    li      t1, MTIME
    lw      t2, 0(t1)
    addi    t2, t2, PERIOD
    li      t1, MTIMECMP
    sw      zero, 4(t1)
    sw      t2, 0(t1)
    ret

    .p2align 2
handler:
    addi    sp, sp, -16
    sw      ra, 12(sp)
    sw      t1, 8(sp)
    sw      t2, 4(sp)
    csrr    t1, mcause
    bgez    t1, unexpected       # interrupts have the top bit set
    addi    s0, s0, 1
    call    arm_timer
    lw      ra, 12(sp)
    lw      t1, 8(sp)
    lw      t2, 4(sp)
    addi    sp, sp, 16
    mret
unexpected:
    csrw    mtvec, zero
    li      a0, 2
    li      a7, 93
    ecall
