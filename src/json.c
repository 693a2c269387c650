/* json.c: JSON string quoting, base64 and value compaction. */
#include "json.h"

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

/* What makes the sequence at s, which yajl took, not strict UTF-8. */
static const char *utf8_problem(const unsigned char *s, size_t n)
{
    if (s[0] == 0xC0 || s[0] == 0xC1 || (s[0] == 0xE0 && n > 1 && s[1] < 0xA0) ||
        (s[0] == 0xF0 && n > 1 && s[1] < 0x90))
        return "overlong UTF-8 encoding";
    if (s[0] == 0xED && n > 1 && s[1] >= 0xA0)
        return "UTF-16 surrogate encoded as UTF-8";
    if (s[0] >= 0xF4)
        return "UTF-8 encoding beyond U+10FFFF";
    return "invalid UTF-8";
}

size_t jp_json_strict_check(const char *text, size_t n, const char **why)
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
            unsigned char c = s[i];
            if (c == '\f' || c == '\v') {
                *why = c == '\f' ? "form feed is not JSON whitespace"
                                 : "vertical tab is not JSON whitespace";
                return i;
            }
            size_t len = jp_utf8_seq_len(s + i, n - i);
            if (len == 0) {
                *why = utf8_problem(s + i, n - i);
                return i;
            }
            i += len;
        }
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

static void put_utf8(jp_buf *out, uint32_t cp)
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
            put_utf8(out, cp);
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

void jp_json_yajl_error(yajl_handle h, const char *s, size_t n, char *out, size_t outlen)
{
    unsigned char *msg = yajl_get_error(h, 0, (const unsigned char *)s, n);
    const char *m = (const char *)msg;
    const char *colon = strstr(m, "error: ");
    if (colon)
        m = colon + 7;
    size_t len = strlen(m);
    while (len && (m[len - 1] == '\n' || m[len - 1] == '.' || m[len - 1] == ' '))
        len--;
    snprintf(out, outlen, "%.*s", (int)len, m);
    yajl_free_error(h, msg);
}

int jp_json_compact(jp_buf *out, const char *s, size_t n, char *err, size_t errlen)
{
    /* yajl accepts form feed and vertical tab as whitespace; JSON does not,
     * and outside strings they are the only bytes yajl wrongly lets by. */
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\f' || s[i] == '\v') {
            snprintf(err, errlen, "invalid JSON at column %zu: form feed or vertical tab", i + 1);
            return -1;
        }
    }
    yajl_handle h = yajl_alloc(NULL, NULL, NULL);
    yajl_status st = yajl_parse(h, (const unsigned char *)s, n);
    if (st == yajl_status_ok)
        st = yajl_complete_parse(h);
    if (st != yajl_status_ok) {
        char msg[128];
        jp_json_yajl_error(h, s, n, msg, sizeof msg);
        snprintf(err, errlen, "invalid JSON: %s", msg);
        yajl_free(h);
        return -1;
    }
    yajl_free(h);

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
