/* tiny_scanf: scanf.c for the tiny runtime. Reads the console with the
 * read syscall until end of input, parses signed decimal integers by
 * hand, prints their count, sum and maximum; exits with the count. */
#include "rt.h"

/* The next byte of input, or -1 at end of input. */
static int next_byte(void)
{
    static char buf[64];
    static long len, at;
    if (at == len) {
        len = sys_read(0, buf, sizeof buf);
        at = 0;
        if (len <= 0)
            return -1;
    }
    return (unsigned char)buf[at++];
}

/* Reads one integer into *v; 0 at end of input. */
static int read_int(int *v)
{
    int c = next_byte();
    while (c == ' ' || c == '\n' || c == '\t' || c == '\r')
        c = next_byte();
    int neg = c == '-';
    if (neg)
        c = next_byte();
    if (c < '0' || c > '9')
        return 0;
    int x = 0;
    while (c >= '0' && c <= '9') {
        x = 10 * x + (c - '0');
        c = next_byte();
    }
    *v = neg ? -x : x;
    return 1;
}

int main(void)
{
    int n = 0, sum = 0, max = 0, v;
    rt_puts("Type integers, end with Ctrl-D:\n");
    while (read_int(&v)) {
        if (n == 0 || v > max)
            max = v;
        sum += v;
        n++;
    }
    rt_puts("count ");
    rt_put_dec(n);
    rt_puts(", sum ");
    rt_put_dec(sum);
    rt_puts(", max ");
    rt_put_dec(max);
    rt_putchar('\n');
    return n;
}
