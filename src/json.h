/* json.h: small JSON text helpers shared by the engine and the processors.
 *
 * Quoting bytes as a JSON string (for error records and string values),
 * base64 (to carry bytes that are not UTF-8), and checking/compacting a JSON
 * value given on the command line. None of these build a tree. */
#ifndef JP_JSON_H
#define JP_JSON_H

#include <stddef.h>
#include <yajl/yajl_parse.h>

#include "buf.h"

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when it is invalid:
 * truncated, overlong, a surrogate, or beyond U+10FFFF. n > 0. */
size_t jp_utf8_seq_len(const unsigned char *s, size_t n);

/* Appends s as a JSON string literal, quotes included. Bytes that are not
 * valid UTF-8 become U+FFFD. Returns 1 when the literal holds s exactly,
 * 0 when some bytes had to be replaced. */
int jp_json_quote(jp_buf *out, const char *s, size_t n);

/* yajl accepts a few things RFC 8259 does not: form feed and vertical tab
 * as whitespace, and UTF-8 that is overlong, encodes a surrogate or goes
 * beyond U+10FFFF. Given a line yajl accepted, returns the offset of the
 * first such byte, with why, or n when there is none. */
size_t jp_json_strict_check(const char *s, size_t n, const char **why);

/* Appends the text of the JSON string literal s (quotes included) with its
 * escapes decoded to UTF-8. */
void jp_json_unquote(jp_buf *out, const char *s, size_t n);

/* Appends the standard base64 encoding of s (with padding). */
void jp_base64(jp_buf *out, const char *s, size_t n);

/* Checks that s is exactly one JSON value (RFC 8259) and appends it to out
 * with the whitespace between tokens removed, so it fits on one line.
 * On failure returns -1 and writes a reason into err. */
int jp_json_compact(jp_buf *out, const char *s, size_t n, char *err, size_t errlen);

/* A yajl parser that takes one value after another, so one handle serves
 * every line: callers call yajl_complete_parse after each. */
yajl_handle jp_json_parser(const yajl_callbacks *callbacks, void *ctx);

/* The text of yajl's last error on h, without its "parse error: " prefix
 * and trailing period, into out. */
void jp_json_yajl_error(yajl_handle h, const char *s, size_t n, char *out, size_t outlen);

#endif
