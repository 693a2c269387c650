/* writer.c: ordered, serialized hand-over of batches to the sinks. */
#include "writer.h"

#include <stdlib.h>

/* How many ready batches one group may take; bounds a sink's iovec. */
#define GROUP_MAX 64

static void pump(jp_writer *w);

void jp_writer_init(jp_writer *w, size_t max_batches, jp_sink *records, jp_sink *errors,
                    const jp_writer_hooks *hooks)
{
    memset(w, 0, sizeof *w);
    w->hooks = *hooks;
    jp_order_init(&w->order, max_batches);
    w->sinks[0] = records;
    w->sinks[1] = errors;
}

void jp_writer_free(jp_writer *w)
{
    jp_order_free(&w->order);
}

/* The group is out (or never will be): hand its batches back. */
static void finish_group(jp_writer *w)
{
    jp_batch *b = w->group;
    w->group = NULL;
    w->busy = 0;
    if (w->telling) {
        w->telling = 0;
        w->hooks.telling(w->hooks.ctx, 0);
    }
    while (b) {
        jp_batch *next = b->next;
        w->hooks.written(w->hooks.ctx, b, w->group_sent);
        b = next;
    }
}

static void on_sink_done(void *arg, int err, const char *name, const char *message);

static int group_has_bytes(const jp_writer *w, const jp_sink *s)
{
    for (jp_batch *b = w->group; b; b = b->next)
        if (jp_sink_bytes(s, b)->len)
            return 1;
    return 0;
}

/* Gives the group to the sinks from phase on. Returns 1 when a sink is
 * writing (on_sink_done goes on from there), 0 when the group is done. */
static int next_phase(jp_writer *w)
{
    for (; !w->failed && w->phase < 2; w->phase++) {
        if (w->phase == 1 && w->hooks.telling && group_has_bytes(w, w->sinks[1])) {
            w->telling = 1;
            w->hooks.telling(w->hooks.ctx, 1);
        }
        if (jp_sink_start(w->sinks[w->phase], w->group, on_sink_done, w))
            return 1;
    }
    return 0;
}

static void on_sink_done(void *arg, int err, const char *name, const char *message)
{
    jp_writer *w = arg;
    if (err) {
        w->failed = 1;
        w->hooks.failed(w->hooks.ctx, w->phase, name, message, err);
    }
    w->phase++;
    if (next_phase(w))
        return;
    finish_group(w);
    pump(w);
}

/* Writes every batch that is next in order, a group at a time. */
static void pump(jp_writer *w)
{
    while (!w->busy) {
        jp_batch *head = NULL, **tail = &head, *b;
        int n = 0;
        while (n < GROUP_MAX && (b = jp_order_pop(&w->order))) {
            b->next = NULL;
            *tail = b;
            tail = &b->next;
            n++;
        }
        if (!head)
            return;
        w->group = head;
        w->busy = 1;
        w->group_sent = !w->failed;
        w->phase = 0;
        if (next_phase(w))
            return;
        finish_group(w);
    }
}

void jp_writer_push(jp_writer *w, jp_batch *b)
{
    jp_order_put(&w->order, b);
    pump(w);
}
