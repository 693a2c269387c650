/* check_clock.c: the run's clock (clock.c): the RFC 3339 times --now
 * takes, to the nanosecond, the exact reasons of the ones it refuses, and
 * a fixed clock against the real one. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "check_suites.h"
#include "clock.h"

static void parses(const char *text, long long want_sec, long want_nsec)
{
    struct timespec at = {-1, -1};
    char err[256] = "";
    ck_assert_msg(jp_clock_parse(text, &at, err, sizeof err) == 0, "%s: %s", text, err);
    ck_assert_msg((long long)at.tv_sec == want_sec && at.tv_nsec == want_nsec,
                  "%s: %lld.%09ld, want %lld.%09ld", text, (long long)at.tv_sec, at.tv_nsec,
                  want_sec, want_nsec);
}

static void refuses(const char *text, const char *want)
{
    struct timespec at;
    char err[256] = "";
    ck_assert_msg(jp_clock_parse(text, &at, err, sizeof err) == -1, "%s: taken", text);
    ck_assert_str_eq(err, want);
}

/* The reason of a text that is not of the form. */
static void not_a_time(const char *text)
{
    char want[256];
    snprintf(want, sizeof want,
             "'%s' is not an RFC 3339 time with a zone, such as 2026-01-02T03:04:05Z or "
             "2026-01-02T05:04:05.250+02:00",
             text);
    refuses(text, want);
}

START_TEST(parse_reads_utc_offsets_and_fractions)
{
    parses("2026-01-02T03:04:05Z", 1767323045, 0);
    parses("2026-01-02t03:04:05z", 1767323045, 0);
    parses("2026-01-02 03:04:05Z", 1767323045, 0);
    parses("2026-01-02T05:04:05+02:00", 1767323045, 0);
    parses("2026-01-01T21:34:05-05:30", 1767323045, 0);
    parses("2026-01-02T03:04:05.250+02:00", 1767315845, 250000000);
    parses("2026-01-02T03:04:05.1Z", 1767323045, 100000000);
    parses("2026-01-02T03:04:05.000001Z", 1767323045, 1000);
    parses("2026-01-02T03:04:05.123456789Z", 1767323045, 123456789);
    /* Past the nanosecond, digits are dropped, never rounded up. */
    parses("2026-01-02T03:04:05.9999999999999Z", 1767323045, 999999999);
    parses("1970-01-01T00:00:00Z", 0, 0);
    parses("1970-01-01T01:00:00+01:00", 0, 0);
    parses("2024-02-29T12:00:00Z", 1709208000, 0);
    parses("9999-12-31T23:59:59.999999999Z", 253402300799, 999999999);
    /* A leap second is the next minute's :00, as parse_time() has it. */
    parses("2016-12-31T23:59:60Z", 1483228800, 0);
}
END_TEST

START_TEST(parse_refuses_what_is_not_an_rfc3339_time_with_a_zone)
{
    not_a_time("2026-01-02T03:04:05");
    not_a_time("2026-01-02T03:04:05.250");
    not_a_time("2026-01-02T03:04Z");
    not_a_time("2026-01-02");
    not_a_time("garbage");
    not_a_time("");
    not_a_time("2026-01-02T03:04:05ZZ");
    not_a_time("2026-01-02T03:04:05Z ");
    not_a_time(" 2026-01-02T03:04:05Z");
    not_a_time("2026-01-02T03:04:05.Z");
    not_a_time("2026-01-02T03:04:05+0200");
    not_a_time("2026-01-02T03:04:05+2:00");
    not_a_time("2026-01-02X03:04:05Z");
    not_a_time("-026-01-02T03:04:05Z");
    not_a_time("1767323045");
}
END_TEST

START_TEST(parse_refuses_dates_and_times_that_do_not_exist)
{
    refuses("2026-13-02T03:04:05Z", "'2026-13-02T03:04:05Z' names no such date or time");
    refuses("2026-00-02T03:04:05Z", "'2026-00-02T03:04:05Z' names no such date or time");
    refuses("2026-02-29T03:04:05Z", "'2026-02-29T03:04:05Z' names no such date or time");
    refuses("2026-04-31T03:04:05Z", "'2026-04-31T03:04:05Z' names no such date or time");
    refuses("2026-01-02T24:00:00Z", "'2026-01-02T24:00:00Z' names no such date or time");
    refuses("2026-01-02T03:60:05Z", "'2026-01-02T03:60:05Z' names no such date or time");
    refuses("2026-01-02T03:04:61Z", "'2026-01-02T03:04:61Z' names no such date or time");
    refuses("2026-01-02T03:04:05+24:00", "'2026-01-02T03:04:05+24:00' names no such date or time");
    refuses("2026-01-02T03:04:05+02:60", "'2026-01-02T03:04:05+02:60' names no such date or time");
}
END_TEST

START_TEST(parse_refuses_times_outside_1970_to_9999)
{
    refuses("1969-12-31T23:59:59.999Z", "'1969-12-31T23:59:59.999Z' is not from 1970 to 9999 in UTC");
    refuses("1970-01-01T00:00:00+00:01", "'1970-01-01T00:00:00+00:01' is not from 1970 to 9999 in UTC");
    refuses("0000-01-01T00:00:00Z", "'0000-01-01T00:00:00Z' is not from 1970 to 9999 in UTC");
    refuses("9999-12-31T23:59:59-00:01", "'9999-12-31T23:59:59-00:01' is not from 1970 to 9999 in UTC");
}
END_TEST

START_TEST(a_fixed_clock_stands_and_the_real_one_comes_back)
{
    struct timespec at = {1767323045, 250000000}, now;
    jp_clock_fix(&at);
    jp_clock_now(&now);
    ck_assert(now.tv_sec == at.tv_sec && now.tv_nsec == at.tv_nsec);
    jp_clock_now(&now);
    ck_assert(now.tv_sec == at.tv_sec && now.tv_nsec == at.tv_nsec);

    jp_clock_fix(NULL);
    struct timespec before, after;
    clock_gettime(CLOCK_REALTIME, &before);
    jp_clock_now(&now);
    clock_gettime(CLOCK_REALTIME, &after);
    double b = (double)before.tv_sec + (double)before.tv_nsec / 1e9;
    double a = (double)after.tv_sec + (double)after.tv_nsec / 1e9;
    double t = (double)now.tv_sec + (double)now.tv_nsec / 1e9;
    ck_assert(t >= b && t <= a);
}
END_TEST

Suite *clock_suite(void)
{
    Suite *s = suite_create("clock");
    TCase *tc = tcase_create("clock");
    tcase_add_test(tc, parse_reads_utc_offsets_and_fractions);
    tcase_add_test(tc, parse_refuses_what_is_not_an_rfc3339_time_with_a_zone);
    tcase_add_test(tc, parse_refuses_dates_and_times_that_do_not_exist);
    tcase_add_test(tc, parse_refuses_times_outside_1970_to_9999);
    tcase_add_test(tc, a_fixed_clock_stands_and_the_real_one_comes_back);
    suite_add_tcase(s, tc);
    return s;
}
