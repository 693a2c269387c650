/* check_report.c: the error record format and the stderr message format. */
#include "check_suites.h"
#include "json.h"
#include "report.h"

static void check_json(const jp_rejection *r, const char *want)
{
    jp_buf b = {0};
    jp_report_json(&b, r);
    jp_buf_putc(&b, '\0');
    ck_assert_str_eq(b.data, want);
    jp_buf_free(&b);
}

START_TEST(record_is_the_exact_line)
{
    jp_rejection r = {"logs/a b.ndjson", 12, 3456, "parse", "invalid JSON at column 3: x",
                      "{\"k\":\"\xe6\x9d\x8e\t\"", 11, 0};
    check_json(&r, "{\"file\":\"logs/a b.ndjson\",\"line\":12,\"offset\":3456,\"stage\":\"parse\","
                   "\"error\":\"invalid JSON at column 3: x\",\"record\":\"{\\\"k\\\":\\\"\xe6\x9d\x8e\\t\\\"\"}\n");
}
END_TEST

START_TEST(invalid_utf8_keeps_exact_bytes_in_base64)
{
    jp_rejection r = {"f", 1, 0, "parse", "bad", "{\"a\xff\xfe\":1}", 9, 0};
    check_json(&r, "{\"file\":\"f\",\"line\":1,\"offset\":0,\"stage\":\"parse\",\"error\":\"bad\","
                   "\"record\":\"{\\\"a\xef\xbf\xbd\xef\xbf\xbd\\\":1}\",\"record_base64\":\"eyJh//4iOjF9\"}\n");
}
END_TEST

START_TEST(truncated_long_line_is_flagged)
{
    jp_rejection r = {"f", 2, 10, "parse", "line of 99 bytes is longer than --max-line", "abc", 3, 1};
    check_json(&r, "{\"file\":\"f\",\"line\":2,\"offset\":10,\"stage\":\"parse\","
                   "\"error\":\"line of 99 bytes is longer than --max-line\",\"record\":\"abc\","
                   "\"truncated\":true}\n");
}
END_TEST

START_TEST(text_message_names_file_and_line)
{
    jp_rejection r = {"<stdin>", 7, 99, "require", "missing field \"id\"", "{}", 2, 0};
    jp_buf b = {0};
    jp_report_text(&b, &r);
    jp_buf_putc(&b, '\0');
    ck_assert_str_eq(b.data, "jsonpipe: <stdin>:7: missing field \"id\"\n");
    jp_buf_free(&b);
}
END_TEST

START_TEST(base64_padding)
{
    jp_buf b = {0};
    jp_base64(&b, "a", 1);
    jp_base64(&b, "ab", 2);
    jp_base64(&b, "abc", 3);
    jp_buf_putc(&b, '\0');
    ck_assert_str_eq(b.data, "YQ==YWI=YWJj");
    jp_buf_free(&b);
}
END_TEST

Suite *report_suite(void)
{
    Suite *s = suite_create("report");
    TCase *tc = tcase_create("report");
    tcase_add_test(tc, record_is_the_exact_line);
    tcase_add_test(tc, invalid_utf8_keeps_exact_bytes_in_base64);
    tcase_add_test(tc, truncated_long_line_is_flagged);
    tcase_add_test(tc, text_message_names_file_and_line);
    tcase_add_test(tc, base64_padding);
    suite_add_tcase(s, tc);
    return s;
}
