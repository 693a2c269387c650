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

/* A 64-byte block's classes, one bit a byte (bit i: byte i), as a kernel's
 * classify() gives them to stage1_body.h. */
typedef struct jp_block_masks {
    uint64_t quote, backslash;
    uint64_t op;   /* {}[]:, and a few control bytes that stage 2 refuses */
    uint64_t ws;   /* space, tab, CR, LF */
    uint64_t ctrl; /* below 0x20 */
} jp_block_masks;

/* A kernel file compiles its functions for its instruction set with these
 * around them (never with a build flag, so the rest of the program runs on
 * any CPU of the architecture). isa is a string, as GCC's target takes it. */
#define JP_PRAGMA(x) _Pragma(#x)
#if defined(__clang__)
#define JP_TARGET_BEGIN(isa) JP_PRAGMA(clang attribute push(__attribute__((target(isa))), apply_to = function))
#define JP_TARGET_END JP_PRAGMA(clang attribute pop)
#else
#define JP_TARGET_BEGIN(isa) JP_PRAGMA(GCC push_options) JP_PRAGMA(GCC target(isa))
#define JP_TARGET_END JP_PRAGMA(GCC pop_options)
#endif

typedef struct jp_scan_kernel {
    const char *name;
    int (*supported)(void); /* whether this CPU runs it */
    size_t (*stage1)(const uint8_t *s, size_t n, uint32_t *index, size_t *backslash, int *bad);
} jp_scan_kernel;

extern const jp_scan_kernel jp_scan_kernel_avx512;
extern const jp_scan_kernel jp_scan_kernel_avx2;
extern const jp_scan_kernel jp_scan_kernel_sse42;
extern const jp_scan_kernel jp_scan_kernel_scalar;

/* The supported() of a kernel built where its instruction set cannot be. */
int jp_scan_never(void);

#endif
