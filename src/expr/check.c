/* check.c: binds a parsed program to a run (see ast.h): paths to field
 * ids, calls to their functions, regexes compiled once, "in" lists hashed.
 * Everything that can be known of a program before the first record is
 * refused here, with its column, as a usage error. */
#include <limits.h>
#include <stdio.h>

#include "ast.h"

typedef struct checker {
    jp_fields *fields;
    char *err;
    size_t errlen;
} checker;

static int fail(checker *k, size_t column, const char *what)
{
    snprintf(k->err, k->errlen, "column %zu: %s", column, what);
    return -1;
}

static jp_regex *compile(checker *k, const jp_xnode *lit)
{
    char why[200];
    jp_regex *re = jp_regex_compile(lit->lit.s, lit->lit.n, why, sizeof why);
    if (!re)
        fail(k, lit->column, why);
    return re;
}

static int bind_call(checker *k, jp_xnode *n)
{
    char why[160];
    const jp_xfunc *f = jp_xfunc_find(n->text, n->text_len);
    if (!f) {
        snprintf(why, sizeof why, "unknown function %.*s", (int)n->text_len, n->text);
        return fail(k, n->column, why);
    }
    if (n->nargs < f->min_args || n->nargs > f->max_args) {
        if (f->max_args == INT_MAX)
            snprintf(why, sizeof why, "%s takes %d or more arguments, not %d", f->name,
                     f->min_args, n->nargs);
        else if (f->min_args == f->max_args)
            snprintf(why, sizeof why, "%s takes %d argument%s, not %d", f->name, f->min_args,
                     f->min_args == 1 ? "" : "s", n->nargs);
        else
            snprintf(why, sizeof why, "%s takes %d to %d arguments, not %d", f->name,
                     f->min_args, f->max_args, n->nargs);
        return fail(k, n->column, why);
    }
    n->call.fn = f;
    if (f->regex_arg >= 0 && f->regex_arg < n->nargs) {
        const jp_xnode *a = n->args[f->regex_arg];
        if (a->op != JP_XOP_LITERAL || a->lit.type != JP_STRING) {
            snprintf(why, sizeof why, "%s needs a string literal (a regex) as argument %d",
                     f->name, f->regex_arg + 1);
            return fail(k, a->column, why);
        }
        if (!(n->re = compile(k, a)))
            return -1;
        n->call.re = n->re;
    }
    return 0;
}

/* A path's field: 0, the whole record, for ".". */
static int bind_path(checker *k, jp_xnode *n)
{
    if (!n->path_len) {
        n->field = 0;
        return 0;
    }
    char why[200];
    n->field = jp_fields_add(k->fields, n->path, n->path_len, why, sizeof why);
    return n->field < 0 ? fail(k, n->column, why) : 0;
}

static int bind(checker *k, jp_xnode *n)
{
    if (!n)
        return 0;
    if (bind(k, n->a) < 0 || bind(k, n->b) < 0 || bind(k, n->c) < 0)
        return -1;
    for (int i = 0; i < n->nargs; i++)
        if (bind(k, n->args[i]) < 0)
            return -1;
    switch (n->op) {
    case JP_XOP_PATH:
    case JP_XOP_EXISTS:
        return bind_path(k, n);
    case JP_XOP_CALL:
        return bind_call(k, n);
    case JP_XOP_MATCH:
        return (n->re = compile(k, n->b)) ? 0 : -1;
    case JP_XOP_IN:
        jp_hset_init(&n->set, (size_t)n->nargs);
        for (int i = 0; i < n->nargs; i++)
            jp_hset_add(&n->set, jp_xval_hash(&n->args[i]->lit), i);
        return 0;
    default:
        return 0;
    }
}

int jp_xcheck(jp_xprog *prog, jp_fields *fields, char *err, size_t errlen)
{
    checker k = {fields, err, errlen};
    if (bind(&k, prog->expr) < 0)
        return -1;
    for (int i = 0; i < prog->nstmts; i++)
        if (bind(&k, prog->stmts[i].target) < 0 || bind(&k, prog->stmts[i].value) < 0)
            return -1;
    return 0;
}
