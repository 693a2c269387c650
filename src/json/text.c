/* text.c: JSON string quoting, base64 and value compaction. */
#include "json.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <yajl/yajl_parse.h>

size_t jp_utf8_seq_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    if (c < 0xC2)
        return 0;
    if (c < 0xE0)
        return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c < 0xF0) {
        if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
            return 0;
        if (c == 0xE0 && s[1] < 0xA0)
            return 0; /* overlong */
        if (c == 0xED && s[1] >= 0xA0)
            return 0; /* UTF-16 surrogate */
        return 3;
    }
    if (c < 0xF5) {
        if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
            (s[3] & 0xC0) != 0x80)
            return 0;
        if (c == 0xF0 && s[1] < 0x90)
            return 0; /* overlong */
        if (c == 0xF4 && s[1] >= 0x90)
            return 0; /* beyond U+10FFFF */
        return 4;
    }
    return 0;
}

uint32_t jp_utf8_decode(const unsigned char *s, size_t len)
{
    static const unsigned char lead_mask[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
    uint32_t cp = s[0] & lead_mask[len];
    for (size_t i = 1; i < len; i++)
        cp = cp << 6 | (s[i] & 0x3F);
    return cp;
}

size_t jp_json_strict_check(const char *text, size_t n)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    while (i < n) {
        /* Eight bytes at a time past the common case: no byte below 0x20
         * or above 0x7f (the test may flag a clean word; never misses). A
         * flagged word is then checked byte by byte to its end. */
        size_t stop = n;
        if (n - i >= 8) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (!((w | (w - 0x2020202020202020ULL)) & 0x8080808080808080ULL)) {
                i += 8;
                continue;
            }
            stop = i + 8;
        }
        while (i < stop) {
            size_t len = s[i] == '\f' || s[i] == '\v' ? 0 : jp_utf8_seq_len(s + i, n - i);
            if (len == 0)
                return i;
            i += len;
        }
    }
    return n;
}

/* Finding the first bad byte of a JSON text, and saying why in our words.
 *
 * A scanner of its own, not yajl's error: yajl stops a token or two after
 * the fault and words it its own way. The offset found is that of the first
 * byte with which the bytes so far stop being the start of any JSON text;
 * the end of the text when they are one but unfinished. It runs only on
 * rejected text, so it favours clarity over speed. */
typedef enum {
    WANT_VALUE,       /* the first value, or one after ':' or ',' in an array */
    WANT_VALUE_OR_END_ARRAY, /* just after '[' */
    WANT_KEY_OR_END_OBJECT,  /* just after '{' */
    WANT_KEY,         /* after ',' in an object */
    WANT_COLON,
    WANT_NEXT,        /* after a value in an array or object */
    WANT_NOTHING      /* after the top-level value */
} scan_state;

typedef struct scan {
    const unsigned char *s;
    size_t n, at;
    const char *end_name; /* "line", "file": the text's end, for reasons */
    char *why;
    size_t whylen;
    jp_buf stack;         /* '[' or '{' for each open container */
} scan;

static const char *expected(const scan *sc, scan_state st)
{
    switch (st) {
    case WANT_VALUE: return "expected a value";
    case WANT_VALUE_OR_END_ARRAY: return "expected a value or ']'";
    case WANT_KEY_OR_END_OBJECT: return "expected a string key or '}'";
    case WANT_KEY: return "expected a string key";
    case WANT_COLON: return "expected ':'";
    case WANT_NEXT:
        return sc->stack.data[sc->stack.len - 1] == '{' ? "expected ',' or '}'"
                                                          : "expected ',' or ']'";
    case WANT_NOTHING: break;
    }
    return "";
}

static int bad(scan *sc, size_t at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int bad(scan *sc, size_t at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sc->why, sc->whylen, fmt, ap);
    va_end(ap);
    sc->at = at;
    return 0;
}

/* The UTF-8 sequence at i is invalid: point at the byte that breaks it. */
static int bad_utf8(scan *sc, size_t i)
{
    const unsigned char *s = sc->s;
    unsigned char c = s[i];
    if (c == 0xC0 || c == 0xC1)
        return bad(sc, i, "overlong UTF-8 encoding");
    if (c >= 0xF5 && c <= 0xF7)
        return bad(sc, i, "UTF-8 encoding beyond U+10FFFF");
    if (c < 0xC2 || c > 0xF7)
        return bad(sc, i, "invalid UTF-8 byte 0x%02X", c);
    size_t need = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    for (size_t k = 1; k < need; k++) {
        if (i + k == sc->n)
            return bad(sc, i + k, "truncated UTF-8 sequence at end of %s", sc->end_name);
        unsigned char b = s[i + k];
        if ((b & 0xC0) != 0x80)
            return bad(sc, i + k, "truncated UTF-8 sequence");
        if (k == 1 && ((c == 0xE0 && b < 0xA0) || (c == 0xF0 && b < 0x90)))
            return bad(sc, i + k, "overlong UTF-8 encoding");
        if (k == 1 && c == 0xED && b >= 0xA0)
            return bad(sc, i + k, "UTF-16 surrogate encoded as UTF-8");
        if (k == 1 && c == 0xF4 && b >= 0x90)
            return bad(sc, i + k, "UTF-8 encoding beyond U+10FFFF");
    }
    return bad(sc, i, "invalid UTF-8"); /* not reached: the sequence was valid */
}

/* Byte i is not what st allows (nor whitespace); st tells what was. */
static int unexpected(scan *sc, size_t i, const char *want)
{
    const unsigned char *s = sc->s;
    if (i == sc->n)
        return bad(sc, i, "unexpected end of %s, %s", sc->end_name, want);
    unsigned char c = s[i];
    if (c == '\f' || c == '\v')
        return bad(sc, i, "%s is not JSON whitespace", c == '\f' ? "form feed" : "vertical tab");
    if (c < 0x20 || c == 0x7F)
        return bad(sc, i, "unexpected control character U+%04X, %s", c, want);
    if (c < 0x80)
        return bad(sc, i, c == '\'' ? "unexpected character \"%c\", %s" : "unexpected character '%c', %s",
                   c, want);
    /* No byte above 0x7f is allowed here, a whole character or not: the
     * first one is the bad byte, wherever a broken sequence breaks. */
    size_t len = jp_utf8_seq_len(s + i, sc->n - i);
    if (len == 0)
        return bad(sc, i, "unexpected byte 0x%02X (not UTF-8), %s", c, want);
    return bad(sc, i, "unexpected character U+%04" PRIX32 ", %s", jp_utf8_decode(s + i, len), want);
}

/* The string whose quote is at at; on success at is past its end. */
static int scan_string(scan *sc)
{
    const unsigned char *s = sc->s;
    size_t i = sc->at + 1;
    for (;;) {
        if (i == sc->n)
            return bad(sc, i, "unfinished string at end of %s", sc->end_name);
        unsigned char c = s[i];
        if (c == '"')
            break;
        if (c < 0x20)
            return bad(sc, i, "control character U+%04X in a string (write it as an escape)", c);
        if (c >= 0x80) {
            size_t len = jp_utf8_seq_len(s + i, sc->n - i);
            if (len == 0)
                return bad_utf8(sc, i);
            i += len;
            continue;
        }
        i++;
        if (c != '\\')
            continue;
        if (i == sc->n)
            return bad(sc, i, "unfinished string at end of %s", sc->end_name);
        c = s[i];
        if (c == 'u') {
            for (int k = 1; k <= 4; k++) {
                if (i + k == sc->n)
                    return bad(sc, i + k, "unfinished string at end of %s", sc->end_name);
                if (!jp_json_hex_digit(s[i + k]))
                    return unexpected(sc, i + k, "expected a hex digit of a \\u escape");
            }
            i += 5;
        } else if (strchr("\"\\/bfnrt", c) && c) {
            i++;
        } else if (c > 0x20 && c < 0x7F) {
            return bad(sc, i, "invalid escape '\\%c' in a string", c);
        } else {
            return unexpected(sc, i, "expected an escape after the backslash");
        }
    }
    sc->at = i + 1;
    return 1;
}

static int scan_digits(scan *sc, size_t *i)
{
    if (*i == sc->n || sc->s[*i] < '0' || sc->s[*i] > '9')
        return unexpected(sc, *i, "expected a digit");
    while (*i < sc->n && sc->s[*i] >= '0' && sc->s[*i] <= '9')
        (*i)++;
    return 1;
}

static int scan_number(scan *sc)
{
    const unsigned char *s = sc->s;
    size_t i = sc->at;
    if (s[i] == '-')
        i++;
    if (i < sc->n && s[i] == '0') {
        i++;
        if (i < sc->n && s[i] >= '0' && s[i] <= '9')
            return bad(sc, i, "a number cannot have a leading zero");
    } else if (!scan_digits(sc, &i)) {
        return 0;
    }
    if (i < sc->n && s[i] == '.') {
        i++;
        if (!scan_digits(sc, &i))
            return 0;
    }
    if (i < sc->n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < sc->n && (s[i] == '+' || s[i] == '-'))
            i++;
        if (!scan_digits(sc, &i))
            return 0;
    }
    sc->at = i;
    return 1;
}

static int scan_literal(scan *sc, const char *word)
{
    size_t len = strlen(word);
    for (size_t k = 1; k < len; k++) {
        size_t i = sc->at + k;
        if (i == sc->n || sc->s[i] != (unsigned char)word[k]) {
            char want[16];
            snprintf(want, sizeof want, "expected %s", word);
            return unexpected(sc, i, want);
        }
    }
    sc->at += len;
    return 1;
}

/* A scalar or an opening bracket at at, in state st. */
static int scan_value(scan *sc, scan_state *st)
{
    unsigned char c = sc->s[sc->at];
    int ok;
    if (c == '{' || c == '[') {
        jp_buf_putc(&sc->stack, (char)c);
        sc->at++;
        *st = c == '{' ? WANT_KEY_OR_END_OBJECT : WANT_VALUE_OR_END_ARRAY;
        return 1;
    }
    if (c == '"')
        ok = scan_string(sc);
    else if (c == '-' || (c >= '0' && c <= '9'))
        ok = scan_number(sc);
    else if (c == 't')
        ok = scan_literal(sc, "true");
    else if (c == 'f')
        ok = scan_literal(sc, "false");
    else if (c == 'n')
        ok = scan_literal(sc, "null");
    else
        return unexpected(sc, sc->at, expected(sc, *st));
    *st = sc->stack.len ? WANT_NEXT : WANT_NOTHING;
    return ok;
}

static int scan_step(scan *sc, scan_state *st)
{
    unsigned char c = sc->s[sc->at];
    switch (*st) {
    case WANT_NOTHING:
        if (c == '\f' || c == '\v')
            return unexpected(sc, sc->at, "");
        return bad(sc, sc->at, "unexpected data after the JSON value");
    case WANT_VALUE_OR_END_ARRAY:
    case WANT_KEY_OR_END_OBJECT:
        if (c == (*st == WANT_VALUE_OR_END_ARRAY ? ']' : '}'))
            break;
        if (*st == WANT_VALUE_OR_END_ARRAY)
            return scan_value(sc, st);
        /* fall through */
    case WANT_KEY:
        if (c != '"')
            return unexpected(sc, sc->at, expected(sc, *st));
        *st = WANT_COLON;
        return scan_string(sc);
    case WANT_COLON:
        if (c != ':')
            return unexpected(sc, sc->at, expected(sc, *st));
        sc->at++;
        *st = WANT_VALUE;
        return 1;
    case WANT_VALUE:
        return scan_value(sc, st);
    case WANT_NEXT: {
        char open = sc->stack.data[sc->stack.len - 1];
        if (c == ',') {
            sc->at++;
            *st = open == '{' ? WANT_KEY : WANT_VALUE;
            return 1;
        }
        if (c != (open == '{' ? '}' : ']'))
            return unexpected(sc, sc->at, expected(sc, *st));
        break;
    }
    }
    /* A container closes. */
    sc->stack.len--;
    sc->at++;
    *st = sc->stack.len ? WANT_NEXT : WANT_NOTHING;
    return 1;
}

int jp_json_find_error(const char *s, size_t n, const char *end_name, size_t *at, char *why,
                       size_t whylen)
{
    scan sc = {(const unsigned char *)s, n, 0, end_name, why, whylen, {0}};
    scan_state st = WANT_VALUE;
    int ok = 1;
    while (ok) {
        while (sc.at < n && strchr(" \t\r\n", s[sc.at]) && s[sc.at])
            sc.at++;
        if (sc.at == n) {
            if (st != WANT_NOTHING)
                ok = unexpected(&sc, n, expected(&sc, st));
            break;
        }
        ok = scan_step(&sc, &st);
    }
    jp_buf_free(&sc.stack);
    *at = sc.at;
    return ok;
}

size_t jp_json_bom_len(const char *s, size_t n)
{
    return n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
}

int jp_json_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return 0;
    return 1;
}

size_t jp_json_skip_blank(const char *s, size_t n, size_t at)
{
    while (at < n && (s[at] == ' ' || s[at] == '\t' || s[at] == '\r' || s[at] == '\n'))
        at++;
    return at;
}

/* Past the string literal whose opening quote is at at. */
static size_t string_end(const char *s, size_t n, size_t at)
{
    for (at++; at < n && s[at] != '"'; at++)
        if (s[at] == '\\')
            at++;
    return at < n ? at + 1 : n;
}

size_t jp_json_value_end(const char *s, size_t n, size_t at)
{
    if (at >= n)
        return n;
    if (s[at] == '"')
        return string_end(s, n, at);
    if (s[at] != '{' && s[at] != '[') {
        /* A number or a literal runs to the next delimiter. */
        while (at < n && !strchr(",]} \t\r\n", s[at]))
            at++;
        return at;
    }
    /* A container: brackets are balanced in valid JSON once strings,
     * which may hold any of them, are skipped whole. */
    size_t depth = 0;
    while (at < n) {
        char c = s[at];
        if (c == '"') {
            at = string_end(s, n, at);
            continue;
        }
        at++;
        if (c == '{' || c == '[')
            depth++;
        else if ((c == '}' || c == ']') && --depth == 0)
            return at;
    }
    return n;
}

int jp_json_quote(jp_buf *out, const char *str, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = (const unsigned char *)str;
    int exact = 1;
    size_t i = 0;

    jp_buf_reserve(out, n + 2);
    jp_buf_putc(out, '"');
    while (i < n) {
        /* Copy the longest run that needs no escaping in one go. */
        size_t run = i;
        while (run < n && s[run] >= 0x20 && s[run] < 0x80 && s[run] != '"' && s[run] != '\\')
            run++;
        if (run > i) {
            jp_buf_append(out, s + i, run - i);
            i = run;
            continue;
        }
        unsigned char c = s[i];
        if (c >= 0x80) {
            size_t len = jp_utf8_seq_len(s + i, n - i);
            if (len) {
                jp_buf_append(out, s + i, len);
                i += len;
            } else {
                jp_buf_append(out, "\xEF\xBF\xBD", 3);
                exact = 0;
                i++;
            }
            continue;
        }
        switch (c) {
        case '"': jp_buf_append(out, "\\\"", 2); break;
        case '\\': jp_buf_append(out, "\\\\", 2); break;
        case '\n': jp_buf_append(out, "\\n", 2); break;
        case '\r': jp_buf_append(out, "\\r", 2); break;
        case '\t': jp_buf_append(out, "\\t", 2); break;
        case '\b': jp_buf_append(out, "\\b", 2); break;
        case '\f': jp_buf_append(out, "\\f", 2); break;
        default: {
            char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            jp_buf_append(out, esc, sizeof esc);
        }
        }
        i++;
    }
    jp_buf_putc(out, '"');
    return exact;
}

void jp_utf8_put(jp_buf *out, uint32_t cp)
{
    char b[4];
    size_t n;
    if (cp < 0x80) {
        b[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | cp >> 6);
        b[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | cp >> 12);
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        b[0] = (char)(0xF0 | cp >> 18);
        b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    jp_buf_append(out, b, n);
}

static uint32_t hex4(const char *s)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        v = v << 4 | (uint32_t)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    return v;
}

void jp_json_unquote(jp_buf *out, const char *s, size_t n)
{
    /* s is a literal the parser accepted: escapes are well formed. */
    size_t i = 1, end = n - 1;
    while (i < end) {
        const char *bs = memchr(s + i, '\\', end - i);
        size_t run = bs ? (size_t)(bs - (s + i)) : end - i;
        jp_buf_append(out, s + i, run);
        i += run;
        if (i >= end)
            break;
        char c = s[i + 1];
        i += 2;
        switch (c) {
        case 'b': jp_buf_putc(out, '\b'); break;
        case 'f': jp_buf_putc(out, '\f'); break;
        case 'n': jp_buf_putc(out, '\n'); break;
        case 'r': jp_buf_putc(out, '\r'); break;
        case 't': jp_buf_putc(out, '\t'); break;
        case 'u': {
            uint32_t cp = hex4(s + i);
            i += 4;
            if (cp >= 0xD800 && cp < 0xDC00 && i + 6 <= end && s[i] == '\\' && s[i + 1] == 'u') {
                uint32_t lo = hex4(s + i + 2);
                if (lo >= 0xDC00 && lo < 0xE000) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    i += 6;
                }
            }
            if (cp >= 0xD800 && cp < 0xE000)
                cp = 0xFFFD; /* a lone surrogate: no character to give */
            jp_utf8_put(out, cp);
            break;
        }
        default: jp_buf_putc(out, c); /* " \ / */
        }
    }
}

void jp_base64(jp_buf *out, const char *str, size_t n)
{
    static const char tab[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;

    jp_buf_reserve(out, (n + 2) / 3 * 4);
    for (; i + 2 < n; i += 3) {
        uint32_t v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8 | s[i + 2];
        char q[4] = {tab[v >> 18], tab[(v >> 12) & 63], tab[(v >> 6) & 63], tab[v & 63]};
        jp_buf_append(out, q, 4);
    }
    if (i < n) {
        uint32_t v = (uint32_t)s[i] << 16 | (i + 1 < n ? (uint32_t)s[i + 1] << 8 : 0);
        char q[4] = {tab[v >> 18], tab[(v >> 12) & 63], i + 1 < n ? tab[(v >> 6) & 63] : '=', '='};
        jp_buf_append(out, q, 4);
    }
}

yajl_handle jp_json_parser(const yajl_callbacks *callbacks, void *ctx)
{
    yajl_handle h = yajl_alloc(callbacks, NULL, ctx);
    yajl_config(h, yajl_allow_multiple_values, 1);
    return h;
}

void jp_json_file_error(const char *s, size_t n, char *out, size_t outlen)
{
    size_t at;
    char why[160];
    if (jp_json_find_error(s, n, "file", &at, why, sizeof why)) {
        snprintf(out, outlen, "not accepted by the JSON parser");
        return;
    }
    size_t line = 1, line_start = 0;
    for (size_t i = 0; i < at; i++)
        if (s[i] == '\n') {
            line++;
            line_start = i + 1;
        }
    snprintf(out, outlen, "line %zu, column %zu: %s", line, at - line_start + 1, why);
}

int jp_json_compact(jp_buf *out, const char *s, size_t n, char *err, size_t errlen)
{
    size_t at;
    char why[160];
    if (!jp_json_find_error(s, n, "the value", &at, why, sizeof why)) {
        snprintf(err, errlen, "invalid JSON at column %zu: %s", at + 1, why);
        return -1;
    }

    int in_string = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (in_string) {
            jp_buf_putc(out, c);
            if (c == '\\')
                jp_buf_putc(out, s[++i]);
            else if (c == '"')
                in_string = 0;
        } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
            jp_buf_putc(out, c);
            in_string = c == '"';
        }
    }
    return 0;
}
