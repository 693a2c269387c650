/* lex.c: cuts an expression into tokens (see lex.h). */
#include <string.h>

#include "json.h"
#include "lex.h"

void jp_lex_init(jp_lexer *l, const char *src)
{
    l->src = src;
    l->len = strlen(src);
    l->at = 0;
    l->after_dot = 0;
}

static int name_start(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static int name_char(unsigned char c)
{
    return name_start(c) || (c >= '0' && c <= '9');
}

static jp_token bad(size_t column, const char *why)
{
    return (jp_token){JP_TOK_BAD, why, strlen(why), column};
}

/* The operators of two characters, then those of one. */
static const char *const punct2[] = {"==", "!=", "<=", ">=", "=~", "&&", "||", "??"};
static const char punct1[] = ".[](),;=<>!?:+-*/%";

/* A JSON number without its sign: 0 | [1-9][0-9]*, fraction, exponent. */
static size_t number_len(const char *s)
{
    size_t i = 0;
    if (s[i] == '0')
        i++;
    else
        while (s[i] >= '0' && s[i] <= '9')
            i++;
    if (s[i] == '.' && s[i + 1] >= '0' && s[i + 1] <= '9') {
        i++;
        while (s[i] >= '0' && s[i] <= '9')
            i++;
    }
    if (s[i] == 'e' || s[i] == 'E') {
        size_t j = i + 1;
        if (s[j] == '+' || s[j] == '-')
            j++;
        if (s[j] >= '0' && s[j] <= '9') {
            while (s[j] >= '0' && s[j] <= '9')
                j++;
            i = j;
        }
    }
    return i;
}

static int hex4(const char *s)
{
    for (int k = 0; k < 4; k++)
        if (!s[k] || !strchr("0123456789abcdefABCDEF", s[k]))
            return 0;
    return 1;
}

/* Moves *i past one character or escape of a string literal, or leaves
 * *i on it and says why it is no part of a JSON string. */
static const char *string_error(const jp_lexer *l, size_t *i)
{
    const char *s = l->src + *i;
    unsigned char c = (unsigned char)s[0];
    if (c < 0x20)
        return "control character in a string (write it as an escape)";
    if (c == '\\') {
        if (!s[1]) {
            *i += 1; /* the end: an unterminated string */
        } else if (s[1] == 'u') {
            if (!hex4(s + 2))
                return "invalid escape in a string (\\u needs 4 hex digits)";
            *i += 6;
        } else if (s[1] && strchr("\"\\/bfnrt", s[1])) {
            *i += 2;
        } else {
            return "invalid escape in a string";
        }
        return NULL;
    }
    size_t n = jp_utf8_seq_len((const unsigned char *)s, l->len - *i);
    if (!n)
        return "invalid UTF-8";
    *i += n;
    return NULL;
}

jp_token jp_lex_next(jp_lexer *l)
{
    const char *s = l->src;
    while (s[l->at] == ' ' || s[l->at] == '\t' || s[l->at] == '\n' || s[l->at] == '\r')
        l->at++;
    size_t at = l->at, column = at + 1;
    int after_dot = l->after_dot;
    l->after_dot = 0;
    unsigned char c = (unsigned char)s[at];
    if (!c)
        return (jp_token){JP_TOK_END, s + at, 0, column};

    if (name_start(c) || (after_dot && c >= '0' && c <= '9')) {
        size_t i = at, n;
        while (name_char((unsigned char)s[i])) {
            /* A name is a key of the record as written: it must be text. */
            if (!(n = jp_utf8_seq_len((const unsigned char *)s + i, l->len - i)))
                return bad(i + 1, "invalid UTF-8");
            i += n;
        }
        l->at = i;
        return (jp_token){JP_TOK_NAME, s + at, i - at, column};
    }
    if (c >= '0' && c <= '9') {
        size_t n = number_len(s + at);
        if (name_char((unsigned char)s[at + n]) || s[at + n] == '.')
            return bad(column, "invalid number");
        l->at = at + n;
        return (jp_token){JP_TOK_NUMBER, s + at, n, column};
    }
    if (c == '"') {
        size_t i = at + 1;
        while (s[i] && s[i] != '"') {
            const char *why = string_error(l, &i);
            if (why)
                return bad(i + 1, why);
        }
        if (!s[i])
            return bad(column, "unterminated string");
        l->at = i + 1;
        return (jp_token){JP_TOK_STRING, s + at, i + 1 - at, column};
    }
    for (size_t k = 0; k < sizeof punct2 / sizeof punct2[0]; k++)
        if (s[at] == punct2[k][0] && s[at + 1] == punct2[k][1]) {
            l->at = at + 2;
            return (jp_token){JP_TOK_PUNCT, s + at, 2, column};
        }
    if (strchr(punct1, c)) {
        l->at = at + 1;
        l->after_dot = c == '.';
        return (jp_token){JP_TOK_PUNCT, s + at, 1, column};
    }
    return bad(column, "unexpected character");
}

int jp_tok_is(const jp_token *t, const char *s)
{
    return (t->type == JP_TOK_PUNCT || t->type == JP_TOK_NAME) && strlen(s) == t->len &&
           memcmp(t->text, s, t->len) == 0;
}
