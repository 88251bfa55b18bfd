/*
 * fibonacci: print the first 20 Fibonacci numbers F(0)..F(19), one per line,
 * through the UART; exit code 0.
 */
#include "rt.h"

int main(void)
{
    uint32_t a = 0, b = 1;
    for (int i = 0; i < 20; i++) {
        rt_put_udec(a);
        rt_putchar('\n');
        uint32_t next = a + b;
        a = b;
        b = next;
    }
    return 0;
}
