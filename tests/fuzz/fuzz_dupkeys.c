/* fuzz_dupkeys.c: libFuzzer target, and property test, for edits of
 * duplicate keys. The input is not JSON: its bytes choose records, objects
 * whose keys (a, b, c, z, each sometimes spelled with a \u escape) repeat
 * at every level, and whose every string and number is unique in the
 * record. Each record goes through chains that read or edit the paths a,
 * b.a and b.c.a, and each output is parsed with yajl's tree (which keeps
 * every copy of a key) and checked against the rule of DUPLICATE KEYS in
 * jsonpipe(1):
 *   --delete P     no copy of P is left, under any copy of a parent;
 *   --hash P       no value from any copy of P is left anywhere; P is there
 *                  once, the digest of the last copy, which a record without
 *                  it (as a reader keeping the last sees it) does not gain;
 *   --set P        P is there once, with the new value, and no old value;
 *   --rename P=Q   no copy of P, and Q once with the last copy's value;
 *   --select P     P once, equal to the last copy;
 *   --require P, --types P=string   judge the last copy.
 * Seeds of random bytes make the replay in make check a few hundred random
 * records. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>
#include <yajl/yajl_tree.h>

#include "fuzz.h"

/* Generating records. */

typedef struct gen {
    const uint8_t *p;
    size_t n, at;
    unsigned counter; /* makes every string and number unique */
    jp_buf out;
} gen;

/* A choice among k; 0 once the input is used up, which ends everything. */
static unsigned pick(gen *g, unsigned k)
{
    return g->at < g->n ? g->p[g->at++] % k : 0;
}

static void blanks(gen *g)
{
    if (pick(g, 5) == 1)
        jp_buf_append(&g->out, " ", 1);
}

static void gen_key(gen *g)
{
    static const char keys[] = "abcz";
    static const char hex[] = "0123456789abcdef0123456789ABCDEF";
    char k = keys[pick(g, 4)];
    unsigned style = pick(g, 4);
    jp_buf_putc(&g->out, '"');
    if (style >= 2) { /* \u0061 or \u0061 in capitals: the same key */
        int upper = style == 3 ? 16 : 0;
        jp_buf_printf(&g->out, "\\u00%c%c", hex[(k >> 4) + upper], hex[(k & 15) + upper]);
    } else {
        jp_buf_putc(&g->out, k);
    }
    jp_buf_putc(&g->out, '"');
}

static void gen_value(gen *g, int depth);

static void gen_members(gen *g, int depth, unsigned most)
{
    jp_buf_putc(&g->out, '{');
    unsigned n = pick(g, most + 1);
    for (unsigned i = 0; i < n; i++) {
        if (i) {
            jp_buf_putc(&g->out, ',');
            blanks(g);
        }
        gen_key(g);
        blanks(g);
        jp_buf_putc(&g->out, ':');
        blanks(g);
        gen_value(g, depth + 1);
    }
    jp_buf_putc(&g->out, '}');
}

static void gen_value(gen *g, int depth)
{
    unsigned c = pick(g, depth >= 4 ? 3 : 7);
    g->counter++;
    switch (c) {
    case 0: /* "v12", its v sometimes escaped */
        jp_buf_printf(&g->out, pick(g, 3) ? "\"v%u\"" : "\"\\u0076%u\"", g->counter);
        break;
    case 1:
        jp_buf_printf(&g->out, "%u", 100000 + g->counter);
        break;
    case 2: {
        static const char *const lit[] = {"true", "false", "null"};
        jp_buf_printf(&g->out, "%s", lit[pick(g, 3)]);
        break;
    }
    case 3: { /* an array, of objects too */
        unsigned n = pick(g, 4);
        jp_buf_putc(&g->out, '[');
        for (unsigned i = 0; i < n; i++) {
            if (i)
                jp_buf_putc(&g->out, ',');
            gen_value(g, depth + 1);
        }
        jp_buf_putc(&g->out, ']');
        break;
    }
    default:
        gen_members(g, depth, 4);
    }
}

/* Reading the outputs back: yajl's tree keeps every copy of a key. */

typedef struct path {
    const char *name;      /* as the processors take it */
    const char *comps[3];
    int n;
    const char *sibling;   /* a key none of the records has, in P's object */
} path;

static const path paths[] = {
    {"a", {"a"}, 1, "y"},
    {"b.a", {"b", "a"}, 2, "b.y"},
    {"b.c.a", {"b", "c", "a"}, 3, "b.c.y"},
};
#define NPATHS (int)(sizeof paths / sizeof paths[0])

static const path top_y = {"y", {"y"}, 1, NULL};
static const path sibling_of[] = {
    {"b.y", {"b", "y"}, 2, NULL},
    {"b.c.y", {"b", "c", "y"}, 3, NULL},
};

/* Calls fn for every copy of the path in v: every member with the key, in
 * every copy of every parent. */
static void each_copy(yajl_val v, const char *const *comps, int n,
                      void (*fn)(void *, yajl_val), void *ctx)
{
    if (!YAJL_IS_OBJECT(v))
        return;
    for (size_t i = 0; i < v->u.object.len; i++)
        if (strcmp(v->u.object.keys[i], comps[0]) == 0) {
            if (n == 1)
                fn(ctx, v->u.object.values[i]);
            else
                each_copy(v->u.object.values[i], comps + 1, n - 1, fn, ctx);
        }
}

static void count_one(void *ctx, yajl_val v)
{
    ++*(int *)ctx;
}

static int copies(yajl_val v, const path *p)
{
    int n = 0;
    each_copy(v, p->comps, p->n, count_one, &n);
    return n;
}

/* What a reader keeping the last copy of every key sees at the path, or
 * NULL. With parent_not_object, whether the walk stopped at a parent that
 * is there but not an object. */
static yajl_val last_copy(yajl_val v, const path *p, int *parent_not_object)
{
    if (parent_not_object)
        *parent_not_object = 0;
    for (int k = 0; k < p->n; k++) {
        if (!YAJL_IS_OBJECT(v)) {
            if (parent_not_object)
                *parent_not_object = 1;
            return NULL;
        }
        yajl_val found = NULL;
        for (size_t i = 0; i < v->u.object.len; i++)
            if (strcmp(v->u.object.keys[i], p->comps[k]) == 0)
                found = v->u.object.values[i];
        if (!found)
            return NULL;
        v = found;
    }
    return v;
}

/* Every string and number of the record is unique, so one that an edit
 * should have removed is found by its text anywhere in the output. */
typedef struct texts {
    const char *v[512];
    int n;
} texts;

static void collect(void *ctx, yajl_val v)
{
    texts *t = ctx;
    if (YAJL_IS_STRING(v) || YAJL_IS_NUMBER(v)) {
        FUZZ_CHECK(t->n < 512);
        t->v[t->n++] = YAJL_IS_STRING(v) ? v->u.string : v->u.number.r;
    } else if (YAJL_IS_OBJECT(v)) {
        for (size_t i = 0; i < v->u.object.len; i++)
            collect(ctx, v->u.object.values[i]);
    } else if (YAJL_IS_ARRAY(v)) {
        for (size_t i = 0; i < v->u.array.len; i++)
            collect(ctx, v->u.array.values[i]);
    }
}

static int holds_any(yajl_val v, const texts *t)
{
    if (YAJL_IS_STRING(v) || YAJL_IS_NUMBER(v)) {
        const char *s = YAJL_IS_STRING(v) ? v->u.string : v->u.number.r;
        for (int i = 0; i < t->n; i++)
            if (strcmp(s, t->v[i]) == 0)
                return 1;
    } else if (YAJL_IS_OBJECT(v)) {
        for (size_t i = 0; i < v->u.object.len; i++)
            if (holds_any(v->u.object.values[i], t))
                return 1;
    } else if (YAJL_IS_ARRAY(v)) {
        for (size_t i = 0; i < v->u.array.len; i++)
            if (holds_any(v->u.array.values[i], t))
                return 1;
    }
    return 0;
}

/* Equal as written: same kinds, same texts, members in the same order. */
static int same(yajl_val a, yajl_val b)
{
    if (a->type != b->type)
        return 0;
    if (YAJL_IS_STRING(a))
        return strcmp(a->u.string, b->u.string) == 0;
    if (YAJL_IS_NUMBER(a))
        return strcmp(a->u.number.r, b->u.number.r) == 0;
    if (YAJL_IS_OBJECT(a)) {
        if (a->u.object.len != b->u.object.len)
            return 0;
        for (size_t i = 0; i < a->u.object.len; i++)
            if (strcmp(a->u.object.keys[i], b->u.object.keys[i]) != 0 ||
                !same(a->u.object.values[i], b->u.object.values[i]))
                return 0;
        return 1;
    }
    if (YAJL_IS_ARRAY(a)) {
        if (a->u.array.len != b->u.array.len)
            return 0;
        for (size_t i = 0; i < a->u.array.len; i++)
            if (!same(a->u.array.values[i], b->u.array.values[i]))
                return 0;
    }
    return 1;
}

/* Running the chains. */

enum op { DELETE, HASH, SET, SELECT, RENAME_SIBLING, RENAME_TOP, REQUIRE, TYPES, NOPS };

typedef struct runner {
    jp_chain chain;
    jp_chain_worker *worker;
} runner;

/* Made once, on first use, and kept for the life of the process. */
static runner runners[NPATHS][NOPS];

static void make_runners(void)
{
    for (int i = 0; i < NPATHS; i++) {
        const path *p = &paths[i];
        char arg[NOPS][64];
        snprintf(arg[DELETE], 64, "%s", p->name);
        snprintf(arg[HASH], 64, "%s=xxh64", p->name);
        snprintf(arg[SET], 64, "%s=x", p->name);
        snprintf(arg[SELECT], 64, "%s", p->name);
        snprintf(arg[RENAME_SIBLING], 64, "%s=%s", p->name, p->sibling);
        snprintf(arg[RENAME_TOP], 64, "%s=y", p->name);
        snprintf(arg[REQUIRE], 64, "%s", p->name);
        snprintf(arg[TYPES], 64, "%s=string", p->name);
        static const char *const names[NOPS] = {"delete", "hash", "set", "select", "rename",
                                                "rename", "require", "types"};
        for (int op = 0; op < NOPS; op++) {
            const char *args[] = {names[op], arg[op], NULL};
            FUZZ_CHECK(fuzz_chain(&runners[i][op].chain, args) == 0);
            runners[i][op].worker = jp_chain_worker_new(&runners[i][op].chain, NULL);
        }
    }
}

/* Runs one record through a chain: its output parsed, or NULL when the
 * record was rejected. */
static yajl_val run(runner *r, const jp_buf *line)
{
    jp_batch *b = jp_batch_new(line->len + 1);
    memcpy(b->in, line->data, line->len);
    b->in_len = line->len;
    jp_batch_add_segment(b, 0, "fuzz", 0, 0, NULL);
    jp_chain_run(r->worker, b);
    FUZZ_CHECK(b->records_in == 1 && b->records_out + b->rejected == 1);
    yajl_val v = NULL;
    if (b->records_out) {
        char why[128];
        jp_buf_putc(&b->out, '\0');
        v = yajl_tree_parse(b->out.data, why, sizeof why);
        FUZZ_CHECK(v != NULL);
    }
    jp_batch_free(b);
    return v;
}

static void digest_of(yajl_val v, char *out)
{
    const char *s = YAJL_IS_STRING(v) ? v->u.string : v->u.number.r;
    XXH64_canonical_t c;
    XXH64_canonicalFromHash(&c, XXH64(s, strlen(s), 0));
    for (int i = 0; i < 8; i++)
        sprintf(out + 2 * i, "%02x", c.digest[i]);
}

static void check_path(int i, yajl_val in, const jp_buf *line)
{
    const path *p = &paths[i];
    const path *sib = i == 0 ? &top_y : &sibling_of[i - 1];
    int blocked;
    yajl_val last = last_copy(in, p, &blocked);
    texts old = {.n = 0};
    each_copy(in, p->comps, p->n, collect, &old);
    yajl_val out;

    out = run(&runners[i][DELETE], line);
    FUZZ_CHECK(out && copies(out, p) == 0 && !holds_any(out, &old));
    yajl_tree_free(out);

    out = run(&runners[i][HASH], line);
    if (last && !YAJL_IS_STRING(last) && !YAJL_IS_NUMBER(last)) {
        FUZZ_CHECK(out == NULL); /* only the copy read decides */
    } else {
        FUZZ_CHECK(out && !holds_any(out, &old));
        if (last) {
            char want[17];
            digest_of(last, want);
            yajl_val got = last_copy(out, p, NULL);
            FUZZ_CHECK(copies(out, p) == 1 && got && YAJL_IS_STRING(got) &&
                       strcmp(got->u.string, want) == 0);
        } else {
            FUZZ_CHECK(copies(out, p) == 0);
        }
    }
    yajl_tree_free(out);

    out = run(&runners[i][SET], line);
    FUZZ_CHECK(blocked == (out == NULL));
    if (out) {
        yajl_val got = last_copy(out, p, NULL);
        FUZZ_CHECK(copies(out, p) == 1 && got && YAJL_IS_STRING(got) &&
                   strcmp(got->u.string, "x") == 0 && !holds_any(out, &old));
    }
    yajl_tree_free(out);

    out = run(&runners[i][SELECT], line);
    FUZZ_CHECK(out && copies(out, p) == (last != NULL));
    FUZZ_CHECK(!last || same(last_copy(out, p, NULL), last));
    yajl_tree_free(out);

    for (int op = RENAME_SIBLING; op <= RENAME_TOP; op++) {
        const path *q = op == RENAME_SIBLING ? sib : &top_y;
        out = run(&runners[i][op], line);
        FUZZ_CHECK(out && copies(out, p) == 0 && copies(out, q) == (last != NULL));
        FUZZ_CHECK(!last || same(last_copy(out, q, NULL), last));
        yajl_tree_free(out);
    }

    out = run(&runners[i][REQUIRE], line);
    FUZZ_CHECK((out != NULL) == (last != NULL));
    yajl_tree_free(out);
    out = run(&runners[i][TYPES], line);
    FUZZ_CHECK((out != NULL) == (last && YAJL_IS_STRING(last)));
    yajl_tree_free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int made;
    if (!made) {
        make_runners();
        made = 1;
    }
    gen g = {.p = data, .n = size};
    for (int records = 0; g.at < g.n && records < 256; records++) {
        g.out.len = 0;
        g.counter = 0;
        gen_members(&g, 0, 7);
        char why[128];
        jp_buf_putc(&g.out, '\0');
        yajl_val in = yajl_tree_parse(g.out.data, why, sizeof why);
        FUZZ_CHECK(in != NULL);
        g.out.len--;
        for (int i = 0; i < NPATHS; i++)
            check_path(i, in, &g.out);
        yajl_tree_free(in);
    }
    jp_buf_free(&g.out);
    return 0;
}
