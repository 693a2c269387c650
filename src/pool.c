/* pool.c: worker threads with a locked job queue and a locked done queue. */
#include "pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "report.h"

struct jp_pool {
    jp_pool_hooks hooks;
    pthread_t *threads;
    int nthreads, max_threads;
    int idle;              /* started and not running a batch */
    size_t queued;         /* batches in todo */
    pthread_mutex_t lock;
    pthread_cond_t more;
    jp_batch *todo, **todo_tail;
    jp_batch *done, **done_tail;
    int stopping;
};

/* One run per process: the flag is global so that a processor can read it
 * without knowing the pool. */
static atomic_int cancelled;

int jp_pool_cancelled(void)
{
    return atomic_load_explicit(&cancelled, memory_order_relaxed);
}

void jp_pool_cancel(jp_pool *p)
{
    (void)p;
    atomic_store(&cancelled, 1);
}

void jp_pool_cond_init(pthread_cond_t *cond)
{
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(cond, &attr);
    pthread_condattr_destroy(&attr);
}

#define CANCEL_CHECK_NS 20000000L

void jp_pool_wait_a_while(pthread_cond_t *cond, pthread_mutex_t *lock)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_nsec += CANCEL_CHECK_NS;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(cond, lock, &until);
}

static void *worker(void *arg)
{
    jp_pool *p = arg;
    void *state = p->hooks.init(p->hooks.ctx);

    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (!p->todo && !p->stopping)
            pthread_cond_wait(&p->more, &p->lock);
        if (!p->todo)
            break;
        jp_batch *b = p->todo;
        p->todo = b->next;
        if (!p->todo)
            p->todo_tail = &p->todo;
        p->queued--;
        p->idle--;
        pthread_mutex_unlock(&p->lock);

        b->next = NULL;
        if (!jp_pool_cancelled())
            p->hooks.work(state, b);
        /* Checked after the work: a cancel during it may have cut it short. */
        b->cancelled = jp_pool_cancelled();

        pthread_mutex_lock(&p->lock);
        *p->done_tail = b;
        p->done_tail = &b->next;
        pthread_mutex_unlock(&p->lock);
        p->hooks.notify(p->hooks.ctx);
        pthread_mutex_lock(&p->lock);
        p->idle++;
    }
    pthread_mutex_unlock(&p->lock);
    p->hooks.fini(state);
    return NULL;
}

/* 16 MB: room for the deepest program and schema the limits let in. */
#define JP_POOL_STACK ((size_t)16 << 20)

jp_pool *jp_pool_new(int threads, const jp_pool_hooks *hooks)
{
    jp_pool *p = jp_xcalloc(1, sizeof *p);
    p->hooks = *hooks;
    p->todo_tail = &p->todo;
    p->done_tail = &p->done;
    atomic_store(&cancelled, 0);
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->more, NULL);
    p->threads = jp_xcalloc((size_t)threads, sizeof *p->threads);
    p->max_threads = threads;
    return p;
}

/* One more thread, with p->lock held. A thread that cannot be made leaves
 * the work to those there are; with none at all, nothing could be done. */
static void start_thread(jp_pool *p)
{
    /* The expression evaluator and the schema validator recurse as deep as
     * the programs they were given allow (thousands of levels): a worker's
     * stack is fixed here, not left to whatever ulimit -s says. */
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, JP_POOL_STACK);
    int err = pthread_create(&p->threads[p->nthreads], &attr, worker, p);
    pthread_attr_destroy(&attr);
    if (!err) {
        p->nthreads++;
        p->idle++;
        return;
    }
    if (!p->nthreads) {
        jp_report_error("cannot start a worker thread: %s", jp_report_syserr(err));
        abort();
    }
    p->max_threads = p->nthreads;
}

void jp_pool_submit(jp_pool *p, jp_batch *b)
{
    b->next = NULL;
    pthread_mutex_lock(&p->lock);
    *p->todo_tail = b;
    p->todo_tail = &b->next;
    p->queued++;
    /* Threads start as the work needs them: an empty run starts none, and
     * a small input no more than its batches keep busy. */
    if (p->queued > (size_t)p->idle && p->nthreads < p->max_threads)
        start_thread(p);
    pthread_cond_signal(&p->more);
    pthread_mutex_unlock(&p->lock);
}

jp_batch *jp_pool_take_done(jp_pool *p)
{
    pthread_mutex_lock(&p->lock);
    jp_batch *list = p->done;
    p->done = NULL;
    p->done_tail = &p->done;
    pthread_mutex_unlock(&p->lock);
    return list;
}

int jp_pool_threads(jp_pool *p)
{
    pthread_mutex_lock(&p->lock);
    int n = p->max_threads;
    pthread_mutex_unlock(&p->lock);
    return n;
}

void jp_pool_free(jp_pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->stopping = 1;
    pthread_cond_broadcast(&p->more);
    pthread_mutex_unlock(&p->lock);
    for (int i = 0; i < p->nthreads; i++)
        pthread_join(p->threads[i], NULL);
    /* Anything left was never started or never collected. */
    for (jp_batch *b = p->todo, *n; b; b = n) {
        n = b->next;
        jp_batch_free(b);
    }
    for (jp_batch *b = p->done, *n; b; b = n) {
        n = b->next;
        jp_batch_free(b);
    }
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->more);
    free(p->threads);
    free(p);
}
