/* writer.h: hands finished batches, in input order, to the sinks as soon as
 * they are ready.
 *
 * Loop thread. Batches arrive in any order (jp_writer_push); the writer
 * takes every batch that is next in sequence, as one group, and gives the
 * group to the records' sink, then, once that is out, to the errors' sink.
 * The next group starts when both are done. The writer does no CPU work on
 * the bytes: they were formatted, routed and compressed on the workers.
 *
 * Each batch goes back through the written() hook once it is out (or, after
 * an output error, once it is known it never will be); the hook owns it then.
 * The sinks count what their destination really got (sink.h). */
#ifndef JP_WRITER_H
#define JP_WRITER_H

#include <stdint.h>

#include "order.h"
#include "sink.h"

typedef struct jp_writer_hooks {
    /* sent: the batch's write was tried (it is 0 for those an earlier
     * output error kept back). */
    void (*written)(void *ctx, jp_batch *b, int sent);
    /* A write failed (err is a libuv error code); to_errors tells which
     * sink, name and message are as the sink gave them (sink.h). */
    void (*failed)(void *ctx, int to_errors, const char *name, const char *message, int err);
    /* Optional: error lines are being written (on 1) and are out (on 0),
     * so whoever else writes to that descriptor can keep off it. */
    void (*telling)(void *ctx, int on);
    void *ctx;
} jp_writer_hooks;

typedef struct jp_writer {
    jp_writer_hooks hooks;
    jp_order order;
    jp_sink *sinks[2];      /* records, errors; the writer does not own them */
    jp_batch *group;        /* batches being written now */
    int phase;              /* the sink the group is at: 0 records, 1 errors */
    int group_sent;         /* the group's write was tried */
    int busy;
    int failed;
    int telling;            /* the telling hook is on */
} jp_writer;

void jp_writer_init(jp_writer *w, size_t max_batches, jp_sink *records, jp_sink *errors,
                    const jp_writer_hooks *hooks);
void jp_writer_free(jp_writer *w);
void jp_writer_push(jp_writer *w, jp_batch *b);

#endif
