/* check_cpus.c: the default of -j (cpus.c): cgroup v2 CPU quotas read from
 * fake cgroup trees (a quota, "max", the least of a cgroup and its
 * ancestors, malformed and missing files, a mount of a subtree), the
 * cgroup2 mount found in a fake mountinfo, and the real count's bounds. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_suites.h"
#include "cpus.h"

static char tree[PATH_MAX];

/* Writes text to tree/rel, making the directories on the way. */
static void put(const char *rel, const char *text)
{
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/%s", tree, rel);
    for (char *p = path + strlen(tree) + 1; (p = strchr(p, '/')); p++) {
        *p = '\0';
        mkdir(path, 0700);
        *p = '/';
    }
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static void setup(void)
{
    snprintf(tree, sizeof tree, "/tmp/jsonpipe-cpus-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tree));
}

static void teardown(void)
{
    char cmd[PATH_MAX + 16];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tree);
    ck_assert_int_eq(system(cmd), 0);
}

/* The cap for a process in cgroup (its "0::" path), the cgroup2 file
 * system at tree/fs showing root. */
static long cap_of(const char *cgroup, const char *root)
{
    char line[256], file[PATH_MAX + 16], dir[PATH_MAX + 16];
    snprintf(line, sizeof line, "12:cpu,cpuacct:/elsewhere\n0::%s\n", cgroup);
    put("cgroup", line);
    snprintf(file, sizeof file, "%s/cgroup", tree);
    snprintf(dir, sizeof dir, "%s/fs", tree);
    mkdir(dir, 0700);
    return jp_cpus_cgroup_cap(file, dir, root);
}

START_TEST(a_quota_rounds_up_to_whole_cpus)
{
    put("fs/job/cpu.max", "150000 100000\n");
    ck_assert_int_eq(cap_of("/job", "/"), 2);
    put("fs/job/cpu.max", "200000 100000\n");
    ck_assert_int_eq(cap_of("/job", "/"), 2);
    put("fs/job/cpu.max", "50000 100000\n");
    ck_assert_int_eq(cap_of("/job", "/"), 1);
    put("fs/job/cpu.max", "1 1000000");
    ck_assert_int_eq(cap_of("/job", "/"), 1);
    put("fs/job/cpu.max", "99999999999 1000\n");
    ck_assert_int_eq(cap_of("/job", "/"), JP_CPUS_MAX);
}
END_TEST

START_TEST(max_is_no_cap)
{
    put("fs/job/cpu.max", "max 100000\n");
    ck_assert_int_eq(cap_of("/job", "/"), 0);
    ck_assert_int_eq(cap_of("/", "/"), 0);
}
END_TEST

START_TEST(the_least_of_the_cgroup_and_its_ancestors)
{
    put("fs/cpu.max", "800000 100000\n");
    put("fs/a/cpu.max", "300000 100000\n");
    put("fs/a/b/cpu.max", "max 100000\n");
    put("fs/a/b/c/cpu.max", "500000 100000\n");
    ck_assert_int_eq(cap_of("/a/b/c", "/"), 3);
    ck_assert_int_eq(cap_of("/a/b", "/"), 3);
    ck_assert_int_eq(cap_of("/", "/"), 8);
    put("fs/a/b/c/cpu.max", "100000 100000\n");
    ck_assert_int_eq(cap_of("/a/b/c", "/"), 1);
    /* A cgroup with no cpu.max of its own (the controller not enabled). */
    ck_assert_int_eq(cap_of("/a/b/c/d", "/"), 1);
}
END_TEST

START_TEST(malformed_and_missing_files_cap_nothing)
{
    static const char *const bad[] = {"",          "\n",           "150000\n",
                                      "abc 100000", "150000 0\n",  "150000 -5\n",
                                      "-1 100000", "0 100000\n",   "150000 100000 7\n",
                                      "150000 1x", "1.5 1\n",      "max\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        put("fs/job/cpu.max", bad[i]);
        ck_assert_msg(cap_of("/job", "/") == 0, "cpu.max '%s' made a cap", bad[i]);
    }
    /* Malformed here, a quota above: the quota holds. */
    put("fs/cpu.max", "200000 100000\n");
    ck_assert_int_eq(cap_of("/job", "/"), 2);
    /* No cgroup directory at all. */
    ck_assert_int_eq(cap_of("/gone/away", "/"), 2);
}
END_TEST

START_TEST(no_cgroup_v2_line_caps_nothing)
{
    put("fs/cpu.max", "100000 100000\n");
    char file[PATH_MAX + 16], dir[PATH_MAX + 16];
    snprintf(file, sizeof file, "%s/cgroup", tree);
    snprintf(dir, sizeof dir, "%s/fs", tree);
    put("cgroup", "4:memory:/x\n1:cpu:/\n");
    ck_assert_int_eq(jp_cpus_cgroup_cap(file, dir, "/"), 0);
    put("cgroup", "");
    ck_assert_int_eq(jp_cpus_cgroup_cap(file, dir, "/"), 0);
    snprintf(file, sizeof file, "%s/no-such-file", tree);
    ck_assert_int_eq(jp_cpus_cgroup_cap(file, dir, "/"), 0);
}
END_TEST

START_TEST(a_mount_of_a_subtree)
{
    /* A container's mount shows /docker/c1 at the mount point. */
    put("fs/cpu.max", "300000 100000\n");
    put("fs/sub/cpu.max", "max 100000\n");
    ck_assert_int_eq(cap_of("/docker/c1", "/docker/c1"), 3);
    ck_assert_int_eq(cap_of("/docker/c1/sub", "/docker/c1"), 3);
    ck_assert_int_eq(cap_of("/docker/c10", "/docker/c1"), 0);
    ck_assert_int_eq(cap_of("/other", "/docker/c1"), 0);
    /* Outside a cgroup namespace's root: not in view. */
    ck_assert_int_eq(cap_of("/../x", "/"), 0);
}
END_TEST

START_TEST(the_cgroup2_mount_of_mountinfo)
{
    char file[PATH_MAX + 16], dir[64], root[64];
    snprintf(file, sizeof file, "%s/mountinfo", tree);
    put("mountinfo",
        "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
        "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime shared:9 - cgroup cgroup rw,cpu\n"
        "41 31 0:38 /docker/c1 /sys/fs/cgroup/my\\040unified rw,relatime shared:1 master:2 - "
        "cgroup2 cgroup2 rw\n");
    ck_assert_int_eq(jp_cpus_cgroup_mount(file, dir, sizeof dir, root, sizeof root), 0);
    ck_assert_str_eq(dir, "/sys/fs/cgroup/my unified");
    ck_assert_str_eq(root, "/docker/c1");
    put("mountinfo", "31 23 0:28 / /sys/fs/cgroup rw - tmpfs tmpfs rw\nshort line\n");
    ck_assert_int_eq(jp_cpus_cgroup_mount(file, dir, sizeof dir, root, sizeof root), -1);
    snprintf(file, sizeof file, "%s/no-such-file", tree);
    ck_assert_int_eq(jp_cpus_cgroup_mount(file, dir, sizeof dir, root, sizeof root), -1);
}
END_TEST

START_TEST(usable_cpus_are_within_the_machines)
{
    int n = jp_cpus_usable();
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    ck_assert_int_ge(n, 1);
    ck_assert_int_le(n, JP_CPUS_MAX);
    if (online > 0)
        ck_assert_int_le(n, online);
}
END_TEST

Suite *cpus_suite(void)
{
    Suite *s = suite_create("cpus");
    TCase *tc = tcase_create("cpus");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, a_quota_rounds_up_to_whole_cpus);
    tcase_add_test(tc, max_is_no_cap);
    tcase_add_test(tc, the_least_of_the_cgroup_and_its_ancestors);
    tcase_add_test(tc, malformed_and_missing_files_cap_nothing);
    tcase_add_test(tc, no_cgroup_v2_line_caps_nothing);
    tcase_add_test(tc, a_mount_of_a_subtree);
    tcase_add_test(tc, the_cgroup2_mount_of_mountinfo);
    tcase_add_test(tc, usable_cpus_are_within_the_machines);
    suite_add_tcase(s, tc);
    return s;
}
