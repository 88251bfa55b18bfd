/*
 * uart_echo_irq: a console echo driven by UART receive interrupts through
 * the PLIC, written as for QEMU virt (UART at 0x1000_0000, source 10).
 *
 * The handler claims the interrupt, moves every received byte (while
 * LSR.DR) into a ring buffer and completes it. The main loop sleeps with
 * wfi and echoes what the ring holds. Ctrl-D (0x04) ends the run with a
 * summary line and exit code 0.
 *
 * The main loop clears mstatus.MIE around "ring empty? then wfi": wfi
 * wakes on a pending interrupt even with MIE clear, so a byte arriving
 * between the check and the wfi is never slept through.
 */
#include "dev.h"

#define RING 256u

static volatile uint8_t ring[RING];
static volatile uint32_t head, tail;   /* head: written by the handler */
static volatile uint32_t irqs;

void irq_handler(uint32_t mcause)
{
    if (mcause != MCAUSE_MEI) {
        irq_off();
        rt_puts("unexpected trap, mcause=");
        rt_put_hex(mcause);
        rt_putchar('\n');
        sys_exit(2);
    }
    uint32_t src = PLIC_CLAIM;
    if (src == IRQ_UART) {
        volatile uint8_t *lsr = (volatile uint8_t *)UART_LSR;
        volatile uint8_t *rbr = (volatile uint8_t *)UART_RBR;
        while (*lsr & UART_LSR_DR) {
            uint8_t b = *rbr;
            if (head - tail < RING) {
                ring[head % RING] = b;
                head++;
            }
        }
        irqs++;
    }
    if (src != 0)
        PLIC_CLAIM = src;   /* complete */
}

int main(void)
{
    csr_write(mtvec, (uint32_t)(uintptr_t)trap_entry);
    plic_enable(IRQ_UART, 1);
    PLIC_THRESHOLD = 0;
    *(volatile uint8_t *)UART_IER = UART_IER_RDA;
    csr_write(mie, MIE_MEIE);

    rt_puts("echo: type; Ctrl-D ends\n");
    uint32_t bytes = 0, lines = 0;
    for (;;) {
        csr_clear(mstatus, MSTATUS_MIE);
        if (tail == head)
            __asm__ volatile ("wfi");
        csr_set(mstatus, MSTATUS_MIE);   /* the pending interrupt is taken here */
        while (tail != head) {
            uint8_t b = ring[tail % RING];
            tail++;
            if (b == 0x04) {
                *(volatile uint8_t *)UART_IER = 0;
                irq_off();
                rt_puts("\n[echo: ");
                rt_put_udec(bytes);
                rt_puts(" bytes, ");
                rt_put_udec(lines);
                rt_puts(" lines]\n");
                return 0;
            }
            bytes++;
            if (b == '\n')
                lines++;
            rt_putchar((char)b);
        }
    }
}
