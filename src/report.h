/* report.h: how a rejected record is told to the user.
 *
 * With --errors FILE each rejection is one NDJSON object:
 *   {"file":..,"line":..,"offset":..,"stage":..,"error":..,"record":..}
 * "record" is the line as a JSON string; when the line is not valid UTF-8
 * it carries U+FFFD for the bad bytes and "record_base64" holds the exact
 * bytes. When only the start of an over-long line was kept, "record" is that
 * start and "truncated" is true. Without --errors each rejection is a line
 * "jsonpipe: FILE:LINE: REASON" for stderr. */
#ifndef JP_REPORT_H
#define JP_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

typedef struct jp_rejection {
    const char *file;
    uint64_t line, offset;
    const char *stage, *reason;
    const char *record; /* the original bytes */
    size_t record_len;
    int truncated;      /* record holds only the start of the line */
} jp_rejection;

void jp_report_json(jp_buf *out, const jp_rejection *r);
void jp_report_text(jp_buf *out, const jp_rejection *r);

#endif
