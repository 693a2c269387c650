/* schema.c: --schema FILE validates every record against a JSON Schema
 * (draft 2020-12) and rejects the records that fail, naming the JSON
 * Pointer of the failing value and the keyword:
 *     /user/email: "format": "email" not satisfied
 *
 * Supported: type (a name or a list), required, properties,
 * additionalProperties (boolean or schema), patternProperties, enum, const,
 * minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf,
 * minLength, maxLength (in code points), pattern, items, prefixItems,
 * minItems, maxItems, uniqueItems, allOf, anyOf, oneOf, not, $ref to "#" or
 * "#/$defs/NAME", format (date-time, date, email, ipv4, uuid), $defs, and
 * the annotations $schema, $id, $comment, title, description, default,
 * examples, deprecated, readOnly, writeOnly. Any other keyword, or another
 * format, is an error at start-up: nothing is ignored silently.
 *
 * The schema is compiled once. Numbers are compared as decimal text, so
 * "maximum": 9007199254740993 is exact. Regexes are PCRE2, compiled once.
 * Each worker thread builds the record's tree (tree.h) in reused memory. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <errno.h>
#include <pcre2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <yajl/yajl_tree.h>

#include "json.h"
#include "number.h"
#include "processor.h"
#include "tree.h"

enum {
    T_NULL = 1 << JP_NULL, T_BOOLEAN = 1 << JP_BOOLEAN, T_NUMBER = 1 << JP_NUMBER,
    T_STRING = 1 << JP_STRING, T_OBJECT = 1 << JP_OBJECT, T_ARRAY = 1 << JP_ARRAY,
    T_INTEGER = 1 << 10
};

enum format { F_NONE, F_DATE_TIME, F_DATE, F_EMAIL, F_IPV4, F_UUID };
static const char *const format_names[] = {"", "date-time", "date", "email", "ipv4", "uuid"};

/* The yajl accessors, for values whose type is already checked. */
#define STR(v) ((v)->u.string)
#define NUM(v) ((v)->u.number.r)

typedef struct sch sch;

typedef struct named {
    const char *name;  /* points into the schema's yajl tree */
    size_t len;
    sch *s;
} named;

typedef struct pattern {
    pcre2_code *re;
    const char *source;
    sch *s;
} pattern;

typedef struct list {
    sch **v;
    int n;
} list;

struct sch {
    int boolean;             /* -1: a schema object; 0: false; 1: true */
    unsigned types;          /* 0: any */
    const char *types_text;  /* for messages */
    yajl_val required;
    named *props;
    int nprops;
    int *prop_slot;        /* open hash of props by name: index + 1, 0 empty */
    unsigned prop_mask;
    pattern *pprops;
    int npprops;
    sch *additional;
    yajl_val enumv, constv;
    const char *minimum, *maximum, *xminimum, *xmaximum; /* number texts */
    size_t minimum_len, maximum_len, xminimum_len, xmaximum_len;
    const char *multiple_text;
    uint64_t multiple_m;
    int64_t multiple_e;
    long long min_length, max_length, min_items, max_items; /* -1: none */
    pattern pat;
    enum format format;
    list prefix;
    sch *items;
    int unique;
    list all, any, one;
    sch *not_;
    sch *ref;
};

typedef struct schema {
    yajl_val doc;
    sch *root;
    sch **all;   /* every compiled node, to free */
    int nall;
    named *defs; /* compiled $defs, by name */
    int ndefs;
} schema;

/* ---- compiling --------------------------------------------------------------- */

typedef struct compiler {
    schema *sc;
    char *err;
    size_t errlen;
    int failed;
    int depth; /* subschemas being compiled, one inside the other */
} compiler;

/* Compiling recurses into subschemas: a schema nested deeper than this is
 * refused rather than allowed to exhaust the stack. */
#define MAX_SCHEMA_DEPTH 512

static sch *compile(compiler *c, yajl_val v, const char *where);

static sch *new_sch(compiler *c)
{
    sch *s = jp_xcalloc(1, sizeof *s);
    s->boolean = -1;
    s->min_length = s->max_length = s->min_items = s->max_items = -1;
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
            snprintf(c->err, c->errlen, "%.*s.../%s: %s", (int)(room - 3), where, key, what);
    }
    c->failed = 1;
    return NULL;
}

/* A key the object has more than once, or NULL. A schema that says a
 * thing twice is refused rather than read one way or the other. */
static const char *twice(yajl_val obj)
{
    for (size_t i = 1; i < obj->u.object.len; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(obj->u.object.keys[i], obj->u.object.keys[j]) == 0)
                return obj->u.object.keys[i];
    return NULL;
}

static int type_bit(const char *name)
{
    static const struct { const char *n; unsigned b; } t[] = {
        {"null", T_NULL}, {"boolean", T_BOOLEAN}, {"number", T_NUMBER}, {"integer", T_INTEGER},
        {"string", T_STRING}, {"object", T_OBJECT}, {"array", T_ARRAY}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strcmp(name, t[i].n) == 0)
            return (int)t[i].b;
    return 0;
}

static long long count_of(compiler *c, yajl_val v, const char *where, const char *key)
{
    if (!YAJL_IS_INTEGER(v) || YAJL_GET_INTEGER(v) < 0) {
        bad(c, where, key, "must be a non-negative integer");
        return -1;
    }
    return YAJL_GET_INTEGER(v);
}

static pcre2_code *regex(compiler *c, const char *src, const char *where, const char *key)
{
    int code;
    PCRE2_SIZE off;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED, PCRE2_UTF, &code, &off, NULL);
    if (!re) {
        PCRE2_UCHAR msg[120];
        char what[200];
        pcre2_get_error_message(code, msg, sizeof msg);
        snprintf(what, sizeof what, "bad regex at its offset %zu: %s", (size_t)off, (char *)msg);
        bad(c, where, key, what);
        return NULL;
    }
    pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
    return re;
}

static void compile_list(compiler *c, yajl_val v, const char *where, const char *key, list *out)
{
    if (!YAJL_IS_ARRAY(v) || v->u.array.len == 0) {
        bad(c, where, key, "must be a non-empty array of schemas");
        return;
    }
    out->v = jp_xcalloc(v->u.array.len, sizeof *out->v);
    for (size_t i = 0; i < v->u.array.len && !c->failed; i++) {
        char sub[512];
        snprintf(sub, sizeof sub, "%.400s/%.50s/%zu", where, key, i);
        out->v[out->n++] = compile(c, v->u.array.values[i], sub);
    }
}

/* "#" or "#/$defs/NAME" (NAME with JSON Pointer escapes). */
static sch *resolve(compiler *c, const char *ref, const char *where)
{
    if (strcmp(ref, "#") == 0)
        return c->sc->root;
    if (strncmp(ref, "#/$defs/", 8) != 0)
        return bad(c, where, "$ref", "only \"#\" and \"#/$defs/NAME\" are supported");
    char name[256];
    size_t n = 0;
    for (const char *p = ref + 8; *p && n < sizeof name - 1; p++) {
        if (*p == '~' && (p[1] == '0' || p[1] == '1')) {
            name[n++] = p[1] == '0' ? '~' : '/';
            p++;
        } else {
            name[n++] = *p;
        }
    }
    name[n] = '\0';
    for (int i = 0; i < c->sc->ndefs; i++)
        if (strcmp(c->sc->defs[i].name, name) == 0)
            return c->sc->defs[i].s;
    return bad(c, where, "$ref", "no such definition in $defs");
}

static const char *number_text(compiler *c, yajl_val v, const char *where, const char *key)
{
    if (!YAJL_IS_NUMBER(v)) {
        bad(c, where, key, "must be a number");
        return NULL;
    }
    return NUM(v);
}

static sch *compile_schema(compiler *c, yajl_val v, const char *where);

static sch *compile(compiler *c, yajl_val v, const char *where)
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

static sch *compile_schema(compiler *c, yajl_val v, const char *where)
{
    sch *s = new_sch(c);
    if (YAJL_IS_TRUE(v) || YAJL_IS_FALSE(v)) {
        s->boolean = YAJL_IS_TRUE(v);
        return s;
    }
    if (!YAJL_IS_OBJECT(v))
        return bad(c, where, "", "a schema must be an object or a boolean");
    const char *dup = twice(v);
    if (dup)
        return bad(c, where, dup, "is given twice");

    for (size_t i = 0; i < v->u.object.len && !c->failed; i++) {
        const char *k = v->u.object.keys[i];
        yajl_val x = v->u.object.values[i];
        char sub[512];
        snprintf(sub, sizeof sub, "%.400s/%.100s", where, k);

        if (!strcmp(k, "$schema") || !strcmp(k, "$id") || !strcmp(k, "$comment") ||
            !strcmp(k, "title") || !strcmp(k, "description") || !strcmp(k, "default") ||
            !strcmp(k, "examples") || !strcmp(k, "deprecated") || !strcmp(k, "readOnly") ||
            !strcmp(k, "writeOnly")) {
            continue; /* annotations */
        } else if (!strcmp(k, "$defs")) {
            if (YAJL_IS_OBJECT(x) && (dup = twice(x)))
                return bad(c, sub, dup, "is given twice");
            continue; /* compiled up front */
        } else if (!strcmp(k, "type")) {
            if (YAJL_IS_STRING(x)) {
                s->types = (unsigned)type_bit(STR(x));
            } else if (YAJL_IS_ARRAY(x)) {
                for (size_t j = 0; j < x->u.array.len; j++) {
                    yajl_val t = x->u.array.values[j];
                    int b = YAJL_IS_STRING(t) ? type_bit(STR(t)) : 0;
                    if (!b)
                        return bad(c, where, k, "unknown type");
                    s->types |= (unsigned)b;
                }
            }
            if (!s->types)
                return bad(c, where, k, "must be a type name or a list of them");
            s->types_text = YAJL_IS_STRING(x) ? STR(x) : "one of the listed types";
        } else if (!strcmp(k, "required")) {
            if (!YAJL_IS_ARRAY(x))
                return bad(c, where, k, "must be an array of strings");
            for (size_t j = 0; j < x->u.array.len; j++)
                if (!YAJL_IS_STRING(x->u.array.values[j]))
                    return bad(c, where, k, "must be an array of strings");
            s->required = x;
        } else if (!strcmp(k, "properties") || !strcmp(k, "patternProperties")) {
            if (!YAJL_IS_OBJECT(x))
                return bad(c, where, k, "must be an object of schemas");
            if ((dup = twice(x)))
                return bad(c, sub, dup, "is given twice");
            int pat = k[0] == 'p' && k[1] == 'a';
            for (size_t j = 0; j < x->u.object.len && !c->failed; j++) {
                char sub2[512];
                snprintf(sub2, sizeof sub2, "%.400s/%.100s", sub, x->u.object.keys[j]);
                sch *child = compile(c, x->u.object.values[j], sub2);
                if (pat) {
                    pcre2_code *re = regex(c, x->u.object.keys[j], sub, x->u.object.keys[j]);
                    s->pprops = jp_xrealloc(s->pprops, (size_t)(s->npprops + 1) * sizeof *s->pprops);
                    s->pprops[s->npprops++] = (pattern){re, x->u.object.keys[j], child};
                } else {
                    s->props = jp_xrealloc(s->props, (size_t)(s->nprops + 1) * sizeof *s->props);
                    s->props[s->nprops++] =
                        (named){x->u.object.keys[j], strlen(x->u.object.keys[j]), child};
                }
            }
        } else if (!strcmp(k, "additionalProperties")) {
            s->additional = compile(c, x, sub);
        } else if (!strcmp(k, "enum")) {
            if (!YAJL_IS_ARRAY(x))
                return bad(c, where, k, "must be an array");
            s->enumv = x;
        } else if (!strcmp(k, "const")) {
            s->constv = x;
        } else if (!strcmp(k, "minimum")) {
            s->minimum = number_text(c, x, where, k);
        } else if (!strcmp(k, "maximum")) {
            s->maximum = number_text(c, x, where, k);
        } else if (!strcmp(k, "exclusiveMinimum")) {
            s->xminimum = number_text(c, x, where, k);
        } else if (!strcmp(k, "exclusiveMaximum")) {
            s->xmaximum = number_text(c, x, where, k);
        } else if (!strcmp(k, "multipleOf")) {
            const char *t = number_text(c, x, where, k);
            int neg;
            if (t && (jp_number_scaled(t, strlen(t), &s->multiple_m, &s->multiple_e, &neg) < 0 ||
                      neg || s->multiple_m == 0))
                return bad(c, where, k, "must be greater than 0, with at most 18 significant digits");
            s->multiple_text = t;
        } else if (!strcmp(k, "minLength")) {
            s->min_length = count_of(c, x, where, k);
        } else if (!strcmp(k, "maxLength")) {
            s->max_length = count_of(c, x, where, k);
        } else if (!strcmp(k, "minItems")) {
            s->min_items = count_of(c, x, where, k);
        } else if (!strcmp(k, "maxItems")) {
            s->max_items = count_of(c, x, where, k);
        } else if (!strcmp(k, "pattern")) {
            if (!YAJL_IS_STRING(x))
                return bad(c, where, k, "must be a string");
            s->pat.source = STR(x);
            s->pat.re = regex(c, s->pat.source, where, k);
        } else if (!strcmp(k, "format")) {
            for (int f = 1; f <= F_UUID && YAJL_IS_STRING(x); f++)
                if (!strcmp(STR(x), format_names[f]))
                    s->format = (enum format)f;
            if (!s->format)
                return bad(c, where, k, "supported formats are date-time, date, email, ipv4, uuid");
        } else if (!strcmp(k, "items")) {
            s->items = compile(c, x, sub);
        } else if (!strcmp(k, "prefixItems")) {
            compile_list(c, x, where, k, &s->prefix);
        } else if (!strcmp(k, "uniqueItems")) {
            if (!YAJL_IS_TRUE(x) && !YAJL_IS_FALSE(x))
                return bad(c, where, k, "must be a boolean");
            s->unique = YAJL_IS_TRUE(x);
        } else if (!strcmp(k, "allOf")) {
            compile_list(c, x, where, k, &s->all);
        } else if (!strcmp(k, "anyOf")) {
            compile_list(c, x, where, k, &s->any);
        } else if (!strcmp(k, "oneOf")) {
            compile_list(c, x, where, k, &s->one);
        } else if (!strcmp(k, "not")) {
            s->not_ = compile(c, x, sub);
        } else if (!strcmp(k, "$ref")) {
            if (!YAJL_IS_STRING(x))
                return bad(c, where, k, "must be a string");
            s->ref = resolve(c, STR(x), where);
        } else {
            return bad(c, where, k, "unsupported keyword");
        }
    }
    return c->failed ? NULL : s;
}

static unsigned name_hash(const char *k, size_t n)
{
    unsigned h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)k[i]) * 16777619u;
    return h;
}

/* An object with many properties gets a hash table of their names, so each
 * member of a record costs one probe instead of a comparison per property. */
static void index_props(sch *s)
{
    if (s->nprops < 4)
        return;
    unsigned size = 8;
    while (size < 2u * (unsigned)s->nprops)
        size *= 2;
    s->prop_mask = size - 1;
    s->prop_slot = jp_xcalloc(size, sizeof *s->prop_slot);
    for (int i = 0; i < s->nprops; i++) {
        unsigned h = name_hash(s->props[i].name, s->props[i].len) & s->prop_mask;
        while (s->prop_slot[h])
            h = (h + 1) & s->prop_mask;
        s->prop_slot[h] = i + 1;
    }
}

/* The property named key, or -1. Several with one name cannot be. */
static int find_prop(const sch *s, const char *key, size_t n)
{
    if (s->prop_slot) {
        for (unsigned h = name_hash(key, n) & s->prop_mask; s->prop_slot[h]; h = (h + 1) & s->prop_mask) {
            const named *p = &s->props[s->prop_slot[h] - 1];
            if (p->len == n && memcmp(p->name, key, n) == 0)
                return s->prop_slot[h] - 1;
        }
        return -1;
    }
    for (int i = 0; i < s->nprops; i++)
        if (s->props[i].len == n && (!n || s->props[i].name[0] == key[0]) &&
            memcmp(s->props[i].name, key, n) == 0)
            return i;
    return -1;
}

static void schema_destroy(void *arg)
{
    schema *sc = arg;
    for (int i = 0; i < sc->nall; i++) {
        sch *s = sc->all[i];
        free(s->props);
        free(s->prop_slot);
        for (int j = 0; j < s->npprops; j++)
            pcre2_code_free(s->pprops[j].re);
        free(s->pprops);
        pcre2_code_free(s->pat.re);
        free(s->prefix.v);
        free(s->all.v);
        free(s->any.v);
        free(s->one.v);
        free(s);
    }
    free(sc->all);
    free(sc->defs);
    yajl_tree_free(sc->doc);
    free(sc);
}

static void *schema_create(const char *path, jp_setup *setup, char *err, size_t errlen)
{
    jp_buf text = {0};
    if (jp_buf_read_file(&text, path) < 0) {
        snprintf(err, errlen, "%s: %s", path, jp_buf_read_error(errno));
        jp_buf_free(&text);
        return NULL;
    }
    jp_buf_putc(&text, '\0');

    schema *sc = jp_xcalloc(1, sizeof *sc);
    char why[256] = "";
    sc->doc = yajl_tree_parse(text.data, why, sizeof why);
    jp_buf_free(&text);
    if (!sc->doc) {
        why[strcspn(why, "\n")] = '\0'; /* yajl adds a picture of where */
        snprintf(err, errlen, "%s: not JSON: %s", path, why);
        schema_destroy(sc);
        return NULL;
    }
    setup->want_tree = 1;
    /* The path is put before the compiler's message: leave it room. */
    size_t prefix = strlen(path) + 2;
    compiler c = {sc, err, errlen > prefix + 64 ? errlen - prefix : errlen, 0, 0};
    /* The root and every $defs entry get their node first, so $ref can
     * point at them before (or while) they are compiled. */
    sch *root = new_sch(&c);
    sc->root = root;
    const char *defs_path[] = {"$defs", NULL};
    yajl_val defs = yajl_tree_get(sc->doc, defs_path, yajl_t_object);
    if (defs) {
        sc->defs = jp_xcalloc(defs->u.object.len, sizeof *sc->defs);
        for (size_t i = 0; i < defs->u.object.len; i++)
            sc->defs[sc->ndefs++] = (named){defs->u.object.keys[i], 0, new_sch(&c)};
    }
    /* Compile into fresh nodes, then copy them over the placeholders. */
    sch *compiled = compile(&c, sc->doc, "#");
    for (int i = 0; defs && i < sc->ndefs && !c.failed; i++) {
        char where[512];
        snprintf(where, sizeof where, "#/$defs/%.400s", sc->defs[i].name);
        sch *d = compile(&c, defs->u.object.values[i], where);
        if (d)
            *sc->defs[i].s = *d, memset(d, 0, sizeof *d), d->boolean = 1;
    }
    for (int i = 0; i < sc->nall; i++) {
        sch *x = sc->all[i];
        x->minimum_len = x->minimum ? strlen(x->minimum) : 0;
        x->maximum_len = x->maximum ? strlen(x->maximum) : 0;
        x->xminimum_len = x->xminimum ? strlen(x->xminimum) : 0;
        x->xmaximum_len = x->xmaximum ? strlen(x->xmaximum) : 0;
        index_props(x);
    }
    if (c.failed || !compiled) {
        if (!c.failed)
            snprintf(err, errlen, "%s: invalid schema", path);
        else {
            char tmp[256];
            snprintf(tmp, sizeof tmp, "%s", err);
            snprintf(err, errlen, "%s: %s", path, tmp);
        }
        schema_destroy(sc);
        return NULL;
    }
    *root = *compiled;
    memset(compiled, 0, sizeof *compiled);
    compiled->boolean = 1;
    return sc;
}

/* ---- validating ---------------------------------------------------------------- */

/* One step from the record down to the value being checked. */
typedef struct step {
    int32_t node;
    size_t index; /* its place in an array */
} step;

typedef struct schema_local {
    pcre2_match_data *match;
    step *path;       /* the JSON Pointer, turned into text only on failure */
    int npath, path_cap;
    jp_buf why;       /* the failure, once found */
    int depth;
} schema_local;

typedef struct vctx {
    schema_local *l;
    const jp_node *nodes; /* the record's tree, indexed directly */
    const char *text;
} vctx;

#define NODE(x, i) (&(x)->nodes[i])
#define TEXT(x, off) ((x)->text + (off))

static int fail_at(vctx *x, const char *keyword, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void push_key(jp_buf *p, const char *k, size_t n);

static int fail_at(vctx *x, const char *keyword, const char *fmt, ...)
{
    jp_buf *w = &x->l->why;
    w->len = 0;
    for (int i = 0; i < x->l->npath; i++) {
        const jp_node *n = NODE(x, x->l->path[i].node);
        const jp_node *parent = i ? NODE(x, x->l->path[i - 1].node) : NODE(x, 0);
        if (parent->type == JP_ARRAY)
            jp_buf_printf(w, "/%zu", x->l->path[i].index);
        else
            push_key(w, TEXT(x, n->key), n->key_len);
    }
    if (!x->l->npath)
        jp_buf_putc(w, '/');
    jp_buf_printf(w, ": \"%s\": ", keyword);
    va_list ap;
    char tmp[300];
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    jp_buf_puts(w, tmp);
    jp_buf_putc(w, '\0');
    return -1;
}

static void push_key(jp_buf *p, const char *k, size_t n)
{
    jp_buf_putc(p, '/');
    for (size_t i = 0; i < n; i++) {
        if (k[i] == '~')
            jp_buf_append(p, "~0", 2);
        else if (k[i] == '/')
            jp_buf_append(p, "~1", 2);
        else
            jp_buf_putc(p, k[i]);
    }
}

static const char *text(const vctx *x, const jp_node *n) { return TEXT(x, n->text); }

static int nodes_equal(const vctx *x, const jp_node *a, const jp_node *b)
{
    if (a->type != b->type)
        return 0;
    switch (a->type) {
    case JP_NUMBER: return jp_number_cmp(text(x, a), a->len, text(x, b), b->len) == 0;
    case JP_STRING:
    case JP_BOOLEAN: return a->len == b->len && memcmp(text(x, a), text(x, b), a->len) == 0;
    case JP_NULL: return 1;
    case JP_ARRAY:
        if (a->count != b->count)
            return 0;
        for (int32_t i = a->first, j = b->first; i >= 0; i = NODE(x, i)->next,
                     j = NODE(x, j)->next)
            if (!nodes_equal(x, NODE(x, i), NODE(x, j)))
                return 0;
        return 1;
    default: /* objects: same keys, equal values, in any order */
        if (a->count != b->count)
            return 0;
        for (int32_t i = a->first; i >= 0; i = NODE(x, i)->next) {
            const jp_node *ai = NODE(x, i);
            int found = 0;
            for (int32_t j = b->first; j >= 0 && !found; j = NODE(x, j)->next) {
                const jp_node *bj = NODE(x, j);
                found = ai->key_len == bj->key_len &&
                        memcmp(TEXT(x, ai->key), TEXT(x, bj->key), ai->key_len) == 0 &&
                        nodes_equal(x, ai, bj);
            }
            if (!found)
                return 0;
        }
        return 1;
    }
}

/* A tree node against a value of the schema document. */
static int equals_doc(const vctx *x, const jp_node *n, yajl_val v)
{
    switch (n->type) {
    case JP_NULL: return YAJL_IS_NULL(v);
    case JP_BOOLEAN: return n->len == 4 ? YAJL_IS_TRUE(v) : YAJL_IS_FALSE(v);
    case JP_NUMBER:
        return YAJL_IS_NUMBER(v) &&
               jp_number_cmp(text(x, n), n->len, NUM(v), strlen(NUM(v))) == 0;
    case JP_STRING:
        return YAJL_IS_STRING(v) && strlen(STR(v)) == n->len &&
               memcmp(STR(v), text(x, n), n->len) == 0;
    case JP_ARRAY: {
        if (!YAJL_IS_ARRAY(v) || v->u.array.len != n->count)
            return 0;
        size_t k = 0;
        for (int32_t i = n->first; i >= 0; i = NODE(x, i)->next)
            if (!equals_doc(x, NODE(x, i), v->u.array.values[k++]))
                return 0;
        return 1;
    }
    default: {
        if (!YAJL_IS_OBJECT(v) || v->u.object.len != n->count)
            return 0;
        for (int32_t i = n->first; i >= 0; i = NODE(x, i)->next) {
            const jp_node *c = NODE(x, i);
            int found = 0;
            for (size_t j = 0; j < v->u.object.len && !found; j++)
                found = strlen(v->u.object.keys[j]) == c->key_len &&
                        memcmp(v->u.object.keys[j], TEXT(x, c->key), c->key_len) == 0 &&
                        equals_doc(x, c, v->u.object.values[j]);
            if (!found)
                return 0;
        }
        return 1;
    }
    }
}

/* ---- formats ---- */

static int digits(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static int num(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

static int is_date(const char *s, size_t n)
{
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (n != 10 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' || !digits(s + 8, 2))
        return 0;
    int y = num(s, 4), m = num(s + 5, 2), d = num(s + 8, 2);
    if (m < 1 || m > 12 || d < 1 || d > days[m - 1])
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return !(m == 2 && d == 29 && !leap);
}

static int is_date_time(const char *s, size_t n)
{
    if (n < 20 || !is_date(s, 10) || (s[10] != 'T' && s[10] != 't'))
        return 0;
    const char *t = s + 11;
    if (!digits(t, 2) || t[2] != ':' || !digits(t + 3, 2) || t[5] != ':' || !digits(t + 6, 2))
        return 0;
    if (num(t, 2) > 23 || num(t + 3, 2) > 59 || num(t + 6, 2) > 60)
        return 0;
    size_t i = 19;
    if (s[i] == '.') {
        size_t start = ++i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == start)
            return 0;
    }
    if (i + 1 == n && (s[i] == 'Z' || s[i] == 'z'))
        return 1;
    const char *z = s + i;
    return i + 6 == n && (z[0] == '+' || z[0] == '-') && digits(z + 1, 2) && z[3] == ':' &&
           digits(z + 4, 2) && num(z + 1, 2) <= 23 && num(z + 4, 2) <= 59;
}

static int is_ipv4(const char *s, size_t n)
{
    int parts = 0;
    size_t i = 0;
    while (parts < 4) {
        size_t start = i;
        int v = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9' && i - start < 3)
            v = v * 10 + (s[i++] - '0');
        if (i == start || v > 255 || (i - start > 1 && s[start] == '0'))
            return 0;
        if (++parts < 4 && (i >= n || s[i++] != '.'))
            return 0;
    }
    return i == n;
}

static int is_uuid(const char *s, size_t n)
{
    if (n != 36)
        return 0;
    for (size_t i = 0; i < n; i++) {
        int dash = i == 8 || i == 13 || i == 18 || i == 23;
        char c = s[i];
        if (dash ? c != '-' : !((c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')))
            return 0;
    }
    return 1;
}

/* local@domain: a dot-atom local part (RFC 5322 atext) of at most 64 bytes,
 * and a host name of dot-separated labels (letters, digits, inner hyphens). */
static int is_email(const char *s, size_t n)
{
    const char *at = memchr(s, '@', n);
    if (!at || at == s || at - s > 64 || at == s + n - 1)
        return 0;
    for (const char *p = s; p < at; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '.') {
            if (p == s || p + 1 == at || p[1] == '.')
                return 0;
        } else if (!(c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                     (c >= '0' && c <= '9') || strchr("!#$%&'*+/=?^_`{|}~-", c))) {
            return 0;
        }
    }
    const char *d = at + 1, *end = s + n;
    int labels = 0;
    while (d < end) {
        const char *dot = memchr(d, '.', (size_t)(end - d));
        const char *le = dot ? dot : end;
        if (le == d || le - d > 63 || *d == '-' || le[-1] == '-')
            return 0;
        for (const char *p = d; p < le; p++)
            if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                  *p == '-' || (unsigned char)*p >= 0x80))
                return 0;
        labels++;
        d = dot ? dot + 1 : end;
        if (dot && d == end)
            return 0;
    }
    return labels >= 2;
}

static int format_ok(enum format f, const char *s, size_t n)
{
    switch (f) {
    case F_DATE_TIME: return is_date_time(s, n);
    case F_DATE: return is_date(s, n);
    case F_EMAIL: return is_email(s, n);
    case F_IPV4: return is_ipv4(s, n);
    case F_UUID: return is_uuid(s, n);
    default: return 1;
    }
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
    if (!(types & T_INTEGER) || n->type != JP_NUMBER)
        return 0;
    /* Written without fraction or exponent: an integer, no arithmetic. */
    const char *t = text(x, n);
    size_t i = 0;
    while (i < n->len && t[i] != '.' && t[i] != 'e' && t[i] != 'E')
        i++;
    return i == n->len || jp_number_multiple_of(t, n->len, 1, 0);
}

static int validate(vctx *x, const sch *s, int32_t at);

static void push_step(schema_local *l, int32_t node, size_t index)
{
    if (l->npath == l->path_cap) {
        l->path_cap = l->path_cap ? l->path_cap * 2 : 32;
        l->path = jp_xrealloc(l->path, (size_t)l->path_cap * sizeof *l->path);
    }
    l->path[l->npath++] = (step){node, index};
}

static int validate_child(vctx *x, const sch *s, int32_t at, size_t index)
{
    push_step(x->l, at, index);
    int rc = validate(x, s, at);
    x->l->npath--;
    return rc;
}

static int validate_object(vctx *x, const sch *s, const jp_node *n)
{
    if (s->required) {
        for (size_t i = 0; i < s->required->u.array.len; i++) {
            const char *want = STR(s->required->u.array.values[i]);
            size_t wl = strlen(want);
            int found = 0;
            for (int32_t c = n->first; c >= 0 && !found; c = NODE(x, c)->next) {
                const jp_node *cn = NODE(x, c);
                found = cn->key_len == wl && memcmp(TEXT(x, cn->key), want, wl) == 0;
            }
            if (!found)
                return fail_at(x, "required", "missing \"%s\"", want);
        }
    }
    if (!s->nprops && !s->npprops && !s->additional)
        return 0;
    for (int32_t c = n->first; c >= 0; c = NODE(x, c)->next) {
        const jp_node *cn = NODE(x, c);
        const char *key = TEXT(x, cn->key);
        int matched = 0, i = find_prop(s, key, cn->key_len);
        if (i >= 0) {
            matched = 1;
            if (validate_child(x, s->props[i].s, c, 0) < 0)
                return -1;
        }
        for (i = 0; i < s->npprops; i++)
            if (pcre2_match(s->pprops[i].re, (PCRE2_SPTR)key, cn->key_len, 0, 0, x->l->match, NULL) >= 0) {
                matched = 1;
                if (validate_child(x, s->pprops[i].s, c, 0) < 0)
                    return -1;
            }
        if (!matched && s->additional) {
            if (s->additional->boolean == 0) {
                push_step(x->l, c, 0);
                fail_at(x, "additionalProperties", "not allowed");
                x->l->npath--;
                return -1;
            }
            if (validate_child(x, s->additional, c, 0) < 0)
                return -1;
        }
    }
    return 0;
}

static int validate_array(vctx *x, const sch *s, const jp_node *n)
{
    if (s->min_items >= 0 && n->count < (unsigned long long)s->min_items)
        return fail_at(x, "minItems", "%u items, at least %lld required", n->count, s->min_items);
    if (s->max_items >= 0 && n->count > (unsigned long long)s->max_items)
        return fail_at(x, "maxItems", "%u items, at most %lld allowed", n->count, s->max_items);
    size_t i = 0;
    for (int32_t c = n->first; c >= 0; c = NODE(x, c)->next, i++) {
        const sch *item = i < (size_t)s->prefix.n ? s->prefix.v[i] : s->items;
        if (item && validate_child(x, item, c, i) < 0)
            return -1;
    }
    if (s->unique) {
        size_t a = 0;
        for (int32_t c = n->first; c >= 0; c = NODE(x, c)->next, a++) {
            size_t b = a + 1;
            for (int32_t d = NODE(x, c)->next; d >= 0; d = NODE(x, d)->next, b++)
                if (nodes_equal(x, NODE(x, c), NODE(x, d)))
                    return fail_at(x, "uniqueItems", "items %zu and %zu are equal", a, b);
        }
    }
    return 0;
}

static int validate_number(vctx *x, const sch *s, const jp_node *n)
{
    const char *v = text(x, n);
    size_t len = n->len;
    if (s->minimum && jp_number_cmp(v, len, s->minimum, s->minimum_len) < 0)
        return fail_at(x, "minimum", "%.*s is less than %s", (int)len, v, s->minimum);
    if (s->maximum && jp_number_cmp(v, len, s->maximum, s->maximum_len) > 0)
        return fail_at(x, "maximum", "%.*s is greater than %s", (int)len, v, s->maximum);
    if (s->xminimum && jp_number_cmp(v, len, s->xminimum, s->xminimum_len) <= 0)
        return fail_at(x, "exclusiveMinimum", "%.*s is not greater than %s", (int)len, v, s->xminimum);
    if (s->xmaximum && jp_number_cmp(v, len, s->xmaximum, s->xmaximum_len) >= 0)
        return fail_at(x, "exclusiveMaximum", "%.*s is not less than %s", (int)len, v, s->xmaximum);
    if (s->multiple_text && !jp_number_multiple_of(v, len, s->multiple_m, s->multiple_e))
        return fail_at(x, "multipleOf", "%.*s is not a multiple of %s", (int)len, v, s->multiple_text);
    return 0;
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
    if (s->pat.re && pcre2_match(s->pat.re, (PCRE2_SPTR)v, n->len, 0, 0, x->l->match, NULL) < 0)
        return fail_at(x, "pattern", "\"%s\" not matched", s->pat.source);
    if (s->format && !format_ok(s->format, v, n->len))
        return fail_at(x, "format", "\"%s\" not satisfied", format_names[s->format]);
    return 0;
}

static int validate(vctx *x, const sch *s, int32_t at)
{
    if (s->boolean == 1)
        return 0;
    if (s->boolean == 0)
        return fail_at(x, "false", "no value is allowed here");
    if (++x->l->depth > 1000) {
        x->l->depth--;
        return fail_at(x, "$ref", "schema recursion too deep");
    }
    const jp_node *n = NODE(x, at);
    int rc = -1;
    if (s->types && !type_matches(x, s->types, n)) {
        const char *got = n->type == JP_NUMBER && (s->types & T_INTEGER) ? "a non-integer number"
                                                                        : jp_type_phrase(n->type);
        fail_at(x, "type", "expected %s, got %s", s->types_text, got);
        goto out;
    }
    if (s->constv && !equals_doc(x, n, s->constv)) {
        fail_at(x, "const", "value differs");
        goto out;
    }
    if (s->enumv) {
        size_t i = 0;
        while (i < s->enumv->u.array.len && !equals_doc(x, n, s->enumv->u.array.values[i]))
            i++;
        if (i == s->enumv->u.array.len) {
            fail_at(x, "enum", "value is not one of the %zu allowed", i);
            goto out;
        }
    }
    if ((n->type == JP_OBJECT && validate_object(x, s, n) < 0) ||
        (n->type == JP_ARRAY && validate_array(x, s, n) < 0) ||
        (n->type == JP_NUMBER && validate_number(x, s, n) < 0) ||
        (n->type == JP_STRING && validate_string(x, s, n) < 0))
        goto out;
    for (int i = 0; i < s->all.n; i++)
        if (validate(x, s->all.v[i], at) < 0)
            goto out;
    if (s->any.n) {
        int ok = 0;
        for (int i = 0; i < s->any.n && !ok; i++)
            ok = validate(x, s->any.v[i], at) == 0;
        if (!ok) {
            fail_at(x, "anyOf", "no subschema matched");
            goto out;
        }
    }
    if (s->one.n) {
        int matched = 0;
        for (int i = 0; i < s->one.n; i++)
            matched += validate(x, s->one.v[i], at) == 0;
        if (matched != 1) {
            fail_at(x, "oneOf", "%d subschemas matched, exactly one must", matched);
            goto out;
        }
    }
    if (s->not_ && validate(x, s->not_, at) == 0) {
        fail_at(x, "not", "the subschema matched");
        goto out;
    }
    if (s->ref && validate(x, s->ref, at) < 0)
        goto out;
    rc = 0;
out:
    x->l->depth--;
    return rc;
}

static void *schema_local_new(const void *self)
{
    schema_local *l = jp_xcalloc(1, sizeof *l);
    l->match = pcre2_match_data_create(1, NULL);
    return l;
}

static void schema_local_free(void *arg)
{
    schema_local *l = arg;
    pcre2_match_data_free(l->match);
    free(l->path);
    jp_buf_free(&l->why);
    free(l);
}

static jp_verdict schema_process(const void *arg, void *local, jp_record *rec)
{
    const schema *sc = arg;
    schema_local *l = local;
    const jp_tree *tree = jp_record_tree(rec);
    if (!tree)
        return jp_reject(rec, "the record could not be read for validation");
    vctx x = {l, jp_tree_node(tree, 0), jp_tree_text(tree, 0)};
    l->npath = 0;
    l->depth = 0;
    if (validate(&x, sc->root, 0) == 0)
        return JP_PASS;
    return jp_reject(rec, "%s", l->why.data);
}

const jp_processor_type jp_schema_processor = {
    .name = "schema",
    .metavar = "FILE",
    .help = "reject records failing this JSON Schema (2020-12)",
    .group = "validate",
    .example = "--schema logs.schema.json",
    .cpu_heavy = 1,
    .create = schema_create,
    .local_new = schema_local_new,
    .local_free = schema_local_free,
    .process = schema_process,
    .destroy = schema_destroy,
};
