/* ecma_simple.c: simple ECMA-262 patterns matched without PCRE2
 * (ecma_simple.h).
 *
 * A pattern compiles to at most MAX_POSITIONS positions, one for each
 * atom its quantifier leaves (a{2,4} is a a a? a?, a+ is a looping a),
 * each with its set of ASCII characters and two flags: optional (it may be
 * skipped) and looping (it may match again). The automaton's state is the
 * set of positions that took the last character, a bit each: Glushkov's
 * construction run in shift-and form, a few word operations a character.
 *
 * Only what ECMA-262 in Unicode mode (what "pattern" is) reads one way and
 * PCRE2 given ecma.c's rewriting reads the same is taken: a syntax error in
 * Unicode mode (\- outside a class, a lone {) or any escape but those of
 * sets, of the control characters and of the syntax characters is left to
 * PCRE2, which says whether the pattern is valid at all. */
#include "ecma_simple.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

#define MAX_POSITIONS 63
/* A quantifier's bound beyond which the positions could not fit anyway. */
#define MAX_BOUND 1000

struct jp_ecma_simple {
    uint64_t chars[128]; /* of each character, the positions that take it */
    uint64_t optional, looping;
    uint64_t all;        /* every position */
    uint64_t start;      /* the positions a match's first character may take */
    uint64_t accept;     /* the positions after which every one is optional */
    int anchored_start, anchored_end;
    int nullable;        /* every position is optional */
};

/* A set of ASCII characters. */
typedef struct charset {
    uint64_t w[2];
} charset;

static void set_range(charset *c, int lo, int hi)
{
    for (int ch = lo; ch <= hi; ch++)
        c->w[ch >> 6] |= 1ULL << (ch & 63);
}

static int set_has(const charset *c, int ch)
{
    return c->w[ch >> 6] >> (ch & 63) & 1;
}

/* The set of \d, \w, \s or their capitals (what the others leave, within
 * ASCII: a string with more is PCRE2's), or 0 when e is none of them. */
static int escape_set(char e, charset *out)
{
    charset c = {{0, 0}};
    switch (e | 0x20) {
    case 'd': set_range(&c, '0', '9'); break;
    case 'w':
        set_range(&c, 'a', 'z');
        set_range(&c, 'A', 'Z');
        set_range(&c, '0', '9');
        set_range(&c, '_', '_');
        break;
    case 's':
        set_range(&c, '\t', '\r'); /* \t \n \v \f \r */
        set_range(&c, ' ', ' ');
        break;
    default: return 0;
    }
    if (e >= 'A' && e <= 'Z')
        c = (charset){{~c.w[0], ~c.w[1]}};
    *out = c;
    return 1;
}

/* The character \e stands for, or -1 when it is not one taken here. */
static int escape_char(char e, int in_class)
{
    static const char syntax[] = "^$\\.*+?()[]{}|/";
    switch (e) {
    case 't': return '\t';
    case 'n': return '\n';
    case 'r': return '\r';
    case 'f': return '\f';
    case 'v': return '\v';
    case '-': return in_class ? '-' : -1;
    }
    return e && memchr(syntax, e, sizeof syntax - 1) ? e : -1;
}

/* One member of a class at src[*k]: a character (*ch) or, when *ch is -1,
 * the set of an escape. 0 when it is not simple. */
static int class_member(const char *src, size_t n, size_t *k, int *ch, charset *set)
{
    unsigned char c = (unsigned char)src[*k];
    if (c >= 0x80)
        return 0;
    if (c != '\\') {
        *ch = c;
        ++*k;
        return 1;
    }
    if (*k + 1 >= n)
        return 0;
    char e = src[*k + 1];
    *k += 2;
    if (escape_set(e, set)) {
        *ch = -1;
        return 1;
    }
    return (*ch = escape_char(e, 1)) >= 0;
}

/* The class whose '[' is just before src[*i]; *i ends past its ']'. In
 * ECMA-262 a ']' right after '[' or '[^' closes it: [] takes nothing and
 * [^] everything. */
static int class_set(const char *src, size_t n, size_t *i, charset *out)
{
    charset c = {{0, 0}};
    size_t k = *i;
    int negated = k < n && src[k] == '^';
    k += negated;
    while (k < n && src[k] != ']') {
        int a, b;
        charset set, unused;
        if (!class_member(src, n, &k, &a, &set))
            return 0;
        int range = k + 1 < n && src[k] == '-' && src[k + 1] != ']';
        if (range) {
            /* A range with a set at either end is an error in Unicode mode. */
            k++;
            if (a < 0 || !class_member(src, n, &k, &b, &unused) || b < a)
                return 0;
            set_range(&c, a, b);
        } else if (a >= 0) {
            set_range(&c, a, a);
        } else {
            c.w[0] |= set.w[0];
            c.w[1] |= set.w[1];
        }
    }
    if (k == n)
        return 0;
    *i = k + 1;
    *out = negated ? (charset){{~c.w[0], ~c.w[1]}} : c;
    return 1;
}

/* The atom at src[*i], as the set of characters it takes. */
static int atom(const char *src, size_t n, size_t *i, charset *out)
{
    unsigned char c = (unsigned char)src[*i];
    if (c >= 0x80)
        return 0;
    ++*i;
    *out = (charset){{0, 0}};
    switch (c) {
    case '.':
        /* Every character but the line terminators. */
        *out = (charset){{~0ULL, ~0ULL}};
        out->w[0] &= ~(1ULL << '\n' | 1ULL << '\r');
        return 1;
    case '[': return class_set(src, n, i, out);
    case '\\': {
        if (*i >= n)
            return 0;
        char e = src[(*i)++];
        if (escape_set(e, out))
            return 1;
        int ch = escape_char(e, 0);
        if (ch < 0)
            return 0;
        set_range(out, ch, ch);
        return 1;
    }
    }
    /* Assertions, groups, alternatives and what Unicode mode refuses. */
    if (memchr("^$*+?(){}|]", c, 11))
        return 0;
    set_range(out, c, c);
    return 1;
}

/* A decimal bound at src[*i]. */
static int bound(const char *src, size_t n, size_t *i, int *v)
{
    size_t k = *i;
    long x = 0;
    while (k < n && src[k] >= '0' && src[k] <= '9' && x <= MAX_BOUND)
        x = x * 10 + (src[k++] - '0');
    if (k == *i || x > MAX_BOUND)
        return 0;
    *i = k;
    *v = (int)x;
    return 1;
}

/* The quantifier at src[*i], if any: the atom is taken min to max times
 * (max -1: no limit). A lazy one (a trailing ?) finds a match where the
 * greedy one does, and the question here is only whether one exists. */
static int quantifier(const char *src, size_t n, size_t *i, int *min, int *max)
{
    *min = *max = 1;
    if (*i == n)
        return 1;
    switch (src[*i]) {
    case '*': *min = 0, *max = -1; break;
    case '+': *min = 1, *max = -1; break;
    case '?': *min = 0, *max = 1; break;
    case '{': {
        size_t k = *i + 1;
        if (!bound(src, n, &k, min))
            return 0;
        *max = *min;
        if (k < n && src[k] == ',') {
            k++;
            *max = -1;
            if (k < n && src[k] != '}' && (!bound(src, n, &k, max) || *max < *min))
                return 0;
        }
        if (k == n || src[k] != '}')
            return 0;
        *i = k;
        break;
    }
    default: return 1;
    }
    ++*i;
    if (*i < n && src[*i] == '?')
        ++*i;
    /* A quantifier of a quantifier is an error. */
    return *i == n || !memchr("*+?{", src[*i], 4);
}

/* Appends the positions of an atom taken min to max times. */
static int add_positions(jp_ecma_simple *p, int *npos, const charset *set, int min, int max)
{
    int count = max < 0 ? (min ? min : 1) : max;
    if (*npos + count > MAX_POSITIONS)
        return 0;
    for (int k = 0; k < count; k++) {
        uint64_t bit = 1ULL << (*npos)++;
        if (k >= min)
            p->optional |= bit;
        if (max < 0 && k == count - 1)
            p->looping |= bit;
        for (int ch = 0; ch < 128; ch++)
            if (set_has(set, ch))
                p->chars[ch] |= bit;
    }
    return 1;
}

/* x with every position that skipping optional ones from x reaches. */
static inline uint64_t reach(const jp_ecma_simple *p, uint64_t x)
{
    for (;;) {
        uint64_t y = (x | (x & p->optional) << 1) & p->all;
        if (y == x)
            return x;
        x = y;
    }
}

jp_ecma_simple *jp_ecma_simple_compile(const char *src, size_t n)
{
    jp_ecma_simple p;
    memset(&p, 0, sizeof p);
    int npos = 0;
    size_t i = 0;
    if (i < n && src[i] == '^') {
        p.anchored_start = 1;
        i++;
    }
    while (i < n) {
        if (src[i] == '$' && i + 1 == n) {
            p.anchored_end = 1;
            break;
        }
        charset set;
        int min, max;
        if (!atom(src, n, &i, &set) || !quantifier(src, n, &i, &min, &max) ||
            !add_positions(&p, &npos, &set, min, max))
            return NULL;
    }
    p.all = (1ULL << npos) - 1;
    p.nullable = p.optional == p.all;
    p.start = npos ? reach(&p, 1) : 0;
    for (int j = npos - 1; j >= 0; j--) {
        p.accept |= 1ULL << j;
        if (!(p.optional >> j & 1))
            break;
    }
    jp_ecma_simple *out = jp_xmalloc(sizeof *out);
    *out = p;
    return out;
}

void jp_ecma_simple_free(jp_ecma_simple *p)
{
    free(p);
}

static int is_ascii(const unsigned char *s, size_t n)
{
    uint64_t any = 0, w;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        memcpy(&w, s + i, 8);
        any |= w;
    }
    for (; i < n; i++)
        any |= s[i];
    return !(any & 0x8080808080808080ULL);
}

int jp_ecma_simple_match(const jp_ecma_simple *p, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    if (!is_ascii(u, n))
        return -1;
    if (p->nullable && !p->anchored_end)
        return 1; /* the empty match, at the start */
    uint64_t d = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t next = (d & p->looping) | reach(p, d << 1 & p->all);
        if (!p->anchored_start || i == 0)
            next |= p->start;
        d = next & p->chars[u[i]];
        if (!p->anchored_end && (d & p->accept))
            return 1;
        if (!d && p->anchored_start)
            return 0;
    }
    if (!p->anchored_end)
        return 0;
    return (d & p->accept) || (p->nullable && (!p->anchored_start || n == 0));
}
