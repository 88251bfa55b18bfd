/* tiny_malloc: malloc.c for the tiny runtime, which has no allocator: a
 * bump allocator on the heap the brk syscall (214) grows, with free a
 * no-op. Builds a sorted linked list of words, sums a 10000-word array;
 * exits with 0 if every allocation succeeded. */
#include "rt.h"

static long sys_brk(unsigned long addr)
{
    register long a0 __asm__("a0") = (long)addr;
    register long a7 __asm__("a7") = 214;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");
    return a0;
}

static void *tiny_alloc(size_t n)
{
    static unsigned long top;
    if (!top)
        top = (unsigned long)sys_brk(0);
    unsigned long p = (top + 7) & ~7ul;
    unsigned long end = p + n;
    if ((unsigned long)sys_brk(end) != end)
        return NULL;
    top = end;
    return (void *)p;
}

static int compare(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return (unsigned char)*a - (unsigned char)*b;
}

struct node {
    struct node *next;
    const char *word;
};

int main(void)
{
    static const char *words[] = {"pipeline", "cache", "hazard", "branch",
                                  "forwarding", "register", "alu", "decode"};
    struct node *head = NULL;
    for (unsigned i = 0; i < sizeof words / sizeof *words; i++) {
        struct node *n = tiny_alloc(sizeof *n);
        if (!n)
            return 1;
        n->word = words[i];
        struct node **p = &head;
        while (*p && compare((*p)->word, n->word) < 0)
            p = &(*p)->next;
        n->next = *p;
        *p = n;
    }
    int *big = tiny_alloc(10000 * sizeof *big);
    if (!big)
        return 1;
    for (int i = 0; i < 10000; i++)
        big[i] = i;
    unsigned total = 0;
    for (int i = 0; i < 10000; i++)
        total += big[i];
    for (struct node *n = head; n; n = n->next) {
        rt_puts(n->word);
        rt_putchar('\n');
    }
    rt_puts("total ");
    rt_put_udec(total);
    rt_putchar('\n');
    return 0;
}
