/* encoder.c: gzip members and zstd frames, one per batch. */
#include "encoder.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

struct jp_encoder {
    jp_codec codec;
    int level;
    z_stream z;
    ZSTD_CCtx *zstd;
};

jp_encoder *jp_encoder_new(jp_codec codec, int level)
{
    jp_encoder *e = jp_xcalloc(1, sizeof *e);
    e->codec = codec;
    e->level = level;
    if (codec == JP_CODEC_GZIP) {
        if (deflateInit2(&e->z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
            abort();
    } else {
        e->zstd = ZSTD_createCCtx();
        if (!e->zstd || ZSTD_isError(ZSTD_CCtx_setParameter(e->zstd, ZSTD_c_compressionLevel, level)))
            abort();
    }
    return e;
}

void jp_encoder_free(jp_encoder *e)
{
    if (!e)
        return;
    if (e->codec == JP_CODEC_GZIP)
        deflateEnd(&e->z);
    else
        ZSTD_freeCCtx(e->zstd);
    free(e);
}

#define ZLIB_SLICE ((size_t)1 << 30)

void jp_encoder_append(jp_encoder *e, const char *p, size_t n, jp_buf *out)
{
    if (!n)
        return;
    if (e->codec == JP_CODEC_GZIP) {
        jp_buf_reserve(out, deflateBound(&e->z, (uLong)n));
        deflateReset(&e->z);
        /* In slices that fit zlib's unsigned int counts: a batch's output
         * is not bounded by its input (--explode). */
        size_t in = 0;
        int rc;
        do {
            size_t room = out->cap - out->len;
            e->z.next_in = (unsigned char *)p + in;
            e->z.avail_in = (uInt)(n - in < ZLIB_SLICE ? n - in : ZLIB_SLICE);
            e->z.next_out = (unsigned char *)out->data + out->len;
            e->z.avail_out = (uInt)(room < ZLIB_SLICE ? room : ZLIB_SLICE);
            rc = deflate(&e->z, n - in <= ZLIB_SLICE ? Z_FINISH : Z_NO_FLUSH);
            in = (size_t)((const char *)e->z.next_in - p);
            out->len = (size_t)((char *)e->z.next_out - out->data);
        } while (rc == Z_OK);
        if (rc != Z_STREAM_END)
            abort(); /* deflateBound guarantees the room */
    } else {
        jp_buf_reserve(out, ZSTD_compressBound(n));
        size_t got = ZSTD_compress2(e->zstd, out->data + out->len, out->cap - out->len, p, n);
        if (ZSTD_isError(got))
            abort(); /* ZSTD_compressBound guarantees the room */
        out->len += got;
    }
}

void jp_encoder_run(jp_encoder *e, jp_buf *b, jp_buf *scratch)
{
    if (!b->len)
        return;
    scratch->len = 0;
    jp_encoder_append(e, b->data, b->len, scratch);
    jp_buf tmp = *b;
    *b = *scratch;
    *scratch = tmp;
}

void jp_encoder_empty(jp_codec codec, jp_buf *out)
{
    jp_encoder *e = jp_encoder_new(codec, jp_codec_default_level(codec));
    if (codec == JP_CODEC_GZIP) {
        jp_buf_reserve(out, 64);
        e->z.next_in = NULL;
        e->z.avail_in = 0;
        e->z.next_out = (unsigned char *)out->data + out->len;
        e->z.avail_out = (uInt)(out->cap - out->len);
        if (deflate(&e->z, Z_FINISH) != Z_STREAM_END)
            abort();
        out->len = out->cap - e->z.avail_out;
    } else {
        jp_buf_reserve(out, ZSTD_compressBound(0));
        size_t n = ZSTD_compress2(e->zstd, out->data + out->len, out->cap - out->len, "", 0);
        if (ZSTD_isError(n))
            abort();
        out->len += n;
    }
    jp_encoder_free(e);
}

jp_codec jp_codec_for_name(const char *path)
{
    size_t n = path ? strlen(path) : 0;
    if (n > 3 && strcmp(path + n - 3, ".gz") == 0)
        return JP_CODEC_GZIP;
    if (n > 4 && strcmp(path + n - 4, ".zst") == 0)
        return JP_CODEC_ZSTD;
    return JP_CODEC_PLAIN;
}

int jp_codec_default_level(jp_codec codec)
{
    return codec == JP_CODEC_GZIP ? 6 : 3;
}

int jp_codec_max_level(jp_codec codec)
{
    /* zstd's 20-22 need --ultra and huge windows: not offered. */
    return codec == JP_CODEC_GZIP ? 9 : 19;
}

int jp_codec_parse(const char *spec, jp_codec *codec, int *level)
{
    const char *colon = strchr(spec, ':');
    size_t n = colon ? (size_t)(colon - spec) : strlen(spec);
    if (n == 4 && strncmp(spec, "none", 4) == 0 && !colon) {
        *codec = JP_CODEC_PLAIN;
        return 0;
    }
    if (n == 4 && strncmp(spec, "gzip", 4) == 0)
        *codec = JP_CODEC_GZIP;
    else if (n == 4 && strncmp(spec, "zstd", 4) == 0)
        *codec = JP_CODEC_ZSTD;
    else
        return -1;
    *level = jp_codec_default_level(*codec);
    if (!colon)
        return 0;
    /* Digits only: no sign, no spaces, no "1..2", nothing after. */
    const char *p = colon + 1;
    int v = 0;
    while (*p >= '0' && *p <= '9' && v <= 99)
        v = v * 10 + (*p++ - '0');
    if (p == colon + 1 || *p || v < 1 || v > jp_codec_max_level(*codec))
        return -2;
    *level = v;
    return 0;
}
