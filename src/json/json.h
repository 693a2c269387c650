/* json.h: small JSON text helpers shared by the engine and the processors.
 *
 * Quoting bytes as a JSON string (for error records and string values),
 * base64 (to carry bytes that are not UTF-8), and checking/compacting a JSON
 * value given on the command line. None of these build a tree. */
#ifndef JP_JSON_H
#define JP_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "buf.h"

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when it is invalid:
 * truncated, overlong, a surrogate, or beyond U+10FFFF. n > 0. */
size_t jp_utf8_seq_len(const unsigned char *s, size_t n);
/* The code point of the valid sequence of len bytes at s. */
uint32_t jp_utf8_decode(const unsigned char *s, size_t len);
/* Appends the UTF-8 encoding of the code point cp (not a surrogate). */
void jp_utf8_put(jp_buf *out, uint32_t cp);

/* Whether c is a hex digit, as in a \u escape. */
static inline int jp_json_hex_digit(unsigned char c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

/* Which string literals of one JSON text hold a backslash, and so need
 * decoding. A backslash is only ever inside a string, and a parser reports
 * strings in the order they come: one forward search finds the next, and
 * each string asks only whether it is before its end. So a line's strings
 * cost one memchr over it, not a look at each. */
typedef struct jp_json_escapes {
    const char *data;
    size_t n;
    size_t next; /* the first backslash at or after the last string asked about, or n */
} jp_json_escapes;

static inline size_t jp_json_next_backslash(const char *data, size_t n, size_t from)
{
    const char *p = memchr(data + from, '\\', n - from);
    return p ? (size_t)(p - data) : n;
}

static inline void jp_json_escapes_start(jp_json_escapes *e, const char *data, size_t n)
{
    e->data = data;
    e->n = n;
    e->next = jp_json_next_backslash(data, n, 0);
}

/* Whether the string literal at [start, end) of the text holds a
 * backslash; strings are asked about in the order they come. */
static inline int jp_json_escaped(jp_json_escapes *e, size_t start, size_t end)
{
    if (e->next < start)
        e->next = jp_json_next_backslash(e->data, e->n, start);
    return e->next < end;
}

/* 3 when s starts with a UTF-8 byte order mark, else 0. */
size_t jp_json_bom_len(const char *s, size_t n);

/* 1 when s holds nothing but spaces, tabs and carriage returns: a blank
 * line, which holds no record. */
int jp_json_blank(const char *s, size_t n);

/* Appends s as a JSON string literal, quotes included. Bytes that are not
 * valid UTF-8 become U+FFFD. Returns 1 when the literal holds s exactly,
 * 0 when some bytes had to be replaced. */
int jp_json_quote(jp_buf *out, const char *s, size_t n);

/* yajl accepts a few things RFC 8259 does not: form feed and vertical tab
 * as whitespace, and UTF-8 that is overlong, encodes a surrogate or goes
 * beyond U+10FFFF. Given a line yajl accepted, returns the offset of the
 * first such byte, or n when there is none (jp_json_find_error says why). */
size_t jp_json_strict_check(const char *s, size_t n);

/* Finds the first byte of s that cannot be part of one JSON text (RFC 8259
 * with strict UTF-8; whitespace around the value). Returns 1 when s is one
 * JSON text; else 0 with *at the offset of that byte (n when s is the start
 * of a text but ends too early) and the reason, in our words, in why.
 * end_name names the end of s in reasons ("line": "unexpected end of
 * line"). Reasons are the same whatever yajl would have said. */
int jp_json_find_error(const char *s, size_t n, const char *end_name, size_t *at, char *why,
                       size_t whylen);

/* For a file yajl did not take as one JSON value (a schema): where, as
 * "line L, column C: REASON", into out. */
void jp_json_file_error(const char *s, size_t n, char *out, size_t outlen);

/* Walking the bytes of a value already validated (a parsed record): the
 * offset of the first byte at or after at that is not JSON whitespace, and
 * the offset just past the value that starts at at. Neither looks past n. */
size_t jp_json_skip_blank(const char *s, size_t n, size_t at);
size_t jp_json_value_end(const char *s, size_t n, size_t at);

/* Appends the text of the JSON string literal s (quotes included) with its
 * escapes decoded to UTF-8. */
void jp_json_unquote(jp_buf *out, const char *s, size_t n);

/* Appends the standard base64 encoding of s (with padding). */
void jp_base64(jp_buf *out, const char *s, size_t n);

/* Checks that s is exactly one JSON value (RFC 8259) and appends it to out
 * with the whitespace between tokens removed, so it fits on one line.
 * On failure returns -1 and writes a reason, with the column, into err. */
int jp_json_compact(jp_buf *out, const char *s, size_t n, char *err, size_t errlen);

/* A yajl parser that takes one value after another, so one handle serves
 * every line: callers call yajl_complete_parse after each. */
yajl_handle jp_json_parser(const yajl_callbacks *callbacks, void *ctx);

#endif
