/* scanf: reads integers from the console until end of input and prints
 * their count, sum and maximum; exits with the count (status). */
#include <stdio.h>

int main(void)
{
    int n = 0, sum = 0, max = 0, v;
    printf("Type integers, end with Ctrl-D:\n");
    while (scanf("%d", &v) == 1) {
        if (n == 0 || v > max)
            max = v;
        sum += v;
        n++;
    }
    printf("count %d, sum %d, max %d\n", n, sum, max);
    return n;
}
