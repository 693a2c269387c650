/* decoder.h: decompressing an input stream, gzip (zlib) or zstd (libzstd).
 *
 * An input is recognised by its first bytes, whatever its name. Decoding is
 * incremental and bounded by the caller's output space, so a 1000:1 bomb
 * never produces more than the caller asked for. A jp_decoder is used by
 * one thread at a time (the reader hands it to libuv's pool for each step).
 *
 * gzip: every member of a multi-member stream (concatenated .gz files,
 * pigz, bgzip) is read. Bytes after the last member that are not another
 * member are an error, as gzip -t reports them: "trailing garbage". */
#ifndef JP_DECODER_H
#define JP_DECODER_H

#include <stddef.h>
#include <stdint.h>

typedef enum jp_codec { JP_CODEC_PLAIN, JP_CODEC_GZIP, JP_CODEC_ZSTD } jp_codec;

/* The codec whose magic starts p[0..n); n >= 4 gives a sure answer. */
jp_codec jp_codec_detect(const unsigned char *p, size_t n);

typedef struct jp_decoder jp_decoder;

jp_decoder *jp_decoder_new(jp_codec codec);
void jp_decoder_free(jp_decoder *d);

/* Decodes from in[0..in_len) into out[0..out_len): *used bytes of input
 * were consumed and *made bytes of output written. Returns 0, or -1 when
 * the data is damaged (jp_decoder_error says how and where). */
int jp_decoder_step(jp_decoder *d, const unsigned char *in, size_t in_len, size_t *used,
                    unsigned char *out, size_t out_len, size_t *made);

/* The compressed input ended: 0 when the stream ended cleanly, -1 when it
 * was cut short. */
int jp_decoder_end(jp_decoder *d);

/* Why the last call failed, naming the decompressed offset. */
const char *jp_decoder_error(const jp_decoder *d);

#endif
