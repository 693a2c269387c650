/* check_chain.c: the engine's fan-out (JP_EXPAND) with processors made up
 * for the test: the stages after an expanding one run on each record it
 * makes, in order and one at a time; counts per stage, error records of
 * made records, drops, nested expansion, a made record that is not JSON,
 * and the cap on what one line may expand into; and the values of a
 * setting given more than once. */
#include <stdio.h>
#include <stdlib.h>

#include "chain.h"
#include "check_suites.h"

/* What the test processors did, in order, as "e1 n n x ...". */
static jp_buf trace;

/* "copies": --copies N makes N records {"k":I} from each record; N = 0
 * makes none; N < 0 makes one record that is not JSON. */
typedef struct copies_local {
    int made;
} copies_local;

static void *copies_create(const char *arg, jp_setup *setup, char *err, size_t errlen)
{
    int *n = jp_xmalloc(sizeof *n);
    *n = atoi(arg);
    return n;
}

static void *copies_local_new(const void *self)
{
    return jp_xcalloc(1, sizeof(copies_local));
}

static jp_verdict copies_process(const void *self, void *local, jp_record *rec)
{
    ((copies_local *)local)->made = 0;
    jp_buf_puts(&trace, "e ");
    return JP_EXPAND;
}

static int copies_next(const void *self, void *local, jp_buf *out)
{
    int n = *(const int *)self;
    copies_local *l = local;
    if (n < 0 && l->made++ == 0) {
        jp_buf_puts(out, "{\"k\":");
        return 1;
    }
    if (l->made >= n)
        return 0;
    jp_buf_printf(out, "{\"k\":%d}", l->made++);
    jp_buf_puts(&trace, "n ");
    return 1;
}

static const jp_processor_type copies = {
    .name = "copies", .metavar = "N", .help = "", .group = "reshape", .example = "",
    .create = copies_create, .local_new = copies_local_new, .local_free = free,
    .process = copies_process, .next = copies_next, .destroy = free,
};

/* "odd": rejects records whose k is odd, and says so in the trace. */
static void *odd_create(const char *arg, jp_setup *setup, char *err, size_t errlen)
{
    int *field = jp_xmalloc(sizeof *field);
    *field = jp_fields_add(setup->fields, "k", 1, err, errlen);
    return field;
}

static jp_verdict odd_process(const void *self, void *local, jp_record *rec)
{
    const jp_value *v = jp_record_get(rec, *(const int *)self);
    size_t len;
    const char *bytes = jp_record_bytes(rec, &len);
    int odd = v && v->type == JP_NUMBER && (bytes[v->end - 1] - '0') % 2;
    jp_buf_puts(&trace, odd ? "x " : "p ");
    return odd ? jp_reject(rec, "k is odd") : JP_PASS;
}

static const jp_processor_type odd = {
    .name = "odd", .metavar = "", .help = "", .group = "filter", .example = "",
    .create = odd_create, .process = odd_process, .destroy = free,
};

typedef struct run_result {
    jp_buf out, err;
    jp_stage_counts stages[4];
    uint64_t records_out, rejected, dropped;
} run_result;

/* Runs input through the stages (NULL-terminated types, with args), and
 * writes the records as rows when format is given (the columns of the
 * first record). */
static void run_as(const jp_format *format, const jp_processor_type *const *types,
                   const char *const *args, size_t max_fanout, const char *input, run_result *r)
{
    jp_chain c;
    char why[128];
    jp_chain_init(&c, 64);
    c.json_errors = 1;
    c.max_fanout = max_fanout;
    for (int i = 0; types[i]; i++)
        ck_assert_msg(jp_chain_add(&c, types[i], args[i], why, sizeof why) == 0, "%s", why);
    if (format) {
        c.format = *format;
        c.header = jp_header_new(NULL, format->header);
    }
    ck_assert_int_le(jp_chain_nstages(&c), 4);
    trace.len = 0;
    jp_chain_worker *w = jp_chain_worker_new(&c, NULL);
    jp_batch *b = jp_batch_new(strlen(input) + 1);
    memcpy(b->in, input, strlen(input));
    b->in_len = strlen(input);
    jp_batch_add_segment(b, 0, "in", 0, 0, NULL);
    jp_chain_run(w, b);
    r->out = b->out;
    r->err = b->err;
    jp_buf_putc(&r->out, '\0');
    jp_buf_putc(&r->err, '\0');
    jp_buf_putc(&trace, '\0');
    memset(r->stages, 0, sizeof r->stages);
    memcpy(r->stages, b->stages, (size_t)b->nstages * sizeof *b->stages);
    r->records_out = b->records_out;
    r->rejected = b->rejected;
    r->dropped = b->dropped;
    b->out = (jp_buf){0};
    b->err = (jp_buf){0};
    jp_batch_free(b);
    jp_chain_worker_free(w);
    jp_chain_free(&c);
}

static void run(const jp_processor_type *const *types, const char *const *args, size_t max_fanout,
                const char *input, run_result *r)
{
    run_as(NULL, types, args, max_fanout, input, r);
}

static void result_free(run_result *r)
{
    jp_buf_free(&r->out);
    jp_buf_free(&r->err);
}

static void counts_are(const jp_stage_counts *s, uint64_t in, uint64_t out, uint64_t rejected,
                       uint64_t dropped)
{
    ck_assert_uint_eq(s->in, in);
    ck_assert_uint_eq(s->out, out);
    ck_assert_uint_eq(s->rejected, rejected);
    ck_assert_uint_eq(s->dropped, dropped);
}

START_TEST(later_stages_run_on_each_made_record_in_turn)
{
    run_result r;
    run((const jp_processor_type *[]){&copies, &odd, NULL}, (const char *[]){"4", ""},
        SIZE_MAX, "{\"a\":1}\n{\"b\":2}\n", &r);
    ck_assert_str_eq(r.out.data, "{\"k\":0}\n{\"k\":2}\n{\"k\":0}\n{\"k\":2}\n");
    /* The next record is asked for only once the stages after are done
     * with the one before: never more than one at a time. */
    ck_assert_str_eq(trace.data, "e n p n x n p n x e n p n x n p n x ");
    ck_assert_str_eq(r.err.data,
                     "{\"file\":\"in\",\"line\":1,\"offset\":0,\"stage\":\"odd\",\"error\":\"k is odd\",\"record\":\"{\\\"k\\\":1}\"}\n"
                     "{\"file\":\"in\",\"line\":1,\"offset\":0,\"stage\":\"odd\",\"error\":\"k is odd\",\"record\":\"{\\\"k\\\":3}\"}\n"
                     "{\"file\":\"in\",\"line\":2,\"offset\":8,\"stage\":\"odd\",\"error\":\"k is odd\",\"record\":\"{\\\"k\\\":1}\"}\n"
                     "{\"file\":\"in\",\"line\":2,\"offset\":8,\"stage\":\"odd\",\"error\":\"k is odd\",\"record\":\"{\\\"k\\\":3}\"}\n");
    counts_are(&r.stages[0], 2, 2, 0, 0);
    counts_are(&r.stages[1], 2, 8, 0, 0);
    counts_are(&r.stages[2], 8, 4, 4, 0);
    ck_assert_uint_eq(r.records_out, 4);
    ck_assert_uint_eq(r.rejected, 4);
    result_free(&r);
}
END_TEST

START_TEST(none_made_is_a_drop)
{
    run_result r;
    run((const jp_processor_type *[]){&copies, &odd, NULL}, (const char *[]){"0", ""},
        SIZE_MAX, "{}\n", &r);
    ck_assert_str_eq(r.out.data, "");
    ck_assert_str_eq(r.err.data, "");
    counts_are(&r.stages[1], 1, 0, 0, 1);
    counts_are(&r.stages[2], 0, 0, 0, 0);
    ck_assert_uint_eq(r.dropped, 1);
    result_free(&r);
}
END_TEST

START_TEST(expansions_nest_into_a_cross_product)
{
    run_result r;
    run((const jp_processor_type *[]){&copies, &copies, &odd, NULL},
        (const char *[]){"2", "3", ""}, SIZE_MAX, "{}\n", &r);
    ck_assert_str_eq(r.out.data, "{\"k\":0}\n{\"k\":2}\n{\"k\":0}\n{\"k\":2}\n");
    ck_assert_str_eq(trace.data, "e n e n p n x n p n e n p n x n p ");
    counts_are(&r.stages[1], 1, 2, 0, 0);
    counts_are(&r.stages[2], 2, 6, 0, 0);
    counts_are(&r.stages[3], 6, 4, 2, 0);
    result_free(&r);
}
END_TEST

START_TEST(a_made_record_that_is_not_json_is_rejected_at_its_maker)
{
    run_result r;
    run((const jp_processor_type *[]){&copies, &odd, NULL}, (const char *[]){"-1", ""},
        SIZE_MAX, "{}\n", &r);
    ck_assert_str_eq(r.out.data, "");
    ck_assert_str_eq(r.err.data,
                     "{\"file\":\"in\",\"line\":1,\"offset\":0,\"stage\":\"copies\",\"error\":\"made a record that is not JSON: invalid JSON at column 6: unexpected end of line, expected a value\",\"record\":\"{\\\"k\\\":\"}\n");
    counts_are(&r.stages[1], 1, 0, 1, 0);
    counts_are(&r.stages[2], 0, 0, 0, 0);
    result_free(&r);
}
END_TEST

START_TEST(a_line_past_the_cap_is_taken_back_and_rejected)
{
    /* Each {"k":N}\n is 8 bytes, each error record far more: 3 records
     * and one rejection pass 100 bytes. The lines around it are kept. */
    run_result r;
    run((const jp_processor_type *[]){&copies, &odd, NULL}, (const char *[]){"4", ""}, 100,
        "{\"keep\":1}\n", &r);
    ck_assert_str_eq(r.out.data, "");
    ck_assert_str_eq(r.err.data,
                     "{\"file\":\"in\",\"line\":1,\"offset\":0,\"stage\":\"copies\",\"error\":\"expands into more than 100 of output (a quarter of --max-memory)\",\"record\":\"{\\\"keep\\\":1}\"}\n");
    counts_are(&r.stages[0], 1, 1, 0, 0);
    counts_are(&r.stages[1], 1, 0, 1, 0);
    counts_are(&r.stages[2], 0, 0, 0, 0);
    ck_assert_uint_eq(r.records_out, 0);
    ck_assert_uint_eq(r.rejected, 1);
    result_free(&r);

    run((const jp_processor_type *[]){&copies, NULL}, (const char *[]){"3"}, 24, "{}\n{}\n", &r);
    ck_assert_str_eq(r.out.data, "{\"k\":0}\n{\"k\":1}\n{\"k\":2}\n{\"k\":0}\n{\"k\":1}\n{\"k\":2}\n");
    ck_assert_str_eq(r.err.data, "");
    result_free(&r);
}
END_TEST

/* "fan": makes as many records {"k":I} as the record's "n" says; passes
 * a record without one. */
typedef struct fan_local {
    int n, made;
} fan_local;

static jp_verdict fan_process(const void *self, void *local, jp_record *rec)
{
    const jp_value *v = jp_record_get(rec, *(const int *)self);
    size_t len;
    const char *bytes = jp_record_bytes(rec, &len);
    fan_local *l = local;
    if (!v)
        return JP_PASS;
    l->n = atoi(bytes + v->start);
    l->made = 0;
    return JP_EXPAND;
}

static int fan_next(const void *self, void *local, jp_buf *out)
{
    fan_local *l = local;
    if (l->made == l->n)
        return 0;
    jp_buf_printf(out, "{\"k\":%d}", l->made++);
    return 1;
}

static void *fan_create(const char *arg, jp_setup *setup, char *err, size_t errlen)
{
    int *field = jp_xmalloc(sizeof *field);
    *field = jp_fields_add(setup->fields, "n", 1, err, errlen);
    return field;
}

static void *fan_local_new(const void *self)
{
    return jp_xcalloc(1, sizeof(fan_local));
}

static const jp_processor_type fan = {
    .name = "fan", .metavar = "", .help = "", .group = "reshape", .example = "",
    .create = fan_create, .local_new = fan_local_new, .local_free = free,
    .process = fan_process, .next = fan_next, .destroy = free,
};

START_TEST(rows_count_in_the_stage_output_and_a_line_given_up_takes_the_header_back)
{
    /* The first line makes more than the cap of 40 bytes: its rows and the
     * header before them are taken back, and the header comes again before
     * the next line's rows. A row that is not an object is rejected in
     * "output". */
    const jp_format csv = {JP_TO_CSV, 1, 0};
    run_result r;
    run_as(&csv, (const jp_processor_type *[]){&fan, NULL}, (const char *[]){""}, 40,
           "{\"n\":30}\n[1]\n{\"n\":2}\n", &r);
    ck_assert_str_eq(r.out.data, "k\n0\n1\n");
    ck_assert_str_eq(r.err.data,
                     "{\"file\":\"in\",\"line\":1,\"offset\":0,\"stage\":\"fan\",\"error\":\"expands into more than 40 of output (a quarter of --max-memory)\",\"record\":\"{\\\"n\\\":30}\"}\n"
                     "{\"file\":\"in\",\"line\":2,\"offset\":9,\"stage\":\"output\",\"error\":\"a CSV row needs an object, not an array\",\"record\":\"[1]\"}\n");
    counts_are(&r.stages[0], 3, 3, 0, 0);
    counts_are(&r.stages[1], 3, 3, 1, 0);
    counts_are(&r.stages[2], 3, 2, 1, 0);
    ck_assert_uint_eq(r.records_out, 2);
    ck_assert_uint_eq(r.rejected, 2);
    result_free(&r);
}
END_TEST

/* "seen": records in seen_values what create() got for its setting. */
static jp_buf seen_values;

static void *seen_create(const char *arg, jp_setup *setup, char *err, size_t errlen)
{
    jp_buf_printf(&seen_values, "last=%s all=", setup->setting_values[0] ? setup->setting_values[0] : "-");
    for (const char *const *v = setup->setting_lists[0]; v && *v; v++)
        jp_buf_printf(&seen_values, "%s,", *v);
    jp_buf_puts(&seen_values, setup->setting_lists[0] ? ";" : "none;");
    return jp_xmalloc(1);
}

static const jp_setting seen_settings[] = {{"seen-opt", "X", ""}, {NULL, NULL, NULL}};

static const jp_processor_type seen = {
    .name = "seen", .metavar = "X", .help = "", .group = "reshape", .example = "",
    .create = seen_create, .process = NULL, .destroy = free, .settings = seen_settings,
};

START_TEST(a_repeated_setting_gives_the_last_value_and_every_one_in_order)
{
    jp_chain c;
    char err[64];
    seen_values.len = 0;
    jp_chain_init(&c, 64);
    ck_assert_int_eq(jp_chain_add(&c, &seen, "x", err, sizeof err), 0);
    jp_chain_setting(&c, "seen-opt", "a");
    jp_chain_setting(&c, "seen-opt", "b");
    ck_assert_int_eq(jp_chain_add(&c, &seen, "x", err, sizeof err), 0);
    jp_buf_putc(&seen_values, '\0');
    ck_assert_str_eq(seen_values.data, "last=- all=none;last=b all=a,b,;");
    jp_chain_free(&c);
    jp_buf_free(&seen_values);
}
END_TEST

Suite *chain_suite(void)
{
    Suite *s = suite_create("chain");
    TCase *t = tcase_create("fan-out");
    tcase_add_test(t, later_stages_run_on_each_made_record_in_turn);
    tcase_add_test(t, none_made_is_a_drop);
    tcase_add_test(t, expansions_nest_into_a_cross_product);
    tcase_add_test(t, a_made_record_that_is_not_json_is_rejected_at_its_maker);
    tcase_add_test(t, a_line_past_the_cap_is_taken_back_and_rejected);
    tcase_add_test(t, rows_count_in_the_stage_output_and_a_line_given_up_takes_the_header_back);
    suite_add_tcase(s, t);
    TCase *settings = tcase_create("settings");
    tcase_add_test(settings, a_repeated_setting_gives_the_last_value_and_every_one_in_order);
    suite_add_tcase(s, settings);
    return s;
}
