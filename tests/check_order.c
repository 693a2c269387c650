/* check_order.c: output order is input order, whatever order batches finish
 * in: the reorder ring, the worker pool, and a whole engine run. */
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "chain.h"
#include "check_suites.h"
#include "engine.h"
#include "files.h"
#include "order.h"
#include "pool.h"

static jp_batch *batch_with_seq(uint64_t seq)
{
    jp_batch *b = jp_batch_new(16);
    b->seq = seq;
    return b;
}

START_TEST(ring_restores_order_from_random_completion)
{
    enum { N = 5000, CAP = 19 };
    jp_order o;
    jp_order_init(&o, CAP);
    srand(42);
    uint64_t issued = 0, expect = 0;
    uint64_t inflight[CAP];
    int ninflight = 0, out_of_order = 0;
    while (expect < N) {
        /* Issue while there is room (in flight = issued but not popped). */
        while (issued < N && issued - expect < CAP && ninflight < CAP && rand() % 2)
            inflight[ninflight++] = issued++;
        if (ninflight == 0) {
            if (issued < N)
                inflight[ninflight++] = issued++;
            else
                break;
        }
        int k = rand() % ninflight; /* a random one finishes */
        if (inflight[k] != expect)
            out_of_order++;
        jp_order_put(&o, batch_with_seq(inflight[k]));
        inflight[k] = inflight[--ninflight];
        jp_batch *b;
        while ((b = jp_order_pop(&o))) {
            ck_assert_uint_eq(b->seq, expect);
            expect++;
            jp_batch_free(b);
        }
    }
    ck_assert_uint_eq(expect, N);
    ck_assert_int_gt(out_of_order, N / 4); /* the test did exercise reordering */
    jp_order_free(&o);
}
END_TEST

START_TEST(ring_grows_for_a_batch_beyond_it)
{
    /* 3 slots, 100 batches out at once, finishing last to first. */
    jp_order o;
    jp_order_init(&o, 3);
    ck_assert_ptr_null(jp_order_pop(&o));
    for (uint64_t seq = 100; seq-- > 1;)
        jp_order_put(&o, batch_with_seq(seq));
    ck_assert_ptr_null(jp_order_pop(&o));
    jp_order_put(&o, batch_with_seq(0));
    for (uint64_t seq = 0; seq < 100; seq++) {
        jp_batch *b = jp_order_pop(&o);
        ck_assert_ptr_nonnull(b);
        ck_assert_uint_eq(b->seq, seq);
        jp_batch_free(b);
    }
    ck_assert_ptr_null(jp_order_pop(&o));
    jp_order_free(&o);
}
END_TEST

/* Pool work: early batches sleep longest, so they finish last. */
static void *no_state(void *ctx) { return ctx; }
static void no_fini(void *state) {}
static void no_notify(void *ctx) {}
static void slow_first(void *state, jp_batch *b) { usleep((useconds_t)(2000 * (8 - b->seq % 8))); }

START_TEST(pool_with_many_threads_returns_every_batch)
{
    enum { N = 200 };
    jp_pool_hooks h = {no_state, slow_first, no_fini, no_notify, NULL};
    jp_pool *p = jp_pool_new(8, &h);
    for (uint64_t i = 0; i < N; i++)
        jp_pool_submit(p, batch_with_seq(i));

    jp_order o;
    jp_order_init(&o, N);
    uint64_t expect = 0;
    int out_of_order = 0;
    while (expect < N) {
        jp_batch *b = jp_pool_take_done(p);
        if (!b)
            usleep(1000);
        for (jp_batch *next; b; b = next) {
            next = b->next;
            if (b->seq != expect)
                out_of_order++;
            jp_order_put(&o, b);
        }
        while ((b = jp_order_pop(&o))) {
            ck_assert_uint_eq(b->seq, expect++);
            jp_batch_free(b);
        }
    }
    ck_assert_int_gt(out_of_order, 0);
    jp_pool_free(p);
    jp_order_free(&o);
}
END_TEST

/* Threads start as batches wait for them: none for no work, and one more
 * only while every thread is busy. Each batch here holds its thread until
 * released. */
static atomic_int started, running, released;
static void *count_start(void *ctx)
{
    atomic_fetch_add(&started, 1);
    return ctx;
}
static void hold(void *state, jp_batch *b)
{
    atomic_fetch_add(&running, 1);
    while (!atomic_load(&released))
        usleep(1000);
}
static void wait_running(int n)
{
    for (int i = 0; i < 10000 && atomic_load(&running) < n; i++)
        usleep(1000);
    ck_assert_int_eq(atomic_load(&running), n);
}

START_TEST(pool_starts_threads_as_batches_wait)
{
    jp_pool_hooks h = {count_start, hold, no_fini, no_notify, NULL};
    jp_pool_free(jp_pool_new(4, &h));
    ck_assert_int_eq(atomic_load(&started), 0);

    jp_pool *p = jp_pool_new(4, &h);
    jp_pool_submit(p, batch_with_seq(0));
    wait_running(1);
    jp_pool_submit(p, batch_with_seq(1));
    wait_running(2);
    atomic_store(&released, 1);
    for (int got = 0; got < 2;) {
        jp_batch *b = jp_pool_take_done(p);
        if (!b)
            usleep(1000);
        for (jp_batch *next; b; b = next, got++) {
            next = b->next;
            jp_batch_free(b);
        }
    }
    jp_pool_free(p);
    ck_assert_int_eq(atomic_load(&started), 2);
}
END_TEST

/* A processor that takes a random time per record, so batches finish in a
 * random order in a real run. */
static void *jitter_create(const char *arg, jp_setup *setup, char *err, size_t errlen)
{
    static int self;
    return &self;
}
static jp_verdict jitter_process(const void *self, void *local, jp_record *rec)
{
    if (rand() % 50 == 0)
        usleep((useconds_t)(rand() % 3000));
    return JP_PASS;
}
static void jitter_destroy(void *self) {}
static const jp_processor_type jitter = {
    .name = "jitter",
    .metavar = "",
    .help = "sleeps at random",
    .cpu_heavy = 1,
    .create = jitter_create,
    .process = jitter_process,
    .destroy = jitter_destroy,
};

START_TEST(engine_output_order_is_input_order)
{
    char in[] = "/tmp/jsonpipe-order-in-XXXXXX", out[] = "/tmp/jsonpipe-order-out-XXXXXX";
    int fd = mkstemp(in);
    FILE *f = fdopen(fd, "w");
    jp_buf expected = {0};
    for (int i = 1; i <= 20000; i++) {
        fprintf(f, "{\"n\":%d,\"pad\":\"%0*d\"}\n", i, i % 40, 0);
        jp_buf_printf(&expected, "{\"n\":%d,\"pad\":\"%0*d\"}\n", i, i % 40, 0);
    }
    fclose(f);
    close(mkstemp(out));

    jp_chain chain;
    jp_chain_init(&chain, 64);
    char err[64];
    ck_assert_int_eq(jp_chain_add(&chain, &jitter, "", err, sizeof err), 0);
    char *inputs[] = {in};
    jp_config cfg = {.inputs = inputs, .ninputs = 1, .output = out, .threads = 8,
                     .batch_size = 4096, .max_memory = 1 << 20, .max_line = 1024};
    jp_outputs outputs;
    ck_assert_int_eq(jp_outputs_open(&outputs, &cfg), 0);
    jp_totals t;
    jp_engine_run(&cfg, &chain, &t);
    ck_assert_int_eq(jp_outputs_close(&outputs, JP_OUTPUTS_COMMIT), 0);
    ck_assert_uint_eq(t.records_in, 20000);
    ck_assert_uint_eq(t.records_out, 20000);
    ck_assert_int_eq(jp_engine_exit_status(&t, &cfg.max_rejects), 0);

    FILE *g = fopen(out, "rb");
    char *got = malloc(expected.len + 1);
    size_t n = fread(got, 1, expected.len + 1, g);
    fclose(g);
    ck_assert_uint_eq(n, expected.len);
    ck_assert(memcmp(got, expected.data, n) == 0);

    free(got);
    free(t.stages);
    jp_buf_free(&expected);
    jp_chain_free(&chain);
    unlink(in);
    unlink(out);
}
END_TEST

Suite *order_suite(void)
{
    Suite *s = suite_create("order");
    TCase *tc = tcase_create("order");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, ring_restores_order_from_random_completion);
    tcase_add_test(tc, ring_grows_for_a_batch_beyond_it);
    tcase_add_test(tc, pool_with_many_threads_returns_every_batch);
    tcase_add_test(tc, pool_starts_threads_as_batches_wait);
    tcase_add_test(tc, engine_output_order_is_input_order);
    suite_add_tcase(s, tc);
    return s;
}
