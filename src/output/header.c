/* header.c: the run's columns and header row, settled in output order.
 *
 * Why a wait always ends: the loop thread numbers batches (seq) as it
 * submits them, and the pool's threads take them from one FIFO queue
 * (pool.c), so when batch seq runs, every batch before it has been taken
 * too: it is running or done. The lowest batch that has not ended (next)
 * never waits, so it ends, and next moves on; every wait is for batches
 * before the waiter's, hence for ones that end. The one exception is a
 * stopped run: a batch taken after jp_pool_cancel is never run and never
 * ends, so a wait rechecks jp_pool_cancelled() at short intervals. */
#include "header.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "pool.h"

struct jp_header {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    jp_columns *cols;      /* NULL until fixed; then read-only */
    int header_row;        /* a header row is wanted */
    int carried;           /* an ended batch holds the header row */
    uint64_t next;         /* the first batch that has not ended */
    uint64_t *ended;       /* batches after next that have ended, in no order */
    size_t nended, ended_cap;
    /* The columns are fixed and no header row is still to be placed:
     * from then on nothing is read but cols, without the lock. */
    atomic_int settled;
};

/* With the lock held. */
static void settle(jp_header *h)
{
    if (h->cols && (h->carried || !h->header_row))
        atomic_store_explicit(&h->settled, 1, memory_order_release);
}

jp_header *jp_header_new(jp_columns *cols, int header_row)
{
    jp_header *h = jp_xcalloc(1, sizeof *h);
    pthread_mutex_init(&h->lock, NULL);
    jp_pool_cond_init(&h->changed);
    h->cols = cols;
    h->header_row = header_row;
    settle(h);
    return h;
}

void jp_header_free(jp_header *h)
{
    if (!h)
        return;
    pthread_mutex_destroy(&h->lock);
    pthread_cond_destroy(&h->changed);
    jp_columns_free(h->cols);
    free(h->ended);
    free(h);
}

static int settled(jp_header *h)
{
    return atomic_load_explicit(&h->settled, memory_order_acquire);
}

/* With the lock held: until batch seq is the first not ended, or nothing
 * is left to wait for. 0 when the run was stopped first. */
static int wait_turn(jp_header *h, uint64_t seq)
{
    while (seq != h->next && !settled(h)) {
        if (jp_pool_cancelled())
            return 0;
        jp_pool_wait_a_while(&h->changed, &h->lock);
    }
    return 1;
}

const jp_columns *jp_header_columns(jp_header *h, uint64_t seq, const char *rec, size_t len,
                                    int *first)
{
    *first = 0;
    if (settled(h))
        return h->cols;
    pthread_mutex_lock(&h->lock);
    const jp_columns *cols = NULL;
    if (wait_turn(h, seq)) {
        /* Not settled here means no batch before seq is left: rec is the
         * first record of the run to reach the output as an object, or
         * the columns came before it and the header is still to place. */
        if (!h->cols && (h->cols = jp_columns_from_record(rec, len))) {
            settle(h);
            pthread_cond_broadcast(&h->changed);
        }
        cols = h->cols;
        *first = cols && h->header_row && !h->carried;
    }
    pthread_mutex_unlock(&h->lock);
    return cols;
}

/* With the lock held: whether seq is among the ended batches after next,
 * taking it out if so. */
static int take_ended(jp_header *h, uint64_t seq)
{
    for (size_t i = 0; i < h->nended; i++)
        if (h->ended[i] == seq) {
            h->ended[i] = h->ended[--h->nended];
            return 1;
        }
    return 0;
}

void jp_header_done(jp_header *h, uint64_t seq, int carried)
{
    if (settled(h))
        return;
    pthread_mutex_lock(&h->lock);
    h->carried |= carried;
    if (seq == h->next) {
        do
            h->next++;
        while (take_ended(h, h->next));
    } else {
        if (h->nended == h->ended_cap) {
            h->ended_cap = h->ended_cap ? 2 * h->ended_cap : 16;
            h->ended = jp_xrealloc(h->ended, h->ended_cap * sizeof *h->ended);
        }
        h->ended[h->nended++] = seq;
    }
    settle(h);
    pthread_cond_broadcast(&h->changed);
    pthread_mutex_unlock(&h->lock);
}

const jp_columns *jp_header_fixed(jp_header *h)
{
    pthread_mutex_lock(&h->lock);
    const jp_columns *cols = h->cols;
    pthread_mutex_unlock(&h->lock);
    return cols;
}

int jp_header_row(jp_header *h, const jp_format *f, uint64_t seq, const char *rec, size_t len,
                  jp_format_scratch *s, jp_buf *out, size_t *header_end, char *why,
                  size_t whylen)
{
    int first;
    const jp_columns *cols = jp_header_columns(h, seq, rec, len, &first);
    if (!cols && jp_pool_cancelled())
        return 0;
    size_t at = out->len;
    int put = first && !*header_end;
    if (put)
        jp_format_header(f, cols, out);
    size_t row_at = out->len;
    if (jp_format_row(f, cols, rec, len, s, out, why, whylen) < 0) {
        out->len = at;
        return -1;
    }
    if (put)
        *header_end = row_at;
    return 1;
}
