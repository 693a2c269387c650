/* schema.c: the JSON Schema engine (schema.h): compiles a schema file and
 * validates records against it; a failure names the JSON Pointer of the
 * failing value, the keyword and the subschema that holds it:
 *     /user/email: "format": "email" not satisfied at #/$defs/user/properties/email
 *
 * Supported: type (a name or a list), required, properties,
 * additionalProperties (boolean or schema), patternProperties,
 * propertyNames, minProperties, maxProperties, dependentRequired,
 * dependentSchemas, enum, const, minimum, maximum, exclusiveMinimum,
 * exclusiveMaximum, multipleOf, minLength, maxLength (in code points),
 * pattern, items, prefixItems, minItems, maxItems, uniqueItems, contains,
 * minContains, maxContains, unevaluatedProperties, unevaluatedItems
 * (marks of what was evaluated, collected only under them), allOf, anyOf,
 * oneOf, not, if/then/else, $ref
 * and $dynamicRef (resolved by registry.h: $id, $anchor, pointers, other
 * files), format (format.h; asserted unless formats are annotations) and
 * $defs. Any other keyword is ignored, as the
 * specification says: an annotation, or a vocabulary this does not know.
 *
 * The schema is read into a tree of its own (tree.h), so its strings and
 * names keep their length, NUL bytes included, and its numbers their text:
 * numbers are compared as decimals, exactly, whatever their exponent.
 * enum values are in a hash set, so a lookup costs the same for any size
 * of list. Regexes are PCRE2, compiled once (regex.h).
 *
 * Evaluating a record has three outcomes: it is valid, it is not (with the
 * first failure), or evaluation could not finish: a regex limit, the step
 * budget (--schema-budget) or a stop by signal. The third is never taken
 * for either of the others, whatever keyword encloses it (not, anyOf,
 * oneOf, if): the record is rejected with that reason. A $ref cycle that
 * would loop at one place of the record is refused at start-up.
 *
 * Each worker thread builds the record's tree in reused memory. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "ecma.h"
#include "format.h"
#include "hset.h"
#include "json.h"
#include "number.h"
#include "pool.h"
#include "schema.h"
#include "regex.h"
#include "registry.h"
#include "report.h"
#include "tree.h"
#include "uri.h"

enum {
    T_NULL = 1 << JP_NULL, T_BOOLEAN = 1 << JP_BOOLEAN, T_NUMBER = 1 << JP_NUMBER,
    T_STRING = 1 << JP_STRING, T_OBJECT = 1 << JP_OBJECT, T_ARRAY = 1 << JP_ARRAY,
    T_INTEGER = 1 << 10
};


/* Evaluation results. */
#define VALID 0
#define INVALID (-1)
#define UNFINISHED (-2) /* a limit, the budget or a stop: the reason is set */

/* How deep evaluation may nest (subschemas inside subschemas at one
 * record), to keep the worker's stack safe. */
#define MAX_EVAL_DEPTH 1000

typedef struct sch sch;

typedef struct named {
    const char *name; /* points into the schema's tree */
    size_t len;
    sch *s;
} named;

typedef struct pattern {
    jp_regex *re;
    const char *source;
    size_t len;
    sch *s;
} pattern;

/* "dependentRequired": {"name": [names]}. */
typedef struct dependent {
    const char *name;
    size_t len;
    const jp_node *names; /* the array */
} dependent;

typedef struct list {
    sch **v;
    int n;
} list;

typedef struct number {
    const char *text; /* in the schema's tree, not NUL-terminated */
    size_t len;
} number;

struct sch {
    int id;                  /* index in schema.all */
    char *where;             /* its place in the schema, for messages */
    const jp_schema_doc *doc; /* the document it is compiled from, */
    int32_t node;            /* and its node there */
    const jp_side *d;        /* doc's values, which const, enum and required point into */
    int boolean;             /* -1: a schema object; 0: false; 1: true */
    unsigned types;          /* 0: any */
    const char *types_text;  /* for messages */
    const jp_node **required; /* the names, in the list's order */
    int nrequired;
    jp_hset required_set;     /* the names by hash: their place in the list */
    named *props;
    int nprops;
    jp_hset prop_set;        /* props by name hash */
    pattern *pprops;
    int npprops;
    sch *additional, *names;
    const jp_node *constv, *enumv;
    jp_hset enum_set;        /* enumv's values by hash: node index in the schema */
    number minimum, maximum, xminimum, xmaximum, multiple;
    long long min_length, max_length, min_items, max_items; /* -1: none */
    pattern pat;
    jp_format_check format;  /* NULL: none asserted */
    const char *format_name; /* its name, static */
    list prefix;
    sch *items;
    int unique;
    list all, any, one;
    sch *not_, *if_, *then_, *else_;
    sch *ref;
    long long min_props, max_props;          /* -1: none */
    sch *contains;
    long long min_contains, max_contains;    /* 1 and -1 unless given */
    dependent *dep_required;  /* names whose presence requires a list of names */
    int ndep_required;
    named *dep_schemas;       /* names whose presence applies a schema to the object */
    int ndep_schemas;
    sch *uneval_props, *uneval_items;
    const char *base;         /* its resource's base URI, interned by the registry */
    /* $dynamicRef: where it points unless the dynamic scope holds a
     * resource with the same $dynamicAnchor, listed in dyn. */
    sch *dynref;
    struct dyn_target { const char *base; sch *s; } *dyn;
    int ndyn;
};

typedef struct doc_places {
    const jp_schema_doc *doc;
    sch **at;
    size_t n;
} doc_places;

typedef struct schema {
    jp_registry *reg; /* every document read, and its named places */
    sch *root;
    sch **all;   /* every compiled node, to free */
    int nall;
    doc_places *places; /* the same, by document and node */
    int nplaces;
    uint64_t budget;
} schema;

/* ---- compiling --------------------------------------------------------------- */

/* A $ref found, resolved once the whole schema is compiled, so that it
 * may point anywhere, the schema itself included. */
typedef struct pending_ref {
    sch *s;
    int dynamic; /* a $dynamicRef */
    char *ref;   /* as written */
    char *uri;   /* absolute */
    char *where; /* of the schema holding the $ref */
} pending_ref;

typedef struct compiler {
    schema *sc;
    jp_schema_doc *doc; /* the document being compiled */
    const jp_side *d;   /* its values */
    pending_ref *refs;
    int nrefs;
    jp_members scratch;
    char *err;
    size_t errlen;
    int failed;
    int depth; /* subschemas being compiled, one inside the other */
    int assert_formats;
} compiler;

/* Compiling recurses into subschemas, and hashing into values: a schema
 * nested deeper than this is refused rather than allowed to exhaust the
 * stack. */
#define MAX_SCHEMA_DEPTH 512

#define DNODE(c, i) (&(c)->d->nodes[i])
#define DTEXT(c, off) ((c)->d->text + (off))

static sch *compile(compiler *c, const jp_node *v, const char *where);

/* The subschemas compiled from one document, by node index. */
static sch **place(schema *sc, const jp_schema_doc *doc, int32_t node, int grow)
{
    doc_places *p = NULL;
    for (int i = 0; i < sc->nplaces && !p; i++)
        if (sc->places[i].doc == doc)
            p = &sc->places[i];
    if (!p && !grow)
        return NULL;
    if (!p) {
        sc->places = jp_xrealloc(sc->places, (size_t)(sc->nplaces + 1) * sizeof *sc->places);
        p = &sc->places[sc->nplaces++];
        *p = (doc_places){doc, NULL, 0};
    }
    if ((size_t)node >= p->n) {
        if (!grow)
            return NULL;
        size_t cap = p->n ? p->n : 64;
        while (cap <= (size_t)node)
            cap *= 2;
        p->at = jp_xrealloc(p->at, cap * sizeof *p->at);
        memset(p->at + p->n, 0, (cap - p->n) * sizeof *p->at);
        p->n = cap;
    }
    return &p->at[node];
}

/* The subschema compiled from the node v of the document being compiled,
 * or NULL. */
static sch *compiled_at(const compiler *c, const jp_node *v)
{
    sch **at = place(c->sc, c->doc, (int32_t)(v - c->d->nodes), 0);
    return at ? *at : NULL;
}

static sch *new_sch(compiler *c, const jp_node *v, const char *where)
{
    sch *s = jp_xcalloc(1, sizeof *s);
    s->boolean = -1;
    s->min_length = s->max_length = s->min_items = s->max_items = -1;
    s->min_props = s->max_props = s->max_contains = -1;
    s->min_contains = 1;
    s->where = jp_xstrdup(where);
    s->doc = c->doc;
    s->node = (int32_t)(v - c->d->nodes);
    s->d = &c->doc->d;
    *place(c->sc, c->doc, s->node, 1) = s;
    c->sc->all = jp_xrealloc(c->sc->all, (size_t)(c->sc->nall + 1) * sizeof *c->sc->all);
    c->sc->all[c->sc->nall++] = s;
    return s;
}

static sch *bad(compiler *c, const char *where, const char *key, const char *what)
{
    if (!c->failed) {
        /* The reason must fit whole: a long path gives way, its tail cut. */
        size_t fixed = strlen(key) + strlen(what) + 8, room = 0;
        if (c->errlen > fixed + 16)
            room = c->errlen - fixed;
        if (strlen(where) <= room)
            snprintf(c->err, c->errlen, "%s/%s: %s", where, key, what);
        else
            snprintf(c->err, c->errlen, "%.*s.../%s: %s", (int)jp_report_cut_len(where, room - 3),
                     where, key, what);
    }
    c->failed = 1;
    return NULL;
}

static int is_word(const char *s, size_t n, const char *word)
{
    return strlen(word) == n && memcmp(s, word, n) == 0;
}

static int key_is_in(const jp_side *d, const jp_node *n, const char *word)
{
    return is_word(d->text + n->key, n->key_len, word);
}

static int key_is(const compiler *c, const jp_node *n, const char *word)
{
    return key_is_in(c->d, n, word);
}

static int string_is(const compiler *c, const jp_node *n, const char *word)
{
    return n->type == JP_STRING && is_word(DTEXT(c, n->text), n->len, word);
}

/* A name for messages: NUL-terminated, a NUL in it shown as \u0000; one
 * too long for out is cut on a whole character and marked "...". */
static void show(char *out, size_t outlen, const char *s, size_t n)
{
    size_t k = 0, i = 0;
    for (; i < n && k + 7 < outlen; i++) {
        if (s[i])
            out[k++] = s[i];
        else
            k += (size_t)snprintf(out + k, outlen - k, "\\u0000");
    }
    out[k] = '\0';
    if (i < n) {
        memset(out + k, '.', outlen - 1 - k);
        out[outlen - 1] = '\0';
        jp_report_fit(out, outlen);
    }
}

/* show() of all of s, in a new string the caller frees: for reasons,
 * which are never cut. */
static char *show_whole(const char *s, size_t n)
{
    size_t cap = 6 * n + 8; /* every byte a NUL, written \u0000 */
    char *out = jp_xmalloc(cap);
    show(out, cap, s, n);
    return out;
}

/* A key the object has more than once, or NULL. A schema that says a
 * thing twice is refused rather than read one way or the other. */
static const jp_node *twice(compiler *c, const jp_node *obj)
{
    jp_hset seen;
    jp_hset_init(&seen, obj->count);
    const jp_node *dup = NULL;
    for (int32_t i = obj->first; i >= 0 && !dup; i = DNODE(c, i)->next) {
        const jp_node *k = DNODE(c, i);
        uint64_t h = jp_hash_bytes(DTEXT(c, k->key), k->key_len, 0);
        size_t cursor = 0;
        for (int32_t j; !dup && (j = jp_hset_next(&seen, h, &cursor)) >= 0;)
            if (jp_same_key(c->d, k, DNODE(c, j)))
                dup = k;
        jp_hset_add(&seen, h, i);
    }
    jp_hset_free(&seen);
    return dup;
}

static const char *twice_name(compiler *c, const jp_node *obj, char *buf, size_t n)
{
    const jp_node *dup = twice(c, obj);
    if (!dup)
        return NULL;
    show(buf, n, DTEXT(c, dup->key), dup->key_len);
    return buf;
}

/* The bit of the type a name means, and that name as a C string. */
static unsigned type_bit(const compiler *c, const jp_node *name, const char **word)
{
    static const struct { const char *n; unsigned b; } t[] = {
        {"null", T_NULL}, {"boolean", T_BOOLEAN}, {"number", T_NUMBER}, {"integer", T_INTEGER},
        {"string", T_STRING}, {"object", T_OBJECT}, {"array", T_ARRAY}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (string_is(c, name, t[i].n)) {
            *word = t[i].n;
            return t[i].b;
        }
    return 0;
}

/* A count: a non-negative integer, in any spelling of one (2, 2.0, 2e0);
 * one too large for a long long is as good as infinite. */
static long long count_of(compiler *c, const jp_node *v, const char *where, const char *key)
{
    static const char huge[] = "999999999999999999";
    const char *t = DTEXT(c, v->text);
    if (v->type != JP_NUMBER || !jp_number_is_integer(t, v->len) ||
        jp_number_cmp(t, v->len, "0", 1) < 0) {
        bad(c, where, key, "must be a non-negative integer");
        return -1;
    }
    if (jp_number_cmp(t, v->len, huge, sizeof huge - 1) > 0)
        return 999999999999999999LL;
    size_t i = 0;
    long long n = 0;
    for (; i < v->len && t[i] >= '0' && t[i] <= '9'; i++)
        n = n * 10 + (t[i] - '0');
    if (i == v->len)
        return n;
    /* Another spelling, no larger than huge: a double holds it closely
     * enough, and exactly below 2^53. */
    char buf[64];
    if (v->len >= sizeof buf)
        return 999999999999999999LL;
    memcpy(buf, t, v->len);
    buf[v->len] = '\0';
    return (long long)strtod(buf, NULL);
}

/* An ECMA-262 pattern, compiled as PCRE2 reads it the same (ecma.h). A
 * bad one is named with the offset in the pattern as written. */
static jp_regex *regex(compiler *c, const char *src, size_t n, const char *where, const char *key)
{
    char why[200];
    jp_buf pcre = {0};
    jp_ecma_to_pcre2(&pcre, src, n);
    jp_regex *re = jp_regex_compile(pcre.data ? pcre.data : "", pcre.len, why, sizeof why);
    jp_buf_free(&pcre);
    if (!re) {
        jp_regex_free(jp_regex_compile(src, n, why, sizeof why));
        bad(c, where, key, why);
    }
    return re;
}

static void compile_list(compiler *c, const jp_node *v, const char *where, const char *key,
                         list *out)
{
    if (v->type != JP_ARRAY || v->count == 0) {
        bad(c, where, key, "must be a non-empty array of schemas");
        return;
    }
    out->v = jp_xcalloc(v->count, sizeof *out->v);
    size_t i = 0;
    for (int32_t j = v->first; j >= 0 && !c->failed; j = DNODE(c, j)->next, i++) {
        char sub[512];
        if (snprintf(sub, sizeof sub, "%s/%s/%zu", where, key, i) >= (int)sizeof sub)
            jp_report_fit(sub, sizeof sub);
        out->v[out->n++] = compile(c, DNODE(c, j), sub);
    }
}

static number number_of(compiler *c, const jp_node *v, const char *where, const char *key)
{
    if (v->type != JP_NUMBER) {
        bad(c, where, key, "must be a number");
        return (number){NULL, 0};
    }
    return (number){DTEXT(c, v->text), v->len};
}

/* Whether the value v (an enum or const) nests deeper than
 * MAX_SCHEMA_DEPTH, which would make hashing and comparing it unsafe. */
static int too_deep(const jp_side *d, const jp_node *v)
{
    typedef struct { const jp_node *n; int depth; } item;
    size_t cap = 64, top = 0;
    item *stack = jp_xmalloc(cap * sizeof *stack);
    if (v->first >= 0)
        stack[top++] = (item){&d->nodes[v->first], 2};
    int deep = 0;
    while (top && !deep) {
        item it = stack[--top];
        deep = it.depth > MAX_SCHEMA_DEPTH;
        if (top + 2 > cap)
            stack = jp_xrealloc(stack, (cap *= 2) * sizeof *stack);
        if (it.n->next >= 0)
            stack[top++] = (item){&d->nodes[it.n->next], it.depth};
        if (it.n->first >= 0)
            stack[top++] = (item){&d->nodes[it.n->first], it.depth + 1};
    }
    free(stack);
    return deep;
}

static void compile_enum(compiler *c, sch *s, const jp_node *v)
{
    s->enumv = v;
    jp_hset_init(&s->enum_set, v->count);
    for (int32_t i = v->first; i >= 0; i = DNODE(c, i)->next)
        jp_hset_add(&s->enum_set, jp_value_hash(&c->scratch, c->d, DNODE(c, i)), i);
}

static sch *compile_schema(compiler *c, const jp_node *v, const char *where);

static sch *compile(compiler *c, const jp_node *v, const char *where)
{
    if (c->failed)
        return NULL;
    if (c->depth == MAX_SCHEMA_DEPTH)
        return bad(c, where, "", "nested deeper than 512 levels");
    c->depth++;
    sch *s = compile_schema(c, v, where);
    c->depth--;
    return s;
}

/* ---- the keywords ----
 * One function per keyword (or family sharing a parse), found by name in
 * kw_table. Each gets the keyword's value x, the schema's place (where),
 * the keyword as shown in messages (k) and the value's place (sub); it
 * returns 0, or -1 after bad(). */

typedef struct kwarg {
    const jp_node *x;
    const char *where, *k, *sub;
    const char *base; /* the schema's base URI */
} kwarg;

#define KW(name) static int name(compiler *c, sch *s, const kwarg *a)

static int refuse(compiler *c, const char *where, const char *key, const char *what)
{
    bad(c, where, key, what);
    return -1;
}

/* Compiled whether or not a $ref uses them, so that a bad one is found. */
KW(kw_defs)
{
    (void)s;
    char dupbuf[128];
    const char *dup;
    if (a->x->type != JP_OBJECT)
        return refuse(c, a->where, a->k, "must be an object of schemas");
    if ((dup = twice_name(c, a->x, dupbuf, sizeof dupbuf)))
        return refuse(c, a->sub, dup, "is given twice");
    for (int32_t j = a->x->first; j >= 0 && !c->failed; j = DNODE(c, j)->next) {
        const jp_node *p = DNODE(c, j);
        char shown[256], sub2[512];
        show(shown, sizeof shown, DTEXT(c, p->key), p->key_len);
        if (snprintf(sub2, sizeof sub2, "%s/%s", a->sub, shown) >= (int)sizeof sub2)
            jp_report_fit(sub2, sizeof sub2);
        compile(c, p, sub2);
    }
    return c->failed ? -1 : 0;
}

KW(kw_type)
{
    const jp_node *x = a->x;
    const char *word = NULL;
    if (x->type == JP_STRING) {
        s->types = type_bit(c, x, &word);
    } else if (x->type == JP_ARRAY) {
        for (int32_t j = x->first; j >= 0; j = DNODE(c, j)->next) {
            unsigned b = type_bit(c, DNODE(c, j), &word);
            if (!b)
                return refuse(c, a->where, a->k, "unknown type");
            s->types |= b;
        }
    }
    if (!s->types)
        return refuse(c, a->where, a->k, "must be a type name or a list of them");
    s->types_text = x->type == JP_STRING ? word : "one of the listed types";
    return 0;
}

KW(kw_required)
{
    const jp_node *x = a->x;
    if (x->type != JP_ARRAY)
        return refuse(c, a->where, a->k, "must be an array of strings");
    for (int32_t j = x->first; j >= 0; j = DNODE(c, j)->next)
        if (DNODE(c, j)->type != JP_STRING)
            return refuse(c, a->where, a->k, "must be an array of strings");
    s->required = jp_xcalloc(x->count + 1, sizeof *s->required);
    jp_hset_init(&s->required_set, x->count);
    for (int32_t j = x->first; j >= 0; j = DNODE(c, j)->next) {
        const jp_node *name = DNODE(c, j);
        jp_hset_add(&s->required_set, jp_hash_bytes(DTEXT(c, name->text), name->len, 0),
                    s->nrequired);
        s->required[s->nrequired++] = name;
    }
    return 0;
}

/* properties and patternProperties: an object of schemas by name. */
static int compile_props(compiler *c, sch *s, const kwarg *a, int pat)
{
    const jp_node *x = a->x;
    char dupbuf[128];
    const char *dup;
    if (x->type != JP_OBJECT)
        return refuse(c, a->where, a->k, "must be an object of schemas");
    if ((dup = twice_name(c, x, dupbuf, sizeof dupbuf)))
        return refuse(c, a->sub, dup, "is given twice");
    if (!pat)
        jp_hset_init(&s->prop_set, x->count);
    for (int32_t j = x->first; j >= 0 && !c->failed; j = DNODE(c, j)->next) {
        const jp_node *p = DNODE(c, j);
        const char *name = DTEXT(c, p->key);
        char shown[256], sub2[512];
        show(shown, sizeof shown, name, p->key_len);
        if (snprintf(sub2, sizeof sub2, "%s/%s", a->sub, shown) >= (int)sizeof sub2)
            jp_report_fit(sub2, sizeof sub2);
        sch *child = compile(c, p, sub2);
        if (pat) {
            jp_regex *re = regex(c, name, p->key_len, a->sub, shown);
            s->pprops = jp_xrealloc(s->pprops, (size_t)(s->npprops + 1) * sizeof *s->pprops);
            s->pprops[s->npprops++] = (pattern){re, name, p->key_len, child};
        } else {
            jp_hset_add(&s->prop_set, jp_hash_bytes(name, p->key_len, 0), s->nprops);
            s->props = jp_xrealloc(s->props, (size_t)(s->nprops + 1) * sizeof *s->props);
            s->props[s->nprops++] = (named){name, p->key_len, child};
        }
    }
    return c->failed ? -1 : 0;
}

KW(kw_properties) { return compile_props(c, s, a, 0); }
KW(kw_pattern_properties) { return compile_props(c, s, a, 1); }

/* The keywords whose value is one subschema, each in its own field. */
#define KW_SUB(name, field)                                                                        \
    KW(name)                                                                                       \
    {                                                                                              \
        s->field = compile(c, a->x, a->sub);                                                       \
        return c->failed ? -1 : 0;                                                                 \
    }
KW_SUB(kw_additional_properties, additional)
KW_SUB(kw_property_names, names)
KW_SUB(kw_items, items)
KW_SUB(kw_not, not_)
KW_SUB(kw_if, if_)
KW_SUB(kw_then, then_)
KW_SUB(kw_else, else_)

KW(kw_enum)
{
    if (a->x->type != JP_ARRAY)
        return refuse(c, a->where, a->k, "must be an array");
    if (too_deep(c->d, a->x))
        return refuse(c, a->where, a->k, "nested deeper than 512 levels");
    compile_enum(c, s, a->x);
    return 0;
}

KW(kw_const)
{
    if (too_deep(c->d, a->x))
        return refuse(c, a->where, a->k, "nested deeper than 512 levels");
    s->constv = a->x;
    return 0;
}

/* The keywords whose value is a number, each in its own field. */
#define KW_NUMBER(name, field)                                                                     \
    KW(name)                                                                                       \
    {                                                                                              \
        s->field = number_of(c, a->x, a->where, a->k);                                             \
        return c->failed ? -1 : 0;                                                                 \
    }
KW_NUMBER(kw_minimum, minimum)
KW_NUMBER(kw_maximum, maximum)
KW_NUMBER(kw_exclusive_minimum, xminimum)
KW_NUMBER(kw_exclusive_maximum, xmaximum)

KW(kw_multiple_of)
{
    s->multiple = number_of(c, a->x, a->where, a->k);
    if (s->multiple.text && !jp_number_divisor_valid(s->multiple.text, s->multiple.len))
        return refuse(c, a->where, a->k, "must be greater than 0, with at most 18 significant digits");
    return c->failed ? -1 : 0;
}

/* The keywords whose value is a count, each in its own field. */
#define KW_COUNT(name, field)                                                                      \
    KW(name)                                                                                       \
    {                                                                                              \
        s->field = count_of(c, a->x, a->where, a->k);                                              \
        return c->failed ? -1 : 0;                                                                 \
    }
KW_COUNT(kw_min_length, min_length)
KW_COUNT(kw_max_length, max_length)
KW_COUNT(kw_min_items, min_items)
KW_COUNT(kw_max_items, max_items)

KW_COUNT(kw_min_properties, min_props)
KW_COUNT(kw_max_properties, max_props)
KW_COUNT(kw_min_contains, min_contains)
KW_COUNT(kw_max_contains, max_contains)
KW_SUB(kw_contains, contains)
KW_SUB(kw_unevaluated_properties, uneval_props)
KW_SUB(kw_unevaluated_items, uneval_items)

KW(kw_dependent_required)
{
    const jp_node *x = a->x;
    char dupbuf[128];
    const char *dup;
    if (x->type != JP_OBJECT)
        return refuse(c, a->where, a->k, "must be an object of arrays of strings");
    if ((dup = twice_name(c, x, dupbuf, sizeof dupbuf)))
        return refuse(c, a->sub, dup, "is given twice");
    s->dep_required = jp_xcalloc(x->count + 1, sizeof *s->dep_required);
    for (int32_t j = x->first; j >= 0; j = DNODE(c, j)->next) {
        const jp_node *arr = DNODE(c, j);
        if (arr->type != JP_ARRAY)
            return refuse(c, a->where, a->k, "must be an object of arrays of strings");
        for (int32_t i = arr->first; i >= 0; i = DNODE(c, i)->next)
            if (DNODE(c, i)->type != JP_STRING)
                return refuse(c, a->where, a->k, "must be an object of arrays of strings");
        s->dep_required[s->ndep_required++] = (dependent){DTEXT(c, arr->key), arr->key_len, arr};
    }
    return 0;
}

KW(kw_dependent_schemas)
{
    const jp_node *x = a->x;
    char dupbuf[128];
    const char *dup;
    if (x->type != JP_OBJECT)
        return refuse(c, a->where, a->k, "must be an object of schemas");
    if ((dup = twice_name(c, x, dupbuf, sizeof dupbuf)))
        return refuse(c, a->sub, dup, "is given twice");
    s->dep_schemas = jp_xcalloc(x->count + 1, sizeof *s->dep_schemas);
    for (int32_t j = x->first; j >= 0 && !c->failed; j = DNODE(c, j)->next) {
        const jp_node *p = DNODE(c, j);
        char shown[256], sub2[512];
        show(shown, sizeof shown, DTEXT(c, p->key), p->key_len);
        if (snprintf(sub2, sizeof sub2, "%s/%s", a->sub, shown) >= (int)sizeof sub2)
            jp_report_fit(sub2, sizeof sub2);
        sch *child = compile(c, p, sub2);
        s->dep_schemas[s->ndep_schemas++] = (named){DTEXT(c, p->key), p->key_len, child};
    }
    return c->failed ? -1 : 0;
}

KW(kw_pattern)
{
    if (a->x->type != JP_STRING)
        return refuse(c, a->where, a->k, "must be a string");
    s->pat.source = DTEXT(c, a->x->text);
    s->pat.len = a->x->len;
    s->pat.re = regex(c, s->pat.source, a->x->len, a->where, a->k);
    return c->failed ? -1 : 0;
}

/* Under --schema-format annotate, and for a format it does not know, the
 * keyword is an annotation: it asserts nothing. */
KW(kw_format)
{
    if (a->x->type != JP_STRING)
        return refuse(c, a->where, a->k, "must be a string");
    if (c->assert_formats) {
        s->format = jp_format_find(DTEXT(c, a->x->text), a->x->len, &s->format_name);
    }
    return 0;
}

KW(kw_unique_items)
{
    if (a->x->type != JP_BOOLEAN)
        return refuse(c, a->where, a->k, "must be a boolean");
    s->unique = a->x->len == 4;
    return 0;
}

/* The keywords whose value is a list of subschemas, each in its own field. */
#define KW_LIST(name, field)                                                                       \
    KW(name)                                                                                       \
    {                                                                                              \
        compile_list(c, a->x, a->where, a->k, &s->field);                                          \
        return c->failed ? -1 : 0;                                                                 \
    }
KW_LIST(kw_prefix_items, prefix)
KW_LIST(kw_all_of, all)
KW_LIST(kw_any_of, any)
KW_LIST(kw_one_of, one)

/* Resolved against the base URI (the nearest $id) once all is compiled. */
static int add_ref(compiler *c, sch *s, const kwarg *a, int dynamic)
{
    if (a->x->type != JP_STRING)
        return refuse(c, a->where, a->k, "must be a string");
    char *ref = jp_xmalloc(a->x->len + 1);
    memcpy(ref, DTEXT(c, a->x->text), a->x->len);
    ref[a->x->len] = '\0';
    c->refs = jp_xrealloc(c->refs, (size_t)(c->nrefs + 1) * sizeof *c->refs);
    c->refs[c->nrefs++] =
        (pending_ref){s, dynamic, ref, jp_uri_resolve(a->base, ref), jp_xstrdup(a->where)};
    return 0;
}

KW(kw_ref) { return add_ref(c, s, a, 0); }
KW(kw_dynamic_ref) { return add_ref(c, s, a, 1); }

typedef struct kw_entry {
    const char *name;
    int (*compile)(compiler *c, sch *s, const kwarg *a);
} kw_entry;

static const kw_entry kw_table[] = {
    {"$defs", kw_defs},
    {"type", kw_type},
    {"required", kw_required},
    {"properties", kw_properties},
    {"patternProperties", kw_pattern_properties},
    {"additionalProperties", kw_additional_properties},
    {"propertyNames", kw_property_names},
    {"enum", kw_enum},
    {"const", kw_const},
    {"minimum", kw_minimum},
    {"maximum", kw_maximum},
    {"exclusiveMinimum", kw_exclusive_minimum},
    {"exclusiveMaximum", kw_exclusive_maximum},
    {"multipleOf", kw_multiple_of},
    {"minLength", kw_min_length},
    {"maxLength", kw_max_length},
    {"minItems", kw_min_items},
    {"maxItems", kw_max_items},
    {"pattern", kw_pattern},
    {"format", kw_format},
    {"items", kw_items},
    {"prefixItems", kw_prefix_items},
    {"uniqueItems", kw_unique_items},
    {"allOf", kw_all_of},
    {"anyOf", kw_any_of},
    {"oneOf", kw_one_of},
    {"not", kw_not},
    {"if", kw_if},
    {"then", kw_then},
    {"else", kw_else},
    {"$ref", kw_ref},
    {"$dynamicRef", kw_dynamic_ref},
    {"minProperties", kw_min_properties},
    {"maxProperties", kw_max_properties},
    {"contains", kw_contains},
    {"minContains", kw_min_contains},
    {"maxContains", kw_max_contains},
    {"dependentRequired", kw_dependent_required},
    {"dependentSchemas", kw_dependent_schemas},
    {"unevaluatedProperties", kw_unevaluated_properties},
    {"unevaluatedItems", kw_unevaluated_items},
};

static const kw_entry *find_keyword(const compiler *c, const jp_node *x)
{
    for (size_t i = 0; i < sizeof kw_table / sizeof kw_table[0]; i++)
        if (key_is(c, x, kw_table[i].name))
            return &kw_table[i];
    return NULL;
}

static sch *compile_schema(compiler *c, const jp_node *v, const char *where)
{
    sch *s = compiled_at(c, v);
    if (s)
        return s;
    s = new_sch(c, v, where);
    size_t at = (size_t)s->node;
    const char *base = at < c->doc->nbase && c->doc->base[at] ? c->doc->base[at] : c->doc->uri;
    s->base = base;
    if (v->type == JP_BOOLEAN) {
        s->boolean = v->len == 4;
        return s;
    }
    if (v->type != JP_OBJECT)
        return bad(c, where, "", "a schema must be an object or a boolean");
    char dupbuf[128];
    const char *dup = twice_name(c, v, dupbuf, sizeof dupbuf);
    if (dup)
        return bad(c, where, dup, "is given twice");

    for (int32_t i = v->first; i >= 0 && !c->failed; i = DNODE(c, i)->next) {
        const jp_node *x = DNODE(c, i);
        char k[256], sub[512];
        show(k, sizeof k, DTEXT(c, x->key), x->key_len);
        if (snprintf(sub, sizeof sub, "%s/%s", where, k) >= (int)sizeof sub)
            jp_report_fit(sub, sizeof sub);
        const kw_entry *kw = find_keyword(c, x);
        kwarg a = {x, where, k, sub, base};
        /* An unknown keyword is ignored, as the specification says. */
        if (kw && kw->compile(c, s, &a) < 0)
            return NULL;
    }
    return c->failed ? NULL : s;
}

/* The property named key, or -1. */
static int find_prop(const sch *s, const char *key, size_t n)
{
    if (!s->nprops)
        return -1;
    uint64_t h = jp_hash_bytes(key, n, 0);
    size_t cursor = 0;
    for (int32_t i; (i = jp_hset_next(&s->prop_set, h, &cursor)) >= 0;)
        if (s->props[i].len == n && memcmp(s->props[i].name, key, n) == 0)
            return i;
    return -1;
}

/* The k-th subschema that s applies at the same place of the record (not
 * to a member or an item), or NULL past the last. */
static const sch *same_place(const sch *s, int k)
{
    const list *lists[] = {&s->all, &s->any, &s->one};
    for (int i = 0; i < 3; i++) {
        if (k < lists[i]->n)
            return lists[i]->v[k];
        k -= lists[i]->n;
    }
    const sch *single[] = {s->not_, s->if_, s->then_, s->else_, s->ref, s->dynref};
    for (int i = 0; i < 6; i++)
        if (single[i] && k-- == 0)
            return single[i];
    return NULL;
}

/* A $ref chain that comes back to a schema without going down into the
 * record would loop on every record it meets: find one at start-up and
 * name it. Depth first, with a stack of our own. */
static int find_cycle(schema *sc, char *err, size_t errlen)
{
    enum { WHITE, GREY, BLACK };
    unsigned char *color = jp_xcalloc((size_t)sc->nall, 1);
    const sch **stack = jp_xmalloc((size_t)sc->nall * sizeof *stack);
    int *next = jp_xmalloc((size_t)sc->nall * sizeof *next);
    int found = 0;
    for (int start = 0; start < sc->nall && !found; start++) {
        if (color[start] != WHITE)
            continue;
        int top = 0;
        stack[0] = sc->all[start];
        next[0] = 0;
        color[start] = GREY;
        while (top >= 0 && !found) {
            const sch *s = stack[top], *t = same_place(s, next[top]++);
            if (!t) {
                color[s->id] = BLACK;
                top--;
            } else if (color[t->id] == GREY) {
                jp_buf path = {0};
                int from = top;
                while (stack[from] != t)
                    from--;
                for (int i = from; i <= top; i++)
                    jp_buf_printf(&path, "%s -> ", stack[i]->where);
                jp_buf_printf(&path, "%s", t->where);
                snprintf(err, errlen, "$ref cycle that never goes into the record: %s", path.data);
                jp_buf_free(&path);
                found = 1;
            } else if (color[t->id] == WHITE) {
                color[t->id] = GREY;
                stack[++top] = t;
                next[top] = 0;
            }
        }
    }
    free(color);
    free(stack);
    free(next);
    return found ? -1 : 0;
}

void jp_schema_free(jp_schema *sc)
{
    for (int i = 0; i < sc->nall; i++) {
        sch *s = sc->all[i];
        free(s->where);
        free(s->props);
        jp_hset_free(&s->prop_set);
        jp_hset_free(&s->enum_set);
        jp_hset_free(&s->required_set);
        free(s->required);
        for (int j = 0; j < s->npprops; j++)
            jp_regex_free(s->pprops[j].re);
        free(s->pprops);
        jp_regex_free(s->pat.re);
        free(s->prefix.v);
        free(s->dep_required);
        free(s->dep_schemas);
        free(s->dyn);
        free(s->all.v);
        free(s->any.v);
        free(s->one.v);
        free(s);
    }
    free(sc->all);
    for (int i = 0; i < sc->nplaces; i++)
        free(sc->places[i].at);
    free(sc->places);
    jp_registry_free(sc->reg);
    free(sc);
}

/* Where a $ref's target is, for messages: in the schema file itself as a
 * fragment, elsewhere by its URI. */
static char *where_of(const jp_schema_doc *root, const char *uri)
{
    size_t n = strlen(root->uri);
    if (strncmp(uri, root->uri, n) == 0 && (uri[n] == '#' || !uri[n]))
        return jp_xstrdup(uri[n] ? uri + n : "#");
    return jp_xstrdup(uri);
}

/* A $dynamicRef whose target has the $dynamicAnchor its fragment names
 * may land on any subschema with that $dynamicAnchor: compile them all. */
static void resolve_dynamic(compiler *c, const jp_schema_doc *root, const pending_ref *p,
                            sch *target)
{
    sch *s = p->s;
    s->dynref = target;
    const char *name = strchr(p->uri, '#');
    name = name ? name + 1 : "";
    const jp_node *v = target ? &target->doc->d.nodes[target->node] : NULL, *anchor = NULL;
    for (int32_t i = v && v->type == JP_OBJECT ? v->first : -1; i >= 0;
         i = target->doc->d.nodes[i].next)
        if (key_is_in(&target->doc->d, &target->doc->d.nodes[i], "$dynamicAnchor"))
            anchor = &target->doc->d.nodes[i];
    if (!*name || !anchor || anchor->type != JP_STRING || strlen(name) != anchor->len ||
        memcmp(target->doc->d.text + anchor->text, name, anchor->len) != 0)
        return;
    jp_schema_doc *doc;
    int32_t node;
    const char *base;
    for (int cursor = 0;
         !c->failed && jp_registry_next_dynamic(c->sc->reg, name, &cursor, &doc, &node, &base) == 0;) {
        c->doc = doc;
        c->d = &doc->d;
        jp_buf uri = {0};
        jp_buf_printf(&uri, "%.*s#%s", (int)jp_uri_without_fragment(base), base, name);
        char *where = where_of(root, uri.data);
        sch *t = compile(c, &doc->d.nodes[node], where);
        free(where);
        jp_buf_free(&uri);
        s->dyn = jp_xrealloc(s->dyn, (size_t)(s->ndyn + 1) * sizeof *s->dyn);
        s->dyn[s->ndyn++] = (struct dyn_target){base, t};
    }
}

/* Compiles what each $ref points to, which may find more $refs. */
static void resolve_refs(compiler *c, const jp_schema_doc *root)
{
    for (int i = 0; i < c->nrefs && !c->failed; i++) {
        /* A copy: compiling the target may add refs, and move the list. */
        pending_ref ref = c->refs[i], *p = &ref;
        jp_schema_doc *doc;
        int32_t node;
        char why[300];
        if (jp_registry_find(c->sc->reg, p->uri, &doc, &node, why, sizeof why) < 0) {
            char *what = jp_xmalloc(strlen(p->ref) + strlen(why) + 8);
            sprintf(what, "\"%s\": %s", p->ref, why);
            bad(c, p->where, "$ref", what);
            free(what);
            break;
        }
        c->doc = doc;
        c->d = &doc->d;
        char *where = where_of(root, p->uri);
        sch *target = compile(c, &doc->d.nodes[node], where);
        free(where);
        if (!p->dynamic)
            p->s->ref = target;
        else
            resolve_dynamic(c, root, p, target);
    }
    for (int i = 0; i < c->nrefs; i++) {
        free(c->refs[i].ref);
        free(c->refs[i].uri);
        free(c->refs[i].where);
    }
    free(c->refs);
}

jp_schema *jp_schema_load(const char *path, const jp_schema_options *opt, char *err,
                          size_t errlen)
{
    schema *sc = jp_xcalloc(1, sizeof *sc);
    sc->budget = opt->budget;
    sc->reg = jp_registry_new(opt->maps, opt->nmaps);
    char why[256];
    jp_schema_doc *doc = jp_registry_load_root(sc->reg, path, why, sizeof why);
    if (!doc) {
        snprintf(err, errlen, "%s: %s", path, why);
        jp_schema_free(sc);
        return NULL;
    }
    /* The path is put before the compiler's message: leave it room. */
    size_t prefix = strlen(path) + 2;
    compiler c = {sc, doc, &doc->d, NULL, 0, {0}, err,
                  errlen > prefix + 64 ? errlen - prefix : errlen, 0, 0, opt->assert_formats};
    sc->root = compile(&c, &doc->d.nodes[0], "#");
    resolve_refs(&c, doc);
    free(c.scratch.v);
    if (c.failed || !sc->root) {
        if (!c.failed)
            snprintf(err, errlen, "%s: invalid schema", path);
        else {
            char tmp[256];
            snprintf(tmp, sizeof tmp, "%s", err);
            snprintf(err, errlen, "%s: %s", path, tmp);
        }
        jp_schema_free(sc);
        return NULL;
    }
    for (int i = 0; i < sc->nall; i++)
        sc->all[i]->id = i;
    char why2[400];
    if (find_cycle(sc, why2, sizeof why2) < 0) {
        snprintf(err, errlen, "%s: %s", path, why2);
        jp_schema_free(sc);
        return NULL;
    }
    return sc;
}

/* ---- validating ---------------------------------------------------------------- */

/* One step from the record down to the value being checked. */
typedef struct step {
    const jp_node *node;
    size_t index; /* its place in an array */
} step;

typedef struct schema_local {
    jp_regex_scratch *regex;
    step *path;       /* the JSON Pointer, turned into text only on failure */
    int npath, path_cap;
    jp_buf why;       /* the failure, once found */
    int depth;
    jp_members scratch;
    uint64_t limit;   /* steps this record may take */
    struct item_hash { uint64_t hash; size_t index; const jp_node *node; } *items;
    size_t items_cap;
    unsigned char *present; /* of a required list, the names the object has */
    size_t present_cap;
    /* For unevaluatedProperties and unevaluatedItems: a stack of marks, one
     * byte per member or item of a value, set for each one a keyword
     * evaluated. col is where the marks of the value being validated start,
     * or -1 when nothing collects them (the cost is then nothing). */
    unsigned char *marks;
    size_t marks_top, marks_cap;
    long col;
    /* The dynamic scope, for $dynamicRef: the base URIs of the resources
     * evaluation went through to get here, outermost first. */
    const char **scope;
    int nscope, scope_cap;
    const sch *cur; /* the subschema being applied, named in a failure */
} schema_local;

typedef struct vctx {
    schema_local *l;
    const schema *sc;
    jp_side r; /* the record's tree */
} vctx;

#define NODE(x, i) (&(x)->r.nodes[i])
#define TEXT(x, off) ((x)->r.text + (off))

/* A key of the record, as a JSON Pointer step. The reason is a C string,
 * so a NUL the key spelled \u0000 is written so, as stderr shows the other
 * control characters, and does not end the reason there. */
static void push_key(jp_buf *p, const char *k, size_t n)
{
    jp_buf_putc(p, '/');
    for (size_t i = 0; i < n; i++) {
        if (k[i] == '~')
            jp_buf_append(p, "~0", 2);
        else if (k[i] == '/')
            jp_buf_append(p, "~1", 2);
        else if (!k[i])
            jp_buf_append(p, "\\u0000", 6);
        else
            jp_buf_putc(p, k[i]);
    }
}

/* Writes "POINTER: "KEYWORD": WHY" (or "POINTER: WHY" without a keyword)
 * as the reason and returns result. */
static int say(vctx *x, int result, const char *keyword, const char *fmt, va_list ap)
{
    jp_buf *w = &x->l->why;
    w->len = 0;
    for (int i = 0; i < x->l->npath; i++) {
        const jp_node *parent = i ? x->l->path[i - 1].node : NODE(x, 0);
        if (parent->type == JP_ARRAY)
            jp_buf_printf(w, "/%zu", x->l->path[i].index);
        else
            push_key(w, TEXT(x, x->l->path[i].node->key), x->l->path[i].node->key_len);
    }
    if (!x->l->npath)
        jp_buf_putc(w, '/');
    if (keyword)
        jp_buf_printf(w, ": \"%s\": ", keyword);
    else
        jp_buf_puts(w, ": ");
    /* Whole, however long: a cut could split a character of a pattern. */
    jp_buf_vprintf(w, fmt, ap);
    if (keyword && x->l->cur)
        jp_buf_printf(w, " at %s", x->l->cur->where);
    jp_buf_putc(w, '\0');
    return result;
}

static int fail_at(vctx *x, const char *keyword, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int unfinished_at(vctx *x, const char *keyword, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The value breaks the keyword. */
static int fail_at(vctx *x, const char *keyword, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = say(x, INVALID, keyword, fmt, ap);
    va_end(ap);
    return rc;
}

/* Evaluating the keyword could not finish: neither valid nor invalid. */
static int unfinished_at(vctx *x, const char *keyword, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = say(x, UNFINISHED, keyword, fmt, ap);
    va_end(ap);
    return rc;
}

/* Counts one step (the hashing and comparing of values count theirs as
 * they go); UNFINISHED once the record has spent its budget or the
 * run is being stopped (checked every 1024 steps, so it costs nothing). */
static int spend(vctx *x)
{
    jp_members *m = &x->l->scratch;
    if (++m->steps > x->l->limit)
        return unfinished_at(x, NULL, "schema evaluation budget of %llu steps exceeded "
                             "(see --schema-budget)", (unsigned long long)x->sc->budget);
    if ((m->steps & 1023) == 0 && jp_pool_cancelled())
        return unfinished_at(x, NULL, "evaluation stopped: the run is being stopped");
    return VALID;
}

static const char *text(const vctx *x, const jp_node *n) { return TEXT(x, n->text); }

/* A regex against s[0..n): VALID, INVALID or UNFINISHED with the limit
 * named (the caller says what INVALID means). */
static int match(vctx *x, const pattern *p, const char *s, size_t n, const char *keyword)
{
    const char *why;
    /* One match can take a tenth of a second below its limits, and a record
     * can hold thousands: a stop is looked for before each. */
    if (jp_pool_cancelled())
        return unfinished_at(x, NULL, "evaluation stopped: the run is being stopped");
    int rc = jp_regex_match(p->re, x->l->regex, s, n, &why);
    if (rc >= 0)
        return rc ? VALID : INVALID;
    char *shown = show_whole(p->source, p->len);
    rc = unfinished_at(x, keyword, "regex \"%s\" could not finish: PCRE2 %s", shown, why);
    free(shown);
    return rc;
}
static size_t code_points(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

static int type_matches(const vctx *x, unsigned types, const jp_node *n)
{
    if (types & (1u << n->type))
        return 1;
    return (types & T_INTEGER) && n->type == JP_NUMBER && jp_number_is_integer(text(x, n), n->len);
}

static int validate(vctx *x, const sch *s, const jp_node *n);

static void push_step(schema_local *l, const jp_node *node, size_t index)
{
    if (l->npath == l->path_cap) {
        l->path_cap = l->path_cap ? l->path_cap * 2 : 32;
        l->path = jp_xrealloc(l->path, (size_t)l->path_cap * sizeof *l->path);
    }
    l->path[l->npath++] = (step){node, index};
}

/* Room for the marks of a value of n members or items, cleared. */
static long push_marks(schema_local *l, size_t n)
{
    if (l->marks_top + n + 1 > l->marks_cap) {
        l->marks_cap = (l->marks_top + n + 1) * 2;
        l->marks = jp_xrealloc(l->marks, l->marks_cap);
    }
    long at = (long)l->marks_top;
    memset(l->marks + at, 0, n);
    l->marks_top += n;
    return at;
}

static void mark(vctx *x, size_t i)
{
    if (x->l->col >= 0)
        x->l->marks[x->l->col + (long)i] = 1;
}

/* Counts the steps of work over n items (marks cleared and joined), so
 * that the budget bounds the memory and time marks take too. */
static int spend_n(vctx *x, size_t n)
{
    x->l->scratch.steps += n;
    return spend(x);
}

/* Validates n against s in place, with marks of its own that join the
 * value's only when s holds: a failed branch of anyOf, oneOf or if
 * evaluates nothing, and not never does. (The keywords whose failure
 * fails the whole schema, allOf, $ref, then, else, dependentSchemas, mark
 * the value's own marks: whoever collects them drops them then.) */
static int validate_branch(vctx *x, const sch *s, const jp_node *n, int keep)
{
    schema_local *l = x->l;
    if (l->col < 0)
        return validate(x, s, n);
    int rc = spend_n(x, n->count);
    if (rc < 0)
        return rc;
    long outer = l->col;
    size_t top = l->marks_top;
    l->col = push_marks(l, n->count);
    rc = validate(x, s, n);
    if (rc == VALID && keep)
        for (size_t i = 0; i < n->count; i++)
            l->marks[outer + (long)i] |= l->marks[l->col + (long)i];
    l->col = outer;
    l->marks_top = top;
    return rc;
}

/* A member or an item is another value: its marks are its own. */
static int validate_child(vctx *x, const sch *s, const jp_node *n, size_t index)
{
    long col = x->l->col;
    x->l->col = -1;
    push_step(x->l, n, index);
    int rc = validate(x, s, n);
    x->l->npath--;
    x->l->col = col;
    return rc;
}

/* Every name of s's required list is a key of the object n: each key is
 * looked up in the list's hash set, so the cost is the object's size plus
 * the list's, never their product. The first name missing is named. */
static int check_required(vctx *x, const sch *s, const jp_node *n)
{
    schema_local *l = x->l;
    const char *names = s->d->text;
    size_t want = (size_t)s->nrequired;
    if (l->present_cap < want) {
        l->present_cap = want;
        l->present = jp_xrealloc(l->present, want);
    }
    memset(l->present, 0, want);
    int rc;
    for (int32_t c = n->first; c >= 0; c = NODE(x, c)->next) {
        const jp_node *cn = NODE(x, c);
        uint64_t h = jp_hash_bytes(TEXT(x, cn->key), cn->key_len, 0);
        size_t cursor = 0;
        for (int32_t i; (i = jp_hset_next(&s->required_set, h, &cursor)) >= 0;) {
            const jp_node *name = s->required[i];
            if (name->len == cn->key_len && memcmp(names + name->text, TEXT(x, cn->key), name->len) == 0)
                l->present[i] = 1;
        }
        if ((rc = spend(x)) < 0)
            return rc;
    }
    for (size_t i = 0; i < want; i++) {
        if (l->present[i])
            continue;
        char *shown = show_whole(names + s->required[i]->text, s->required[i]->len);
        rc = fail_at(x, "required", "missing \"%s\"", shown);
        free(shown);
        return rc;
    }
    return (rc = spend(x)) < 0 ? rc : VALID;
}

/* Whether the object n has the key name. */
static int has_key(const vctx *x, const jp_node *n, const char *name, size_t len)
{
    for (int32_t c = n->first; c >= 0; c = NODE(x, c)->next)
        if (NODE(x, c)->key_len == len && memcmp(TEXT(x, NODE(x, c)->key), name, len) == 0)
            return 1;
    return 0;
}

/* dependentRequired and dependentSchemas: what the presence of a name
 * asks of the whole object. */
static int check_dependent(vctx *x, const sch *s, const jp_node *n)
{
    int rc;
    for (int i = 0; i < s->ndep_required; i++) {
        const dependent *dep = &s->dep_required[i];
        if (!has_key(x, n, dep->name, dep->len))
            continue;
        for (int32_t j = dep->names->first; j >= 0; j = s->d->nodes[j].next) {
            const jp_node *want = &s->d->nodes[j];
            if ((rc = spend(x)) < 0)
                return rc;
            if (has_key(x, n, s->d->text + want->text, want->len))
                continue;
            char *shown = show_whole(s->d->text + want->text, want->len);
            char *by = show_whole(dep->name, dep->len);
            rc = fail_at(x, "dependentRequired", "missing \"%s\", which \"%s\" requires", shown, by);
            free(shown);
            free(by);
            return rc;
        }
    }
    for (int i = 0; i < s->ndep_schemas; i++)
        if (has_key(x, n, s->dep_schemas[i].name, s->dep_schemas[i].len) &&
            (rc = validate(x, s->dep_schemas[i].s, n)) < 0)
            return rc;
    return VALID;
}

static int validate_object(vctx *x, const sch *s, const jp_node *n)
{
    int rc;
    if (s->min_props >= 0 && n->count < (unsigned long long)s->min_props)
        return fail_at(x, "minProperties", "%u properties, at least %lld required", n->count,
                       s->min_props);
    if (s->max_props >= 0 && n->count > (unsigned long long)s->max_props)
        return fail_at(x, "maxProperties", "%u properties, at most %lld allowed", n->count,
                       s->max_props);
    if (s->required && (rc = check_required(x, s, n)) < 0)
        return rc;
    if ((s->ndep_required || s->ndep_schemas) && (rc = check_dependent(x, s, n)) < 0)
        return rc;
    if (!s->nprops && !s->npprops && !s->additional && !s->names)
        return VALID;
    size_t k = 0;
    for (int32_t c = n->first; c >= 0; c = NODE(x, c)->next, k++) {
        const jp_node *cn = NODE(x, c);
        const char *key = TEXT(x, cn->key);
        if (s->names) {
            /* The name, validated as a string of its own. */
            jp_node name = {.type = JP_STRING, .first = -1, .next = -1, .text = cn->key,
                            .len = cn->key_len};
            push_step(x->l, cn, 0);
            long col = x->l->col;
            x->l->col = -1;
            rc = validate(x, s->names, &name);
            x->l->col = col;
            if (rc == INVALID)
                fail_at(x, "propertyNames", "the name is not valid");
            x->l->npath--;
            if (rc < 0)
                return rc;
        }
        int matched = 0, i = find_prop(s, key, cn->key_len);
        if (i >= 0) {
            matched = 1;
            if ((rc = validate_child(x, s->props[i].s, cn, 0)) < 0)
                return rc;
        }
        for (i = 0; i < s->npprops; i++) {
            push_step(x->l, cn, 0);
            rc = match(x, &s->pprops[i], key, cn->key_len, "patternProperties");
            x->l->npath--;
            if (rc == UNFINISHED)
                return rc;
            if (rc == VALID) {
                matched = 1;
                if ((rc = validate_child(x, s->pprops[i].s, cn, 0)) < 0)
                    return rc;
            }
        }
        if (!matched && s->additional) {
            if (s->additional->boolean == 0) {
                push_step(x->l, cn, 0);
                fail_at(x, "additionalProperties", "not allowed");
                x->l->npath--;
                return INVALID;
            }
            if ((rc = validate_child(x, s->additional, cn, 0)) < 0)
                return rc;
            matched = 1;
        }
        if (matched)
            mark(x, k);
    }
    return VALID;
}

static int by_hash(const void *a, const void *b)
{
    const struct item_hash *x = a, *y = b;
    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Two equal items, found by sorting their hashes: n log n, not n^2. In a
 * run of equal hashes, in index order, an item is compared with those
 * before it, and the first that equals one ends the run (no later item can
 * be the answer's second), so a thousand copies of one value cost one
 * comparison, not half a million. Colliding hashes of distinct values are
 * what remains, and the budget bounds them. */
static int unique_items(vctx *x, const jp_node *n)
{
    schema_local *l = x->l;
    if (l->items_cap < n->count) {
        l->items_cap = n->count;
        l->items = jp_xrealloc(l->items, l->items_cap * sizeof *l->items);
    }
    size_t k = 0;
    for (int32_t c = n->first; c >= 0; c = NODE(x, c)->next, k++)
        l->items[k] = (struct item_hash){jp_value_hash(&l->scratch, &x->r, NODE(x, c)), k, NODE(x, c)};
    if (k > 1)
        qsort(l->items, k, sizeof *l->items, by_hash);
    size_t best_a = SIZE_MAX, best_b = SIZE_MAX;
    for (size_t run = 0, end; run < k; run = end) {
        for (end = run + 1; end < k && l->items[end].hash == l->items[run].hash;)
            end++;
        /* items[run..j) are distinct values, or the run would have ended. */
        for (size_t j = run + 1; j < end && l->items[j].index < best_b; j++) {
            size_t i = run;
            while (i < j && !jp_value_equal(&l->scratch, &x->r, l->items[i].node, &x->r,
                                            l->items[j].node))
                i++;
            int rc = spend(x);
            if (rc < 0)
                return rc;
            if (i < j) {
                best_a = l->items[i].index;
                best_b = l->items[j].index;
                break;
            }
        }
    }
    int rc = spend(x);
    if (rc < 0)
        return rc;
    if (best_b != SIZE_MAX)
        return fail_at(x, "uniqueItems", "items %zu and %zu are equal", best_a, best_b);
    return VALID;
}

/* contains, minContains and maxContains: how many items match. */
static int check_contains(vctx *x, const sch *s, const jp_node *n)
{
    long long matched = 0;
    size_t i = 0;
    for (int32_t c = n->first; c >= 0; c = NODE(x, c)->next, i++) {
        int rc = validate_child(x, s->contains, NODE(x, c), i);
        if (rc == UNFINISHED)
            return rc;
        if (rc == VALID)
            mark(x, i);
        matched += rc == VALID;
    }
    if (matched < s->min_contains)
        return s->min_contains == 1 && !matched
                   ? fail_at(x, "contains", "no item matches")
                   : fail_at(x, "minContains", "%lld items match, at least %lld required", matched,
                             s->min_contains);
    if (s->max_contains >= 0 && matched > s->max_contains)
        return fail_at(x, "maxContains", "%lld items match, at most %lld allowed", matched,
                       s->max_contains);
    return VALID;
}

static int validate_array(vctx *x, const sch *s, const jp_node *n)
{
    if (s->min_items >= 0 && n->count < (unsigned long long)s->min_items)
        return fail_at(x, "minItems", "%u items, at least %lld required", n->count, s->min_items);
    if (s->max_items >= 0 && n->count > (unsigned long long)s->max_items)
        return fail_at(x, "maxItems", "%u items, at most %lld allowed", n->count, s->max_items);
    size_t i = 0;
    int rc;
    for (int32_t c = n->first; c >= 0; c = NODE(x, c)->next, i++) {
        const sch *item = i < (size_t)s->prefix.n ? s->prefix.v[i] : s->items;
        if (item && (rc = validate_child(x, item, NODE(x, c), i)) < 0)
            return rc;
        if (item)
            mark(x, i);
    }
    if (s->contains && (rc = check_contains(x, s, n)) < 0)
        return rc;
    return s->unique ? unique_items(x, n) : VALID;
}

static int validate_number(vctx *x, const sch *s, const jp_node *n)
{
    const char *v = text(x, n);
    int len = (int)n->len;
    if (s->minimum.text && jp_number_cmp(v, n->len, s->minimum.text, s->minimum.len) < 0)
        return fail_at(x, "minimum", "%.*s is less than %.*s", len, v, (int)s->minimum.len,
                       s->minimum.text);
    if (s->maximum.text && jp_number_cmp(v, n->len, s->maximum.text, s->maximum.len) > 0)
        return fail_at(x, "maximum", "%.*s is greater than %.*s", len, v, (int)s->maximum.len,
                       s->maximum.text);
    if (s->xminimum.text && jp_number_cmp(v, n->len, s->xminimum.text, s->xminimum.len) <= 0)
        return fail_at(x, "exclusiveMinimum", "%.*s is not greater than %.*s", len, v,
                       (int)s->xminimum.len, s->xminimum.text);
    if (s->xmaximum.text && jp_number_cmp(v, n->len, s->xmaximum.text, s->xmaximum.len) >= 0)
        return fail_at(x, "exclusiveMaximum", "%.*s is not less than %.*s", len, v,
                       (int)s->xmaximum.len, s->xmaximum.text);
    if (s->multiple.text &&
        !jp_number_multiple_of(v, n->len, s->multiple.text, s->multiple.len))
        return fail_at(x, "multipleOf", "%.*s is not a multiple of %.*s", len, v,
                       (int)s->multiple.len, s->multiple.text);
    return VALID;
}

static int validate_string(vctx *x, const sch *s, const jp_node *n)
{
    const char *v = text(x, n);
    if (s->min_length >= 0 || s->max_length >= 0) {
        size_t cp = code_points(v, n->len);
        if (s->min_length >= 0 && cp < (size_t)s->min_length)
            return fail_at(x, "minLength", "%zu characters, at least %lld required", cp, s->min_length);
        if (s->max_length >= 0 && cp > (size_t)s->max_length)
            return fail_at(x, "maxLength", "%zu characters, at most %lld allowed", cp, s->max_length);
    }
    if (s->pat.re) {
        int rc = match(x, &s->pat, v, n->len, "pattern");
        if (rc == INVALID) {
            char *shown = show_whole(s->pat.source, s->pat.len);
            rc = fail_at(x, "pattern", "\"%s\" not matched", shown);
            free(shown);
            return rc;
        }
        if (rc < 0)
            return rc;
    }
    if (s->format && !s->format(v, n->len))
        return fail_at(x, "format", "\"%s\" not satisfied", s->format_name);
    return VALID;
}

/* Whether n is one of the enum's values: the hash finds the candidates. */
static int in_enum(vctx *x, const sch *s, const jp_node *n)
{
    const jp_side *d = s->d;
    uint64_t h = jp_value_hash(&x->l->scratch, &x->r, n);
    size_t cursor = 0;
    for (int32_t i; (i = jp_hset_next(&s->enum_set, h, &cursor)) >= 0;)
        if (jp_value_equal(&x->l->scratch, &x->r, n, d, &d->nodes[i]))
            return 1;
    return 0;
}

/* Where s's $dynamicRef lands: the outermost resource of the dynamic
 * scope that has the anchor, else its own target. */
static const sch *dynamic_target(const vctx *x, const sch *s)
{
    for (int i = 0; i < x->l->nscope; i++)
        for (int j = 0; j < s->ndyn; j++)
            if (s->dyn[j].base == x->l->scope[i])
                return s->dyn[j].s;
    return s->dynref;
}

/* The keywords that apply subschemas at this same place of the record. */
static int validate_in_place(vctx *x, const sch *s, const jp_node *n)
{
    int rc;
    for (int i = 0; i < s->all.n; i++)
        if ((rc = validate(x, s->all.v[i], n)) < 0)
            return rc;
    if (s->any.n) {
        /* When marks are collected, every branch that holds counts. */
        int ok = 0;
        for (int i = 0; i < s->any.n && (!ok || x->l->col >= 0); i++) {
            if ((rc = validate_branch(x, s->any.v[i], n, 1)) == UNFINISHED)
                return rc;
            ok |= rc == VALID;
        }
        if (!ok)
            return fail_at(x, "anyOf", "no subschema matched");
    }
    if (s->one.n) {
        int matched = 0;
        for (int i = 0; i < s->one.n; i++) {
            if ((rc = validate_branch(x, s->one.v[i], n, 1)) == UNFINISHED)
                return rc;
            matched += rc == VALID;
        }
        if (matched != 1)
            return fail_at(x, "oneOf", "%d subschemas matched, exactly one must", matched);
    }
    if (s->not_) {
        if ((rc = validate_branch(x, s->not_, n, 0)) == UNFINISHED)
            return rc;
        if (rc == VALID)
            return fail_at(x, "not", "the subschema matched");
    }
    if (s->if_) {
        if ((rc = validate_branch(x, s->if_, n, 1)) == UNFINISHED)
            return rc;
        const sch *branch = rc == VALID ? s->then_ : s->else_;
        if (branch && (rc = validate(x, branch, n)) < 0)
            return rc;
    }
    if (s->ref && (rc = validate(x, s->ref, n)) < 0)
        return rc;
    if (s->dynref && (rc = validate(x, dynamic_target(x, s), n)) < 0)
        return rc;
    return VALID;
}

/* unevaluatedProperties and unevaluatedItems: the members or items no
 * keyword of s (in place, through every branch that held) evaluated. */
static int validate_unevaluated(vctx *x, const sch *s, const jp_node *n)
{
    schema_local *l = x->l;
    const sch *rest = n->type == JP_OBJECT ? s->uneval_props : s->uneval_items;
    const char *keyword = n->type == JP_OBJECT ? "unevaluatedProperties" : "unevaluatedItems";
    size_t i = 0;
    for (int32_t c = n->first; c >= 0; c = NODE(x, c)->next, i++) {
        if (l->marks[l->col + (long)i])
            continue;
        if (rest->boolean == 0) {
            push_step(l, NODE(x, c), i);
            fail_at(x, keyword, "not allowed");
            l->npath--;
            return INVALID;
        }
        int rc = validate_child(x, rest, NODE(x, c), i);
        if (rc < 0)
            return rc;
        mark(x, i);
    }
    return VALID;
}

static int validate_schema(vctx *x, const sch *s, const jp_node *n);

/* s at n, with s the subschema a failure names. */
static int validate(vctx *x, const sch *s, const jp_node *n)
{
    const sch *outer = x->l->cur;
    x->l->cur = s;
    int rc = validate_schema(x, s, n);
    x->l->cur = outer;
    return rc;
}

/* The keywords of s at n, but unevaluated*. */
static int validate_here(vctx *x, const sch *s, const jp_node *n)
{
    int rc = VALID;
    if (s->types && !type_matches(x, s->types, n)) {
        const char *got = n->type == JP_NUMBER && (s->types & T_INTEGER) ? "a non-integer number"
                                                                        : jp_type_phrase(n->type);
        rc = fail_at(x, "type", "expected %s, got %s", s->types_text, got);
    } else if (s->constv && !jp_value_equal(&x->l->scratch, &x->r, n, s->d, s->constv)) {
        rc = fail_at(x, "const", "value differs");
    } else if (s->enumv && !in_enum(x, s, n)) {
        rc = fail_at(x, "enum", "value is not one of the %u allowed", s->enumv->count);
    } else if (n->type == JP_OBJECT) {
        rc = validate_object(x, s, n);
    } else if (n->type == JP_ARRAY) {
        rc = validate_array(x, s, n);
    } else if (n->type == JP_NUMBER) {
        rc = validate_number(x, s, n);
    } else if (n->type == JP_STRING) {
        rc = validate_string(x, s, n);
    }
    return rc == VALID ? validate_in_place(x, s, n) : rc;
}

static int validate_schema(vctx *x, const sch *s, const jp_node *n)
{
    if (s->boolean == 1)
        return VALID;
    if (s->boolean == 0)
        return fail_at(x, "false", "no value is allowed here");
    int rc = spend(x);
    if (rc < 0)
        return rc;
    if (x->l->depth == MAX_EVAL_DEPTH)
        return unfinished_at(x, NULL, "subschemas nested deeper than %d levels at one value",
                             MAX_EVAL_DEPTH);
    x->l->depth++;
    schema_local *sl = x->l;
    int entered = !sl->nscope || sl->scope[sl->nscope - 1] != s->base;
    if (entered) {
        if (sl->nscope == sl->scope_cap) {
            sl->scope_cap = sl->scope_cap ? sl->scope_cap * 2 : 16;
            sl->scope = jp_xrealloc(sl->scope, (size_t)sl->scope_cap * sizeof *sl->scope);
        }
        sl->scope[sl->nscope++] = s->base;
    }
    if ((n->type == JP_OBJECT && s->uneval_props) || (n->type == JP_ARRAY && s->uneval_items)) {
        /* The marks of n start here, and join those of an enclosing
         * collection when s holds. */
        schema_local *l = x->l;
        long outer = l->col;
        size_t top = l->marks_top;
        if ((rc = spend_n(x, n->count)) == VALID) {
            l->col = push_marks(l, n->count);
            rc = validate_here(x, s, n);
            if (rc == VALID)
                rc = validate_unevaluated(x, s, n);
            if (rc == VALID && outer >= 0)
                for (size_t i = 0; i < n->count; i++)
                    l->marks[outer + (long)i] |= l->marks[l->col + (long)i];
            l->col = outer;
            l->marks_top = top;
        }
    } else {
        rc = validate_here(x, s, n);
    }
    sl->nscope -= entered;
    x->l->depth--;
    return rc;
}

jp_schema_scratch *jp_schema_scratch_new(void)
{
    schema_local *l = jp_xcalloc(1, sizeof *l);
    l->regex = jp_regex_scratch_new();
    return l;
}

void jp_schema_scratch_free(jp_schema_scratch *l)
{
    jp_regex_scratch_free(l->regex);
    free(l->marks);
    free(l->scope);
    free(l->path);
    free(l->scratch.v);
    free(l->items);
    free(l->present);
    jp_buf_free(&l->why);
    free(l);
}

int jp_schema_validate(const jp_schema *sc, jp_schema_scratch *l, const jp_side *r,
                       const char **why)
{
    vctx x = {l, sc, *r};
    l->npath = 0;
    l->depth = 0;
    l->scratch.steps = 0;
    l->scratch.top = 0;
    l->limit = sc->budget;
    l->col = -1;
    l->marks_top = 0;
    l->nscope = 0;
    l->cur = NULL;
    if (validate(&x, sc->root, NODE(&x, 0)) == VALID)
        return 1;
    *why = l->why.data;
    return 0;
}
