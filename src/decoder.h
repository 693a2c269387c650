/* decoder.h: decompressing an input stream: gzip (zlib), zstd (libzstd),
 * xz and .lzma (liblzma), bzip2 (libbz2) and lz4 frames (liblz4; the
 * legacy lz4 format is recognised to be refused by name).
 *
 * An input is recognised by its first bytes, whatever its name. Decoding is
 * incremental and bounded by the caller's output space, so a 1000:1 bomb
 * never produces more than the caller asked for. A jp_decoder is used by
 * one thread at a time (the reader hands it to libuv's pool for each step).
 *
 * Every format may hold several streams one after another (concatenated
 * files, pigz, bgzip, pzstd, xz and bzip2 of several streams, lz4 frames),
 * and zstd and lz4 skippable frames are skipped wherever they stand. Zero
 * bytes after the last stream are padding (tape and dd blocks), ignored as
 * gzip ignores them, and a multiple of 4 of them between xz streams is xz's
 * stream padding; any other bytes after the last stream are an error:
 * "trailing garbage". Damage is reported with the decompressed offset up to
 * which every byte was delivered. */
#ifndef JP_DECODER_H
#define JP_DECODER_H

#include <stddef.h>
#include <stdint.h>

typedef enum jp_codec {
    JP_CODEC_PLAIN, JP_CODEC_GZIP, JP_CODEC_ZSTD, JP_CODEC_XZ, JP_CODEC_BZIP2, JP_CODEC_LZ4,
    JP_CODEC_LZMA
} jp_codec;

/* The codec whose magic starts p[0..n); n >= 13 gives a sure answer (an .lzma header), but
 * for a zstd or lz4 stream that starts with a skippable frame longer than
 * n bytes, taken for zstd. */
jp_codec jp_codec_detect(const unsigned char *p, size_t n);
/* The length of the zstd or lz4 skippable frame (header included) that
 * starts p[0..n), or 0 when none does (or n < 8). */
uint64_t jp_skippable_size(const unsigned char *p, size_t n);
/* The codec's name for messages: "gzip", "zstd", "xz", "bzip2", "lz4". */
const char *jp_codec_name(jp_codec codec);

typedef struct jp_decoder jp_decoder;

jp_decoder *jp_decoder_new(jp_codec codec);
void jp_decoder_free(jp_decoder *d);

/* Decodes from in[0..in_len) into out[0..out_len): *used bytes of input
 * were consumed and *made bytes of output written. Returns 0, or -1 when
 * the data is damaged (jp_decoder_error says how and where); the *made
 * bytes before the damage are good. With input and room it always uses or
 * makes something. */
int jp_decoder_step(jp_decoder *d, const unsigned char *in, size_t in_len, size_t *used,
                    unsigned char *out, size_t out_len, size_t *made);

/* The compressed input ended: 0 when the stream ended cleanly, -1 when it
 * was cut short. */
int jp_decoder_end(jp_decoder *d);

/* Why the last call failed, naming the decompressed offset. */
const char *jp_decoder_error(const jp_decoder *d);

#endif
