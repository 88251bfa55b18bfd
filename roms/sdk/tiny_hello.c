/* tiny_hello: hello.c for the project's tiny runtime (roms/common, no
 * libc): output through rt_* and the write syscall, exit with main's
 * return value. */
#include "rt.h"

int main(void)
{
    rt_puts("Hello from the tiny runtime on Glassbox!\n");
    rt_put_dec(2);
    rt_puts(" + ");
    rt_put_dec(40);
    rt_puts(" = ");
    rt_put_dec(2 + 40);
    rt_puts(", ");
    rt_put_hex(0xc0ffee);
    rt_putchar('\n');
    return 0;
}
