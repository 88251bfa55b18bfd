/*
 * matmul_cache: C = A x B for N = 64 int32 matrices (16 KiB each, in .bss),
 * in two loop structures built from this one source:
 *   default      -> matmul_naive.elf   : i-j-k; the inner k loop walks a
 *                                        column of B (stride N*4 = 256 B)
 *   -DBLOCKED    -> matmul_blocked.elf : the same i-j-k product done on
 *                                        BLOCK x BLOCK tiles (BLOCK = 8),
 *                                        partial sums accumulated in C
 * Integer arithmetic is exact, so both print the same checksum line.
 * Both inner k loops are unrolled 4x (same in both) to keep the run short.
 */
#include "rt.h"

#define N     64
#ifndef BLOCK
#define BLOCK 8
#endif

static int32_t A[N][N] __attribute__((aligned(64)));
static int32_t B[N][N] __attribute__((aligned(64)));
static int32_t C[N][N] __attribute__((aligned(64)));

int main(void)
{
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
            A[i][j] = (int32_t)((i * 7 + j * 3) % 17) - 8;
            B[i][j] = (int32_t)((i * 5 + j * 11) % 13) - 6;
        }
    }

#ifndef BLOCKED
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
            int32_t acc = 0;
#pragma GCC unroll 4
            for (int k = 0; k < N; k++)
                acc += A[i][k] * B[k][j];
            C[i][j] = acc;
        }
    }
#else
    /* C starts at zero (.bss). */
    for (int ii = 0; ii < N; ii += BLOCK) {
        for (int jj = 0; jj < N; jj += BLOCK) {
            for (int kk = 0; kk < N; kk += BLOCK) {
                for (int i = ii; i < ii + BLOCK; i++) {
                    for (int j = jj; j < jj + BLOCK; j++) {
                        int32_t acc = C[i][j];
#pragma GCC unroll 4
                        for (int k = kk; k < kk + BLOCK; k++)
                            acc += A[i][k] * B[k][j];
                        C[i][j] = acc;
                    }
                }
            }
        }
    }
#endif

    int32_t sum = 0, trace = 0;
    uint32_t hash = 2166136261u;
    for (int i = 0; i < N; i++) {
        trace += C[i][i];
        for (int j = 0; j < N; j++) {
            sum += C[i][j];
            hash = (hash ^ (uint32_t)C[i][j]) * 16777619u;
        }
    }

    rt_puts("matmul ");
    rt_put_udec(N);
    rt_putchar('x');
    rt_put_udec(N);
    rt_puts(" sum=");
    rt_put_dec(sum);
    rt_puts(" trace=");
    rt_put_dec(trace);
    rt_puts(" hash=");
    rt_put_hex(hash);
    rt_putchar('\n');
    return 0;
}
