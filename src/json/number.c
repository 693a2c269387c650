/* number.c: decimal comparison and divisibility of JSON number texts.
 *
 * A number is read in place as sign, significant digits D and exponent E,
 * its value being 0.D x 10^E. The exponent as written can have any number
 * of digits, so it is kept as a digit string, and arithmetic on it is done
 * in decimal; only the offsets that the digits' positions add to it are
 * machine integers (they are bounded by the length of the text). */
#include "number.h"

#include <stdint.h>
#include <string.h>

/* A signed integer of any length: the digits of its magnitude, most
 * significant first, without leading zeros (zero has none). */
typedef struct bigint {
    int negative;
    const char *d;
    size_t n;
} bigint;

typedef struct decimal {
    int negative;
    const char *int_part, *frac_part;
    size_t int_len, frac_len;
    size_t lead;    /* zeros skipped at the front of int_part followed by frac_part */
    size_t ndigits; /* significant digits; 0 for zero */
    bigint exp;     /* the exponent as written */
    int64_t shift;  /* E = exp + shift */
} decimal;

/* A difference under this is exact in an int64, with room for a shift. */
#define SMALL 1000000000000000000LL /* 10^18 */
#define SMALL_DIGITS 18

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
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (s[i] == '-' || s[i] == '+')
            d->exp.negative = s[i++] == '-';
        while (i < n && s[i] == '0')
            i++;
        d->exp.d = s + i;
        d->exp.n = n - i;
        if (!d->exp.n)
            d->exp.negative = 0;
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
    /* 0.D x 10^E: the first significant digit sits int_len - lead places
     * left of the point. */
    d->shift = (int64_t)d->int_len - (int64_t)d->lead;
    if (d->ndigits == 0)
        d->negative = 0; /* -0 == 0 */
}

static uint64_t small_value(const bigint *b)
{
    uint64_t v = 0;
    for (size_t i = 0; i < b->n; i++)
        v = v * 10 + (uint64_t)(b->d[i] - '0');
    return v;
}

/* a - b: returns 0 with the exact difference in *v when it is less than
 * 10^18 in magnitude, or else only its sign, 1 or -1. */
static int big_diff(const bigint *a, const bigint *b, int64_t *v)
{
    if (a->n <= SMALL_DIGITS && b->n <= SMALL_DIGITS) {
        int64_t x = (int64_t)small_value(a), y = (int64_t)small_value(b);
        int64_t r = (a->negative ? -x : x) - (b->negative ? -y : y);
        if (r <= -SMALL || r >= SMALL)
            return r < 0 ? -1 : 1;
        *v = r;
        return 0;
    }
    /* One has 19 digits or more. Of opposite signs, the magnitudes add. */
    if (a->negative != b->negative)
        return a->negative ? -1 : 1;
    int c = a->n != b->n ? (a->n < b->n ? -1 : 1) : memcmp(a->d, b->d, a->n);
    if (c == 0) {
        *v = 0;
        return 0;
    }
    c = c < 0 ? -1 : 1;
    int sign = a->negative ? -c : c;
    /* Subtract the smaller magnitude from the larger, right to left,
     * keeping the low 18 digits and whether any digit above them is not 0. */
    const bigint *hi = c > 0 ? a : b, *lo = c > 0 ? b : a;
    uint64_t low = 0, scale = 1;
    int borrow = 0, high = 0;
    for (size_t i = 0; i < hi->n; i++) {
        int x = hi->d[hi->n - 1 - i] - '0' - borrow;
        int y = i < lo->n ? lo->d[lo->n - 1 - i] - '0' : 0;
        borrow = x < y;
        int digit = x - y + (borrow ? 10 : 0);
        if (i < SMALL_DIGITS) {
            low += (uint64_t)digit * scale;
            scale *= 10;
        } else if (digit) {
            high = 1;
        }
    }
    if (high)
        return sign;
    *v = sign * (int64_t)low;
    return 0;
}

/* (a + ashift) - (b + bshift), as big_diff. The shifts are bounded by the
 * length of a text, far below 10^18, so a large difference of the written
 * exponents decides alone. */
static int exp_diff(const bigint *a, int64_t ashift, const bigint *b, int64_t bshift, int64_t *v)
{
    int s = big_diff(a, b, v);
    if (s)
        return s;
    *v += ashift - bshift;
    return 0;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

int jp_number_plain(const char *s, size_t n, jp_plain_number *p)
{
    size_t i = 0, start;
    p->negative = n > 0 && s[0] == '-';
    i = start = (size_t)p->negative;
    uint64_t v = 0;
    for (; i < n && is_digit(s[i]); i++) {
        if (i - start == SMALL_DIGITS)
            return 0;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    if (i == start)
        return 0;
    p->int_part = v;
    p->frac = s + i;
    p->frac_len = 0;
    if (i < n && s[i] == '.') {
        size_t f = ++i;
        while (i < n && is_digit(s[i]))
            i++;
        if (i == f)
            return 0;
        p->frac = s + f;
        p->frac_len = i - f;
    }
    if (i != n)
        return 0; /* an exponent */
    while (p->frac_len && p->frac[p->frac_len - 1] == '0')
        p->frac_len--;
    if (p->int_part == 0 && p->frac_len == 0)
        p->negative = 0; /* -0 is 0 */
    return 1;
}

int jp_number_plain_cmp(const jp_plain_number *x, const jp_plain_number *y)
{
    if (x->negative != y->negative)
        return x->negative ? -1 : 1;
    int mag;
    if (x->int_part != y->int_part) {
        mag = x->int_part < y->int_part ? -1 : 1;
    } else {
        /* Without trailing zeros, a longer fraction that starts as the
         * shorter one is the larger. */
        size_t m = x->frac_len < y->frac_len ? x->frac_len : y->frac_len;
        int c = memcmp(x->frac, y->frac, m);
        mag = c ? (c < 0 ? -1 : 1) : (x->frac_len > y->frac_len) - (x->frac_len < y->frac_len);
    }
    return x->negative ? -mag : mag;
}

int jp_number_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
    jp_plain_number px, py;
    if (jp_number_plain(a, alen, &px) && jp_number_plain(b, blen, &py))
        return jp_number_plain_cmp(&px, &py);
    decimal x, y;
    parse(a, alen, &x);
    parse(b, blen, &y);
    int sx = x.ndigits ? (x.negative ? -1 : 1) : 0;
    int sy = y.ndigits ? (y.negative ? -1 : 1) : 0;
    if (sx != sy)
        return sx < sy ? -1 : 1;
    if (sx == 0)
        return 0;
    int64_t d;
    int mag = exp_diff(&x.exp, x.shift, &y.exp, y.shift, &d); /* compare magnitudes */
    if (!mag && d)
        mag = d < 0 ? -1 : 1;
    size_t n = x.ndigits > y.ndigits ? x.ndigits : y.ndigits;
    for (size_t i = 0; i < n && !mag; i++) {
        int dx = i < x.ndigits ? digit_at(&x, i) : '0';
        int dy = i < y.ndigits ? digit_at(&y, i) : '0';
        mag = dx < dy ? -1 : dx > dy;
    }
    return sx > 0 ? mag : -mag;
}

static uint64_t mix(uint64_t h)
{
    /* splitmix64's finaliser */
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    return h ^ (h >> 31);
}

uint64_t jp_number_hash(const char *s, size_t n)
{
    decimal d;
    parse(s, n, &d);
    if (!d.ndigits)
        return mix(0x9e3779b97f4a7c15ULL);
    /* Equal values have equal D and E. E is taken modulo 2^64, which is
     * exact arithmetic however long the exponent. */
    uint64_t e = 0;
    for (size_t i = 0; i < d.exp.n; i++)
        e = e * 10 + (uint64_t)(d.exp.d[i] - '0');
    e = (d.exp.negative ? 0 - e : e) + (uint64_t)d.shift;
    uint64_t h = 14695981039346656037ULL; /* FNV-1a over the digits */
    for (size_t i = 0; i < d.ndigits; i++)
        h = (h ^ (uint64_t)digit_at(&d, i)) * 1099511628211ULL;
    return mix(h ^ mix(e + (uint64_t)d.negative));
}

/* With D' the integer that the significant digits spell, the value is
 * D' x 10^(exp + this). */
static int64_t last_digit_shift(const decimal *d)
{
    return d->shift - (int64_t)d->ndigits;
}

int jp_number_is_integer(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && s[i] != '.' && (s[i] | 0x20) != 'e')
        i++;
    if (i == n)
        return 1; /* JSON's integer spelling */
    decimal d;
    parse(s, n, &d);
    if (!d.ndigits)
        return 1;
    bigint zero = {0, NULL, 0};
    int64_t v;
    int sign = exp_diff(&d.exp, last_digit_shift(&d), &zero, 0, &v);
    return sign ? sign > 0 : v >= 0;
}

int jp_number_divisor_valid(const char *m, size_t mn)
{
    decimal d;
    parse(m, mn, &d);
    return d.ndigits > 0 && d.ndigits <= 18 && !d.negative;
}

static uint64_t mulmod(uint64_t a, uint64_t b, uint64_t m)
{
    return (uint64_t)((unsigned __int128)a * b % m);
}

int jp_number_multiple_of(const char *x, size_t n, const char *m, size_t mn)
{
    decimal d, q;
    parse(x, n, &d);
    parse(m, mn, &q);
    if (d.ndigits == 0)
        return 1;
    uint64_t mv = 0;
    for (size_t i = 0; i < q.ndigits; i++)
        mv = mv * 10 + (uint64_t)(digit_at(&q, i) - '0');
    /* x = X x 10^a and m = M x 10^b with the last digits of X and M not 0.
     * If a < b, M x 10^(b-a) has a factor 10 that X lacks. Otherwise the
     * question is whether M divides X x 10^k, k = a - b. */
    int64_t k;
    int sign = exp_diff(&d.exp, last_digit_shift(&d), &q.exp, last_digit_shift(&q), &k);
    if (sign < 0 || (!sign && k < 0))
        return 0;
    uint64_t r = 0;
    for (size_t i = 0; i < d.ndigits; i++)
        r = (uint64_t)(((unsigned __int128)r * 10 + (uint64_t)(digit_at(&d, i) - '0')) % mv);
    if (sign > 0 || k >= 64) {
        /* M = 2^i 5^j M' with i, j < 64: 10^k supplies the 2s and 5s, so
         * M divides X x 10^k exactly when M' divides X. */
        uint64_t odd = mv;
        while (odd % 2 == 0)
            odd /= 2;
        while (odd % 5 == 0)
            odd /= 5;
        return r % odd == 0;
    }
    uint64_t p = 1 % mv, base = 10 % mv;
    for (uint64_t e = (uint64_t)k; e; e >>= 1) {
        if (e & 1)
            p = mulmod(p, base, mv);
        base = mulmod(base, base, mv);
    }
    return mulmod(r, p, mv) == 0;
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
