/* check_budget.c: the error budget of --max-rejects (budget.c): the values
 * it takes and the exact reasons of those it refuses, and where a count and
 * a percentage put the boundary, to the record, up to 2^64 records. */
#include <stdint.h>
#include <stdio.h>

#include "budget.h"
#include "check_suites.h"

static jp_budget parsed(const char *text)
{
    jp_budget b;
    char err[256] = "";
    ck_assert_msg(jp_budget_parse(text, &b, err, sizeof err) == 0, "%s: %s", text, err);
    ck_assert_ptr_eq(b.given, text);
    return b;
}

static void refuses(const char *text, const char *want)
{
    jp_budget b;
    char err[256] = "";
    ck_assert_msg(jp_budget_parse(text, &b, err, sizeof err) == -1, "%s: taken", text);
    ck_assert_str_eq(err, want);
}

START_TEST(no_flag_allows_no_rejection)
{
    jp_budget none = {0};
    ck_assert(jp_budget_within(&none, 0, 0));
    ck_assert(jp_budget_within(&none, 0, 1000));
    ck_assert(!jp_budget_within(&none, 1, 1000));
    jp_budget zero = parsed("0"), zero_pct = parsed("0%");
    ck_assert(jp_budget_within(&zero, 0, 5) && !jp_budget_within(&zero, 1, 5));
    ck_assert(jp_budget_within(&zero_pct, 0, 5) && !jp_budget_within(&zero_pct, 1, 5));
}
END_TEST

START_TEST(a_count_allows_up_to_n)
{
    jp_budget b = parsed("3");
    ck_assert(!b.percent);
    ck_assert_uint_eq(b.count, 3);
    ck_assert(jp_budget_within(&b, 3, 3));
    ck_assert(!jp_budget_within(&b, 4, 1000000));
    /* A count does not depend on how many records were read. */
    ck_assert_uint_eq(jp_budget_allowed(&b, 0), 3);
    b = parsed("18446744073709551615");
    ck_assert(jp_budget_within(&b, UINT64_MAX, UINT64_MAX));
    b = parsed("007");
    ck_assert_uint_eq(b.count, 7);
}
END_TEST

START_TEST(a_percentage_of_the_records_rounds_down)
{
    jp_budget b = parsed("5%");
    ck_assert(b.percent);
    ck_assert_uint_eq(b.share, 5000000);
    ck_assert_uint_eq(jp_budget_allowed(&b, 61), 3); /* 3.05 */
    ck_assert_uint_eq(jp_budget_allowed(&b, 60), 3);
    ck_assert_uint_eq(jp_budget_allowed(&b, 59), 2);
    ck_assert_uint_eq(jp_budget_allowed(&b, 0), 0);
    ck_assert(jp_budget_within(&b, 3, 61) && !jp_budget_within(&b, 4, 61));
    b = parsed("0.5%");
    ck_assert_uint_eq(jp_budget_allowed(&b, 200), 1);
    ck_assert_uint_eq(jp_budget_allowed(&b, 199), 0);
    b = parsed("11.475%");
    ck_assert_uint_eq(jp_budget_allowed(&b, 61), 6); /* 6.99975 */
    b = parsed("11.476%");
    ck_assert_uint_eq(jp_budget_allowed(&b, 61), 7);
    b = parsed("0.000001%");
    ck_assert_uint_eq(jp_budget_allowed(&b, 100000000), 1);
    ck_assert_uint_eq(jp_budget_allowed(&b, 99999999), 0);
    b = parsed("100%");
    ck_assert_uint_eq(jp_budget_allowed(&b, 61), 61);
    ck_assert_uint_eq(jp_budget_allowed(&b, UINT64_MAX), UINT64_MAX);
    b = parsed("100.000000%");
    ck_assert_uint_eq(b.share, 100000000);
    b = parsed("50%");
    ck_assert_uint_eq(jp_budget_allowed(&b, UINT64_MAX), UINT64_MAX / 2);
    b = parsed("33.333333%");
    ck_assert_uint_eq(jp_budget_allowed(&b, 3000000), 999999);
}
END_TEST

START_TEST(refuses_what_is_no_budget)
{
    refuses("-1", "'-1' is negative");
    refuses("-0%", "'-0%' is negative");
    refuses("101%", "'101%' is more than 100%");
    refuses("100.000001%", "'100.000001%' is more than 100%");
    refuses("1000000000000000000000%", "'1000000000000000000000%' is more than 100%");
    refuses("0.1234567%", "'0.1234567%' has more than 6 decimals");
    refuses("18446744073709551616", "'18446744073709551616' is too large a count");
    static const char *const junk[] = {"", "%", "abc", "5x", "5%x", "5%%", " 5", "5 ", "+5",
                                       "0x10", "1e3", "5.%", ".5%", "5.5", "1,5%", "-", "5 %"};
    for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++) {
        char want[128];
        snprintf(want, sizeof want, "'%s' is not a count (N) or a percentage (P%%, 0 to 100)",
                 junk[i]);
        refuses(junk[i], want);
    }
}
END_TEST

Suite *budget_suite(void)
{
    Suite *s = suite_create("budget");
    TCase *tc = tcase_create("budget");
    tcase_add_test(tc, no_flag_allows_no_rejection);
    tcase_add_test(tc, a_count_allows_up_to_n);
    tcase_add_test(tc, a_percentage_of_the_records_rounds_down);
    tcase_add_test(tc, refuses_what_is_no_budget);
    suite_add_tcase(s, tc);
    return s;
}
