/*
 * echo: copy console input to output, ASCII letters uppercased.
 * Reads with read(0, buf, n) (ecall 63) until it returns 0 (EOF) or an
 * error, writes each chunk with write(1, buf, n) (ecall 64); exit code 0.
 */
#include "rt.h"

static char buf[128];

int main(void)
{
    for (;;) {
        long n = sys_read(0, buf, sizeof buf);
        if (n <= 0)
            break;
        for (long i = 0; i < n; i++)
            if (buf[i] >= 'a' && buf[i] <= 'z')
                buf[i] = (char)(buf[i] - 'a' + 'A');
        sys_write(1, buf, (size_t)n);
    }
    return 0;
}
