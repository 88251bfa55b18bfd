/*
 * bubble_sort: sort a fixed array of 32 signed ints with bubble sort, print
 * it before and after (via the write syscall), verify the order and that the
 * element sum is unchanged. Exit code 0 if sorted, 1 otherwise.
 */
#include "rt.h"

#define N 32

static int32_t data[N] = {
     42,  -7,  19,    0, 1000,  -250,   3,   88,
    -13,  56,   7,  -99,   64,    21, -1,  512,
     33,  -4,  77,    9, -300,    15,  2,  -64,
    128,  11, -42,  256,    5,   -8,  70,   19,
};

static void print_array(const char *label)
{
    rt_puts(label);
    for (int i = 0; i < N; i++) {
        rt_putchar(' ');
        rt_put_dec(data[i]);
    }
    rt_putchar('\n');
}

static int32_t sum(void)
{
    int32_t s = 0;
    for (int i = 0; i < N; i++)
        s += data[i];
    return s;
}

static void bubble_sort(int32_t *a, int n)
{
    for (int end = n - 1; end > 0; end--) {
        int swapped = 0;
        for (int i = 0; i < end; i++) {
            if (a[i] > a[i + 1]) {
                int32_t t = a[i];
                a[i] = a[i + 1];
                a[i + 1] = t;
                swapped = 1;
            }
        }
        if (!swapped)
            break;
    }
}

int main(void)
{
    int32_t before = sum();
    print_array("unsorted:");
    bubble_sort(data, N);
    print_array("sorted:");

    int ok = (sum() == before);
    for (int i = 0; i + 1 < N; i++)
        if (data[i] > data[i + 1])
            ok = 0;

    rt_puts(ok ? "check: ok\n" : "check: FAILED\n");
    return ok ? 0 : 1;
}
