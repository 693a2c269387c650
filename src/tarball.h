/* tarball.h: reading the members of a tar archive, plain or compressed in
 * any format decoder.h knows, with libarchive.
 *
 * A compressed archive is decoded here with a jp_decoder, not by
 * libarchive's filters, and libarchive sees plain tar bytes: so damage
 * keeps every byte before it, as for any other compressed input (a filter
 * drops the block it was decoding), and the message names the
 * decompressed offset. The reader has already read the first bytes of the
 * input to recognise it; they are handed over and read again before the
 * rest of the descriptor. Every call blocks, so the reader makes them on
 * libuv's pool, one at a time. Members that are not regular files are
 * skipped. Archives one after another are read as one, and what follows
 * the end that is neither zeros nor an archive is damage. */
#ifndef JP_TARBALL_H
#define JP_TARBALL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "decoder.h"

typedef struct jp_archive jp_archive;

/* Whether p[0..n) starts a tar archive: a header whose checksum is right
 * (ustar, POSIX or GNU, or v7, which has no magic), or 1024 zeros (an
 * empty archive). The "ustar" magic alone is not enough: a plain line may
 * hold it at byte 257. The header must hold a NUL, which no valid NDJSON
 * line does; a ustar one cut short (n < 512) is then taken for one, to be
 * reported as cut. */
int jp_archive_detect(const unsigned char *p, size_t n);

/* Reads an archive compressed with codec (JP_CODEC_PLAIN: not at all) from
 * prefix[0..prefix_len) (bytes already read) and then from fd. Nothing is
 * read, and libarchive is not loaded, before the first jp_archive_next: a
 * libarchive that cannot be loaded is that call's damage. */
jp_archive *jp_archive_new(int fd, jp_codec codec, const unsigned char *prefix,
                           size_t prefix_len);
void jp_archive_free(jp_archive *a);

/* Moves to the next regular member: 1 with its path, 0 at the end of the
 * archive, -1 on damage (see jp_archive_error). */
int jp_archive_next(jp_archive *a, const char **path);

/* Reads the current member's bytes: how many, 0 at its end, -1 on damage. */
ssize_t jp_archive_read(jp_archive *a, void *buf, size_t n);

const char *jp_archive_error(jp_archive *a);

/* Bytes read from fd so far (after the prefix): where the archive stands in
 * its file, for progress. Not while a call is running on another thread. */
uint64_t jp_archive_read_bytes(const jp_archive *a);

#endif
