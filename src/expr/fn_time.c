/* fn_time.c: the time functions of the expression language (func.h):
 * now, parse_time and format_time. A time is a number of seconds since
 * 1970-01-01T00:00:00Z; texts are read and written in UTC, so the time zone
 * of the process (TZ) never changes a result. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "clock.h"
#include "fn_args.h"
#include "rfc3339.h"

/* The longest text strftime may make: a format that asks for more is
 * a mistake. */
#define FORMAT_MAX ((size_t)1 << 20)

static int fn_now(jp_xctx *c, const jp_xcall *call, const jp_xval *args, int nargs, jp_xval *out)
{
    struct timespec ts;
    jp_clock_now(&ts);
    *out = jp_xdouble((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
    return JP_XOK;
}

/* The seconds t names, as parse_time gives them: an integer unless a
 * fraction is written, then a double. */
static jp_xval rfc3339_value(const jp_rfc3339 *t)
{
    if (!t->frac)
        return jp_xint(t->secs);
    /* Digits past the 20th change no double near an epoch time. */
    char text[24] = "0.";
    size_t k = t->frac_len < 20 ? t->frac_len : 20;
    memcpy(text + 2, t->frac, k);
    text[2 + k] = '\0';
    return jp_xdouble((double)t->secs + strtod(text, NULL));
}

/* A copy of the format argument in the arena, NUL-terminated, or NULL
 * with a reason in c. */
static const char *format_arg(jp_xctx *c, const char *fn, const jp_xval *f)
{
    if (jp_xarg_string(c, fn, f))
        return NULL;
    if (memchr(f->s, '\0', f->n)) {
        jp_xfail(c, "%s: the format holds a NUL byte", fn);
        return NULL;
    }
    return jp_arena_copy(&c->arena, f->s, f->n);
}

/* "EXCERPT-OF-S" and, when fmt, "EXCERPT-OF-FMT" for a message, in the
 * scratch: two NUL-terminated texts. */
static void excerpts(jp_xctx *c, const jp_xval *s, const jp_xval *fmt, const char **es,
                     const char **ef)
{
    jp_buf *b = &c->scratch;
    b->len = 0;
    jp_xval_excerpt(s, b);
    jp_buf_putc(b, '\0');
    size_t at = b->len;
    if (fmt)
        jp_xval_excerpt(fmt, b);
    jp_buf_putc(b, '\0');
    *es = b->data;
    *ef = b->data + at;
}

/* parse_time(s): RFC 3339, an integer unless a fraction of a second is
 * written (then a double). parse_time(s, fmt): strptime(3) in UTC, the
 * whole of s consumed, fields the format lacks from 1970-01-01T00:00:00,
 * %z honoured; an integer. Either way a date that does not exist
 * (2026-02-30) is an error, not the next month. */
static int fn_parse_time(jp_xctx *c, const jp_xcall *call, const jp_xval *args, int nargs,
                         jp_xval *out)
{
    const jp_xval *s = &args[0];
    const char *es, *ef;
    if (jp_xarg_string(c, "parse_time", s))
        return JP_XERR;
    if (nargs < 2) {
        jp_rfc3339 t;
        int r = jp_rfc3339_read(s->s, s->n, &t);
        if (r <= 0) {
            excerpts(c, s, NULL, &es, &ef);
            return jp_xfail(c, "parse_time: %s is not an RFC 3339 time%s", es,
                            r < 0 ? " (no such date or time)" : "");
        }
        *out = rfc3339_value(&t);
        return JP_XOK;
    }
    const char *fmt = format_arg(c, "parse_time", &args[1]);
    if (!fmt)
        return JP_XERR;
    /* strptime sets only the fields it reads; %s sets them all through
     * localtime_r, tm_gmtoff included, which the sum below undoes. */
    struct tm tm = {.tm_year = 70, .tm_mday = 1};
    const char *text = jp_arena_copy(&c->arena, s->s, s->n);
    const char *end = memchr(s->s, '\0', s->n) ? NULL : strptime(text, fmt, &tm);
    int real = end && !*end && jp_tm_is_real(&tm);
    if (!real) {
        excerpts(c, s, &args[1], &es, &ef);
        return jp_xfail(c, "parse_time: %s does not match the format %s%s", es, ef,
                        end && !*end ? " (no such date or time)" : "");
    }
    long offset = tm.tm_gmtoff; /* before timegm, which sets it to 0 */
    *out = jp_xint((int64_t)timegm(&tm) - offset);
    return JP_XOK;
}

/* Appends secs as a %s of strftime with the flags and width of
 * spec[0..n) (what comes between the % and the s): padded to the width
 * with spaces, with zeros after the sign for the flag 0, not at all for
 * the flag -. */
static void put_seconds(jp_buf *b, const char *spec, size_t n, int64_t secs)
{
    char pad = ' ';
    size_t i = 0, width = 0;
    for (; i < n && strchr("_-0^#", spec[i]); i++)
        if (spec[i] != '^' && spec[i] != '#') /* the last of _ - 0 counts */
            pad = spec[i] == '-' ? '\0' : spec[i] == '0' ? '0' : ' ';
    for (; i < n && spec[i] >= '0' && spec[i] <= '9' && width < FORMAT_MAX; i++)
        width = width * 10 + (size_t)(spec[i] - '0');
    char digits[24];
    size_t len = (size_t)snprintf(digits, sizeof digits, "%" PRId64, secs), sign = secs < 0;
    if (!pad || width <= len) {
        jp_buf_append(b, digits, len);
        return;
    }
    if (pad == '0')
        jp_buf_append(b, digits, sign);
    for (size_t k = len; k < width; k++)
        jp_buf_putc(b, pad);
    jp_buf_append(b, digits + (pad == '0' ? sign : 0), len - (pad == '0' ? sign : 0));
}

/* fmt with each %s (epoch seconds, which glibc's strftime takes from
 * mktime, in local time) replaced by secs, and a space after it all, so
 * that no result is empty (strftime's 0 means "too small" and "empty"
 * alike). In the arena. */
static const char *strftime_format(jp_xctx *c, const char *fmt, int64_t secs)
{
    jp_buf *b = &c->scratch;
    b->len = 0;
    for (const char *p = fmt; *p;) {
        const char *q = p + 1;
        if (*p == '%') {
            while (*q && strchr("_-0^#", *q))
                q++;
            while (*q >= '0' && *q <= '9')
                q++;
            if (*q == 'E' || *q == 'O')
                q++;
            if (*q == 's') {
                put_seconds(b, p + 1, (size_t)(q - p - 1), secs);
                p = q + 1;
                continue;
            }
            if (*q)
                q++;
        }
        jp_buf_append(b, p, (size_t)(q - p));
        p = q;
    }
    jp_buf_putc(b, ' ');
    return jp_arena_copy(&c->arena, b->data, b->len);
}

/* format_time(t): t (seconds, a fraction dropped towards the past) as
 * 2026-11-03T04:05:06Z, jq's todate with the year always of four digits.
 * format_time(t, fmt): strftime(3) in UTC and the C locale. t must lie in
 * the years 0 to 9999. */
static int fn_format_time(jp_xctx *c, const jp_xcall *call, const jp_xval *args, int nargs,
                          jp_xval *out)
{
    const jp_xval *t = &args[0];
    if (t->type != JP_NUMBER)
        return jp_xarg_fail(c, "format_time", t, "a number");
    int64_t secs;
    if (jp_xval_to_int(t, &secs) != 0) {
        double d = floor(jp_xval_to_double(t));
        int in_range = d >= (double)JP_RFC3339_MIN && d <= (double)JP_RFC3339_MAX;
        secs = in_range ? (int64_t)d : JP_RFC3339_MAX + 1;
    }
    if (secs < JP_RFC3339_MIN || secs > JP_RFC3339_MAX)
        return jp_xarg_fail(c, "format_time", t, "a time of the years 0 to 9999");
    const char *fmt = nargs > 1 ? format_arg(c, "format_time", &args[1]) : NULL;
    if (nargs > 1 && !fmt)
        return JP_XERR;
    time_t tt = (time_t)secs;
    struct tm tm;
    gmtime_r(&tt, &tm);
    tm.tm_zone = "UTC"; /* for %Z, which would be glibc's "GMT" */
    jp_buf *b = &c->scratch;
    if (!fmt) {
        b->len = 0;
        jp_buf_printf(b, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                      tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
        *out = jp_xval_take(c, JP_STRING, b);
        return JP_XOK;
    }
    fmt = strftime_format(c, fmt, secs);
    b->len = 0;
    for (size_t size = 64 + 2 * strlen(fmt);; size *= 2) {
        if (size > FORMAT_MAX)
            size = FORMAT_MAX;
        jp_buf_reserve(b, size);
        size_t k = strftime(b->data, size, fmt, &tm);
        if (k > 0) {
            b->len = k - 1; /* without the space */
            break;
        }
        if (size == FORMAT_MAX)
            return jp_xfail(c, "format_time: the format makes %zu bytes or more", FORMAT_MAX);
    }
    *out = jp_xval_take(c, JP_STRING, b);
    return JP_XOK;
}

const jp_xfunc jp_xfuncs_time[] = {
    {"now", 0, 0, -1, fn_now},
    {"parse_time", 1, 2, -1, fn_parse_time},
    {"format_time", 1, 2, -1, fn_format_time},
    {NULL, 0, 0, -1, NULL},
};
