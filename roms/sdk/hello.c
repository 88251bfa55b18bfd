/* hello: printf through picolibc's semihosting back end; exits with 0. */
#include <stdio.h>

int main(void)
{
    printf("Hello from picolibc on Glassbox!\n");
    printf("%d + %d = %d, %s, 0x%08x\n", 2, 40, 2 + 40, "strings", 0xc0ffeeu);
    return 0;
}
