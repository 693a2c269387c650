/* number.h: exact comparison of JSON numbers as written.
 *
 * Records keep numbers as text, so 18446744073709551617 and 1e400 are
 * compared by their decimal value, never rounded through a double. */
#ifndef JP_NUMBER_H
#define JP_NUMBER_H

#include <stddef.h>
#include <stdint.h>

/* <0, 0 or >0 as the JSON number a[0..alen) is less than, equal to or
 * greater than b[0..blen). Both must be valid JSON numbers. */
int jp_number_cmp(const char *a, size_t alen, const char *b, size_t blen);

/* Writes the valid JSON number s as m x 10^e with m an integer. Returns 0,
 * or -1 when it has more than 18 significant digits. */
int jp_number_scaled(const char *s, size_t n, uint64_t *m, int64_t *e, int *negative);

/* Whether the JSON number x is an integer multiple of m x 10^e (m > 0),
 * exactly, whatever the size of x. */
int jp_number_multiple_of(const char *x, size_t n, uint64_t m, int64_t e);

/* Whether s is a valid JSON number (RFC 8259) and nothing else. */
int jp_number_valid(const char *s, size_t n);

#endif
