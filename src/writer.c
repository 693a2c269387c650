/* writer.c: ordered, serialized output of batches. */
#include "writer.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

/* How many ready batches one write may take; bounds the iovec. */
#define GROUP_MAX 64

static void pump(jp_writer *w);

void jp_writer_init(jp_writer *w, uv_loop_t *loop, size_t max_batches, int out_fd, int err_fd,
                    int whole_batches, int64_t text_limit, const jp_writer_hooks *hooks)
{
    memset(w, 0, sizeof *w);
    w->loop = loop;
    w->hooks = *hooks;
    jp_order_init(&w->order, max_batches);
    w->out_fd = out_fd;
    w->err_fd = err_fd;
    w->whole_batches = whole_batches;
    w->text_limit = text_limit;
}

void jp_writer_free(jp_writer *w)
{
    jp_order_free(&w->order);
    free(w->iov);
    free(w->iov_batch);
}

/* The most one iovec takes (uv_buf_t lengths are unsigned int): a batch's
 * output is not bounded by its input (--explode), so a big one takes
 * several. */
#define IOV_MAX_LEN ((size_t)1 << 30)

static void iov_add(jp_writer *w, jp_batch *b, const char *p, size_t n)
{
    while (n) {
        size_t take = n < IOV_MAX_LEN ? n : IOV_MAX_LEN;
        if (w->iov_len == w->iov_cap) {
            w->iov_cap = w->iov_cap ? w->iov_cap * 2 : 16;
            w->iov = jp_xrealloc(w->iov, w->iov_cap * sizeof *w->iov);
            w->iov_batch = jp_xrealloc(w->iov_batch, w->iov_cap * sizeof *w->iov_batch);
        }
        w->iov_batch[w->iov_len] = b;
        w->iov[w->iov_len++] = uv_buf_init((char *)p, (unsigned)take);
        p += take;
        n -= take;
    }
}

/* The records that the first n bytes of the current record iov complete:
 * each plain record ends in '\n'; a compressed member, or a batch of CSV
 * rows, counts once whole, at the end of its batch's last iov. */
static uint64_t records_in_written(const jp_writer *w, size_t n)
{
    const uv_buf_t *v = &w->iov[w->iov_at];
    if (w->whole_batches) {
        const jp_batch *b = w->iov_batch[w->iov_at];
        int last = w->iov_at + 1 == w->iov_len || w->iov_batch[w->iov_at + 1] != b;
        return n == v->len && last ? b->records_out : 0;
    }
    uint64_t count = 0;
    for (const char *p = v->base, *end = v->base + n; (p = memchr(p, '\n', (size_t)(end - p)));
         p++)
        count++;
    return count;
}

/* How much of an error buffer to show on stderr, within text_limit. Each
 * rejection is exactly one line (jp_report_text escapes newlines in names
 * and reasons). Only the lines shown are counted: the ones not shown are
 * the run's rejections less these, whether text_limit or a failed write
 * kept them off stderr. */
static size_t shown_part(jp_writer *w, const jp_batch *b)
{
    if (w->text_limit < 0)
        return b->err.len;
    size_t at = 0;
    while (at < b->err.len && w->text_limit > 0) {
        const char *nl = memchr(b->err.data + at, '\n', b->err.len - at);
        at = (size_t)(nl - b->err.data) + 1;
        w->text_limit--;
        w->text_shown++;
    }
    return at;
}

static void on_write(uv_fs_t *req);

/* Writes what is left of iov[iov_at..) to the current descriptor. Returns 1
 * when a write is under way. */
int jp_writer_begin(jp_writer *w, int errors)
{
    if (!w->cut_late[errors])
        return 0;
    w->cut_late[errors] = 0;
    return ftruncate(errors ? w->err_fd : w->out_fd, 0) < 0 ? uv_translate_sys_error(errno) : 0;
}

static int write_rest(jp_writer *w)
{
    int fd = w->writing_errors ? w->err_fd : w->out_fd;
    w->req.data = w;
    int err = jp_writer_begin(w, w->writing_errors);
    if (!err)
        err = uv_fs_write(w->loop, &w->req, fd, w->iov + w->iov_at,
                          (unsigned)(w->iov_len - w->iov_at), -1, on_write);
    if (err < 0) {
        w->failed = 1;
        w->hooks.failed(w->hooks.ctx, w->writing_errors, err);
        return 0;
    }
    return 1;
}

/* Starts writing the group's records, or, once they are out, its error
 * lines. Returns 1 when a write is under way, 0 when there is nothing (more)
 * to write for the group. */
static int start_records(jp_writer *w)
{
    w->writing_errors = 0;
    w->iov_len = w->iov_at = 0;
    for (jp_batch *b = w->group; b; b = b->next)
        iov_add(w, b, b->out.data, b->out.len);
    return w->iov_len ? write_rest(w) : 0;
}

static int start_errors(jp_writer *w)
{
    w->writing_errors = 1;
    w->iov_len = w->iov_at = 0;
    for (jp_batch *b = w->group; b; b = b->next)
        iov_add(w, b, b->err.data, shown_part(w, b));
    if (!w->iov_len)
        return 0;
    if (w->hooks.telling) {
        w->telling = 1;
        w->hooks.telling(w->hooks.ctx, 1);
    }
    return write_rest(w);
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
        if (!w->failed && (start_records(w) || (!w->failed && start_errors(w))))
            return;
        finish_group(w);
    }
}

static void on_write(uv_fs_t *req)
{
    jp_writer *w = req->data;
    ssize_t n = req->result;
    uv_fs_req_cleanup(req);

    if (n < 0) {
        w->failed = 1;
        w->hooks.failed(w->hooks.ctx, w->writing_errors, (int)n);
    } else {
        if (w->writing_errors)
            w->err_bytes_out += (uint64_t)n;
        else
            w->bytes_out += (uint64_t)n;
        /* libuv returns a short count when an error stops a writev midway:
         * write the rest, which reports the error itself. */
        while (n > 0 && w->iov_at < w->iov_len) {
            uv_buf_t *v = &w->iov[w->iov_at];
            size_t take = (size_t)n < v->len ? (size_t)n : v->len;
            if (!w->writing_errors)
                w->records_out += records_in_written(w, take);
            v->base += take;
            v->len -= take;
            n -= (ssize_t)take;
            if (!v->len)
                w->iov_at++;
        }
        if (w->iov_at < w->iov_len) {
            if (write_rest(w))
                return;
        } else if (!w->writing_errors && start_errors(w)) {
            return;
        }
    }
    finish_group(w);
    pump(w);
}

void jp_writer_push(jp_writer *w, jp_batch *b)
{
    jp_order_put(&w->order, b);
    pump(w);
}
