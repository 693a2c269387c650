/* check_report.c: the error record format and the stderr message format. */
#include <errno.h>
#include <uv.h>

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

static void check_text(const jp_rejection *r, const char *want)
{
    jp_buf b = {0};
    jp_report_text(&b, r);
    jp_buf_putc(&b, '\0');
    ck_assert_str_eq(b.data, want);
    jp_buf_free(&b);
}

START_TEST(text_message_names_file_and_line)
{
    jp_rejection r = {"<stdin>", 7, 99, "require", "missing field \"id\"", "{}", 2, 0};
    check_text(&r, "jsonpipe: <stdin>:7: missing field \"id\"\n");
}
END_TEST

static void check_escape(const char *in, size_t n, const char *want)
{
    jp_buf b = {0};
    jp_report_escape(&b, in, n);
    jp_buf_putc(&b, '\0');
    ck_assert_str_eq(b.data, want);
    jp_buf_free(&b);
}

/* in is a string literal: it may hold a NUL. */
#define ESCAPES(in, want) check_escape(in, sizeof in - 1, want)

START_TEST(escape_for_the_terminal)
{
    ESCAPES("plain \\ \"text\" \xc3\xa9\xe6\x9d\x8e", "plain \\ \"text\" \xc3\xa9\xe6\x9d\x8e");
    ESCAPES("\n\r\t\b\f\v\x1b[2J\x07\x7f", "\\n\\r\\t\\b\\f\\u000b\\u001b[2J\\u0007\\u007f");
    ESCAPES("a\0b", "a\\u0000b");
    ESCAPES("\xc2\x80\xc2\x9b\xc2\x9f\xc2\xa0", "\\u0080\\u009b\\u009f\xc2\xa0");
    ESCAPES("\xe2\x80\xa8\xe2\x80\xa9\xe2\x80\xae\xe2\x81\xa6\xe2\x80\xa7",
            "\\u2028\\u2029\\u202e\\u2066\xe2\x80\xa7");
    ESCAPES("\xff\xc0\x80\xed\xa0\x80x\xe6\x9d", "\\xff\\xc0\\x80\\xed\\xa0\\x80x\\xe6\\x9d");
}
END_TEST

START_TEST(text_message_is_one_escaped_line)
{
    jp_rejection r = {"a\nb\x1b", 3, 0, "require", "missing field \"x\ny\x9b\"", "{}", 2, 0};
    check_text(&r, "jsonpipe: a\\nb\\u001b:3: missing field \"x\\ny\\x9b\"\n");
}
END_TEST

START_TEST(system_errors_in_one_style)
{
    ck_assert_str_eq(jp_report_syserr(ENOENT), "No such file or directory");
    ck_assert_str_eq(jp_report_syserr(UV_ENOENT), "No such file or directory");
    ck_assert_str_eq(jp_report_syserr(UV_EPIPE), "Broken pipe");
}
END_TEST

/* fit_is SIZE TEXT WANT: TEXT cut by snprintf to SIZE, then fitted. */
static void fit_is(size_t size, const char *text, const char *want)
{
    char buf[64];
    ck_assert_uint_le(size, sizeof buf);
    snprintf(buf, size, "%s", text);
    jp_report_fit(buf, size);
    ck_assert_str_eq(buf, want);
}

START_TEST(a_cut_message_ends_on_a_whole_character)
{
    fit_is(16, "short", "short");
    fit_is(16, "exactly 15 bytes", "exactly 15 b..."); /* filled: may be cut */
    fit_is(12, "abcdefghijklmnop", "abcdefgh...");
    fit_is(12, "abcdefg\xc3\xa9ijk", "abcdefg...");        /* é split at 8 */
    fit_is(12, "abcdef\xc3\xa9ijkl", "abcdef\xc3\xa9...");  /* é whole */
    fit_is(12, "abcde\xf0\x9f\x98\x80xyz", "abcde...");     /* emoji split */
    fit_is(12, "abcd\xf0\x9f\x98\x80xyz", "abcd\xf0\x9f\x98\x80...");
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
    tcase_add_test(tc, escape_for_the_terminal);
    tcase_add_test(tc, text_message_is_one_escaped_line);
    tcase_add_test(tc, system_errors_in_one_style);
    tcase_add_test(tc, a_cut_message_ends_on_a_whole_character);
    tcase_add_test(tc, base64_padding);
    suite_add_tcase(s, tc);
    return s;
}
