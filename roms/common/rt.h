/*
 * Tiny runtime for Glassbox C ROMs (no libc).
 *
 * The output backend is chosen at compile time of rt.c:
 *   -DRT_OUT_UART     bytes go to the 16550 THR at 0x10000000 (polls LSR.THRE)
 *   -DRT_OUT_SYSCALL  bytes go through ecall write(1, buf, n)  (default)
 *   -DRT_OUT_HTIF     bytes go through the HTIF syscall proxy (write 64),
 *                     rt_exit() then reports through tohost.
 */
#ifndef GLASSBOX_RT_H
#define GLASSBOX_RT_H

#include <stdint.h>
#include <stddef.h>

/* ---- platform addresses ------------------------------------------------ */
#define UART_BASE      0x10000000u
#define UART_THR       (UART_BASE + 0)
#define UART_RBR       (UART_BASE + 0)
#define UART_LSR       (UART_BASE + 5)
#define UART_LSR_DR    0x01u
#define UART_LSR_THRE  0x20u

#define CLINT_BASE     0x02000000u
#define CLINT_MSIP     (CLINT_BASE + 0x0000)
#define CLINT_MTIMECMP (CLINT_BASE + 0x4000)
#define CLINT_MTIME    (CLINT_BASE + 0xBFF8)

#define MSTATUS_MIE    (1u << 3)
#define MSTATUS_MPIE   (1u << 7)
#define MIE_MSIE       (1u << 3)
#define MIE_MTIE       (1u << 7)

/* ---- CSR helpers ------------------------------------------------------- */
#define csr_read(csr) ({ uint32_t __v; \
    __asm__ volatile ("csrr %0, " #csr : "=r"(__v) :: "memory"); __v; })
#define csr_write(csr, val) ({ uint32_t __v = (uint32_t)(val); \
    __asm__ volatile ("csrw " #csr ", %0" :: "rK"(__v) : "memory"); })
#define csr_set(csr, val) ({ uint32_t __v = (uint32_t)(val); \
    __asm__ volatile ("csrs " #csr ", %0" :: "rK"(__v) : "memory"); })
#define csr_clear(csr, val) ({ uint32_t __v = (uint32_t)(val); \
    __asm__ volatile ("csrc " #csr ", %0" :: "rK"(__v) : "memory"); })

/* ---- raw syscalls (served by the simulator while mtvec == 0) ----------- */
long sys_read(int fd, void *buf, size_t n);     /* Linux 63 */
long sys_write(int fd, const void *buf, size_t n); /* Linux 64 */
void sys_exit(int code) __attribute__((noreturn)); /* Linux 93 */

/* ---- output ------------------------------------------------------------ */
void rt_write(const char *buf, size_t n);  /* via the selected backend */
void rt_putchar(char c);
void rt_puts(const char *s);               /* no newline appended */
void rt_put_udec(uint32_t v);
void rt_put_dec(int32_t v);
void rt_put_hex(uint32_t v);               /* "0x" + 8 lowercase digits */
void rt_exit(int code) __attribute__((noreturn));

/* ---- UART direct access ------------------------------------------------ */
void uart_putc(char c);

size_t rt_strlen(const char *s);

#endif
