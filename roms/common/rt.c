/*
 * Tiny runtime for Glassbox C ROMs. See rt.h for the backend selection.
 */
#include "rt.h"

#if !defined(RT_OUT_UART) && !defined(RT_OUT_SYSCALL) && !defined(RT_OUT_HTIF)
#define RT_OUT_SYSCALL 1
#endif

/* ---- raw syscalls ------------------------------------------------------ */
static long syscall3(long n, long a0, long a1, long a2)
{
    register long r_a0 __asm__("a0") = a0;
    register long r_a1 __asm__("a1") = a1;
    register long r_a2 __asm__("a2") = a2;
    register long r_a7 __asm__("a7") = n;
    __asm__ volatile ("ecall"
                      : "+r"(r_a0)
                      : "r"(r_a1), "r"(r_a2), "r"(r_a7)
                      : "memory");
    return r_a0;
}

long sys_read(int fd, void *buf, size_t n)
{
    return syscall3(63, fd, (long)buf, (long)n);
}

long sys_write(int fd, const void *buf, size_t n)
{
    return syscall3(64, fd, (long)buf, (long)n);
}

void sys_exit(int code)
{
    syscall3(93, code, 0, 0);
    for (;;) { }
}

/* ---- UART -------------------------------------------------------------- */
void uart_putc(char c)
{
    volatile uint8_t *lsr = (volatile uint8_t *)UART_LSR;
    volatile uint8_t *thr = (volatile uint8_t *)UART_THR;
    while ((*lsr & UART_LSR_THRE) == 0) { }
    *thr = (uint8_t)c;
}

/* ---- HTIF -------------------------------------------------------------- */
#if defined(RT_OUT_HTIF)
volatile uint64_t tohost   __attribute__((section(".tohost"), aligned(8))) = 0;
volatile uint64_t fromhost __attribute__((section(".tohost"), aligned(8))) = 0;

static volatile uint64_t htif_buf[4] __attribute__((aligned(64)));

/* Store v to tohost: low word first (Glassbox acts on this store), then the
 * high word 0 (QEMU's spike-machine HTIF acts on the high-word store). */
static void htif_tohost(uint32_t v)
{
    volatile uint32_t *p = (volatile uint32_t *)&tohost;
    p[0] = v;
    p[1] = 0;
}

static long htif_syscall(long n, long a0, long a1, long a2)
{
    /* zero-extend: addresses above 0x80000000 must not become 0xffffffff_8... */
    htif_buf[0] = (uint64_t)(uint32_t)n;
    htif_buf[1] = (uint64_t)(uint32_t)a0;
    htif_buf[2] = (uint64_t)(uint32_t)a1;
    htif_buf[3] = (uint64_t)(uint32_t)a2;
    __sync_synchronize();
    htif_tohost((uint32_t)(uintptr_t)htif_buf);
    volatile uint32_t *fh = (volatile uint32_t *)&fromhost;
    while (fh[0] == 0 && fh[1] == 0) { }
    fh[0] = 0;
    fh[1] = 0;
    __sync_synchronize();
    return (long)htif_buf[0];
}
#endif

/* ---- output backend ---------------------------------------------------- */
void rt_write(const char *buf, size_t n)
{
#if defined(RT_OUT_UART)
    for (size_t i = 0; i < n; i++)
        uart_putc(buf[i]);
#elif defined(RT_OUT_HTIF)
    htif_syscall(64, 1, (long)buf, (long)n);
#else
    sys_write(1, buf, n);
#endif
}

void rt_exit(int code)
{
#if defined(RT_OUT_HTIF)
    htif_tohost(((uint32_t)code << 1) | 1u);
    for (;;) { }
#else
    sys_exit(code);
#endif
}

size_t rt_strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

void rt_putchar(char c)
{
    rt_write(&c, 1);
}

void rt_puts(const char *s)
{
    rt_write(s, rt_strlen(s));
}

void rt_put_udec(uint32_t v)
{
    char buf[10];
    int i = sizeof buf;
    do {
        buf[--i] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0);
    rt_write(&buf[i], sizeof buf - (size_t)i);
}

void rt_put_dec(int32_t v)
{
    if (v < 0) {
        rt_putchar('-');
        rt_put_udec(0u - (uint32_t)v);
    } else {
        rt_put_udec((uint32_t)v);
    }
}

void rt_put_hex(uint32_t v)
{
    static const char digits[] = "0123456789abcdef";
    char buf[10];
    buf[0] = '0';
    buf[1] = 'x';
    for (int i = 0; i < 8; i++)
        buf[2 + i] = digits[(v >> (28 - 4 * i)) & 0xf];
    rt_write(buf, sizeof buf);
}

/* GCC may emit calls to these even in freestanding mode. */
void *memset(void *d, int c, size_t n)
{
    unsigned char *p = d;
    while (n--)
        *p++ = (unsigned char)c;
    return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
    unsigned char *p = d;
    const unsigned char *q = s;
    while (n--)
        *p++ = *q++;
    return d;
}
