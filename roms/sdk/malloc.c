/* malloc: builds a sorted linked list of words on the heap, prints it,
 * frees it; exits with 0 if every allocation succeeded. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct node {
    struct node *next;
    char word[];
};

static struct node *insert(struct node *head, const char *w)
{
    struct node *n = malloc(sizeof *n + strlen(w) + 1);
    if (!n)
        return NULL;
    strcpy(n->word, w);
    struct node **p = &head;
    while (*p && strcmp((*p)->word, w) < 0)
        p = &(*p)->next;
    n->next = *p;
    *p = n;
    return head;
}

int main(void)
{
    static const char *words[] = {"pipeline", "cache", "hazard", "branch",
                                  "forwarding", "register", "alu", "decode"};
    struct node *head = NULL;
    for (unsigned i = 0; i < sizeof words / sizeof *words; i++) {
        head = insert(head, words[i]);
        if (!head)
            return 1;
    }
    int *big = malloc(10000 * sizeof *big);
    if (!big)
        return 1;
    for (int i = 0; i < 10000; i++)
        big[i] = i;
    long long total = 0;
    for (int i = 0; i < 10000; i++)
        total += big[i];
    free(big);
    for (struct node *n = head; n;) {
        struct node *next = n->next;
        printf("%s\n", n->word);
        free(n);
        n = next;
    }
    printf("total %lld\n", total);
    return 0;
}
