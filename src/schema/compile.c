/* compile.c: a schema file compiled into the tree of sch nodes (sch.h)
 * that validate.c applies to records.
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
 * Each keyword has its compile function in kw_table; a $ref is resolved
 * once the whole schema is compiled, through the registry. A $ref cycle
 * that would loop at one place of the record is refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecma.h"
#include "ecma_simple.h"
#include "json.h"
#include "number.h"
#include "report.h"
#include "sch.h"
#include "uri.h"

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
        p->at = jp_xgrow_zeroed(p->at, &p->n, (size_t)node, sizeof *p->at);
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
void sch_show(char *out, size_t outlen, const char *s, size_t n)
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

/* sch_show() of all of s, in a new string the caller frees: for reasons,
 * which are never cut. */
char *sch_show_whole(const char *s, size_t n)
{
    size_t cap = 6 * n + 8; /* every byte a NUL, written \u0000 */
    char *out = jp_xmalloc(cap);
    sch_show(out, cap, s, n);
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
    sch_show(buf, n, DTEXT(c, dup->key), dup->key_len);
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

/* An ECMA-262 pattern, compiled as PCRE2 reads it the same (ecma.h), and
 * without PCRE2 too when it is simple (ecma_simple.h). A bad one is named
 * with the offset in the pattern as written. */
static pattern compile_pattern(compiler *c, const char *src, size_t n, const char *where,
                               const char *key, sch *s)
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
    return (pattern){re, re ? jp_ecma_simple_compile(src, n) : NULL, src, n, s};
}

static void free_pattern(pattern *p)
{
    jp_regex_free(p->re);
    jp_ecma_simple_free(p->fast);
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
        return (number){NULL, 0, 0, {0}};
    }
    number b = {DTEXT(c, v->text), v->len, 0, {0}};
    b.is_plain = jp_number_plain(b.text, b.len, &b.plain);
    return b;
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
    /* Below this many strings, comparing each costs less than hashing. */
    s->enum_few_strings = v->count <= 16;
    for (int32_t i = v->first; i >= 0; i = DNODE(c, i)->next) {
        jp_hset_add(&s->enum_set, jp_value_hash(&c->scratch, c->d, DNODE(c, i)), i);
        s->enum_few_strings &= DNODE(c, i)->type == JP_STRING;
    }
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
        sch_show(shown, sizeof shown, DTEXT(c, p->key), p->key_len);
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
        uint64_t h = jp_key_hash(DTEXT(c, name->text), name->len);
        jp_hset_add(&s->required_set, h, s->nrequired);
        s->required_bits |= 1ULL << (h & 63);
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
        sch_show(shown, sizeof shown, name, p->key_len);
        if (snprintf(sub2, sizeof sub2, "%s/%s", a->sub, shown) >= (int)sizeof sub2)
            jp_report_fit(sub2, sizeof sub2);
        sch *child = compile(c, p, sub2);
        if (pat) {
            s->pprops = jp_xrealloc(s->pprops, (size_t)(s->npprops + 1) * sizeof *s->pprops);
            s->pprops[s->npprops++] = compile_pattern(c, name, p->key_len, a->sub, shown, child);
        } else {
            uint64_t h = jp_key_hash(name, p->key_len);
            jp_hset_add(&s->prop_set, h, s->nprops);
            s->props = jp_xrealloc(s->props, (size_t)(s->nprops + 1) * sizeof *s->props);
            s->props[s->nprops++] = (named){name, p->key_len, child, h, -1};
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
        sch_show(shown, sizeof shown, DTEXT(c, p->key), p->key_len);
        if (snprintf(sub2, sizeof sub2, "%s/%s", a->sub, shown) >= (int)sizeof sub2)
            jp_report_fit(sub2, sizeof sub2);
        sch *child = compile(c, p, sub2);
        s->dep_schemas[s->ndep_schemas++] = (named){DTEXT(c, p->key), p->key_len, child, 0, -1};
    }
    return c->failed ? -1 : 0;
}

KW(kw_pattern)
{
    if (a->x->type != JP_STRING)
        return refuse(c, a->where, a->k, "must be a string");
    s->pat = compile_pattern(c, DTEXT(c, a->x->text), a->x->len, a->where, a->k, NULL);
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
        sch_show(k, sizeof k, DTEXT(c, x->key), x->key_len);
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
        free(s->prop_table);
        jp_hset_free(&s->prop_set);
        jp_hset_free(&s->enum_set);
        jp_hset_free(&s->required_set);
        free(s->required);
        for (int j = 0; j < s->npprops; j++)
            free_pattern(&s->pprops[j]);
        free(s->pprops);
        free_pattern(&s->pat);
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
 * fragment, elsewhere by its URI, with a '#' the places below it extend as
 * a JSON Pointer (https://x/a.json#/properties/id). */
static char *where_of(const jp_schema_doc *root, const char *uri)
{
    size_t n = strlen(root->uri);
    if (strncmp(uri, root->uri, n) == 0 && (uri[n] == '#' || !uri[n]))
        return jp_xstrdup(uri[n] ? uri + n : "#");
    if (strchr(uri, '#'))
        return jp_xstrdup(uri);
    char *where = jp_xmalloc(strlen(uri) + 2);
    sprintf(where, "%s#", uri);
    return where;
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

/* Which groups of keywords s has (sch.h's HAS_*). */
static unsigned keyword_groups(const sch *s)
{
    unsigned has = 0;
    if (s->types || s->constv || s->enumv)
        has |= HAS_VALUE;
    if (s->min_props >= 0 || s->max_props >= 0 || s->required || s->ndep_required ||
        s->ndep_schemas || s->nprops || s->npprops || s->additional || s->names)
        has |= HAS_OBJECT;
    if (s->min_items >= 0 || s->max_items >= 0 || s->prefix.n || s->items || s->contains ||
        s->unique)
        has |= HAS_ARRAY;
    if (s->minimum.text || s->maximum.text || s->xminimum.text || s->xmaximum.text ||
        s->multiple.text)
        has |= HAS_NUMBER;
    if (s->min_length >= 0 || s->max_length >= 0 || s->pat.re || s->format)
        has |= HAS_STRING;
    if (s->all.n || s->any.n || s->one.n || s->not_ || s->if_ || s->ref || s->dynref)
        has |= HAS_IN_PLACE;
    if (s->uneval_props || s->uneval_items)
        has |= HAS_UNEVALUATED;
    return has;
}

/* s's prop_table, and which required names are properties (named.required),
 * once all of s's keywords are compiled. */
static void index_props(sch *s)
{
    if (!s->nprops)
        return;
    /* Four slots a name, so that few share one; bounded, as PROPS_SEVERAL
     * keeps a crowded table right. */
    size_t size = 16;
    while (size < 4 * (size_t)s->nprops && size < (1u << 16))
        size *= 2;
    s->prop_mask = size - 1;
    s->prop_table = jp_xmalloc(size * sizeof *s->prop_table);
    for (size_t i = 0; i < size; i++)
        s->prop_table[i] = PROPS_NONE;
    for (int i = 0; i < s->nprops; i++) {
        int32_t *slot = &s->prop_table[s->props[i].hash & s->prop_mask];
        *slot = *slot == PROPS_NONE ? i : PROPS_SEVERAL;
    }
    for (int i = 0; i < s->nprops && s->required; i++) {
        named *p = &s->props[i];
        size_t cursor = 0;
        for (int32_t j; (j = jp_hset_next(&s->required_set, p->hash, &cursor)) >= 0;) {
            const jp_node *name = s->required[j];
            if (name->len != p->len || memcmp(s->d->text + name->text, p->name, p->len))
                continue;
            /* A name listed twice is marked by the required set, each copy. */
            p->required = p->required == -1 ? j : -2;
        }
        if (p->required == -2)
            p->required = -1;
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
    for (int i = 0; i < sc->nall; i++) {
        sch *s = sc->all[i];
        s->id = i;
        s->has = keyword_groups(s);
        s->has_no_subschemas =
            s->boolean < 0 && !(s->has & (HAS_OBJECT | HAS_ARRAY | HAS_IN_PLACE | HAS_UNEVALUATED));
        index_props(s);
        sc->dynamic |= s->dynref != NULL;
    }
    char why2[400];
    if (find_cycle(sc, why2, sizeof why2) < 0) {
        snprintf(err, errlen, "%s: %s", path, why2);
        jp_schema_free(sc);
        return NULL;
    }
    return sc;
}

