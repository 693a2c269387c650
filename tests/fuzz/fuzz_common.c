/* fuzz_common.c: framing and running a chain for the fuzz targets, with the
 * invariants every run must keep (see fuzz.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_tree.h>

#include "batch.h"
#include "framer.h"
#include "framer_feed.h"
#include "fuzz.h"
#include "json.h"

void fuzz_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "%s:%d: invariant broken: %s\n", file, line, what);
    abort();
}

static const jp_processor_type *find(const char *name)
{
    for (int i = 0; jp_processors[i]; i++)
        if (strcmp(jp_processors[i]->name, name) == 0)
            return jp_processors[i];
    fuzz_fail(__FILE__, __LINE__, name);
    return NULL;
}

int fuzz_chain(jp_chain *c, const char *const *args)
{
    char why[512];
    jp_chain_init(c, 64);
    c->json_errors = 1;
    for (int i = 0; args[i]; i += 2)
        if (jp_chain_add(c, find(args[i]), args[i + 1], why, sizeof why) < 0) {
            FUZZ_CHECK(why[0] != '\0'); /* a refusal always says why */
            jp_chain_free(c);
            return -1;
        }
    return 0;
}

/* What the emitted batches added up to. */
typedef struct run {
    jp_chain_worker *worker;
    fuzz_result *res;
} run;

void fuzz_result_free(fuzz_result *r)
{
    jp_buf_free(&r->out);
    jp_buf_free(&r->err);
}

static void emitted(void *ctx, jp_batch *b)
{
    run *ru = ctx;
    fuzz_result *r = ru->res;
    jp_chain_run(ru->worker, b);
    FUZZ_CHECK(b->records_in == b->records_out + b->rejected + b->dropped);
    jp_buf_append(&r->out, b->out.data, b->out.len);
    jp_buf_append(&r->err, b->err.data, b->err.len);
    r->records_in += b->records_in;
    r->records_out += b->records_out;
    r->rejected += b->rejected;
    r->dropped += b->dropped;
    jp_batch_free(b);
}

/* Calls fn for each line of text, '\n' cut off; a '\r' before it is the
 * caller's to strip (--max-line counts it). */
static uint64_t each_line(const char *text, size_t len,
                          void (*fn)(void *ctx, const char *line, size_t n), void *ctx)
{
    uint64_t lines = 0;
    size_t at = 0;
    while (at < len) {
        const char *nl = memchr(text + at, '\n', len - at);
        size_t n = nl ? (size_t)(nl - (text + at)) : len - at;
        if (fn)
            fn(ctx, text + at, n);
        lines++;
        at += n + 1;
    }
    return lines;
}

typedef struct expect {
    jp_record *rec;
    jp_buf accepted;   /* lines the parser takes, each with its '\n' */
    uint64_t lines;
    uint64_t records;  /* lines that are not blank */
    size_t max_line;
} expect;

/* The line as jp_batch_next_line gives it. */
static size_t strip_cr(const char *line, size_t n)
{
    return n && line[n - 1] == '\r' ? n - 1 : n;
}

static void expect_line(void *ctx, const char *line, size_t raw)
{
    expect *e = ctx;
    size_t n = strip_cr(line, raw);
    int first = e->lines++ == 0;
    if (n == 0)
        return;
    if (raw > e->max_line) {
        e->records++; /* rejected whole, blank or not */
        return;
    }
    size_t bom = first ? jp_json_bom_len(line, n) : 0; /* dropped at the input's start */
    line += bom, n -= bom;
    if (jp_json_blank(line, n))
        return;
    e->records++;
    if (jp_record_parse(e->rec, line, n) == 0) {
        jp_buf_append(&e->accepted, line, n);
        jp_buf_putc(&e->accepted, '\n');
    }
}

static void output_line(void *ctx, const char *line, size_t n)
{
    /* Every record written is one valid JSON value on one line. */
    FUZZ_CHECK(jp_record_parse(ctx, line, strip_cr(line, n)) == 0);
}

static void error_line(void *ctx, const char *line, size_t n)
{
    char *text = jp_xmalloc(n + 1), why[256];
    memcpy(text, line, n);
    text[n] = '\0';
    yajl_val v = yajl_tree_parse(text, why, sizeof why);
    FUZZ_CHECK(v && YAJL_IS_OBJECT(v));
    const char *line_key[] = {"line", NULL}, *reason_key[] = {"error", NULL};
    FUZZ_CHECK(yajl_tree_get(v, line_key, yajl_t_number) != NULL);
    FUZZ_CHECK(yajl_tree_get(v, reason_key, yajl_t_string) != NULL);
    yajl_tree_free(v);
    free(text);
}

void fuzz_run(const jp_chain *c, const uint8_t *input, size_t len, size_t chunk,
              size_t batch_size, size_t max_line, int passthrough)
{
    fuzz_result res = {0};
    fuzz_run_into(c, input, len, chunk, batch_size, max_line, passthrough, &res);
    fuzz_result_free(&res);
}

void fuzz_run_into(const jp_chain *c, const uint8_t *input, size_t len, size_t chunk,
                   size_t batch_size, size_t max_line, int passthrough, fuzz_result *result)
{
    *result = (fuzz_result){0};
    run ru = {.worker = jp_chain_worker_new(c, NULL), .res = result};
    const fuzz_result *r = result;
    jp_framer f;
    jp_framer_init(&f, batch_size, max_line, emitted, &ru);
    jp_framer_begin(&f, "fuzz");
    framer_feed(&f, (const char *)input, len, chunk);
    FUZZ_CHECK(f.cur == NULL);

    expect e = {.rec = jp_record_new(&c->fields, c->max_depth, 0), .max_line = max_line};
    each_line((const char *)input, len, expect_line, &e);
    FUZZ_CHECK(r->records_in == e.records);
    FUZZ_CHECK(r->records_in == r->records_out + r->rejected + r->dropped);
    FUZZ_CHECK(each_line(r->out.data, r->out.len, output_line, e.rec) == r->records_out);
    FUZZ_CHECK(each_line(r->err.data, r->err.len, error_line, NULL) == r->rejected);
    FUZZ_CHECK(r->out.len == 0 || r->out.data[r->out.len - 1] == '\n');
    FUZZ_CHECK(r->err.len == 0 || r->err.data[r->err.len - 1] == '\n');
    if (passthrough)
        FUZZ_CHECK(r->out.len == e.accepted.len &&
                   (r->out.len == 0 || memcmp(r->out.data, e.accepted.data, r->out.len) == 0));

    jp_record_free(e.rec);
    jp_buf_free(&e.accepted);
    jp_chain_worker_free(ru.worker);
}
