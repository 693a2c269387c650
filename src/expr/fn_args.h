/* fn_args.h: checking the arguments of the text and time functions
 * (fn_string.c, fn_time.c), so that every one words a wrong argument alike:
 * "lower: a number (12) is not a string". */
#ifndef JP_EXPR_FN_ARGS_H
#define JP_EXPR_FN_ARGS_H

#include <stdint.h>

#include "func.h"

/* Fails with "FN: a TYPE (EXCERPT) is not WHAT" and returns JP_XERR. */
int jp_xarg_fail(jp_xctx *c, const char *fn, const jp_xval *v, const char *what);
/* JP_XOK when v is a string, else jp_xarg_fail(..., "a string"). */
int jp_xarg_string(jp_xctx *c, const char *fn, const jp_xval *v);
/* JP_XOK with *out when v is a number of integral value that fits 64 bits,
 * else jp_xarg_fail(..., "an integer"). */
int jp_xarg_int(jp_xctx *c, const char *fn, const jp_xval *v, int64_t *out);

#endif
