/* filemap.c: mapped file regions, and the SIGBUS guard for files that
 * shrink under them.
 *
 * The guard runs in a signal handler, where the heap is off limits: each
 * live region's address range, and the lowest page of zeros the guard put
 * in it, are kept in a fixed table of slots. */
#include "filemap.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"

/* More than the regions that can be alive at once: one a reader, and one
 * a batch in flight. */
#define SLOTS 1024

static struct slot {
    atomic_uintptr_t start, end; /* the mapping's addresses; end 0 when free */
    atomic_uintptr_t zeros;      /* the lowest page put there by the guard, or UINTPTR_MAX */
    atomic_flag used;
} slots[SLOTS];

struct jp_filemap {
    char *base;     /* the mapping, page aligned */
    size_t len;
    uint64_t first; /* the file offset of base */
    int fd;         /* the file, for its size: ours, as the reader closes its own */
    atomic_int refs;
    int slot;
};

static long page_size;
static pthread_once_t guard_once = PTHREAD_ONCE_INIT;
static struct sigaction previous;

/* A read of a mapped page that is past the file's end now. A SIGBUS that
 * is not in a region of ours is not ours to hide: it goes to whatever
 * handled the signal before. */
static void on_sigbus(int sig, siginfo_t *info, void *uctx)
{
    uintptr_t addr = (uintptr_t)info->si_addr;
    uintptr_t page = addr & ~(uintptr_t)(page_size - 1);
    int ours = 0;
    for (int i = 0; i < SLOTS; i++) {
        /* start is read again after end: a slot freed and taken again
         * meanwhile (end is cleared first, start set first) shows a
         * changed or zero start rather than a range it never had. */
        uintptr_t start = atomic_load(&slots[i].start), end = atomic_load(&slots[i].end);
        if (start == 0 || atomic_load(&slots[i].start) != start)
            continue;
        if (addr >= start && addr < end) {
            uintptr_t was = atomic_load(&slots[i].zeros);
            while (page < was && !atomic_compare_exchange_weak(&slots[i].zeros, &was, page))
                ;
            ours = 1;
        }
    }
    /* Past the file's end, or a page that could not be read in (an I/O
     * error): either way the batch is not the file's. */
    if (ours && (info->si_code == BUS_ADRERR || info->si_code == BUS_OBJERR)) {
        /* mmap is a plain system call on Linux, safe in a handler. */
        if (mmap((void *)page, (size_t)page_size, PROT_READ,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != MAP_FAILED)
            return;
    }
    if (previous.sa_flags & SA_SIGINFO && previous.sa_sigaction) {
        previous.sa_sigaction(sig, info, uctx);
    } else if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN) {
        previous.sa_handler(sig);
    } else {
        signal(sig, SIG_DFL);
        raise(sig);
    }
}

static void install_guard(void)
{
    page_size = sysconf(_SC_PAGESIZE);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sigbus;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGBUS, &sa, &previous);
}

static int take_slot(void)
{
    for (int i = 0; i < SLOTS; i++)
        if (!atomic_flag_test_and_set(&slots[i].used))
            return i;
    return -1;
}

jp_filemap *jp_filemap_new(int fd, uint64_t at, size_t len, int *err)
{
    pthread_once(&guard_once, install_guard);
    if (page_size <= 0 || len == 0) {
        *err = -EINVAL;
        return NULL;
    }
    int slot = take_slot();
    if (slot < 0) {
        *err = -EBUSY;
        return NULL;
    }
    uint64_t first = at & ~(uint64_t)(page_size - 1);
    size_t maplen = (size_t)(at - first) + len;
    int own = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    /* Not populated here: the first reader of each window, the worker
     * that counts its lines, faults its pages in as it goes. */
    void *p = own < 0 ? MAP_FAILED : mmap(NULL, maplen, PROT_READ, MAP_PRIVATE, fd, (off_t)first);
    if (p == MAP_FAILED) {
        *err = -errno;
        if (own >= 0)
            close(own);
        atomic_flag_clear(&slots[slot].used);
        return NULL;
    }
    jp_filemap *m = jp_xmalloc(sizeof *m);
    m->base = p;
    m->len = maplen;
    m->first = first;
    m->fd = own;
    atomic_init(&m->refs, 1);
    m->slot = slot;
    atomic_store(&slots[slot].zeros, UINTPTR_MAX);
    atomic_store(&slots[slot].start, (uintptr_t)p);
    atomic_store(&slots[slot].end, (uintptr_t)p + maplen);
    return m;
}

const char *jp_filemap_at(const jp_filemap *m, uint64_t at)
{
    return m->base + (at - m->first);
}

uint64_t jp_filemap_end(const jp_filemap *m)
{
    return m->first + m->len;
}

void jp_filemap_ref(jp_filemap *m)
{
    atomic_fetch_add_explicit(&m->refs, 1, memory_order_relaxed);
}

void jp_filemap_unref(jp_filemap *m)
{
    if (!m || atomic_fetch_sub_explicit(&m->refs, 1, memory_order_acq_rel) != 1)
        return;
    struct slot *s = &slots[m->slot];
    atomic_store(&s->end, 0);
    atomic_store(&s->start, 0);
    munmap(m->base, m->len);
    close(m->fd);
    atomic_flag_clear(&s->used);
    free(m);
}

int jp_filemap_intact(const jp_filemap *m, const char *end)
{
    struct stat st;
    return (uintptr_t)end <= atomic_load(&slots[m->slot].zeros) && fstat(m->fd, &st) == 0 &&
           (uint64_t)st.st_size >= m->first + (uint64_t)(end - m->base);
}
