/*
 * keyboard_irq: keyboard interrupts through the PLIC (source 11).
 *
 * The handler claims the interrupt, pops every event from the keyboard
 * FIFO into a ring buffer and completes it. The main loop sleeps with wfi
 * and prints each event on the UART ("press a (0x04)"), counts the events
 * on the seven-segment display and lights LED n while a key with code
 * 0x04 + n (a, b, c, ...) is held. Esc ends the run (exit code 0).
 */
#include "dev.h"

#define RING 64u

static volatile uint32_t ring[RING];
static volatile uint32_t head, tail;
static volatile uint32_t overflows;

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
    if (src == IRQ_KEYBOARD) {
        uint32_t status;
        /* Reading STATUS also clears its sticky overflow bit. */
        while ((status = KBD_STATUS) & KBD_STATUS_AVAIL) {
            if (status & KBD_STATUS_OVERFLOW)
                overflows++;
            uint32_t ev = KBD_DATA;
            if (head - tail < RING) {
                ring[head % RING] = ev;
                head++;
            }
        }
        if (status & KBD_STATUS_OVERFLOW)
            overflows++;
    }
    if (src != 0)
        PLIC_CLAIM = src;
}

static void put_key_name(uint32_t code)
{
    static const char *const named[] = {
        [0x28] = "enter", [0x29] = "esc", [0x2A] = "backspace",
        [0x2B] = "tab", [0x2C] = "space",
        [0x4F] = "right", [0x50] = "left", [0x51] = "down", [0x52] = "up",
    };
    if (code >= 0x04 && code <= 0x1D)
        rt_putchar((char)('a' + (code - 0x04)));
    else if (code >= 0x1E && code <= 0x26)
        rt_putchar((char)('1' + (code - 0x1E)));
    else if (code == 0x27)
        rt_putchar('0');
    else if (code < sizeof named / sizeof named[0] && named[code])
        rt_puts(named[code]);
    else
        rt_puts("key");
}

int main(void)
{
    csr_write(mtvec, (uint32_t)(uintptr_t)trap_entry);
    plic_enable(IRQ_KEYBOARD, 1);
    PLIC_THRESHOLD = 0;
    KBD_CTRL = 1;
    csr_write(mie, MIE_MEIE);

    rt_puts("keyboard: press keys; Esc ends\n");
    uint32_t events = 0, held = 0, seen_overflows = 0;
    sevenseg_dec(0);
    for (;;) {
        csr_clear(mstatus, MSTATUS_MIE);
        if (tail == head)
            __asm__ volatile ("wfi");
        csr_set(mstatus, MSTATUS_MIE);
        while (tail != head) {
            uint32_t ev = ring[tail % RING];
            tail++;
            uint32_t code = KBD_CODE(ev);
            int press = (ev & KBD_PRESS) != 0;
            events++;
            rt_puts(press ? "press " : "release ");
            put_key_name(code);
            rt_puts(" (0x");
            rt_putchar("0123456789abcdef"[(code >> 4) & 0xf]);
            rt_putchar("0123456789abcdef"[code & 0xf]);
            rt_puts(")\n");
            if (code >= 0x04 && code < 0x04 + 16) {
                uint32_t bit = 1u << (code - 0x04);
                held = press ? (held | bit) : (held & ~bit);
                GPIO_LEDS = held;
            }
            sevenseg_dec(events % 10000);
            if (code == KEY_ESC && press) {
                KBD_CTRL = 0;
                irq_off();
                rt_puts("events: ");
                rt_put_udec(events);
                rt_puts("\n");
                return 0;
            }
        }
        if (overflows != seen_overflows) {
            seen_overflows = overflows;
            rt_puts("keyboard FIFO overflowed: events were lost\n");
        }
    }
}
