/* regex.h: the PCRE2 regexes of --filter (=~) and --schema (pattern,
 * patternProperties), compiled once and matched by every worker thread.
 *
 * A match has three answers: it matched, it did not, or PCRE2 gave up on a
 * limit (match steps, backtracking depth, heap, JIT stack). Giving up is
 * never taken for "no match": the caller rejects the record with the
 * reason, which names the limit. */
#ifndef JP_REGEX_H
#define JP_REGEX_H

#include <stddef.h>

typedef struct jp_regex jp_regex;

/* Compiles the UTF-8 pattern src[0..n), NUL bytes included. Returns NULL
 * with "bad regex at its offset N: why" in err when it is invalid. */
jp_regex *jp_regex_compile(const char *src, size_t n, char *err, size_t errlen);
void jp_regex_free(jp_regex *re);

/* Per-thread state for matching: match data, a match context with the
 * limits, and a JIT stack. */
typedef struct jp_regex_scratch jp_regex_scratch;

jp_regex_scratch *jp_regex_scratch_new(void);
void jp_regex_scratch_free(jp_regex_scratch *m);

/* 1 when re matches somewhere in s[0..n), 0 when not, -1 when PCRE2 gave
 * up; then *why is PCRE2's words for it ("match limit exceeded"). */
int jp_regex_match(const jp_regex *re, jp_regex_scratch *m, const char *s, size_t n,
                   const char **why);

/* The limits, as documented in jsonpipe(1). */
#define JP_REGEX_MATCH_LIMIT 10000000u /* PCRE2's own default */
#define JP_REGEX_JIT_STACK (1024 * 1024)

#endif
