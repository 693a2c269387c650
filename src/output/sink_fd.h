/* sink_fd.h: a sink that is one descriptor (standard output or error, a
 * file, a pipe, a terminal).
 *
 * A group goes out in one uv_fs_write (a blocking writev on libuv's
 * threadpool, so a pipe, a terminal and a file all get the same
 * backpressure: the next write starts when the last one is done). After a
 * short write, records_out counts the whole records in the bytes written:
 * each ends in '\n', unless whole_batches says a batch's bytes only count
 * once all are out (a compressed member, CSV rows whose cells may hold
 * newlines). */
#ifndef JP_SINK_FD_H
#define JP_SINK_FD_H

#include <uv.h>

#include "sink.h"

/* text_limit: for messages on a terminal, how many lines (one per rejection)
 * to show in all (the rest are counted, not written); -1: no limit. */
jp_sink *jp_sink_fd_new(uv_loop_t *loop, int fd, int errors, int whole_batches,
                        int64_t text_limit);

/* The descriptor is an existing file written in place: it is cut to
 * nothing just before its first byte (files.h). */
void jp_sink_fd_cut_late(jp_sink *s);
/* Before the first byte: cuts the file when cut_late says so. Returns 0 or
 * a libuv error code. */
int jp_sink_fd_begin(jp_sink *s);
/* Whether it is still to be cut (nothing was written). */
int jp_sink_fd_uncut(const jp_sink *s);

/* Lines given to the terminal within text_limit. */
uint64_t jp_sink_fd_shown(const jp_sink *s);

#endif
