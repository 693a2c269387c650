/* encoder.h: compressing output a batch at a time, on the worker threads.
 *
 * Each batch becomes an independent gzip member or zstd frame, as pigz and
 * bgzip do it, so compression runs in parallel with everything else and the
 * concatenation is a valid multi-member .gz (or .zst) file that gzip -t,
 * zcat and zstdcat read whole. One jp_encoder per worker thread. */
#ifndef JP_ENCODER_H
#define JP_ENCODER_H

#include <stddef.h>

#include "buf.h"
#include "decoder.h"

typedef struct jp_encoder jp_encoder;

jp_encoder *jp_encoder_new(jp_codec codec, int level);
void jp_encoder_free(jp_encoder *e);

/* Replaces b's bytes with one compressed member holding them (nothing for
 * no bytes). scratch is a buffer of the caller's, reused. */
void jp_encoder_run(jp_encoder *e, jp_buf *b, jp_buf *scratch);

/* Appends one member holding p[0..n) to out (nothing for no bytes). */
void jp_encoder_append(jp_encoder *e, const char *p, size_t n, jp_buf *out);

/* Appends one complete member (frame) that holds nothing: a compressed
 * output that got no bytes must still be a valid .gz or .zst file. */
void jp_encoder_empty(jp_codec codec, jp_buf *out);

/* The codec an output file name asks for (.gz, .zst), or plain. */
jp_codec jp_codec_for_name(const char *path);

/* Parses "gzip", "gzip:9", "zstd:19" or "none". Returns 0; -1 when the
 * algorithm is unknown; -2 when the level is not a number from 1 to
 * jp_codec_max_level (*codec is set then). */
int jp_codec_parse(const char *spec, jp_codec *codec, int *level);

/* The highest level offered for codec: 9 for gzip, 19 for zstd. */
int jp_codec_max_level(jp_codec codec);

/* The default level of codec. */
int jp_codec_default_level(jp_codec codec);

#endif
