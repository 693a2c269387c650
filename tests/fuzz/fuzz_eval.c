/* fuzz_eval.c: libFuzzer target for the expression language of --eval and
 * --filter. The input's first line is a program, the lines after it are
 * records. Besides the invariants of every run (fuzz.h), two hold for the
 * language: the line run as --eval statements never breaks a record, and
 * when it is an expression, --eval 'x = (EXPR)' then --filter x keeps,
 * drops and rejects exactly the records that --filter EXPR does (on
 * records that are objects, where x can be set, and for programs without
 * now(), the one value that differs from one run to the next). */
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_tree.h>

#include "fuzz.h"

/* Whether every record of the input is an object, so x can be set. */
static int all_objects(const uint8_t *p, size_t n)
{
    int line_start = 1;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\n') {
            line_start = 1;
        } else if (line_start && p[i] != ' ' && p[i] != '\t' && p[i] != '\r') {
            if (p[i] != '{')
                return 0;
            line_start = 0;
        }
    }
    return 1;
}

/* The "line" of each error record, in order. */
static void error_lines(const jp_buf *err, jp_buf *lines)
{
    size_t at = 0;
    while (at < err->len) {
        const char *nl = memchr(err->data + at, '\n', err->len - at);
        size_t n = (size_t)(nl - (err->data + at));
        char *text = strndup(err->data + at, n), why[128];
        yajl_val v = yajl_tree_parse(text, why, sizeof why);
        const char *key[] = {"line", NULL};
        yajl_val line = yajl_tree_get(v, key, yajl_t_number);
        FUZZ_CHECK(line != NULL);
        jp_buf_printf(lines, "%s,", YAJL_GET_NUMBER(line));
        yajl_tree_free(v);
        free(text);
        at += n + 1;
    }
}

/* How many programs were compared (read by the property test). */
long fuzz_eval_compared;

static void agree(const char *expr, const uint8_t *records, size_t n)
{
    jp_chain a, b;
    const char *filter[] = {"filter", expr, NULL};
    size_t len = strlen(expr);
    char *stmt = malloc(len + 16);
    memcpy(stmt, "x = (", 5);
    memcpy(stmt + 5, expr, len);
    memcpy(stmt + 5 + len, ")", 2);
    const char *eval[] = {"eval", stmt, "filter", "x", NULL};
    if (fuzz_chain(&a, filter) == 0) {
        if (fuzz_chain(&b, eval) == 0) {
            fuzz_result ra, rb;
            fuzz_eval_compared++;
            fuzz_run_into(&a, records, n, 4096, 4096, 4096, 0, &ra);
            fuzz_run_into(&b, records, n, 4096, 4096, 4096, 0, &rb);
            FUZZ_CHECK(ra.records_out == rb.records_out);
            FUZZ_CHECK(ra.dropped == rb.dropped);
            FUZZ_CHECK(ra.rejected == rb.rejected);
            jp_buf la = {0}, lb = {0};
            error_lines(&ra.err, &la);
            error_lines(&rb.err, &lb);
            FUZZ_CHECK(la.len == lb.len && (la.len == 0 || memcmp(la.data, lb.data, la.len) == 0));
            jp_buf_free(&la);
            jp_buf_free(&lb);
            fuzz_result_free(&ra);
            fuzz_result_free(&rb);
            jp_chain_free(&b);
        }
        jp_chain_free(&a);
    }
    free(stmt);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size);
    size_t elen = nl ? (size_t)(nl - data) : size;
    char *prog = malloc(elen + 1);
    memcpy(prog, data, elen);
    prog[elen] = '\0';
    size_t skip = nl ? elen + 1 : size;

    if (strlen(prog) == elen) {
        const char *statements[] = {"eval", prog, NULL};
        jp_chain c;
        if (fuzz_chain(&c, statements) == 0) {
            fuzz_run(&c, data + skip, size - skip, 4096, 4096, 4096, 0);
            jp_chain_free(&c);
        }
        if (all_objects(data + skip, size - skip) && !strstr(prog, "now"))
            agree(prog, data + skip, size - skip);
    }
    free(prog);
    return 0;
}
