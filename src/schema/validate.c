/* validate.c: a record's tree checked against a compiled schema (sch.h);
 * a failure names the JSON Pointer of the failing value, the keyword and
 * the subschema that holds it:
 *     /user/email: "format": "email" not satisfied at #/$defs/user/properties/email
 *
 * Evaluating a record has three outcomes: it is valid, it is not (with the
 * first failure), or evaluation could not finish: a regex limit, the step
 * budget (--schema-budget) or a stop by signal. The third is never taken
 * for either of the others, whatever keyword encloses it (not, anyOf,
 * oneOf, if): the record is rejected with that reason. A $ref cycle that
 * would loop at one place of the record is refused at start-up.
 *
 * Each worker thread builds the record's tree in reused memory. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "number.h"
#include "pool.h"
#include "sch.h"

/* Evaluation results. */
#define VALID 0
#define INVALID (-1)
#define UNFINISHED (-2) /* a limit, the budget or a stop: the reason is set */

/* How deep evaluation may nest (subschemas inside subschemas at one
 * record), to keep the worker's stack safe. */
#define MAX_EVAL_DEPTH 1000


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
    /* Of each object being validated, its members' properties (found_top
     * marks the end of the innermost's). */
    int32_t *found;
    size_t found_top, found_cap;
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

/* The property named key (the member's, hashed as key_hash), or -1. */
static inline int find_prop(const sch *s, const char *key, size_t n, uint64_t key_hash)
{
    int32_t i = s->prop_table[key_hash & s->prop_mask];
    if (i >= 0) {
        const named *p = &s->props[i];
        return p->hash == key_hash && p->len == n && jp_bytes_equal(p->name, key, n) ? i : -1;
    }
    if (i == PROPS_NONE)
        return -1;
    size_t cursor = 0;
    while ((i = jp_hset_next(&s->prop_set, key_hash, &cursor)) >= 0)
        if (s->props[i].len == n && jp_bytes_equal(s->props[i].name, key, n))
            return i;
    return -1;
}

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
static __attribute__((noinline)) int spend_checked(vctx *x)
{
    jp_members *m = &x->l->scratch;
    if (m->steps > x->l->limit)
        return unfinished_at(x, NULL, "schema evaluation budget of %llu steps exceeded "
                             "(see --schema-budget)", (unsigned long long)x->sc->budget);
    if (jp_pool_cancelled())
        return unfinished_at(x, NULL, "evaluation stopped: the run is being stopped");
    return VALID;
}

static inline int spend(vctx *x)
{
    jp_members *m = &x->l->scratch;
    if (++m->steps > x->l->limit || (m->steps & 1023) == 0)
        return spend_checked(x);
    return VALID;
}

static const char *text(const vctx *x, const jp_node *n) { return TEXT(x, n->text); }

/* A regex against s[0..n): VALID, INVALID or UNFINISHED with the limit
 * named (the caller says what INVALID means). */
static int match(vctx *x, const pattern *p, const char *s, size_t n, const char *keyword)
{
    const char *why;
    int rc = p->fast ? jp_ecma_simple_match(p->fast, s, n) : -1;
    if (rc >= 0)
        return rc ? VALID : INVALID;
    /* One match can take a tenth of a second below its limits, and a record
     * can hold thousands: a stop is looked for before each. */
    if (jp_pool_cancelled())
        return unfinished_at(x, NULL, "evaluation stopped: the run is being stopped");
    rc = jp_regex_match(p->re, x->l->regex, s, n, &why);
    if (rc >= 0)
        return rc ? VALID : INVALID;
    char *shown = sch_show_whole(p->source, p->len);
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

static __attribute__((noinline)) void grow_path(schema_local *l)
{
    l->path_cap = l->path_cap ? l->path_cap * 2 : 32;
    l->path = jp_xrealloc(l->path, (size_t)l->path_cap * sizeof *l->path);
}

static inline void push_step(schema_local *l, const jp_node *node, size_t index)
{
    if (l->npath == l->path_cap)
        grow_path(l);
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

static int validate_here(vctx *x, const sch *s, const jp_node *n);

/* A member or an item is another value: its marks are its own. */
static int validate_child(vctx *x, const sch *s, const jp_node *n, size_t index)
{
    if (s->has_no_subschemas) {
        /* Nothing below s nests, marks or looks at the dynamic scope: its
         * keywords are checked here, without validate_schema's frame. */
        schema_local *l = x->l;
        int rc = spend(x);
        if (rc < 0)
            return rc;
        const sch *outer = l->cur;
        l->cur = s;
        push_step(l, n, index);
        rc = validate_here(x, s, n);
        l->npath--;
        l->cur = outer;
        return rc;
    }
    long col = x->l->col;
    x->l->col = -1;
    push_step(x->l, n, index);
    int rc = validate(x, s, n);
    x->l->npath--;
    x->l->col = col;
    return rc;
}

/* Marks the names of s's required list that are the member cn's key. */
static void mark_required(vctx *x, const sch *s, const jp_node *cn)
{
    const char *names = s->d->text;
    size_t cursor = 0;
    for (int32_t i; (i = jp_hset_next(&s->required_set, cn->key_hash, &cursor)) >= 0;) {
        const jp_node *name = s->required[i];
        if (name->len == cn->key_len &&
            jp_bytes_equal(names + name->text, TEXT(x, cn->key), name->len))
            x->l->present[i] = 1;
    }
}

/* The first name of s's required list that no member marked present,
 * named in a failure. */
static int check_present(vctx *x, const sch *s)
{
    const char *names = s->d->text;
    for (int i = 0; i < s->nrequired; i++) {
        if (x->l->present[i])
            continue;
        char *shown = sch_show_whole(names + s->required[i]->text, s->required[i]->len);
        int rc = fail_at(x, "required", "missing \"%s\"", shown);
        free(shown);
        return rc;
    }
    return spend(x);
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
            char *shown = sch_show_whole(s->d->text + want->text, want->len);
            char *by = sch_show_whole(dep->name, dep->len);
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

/* Room for the properties of n members, on the stack of them. */
static size_t push_found(schema_local *l, size_t n)
{
    if (l->found_top + n > l->found_cap) {
        l->found_cap = (l->found_top + n) * 2;
        l->found = jp_xrealloc(l->found, l->found_cap * sizeof *l->found);
    }
    size_t at = l->found_top;
    l->found_top += n;
    return at;
}

/* Each member's property (or -1) into found[at..), and its name marked
 * present when it is required: one lookup a member serves both, and the
 * cost is the object's size plus the list's, never their product. */
static int find_members(vctx *x, const sch *s, const jp_node *n, size_t at)
{
    schema_local *l = x->l;
    if (s->required) {
        if (l->present_cap < (size_t)s->nrequired) {
            l->present_cap = (size_t)s->nrequired;
            l->present = jp_xrealloc(l->present, l->present_cap);
        }
        memset(l->present, 0, (size_t)s->nrequired);
    }
    size_t k = 0;
    for (int32_t c = n->first; c >= 0; c = NODE(x, c)->next, k++) {
        const jp_node *cn = NODE(x, c);
        int i = s->nprops ? find_prop(s, TEXT(x, cn->key), cn->key_len, cn->key_hash) : -1;
        l->found[at + k] = i;
        if (!s->required)
            continue;
        if (i >= 0 && s->props[i].required >= 0)
            l->present[s->props[i].required] = 1;
        else if (s->required_bits >> (cn->key_hash & 63) & 1)
            mark_required(x, s, cn);
        int rc = spend(x);
        if (rc < 0)
            return rc;
    }
    return s->required ? check_present(x, s) : VALID;
}

/* The name of the member cn, validated as a string of its own. */
static int check_name(vctx *x, const sch *s, const jp_node *cn)
{
    jp_node name = {.type = JP_STRING, .first = -1, .next = -1, .text = cn->key,
                    .len = cn->key_len};
    push_step(x->l, cn, 0);
    long col = x->l->col;
    x->l->col = -1;
    int rc = validate(x, s->names, &name);
    x->l->col = col;
    if (rc == INVALID)
        fail_at(x, "propertyNames", "the name is not valid");
    x->l->npath--;
    return rc;
}

/* The member cn (the k-th, whose property is prop or -1) against
 * properties, patternProperties and additionalProperties. */
static int check_member(vctx *x, const sch *s, const jp_node *cn, size_t k, int prop)
{
    int rc, matched = prop >= 0;
    if (prop >= 0 && (rc = validate_child(x, s->props[prop].s, cn, 0)) < 0)
        return rc;
    for (int i = 0; i < s->npprops; i++) {
        push_step(x->l, cn, 0);
        rc = match(x, &s->pprops[i], TEXT(x, cn->key), cn->key_len, "patternProperties");
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
    return VALID;
}

static int validate_object(vctx *x, const sch *s, const jp_node *n)
{
    schema_local *l = x->l;
    int rc;
    if (s->min_props >= 0 && n->count < (unsigned long long)s->min_props)
        return fail_at(x, "minProperties", "%u properties, at least %lld required", n->count,
                       s->min_props);
    if (s->max_props >= 0 && n->count > (unsigned long long)s->max_props)
        return fail_at(x, "maxProperties", "%u properties, at most %lld allowed", n->count,
                       s->max_props);
    size_t top = l->found_top, at = push_found(l, n->count);
    if ((s->required || s->nprops) && (rc = find_members(x, s, n, at)) < 0)
        goto done;
    if ((s->ndep_required || s->ndep_schemas) && (rc = check_dependent(x, s, n)) < 0)
        goto done;
    rc = VALID;
    if (!s->nprops && !s->npprops && !s->additional && !s->names)
        goto done;
    size_t k = 0;
    for (int32_t c = n->first; c >= 0; c = NODE(x, c)->next, k++) {
        const jp_node *cn = NODE(x, c);
        if (s->names && (rc = check_name(x, s, cn)) < 0)
            break;
        if ((rc = check_member(x, s, cn, k, s->nprops ? l->found[at + k] : -1)) < 0)
            break;
    }
done:
    l->found_top = top;
    return rc;
}

static int by_hash(const void *a, const void *b)
{
    const struct item_hash *x = a, *y = b;
    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

#define PAIRWISE_ITEMS 8

/* Two equal items of a short array, each pair compared: the first pair
 * found, in the order the sorting of hashes below finds it (the earliest
 * second item, then its earliest equal). */
static int unique_few(vctx *x, const jp_node *n)
{
    const jp_node *item[PAIRWISE_ITEMS];
    size_t k = 0;
    for (int32_t c = n->first; c >= 0; c = NODE(x, c)->next)
        item[k++] = NODE(x, c);
    for (size_t j = 1; j < k; j++)
        for (size_t i = 0; i < j; i++) {
            int rc = spend(x);
            if (rc < 0)
                return rc;
            if (jp_value_equal(&x->l->scratch, &x->r, item[i], &x->r, item[j]))
                return fail_at(x, "uniqueItems", "items %zu and %zu are equal", i, j);
        }
    return spend(x);
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
    if (n->count <= PAIRWISE_ITEMS)
        return unique_few(x, n);
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

/* -1, 0 or 1 as the number v (plain, read as pv, unless pv is NULL)
 * is less than, equal to or greater than the bound b. */
static int bound_cmp(const char *v, size_t n, const jp_plain_number *pv, const number *b)
{
    if (pv && b->is_plain)
        return jp_number_plain_cmp(pv, &b->plain);
    return jp_number_cmp(v, n, b->text, b->len);
}

static int validate_number(vctx *x, const sch *s, const jp_node *n)
{
    const char *v = text(x, n);
    int len = (int)n->len;
    jp_plain_number plain;
    const jp_plain_number *pv = NULL;
    if ((s->minimum.text || s->maximum.text || s->xminimum.text || s->xmaximum.text) &&
        jp_number_plain(v, n->len, &plain))
        pv = &plain;
    if (s->minimum.text && bound_cmp(v, n->len, pv, &s->minimum) < 0)
        return fail_at(x, "minimum", "%.*s is less than %.*s", len, v, (int)s->minimum.len,
                       s->minimum.text);
    if (s->maximum.text && bound_cmp(v, n->len, pv, &s->maximum) > 0)
        return fail_at(x, "maximum", "%.*s is greater than %.*s", len, v, (int)s->maximum.len,
                       s->maximum.text);
    if (s->xminimum.text && bound_cmp(v, n->len, pv, &s->xminimum) <= 0)
        return fail_at(x, "exclusiveMinimum", "%.*s is not greater than %.*s", len, v,
                       (int)s->xminimum.len, s->xminimum.text);
    if (s->xmaximum.text && bound_cmp(v, n->len, pv, &s->xmaximum) >= 0)
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
            char *shown = sch_show_whole(s->pat.source, s->pat.len);
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
    if (s->enum_few_strings) {
        if (n->type != JP_STRING)
            return 0;
        for (int32_t i = s->enumv->first; i >= 0; i = d->nodes[i].next)
            if (d->nodes[i].len == n->len && jp_bytes_equal(d->text + d->nodes[i].text, text(x, n), n->len))
                return 1;
        return 0;
    }
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
    unsigned has = s->has;
    if (!(has & HAS_VALUE)) {
        /* no type, const or enum */
    } else if (s->types && !type_matches(x, s->types, n)) {
        const char *got = n->type == JP_NUMBER && (s->types & T_INTEGER) ? "a non-integer number"
                                                                        : jp_type_phrase(n->type);
        rc = fail_at(x, "type", "expected %s, got %s", s->types_text, got);
    } else if (s->constv && !jp_value_equal(&x->l->scratch, &x->r, n, s->d, s->constv)) {
        rc = fail_at(x, "const", "value differs");
    } else if (s->enumv && !in_enum(x, s, n)) {
        rc = fail_at(x, "enum", "value is not one of the %u allowed", s->enumv->count);
    }
    if (rc != VALID)
        return rc;
    if (n->type == JP_OBJECT && (has & HAS_OBJECT))
        rc = validate_object(x, s, n);
    else if (n->type == JP_ARRAY && (has & HAS_ARRAY))
        rc = validate_array(x, s, n);
    else if (n->type == JP_NUMBER && (has & HAS_NUMBER))
        rc = validate_number(x, s, n);
    else if (n->type == JP_STRING && (has & HAS_STRING))
        rc = validate_string(x, s, n);
    return rc == VALID && (has & HAS_IN_PLACE) ? validate_in_place(x, s, n) : rc;
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
    unsigned has = s->has;
    int entered = x->sc->dynamic && (!sl->nscope || sl->scope[sl->nscope - 1] != s->base);
    if (entered) {
        if (sl->nscope == sl->scope_cap) {
            sl->scope_cap = sl->scope_cap ? sl->scope_cap * 2 : 16;
            sl->scope = jp_xrealloc(sl->scope, (size_t)sl->scope_cap * sizeof *sl->scope);
        }
        sl->scope[sl->nscope++] = s->base;
    }
    if ((has & HAS_UNEVALUATED) &&
        ((n->type == JP_OBJECT && s->uneval_props) || (n->type == JP_ARRAY && s->uneval_items))) {
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
    free(l->found);
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
    l->found_top = 0;
    l->nscope = 0;
    l->cur = NULL;
    if (validate(&x, sc->root, NODE(&x, 0)) == VALID)
        return 1;
    *why = l->why.data;
    return 0;
}
