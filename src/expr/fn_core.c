/* fn_core.c: the functions of the expression language for conversions,
 * numbers and types (func.h): to_int, to_float, to_string, to_bool,
 * parse_json, to_json, round, floor, ceil, abs, min, max, type, keys, len.
 *
 * They follow jq where jq has the function (tostring, tojson, keys,
 * length, min, max), but never guess: a value of a type a function does
 * not take is an error naming the function, the type and an excerpt of
 * the value, never null or a default. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "func.h"
#include "json.h"
#include "number.h"

/* "a string ("x7")", "an array ([1,2])", "null": v for a message. */
typedef struct described {
    char s[96];
} described;

static described describe(const jp_xval *v)
{
    described d;
    if (v->type == JP_NULL) {
        snprintf(d.s, sizeof d.s, "null");
        return d;
    }
    jp_buf b = {0};
    jp_xval_excerpt(v, &b);
    snprintf(d.s, sizeof d.s, "%s (%.*s)", jp_xval_phrase(v), (int)b.len, b.data);
    jp_buf_free(&b);
    return d;
}

/* The reason for an argument of a type the function does not take. */
static int needs(jp_xctx *c, const jp_xcall *call, const char *want, const jp_xval *v)
{
    return jp_xfail(c, "%s: needs %s, not %s", call->fn->name, want, describe(v).s);
}

/* An array or object as compact JSON (blanks between tokens dropped, into
 * the arena when there were any). */
static jp_xval compact(jp_xctx *c, const jp_xval *v)
{
    if (!memchr(v->s, ' ', v->n) && !memchr(v->s, '\t', v->n) && !memchr(v->s, '\n', v->n) &&
        !memchr(v->s, '\r', v->n))
        return *v;
    char why[8];
    c->scratch.len = 0;
    jp_json_compact(&c->scratch, v->s, v->n, why, sizeof why); /* valid JSON: cannot fail */
    return jp_xval_take(c, v->type, &c->scratch);
}

/* A string that holds one JSON number (and nothing else) as that number. */
static int numeric_string(const jp_xval *v, jp_xval *out)
{
    if (v->type != JP_STRING || !jp_number_valid(v->s, v->n))
        return 0;
    *out = jp_xjson(JP_NUMBER, v->s, v->n);
    return 1;
}

static int fn_to_int(jp_xctx *c, const jp_xcall *call, const jp_xval *args, int nargs,
                     jp_xval *out)
{
    const jp_xval *v = &args[0];
    jp_xval num;
    int64_t i;
    if (v->type == JP_BOOLEAN) {
        *out = jp_xint(v->b);
        return JP_XOK;
    }
    if (v->type == JP_NUMBER)
        num = *v;
    else if (v->type == JP_STRING && !numeric_string(v, &num))
        return jp_xfail(c, "to_int: %s is not a number", describe(v).s);
    else if (v->type != JP_STRING)
        return needs(c, call, "a number, a string or a boolean", v);
    if (jp_xval_trunc(&num, &i) < 0)
        return jp_xfail(c, "to_int: %s does not fit a 64-bit integer", describe(v).s);
    *out = jp_xint(i);
    return JP_XOK;
}

static int fn_to_float(jp_xctx *c, const jp_xcall *call, const jp_xval *args, int nargs,
                       jp_xval *out)
{
    const jp_xval *v = &args[0];
    jp_xval num = *v;
    if (v->type == JP_STRING && !numeric_string(v, &num))
        return jp_xfail(c, "to_float: %s is not a number", describe(v).s);
    if (num.type != JP_NUMBER)
        return needs(c, call, "a number or a string", v);
    double d = jp_xval_to_double(&num);
    if (!isfinite(d))
        return jp_xfail(c, "to_float: %s is beyond the range of a double", describe(v).s);
    *out = jp_xdouble(d);
    return JP_XOK;
}

static int fn_to_string(jp_xctx *c, const jp_xcall *call, const jp_xval *args, int nargs,
                        jp_xval *out)
{
    const jp_xval *v = &args[0];
    switch (v->type) {
    case JP_STRING: *out = *v; return JP_XOK;
    case JP_ARRAY:
    case JP_OBJECT: {
        jp_xval t = compact(c, v);
        *out = jp_xstr(t.s, t.n);
        return JP_XOK;
    }
    case JP_NUMBER:
        if (v->num == JP_XNUM_TEXT) {
            *out = jp_xstr(v->s, v->n);
            return JP_XOK;
        }
        break;
    default: break;
    }
    c->scratch.len = 0;
    jp_xval_write(v, &c->scratch);
    *out = jp_xval_take(c, JP_STRING, &c->scratch);
    return JP_XOK;
}

static int fn_to_json(jp_xctx *c, const jp_xcall *call, const jp_xval *args, int nargs,
                      jp_xval *out)
{
    jp_xval v = args[0];
    if (v.type == JP_ARRAY || v.type == JP_OBJECT)
        v = compact(c, &v);
    c->scratch.len = 0;
    jp_xval_write(&v, &c->scratch);
    *out = jp_xval_take(c, JP_STRING, &c->scratch);
    return JP_XOK;
}

static int is_zero(const jp_xval *v)
{
    switch (v->num) {
    case JP_XNUM_INT: return v->i == 0;
    case JP_XNUM_DOUBLE: return v->d == 0;
    default: return jp_number_cmp(v->s, v->n, "0", 1) == 0;
    }
}

static int fn_to_bool(jp_xctx *c, const jp_xcall *call, const jp_xval *args, int nargs,
                      jp_xval *out)
{
    const jp_xval *v = &args[0];
    switch (v->type) {
    case JP_BOOLEAN: *out = *v; return JP_XOK;
    case JP_NULL: *out = jp_xbool(0); return JP_XOK;
    case JP_NUMBER: *out = jp_xbool(!is_zero(v)); return JP_XOK;
    case JP_STRING:
        if (v->n == 4 && memcmp(v->s, "true", 4) == 0)
            *out = jp_xbool(1);
        else if (v->n == 5 && memcmp(v->s, "false", 5) == 0)
            *out = jp_xbool(0);
        else
            return jp_xfail(c, "to_bool: %s is not \"true\" or \"false\"", describe(v).s);
        return JP_XOK;
    default: return needs(c, call, "a boolean, a number, a string or null", v);
    }
}

/* Whether the compact JSON text s[0..n) opens more than limit arrays and
 * objects inside one another. */
static int nested_deeper(const char *s, size_t n, int limit)
{
    int depth = 0, in_string = 0;
    for (size_t i = 0; i < n; i++) {
        if (in_string) {
            if (s[i] == '\\')
                i++;
            else if (s[i] == '"')
                in_string = 0;
        } else if (s[i] == '"') {
            in_string = 1;
        } else if (s[i] == '[' || s[i] == '{') {
            if (++depth > limit)
                return 1;
        } else if (s[i] == ']' || s[i] == '}') {
            depth--;
        }
    }
    return 0;
}

/* parse_json: a value no deeper than a record may be (the context's
 * max_depth), so what it makes can be written into a record. */
static int fn_parse_json(jp_xctx *c, const jp_xcall *call, const jp_xval *args, int nargs,
                         jp_xval *out)
{
    const jp_xval *v = &args[0];
    if (v->type != JP_STRING)
        return needs(c, call, "a string", v);
    char why[200];
    c->scratch.len = 0;
    if (jp_json_compact(&c->scratch, v->s, v->n, why, sizeof why) < 0)
        return jp_xfail(c, "parse_json: %s", why);
    if (nested_deeper(c->scratch.data, c->scratch.len, c->max_depth))
        return jp_xfail(c, "parse_json: the value is nested deeper than %d levels",
                        c->max_depth);
    const char *s = jp_arena_copy(&c->arena, c->scratch.data, c->scratch.len);
    *out = jp_xval_read(c, jp_type_of_json(s[0]), s, c->scratch.len);
    return JP_XOK;
}

/* round, floor and ceil: exactly, as jp_xval_round does them. */
static int rounding(jp_xctx *c, const jp_xcall *call, const jp_xval *v, int mode, jp_xval *out)
{
    if (v->type != JP_NUMBER)
        return needs(c, call, "a number", v);
    *out = jp_xval_round(c, v, mode);
    return JP_XOK;
}

static int fn_round(jp_xctx *c, const jp_xcall *call, const jp_xval *args, int nargs,
                    jp_xval *out)
{
    return rounding(c, call, &args[0], JP_XROUND_HALF_AWAY, out);
}

static int fn_floor(jp_xctx *c, const jp_xcall *call, const jp_xval *args, int nargs,
                    jp_xval *out)
{
    return rounding(c, call, &args[0], JP_XROUND_FLOOR, out);
}

static int fn_ceil(jp_xctx *c, const jp_xcall *call, const jp_xval *args, int nargs,
                   jp_xval *out)
{
    return rounding(c, call, &args[0], JP_XROUND_CEIL, out);
}

static int fn_abs(jp_xctx *c, const jp_xcall *call, const jp_xval *args, int nargs,
                  jp_xval *out)
{
    const jp_xval *v = &args[0];
    if (v->type != JP_NUMBER)
        return needs(c, call, "a number", v);
    int negative = v->num == JP_XNUM_INT ? v->i < 0
                 : v->num == JP_XNUM_DOUBLE ? v->d < 0 : v->s[0] == '-';
    if (negative)
        return jp_xval_negate(c, v, out);
    *out = *v;
    return JP_XOK;
}

/* min and max: over the elements of one array, or over two or more
 * arguments; all numbers or all strings. The first of equal extremes is
 * returned as it is (a number keeps its text). An empty array gives null,
 * as in jq. */
static int extreme(jp_xctx *c, const jp_xcall *call, const jp_xval *args, int nargs, int want,
                   jp_xval *out)
{
    const char *name = call->fn->name;
    size_t cursor = 0;
    jp_xval key, item;
    const jp_xval *list = nargs == 1 ? &args[0] : NULL;
    if (list && list->type != JP_ARRAY)
        return jp_xfail(c, "%s: needs an array or two or more values, not %s", name,
                        describe(list).s);
    int have = 0;
    for (int k = 0;; k++) {
        if (list ? !jp_xval_next(c, list, &cursor, &key, &item) : k == nargs)
            break;
        if (!list)
            item = args[k];
        if (item.type != JP_NUMBER && item.type != JP_STRING)
            return jp_xfail(c, "%s: needs numbers or strings, not %s", name, describe(&item).s);
        int order;
        if (have && !jp_xval_order(c, &item, out, &order))
            return jp_xfail(c, "%s: cannot compare %s and %s", name, jp_xval_phrase(out),
                            jp_xval_phrase(&item));
        if (!have || order == want)
            *out = item;
        have = 1;
    }
    if (!have)
        *out = jp_xnull();
    return JP_XOK;
}

static int fn_min(jp_xctx *c, const jp_xcall *call, const jp_xval *args, int nargs,
                  jp_xval *out)
{
    return extreme(c, call, args, nargs, -1, out);
}

static int fn_max(jp_xctx *c, const jp_xcall *call, const jp_xval *args, int nargs,
                  jp_xval *out)
{
    return extreme(c, call, args, nargs, 1, out);
}

static int fn_type(jp_xctx *c, const jp_xcall *call, const jp_xval *args, int nargs,
                   jp_xval *out)
{
    static const char *const names[] = {
        [JP_NULL] = "null",     [JP_BOOLEAN] = "boolean", [JP_NUMBER] = "number",
        [JP_STRING] = "string", [JP_OBJECT] = "object",   [JP_ARRAY] = "array"};
    const char *name = args[0].type == JP_ABSENT ? "null" : names[args[0].type];
    *out = jp_xstr(name, strlen(name));
    return JP_XOK;
}

static int key_order(const void *a, const void *b)
{
    const jp_xval *x = a, *y = b;
    size_t n = x->n < y->n ? x->n : y->n;
    int r = n ? memcmp(x->s, y->s, n) : 0;
    return r ? r : (x->n > y->n) - (x->n < y->n);
}

/* keys: an object's distinct keys sorted by code point (the bytes of UTF-8
 * sort so), or an array's indexes, as jq gives them. */
static int fn_keys(jp_xctx *c, const jp_xcall *call, const jp_xval *args, int nargs,
                   jp_xval *out)
{
    const jp_xval *v = &args[0];
    if (v->type != JP_OBJECT && v->type != JP_ARRAY)
        return needs(c, call, "an object or an array", v);
    size_t n = jp_xval_count(c, v);
    c->scratch.len = 0;
    jp_buf_putc(&c->scratch, '[');
    if (v->type == JP_ARRAY) {
        for (size_t i = 0; i < n; i++)
            jp_buf_printf(&c->scratch, i ? ",%zu" : "%zu", i);
    } else {
        jp_xval *keys = jp_arena_alloc(&c->arena, (n ? n : 1) * sizeof *keys), elem;
        size_t cursor = 0;
        for (size_t i = 0; jp_xval_next(c, v, &cursor, &keys[i], &elem); i++)
            ;
        qsort(keys, n, sizeof *keys, key_order);
        for (size_t i = 0; i < n; i++) {
            if (i)
                jp_buf_putc(&c->scratch, ',');
            jp_json_quote(&c->scratch, keys[i].s, keys[i].n);
        }
    }
    jp_buf_putc(&c->scratch, ']');
    *out = jp_xval_take(c, JP_ARRAY, &c->scratch);
    return JP_XOK;
}

/* len: a string's code points, an array's elements, an object's distinct
 * keys; null has length 0, as in jq. */
static int fn_len(jp_xctx *c, const jp_xcall *call, const jp_xval *args, int nargs,
                  jp_xval *out)
{
    const jp_xval *v = &args[0];
    size_t n = 0;
    switch (v->type) {
    case JP_NULL: break;
    case JP_STRING:
        for (size_t i = 0; i < v->n; i++)
            n += ((unsigned char)v->s[i] & 0xC0) != 0x80;
        break;
    case JP_ARRAY:
    case JP_OBJECT: n = jp_xval_count(c, v); break;
    default: return needs(c, call, "a string, an array or an object", v);
    }
    *out = jp_xint((int64_t)n);
    return JP_XOK;
}

const jp_xfunc jp_xfuncs_core[] = {
    {"to_int", 1, 1, -1, fn_to_int},
    {"to_float", 1, 1, -1, fn_to_float},
    {"to_string", 1, 1, -1, fn_to_string},
    {"to_bool", 1, 1, -1, fn_to_bool},
    {"parse_json", 1, 1, -1, fn_parse_json},
    {"to_json", 1, 1, -1, fn_to_json},
    {"round", 1, 1, -1, fn_round},
    {"floor", 1, 1, -1, fn_floor},
    {"ceil", 1, 1, -1, fn_ceil},
    {"abs", 1, 1, -1, fn_abs},
    {"min", 1, INT_MAX, -1, fn_min},
    {"max", 1, INT_MAX, -1, fn_max},
    {"type", 1, 1, -1, fn_type},
    {"keys", 1, 1, -1, fn_keys},
    {"len", 1, 1, -1, fn_len},
    {NULL, 0, 0, 0, NULL},
};
