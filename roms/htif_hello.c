/*
 * htif_hello: print one line through the HTIF syscall proxy (write, 64, to
 * fd 1: tohost = address of {64, 1, buf, len}), then exit through tohost
 * with code 0 (stores 1). Uses no ecall at all.
 */
#include "rt.h"

int main(void)
{
    rt_puts("Hello from Glassbox via HTIF!\n");
    rt_exit(0);
}
