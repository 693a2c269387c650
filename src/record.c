/* record.c: the field index of a parsed line, and edits spliced into its bytes.
 *
 * The index listens to parse events (json/events.h) from either parser: the
 * structural scanner, or yajl for lines past the scanner's reach or when
 * JSONPIPE_ISA=yajl asks for the reference parser. A record that needs its
 * whole tree gets it from the same parse (tree.h's feed, or yajl's).
 *
 * Duplicate keys. values[] holds the copy of each field that a parser
 * keeping the last copy (ECMAScript, Python, Go) sees: the last copy of the
 * key inside the last copy of each parent. Every other copy of a declared
 * field is kept in shadow[], so that an edit can remove it: a new copy of a
 * field displaces the old one and everything indexed inside it
 * (value_field()).
 * Every edit of a field starts with jp_record_unshadow(), so no value
 * survives beside the edited one where a reader keeping the first copy, or
 * a person, would find it. */
#include "record.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "error.h"
#include "json.h"
#include "processor.h"
#include "scan.h"
#include "tree.h"
#include "yajl_events.h"

/* A copy of a field that a reader keeping the last copy does not see. */
typedef struct jp_shadow {
    jp_value v;
    int field;
} jp_shadow;

struct jp_record {
    const jp_fields *fields;
    jp_scanner *scanner;  /* the parser, or NULL for yajl */
    jp_yajl_events *yajl; /* made at the first use */

    const char *data; /* current bytes: the line, or edit.data after an edit */
    size_t len;
    jp_buf edit;
    int stale;        /* values[] must be filled anew before use */

    jp_value *values; /* one per declared field: the copy a reader sees */
    jp_shadow *shadow; /* the other copies, in no order; empty without duplicates */
    int nshadow, shadow_cap;

    /* Index state while parsing. stack[d] is the field of the container
     * open at depth d; only containers on a declared path are entered. */
    int *stack;
    int depth, max_depth;
    const int *buckets; /* the children of the container entered last, by key (fields.h) */
    int key_field;    /* field of the value that follows the last key, or -1 */
    size_t key_start, key_end; /* that key's quoted bytes */

    size_t skipped;   /* bytes of a byte order mark before data */
    jp_buf reason;
    jp_buf scratch;   /* the bytes of an insertion, reused */
    jp_buf moved;     /* a value on its way to another parent (rename) */
    jp_buf decoded;   /* a key with escapes, decoded to be looked up */
    jp_json_escapes escapes; /* which keys have them */
    jp_source source;
    jp_tree *tree;    /* NULL unless asked for */
    jp_tree_feed feed; /* builds tree from the scanner's events */
    int tree_fresh;   /* the tree matches the bytes */
};

const char *jp_type_phrase(jp_type t)
{
    static const char *const phrases[] = {"absent", "null", "a boolean", "a number",
                                          "a string", "an object", "an array"};
    return phrases[t];
}

/* Moves the indexed copy of field, and every value indexed inside it, to
 * the shadows: a later copy of the field is starting, and a reader keeping
 * the last sees only that one and what it holds. */
static void shadow_field(jp_record *r, int field)
{
    jp_value *v = &r->values[field];
    if (v->type == JP_ABSENT)
        return;
    if (r->nshadow == r->shadow_cap) {
        r->shadow_cap = r->shadow_cap ? r->shadow_cap * 2 : 8;
        r->shadow = jp_xrealloc(r->shadow, (size_t)r->shadow_cap * sizeof *r->shadow);
    }
    r->shadow[r->nshadow++] = (jp_shadow){*v, field};
    v->type = JP_ABSENT;
    for (int c = r->fields->v[field].first_child; c >= 0; c = r->fields->v[c].next_sibling)
        shadow_field(r, c);
}

/* A value starts: the field it is a copy of, or -1. An earlier copy of the
 * field becomes a shadow. */
static int value_field(jp_record *r)
{
    int field = r->depth ? r->key_field : 0;
    r->key_field = -1;
    if (field >= 0 && r->values[field].type != JP_ABSENT)
        shadow_field(r, field);
    return field;
}

static void on_scalar(void *ctx, jp_type type, size_t start, size_t end)
{
    jp_record *r = ctx;
    int field = value_field(r);
    if (field > 0)
        r->values[field] = (jp_value){start, end, r->key_start, r->key_end, type};
    else if (field == 0)
        r->values[0] = (jp_value){start, end, 0, 0, type};
}

static int on_open(void *ctx, jp_type type, size_t at)
{
    jp_record *r = ctx;
    int field = value_field(r);
    if (field >= 0)
        r->values[field] = (jp_value){at, 0, field ? r->key_start : 0, field ? r->key_end : 0, type};
    r->stack[r->depth++] = field;
    if (field < 0 || r->fields->v[field].first_child < 0)
        return JP_EV_SKIP;
    r->buckets = r->fields->v[field].buckets;
    return JP_EV_ENTER;
}

static void on_close(void *ctx, size_t end)
{
    jp_record *r = ctx;
    int field = r->stack[--r->depth];
    if (field >= 0)
        r->values[field].end = end;
    /* Keys are reported only inside entered containers, so the one now
     * innermost, when there is one, was entered. */
    if (r->depth && r->stack[r->depth - 1] >= 0)
        r->buckets = r->fields->v[r->stack[r->depth - 1]].buckets;
}

/* What on_key does when the line's next backslash is not known to lie past
 * the key at [start, end). Apart, and reached by a tail call, so that
 * on_key's common case calls nothing and saves no registers. */
static __attribute__((noinline)) int key_slow(jp_record *r, size_t start, size_t end)
{
    const char *text = r->data + start + 1;
    size_t len = end - start - 2;
    if (jp_json_escaped(&r->escapes, start, end)) {
        r->decoded.len = 0;
        jp_json_unquote(&r->decoded, r->data + start, end - start);
        text = r->decoded.data ? r->decoded.data : "";
        len = r->decoded.len;
    }
    r->key_field = jp_fields_child_in(r->fields, r->buckets, text, len);
    r->key_start = start;
    r->key_end = end;
    return r->key_field >= 0 ? JP_EV_ENTER : JP_EV_SKIP;
}

/* The field a key names, for the value after it; the value of a key that
 * names none is of no use to the index. */
static int on_key(void *ctx, size_t start, size_t end)
{
    jp_record *r = ctx;
    if (r->escapes.next < end)
        return key_slow(r, start, end);
    r->key_field = jp_fields_child_in(r->fields, r->buckets, r->data + start + 1, end - start - 2);
    r->key_start = start;
    r->key_end = end;
    return r->key_field >= 0 ? JP_EV_ENTER : JP_EV_SKIP;
}

static const jp_json_listener index_listener = {on_open, on_close, on_key, on_scalar};

int jp_record_max_depth(const jp_record *r)
{
    return r->max_depth;
}

jp_record *jp_record_new(const jp_fields *fields, int max_depth, int want_tree)
{
    jp_record *r = jp_xmalloc(sizeof *r);
    memset(r, 0, sizeof *r);
    r->fields = fields;
    r->values = jp_xmalloc((size_t)fields->n * sizeof *r->values);
    r->max_depth = max_depth;
    r->stack = jp_xmalloc((size_t)(max_depth + 1) * sizeof *r->stack);
    r->scanner = jp_scanner_new();
    if (want_tree) {
        r->tree = jp_tree_new();
        r->feed = (jp_tree_feed){.tree = r->tree, .next = &index_listener, .next_ctx = r};
    }
    return r;
}

void jp_record_free(jp_record *r)
{
    if (!r)
        return;
    jp_scanner_free(r->scanner);
    jp_yajl_events_free(r->yajl);
    jp_buf_free(&r->edit);
    jp_buf_free(&r->reason);
    jp_buf_free(&r->scratch);
    jp_buf_free(&r->moved);
    jp_buf_free(&r->decoded);
    free(r->values);
    free(r->shadow);
    free(r->stack);
    jp_tree_free(r->tree);
    free(r);
}

void jp_record_set_reason(jp_record *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    r->reason.len = 0;
    jp_buf_vprintf(&r->reason, fmt, ap);
    va_end(ap);
}

jp_verdict jp_reject(jp_record *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    r->reason.len = 0;
    jp_buf_vprintf(&r->reason, fmt, ap);
    va_end(ap);
    return JP_REJECT;
}

const char *jp_record_field_path(const jp_record *r, int field)
{
    return r->fields->v[field].path;
}

const char *jp_record_reason(const jp_record *r)
{
    return r->reason.len ? r->reason.data : "";
}

static int parse_bytes(jp_record *r)
{
    memset(r->values, 0, (size_t)r->fields->n * sizeof *r->values);
    r->nshadow = 0;
    r->depth = 0;
    r->buckets = NULL;
    r->key_field = -1;
    r->stale = 0;

    jp_parse_error e;
    int rc;
    if (jp_json_blank(r->data, r->len)) {
        /* Checked here: after a value, yajl takes a blank line as a
         * success with no value at all. The engine skips blank lines
         * before they get here. */
        e.fault = JP_FAULT_BLANK;
        rc = -1;
        if (r->tree)
            jp_tree_reset(r->tree);
    } else if (r->scanner && r->len <= JP_SCAN_MAX_LEN && r->tree) {
        jp_json_escapes_start(&r->escapes, r->data, r->len);
        jp_tree_feed_start(&r->feed, r->data, r->len);
        rc = jp_scanner_parse(r->scanner, r->data, r->len, r->max_depth, &jp_tree_feed_listener,
                              &r->feed, NULL, &e);
    } else if (r->scanner && r->len <= JP_SCAN_MAX_LEN) {
        /* Stage 1 finds the first backslash, before any key is reported. */
        r->escapes = (jp_json_escapes){r->data, r->len, r->len};
        rc = jp_scanner_parse(r->scanner, r->data, r->len, r->max_depth, &index_listener, r,
                              &r->escapes.next, &e);
    } else {
        jp_json_escapes_start(&r->escapes, r->data, r->len);
        if (!r->yajl)
            r->yajl = jp_yajl_events_new();
        rc = jp_yajl_events_parse(r->yajl, r->data, r->len, r->max_depth, &index_listener, r,
                                  r->tree, &e);
    }
    if (r->tree)
        r->tree_fresh = rc == 0;
    if (rc < 0)
        jp_parse_error_explain(&e, r->data, r->len, r->skipped, &r->reason);
    return rc;
}

void jp_record_set_source(jp_record *r, const char *file, uint64_t line, uint64_t offset)
{
    r->source = (jp_source){file, line, offset, NULL, 0};
}

void jp_record_set_expanded(jp_record *r, const uint64_t *indices, int n)
{
    r->source.expanded = indices;
    r->source.nexpanded = n;
}

const jp_source *jp_record_source(const jp_record *r)
{
    return &r->source;
}

int jp_record_parse(jp_record *r, const char *line, size_t len)
{
    return jp_record_parse_after(r, line, len, 0);
}

int jp_record_parse_after(jp_record *r, const char *line, size_t len, size_t skip)
{
    r->skipped = skip;
    r->data = line + skip;
    r->len = len - skip;
    r->reason.len = 0;
    return parse_bytes(r);
}

const char *jp_record_bytes(const jp_record *r, size_t *len)
{
    *len = r->len;
    return r->data;
}

int jp_record_edited(const jp_record *r)
{
    return r->edit.data && r->data == r->edit.data;
}

const jp_tree *jp_record_tree(jp_record *r)
{
    if (!r->tree)
        return NULL;
    if (!r->tree_fresh) {
        if (jp_tree_build(r->tree, r->data, r->len) < 0)
            return NULL; /* cannot happen: edits only splice in valid JSON */
        r->tree_fresh = 1;
    }
    return r->tree;
}

/* Edits that put declared paths inside new bytes mark the record stale;
 * the index is made anew before the next look. */
static void fresh(jp_record *r)
{
    /* A failure cannot happen (edits only splice in valid JSON); it would
     * leave nothing indexed. */
    if (r->stale)
        parse_bytes(r);
}

const jp_value *jp_record_get(jp_record *r, int field)
{
    fresh(r);
    const jp_value *v = &r->values[field];
    return v->type == JP_ABSENT ? NULL : v;
}

jp_type jp_type_of_json(char c)
{
    switch (c) {
    case '"': return JP_STRING;
    case '{': return JP_OBJECT;
    case '[': return JP_ARRAY;
    case 't':
    case 'f': return JP_BOOLEAN;
    case 'n': return JP_NULL;
    default: return JP_NUMBER;
    }
}

/* Bytes [start, end) became n bytes starting with first: move one indexed
 * value so it stays right without parsing again. A value before the edit
 * stays, one after it shifts, a container around it grows or shrinks, the
 * replaced value takes its new length and type, and a value inside the
 * edited bytes is gone (JP_ABSENT). */
static void reindex_value(jp_value *v, int keyed, size_t start, size_t end, size_t n, char first)
{
    if (v->start == start && v->end == end) {
        v->end = start + n;
        v->type = jp_type_of_json(first);
    } else if (keyed && v->key_start == start && v->key_end == end) {
        v->key_end = start + n; /* its key was rewritten */
        v->start = v->start + n - (end - start);
        v->end = v->end + n - (end - start);
    } else if (v->end <= start) {
        return;
    } else if (v->start >= end && (!keyed || v->key_start >= end)) {
        size_t grow = n, shrink = end - start;
        v->start = v->start + grow - shrink;
        v->end = v->end + grow - shrink;
        if (keyed) {
            v->key_start = v->key_start + grow - shrink;
            v->key_end = v->key_end + grow - shrink;
        }
    } else if (v->start <= start && v->end >= end) {
        v->end = v->end + n - (end - start);
    } else {
        v->type = JP_ABSENT;
    }
}

/* The same for every value indexed, shadows included; a shadow that is
 * gone leaves the list. Callers that put declared paths inside new bytes
 * mark the record stale instead. */
static void reindex(jp_record *r, size_t start, size_t end, size_t n, char first)
{
    for (int i = 0; i < r->fields->n; i++)
        if (r->values[i].type != JP_ABSENT)
            reindex_value(&r->values[i], i > 0, start, end, n, first);
    int kept = 0;
    for (int i = 0; i < r->nshadow; i++) {
        reindex_value(&r->shadow[i].v, 1, start, end, n, first);
        if (r->shadow[i].v.type != JP_ABSENT)
            r->shadow[kept++] = r->shadow[i];
    }
    r->nshadow = kept;
}

/* Whether a declared path lies below field. */
static int has_declared_children(const jp_record *r, int field)
{
    return r->fields->v[field].first_child >= 0;
}

/* Replaces bytes [start, end) of the record with p[0..n). */
static void splice(jp_record *r, size_t start, size_t end, const char *p, size_t n)
{
    jp_buf *e = &r->edit;
    if (!jp_record_edited(r)) {
        /* The first edit copies the line around the new bytes. */
        e->len = 0;
        jp_buf_reserve(e, r->len - (end - start) + n + 1);
        memcpy(e->data, r->data, start);
        memcpy(e->data + start, p, n);
        memcpy(e->data + start + n, r->data + end, r->len - end);
    } else {
        if (n > end - start)
            jp_buf_reserve(e, n - (end - start));
        memmove(e->data + start + n, e->data + end, e->len - end);
        memcpy(e->data + start, p, n);
    }
    e->len = r->len - (end - start) + n;
    r->data = e->data;
    r->len = e->len;
    r->tree_fresh = 0;
    if (!r->stale)
        reindex(r, start, end, n, n ? p[0] : 0);
}

static int blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* Removes the member whose key and value v spans, with one comma. */
static void remove_member(jp_record *r, jp_value v)
{
    size_t from = v.key_start, to = v.end, i = from;
    while (blank(r->data[i - 1]))
        i--;
    if (r->data[i - 1] == ',') {
        from = i - 1; /* ",<blanks>"key":value" */
    } else {
        /* The first member: take the comma after it, if any, instead. */
        size_t j = to;
        while (j < r->len && blank(r->data[j]))
            j++;
        if (r->data[j] == ',') {
            j++;
            while (j < r->len && blank(r->data[j]))
                j++;
            to = j;
        }
    }
    splice(r, from, to, "", 0);
}

int jp_record_unshadow(jp_record *r, int field)
{
    fresh(r);
    int removed = 0;
    /* Each removal reindexes the list (and drops what lay inside the
     * removed member), so look for the next one afresh. */
    for (int i = 0; i < r->nshadow;) {
        if (r->shadow[i].field != field) {
            i++;
            continue;
        }
        remove_member(r, r->shadow[i].v);
        removed++;
        i = 0;
    }
    return removed;
}

/* Appends "k1":{"k2":{..."kn": for the keys from anc's child down to field
 * and returns how many objects it opened. */
static int open_members(jp_buf *ins, const jp_fields *f, int field, int anc)
{
    int parent = f->v[field].parent;
    int opened = 0;
    if (parent != anc) {
        opened = open_members(ins, f, parent, anc) + 1;
        jp_buf_putc(ins, '{');
    }
    jp_buf_append(ins, f->v[field].quoted, f->v[field].quoted_len);
    jp_buf_putc(ins, ':');
    return opened;
}

/* How deep the containers of the valid JSON text json nest. */
static int nesting(const char *json, size_t len)
{
    int depth = 0, most = 0, in_string = 0;
    for (size_t i = 0; i < len; i++) {
        char c = json[i];
        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = 0;
        } else if (c == '"') {
            in_string = 1;
        } else if (c == '[' || c == '{') {
            if (++depth > most)
                most = depth;
        } else if (c == ']' || c == '}') {
            depth--;
        }
    }
    return most;
}

/* A set of a duplicated field replaces the copy that is read, where it
 * stands, and removes the others, rather than replacing every copy: the
 * result has the key once, so parsers that keep the first copy, keep the
 * last or refuse duplicates all read the new value, and no old value is
 * left behind in a copy that only some of them would see. */
int jp_record_set(jp_record *r, int field, const char *json, size_t len)
{
    const jp_fields *f = r->fields;
    /* The record is indexed anew after some edits, which must not fail:
     * a value that would nest it deeper than a record may be is refused. */
    int depth = 0;
    for (int a = field; a > 0; a = f->v[a].parent)
        depth++;
    int nests = json[0] == '{' || json[0] == '[' ? nesting(json, len) : 0;
    if (depth + nests > r->max_depth) {
        jp_record_set_reason(r, "cannot set \"%s\": the record would nest deeper than "
                                "--max-depth %d", f->v[field].path, r->max_depth);
        return -1;
    }
    jp_record_unshadow(r, field);
    const jp_value *v = jp_record_get(r, field);
    if (v) {
        splice(r, v->start, v->end, json, len);
        if (has_declared_children(r, field) && (json[0] == '{' || json[0] == '['))
            r->stale = 1;
        return 0;
    }

    /* Find the nearest ancestor the record has; it must be an object. */
    int anc = f->v[field].parent;
    while (anc > 0 && !jp_record_get(r, anc))
        anc = f->v[anc].parent;
    const jp_value *pv = jp_record_get(r, anc);
    if (pv->type != JP_OBJECT) {
        if (anc == 0)
            jp_record_set_reason(r, "cannot set \"%s\": the record is %s", f->v[field].path,
                                 jp_type_phrase(pv->type));
        else
            jp_record_set_reason(r, "cannot set \"%s\": \"%s\" is %s", f->v[field].path,
                                 f->v[anc].path, jp_type_phrase(pv->type));
        return -1;
    }

    /* Insert after the last member (or right after '{' when there is none),
     * so blanks before the closing brace stay where they were. */
    size_t at = pv->end - 1;
    while (at > pv->start && blank(r->data[at - 1]))
        at--;
    int empty = r->data[at - 1] == '{';

    jp_buf *ins = &r->scratch;
    ins->len = 0;
    if (!empty)
        jp_buf_putc(ins, ',');
    int opened = open_members(ins, f, field, anc);
    size_t key_at = at + !empty, value_at = at + ins->len;
    jp_buf_append(ins, json, len);
    for (int i = 0; i < opened; i++)
        jp_buf_putc(ins, '}');
    splice(r, at, at, ins->data, ins->len);
    if (opened || has_declared_children(r, field))
        r->stale = 1; /* new objects hold declared paths: index them anew */
    else
        r->values[field] = (jp_value){value_at, value_at + len, key_at, value_at - 1,
                                      jp_type_of_json(json[0])};
    return 0;
}

int jp_record_delete(jp_record *r, int field)
{
    if (field == 0)
        return 0;
    int removed = jp_record_unshadow(r, field);
    const jp_value *v = jp_record_get(r, field);
    if (v) {
        remove_member(r, *v);
        removed++;
    }
    return removed > 0;
}

/* A rename of a duplicated field renames the copy that is read and removes
 * the others, as a set does; every copy of NEW goes first, so the rename
 * cannot make a duplicate of its own either. */
int jp_record_rename(jp_record *r, int field, int to)
{
    const jp_fields *f = r->fields;
    int changed = jp_record_unshadow(r, field) > 0;
    const jp_value *v = jp_record_get(r, field);
    if (!v || field == to || field == 0 || to == 0)
        return changed;
    if (f->v[field].parent != f->v[to].parent) {
        /* Elsewhere: the value moves, added last under NEW's parent. */
        size_t len;
        const char *bytes = jp_record_bytes(r, &len);
        r->moved.len = 0;
        jp_buf_append(&r->moved, bytes + v->start, v->end - v->start);
        jp_record_delete(r, field);
        return jp_record_set(r, to, r->moved.data, r->moved.len) < 0 ? -1 : 1;
    }
    jp_record_delete(r, to);
    v = jp_record_get(r, field);
    const jp_field *t = &f->v[to];
    r->scratch.len = 0;
    jp_json_quote(&r->scratch, t->key, t->key_len);
    splice(r, v->key_start, v->key_end, r->scratch.data, r->scratch.len);
    if (has_declared_children(r, field) || has_declared_children(r, to)) {
        r->stale = 1;
    } else {
        r->values[to] = r->values[field];
        r->values[field].type = JP_ABSENT;
    }
    return 1;
}

void jp_record_replace(jp_record *r, const char *json, size_t len)
{
    splice(r, 0, r->len, json, len);
    r->stale = 1;
}
