/* order.h: puts batches that finish in any order back into input order.
 *
 * Like pigz's writer, it waits for the next sequence number. Slots are a
 * ring indexed by seq. The engine keeps about cap batches between the
 * framer and the end of their write; should more be out at once (an idle
 * flush while the pipeline is full), the ring grows rather than let two
 * live batches share a slot. Loop thread only. */
#ifndef JP_ORDER_H
#define JP_ORDER_H

#include <stddef.h>
#include <stdint.h>

#include "batch.h"

typedef struct jp_order {
    jp_batch **slots;
    size_t cap;
    uint64_t next; /* sequence number to hand out next */
} jp_order;

void jp_order_init(jp_order *o, size_t cap);
void jp_order_free(jp_order *o);
void jp_order_put(jp_order *o, jp_batch *b);
/* The batch with the next sequence number, or NULL while it is not back. */
jp_batch *jp_order_pop(jp_order *o);

#endif
