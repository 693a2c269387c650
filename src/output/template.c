/* template.c: compiling file-name templates and rendering them safely. */
#include "template.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hset.h"
#include "json.h"
#include "path.h"
#include "report.h"
#include "rfc3339.h"

typedef struct item {
    char *text;       /* literal text (braces undoubled), or the time format */
    size_t len;
    int value;        /* a {PATH}: text is the format when there is one */
    int has_format;
    int field;        /* the PATH, in the template's fields */
    int bound;        /* ... and in the records' index, or -1 */
    char *path;       /* as written */
} item;

struct jp_template {
    item *items;
    int n;
    jp_fields fields;
};

int jp_template_is(const char *spec)
{
    for (const char *p = spec; *p; p++) {
        if (*p != '{')
            continue;
        if (p[1] != '{')
            return 1;
        p++;
    }
    return 0;
}

void jp_template_free(jp_template *t)
{
    if (!t)
        return;
    for (int i = 0; i < t->n; i++) {
        free(t->items[i].text);
        free(t->items[i].path);
    }
    free(t->items);
    jp_fields_free(&t->fields);
    free(t);
}

static item *add_item(jp_template *t)
{
    t->items = jp_xrealloc(t->items, (size_t)(t->n + 1) * sizeof *t->items);
    item *it = &t->items[t->n++];
    memset(it, 0, sizeof *it);
    it->bound = -1;
    return it;
}

/* One {...}: body[0..len) is PATH or PATH:FMT. A ':' in a key is written
 * "\:" as the path grammar escapes any character. */
static int compile_value(jp_template *t, const char *body, size_t len, char *err, size_t errlen)
{
    size_t colon = 0;
    while (colon < len && body[colon] != ':')
        colon += body[colon] == '\\' && colon + 1 < len ? 2 : 1;
    item *it = add_item(t);
    it->value = 1;
    char why[160];
    int shown = (int)(len < 100 ? len : jp_report_cut_len(body, 100));
    if (colon == 0 ||
        (it->field = jp_fields_add(&t->fields, body, colon, why, sizeof why)) < 0) {
        snprintf(err, errlen, "{%.*s}: %s", shown, body,
                 colon == 0 ? "a path is needed inside {}" : why);
        return -1;
    }
    it->path = jp_xmalloc(colon + 1);
    memcpy(it->path, body, colon);
    it->path[colon] = '\0';
    if (colon < len) {
        it->has_format = 1;
        it->len = len - colon - 1;
        it->text = jp_xmalloc(it->len + 1);
        memcpy(it->text, body + colon + 1, it->len);
        it->text[it->len] = '\0';
        if (!it->len || strstr(it->text, "%s")) {
            snprintf(err, errlen, "{%.*s}: %s", shown, body,
                     it->len ? "%s is not a time format here: write {PATH} for the number"
                             : "the time format after ':' is empty");
            return -1;
        }
    }
    return 0;
}

jp_template *jp_template_compile(const char *spec, char *err, size_t errlen)
{
    jp_template *t = jp_xcalloc(1, sizeof *t);
    jp_fields_init(&t->fields);
    jp_buf lit = {0};
    const char *p = spec;
    while (*p) {
        if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
            jp_buf_putc(&lit, *p);
            p += 2;
            continue;
        }
        if (*p == '}') {
            snprintf(err, errlen, "a '}' that closes no '{' (write }} for a brace)");
            goto fail;
        }
        if (*p != '{') {
            jp_buf_putc(&lit, *p++);
            continue;
        }
        const char *close = strchr(p, '}');
        if (!close) {
            snprintf(err, errlen, "a '{' that is not closed (write {{ for a brace)");
            goto fail;
        }
        if (lit.len) {
            item *it = add_item(t);
            it->text = lit.data;
            it->len = lit.len;
            memset(&lit, 0, sizeof lit);
        }
        if (compile_value(t, p + 1, (size_t)(close - p - 1), err, errlen) < 0)
            goto fail;
        p = close + 1;
    }
    if (lit.len) {
        item *it = add_item(t);
        it->text = lit.data;
        it->len = lit.len;
    }
    return t;
fail:
    jp_buf_free(&lit);
    jp_template_free(t);
    return NULL;
}

/* Where the component being rendered starts in out, and whether a value
 * gave any of it. */
typedef struct render {
    jp_buf *out;
    size_t comp;
    int valued;
    size_t value_end; /* where the last value ended in out */
} render;

/* A component that values made "." or ".." would name this directory or
 * its parent: its dots are written %2E instead. One that values made longer
 * than a file system takes is cut as a long value is (put_value), with the
 * hash of the whole component. */
static void end_component(render *r)
{
    jp_buf *out = r->out;
    size_t n = out->len - r->comp;
    const char *c = out->data + r->comp;
    if (r->valued && ((n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))) {
        out->len = r->comp;
        for (size_t i = 0; i < n; i++)
            jp_buf_puts(out, "%2E");
    } else if (r->valued && n > JP_TEMPLATE_NAME_MAX &&
               out->len - r->value_end < JP_TEMPLATE_NAME_MAX - 17) {
        /* What values gave is cut; the literal after them (.ndjson.gz,
         * which also picks the compression) stays. */
        uint64_t h = jp_hash_bytes(c, n, 0);
        size_t tail = out->len - r->value_end;
        char suffix[JP_TEMPLATE_NAME_MAX];
        memcpy(suffix, out->data + r->value_end, tail);
        /* On a character's start, and not inside a %XX. */
        size_t keep = JP_TEMPLATE_NAME_MAX - 17 - tail;
        while (keep && (((unsigned char)c[keep] & 0xC0) == 0x80 || c[keep - 1] == '%' ||
                        (keep > 1 && c[keep - 2] == '%')))
            keep--;
        out->len = r->comp + keep;
        jp_buf_printf(out, "~%016" PRIx64, h);
        jp_buf_append(out, suffix, tail);
    }
    r->valued = 0;
}

static void put_literal(render *r, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '/') {
            end_component(r);
            jp_buf_putc(r->out, '/');
            r->comp = r->out->len;
        } else {
            jp_buf_putc(r->out, s[i]);
        }
    }
}

static int must_encode(unsigned char c)
{
    return c < 0x20 || c == 0x7f || c == '/' || c == '\\' || c == '%' || c == '~';
}

/* A value's bytes, encoded so they stay inside one component. */
static void put_value(render *r, const char *v, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    jp_buf *out = r->out;
    r->valued = 1;
    if (n == 0 || (n == 1 && v[0] == '_')) {
        jp_buf_puts(out, n ? "%5F" : "_");
        r->value_end = out->len;
        return;
    }
    size_t start = out->len, keep = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        /* Cut only where a character starts, so the cut is valid UTF-8. */
        if ((c & 0xC0) != 0x80 && out->len - start <= JP_TEMPLATE_VALUE_MAX - 17)
            keep = out->len;
        if (must_encode(c)) {
            char esc[3] = {'%', hex[c >> 4], hex[c & 15]};
            jp_buf_append(out, esc, 3);
        } else {
            jp_buf_putc(out, (char)c);
        }
    }
    if (out->len - start > JP_TEMPLATE_VALUE_MAX) {
        out->len = keep;
        jp_buf_printf(out, "~%016" PRIx64, jp_hash_bytes(v, n, 0));
    }
    r->value_end = out->len;
}

/* The time the value v stands for, in whole seconds, or 0 when it is none. */
static int value_time(const char *rec, jp_span v, jp_buf *scratch, time_t *out)
{
    scratch->len = 0;
    jp_path_text(scratch, rec, v);
    jp_buf_putc(scratch, '\0');
    const char *s = scratch->data;
    char first = rec[v.start];
    double secs;
    if (first == '"') {
        jp_rfc3339 t;
        if (jp_rfc3339_read(s, scratch->len - 1, &t) != 1)
            return 0;
        secs = (double)t.secs;
    } else if (first == '-' || (first >= '0' && first <= '9')) {
        secs = strtod(s, NULL);
        /* Too large for seconds: milliseconds (--timestamp epoch_ms). */
        if (secs > (double)JP_RFC3339_MAX && secs <= (double)JP_RFC3339_MAX * 1000 + 999)
            secs /= 1000;
    } else {
        return 0;
    }
    /* The years of RFC 3339, 0001 to 9999 (%Y writes those before 1000
     * without leading zeros). */
    if (!(secs >= (double)JP_RFC3339_MIN && secs <= (double)JP_RFC3339_MAX))
        return 0;
    *out = (time_t)secs - ((double)(time_t)secs > secs);
    return 1;
}

/* A time formatted: each '/' of the format separates components, so that
 * {ts:%Y/%m} makes directories; what strftime gives is put as a value. */
static void put_time(render *r, const item *it, time_t t)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    const char *seg = it->text;
    for (;;) {
        const char *slash = strchr(seg, '/');
        size_t n = slash ? (size_t)(slash - seg) : strlen(seg);
        char fmt[256], text[512];
        size_t got = 0;
        if (n && n < sizeof fmt) {
            memcpy(fmt, seg, n);
            fmt[n] = '\0';
            got = strftime(text, sizeof text, fmt, &tm);
        }
        if (n)
            put_value(r, text, got);
        if (!slash)
            return;
        put_literal(r, "/", 1);
        seg = slash + 1;
    }
}

void jp_template_bind(jp_template *t, jp_fields *fields)
{
    char unused[160];
    for (int i = 0; i < t->n; i++)
        if (t->items[i].value)
            t->items[i].bound = jp_fields_add(fields, t->items[i].path,
                                              strlen(t->items[i].path), unused, sizeof unused);
}

/* The value of item it in the record: found by the index when the record
 * has one, else by walking its bytes. */
static int find_value(const jp_template *t, const item *it, const char *bytes, size_t len,
                      jp_record *rec, jp_buf *scratch, jp_span *v)
{
    if (rec && it->bound >= 0) {
        const jp_value *got = jp_record_get(rec, it->bound);
        if (got)
            *v = (jp_span){got->start, got->end};
        return got != NULL;
    }
    return jp_path_find(bytes, len, &t->fields, it->field, scratch, v);
}

void jp_template_render(const jp_template *t, const char *bytes, size_t len, jp_record *rec,
                        jp_buf *out, jp_buf *scratch)
{
    render r = {out, out->len, 0, out->len};
    for (int i = 0; i < t->n; i++) {
        const item *it = &t->items[i];
        if (!it->value) {
            put_literal(&r, it->text, it->len);
            continue;
        }
        jp_span v;
        time_t when;
        if (!find_value(t, it, bytes, len, rec, scratch, &v)) {
            put_value(&r, "", 0);
        } else if (!it->has_format) {
            scratch->len = 0;
            jp_path_text(scratch, bytes, v);
            put_value(&r, scratch->data, scratch->len);
        } else if (value_time(bytes, v, scratch, &when)) {
            put_time(&r, it, when);
        } else {
            put_value(&r, "", 0);
        }
    }
    end_component(&r);
}
