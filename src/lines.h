/* lines.h: counting the lines in bytes.
 *
 * The loop thread counts every byte it reads (the framer) and every record
 * it writes (the descriptor sink), and a worker the lines of a mapped
 * window; a call to memchr per line cost more there than the reading and
 * the writing themselves. */
#ifndef JP_LINES_H
#define JP_LINES_H

#include <stddef.h>
#include <stdint.h>

/* The number of '\n' bytes in p[0..n). */
uint64_t jp_count_newlines(const char *p, size_t n);

#endif
