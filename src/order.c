/* order.c: the reorder ring. */
#include "order.h"

#include <assert.h>
#include <stdlib.h>

void jp_order_init(jp_order *o, size_t cap)
{
    o->slots = jp_xcalloc(cap, sizeof *o->slots);
    o->cap = cap;
    o->next = 0;
}

void jp_order_free(jp_order *o)
{
    for (size_t i = 0; i < o->cap; i++)
        jp_batch_free(o->slots[i]);
    free(o->slots);
    o->slots = NULL;
}

/* Makes room for seq: the slots of the live window [next, seq] move to a
 * ring twice as large (or larger), each to its own place. */
static void grow(jp_order *o, uint64_t seq)
{
    size_t cap = o->cap * 2;
    while (seq - o->next >= cap)
        cap *= 2;
    jp_batch **slots = jp_xcalloc(cap, sizeof *slots);
    for (uint64_t s = o->next; s < o->next + o->cap; s++)
        slots[s % cap] = o->slots[s % o->cap];
    free(o->slots);
    o->slots = slots;
    o->cap = cap;
}

void jp_order_put(jp_order *o, jp_batch *b)
{
    assert(b->seq >= o->next);
    if (b->seq - o->next >= o->cap)
        grow(o, b->seq);
    assert(!o->slots[b->seq % o->cap]);
    o->slots[b->seq % o->cap] = b;
}

jp_batch *jp_order_pop(jp_order *o)
{
    jp_batch **slot = &o->slots[o->next % o->cap];
    jp_batch *b = *slot;
    if (!b)
        return NULL;
    *slot = NULL;
    o->next++;
    return b;
}
