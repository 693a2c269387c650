/* decoder.c: stream decoding, one small step function per format around a
 * common loop that finds where each stream starts and what follows the
 * last one. */
#include "decoder.h"

#include <bzlib.h>
#include <inttypes.h>
#include <limits.h>
#include <lz4frame.h>
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "buf.h"
#include "report.h"

struct jp_decoder {
    jp_codec codec;
    z_stream z;
    ZSTD_DCtx *zstd;
    lzma_stream xz;
    bz_stream bz;
    int bz_live;        /* bz holds an initialised stream */
    LZ4F_dctx *lz4;
    size_t hint;        /* zstd and lz4: the input their next call wants, 0: unknown */
    int in_member;      /* inside a stream (gzip member, zstd or lz4 frame) */
    uint64_t padding;   /* zeros after the last stream: only zeros may follow
                         * (or, in xz, a stream after a multiple of 4) */
    uint64_t out_total; /* decompressed bytes so far, all streams */
    char error[256];
};

static const unsigned char GZIP_MAGIC[] = {0x1f, 0x8b};
static const unsigned char ZSTD_MAGIC[] = {0x28, 0xb5, 0x2f, 0xfd};
static const unsigned char XZ_MAGIC[] = {0xfd, '7', 'z', 'X', 'Z', 0x00};
static const unsigned char BZIP2_MAGIC[] = {'B', 'Z', 'h'};
static const unsigned char LZ4_MAGIC[] = {0x04, 0x22, 0x4d, 0x18};
static const unsigned char LZ4_LEGACY_MAGIC[] = {0x02, 0x21, 0x4c, 0x18};
/* A skippable frame (zstd and lz4 share them): 0x184D2A50..5F, then its
 * size in 4 bytes, little-endian. */
static const unsigned char SKIP_MAGIC_TAIL[] = {0x2a, 0x4d, 0x18};

/* Whether p[0..n) agrees with the first bytes of magic (n may be short). */
static int agrees(const unsigned char *p, size_t n, const unsigned char *magic, size_t len)
{
    return memcmp(p, magic, n < len ? n : len) == 0;
}

static int is_skippable(const unsigned char *p, size_t n)
{
    return n >= 1 && (p[0] & 0xf0) == 0x50 && agrees(p + 1, n - 1, SKIP_MAGIC_TAIL, 3);
}

uint64_t jp_skippable_size(const unsigned char *p, size_t n)
{
    if (n < 8 || !is_skippable(p, 4))
        return 0;
    return 8 + ((uint64_t)p[4] | (uint64_t)p[5] << 8 | (uint64_t)p[6] << 16 |
                (uint64_t)p[7] << 24);
}

/* The .lzma (LZMA_Alone) header has no magic: its properties byte, a
 * dictionary size of 2^n or 2^n + 2^(n-1) bytes (4 KiB or more, as xz and
 * lzma write them) and an uncompressed size, unknown (all ones) or below
 * 2^48. Such a dictionary size holds a NUL byte, which no text does. */
static int is_lzma_alone(const unsigned char *p, size_t n)
{
    if (n < 13 || p[0] > (4 * 5 + 4) * 9 + 8)
        return 0;
    uint32_t dict = (uint32_t)p[1] | (uint32_t)p[2] << 8 | (uint32_t)p[3] << 16 |
                    (uint32_t)p[4] << 24;
    uint32_t top = dict & (dict - 1); /* dict without its lowest bit */
    if (dict < 4096 || (top && (top & (top - 1) || top != (dict & -dict) << 1)))
        return 0;
    int unknown = 1;
    for (int i = 5; i < 13; i++)
        unknown &= p[i] == 0xff;
    return unknown || (p[11] == 0 && p[12] == 0);
}

jp_codec jp_codec_detect(const unsigned char *p, size_t n)
{
    /* Look past skippable frames for the frame that says which it is. */
    for (uint64_t len; (len = jp_skippable_size(p, n)) != 0; p += len, n -= (size_t)len)
        if (len >= n)
            return JP_CODEC_ZSTD;
    if (n >= 2 && agrees(p, 2, GZIP_MAGIC, 2))
        return JP_CODEC_GZIP;
    if (n >= 4 && agrees(p, 4, ZSTD_MAGIC, 4))
        return JP_CODEC_ZSTD;
    if (n >= 4 && (agrees(p, 4, LZ4_MAGIC, 4) || agrees(p, 4, LZ4_LEGACY_MAGIC, 4)))
        return JP_CODEC_LZ4;
    if (is_lzma_alone(p, n))
        return JP_CODEC_LZMA;
    if (n >= 6 && agrees(p, 6, XZ_MAGIC, 6))
        return JP_CODEC_XZ;
    /* "BZh" and a block size digit, then a block's or the end's magic. */
    if (n >= 4 && agrees(p, 3, BZIP2_MAGIC, 3) && p[3] >= '1' && p[3] <= '9' &&
        (n < 10 || agrees(p + 4, 6, (const unsigned char *)"\x31\x41\x59\x26\x53\x59", 6) ||
         agrees(p + 4, 6, (const unsigned char *)"\x17\x72\x45\x38\x50\x90", 6)))
        return JP_CODEC_BZIP2;
    return JP_CODEC_PLAIN;
}

const char *jp_codec_name(jp_codec codec)
{
    static const char *const names[] = {"plain", "gzip", "zstd", "xz", "bzip2", "lz4", "lzma"};
    return names[codec];
}

/* Whether a stream of the codec may start at p[0..n). */
static int starts_stream(jp_codec codec, const unsigned char *p, size_t n)
{
    switch (codec) {
    case JP_CODEC_GZIP:
        return agrees(p, n, GZIP_MAGIC, sizeof GZIP_MAGIC);
    case JP_CODEC_ZSTD:
        return agrees(p, n, ZSTD_MAGIC, sizeof ZSTD_MAGIC) || is_skippable(p, n);
    case JP_CODEC_XZ:
        return agrees(p, n, XZ_MAGIC, sizeof XZ_MAGIC);
    case JP_CODEC_BZIP2:
        return agrees(p, n, BZIP2_MAGIC, sizeof BZIP2_MAGIC);
    case JP_CODEC_LZMA:
        return n < 13 || is_lzma_alone(p, n); /* xz reads one; more are read on */
    case JP_CODEC_LZ4:
        return agrees(p, n, LZ4_MAGIC, sizeof LZ4_MAGIC) ||
               agrees(p, n, LZ4_LEGACY_MAGIC, sizeof LZ4_LEGACY_MAGIC) || is_skippable(p, n);
    default:
        return 0;
    }
}

jp_decoder *jp_decoder_new(jp_codec codec)
{
    jp_decoder *d = jp_xcalloc(1, sizeof *d);
    d->codec = codec;
    int ok = 1;
    if (codec == JP_CODEC_GZIP) {
        ok = inflateInit2(&d->z, 15 + 16) == Z_OK; /* gzip only */
    } else if (codec == JP_CODEC_ZSTD) {
        ok = (d->zstd = ZSTD_createDCtx()) != NULL;
    } else if (codec == JP_CODEC_XZ || codec == JP_CODEC_LZMA) {
        d->xz = (lzma_stream)LZMA_STREAM_INIT;
    } else if (codec == JP_CODEC_LZ4) {
        ok = !LZ4F_isError(LZ4F_createDecompressionContext(&d->lz4, LZ4F_VERSION));
    }
    if (!ok) {
        fprintf(stderr, "jsonpipe: cannot start the %s decoder\n", jp_codec_name(codec));
        abort();
    }
    return d;
}

void jp_decoder_free(jp_decoder *d)
{
    if (!d)
        return;
    if (d->codec == JP_CODEC_GZIP)
        inflateEnd(&d->z);
    ZSTD_freeDCtx(d->zstd);
    lzma_end(&d->xz);
    if (d->bz_live)
        BZ2_bzDecompressEnd(&d->bz);
    LZ4F_freeDecompressionContext(d->lz4);
    free(d);
}

const char *jp_decoder_error(const jp_decoder *d)
{
    return d->error;
}

static int fail(jp_decoder *d, const char *what, const char *detail)
{
    char words[160] = "";
    if (detail)
        jp_report_detail(words, sizeof words, detail);
    snprintf(d->error, sizeof d->error, "%s %s data at decompressed offset %" PRIu64 "%s%s",
             what, jp_codec_name(d->codec), d->out_total, detail ? ": " : "", words);
    return -1;
}

/* Each step function decodes within one stream, from in[0..in_len) into
 * out[0..out_len), until the input is used, the room is full or the stream
 * ends (then it clears in_member). It returns NULL, or what is wrong. */
typedef const char *step_fn(jp_decoder *d, const unsigned char *in, size_t in_len, size_t *used,
                            unsigned char *out, size_t out_len, size_t *made);

static unsigned clamp_uint(size_t n)
{
    return n > UINT_MAX ? UINT_MAX : (unsigned)n;
}

static const char *gzip_step(jp_decoder *d, const unsigned char *in, size_t in_len, size_t *used,
                             unsigned char *out, size_t out_len, size_t *made)
{
    z_stream *z = &d->z;
    z->next_in = (unsigned char *)in;
    z->avail_in = clamp_uint(in_len);
    z->next_out = out;
    z->avail_out = clamp_uint(out_len);
    const char *err = NULL;
    /* inflate may hold output for a call with no input. */
    while (z->avail_out > 0) {
        int r = inflate(z, Z_NO_FLUSH);
        if (r == Z_STREAM_END) {
            d->in_member = 0;
            break;
        }
        if (r == Z_BUF_ERROR)
            break;
        if (r != Z_OK) {
            err = z->msg ? z->msg : "inflate failed";
            break;
        }
    }
    *used = (size_t)(z->next_in - in);
    *made = (size_t)(z->next_out - out);
    return err;
}

/* Compressed bytes per ZSTD_decompressStream or LZ4F_decompress call. A
 * call that fails reports none of the output it made, so each gets a
 * slice of the input: damage then costs at most the blocks completed in
 * that slice, and the offset in the message says where good output ends. */
#define SLICE (16 * 1024)

/* The input for the next zstd or lz4 call: no more than the call said it
 * wants (the rest of a block, a checksum), so that a block is finished in
 * a call of its own and its output is reported before a later block or
 * the frame's checksum fails. */
static size_t slice(const jp_decoder *d, size_t left)
{
    size_t n = d->hint && d->hint < SLICE ? d->hint : SLICE;
    return left < n ? left : n;
}

static const char *zstd_step(jp_decoder *d, const unsigned char *in, size_t in_len, size_t *used,
                             unsigned char *out, size_t out_len, size_t *made)
{
    ZSTD_inBuffer ib = {in, 0, 0};
    ZSTD_outBuffer ob = {out, out_len, 0};
    const char *err = NULL;
    /* Go on while there is room: zstd may hold output even when all the
     * input is taken. */
    while (ob.pos < ob.size) {
        size_t before = ob.pos, before_in = ib.pos;
        ib.size = ib.pos + slice(d, in_len - ib.pos);
        size_t r = d->hint = ZSTD_decompressStream(d->zstd, &ob, &ib);
        if (ZSTD_isError(r)) {
            err = ZSTD_getErrorName(r);
            d->hint = 0;
            ZSTD_DCtx_reset(d->zstd, ZSTD_reset_session_only);
            break;
        }
        if (r == 0) {
            d->in_member = 0;
            break;
        }
        if (ob.pos == before && ib.pos == before_in)
            break; /* needs more input */
    }
    *used = ib.pos;
    *made = ob.pos;
    return err;
}

static const char *lz4_step(jp_decoder *d, const unsigned char *in, size_t in_len, size_t *used,
                            unsigned char *out, size_t out_len, size_t *made)
{
    size_t at = 0, put = 0;
    const char *err = NULL;
    while (put < out_len) {
        size_t src = slice(d, in_len - at), dst = out_len - put;
        size_t r = d->hint = LZ4F_decompress(d->lz4, out + put, &dst, in + at, &src, NULL);
        if (LZ4F_isError(r)) {
            err = LZ4F_getErrorName(r);
            d->hint = 0;
            LZ4F_resetDecompressionContext(d->lz4);
            break;
        }
        at += src;
        put += dst;
        if (r == 0) {
            d->in_member = 0; /* the frame (or a skippable one) is complete */
            break;
        }
        if (src == 0 && dst == 0)
            break;
    }
    *used = at;
    *made = put;
    return err;
}

static const char *xz_message(lzma_ret r)
{
    switch (r) {
    case LZMA_FORMAT_ERROR: return "not in the xz format";
    case LZMA_OPTIONS_ERROR: return "unsupported options";
    case LZMA_DATA_ERROR: return "compressed data is corrupt";
    case LZMA_MEM_ERROR: return "out of memory";
    case LZMA_UNSUPPORTED_CHECK: return "unsupported integrity check";
    default: return "liblzma failed";
    }
}

static const char *xz_step(jp_decoder *d, const unsigned char *in, size_t in_len, size_t *used,
                           unsigned char *out, size_t out_len, size_t *made)
{
    lzma_stream *x = &d->xz;
    x->next_in = in;
    x->avail_in = in_len;
    x->next_out = out;
    x->avail_out = out_len;
    const char *err = NULL;
    while (x->avail_out > 0) {
        size_t in_before = x->avail_in, out_before = x->avail_out;
        lzma_ret r = lzma_code(x, LZMA_RUN);
        if (r == LZMA_STREAM_END) {
            d->in_member = 0;
            break;
        }
        if (r == LZMA_BUF_ERROR || (r == LZMA_OK && x->avail_in == in_before &&
                                    x->avail_out == out_before))
            break;
        if (r != LZMA_OK) {
            err = xz_message(r);
            break;
        }
    }
    *used = (size_t)(x->next_in - in);
    *made = (size_t)(x->next_out - out);
    return err;
}

static const char *bzip2_message(int r)
{
    switch (r) {
    case BZ_DATA_ERROR: return "compressed data is corrupt";
    case BZ_DATA_ERROR_MAGIC: return "not in the bzip2 format";
    case BZ_MEM_ERROR: return "out of memory";
    default: return "libbz2 failed";
    }
}

/* Decompressed bytes per BZ2_bzDecompress call: its fast path, on damage,
 * returns without reporting the output of the call, so a call gets this
 * much room and damage costs at most that. */
#define BZIP2_SLICE (64 * 1024)

static const char *bzip2_step(jp_decoder *d, const unsigned char *in, size_t in_len, size_t *used,
                              unsigned char *out, size_t out_len, size_t *made)
{
    bz_stream *z = &d->bz;
    z->next_in = (char *)in;
    z->avail_in = clamp_uint(in_len);
    size_t put = 0;
    const char *err = NULL;
    while (put < out_len) {
        unsigned room = clamp_uint(out_len - put < BZIP2_SLICE ? out_len - put : BZIP2_SLICE);
        unsigned in_before = z->avail_in;
        z->next_out = (char *)out + put;
        z->avail_out = room;
        int r = BZ2_bzDecompress(z);
        put += room - z->avail_out;
        if (r == BZ_STREAM_END) {
            d->in_member = 0;
            break;
        }
        if (r != BZ_OK) {
            err = bzip2_message(r);
            break;
        }
        if (z->avail_in == in_before && z->avail_out == room)
            break;
    }
    *used = (size_t)(z->next_in - (char *)in);
    *made = put;
    return err;
}

/* A new stream starts: the formats that do not go on by themselves from
 * one stream to the next are set up again. */
static void begin_stream(jp_decoder *d)
{
    if (d->codec == JP_CODEC_GZIP) {
        inflateReset(&d->z);
    } else if (d->codec == JP_CODEC_XZ) {
        if (lzma_stream_decoder(&d->xz, UINT64_MAX, 0) != LZMA_OK)
            abort(); /* out of memory */
    } else if (d->codec == JP_CODEC_LZMA) {
        if (lzma_alone_decoder(&d->xz, UINT64_MAX) != LZMA_OK)
            abort();
    } else if (d->codec == JP_CODEC_BZIP2) {
        if (d->bz_live)
            BZ2_bzDecompressEnd(&d->bz);
        memset(&d->bz, 0, sizeof d->bz);
        if (BZ2_bzDecompressInit(&d->bz, 0, 0) != BZ_OK)
            abort();
        d->bz_live = 1;
    }
    d->in_member = 1;
}

static step_fn *const steps[] = {
    [JP_CODEC_GZIP] = gzip_step, [JP_CODEC_ZSTD] = zstd_step, [JP_CODEC_XZ] = xz_step,
    [JP_CODEC_BZIP2] = bzip2_step, [JP_CODEC_LZ4] = lz4_step, [JP_CODEC_LZMA] = xz_step,
};

int jp_decoder_step(jp_decoder *d, const unsigned char *in, size_t in_len, size_t *used,
                    unsigned char *out, size_t out_len, size_t *made)
{
    size_t at = 0, put = 0;
    int rc = 0;
    for (;;) {
        if (!d->in_member) {
            while (at < in_len && in[at] == 0) {
                at++;
                d->padding++;
            }
            if (at == in_len)
                break;
            /* xz alone has stream padding between streams (xz -dc reads on). */
            if ((d->padding && (d->codec != JP_CODEC_XZ || d->padding % 4)) ||
                !starts_stream(d->codec, in + at, in_len - at)) {
                rc = fail(d, "trailing garbage after the", NULL);
                break;
            }
            if (d->codec == JP_CODEC_LZ4 &&
                agrees(in + at, in_len - at, LZ4_LEGACY_MAGIC, sizeof LZ4_LEGACY_MAGIC)) {
                rc = fail(d, "unsupported", "the legacy lz4 format (lz4 -l): convert it with "
                                            "lz4 -dc | lz4");
                break;
            }
            d->padding = 0;
            begin_stream(d);
        }
        size_t u = 0, m = 0;
        const char *err = steps[d->codec](d, in + at, in_len - at, &u, out + put, out_len - put, &m);
        at += u;
        put += m;
        d->out_total += m;
        if (err) {
            rc = fail(d, "corrupt", err);
            break;
        }
        if (d->in_member && ((u == 0 && m == 0) || put == out_len || at == in_len))
            break; /* needs more input or more room */
    }
    *used = at;
    *made = put;
    return rc;
}

int jp_decoder_end(jp_decoder *d)
{
    if (d->in_member)
        return fail(d, "truncated", NULL);
    return 0;
}
