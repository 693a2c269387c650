/* ast.h: an expression as the parser builds it and the checker binds it.
 *
 * The parser (parse.c) makes the tree from the text alone: paths are their
 * keys, calls their names. The checker (check.c) then binds it to a run:
 * each path becomes a field id of the record index, each call its function
 * with its regex compiled, each "in" list a hash set. The evaluator
 * (eval.c) only reads the bound tree, from every worker thread at once. */
#ifndef JP_EXPR_AST_H
#define JP_EXPR_AST_H

#include <stddef.h>

#include "fields.h"
#include "func.h"
#include "hset.h"
#include "regex.h"
#include "value.h"

typedef enum jp_xop {
    JP_XOP_LITERAL,
    JP_XOP_PATH,     /* the field at path */
    JP_XOP_EXISTS,   /* exists(path) */
    JP_XOP_INDEX,    /* a[b]: an element of an array */
    JP_XOP_MEMBER,   /* a["key"] of a computed object */
    JP_XOP_CALL,
    JP_XOP_NEG,
    JP_XOP_NOT,
    JP_XOP_ARITH,    /* + - * / %, the operator in arith */
    JP_XOP_EQ, JP_XOP_NE, JP_XOP_LT, JP_XOP_LE, JP_XOP_GT, JP_XOP_GE,
    JP_XOP_MATCH,    /* a =~ "regex" */
    JP_XOP_CONTAINS,
    JP_XOP_IN,       /* a in [literal, ...] */
    JP_XOP_AND,
    JP_XOP_OR,
    JP_XOP_COALESCE, /* a ?? b */
    JP_XOP_COND      /* a ? b : c */
} jp_xop;

typedef struct jp_xnode jp_xnode;

struct jp_xnode {
    jp_xop op;
    size_t column;     /* of the operator, the call's name or the operand: for messages */
    jp_xnode *a, *b, *c;
    jp_xnode **args;   /* JP_XOP_CALL */
    int nargs;
    char arith;        /* JP_XOP_ARITH: '+', '-', '*', '/' or '%' */
    jp_xval lit;       /* JP_XOP_LITERAL; the key of JP_XOP_MEMBER */
    char *owned;       /* a literal's decoded string, which lit points into */
    /* JP_XOP_PATH, JP_XOP_EXISTS: the path's keys, escaped for
     * jp_fields_add (path_len 0: the whole record), and the text as
     * written, for messages. */
    char *path;
    size_t path_len;
    const char *text;
    size_t text_len;
    /* Bound by the checker. */
    int field;         /* JP_XOP_PATH, JP_XOP_EXISTS */
    jp_xcall call;     /* JP_XOP_CALL: its function and compiled regex */
    jp_regex *re;      /* JP_XOP_MATCH, and a call's regex (owned here) */
    jp_hset set;       /* JP_XOP_IN: the literals of args by hash */
};

/* One assignment of --eval: path = value. */
typedef struct jp_xstmt {
    jp_xnode *target;  /* a JP_XOP_PATH */
    jp_xnode *value;
} jp_xstmt;

/* A parsed program: one expression, or statements. */
typedef struct jp_xprog {
    jp_xnode *expr;    /* the expression (--filter), or NULL */
    jp_xstmt *stmts;   /* the statements (--eval) */
    int nstmts;
    const char *src;   /* the text, which paths and messages point into */
} jp_xprog;

/* Parses src as one expression (statements 0) or as statements. Returns
 * NULL with "column N: why" in err on a malformed program. */
jp_xprog *jp_xparse(const char *src, int statements, char *err, size_t errlen);
/* Binds prog to the record index fields (see the top of this file).
 * Returns 0, or -1 with "column N: why" in err. */
int jp_xcheck(jp_xprog *prog, jp_fields *fields, char *err, size_t errlen);
void jp_xprog_free(jp_xprog *prog);

#endif
