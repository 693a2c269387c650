/* flatten.c: --flatten[=SEP] lifts the members of nested objects to the
 * top, their keys joined by SEP (default "."): {"a":{"b":1}} becomes
 * {"a.b":1}, what CSV output and column stores want. Arrays, the objects
 * inside them, and empty objects stay values. Values keep their bytes as
 * written; a joined key is decoded, joined and quoted anew, a key left
 * alone keeps its bytes. A record that is not an object has no keys to
 * join and passes as it is.
 *
 * Two rules decide what a key given twice becomes. Within one object of
 * the input, only the last copy of a key counts, as everywhere in
 * jsonpipe (record.h): earlier copies, and everything inside them, are
 * left out. Two keys that flatten to one ({"a.b":1,"a":{"b":2}}) are
 * assigned in order, as JavaScript's obj[k] = v would be: the last value,
 * at the place of the first key.
 *
 * The walk is over the record's bytes, with a stack of its own rather than
 * recursion, so --max-depth 100000 costs heap, not the thread's stack. The
 * members of an object are read before its walk (for the copies of a
 * key), which skips each nested object; below the top the skips look up
 * where the object ends (object_ends) rather than scan it again at every
 * level around it, which made an object d deep cost d^2. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <xxhash.h>

#include "json.h"
#include "processor.h"

typedef struct flatten {
    char *sep;
    size_t sep_len;
} flatten;

/* A member of an object of the record, or a pair of the output. */
typedef struct entry {
    size_t key, key_len;    /* its key, decoded (a pair's: joined), in text */
    size_t raw, raw_end;    /* the key as written, or raw_end == 0: quote it anew */
    size_t value, value_end;
    int gone;               /* a shadowed member; a pair assigned to an earlier one */
} entry;

/* An object being walked: its members are members[base, base + count). */
typedef struct frame {
    size_t base, count, next;
    size_t prefix_len;      /* the prefix to go back to once it is done */
} frame;

/* Per thread, reused from record to record. */
typedef struct flatten_local {
    jp_buf text;            /* decoded keys and joined keys */
    jp_buf prefix;          /* the keys of the objects walked, each with SEP */
    jp_buf out;
    entry *members, *pairs;
    size_t nmembers, members_cap, npairs, pairs_cap;
    frame *frames;
    size_t nframes, frames_cap;
    int32_t *slots;         /* open addressing over entries' keys */
    size_t nslots, mask;
    /* Every '{' of the record in order, and the offset past its '}', once
     * the walk goes below the top object (have_ends). */
    size_t *obj_open, *obj_end, nobj, obj_cap;
    int64_t *open_stack;    /* while finding them: an object's index, or -1 */
    size_t stack_cap;
    int have_ends;
} flatten_local;

static void *flatten_create(const char *arg, jp_setup *setup, char *err, size_t errlen)
{
    const char *sep = arg ? arg : ".";
    if (!*sep) {
        snprintf(err, errlen, "the separator is empty (leave out =SEP for \".\")");
        return NULL;
    }
    jp_buf check = {0};
    int exact = jp_json_quote(&check, sep, strlen(sep));
    jp_buf_free(&check);
    if (!exact) {
        snprintf(err, errlen, "the separator is not valid UTF-8");
        return NULL;
    }
    flatten *self = jp_xmalloc(sizeof *self);
    self->sep = jp_xstrdup(sep);
    self->sep_len = strlen(sep);
    return self;
}

static void flatten_destroy(void *arg)
{
    flatten *self = arg;
    free(self->sep);
    free(self);
}

static void *flatten_local_new(const void *self)
{
    return jp_xcalloc(1, sizeof(flatten_local));
}

static void flatten_local_free(void *arg)
{
    flatten_local *l = arg;
    jp_buf_free(&l->text);
    jp_buf_free(&l->prefix);
    jp_buf_free(&l->out);
    free(l->members);
    free(l->pairs);
    free(l->frames);
    free(l->slots);
    free(l->obj_open);
    free(l->obj_end);
    free(l->open_stack);
    free(l);
}

static entry *push_entry(entry **v, size_t *n, size_t *cap)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        *v = jp_xrealloc(*v, *cap * sizeof **v);
    }
    entry *e = &(*v)[(*n)++];
    memset(e, 0, sizeof *e);
    return e;
}

/* Empties the key table for n entries; its size follows n, so a small
 * record after a big one clears little. */
static void slots_reset(flatten_local *l, size_t n)
{
    size_t want = 16;
    while (want < 2 * n)
        want *= 2;
    if (want > l->nslots) {
        l->slots = jp_xrealloc(l->slots, want * sizeof *l->slots);
        l->nslots = want;
    }
    for (size_t i = 0; i < want; i++)
        l->slots[i] = -1;
    l->mask = want - 1;
}

/* The slot of e's key among entries v: it holds the index of an entry with
 * the same key, or -1 where the key would go. */
static int32_t *slot_for(flatten_local *l, const entry *v, const entry *e)
{
    const char *text = l->text.data;
    size_t s = XXH3_64bits(text + e->key, e->key_len) & l->mask;
    for (;; s = (s + 1) & l->mask) {
        int32_t i = l->slots[s];
        if (i < 0 || (v[i].key_len == e->key_len &&
                      memcmp(text + v[i].key, text + e->key, e->key_len) == 0))
            return &l->slots[s];
    }
}

/* Finds where each object of the record s[0..n) (valid JSON) ends. */
static void object_ends(flatten_local *l, const char *s, size_t n)
{
    size_t depth = 0;
    l->nobj = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == '"') {
            for (i++; s[i] != '"'; i++)
                if (s[i] == '\\')
                    i++;
        } else if (ch == '{' || ch == '[') {
            if (depth == l->stack_cap) {
                l->stack_cap = l->stack_cap ? l->stack_cap * 2 : 64;
                l->open_stack = jp_xrealloc(l->open_stack, l->stack_cap * sizeof *l->open_stack);
            }
            l->open_stack[depth++] = ch == '{' ? (int64_t)l->nobj : -1;
            if (ch == '[')
                continue;
            if (l->nobj == l->obj_cap) {
                l->obj_cap = l->obj_cap ? l->obj_cap * 2 : 64;
                l->obj_open = jp_xrealloc(l->obj_open, l->obj_cap * sizeof *l->obj_open);
                l->obj_end = jp_xrealloc(l->obj_end, l->obj_cap * sizeof *l->obj_end);
            }
            l->obj_open[l->nobj++] = i;
        } else if (ch == '}' || ch == ']') {
            int64_t k = l->open_stack[--depth];
            if (k >= 0)
                l->obj_end[k] = i + 1;
        }
    }
    l->have_ends = 1;
}

/* Just past the value that starts at s[at]. */
static size_t value_end(const flatten_local *l, const char *s, size_t n, size_t at)
{
    if (s[at] != '{' || !l->have_ends)
        return jp_json_value_end(s, n, at);
    size_t lo = 0, hi = l->nobj; /* obj_open[lo..hi) holds at */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (l->obj_open[mid] <= at)
            lo = mid;
        else
            hi = mid;
    }
    return l->obj_end[lo];
}

/* Reads the members of the object at at (the record's bytes s) into
 * members, marks every copy of a key but the last as gone, and starts a
 * frame for them. Returns whether some copy was gone. */
static int open_object(flatten_local *l, const char *s, size_t n, size_t at, size_t prefix_len)
{
    size_t base = l->nmembers;
    at = jp_json_skip_blank(s, n, at + 1);
    while (s[at] != '}') {
        entry *m = push_entry(&l->members, &l->nmembers, &l->members_cap);
        m->raw = at;
        m->raw_end = jp_json_value_end(s, n, at);
        m->key = l->text.len;
        jp_json_unquote(&l->text, s + m->raw, m->raw_end - m->raw);
        m->key_len = l->text.len - m->key;
        at = jp_json_skip_blank(s, n, m->raw_end);
        m->value = jp_json_skip_blank(s, n, at + 1); /* past the ':' */
        m->value_end = value_end(l, s, n, m->value);
        at = jp_json_skip_blank(s, n, m->value_end);
        if (s[at] == ',')
            at = jp_json_skip_blank(s, n, at + 1);
    }
    size_t count = l->nmembers - base;
    int shadowed = 0;
    if (count > 1) {
        entry *v = l->members + base;
        slots_reset(l, count);
        for (size_t i = 0; i < count; i++) {
            int32_t *slot = slot_for(l, v, &v[i]);
            if (*slot >= 0) {
                v[*slot].gone = 1;
                shadowed = 1;
            }
            *slot = (int32_t)i;
        }
    }
    if (l->nframes == l->frames_cap) {
        l->frames_cap = l->frames_cap ? l->frames_cap * 2 : 16;
        l->frames = jp_xrealloc(l->frames, l->frames_cap * sizeof *l->frames);
    }
    l->frames[l->nframes++] = (frame){base, count, 0, prefix_len};
    return shadowed;
}

static int nonempty_object(const char *s, size_t n, const entry *m)
{
    return s[m->value] == '{' && s[jp_json_skip_blank(s, n, m->value + 1)] != '}';
}

/* Walks the record's object into pairs. Returns whether the output
 * differs from the record. */
static int walk(flatten_local *l, const flatten *self, const char *s, size_t n)
{
    int changed = open_object(l, s, n, jp_json_skip_blank(s, n, 0), 0);
    while (l->nframes) {
        frame *f = &l->frames[l->nframes - 1];
        if (f->next == f->count) {
            l->nmembers = f->base;
            l->prefix.len = f->prefix_len;
            l->nframes--;
            continue;
        }
        size_t mi = f->base + f->next++;
        entry m = l->members[mi];
        if (m.gone)
            continue;
        if (nonempty_object(s, n, &m)) {
            size_t before = l->prefix.len;
            jp_buf_append(&l->prefix, l->text.data + m.key, m.key_len);
            jp_buf_append(&l->prefix, self->sep, self->sep_len);
            changed = 1;
            if (!l->have_ends)
                object_ends(l, s, n);
            changed |= open_object(l, s, n, m.value, before);
            continue;
        }
        entry *p = push_entry(&l->pairs, &l->npairs, &l->pairs_cap);
        *p = m;
        if (l->prefix.len) {
            p->raw_end = 0;
            p->key = l->text.len;
            jp_buf_reserve(&l->text, l->prefix.len + m.key_len); /* m.key is in text */
            jp_buf_append(&l->text, l->prefix.data, l->prefix.len);
            jp_buf_append(&l->text, l->text.data + m.key, m.key_len);
            p->key_len = l->text.len - p->key;
        }
    }
    return changed;
}

/* A pair whose key an earlier pair has gives that one its value. */
static void assign_in_order(flatten_local *l)
{
    slots_reset(l, l->npairs);
    for (size_t i = 0; i < l->npairs; i++) {
        int32_t *slot = slot_for(l, l->pairs, &l->pairs[i]);
        if (*slot < 0) {
            *slot = (int32_t)i;
            continue;
        }
        l->pairs[*slot].value = l->pairs[i].value;
        l->pairs[*slot].value_end = l->pairs[i].value_end;
        l->pairs[i].gone = 1;
    }
}

static jp_verdict flatten_process(const void *arg, void *local, jp_record *rec)
{
    const flatten *self = arg;
    flatten_local *l = local;
    if (jp_record_get(rec, 0)->type != JP_OBJECT)
        return JP_PASS;
    size_t n;
    const char *s = jp_record_bytes(rec, &n);
    l->text.len = l->prefix.len = 0;
    jp_buf_reserve(&l->text, 1); /* keys may all be empty: text is never NULL */
    l->nmembers = l->npairs = l->nframes = 0;
    l->have_ends = 0;
    if (!walk(l, self, s, n))
        return JP_PASS;
    assign_in_order(l);

    jp_buf *out = &l->out;
    out->len = 0;
    jp_buf_putc(out, '{');
    int first = 1;
    for (size_t i = 0; i < l->npairs; i++) {
        const entry *p = &l->pairs[i];
        if (p->gone)
            continue;
        if (!first)
            jp_buf_putc(out, ',');
        first = 0;
        if (p->raw_end)
            jp_buf_append(out, s + p->raw, p->raw_end - p->raw);
        else
            jp_json_quote(out, l->text.data + p->key, p->key_len);
        jp_buf_putc(out, ':');
        jp_buf_append(out, s + p->value, p->value_end - p->value);
    }
    jp_buf_putc(out, '}');
    jp_record_replace(rec, out->data, out->len);
    return JP_MODIFIED;
}

const jp_processor_type jp_flatten_processor = {
    .name = "flatten",
    .metavar = "SEP",
    .optional_arg = 1,
    .help = "nested objects become keys joined by SEP (.)",
    .group = "reshape",
    .example = "--flatten",
    .cpu_heavy = 0,
    .create = flatten_create,
    .local_new = flatten_local_new,
    .local_free = flatten_local_free,
    .process = flatten_process,
    .destroy = flatten_destroy,
};
