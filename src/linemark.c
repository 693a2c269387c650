/* linemark.c: marks of line numbers set by one worker and waited for by
 * others.
 *
 * Waits are few and short (the batch that sets a mark was started before
 * the batch waiting for it), so every mark shares one lock and one
 * condition variable, and a mark already set costs one atomic load. */
#include "linemark.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "buf.h"
#include "pool.h"

struct jp_line_mark {
    atomic_int refs;
    atomic_int set;
    uint64_t lines; /* these two written before set, read after it */
    int unsure;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed;
static pthread_once_t changed_once = PTHREAD_ONCE_INIT;

static void init_changed(void)
{
    jp_pool_cond_init(&changed);
}

jp_line_mark *jp_line_mark_new(void)
{
    jp_line_mark *m = jp_xmalloc(sizeof *m);
    atomic_init(&m->refs, 1);
    atomic_init(&m->set, 0);
    m->lines = 0;
    m->unsure = 0;
    return m;
}

jp_line_mark *jp_line_mark_ref(jp_line_mark *m)
{
    atomic_fetch_add_explicit(&m->refs, 1, memory_order_relaxed);
    return m;
}

void jp_line_mark_unref(jp_line_mark *m)
{
    if (m && atomic_fetch_sub_explicit(&m->refs, 1, memory_order_acq_rel) == 1)
        free(m);
}

void jp_line_mark_set(jp_line_mark *m, uint64_t lines, int unsure)
{
    m->lines = lines;
    m->unsure = unsure;
    pthread_once(&changed_once, init_changed);
    pthread_mutex_lock(&lock);
    atomic_store_explicit(&m->set, 1, memory_order_release);
    pthread_cond_broadcast(&changed);
    pthread_mutex_unlock(&lock);
}

int jp_line_mark_wait(jp_line_mark *m, int (*give_up)(void), uint64_t *lines)
{
    if (!atomic_load_explicit(&m->set, memory_order_acquire)) {
        pthread_once(&changed_once, init_changed);
        pthread_mutex_lock(&lock);
        while (!atomic_load_explicit(&m->set, memory_order_acquire)) {
            if (give_up()) {
                pthread_mutex_unlock(&lock);
                return -1;
            }
            jp_pool_wait_a_while(&changed, &lock);
        }
        pthread_mutex_unlock(&lock);
    }
    *lines = m->lines;
    return m->unsure ? 1 : 0;
}
