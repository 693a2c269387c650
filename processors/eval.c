/* eval.c: --eval 'PATH = EXPR; ...' computes fields from the record: each
 * statement sets PATH to the value of EXPR (an expression of the one
 * language of src/expr, expr.h), left to right, so a statement sees what
 * the ones before it set. A record a statement cannot be computed on (a
 * failed conversion, a type error, division by zero) is rejected with the
 * statement, the column and the reason; the run goes on. */
#include "expr.h"
#include "processor.h"

static void *eval_create(const char *arg, jp_setup *setup, char *err, size_t errlen)
{
    return jp_expr_compile(arg, 1, setup->fields, err, errlen);
}

static jp_verdict eval_process(const void *self, void *local, jp_record *rec)
{
    if (jp_expr_run(self, local, rec) < 0)
        return jp_reject(rec, "%s", jp_expr_why(local));
    return JP_MODIFIED;
}

const jp_processor_type jp_eval_processor = {
    .name = "eval",
    .metavar = "STMTS",
    .help = "set fields to computed values: 'PATH = EXPR; ...'",
    .group = "enrich",
    .example = "--eval 'latency_s = latency_ms / 1000; key = service + \":\" + to_string(id)'",
    .cpu_heavy = 1,
    .create = eval_create,
    .local_new = jp_expr_stage_local_new,
    .local_free = jp_expr_stage_local_free,
    .process = eval_process,
    .destroy = jp_expr_stage_destroy,
};
