/* scan_oracle.c: every scanner kernel's record against yajl's, and every
 * vector kernel's stage 1 against the scalar one (see scan_oracle.h). */
#include "scan_oracle.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fields.h"
#include "kernel.h"
#include "record.h"
#include "scan.h"

/* Paths that reach each way a value gets indexed: top-level and nested
 * keys, a key matched only once its escapes are decoded ("k\u0065y" is
 * "key"), keys holding a dot, a quote or a non-ASCII letter, an array
 * entered for a declared child, and fields whose value may be of any type.
 * Their ancestors ("a", "a.b", "arr", "obj", "obj.x") are fields too. */
static const char *const paths[] = {
    "id", "key", "s", "n", "a.b.c", "a.b.c.d", "arr.x", "obj.x.y", "k\\.dot", "q\"", "\xc3\xa9",
};
#define NPATHS (sizeof paths / sizeof paths[0])

/* yajl and at most four kernels. */
enum { MAX_RECORDS = 5 };

/* The vector kernels, whose stage 1 must equal the scalar one's. */
static const jp_scan_kernel *const vector_kernels[] = {&jp_scan_kernel_avx512, &jp_scan_kernel_avx2,
                                                       &jp_scan_kernel_sse42};
#define NVECTOR (sizeof vector_kernels / sizeof vector_kernels[0])

struct scan_oracle {
    jp_fields fields;
    jp_record *rec[MAX_RECORDS]; /* rec[0] is yajl's */
    jp_record *trec[MAX_RECORDS]; /* the same, each building its tree */
    const char *name[MAX_RECORDS];
    int nrec;
    jp_buf want_tree, got_tree;
    uint32_t *index[2]; /* stage 1 of the scalar kernel, and of another */
    size_t index_cap;
    const char *line;   /* the line being compared */
    size_t n;
    jp_buf mismatch;    /* the first difference; empty when none */
};

static jp_record *record_with(const char *kernel, const jp_fields *fields, int max_depth,
                              int want_tree)
{
    char err[128];
    if (jp_scan_select(kernel, err, sizeof err) < 0) {
        fprintf(stderr, "scan_oracle: %s\n", err);
        abort();
    }
    return jp_record_new(fields, max_depth, want_tree);
}

scan_oracle *scan_oracle_new(int max_depth)
{
    scan_oracle *o = jp_xcalloc(1, sizeof *o);
    jp_fields_init(&o->fields);
    for (size_t i = 0; i < NPATHS; i++) {
        char err[128];
        if (jp_fields_add(&o->fields, paths[i], strlen(paths[i]), err, sizeof err) < 0) {
            fprintf(stderr, "scan_oracle: %s: %s\n", paths[i], err);
            abort();
        }
    }
    o->name[0] = "yajl";
    o->rec[0] = record_with("yajl", &o->fields, max_depth, 0);
    o->trec[0] = record_with("yajl", &o->fields, max_depth, 1);
    o->nrec = 1;
    for (const char *const *k = jp_scan_kernels(); *k; k++)
        if (strcmp(*k, "yajl") != 0 && o->nrec < MAX_RECORDS) {
            o->name[o->nrec] = *k;
            o->trec[o->nrec] = record_with(*k, &o->fields, max_depth, 1);
            o->rec[o->nrec++] = record_with(*k, &o->fields, max_depth, 0);
        }
    char err[128];
    jp_scan_select(NULL, err, sizeof err); /* records keep their kernel */
    return o;
}

void scan_oracle_free(scan_oracle *o)
{
    if (!o)
        return;
    for (int i = 0; i < o->nrec; i++) {
        jp_record_free(o->rec[i]);
        jp_record_free(o->trec[i]);
    }
    jp_buf_free(&o->want_tree);
    jp_buf_free(&o->got_tree);
    jp_fields_free(&o->fields);
    free(o->index[0]);
    free(o->index[1]);
    jp_buf_free(&o->mismatch);
    free(o);
}

int scan_oracle_kernels(const scan_oracle *o)
{
    return o->nrec - 1;
}

const char *scan_oracle_mismatch(const scan_oracle *o)
{
    return o->mismatch.len ? o->mismatch.data : NULL;
}

const char *scan_oracle_reason(const scan_oracle *o)
{
    return jp_record_reason(o->rec[0]);
}

/* Keeps the first difference, with the line it was met on. */
__attribute__((format(printf, 2, 3))) static void differ(scan_oracle *o, const char *fmt, ...)
{
    if (o->mismatch.len)
        return;
    va_list ap;
    va_start(ap, fmt);
    jp_buf_vprintf(&o->mismatch, fmt, ap);
    va_end(ap);
    const size_t shown = 512;
    jp_buf_printf(&o->mismatch, "\n  line (%zu bytes):", o->n);
    for (size_t i = 0; i < o->n && i < shown; i++)
        jp_buf_printf(&o->mismatch, " %02x", (unsigned char)o->line[i]);
    if (o->n > shown)
        jp_buf_printf(&o->mismatch, " ...");
}

static void compare_stage1(scan_oracle *o)
{
    if (o->n + 64 > o->index_cap) {
        o->index_cap = o->n + 64;
        for (int i = 0; i < 2; i++) {
            free(o->index[i]);
            o->index[i] = jp_xmalloc(o->index_cap * sizeof *o->index[i]);
        }
    }
    const uint8_t *s = (const uint8_t *)o->line;
    int want_bad;
    size_t want_backslash, backslash;
    size_t want = jp_scan_kernel_scalar.stage1(s, o->n, o->index[0], &want_backslash, &want_bad);
    const char *first = o->n ? memchr(o->line, '\\', o->n) : NULL;
    if (want_backslash != (first ? (size_t)(first - o->line) : o->n))
        differ(o, "stage 1 of scalar: first backslash at %zu; memchr: %zu", want_backslash,
               first ? (size_t)(first - o->line) : o->n);
    for (size_t k = 0; k < NVECTOR; k++) {
        const jp_scan_kernel *kernel = vector_kernels[k];
        if (!kernel->supported())
            continue;
        int bad;
        size_t got = kernel->stage1(s, o->n, o->index[1], &backslash, &bad);
        if (!bad != !want_bad || got != want || backslash != want_backslash)
            differ(o, "stage 1 of %s: %zu offsets, bad %d, first backslash %zu; scalar: %zu "
                      "offsets, bad %d, first backslash %zu",
                   kernel->name, got, bad, backslash, want, want_bad, want_backslash);
        for (size_t i = 0; i < got && i < want; i++)
            if (o->index[1][i] != o->index[0][i]) {
                differ(o, "stage 1 of %s: offset %zu is %u; scalar: %u", kernel->name, i,
                       o->index[1][i], o->index[0][i]);
                break;
            }
    }
}

static int same_value(const jp_value *a, const jp_value *b)
{
    if (!a || !b)
        return a == b;
    return a->start == b->start && a->end == b->end && a->key_start == b->key_start &&
           a->key_end == b->key_end && a->type == b->type;
}

static void describe(char *out, size_t len, const jp_value *v)
{
    if (v)
        snprintf(out, len, "[%zu,%zu) key [%zu,%zu) %s", v->start, v->end, v->key_start,
                 v->key_end, jp_type_phrase(v->type));
    else
        snprintf(out, len, "absent");
}

/* Every field of every kernel's record as in yajl's; when is the step
 * that led here. */
static void compare_values(scan_oracle *o, const char *when)
{
    for (int i = 1; i < o->nrec; i++)
        for (int f = 0; f < o->fields.n; f++) {
            const jp_value *want = jp_record_get(o->rec[0], f);
            const jp_value *got = jp_record_get(o->rec[i], f);
            if (same_value(got, want))
                continue;
            char g[96], w[96];
            describe(g, sizeof g, got);
            describe(w, sizeof w, want);
            differ(o, "%s, %s: field \"%s\" is %s; yajl: %s", when, o->name[i],
                   jp_record_field_path(o->rec[0], f), g, w);
        }
}

static int same_bytes(const jp_record *a, const jp_record *b)
{
    size_t na, nb;
    const char *pa = jp_record_bytes(a, &na), *pb = jp_record_bytes(b, &nb);
    return na == nb && memcmp(pa, pb, na) == 0;
}

/* The shadowed copies of duplicate keys cannot be read, only removed:
 * remove each field's, in every record, and compare what is left. */
static void compare_shadows(scan_oracle *o)
{
    for (int f = 1; f < o->fields.n && !o->mismatch.len; f++) {
        const char *path = jp_record_field_path(o->rec[0], f);
        int want = jp_record_unshadow(o->rec[0], f);
        for (int i = 1; i < o->nrec; i++) {
            int got = jp_record_unshadow(o->rec[i], f);
            if (got != want)
                differ(o, "%s: %d shadows of \"%s\"; yajl: %d", o->name[i], got, path, want);
            else if (!same_bytes(o->rec[i], o->rec[0]))
                differ(o, "%s: bytes differ after unshadowing \"%s\"", o->name[i], path);
        }
        if (want)
            compare_values(o, "after unshadowing");
    }
}

void scan_oracle_tree_text(const jp_tree *t, int32_t i, jp_buf *out)
{
    const jp_node *n = jp_tree_node(t, i);
    if (n->type != JP_OBJECT && n->type != JP_ARRAY) {
        jp_buf_printf(out, "%d'", (int)n->type);
        jp_buf_append(out, jp_tree_text(t, n->text), n->len);
        jp_buf_putc(out, '\'');
        return;
    }
    jp_buf_putc(out, n->type == JP_OBJECT ? '{' : '[');
    unsigned count = 0;
    for (int32_t c = n->first; c >= 0; c = jp_tree_node(t, c)->next, count++) {
        const jp_node *m = jp_tree_node(t, c);
        if (count)
            jp_buf_putc(out, ',');
        if (n->type == JP_OBJECT) {
            jp_buf_append(out, jp_tree_text(t, m->key), m->key_len);
            jp_buf_printf(out, "#%016llx:", (unsigned long long)m->key_hash);
        }
        scan_oracle_tree_text(t, c, out);
    }
    if (count != n->count)
        jp_buf_printf(out, "(count %u, not %u)", n->count, count);
    jp_buf_putc(out, n->type == JP_OBJECT ? '}' : ']');
}

/* The records that build trees: the verdicts, the fields indexed beside
 * the tree, and the trees themselves, as yajl's. */
static void compare_trees(scan_oracle *o, int want, const char *why)
{
    for (int i = 0; i < o->nrec; i++) {
        int got = jp_record_parse(o->trec[i], o->line, o->n);
        const char *reason = jp_record_reason(o->trec[i]);
        if (got != want || strcmp(reason, why) != 0)
            differ(o, "%s with a tree: %s \"%s\"; yajl: %s \"%s\"", o->name[i],
                   got ? "rejected" : "accepted", reason, want ? "rejected" : "accepted", why);
        if (got != 0 || want != 0)
            continue;
        for (int f = 0; f < o->fields.n; f++)
            if (!same_value(jp_record_get(o->trec[i], f), jp_record_get(o->rec[0], f)))
                differ(o, "%s with a tree: field \"%s\" differs from yajl's", o->name[i],
                       jp_record_field_path(o->rec[0], f));
    }
    if (want != 0 || o->mismatch.len)
        return;
    o->want_tree.len = 0;
    scan_oracle_tree_text(jp_record_tree(o->trec[0]), 0, &o->want_tree);
    for (int i = 1; i < o->nrec; i++) {
        o->got_tree.len = 0;
        scan_oracle_tree_text(jp_record_tree(o->trec[i]), 0, &o->got_tree);
        if (o->got_tree.len != o->want_tree.len ||
            memcmp(o->got_tree.data, o->want_tree.data, o->want_tree.len) != 0)
            differ(o, "%s: the tree is %.*s; yajl's: %.*s", o->name[i], (int)o->got_tree.len,
                   o->got_tree.data, (int)o->want_tree.len, o->want_tree.data);
    }
}

int scan_oracle_parse(scan_oracle *o, const char *line, size_t n)
{
    o->line = line;
    o->n = n;
    o->mismatch.len = 0;
    int want = jp_record_parse(o->rec[0], line, n);
    const char *why = jp_record_reason(o->rec[0]);
    for (int i = 1; i < o->nrec; i++) {
        int got = jp_record_parse(o->rec[i], line, n);
        const char *reason = jp_record_reason(o->rec[i]);
        if (got != want || strcmp(reason, why) != 0)
            differ(o, "%s: %s \"%s\"; yajl: %s \"%s\"", o->name[i],
                   got ? "rejected" : "accepted", reason, want ? "rejected" : "accepted", why);
    }
    compare_trees(o, want, why);
    if (want == 0 && !o->mismatch.len) {
        compare_values(o, "after the parse");
        compare_shadows(o);
    }
    compare_stage1(o);
    return want;
}
