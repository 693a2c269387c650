/* report.c: error records and error messages. */
#include "report.h"

#include <inttypes.h>

#include "json.h"

void jp_report_json(jp_buf *out, const jp_rejection *r)
{
    jp_buf_puts(out, "{\"file\":");
    jp_json_quote(out, r->file, strlen(r->file));
    jp_buf_printf(out, ",\"line\":%" PRIu64 ",\"offset\":%" PRIu64 ",\"stage\":", r->line,
                  r->offset);
    jp_json_quote(out, r->stage, strlen(r->stage));
    jp_buf_puts(out, ",\"error\":");
    jp_json_quote(out, r->reason, strlen(r->reason));
    jp_buf_puts(out, ",\"record\":");
    if (!jp_json_quote(out, r->record, r->record_len)) {
        jp_buf_puts(out, ",\"record_base64\":\"");
        jp_base64(out, r->record, r->record_len);
        jp_buf_putc(out, '"');
    }
    if (r->truncated)
        jp_buf_puts(out, ",\"truncated\":true");
    jp_buf_puts(out, "}\n");
}

void jp_report_text(jp_buf *out, const jp_rejection *r)
{
    jp_buf_printf(out, "jsonpipe: %s:%" PRIu64 ": %s\n", r->file, r->line, r->reason);
}
