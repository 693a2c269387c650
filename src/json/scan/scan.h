/* scan.h: the structural scanner, the record path's parser.
 *
 * Stage 1 classifies a line 64 bytes at a time with the kernel of the best
 * instruction set this CPU has (AVX2, SSE4.2 with PCLMUL, or portable C),
 * checks UTF-8, control characters and escapes inside strings, and writes
 * the offsets of the structural bytes: brackets, colons, commas, both quotes
 * of every string and the first byte of every other scalar. Stage 2 walks
 * those offsets to check the grammar, numbers and literals, and reports
 * events (events.h). It accepts exactly what yajl plus the strict check
 * accepts: RFC 8259 with strict UTF-8.
 *
 * The kernel is picked once, at the first jp_scanner_new() or at
 * jp_scan_select(): the best this CPU runs, or a lower one named by the
 * environment variable JSONPIPE_ISA (avx512, avx2, sse42, scalar, or yajl for the
 * reference parser, which the record path then uses instead). */
#ifndef JP_SCAN_H
#define JP_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "events.h"

/* Picks the kernel by name ("avx512", "avx2", "sse42", "scalar", "yajl"), or by
 * JSONPIPE_ISA and the CPU when name is NULL. A kernel the CPU cannot run
 * falls back to the best one it can. Returns 0, or -1 with a reason in err
 * for an unknown name. Scanners made before keep their kernel. */
int jp_scan_select(const char *name, char *err, size_t errlen);
/* The name of the kernel picked (picking it first if none was). */
const char *jp_scan_kernel_name(void);
/* The kernels this CPU runs, best first, NULL-terminated, "yajl" last. */
const char *const *jp_scan_kernels(void);

/* One per thread: the kernel it was made with and its index buffer. */
typedef struct jp_scanner jp_scanner;

/* NULL when the kernel picked is "yajl". */
jp_scanner *jp_scanner_new(void);
void jp_scanner_free(jp_scanner *s);

/* The longest line a scanner takes: its offsets are 32 bits. */
#define JP_SCAN_MAX_LEN ((size_t)UINT32_MAX - 128)

/* Parses s[0..n) (one line, no newline, n <= JP_SCAN_MAX_LEN) as one JSON value with at most
 * max_depth levels of nesting, reporting events to l. *backslash, unless
 * backslash is NULL, gets the offset of the line's first backslash (n when
 * there is none) before the first event. Returns 0, or -1 with the fault in
 * err (no event is reported after it). */
int jp_scanner_parse(jp_scanner *s, const char *data, size_t n, int max_depth,
                     const jp_json_listener *l, void *ctx, size_t *backslash,
                     jp_parse_error *err);

#endif
