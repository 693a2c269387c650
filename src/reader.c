/* reader.c: opening and reading inputs, pausing and resuming. */
#include "reader.h"

#include <fcntl.h>
#include <string.h>

static void open_next(jp_reader *r);
static void read_more(jp_reader *r);

void jp_reader_init(jp_reader *r, uv_loop_t *loop, char *const *files, int nfiles,
                    size_t batch_size, size_t max_line, const jp_reader_hooks *hooks)
{
    memset(r, 0, sizeof *r);
    r->loop = loop;
    r->hooks = *hooks;
    r->files = files;
    r->nfiles = nfiles;
    r->batch_size = batch_size;
    r->max_line = max_line;
    r->fd = -1;
    r->stdin_flags = -1;
    uv_timer_init(loop, &r->timer);
    r->timer.data = r;
    r->req.data = r;
    r->s.handle.data = r;
}

static void next_input(jp_reader *r)
{
    r->index++;
    r->fd = -1;
    r->state = JP_READER_IDLE;
    open_next(r);
}

static void on_stream_closed(uv_handle_t *h)
{
    next_input(h->data);
}

static void on_file_closed(uv_fs_t *req)
{
    uv_fs_req_cleanup(req);
    next_input(req->data);
}

/* The current input has ended (or failed, or we are stopping). */
static void end_input(jp_reader *r)
{
    jp_framer_finish(&r->framer);
    uv_timer_stop(&r->timer);
    r->reading = 0;
    r->paused = 0;
    r->state = JP_READER_CLOSING;
    if (r->s.handle.type != UV_UNKNOWN_HANDLE && !uv_is_closing(&r->s.handle)) {
        if (r->stdin_flags >= 0) {
            fcntl(0, F_SETFL, r->stdin_flags);
            r->stdin_flags = -1;
        }
        uv_close(&r->s.handle, on_stream_closed);
    } else if (r->own_fd) {
        uv_fs_close(r->loop, &r->req, r->fd, on_file_closed);
    } else {
        next_input(r);
    }
}

static void on_timer(uv_timer_t *t)
{
    jp_reader *r = t->data;
    jp_framer_flush(&r->framer);
}

/* Bytes arrived: make sure whole lines do not wait long for more. */
static void got_bytes(jp_reader *r, size_t n)
{
    r->bytes += n;
    jp_framer_commit(&r->framer, n);
    if (r->framer.cut && !uv_is_active((uv_handle_t *)&r->timer))
        uv_timer_start(&r->timer, on_timer, JP_READER_LATENCY_MS, 0);
}

static void on_file_read(uv_fs_t *req)
{
    jp_reader *r = req->data;
    ssize_t n = req->result;
    uv_fs_req_cleanup(req);
    r->reading = 0;
    if (r->stopping) {
        end_input(r);
        return;
    }
    if (n < 0)
        r->hooks.input_error(r->hooks.ctx, r->name, "read error", (int)n);
    if (n <= 0) {
        end_input(r);
        return;
    }
    got_bytes(r, (size_t)n);
    read_more(r);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    jp_reader *r = h->data;
    char *p;
    size_t n;
    jp_framer_space(&r->framer, &p, &n);
    *buf = uv_buf_init(p, (unsigned)(n > UINT32_MAX ? UINT32_MAX : n));
}

static void on_stream_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
    jp_reader *r = s->data;
    if (n == 0)
        return; /* EAGAIN */
    if (n < 0) {
        uv_read_stop(s);
        if (n != UV_EOF)
            r->hooks.input_error(r->hooks.ctx, r->name, "read error", (int)n);
        end_input(r);
        return;
    }
    got_bytes(r, (size_t)n);
    if (!r->hooks.may_read(r->hooks.ctx)) {
        uv_read_stop(s);
        r->reading = 0;
        r->paused = 1;
    }
}

static void read_more(jp_reader *r)
{
    if (r->reading || r->stopping)
        return;
    if (!r->hooks.may_read(r->hooks.ctx)) {
        r->paused = 1;
        return;
    }
    r->paused = 0;
    r->reading = 1;
    if (r->state == JP_READER_STREAM) {
        int err = uv_read_start(&r->s.stream, on_alloc, on_stream_read);
        if (err < 0) {
            r->hooks.input_error(r->hooks.ctx, r->name, "read error", err);
            end_input(r);
        }
        return;
    }
    char *p;
    size_t n;
    jp_framer_space(&r->framer, &p, &n);
    uv_buf_t buf = uv_buf_init(p, (unsigned)(n > UINT32_MAX ? UINT32_MAX : n));
    int err = uv_fs_read(r->loop, &r->req, r->fd, &buf, 1, -1, on_file_read);
    if (err < 0) {
        r->reading = 0;
        r->hooks.input_error(r->hooks.ctx, r->name, "read error", err);
        end_input(r);
    }
}

/* Opens a libuv stream on fd for pipes, sockets and terminals. Returns 0
 * when fd is something else, to be read with uv_fs_read. */
static int open_stream(jp_reader *r)
{
    uv_handle_type kind = uv_guess_handle(r->fd);
    int err;
    if (kind != UV_NAMED_PIPE && kind != UV_TTY && kind != UV_TCP)
        return 0;
    if (r->fd == 0)
        r->stdin_flags = fcntl(0, F_GETFL);
    if (kind == UV_NAMED_PIPE) {
        uv_pipe_init(r->loop, &r->s.pipe, 0);
        err = uv_pipe_open(&r->s.pipe, r->fd);
    } else if (kind == UV_TTY) {
        err = uv_tty_init(r->loop, &r->s.tty, r->fd, 1);
    } else {
        uv_tcp_init(r->loop, &r->s.tcp);
        err = uv_tcp_open(&r->s.tcp, r->fd);
    }
    r->s.handle.data = r;
    return err < 0 ? err : 1;
}

static void begin(jp_reader *r)
{
    jp_framer_init(&r->framer, r->name, r->batch_size, r->max_line, r->hooks.batch,
                   r->hooks.ctx);
    memset(&r->s, 0, sizeof r->s); /* type UV_UNKNOWN_HANDLE: no stream yet */
    int stream = open_stream(r);
    if (stream < 0) {
        r->hooks.input_error(r->hooks.ctx, r->name, "cannot read", stream);
        end_input(r);
        return;
    }
    r->state = stream ? JP_READER_STREAM : JP_READER_FILE;
    read_more(r);
}

static void on_open(uv_fs_t *req)
{
    jp_reader *r = req->data;
    ssize_t fd = req->result;
    uv_fs_req_cleanup(req);
    if (fd < 0) {
        r->hooks.input_error(r->hooks.ctx, r->name, "cannot open", (int)fd);
        next_input(r);
        return;
    }
    r->fd = (int)fd;
    r->own_fd = 1;
    if (r->stopping) {
        memset(&r->s, 0, sizeof r->s);
        end_input(r);
        return;
    }
    begin(r);
}

static void open_next(jp_reader *r)
{
    if (r->stopping || r->index >= r->nfiles) {
        r->state = JP_READER_DONE;
        r->hooks.done(r->hooks.ctx);
        return;
    }
    const char *path = r->files[r->index];
    r->own_fd = 0;
    if (strcmp(path, "-") == 0) {
        r->name = "<stdin>";
        r->fd = 0;
        begin(r);
        return;
    }
    r->name = path;
    r->state = JP_READER_OPENING;
    int err = uv_fs_open(r->loop, &r->req, path, O_RDONLY | O_CLOEXEC, 0, on_open);
    if (err < 0) {
        r->hooks.input_error(r->hooks.ctx, r->name, "cannot open", err);
        next_input(r);
    }
}

void jp_reader_start(jp_reader *r)
{
    open_next(r);
}

void jp_reader_resume(jp_reader *r)
{
    if (r->paused)
        read_more(r);
}

void jp_reader_stop(jp_reader *r, int flush)
{
    if (r->stopping)
        return;
    r->stopping = 1;
    if (flush)
        jp_framer_flush(&r->framer);
    jp_framer_discard(&r->framer);
    if (r->state == JP_READER_STREAM && r->reading) {
        uv_read_stop(&r->s.stream);
        end_input(r);
    } else if ((r->state == JP_READER_STREAM || r->state == JP_READER_FILE) && !r->reading) {
        end_input(r);
    }
    /* A file read or an open in flight ends the input when it completes. */
}

size_t jp_reader_held(const jp_reader *r)
{
    return jp_framer_held(&r->framer);
}

void jp_reader_close(jp_reader *r)
{
    uv_close((uv_handle_t *)&r->timer, NULL);
}
