/* expr.h: the expression language, as the processors use it.
 *
 * One language serves --filter (an expression whose truth keeps or drops
 * a record) and --eval (statements PATH = EXPR that edit a record); its
 * grammar is at the top of parse.c and in jsonpipe(1). A program is
 * compiled once at start-up, on the main thread, and then evaluated by
 * every worker thread at once, each with its own jp_expr_local. */
#ifndef JP_EXPR_H
#define JP_EXPR_H

#include <stddef.h>

#include "fields.h"
#include "record.h"

typedef struct jp_xprog jp_xprog;
typedef struct jp_expr_local jp_expr_local;

/* Parses src (one expression, or statements when statements is set) and
 * binds it to the record index fields. Returns NULL with "column N: why"
 * in err when the program is malformed. src must outlive the program. */
jp_xprog *jp_expr_compile(const char *src, int statements, jp_fields *fields, char *err,
                          size_t errlen);
void jp_xprog_free(jp_xprog *prog);

jp_expr_local *jp_expr_local_new(void);
void jp_expr_local_free(jp_expr_local *l);

/* Evaluates the expression on rec: 0 with *truth, or -1 when it could not
 * be evaluated (a type error, a failed conversion, a regex limit, a stop),
 * with the reason in jp_expr_why. */
int jp_expr_test(const jp_xprog *prog, jp_expr_local *l, jp_record *rec, int *truth);
/* Runs the statements on rec, left to right, each seeing the edits of
 * those before it. Returns 0, or -1 with the reason in jp_expr_why (rec
 * may then hold the edits of the statements before the failing one). */
int jp_expr_run(const jp_xprog *prog, jp_expr_local *l, jp_record *rec);
/* Why the last jp_expr_test or jp_expr_run failed: "statement N, column
 * C: why" (statements) or "column C: why". */
const char *jp_expr_why(const jp_expr_local *l);

/* The callbacks of a processor whose instance is one program (see
 * processor.h): its per-thread local and its destruction. */
void *jp_expr_stage_local_new(const void *prog);
void jp_expr_stage_local_free(void *local);
void jp_expr_stage_destroy(void *prog);

#endif
