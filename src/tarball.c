/* tarball.c: tar members through libarchive, fed by a callback that first
 * replays the bytes the reader already took from the input. */
#include "tarball.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "report.h"

struct jp_archive {
    struct archive *a;
    int fd;
    int opened;
    unsigned char *prefix;
    size_t prefix_len, prefix_pos;
    uint64_t read_bytes; /* taken from fd (the prefix not counted) */
    char error[320];     /* the message jp_archive_error gives */
    unsigned char block[64 * 1024];
};

int jp_archive_detect(const unsigned char *p, size_t n)
{
    return n >= 262 && memcmp(p + 257, "ustar", 5) == 0;
}

static la_ssize_t feed(struct archive *a, void *ctx, const void **buf)
{
    jp_archive *x = ctx;
    if (x->prefix_pos < x->prefix_len) {
        *buf = x->prefix + x->prefix_pos;
        size_t n = x->prefix_len - x->prefix_pos;
        x->prefix_pos = x->prefix_len;
        return (la_ssize_t)n;
    }
    for (;;) {
        ssize_t n = read(x->fd, x->block, sizeof x->block);
        if (n >= 0) {
            x->read_bytes += (uint64_t)n;
            *buf = x->block;
            return n;
        }
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN) {
            /* A pipe libuv made non-blocking: wait for it here, on the pool. */
            struct pollfd p = {x->fd, POLLIN, 0};
            poll(&p, 1, -1);
            continue;
        }
        archive_set_error(a, errno, "read error: %s", strerror(errno));
        return -1;
    }
}

jp_archive *jp_archive_new(int fd, const unsigned char *prefix, size_t prefix_len)
{
    jp_archive *x = jp_xcalloc(1, sizeof *x);
    x->fd = fd;
    x->prefix = jp_xmalloc(prefix_len ? prefix_len : 1);
    memcpy(x->prefix, prefix, prefix_len);
    x->prefix_len = prefix_len;
    x->a = archive_read_new();
    archive_read_support_filter_all(x->a);
    archive_read_support_format_tar(x->a);
    return x;
}

void jp_archive_free(jp_archive *x)
{
    if (!x)
        return;
    archive_read_free(x->a);
    free(x->prefix);
    free(x);
}

int jp_archive_next(jp_archive *x, const char **path)
{
    if (!x->opened) {
        x->opened = 1;
        if (archive_read_open(x->a, x, NULL, feed, NULL) != ARCHIVE_OK)
            return -1;
    }
    for (;;) {
        struct archive_entry *e;
        int rc = archive_read_next_header(x->a, &e);
        if (rc == ARCHIVE_EOF)
            return 0;
        if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN)
            return -1;
        if (archive_entry_filetype(e) == AE_IFREG) {
            *path = archive_entry_pathname(e);
            return 1;
        }
    }
}

ssize_t jp_archive_read(jp_archive *x, void *buf, size_t n)
{
    la_ssize_t got = archive_read_data(x->a, buf, n);
    return got < 0 ? -1 : (ssize_t)got;
}

const char *jp_archive_error(jp_archive *x)
{
    const char *e = archive_error_string(x->a);
    char words[256];
    jp_report_detail(words, sizeof words, e ? e : "damaged archive");
    snprintf(x->error, sizeof x->error, "cannot read the archive: %s", words);
    return x->error;
}

uint64_t jp_archive_read_bytes(const jp_archive *x)
{
    return x->read_bytes;
}
