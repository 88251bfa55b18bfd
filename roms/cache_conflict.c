/*
 * cache_conflict: ping-pong between two 4 KiB arrays whose distance is
 * exactly 4096 bytes, so A[i] and B[i] map to the same set of any cache whose
 * way size (size / ways) divides 4096 -- e.g. a 4 KiB direct-mapped cache:
 * there every access evicts the line the next one needs.
 *
 * buf is one 4096-byte-aligned .bss array: A = &buf[0], B = &buf[1024 + PAD].
 *   default     -> cache_conflict.elf   : PAD = 0,  B - A = 4096 bytes
 *   -DPAD=64    -> cache_noconflict.elf : B - A = 4096 + 256 bytes (control:
 *                                         same work, the sets differ)
 * Loop: PASSES times, for i in 0..1023: read A[i], then B[i] (volatile).
 */
#include "rt.h"

#define WORDS  1024          /* 4 KiB per array */
#define PASSES 32
#ifndef PAD
#define PAD 0                /* extra int32 words between A's end and B */
#endif

static int32_t buf[2 * WORDS + PAD] __attribute__((aligned(4096)));

int main(void)
{
    int32_t *a = &buf[0];
    int32_t *b = &buf[WORDS + PAD];
    for (int i = 0; i < WORDS; i++) {
        a[i] = i * 3 + 1;
        b[i] = i * 5 - 7;
    }

    volatile int32_t *va = a;
    volatile int32_t *vb = b;
    uint32_t sum = 0, check = 2166136261u;
    for (int p = 0; p < PASSES; p++) {
        for (int i = 0; i < WORDS; i++) {
            uint32_t x = (uint32_t)va[i];
            uint32_t y = (uint32_t)vb[i];
            sum += x + y;
            check = (check ^ x) * 16777619u;
            check = (check ^ y) * 16777619u;
        }
    }

    rt_puts("cache_conflict distance=");
    rt_put_udec((uint32_t)((uintptr_t)b - (uintptr_t)a));
    rt_puts(" reads=");
    rt_put_udec(2u * WORDS * PASSES);
    rt_puts(" sum=");
    rt_put_udec(sum);
    rt_puts(" check=");
    rt_put_hex(check);
    rt_putchar('\n');
    return 0;
}
