/* regex.c: PCRE2 compiling and matching, with limits that are reported. */
#include "regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>

#include "buf.h"

struct jp_regex {
    pcre2_code *code;
    uint32_t groups;       /* capturing groups */
    uint32_t names;        /* entries of the name table */
    uint32_t name_size;    /* bytes of one entry: group number (2), name, NUL */
    PCRE2_SPTR name_table;
};

struct jp_regex_scratch {
    pcre2_match_data *match;  /* jp_regex_match: the whole match only */
    pcre2_match_data *groups; /* jp_regex_exec: grown to the most groups seen */
    pcre2_match_context *context;
    pcre2_jit_stack *stack;
    char why[128];
};

jp_regex *jp_regex_compile(const char *src, size_t n, char *err, size_t errlen)
{
    int code;
    PCRE2_SIZE offset;
    pcre2_code *c = pcre2_compile((PCRE2_SPTR)src, n, PCRE2_UTF, &code, &offset, NULL);
    if (!c) {
        PCRE2_UCHAR msg[120];
        pcre2_get_error_message(code, msg, sizeof msg);
        snprintf(err, errlen, "bad regex at its offset %zu: %s", (size_t)offset, (char *)msg);
        return NULL;
    }
    pcre2_jit_compile(c, PCRE2_JIT_COMPLETE);
    jp_regex *re = jp_xcalloc(1, sizeof *re);
    re->code = c;
    pcre2_pattern_info(c, PCRE2_INFO_CAPTURECOUNT, &re->groups);
    pcre2_pattern_info(c, PCRE2_INFO_NAMECOUNT, &re->names);
    pcre2_pattern_info(c, PCRE2_INFO_NAMEENTRYSIZE, &re->name_size);
    pcre2_pattern_info(c, PCRE2_INFO_NAMETABLE, &re->name_table);
    return re;
}

void jp_regex_free(jp_regex *re)
{
    if (!re)
        return;
    pcre2_code_free(re->code);
    free(re);
}

jp_regex_scratch *jp_regex_scratch_new(void)
{
    jp_regex_scratch *m = jp_xcalloc(1, sizeof *m);
    m->match = pcre2_match_data_create(1, NULL);
    m->context = pcre2_match_context_create(NULL);
    if (!m->match || !m->context) {
        fprintf(stderr, "jsonpipe: out of memory for a regex match\n");
        abort();
    }
    pcre2_set_match_limit(m->context, JP_REGEX_MATCH_LIMIT);
    /* The JIT's default stack (32 KB) gives up on ^(?:xy)*$ over a few
     * kilobytes; a larger one lets ordinary patterns meet long strings.
     * Without it (no JIT support) the interpreter's heap limit applies. */
    m->stack = pcre2_jit_stack_create(32 * 1024, JP_REGEX_JIT_STACK, NULL);
    if (m->stack)
        pcre2_jit_stack_assign(m->context, NULL, m->stack);
    return m;
}

void jp_regex_scratch_free(jp_regex_scratch *m)
{
    if (!m)
        return;
    pcre2_match_data_free(m->match);
    pcre2_match_data_free(m->groups);
    pcre2_match_context_free(m->context);
    pcre2_jit_stack_free(m->stack);
    free(m);
}

/* The three answers of a pcre2_match return code. */
static int answer(jp_regex_scratch *m, int rc, const char **why)
{
    if (rc >= 0)
        return 1;
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    pcre2_get_error_message(rc, (PCRE2_UCHAR *)m->why, sizeof m->why);
    *why = m->why;
    return -1;
}

int jp_regex_match(const jp_regex *re, jp_regex_scratch *m, const char *s, size_t n,
                   const char **why)
{
    return answer(m, pcre2_match(re->code, (PCRE2_SPTR)s, n, 0, 0, m->match, m->context), why);
}

int jp_regex_exec(const jp_regex *re, jp_regex_scratch *m, const char *s, size_t n, size_t start,
                  unsigned opts, const size_t **ov, const char **why)
{
    if (!m->groups || pcre2_get_ovector_count(m->groups) < re->groups + 1) {
        pcre2_match_data_free(m->groups);
        m->groups = pcre2_match_data_create(re->groups + 1, NULL);
        if (!m->groups) {
            fprintf(stderr, "jsonpipe: out of memory for a regex match\n");
            abort();
        }
    }
    /* PCRE2_ANCHORED at match time makes PCRE2 leave the JIT code for its
     * interpreter, which keeps the same limits. */
    uint32_t o = 0;
    if (opts & JP_REGEX_NONEMPTY_HERE)
        o |= PCRE2_NOTEMPTY_ATSTART | PCRE2_ANCHORED;
    if (opts & JP_REGEX_CHECKED)
        o |= PCRE2_NO_UTF_CHECK;
    int r = answer(m, pcre2_match(re->code, (PCRE2_SPTR)s, n, start, o, m->groups, m->context),
                   why);
    if (r == 1)
        *ov = pcre2_get_ovector_pointer(m->groups);
    return r;
}

int jp_regex_groups(const jp_regex *re)
{
    return (int)re->groups;
}

int jp_regex_names(const jp_regex *re)
{
    return (int)re->names;
}

const char *jp_regex_name(const jp_regex *re, int i, int *group)
{
    PCRE2_SPTR e = re->name_table + (size_t)i * re->name_size;
    *group = e[0] << 8 | e[1];
    return (const char *)e + 2;
}
