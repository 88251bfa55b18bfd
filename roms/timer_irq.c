/*
 * timer_irq: machine timer interrupts.
 * Installs an assembly trap entry (saves caller-saved registers, calls C),
 * programs mtimecmp = mtime + 5000, enables MTIE and mstatus.MIE and sleeps
 * with wfi. Each interrupt prints "tick N" through the UART and reprograms
 * the timer. After 5 ticks: interrupts off, mtvec restored to 0, prints
 * "done", exit code 0 (ecall 93 from crt0).
 */
#include "rt.h"

#define TICK_INTERVAL 5000u
#define TICKS 5

static volatile uint32_t ticks;

static void timer_set(uint32_t delta)
{
    volatile uint32_t *mtime = (volatile uint32_t *)CLINT_MTIME;
    volatile uint32_t *cmp = (volatile uint32_t *)CLINT_MTIMECMP;
    uint32_t lo, hi;
    do {                                  /* consistent 64-bit read */
        hi = mtime[1];
        lo = mtime[0];
    } while (mtime[1] != hi);
    uint32_t new_lo = lo + delta;
    uint32_t new_hi = hi + (new_lo < lo);
    cmp[0] = 0xffffffffu;                 /* no spurious match while updating */
    cmp[1] = new_hi;
    cmp[0] = new_lo;
}

static void timer_off(void)
{
    volatile uint32_t *cmp = (volatile uint32_t *)CLINT_MTIMECMP;
    cmp[0] = 0xffffffffu;
    cmp[1] = 0xffffffffu;
}

/* Called from trap_entry with interrupts disabled. */
void trap_handler(void)
{
    uint32_t cause = csr_read(mcause);
    if (cause != 0x80000007u) {
        rt_puts("unexpected trap, mcause=");
        rt_put_hex(cause);
        rt_puts(" mepc=");
        rt_put_hex(csr_read(mepc));
        rt_putchar('\n');
        csr_write(mtvec, 0);              /* so that the exit ecall is served */
        sys_exit(2);
    }
    ticks++;
    rt_puts("tick ");
    rt_put_udec(ticks);
    rt_putchar('\n');
    timer_set(TICK_INTERVAL);
}

/* Trap entry: save the caller-saved registers, call trap_handler, mret. */
__asm__(
    "    .text\n"
    "    .align 2\n"
    "    .globl trap_entry\n"
    "trap_entry:\n"
    "    addi sp, sp, -64\n"
    "    sw ra,  0(sp)\n"
    "    sw t0,  4(sp)\n"
    "    sw t1,  8(sp)\n"
    "    sw t2, 12(sp)\n"
    "    sw t3, 16(sp)\n"
    "    sw t4, 20(sp)\n"
    "    sw t5, 24(sp)\n"
    "    sw t6, 28(sp)\n"
    "    sw a0, 32(sp)\n"
    "    sw a1, 36(sp)\n"
    "    sw a2, 40(sp)\n"
    "    sw a3, 44(sp)\n"
    "    sw a4, 48(sp)\n"
    "    sw a5, 52(sp)\n"
    "    sw a6, 56(sp)\n"
    "    sw a7, 60(sp)\n"
    "    call trap_handler\n"
    "    lw ra,  0(sp)\n"
    "    lw t0,  4(sp)\n"
    "    lw t1,  8(sp)\n"
    "    lw t2, 12(sp)\n"
    "    lw t3, 16(sp)\n"
    "    lw t4, 20(sp)\n"
    "    lw t5, 24(sp)\n"
    "    lw t6, 28(sp)\n"
    "    lw a0, 32(sp)\n"
    "    lw a1, 36(sp)\n"
    "    lw a2, 40(sp)\n"
    "    lw a3, 44(sp)\n"
    "    lw a4, 48(sp)\n"
    "    lw a5, 52(sp)\n"
    "    lw a6, 56(sp)\n"
    "    lw a7, 60(sp)\n"
    "    addi sp, sp, 64\n"
    "    mret\n");

extern char trap_entry[];

int main(void)
{
    ticks = 0;
    csr_write(mtvec, (uint32_t)(uintptr_t)trap_entry);   /* direct mode */
    timer_set(TICK_INTERVAL);
    csr_write(mie, MIE_MTIE);
    csr_set(mstatus, MSTATUS_MIE);

    while (ticks < TICKS)
        __asm__ volatile ("wfi");

    csr_clear(mstatus, MSTATUS_MIE);
    csr_write(mie, 0);
    timer_off();
    csr_write(mtvec, 0);                  /* let crt0's exit ecall be served */

    rt_puts("done\n");
    return 0;
}
