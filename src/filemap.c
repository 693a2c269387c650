/* filemap.c: mapped file windows, and the SIGBUS guard for files that
 * shrink under them. */
#include "filemap.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MAP_POPULATE
#define MAP_POPULATE 0
#endif

static __thread uint64_t faults;
static long page_size;
static pthread_once_t guard_once = PTHREAD_ONCE_INIT;
static struct sigaction previous;

/* A read of a mapped page that is past the file's end now. Anything else
 * (no file mapping of ours would raise it, but a SIGBUS is not ours to
 * hide) goes to whatever handled the signal before. */
static void on_sigbus(int sig, siginfo_t *info, void *uctx)
{
    if (info->si_code == BUS_ADRERR && page_size > 0) {
        uintptr_t page = (uintptr_t)info->si_addr & ~(uintptr_t)(page_size - 1);
        /* mmap is a plain system call on Linux, safe in a handler. */
        void *p = mmap((void *)page, (size_t)page_size, PROT_READ,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        if (p != MAP_FAILED) {
            faults++;
            return;
        }
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

int jp_filemap_window(int fd, uint64_t at, size_t len, jp_filemap *m)
{
    pthread_once(&guard_once, install_guard);
    if (page_size <= 0 || len == 0)
        return -EINVAL;
    uint64_t start = at & ~(uint64_t)(page_size - 1);
    size_t lead = (size_t)(at - start);
    void *p = mmap(NULL, lead + len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, (off_t)start);
    if (p == MAP_FAILED)
        return -errno;
    *m = (jp_filemap){p, lead + len, (const char *)p + lead};
    return 0;
}

void jp_filemap_release(void *base, size_t len)
{
    munmap(base, len);
}

uint64_t jp_filemap_faults(void)
{
    return faults;
}
