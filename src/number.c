/* number.c: decimal comparison of JSON number texts. */
#include "number.h"

#include <stdint.h>
#include <string.h>

/* A number as sign, significant digits d (no leading or trailing zeros)
 * and exponent e, its value being 0.d x 10^e; zero has no digits. */
typedef struct decimal {
    int negative;
    const char *int_part, *frac_part;
    size_t int_len, frac_len;
    int64_t exp;
    size_t lead;  /* zeros skipped at the front of int_part followed by frac_part */
    size_t ndigits;
} decimal;

static int digit_at(const decimal *d, size_t i)
{
    /* i-th significant digit, counting from the first non-zero one. */
    i += d->lead;
    if (i < d->int_len)
        return d->int_part[i];
    i -= d->int_len;
    return i < d->frac_len ? d->frac_part[i] : '0';
}

static void parse(const char *s, size_t n, decimal *d)
{
    size_t i = 0;
    memset(d, 0, sizeof *d);
    if (s[0] == '-') {
        d->negative = 1;
        i++;
    }
    d->int_part = s + i;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    d->int_len = (size_t)(s + i - d->int_part);
    if (i < n && s[i] == '.') {
        i++;
        d->frac_part = s + i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        d->frac_len = (size_t)(s + i - d->frac_part);
    }
    int64_t e = 0;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        int neg = 0;
        if (s[i] == '-' || s[i] == '+')
            neg = s[i++] == '-';
        for (; i < n; i++)
            if (e < INT64_MAX / 20)
                e = e * 10 + (s[i] - '0');
        if (neg)
            e = -e;
    }
    /* Skip leading zeros across the point; strip trailing zeros. */
    size_t total = d->int_len + d->frac_len;
    while (d->lead < total && digit_at(d, 0) == '0')
        d->lead++;
    size_t last = total;
    while (last > d->lead && (last - 1 < d->int_len ? d->int_part[last - 1]
                                                     : d->frac_part[last - 1 - d->int_len]) == '0')
        last--;
    d->ndigits = last - d->lead;
    /* 0.d x 10^exp: the first significant digit sits int_len - lead places
     * left of the point. */
    d->exp = e + (int64_t)d->int_len - (int64_t)d->lead;
    if (d->ndigits == 0)
        d->negative = 0; /* -0 == 0 */
}

int jp_number_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
    decimal x, y;
    parse(a, alen, &x);
    parse(b, blen, &y);
    int sx = x.ndigits ? (x.negative ? -1 : 1) : 0;
    int sy = y.ndigits ? (y.negative ? -1 : 1) : 0;
    if (sx != sy)
        return sx < sy ? -1 : 1;
    if (sx == 0)
        return 0;
    int mag; /* compare magnitudes */
    if (x.exp != y.exp) {
        mag = x.exp < y.exp ? -1 : 1;
    } else {
        mag = 0;
        size_t n = x.ndigits > y.ndigits ? x.ndigits : y.ndigits;
        for (size_t i = 0; i < n && !mag; i++) {
            int dx = i < x.ndigits ? digit_at(&x, i) : '0';
            int dy = i < y.ndigits ? digit_at(&y, i) : '0';
            mag = dx - dy;
        }
    }
    return sx > 0 ? mag : -mag;
}

int jp_number_scaled(const char *s, size_t n, uint64_t *m, int64_t *e, int *negative)
{
    decimal d;
    parse(s, n, &d);
    if (d.ndigits > 18)
        return -1;
    uint64_t v = 0;
    for (size_t i = 0; i < d.ndigits; i++)
        v = v * 10 + (uint64_t)(digit_at(&d, i) - '0');
    *m = v;
    *e = d.exp - (int64_t)d.ndigits;
    *negative = d.negative;
    return 0;
}

static uint64_t mulmod(uint64_t a, uint64_t b, uint64_t m)
{
    return (uint64_t)((unsigned __int128)a * b % m);
}

int jp_number_multiple_of(const char *x, size_t n, uint64_t m, int64_t e)
{
    decimal d;
    parse(x, n, &d);
    if (d.ndigits == 0)
        return 1;
    /* x = X x 10^a with X's last digit not 0. If a < e, m x 10^(e-a) has a
     * factor 10 that X lacks. Otherwise test X x 10^(a-e) mod m. */
    int64_t a = d.exp - (int64_t)d.ndigits;
    if (a < e)
        return 0;
    uint64_t r = 0;
    for (size_t i = 0; i < d.ndigits; i++)
        r = (uint64_t)(((unsigned __int128)r * 10 + (uint64_t)(digit_at(&d, i) - '0')) % m);
    uint64_t p = 1 % m, base = 10 % m;
    for (uint64_t k = (uint64_t)(a - e); k; k >>= 1) {
        if (k & 1)
            p = mulmod(p, base, m);
        base = mulmod(base, base, m);
    }
    return mulmod(r, p, m) == 0;
}

int jp_number_valid(const char *s, size_t n)
{
    size_t i = 0;
    if (i < n && s[i] == '-')
        i++;
    if (i < n && s[i] == '0')
        i++;
    else if (i < n && s[i] >= '1' && s[i] <= '9')
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
    else
        return 0;
    if (i < n && s[i] == '.') {
        size_t start = ++i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == start)
            return 0;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        size_t start = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == start)
            return 0;
    }
    return i == n;
}
