/* error.c: the one place where a parse fault becomes the words a user reads.
 *
 * Both parsers stop at different bytes for the same fault (yajl a token
 * late, the scanner at a structural), so neither parser's stopping place is
 * shown: the first byte that breaks the text is found anew, here, by
 * jp_json_find_error. This runs only for rejected lines. */
#include "error.h"

#include "json.h"

void jp_parse_error_explain(const jp_parse_error *e, const char *s, size_t n, size_t skipped,
                            jp_buf *out)
{
    out->len = 0;
    if (e->fault == JP_FAULT_BLANK) {
        jp_buf_printf(out, "no JSON value on the line");
        return;
    }
    /* Nesting too deep stands unless the text breaks before that bracket or
     * at it: a bracket where no value may start ("[1[") is a syntax error,
     * as yajl, which checks the grammar before the depth, says. */
    int too_deep = e->fault == JP_FAULT_TOO_DEEP;
    size_t end = too_deep ? e->at + 1 : n, at;
    char why[160];
    if (!jp_json_find_error(s, end, "line", &at, why, sizeof why) && (!too_deep || at < end))
        jp_buf_printf(out, "invalid JSON at column %zu: %s", skipped + at + 1, why);
    else if (too_deep)
        jp_buf_printf(out, "invalid JSON at column %zu: nesting too deep (see --max-depth)",
                      skipped + e->at + 1);
    else /* the parser refused what jp_json_find_error takes: say where it stopped */
        jp_buf_printf(out, "invalid JSON at column %zu: not accepted by the JSON parser",
                      skipped + e->at + 1);
}
