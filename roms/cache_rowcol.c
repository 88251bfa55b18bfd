/*
 * cache_rowcol: the same work done in two loop orders over one 2D array.
 *
 * grid is N x N int32 (128 x 128 = 64 KiB, in .bss, 64-byte aligned). It is
 * filled row-major, then summed PASSES times, either
 *   -DROW_MAJOR : for i { for j { grid[i][j] } }   consecutive addresses (+4 B)
 *   -DCOL_MAJOR : for j { for i { grid[i][j] } }   +N*4 = 512 B per access
 * The checksum is order-independent, so cache_row.elf and cache_col.elf print
 * the same numbers; only the memory access pattern differs. The reads go
 * through a volatile pointer so -O2 keeps every load, in this order.
 */
#include "rt.h"

#define N      128
#define PASSES 2

#if defined(ROW_MAJOR) == defined(COL_MAJOR)
#error "define exactly one of ROW_MAJOR / COL_MAJOR"
#endif

static int32_t grid[N][N] __attribute__((aligned(64)));

int main(void)
{
    /* Fill row-major (identical in both ROMs). */
    uint32_t x = 12345u;
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
            x = x * 1103515245u + 12345u;
            grid[i][j] = (int32_t)(x >> 16) - 32768;
        }
    }

    volatile int32_t (*g)[N] = grid;
    uint32_t sum = 0, check = 0;
    for (int p = 0; p < PASSES; p++) {
#ifdef ROW_MAJOR
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
#else
        for (int j = 0; j < N; j++) {
            for (int i = 0; i < N; i++) {
#endif
                uint32_t v = (uint32_t)g[i][j];
                sum += v;
                check += v * (uint32_t)(i * N + j + 1);
            }
        }
    }

#ifdef ROW_MAJOR
    rt_puts("cache_row ");
#else
    rt_puts("cache_col ");
#endif
    rt_put_udec(N);
    rt_putchar('x');
    rt_put_udec(N);
    rt_puts(" passes=");
    rt_put_udec(PASSES);
    rt_puts(" sum=");
    rt_put_dec((int32_t)sum);
    rt_puts(" check=");
    rt_put_hex(check);
    rt_putchar('\n');
    return 0;
}
