/* check_framer.c: line framing, fed in every possible split of the input. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "batch.h"
#include "check_suites.h"
#include "framer.h"
#include "framer_feed.h"
#include "lines.h"

/* Emitted batches become a transcript: "LINE@OFFSET:TEXT|" per line, and
 * "LINE@OFFSET:long(LEN,START)|" for an over-long line; "FILE>" before the
 * lines of each input after the first. Every batch must also start where
 * the previous one ended, in the same input or at the start of the next. */
typedef struct transcript {
    jp_buf text;
    const char *file;
    uint64_t next_line, next_offset;
    size_t max_cap;
    int batches, segments;
} transcript;

static int never(void)
{
    return 0;
}

static void collect(void *ctx, jp_batch *b)
{
    transcript *t = ctx;
    /* As one worker does, in order: a mapped window's lines are counted,
     * and every segment numbered from its mark. */
    uint64_t lines = jp_batch_count_last(b);
    ck_assert_int_eq(jp_batch_resolve(b, never, NULL), 0);
    jp_batch_set_end(b, lines);
    ck_assert_uint_ge(b->nsegs, 1);
    ck_assert_uint_eq(b->segs[0].at, 0);
    if (b->in_cap > t->max_cap)
        t->max_cap = b->in_cap;
    t->batches++;
    t->segments += (int)b->nsegs;
    jp_line_iter it = {0};
    jp_line line;
    size_t seg = (size_t)-1;
    while (jp_batch_next_line(b, &it, &line)) {
        if (it.seg != seg) {
            seg = it.seg;
            const jp_segment *s = &b->segs[seg];
            if (t->file && strcmp(s->file, t->file) == 0) {
                ck_assert_uint_eq(s->first_line, t->next_line);
                ck_assert_uint_eq(s->first_offset, t->next_offset);
            } else {
                ck_assert_uint_eq(s->first_line, 0);
                ck_assert_uint_eq(s->first_offset, 0);
                if (t->file)
                    jp_buf_printf(&t->text, "%s>", s->file);
            }
            t->file = s->file;
        }
        ck_assert_ptr_eq(line.file, b->segs[seg].file);
        if (line.long_len) {
            jp_buf_printf(&t->text, "%" PRIu64 "@%" PRIu64 ":long(%" PRIu64 ",%.*s)|",
                          line.number, line.offset, line.long_len, (int)line.len, line.data);
        } else {
            jp_buf_printf(&t->text, "%" PRIu64 "@%" PRIu64 ":%.*s|", line.number, line.offset,
                          (int)line.len, line.data);
        }
    }
    const jp_segment *last = &b->segs[b->nsegs - 1];
    t->next_line = last->first_line + it.count;
    t->next_offset = last->first_offset + (b->in_len - last->at) + it.skipped;
    jp_batch_free(b);
}

/* A framer that writes its batches into the transcript t. */
static void start(transcript *t, jp_framer *f, size_t batch_size, size_t max_line)
{
    memset(t, 0, sizeof *t);
    jp_framer_init(f, batch_size, max_line, collect, t);
}

/* Feeds input to a framer in reads of at most chunk bytes. */
static void frame(transcript *t, const char *input, size_t chunk, size_t batch_size,
                  size_t max_line)
{
    jp_framer f;
    start(t, &f, batch_size, max_line);
    jp_framer_begin(&f, "test");
    framer_feed(&f, input, strlen(input), chunk);
    ck_assert_ptr_null(f.cur);
}

/* Every split of the input into reads must give the same transcript. */
static void check_all_splits(const char *input, size_t batch_size, size_t max_line,
                             const char *expected)
{
    for (size_t chunk = 1; chunk <= strlen(input) + 1; chunk++) {
        transcript t;
        frame(&t, input, chunk, batch_size, max_line);
        jp_buf_putc(&t.text, '\0');
        ck_assert_msg(strcmp(t.text.data ? t.text.data : "", expected) == 0,
                      "chunk %zu: got %s, want %s", chunk, t.text.data, expected);
        jp_buf_free(&t.text);
    }
}

/* A batch of text, as a mapped window would hold it. */
static jp_batch *window(const char *text)
{
    size_t len = strlen(text);
    jp_batch *b = jp_batch_new(len);
    memcpy(b->in, text, len);
    b->in_len = len;
    return b;
}

START_TEST(mapped_windows_among_reads_keep_numbers)
{
    /* Read, then two windows whose lines the framer never counts, then
     * reads again, then the next input, which numbers from 1. */
    for (size_t chunk = 1; chunk <= 5; chunk++) {
        transcript t;
        jp_framer f;
        start(&t, &f, 4096, 1000);
        jp_framer_begin(&f, "test");
        framer_feed_bytes(&f, "l1\nl2\npart", 10, chunk);
        size_t partial;
        ck_assert_int_eq(jp_framer_unread(&f, &partial), 0);
        ck_assert_uint_eq(partial, 4);
        jp_framer_mapped(&f, window("partial\nl4\n"));
        jp_framer_mapped(&f, window("l5\n"));
        ck_assert_ptr_nonnull(f.mark);
        framer_feed_input(&f, "l6\n\nl8", 6, chunk);
        jp_framer_begin(&f, "two");
        ck_assert_ptr_null(f.mark);
        framer_feed(&f, "x\n", 2, chunk);
        jp_buf_putc(&t.text, '\0');
        ck_assert_str_eq(t.text.data, "1@0:l1|2@3:l2|3@6:partial|4@14:l4|5@17:l5|6@20:l6|7@23:|"
                                      "8@24:l8|two>1@0:x|");
        jp_buf_free(&t.text);
    }
}
END_TEST

START_TEST(lines_split_across_reads)
{
    check_all_splits("{\"a\":1}\n{\"b\":22}\n[3]\n", 4096, 1000,
                     "1@0:{\"a\":1}|2@8:{\"b\":22}|3@17:[3]|");
}
END_TEST

START_TEST(small_batches_keep_numbers_and_offsets)
{
    /* Batches of 8 bytes force a new batch every line or two. */
    check_all_splits("aaaa\nbbbbbb\ncc\nddddddd\ne\n", 8, 1000,
                     "1@0:aaaa|2@5:bbbbbb|3@12:cc|4@15:ddddddd|5@23:e|");
}
END_TEST

START_TEST(crlf_is_stripped)
{
    check_all_splits("x\r\ny\r\n\r\nz", 4096, 1000, "1@0:x|2@3:y|3@6:|4@8:z|");
}
END_TEST

START_TEST(last_line_without_newline_counts)
{
    check_all_splits("a\nb", 4096, 1000, "1@0:a|2@2:b|");
}
END_TEST

START_TEST(blank_lines_keep_their_numbers)
{
    check_all_splits("\n\na\n\n", 4096, 1000, "1@0:|2@1:|3@2:a|4@4:|");
}
END_TEST

START_TEST(over_long_line_is_skipped_not_held)
{
    /* max_line 5: the 10-byte line is kept as its first 5 bytes only. */
    check_all_splits("ab\n0123456789\ncd\n", 4096, 5,
                     "1@0:ab|2@3:long(10,01234)|3@14:cd|");
    check_all_splits("ab\n0123456789", 4096, 5, "1@0:ab|2@3:long(10,01234)|");
    check_all_splits("0123456\n01234\n", 4096, 5, "1@0:long(7,01234)|2@8:01234|");
}
END_TEST

START_TEST(over_long_line_memory_is_bounded)
{
    /* A 100 KB line with max_line 1000 and 64-byte batches: no buffer may
     * grow past max_line + 1 (or a batch), whatever the read size. */
    size_t n = 100000;
    char *input = malloc(n + 8);
    memset(input, 'x', n);
    strcpy(input + n, "\n{}\n");
    transcript t;
    frame(&t, input, 4096, 64, 1000);
    ck_assert_uint_le(t.max_cap, 1001);
    jp_buf_putc(&t.text, '\0');
    const char *want = "|2@100001:{}|";
    ck_assert_str_eq(t.text.data + strlen(t.text.data) - strlen(want), want);
    jp_buf_free(&t.text);
    free(input);
}
END_TEST

START_TEST(many_over_long_lines_share_a_batch)
{
    /* Every line over max_line, short lines between some: numbers and
     * offsets stay right for every split, and one read of many over-long
     * lines does not make a batch per line. */
    check_all_splits("0123456\n89abcdef\nx\n0123456789\n\n01234567", 4096, 5,
                     "1@0:long(7,01234)|2@8:long(8,89abc)|3@17:x|4@19:long(10,01234)|"
                     "5@30:|6@31:long(8,01234)|");
    check_all_splits("abc\nabcd\nab\n", 8, 2, "1@0:long(3,ab)|2@4:long(4,ab)|3@9:ab|");
    size_t n = 1000, len = 40;
    jp_buf in = {0};
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < len; j++)
            jp_buf_putc(&in, (char)('a' + (i + j) % 26));
        jp_buf_putc(&in, '\n');
    }
    jp_buf_putc(&in, '\0');
    transcript t;
    frame(&t, in.data, in.len, 1 << 20, 10);
    ck_assert_int_le(t.batches, 2);
    jp_buf_putc(&t.text, '\0');
    ck_assert_ptr_nonnull(strstr(t.text.data, "|1000@40959:long(40,lmnopqrstu)|"));
    jp_buf_free(&t.text);
    jp_buf_free(&in);
}
END_TEST

START_TEST(line_longer_than_batch_grows_the_buffer)
{
    check_all_splits("0123456789abcdef\nx\n", 8, 100, "1@0:0123456789abcdef|2@17:x|");
}
END_TEST

/* One read of text, into the space the framer offers, without an end. */
static void put(jp_framer *f, const char *text)
{
    char *p;
    size_t room;
    jp_framer_space(f, &p, &room);
    ck_assert_uint_ge(room, strlen(text));
    memcpy(p, text, strlen(text));
    jp_framer_commit(f, strlen(text));
}

START_TEST(flush_sends_whole_lines_only)
{
    transcript t;
    jp_framer f;
    start(&t, &f, 4096, 100);
    jp_framer_begin(&f, "test");
    put(&f, "a\nb");
    ck_assert_int_eq(t.batches, 0);
    jp_framer_flush(&f);
    ck_assert_int_eq(t.batches, 1);
    put(&f, "c\n");
    jp_framer_finish(&f);
    jp_buf_putc(&t.text, '\0');
    ck_assert_str_eq(t.text.data, "1@0:a|2@2:bc|");
    jp_buf_free(&t.text);
}
END_TEST

/* Frames inputs one after another in one framer, named in1, in2, ...,
 * each fed in reads of at most chunk bytes. */
static void frame_inputs(transcript *t, const char *const *inputs, size_t n, size_t chunk,
                         size_t batch_size, size_t max_line)
{
    static const char *const names[] = {"in1", "in2", "in3", "in4", "in5", "in6", "in7", "in8"};
    jp_framer f;
    start(t, &f, batch_size, max_line);
    for (size_t i = 0; i < n; i++) {
        jp_framer_begin(&f, names[i]);
        framer_feed_input(&f, inputs[i], strlen(inputs[i]), chunk);
    }
    jp_framer_finish(&f);
    ck_assert_ptr_null(f.cur);
}

static void check_inputs(const char *const *inputs, size_t n, size_t batch_size, size_t max_line,
                         const char *expected, int max_batches)
{
    for (size_t chunk = 1; chunk <= 12; chunk++) {
        transcript t;
        frame_inputs(&t, inputs, n, chunk, batch_size, max_line);
        jp_buf_putc(&t.text, '\0');
        ck_assert_msg(strcmp(t.text.data ? t.text.data : "", expected) == 0,
                      "chunk %zu: got %s, want %s", chunk, t.text.data, expected);
        if (max_batches)
            ck_assert_int_le(t.batches, max_batches);
        jp_buf_free(&t.text);
    }
}

START_TEST(inputs_share_a_batch_each_line_its_own_place)
{
    /* A last line without '\n' (and one ending in CR) stays apart from the
     * next input's first; an empty input has no segment; blank lines keep
     * their numbers; all in one batch. */
    static const char *const in[] = {"a\nb\n", "c", "d\r", "\n\ne\n", "", "f\n", "g\r\nh"};
    const char *want = "1@0:a|2@2:b|in2>1@0:c|in3>1@0:d|in4>1@0:|2@1:|3@2:e|in6>1@0:f|"
                       "in7>1@0:g|2@3:h|";
    check_inputs(in, 7, 4096, 100, want, 1);
    /* Batches of 8 bytes: inputs cut across batches, numbers still right. */
    check_inputs(in, 7, 8, 100, want, 0);
}
END_TEST

START_TEST(over_long_line_at_an_input_end)
{
    static const char *const in[] = {"ab\n0123456789", "x\n", "0123456", "yz"};
    const char *want = "1@0:ab|2@3:long(10,01234)|in2>1@0:x|in3>1@0:long(7,01234)|in4>1@0:yz|";
    /* (Whole lines go out before an over-long line: 3 batches.) */
    check_inputs(in, 4, 4096, 5, want, 3);
    check_inputs(in, 4, 8, 5, want, 0);
}
END_TEST

START_TEST(dropped_input_leaves_the_others)
{
    transcript t;
    jp_framer f;
    start(&t, &f, 4096, 5);
    jp_framer_begin(&f, "in1");
    framer_feed_input(&f, "a\n", 2, 2);
    jp_framer_begin(&f, "in2");
    put(&f, "zz\n01"); /* a whole line and a partial one */
    jp_framer_drop_input(&f);
    jp_framer_begin(&f, "in3");
    framer_feed_input(&f, "b\n", 2, 2);
    jp_framer_finish(&f);
    jp_buf_putc(&t.text, '\0');
    ck_assert_str_eq(t.text.data, "1@0:a|in3>1@0:b|");
    ck_assert_int_eq(t.batches, 1);
    jp_buf_free(&t.text);
}
END_TEST

START_TEST(segments_per_batch_are_bounded)
{
    /* 4 KiB batches hold at most 4096 / 8 bytes of segments. */
    transcript t;
    jp_framer f;
    start(&t, &f, 4096, 100);
    char name[100][8];
    for (int i = 0; i < 100; i++) {
        snprintf(name[i], sizeof name[i], "f%d", i);
        jp_framer_begin(&f, name[i]);
        framer_feed_input(&f, "{}\n", 3, 3);
    }
    jp_framer_finish(&f);
    size_t per = 4096 / 8 / sizeof(jp_segment);
    ck_assert_int_eq(t.segments, 100);
    ck_assert_int_eq(t.batches, (int)((100 + per - 1) / per));
    jp_buf_free(&t.text);
}
END_TEST

/* Against a byte by byte count: every length up to past one block of
 * sums (255 x 16 bytes), newlines dense, sparse and at the ends. */
START_TEST(newlines_are_counted_exactly)
{
    enum { N = 255 * 16 * 2 + 37 };
    char *p = malloc(N);
    for (int pattern = 0; pattern < 3; pattern++) {
        for (size_t i = 0; i < N; i++)
            p[i] = pattern == 0 ? '\n' : pattern == 1 ? (i % 7 == 0 ? '\n' : 'x') : (char)(i * 31);
        for (size_t n = 0; n <= N; n += n < 70 ? 1 : 61) {
            uint64_t want = 0;
            for (size_t i = 0; i < n; i++)
                want += p[i] == '\n';
            ck_assert_uint_eq(jp_count_newlines(p, n), want);
            ck_assert_uint_eq(jp_count_newlines(p + 1, n ? n - 1 : 0), want - (n && p[0] == '\n'));
        }
    }
    free(p);
}
END_TEST

Suite *framer_suite(void)
{
    Suite *s = suite_create("framer");
    TCase *tc = tcase_create("framing");
    tcase_add_test(tc, lines_split_across_reads);
    tcase_add_test(tc, small_batches_keep_numbers_and_offsets);
    tcase_add_test(tc, crlf_is_stripped);
    tcase_add_test(tc, last_line_without_newline_counts);
    tcase_add_test(tc, blank_lines_keep_their_numbers);
    tcase_add_test(tc, over_long_line_is_skipped_not_held);
    tcase_add_test(tc, over_long_line_memory_is_bounded);
    tcase_add_test(tc, many_over_long_lines_share_a_batch);
    tcase_add_test(tc, line_longer_than_batch_grows_the_buffer);
    tcase_add_test(tc, flush_sends_whole_lines_only);
    tcase_add_test(tc, inputs_share_a_batch_each_line_its_own_place);
    tcase_add_test(tc, over_long_line_at_an_input_end);
    tcase_add_test(tc, dropped_input_leaves_the_others);
    tcase_add_test(tc, segments_per_batch_are_bounded);
    tcase_add_test(tc, newlines_are_counted_exactly);
    tcase_add_test(tc, mapped_windows_among_reads_keep_numbers);
    suite_add_tcase(s, tc);
    return s;
}
