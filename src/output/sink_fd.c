/* sink_fd.c: writing groups of batches to one descriptor. */
#include "sink_fd.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "lines.h"

typedef struct sink_fd {
    jp_sink base;
    uv_loop_t *loop;
    int fd;
    int whole_batches;
    int64_t text_limit;  /* -1: no limit */
    uint64_t text_shown;
    int cut_late;
    jp_sink_done done;
    void *done_arg;
    uv_buf_t *iov;
    jp_batch **iov_batch; /* the batch of each iov */
    size_t iov_len, iov_cap, iov_at;
    size_t group_len;     /* the bytes of all of the group's iovs */
    uv_fs_t req;
} sink_fd;

/* The most one iovec takes (uv_buf_t lengths are unsigned int): a batch's
 * output is not bounded by its input (--explode), so a big one takes
 * several. */
#define IOV_MAX_LEN ((size_t)1 << 30)

static void iov_add(sink_fd *s, jp_batch *b, const char *p, size_t n)
{
    while (n) {
        size_t take = n < IOV_MAX_LEN ? n : IOV_MAX_LEN;
        if (s->iov_len == s->iov_cap) {
            s->iov_cap = s->iov_cap ? s->iov_cap * 2 : 16;
            s->iov = jp_xrealloc(s->iov, s->iov_cap * sizeof *s->iov);
            s->iov_batch = jp_xrealloc(s->iov_batch, s->iov_cap * sizeof *s->iov_batch);
        }
        s->iov_batch[s->iov_len] = b;
        s->iov[s->iov_len++] = uv_buf_init((char *)p, (unsigned)take);
        p += take;
        n -= take;
    }
}

/* The records of the group written whole by its first write: each batch
 * knows its count, so its bytes need no counting. */
static uint64_t records_in_group(const sink_fd *s)
{
    uint64_t count = 0;
    for (size_t i = 0; i < s->iov_len; i++)
        if (i + 1 == s->iov_len || s->iov_batch[i + 1] != s->iov_batch[i])
            count += s->base.errors ? s->iov_batch[i]->rejected : s->iov_batch[i]->records_out;
    return count;
}

/* The records that the first n bytes of the current iov complete: each
 * plain record ends in '\n'; with whole_batches a batch counts once whole,
 * at the end of its last iov. */
static uint64_t records_in_written(const sink_fd *s, size_t n)
{
    const uv_buf_t *v = &s->iov[s->iov_at];
    if (s->whole_batches) {
        const jp_batch *b = s->iov_batch[s->iov_at];
        int last = s->iov_at + 1 == s->iov_len || s->iov_batch[s->iov_at + 1] != b;
        return n == v->len && last ? (s->base.errors ? b->rejected : b->records_out) : 0;
    }
    return jp_count_newlines(v->base, n);
}

/* How much of a batch's messages to show, within text_limit. Each
 * rejection is exactly one line (jp_report_text escapes newlines in names
 * and reasons). Only the lines shown are counted: the ones not shown are
 * the run's rejections less these, whether text_limit or a failed write
 * kept them off the terminal. */
static size_t shown_part(sink_fd *s, const jp_buf *msgs)
{
    if (s->text_limit < 0)
        return msgs->len;
    size_t at = 0;
    while (at < msgs->len && s->text_limit > 0) {
        const char *nl = memchr(msgs->data + at, '\n', msgs->len - at);
        at = (size_t)(nl - msgs->data) + 1;
        s->text_limit--;
        s->text_shown++;
    }
    return at;
}

int jp_sink_fd_begin(jp_sink *base)
{
    sink_fd *s = (sink_fd *)base;
    if (!s->cut_late)
        return 0;
    s->cut_late = 0;
    return ftruncate(s->fd, 0) < 0 ? uv_translate_sys_error(errno) : 0;
}

static void on_write(uv_fs_t *req);

/* Writes what is left of iov[iov_at..). Returns 0, or a libuv error code
 * when the write could not start. */
static int write_rest(sink_fd *s)
{
    s->req.data = s;
    int err = jp_sink_fd_begin(&s->base);
    if (!err)
        err = uv_fs_write(s->loop, &s->req, s->fd, s->iov + s->iov_at,
                          (unsigned)(s->iov_len - s->iov_at), -1, on_write);
    return err < 0 ? err : 0;
}

static void on_write(uv_fs_t *req)
{
    sink_fd *s = req->data;
    ssize_t n = req->result;
    uv_fs_req_cleanup(req);
    int err = n < 0 ? (int)n : 0;
    if (n >= 0) {
        s->base.bytes_out += (uint64_t)n;
        /* Shown messages are fewer than the rejections once text_limit
         * cuts them: those are counted as written. */
        if (s->iov_at == 0 && (size_t)n == s->group_len && s->text_limit < 0) {
            s->base.records_out += records_in_group(s);
            s->iov_at = s->iov_len;
            n = 0;
        }
        /* libuv returns a short count when an error stops a writev midway:
         * write the rest, which reports the error itself. */
        while (n > 0 && s->iov_at < s->iov_len) {
            uv_buf_t *v = &s->iov[s->iov_at];
            size_t take = (size_t)n < v->len ? (size_t)n : v->len;
            s->base.records_out += records_in_written(s, take);
            v->base += take;
            v->len -= take;
            n -= (ssize_t)take;
            if (!v->len)
                s->iov_at++;
        }
        if (s->iov_at < s->iov_len && (err = write_rest(s)) == 0)
            return;
    }
    s->done(s->done_arg, err, NULL, NULL);
}

static int fd_start(jp_sink *base, jp_batch *group, jp_sink_done done, void *arg)
{
    sink_fd *s = (sink_fd *)base;
    s->iov_len = s->iov_at = s->group_len = 0;
    for (jp_batch *b = group; b; b = b->next) {
        const jp_buf *bytes = jp_sink_bytes(base, b);
        size_t len = s->base.errors ? shown_part(s, bytes) : bytes->len;
        iov_add(s, b, bytes->data, len);
        s->group_len += len;
    }
    if (!s->iov_len)
        return 0;
    s->done = done;
    s->done_arg = arg;
    int err = write_rest(s);
    if (err)
        done(arg, err, NULL, NULL);
    return 1;
}

static void fd_free(jp_sink *base)
{
    sink_fd *s = (sink_fd *)base;
    free(s->iov);
    free(s->iov_batch);
    free(s);
}

static const jp_sink_ops fd_ops = {fd_start, fd_free};

jp_sink *jp_sink_fd_new(uv_loop_t *loop, int fd, int errors, int whole_batches,
                        int64_t text_limit)
{
    sink_fd *s = jp_xcalloc(1, sizeof *s);
    s->base.ops = &fd_ops;
    s->base.errors = errors;
    s->loop = loop;
    s->fd = fd;
    s->whole_batches = whole_batches;
    s->text_limit = text_limit;
    return &s->base;
}

void jp_sink_fd_cut_late(jp_sink *base)
{
    ((sink_fd *)base)->cut_late = 1;
}

int jp_sink_fd_uncut(const jp_sink *base)
{
    return ((const sink_fd *)base)->cut_late;
}

uint64_t jp_sink_fd_shown(const jp_sink *base)
{
    return ((const sink_fd *)base)->text_shown;
}
