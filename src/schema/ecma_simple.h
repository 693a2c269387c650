/* ecma_simple.h: the ECMA-262 patterns simple enough to match without
 * PCRE2, on ASCII strings: a run of ASCII atoms (characters, ., classes,
 * \d \w \s and their negations), each with an optional quantifier, between
 * an optional ^ and an optional $. Most schema patterns are so
 * ("^[a-z][a-z0-9-]*$"), and PCRE2's cost per call is many times the
 * match's. Such a pattern is matched by a bit-parallel automaton in one
 * pass, with no backtracking and so no limit to reach; anything else, and
 * any string that is not ASCII, is left to PCRE2. */
#ifndef JP_SCHEMA_ECMA_SIMPLE_H
#define JP_SCHEMA_ECMA_SIMPLE_H

#include <stddef.h>

typedef struct jp_ecma_simple jp_ecma_simple;

/* The pattern src[0..n) compiled, or NULL when it is not simple (or not
 * valid: PCRE2 then says why). */
jp_ecma_simple *jp_ecma_simple_compile(const char *src, size_t n);
void jp_ecma_simple_free(jp_ecma_simple *p);

/* 1 when p matches somewhere in s[0..n), 0 when not, -1 when s is not
 * ASCII (ask PCRE2). */
int jp_ecma_simple_match(const jp_ecma_simple *p, const char *s, size_t n);

#endif
