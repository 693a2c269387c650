/* cpus.h: how many CPUs this process may use, the default of -j.
 *
 * Not the machine's count: a container or a batch scheduler gives a process
 * fewer, by its affinity mask (taskset, cpusets) or by a cgroup v2 CPU
 * quota, and threads beyond that only take turns. cgroup v1 is not read. */
#ifndef JP_CPUS_H
#define JP_CPUS_H

#include <stddef.h>

/* The most the default may be: -j's own limit. */
#define JP_CPUS_MAX 1024

/* The CPUs of sched_getaffinity (those online if it fails), capped by the
 * cgroup v2 quota of this process, 1 to JP_CPUS_MAX. */
int jp_cpus_usable(void);

/* Where the cgroup2 file system is mounted, from a file in the format of
 * /proc/self/mountinfo: its mount point and the cgroup it shows (its
 * root, "/" unless only a subtree is mounted). Returns 0, or -1 when no
 * cgroup2 mount is listed or the file cannot be read. */
int jp_cpus_cgroup_mount(const char *mountinfo, char *dir, size_t dirlen, char *root,
                         size_t rootlen);

/* The CPU cap that cgroup v2 quotas put on the process whose
 * /proc/self/cgroup is cgroup_file, with the cgroup2 file system at dir
 * showing the cgroup root: for its cgroup and each ancestor that dir shows,
 * cpu.max "QUOTA PERIOD" allows ceil(QUOTA / PERIOD) CPUs, at least 1, and
 * "max" any number. Returns the least of them, or 0 for no cap (no cgroup
 * v2 line, missing or malformed files, a cgroup outside root). */
long jp_cpus_cgroup_cap(const char *cgroup_file, const char *dir, const char *root);

#endif
