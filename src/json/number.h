/* number.h: exact arithmetic on JSON numbers as written.
 *
 * Records keep numbers as text, so 18446744073709551617, 1e400 and
 * 7e9223372036854775808 are compared by their decimal value, never rounded
 * through a double, and exponents of any length are exact. */
#ifndef JP_NUMBER_H
#define JP_NUMBER_H

#include <stddef.h>
#include <stdint.h>

/* -1, 0 or 1 as the JSON number a[0..alen) is less than, equal to or
 * greater than b[0..blen); never any other value. Both must be valid JSON
 * numbers. */
int jp_number_cmp(const char *a, size_t alen, const char *b, size_t blen);

/* A number without an exponent whose integer part has at most 18 digits,
 * read once: most numbers of records, and of schemas' bounds, are such,
 * and two of them compare without the general reading. */
typedef struct jp_plain_number {
    int negative;
    uint64_t int_part;
    const char *frac; /* fraction digits, trailing zeros dropped */
    size_t frac_len;
} jp_plain_number;

/* Reads the valid JSON number s as a plain number; 0 when it is not one. */
int jp_number_plain(const char *s, size_t n, jp_plain_number *p);
/* As jp_number_cmp, for two plain numbers. */
int jp_number_plain_cmp(const jp_plain_number *x, const jp_plain_number *y);

/* A hash of the value of the valid JSON number s: numbers that are equal
 * (1, 1.0, 10e-1, -0 and 0) hash alike. */
uint64_t jp_number_hash(const char *s, size_t n);

/* Whether the valid JSON number s has no fractional part (1.0 and 1e2 do
 * not). */
int jp_number_is_integer(const char *s, size_t n);

/* Whether the valid JSON number m can be a divisor for
 * jp_number_multiple_of: greater than 0 with at most 18 significant
 * digits, its exponent of any size. */
int jp_number_divisor_valid(const char *m, size_t mn);

/* Whether the JSON number x is an integer multiple of the divisor m,
 * exactly, whatever the size of x or of either exponent. */
int jp_number_multiple_of(const char *x, size_t n, const char *m, size_t mn);

/* Whether s is a valid JSON number (RFC 8259) and nothing else. */
int jp_number_valid(const char *s, size_t n);

#endif
