/*
 * exit_code: print "exiting with 3" and exit via ecall 93 with code 3.
 */
#include "rt.h"

int main(void)
{
    rt_puts("exiting with 3\n");
    sys_exit(3);
}
