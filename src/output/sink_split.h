/* sink_split.h: the files of split output, one per name that the template
 * gave (template.h), each getting its parts (batch.h) in input order.
 *
 * At most max_open files are open at once: to open another, the least
 * recently used is closed, and reopened later to append. Every part is
 * whole (a compressed part is its own gzip member or zstd frame, a CSV
 * part whole rows), so a file is valid wherever it was closed. A file is
 * cut to nothing when this run first opens it, so a rerun writes the same
 * bytes; directories are made as needed. A write that fails cuts its file
 * back to where the part began: the file holds the parts counted as
 * written, and never a torn record. No file may be one that the run
 * reads or writes otherwise (taken): that stops the run with an output
 * error before the file is touched, and so does an existing file that is not
 * a regular file (a FIFO would block, a device would take anything).
 *
 * The table of files is touched only by the job that writes a group (on
 * libuv's threadpool: opening, writing and closing are blocking calls) and
 * by the loop thread between jobs. */
#ifndef JP_SINK_SPLIT_H
#define JP_SINK_SPLIT_H

#include <sys/types.h>
#include <uv.h>

#include "sink.h"

/* A file by its identity, and its name for messages. A file the run is
 * still to create (an output renamed into place at its end) is the name
 * base in the directory dev, ino. */
typedef struct jp_file_id {
    dev_t dev;
    ino_t ino;
    const char *base; /* NULL: dev, ino is the file itself */
    const char *name;
} jp_file_id;

/* Written first into each file when this run first opens it (a CSV header
 * row): fills out with the bytes for a file of that name. May be NULL. */
typedef void (*jp_split_preface)(void *ctx, const char *path, jp_buf *out);

/* The files that split sinks have opened, by identity, each with the split
 * file it belongs to: two names (of one sink, or of -o's and -e's) that
 * come to the same file through a link would otherwise both cut it and
 * write it in turn. Shared by the sinks of a run, whose jobs may run at
 * once on libuv's threadpool: it locks. Freed after them. */
typedef struct jp_split_claims jp_split_claims;
jp_split_claims *jp_split_claims_new(void);
void jp_split_claims_free(jp_split_claims *c);

/* taken (ntaken entries) is copied; claims is shared, not owned. */
jp_sink *jp_sink_split_new(uv_loop_t *loop, int errors, size_t max_open, const jp_file_id *taken,
                           size_t ntaken, jp_split_claims *claims, jp_split_preface preface,
                           void *preface_ctx);

#endif
