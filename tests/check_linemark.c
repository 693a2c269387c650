/* check_linemark.c: marks of line numbers, set on one thread and waited
 * for on others, and batches numbered from them in any order of their
 * workers. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"
#include "check_suites.h"
#include "filemap.h"
#include "linemark.h"

static int never(void)
{
    return 0;
}

static int always(void)
{
    return 1;
}

START_TEST(a_set_mark_is_read_at_once)
{
    jp_line_mark *m = jp_line_mark_new();
    jp_line_mark_set(m, 12345678901ULL, 0);
    uint64_t lines = 0;
    ck_assert_int_eq(jp_line_mark_wait(m, always, &lines), 0);
    ck_assert_uint_eq(lines, 12345678901ULL);
    jp_line_mark_unref(m);
}
END_TEST

START_TEST(a_wait_gives_up_when_told)
{
    jp_line_mark *m = jp_line_mark_new();
    uint64_t lines = 7;
    ck_assert_int_eq(jp_line_mark_wait(m, always, &lines), -1);
    ck_assert_uint_eq(lines, 7);
    jp_line_mark_unref(m);
}
END_TEST

static void *set_later(void *arg)
{
    struct timespec pause = {0, 20 * 1000 * 1000};
    nanosleep(&pause, NULL);
    jp_line_mark_set(arg, 42, 0);
    return NULL;
}

START_TEST(a_wait_ends_when_another_thread_sets_it)
{
    jp_line_mark *m = jp_line_mark_new();
    pthread_t t;
    ck_assert_int_eq(pthread_create(&t, NULL, set_later, jp_line_mark_ref(m)), 0);
    uint64_t lines = 0;
    ck_assert_int_eq(jp_line_mark_wait(m, never, &lines), 0);
    ck_assert_uint_eq(lines, 42);
    pthread_join(t, NULL);
    jp_line_mark_unref(m); /* the thread's */
    jp_line_mark_unref(m);
}
END_TEST

/* A chain of windows as the framer makes them: window i numbers its lines
 * from mark i and sets mark i + 1. */
typedef struct window {
    jp_batch *b;
    uint64_t first; /* what its segment's first_line came to */
} window;

static jp_batch *window_of(const char *text, jp_line_mark *from, uint64_t line, jp_line_mark *to)
{
    size_t len = strlen(text);
    jp_batch *b = jp_batch_new(len);
    memcpy(b->in, text, len);
    b->in_len = len;
    jp_batch_add_segment(b, 0, "f", line, 0, from);
    b->end_mark = to ? jp_line_mark_ref(to) : NULL;
    return b;
}

static void *number_window(void *arg)
{
    window *w = arg;
    uint64_t last = jp_batch_count_last(w->b);
    if (jp_batch_resolve(w->b, never, NULL) == 0)
        jp_batch_set_end(w->b, last);
    w->first = w->b->segs[0].first_line;
    return NULL;
}

START_TEST(windows_numbered_by_threads_in_any_order)
{
    /* Lines: 2, 3, 1, 4; the first window starts after 10 lines read. */
    static const char *const texts[] = {"a\nb\n", "c\nd\ne\n", "f\n", "g\nh\ni\nj\n"};
    enum { N = 4 };
    jp_line_mark *marks[N + 1] = {NULL};
    for (int i = 1; i <= N; i++)
        marks[i] = jp_line_mark_new();
    window w[N];
    for (int i = 0; i < N; i++)
        w[i].b = window_of(texts[i], marks[i], i == 0 ? 10 : 0, marks[i + 1]);
    /* Started last first: each waits for the one before it. */
    pthread_t t[N];
    for (int i = N - 1; i >= 0; i--)
        ck_assert_int_eq(pthread_create(&t[i], NULL, number_window, &w[i]), 0);
    for (int i = 0; i < N; i++)
        pthread_join(t[i], NULL);
    const uint64_t want[N] = {10, 12, 15, 16};
    for (int i = 0; i < N; i++) {
        ck_assert_uint_eq(w[i].first, want[i]);
        ck_assert_ptr_null(w[i].b->segs[0].mark);
        ck_assert_ptr_null(w[i].b->end_mark);
        jp_batch_free(w[i].b);
    }
    uint64_t end = 0;
    ck_assert_int_eq(jp_line_mark_wait(marks[N], always, &end), 0);
    ck_assert_uint_eq(end, 20);
    for (int i = 1; i <= N; i++)
        jp_line_mark_unref(marks[i]);
}
END_TEST

/* A mapped window of a new file holding text, numbered from mark from. */
static jp_batch *mapped_window(const char *text, jp_line_mark *from, int *fd)
{
    char path[] = "/tmp/jsonpipe-linemark-XXXXXX";
    size_t len = strlen(text);
    *fd = mkstemp(path);
    ck_assert_int_ge(*fd, 0);
    unlink(path);
    ck_assert_int_eq(write(*fd, text, len), (ssize_t)len);
    int err = 0;
    jp_filemap *m = jp_filemap_new(*fd, 0, len, &err);
    ck_assert_ptr_nonnull(m);
    jp_batch *b = jp_batch_mapped(m, jp_filemap_at(m, 0), len);
    jp_batch_add_segment(b, 0, "f", 0, 0, from);
    b->end_mark = jp_line_mark_new();
    return b;
}

/* A mapped window of two lines after five, numbered as its worker does:
 * it is lost, and its end mark unsure, when the mark before was unsure (a
 * window before it was lost) or when its file shrank under it. */
static void check_window(int after_unsure, int shrinks)
{
    jp_line_mark *from = jp_line_mark_new();
    jp_line_mark_set(from, 5, after_unsure);
    int fd;
    jp_batch *b = mapped_window("a\nb\n", from, &fd);
    jp_line_mark *end = jp_line_mark_ref(b->end_mark);
    if (shrinks)
        ck_assert_int_eq(ftruncate(fd, 0), 0);
    ck_assert_int_eq(jp_batch_resolve(b, never, NULL), 0);
    jp_batch_set_end(b, 2);
    int lost = after_unsure || shrinks;
    ck_assert_int_eq(b->lost, lost);
    uint64_t lines = 0;
    ck_assert_int_eq(jp_line_mark_wait(end, never, &lines), lost);
    ck_assert_uint_eq(lines, 7);
    jp_batch_free(b);
    close(fd);
    jp_line_mark_unref(end);
    jp_line_mark_unref(from);
}

START_TEST(a_window_is_lost_with_the_one_before_or_its_own_bytes)
{
    check_window(0, 0);
    check_window(1, 0);
    check_window(0, 1);
}
END_TEST

START_TEST(lines_read_after_a_lost_window_keep_the_count)
{
    jp_line_mark *from = jp_line_mark_new();
    jp_line_mark_set(from, 5, 1);
    jp_batch *b = window_of("c\n", from, 1, NULL);
    ck_assert_int_eq(jp_batch_resolve(b, never, NULL), 0);
    ck_assert_int_eq(b->lost, 0);
    ck_assert_uint_eq(b->segs[0].first_line, 6);
    jp_batch_free(b);
    jp_line_mark_unref(from);
}
END_TEST

START_TEST(a_batch_whose_mark_is_never_set_gives_up)
{
    jp_line_mark *from = jp_line_mark_new(), *to = jp_line_mark_new();
    jp_batch *b = window_of("x\n", from, 0, to);
    ck_assert_int_eq(jp_batch_resolve(b, always, NULL), -1);
    jp_batch_free(b); /* drops the marks it still holds */
    uint64_t lines;
    ck_assert_int_eq(jp_line_mark_wait(to, always, &lines), -1);
    jp_line_mark_unref(from);
    jp_line_mark_unref(to);
}
END_TEST

Suite *linemark_suite(void)
{
    Suite *s = suite_create("linemark");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, a_set_mark_is_read_at_once);
    tcase_add_test(tc, a_wait_gives_up_when_told);
    tcase_add_test(tc, a_wait_ends_when_another_thread_sets_it);
    tcase_add_test(tc, windows_numbered_by_threads_in_any_order);
    tcase_add_test(tc, a_batch_whose_mark_is_never_set_gives_up);
    tcase_add_test(tc, a_window_is_lost_with_the_one_before_or_its_own_bytes);
    tcase_add_test(tc, lines_read_after_a_lost_window_keep_the_count);
    suite_add_tcase(s, tc);
    return s;
}
