/* sink_split.c: writing parts to many files, with a bound on open ones. */
#include "sink_split.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hset.h"
#include "report.h"

typedef struct split_file {
    char *path;
    uint64_t hash;
    int fd;                          /* -1: closed */
    int opened;                      /* opened before in this run: reopen appends */
    struct split_file *newer, *older; /* the open files, by last use */
    struct split_file *chain;        /* the next in its bucket */
} split_file;

typedef struct claim {
    dev_t dev;
    ino_t ino;
    const split_file *by; /* NULL: an empty slot */
    int errors;           /* by is a file of -e's */
} claim;

struct jp_split_claims {
    pthread_mutex_t lock;
    claim *v;              /* open addressing; at most half full */
    size_t cap, n;
};

jp_split_claims *jp_split_claims_new(void)
{
    jp_split_claims *c = jp_xcalloc(1, sizeof *c);
    pthread_mutex_init(&c->lock, NULL);
    c->cap = 64;
    c->v = jp_xcalloc(c->cap, sizeof *c->v);
    return c;
}

void jp_split_claims_free(jp_split_claims *c)
{
    if (!c)
        return;
    pthread_mutex_destroy(&c->lock);
    free(c->v);
    free(c);
}

static claim *claim_slot(claim *v, size_t cap, dev_t dev, ino_t ino)
{
    size_t i = jp_hash_mix((uint64_t)dev, (uint64_t)ino) & (cap - 1);
    while (v[i].by && !(v[i].dev == dev && v[i].ino == ino))
        i = (i + 1) & (cap - 1);
    return &v[i];
}

/* Claims the file dev, ino for f (of -e's when errors): the claim it
 * already has, which is f's own or another's. */
static claim claim_file(jp_split_claims *c, dev_t dev, ino_t ino, const split_file *f,
                        int errors)
{
    pthread_mutex_lock(&c->lock);
    if (2 * (c->n + 1) > c->cap) {
        size_t cap = 2 * c->cap;
        claim *v = jp_xcalloc(cap, sizeof *v);
        for (size_t i = 0; i < c->cap; i++)
            if (c->v[i].by)
                *claim_slot(v, cap, c->v[i].dev, c->v[i].ino) = c->v[i];
        free(c->v);
        c->v = v;
        c->cap = cap;
    }
    claim *slot = claim_slot(c->v, c->cap, dev, ino);
    if (!slot->by) {
        *slot = (claim){dev, ino, f, errors};
        c->n++;
    }
    claim by = *slot;
    pthread_mutex_unlock(&c->lock);
    return by;
}

typedef struct sink_split {
    jp_sink base;
    uv_loop_t *loop;
    uv_work_t work;
    size_t max_open, nopen;
    split_file **buckets;
    size_t nbuckets, nfiles;
    split_file *newest, *oldest;     /* open files */
    jp_file_id *taken;
    size_t ntaken;
    jp_split_claims *claims;
    jp_split_preface preface;
    void *preface_ctx;
    jp_buf scratch;                  /* the preface, a name */
    /* The group being written, and how it ended. */
    jp_batch *group;
    jp_sink_done done;
    void *done_arg;
    int err;                         /* a libuv error code */
    char why[512];                   /* or our own reason, when not empty */
    char *err_name;
} sink_split;

static split_file *find_file(sink_split *s, const char *name, size_t len)
{
    uint64_t h = jp_hash_bytes(name, len, 0);
    for (split_file *f = s->buckets[h & (s->nbuckets - 1)]; f; f = f->chain)
        if (f->hash == h && strlen(f->path) == len && memcmp(f->path, name, len) == 0)
            return f;
    if (s->nfiles >= 2 * s->nbuckets) {
        size_t n = 2 * s->nbuckets;
        split_file **b = jp_xcalloc(n, sizeof *b);
        for (size_t i = 0; i < s->nbuckets; i++)
            for (split_file *f = s->buckets[i], *next; f; f = next) {
                next = f->chain;
                f->chain = b[f->hash & (n - 1)];
                b[f->hash & (n - 1)] = f;
            }
        free(s->buckets);
        s->buckets = b;
        s->nbuckets = n;
    }
    split_file *f = jp_xcalloc(1, sizeof *f);
    f->path = jp_xmalloc(len + 1);
    memcpy(f->path, name, len);
    f->path[len] = '\0';
    f->hash = h;
    f->fd = -1;
    f->chain = s->buckets[h & (s->nbuckets - 1)];
    s->buckets[h & (s->nbuckets - 1)] = f;
    s->nfiles++;
    return f;
}

static void unlink_open(sink_split *s, split_file *f)
{
    *(f->newer ? &f->newer->older : &s->newest) = f->older;
    *(f->older ? &f->older->newer : &s->oldest) = f->newer;
    f->newer = f->older = NULL;
}

static void push_newest(sink_split *s, split_file *f)
{
    f->older = s->newest;
    f->newer = NULL;
    *(s->newest ? &s->newest->newer : &s->oldest) = f;
    s->newest = f;
}

static void fail(sink_split *s, const split_file *f, int err, const char *why)
{
    s->err = err;
    if (why)
        snprintf(s->why, sizeof s->why, "%s", why);
    free(s->err_name);
    s->err_name = jp_xstrdup(f->path);
}

/* Makes the directories above path. Returns 0, or -1 with errno set. */
static int make_parents(char *path)
{
    for (char *slash = strchr(path + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        int rc = mkdir(path, 0777);
        int e = errno;
        *slash = '/';
        if (rc < 0 && e != EEXIST) {
            errno = e;
            return -1;
        }
    }
    return 0;
}

static int close_oldest(sink_split *s)
{
    split_file *f = s->oldest;
    unlink_open(s, f);
    s->nopen--;
    int rc = close(f->fd);
    f->fd = -1;
    if (rc < 0 && errno != EINTR) {
        fail(s, f, uv_translate_sys_error(errno), NULL);
        return -1;
    }
    return 0;
}

/* Writes p[0..n) at the end of f's file, or none of it: a failed write is
 * cut off again, so the file never ends in a torn record or member. */
static int write_whole(sink_split *s, split_file *f, const char *p, size_t n)
{
    struct stat st;
    if (fstat(f->fd, &st) < 0) {
        fail(s, f, uv_translate_sys_error(errno), NULL);
        return -1;
    }
    if (jp_write_all(f->fd, p, n) < 0) {
        int e = errno;
        /* The error told is the write's, whether or not this works. */
        (void)!ftruncate(f->fd, st.st_size);
        fail(s, f, uv_translate_sys_error(e), NULL);
        return -1;
    }
    return 0;
}

/* Whether f's file is one the run may not write: the file itself, or a
 * name in its directory that another output is still to be renamed to. */
static const jp_file_id *taken_by(sink_split *s, const split_file *f)
{
    struct stat st, dir;
    int exists = stat(f->path, &st) == 0;
    const char *slash = strrchr(f->path, '/');
    const char *base = slash ? slash + 1 : f->path;
    int have_dir = 0;
    for (size_t i = 0; i < s->ntaken; i++) {
        const jp_file_id *t = &s->taken[i];
        if (!t->base) {
            if (exists && t->dev == st.st_dev && t->ino == st.st_ino)
                return t;
            continue;
        }
        if (strcmp(t->base, base) != 0)
            continue;
        if (!have_dir) {
            jp_buf *d = &s->scratch;
            d->len = 0;
            jp_buf_append(d, f->path, slash ? (size_t)(slash - f->path) + 1 : 0);
            jp_buf_puts(d, ".");
            jp_buf_putc(d, '\0');
            if (stat(d->data, &dir) < 0)
                return NULL;
            have_dir = 1;
        }
        if (t->dev == dir.st_dev && t->ino == dir.st_ino)
            return t;
    }
    return NULL;
}

static int refused(sink_split *s, split_file *f)
{
    const jp_file_id *t = taken_by(s, f);
    if (t) {
        char why[400];
        snprintf(why, sizeof why, "output %s is %s: refusing to write onto it", f->path,
                 t->name);
        fail(s, f, UV_EINVAL, why);
        return 1;
    }
    struct stat st;
    if (stat(f->path, &st) < 0)
        return 0;
    if (!S_ISREG(st.st_mode)) {
        char why[400];
        snprintf(why, sizeof why, "output %s is not a regular file: refusing to write to it",
                 f->path);
        fail(s, f, UV_EINVAL, why);
        return 1;
    }
    return 0;
}

/* Opens f: cut to nothing the first time, to append after. */
static int open_file(sink_split *s, split_file *f)
{
    if (s->nopen >= s->max_open && close_oldest(s) < 0)
        return -1;
    if (!f->opened && (make_parents(f->path) < 0 || refused(s, f))) {
        if (!s->err && !s->why[0])
            fail(s, f, uv_translate_sys_error(errno), NULL);
        return -1;
    }
    int flags = O_WRONLY | O_CLOEXEC | O_NOCTTY | (f->opened ? O_APPEND : O_CREAT);
    f->fd = open(f->path, flags, 0666);
    if (f->fd < 0) {
        fail(s, f, uv_translate_sys_error(errno), NULL);
        return -1;
    }
    s->nopen++;
    if (!f->opened) {
        /* Cut only once the file is known to be no other's. */
        struct stat st;
        if (fstat(f->fd, &st) < 0) {
            fail(s, f, uv_translate_sys_error(errno), NULL);
            return -1;
        }
        claim by = claim_file(s->claims, st.st_dev, st.st_ino, f, s->base.errors);
        if (by.by != f) {
            char why[sizeof s->why - 1];
            snprintf(why, sizeof why, "output %s (of %s) is the same file as %s (of %s): "
                     "refusing to write both to it", f->path, s->base.errors ? "-e" : "-o",
                     by.by->path, by.errors ? "-e" : "-o");
            fail(s, f, UV_EINVAL, why);
            return -1;
        }
        if (ftruncate(f->fd, 0) < 0 || (flags = fcntl(f->fd, F_GETFL)) < 0 ||
            fcntl(f->fd, F_SETFL, flags | O_APPEND) < 0) {
            fail(s, f, uv_translate_sys_error(errno), NULL);
            return -1;
        }
        f->opened = 1;
        s->base.files++;
        if (s->preface) {
            s->scratch.len = 0;
            s->preface(s->preface_ctx, f->path, &s->scratch);
            if (write_whole(s, f, s->scratch.data, s->scratch.len) < 0)
                return -1;
            s->base.bytes_out += s->scratch.len;
        }
    }
    return 0;
}

static int write_part(sink_split *s, const jp_parts *parts, const jp_part *part,
                      const char *bytes)
{
    split_file *f = find_file(s, parts->names.data + part->name_at, part->name_len);
    if (f->fd < 0 && open_file(s, f) < 0)
        return -1;
    if (f != s->newest) {
        if (f->newer || f->older || s->oldest == f)
            unlink_open(s, f);
        push_newest(s, f);
    }
    if (write_whole(s, f, bytes + part->at, part->len) < 0)
        return -1;
    s->base.bytes_out += part->len;
    s->base.records_out += part->records;
    return 0;
}

/* On libuv's threadpool. */
static void write_group(uv_work_t *req)
{
    sink_split *s = req->data;
    for (jp_batch *b = s->group; b; b = b->next) {
        const jp_parts *parts = s->base.errors ? &b->err_parts : &b->out_parts;
        const char *bytes = jp_sink_bytes(&s->base, b)->data;
        for (size_t i = 0; i < parts->n; i++)
            /* A part whose records the chain took back names no file. */
            if (parts->v[i].records && write_part(s, parts, &parts->v[i], bytes) < 0)
                return;
    }
}

static void after_group(uv_work_t *req, int status)
{
    sink_split *s = req->data;
    s->group = NULL;
    s->done(s->done_arg, s->err, s->err_name, s->why[0] ? s->why : NULL);
}

static int split_start(jp_sink *base, jp_batch *group, jp_sink_done done, void *arg)
{
    sink_split *s = (sink_split *)base;
    int any = 0;
    for (jp_batch *b = group; b && !any; b = b->next)
        any = (s->base.errors ? b->err_parts.n : b->out_parts.n) != 0;
    if (!any)
        return 0;
    s->group = group;
    s->done = done;
    s->done_arg = arg;
    s->work.data = s;
    uv_queue_work(s->loop, &s->work, write_group, after_group);
    return 1;
}

static void split_free(jp_sink *base)
{
    sink_split *s = (sink_split *)base;
    for (size_t i = 0; i < s->nbuckets; i++)
        for (split_file *f = s->buckets[i], *next; f; f = next) {
            next = f->chain;
            if (f->fd >= 0)
                close(f->fd);
            free(f->path);
            free(f);
        }
    free(s->buckets);
    free(s->taken);
    free(s->err_name);
    jp_buf_free(&s->scratch);
    free(s);
}

static const jp_sink_ops split_ops = {split_start, split_free};

/* Descriptors kept free for everything else the run opens. */
#define SPARE_FDS 64

jp_sink *jp_sink_split_new(uv_loop_t *loop, int errors, size_t max_open, const jp_file_id *taken,
                           size_t ntaken, jp_split_claims *claims, jp_split_preface preface,
                           void *preface_ctx)
{
    sink_split *s = jp_xcalloc(1, sizeof *s);
    s->base.ops = &split_ops;
    s->base.errors = errors;
    s->loop = loop;
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
        rl.rlim_cur < max_open + 2 * SPARE_FDS)
        max_open = rl.rlim_cur > 2 * SPARE_FDS ? rl.rlim_cur - 2 * SPARE_FDS : 1;
    s->max_open = max_open ? max_open : 1;
    s->nbuckets = 64;
    s->buckets = jp_xcalloc(s->nbuckets, sizeof *s->buckets);
    s->taken = jp_xmalloc((ntaken ? ntaken : 1) * sizeof *taken);
    memcpy(s->taken, taken, ntaken * sizeof *taken);
    s->ntaken = ntaken;
    s->claims = claims;
    s->preface = preface;
    s->preface_ctx = preface_ctx;
    return &s->base;
}
