/* check_header.c: the run's columns and header row (header.c) with several
 * threads: batches that finish out of order, the first one's records
 * rejected, rows taken back, no header row, a stopped run, and many
 * batches at random against a model that reads them in order. */
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "check_suites.h"
#include "header.h"
#include "pool.h"

static const jp_format CSV = {JP_TO_CSV, 1, 0};

/* What the threads did, in order: "1 first a" (batch 1 got the columns a,
 * and is first), "0 done", ... */
static jp_buf events;
static pthread_mutex_t events_lock = PTHREAD_MUTEX_INITIALIZER;

static void event(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void event(const char *fmt, ...)
{
    pthread_mutex_lock(&events_lock);
    va_list ap;
    va_start(ap, fmt);
    jp_buf_vprintf(&events, fmt, ap);
    va_end(ap);
    jp_buf_putc(&events, ' ');
    pthread_mutex_unlock(&events_lock);
}

static size_t events_told(void)
{
    pthread_mutex_lock(&events_lock);
    size_t n = events.len;
    pthread_mutex_unlock(&events_lock);
    return n;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* One batch, as a worker would run it: after ask_ms it asks for the
 * columns for rec (none when NULL), after done_ms it ends, holding the
 * header row when it was told it is first and carries says so. */
typedef struct batch_script {
    jp_header *h;
    uint64_t seq;
    int ask_ms;
    const char *rec;
    int done_ms;
    int carries;
} batch_script;

/* The columns as their header row, without its newline. */
static void columns_text(const jp_columns *c, char *out, size_t outlen)
{
    jp_buf b = {0};
    if (c) {
        jp_format_header(&CSV, c, &b);
        b.len--;
    } else {
        jp_buf_puts(&b, "none");
    }
    snprintf(out, outlen, "%.*s", (int)b.len, b.data);
    jp_buf_free(&b);
}

static void *run_batch(void *arg)
{
    batch_script *s = arg;
    int first = 0;
    sleep_ms(s->ask_ms);
    if (s->rec) {
        const jp_columns *c = jp_header_columns(s->h, s->seq, s->rec, strlen(s->rec), &first);
        char cols[64];
        columns_text(c, cols, sizeof cols);
        event("%d %s %s", (int)s->seq, first ? "first" : "asked", cols);
    }
    sleep_ms(s->done_ms);
    event("%d done", (int)s->seq);
    jp_header_done(s->h, s->seq, first && s->carries);
    return NULL;
}

static void run_batches(batch_script *s, int n)
{
    events.len = 0;
    pthread_t t[8];
    for (int i = 0; i < n; i++)
        pthread_create(&t[i], NULL, run_batch, &s[i]);
    for (int i = 0; i < n; i++)
        pthread_join(t[i], NULL);
    jp_buf_putc(&events, '\0');
}

START_TEST(batches_finishing_out_of_order)
{
    /* Batch 0's only record is no object and it ends last but one; batch
     * 1's object fixes the columns; batch 2 waits for batch 1 to end,
     * then keeps batch 1's columns; batch 3 has no row and ends first. */
    jp_header *h = jp_header_new(NULL, 1);
    batch_script s[] = {
        {h, 0, 0, "[1]", 300, 1},
        {h, 1, 60, "{\"a\":1}", 150, 1},
        {h, 2, 90, "{\"b\":2}", 0, 1},
        {h, 3, 30, NULL, 0, 1},
    };
    run_batches(s, 4);
    ck_assert_str_eq(events.data, "0 asked none 3 done 0 done 1 first a 1 done 2 asked a 2 done ");
    char cols[64];
    columns_text(jp_header_fixed(h), cols, sizeof cols);
    ck_assert_str_eq(cols, "a");
    jp_header_free(h);
}
END_TEST

START_TEST(a_batch_whose_rows_were_taken_back_does_not_hold_the_header)
{
    /* Given columns: batch 0 has no row; batch 1 is first but ends
     * without the header (its rows were rejected); so batch 2 is first,
     * and batch 3 waits for it to end. */
    char err[64];
    jp_header *h = jp_header_new(jp_columns_from_paths("id", "x", err, sizeof err), 1);
    batch_script s[] = {
        {h, 0, 50, NULL, 0, 1},
        {h, 1, 0, "{\"id\":1}", 100, 0},
        {h, 2, 10, "{\"id\":2}", 100, 1},
        {h, 3, 20, "{\"id\":3}", 0, 1},
    };
    run_batches(s, 4);
    ck_assert_str_eq(events.data,
                     "0 done 1 first id 1 done 2 first id 2 done 3 asked id 3 done ");
    jp_header_free(h);
}
END_TEST

START_TEST(without_a_header_row_only_the_columns_are_waited_for)
{
    /* Columns given: nothing waits at all. */
    char err[64];
    jp_header *h = jp_header_new(jp_columns_from_paths("id", "x", err, sizeof err), 0);
    int first = 1;
    ck_assert_ptr_nonnull(jp_header_columns(h, 7, "{}", 2, &first));
    ck_assert_int_eq(first, 0);
    jp_header_free(h);

    /* Columns of the first record: batch 1 goes on once batch 0 has
     * fixed them, long before batch 0 ends. */
    h = jp_header_new(NULL, 0);
    batch_script s[] = {
        {h, 0, 0, "{\"k\":1}", 200, 1},
        {h, 1, 20, "{\"k\":2}", 0, 1},
    };
    run_batches(s, 2);
    ck_assert_str_eq(events.data, "0 asked k 1 asked k 1 done 0 done ");
    jp_header_free(h);
}
END_TEST

static void *no_thread(void *ctx)
{
    return ctx;
}

static void no_work(void *state, jp_batch *b)
{
}

static void no_fini(void *state)
{
}

static void no_notify(void *ctx)
{
}

START_TEST(a_stopped_run_ends_the_waits)
{
    /* Batch 0 never ends (a batch taken after the stop is not run). */
    jp_pool_hooks hooks = {no_thread, no_work, no_fini, no_notify, NULL};
    jp_pool *p = jp_pool_new(1, &hooks);
    jp_header *h = jp_header_new(NULL, 1);
    batch_script s[] = {{h, 3, 0, "{\"a\":1}", 0, 1}};
    events.len = 0;
    pthread_t t;
    pthread_create(&t, NULL, run_batch, &s[0]);
    sleep_ms(50);
    ck_assert_uint_eq(events_told(), 0); /* still waiting */
    jp_pool_cancel(p);
    pthread_join(t, NULL);
    jp_buf_putc(&events, '\0');
    ck_assert_str_eq(events.data, "3 asked none 3 done ");

    jp_buf out = {0};
    jp_format_scratch scratch = {0};
    size_t header_end = 0;
    char why[64];
    ck_assert_int_eq(jp_header_row(h, &CSV, 4, "{\"a\":1}", 7, &scratch, &out, &header_end, why,
                                   sizeof why),
                     0);
    ck_assert_uint_eq(out.len, 0);
    jp_header_free(h);
    jp_pool_free(p);
    jp_pool_free(jp_pool_new(1, &hooks)); /* not stopped any more */
}
END_TEST

/* Many batches on several threads, taken in order as the pool takes them,
 * each of a few records: objects with the key a or b, and arrays. The
 * first object fixes the column; records with the other key are rejected.
 * The batches' outputs, in order, must be what reading them in order
 * gives. */
#define NBATCHES 300
#define PER_BATCH 3

typedef struct stress {
    jp_header *h;
    atomic_int next;
    char recs[NBATCHES][PER_BATCH][16];
    jp_buf out[NBATCHES];
} stress;

static void *stress_worker(void *arg)
{
    stress *st = arg;
    jp_format_scratch scratch = {0};
    int seq;
    while ((seq = atomic_fetch_add(&st->next, 1)) < NBATCHES) {
        size_t header_end = 0;
        for (int i = 0; i < PER_BATCH; i++) {
            const char *rec = st->recs[seq][i];
            char why[128];
            if (!*rec)
                continue;
            if (rand() % 4 == 0)
                usleep((useconds_t)(rand() % 300));
            jp_header_row(st->h, &CSV, (uint64_t)seq, rec, strlen(rec), &scratch, &st->out[seq],
                          &header_end, why, sizeof why);
        }
        jp_header_done(st->h, (uint64_t)seq, header_end > 0);
    }
    jp_format_scratch_free(&scratch);
    return NULL;
}

START_TEST(many_batches_at_random_match_the_order)
{
    static stress st;
    for (int round = 0; round < 10; round++) {
        srand((unsigned)round);
        memset(&st, 0, sizeof st);
        st.h = jp_header_new(NULL, 1);
        /* The first object comes late in some rounds. */
        int quiet = round * 20;
        jp_buf want = {0};
        char key = 0;
        for (int b = 0; b < NBATCHES; b++)
            for (int i = 0; i < PER_BATCH; i++) {
                int kind = b < quiet ? rand() % 2 * 2 : rand() % 4;
                int n = b * PER_BATCH + i;
                if (kind == 0)
                    continue; /* no record (dropped before the output) */
                if (kind == 2) {
                    snprintf(st.recs[b][i], 16, "[%d]", n);
                    continue;
                }
                char k = kind == 1 ? 'a' : 'b';
                snprintf(st.recs[b][i], 16, "{\"%c\":%d}", k, n);
                if (!key) {
                    key = k;
                    jp_buf_printf(&want, "%c\n", k);
                }
                if (k == key)
                    jp_buf_printf(&want, "%d\n", n);
            }
        pthread_t t[4];
        for (int i = 0; i < 4; i++)
            pthread_create(&t[i], NULL, stress_worker, &st);
        for (int i = 0; i < 4; i++)
            pthread_join(t[i], NULL);
        jp_buf got = {0};
        for (int b = 0; b < NBATCHES; b++) {
            jp_buf_append(&got, st.out[b].data, st.out[b].len);
            jp_buf_free(&st.out[b]);
        }
        jp_buf_putc(&got, '\0');
        jp_buf_putc(&want, '\0');
        ck_assert_str_eq(got.data, want.data);
        jp_buf_free(&got);
        jp_buf_free(&want);
        jp_header_free(st.h);
    }
}
END_TEST

Suite *header_suite(void)
{
    Suite *s = suite_create("header");
    TCase *t = tcase_create("order");
    tcase_set_timeout(t, 30);
    tcase_add_test(t, batches_finishing_out_of_order);
    tcase_add_test(t, a_batch_whose_rows_were_taken_back_does_not_hold_the_header);
    tcase_add_test(t, without_a_header_row_only_the_columns_are_waited_for);
    tcase_add_test(t, a_stopped_run_ends_the_waits);
    tcase_add_test(t, many_batches_at_random_match_the_order);
    suite_add_tcase(s, t);
    return s;
}
