/* clock.c: the run's clock (see clock.h). */
#include "clock.h"

#include <stdio.h>
#include <string.h>

#include "rfc3339.h"

static struct {
    int fixed;
    struct timespec at;
} run_clock;

int jp_clock_parse(const char *text, struct timespec *at, char *err, size_t errlen)
{
    jp_rfc3339 t;
    int r = jp_rfc3339_read(text, strlen(text), &t);
    if (r == 0) {
        snprintf(err, errlen,
                 "'%s' is not an RFC 3339 time with a zone, such as 2026-01-02T03:04:05Z or "
                 "2026-01-02T05:04:05.250+02:00",
                 text);
        return -1;
    }
    if (r < 0) {
        snprintf(err, errlen, "'%s' names no such date or time", text);
        return -1;
    }
    /* Before 1970 no real clock stands, and after 9999 no RFC 3339 text
     * can tell the time. */
    if (t.secs < 0 || t.secs > JP_RFC3339_MAX) {
        snprintf(err, errlen, "'%s' is not from 1970 to 9999 in UTC", text);
        return -1;
    }
    long nsec = 0;
    for (size_t i = 0; i < 9; i++)
        nsec = nsec * 10 + (i < t.frac_len ? t.frac[i] - '0' : 0);
    at->tv_sec = (time_t)t.secs;
    at->tv_nsec = nsec;
    return 0;
}

void jp_clock_fix(const struct timespec *at)
{
    run_clock.fixed = at != NULL;
    if (at)
        run_clock.at = *at;
}

void jp_clock_now(struct timespec *now)
{
    if (run_clock.fixed)
        *now = run_clock.at;
    else
        clock_gettime(CLOCK_REALTIME, now);
}
