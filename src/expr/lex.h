/* lex.h: the tokens of the expression language, each with its column.
 *
 * Names are [A-Za-z_] then [A-Za-z0-9_] (bytes from 0x80 too, so UTF-8
 * names need no quotes); right after a "." a name may also start with a
 * digit (a.0). "-" is never part of a name: b-1 is a subtraction, and a key
 * such as user-agent is written quoted, ."user-agent" or ["user-agent"].
 * Strings are JSON string literals; numbers are JSON numbers without a
 * sign (a minus is the operator). Names and strings must be UTF-8: a
 * malformed byte is a JP_TOK_BAD at its own column, and so is a bad
 * escape or a raw control character in a string. */
#ifndef JP_EXPR_LEX_H
#define JP_EXPR_LEX_H

#include <stddef.h>

typedef enum jp_tok {
    JP_TOK_END,
    JP_TOK_NAME,
    JP_TOK_STRING,
    JP_TOK_NUMBER,
    JP_TOK_PUNCT,  /* an operator or punctuation; its text says which */
    JP_TOK_BAD     /* a byte or literal that is no token; text says why */
} jp_tok;

typedef struct jp_token {
    jp_tok type;
    const char *text; /* into the source; for JP_TOK_BAD, the reason */
    size_t len;
    size_t column;    /* 1-based */
} jp_token;

typedef struct jp_lexer {
    const char *src;
    size_t len;       /* of src */
    size_t at;
    int after_dot;    /* the last token was ".": digits start a name */
} jp_lexer;

void jp_lex_init(jp_lexer *l, const char *src);
/* The next token; after the end, JP_TOK_END again. */
jp_token jp_lex_next(jp_lexer *l);
/* Whether t is the punctuation or name s. */
int jp_tok_is(const jp_token *t, const char *s);

#endif
