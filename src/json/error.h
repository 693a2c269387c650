/* error.h: why a line is not one JSON value, in the words of every parser.
 *
 * A parser (yajl_events.c or the scanner) says only what kind of fault it
 * met and where; this module turns that into the reason the user reads.
 * The words of syntax faults come from jp_json_find_error (json.h), which
 * names the first byte that breaks the text, so the reason and its column
 * are the same whichever parser ran and wherever it happened to stop. */
#ifndef JP_JSON_ERROR_H
#define JP_JSON_ERROR_H

#include <stddef.h>

#include "buf.h"

typedef enum jp_parse_fault {
    JP_FAULT_NONE = 0,
    JP_FAULT_SYNTAX,   /* not RFC 8259 with strict UTF-8; at: where the parser stopped */
    JP_FAULT_TOO_DEEP, /* at: the bracket that would nest deeper than allowed */
    JP_FAULT_BLANK     /* nothing but blanks */
} jp_parse_fault;

typedef struct jp_parse_error {
    jp_parse_fault fault;
    size_t at;
} jp_parse_error;

/* Writes "invalid JSON at column C: REASON" (or the blank line's reason)
 * for the line s[0..n) that failed with e into out, replacing what it held.
 * skipped is the number of bytes before s on the line (a byte order mark):
 * columns count from the line's first byte. */
void jp_parse_error_explain(const jp_parse_error *e, const char *s, size_t n, size_t skipped,
                            jp_buf *out);

#endif
