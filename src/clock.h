/* clock.h: the run's clock: the real time, or the time --now fixed, so that
 * a run that is retried writes the same bytes. Every time a record is given
 * (--timestamp, the expression language's now()) is read from here.
 *
 * The fixed time is set once, on the main thread, before any worker starts,
 * and only read after that. */
#ifndef JP_CLOCK_H
#define JP_CLOCK_H

#include <stddef.h>
#include <time.h>

/* Reads an RFC 3339 date-time with a zone (2026-01-02T03:04:05.250+02:00)
 * of the years 1970 to 9999 in UTC, to the nanosecond (later digits are
 * dropped). Returns 0, or -1 with why it is not one in err. */
int jp_clock_parse(const char *text, struct timespec *at, char *err, size_t errlen);

/* From now on the clock stands at *at; NULL: it is the real clock again. */
void jp_clock_fix(const struct timespec *at);

/* The time: the fixed one, or CLOCK_REALTIME. */
void jp_clock_now(struct timespec *now);

#endif
