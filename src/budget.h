/* budget.h: the error budget of --max-rejects: how many rejected records a
 * run may have and still succeed (exit status 0).
 *
 * Batch engines (Hadoop Streaming, Spark) fail a task on any non-zero exit;
 * a budget lets a few bad lines pass as counted, reported results while a
 * flood of them still fails the task. */
#ifndef JP_BUDGET_H
#define JP_BUDGET_H

#include <stddef.h>
#include <stdint.h>

/* Percentages are kept exactly, in millionths of a percent. */
#define JP_BUDGET_DECIMALS 6
#define JP_BUDGET_SCALE 100000000u /* 100% */

typedef struct jp_budget {
    int percent;        /* a share of the records (jp_engine_records), not a count */
    uint64_t count;     /* percent == 0: at most this many rejected */
    uint64_t share;     /* percent: at most share / JP_BUDGET_SCALE of them */
    const char *given;  /* the argument as written, for messages; NULL: no flag */
} jp_budget;

/* A zeroed jp_budget is the default: no rejection at all. */

/* Reads N (a count, 0 and up) or P% (0 to 100, up to JP_BUDGET_DECIMALS
 * decimals). Returns 0, or -1 with why not in err. text must outlive b. */
int jp_budget_parse(const char *text, jp_budget *b, char *err, size_t errlen);

/* The most rejections allowed among records records read: the count, or
 * P% of records rounded down. */
uint64_t jp_budget_allowed(const jp_budget *b, uint64_t records);

/* Whether rejected of records read are within the budget (<= allowed). */
int jp_budget_within(const jp_budget *b, uint64_t rejected, uint64_t records);

#endif
