/*
 * cache_list: pointer chasing. NODES = 4096 nodes of exactly 64 bytes each
 * (256 KiB, in .bss, 64-byte aligned) are linked into one circular list,
 *   default       -> cache_list.elf     : in a shuffled order (Fisher-Yates
 *                                        with a fixed LCG, so deterministic)
 *   -DSEQUENTIAL  -> cache_list_seq.elf : in address order (control)
 * then the list is walked WALKS times from the head, summing the values.
 * Each load address depends on the previous load, so neither the compiler
 * nor the hardware can run ahead: every hop pays the full memory latency.
 * Both ROMs visit every node WALKS times, so `sum` is the same; `hash`
 * depends on the visiting order.
 */
#include "rt.h"

#define NODES      4096
#define NODE_BYTES 64
#define WALKS      8

struct node {
    struct node *next;
    int32_t value;
    uint8_t pad[NODE_BYTES - sizeof(struct node *) - sizeof(int32_t)];
};
_Static_assert(sizeof(struct node) == NODE_BYTES, "node size");

static struct node nodes[NODES] __attribute__((aligned(64)));
static uint16_t order[NODES];

#ifndef SEQUENTIAL
static uint32_t lcg_state = 1u;
static uint32_t lcg(void)
{
    lcg_state = lcg_state * 1664525u + 1013904223u;
    return lcg_state >> 8;
}
#endif

int main(void)
{
    for (int i = 0; i < NODES; i++) {
        order[i] = (uint16_t)i;
        nodes[i].value = (int32_t)((i * 37 + 11) % 1000) - 500;
    }
#ifndef SEQUENTIAL
    for (int i = NODES - 1; i > 0; i--) {
        int j = (int)(lcg() % (uint32_t)(i + 1));
        uint16_t t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
#endif
    for (int k = 0; k < NODES; k++)
        nodes[order[k]].next = &nodes[order[(k + 1) % NODES]];

    struct node *head = &nodes[order[0]];
    struct node *p = head;
    uint32_t sum = 0, hash = 2166136261u;
    for (int w = 0; w < WALKS; w++) {
        for (int h = 0; h < NODES; h++) {
            uint32_t v = (uint32_t)p->value;
            sum += v;
            hash = (hash ^ v) * 16777619u;
            p = p->next;
        }
    }

#ifdef SEQUENTIAL
    rt_puts("cache_list order=sequential");
#else
    rt_puts("cache_list order=shuffled");
#endif
    rt_puts(" nodes=");
    rt_put_udec(NODES);
    rt_puts(" hops=");
    rt_put_udec((uint32_t)NODES * WALKS);
    rt_puts(" head=");
    rt_put_udec((uint32_t)(head - nodes));
    rt_puts(" sum=");
    rt_put_dec((int32_t)sum);
    rt_puts(" hash=");
    rt_put_hex(hash);
    rt_puts(p == head ? " back-at-head\n" : " LOST\n");
    return p == head ? 0 : 1;
}
