/* eval.c: evaluates a bound program (ast.h) on one record.
 *
 * Evaluation never allocates with malloc per record: values live in the
 * thread's arena (func.h), reset before each record. It has three
 * outcomes: a value, an error (the record is rejected; ?? catches it), and
 * "unfinished" (a regex met a PCRE2 limit, or the run is stopping), which
 * nothing catches: no answer is ever made up for a question that could not
 * be asked. */
#include <stdio.h>
#include <stdlib.h>

#include "ast.h"
#include "expr.h"
#include "json.h"
#include "pool.h"

struct jp_expr_local {
    jp_xctx ctx;
    jp_buf json;      /* a statement's value, as JSON for the record */
    char why[512];
};

jp_expr_local *jp_expr_local_new(void)
{
    jp_expr_local *l = jp_xcalloc(1, sizeof *l);
    jp_xctx_init(&l->ctx);
    return l;
}

void jp_expr_local_free(jp_expr_local *l)
{
    if (!l)
        return;
    jp_xctx_free(&l->ctx);
    jp_buf_free(&l->json);
    free(l);
}

void *jp_expr_stage_local_new(const void *prog)
{
    (void)prog;
    return jp_expr_local_new();
}

void jp_expr_stage_local_free(void *local)
{
    jp_expr_local_free(local);
}

void jp_expr_stage_destroy(void *prog)
{
    jp_xprog_free(prog);
}

const char *jp_expr_why(const jp_expr_local *l)
{
    return l->why;
}

jp_xprog *jp_expr_compile(const char *src, int statements, jp_fields *fields, char *err,
                          size_t errlen)
{
    jp_xprog *prog = jp_xparse(src, statements, err, errlen);
    if (prog && jp_xcheck(prog, fields, err, errlen) < 0) {
        jp_xprog_free(prog);
        return NULL;
    }
    return prog;
}

/* One evaluation: the record, the context, and the node that failed. */
typedef struct run {
    jp_xctx *c;
    jp_record *rec;
    const jp_xnode *failed;
} run;

/* rc from an operation at n: remembers n as where it failed. */
static int at(run *r, const jp_xnode *n, int rc)
{
    if (rc != JP_XOK && !r->failed)
        r->failed = n;
    return rc;
}

static int eval(run *r, const jp_xnode *n, jp_xval *out);

static int read_path(run *r, const jp_xnode *n, jp_xval *out)
{
    const jp_value *v = jp_record_get(r->rec, n->field);
    if (!v) {
        *out = jp_xnull();
        return JP_XOK;
    }
    size_t len;
    const char *bytes = jp_record_bytes(r->rec, &len);
    *out = jp_xval_read(r->c, v->type, bytes + v->start, v->end - v->start);
    return JP_XOK;
}

static int member(run *r, const jp_xnode *n, const jp_xval *obj, jp_xval *out)
{
    if (obj->type == JP_NULL) {
        *out = jp_xnull();
        return JP_XOK;
    }
    if (obj->type != JP_OBJECT)
        return at(r, n, jp_xfail(r->c, "cannot take the member \"%.*s\" of %s",
                                 (int)n->lit.n, n->lit.s, jp_xval_phrase(obj)));
    size_t cursor = 0;
    jp_xval key, elem;
    *out = jp_xnull();
    while (jp_xval_next(r->c, obj, &cursor, &key, &elem))
        if (key.n == n->lit.n && memcmp(key.s, n->lit.s, key.n) == 0)
            *out = elem;
    return JP_XOK;
}

static int in_list(run *r, const jp_xnode *n, const jp_xval *a)
{
    if (a->type == JP_OBJECT || a->type == JP_ARRAY)
        return 0;
    size_t cursor = 0;
    uint64_t h = jp_xval_hash(a);
    for (int32_t i; (i = jp_hset_next(&n->set, h, &cursor)) >= 0;)
        if (jp_xval_equal(r->c, a, &n->args[i]->lit))
            return 1;
    return 0;
}

static int stopping(run *r, const jp_xnode *n)
{
    /* One match can take a tenth of a second below its limits and a
     * program can hold thousands: a stop is looked for before each. */
    if (!jp_pool_cancelled())
        return 0;
    r->failed = n;
    jp_xunfinished(r->c, "evaluation stopped: the run is being stopped");
    return 1;
}

static int match(run *r, const jp_xnode *n, const jp_xval *a, jp_xval *out)
{
    if (a->type != JP_STRING) {
        *out = jp_xbool(0);
        return JP_XOK;
    }
    if (stopping(r, n))
        return JP_XUNFINISHED;
    const char *why;
    int m = jp_regex_match(n->re, r->c->regex, a->s, a->n, &why);
    if (m < 0) {
        jp_buf *b = &r->c->scratch;
        b->len = 0;
        jp_json_quote(b, n->b->lit.s, n->b->lit.n);
        return at(r, n, jp_xunfinished(r->c, "=~ %.*s could not finish: PCRE2 %s", (int)b->len,
                                       b->data, why));
    }
    *out = jp_xbool(m);
    return JP_XOK;
}

/* A computed string, array or object may hold at most this much: a
 * program such as s = s + s; s = s + s; ... doubles a record at each step,
 * and would fill memory long before the output could take it. */
#define VALUE_MAX ((size_t)64 << 20)

/* rc from a step that made *v: a value too big to hold is a failure. */
static int made(run *r, const jp_xnode *n, int rc, const jp_xval *v)
{
    if (rc == JP_XOK && v->type >= JP_STRING && v->n > VALUE_MAX)
        rc = jp_xfail(r->c, "the value made here is %zu bytes, more than the 64M a value may be",
                      v->n);
    return at(r, n, rc);
}

static int call(run *r, const jp_xnode *n, jp_xval *out)
{
    jp_xval *args = jp_arena_alloc(&r->c->arena, (size_t)(n->nargs + 1) * sizeof *args);
    for (int i = 0; i < n->nargs; i++) {
        int rc = eval(r, n->args[i], &args[i]);
        if (rc != JP_XOK)
            return rc;
    }
    if (n->call.re && stopping(r, n))
        return JP_XUNFINISHED;
    return made(r, n, n->call.fn->fn(r->c, &n->call, args, n->nargs, out), out);
}

static int compare(run *r, const jp_xnode *n, jp_xval *out)
{
    jp_xval a, b;
    int rc = eval(r, n->a, &a);
    if (rc != JP_XOK)
        return rc;
    if (n->op == JP_XOP_IN) {
        *out = jp_xbool(in_list(r, n, &a));
        return JP_XOK;
    }
    if (n->op == JP_XOP_MATCH)
        return match(r, n, &a, out);
    if ((rc = eval(r, n->b, &b)) != JP_XOK)
        return rc;
    int order, t;
    switch (n->op) {
    case JP_XOP_EQ: t = jp_xval_equal(r->c, &a, &b); break;
    case JP_XOP_NE: t = !jp_xval_equal(r->c, &a, &b); break;
    case JP_XOP_CONTAINS: t = jp_xval_contains(r->c, &a, &b); break;
    default:
        /* Only two numbers or two strings have an order; any other pair is
         * neither less nor greater. */
        if (!jp_xval_order(r->c, &a, &b, &order))
            t = 0;
        else if (n->op == JP_XOP_LT)
            t = order < 0;
        else if (n->op == JP_XOP_LE)
            t = order <= 0;
        else if (n->op == JP_XOP_GT)
            t = order > 0;
        else
            t = order >= 0;
    }
    *out = jp_xbool(t);
    return JP_XOK;
}

static int truth(run *r, const jp_xnode *n, int *t)
{
    jp_xval v;
    int rc = eval(r, n, &v);
    if (rc == JP_XOK)
        *t = !!jp_xval_truthy(&v);
    return rc;
}

static int logic(run *r, const jp_xnode *n, jp_xval *out)
{
    int a, b = 0, rc = truth(r, n->a, &a);
    if (rc != JP_XOK)
        return rc;
    if (n->op == JP_XOP_NOT) {
        *out = jp_xbool(!a);
        return JP_XOK;
    }
    if (n->op == JP_XOP_COND)
        return eval(r, a ? n->b : n->c, out);
    /* && and || stop once the answer is known. */
    if ((n->op == JP_XOP_AND) == a && (rc = truth(r, n->b, &b)) != JP_XOK)
        return rc;
    *out = jp_xbool(n->op == JP_XOP_AND ? a && b : a || b);
    return JP_XOK;
}

static int coalesce(run *r, const jp_xnode *n, jp_xval *out)
{
    int rc = eval(r, n->a, out);
    if (rc == JP_XUNFINISHED || (rc == JP_XOK && out->type != JP_NULL))
        return rc;
    r->failed = NULL; /* a failure on the left is answered by the right */
    return eval(r, n->b, out);
}

static int eval(run *r, const jp_xnode *n, jp_xval *out)
{
    jp_xval a, b;
    int rc;
    switch (n->op) {
    case JP_XOP_LITERAL: *out = n->lit; return JP_XOK;
    case JP_XOP_PATH: return read_path(r, n, out);
    case JP_XOP_EXISTS: *out = jp_xbool(jp_record_get(r->rec, n->field) != NULL); return JP_XOK;
    case JP_XOP_CALL: return call(r, n, out);
    case JP_XOP_NEG:
        if ((rc = eval(r, n->a, &a)) != JP_XOK)
            return rc;
        return at(r, n, jp_xval_negate(r->c, &a, out));
    case JP_XOP_MEMBER:
        if ((rc = eval(r, n->a, &a)) != JP_XOK)
            return rc;
        return member(r, n, &a, out);
    case JP_XOP_INDEX:
    case JP_XOP_ARITH:
        if ((rc = eval(r, n->a, &a)) != JP_XOK || (rc = eval(r, n->b, &b)) != JP_XOK)
            return rc;
        if (n->op == JP_XOP_INDEX)
            return at(r, n, jp_xval_index(r->c, &a, &b, out));
        return made(r, n, jp_xval_arith(r->c, n->arith, &a, &b, out), out);
    case JP_XOP_NOT:
    case JP_XOP_AND:
    case JP_XOP_OR:
    case JP_XOP_COND: return logic(r, n, out);
    case JP_XOP_COALESCE: return coalesce(r, n, out);
    default: return compare(r, n, out);
    }
}

/* The reason of a failure, with where it happened. */
static void explain(jp_expr_local *l, const run *r, int stmt)
{
    size_t column = r->failed ? r->failed->column : 1;
    if (stmt > 0)
        snprintf(l->why, sizeof l->why, "statement %d, column %zu: %s", stmt, column,
                 l->ctx.why);
    else
        snprintf(l->why, sizeof l->why, "column %zu: %s", column, l->ctx.why);
}

static int begin(jp_expr_local *l, run *r, jp_record *rec)
{
    jp_xctx_reset(&l->ctx);
    l->ctx.max_depth = jp_record_max_depth(rec);
    *r = (run){&l->ctx, rec, NULL};
    if (!jp_pool_cancelled())
        return 0;
    snprintf(l->why, sizeof l->why, "evaluation stopped: the run is being stopped");
    return -1;
}

int jp_expr_test(const jp_xprog *prog, jp_expr_local *l, jp_record *rec, int *truth_out)
{
    run r;
    if (begin(l, &r, rec) < 0)
        return -1;
    jp_xval v;
    if (eval(&r, prog->expr, &v) != JP_XOK) {
        explain(l, &r, 0);
        return -1;
    }
    *truth_out = jp_xval_truthy(&v);
    return 0;
}

int jp_expr_run(const jp_xprog *prog, jp_expr_local *l, jp_record *rec)
{
    run r;
    if (begin(l, &r, rec) < 0)
        return -1;
    for (int i = 0; i < prog->nstmts; i++) {
        const jp_xstmt *s = &prog->stmts[i];
        jp_xval v;
        if (eval(&r, s->value, &v) != JP_XOK) {
            explain(l, &r, i + 1);
            return -1;
        }
        /* v may point into the record: it is written out before the edit. */
        l->json.len = 0;
        jp_xval_write(&v, &l->json);
        if (jp_record_set(rec, s->target->field, l->json.data, l->json.len) < 0) {
            snprintf(l->ctx.why, sizeof l->ctx.why, "%s", jp_record_reason(rec));
            r.failed = s->target;
            explain(l, &r, i + 1);
            return -1;
        }
    }
    return 0;
}
