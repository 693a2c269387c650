/* buf.c: the growable byte buffer and the allocation wrappers. */
#include "buf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <poll.h>
#include <stdlib.h>
#include <unistd.h>

static void jp_oom(size_t n)
{
    fprintf(stderr, "jsonpipe: out of memory allocating %zu bytes\n", n);
    abort();
}

void *jp_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        jp_oom(n);
    return p;
}

void *jp_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        jp_oom(n * size);
    return p;
}

void *jp_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        jp_oom(n);
    return q;
}

char *jp_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(jp_xmalloc(n), s, n);
}

void jp_buf_reserve(jp_buf *b, size_t extra)
{
    size_t need = b->len + extra;
    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap *= 2;
    b->data = jp_xrealloc(b->data, cap);
    b->cap = cap;
}

int jp_buf_read_file(jp_buf *b, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    char chunk[8192];
    size_t n, got = 0;
    int failed = 0, saved = 0;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        got += n;
        if (got > JP_READ_FILE_MAX) {
            failed = 1;
            saved = EFBIG;
            break;
        }
        jp_buf_append(b, chunk, n);
    }
    if (!failed && ferror(f)) {
        failed = 1;
        saved = errno;
    }
    fclose(f);
    errno = saved;
    return failed ? -1 : 0;
}

const char *jp_buf_read_error(int err)
{
    if (err == EFBIG)
        return "larger than 64 MiB, the most a file read whole may hold";
    return strerror(err);
}

void jp_buf_free(jp_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void jp_buf_vprintf(jp_buf *b, const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    jp_buf_reserve(b, 1); /* room for the NUL, and a data pointer */
    int n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
    if (n >= 0 && (size_t)n >= b->cap - b->len) {
        jp_buf_reserve(b, (size_t)n + 1);
        vsnprintf(b->data + b->len, b->cap - b->len, fmt, again);
    }
    va_end(again);
    if (n > 0)
        b->len += (size_t)n;
}

void jp_buf_printf(jp_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    jp_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void *jp_xgrow_zeroed(void *p, size_t *n, size_t i, size_t size)
{
    if (i < *n)
        return p;
    size_t cap = *n ? *n : 64;
    while (cap <= i)
        cap *= 2;
    p = jp_xrealloc(p, cap * size);
    memset((char *)p + *n * size, 0, (cap - *n) * size);
    *n = cap;
    return p;
}

int jp_write_all(int fd, const void *p, size_t n)
{
    const char *at = p;
    while (n) {
        ssize_t w = write(fd, at, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            struct pollfd ready = {fd, POLLOUT, 0};
            poll(&ready, 1, -1);
            continue;
        }
        if (w <= 0)
            return -1;
        at += w;
        n -= (size_t)w;
    }
    return 0;
}
