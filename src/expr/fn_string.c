/* fn_string.c: the text functions of the expression language (func.h):
 * case, trimming, substrings, literal split and join, prefixes and
 * suffixes, and the PCRE2 functions replace and capture.
 *
 * Strings are UTF-8; positions and counts are in code points, and a byte
 * that does not begin valid UTF-8 counts as one (decoded JSON is always
 * valid, so that only keeps odd input from going wrong). A result that is
 * a piece of an argument (trim, substr) points into that argument; new
 * text is built in the context's scratch and copied into its arena. */
#include <inttypes.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <wctype.h>

#include "fn_args.h"
#include "json.h"

#define NOT_A_CHAR UINT32_MAX /* what cp_at gives for a byte that is not UTF-8 */

/* The size of the code point at s[i], i < n, and the code point. */
static size_t cp_at(const char *s, size_t n, size_t i, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s + i;
    if (*u < 0x80) {
        *cp = *u;
        return 1;
    }
    size_t k = jp_utf8_seq_len(u, n - i);
    *cp = k ? jp_utf8_decode(u, k) : NOT_A_CHAR;
    return k ? k : 1;
}

/* The byte offset k code points after offset i (or n). */
static size_t cp_skip(const char *s, size_t n, size_t i, int64_t k)
{
    uint32_t cp;
    for (; k > 0 && i < n; k--)
        i += cp_at(s, n, i, &cp);
    return i;
}

/* "a number (12)" into the scratch, for a message; null is just "null". */
static const char *describe(jp_xctx *c, const jp_xval *v)
{
    jp_buf *b = &c->scratch;
    b->len = 0;
    jp_buf_puts(b, jp_xval_phrase(v));
    if (v->type != JP_NULL) {
        jp_buf_puts(b, " (");
        jp_xval_excerpt(v, b);
        jp_buf_putc(b, ')');
    }
    jp_buf_putc(b, '\0');
    return b->data;
}

int jp_xarg_fail(jp_xctx *c, const char *fn, const jp_xval *v, const char *what)
{
    return jp_xfail(c, "%s: %s is not %s", fn, describe(c, v), what);
}

int jp_xarg_string(jp_xctx *c, const char *fn, const jp_xval *v)
{
    return v->type == JP_STRING ? JP_XOK : jp_xarg_fail(c, fn, v, "a string");
}

int jp_xarg_int(jp_xctx *c, const char *fn, const jp_xval *v, int64_t *out)
{
    if (v->type == JP_NUMBER && jp_xval_to_int(v, out) == 0)
        return JP_XOK;
    return jp_xarg_fail(c, fn, v, "an integer");
}

/* lower and upper use Unicode's simple case mapping (one code point to
 * one: É <-> é, Σ -> σ, Д -> д; ß and other letters whose capital is two
 * letters stay as they are), as the C library's C.UTF-8 locale holds it.
 * That locale is opened once for this alone, so the program's own locale
 * (never set: "C") does not matter. A system without C.UTF-8 maps ASCII
 * letters only, as jq's ascii_downcase does. */
static locale_t case_locale;
static pthread_once_t case_once = PTHREAD_ONCE_INIT;

static void case_open(void)
{
    case_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

static uint32_t map_case(uint32_t cp, int upper)
{
    if (cp < 0x80) {
        if (upper)
            return cp >= 'a' && cp <= 'z' ? cp - ('a' - 'A') : cp;
        return cp >= 'A' && cp <= 'Z' ? cp + ('a' - 'A') : cp;
    }
    if (cp == NOT_A_CHAR || !case_locale)
        return cp;
    wint_t w = upper ? towupper_l((wint_t)cp, case_locale) : towlower_l((wint_t)cp, case_locale);
    if (w > 0x10FFFF || (w >= 0xD800 && w <= 0xDFFF))
        return cp;
    return (uint32_t)w;
}

static int change_case(jp_xctx *c, const char *fn, const jp_xval *args, jp_xval *out, int upper)
{
    if (jp_xarg_string(c, fn, &args[0]))
        return JP_XERR;
    pthread_once(&case_once, case_open);
    const char *s = args[0].s;
    size_t n = args[0].n;
    jp_buf *b = &c->scratch;
    b->len = 0;
    int changed = 0;
    for (size_t i = 0, k; i < n; i += k) {
        uint32_t cp, to;
        k = cp_at(s, n, i, &cp);
        to = map_case(cp, upper);
        if (to == cp) {
            jp_buf_append(b, s + i, k);
        } else {
            jp_utf8_put(b, to);
            changed = 1;
        }
    }
    *out = changed ? jp_xval_take(c, JP_STRING, b) : args[0];
    return JP_XOK;
}

static int fn_lower(jp_xctx *c, const jp_xcall *call, const jp_xval *args, int nargs, jp_xval *out)
{
    return change_case(c, "lower", args, out, 0);
}

static int fn_upper(jp_xctx *c, const jp_xcall *call, const jp_xval *args, int nargs, jp_xval *out)
{
    return change_case(c, "upper", args, out, 1);
}

/* Unicode's White_Space property, all of it. */
static int is_space(uint32_t cp)
{
    return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 ||
           cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 ||
           cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

static size_t space_before(const char *s, size_t n, size_t from)
{
    uint32_t cp;
    for (size_t k; from < n; from += k) {
        k = cp_at(s, n, from, &cp);
        if (!is_space(cp))
            break;
    }
    return from;
}

/* The end of s[from..n) without its trailing white space. */
static size_t space_after(const char *s, size_t from, size_t n)
{
    while (n > from) {
        /* Back to the lead byte of the last code point; a white space
         * character is at most 3 bytes. */
        size_t j = n - 1;
        while (j > from && n - j < 3 && ((unsigned char)s[j] & 0xC0) == 0x80)
            j--;
        uint32_t cp;
        if (cp_at(s, n, j, &cp) != n - j || !is_space(cp))
            break;
        n = j;
    }
    return n;
}

static int trim(jp_xctx *c, const char *fn, const jp_xval *args, jp_xval *out, int left,
                int right)
{
    if (jp_xarg_string(c, fn, &args[0]))
        return JP_XERR;
    const char *s = args[0].s;
    size_t from = left ? space_before(s, args[0].n, 0) : 0;
    size_t to = right ? space_after(s, from, args[0].n) : args[0].n;
    *out = jp_xstr(s + from, to - from);
    return JP_XOK;
}

static int fn_trim(jp_xctx *c, const jp_xcall *call, const jp_xval *args, int nargs, jp_xval *out)
{
    return trim(c, "trim", args, out, 1, 1);
}

static int fn_ltrim(jp_xctx *c, const jp_xcall *call, const jp_xval *args, int nargs, jp_xval *out)
{
    return trim(c, "ltrim", args, out, 1, 0);
}

static int fn_rtrim(jp_xctx *c, const jp_xcall *call, const jp_xval *args, int nargs, jp_xval *out)
{
    return trim(c, "rtrim", args, out, 0, 1);
}

/* substr(s, start[, count]): count code points (all the rest without
 * count) from code point start; a negative start counts from the end.
 * Both ends are clamped to the string, as jq's .[start:start+count] does,
 * except that a negative start is resolved first: substr("abcde", -2, 5)
 * is "de" (jq's .[-2:3] is ""). */
static int fn_substr(jp_xctx *c, const jp_xcall *call, const jp_xval *args, int nargs, jp_xval *out)
{
    int64_t start, count = INT64_MAX;
    if (jp_xarg_string(c, "substr", &args[0]) || jp_xarg_int(c, "substr", &args[1], &start) ||
        (nargs > 2 && jp_xarg_int(c, "substr", &args[2], &count)))
        return JP_XERR;
    if (count < 0)
        return jp_xfail(c, "substr: the count %" PRId64 " is negative", count);
    const char *s = args[0].s;
    size_t n = args[0].n;
    if (start < 0) {
        int64_t len = 0;
        for (size_t i = 0; i < n; len++)
            i = cp_skip(s, n, i, 1);
        start = start < -len ? 0 : len + start;
    }
    size_t from = cp_skip(s, n, 0, start);
    size_t to = cp_skip(s, n, from, count);
    *out = jp_xstr(s + from, to - from);
    return JP_XOK;
}

static int regex_gave_up(jp_xctx *c, const char *fn, const char *why)
{
    return jp_xunfinished(c, "%s: the regex could not finish: PCRE2 %s", fn, why);
}

/* Appends the replacement w for the match ov of s: $0 to $9 are groups
 * (nothing for a group that took no part), $$ is one $, and any other $
 * is itself. Groups were checked to exist (replace_groups). */
static void expand(jp_buf *b, const jp_xval *w, const char *s, const size_t *ov)
{
    size_t i = 0;
    for (;;) {
        const char *d = memchr(w->s + i, '$', w->n - i);
        size_t at = d ? (size_t)(d - w->s) : w->n;
        jp_buf_append(b, w->s + i, at - i);
        if (at + 1 >= w->n) {
            if (at < w->n)
                jp_buf_putc(b, '$');
            return;
        }
        char next = w->s[at + 1];
        if (next >= '0' && next <= '9') {
            size_t g = (size_t)(next - '0');
            if (ov[2 * g] != JP_REGEX_UNSET)
                jp_buf_append(b, s + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
            i = at + 2;
        } else if (next == '$') {
            jp_buf_putc(b, '$');
            i = at + 2;
        } else {
            jp_buf_putc(b, '$');
            i = at + 1;
        }
    }
}

/* A $N of w that names a group re does not have is a mistake, not an
 * empty text. */
static int replace_groups(jp_xctx *c, const jp_regex *re, const jp_xval *w)
{
    int groups = jp_regex_groups(re);
    for (size_t i = 0; i + 1 < w->n; i++) {
        if (w->s[i] != '$')
            continue;
        char next = w->s[i + 1];
        if (next >= '0' && next <= '9' && next - '0' > groups)
            return jp_xfail(c, "replace: $%c names a group the regex does not have (it has %d)",
                            next, groups);
        if (next == '$' || (next >= '0' && next <= '9'))
            i++;
    }
    return JP_XOK;
}

/* replace(s, regex, with): every match, left to right, without overlap.
 * After an empty match the next one may not be empty at the same place, so
 * the search moves on by one code point: replace("abc", "x*", "-") is
 * "-a-b-c-", as PCRE2's global substitution, Perl and jq 1.7's gsub give. */
static int fn_replace(jp_xctx *c, const jp_xcall *call, const jp_xval *args, int nargs,
                      jp_xval *out)
{
    const jp_xval *w = &args[2];
    if (jp_xarg_string(c, "replace", &args[0]) || jp_xarg_string(c, "replace", w) ||
        replace_groups(c, call->re, w))
        return JP_XERR;
    const char *s = args[0].s;
    size_t n = args[0].n, pos = 0, copied = 0;
    jp_buf *b = &c->scratch;
    b->len = 0;
    unsigned opts = 0;
    for (;;) {
        const size_t *ov;
        const char *why;
        int r = jp_regex_exec(call->re, c->regex, s, n, pos, opts, &ov, &why);
        if (r < 0)
            return regex_gave_up(c, "replace", why);
        if (r == 0) {
            if (!(opts & JP_REGEX_NONEMPTY_HERE) || pos >= n)
                break;
            uint32_t cp;
            pos += cp_at(s, n, pos, &cp);
            opts = JP_REGEX_CHECKED;
            continue;
        }
        jp_buf_append(b, s + copied, ov[0] - copied);
        expand(b, w, s, ov);
        copied = pos = ov[1];
        opts = JP_REGEX_CHECKED | (ov[0] == ov[1] ? JP_REGEX_NONEMPTY_HERE : 0);
    }
    if (copied == 0 && b->len == 0) {
        *out = args[0]; /* nothing replaced */
        return JP_XOK;
    }
    jp_buf_append(b, s + copied, n - copied);
    *out = jp_xval_take(c, JP_STRING, b);
    return JP_XOK;
}

/* capture(s, regex): an object of the named groups of the first match, in
 * the order of the groups: the text of each, or null for a group that took
 * no part. A name given to several groups ((?J)) comes once, with the text
 * of the first of them that took part. No match gives {} (jq's capture
 * gives nothing at all, which a value cannot be). */
static int fn_capture(jp_xctx *c, const jp_xcall *call, const jp_xval *args, int nargs,
                      jp_xval *out)
{
    if (jp_xarg_string(c, "capture", &args[0]))
        return JP_XERR;
    const jp_regex *re = call->re;
    const char *s = args[0].s;
    const size_t *ov;
    const char *why;
    int r = jp_regex_exec(re, c->regex, s, args[0].n, 0, 0, &ov, &why);
    if (r < 0)
        return regex_gave_up(c, "capture", why);
    jp_buf *b = &c->scratch;
    b->len = 0;
    jp_buf_putc(b, '{');
    int names = r ? jp_regex_names(re) : 0, groups = jp_regex_groups(re);
    for (int g = 1; g <= groups; g++) {
        const char *name = NULL;
        for (int i = 0, gi; i < names && !name; i++) {
            const char *nm = jp_regex_name(re, i, &gi);
            if (gi == g)
                name = nm;
        }
        if (!name)
            continue;
        /* The first group of the name speaks for all of them. */
        int first = 1, set = 0;
        for (int i = 0, gi; i < names; i++) {
            if (strcmp(jp_regex_name(re, i, &gi), name) != 0)
                continue;
            if (gi < g)
                first = 0;
            if (ov[2 * gi] != JP_REGEX_UNSET && (!set || gi < set))
                set = gi;
        }
        if (!first)
            continue;
        if (b->len > 1)
            jp_buf_putc(b, ',');
        jp_json_quote(b, name, strlen(name));
        jp_buf_putc(b, ':');
        if (set)
            jp_json_quote(b, s + ov[2 * set], ov[2 * set + 1] - ov[2 * set]);
        else
            jp_buf_puts(b, "null");
    }
    jp_buf_putc(b, '}');
    *out = jp_xval_take(c, JP_OBJECT, b);
    return JP_XOK;
}

/* split(s, sep): the pieces of s between the copies of the literal sep,
 * empty ones included; sep "" splits into code points. "" gives [] (as
 * jq's split does). */
static int fn_split(jp_xctx *c, const jp_xcall *call, const jp_xval *args, int nargs, jp_xval *out)
{
    if (jp_xarg_string(c, "split", &args[0]) || jp_xarg_string(c, "split", &args[1]))
        return JP_XERR;
    const char *s = args[0].s, *sep = args[1].s;
    size_t n = args[0].n, sn = args[1].n;
    jp_buf *b = &c->scratch;
    b->len = 0;
    jp_buf_putc(b, '[');
    if (sn == 0) {
        uint32_t cp;
        for (size_t i = 0, k; i < n; i += k) {
            k = cp_at(s, n, i, &cp);
            if (i)
                jp_buf_putc(b, ',');
            jp_json_quote(b, s + i, k);
        }
    } else if (n > 0) {
        for (size_t i = 0;;) {
            const char *hit = memmem(s + i, n - i, sep, sn);
            size_t end = hit ? (size_t)(hit - s) : n;
            if (i)
                jp_buf_putc(b, ',');
            jp_json_quote(b, s + i, end - i);
            if (!hit)
                break;
            i = end + sn;
        }
    }
    jp_buf_putc(b, ']');
    *out = jp_xval_take(c, JP_ARRAY, b);
    return JP_XOK;
}

/* join(array, sep): the elements with sep between them. Strings are
 * themselves, numbers and booleans their JSON text, null nothing: jq 1.6's
 * join. A number is written as its value reads (1.50 and 1.5e0 give 1.5,
 * 1e2 gives 100) when an int64 or a double holds that value exactly, and
 * as written otherwise (12345678901234567890, 0.10000000000000000001,
 * 1e400): never rounded. An array or object in it is an error. */
static int fn_join(jp_xctx *c, const jp_xcall *call, const jp_xval *args, int nargs, jp_xval *out)
{
    if (args[0].type != JP_ARRAY)
        return jp_xarg_fail(c, "join", &args[0], "an array");
    if (jp_xarg_string(c, "join", &args[1]))
        return JP_XERR;
    /* The elements first, as the scratch is free only once they are read. */
    size_t count = jp_xval_count(c, &args[0]), k = 0, cursor = 0;
    jp_xval *elems = jp_arena_alloc(&c->arena, (count ? count : 1) * sizeof *elems);
    jp_xval key, e;
    while (k < count && jp_xval_next(c, &args[0], &cursor, &key, &e)) {
        if (e.type == JP_ARRAY || e.type == JP_OBJECT)
            return jp_xfail(c, "join: %s at index %zu is not a string, number, boolean or null",
                            describe(c, &e), k);
        if (e.type == JP_NUMBER) {
            int64_t i;
            jp_xval d = jp_xdouble(jp_xval_to_double(&e));
            if (jp_xval_to_int(&e, &i) == 0)
                e = jp_xint(i);
            else if (isfinite(d.d) && jp_xval_equal(c, &d, &e))
                e = d;
        }
        elems[k++] = e;
    }
    jp_buf *b = &c->scratch;
    b->len = 0;
    for (size_t i = 0; i < k; i++) {
        if (i)
            jp_buf_append(b, args[1].s, args[1].n);
        if (elems[i].type == JP_STRING)
            jp_buf_append(b, elems[i].s, elems[i].n);
        else if (elems[i].type != JP_NULL)
            jp_xval_write(&elems[i], b);
    }
    *out = jp_xval_take(c, JP_STRING, b);
    return JP_XOK;
}

static int affix(jp_xctx *c, const char *fn, const jp_xval *args, jp_xval *out, int at_end)
{
    if (jp_xarg_string(c, fn, &args[0]) || jp_xarg_string(c, fn, &args[1]))
        return JP_XERR;
    size_t n = args[0].n, k = args[1].n;
    *out = jp_xbool(k <= n && memcmp(args[0].s + (at_end ? n - k : 0), args[1].s, k) == 0);
    return JP_XOK;
}

static int fn_starts_with(jp_xctx *c, const jp_xcall *call, const jp_xval *args, int nargs,
                          jp_xval *out)
{
    return affix(c, "starts_with", args, out, 0);
}

static int fn_ends_with(jp_xctx *c, const jp_xcall *call, const jp_xval *args, int nargs,
                        jp_xval *out)
{
    return affix(c, "ends_with", args, out, 1);
}

const jp_xfunc jp_xfuncs_string[] = {
    {"lower", 1, 1, -1, fn_lower},
    {"upper", 1, 1, -1, fn_upper},
    {"trim", 1, 1, -1, fn_trim},
    {"ltrim", 1, 1, -1, fn_ltrim},
    {"rtrim", 1, 1, -1, fn_rtrim},
    {"substr", 2, 3, -1, fn_substr},
    {"replace", 3, 3, 1, fn_replace},
    {"capture", 2, 2, 1, fn_capture},
    {"split", 2, 2, -1, fn_split},
    {"join", 2, 2, -1, fn_join},
    {"starts_with", 2, 2, -1, fn_starts_with},
    {"ends_with", 2, 2, -1, fn_ends_with},
    {NULL, 0, 0, -1, NULL},
};
