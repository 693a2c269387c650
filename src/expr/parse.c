/* parse.c: the text of an expression or of --eval statements into a tree
 * (ast.h), by recursive descent over the tokens of lex.c.
 *
 *   program   := stmt (";" stmt)* [";"]        (--eval)
 *   stmt      := path "=" expr
 *   expr      := coalesce ["?" expr ":" expr]  (right-associative)
 *   coalesce  := or ("??" or)*
 *   or        := and ("||" and)*
 *   and       := not ("&&" not)*
 *   not       := "!" not | compare
 *   compare   := sum [("==" | "!=" | "<" | "<=" | ">" | ">=" | "contains") sum
 *                    | "=~" string | "in" "[" literal ("," literal)* "]"]
 *   sum       := product (("+" | "-") product)*
 *   product   := unary (("*" | "/" | "%") unary)*
 *   unary     := "-" unary | postfix
 *   postfix   := primary ("." key | "[" expr "]")*
 *   primary   := literal | "(" expr ")" | "." [key] | name
 *              | "exists" "(" path ")" | name "(" [expr ("," expr)*] ")"
 *   key       := name | string
 *
 * A postfix on a path with a key (a.b, a["b c"]) makes a longer path; on
 * any other value it looks up a member of an object, and "[" expr "]"
 * with a value that is not a string literal takes an element of an array.
 * coalesce(a, b, ...) is a ?? b ?? ... */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "ast.h"
#include "json.h"
#include "lex.h"

/* Parsing, checking, evaluating and freeing recurse over the tree, so its
 * nesting and its length are bounded (far beyond any expression a person
 * writes) to keep a hostile argument from exhausting a stack. */
#define MAX_NESTING 256
#define MAX_TERMS 4096

typedef struct parser {
    jp_lexer lx;
    jp_token tok;      /* the current token */
    char *err;
    size_t errlen;
    int failed;
    int nesting;
    int terms;
} parser;

static jp_xnode *fail(parser *p, size_t column, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static jp_xnode *fail(parser *p, size_t column, const char *fmt, ...)
{
    if (p->failed)
        return NULL;
    p->failed = 1;
    int n = snprintf(p->err, p->errlen, "column %zu: ", column);
    if (n >= 0 && (size_t)n < p->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return NULL;
}

static void advance(parser *p)
{
    p->tok = jp_lex_next(&p->lx);
    if (p->tok.type == JP_TOK_BAD)
        fail(p, p->tok.column, "%.*s", (int)p->tok.len, p->tok.text);
}

static int is(parser *p, const char *s)
{
    return !p->failed && jp_tok_is(&p->tok, s);
}

/* Consumes s when it is the current token. */
static int eat(parser *p, const char *s)
{
    if (!is(p, s))
        return 0;
    advance(p);
    return 1;
}

static const char *what_is_here(const parser *p)
{
    return p->tok.type == JP_TOK_END ? "the end" : "this";
}

static int expect(parser *p, const char *s)
{
    if (eat(p, s))
        return 1;
    fail(p, p->tok.column, "expected '%s', found %s", s, what_is_here(p));
    return 0;
}

static int deeper(parser *p)
{
    if (++p->nesting <= MAX_NESTING)
        return 1;
    fail(p, p->tok.column, "nested deeper than %d levels", MAX_NESTING);
    return 0;
}

static int one_more_term(parser *p)
{
    if (++p->terms <= MAX_TERMS)
        return 1;
    fail(p, p->tok.column, "more than %d terms", MAX_TERMS);
    return 0;
}

static jp_xnode *node(jp_xop op, size_t column, jp_xnode *a, jp_xnode *b)
{
    jp_xnode *n = jp_xcalloc(1, sizeof *n);
    n->op = op;
    n->column = column;
    n->a = a;
    n->b = b;
    n->field = -1;
    return n;
}

static void free_node(jp_xnode *n)
{
    if (!n)
        return;
    free_node(n->a);
    free_node(n->b);
    free_node(n->c);
    for (int i = 0; i < n->nargs; i++)
        free_node(n->args[i]);
    free(n->args);
    free(n->owned);
    free(n->path);
    jp_regex_free(n->re);
    jp_hset_free(&n->set);
    free(n);
}

void jp_xprog_free(jp_xprog *prog)
{
    if (!prog)
        return;
    free_node(prog->expr);
    for (int i = 0; i < prog->nstmts; i++) {
        free_node(prog->stmts[i].target);
        free_node(prog->stmts[i].value);
    }
    free(prog->stmts);
    free(prog);
}

/* The decoded text of the current token, a string literal the lexer has
 * checked, in *out (the caller frees it). */
static void string_text(parser *p, char **out, size_t *len)
{
    jp_buf text = {0};
    jp_json_unquote(&text, p->tok.text, p->tok.len);
    jp_buf_putc(&text, '\0');
    *out = text.data;
    *len = text.len - 1;
}

static jp_xnode *string_literal(parser *p)
{
    jp_xnode *n = node(JP_XOP_LITERAL, p->tok.column, NULL, NULL);
    size_t len;
    string_text(p, &n->owned, &len);
    n->lit = jp_xstr(n->owned, len);
    advance(p);
    return n;
}

/* A number literal, negative when minus. */
static jp_xnode *number_literal(parser *p, int minus, size_t column)
{
    jp_xnode *n = node(JP_XOP_LITERAL, column, NULL, NULL);
    n->owned = jp_xmalloc(p->tok.len + 2);
    n->owned[0] = '-';
    memcpy(n->owned + 1, p->tok.text, p->tok.len);
    n->owned[p->tok.len + 1] = '\0';
    n->lit = jp_xjson(JP_NUMBER, n->owned + !minus, p->tok.len + (size_t)minus);
    /* An integer written plainly (digits only, no "-0") is held as one,
     * so arithmetic does not read its text again for every record; it is
     * written back the same. */
    int64_t i;
    if (strspn(p->tok.text, "0123456789") == p->tok.len && !(minus && n->lit.n == 2 &&
                                                             n->lit.s[1] == '0') &&
        jp_xval_to_int(&n->lit, &i) == 0)
        n->lit = jp_xint(i);
    advance(p);
    return n;
}

/* true, false or null as the current token, else NULL. */
static jp_xnode *word_literal(parser *p)
{
    jp_xval v;
    if (is(p, "true") || is(p, "false"))
        v = jp_xbool(p->tok.text[0] == 't');
    else if (is(p, "null"))
        v = jp_xnull();
    else
        return NULL;
    jp_xnode *n = node(JP_XOP_LITERAL, p->tok.column, NULL, NULL);
    n->lit = v;
    advance(p);
    return n;
}

/* Appends one key to a path: escaped so that jp_fields_add reads it back
 * as one key whatever it holds, a NUL included. The field index has no
 * name for an empty key, so a path naming one is refused rather than
 * read as its parent. */
static int path_append(parser *p, jp_xnode *n, const char *key, size_t len, size_t column)
{
    if (len == 0) {
        fail(p, column, "a field path cannot name an empty key");
        return -1;
    }
    jp_buf b = {0};
    if (n->path_len) {
        jp_buf_append(&b, n->path, n->path_len);
        jp_buf_putc(&b, '.');
    }
    for (size_t i = 0; i < len; i++) {
        if (key[i] == '.' || key[i] == '\\')
            jp_buf_putc(&b, '\\');
        jp_buf_putc(&b, key[i]);
    }
    free(n->path);
    n->path = b.data;
    n->path_len = b.len;
    return 0;
}

static jp_xnode *path_node(size_t column, const char *start)
{
    jp_xnode *n = node(JP_XOP_PATH, column, NULL, NULL);
    n->text = start;
    return n;
}

/* Ends the text of a path at the token just consumed. */
static void path_end(parser *p, jp_xnode *n)
{
    const char *end = p->lx.src + p->lx.at;
    if (p->tok.type != JP_TOK_END)
        end = p->tok.text;
    while (end > n->text && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' ||
                             end[-1] == '\r'))
        end--;
    n->text_len = (size_t)(end - n->text);
}

/* A key after "." in a path or a member: a name or a string. The key's
 * text is put in *key (owned by the caller). */
static int key_token(parser *p, char **key, size_t *len)
{
    if (p->tok.type == JP_TOK_NAME) {
        *key = jp_xmalloc(p->tok.len + 1);
        memcpy(*key, p->tok.text, p->tok.len);
        (*key)[p->tok.len] = '\0';
        *len = p->tok.len;
        advance(p);
        return 0;
    }
    if (p->tok.type == JP_TOK_STRING) {
        string_text(p, key, len);
        advance(p);
        return 0;
    }
    fail(p, p->tok.column, "expected a field name after '.'");
    return -1;
}

/* v with the key added: a longer path, or a member of a computed value.
 * Takes key; NULL when the path cannot have it. */
static jp_xnode *with_key(parser *p, jp_xnode *v, char *key, size_t len, size_t column)
{
    if (v->op == JP_XOP_PATH) {
        int rc = path_append(p, v, key, len, column);
        free(key);
        if (rc < 0) {
            free_node(v);
            return NULL;
        }
        path_end(p, v);
        return v;
    }
    jp_xnode *m = node(JP_XOP_MEMBER, column, v, NULL);
    m->owned = key;
    m->lit = jp_xstr(key, len);
    return m;
}

static jp_xnode *parse_expr(parser *p);

static jp_xnode *parse_postfix_of(parser *p, jp_xnode *v)
{
    while (v && !p->failed) {
        size_t column = p->tok.column;
        if (eat(p, ".")) {
            char *key;
            size_t len;
            if (!one_more_term(p) || key_token(p, &key, &len) < 0)
                break;
            if (!(v = with_key(p, v, key, len, column)))
                return NULL;
        } else if (eat(p, "[")) {
            if (!one_more_term(p) || !deeper(p))
                break;
            jp_xnode *i = parse_expr(p);
            p->nesting--;
            if (!i || !expect(p, "]")) {
                free_node(i);
                break;
            }
            if (i->op == JP_XOP_LITERAL && i->lit.type == JP_STRING) {
                char *key = i->owned;
                size_t len = i->lit.n;
                i->owned = NULL;
                free_node(i);
                if (!(v = with_key(p, v, key, len, column)))
                    return NULL;
            } else {
                v = node(JP_XOP_INDEX, column, v, i);
            }
        } else {
            return v;
        }
    }
    free_node(v);
    return NULL;
}

static jp_xnode *parse_call(parser *p, const jp_token *name)
{
    jp_xnode *n = node(JP_XOP_CALL, name->column, NULL, NULL);
    n->text = name->text;
    n->text_len = name->len;
    advance(p); /* the "(" */
    if (!deeper(p)) {
        free_node(n);
        return NULL;
    }
    if (!is(p, ")")) {
        do {
            if (!one_more_term(p))
                break;
            jp_xnode *a = parse_expr(p);
            if (!a)
                break;
            n->args = jp_xrealloc(n->args, (size_t)(n->nargs + 1) * sizeof *n->args);
            n->args[n->nargs++] = a;
        } while (eat(p, ","));
    }
    p->nesting--;
    if (p->failed || !expect(p, ")")) {
        free_node(n);
        return NULL;
    }
    if (name->len == 8 && memcmp(name->text, "coalesce", 8) == 0) {
        if (n->nargs == 0) {
            free_node(n);
            return fail(p, name->column, "coalesce needs at least one argument");
        }
        jp_xnode *c = n->args[0];
        for (int i = 1; i < n->nargs; i++)
            c = node(JP_XOP_COALESCE, name->column, c, n->args[i]);
        n->nargs = 0;
        free_node(n);
        return c;
    }
    return n;
}

static jp_xnode *parse_primary(parser *p);

/* What may be a path: a name, ".", or "[" then what follows; the caller
 * checks that it is one (not a call, a literal, an element). */
static jp_xnode *parse_path(parser *p)
{
    if (p->tok.type != JP_TOK_NAME && !is(p, ".") && !is(p, "["))
        return NULL;
    return parse_postfix_of(p, parse_primary(p));
}

static jp_xnode *parse_exists(parser *p, size_t column)
{
    advance(p); /* the "(" */
    size_t at = p->tok.column;
    jp_xnode *path = parse_path(p);
    if (p->failed) {
        free_node(path);
        return NULL;
    }
    if (!path)
        return fail(p, at, "exists needs a field path");
    if (path->op != JP_XOP_PATH) {
        free_node(path);
        return fail(p, column, "exists needs a field path, not an element or a computed value");
    }
    if (!expect(p, ")")) {
        free_node(path);
        return NULL;
    }
    path->op = JP_XOP_EXISTS;
    path->column = column;
    return path;
}

static jp_xnode *parse_primary(parser *p)
{
    if (p->failed)
        return NULL;
    jp_token t = p->tok;
    if (eat(p, "(")) {
        if (!deeper(p))
            return NULL;
        jp_xnode *n = parse_expr(p);
        p->nesting--;
        if (n && !expect(p, ")")) {
            free_node(n);
            return NULL;
        }
        return n;
    }
    if (t.type == JP_TOK_STRING)
        return string_literal(p);
    if (t.type == JP_TOK_NUMBER)
        return number_literal(p, 0, t.column);
    jp_xnode *w = word_literal(p);
    if (w)
        return w;
    if (t.type == JP_TOK_NAME) {
        jp_lexer ahead = p->lx;
        jp_token next = jp_lex_next(&ahead);
        if (jp_tok_is(&next, "(")) {
            advance(p);
            if (t.len == 6 && memcmp(t.text, "exists", 6) == 0)
                return parse_exists(p, t.column);
            return parse_call(p, &t);
        }
        jp_xnode *n = path_node(t.column, t.text);
        path_append(p, n, t.text, t.len, t.column);
        advance(p);
        path_end(p, n);
        return n;
    }
    if (is(p, "[")) {
        /* ["key"], a path of a key that is no name, as jq writes .["key"]. */
        jp_xnode *n = path_node(t.column, t.text);
        return parse_postfix_of(p, n);
    }
    if (eat(p, ".")) {
        /* ".", the whole record, or ".key". */
        jp_xnode *n = path_node(t.column, t.text);
        if (p->tok.type == JP_TOK_NAME || p->tok.type == JP_TOK_STRING) {
            size_t column = p->tok.column, len;
            char *key;
            if (key_token(p, &key, &len) < 0) {
                free_node(n);
                return NULL;
            }
            return with_key(p, n, key, len, column);
        }
        path_end(p, n);
        return n;
    }
    if (t.type == JP_TOK_END)
        return fail(p, t.column, "expected a value at the end");
    return fail(p, t.column, "expected a value");
}

static jp_xnode *parse_unary(parser *p)
{
    size_t column = p->tok.column;
    if (eat(p, "-")) {
        if (p->tok.type == JP_TOK_NUMBER)
            return parse_postfix_of(p, number_literal(p, 1, column));
        if (!deeper(p))
            return NULL;
        jp_xnode *a = parse_unary(p);
        p->nesting--;
        return a ? node(JP_XOP_NEG, column, a, NULL) : NULL;
    }
    return parse_postfix_of(p, parse_primary(p));
}

/* A left-associative level: operands of next joined by the operators of
 * ops, which make nodes of op (JP_XOP_ARITH with the operator's char). */
static jp_xnode *parse_level(parser *p, jp_xnode *(*next)(parser *), const char *const *ops,
                             jp_xop op)
{
    jp_xnode *a = next(p);
    while (a && !p->failed) {
        size_t column = p->tok.column;
        const char *o = NULL;
        for (int i = 0; ops[i] && !o; i++)
            if (is(p, ops[i]))
                o = ops[i];
        if (!o)
            return a;
        advance(p);
        if (!one_more_term(p))
            break;
        jp_xnode *b = next(p);
        if (!b)
            break;
        a = node(op, column, a, b);
        if (op == JP_XOP_ARITH)
            a->arith = o[0];
    }
    free_node(a);
    return NULL;
}

static jp_xnode *parse_product(parser *p)
{
    static const char *const ops[] = {"*", "/", "%", NULL};
    return parse_level(p, parse_unary, ops, JP_XOP_ARITH);
}

static jp_xnode *parse_sum(parser *p)
{
    static const char *const ops[] = {"+", "-", NULL};
    return parse_level(p, parse_product, ops, JP_XOP_ARITH);
}

static jp_xnode *parse_in_list(parser *p, jp_xnode *a, size_t column)
{
    jp_xnode *in = node(JP_XOP_IN, column, a, NULL);
    if (!expect(p, "[")) {
        free_node(in);
        return NULL;
    }
    do {
        size_t at = p->tok.column;
        jp_xnode *lit = NULL;
        if (p->tok.type == JP_TOK_STRING)
            lit = string_literal(p);
        else if (p->tok.type == JP_TOK_NUMBER)
            lit = number_literal(p, 0, at);
        else if (eat(p, "-") && p->tok.type == JP_TOK_NUMBER)
            lit = number_literal(p, 1, at);
        else
            lit = word_literal(p);
        if (!lit) {
            free_node(in);
            return fail(p, at, "expected a literal in the list");
        }
        in->args = jp_xrealloc(in->args, (size_t)(in->nargs + 1) * sizeof *in->args);
        in->args[in->nargs++] = lit;
    } while (eat(p, ","));
    if (!expect(p, "]")) {
        free_node(in);
        return NULL;
    }
    return in;
}

static jp_xnode *parse_compare(parser *p)
{
    static const struct {
        const char *tok;
        jp_xop op;
    } ops[] = {{"==", JP_XOP_EQ}, {"!=", JP_XOP_NE}, {"<=", JP_XOP_LE}, {">=", JP_XOP_GE},
               {"<", JP_XOP_LT},  {">", JP_XOP_GT},  {"=~", JP_XOP_MATCH},
               {"contains", JP_XOP_CONTAINS}};
    jp_xnode *a = parse_sum(p);
    if (!a || p->failed)
        return a;
    size_t column = p->tok.column;
    if (eat(p, "in"))
        return parse_in_list(p, a, column);
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        if (!eat(p, ops[i].tok))
            continue;
        jp_xnode *b = parse_sum(p);
        if (!b) {
            free_node(a);
            return NULL;
        }
        if (ops[i].op == JP_XOP_MATCH && (b->op != JP_XOP_LITERAL || b->lit.type != JP_STRING)) {
            free_node(a);
            free_node(b);
            return fail(p, column, "=~ needs a string literal (the regex) on its right");
        }
        return node(ops[i].op, column, a, b);
    }
    return a;
}

static jp_xnode *parse_not(parser *p)
{
    size_t column = p->tok.column;
    if (eat(p, "!")) {
        if (!deeper(p))
            return NULL;
        jp_xnode *a = parse_not(p);
        p->nesting--;
        return a ? node(JP_XOP_NOT, column, a, NULL) : NULL;
    }
    return parse_compare(p);
}

static jp_xnode *parse_and(parser *p)
{
    static const char *const ops[] = {"&&", NULL};
    return parse_level(p, parse_not, ops, JP_XOP_AND);
}

static jp_xnode *parse_or(parser *p)
{
    static const char *const ops[] = {"||", NULL};
    return parse_level(p, parse_and, ops, JP_XOP_OR);
}

static jp_xnode *parse_coalesce(parser *p)
{
    static const char *const ops[] = {"??", NULL};
    return parse_level(p, parse_or, ops, JP_XOP_COALESCE);
}

static jp_xnode *parse_expr(parser *p)
{
    jp_xnode *c = parse_coalesce(p);
    size_t column = p->tok.column;
    if (!c || !eat(p, "?"))
        return c;
    if (!deeper(p)) {
        free_node(c);
        return NULL;
    }
    jp_xnode *a = parse_expr(p), *b = NULL;
    if (a && expect(p, ":"))
        b = parse_expr(p);
    p->nesting--;
    if (!b) {
        free_node(c);
        free_node(a);
        return NULL;
    }
    jp_xnode *n = node(JP_XOP_COND, column, c, a);
    n->c = b;
    return n;
}

static int parse_statement(parser *p, jp_xprog *prog)
{
    size_t column = p->tok.column;
    /* The bound on terms keeps one tree shallow; statements are separate
     * trees, so each has its own. */
    p->terms = 0;
    if (p->tok.type == JP_TOK_END) {
        fail(p, column, "expected a statement (PATH = EXPR)");
        return -1;
    }
    jp_xnode *target = parse_path(p);
    if (!p->failed && (!target || target->op != JP_XOP_PATH || !target->path_len)) {
        free_node(target);
        fail(p, column, "expected a field path to assign to");
        return -1;
    }
    if (!target)
        return -1;
    prog->stmts = jp_xrealloc(prog->stmts, (size_t)(prog->nstmts + 1) * sizeof *prog->stmts);
    jp_xstmt *s = &prog->stmts[prog->nstmts++];
    s->target = target;
    s->value = NULL;
    if (!expect(p, "="))
        return -1;
    s->value = parse_expr(p);
    return s->value ? 0 : -1;
}

jp_xprog *jp_xparse(const char *src, int statements, char *err, size_t errlen)
{
    parser p = {.err = err, .errlen = errlen};
    jp_lex_init(&p.lx, src);
    jp_xprog *prog = jp_xcalloc(1, sizeof *prog);
    prog->src = src;
    advance(&p);
    if (statements) {
        while (!p.failed && parse_statement(&p, prog) == 0 && eat(&p, ";") &&
               p.tok.type != JP_TOK_END)
            ;
    } else {
        prog->expr = parse_expr(&p);
    }
    if (!p.failed && p.tok.type != JP_TOK_END)
        fail(&p, p.tok.column, statements ? "expected ';' or the end" :
                                            "unexpected text after the expression");
    if (p.failed) {
        jp_xprog_free(prog);
        return NULL;
    }
    return prog;
}
