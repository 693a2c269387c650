/* number.h: exact comparison of JSON numbers as written.
 *
 * Records keep numbers as text, so 18446744073709551617 and 1e400 are
 * compared by their decimal value, never rounded through a double. */
#ifndef JP_NUMBER_H
#define JP_NUMBER_H

#include <stddef.h>

/* <0, 0 or >0 as the JSON number a[0..alen) is less than, equal to or
 * greater than b[0..blen). Both must be valid JSON numbers. */
int jp_number_cmp(const char *a, size_t alen, const char *b, size_t blen);

/* Whether s is a valid JSON number (RFC 8259) and nothing else. */
int jp_number_valid(const char *s, size_t n);

#endif
