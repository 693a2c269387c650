/* filter.c: --filter EXPR keeps the records for which EXPR is true and drops
 * the others (counted as dropped, not rejected). EXPR is an expression of
 * the one language of src/expr (expr.h); a record it cannot be evaluated
 * on (a type error, a regex limit) is rejected with the reason. */
#include "expr.h"
#include "processor.h"

static void *filter_create(const char *arg, jp_setup *setup, char *err, size_t errlen)
{
    return jp_expr_compile(arg, 0, setup->fields, err, errlen);
}

static jp_verdict filter_process(const void *self, void *local, jp_record *rec)
{
    int truth;
    if (jp_expr_test(self, local, rec, &truth) < 0)
        return jp_reject(rec, "%s", jp_expr_why(local));
    return truth ? JP_PASS : JP_DROP;
}

const jp_processor_type jp_filter_processor = {
    .name = "filter",
    .metavar = "EXPR",
    .help = "keep records for which EXPR is true, drop the rest",
    .group = "filter",
    .example = "--filter 'level == \"error\" || http.status >= 500'",
    .cpu_heavy = 1,
    .create = filter_create,
    .local_new = jp_expr_stage_local_new,
    .local_free = jp_expr_stage_local_free,
    .process = filter_process,
    .destroy = jp_expr_stage_destroy,
};
