/*
 * leds: LEDs driven by switches.
 *
 * LED n shows switch n; while button A is held the LEDs show the
 * switches inverted. The seven-segment display shows the switches as four
 * hexadecimal digits. The program never exits.
 *
 * Between changes it sleeps with wfi. The GPIO change interrupt (PLIC
 * source 13) is enabled in the PLIC and in mie but mstatus.MIE stays
 * clear: a pending interrupt wakes wfi without trapping, so no handler is
 * needed. After waking, the program acknowledges the change (CHANGED is
 * write-1-to-clear) and claims and completes the PLIC source so the next
 * change can wake it again.
 */
#include "dev.h"

static void show(void)
{
    uint32_t sw = GPIO_SWITCHES & 0xffffu;
    uint32_t leds = (GPIO_BUTTONS & BTN_A) ? (~sw & 0xffffu) : sw;
    GPIO_LEDS = leds;
    sevenseg_hex(sw);
}

/* No interrupt traps here (mstatus.MIE stays clear): any trap is a bug. */
void irq_handler(uint32_t mcause)
{
    irq_off();
    rt_puts("unexpected trap, mcause=");
    rt_put_hex(mcause);
    rt_puts(" mepc=");
    rt_put_hex(csr_read(mepc));
    rt_putchar('\n');
    sys_exit(2);
}

int main(void)
{
    csr_write(mtvec, (uint32_t)(uintptr_t)trap_entry);
    plic_enable(IRQ_GPIO, 1);
    PLIC_THRESHOLD = 0;
    GPIO_IRQ_ENABLE = 1;
    csr_write(mie, MIE_MEIE);   /* mstatus.MIE stays 0: wake only */

    for (;;) {
        /* Acknowledge before reading, so a change while showing wakes us. */
        GPIO_CHANGED = GPIO_CHANGED;
        uint32_t src = PLIC_CLAIM;
        if (src != 0)
            PLIC_CLAIM = src;
        show();
        __asm__ volatile ("wfi");
    }
}
