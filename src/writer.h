/* writer.h: writes finished batches in input order as soon as they are ready.
 *
 * Loop thread. Batches arrive in any order (jp_writer_push); the writer
 * takes every batch that is next in sequence, writes their records with one
 * uv_fs_write (a blocking writev on libuv's threadpool, so a pipe, a terminal
 * and a file all get the same backpressure: the next write starts when the
 * last one is done), then their error lines. Writes to one descriptor are
 * never concurrent, so the output is never interleaved or torn.
 *
 * Each batch goes back through the written() hook once it is out (or, after
 * an output error, once it is known it never will be); the hook owns it then.
 * records_out and bytes_out count what the output really got: after a
 * short write, the whole records in the bytes written (for compressed
 * output, the records of whole members; for CSV and TSV, whose cells may
 * hold newlines after a header row, those of whole batches).
 * Rejection messages on stderr stop after text_limit lines; the writer counts
 * the ones it held back. */
#ifndef JP_WRITER_H
#define JP_WRITER_H

#include <stdint.h>
#include <uv.h>

#include "order.h"

typedef struct jp_writer_hooks {
    /* sent: the batch's write was tried (it is 0 for those an earlier
     * output error kept back). */
    void (*written)(void *ctx, jp_batch *b, int sent);
    /* A write failed (err is a libuv error code); to_errors tells which. */
    void (*failed)(void *ctx, int to_errors, int err);
    /* Optional: error lines are being written (on 1) and are out (on 0),
     * so whoever else writes to that descriptor can keep off it. */
    void (*telling)(void *ctx, int on);
    void *ctx;
} jp_writer_hooks;

typedef struct jp_writer {
    uv_loop_t *loop;
    jp_writer_hooks hooks;
    jp_order order;
    int out_fd, err_fd;
    int64_t text_limit;     /* -1: error lines are records, write them all */
    uint64_t text_shown;    /* error lines given to stderr within text_limit */
    int whole_batches;      /* records are counted per batch written whole */
    uint64_t records_out;   /* records written whole */
    uint64_t bytes_out;     /* record bytes written */
    uint64_t err_bytes_out; /* error bytes written */

    jp_batch *group;        /* batches being written now */
    uv_buf_t *iov;
    jp_batch **iov_batch;   /* the batch of each record iov */
    size_t iov_len, iov_cap, iov_at;
    int group_sent;         /* the group's write was tried */
    int writing_errors;     /* the group's records are out; now its errors */
    uv_fs_t req;
    int busy;
    int failed;
    int telling;            /* the telling hook is on */
    int cut_late[2];        /* records' (0), errors' (1) descriptor is still
                             * to be cut to nothing before its first byte */
} jp_writer;

void jp_writer_init(jp_writer *w, uv_loop_t *loop, size_t max_batches, int out_fd, int err_fd,
                    int whole_batches, int64_t text_limit, const jp_writer_hooks *hooks);
void jp_writer_free(jp_writer *w);
void jp_writer_push(jp_writer *w, jp_batch *b);

/* Before the first byte to the records' (errors 0) or errors' descriptor:
 * cuts it to nothing when cut_late says so. Returns 0 or a libuv error. */
int jp_writer_begin(jp_writer *w, int errors);

#endif
