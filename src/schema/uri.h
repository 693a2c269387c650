/* uri.h: RFC 3986 references, as far as JSON Schema needs them: a
 * reference resolved against a base URI, and a fragment split off. Only
 * text: nothing here reads a file or a network. */
#ifndef JP_SCHEMA_URI_H
#define JP_SCHEMA_URI_H

#include <stddef.h>

/* ref resolved against the absolute URI base (RFC 3986 section 5.2, with
 * its dot segments removed), in a new string the caller frees. */
char *jp_uri_resolve(const char *base, const char *ref);

/* The length of u without its fragment ("#..."). */
size_t jp_uri_without_fragment(const char *u);

/* Decodes the percent-escapes of s[0..n) into a new string of *out_len
 * bytes (which may hold NULs) the caller frees; NULL when a % is not
 * followed by two hex digits. */
char *jp_uri_percent_decode(const char *s, size_t n, size_t *out_len);

#endif
