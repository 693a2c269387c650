/* filter.c: --filter EXPR keeps the records for which EXPR is true and drops
 * the others (counted as dropped, not rejected).
 *
 *   expr    := and ("||" and)*
 *   and     := unary ("&&" unary)*
 *   unary   := "!" unary | compare
 *   compare := operand [("==" | "!=" | "<" | "<=" | ">" | ">=" | "=~" |
 *                        "contains") operand | "in" "[" literal, ... "]"]
 *   operand := "(" expr ")" | "exists" "(" path ")" | literal | path
 *   literal := "string" | number | true | false | null
 *   path    := name ("." name)*    (name: letters, digits, _ and -)
 *
 * Semantics: == compares values of one type (numbers by exact decimal
 * value, strings by their decoded text, objects and arrays by the rule of
 * --schema's const, tree.h); != is its negation. An operand in parentheses
 * or exists() is the boolean it gives. <, <=, >, >=
 * order numbers or strings (by code point) and are false for any other mix.
 * =~ matches a string against a PCRE2 regex. "a contains x" is true when the
 * array a has an element equal to x, or the string a has x in it. A path
 * alone is true unless the record lacks it or it is null or false.
 * Regexes are compiled (and JIT-compiled) once, here; the literals of an
 * "in" list are in a hash set, so its length costs nothing per record.
 *
 * Evaluation goes left to right and stops once the answer is known. It has
 * a third outcome besides true and false: a regex that meets a PCRE2 limit
 * could not finish. That is never taken for "no match": it goes through !,
 * && and || as it is, and the record is rejected with the limit named. */
#include <stdio.h>
#include <stdlib.h>

#include "hset.h"
#include "json.h"
#include "number.h"
#include "pool.h"
#include "processor.h"
#include "regex.h"
#include "tree.h"

typedef enum op {
    OP_OR, OP_AND, OP_NOT, OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_MATCH,
    OP_CONTAINS, OP_IN, OP_EXISTS, OP_PATH, OP_LITERAL
} op;

/* A value during evaluation: a type and its JSON text. */
typedef struct val {
    jp_type type;
    const char *text; /* the JSON text; for literals of strings, decoded */
    size_t len;
    int decoded;      /* text is a string's content, not its literal */
} val;

typedef struct node {
    op op;
    struct node *a, *b; /* operands */
    int field;          /* OP_PATH, OP_EXISTS */
    val lit;            /* OP_LITERAL */
    jp_regex *re;       /* OP_MATCH with a literal pattern */
    const char *source; /* OP_MATCH: the pattern's literal, for messages */
    int source_len;
    val *list;          /* OP_IN: the literals */
    int nlist;
    jp_hset set;        /* OP_IN: list by hash */
} node;

/* Results of evaluation. */
#define UNFINISHED (-1)

typedef struct filter {
    node *root;
    jp_buf strings;     /* decoded literal strings */
} filter;

/* ---- parsing ---------------------------------------------------------- */

/* Parsing, evaluating and freeing recurse over the expression, so its
 * nesting and its length are bounded (far beyond any filter a person
 * writes) to keep a hostile argument from exhausting the stack. */
#define MAX_NESTING 256
#define MAX_TERMS 4096

typedef struct parser {
    const char *s;
    size_t at;
    jp_fields *fields;
    char *err;
    size_t errlen;
    int failed;
    int nesting; /* open '(' and '!' */
    int terms;   /* operators and list items so far */
} parser;

static node *fail(parser *p, const char *what)
{
    if (!p->failed)
        snprintf(p->err, p->errlen, "column %zu: %s", p->at + 1, what);
    p->failed = 1;
    return NULL;
}

/* Enters one more level of '(' or '!', or fails. */
static int deeper(parser *p)
{
    if (++p->nesting <= MAX_NESTING)
        return 1;
    char what[64];
    snprintf(what, sizeof what, "nested deeper than %d levels", MAX_NESTING);
    fail(p, what);
    return 0;
}

/* Counts one more operator, or fails. */
static int one_more_term(parser *p)
{
    if (++p->terms <= MAX_TERMS)
        return 1;
    char what[64];
    snprintf(what, sizeof what, "more than %d terms", MAX_TERMS);
    fail(p, what);
    return 0;
}

static void blanks(parser *p)
{
    while (p->s[p->at] == ' ' || p->s[p->at] == '\t' || p->s[p->at] == '\n')
        p->at++;
}

/* Consumes tok (after blanks) when it is next. Words must end there. */
static int eat(parser *p, const char *tok)
{
    blanks(p);
    size_t n = strlen(tok);
    if (strncmp(p->s + p->at, tok, n) != 0)
        return 0;
    char next = p->s[p->at + n];
    if ((tok[0] >= 'a' && tok[0] <= 'z') &&
        ((next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z') ||
         (next >= '0' && next <= '9') || next == '_'))
        return 0;
    p->at += n;
    return 1;
}

static node *new_node(op o, node *a, node *b)
{
    node *n = jp_xcalloc(1, sizeof *n);
    n->op = o;
    n->a = a;
    n->b = b;
    return n;
}

static void free_node(node *n)
{
    if (!n)
        return;
    free_node(n->a);
    free_node(n->b);
    jp_regex_free(n->re);
    free(n->list);
    jp_hset_free(&n->set);
    free(n);
}

static int name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-' || (unsigned char)c >= 0x80;
}

static node *parse_path(parser *p)
{
    blanks(p);
    size_t start = p->at;
    for (;;) {
        size_t word = p->at;
        while (name_char(p->s[p->at]))
            p->at++;
        if (p->at == word)
            return fail(p, "expected a field name");
        if (p->s[p->at] != '.')
            break;
        p->at++;
    }
    node *n = new_node(OP_PATH, NULL, NULL);
    n->field = jp_fields_add(p->fields, p->s + start, p->at - start, p->err, p->errlen);
    return n;
}

static node *parse_literal(parser *p, filter *f)
{
    blanks(p);
    const char *s = p->s + p->at;
    node *n = new_node(OP_LITERAL, NULL, NULL);
    if (*s == '"') {
        size_t i = 1;
        while (s[i] && s[i] != '"')
            i += s[i] == '\\' && s[i + 1] ? 2 : 1;
        if (!s[i]) {
            free(n);
            return fail(p, "unterminated string");
        }
        jp_buf check = {0};
        char why[128];
        int bad = jp_json_compact(&check, s, i + 1, why, sizeof why) < 0;
        jp_buf_free(&check);
        if (bad) {
            free(n);
            return fail(p, "invalid string (JSON escapes only)");
        }
        size_t off = f->strings.len;
        jp_json_unquote(&f->strings, s, i + 1);
        n->lit = (val){JP_STRING, (const char *)off, f->strings.len - off, 1};
        p->at += i + 1;
        return n;
    }
    if (*s == '-' || (*s >= '0' && *s <= '9')) {
        size_t i = 1;
        while (s[i] && strchr("0123456789.eE+-", s[i]))
            i++;
        if (!jp_number_valid(s, i)) {
            free(n);
            return fail(p, "invalid number");
        }
        n->lit = (val){JP_NUMBER, s, i, 0};
        p->at += i;
        return n;
    }
    if (eat(p, "true") || eat(p, "false")) {
        n->lit = (val){JP_BOOLEAN, s, *s == 't' ? 4 : 5, 0};
        return n;
    }
    if (eat(p, "null")) {
        n->lit = (val){JP_NULL, s, 4, 0};
        return n;
    }
    free(n);
    return NULL; /* not a literal: the caller decides */
}

static node *parse_or(parser *p, filter *f);

static node *parse_operand(parser *p, filter *f)
{
    if (p->failed)
        return NULL;
    if (eat(p, "(")) {
        if (!deeper(p))
            return NULL;
        node *n = parse_or(p, f);
        p->nesting--;
        if (!eat(p, ")")) {
            free_node(n);
            return fail(p, "expected ')'");
        }
        return n;
    }
    if (eat(p, "exists")) {
        if (!eat(p, "("))
            return fail(p, "expected '(' after exists");
        node *path = parse_path(p);
        if (!path || !eat(p, ")")) {
            free_node(path);
            return fail(p, "expected ')'");
        }
        path->op = OP_EXISTS;
        return path;
    }
    node *lit = parse_literal(p, f);
    if (lit || p->failed)
        return lit;
    blanks(p);
    if (!name_char(p->s[p->at]))
        return fail(p, p->s[p->at] ? "expected a value" : "expected a value at the end");
    return parse_path(p);
}

static jp_regex *compile_regex(parser *p, const val *v, const char *strings)
{
    char why[200];
    jp_regex *re = jp_regex_compile(strings + (size_t)v->text, v->len, why, sizeof why);
    if (!re)
        fail(p, why);
    return re;
}

static node *parse_compare(parser *p, filter *f)
{
    static const struct {
        const char *tok;
        op op;
    } ops[] = {{"==", OP_EQ}, {"!=", OP_NE}, {"<=", OP_LE}, {">=", OP_GE}, {"=~", OP_MATCH},
               {"<", OP_LT},  {">", OP_GT},  {"contains", OP_CONTAINS}};
    node *a = parse_operand(p, f);
    if (!a)
        return NULL;
    if (eat(p, "in")) {
        if (!eat(p, "["))
            return free_node(a), fail(p, "expected '[' after in");
        /* The list is an array, not nested nodes: its length is bounded by
         * the argument's alone. */
        node *in = new_node(OP_IN, a, NULL);
        int cap = 0;
        do {
            node *lit = parse_literal(p, f);
            if (!lit) {
                free_node(in);
                return fail(p, "expected a literal in the list");
            }
            if (in->nlist == cap) {
                cap = cap ? 2 * cap : 8;
                in->list = jp_xrealloc(in->list, (size_t)cap * sizeof *in->list);
            }
            in->list[in->nlist++] = lit->lit;
            free(lit);
        } while (eat(p, ","));
        if (!eat(p, "]")) {
            free_node(in);
            return fail(p, "expected ']'");
        }
        return in;
    }
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        size_t at = p->at;
        if (!eat(p, ops[i].tok))
            continue;
        blanks(p);
        size_t operand_at = p->at;
        node *b = parse_operand(p, f);
        if (!b) {
            free_node(a);
            return fail(p, "expected a value after the operator");
        }
        node *n = new_node(ops[i].op, a, b);
        if (ops[i].op == OP_MATCH) {
            if (b->op != OP_LITERAL || b->lit.type != JP_STRING) {
                p->at = at;
                free_node(n);
                return fail(p, "=~ needs a string literal (the regex) on its right");
            }
            n->re = compile_regex(p, &b->lit, f->strings.data);
            n->source = p->s + operand_at;
            n->source_len = (int)(p->at - operand_at);
            if (!n->re) {
                free_node(n);
                return NULL;
            }
        }
        return n;
    }
    return a;
}

static node *parse_unary(parser *p, filter *f)
{
    blanks(p);
    if (p->s[p->at] == '!' && p->s[p->at + 1] != '=') {
        p->at++;
        if (!deeper(p))
            return NULL;
        node *a = parse_unary(p, f);
        p->nesting--;
        return a ? new_node(OP_NOT, a, NULL) : NULL;
    }
    return parse_compare(p, f);
}

/* The binary operators, loosest first: level i combines operands that are
 * level i + 1 expressions (past the last level, unary ones). */
static const struct {
    const char *tok;
    op op;
} binary[] = {{"||", OP_OR}, {"&&", OP_AND}};

static node *parse_binary(parser *p, filter *f, size_t level)
{
    if (level == sizeof binary / sizeof binary[0])
        return parse_unary(p, f);
    node *a = parse_binary(p, f, level + 1);
    while (a && eat(p, binary[level].tok)) {
        if (!one_more_term(p)) {
            free_node(a);
            return NULL;
        }
        node *b = parse_binary(p, f, level + 1);
        if (!b) {
            free_node(a);
            return NULL;
        }
        a = new_node(binary[level].op, a, b);
    }
    return a;
}

static node *parse_or(parser *p, filter *f)
{
    return parse_binary(p, f, 0);
}

static uint64_t hash_of(const val *v, const char *s, size_t n);

/* String literals were decoded into f->strings, which may have moved while
 * parsing went on: until now their text holds an offset. Once they are in
 * place, the literals of an "in" list go into its hash set. */
static void fix_strings(node *n, const char *base)
{
    if (!n)
        return;
    if (n->op == OP_LITERAL && n->lit.decoded)
        n->lit.text = base + (size_t)n->lit.text;
    if (n->op == OP_IN) {
        jp_hset_init(&n->set, (size_t)n->nlist);
        for (int i = 0; i < n->nlist; i++) {
            val *v = &n->list[i];
            if (v->decoded)
                v->text = base + (size_t)v->text;
            jp_hset_add(&n->set, hash_of(v, v->text, v->len), i);
        }
    }
    fix_strings(n->a, base);
    fix_strings(n->b, base);
}

static void filter_destroy(void *arg)
{
    filter *f = arg;
    free_node(f->root);
    jp_buf_free(&f->strings);
    free(f);
}

static void *filter_create(const char *arg, jp_setup *setup, char *err, size_t errlen)
{
    filter *f = jp_xcalloc(1, sizeof *f);
    jp_buf_reserve(&f->strings, 1); /* so offset 0 has a base */
    parser p = {arg, 0, setup->fields, err, errlen, 0, 0, 0};
    f->root = parse_or(&p, f);
    blanks(&p);
    if (f->root && !p.failed && p.s[p.at])
        fail(&p, "unexpected text after the expression");
    if (!f->root || p.failed) {
        if (!p.failed)
            fail(&p, "expected an expression");
        filter_destroy(f);
        return NULL;
    }
    fix_strings(f->root, f->strings.data);
    return f;
}

/* ---- evaluation --------------------------------------------------------- */

typedef struct filter_local {
    jp_regex_scratch *regex;
    jp_buf a, b; /* decoded strings */
    jp_tree *ta, *tb; /* objects and arrays being compared */
    jp_members members;
    const node *unfinished; /* the =~ that could not finish; NULL: a stop */
    const char *why;        /* and PCRE2's reason */
} filter_local;

static void *filter_local_new(const void *self)
{
    filter_local *l = jp_xcalloc(1, sizeof *l);
    l->regex = jp_regex_scratch_new();
    l->ta = jp_tree_new();
    l->tb = jp_tree_new();
    return l;
}

static void filter_local_free(void *arg)
{
    filter_local *l = arg;
    jp_regex_scratch_free(l->regex);
    jp_buf_free(&l->a);
    jp_buf_free(&l->b);
    jp_tree_free(l->ta);
    jp_tree_free(l->tb);
    free(l->members.v);
    free(l);
}

static val value_of(const node *n, jp_record *rec)
{
    if (n->op == OP_LITERAL)
        return n->lit;
    const jp_value *v = jp_record_get(rec, n->field);
    if (!v)
        return (val){JP_ABSENT, NULL, 0, 0};
    size_t len;
    const char *bytes = jp_record_bytes(rec, &len);
    return (val){v->type, bytes + v->start, v->end - v->start, 0};
}

/* A string's content: the literal's inside when it has no escapes. */
static void content(const val *v, jp_buf *scratch, const char **s, size_t *n)
{
    if (v->decoded) {
        *s = v->text;
        *n = v->len;
    } else if (!memchr(v->text, '\\', v->len)) {
        *s = v->text + 1;
        *n = v->len - 2;
    } else {
        scratch->len = 0;
        jp_json_unquote(scratch, v->text, v->len);
        *s = scratch->data;
        *n = scratch->len;
    }
}

/* A hash of a scalar by type and value: s[0..n) is a string's content,
 * a number's text. Equal values (1 and 1.0) hash alike. */
static uint64_t hash_of(const val *v, const char *s, size_t n)
{
    switch (v->type) {
    case JP_NUMBER: return jp_number_hash(s, n);
    case JP_STRING: return jp_hash_bytes(s, n, JP_STRING);
    default: return jp_hash_mix(v->type, n);
    }
}

/* Whether the objects or arrays a and b (JSON texts of a record) are equal
 * by the one rule of --schema (jp_value_equal). With within, whether the
 * array a has an element equal to b instead. */
static int trees_equal(const val *a, const val *b, filter_local *l, int within)
{
    /* Both are valid JSON from a parsed record: the builds cannot fail. */
    if (jp_tree_build(l->ta, a->text, a->len) < 0 || jp_tree_build(l->tb, b->text, b->len) < 0)
        return 0;
    jp_side x = {jp_tree_node(l->ta, 0), jp_tree_text(l->ta, 0)};
    jp_side y = {jp_tree_node(l->tb, 0), jp_tree_text(l->tb, 0)};
    l->members.top = 0;
    if (!within)
        return jp_value_equal(&l->members, &x, x.nodes, &y, y.nodes);
    for (int32_t i = x.nodes[0].first; i >= 0; i = x.nodes[i].next)
        if (jp_value_equal(&l->members, &x, &x.nodes[i], &y, y.nodes))
            return 1;
    return 0;
}

/* Whether a and b can be ordered (two numbers or two strings) or tested
 * for equality (two values of one type); if so, *order is -1, 0 or 1. Only
 * numbers and strings have an order: for the others *order is 0 or 1
 * (equal or not). The answer "cannot compare" is the return value, never
 * an order, so no difference of texts can be mistaken for it. */
static int compare(const val *a, const val *b, filter_local *l, int *order)
{
    if (a->type != b->type || a->type == JP_ABSENT)
        return 0;
    if (a->type == JP_NUMBER) {
        *order = jp_number_cmp(a->text, a->len, b->text, b->len);
    } else if (a->type == JP_STRING) {
        const char *x, *y;
        size_t xn, yn;
        content(a, &l->a, &x, &xn);
        content(b, &l->b, &y, &yn);
        int c = memcmp(x, y, xn < yn ? xn : yn);
        *order = c ? (c < 0 ? -1 : 1) : (xn > yn) - (xn < yn);
    } else if (a->type == JP_BOOLEAN || a->type == JP_NULL) {
        *order = a->len != b->len; /* true (4) and false (5) differ */
    } else {
        *order = !trees_equal(a, b, l, 0);
    }
    return 1;
}

/* Whether a and b are of one type and equal. */
static int equal(const val *a, const val *b, filter_local *l)
{
    int order;
    return compare(a, b, l, &order) && order == 0;
}

/* Skips one JSON value of valid text at s; returns just past it. */
static const char *skip_value(const char *s)
{
    int depth = 0;
    do {
        while (*s == ' ' || *s == '\t' || *s == '\r' || *s == ',' || *s == ':')
            s++;
        if (*s == '"') {
            for (s++; *s != '"'; s++)
                if (*s == '\\')
                    s++;
            s++;
        } else if (*s == '{' || *s == '[') {
            depth++;
            s++;
        } else if (*s == '}' || *s == ']') {
            depth--;
            s++;
        } else {
            while (!strchr(" \t\r,:]}", *s))
                s++;
        }
        while (*s == ' ' || *s == '\t' || *s == '\r')
            s++;
    } while (depth > 0);
    return s;
}

static int array_contains(const val *arr, const val *x, filter_local *l)
{
    if (x->type == JP_OBJECT || x->type == JP_ARRAY)
        return trees_equal(arr, x, l, 1);
    const char *s = arr->text + 1, *end = arr->text + arr->len - 1;
    while (s < end) {
        while (s < end && (*s == ' ' || *s == '\t' || *s == '\r' || *s == ','))
            s++;
        if (s >= end)
            break;
        const char *e = skip_value(s);
        size_t n = (size_t)(e - s);
        while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
            n--;
        jp_type t = *s == '"' ? JP_STRING : *s == '{' ? JP_OBJECT : *s == '[' ? JP_ARRAY
                  : *s == 't' || *s == 'f' ? JP_BOOLEAN : *s == 'n' ? JP_NULL : JP_NUMBER;
        val elem = {t, s, n, 0};
        if (equal(&elem, x, l))
            return 1;
        s = e;
    }
    return 0;
}

static int truthy(const val *v)
{
    return v->type != JP_ABSENT && v->type != JP_NULL &&
           !(v->type == JP_BOOLEAN && v->len == 5);
}

/* Whether the list of n has a value equal to a: the hash finds the
 * candidates. */
static int in_list(const node *n, const val *a, filter_local *l)
{
    if (a->type == JP_ABSENT || a->type == JP_OBJECT || a->type == JP_ARRAY)
        return 0;
    const char *s = a->text;
    size_t len = a->len;
    if (a->type == JP_STRING)
        content(a, &l->a, &s, &len);
    uint64_t h = hash_of(a, s, len);
    size_t cursor = 0;
    for (int32_t i; (i = jp_hset_next(&n->set, h, &cursor)) >= 0;)
        if (equal(a, &n->list[i], l))
            return 1;
    return 0;
}

static int eval(const node *n, jp_record *rec, filter_local *l);

/* The value of a comparison's operand: a path's or a literal's, or for an
 * expression in parentheses or exists(), the boolean it gives (so that
 * "(a > 1) == true" compares true or false, not a field). 0, or
 * UNFINISHED as eval gives it. */
static int operand(const node *n, jp_record *rec, filter_local *l, val *v)
{
    if (n->op == OP_PATH || n->op == OP_LITERAL) {
        *v = value_of(n, rec);
        return 0;
    }
    int r = eval(n, rec, l);
    if (r == UNFINISHED)
        return r;
    *v = (val){JP_BOOLEAN, r ? "true" : "false", r ? 4 : 5, 0};
    return 0;
}

/* 1 (true), 0 (false) or UNFINISHED, with the node and reason in l. */
static int eval(const node *n, jp_record *rec, filter_local *l)
{
    int r;
    switch (n->op) {
    case OP_OR: return (r = eval(n->a, rec, l)) != 0 ? r : eval(n->b, rec, l);
    case OP_AND: return (r = eval(n->a, rec, l)) != 1 ? r : eval(n->b, rec, l);
    case OP_NOT: return (r = eval(n->a, rec, l)) == UNFINISHED ? r : !r;
    case OP_EXISTS: return jp_record_get(rec, n->field) != NULL;
    case OP_PATH:
    case OP_LITERAL: {
        val v = value_of(n, rec);
        return truthy(&v);
    }
    default: break;
    }
    val a, b;
    if (operand(n->a, rec, l, &a) == UNFINISHED)
        return UNFINISHED;
    if (n->op == OP_IN)
        return in_list(n, &a, l);
    if (n->op == OP_MATCH) {
        if (a.type != JP_STRING)
            return 0;
        const char *s;
        size_t len;
        content(&a, &l->a, &s, &len);
        /* One match can take a tenth of a second below its limits, and an
         * expression can hold thousands: a stop is looked for before each. */
        if (jp_pool_cancelled()) {
            l->unfinished = NULL;
            return UNFINISHED;
        }
        r = jp_regex_match(n->re, l->regex, s, len, &l->why);
        if (r < 0) {
            l->unfinished = n;
            return UNFINISHED;
        }
        return r;
    }
    if (operand(n->b, rec, l, &b) == UNFINISHED)
        return UNFINISHED;
    if (n->op == OP_CONTAINS) {
        if (a.type == JP_ARRAY)
            return array_contains(&a, &b, l);
        if (a.type == JP_STRING && b.type == JP_STRING) {
            const char *x, *y;
            size_t xn, yn;
            content(&a, &l->a, &x, &xn);
            content(&b, &l->b, &y, &yn);
            return memmem(x, xn, y, yn) != NULL;
        }
        return 0;
    }
    if (n->op == OP_EQ)
        return equal(&a, &b, l);
    if (n->op == OP_NE)
        return !equal(&a, &b, l);
    int c;
    if ((a.type != JP_NUMBER && a.type != JP_STRING) || !compare(&a, &b, l, &c))
        return 0;
    switch (n->op) {
    case OP_LT: return c < 0;
    case OP_LE: return c <= 0;
    case OP_GT: return c > 0;
    case OP_GE: return c >= 0;
    default: return 0;
    }
}

static jp_verdict filter_process(const void *arg, void *local, jp_record *rec)
{
    const filter *f = arg;
    filter_local *l = local;
    /* A regex near its limits can take a while: a stop does not wait. */
    if (jp_pool_cancelled())
        return jp_reject(rec, "evaluation stopped: the run is being stopped");
    int r = eval(f->root, rec, l);
    if (r == UNFINISHED && !l->unfinished)
        return jp_reject(rec, "evaluation stopped: the run is being stopped");
    if (r == UNFINISHED)
        return jp_reject(rec, "=~ %.*s could not finish: PCRE2 %s", l->unfinished->source_len,
                         l->unfinished->source, l->why);
    return r ? JP_PASS : JP_DROP;
}

const jp_processor_type jp_filter_processor = {
    .name = "filter",
    .metavar = "EXPR",
    .help = "keep records for which EXPR is true, drop the rest",
    .group = "filter",
    .example = "--filter 'level == \"error\" || http.status >= 500'",
    .cpu_heavy = 1,
    .create = filter_create,
    .local_new = filter_local_new,
    .local_free = filter_local_free,
    .process = filter_process,
    .destroy = filter_destroy,
};
