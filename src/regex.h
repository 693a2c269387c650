/* regex.h: the PCRE2 regexes of --filter (=~), --schema (pattern,
 * patternProperties) and the expression language's replace and capture,
 * compiled once and matched by every worker thread.
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

/* What jp_regex_exec gives for a group that took no part in the match. */
#define JP_REGEX_UNSET ((size_t)-1)

/* Options of jp_regex_exec. */
#define JP_REGEX_NONEMPTY_HERE 1u /* only a non-empty match starting at start */
#define JP_REGEX_CHECKED 2u       /* s passed an earlier match from offset 0, so
                                   * it is known to be valid UTF-8 */

/* Runs re on s[0..n) from byte offset start, a code point boundary (a
 * lookbehind sees the bytes before it). Returns 1 when it matched, with
 * (*ov)[2g] and (*ov)[2g+1] the bytes [from, to) of group g, 0 the whole
 * match, g up to jp_regex_groups(re), JP_REGEX_UNSET for a group that took
 * no part; *ov is valid until the next match with m. 0 when not, -1 when
 * PCRE2 gave up, as jp_regex_match. */
int jp_regex_exec(const jp_regex *re, jp_regex_scratch *m, const char *s, size_t n, size_t start,
                  unsigned opts, const size_t **ov, const char **why);

/* The number of capturing groups of re. */
int jp_regex_groups(const jp_regex *re);
/* Named groups: i from 0 to jp_regex_names(re) - 1, in the order of their
 * names (a name given to several groups, with (?J), comes once for each).
 * jp_regex_name returns the NUL-terminated name and sets *group. */
int jp_regex_names(const jp_regex *re);
const char *jp_regex_name(const jp_regex *re, int i, int *group);

/* The limits, as documented in jsonpipe(1). */
#define JP_REGEX_MATCH_LIMIT 10000000u /* PCRE2's own default */
#define JP_REGEX_JIT_STACK (1024 * 1024)

#endif
