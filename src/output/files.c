/* files.c: checking, opening and committing the output files. */
#include "files.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "encoder.h"
#include "report.h"

static int std_closed; /* jp_std_fds_guard's mask */

/* The temporary files, for the signal handler: it may only unlink them. */
static char *volatile temps[2];

int jp_std_fds_guard(void)
{
    static const int modes[3] = {O_WRONLY, O_RDONLY, O_WRONLY};
    std_closed = 0;
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
            continue;
        /* The lowest free descriptor is this one. */
        int got = open("/dev/null", modes[fd]);
        if (got != fd) {
            if (got >= 0)
                close(got);
            continue;
        }
        std_closed |= 1 << fd;
    }
    return std_closed;
}

/* A fatal signal during the run: remove the temporary files, then die of
 * it the default way. Async-signal-safe. */
static void on_fatal_signal(int signum)
{
    for (int i = 0; i < 2; i++)
        if (temps[i])
            unlink(temps[i]);
    signal(signum, SIG_DFL);
    raise(signum);
}

static void trap(int signum, const struct sigaction *sa)
{
    struct sigaction old;
    /* Leave alone a signal the caller of jsonpipe chose to ignore. */
    if (sigaction(signum, NULL, &old) == 0 && old.sa_handler == SIG_IGN)
        return;
    sigaction(signum, sa, NULL);
}

void jp_outputs_trap_signals(void)
{
    /* Every signal whose default kills the process, but those of a crash
     * (SEGV, BUS, ILL, FPE, ABRT, TRAP, SYS keep their default, or a
     * sanitizer's handler) and PIPE and XFSZ (ignored: a write error). */
    static const int fatal[] = {
        SIGHUP, SIGINT, SIGTERM, SIGQUIT, SIGALRM, SIGUSR1, SIGUSR2, SIGXCPU, SIGVTALRM, SIGPROF,
#ifdef SIGPOLL
        SIGPOLL,
#endif
#ifdef SIGPWR
        SIGPWR,
#endif
#ifdef SIGSTKFLT
        SIGSTKFLT,
#endif
    };
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
        trap(fatal[i], &sa);
#ifdef SIGRTMIN
    for (int s = SIGRTMIN; s <= SIGRTMAX; s++)
        trap(s, &sa);
#endif
}

/* One file's identity. */
typedef struct ident {
    dev_t dev;
    ino_t ino;
    int regular;
    int fifo;
} ident;

static int ident_of(const struct stat *st, ident *id)
{
    id->dev = st->st_dev;
    id->ino = st->st_ino;
    id->regular = S_ISREG(st->st_mode);
    id->fifo = S_ISFIFO(st->st_mode);
    return 0;
}

static int ident_fd(int fd, ident *id)
{
    struct stat st;
    return fstat(fd, &st) < 0 ? -1 : ident_of(&st, id);
}

static int ident_path(const char *path, ident *id)
{
    struct stat st;
    return stat(path, &st) < 0 ? -1 : ident_of(&st, id);
}

static int same(const ident *a, const ident *b)
{
    return a->dev == b->dev && a->ino == b->ino;
}

/* The descriptor a path names outright ("-" is standard output), or -1. */
static int named_fd(const char *path)
{
    static const char *const prefixes[] = {"/dev/fd/", "/proc/self/fd/"};
    if (strcmp(path, "-") == 0 || strcmp(path, "/dev/stdout") == 0)
        return STDOUT_FILENO;
    if (strcmp(path, "/dev/stderr") == 0)
        return STDERR_FILENO;
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        size_t n = strlen(prefixes[i]);
        if (strncmp(path, prefixes[i], n) != 0 || !path[n])
            continue;
        char *end;
        errno = 0;
        long fd = strtol(path + n, &end, 10);
        if (!errno && !*end && fd >= 0 && fd <= INT_MAX && path[n] >= '0' && path[n] <= '9')
            return (int)fd;
    }
    return -1;
}

static int writable_fd(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    return fl >= 0 && (fl & O_ACCMODE) != O_RDONLY;
}

/* Where one output goes, before anything is opened. */
typedef struct plan {
    const char *path;  /* as given; NULL: the standard descriptor */
    int split;         /* a template: its files are opened during the run */
    int fd;            /* write through this descriptor we have, or -1 */
    int exists;
    ident id;          /* when exists */
    char *dest;        /* when not: the path it would be created at, a
                        * symlink to nothing followed to its end; owned */
    ident parent;      /* ... the directory it would be created in */
    const char *base;  /* ... and its name there, in dest */
} plan;

/* Where creating path creates a file: path, or the end of the chain of
 * symlinks it is, which may lead to other directories. NULL for a loop.
 * The caller frees the result. */
static char *creation_path(const char *path)
{
    char *at = jp_xstrdup(path);
    for (int hops = 0; hops < 40; hops++) {
        struct stat st;
        if (lstat(at, &st) < 0 || !S_ISLNK(st.st_mode))
            return at;
        char link[PATH_MAX];
        ssize_t n = readlink(at, link, sizeof link - 1);
        if (n < 0)
            break;
        link[n] = '\0';
        const char *slash = strrchr(at, '/');
        size_t dirlen = link[0] != '/' && slash ? (size_t)(slash - at) + 1 : 0;
        char *next = jp_xmalloc(dirlen + (size_t)n + 1);
        memcpy(next, at, dirlen);
        memcpy(next + dirlen, link, (size_t)n + 1);
        free(at);
        at = next;
    }
    free(at);
    return NULL;
}

static void plan_output(plan *p, const char *path, int std_fd, int split)
{
    memset(p, 0, sizeof *p);
    p->path = path;
    p->split = split;
    p->fd = -1;
    if (split)
        return;
    p->fd = path ? named_fd(path) : std_fd;
    if (p->fd < 0 && ident_path(path, &p->id) == 0) {
        /* A file standard output or error already has open: write through
         * that descriptor, in the mode the shell opened it in (>> appends). */
        ident std;
        for (int fd = STDOUT_FILENO; fd <= STDERR_FILENO && p->fd < 0; fd++)
            if (!(std_closed & (1 << fd)) && ident_fd(fd, &std) == 0 && same(&std, &p->id) &&
                writable_fd(fd))
                p->fd = fd;
    }
    if (p->fd >= 0) {
        p->exists = ident_fd(p->fd, &p->id) == 0;
        return;
    }
    p->exists = ident_path(path, &p->id) == 0;
    if (p->exists || !(p->dest = creation_path(path)))
        return; /* a symlink loop: the open will say so */
    const char *slash = strrchr(p->dest, '/');
    p->base = slash ? slash + 1 : p->dest;
    char *dir = slash ? jp_xstrdup(p->dest) : jp_xstrdup(".");
    if (slash)
        dir[slash == p->dest ? 1 : slash - p->dest] = '\0';
    if (ident_path(dir, &p->parent) < 0)
        p->base = NULL; /* no such directory: the open will say so */
    free(dir);
}

/* Whether two planned outputs are one file. */
static int same_file(const plan *a, const plan *b)
{
    if (a->exists && b->exists)
        return a->id.regular && same(&a->id, &b->id);
    return !a->exists && !b->exists && a->base && b->base && same(&a->parent, &b->parent) &&
           strcmp(a->base, b->base) == 0;
}

static int refuse(const char *fmt, const char *a, const char *b)
{
    jp_report_error(fmt, a, b);
    fputs("Try 'jsonpipe --help' for more information.\n", stderr);
    return 2;
}

static const char *plan_name(const plan *p, const char *std_name)
{
    if (!p->path)
        return std_name;
    return strcmp(p->path, "-") == 0 ? "<stdout>" : p->path;
}

/* An output that is an input would be read while it is rewritten. */
static int check_inputs(const jp_config *cfg, const plan *out, const plan *err)
{
    plan diag = {.fd = STDERR_FILENO};
    diag.exists = !(std_closed & 4) && ident_fd(STDERR_FILENO, &diag.id) == 0;
    const plan *outs[] = {out, err, &diag};
    const char *names[] = {plan_name(out, "<stdout>"), plan_name(err, "<stderr>"), "<stderr>"};
    for (int i = 0; i < cfg->ninputs; i++) {
        const char *in = cfg->inputs[i];
        ident id;
        int is_stdin = strcmp(in, "-") == 0;
        if (is_stdin ? (std_closed & 1) || ident_fd(STDIN_FILENO, &id) < 0
                     : ident_path(in, &id) < 0)
            continue;
        /* A FIFO read and written would feed itself, and its open for
         * writing waits for a reader that never comes; a terminal, a
         * device or a socket (inetd's stdin and stdout) is fine. */
        if (!id.regular && !id.fifo)
            continue;
        for (int k = 0; k < 3; k++) {
            if (!outs[k]->exists || !same(&outs[k]->id, &id))
                continue;
            /* Even the refusal would be written onto the input. */
            if (outs[k]->fd == STDERR_FILENO)
                return 2;
            return refuse("output %s is the input %s: refusing to write onto it", names[k],
                          is_stdin ? "<stdin>" : in);
        }
    }
    return 0;
}

/* The temporary file beside target, with mode. Returns its descriptor, or
 * -1 with errno set. */
static int make_temp(const char *target, mode_t mode, char **temp)
{
    const char *slash = strrchr(target, '/');
    size_t dirlen = slash ? (size_t)(slash - target) + 1 : 0;
    static const char name[] = ".jsonpipe-XXXXXX";
    char *t = jp_xmalloc(dirlen + sizeof name);
    memcpy(t, target, dirlen);
    memcpy(t + dirlen, name, sizeof name);
    int fd = mkostemp(t, O_CLOEXEC);
    if (fd < 0 || fchmod(fd, mode) < 0) {
        int e = errno;
        if (fd >= 0) {
            close(fd);
            unlink(t);
        }
        free(t);
        errno = e;
        return -1;
    }
    *temp = t;
    return fd;
}

static mode_t new_file_mode(void)
{
    mode_t mask = umask(0);
    umask(mask);
    return 0666 & ~mask;
}

/* Opens one planned output. Returns 0, or 3 after telling why not. */
static int open_output(jp_output *o, const plan *p, const char *std_name)
{
    memset(o, 0, sizeof *o);
    o->name = plan_name(p, std_name);
    o->fd = -1;
    if (p->split)
        return 0;
    if (p->fd >= 0) {
        if (fcntl(p->fd, F_GETFD) < 0) {
            jp_report_error("%s: cannot open for writing: %s", o->name, jp_report_syserr(errno));
            return 3;
        }
        o->fd = p->fd;
        return 0;
    }
    struct stat st;
    int fd = -1;
    if (p->exists && !p->id.regular) {
        /* A terminal, a FIFO, a device: never truncated. */
        fd = open(p->path, O_WRONLY | O_CLOEXEC);
    } else if (p->exists && stat(p->path, &st) == 0) {
        /* Replace the file a symlink points to, not the link. */
        char *target = realpath(p->path, NULL);
        if (target && (fd = make_temp(target, st.st_mode & 07777, &o->temp)) >= 0) {
            /* Keep the owner where we may (root); else the file is ours. */
            (void)!fchown(fd, st.st_uid, st.st_gid);
            o->target = target;
            o->existed = 1;
        } else {
            free(target);
        }
    } else if (p->dest && (fd = make_temp(p->dest, new_file_mode(), &o->temp)) >= 0) {
        /* A symlink to nothing: the file is made where it points. */
        o->target = jp_xstrdup(p->dest);
    }
    /* No temporary file (a directory we may not write): write the file in
     * place, cut only when the first byte comes, so that a run that fails
     * before it (a missing input) leaves the file as it was. */
    if (fd < 0 && !o->temp && p->exists && p->id.regular) {
        fd = open(p->path, O_WRONLY | O_CLOEXEC);
        o->cut_late = o->existed = 1;
    } else if (fd < 0 && !o->temp && !p->exists) {
        fd = open(p->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    }
    if (fd < 0) {
        jp_report_error("%s: cannot open for writing: %s", o->name, jp_report_syserr(errno));
        return 3;
    }
    o->fd = fd;
    o->own = 1;
    return 0;
}

static int close_output(jp_output *o, int how, int slot)
{
    int rc = 0, commit = how == JP_OUTPUTS_COMMIT || (how == JP_OUTPUTS_NEW_ONLY && !o->existed);
    /* In place, a committed run that wrote nothing still leaves nothing. */
    off_t end;
    if (o->cut_late && commit && (end = lseek(o->fd, 0, SEEK_CUR)) >= 0 && ftruncate(o->fd, end) < 0) {
        jp_report_error("%s: write error: %s", o->name, jp_report_syserr(errno));
        rc = -1;
    }
    if (o->own && close(o->fd) < 0 && o->temp && commit) {
        jp_report_error("%s: write error: %s", o->name, jp_report_syserr(errno));
        commit = 0;
        rc = -1;
    }
    o->own = 0;
    if (o->temp) {
        if (commit && rename(o->temp, o->target) < 0) {
            jp_report_error("%s: cannot replace: %s", o->name, jp_report_syserr(errno));
            commit = 0;
            rc = -1;
        }
        if (!commit)
            unlink(o->temp);
        temps[slot] = NULL;
        free(o->temp);
        o->temp = NULL;
    }
    free(o->target);
    o->target = NULL;
    return rc;
}

int jp_outputs_close(jp_outputs *o, int how)
{
    /* Both files or neither: a rename that fails keeps the other back. */
    int rc = close_output(&o->out, how, 0);
    if (close_output(&o->err, rc == 0 ? how : JP_OUTPUTS_DISCARD, 1) < 0)
        rc = -1;
    for (size_t i = 0; i < o->ntaken; i++)
        free((char *)o->taken[i].name);
    free(o->taken);
    o->taken = NULL;
    o->ntaken = 0;
    return rc;
}

/* Compressed bytes on a terminal help nobody (gzip refuses them too). */
static int check_terminal(const jp_output *o, jp_codec codec, int force)
{
    if (codec == JP_CODEC_PLAIN || force || !isatty(o->fd))
        return 0;
    jp_report_error("%s: compressed data not written to a terminal (use -f to force)", o->name);
    fputs("Try 'jsonpipe --help' for more information.\n", stderr);
    return 2;
}

/* base: NULL, or the name in the directory id that the file will have. */
static void add_taken(jp_outputs *o, const ident *id, const char *base, const char *what,
                      const char *name)
{
    o->taken = jp_xrealloc(o->taken, (o->ntaken + 1) * sizeof *o->taken);
    jp_buf text = {0};
    jp_buf_printf(&text, "%s%s", what, name);
    o->taken[o->ntaken++] = (jp_file_id){id->dev, id->ino, base, text.data};
}

/* An output file that the run writes: the descriptor's file, or, for one
 * written to a temporary file, the file it replaces or will become. */
static void add_output(jp_outputs *o, const jp_output *out, const char *what)
{
    ident id;
    if (out->temp && out->existed && ident_path(out->target, &id) == 0) {
        add_taken(o, &id, NULL, what, out->name);
    } else if (out->temp) {
        const char *slash = strrchr(out->target, '/');
        char *dir = slash ? jp_xstrdup(out->target) : jp_xstrdup(".");
        if (slash)
            dir[slash == out->target ? 1 : slash - out->target] = '\0';
        if (ident_path(dir, &id) == 0)
            add_taken(o, &id, slash ? slash + 1 : out->target, what, out->name);
        free(dir);
    } else if (out->fd >= 0 && ident_fd(out->fd, &id) == 0 && id.regular) {
        add_taken(o, &id, NULL, what, out->name);
    }
}

/* The files that no file of split output may be: every input, as
 * check_inputs judges them, and the descriptors the run writes to. */
static void list_taken(jp_outputs *o, jp_config *cfg)
{
    ident id;
    for (int i = 0; i < cfg->ninputs; i++) {
        const char *in = cfg->inputs[i];
        int is_stdin = strcmp(in, "-") == 0;
        if (is_stdin ? (std_closed & 1) || ident_fd(STDIN_FILENO, &id) < 0
                     : ident_path(in, &id) < 0)
            continue;
        if (id.regular || id.fifo)
            add_taken(o, &id, NULL, "the input ", is_stdin ? "<stdin>" : in);
    }
    add_output(o, &o->out, "the output ");
    add_output(o, &o->err, "the error output ");
    if (!(std_closed & 4) && ident_fd(STDERR_FILENO, &id) == 0 && id.regular)
        add_taken(o, &id, NULL, "the file of ", "<stderr>");
    cfg->taken = o->taken;
    cfg->ntaken = o->ntaken;
}

static int open_planned(jp_outputs *o, jp_config *cfg, const plan *out, const plan *err)
{
    int rc = check_inputs(cfg, out, err);
    if (rc)
        return rc;
    /* Two descriptors the shell opened share their offset; a file of our
     * own beside another opening of it would clobber one or the other. */
    if ((out->fd < 0 || err->fd < 0) && same_file(out, err))
        return refuse("-o %s and -e %s are one file", plan_name(out, "<stdout>"),
                      plan_name(err, "<stderr>"));
    if ((rc = open_output(&o->out, out, "<stdout>")) != 0)
        return rc;
    temps[0] = o->out.temp;
    if ((rc = open_output(&o->err, err, "<stderr>")) != 0) {
        jp_outputs_close(o, JP_OUTPUTS_DISCARD);
        return rc;
    }
    temps[1] = o->err.temp;
    if ((rc = check_terminal(&o->out, cfg->out_codec, cfg->force)) != 0 ||
        (rc = check_terminal(&o->err, cfg->err_codec, cfg->force)) != 0) {
        jp_outputs_close(o, JP_OUTPUTS_DISCARD);
        return rc;
    }
    cfg->out_fd = o->out.fd;
    cfg->err_fd = o->err.fd;
    cfg->out_name = o->out.name;
    cfg->err_name = o->err.name;
    cfg->out_closed = o->out.fd >= 0 && o->out.fd <= STDERR_FILENO &&
                      (std_closed & (1 << o->out.fd));
    cfg->err_closed = o->err.fd >= 0 && o->err.fd <= STDERR_FILENO &&
                      (std_closed & (1 << o->err.fd));
    /* Records and error records to a descriptor that was closed fail as
     * they would have (EBADF), not into the /dev/null standing in for it;
     * only messages on a closed stderr are lost. */
    if (cfg->out_closed)
        cfg->out_fd = -1;
    if (cfg->err_closed && cfg->errors)
        cfg->err_fd = -1;
    cfg->out_cut_late = o->out.cut_late;
    cfg->err_cut_late = o->err.cut_late;
    if (out->split || err->split)
        list_taken(o, cfg);
    return 0;
}

int jp_outputs_open(jp_outputs *o, jp_config *cfg)
{
    memset(o, 0, sizeof *o);
    plan out, err;
    plan_output(&out, cfg->output, STDOUT_FILENO, cfg->out_split != NULL);
    plan_output(&err, cfg->errors, STDERR_FILENO, cfg->err_split != NULL);
    int rc = open_planned(o, cfg, &out, &err);
    free(out.dest);
    free(err.dest);
    return rc;
}
