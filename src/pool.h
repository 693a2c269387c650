/* pool.h: the worker threads that do the CPU work.
 *
 * A pool of our own rather than libuv's: libuv's threadpool is one FIFO that
 * its file reads and writes share, so parsing jobs there would make I/O wait
 * behind them. Batches go in with jp_pool_submit (loop thread), come out in
 * completion order through jp_pool_take_done (loop thread), and notify() is
 * called from the worker after each one so the loop can wake up.
 *
 * Threads are started by jp_pool_submit, one whenever a batch would wait
 * with every thread busy, up to the number given: an empty run starts
 * none, a small input only as many as it keeps busy. Each thread makes its
 * own state with init() on start and frees it with fini() on exit, so
 * per-thread parsers are made on the thread using them. */
#ifndef JP_POOL_H
#define JP_POOL_H

#include <pthread.h>

#include "batch.h"

typedef struct jp_pool_hooks {
    void *(*init)(void *ctx);
    void (*work)(void *state, jp_batch *b);
    void (*fini)(void *state);
    void (*notify)(void *ctx); /* called on the worker thread */
    void *ctx;
} jp_pool_hooks;

typedef struct jp_pool jp_pool;

/* At most threads threads; none is started here. */
jp_pool *jp_pool_new(int threads, const jp_pool_hooks *hooks);
void jp_pool_submit(jp_pool *p, jp_batch *b);
/* Finished batches, linked through next, oldest first; NULL if none. */
jp_batch *jp_pool_take_done(jp_pool *p);
/* Waits for the threads to finish their current batch and exit. */
void jp_pool_free(jp_pool *p);

/* The most threads this pool runs: the number given, or fewer once a
 * thread could not be started. */
int jp_pool_threads(jp_pool *p);

/* Stops the work: batches not started are not run, and evaluation under
 * way gives up at its next check of jp_pool_cancelled(). Every batch that
 * a cancel may have touched comes back with cancelled set. Loop thread. */
void jp_pool_cancel(jp_pool *p);

/* Whether the run is being stopped: long evaluations (a schema, a regex
 * loop) check this, and give up, at their budget's check points. Any
 * thread. */
int jp_pool_cancelled(void);

/* For a worker that waits for another (header.h, linemark.h) and must
 * notice a cancel meanwhile: cond gets CLOCK_MONOTONIC, the clock that
 * jp_pool_wait_a_while() waits by. */
void jp_pool_cond_init(pthread_cond_t *cond);
/* Waits on cond, with lock held, for a wakeup or for as long as a check
 * of jp_pool_cancelled() may be put off (20 ms). */
void jp_pool_wait_a_while(pthread_cond_t *cond, pthread_mutex_t *lock);

#endif
