/* func.h: the functions of the expression language, and the evaluation
 * context they run in.
 *
 * A function is one jp_xfunc in the table of its file (fn_core.c for
 * conversions, numbers and types; fn_string.c for text and regexes;
 * fn_time.c for time), found by name at start-up. The parser checks the
 * number of arguments and compiles a regex argument once (regex_arg); the
 * evaluator computes the arguments, left to right, and calls fn. A function
 * makes new text in the arena of the context and never keeps a pointer
 * past the call. */
#ifndef JP_EXPR_FUNC_H
#define JP_EXPR_FUNC_H

#include <stddef.h>

#include "arena.h"
#include "buf.h"
#include "equal.h"
#include "regex.h"
#include "tree.h"
#include "value.h"

/* What a function or an operator returns. */
#define JP_XOK 0
#define JP_XERR (-1)        /* a reason is in the context: the record is rejected */
#define JP_XUNFINISHED (-2) /* a regex met a PCRE2 limit, or the run is stopping:
                             * never caught by ?? */

/* One thread's evaluation state, reused record after record. */
struct jp_xctx {
    jp_arena arena;            /* values made while evaluating one record */
    jp_regex_scratch *regex;
    jp_buf scratch;            /* for building text; lost at the next use */
    jp_tree *ta, *tb;          /* arrays and objects being compared */
    jp_members members;
    int max_depth;             /* parse_json's limit on nesting: a record's (--max-depth) */
    char why[256];             /* the reason of the last JP_XERR or JP_XUNFINISHED */
};

/* --max-depth's default, which max_depth starts at. */
#define JP_XDEPTH_DEFAULT 512

void jp_xctx_init(jp_xctx *c);
void jp_xctx_free(jp_xctx *c);
/* Forgets the last record's values. */
void jp_xctx_reset(jp_xctx *c);

/* Sets the reason and returns JP_XERR. */
int jp_xfail(jp_xctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Sets the reason and returns JP_XUNFINISHED. */
int jp_xunfinished(jp_xctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A copy of s[0..n) in the arena, as a string value. */
jp_xval jp_xstr_copy(jp_xctx *c, const char *s, size_t n);
/* The bytes of b, copied into the arena, as a value of type t (a string's
 * text, or JSON text of another type). */
jp_xval jp_xval_take(jp_xctx *c, jp_type t, const jp_buf *b);

typedef struct jp_xfunc jp_xfunc;

/* A call as the parser made it: what a function may know of it besides
 * its arguments' values. */
typedef struct jp_xcall {
    const jp_xfunc *fn;
    const jp_regex *re; /* the compiled regex_arg, or NULL */
} jp_xcall;

typedef int (*jp_xfn)(jp_xctx *c, const jp_xcall *call, const jp_xval *args, int nargs,
                      jp_xval *out);

struct jp_xfunc {
    const char *name;
    int min_args, max_args; /* max_args INT_MAX: any number */
    /* The index of an argument that must be a string literal holding a
     * PCRE2 regex, compiled at start-up; -1 for none. */
    int regex_arg;
    jp_xfn fn;
};

/* The tables, each ended by an entry with a NULL name. */
extern const jp_xfunc jp_xfuncs_core[];
extern const jp_xfunc jp_xfuncs_string[];
extern const jp_xfunc jp_xfuncs_time[];

/* The function called name[0..n), or NULL. */
const jp_xfunc *jp_xfunc_find(const char *name, size_t n);

#endif
