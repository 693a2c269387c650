/* check_counters.c: the Hadoop Streaming reports of --counters: exact lines,
 * amounts that are deltas, and the sums a run's reports add up to. */
#include <fcntl.h>
#include <unistd.h>

#include "check_suites.h"
#include "counters.h"

static jp_totals totals(uint64_t in, uint64_t out, uint64_t rejected, uint64_t dropped,
                        uint64_t bytes_in, uint64_t bytes_out)
{
    jp_totals t = {0};
    t.records_in = in;
    t.records_out = out;
    t.rejected = rejected;
    t.dropped = dropped;
    t.bytes_in = bytes_in;
    t.bytes_out = bytes_out;
    return t;
}

static void check_report(jp_counters *c, jp_totals t, int last, const char *want)
{
    jp_buf b = {0};
    jp_counters_format(c, &t, last, &b);
    jp_buf_putc(&b, '\0');
    ck_assert_str_eq(b.data, want);
    jp_buf_free(&b);
}

START_TEST(reports_carry_deltas_and_leave_out_what_did_not_change)
{
    jp_counters c;
    jp_counters_init(&c, -1, 5000);
    check_report(&c, totals(0, 0, 0, 0, 0, 0), 0,
                 "reporter:status:jsonpipe: 0 records in, 0 out, 0 rejected\n");
    check_report(&c, totals(10, 8, 1, 1, 400, 320), 0,
                 "reporter:counter:jsonpipe,records_in,10\n"
                 "reporter:counter:jsonpipe,records_out,8\n"
                 "reporter:counter:jsonpipe,rejected,1\n"
                 "reporter:counter:jsonpipe,dropped,1\n"
                 "reporter:counter:jsonpipe,bytes_in,400\n"
                 "reporter:counter:jsonpipe,bytes_out,320\n"
                 "reporter:status:jsonpipe: 10 records in, 8 out, 1 rejected\n");
    check_report(&c, totals(25, 20, 1, 4, 1000, 800), 0,
                 "reporter:counter:jsonpipe,records_in,15\n"
                 "reporter:counter:jsonpipe,records_out,12\n"
                 "reporter:counter:jsonpipe,dropped,3\n"
                 "reporter:counter:jsonpipe,bytes_in,600\n"
                 "reporter:counter:jsonpipe,bytes_out,480\n"
                 "reporter:status:jsonpipe: 25 records in, 20 out, 1 rejected\n");
    /* Nothing new: the status line alone keeps the task alive. */
    check_report(&c, totals(25, 20, 1, 4, 1000, 800), 0,
                 "reporter:status:jsonpipe: 25 records in, 20 out, 1 rejected\n");
}
END_TEST

START_TEST(the_last_report_names_every_counter)
{
    jp_counters c;
    jp_counters_init(&c, -1, 5000);
    check_report(&c, totals(3, 3, 0, 0, 30, 30), 0,
                 "reporter:counter:jsonpipe,records_in,3\n"
                 "reporter:counter:jsonpipe,records_out,3\n"
                 "reporter:counter:jsonpipe,bytes_in,30\n"
                 "reporter:counter:jsonpipe,bytes_out,30\n"
                 "reporter:status:jsonpipe: 3 records in, 3 out, 0 rejected\n");
    check_report(&c, totals(5, 3, 2, 0, 52, 30), 1,
                 "reporter:counter:jsonpipe,records_in,2\n"
                 "reporter:counter:jsonpipe,records_out,0\n"
                 "reporter:counter:jsonpipe,rejected,2\n"
                 "reporter:counter:jsonpipe,dropped,0\n"
                 "reporter:counter:jsonpipe,bytes_in,22\n"
                 "reporter:counter:jsonpipe,bytes_out,0\n"
                 "reporter:status:jsonpipe: 5 records in, 3 out, 2 rejected\n");
}
END_TEST

START_TEST(amounts_sum_to_the_totals_even_past_32_bits)
{
    jp_counters c;
    jp_counters_init(&c, -1, 5000);
    uint64_t big = (uint64_t)1 << 40;
    check_report(&c, totals(1, 1, 0, 0, big, big - 1), 0,
                 "reporter:counter:jsonpipe,records_in,1\n"
                 "reporter:counter:jsonpipe,records_out,1\n"
                 "reporter:counter:jsonpipe,bytes_in,1099511627776\n"
                 "reporter:counter:jsonpipe,bytes_out,1099511627775\n"
                 "reporter:status:jsonpipe: 1 records in, 1 out, 0 rejected\n");
    check_report(&c, totals(2, 2, 0, 0, 3 * big, 3 * big), 1,
                 "reporter:counter:jsonpipe,records_in,1\n"
                 "reporter:counter:jsonpipe,records_out,1\n"
                 "reporter:counter:jsonpipe,rejected,0\n"
                 "reporter:counter:jsonpipe,dropped,0\n"
                 "reporter:counter:jsonpipe,bytes_in,2199023255552\n"
                 "reporter:counter:jsonpipe,bytes_out,2199023255553\n"
                 "reporter:status:jsonpipe: 2 records in, 2 out, 0 rejected\n");
    ck_assert_uint_eq(c.sent[JP_COUNTER_BYTES_OUT], 3 * big);
}
END_TEST

START_TEST(a_report_is_written_whole_to_the_descriptor)
{
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    jp_counters c;
    jp_counters_init(&c, fds[1], 5000);
    jp_totals t = totals(7, 6, 1, 0, 70, 60);
    c.watch.report(c.watch.ctx, &t, 0);
    close(fds[1]);
    char got[512];
    ssize_t n = read(fds[0], got, sizeof got - 1);
    close(fds[0]);
    ck_assert_int_gt(n, 0);
    got[n] = '\0';
    ck_assert_str_eq(got, "reporter:counter:jsonpipe,records_in,7\n"
                          "reporter:counter:jsonpipe,records_out,6\n"
                          "reporter:counter:jsonpipe,rejected,1\n"
                          "reporter:counter:jsonpipe,bytes_in,70\n"
                          "reporter:counter:jsonpipe,bytes_out,60\n"
                          "reporter:status:jsonpipe: 7 records in, 6 out, 1 rejected\n");
}
END_TEST

START_TEST(only_hadoop_and_whole_milliseconds_are_taken)
{
    ck_assert(jp_counters_format_known("hadoop"));
    ck_assert(!jp_counters_format_known("Hadoop"));
    ck_assert(!jp_counters_format_known(""));
    ck_assert(!jp_counters_format_known("hadoop "));
    uint64_t ms = 0;
    ck_assert_int_eq(jp_counters_interval(NULL, &ms), 0);
    ck_assert_uint_eq(ms, JP_COUNTERS_INTERVAL_MS);
    ck_assert_int_eq(jp_counters_interval("", &ms), 0);
    ck_assert_uint_eq(ms, JP_COUNTERS_INTERVAL_MS);
    ck_assert_int_eq(jp_counters_interval("50", &ms), 0);
    ck_assert_uint_eq(ms, 50);
    ck_assert_int_eq(jp_counters_interval("86400000", &ms), 0);
    ck_assert_uint_eq(ms, 86400000);
    static const char *const bad[] = {"0", "-5", "+5", " 5", "5 ", "5ms", "1.5", "x",
                                      "86400001", "99999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(jp_counters_interval(bad[i], &ms) < 0, "took '%s'", bad[i]);
}
END_TEST

Suite *counters_suite(void)
{
    Suite *s = suite_create("counters");
    TCase *tc = tcase_create("counters");
    tcase_add_test(tc, reports_carry_deltas_and_leave_out_what_did_not_change);
    tcase_add_test(tc, the_last_report_names_every_counter);
    tcase_add_test(tc, amounts_sum_to_the_totals_even_past_32_bits);
    tcase_add_test(tc, a_report_is_written_whole_to_the_descriptor);
    tcase_add_test(tc, only_hadoop_and_whole_milliseconds_are_taken);
    suite_add_tcase(s, tc);
    return s;
}
