/*
 * cache_stride: read every element of one array exactly once, visiting them
 * with a stride of STRIDE ints (-DSTRIDE=1/4/8/16; 4/16/32/64 bytes).
 *
 * arr is M = 32768 int32 (128 KiB, in .bss, 64-byte aligned). The walk is
 *     for off in 0..STRIDE-1:  for i = off; i < M; i += STRIDE:  read arr[i]
 * i.e. the k-th access (k = 0..M-1) reads index (k*STRIDE) % M + (k*STRIDE) / M:
 * it wraps modulo the array size, one element further each time round.
 * Every variant does M = 32768 reads of the same elements, so all print the
 * same checksum; only the order (and so the cache behaviour) differs.
 * The array is filled sequentially first (identical in all variants). Reads
 * go through a volatile pointer so -O2 keeps every load, in this order.
 */
#include "rt.h"

#ifndef STRIDE
#define STRIDE 1
#endif

#define M 32768

static int32_t arr[M] __attribute__((aligned(64)));

int main(void)
{
    uint32_t x = 2463534242u;
    for (int i = 0; i < M; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        arr[i] = (int32_t)(x & 0xffff) - 32768;
    }

    volatile int32_t *a = arr;
    uint32_t sum = 0, check = 0;
    for (int off = 0; off < STRIDE; off++) {
        for (int i = off; i < M; i += STRIDE) {
            uint32_t v = (uint32_t)a[i];
            sum += v;
            check += v * (uint32_t)(i + 1);
        }
    }

    rt_puts("cache_stride stride=");
    rt_put_udec(STRIDE);
    rt_puts(" reads=");
    rt_put_udec(M);
    rt_puts(" sum=");
    rt_put_dec((int32_t)sum);
    rt_puts(" check=");
    rt_put_hex(check);
    rt_putchar('\n');
    return 0;
}
