/* rfc3339.h: reading RFC 3339 date-times (2026-11-03T04:05:06.250Z), for
 * the expression language's parse_time() and for --now, so that both take
 * exactly the same texts. */
#ifndef JP_RFC3339_H
#define JP_RFC3339_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z, in seconds since the
 * epoch: the first and last second whose year RFC 3339 can write. */
#define JP_RFC3339_MIN INT64_C(-62167219200)
#define JP_RFC3339_MAX INT64_C(253402300799)

/* A date-time as written: the whole seconds in UTC, and the digits of the
 * fraction of a second, left for the caller to read to the precision it
 * keeps. */
typedef struct jp_rfc3339 {
    int64_t secs;     /* since 1970-01-01T00:00:00Z, the offset applied */
    const char *frac; /* the digits after the '.', in the text read; NULL when none */
    size_t frac_len;
} jp_rfc3339;

/* Reads s[0..n): a date-time with seconds, a fraction of any length after
 * them, Z or an offset +HH:MM / -HH:MM; t and z may be lower case, and T a
 * space (as RFC 3339 allows). Returns 1 with *t filled, 0 when s is not of
 * that form, -1 when it is but names no real date and time. */
int jp_rfc3339_read(const char *s, size_t n, jp_rfc3339 *t);

/* Whether tm names a day of the calendar and a time of that day (:60, a
 * leap second, included: timegm makes it the next minute's :00). */
int jp_tm_is_real(const struct tm *tm);

#endif
