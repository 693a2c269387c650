/* buf.h: a growable byte buffer.
 *
 * The one container for bytes that are built up piece by piece: batch output,
 * error records, a record's edited copy. Whoever holds the jp_buf owns its
 * memory; jp_buf_free releases it. Allocation failure aborts the process
 * (there is no sensible way to go on without memory). */
#ifndef JP_BUF_H
#define JP_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct jp_buf {
    char *data;
    size_t len;
    size_t cap;
} jp_buf;

void *jp_xmalloc(size_t n);
void *jp_xcalloc(size_t n, size_t size);
void *jp_xrealloc(void *p, size_t n);
char *jp_xstrdup(const char *s);

/* An array p of *n elements of size bytes grown, by doubling from 64, to
 * hold element i; the new elements are zeroed and *n is the new count.
 * Returns the array (p itself when it already holds i). */
void *jp_xgrow_zeroed(void *p, size_t *n, size_t i, size_t size);

void jp_buf_reserve(jp_buf *b, size_t extra);
/* Files read whole (a key, a schema: start-up reads) may hold at most this
 * much, so a device such as /dev/zero cannot fill memory. */
#define JP_READ_FILE_MAX ((size_t)64 << 20)
/* Appends the whole file at path. Returns 0, or -1 with errno saying why:
 * EFBIG when it holds more than JP_READ_FILE_MAX. */
int jp_buf_read_file(jp_buf *b, const char *path);
/* What went wrong in jp_buf_read_file, for err its errno. */
const char *jp_buf_read_error(int err);
void jp_buf_free(jp_buf *b);
void jp_buf_printf(jp_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The same with a va_list; either leaves a NUL after the new bytes. */
void jp_buf_vprintf(jp_buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* Whether a[0..n) and b[0..n) are the same bytes. Inline, in words that
 * may overlap, never byte by byte: it confirms the keys a hash lookup
 * found, which are short, and a call to memcmp costs more than that. */
static inline int jp_bytes_equal(const void *a, const void *b, size_t n)
{
    const char *x = a, *y = b;
    if (n >= 8) {
        uint64_t u, v;
        for (size_t i = 0; i + 8 < n; i += 8) {
            memcpy(&u, x + i, 8);
            memcpy(&v, y + i, 8);
            if (u != v)
                return 0;
        }
        memcpy(&u, x + n - 8, 8);
        memcpy(&v, y + n - 8, 8);
        return u == v;
    }
    if (n >= 4) {
        uint32_t u, v, w, z;
        memcpy(&u, x, 4);
        memcpy(&v, y, 4);
        memcpy(&w, x + n - 4, 4);
        memcpy(&z, y + n - 4, 4);
        return u == v && w == z;
    }
    /* 1 to 3 bytes: the first, middle and last are all of them. */
    return n == 0 || (x[0] == y[0] && x[n / 2] == y[n / 2] && x[n - 1] == y[n - 1]);
}

static inline void jp_buf_append(jp_buf *b, const void *p, size_t n)
{
    if (n == 0)
        return; /* p and b->data may be NULL: memcpy must not see them */
    if (b->cap - b->len < n)
        jp_buf_reserve(b, n);
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

static inline void jp_buf_putc(jp_buf *b, char c)
{
    if (b->cap == b->len)
        jp_buf_reserve(b, 1);
    b->data[b->len++] = c;
}

static inline void jp_buf_puts(jp_buf *b, const char *s)
{
    jp_buf_append(b, s, strlen(s));
}

/* Writes all of p[0..n) to fd, through EINTR, and waiting out EAGAIN on a
 * descriptor someone else left non-blocking. Returns 0, or -1 with errno
 * set when a write fails (what came before it is written). */
int jp_write_all(int fd, const void *p, size_t n);

#endif
