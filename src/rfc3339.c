/* rfc3339.c: reading RFC 3339 date-times (see rfc3339.h). */
#include "rfc3339.h"

int jp_tm_is_real(const struct tm *tm)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (tm->tm_mon < 0 || tm->tm_mon > 11 || tm->tm_hour < 0 || tm->tm_hour > 23 ||
        tm->tm_min < 0 || tm->tm_min > 59 || tm->tm_sec < 0 || tm->tm_sec > 60)
        return 0;
    long year = tm->tm_year + 1900L;
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return tm->tm_mday >= 1 && tm->tm_mday <= days[tm->tm_mon] + (tm->tm_mon == 1 && leap);
}

/* The number written by the k digits at s, or -1. */
static int digits(const char *s, int k)
{
    int v = 0;
    for (int i = 0; i < k; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int jp_rfc3339_read(const char *s, size_t n, jp_rfc3339 *t)
{
    if (n < 20 || s[4] != '-' || s[7] != '-' || s[13] != ':' || s[16] != ':' ||
        (s[10] != 'T' && s[10] != 't' && s[10] != ' '))
        return 0;
    int year = digits(s, 4), mon = digits(s + 5, 2), day = digits(s + 8, 2);
    int hour = digits(s + 11, 2), min = digits(s + 14, 2), sec = digits(s + 17, 2);
    if (year < 0 || mon < 0 || day < 0 || hour < 0 || min < 0 || sec < 0)
        return 0;
    size_t i = 19;
    t->frac = NULL;
    t->frac_len = 0;
    if (s[i] == '.') {
        size_t first = ++i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == first)
            return 0;
        t->frac = s + first;
        t->frac_len = i - first;
    }
    long offset = 0;
    if (i + 1 == n && (s[i] == 'Z' || s[i] == 'z')) {
        offset = 0;
    } else if (i + 6 == n && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':') {
        int oh = digits(s + i + 1, 2), om = digits(s + i + 4, 2);
        if (oh < 0 || om < 0)
            return 0;
        if (oh > 23 || om > 59)
            return -1;
        offset = (oh * 60L + om) * 60 * (s[i] == '-' ? -1 : 1);
    } else {
        return 0;
    }
    struct tm tm = {.tm_year = year - 1900, .tm_mon = mon - 1, .tm_mday = day,
                    .tm_hour = hour, .tm_min = min, .tm_sec = sec};
    if (!jp_tm_is_real(&tm))
        return -1;
    t->secs = (int64_t)timegm(&tm) - offset;
    return 1;
}
