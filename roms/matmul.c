/*
 * matmul: C = A x B for N x N int32 matrices with deterministic contents,
 * then print a checksum line (via the write syscall); exit code 0.
 * Also the performance benchmark (~1 million instructions).
 */
#include "rt.h"

#define N 50

static int32_t A[N][N], B[N][N], C[N][N];

int main(void)
{
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
            A[i][j] = (int32_t)((i * 7 + j * 3) % 17) - 8;
            B[i][j] = (int32_t)((i * 5 + j * 11) % 13) - 6;
        }
    }

    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) {
            int32_t acc = 0;
            for (int k = 0; k < N; k++)
                acc += A[i][k] * B[k][j];
            C[i][j] = acc;
        }
    }

    int32_t sum = 0;
    uint32_t hash = 2166136261u;          /* FNV-1a style mix over words */
    for (int i = 0; i < N; i++) {
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
    int32_t trace = 0;
    for (int i = 0; i < N; i++)
        trace += C[i][i];
    rt_put_dec(trace);
    rt_puts(" hash=");
    rt_put_hex(hash);
    rt_putchar('\n');
    return 0;
}
