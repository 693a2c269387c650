/* tarball.c: tar members through libarchive, fed by a callback that first
 * replays the bytes the reader already took from the input, and decodes a
 * compressed archive itself. libarchive is opened by the first archive
 * (see dynlib.h), on the pool thread that makes the first call. */
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
#include "config.h"
#include "dynlib.h"
#include "report.h"

#define LIBARCHIVE_FUNCTIONS(X, t) \
    X(t, archive_read_new) X(t, archive_read_support_format_tar) X(t, archive_read_set_options) \
    X(t, archive_read_open) X(t, archive_read_next_header) X(t, archive_read_data_block) \
    X(t, archive_read_free) X(t, archive_entry_filetype) X(t, archive_entry_pathname) \
    X(t, archive_error_string) X(t, archive_set_error)
JP_DYNLIB(libarchive, la, LIBARCHIVE_FUNCTIONS, JP_SONAME_ARCHIVE);

#define BLOCK (64 * 1024)

struct jp_archive {
    struct archive *a;
    int fd;
    int opened;            /* 1: libarchive reads it, -1: it could not */
    unsigned char *prefix;
    size_t prefix_len, prefix_pos;
    uint64_t read_bytes;   /* taken from fd (the prefix not counted) */
    jp_decoder *decoder;   /* NULL: the archive is not compressed */
    const unsigned char *in; /* compressed bytes not yet decoded */
    size_t in_len;
    int in_eof;
    int pending;           /* the decoder filled its room: it may hold more */
    int damaged;           /* the decoder failed: the next feed reports it */
    char error[320];       /* the message jp_archive_error gives */
    const unsigned char *data; /* the member's block libarchive gave, not yet read */
    size_t data_len;
    uint64_t hole;         /* zeros to give before it (a sparse member) */
    uint64_t member_pos;   /* the member's bytes given so far */
    uint64_t given;        /* tar bytes given to libarchive */
    uint64_t zeros;        /* how many of the last of them are zeros */
    unsigned char raw[BLOCK];
    unsigned char block[BLOCK];
};

/* The value of an octal field (leading spaces, digits, then a NUL or a
 * space, or the field's end); -1 when it is not one. */
static long long octal(const unsigned char *p, size_t n)
{
    size_t i = 0;
    long long v = 0;
    while (i < n && p[i] == ' ')
        i++;
    size_t digits = i;
    for (; i < n && p[i] >= '0' && p[i] <= '7'; i++)
        v = v * 8 + (p[i] - '0');
    if (i == digits)
        return -1;
    for (; i < n; i++)
        if (p[i] != ' ' && p[i] != '\0')
            return -1;
    return v;
}

int jp_archive_detect(const unsigned char *p, size_t n)
{
    static const unsigned char zeros[1024];
    /* The end of an archive first (tar cf x.tar -T /dev/null writes only
     * that): an empty archive, as tar reads it. */
    if (n >= sizeof zeros && memcmp(p, zeros, sizeof zeros) == 0)
        return 1;
    int ustar = n >= 262 && memcmp(p + 257, "ustar", 5) == 0;
    /* A v7 header has no magic: only its checksum tells it, so the whole
     * header is needed. A ustar one cut short is taken for one, to be
     * reported as cut. */
    if (n < (ustar ? 262 : 512) || p[0] == '\0' || octal(p + 148, 8) < 0 ||
        octal(p + 100, 8) < 0)
        return 0;
    /* Every real header holds NUL bytes (in its fields or their ends), and
     * no valid NDJSON line does: so valid NDJSON is never taken for a tar,
     * even one made to carry a right checksum. */
    if (!memchr(p, '\0', n < 512 ? n : 512))
        return 0;
    if (n < 512)
        return 1;
    /* The checksum counts its own field as spaces; old tars summed signed
     * bytes, so either sum is taken. */
    long long want = octal(p + 148, 8), sum = 0, ssum = 0;
    for (size_t i = 0; i < 512; i++) {
        unsigned char c = i >= 148 && i < 156 ? ' ' : p[i];
        sum += c;
        ssum += (signed char)c;
    }
    return want == sum || want == ssum;
}

static ssize_t read_fd(jp_archive *x, unsigned char *buf, size_t n)
{
    for (;;) {
        ssize_t got = read(x->fd, buf, n);
        if (got >= 0) {
            x->read_bytes += (uint64_t)got;
            return got;
        }
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN)
            return -1;
        /* A pipe libuv made non-blocking: wait for it here, on the pool. */
        struct pollfd pfd = {x->fd, POLLIN, 0};
        poll(&pfd, 1, -1);
    }
}

/* The archive file's next bytes: the prefix first, then fd. */
static ssize_t next_bytes(jp_archive *x, const unsigned char **buf)
{
    if (x->prefix_pos < x->prefix_len) {
        *buf = x->prefix + x->prefix_pos;
        size_t n = x->prefix_len - x->prefix_pos;
        x->prefix_pos = x->prefix_len;
        return (ssize_t)n;
    }
    *buf = x->raw;
    return read_fd(x, x->raw, sizeof x->raw);
}

/* Tar bytes go to libarchive: counted, to know the zeros they end with. */
static la_ssize_t give(jp_archive *x, const unsigned char *p, size_t n)
{
    size_t k = n;
    while (k > 0 && p[k - 1] == 0)
        k--;
    x->zeros = k ? n - k : x->zeros + n;
    x->given += n;
    return (la_ssize_t)n;
}

/* At the end of the file: zero padding after the end of an archive, not a
 * whole number of blocks (a dd or tape tail), is completed to one, so that
 * libarchive, looking for another archive after it, does not call the
 * zeros a truncated archive. Bytes that are not zeros are left as they
 * are, to be reported. */
static la_ssize_t end_of_file(jp_archive *x, const void **buf)
{
    static const unsigned char zeros[512];
    size_t part = (size_t)(x->given % sizeof zeros);
    if (part == 0 || x->zeros < sizeof zeros + part)
        return 0;
    *buf = zeros;
    return give(x, zeros, sizeof zeros - part);
}

static la_ssize_t failed(struct archive *a, jp_archive *x)
{
    la.archive_set_error(a, EIO, "%s", x->error);
    return -1;
}

/* Decoded tar bytes from the compressed file: everything up to damage, and
 * then the damage. */
static la_ssize_t feed_decoded(struct archive *a, jp_archive *x, const void **buf)
{
    if (x->damaged)
        return failed(a, x);
    for (;;) {
        if (x->in_len == 0 && !x->pending && !x->in_eof) {
            ssize_t n = next_bytes(x, &x->in);
            if (n < 0) {
                snprintf(x->error, sizeof x->error, "read error: %s", strerror(errno));
                return failed(a, x);
            }
            x->in_len = (size_t)n;
            x->in_eof = n == 0;
        }
        if (x->in_eof && !x->pending) {
            if (jp_decoder_end(x->decoder) < 0) {
                snprintf(x->error, sizeof x->error, "%s", jp_decoder_error(x->decoder));
                return failed(a, x);
            }
            return end_of_file(x, buf);
        }
        size_t used, made;
        int rc = jp_decoder_step(x->decoder, x->in, x->in_len, &used, x->block, sizeof x->block,
                                 &made);
        x->in += used;
        x->in_len -= used;
        x->pending = made == sizeof x->block;
        if (rc < 0) {
            snprintf(x->error, sizeof x->error, "%s", jp_decoder_error(x->decoder));
            x->damaged = 1;
            if (!made)
                return failed(a, x);
        }
        if (made) {
            *buf = x->block;
            return give(x, x->block, made);
        }
    }
}

static la_ssize_t feed(struct archive *a, void *ctx, const void **buf)
{
    jp_archive *x = ctx;
    if (x->decoder)
        return feed_decoded(a, x, buf);
    const unsigned char *p;
    ssize_t n = next_bytes(x, &p);
    if (n < 0) {
        snprintf(x->error, sizeof x->error, "read error: %s", strerror(errno));
        return failed(a, x);
    }
    if (n == 0)
        return end_of_file(x, buf);
    *buf = p;
    return give(x, p, (size_t)n);
}

jp_archive *jp_archive_new(int fd, jp_codec codec, const unsigned char *prefix,
                           size_t prefix_len)
{
    jp_archive *x = jp_xcalloc(1, sizeof *x);
    x->fd = fd;
    x->prefix = jp_xmalloc(prefix_len ? prefix_len : 1);
    memcpy(x->prefix, prefix, prefix_len);
    x->prefix_len = prefix_len;
    if (codec != JP_CODEC_PLAIN)
        x->decoder = jp_decoder_new(codec);
    return x;
}

/* The first call: libarchive, and a reader of tar alone on our callback. */
static int open_archive(jp_archive *x)
{
    const char *why;
    if (jp_dynlib_load(&libarchive, &why) < 0) {
        snprintf(x->error, sizeof x->error, "cannot read the archive: %s", why);
        jp_report_fit(x->error, sizeof x->error);
        return -1;
    }
    x->a = la.archive_read_new();
    la.archive_read_support_format_tar(x->a); /* and no filter: see tarball.h */
    /* Archives one after another (cat a.tar b.tar) are all read, as tar -i
     * reads them, and bytes after the end that are not zeros or another
     * archive are damage: never left unread in silence. */
    la.archive_read_set_options(x->a, "tar:read_concatenated_archives");
    return la.archive_read_open(x->a, x, NULL, feed, NULL) == ARCHIVE_OK ? 0 : -1;
}

void jp_archive_free(jp_archive *x)
{
    if (!x)
        return;
    if (x->a)
        la.archive_read_free(x->a);
    jp_decoder_free(x->decoder);
    free(x->prefix);
    free(x);
}

int jp_archive_next(jp_archive *x, const char **path)
{
    if (!x->opened)
        x->opened = open_archive(x) == 0 ? 1 : -1;
    if (x->opened < 0)
        return -1;
    for (;;) {
        struct archive_entry *e;
        int rc = la.archive_read_next_header(x->a, &e);
        if (rc == ARCHIVE_EOF)
            return 0;
        if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN)
            return -1;
        if (la.archive_entry_filetype(e) == AE_IFREG) {
            *path = la.archive_entry_pathname(e);
            x->data_len = 0;
            x->hole = 0;
            x->member_pos = 0;
            return 1;
        }
    }
}

/* Block by block, not with archive_read_data: that one fills the whole
 * buffer and, on damage after some blocks, returns the error and drops
 * the bytes it had already copied. */
ssize_t jp_archive_read(jp_archive *x, void *buf, size_t n)
{
    while (!x->data_len && !x->hole) {
        const void *block;
        size_t len;
        la_int64_t offset;
        int rc = la.archive_read_data_block(x->a, &block, &len, &offset);
        if (rc == ARCHIVE_EOF)
            return 0;
        if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN)
            return -1;
        x->data = block;
        x->data_len = len;
        x->hole = (uint64_t)offset > x->member_pos ? (uint64_t)offset - x->member_pos : 0;
    }
    size_t k;
    if (x->hole) {
        k = n < x->hole ? n : (size_t)x->hole;
        memset(buf, 0, k);
        x->hole -= k;
    } else {
        k = n < x->data_len ? n : x->data_len;
        memcpy(buf, x->data, k);
        x->data += k;
        x->data_len -= k;
    }
    x->member_pos += k;
    return (ssize_t)k;
}

const char *jp_archive_error(jp_archive *x)
{
    if (x->error[0])
        return x->error;
    const char *e = la.archive_error_string(x->a);
    char words[256];
    jp_report_detail(words, sizeof words, e ? e : "damaged archive");
    snprintf(x->error, sizeof x->error, "cannot read the archive: %s", words);
    return x->error;
}

uint64_t jp_archive_read_bytes(const jp_archive *x)
{
    return x->read_bytes;
}
