/*
 * Glassbox devices for the demo ROMs in roms/devices/: register addresses
 * (the contract is docs/platform.md, "Devices"), PLIC helpers and the trap
 * entry that calls irq_handler().
 */
#ifndef GLASSBOX_DEV_H
#define GLASSBOX_DEV_H

#include "rt.h"

#define REG(addr) (*(volatile uint32_t *)(uintptr_t)(addr))

/* ---- PLIC (as on QEMU virt), context 0 = M-mode hart 0 ----------------- */
#define PLIC_BASE          0x0c000000u
#define PLIC_PRIORITY(src) REG(PLIC_BASE + 4u * (src))
#define PLIC_PENDING       REG(PLIC_BASE + 0x1000u)
#define PLIC_ENABLE        REG(PLIC_BASE + 0x2000u)
#define PLIC_THRESHOLD     REG(PLIC_BASE + 0x200000u)
#define PLIC_CLAIM         REG(PLIC_BASE + 0x200004u)

#define IRQ_UART     10u
#define IRQ_KEYBOARD 11u
#define IRQ_VSYNC    12u
#define IRQ_GPIO     13u

#define MIE_MEIE       (1u << 11)
#define MCAUSE_MEI     0x8000000bu

/* ---- display controller ------------------------------------------------ */
#define DISP_BASE         0x11000000u
#define DISP_WIDTH        REG(DISP_BASE + 0x00u)
#define DISP_HEIGHT       REG(DISP_BASE + 0x04u)
#define DISP_FORMAT       REG(DISP_BASE + 0x08u)
#define DISP_STRIDE       REG(DISP_BASE + 0x0Cu)
#define DISP_FRAME        REG(DISP_BASE + 0x10u)
#define DISP_STATUS       REG(DISP_BASE + 0x14u)
#define DISP_FB_BASE      REG(DISP_BASE + 0x18u)
#define DISP_FRAME_CYCLES REG(DISP_BASE + 0x1Cu)
#define DISP_IRQ_ENABLE   REG(DISP_BASE + 0x20u)
#define DISP_FORMAT_XRGB8888 0u
#define DISP_FORMAT_RGB565   1u
#define DISP_STATUS_VSYNC    1u

/* ---- keyboard ---------------------------------------------------------- */
#define KBD_BASE     0x11001000u
#define KBD_STATUS   REG(KBD_BASE + 0x00u)
#define KBD_DATA     REG(KBD_BASE + 0x04u)
#define KBD_CTRL     REG(KBD_BASE + 0x08u)
#define KBD_STATUS_AVAIL    1u
#define KBD_STATUS_OVERFLOW 2u
#define KBD_PRESS    (1u << 16)
#define KBD_CODE(ev) ((ev) & 0xffffu)

/* USB HID usage IDs (page 7) used by the demos. */
#define KEY_A      0x04u
#define KEY_D      0x07u
#define KEY_S      0x16u
#define KEY_W      0x1Au
#define KEY_ENTER  0x28u
#define KEY_ESC    0x29u
#define KEY_SPACE  0x2Cu
#define KEY_RIGHT  0x4Fu
#define KEY_LEFT   0x50u
#define KEY_DOWN   0x51u
#define KEY_UP     0x52u

/* ---- GPIO: LEDs, switches, buttons, seven-segment ----------------------- */
#define GPIO_BASE       0x11002000u
#define GPIO_LEDS       REG(GPIO_BASE + 0x00u)
#define GPIO_SWITCHES   REG(GPIO_BASE + 0x04u)
#define GPIO_BUTTONS    REG(GPIO_BASE + 0x08u)
#define GPIO_SEVENSEG   REG(GPIO_BASE + 0x0Cu)
#define GPIO_IRQ_ENABLE REG(GPIO_BASE + 0x10u)
#define GPIO_CHANGED    REG(GPIO_BASE + 0x14u)
#define BTN_UP     (1u << 0)
#define BTN_DOWN   (1u << 1)
#define BTN_LEFT   (1u << 2)
#define BTN_RIGHT  (1u << 3)
#define BTN_A      (1u << 4)
#define BTN_B      (1u << 5)
#define BTN_START  (1u << 6)
#define BTN_SELECT (1u << 7)

/* ---- UART 16550 interrupt registers ------------------------------------- */
#define UART_IER   (UART_BASE + 1)
#define UART_IIR   (UART_BASE + 2)
#define UART_IER_RDA 1u

/* Segments a..g (bits 0..6) of the hexadecimal digits. */
static const uint8_t SEG_HEX[16] = {
    0x3f, 0x06, 0x5b, 0x4f, 0x66, 0x6d, 0x7d, 0x07,
    0x7f, 0x6f, 0x77, 0x7c, 0x39, 0x5e, 0x79, 0x71,
};

/* Shows v as four hexadecimal digits (digit 0 = least significant). */
static inline void sevenseg_hex(uint32_t v)
{
    uint32_t segs = 0;
    for (int i = 0; i < 4; i++)
        segs |= (uint32_t)SEG_HEX[(v >> (4 * i)) & 0xf] << (8 * i);
    GPIO_SEVENSEG = segs;
}

/* Shows v (0..9999) as four decimal digits. */
static inline void sevenseg_dec(uint32_t v)
{
    uint32_t segs = 0;
    for (int i = 0; i < 4; i++) {
        segs |= (uint32_t)SEG_HEX[v % 10] << (8 * i);
        v /= 10;
    }
    GPIO_SEVENSEG = segs;
}

/* Enables one PLIC source for context 0 at a priority above threshold 0. */
static inline void plic_enable(uint32_t src, uint32_t priority)
{
    PLIC_PRIORITY(src) = priority;
    PLIC_ENABLE |= 1u << src;
}

static inline void uart_out(char c)
{
    volatile uint8_t *lsr = (volatile uint8_t *)UART_LSR;
    volatile uint8_t *thr = (volatile uint8_t *)UART_THR;
    while (!(*lsr & UART_LSR_THRE))
        ;
    *thr = (uint8_t)c;
}

/* trap.S saves the caller-saved registers and calls this with mcause. */
void irq_handler(uint32_t mcause);
extern char trap_entry[];

/* Leaves the trap vector so that crt0's exit ecall is served. */
static inline void irq_off(void)
{
    csr_clear(mstatus, MSTATUS_MIE);
    csr_write(mie, 0);
    csr_write(mtvec, 0);
}

#endif
