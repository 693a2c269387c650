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

void jp_order_put(jp_order *o, jp_batch *b)
{
    assert(b->seq >= o->next && b->seq - o->next < o->cap);
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
