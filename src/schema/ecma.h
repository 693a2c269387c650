/* ecma.h: a JSON Schema regex (ECMA-262, in Unicode mode) rewritten for
 * PCRE2 where the two read the same text differently: \s and \S are
 * Unicode whitespace in ECMA-262 (PCRE2 without UCP: ASCII only), and
 * property escapes may use long names (\p{Letter}) PCRE2 does not know. */
#ifndef JP_SCHEMA_ECMA_H
#define JP_SCHEMA_ECMA_H

#include <stddef.h>

#include "buf.h"

/* Appends the PCRE2 spelling of the ECMA-262 pattern src[0..n) to out. */
void jp_ecma_to_pcre2(jp_buf *out, const char *src, size_t n);

#endif
