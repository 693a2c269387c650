/* equal.c: the one JSON equality, and hashes that agree with it.
 *
 * --schema (const, enum, uniqueItems) and the expression language (==,
 * in) compare values by this rule, on trees (tree.h). Work is on explicit
 * stacks in jp_members, not in recursion, so a value nested as deep as
 * --max-depth allows cannot exhaust a thread's stack. */
#include "equal.h"

#include <stdlib.h>
#include <string.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "hset.h"
#include "number.h"


static int key_order(const void *a, const void *b, void *text)
{
    const jp_node *x = *(const jp_node *const *)a, *y = *(const jp_node *const *)b;
    const char *t = text;
    size_t n = x->key_len < y->key_len ? x->key_len : y->key_len;
    int c = memcmp(t + x->key, t + y->key, n);
    if (c || x->key_len != y->key_len)
        return c ? c : x->key_len < y->key_len ? -1 : 1;
    return x < y ? -1 : x > y; /* a later copy after an earlier one */
}

int jp_same_key(const jp_side *s, const jp_node *x, const jp_node *y)
{
    return x->key_len == y->key_len && memcmp(s->text + x->key, s->text + y->key, x->key_len) == 0;
}

/* Room on m's stack for n more entries. */
static void members_reserve(jp_members *m, size_t n)
{
    if (m->cap - m->top < n) {
        m->cap = (m->top + n) * 2;
        m->v = jp_xrealloc(m->v, m->cap * sizeof *m->v);
    }
}

/* Pushes the members of obj sorted by key, the last copy of a key only (a
 * read sees the last copy), and returns how many. */
static size_t push_members(jp_members *m, const jp_side *s, const jp_node *obj)
{
    size_t at = m->top;
    members_reserve(m, obj->count);
    for (int32_t i = obj->first; i >= 0; i = s->nodes[i].next)
        m->v[m->top++] = &s->nodes[i];
    size_t n = m->top - at;
    if (n > 1)
        qsort_r(m->v + at, n, sizeof *m->v, key_order, (void *)s->text);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (i + 1 < n && jp_same_key(s, m->v[at + i], m->v[at + i + 1]))
            continue;
        m->v[at + k++] = m->v[at + i];
    }
    m->top = at + k;
    return k;
}

/* The levels of a value that its hash looks at. Below them an array or an
 * object hashes as its type alone, which equal values share, so the rule
 * holds and the recursion stays shallow: a record may be nested 100000
 * deep (--max-depth), more than a thread's stack holds frames for. */
#define HASH_LEVELS 64

static uint64_t hash_levels(jp_members *m, const jp_side *s, const jp_node *n, int levels)
{
    m->steps++;
    if (levels == 0 && (n->type == JP_ARRAY || n->type == JP_OBJECT))
        return n->type;
    switch (n->type) {
    case JP_NUMBER: return jp_number_hash(s->text + n->text, n->len);
    case JP_STRING: return XXH3_64bits_withSeed(s->text + n->text, n->len, JP_STRING);
    case JP_ARRAY: {
        uint64_t h = JP_ARRAY;
        for (int32_t i = n->first; i >= 0; i = s->nodes[i].next)
            h = jp_hash_mix(h, hash_levels(m, s, &s->nodes[i], levels - 1));
        return h;
    }
    case JP_OBJECT: {
        size_t at = m->top, k = push_members(m, s, n);
        uint64_t h = JP_OBJECT;
        for (size_t i = 0; i < k; i++) {
            const jp_node *c = m->v[at + i];
            h = jp_hash_mix(h, c->key_hash);
            h = jp_hash_mix(h, hash_levels(m, s, c, levels - 1));
        }
        m->top = at;
        return h;
    }
    default: /* null, true, false */
        return jp_hash_mix(n->type, n->len);
    }
}

uint64_t jp_value_hash(jp_members *m, const jp_side *s, const jp_node *n)
{
    return hash_levels(m, s, n, HASH_LEVELS);
}


/* Compares the nodes a and b as far as they go by themselves: scalars
 * wholly; arrays and objects by their counts and keys, leaving the pairs
 * of their children on m's stack, the first pair on top. */
static int node_equal(jp_members *m, const jp_side *as, const jp_node *a, const jp_side *bs,
                      const jp_node *b)
{
    if (a->type != b->type)
        return 0;
    switch (a->type) {
    case JP_NUMBER:
        return jp_number_cmp(as->text + a->text, a->len, bs->text + b->text, b->len) == 0;
    case JP_STRING:
    case JP_BOOLEAN:
        return a->len == b->len && jp_bytes_equal(as->text + a->text, bs->text + b->text, a->len);
    case JP_NULL: return 1;
    case JP_ARRAY: {
        if (a->count != b->count)
            return 0;
        members_reserve(m, 2 * (size_t)a->count);
        size_t at = m->top + 2 * (size_t)a->count;
        for (int32_t i = a->first, j = b->first; i >= 0;
             i = as->nodes[i].next, j = bs->nodes[j].next) {
            m->v[--at] = &bs->nodes[j];
            m->v[--at] = &as->nodes[i];
        }
        m->top += 2 * (size_t)a->count;
        return 1;
    }
    default: {
        size_t at = m->top, ka = push_members(m, as, a);
        size_t kb = push_members(m, bs, b);
        if (ka != kb)
            return 0;
        const jp_node **x = m->v + at, **y = x + ka;
        for (size_t i = 0; i < ka; i++)
            if (x[i]->key_len != y[i]->key_len ||
                memcmp(as->text + x[i]->key, bs->text + y[i]->key, x[i]->key_len) != 0)
                return 0;
        /* The members become pairs: written past them, then moved down. */
        members_reserve(m, 2 * ka);
        x = m->v + at;
        y = x + ka;
        const jp_node **pairs = m->v + at + 2 * ka;
        for (size_t i = 0; i < ka; i++) {
            pairs[2 * (ka - 1 - i)] = x[i];
            pairs[2 * (ka - 1 - i) + 1] = y[i];
        }
        memmove(m->v + at, pairs, 2 * ka * sizeof *pairs);
        m->top = at + 2 * ka;
        return 1;
    }
    }
}

int jp_value_equal(jp_members *m, const jp_side *as, const jp_node *a, const jp_side *bs,
                   const jp_node *b)
{
    /* The pairs still to compare wait on m's stack, not in recursion: a
     * record may be nested 100000 deep (--max-depth), more than a thread's
     * stack holds frames for. Depth first, in order, as recursion would. */
    size_t base = m->top;
    members_reserve(m, 2);
    m->v[m->top++] = a;
    m->v[m->top++] = b;
    int eq = 1;
    while (eq && m->top > base) {
        const jp_node *y = m->v[--m->top], *x = m->v[--m->top];
        m->steps++;
        eq = node_equal(m, as, x, bs, y);
    }
    m->top = base;
    return eq;
}
