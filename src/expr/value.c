/* value.c: the values of the expression language (value.h): reading them
 * from a record's JSON text, arithmetic, the one equality and order, and
 * writing them back.
 *
 * Numbers stay as their text until arithmetic needs them, and compare by
 * exact decimal value whatever they hold: an integer or a double compared
 * with a text is first written as text (a double as its shortest
 * round-trip text), then jp_number_cmp decides. Arrays and objects stay
 * JSON text; they are walked in place (next, count, index) and compared
 * as trees (jp_value_equal, the rule of --schema's const). */
#include <errno.h>
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "equal.h"
#include "func.h"
#include "hset.h"
#include "json.h"
#include "number.h"
#include "tree.h"

jp_xval jp_xnull(void)
{
    return (jp_xval){.type = JP_NULL};
}

jp_xval jp_xbool(int b)
{
    return (jp_xval){.type = JP_BOOLEAN, .b = b != 0};
}

jp_xval jp_xint(int64_t i)
{
    return (jp_xval){.type = JP_NUMBER, .num = JP_XNUM_INT, .i = i};
}

jp_xval jp_xdouble(double d)
{
    return (jp_xval){.type = JP_NUMBER, .num = JP_XNUM_DOUBLE, .d = d};
}

jp_xval jp_xstr(const char *s, size_t n)
{
    return (jp_xval){.type = JP_STRING, .s = s, .n = n};
}

jp_xval jp_xjson(jp_type type, const char *s, size_t n)
{
    return (jp_xval){.type = type, .num = JP_XNUM_TEXT, .s = s, .n = n};
}

/* The content of the valid JSON string literal s[0..n): in place when it
 * has no escape, else decoded into the arena. */
static jp_xval read_string(jp_xctx *c, const char *s, size_t n)
{
    if (!memchr(s, '\\', n))
        return jp_xstr(s + 1, n - 2);
    jp_buf b = {0};
    jp_json_unquote(&b, s, n);
    jp_xval v = jp_xstr_copy(c, b.data ? b.data : "", b.len);
    jp_buf_free(&b);
    return v;
}

jp_xval jp_xval_read(jp_xctx *c, jp_type t, const char *json, size_t n)
{
    switch (t) {
    case JP_BOOLEAN: return jp_xbool(json[0] == 't');
    case JP_STRING: return read_string(c, json, n);
    case JP_NUMBER:
    case JP_OBJECT:
    case JP_ARRAY: return jp_xjson(t, json, n);
    default: return jp_xnull();
    }
}

/* ---- numbers as text ---------------------------------------------------- */

/* Room for any int64 or shortest double text, with its NUL. */
#define NUM_TEXT 32

/* Writes v in decimal with a NUL; returns the length. snprintf's
 * format parsing costs more than the conversion, for every integer a
 * statement writes. */
static size_t int_text(int64_t v, char *out)
{
    char digits[24];
    size_t n = 0, at = 0;
    uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        digits[n++] = (char)('0' + mag % 10);
        mag /= 10;
    } while (mag);
    if (v < 0)
        out[at++] = '-';
    while (n)
        out[at++] = digits[--n];
    out[at] = '\0';
    return at;
}

/* The powers of ten that a double holds exactly. */
static const double pow10_exact[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* The shortest fixed-point text of d when it has at most 15 significant
 * digits and 1e-4 <= |d| < 1e15 (where %g writes no exponent): the least p
 * such that m / 10^p == d for an integer m. m and 10^p are exact doubles
 * and the division is correctly rounded, so the text m.10^-p reads back as
 * d. Returns the length, or 0 when d is not such a number. printf's exact
 * conversion is the slow part of writing computed numbers; this is the
 * common case. */
static size_t short_decimal(double d, char *out)
{
    double a = fabs(d);
    if (!(a >= 1e-4 && a < 1e15))
        return 0;
    for (int p = 1; p <= 19; p++) {
        double m = round(a * pow10_exact[p]);
        if (m >= 1e15)
            return 0;
        if (m / pow10_exact[p] != a)
            continue;
        char digits[24];
        int n = (int)int_text((int64_t)m, digits);
        size_t at = 0;
        if (d < 0)
            out[at++] = '-';
        if (n <= p) {
            out[at++] = '0';
            out[at++] = '.';
            for (int z = n; z < p; z++)
                out[at++] = '0';
            memcpy(out + at, digits, (size_t)n);
            at += (size_t)n;
        } else {
            memcpy(out + at, digits, (size_t)(n - p));
            at += (size_t)(n - p);
            out[at++] = '.';
            memcpy(out + at, digits + n - p, (size_t)p);
            at += (size_t)p;
        }
        out[at] = '\0';
        return at;
    }
    return 0;
}

/* Writes d as the shortest text that strtod reads back as d; an integral
 * double that fits an int64 as that integer. Returns the length. (The
 * program never calls setlocale: %g and strtod use the C locale's '.'.)
 * A double that some text of 15 digits or fewer reads back as is written
 * by %.15g as that text (15 digits always survive a round trip through a
 * double), so the search starts there; a subnormal double has fewer bits,
 * and its search starts at one digit. */
static size_t double_text(double d, char *out)
{
    if (d == floor(d) && d >= -9223372036854775808.0 && d < 9223372036854775808.0)
        return int_text((int64_t)d, out);
    size_t fast = short_decimal(d, out);
    if (fast)
        return fast;
    /* short_decimal tried every text of 15 digits or fewer in its range;
     * 17 digits always read back, so that one needs no check. */
    double a = fabs(d);
    int prec = a < DBL_MIN ? 1 : a >= 1e-4 && a < 1e15 ? 16 : 15;
    int n = 0;
    for (; prec < 17; prec++) {
        n = snprintf(out, NUM_TEXT, "%.*g", prec, d);
        if (strtod(out, NULL) == d)
            return (size_t)n;
    }
    return (size_t)snprintf(out, NUM_TEXT, "%.17g", d);
}

/* The JSON text of a number, in buf when it must be made. */
static const char *number_text(const jp_xval *v, char *buf, size_t *n)
{
    if (v->num == JP_XNUM_TEXT) {
        *n = v->n;
        return v->s;
    }
    if (v->num == JP_XNUM_INT)
        *n = int_text(v->i, buf);
    else
        *n = double_text(v->d, buf);
    return buf;
}

/* A valid JSON number's text in parts: sign, the digits before and after
 * the point, and the exponent. An exponent beyond 10^15 saturates: no text
 * is that long, so every answer drawn from the parts is the same. */
typedef struct text_parts {
    int neg;
    const char *ip, *fp; /* integer and fraction digits */
    size_t il, fl;
    int64_t e;
} text_parts;

static text_parts parts_of(const char *s, size_t n)
{
    text_parts p = {.neg = s[0] == '-'};
    size_t i = (size_t)p.neg;
    p.ip = s + i;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++, p.il++;
    p.fp = s + i;
    if (i < n && s[i] == '.') {
        p.fp = s + ++i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++, p.fl++;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        int eneg = s[++i] == '-';
        if (s[i] == '-' || s[i] == '+')
            i++;
        for (; i < n; i++)
            if (p.e < 1000000000000000LL)
                p.e = p.e * 10 + (s[i] - '0');
        if (eneg)
            p.e = -p.e;
    }
    return p;
}

/* Digit k of the digits of p, integer part then fraction (0-based). */
static int part_digit(const text_parts *p, int64_t k)
{
    return (k < (int64_t)p->il ? p->ip[k] : p->fp[k - (int64_t)p->il]) - '0';
}

/* The integer of the valid JSON number s[0..n): 0 when it is one, -1 when
 * it has a fractional part (unless trunc, which drops it: toward zero),
 * -2 when it does not fit an int64. Exact for texts of any length. */
static int text_int(const char *s, size_t n, int trunc, int64_t *out)
{
    text_parts p = parts_of(s, n);
    /* Digit k is in the integer part when k < il + e; the integer part has
     * il + e - (il + fl) more zeros past the last digit when that is
     * positive. */
    int64_t total = (int64_t)(p.il + p.fl), int_end = (int64_t)p.il + p.e;
    uint64_t limit = p.neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX, mag = 0;
    for (int64_t k = 0; k < total; k++) {
        int d = part_digit(&p, k);
        if (k >= int_end) {
            if (d && !trunc)
                return -1;
            continue;
        }
        if (mag > (limit - (uint64_t)d) / 10)
            return -2;
        mag = mag * 10 + (uint64_t)d;
    }
    for (int64_t k = total; k < int_end && mag; k++) {
        if (mag > limit / 10)
            return -2;
        mag *= 10;
    }
    *out = p.neg ? (int64_t)(0 - mag) : (int64_t)mag;
    return 0;
}

/* floor, ceil or round of the number text s[0..n) that has a fractional
 * part, exactly, into the arena: the integer part of its digits (none lie
 * past them, as the value is not an integer), one more in magnitude when
 * the mode takes it away from zero. */
static jp_xval text_rounded(jp_xctx *c, const char *s, size_t n, int mode)
{
    text_parts p = parts_of(s, n);
    int64_t int_end = (int64_t)p.il + p.e;
    size_t len = int_end > 0 ? (size_t)int_end : 0;
    int away = mode == JP_XROUND_FLOOR ? p.neg
             : mode == JP_XROUND_CEIL ? !p.neg
             : int_end >= 0 && part_digit(&p, int_end) >= 5;
    /* A leading place for the carry, the sign, and a NUL. */
    char *t = jp_arena_alloc(&c->arena, len + 3);
    char *mag = t + 2;
    for (size_t k = 0; k < len; k++)
        mag[k] = (char)('0' + part_digit(&p, (int64_t)k));
    mag[len] = '\0';
    if (away) {
        size_t k = len;
        while (k > 0 && mag[k - 1] == '9')
            mag[--k] = '0';
        if (k > 0)
            mag[k - 1]++;
        else
            *--mag = '1', len++;
    }
    while (len > 1 && mag[0] == '0')
        mag++, len--;
    if (len == 0 || (len == 1 && mag[0] == '0'))
        return jp_xint(0);
    if (p.neg)
        *--mag = '-', len++;
    jp_xval v = jp_xjson(JP_NUMBER, mag, len);
    int64_t i;
    return text_int(mag, len, 0, &i) == 0 ? jp_xint(i) : v;
}

/* The double of a JSON number of at most 19 digits whose value is m *
 * 10^e with m <= 2^53 and |e| <= 22: both are exact doubles and one
 * multiplication or division rounds correctly (Clinger's fast path).
 * Returns 0, or -1 for any other text. */
static int fast_double(const char *s, size_t n, double *out)
{
    size_t i = s[0] == '-';
    uint64_t m = 0;
    int digits = 0, e = 0;
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++)
        m = m * 10 + (uint64_t)(s[i] - '0');
    if (i < n && s[i] == '.')
        for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++, e--)
            m = m * 10 + (uint64_t)(s[i] - '0');
    if (i < n || digits > 19 || m > ((uint64_t)1 << 53) || e < -22)
        return -1;
    double d = (double)m / pow10_exact[-e];
    *out = s[0] == '-' ? -d : d;
    return 0;
}

/* strtod of a text that need not end with a NUL. */
static double text_double(const char *s, size_t n)
{
    double d;
    if (fast_double(s, n, &d) == 0)
        return d;
    char small[64];
    if (n < sizeof small) {
        memcpy(small, s, n);
        small[n] = '\0';
        return strtod(small, NULL);
    }
    char *big = jp_xmalloc(n + 1);
    memcpy(big, s, n);
    big[n] = '\0';
    d = strtod(big, NULL);
    free(big);
    return d;
}

double jp_xval_to_double(const jp_xval *v)
{
    switch (v->num) {
    case JP_XNUM_INT: return (double)v->i;
    case JP_XNUM_DOUBLE: return v->d;
    default: return text_double(v->s, v->n);
    }
}

int jp_xval_to_int(const jp_xval *v, int64_t *out)
{
    switch (v->num) {
    case JP_XNUM_INT: *out = v->i; return 0;
    case JP_XNUM_DOUBLE:
        if (v->d != floor(v->d) || v->d < -9223372036854775808.0 || v->d >= 9223372036854775808.0)
            return -1;
        *out = (int64_t)v->d;
        return 0;
    default: return text_int(v->s, v->n, 0, out) == 0 ? 0 : -1;
    }
}

int jp_xval_trunc(const jp_xval *v, int64_t *out)
{
    switch (v->num) {
    case JP_XNUM_INT: *out = v->i; return 0;
    case JP_XNUM_DOUBLE:
        if (!(v->d >= -9223372036854775808.0 && v->d < 9223372036854775808.0))
            return -1;
        *out = (int64_t)v->d;
        return 0;
    default: return text_int(v->s, v->n, 1, out) == 0 ? 0 : -1;
    }
}

jp_xval jp_xval_round(jp_xctx *c, const jp_xval *v, int mode)
{
    if (v->num == JP_XNUM_INT ||
        (v->num == JP_XNUM_TEXT && jp_number_is_integer(v->s, v->n)))
        return *v;
    if (v->num == JP_XNUM_TEXT)
        return text_rounded(c, v->s, v->n, mode);
    double r = mode == JP_XROUND_FLOOR ? floor(v->d) : mode == JP_XROUND_CEIL ? ceil(v->d)
             : round(v->d);
    jp_xval d = jp_xdouble(r);
    int64_t i;
    return jp_xval_to_int(&d, &i) == 0 ? jp_xint(i) : d;
}

void jp_xval_write(const jp_xval *v, jp_buf *out)
{
    char buf[NUM_TEXT];
    size_t n;
    switch (v->type) {
    case JP_BOOLEAN: jp_buf_puts(out, v->b ? "true" : "false"); break;
    case JP_NUMBER: {
        const char *s = number_text(v, buf, &n);
        jp_buf_append(out, s, n);
        break;
    }
    case JP_STRING: jp_json_quote(out, v->s, v->n); break;
    case JP_OBJECT:
    case JP_ARRAY: jp_buf_append(out, v->s, v->n); break;
    default: jp_buf_puts(out, "null"); break;
    }
}

const char *jp_xval_phrase(const jp_xval *v)
{
    return jp_type_phrase(v->type);
}

#define EXCERPT 40

void jp_xval_excerpt(const jp_xval *v, jp_buf *out)
{
    size_t start = out->len;
    int more = 0;
    /* Only the head of a long value is written: the rest would be cut. */
    if (v->type == JP_STRING && v->n > EXCERPT + 8) {
        size_t k = EXCERPT + 8;
        while (k > 0 && ((unsigned char)v->s[k] & 0xC0) == 0x80)
            k--;
        jp_json_quote(out, v->s, k);
        more = 1;
    } else if ((v->type == JP_ARRAY || v->type == JP_OBJECT || v->type == JP_NUMBER) &&
               v->num == JP_XNUM_TEXT && v->n > EXCERPT + 8) {
        jp_buf_append(out, v->s, EXCERPT + 8);
        more = 1;
    } else {
        jp_xval_write(v, out);
    }
    if (!more && out->len - start <= EXCERPT)
        return;
    size_t cut = start + EXCERPT;
    while (cut > start && ((unsigned char)out->data[cut] & 0xC0) == 0x80)
        cut--;
    out->len = cut;
    jp_buf_puts(out, "...");
}

int jp_xval_truthy(const jp_xval *v)
{
    return !(v->type == JP_NULL || v->type == JP_ABSENT || (v->type == JP_BOOLEAN && !v->b));
}

/* ---- arithmetic ------------------------------------------------------------ */

static int finite_result(jp_xctx *c, const char *who, double d, jp_xval *out)
{
    if (!isfinite(d))
        return who ? jp_xfail(c, "%s: result is not a finite number", who)
                   : jp_xfail(c, "result is not a finite number");
    *out = jp_xdouble(d);
    return JP_XOK;
}

int jp_xval_double_result(jp_xctx *c, double d, jp_xval *out)
{
    return finite_result(c, NULL, d, out);
}

/* A number ready for arithmetic: an integer when its value is one that
 * fits an int64 (text "2.0" too), else a double. */
static jp_xval arith_number(const jp_xval *v)
{
    int64_t i;
    if (v->num == JP_XNUM_TEXT)
        return jp_xval_to_int(v, &i) == 0 ? jp_xint(i) : jp_xdouble(text_double(v->s, v->n));
    return *v;
}

static double as_double(const jp_xval *v)
{
    return v->num == JP_XNUM_INT ? (double)v->i : v->d;
}

/* The reason for a mix of types that op does not take. */
static int type_mix(jp_xctx *c, int op, const jp_xval *a, const jp_xval *b)
{
    const char *x = jp_xval_phrase(a), *y = jp_xval_phrase(b);
    int hint = (a->type == JP_STRING) != (b->type == JP_STRING) &&
               (a->type == JP_NUMBER || b->type == JP_NUMBER || a->type == JP_BOOLEAN ||
                b->type == JP_BOOLEAN);
    const char *tail = hint ? " (use to_string)" : "";
    switch (op) {
    case '+': return jp_xfail(c, "+: cannot add %s and %s%s", x, y, tail);
    case '-': return jp_xfail(c, "-: cannot subtract %s from %s", y, x);
    case '*': return jp_xfail(c, "*: cannot multiply %s by %s", x, y);
    default: return jp_xfail(c, "%c: cannot divide %s by %s", op, x, y);
    }
}

/* a % b of two numbers, as jq does it: each is truncated toward zero to an
 * integer, and the remainder has the sign of the dividend (-5 % 3 is -2).
 * A number beyond the int64 range cannot be truncated: an error. */
static int remainder_of(jp_xctx *c, const jp_xval *a, const jp_xval *b, jp_xval *out)
{
    int64_t x, y;
    const jp_xval *wide = jp_xval_trunc(a, &x) < 0 ? a : jp_xval_trunc(b, &y) < 0 ? b : NULL;
    if (wide) {
        char buf[NUM_TEXT];
        double_text(wide->d, buf);
        return jp_xfail(c, "%%: %s does not fit a 64-bit integer", buf);
    }
    if (y == 0)
        return jp_xfail(c, "%%: division by zero");
    *out = jp_xint(y == -1 ? 0 : x % y); /* INT64_MIN % -1 overflows in C */
    return JP_XOK;
}

int jp_xval_arith(jp_xctx *c, int op, const jp_xval *a, const jp_xval *b, jp_xval *out)
{
    if (op == '+' && a->type == JP_STRING && b->type == JP_STRING) {
        char *s = jp_arena_alloc(&c->arena, a->n + b->n + 1);
        if (a->n)
            memcpy(s, a->s, a->n);
        if (b->n)
            memcpy(s + a->n, b->s, b->n);
        s[a->n + b->n] = '\0';
        *out = jp_xstr(s, a->n + b->n);
        return JP_XOK;
    }
    if (a->type != JP_NUMBER || b->type != JP_NUMBER)
        return type_mix(c, op, a, b);
    jp_xval x = arith_number(a), y = arith_number(b);
    if (op == '%')
        return remainder_of(c, &x, &y, out);
    if (x.num == JP_XNUM_INT && y.num == JP_XNUM_INT) {
        int64_t r;
        switch (op) {
        case '+':
            if (!__builtin_add_overflow(x.i, y.i, &r))
                return *out = jp_xint(r), JP_XOK;
            break;
        case '-':
            if (!__builtin_sub_overflow(x.i, y.i, &r))
                return *out = jp_xint(r), JP_XOK;
            break;
        case '*':
            if (!__builtin_mul_overflow(x.i, y.i, &r))
                return *out = jp_xint(r), JP_XOK;
            break;
        default:
            if (y.i == 0)
                return jp_xfail(c, "/: division by zero");
            if (!(x.i == INT64_MIN && y.i == -1) && x.i % y.i == 0)
                return *out = jp_xint(x.i / y.i), JP_XOK;
            break;
        }
    }
    double p = as_double(&x), q = as_double(&y), r;
    switch (op) {
    case '+': r = p + q; break;
    case '-': r = p - q; break;
    case '*': r = p * q; break;
    default:
        if (q == 0)
            return jp_xfail(c, "/: division by zero");
        r = p / q;
        break;
    }
    char who[2] = {(char)op, '\0'};
    return finite_result(c, who, r, out);
}

int jp_xval_negate(jp_xctx *c, const jp_xval *a, jp_xval *out)
{
    if (a->type != JP_NUMBER)
        return jp_xfail(c, "-: cannot negate %s", jp_xval_phrase(a));
    switch (a->num) {
    case JP_XNUM_INT:
        *out = a->i == INT64_MIN ? jp_xdouble(-(double)a->i) : jp_xint(-a->i);
        return JP_XOK;
    case JP_XNUM_DOUBLE: *out = jp_xdouble(-a->d); return JP_XOK;
    default:
        /* The text itself, signed the other way: exact at any size. */
        if (a->s[0] == '-') {
            *out = jp_xjson(JP_NUMBER, a->s + 1, a->n - 1);
        } else {
            char *s = jp_arena_alloc(&c->arena, a->n + 2);
            s[0] = '-';
            memcpy(s + 1, a->s, a->n);
            s[a->n + 1] = '\0';
            *out = jp_xjson(JP_NUMBER, s, a->n + 1);
        }
        return JP_XOK;
    }
}

/* ---- walking arrays and objects ------------------------------------------ */

static int blank(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

static size_t skip_blanks(const char *s, size_t i, size_t n)
{
    while (i < n && blank(s[i]))
        i++;
    return i;
}

/* Just past the string literal or the value of valid JSON that starts at
 * s[i]. */
static size_t skip_value(const char *s, size_t i, size_t n)
{
    int depth = 0;
    do {
        char ch = s[i];
        if (ch == '"') {
            for (i++; s[i] != '"'; i++)
                if (s[i] == '\\')
                    i++;
            i++;
        } else if (ch == '{' || ch == '[') {
            depth++;
            i++;
        } else if (ch == '}' || ch == ']') {
            depth--;
            i++;
        } else if (blank(ch) || ch == ',' || ch == ':') {
            i++;
        } else {
            while (i < n && !blank(s[i]) && !strchr(",:]}", s[i]))
                i++;
        }
    } while (depth > 0 && i < n);
    return i;
}

/* The next member or element of the array or object text s[0..n) after
 * offset *at (1 to start, just past the opening bracket): the raw key
 * literal (objects) and value. Returns 0 at the end. */
static int next_raw(const char *s, size_t n, size_t *at, const char **key, size_t *keylen,
                    const char **val, size_t *vallen)
{
    size_t i = skip_blanks(s, *at, n);
    if (i < n && s[i] == ',')
        i = skip_blanks(s, i + 1, n);
    if (i >= n || s[i] == ']' || s[i] == '}')
        return 0;
    if (s[0] == '{') {
        size_t k = i;
        i = skip_value(s, i, n);
        *key = s + k;
        *keylen = i - k;
        i = skip_blanks(s, i, n) + 1; /* the colon */
        i = skip_blanks(s, i, n);
    }
    size_t v = i;
    i = skip_value(s, i, n);
    *val = s + v;
    *vallen = i - v;
    *at = i;
    return 1;
}

/* Whether the key literals x and y hold the same text. Escapes are decoded
 * into the two buffers, which the caller frees. */
static int same_key(const char *x, size_t xn, const char *y, size_t yn, jp_buf *bx, jp_buf *by)
{
    int ex = memchr(x, '\\', xn) != NULL, ey = memchr(y, '\\', yn) != NULL;
    if (!ex && !ey)
        return xn == yn && memcmp(x, y, xn) == 0;
    bx->len = by->len = 0;
    jp_json_unquote(bx, x, xn);
    jp_json_unquote(by, y, yn);
    return bx->len == by->len && (bx->len == 0 || memcmp(bx->data, by->data, bx->len) == 0);
}

/* Whether the member whose key literal is k[0..kn), which ends at offset
 * at, comes again later in the object text s[0..n). */
static int shadowed(const char *s, size_t n, size_t at, const char *k, size_t kn)
{
    const char *k2 = NULL, *v;
    size_t kn2 = 0, vn;
    jp_buf bx = {0}, by = {0};
    int found = 0;
    while (!found && next_raw(s, n, &at, &k2, &kn2, &v, &vn))
        found = same_key(k, kn, k2, kn2, &bx, &by);
    jp_buf_free(&bx);
    jp_buf_free(&by);
    return found;
}

typedef struct member_key {
    const char *s; /* the key's text, decoded; NULL while it is at off */
    size_t off, n, index;
} member_key;

static int member_order(const void *a, const void *b)
{
    const member_key *x = a, *y = b;
    size_t n = x->n < y->n ? x->n : y->n;
    int r = n ? memcmp(x->s, y->s, n) : 0;
    if (r || x->n != y->n)
        return r ? r : x->n < y->n ? -1 : 1;
    return x->index < y->index ? -1 : 1;
}

/* Of the count members of the object text s[0..n), which ones a later copy
 * of their key shadows: a flag per member in the arena, or NULL when none
 * is. Sorting the keys keeps this n log n however many copies there are. */
static const unsigned char *shadowed_members(jp_xctx *c, const char *s, size_t n, size_t count)
{
    member_key *keys = jp_xmalloc(count * sizeof *keys);
    jp_buf decoded = {0};
    const char *k, *v;
    size_t kn, vn, at = 1;
    for (size_t i = 0; next_raw(s, n, &at, &k, &kn, &v, &vn); i++) {
        keys[i] = (member_key){k + 1, 0, kn - 2, i};
        if (memchr(k, '\\', kn)) {
            keys[i].s = NULL;
            keys[i].off = decoded.len;
            jp_json_unquote(&decoded, k, kn);
            keys[i].n = decoded.len - keys[i].off;
        }
    }
    for (size_t i = 0; i < count; i++)
        if (!keys[i].s)
            keys[i].s = decoded.data + keys[i].off;
    qsort(keys, count, sizeof *keys, member_order);
    unsigned char *flags = NULL;
    for (size_t i = 0; i + 1 < count; i++) {
        const member_key *x = &keys[i], *y = &keys[i + 1];
        if (x->n != y->n || (x->n && memcmp(x->s, y->s, x->n) != 0))
            continue;
        if (!flags) {
            flags = jp_arena_alloc(&c->arena, count);
            memset(flags, 0, count);
        }
        flags[x->index] = 1; /* y is a later copy */
    }
    jp_buf_free(&decoded);
    free(keys);
    return flags;
}

/* The cursor of an object is the caller's only state, so it says how the
 * walk goes: 0 before it starts; odd, (offset << 2) | flags, for an object
 * that has no copies of a key (or so few members that each is checked
 * against the later ones); else the address of a walk in the arena, with
 * the flags of shadowed_members. Of a duplicated key, the last copy is
 * given, in its own place (where a read of the record finds it). */
#define CUR_OFFSET 1u
#define CUR_PAIRWISE 2u
#define FEW_MEMBERS 16

typedef struct object_walk {
    size_t at, index;
    const unsigned char *shadowed;
} object_walk;

_Static_assert(sizeof(size_t) >= sizeof(object_walk *), "a cursor holds an address");

static size_t object_start(jp_xctx *c, const jp_xval *v)
{
    const char *k, *e;
    size_t kn, en, at = 1, count = 0;
    while (next_raw(v->s, v->n, &at, &k, &kn, &e, &en))
        count++;
    if (count <= FEW_MEMBERS)
        return (size_t)1 << 2 | CUR_OFFSET | (count > 1 ? CUR_PAIRWISE : 0);
    const unsigned char *flags = shadowed_members(c, v->s, v->n, count);
    if (!flags)
        return (size_t)1 << 2 | CUR_OFFSET;
    object_walk *w = jp_arena_alloc(&c->arena, sizeof *w);
    *w = (object_walk){1, 0, flags};
    return (size_t)(uintptr_t)w;
}

int jp_xval_next(jp_xctx *c, const jp_xval *v, size_t *cursor, jp_xval *key, jp_xval *elem)
{
    if (v->type != JP_ARRAY && v->type != JP_OBJECT)
        return 0;
    const char *k, *e;
    size_t kn, en;
    if (v->type == JP_ARRAY) {
        size_t at = *cursor ? *cursor : 1;
        if (!next_raw(v->s, v->n, &at, &k, &kn, &e, &en))
            return 0;
        *cursor = at;
        *elem = jp_xval_read(c, jp_type_of_json(e[0]), e, en);
        return 1;
    }
    if (!*cursor)
        *cursor = object_start(c, v);
    size_t cur = *cursor;
    if (cur & CUR_OFFSET) {
        size_t at = cur >> 2;
        do {
            if (!next_raw(v->s, v->n, &at, &k, &kn, &e, &en))
                return 0;
        } while ((cur & CUR_PAIRWISE) && shadowed(v->s, v->n, at, k, kn));
        *cursor = at << 2 | (cur & 3);
    } else {
        object_walk *w = (object_walk *)(uintptr_t)cur;
        do {
            if (!next_raw(v->s, v->n, &w->at, &k, &kn, &e, &en))
                return 0;
        } while (w->shadowed[w->index++]);
    }
    *key = read_string(c, k, kn);
    *elem = jp_xval_read(c, jp_type_of_json(e[0]), e, en);
    return 1;
}

size_t jp_xval_count(jp_xctx *c, const jp_xval *v)
{
    size_t cursor = 0, count = 0;
    jp_xval key, elem;
    while (jp_xval_next(c, v, &cursor, &key, &elem))
        count++;
    return count;
}

int jp_xval_index(jp_xctx *c, const jp_xval *a, const jp_xval *idx, jp_xval *out)
{
    jp_buf at = {0};
    jp_xval_excerpt(idx, &at);
    int64_t i;
    int r = JP_XOK;
    if (a->type != JP_ARRAY) {
        r = jp_xfail(c, "[%.*s]: cannot index %s", (int)at.len, at.data, jp_xval_phrase(a));
    } else if (idx->type != JP_NUMBER) {
        r = jp_xfail(c, "[%.*s]: the index is %s, not an integer", (int)at.len, at.data,
                     jp_xval_phrase(idx));
    } else if (jp_xval_to_int(idx, &i) < 0) {
        r = jp_xfail(c, "[%.*s]: the index is not an integer", (int)at.len, at.data);
    } else {
        size_t n = jp_xval_count(c, a), cursor = 0;
        if (i < 0 ? (uint64_t)0 - (uint64_t)i > n : (uint64_t)i >= n) {
            r = jp_xfail(c, "[%.*s]: index out of range (array of %zu)", (int)at.len, at.data, n);
        } else {
            size_t want = i < 0 ? n - ((uint64_t)0 - (uint64_t)i) : (size_t)i;
            jp_xval key;
            for (size_t k = 0; k <= want; k++)
                jp_xval_next(c, a, &cursor, &key, out);
        }
    }
    jp_buf_free(&at);
    return r;
}

/* ---- equality, order, hashes ---------------------------------------------- */

static int number_cmp(const jp_xval *a, const jp_xval *b)
{
    if (a->num == JP_XNUM_INT && b->num == JP_XNUM_INT)
        return (a->i > b->i) - (a->i < b->i);
    if (a->num == JP_XNUM_DOUBLE && b->num == JP_XNUM_DOUBLE)
        return (a->d > b->d) - (a->d < b->d);
    char ba[NUM_TEXT], bb[NUM_TEXT];
    size_t an, bn;
    const char *x = number_text(a, ba, &an), *y = number_text(b, bb, &bn);
    return jp_number_cmp(x, an, y, bn);
}

static int string_cmp(const jp_xval *a, const jp_xval *b)
{
    size_t n = a->n < b->n ? a->n : b->n;
    int r = n ? memcmp(a->s, b->s, n) : 0;
    if (r)
        return r < 0 ? -1 : 1;
    return (a->n > b->n) - (a->n < b->n);
}

/* The tree of the array or object v, built in t. */
static jp_side side_of(jp_tree *t, const jp_xval *v)
{
    /* Valid JSON by the contract of value.h: the build cannot fail. */
    jp_tree_build(t, v->s, v->n);
    return (jp_side){jp_tree_node(t, 0), jp_tree_text(t, 0)};
}

int jp_xval_equal(jp_xctx *c, const jp_xval *a, const jp_xval *b)
{
    if (a->type != b->type)
        return 0;
    switch (a->type) {
    case JP_NUMBER: return number_cmp(a, b) == 0;
    case JP_STRING: return string_cmp(a, b) == 0;
    case JP_BOOLEAN: return a->b == b->b;
    case JP_ARRAY:
    case JP_OBJECT: {
        jp_side x = side_of(c->ta, a), y = side_of(c->tb, b);
        c->members.top = 0;
        return jp_value_equal(&c->members, &x, x.nodes, &y, y.nodes);
    }
    default: return 1;
    }
}

int jp_xval_order(jp_xctx *c, const jp_xval *a, const jp_xval *b, int *order)
{
    (void)c;
    if (a->type != b->type || (a->type != JP_NUMBER && a->type != JP_STRING))
        return 0;
    *order = a->type == JP_NUMBER ? number_cmp(a, b) : string_cmp(a, b);
    return 1;
}

uint64_t jp_xval_hash(const jp_xval *v)
{
    char buf[NUM_TEXT];
    size_t n;
    switch (v->type) {
    case JP_NUMBER: {
        const char *s = number_text(v, buf, &n);
        return jp_number_hash(s, n);
    }
    case JP_STRING: return jp_hash_bytes(v->s, v->n, JP_STRING);
    case JP_BOOLEAN: return jp_hash_mix(JP_BOOLEAN, v->b ? 4 : 5);
    default: return jp_hash_mix(v->type, 4); /* null; arrays and objects in one bucket */
    }
}

int jp_xval_contains(jp_xctx *c, const jp_xval *a, const jp_xval *x)
{
    if (a->type == JP_STRING && x->type == JP_STRING)
        return memmem(a->s, a->n, x->s, x->n) != NULL;
    if (a->type != JP_ARRAY)
        return 0;
    if (x->type == JP_ARRAY || x->type == JP_OBJECT) {
        /* Both trees once, then x against each element of a. */
        jp_side as = side_of(c->ta, a), xs = side_of(c->tb, x);
        c->members.top = 0;
        for (int32_t i = as.nodes[0].first; i >= 0; i = as.nodes[i].next)
            if (jp_value_equal(&c->members, &as, &as.nodes[i], &xs, xs.nodes))
                return 1;
        return 0;
    }
    size_t cursor = 0;
    jp_xval key, elem;
    while (jp_xval_next(c, a, &cursor, &key, &elem))
        if (jp_xval_equal(c, &elem, x))
            return 1;
    return 0;
}
