/* report.c: error records, and the escaping and style of every message
 * printed on stderr. */
#include "report.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <uv.h>

#include "json.h"

size_t jp_report_json(jp_buf *out, const jp_rejection *r)
{
    jp_buf_puts(out, "{\"file\":");
    jp_json_quote(out, r->file, strlen(r->file));
    jp_buf_puts(out, ",\"line\":");
    size_t number = out->len;
    jp_buf_printf(out, "%" PRIu64 ",\"offset\":%" PRIu64 ",\"stage\":", r->line, r->offset);
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
    return number;
}

size_t jp_report_text(jp_buf *out, const jp_rejection *r)
{
    jp_buf_puts(out, "jsonpipe: ");
    jp_report_escape(out, r->file, strlen(r->file));
    jp_buf_putc(out, ':');
    size_t number = out->len;
    jp_buf_printf(out, "%" PRIu64 ": ", r->line);
    jp_report_escape(out, r->reason, strlen(r->reason));
    jp_buf_putc(out, '\n');
    return number;
}

static int terminal_control(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0x2028 || cp == 0x2029 ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

void jp_report_escape(jp_buf *out, const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        size_t run = i;
        while (run < n && s[run] >= 0x20 && s[run] < 0x7F)
            run++;
        jp_buf_append(out, s + i, run - i);
        if ((i = run) == n)
            break;
        size_t len = jp_utf8_seq_len(s + i, n - i);
        if (len == 0) {
            jp_buf_printf(out, "\\x%02x", s[i]);
            i++;
            continue;
        }
        uint32_t cp = jp_utf8_decode(s + i, len);
        if (!terminal_control(cp)) {
            jp_buf_append(out, s + i, len);
        } else {
            static const char short_form[] = "btnvfr"; /* \b .. \r, but \v is not JSON's */
            if (cp >= '\b' && cp <= '\r' && cp != '\v')
                jp_buf_printf(out, "\\%c", short_form[cp - '\b']);
            else
                jp_buf_printf(out, "\\u%04" PRIx32, cp);
        }
        i += len;
    }
}

void jp_report_verror(const char *fmt, va_list ap)
{
    jp_buf text = {0}, line = {0};
    jp_buf_vprintf(&text, fmt, ap);
    jp_buf_puts(&line, "jsonpipe: ");
    jp_report_escape(&line, text.data, text.len);
    jp_buf_putc(&line, '\n');
    fwrite(line.data, 1, line.len, stderr);
    jp_buf_free(&text);
    jp_buf_free(&line);
}

void jp_report_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    jp_report_verror(fmt, ap);
    va_end(ap);
}

void jp_report_detail(char *out, size_t outlen, const char *detail)
{
    snprintf(out, outlen, "%s", detail);
    if (out[0] >= 'A' && out[0] <= 'Z' && out[1] >= 'a' && out[1] <= 'z')
        out[0] = (char)(out[0] - 'A' + 'a');
}

size_t jp_report_cut_len(const char *s, size_t max)
{
    size_t n = strnlen(s, max + 1);
    if (n <= max)
        return n;
    /* Back off the continuation bytes of a character the cut would split. */
    for (int k = 0; k < 3 && max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80; k++)
        max--;
    return max;
}

void jp_report_fit(char *out, size_t outlen)
{
    if (outlen < 8 || strlen(out) + 1 < outlen)
        return;
    memcpy(out + jp_report_cut_len(out, outlen - 4), "...", 4);
}

const char *jp_report_syserr(int err)
{
    /* On Unix libuv's codes are negative errno values, below -3000 its own
     * (UV_EOF, UV_EAI_*), which strerror does not know. */
    if (err < 0 && err > -3000)
        err = -err;
    return err > 0 ? strerror(err) : uv_strerror(err);
}
