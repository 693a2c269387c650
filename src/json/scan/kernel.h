/* kernel.h: what one stage-1 kernel is, for dispatch.c and the kernels.
 *
 * A kernel classifies s[0..n) 64 bytes at a time and writes the offsets of
 * the structural bytes (scan.h) into index, in order, returning how many,
 * and the offset of the first backslash (n when there is none) in
 * *backslash, which the field index takes instead of searching for it.
 * index must have room for n + 64 offsets: a block writes a few past its
 * last on purpose, so that the loop that writes them has no branch. A kernel
 * sets *bad when the line breaks a rule that stage 2 does not look at again:
 * invalid UTF-8, a control character or a bad escape in a string, or a
 * string left open. */
#ifndef JP_SCAN_KERNEL_H
#define JP_SCAN_KERNEL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A 64-byte block's classes, one bit a byte (bit i: byte i), as a kernel's
 * classify() gives them to stage1_body.h. */
typedef struct jp_block_masks {
    uint64_t quote, backslash;
    uint64_t op;   /* {}[]:, and a few control bytes that stage 2 refuses */
    uint64_t ws;   /* space, tab, CR, LF */
    uint64_t ctrl; /* below 0x20 */
} jp_block_masks;

/* The last avail (< 64) bytes of a line at p, copied into tail and followed
 * by blanks, for a kernel whose loads cannot stop at the line's end: a block
 * with nothing to index past the line, read from memory that is ours. */
static inline const uint8_t *jp_blank_tail(uint8_t tail[64], const uint8_t *p, size_t avail)
{
    memset(tail, ' ', 64);
    memcpy(tail, p, avail);
    return tail;
}

typedef struct jp_scan_kernel {
    const char *name;
    int (*supported)(void); /* whether this CPU runs it */
    size_t (*stage1)(const uint8_t *s, size_t n, uint32_t *index, size_t *backslash, int *bad);
} jp_scan_kernel;

extern const jp_scan_kernel jp_scan_kernel_avx512;
extern const jp_scan_kernel jp_scan_kernel_avx2;
extern const jp_scan_kernel jp_scan_kernel_sse42;
extern const jp_scan_kernel jp_scan_kernel_scalar;

#endif
