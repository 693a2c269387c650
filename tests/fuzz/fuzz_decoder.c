/* fuzz_decoder.c: libFuzzer target for the decoders (gzip, zstd, xz,
 * bzip2, lz4): the format is the one the input's magic names, else gzip or
 * zstd by the settings byte's low bit. The
 * input (after one byte of settings) is decoded twice: in one step with
 * room for everything, and in the small, uneven steps a reader makes. Both
 * must give the same bytes and the same verdict, within the room given,
 * and a step must never stall while it has input and room. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "decoder.h"
#include "fuzz.h"

/* Decoded bytes are capped so a bomb stays cheap. */
#define OUT_MAX (1 << 20)

typedef struct result {
    jp_buf out;
    int rc; /* 0, or -1 with damage found */
} result;

static void decode(jp_codec codec, const uint8_t *in, size_t len, size_t in_step,
                   size_t out_step, result *res)
{
    jp_decoder *d = jp_decoder_new(codec);
    size_t at = 0, have = 0; /* in[at, have) has been read, not yet used */
    res->rc = 0;
    for (;;) {
        if (have == at && have < len)
            have = len - have < in_step ? len : have + in_step;
        size_t room = OUT_MAX - res->out.len < out_step ? OUT_MAX - res->out.len : out_step;
        if (room == 0)
            break;
        jp_buf_reserve(&res->out, room);
        size_t used = 0, made = 0;
        int rc = jp_decoder_step(d, in + at, have - at, &used,
                                 (unsigned char *)res->out.data + res->out.len, room, &made);
        FUZZ_CHECK(used <= have - at && made <= room);
        res->out.len += made;
        at += used;
        if (rc < 0) {
            char where[64];
            snprintf(where, sizeof where, " at decompressed offset %zu", res->out.len);
            FUZZ_CHECK(strstr(jp_decoder_error(d), where) != NULL);
            res->rc = -1;
            break;
        }
        if (used == 0 && made == 0) {
            if (have < len) { /* it wants more input in one piece */
                have = len - have < in_step ? len : have + in_step;
                continue;
            }
            res->rc = jp_decoder_end(d);
            FUZZ_CHECK(res->rc == 0 || jp_decoder_error(d)[0] != '\0');
            break;
        }
    }
    jp_decoder_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    jp_codec codec = jp_codec_detect(data + 1, size - 1);
    if (codec == JP_CODEC_PLAIN)
        codec = data[0] & 1 ? JP_CODEC_ZSTD : JP_CODEC_GZIP;
    size_t in_step = 1 + (data[0] >> 1 & 15) * 7;
    size_t out_step = 1 + (size_t)(data[0] >> 5) * 97;

    result whole = {{0}, 0}, steps = {{0}, 0};
    decode(codec, data + 1, size - 1, size, OUT_MAX, &whole);
    decode(codec, data + 1, size - 1, in_step, out_step, &steps);
    /* gzip: damage is found however the input is cut, unless the cap on
     * output came first, and the same bytes come before it. zstd, lz4,
     * bzip2 and xz promise that only for a stream they decode without
     * error: a call that fails reports none (or, for xz, not all) of the
     * output it made (the
     * message then names where delivery stopped: checked in decode),
     * libzstd checks a frame's declared size only when one call sees the
     * whole frame, and what a damaged frame decodes to before its checksum
     * fails depends on the path the library takes. */
    int capped = whole.out.len == OUT_MAX || steps.out.len == OUT_MAX;
    size_t common = whole.out.len < steps.out.len ? whole.out.len : steps.out.len;
    int sliced = codec != JP_CODEC_GZIP;
    if (!sliced || (whole.rc == 0 && steps.rc == 0)) {
        FUZZ_CHECK(capped || whole.rc == steps.rc);
        FUZZ_CHECK(capped || whole.out.len == steps.out.len);
        FUZZ_CHECK(common == 0 || memcmp(whole.out.data, steps.out.data, common) == 0);
    }
    jp_buf_free(&whole.out);
    jp_buf_free(&steps.out);
    return 0;
}
