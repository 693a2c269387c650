/* tree.c: building a value's tree from parse events (the scanner's or yajl's).
 *
 * An object that has a key more than once keeps only its last copy, at
 * that copy's place, as ECMAScript, Python and Go do: --schema judges what
 * those readers see, and a shadowed copy neither fails nor passes a record.
 * Keys are compared decoded, so "a" and "\u0061" are one key. */
#include "tree.h"

#include <limits.h>
#include <stdlib.h>
#define XXH_INLINE_ALL /* keys are short: a call costs as much as the hash */
#include <xxhash.h>

#include "json.h"
#include "yajl_events.h"

/* A container being filled. An object's keys so far each set one bit of
 * seen (by their hash): while no two set the same bit, no key came twice,
 * and most objects are closed without looking for copies. */
typedef struct open_container {
    int32_t node;
    int32_t last; /* its last child so far, or -1 */
    uint64_t seen[4];
    int maybe_copies;
} open_container;

struct jp_tree {
    jp_node *nodes;
    int32_t n, cap;
    jp_buf text;          /* keys, strings and numbers, back to back */
    open_container *open;
    int every_copy;       /* keep shadowed copies (jp_tree_keep_every_copy) */
    int32_t depth, open_cap;
    size_t pending_key, pending_key_len;
    uint64_t pending_key_hash;
    int have_key;
    int32_t *slots;       /* open addressing over an object's keys, reused */
    size_t nslots;
    jp_yajl_events *yajl; /* for jp_tree_build, made at its first use */
};

static int32_t add(jp_tree *t, jp_type type)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 256;
        t->nodes = jp_xrealloc(t->nodes, (size_t)t->cap * sizeof *t->nodes);
    }
    int32_t i = t->n++;
    jp_node *x = &t->nodes[i];
    int keyed = t->have_key;
    t->have_key = 0;
    *x = (jp_node){.type = type, .first = -1, .next = -1};
    if (keyed) {
        x->key = t->pending_key;
        x->key_len = t->pending_key_len;
        x->key_hash = t->pending_key_hash;
    }
    if (t->depth > 0) {
        open_container *o = &t->open[t->depth - 1];
        if (o->last < 0)
            t->nodes[o->node].first = i;
        else
            t->nodes[o->last].next = i;
        o->last = i;
        t->nodes[o->node].count++;
        if (keyed) {
            uint64_t bit = 1ULL << (x->key_hash & 63), *word = &o->seen[(x->key_hash >> 6) & 3];
            o->maybe_copies |= (*word & bit) != 0;
            *word |= bit;
        }
    }
    return i;
}

static size_t keep(jp_tree *t, const void *p, size_t n)
{
    size_t off = t->text.len;
    jp_buf_append(&t->text, p, n);
    return off;
}

/* A scalar whose text is already in the tree's at off. */
static void scalar_at(jp_tree *t, jp_type type, size_t off, size_t n)
{
    int32_t i = add(t, type);
    t->nodes[i].text = off;
    t->nodes[i].len = n;
}

void jp_tree_scalar(jp_tree *t, jp_type type, const void *p, size_t n)
{
    scalar_at(t, type, keep(t, p, n), n);
}


void jp_tree_open(jp_tree *t, jp_type type)
{
    int32_t i = add(t, type);
    if (t->depth == t->open_cap) {
        t->open_cap = t->open_cap ? t->open_cap * 2 : 32;
        t->open = jp_xrealloc(t->open, (size_t)t->open_cap * sizeof *t->open);
    }
    t->open[t->depth++] = (open_container){.node = i, .last = -1};
}

static int same_key(const jp_tree *t, const jp_node *a, const jp_node *b)
{
    return a->key_len == b->key_len &&
           memcmp(jp_tree_text(t, a->key), jp_tree_text(t, b->key), a->key_len) == 0;
}

/* Marks every member of object i whose key comes again later in it as
 * JP_ABSENT; returns whether there was one. A small object's members are
 * compared pairwise by their keys' hashes; a larger one's go through a
 * hash table, so this stays linear in the object's size. */
#define PAIRWISE_MAX 16
static int mark_shadowed(jp_tree *t, jp_node *obj)
{
    int dropped = 0;
    if (obj->count <= PAIRWISE_MAX) {
        for (int32_t c = obj->first; c >= 0; c = t->nodes[c].next)
            for (int32_t d = t->nodes[c].next; d >= 0; d = t->nodes[d].next)
                if (t->nodes[d].key_hash == t->nodes[c].key_hash &&
                    same_key(t, &t->nodes[c], &t->nodes[d])) {
                    t->nodes[c].type = JP_ABSENT;
                    dropped = 1;
                    break;
                }
        return dropped;
    }
    size_t want = 16;
    while (want < 2 * (size_t)obj->count)
        want *= 2;
    if (want > t->nslots) {
        t->slots = jp_xrealloc(t->slots, want * sizeof *t->slots);
        t->nslots = want;
    }
    for (size_t s = 0; s < want; s++)
        t->slots[s] = -1;
    for (int32_t c = obj->first; c >= 0; c = t->nodes[c].next) {
        jp_node *m = &t->nodes[c];
        size_t s = m->key_hash & (want - 1);
        while (t->slots[s] >= 0 && !same_key(t, &t->nodes[t->slots[s]], m))
            s = (s + 1) & (want - 1);
        if (t->slots[s] >= 0) {
            t->nodes[t->slots[s]].type = JP_ABSENT;
            dropped = 1;
        }
        t->slots[s] = c;
    }
    return dropped;
}

/* Unlinks every member of object i whose key comes again later in it. */
static void keep_last_copies(jp_tree *t, int32_t i)
{
    jp_node *obj = &t->nodes[i];
    if (!mark_shadowed(t, obj))
        return;
    for (int32_t *link = &obj->first; *link >= 0;) {
        if (t->nodes[*link].type == JP_ABSENT) {
            *link = t->nodes[*link].next;
            obj->count--;
        } else {
            link = &t->nodes[*link].next;
        }
    }
}

void jp_tree_close(jp_tree *t)
{
    open_container *o = &t->open[--t->depth];
    if (o->maybe_copies && t->nodes[o->node].type == JP_OBJECT && !t->every_copy)
        keep_last_copies(t, o->node);
}

uint64_t jp_key_hash(const void *key, size_t n)
{
    return XXH3_64bits(key, n);
}

/* The next value's key, whose text is already in the tree's at off. */
static void key_at(jp_tree *t, size_t off, size_t len)
{
    t->pending_key = off;
    t->pending_key_len = len;
    t->pending_key_hash = jp_key_hash(t->text.data + off, len);
    t->have_key = 1;
}

void jp_tree_key(jp_tree *t, const void *key, size_t len)
{
    key_at(t, keep(t, key, len), len);
}

jp_tree *jp_tree_new(void)
{
    return jp_xcalloc(1, sizeof(jp_tree));
}

void jp_tree_keep_every_copy(jp_tree *t)
{
    t->every_copy = 1;
}

void jp_tree_free(jp_tree *t)
{
    if (!t)
        return;
    jp_yajl_events_free(t->yajl);
    free(t->nodes);
    free(t->open);
    free(t->slots);
    jp_buf_free(&t->text);
    free(t);
}

void jp_tree_reset(jp_tree *t)
{
    t->n = 0;
    t->depth = 0;
    t->have_key = 0;
    t->text.len = 0;
}

/* jp_tree_build wants the tree alone. */
static int skip_open(void *ctx, jp_type type, size_t at) { (void)ctx, (void)type, (void)at; return JP_EV_SKIP; }
static void skip_close(void *ctx, size_t end) { (void)ctx, (void)end; }
static int skip_key(void *ctx, size_t start, size_t end) { (void)ctx, (void)start, (void)end; return JP_EV_SKIP; }
static void skip_scalar(void *ctx, jp_type type, size_t start, size_t end) { (void)ctx, (void)type, (void)start, (void)end; }
static const jp_json_listener skip_all = {skip_open, skip_close, skip_key, skip_scalar};

int jp_tree_build(jp_tree *t, const char *json, size_t len)
{
    /* yajl, as the record path's reference parser: strings are decoded as
     * a record's are, and the bytes are held to the same RFC 8259. */
    if (!t->yajl)
        t->yajl = jp_yajl_events_new();
    jp_parse_error err;
    int rc = jp_yajl_events_parse(t->yajl, json, len, INT_MAX, &skip_all, NULL, t, &err);
    return rc == 0 && t->n > 0 ? 0 : -1;
}

/* ---- a tree fed by the record's parse ---- */

void jp_tree_feed_start(jp_tree_feed *feed, const char *data, size_t n)
{
    /* The tree's text starts as a copy of the line, one copy instead of
     * one per value: most values' text is in it as it stands. */
    jp_tree_reset(feed->tree);
    jp_buf_append(&feed->tree->text, data, n);
    jp_json_escapes_start(&feed->escapes, data, n);
    feed->depth = 0;
    feed->muted_at = 0;
}

/* The decoded text of the literal at [start, end) of the tree's text,
 * appended to it; returns where it starts. Apart, so that the common case
 * in feed_text stays small. */
static __attribute__((noinline)) size_t decode_text(jp_buf *text, size_t start, size_t end,
                                                     size_t *len)
{
    /* Decoded text is never longer than its literal: with room for that
     * first, the literal it is decoded from stays in place. */
    jp_buf_reserve(text, end - start);
    size_t at = text->len;
    jp_json_unquote(text, text->data + start, end - start);
    *len = text->len - at;
    return at;
}

/* Where the text of the string literal at [start, end) of the line (quotes
 * included) is in the tree's text: in the line's copy, or decoded after
 * it. */
static size_t feed_text(jp_tree_feed *feed, size_t start, size_t end, size_t *len)
{
    if (!jp_json_escaped(&feed->escapes, start, end)) {
        *len = end - start - 2;
        return start + 1;
    }
    return decode_text(&feed->tree->text, start, end, len);
}

static int feed_open(void *ctx, jp_type type, size_t at)
{
    jp_tree_feed *feed = ctx;
    jp_tree_open(feed->tree, type);
    feed->depth++;
    if (!feed->muted_at && feed->next->open(feed->next_ctx, type, at) == JP_EV_SKIP)
        feed->muted_at = feed->depth;
    return JP_EV_ENTER;
}

static void feed_close(void *ctx, size_t end)
{
    jp_tree_feed *feed = ctx;
    jp_tree_close(feed->tree);
    if (!feed->muted_at || feed->muted_at == feed->depth) {
        feed->muted_at = 0;
        feed->next->close(feed->next_ctx, end);
    }
    feed->depth--;
}

/* The tree wants every value, so the next listener's skip goes unheeded. */
static int feed_key(void *ctx, size_t start, size_t end)
{
    jp_tree_feed *feed = ctx;
    size_t n, at = feed_text(feed, start, end, &n);
    key_at(feed->tree, at, n);
    if (!feed->muted_at)
        feed->next->key(feed->next_ctx, start, end);
    return JP_EV_ENTER;
}

static void feed_scalar(void *ctx, jp_type type, size_t start, size_t end)
{
    jp_tree_feed *feed = ctx;
    if (type == JP_STRING) {
        size_t n, at = feed_text(feed, start, end, &n);
        scalar_at(feed->tree, type, at, n);
    } else {
        scalar_at(feed->tree, type, start, end - start);
    }
    if (!feed->muted_at)
        feed->next->scalar(feed->next_ctx, type, start, end);
}

const jp_json_listener jp_tree_feed_listener = {feed_open, feed_close, feed_key, feed_scalar};

const jp_node *jp_tree_node(const jp_tree *t, int32_t i)
{
    return &t->nodes[i];
}

const char *jp_tree_text(const jp_tree *t, size_t off)
{
    /* A tree whose strings are all empty has no text buffer at all. */
    return t->text.data ? t->text.data + off : "";
}
