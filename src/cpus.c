/* cpus.c: the CPUs this process may use: its affinity mask, then the CPU
 * quotas of its cgroup v2 and the cgroup's ancestors. */
#include "cpus.h"

#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The count of the affinity mask, in a set grown until it holds every CPU
 * the kernel knows; 0 when it cannot be read. */
static long affinity_count(void)
{
    for (int n = 1024; n <= (1 << 22); n *= 2) {
        cpu_set_t *set = CPU_ALLOC(n);
        if (!set)
            return 0;
        size_t size = CPU_ALLOC_SIZE(n);
        long count = 0;
        int rc = sched_getaffinity(0, size, set);
        if (rc == 0)
            count = CPU_COUNT_S(size, set);
        CPU_FREE(set);
        if (rc == 0 || errno != EINVAL)
            return count;
    }
    return 0;
}

/* Undoes mountinfo's octal escapes (\040 for a space) in place. */
static void unescape(char *s)
{
    char *out = s;
    for (; *s; s++) {
        if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
            s[3] >= '0' && s[3] <= '7') {
            *out++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
            s += 3;
        } else {
            *out++ = *s;
        }
    }
    *out = '\0';
}

static int copy(char *out, size_t outlen, const char *s)
{
    return snprintf(out, outlen, "%s", s) < (int)outlen ? 0 : -1;
}

int jp_cpus_cgroup_mount(const char *mountinfo, char *dir, size_t dirlen, char *root,
                         size_t rootlen)
{
    FILE *f = fopen(mountinfo, "re");
    if (!f)
        return -1;
    char *line = NULL;
    size_t cap = 0;
    int found = -1;
    /* ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [TAGS...] - FSTYPE SOURCE ... */
    while (found < 0 && getline(&line, &cap, f) > 0) {
        char *save, *field[5], *t = NULL;
        int n = 0;
        while (n < 5 && (t = strtok_r(n ? NULL : line, " \n", &save)))
            field[n++] = t;
        if (n < 5)
            continue;
        /* The options and the optional tags, up to the separator. */
        while ((t = strtok_r(NULL, " \n", &save)) && strcmp(t, "-") != 0)
            ;
        if (!t || !(t = strtok_r(NULL, " \n", &save)) || strcmp(t, "cgroup2") != 0)
            continue;
        unescape(field[3]);
        unescape(field[4]);
        found = copy(root, rootlen, field[3]) == 0 && copy(dir, dirlen, field[4]) == 0 ? 0 : -1;
    }
    free(line);
    fclose(f);
    return found;
}

/* The CPUs one cpu.max allows, or 0 for no cap (or no such file). */
static long quota_of(const char *path)
{
    FILE *f = fopen(path, "re");
    if (!f)
        return 0;
    char text[64], quota[32], extra;
    long long period = 0;
    long cpus = 0;
    if (fgets(text, sizeof text, f) &&
        sscanf(text, "%31s %lld %c", quota, &period, &extra) == 2 && period > 0 &&
        strcmp(quota, "max") != 0) {
        char *end;
        errno = 0;
        long long q = strtoll(quota, &end, 10);
        if (!errno && !*end && q > 0) {
            long long n = q / period + (q % period != 0);
            cpus = n > JP_CPUS_MAX ? JP_CPUS_MAX : (long)n;
        }
    }
    fclose(f);
    return cpus;
}

/* The cgroup v2 path of cgroup_file's "0::/path" line, in out; -1 if none. */
static int cgroup_path(const char *cgroup_file, char *out, size_t outlen)
{
    FILE *f = fopen(cgroup_file, "re");
    if (!f)
        return -1;
    char *line = NULL;
    size_t cap = 0;
    int rc = -1;
    ssize_t len;
    while (rc < 0 && (len = getline(&line, &cap, f)) > 0) {
        if (line[len - 1] == '\n')
            line[--len] = '\0';
        if (strncmp(line, "0::/", 4) == 0)
            rc = copy(out, outlen, line + 3);
    }
    free(line);
    fclose(f);
    return rc;
}

/* A cgroup outside the mount's view (as a cgroup namespace shows it). */
static int has_dot_dot(const char *path)
{
    for (const char *p = strstr(path, "/.."); p; p = strstr(p + 1, "/.."))
        if (p[3] == '/' || p[3] == '\0')
            return 1;
    return 0;
}

long jp_cpus_cgroup_cap(const char *cgroup_file, const char *dir, const char *root)
{
    char path[PATH_MAX], full[PATH_MAX];
    if (cgroup_path(cgroup_file, path, sizeof path) < 0)
        return 0;
    /* The mount shows root and what is under it: the path below root is
     * where this cgroup is in dir. */
    size_t rlen = strcmp(root, "/") == 0 ? 0 : strlen(root);
    if (strncmp(path, root, rlen) != 0 || (path[rlen] && path[rlen] != '/') ||
        has_dot_dot(path))
        return 0;
    const char *below = path + rlen;
    if (snprintf(full, sizeof full, "%s%s", dir, below) >= (int)sizeof full)
        return 0;
    size_t dlen = strlen(dir);
    long least = 0;
    /* Its own cpu.max, then each ancestor's, up to dir itself. */
    for (;;) {
        size_t len = strlen(full);
        while (len > dlen && full[len - 1] == '/')
            full[--len] = '\0';
        char file[PATH_MAX + 8];
        snprintf(file, sizeof file, "%s/cpu.max", full);
        long n = quota_of(file);
        if (n && (!least || n < least))
            least = n;
        char *slash = strrchr(full + dlen, '/');
        if (len <= dlen || !slash)
            break;
        *slash = '\0';
    }
    return least;
}

int jp_cpus_usable(void)
{
    long n = affinity_count();
    if (n <= 0)
        n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n <= 0)
        n = 1;
    char dir[PATH_MAX], root[PATH_MAX];
    if (jp_cpus_cgroup_mount("/proc/self/mountinfo", dir, sizeof dir, root, sizeof root) < 0) {
        copy(dir, sizeof dir, "/sys/fs/cgroup");
        copy(root, sizeof root, "/");
    }
    long cap = jp_cpus_cgroup_cap("/proc/self/cgroup", dir, root);
    if (cap && cap < n)
        n = cap;
    return n > JP_CPUS_MAX ? JP_CPUS_MAX : (int)n;
}
