/* budget.c: reading --max-rejects and deciding whether a run kept to it,
 * in integers only, so that 0.5% of 200 records allows exactly 1. */
#include "budget.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Digits only: strtoull would take signs, spaces and 0x. */
static const char *digits(const char *s)
{
    while (isdigit((unsigned char)*s))
        s++;
    return s;
}

/* Says why text is no budget; -2, which callers pass on as -1. */
static int refuse(char *err, size_t errlen, const char *text, const char *why)
{
    snprintf(err, errlen, "'%s' %s", text, why);
    return -2;
}

/* P of "P%", from text to end (the '%'). Returns 0, -1 when it is not of
 * the form, or -2 with the reason in err. */
static int parse_percent(const char *text, const char *end, jp_budget *b, char *err,
                         size_t errlen)
{
    const char *p = text, *whole_end = digits(p);
    uint64_t whole = 0, frac = 0;
    int decimals = 0;
    for (; p < whole_end; p++) {
        whole = whole * 10 + (uint64_t)(*p - '0');
        if (whole > 100)
            return refuse(err, errlen, text, "is more than 100%");
    }
    if (*p == '.') {
        const char *frac_end = digits(++p);
        if (frac_end == p || frac_end != end)
            return -1;
        if (frac_end - p > JP_BUDGET_DECIMALS)
            return refuse(err, errlen, text, "has more than 6 decimals");
        for (; p < frac_end; p++, decimals++)
            frac = frac * 10 + (uint64_t)(*p - '0');
    }
    if (p != end)
        return -1;
    for (; decimals < JP_BUDGET_DECIMALS; decimals++)
        frac *= 10;
    uint64_t share = whole * (JP_BUDGET_SCALE / 100) + frac;
    if (share > JP_BUDGET_SCALE)
        return refuse(err, errlen, text, "is more than 100%");
    b->percent = 1;
    b->share = share;
    return 0;
}

/* N: digits only. Returns 0, -1 or -2 as parse_percent does. */
static int parse_count(const char *text, jp_budget *b, char *err, size_t errlen)
{
    if (*digits(text))
        return -1;
    errno = 0;
    unsigned long long v = strtoull(text, NULL, 10);
    if (errno)
        return refuse(err, errlen, text, "is too large a count");
    b->count = v;
    return 0;
}

int jp_budget_parse(const char *text, jp_budget *b, char *err, size_t errlen)
{
    memset(b, 0, sizeof *b);
    size_t len = strlen(text);
    int rc = -1;
    if (text[0] == '-' && isdigit((unsigned char)text[1]))
        rc = refuse(err, errlen, text, "is negative");
    else if (isdigit((unsigned char)text[0]))
        rc = text[len - 1] == '%' ? parse_percent(text, text + len - 1, b, err, errlen)
                                  : parse_count(text, b, err, errlen);
    if (rc == -1)
        refuse(err, errlen, text, "is not a count (N) or a percentage (P%, 0 to 100)");
    if (rc < 0)
        return -1;
    b->given = text;
    return 0;
}

uint64_t jp_budget_allowed(const jp_budget *b, uint64_t records)
{
    if (!b->percent)
        return b->count;
    /* floor(records * share / SCALE) without overflow: split records by
     * SCALE; each product is at most records. */
    uint64_t q = records / JP_BUDGET_SCALE, r = records % JP_BUDGET_SCALE;
    return q * b->share + r * b->share / JP_BUDGET_SCALE;
}

int jp_budget_within(const jp_budget *b, uint64_t rejected, uint64_t records)
{
    return rejected <= jp_budget_allowed(b, records);
}
