/* format.c: CSV and TSV rows: the values at the columns, found in one walk
 * over the record, written as cells. */
#include "format.h"

#include <stdio.h>
#include <stdlib.h>

#include "fields.h"
#include "json.h"
#include "path.h"
#include "record.h"
#include "report.h"

typedef struct column {
    int field;     /* -1: the empty key, which no field can be */
    char *name;
    size_t name_len;
} column;

struct jp_columns {
    /* The columns' paths as one tree: a member's field is found by its key
     * among its parent's children, as the record parser finds fields. */
    jp_fields fields;
    int *column_of;    /* per field: its column, or -1 (a parent of columns) */
    int ncolumn_of;
    column *v;
    int n;
    int empty_key;     /* the column of the key "", or -1 */
    char *by;          /* what fixed the columns, for reasons */
};

int jp_format_parse(const char *name, jp_format_kind *kind)
{
    static const char *const names[] = {"ndjson", "csv", "tsv"};
    for (int k = 0; k < 3; k++)
        if (strcmp(name, names[k]) == 0) {
            *kind = (jp_format_kind)k;
            return 0;
        }
    return -1;
}

static const char *kind_name(const jp_format *f)
{
    return f->kind == JP_TO_CSV ? "CSV" : "TSV";
}

static jp_columns *columns_new(const char *by)
{
    jp_columns *c = jp_xcalloc(1, sizeof *c);
    jp_fields_init(&c->fields);
    c->empty_key = -1;
    c->by = jp_xstrdup(by);
    return c;
}

void jp_columns_free(jp_columns *c)
{
    if (!c)
        return;
    for (int i = 0; i < c->n; i++)
        free(c->v[i].name);
    free(c->v);
    free(c->column_of);
    free(c->by);
    jp_fields_free(&c->fields);
    free(c);
}

/* Gives every field, the root too, its entry in column_of: -1 until it
 * becomes a column. The root has one even when no key ever comes ({}). */
static void size_column_of(jp_columns *c)
{
    if (c->ncolumn_of < c->fields.n) {
        c->column_of = jp_xrealloc(c->column_of, (size_t)c->fields.n * sizeof *c->column_of);
        while (c->ncolumn_of < c->fields.n)
            c->column_of[c->ncolumn_of++] = -1;
    }
}

/* Makes field (-1: the empty key) a column named name, unless it is one. */
static void add_column(jp_columns *c, int field, const char *name, size_t len)
{
    size_column_of(c);
    int *of = field >= 0 ? &c->column_of[field] : &c->empty_key;
    if (*of >= 0)
        return;
    *of = c->n;
    c->v = jp_xrealloc(c->v, (size_t)(c->n + 1) * sizeof *c->v);
    column *col = &c->v[c->n++];
    col->field = field;
    col->name = jp_xmalloc(len + 1);
    memcpy(col->name, name, len);
    col->name[len] = '\0';
    col->name_len = len;
}

/* The keys from the root to field, joined with '.'. */
static void append_name(const jp_fields *f, int field, jp_buf *out)
{
    const jp_field *x = &f->v[field];
    if (x->parent > 0) {
        append_name(f, x->parent, out);
        jp_buf_putc(out, '.');
    }
    jp_buf_append(out, x->key, x->key_len);
}

jp_columns *jp_columns_from_paths(const char *list, const char *by, char *err, size_t errlen)
{
    jp_columns *c = columns_new(by);
    int *ids;
    int n = jp_fields_add_list(&c->fields, list, &ids, err, errlen);
    if (n < 0) {
        jp_columns_free(c);
        return NULL;
    }
    jp_buf name = {0};
    for (int i = 0; i < n; i++) {
        name.len = 0;
        append_name(&c->fields, ids[i], &name);
        add_column(c, ids[i], name.data, name.len);
    }
    jp_buf_free(&name);
    free(ids);
    return c;
}

jp_columns *jp_columns_from_record(const char *rec, size_t len)
{
    size_t at = jp_json_skip_blank(rec, len, 0);
    if (rec[at] != '{')
        return NULL;
    jp_columns *c = columns_new("the first record's keys");
    jp_buf key = {0}, path = {0};
    jp_member m;
    while (jp_path_next_member(rec, len, &at, &m)) {
        size_t klen;
        const char *k = jp_path_key(rec, &m, &key, &klen);
        if (klen == 0) {
            add_column(c, -1, "", 0);
            continue;
        }
        /* The key as a path of one component: its dots and backslashes
         * escaped, so the one path grammar (fields.h) reads it back. */
        path.len = 0;
        for (size_t i = 0; i < klen; i++) {
            if (k[i] == '.' || k[i] == '\\')
                jp_buf_putc(&path, '\\');
            jp_buf_putc(&path, k[i]);
        }
        char unused[8];
        int field = jp_fields_add(&c->fields, path.data, path.len, unused, sizeof unused);
        add_column(c, field, k, klen);
    }
    jp_buf_free(&key);
    jp_buf_free(&path);
    size_column_of(c);
    return c;
}

void jp_format_scratch_free(jp_format_scratch *s)
{
    jp_buf_free(&s->slots);
    jp_buf_free(&s->key);
}

/* A CSV cell needs quotes when it holds a delimiter, a quote or a line
 * break, and an empty string does so that it is not read as null. */
static int csv_needs_quotes(const char *s, size_t n, int is_string)
{
    if (n == 0)
        return is_string;
    for (size_t i = 0; i < n; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
            return 1;
    return 0;
}

static void put_csv(jp_buf *out, const char *s, size_t n, int is_string)
{
    if (!csv_needs_quotes(s, n, is_string)) {
        jp_buf_append(out, s, n);
        return;
    }
    jp_buf_putc(out, '"');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            jp_buf_putc(out, '"');
        jp_buf_putc(out, s[i]);
    }
    jp_buf_putc(out, '"');
}

static void put_tsv(jp_buf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        const char *esc = c == '\t' ? "\\t" : c == '\n' ? "\\n" : c == '\r' ? "\\r"
                        : c == '\\' ? "\\\\" : NULL;
        if (esc)
            jp_buf_append(out, esc, 2);
        else
            jp_buf_putc(out, c);
    }
}

static void put_cell(const jp_format *f, jp_buf *out, const char *s, size_t n, int is_string)
{
    if (f->kind == JP_TO_CSV)
        put_csv(out, s, n, is_string);
    else
        put_tsv(out, s, n);
}

static void put_line_end(const jp_format *f, jp_buf *out)
{
    if (f->crlf)
        jp_buf_putc(out, '\r');
    jp_buf_putc(out, '\n');
}

static char delimiter(const jp_format *f)
{
    return f->kind == JP_TO_CSV ? ',' : '\t';
}

/* A line of one empty CSV cell would be blank, which CSV readers take for
 * no line at all: it is written "" instead, as Python's csv module does. */
static void end_line(const jp_format *f, const jp_columns *c, jp_buf *out, size_t line_start)
{
    if (f->kind == JP_TO_CSV && c->n == 1 && out->len == line_start)
        jp_buf_append(out, "\"\"", 2);
    put_line_end(f, out);
}

void jp_format_header(const jp_format *f, const jp_columns *c, jp_buf *out)
{
    size_t line_start = out->len;
    for (int i = 0; i < c->n; i++) {
        if (i)
            jp_buf_putc(out, delimiter(f));
        put_cell(f, out, c->v[i].name, c->v[i].name_len, 1);
    }
    end_line(f, c, out, line_start);
}

/* Reasons show at most this much of a name. */
#define NAME_SHOWN 200

/* The name of the member key of field node as a quoted JSON string, for
 * reasons, cut on a character past NAME_SHOWN bytes; NUL-terminated. */
static void quote_member(const jp_columns *c, int node, const char *key, size_t klen,
                         jp_buf *out)
{
    jp_buf name = {0};
    if (node > 0) {
        append_name(&c->fields, node, &name);
        jp_buf_putc(&name, '.');
    }
    jp_buf_append(&name, key, klen);
    size_t keep = name.len > NAME_SHOWN ? jp_report_cut_len(name.data, NAME_SHOWN) : name.len;
    jp_json_quote(out, name.data, keep);
    if (keep < name.len) {
        out->len--; /* the closing quote goes after the mark of the cut */
        jp_buf_puts(out, "...\"");
    }
    jp_buf_putc(out, '\0');
    jp_buf_free(&name);
}

static int not_a_column(const jp_format *f, const jp_columns *c, int node, const char *key,
                        size_t klen, char *why, size_t whylen)
{
    jp_buf q = {0};
    quote_member(c, node, key, klen, &q);
    snprintf(why, whylen, "%s is not a %s column (the columns are %s)", q.data, kind_name(f),
             c->by);
    jp_buf_free(&q);
    return -1;
}

static int not_an_object(const jp_format *f, const jp_columns *c, int field, const char *s,
                         jp_span v, char *why, size_t whylen)
{
    jp_buf q = {0};
    const jp_field *x = &c->fields.v[field];
    quote_member(c, x->parent, x->key, x->key_len, &q);
    snprintf(why, whylen, "%s is %s, not an object holding %s columns", q.data,
             jp_type_phrase(jp_type_of_json(s[v.start])), kind_name(f));
    jp_buf_free(&q);
    return -1;
}

/* Puts in slots (one per field, and the empty key's last) the values of
 * node's children in the object at obj, the last copy of each key, then
 * goes into the objects among them that hold columns. A value that no
 * column shows is rejected: outside a column, every key must be a column
 * or a parent of columns, and such a parent an object. */
static int walk(const jp_format *f, const jp_columns *c, const char *s, size_t n, size_t obj,
                int node, jp_span *slots, jp_buf *key, char *why, size_t whylen)
{
    const jp_field *v = c->fields.v;
    jp_member m;
    for (size_t at = obj; jp_path_next_member(s, n, &at, &m);) {
        size_t klen;
        const char *k = jp_path_key(s, &m, key, &klen);
        int slot = klen ? jp_fields_child(&c->fields, node, k, klen)
                        : node == 0 && c->empty_key >= 0 ? c->fields.n : -1;
        if (slot >= 0)
            slots[slot] = m.value;
        else if (c->column_of[node] < 0)
            return not_a_column(f, c, node, k, klen, why, whylen);
    }
    for (int ch = v[node].first_child; ch >= 0; ch = v[ch].next_sibling) {
        if (!slots[ch].end || v[ch].first_child < 0)
            continue;
        if (s[slots[ch].start] == '{') {
            if (walk(f, c, s, n, slots[ch].start, ch, slots, key, why, whylen) < 0)
                return -1;
        } else if (c->column_of[ch] < 0) {
            return not_an_object(f, c, ch, s, slots[ch], why, whylen);
        }
    }
    return 0;
}

int jp_format_row(const jp_format *f, const jp_columns *c, const char *rec, size_t len,
                  jp_format_scratch *s, jp_buf *out, char *why, size_t whylen)
{
    if (f->kind == JP_TO_NDJSON) {
        jp_buf_reserve(out, len + 1);
        jp_buf_append(out, rec, len);
        jp_buf_putc(out, '\n');
        return 0;
    }
    size_t at = jp_json_skip_blank(rec, len, 0);
    if (rec[at] != '{') {
        snprintf(why, whylen, "a %s row needs an object, not %s", kind_name(f),
                 jp_type_phrase(jp_type_of_json(rec[at])));
        return -1;
    }
    /* A span that ends at 0 is a value the record lacks: none can. */
    size_t nslots = (size_t)c->fields.n + 1;
    s->slots.len = 0;
    jp_buf_reserve(&s->slots, nslots * sizeof(jp_span));
    jp_span *slots = (jp_span *)(void *)s->slots.data;
    memset(slots, 0, nslots * sizeof *slots);
    if (walk(f, c, rec, len, at, 0, slots, &s->key, why, whylen) < 0)
        return -1;
    size_t row_start = out->len;
    for (int i = 0; i < c->n; i++) {
        if (i)
            jp_buf_putc(out, delimiter(f));
        jp_span v = slots[c->v[i].field >= 0 ? c->v[i].field : c->fields.n];
        if (!v.end)
            continue;
        s->key.len = 0;
        jp_path_text(&s->key, rec, v);
        put_cell(f, out, s->key.data, s->key.len, rec[v.start] == '"');
    }
    end_line(f, c, out, row_start);
    return 0;
}
