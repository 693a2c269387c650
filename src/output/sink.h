/* sink.h: where the writer hands what a group of batches holds for one
 * destination: their records, or their error records.
 *
 * Two kinds: a descriptor (sink_fd.c: standard output, a file, a pipe) and
 * the files of split output (sink_split.c: one file per value of -o's
 * template). Loop thread. A sink writes one group at a time, and the writer
 * starts the next only after done, so what a destination gets is never
 * interleaved or torn, and always in input order. */
#ifndef JP_SINK_H
#define JP_SINK_H

#include <stdint.h>

#include "batch.h"

typedef struct jp_sink jp_sink;

/* The group's write is over: err is 0, or the libuv error code that stopped
 * it, name the file it was for (NULL: the sink's own name), and message,
 * when not NULL, the whole account of a refusal to give instead. */
typedef void (*jp_sink_done)(void *arg, int err, const char *name, const char *message);

typedef struct jp_sink_ops {
    /* Starts writing the batches of group (linked through next, in order).
     * Returns 1 when a write is under way and done will be called, 0 when
     * there is nothing to write (done is not called). */
    int (*start)(jp_sink *s, jp_batch *group, jp_sink_done done, void *arg);
    void (*free)(jp_sink *s);
} jp_sink_ops;

struct jp_sink {
    const jp_sink_ops *ops;
    int errors;            /* takes each batch's err (error records), not its out */
    uint64_t records_out;  /* records (error records) written whole */
    uint64_t bytes_out;    /* bytes written */
    uint64_t files;        /* files written to (split output) */
};

static inline int jp_sink_start(jp_sink *s, jp_batch *group, jp_sink_done done, void *arg)
{
    return s->ops->start(s, group, done, arg);
}

static inline void jp_sink_free(jp_sink *s)
{
    if (s)
        s->ops->free(s);
}

/* What a batch holds for the sink. */
static inline jp_buf *jp_sink_bytes(const jp_sink *s, jp_batch *b)
{
    return s->errors ? &b->err : &b->out;
}

#endif
