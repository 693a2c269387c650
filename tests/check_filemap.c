/* check_filemap.c: mapped windows hold the file's bytes from the offset
 * asked for, and a read past the end of a file that shrank under its
 * window gives zeros and a fault count instead of SIGBUS. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_suites.h"
#include "filemap.h"

/* A temporary file of pages pages, byte i of it 'a' + i % 26; unlinked at
 * once, so only fd names it. */
static int make_file(long pages, long page)
{
    char path[] = "/tmp/jsonpipe-filemap-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    unlink(path);
    for (long i = 0; i < pages * page; i++) {
        char c = (char)('a' + i % 26);
        ck_assert_int_eq(write(fd, &c, 1), 1);
    }
    return fd;
}

START_TEST(a_window_starts_at_the_offset_asked_for)
{
    long page = sysconf(_SC_PAGESIZE);
    int fd = make_file(3, page);
    jp_filemap m = {0};
    ck_assert_int_eq(jp_filemap_window(fd, (uint64_t)page + 5, (size_t)page, &m), 0);
    ck_assert_int_eq(m.data[0], 'a' + (page + 5) % 26);
    ck_assert_int_eq(m.data[page - 1], 'a' + (2 * page + 4) % 26);
    ck_assert_ptr_eq(m.data, (char *)m.base + 5);
    ck_assert_uint_eq(m.len, (size_t)page + 5);
    jp_filemap_release(m.base, m.len);
    close(fd);
}
END_TEST

START_TEST(a_read_past_a_shrunken_end_is_zeros_and_counted)
{
    long page = sysconf(_SC_PAGESIZE);
    int fd = make_file(3, page);
    jp_filemap m = {0};
    ck_assert_int_eq(jp_filemap_window(fd, 100, (size_t)(3 * page - 100), &m), 0);
    const volatile char *p = m.data;
    ck_assert_int_eq(p[3 * page - 101], 'a' + (3 * page - 1) % 26);
    uint64_t before = jp_filemap_faults();
    ck_assert_int_eq(ftruncate(fd, page), 0);
    ck_assert_int_eq(p[page - 101], 'a' + (page - 1) % 26); /* still in the file */
    ck_assert_int_eq(p[page - 100], 0);
    ck_assert_uint_eq(jp_filemap_faults(), before + 1);
    ck_assert_int_eq(p[page - 99], 0); /* the page put there stays */
    ck_assert_int_eq(p[2 * page - 100], 0);
    ck_assert_uint_eq(jp_filemap_faults(), before + 2);
    jp_filemap_release(m.base, m.len);
    close(fd);
}
END_TEST

START_TEST(a_window_of_nothing_or_of_a_pipe_is_refused)
{
    long page = sysconf(_SC_PAGESIZE);
    int fd = make_file(1, page), pipes[2];
    jp_filemap m = {0};
    ck_assert_int_lt(jp_filemap_window(fd, 0, 0, &m), 0);
    ck_assert_int_eq(pipe(pipes), 0);
    ck_assert_int_lt(jp_filemap_window(pipes[0], 0, 16, &m), 0);
    close(pipes[0]);
    close(pipes[1]);
    close(fd);
}
END_TEST

Suite *filemap_suite(void)
{
    Suite *s = suite_create("filemap");
    TCase *tc = tcase_create("filemap");
    tcase_add_test(tc, a_window_starts_at_the_offset_asked_for);
    tcase_add_test(tc, a_read_past_a_shrunken_end_is_zeros_and_counted);
    tcase_add_test(tc, a_window_of_nothing_or_of_a_pipe_is_refused);
    suite_add_tcase(s, tc);
    return s;
}
