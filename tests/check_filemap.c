/* check_filemap.c: mapped regions hold the file's bytes from the offset
 * asked for, live while a reference does, and a read past the end of a
 * file that shrank under one gives zeros, and the region is then no longer
 * intact, instead of SIGBUS; a SIGBUS anywhere else is left alone. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
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

/* A region of len bytes from at of a new file of pages pages (make_file),
 * whose descriptor goes in *fd. */
static jp_filemap *mapped(long pages, uint64_t at, size_t len, int *fd)
{
    int err = 0;
    *fd = make_file(pages, sysconf(_SC_PAGESIZE));
    jp_filemap *m = jp_filemap_new(*fd, at, len, &err);
    ck_assert_ptr_nonnull(m);
    return m;
}

START_TEST(a_region_holds_the_bytes_from_the_offset_asked_for)
{
    long page = sysconf(_SC_PAGESIZE);
    int fd;
    jp_filemap *m = mapped(3, (uint64_t)page + 5, (size_t)page, &fd);
    const char *p = jp_filemap_at(m, (uint64_t)page + 5);
    ck_assert_int_eq(p[0], 'a' + (page + 5) % 26);
    ck_assert_int_eq(p[page - 1], 'a' + (2 * page + 4) % 26);
    ck_assert_int_eq(*jp_filemap_at(m, (uint64_t)page + 100), 'a' + (page + 100) % 26);
    ck_assert_uint_eq(jp_filemap_end(m), 2 * (uint64_t)page + 5);
    /* A second reference keeps it mapped when the first goes. */
    jp_filemap_ref(m);
    jp_filemap_unref(m);
    ck_assert_int_eq(p[10], 'a' + (page + 15) % 26);
    ck_assert(jp_filemap_intact(m, p + page));
    jp_filemap_unref(m);
    close(fd);
}
END_TEST

START_TEST(a_read_past_a_shrunken_end_is_zeros_and_marks_the_region)
{
    long page = sysconf(_SC_PAGESIZE);
    int fd;
    jp_filemap *m = mapped(3, 100, (size_t)(3 * page - 100), &fd);
    const volatile char *p = jp_filemap_at(m, 100);
    const char *all = (const char *)p + 3 * page - 100;
    ck_assert_int_eq(p[3 * page - 101], 'a' + (3 * page - 1) % 26);
    ck_assert(jp_filemap_intact(m, all));
    ck_assert_int_eq(ftruncate(fd, page), 0);
    ck_assert_int_eq(p[page - 101], 'a' + (page - 1) % 26); /* still in the file */
    ck_assert(jp_filemap_intact(m, (const char *)p + page - 100));
    ck_assert(!jp_filemap_intact(m, all));
    ck_assert_int_eq(p[page - 100], 0);
    /* The bytes before the page of zeros still are the file's. */
    ck_assert(jp_filemap_intact(m, (const char *)p + page - 100));
    ck_assert(!jp_filemap_intact(m, (const char *)p + page - 99));
    ck_assert_int_eq(ftruncate(fd, 3 * page), 0); /* grown back: the zeros stay */
    ck_assert(!jp_filemap_intact(m, (const char *)p + page - 99));
    ck_assert_int_eq(p[page - 99], 0); /* the page put there stays */
    ck_assert_int_eq(p[2 * page - 100], 0);
    jp_filemap_unref(m);
    close(fd);
}
END_TEST

/* Past the end on the file's last page there is no fault, only zeros: the
 * file's size tells. */
START_TEST(a_read_past_the_end_on_the_last_page_is_not_intact)
{
    long page = sysconf(_SC_PAGESIZE);
    int fd;
    jp_filemap *m = mapped(2, 0, 2 * (size_t)page, &fd);
    const volatile char *p = jp_filemap_at(m, 0);
    ck_assert_int_eq(ftruncate(fd, page + 10), 0);
    ck_assert_int_eq(p[page + 9], 'a' + (page + 9) % 26);
    ck_assert_int_eq(p[page + 10], 0);
    ck_assert(jp_filemap_intact(m, (const char *)p + page + 10));
    ck_assert(!jp_filemap_intact(m, (const char *)p + page + 11));
    jp_filemap_unref(m);
    close(fd);
}
END_TEST

/* A SIGBUS outside every region is not the guard's to hide: it goes to
 * the handler that was there before. */
START_TEST(a_fault_elsewhere_still_raises_sigbus)
{
    long page = sysconf(_SC_PAGESIZE);
    int fd;
    /* The default action before the guard, not a sanitizer's report. */
    signal(SIGBUS, SIG_DFL);
    jp_filemap *m = mapped(2, 0, (size_t)page, &fd); /* installs the guard */
    const volatile char *other = mmap(NULL, 2 * (size_t)page, PROT_READ, MAP_PRIVATE, fd, 0);
    ck_assert(other != MAP_FAILED);
    ck_assert_int_eq(ftruncate(fd, page), 0);
    (void)other[page]; /* raises SIGBUS: the test passes by it */
    jp_filemap_unref(m);
}
END_TEST

START_TEST(a_region_of_nothing_or_of_a_pipe_is_refused)
{
    long page = sysconf(_SC_PAGESIZE);
    int fd = make_file(1, page), pipes[2], err = 0;
    ck_assert_ptr_null(jp_filemap_new(fd, 0, 0, &err));
    ck_assert_int_lt(err, 0);
    ck_assert_int_eq(pipe(pipes), 0);
    err = 0;
    ck_assert_ptr_null(jp_filemap_new(pipes[0], 0, 16, &err));
    ck_assert_int_lt(err, 0);
    close(pipes[0]);
    close(pipes[1]);
    close(fd);
}
END_TEST

Suite *filemap_suite(void)
{
    Suite *s = suite_create("filemap");
    TCase *tc = tcase_create("filemap");
    tcase_add_test(tc, a_region_holds_the_bytes_from_the_offset_asked_for);
    tcase_add_test(tc, a_read_past_a_shrunken_end_is_zeros_and_marks_the_region);
    tcase_add_test(tc, a_read_past_the_end_on_the_last_page_is_not_intact);
    tcase_add_test_raise_signal(tc, a_fault_elsewhere_still_raises_sigbus, SIGBUS);
    tcase_add_test(tc, a_region_of_nothing_or_of_a_pipe_is_refused);
    suite_add_tcase(s, tc);
    return s;
}
