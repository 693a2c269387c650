/* decoder.c: gzip and zstd stream decoding. */
#include "decoder.h"

#include <inttypes.h>
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
    int in_member;      /* gzip: inside a member; zstd: inside a frame */
    uint64_t out_total; /* decompressed bytes so far, all members */
    char error[256];
};

jp_codec jp_codec_detect(const unsigned char *p, size_t n)
{
    if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b)
        return JP_CODEC_GZIP;
    if (n >= 4 && p[0] == 0x28 && p[1] == 0xb5 && p[2] == 0x2f && p[3] == 0xfd)
        return JP_CODEC_ZSTD;
    return JP_CODEC_PLAIN;
}

jp_decoder *jp_decoder_new(jp_codec codec)
{
    jp_decoder *d = jp_xcalloc(1, sizeof *d);
    d->codec = codec;
    if (codec == JP_CODEC_GZIP) {
        if (inflateInit2(&d->z, 15 + 16) != Z_OK) /* gzip only */
            abort();
    } else {
        d->zstd = ZSTD_createDCtx();
        if (!d->zstd)
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
    else
        ZSTD_freeDCtx(d->zstd);
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
    snprintf(d->error, sizeof d->error, "%s at decompressed offset %" PRIu64 "%s%s", what,
             d->out_total, detail ? ": " : "", words);
    return -1;
}

static int gzip_step(jp_decoder *d, const unsigned char *in, size_t in_len, size_t *used,
                     unsigned char *out, size_t out_len, size_t *made)
{
    z_stream *z = &d->z;
    z->next_in = (unsigned char *)in;
    z->avail_in = (uInt)in_len;
    z->next_out = out;
    z->avail_out = (uInt)out_len;
    int rc = 0;
    /* Inside a member, inflate may hold output for a call with no input. */
    while (z->avail_out > 0 && (z->avail_in > 0 || d->in_member)) {
        if (!d->in_member) {
            /* A new member must start here; anything else is garbage. */
            if (z->next_in[0] != 0x1f || (z->avail_in > 1 && z->next_in[1] != 0x8b)) {
                rc = fail(d, "trailing garbage after the gzip data", NULL);
                break;
            }
            inflateReset(z);
            d->in_member = 1;
        }
        uInt before = z->avail_out;
        int r = inflate(z, Z_NO_FLUSH);
        d->out_total += before - z->avail_out;
        if (r == Z_STREAM_END) {
            d->in_member = 0;
        } else if (r == Z_BUF_ERROR) {
            break;
        } else if (r != Z_OK) {
            rc = fail(d, "corrupt gzip data", z->msg ? z->msg : "inflate failed");
            break;
        }
    }
    *used = in_len - z->avail_in;
    *made = out_len - z->avail_out;
    return rc;
}

/* Compressed bytes per ZSTD_decompressStream call. */
#define ZSTD_SLICE (16 * 1024)

static int zstd_step(jp_decoder *d, const unsigned char *in, size_t in_len, size_t *used,
                     unsigned char *out, size_t out_len, size_t *made)
{
    ZSTD_inBuffer ib = {in, 0, 0};
    ZSTD_outBuffer ob = {out, out_len, 0};
    int rc = 0;
    /* Go on while there is room: zstd may hold output even when all the
     * input is taken. A call that fails reports none of the output it made,
     * so each call gets a slice of the input: damage then costs at most the
     * blocks completed in that slice, and the offset in the message says
     * where the good output ends. */
    while (ob.pos < ob.size) {
        size_t before = ob.pos, before_in = ib.pos;
        ib.size = in_len - ib.pos < ZSTD_SLICE ? in_len : ib.pos + ZSTD_SLICE;
        size_t r = ZSTD_decompressStream(d->zstd, &ob, &ib);
        d->out_total += ob.pos - before;
        if (ZSTD_isError(r)) {
            /* A frame that fails in its first slice is corrupt too; what
             * follows the last frame without a frame's magic is garbage, of
             * which zstd's words would be about a frame that is not there
             * ("Destination buffer is too small"). */
            int frame = d->in_member ||
                        jp_codec_detect(in + before_in, in_len - before_in) == JP_CODEC_ZSTD;
            rc = frame ? fail(d, "corrupt zstd data", ZSTD_getErrorName(r))
                       : fail(d, "trailing garbage after the zstd data", NULL);
            break;
        }
        if (ob.pos == before && ib.pos == before_in)
            break; /* needs more input (its hint would be for a next frame) */
        d->in_member = r != 0;
    }
    *used = ib.pos;
    *made = ob.pos;
    return rc;
}

int jp_decoder_step(jp_decoder *d, const unsigned char *in, size_t in_len, size_t *used,
                    unsigned char *out, size_t out_len, size_t *made)
{
    if (d->codec == JP_CODEC_GZIP)
        return gzip_step(d, in, in_len, used, out, out_len, made);
    return zstd_step(d, in, in_len, used, out, out_len, made);
}

int jp_decoder_end(jp_decoder *d)
{
    if (d->in_member)
        return fail(d, d->codec == JP_CODEC_GZIP ? "truncated gzip data" : "truncated zstd data",
                    NULL);
    return 0;
}
