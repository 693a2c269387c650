/* check_expr_fn.c: the text, regex and time functions of the expression
 * language (fn_string.c, fn_time.c), called through the function table as
 * the evaluator calls them: exact results, edge cases, and the exact
 * reasons of their errors. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check_suites.h"
#include "clock.h"
#include "expr/func.h"

static jp_xctx ctx;

static void setup(void)
{
    jp_xctx_init(&ctx);
}

static void teardown(void)
{
    jp_xctx_free(&ctx);
}

/* Calls the function called name as the evaluator does (its regex argument
 * compiled first) and checks what it returns: JP_XOK with the result's
 * JSON text want, or another code with the reason want. */
static void check_call(const char *name, int want_rc, const char *want, const jp_xval *args,
                       int nargs)
{
    const jp_xfunc *fn = jp_xfunc_find(name, strlen(name));
    ck_assert_msg(fn != NULL, "no function %s", name);
    ck_assert_int_ge(nargs, fn->min_args);
    ck_assert_int_le(nargs, fn->max_args);
    jp_xcall call = {fn, NULL};
    jp_regex *re = NULL;
    if (fn->regex_arg >= 0) {
        char err[200];
        const jp_xval *src = &args[fn->regex_arg];
        re = jp_regex_compile(src->s, src->n, err, sizeof err);
        ck_assert_msg(re != NULL, "%s", err);
        call.re = re;
    }
    jp_xctx_reset(&ctx);
    jp_xval out = jp_xnull();
    int rc = fn->fn(&ctx, &call, args, nargs, &out);
    if (rc != JP_XOK) {
        ck_assert_msg(rc == want_rc, "%s: returned %d (%s), want %d (%s)", name, rc, ctx.why,
                      want_rc, want);
        ck_assert_str_eq(ctx.why, want);
    } else {
        ck_assert_msg(want_rc == JP_XOK, "%s: succeeded, want %d (%s)", name, want_rc, want);
        /* A result must not live in the scratch, which the next use takes. */
        if (ctx.scratch.cap)
            memset(ctx.scratch.data, '#', ctx.scratch.cap);
        jp_buf b = {0};
        jp_xval_write(&out, &b);
        jp_buf_putc(&b, '\0');
        ck_assert_str_eq(b.data, want);
        jp_buf_free(&b);
    }
    jp_regex_free(re);
}

#define ARGS(...) (const jp_xval[]){__VA_ARGS__}, \
    (int)(sizeof (const jp_xval[]){__VA_ARGS__} / sizeof(jp_xval))
#define OK(want, fn, ...) check_call(fn, JP_XOK, want, ARGS(__VA_ARGS__))
#define ERR(want, fn, ...) check_call(fn, JP_XERR, want, ARGS(__VA_ARGS__))
#define GAVE_UP(want, fn, ...) check_call(fn, JP_XUNFINISHED, want, ARGS(__VA_ARGS__))

/* Arguments. S takes a literal, which may hold a NUL. */
#define S(lit) jp_xstr(lit, sizeof lit - 1)
#define I(i) jp_xint(i)
#define D(d) jp_xdouble(d)
#define NUM(lit) jp_xjson(JP_NUMBER, lit, sizeof lit - 1)
#define ARR(lit) jp_xjson(JP_ARRAY, lit, sizeof lit - 1)
#define OBJ(lit) jp_xjson(JP_OBJECT, lit, sizeof lit - 1)
#define NUL jp_xnull()
#define TRUE jp_xbool(1)

/* Whether lower and upper can map beyond ASCII here (fn_string.c). */
static int unicode_case(void)
{
    locale_t l = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    if (l)
        freelocale(l);
    return l != NULL;
}

START_TEST(lower_upper_map_unicode_letters)
{
    OK("\"hello, world 42\"", "lower", S("HeLLo, World 42"));
    OK("\"HELLO, WORLD 42\"", "upper", S("HeLLo, World 42"));
    OK("\"\"", "lower", S(""));
    OK("\"a\\u0000b\"", "lower", S("A\0B"));
    OK("\"\xe6\x9d\x8e\xe9\x9b\xb7 \xf0\x9f\x98\x80\"", "upper",
       S("\xe6\x9d\x8e\xe9\x9b\xb7 \xf0\x9f\x98\x80"));
    int u = unicode_case();
    /* ÉCOLE ÉTÉ, with É precomposed and as E + U+0301 */
    OK(u ? "\"\xc3\xa9" "cole \xc3\xa9t\xc3\xa9 e\xcc\x81\"" : "\"\xc3\x89" "cole \xc3\x89t\xc3\x89 e\xcc\x81\"",
       "lower", S("\xc3\x89" "COLE \xc3\x89T\xc3\x89 E\xcc\x81"));
    /* ΣΑΣ -> σασ (simple mapping: no final sigma); привет -> ПРИВЕТ */
    OK(u ? "\"\xcf\x83\xce\xb1\xcf\x83\"" : "\"\xce\xa3\xce\x91\xce\xa3\"", "lower",
       S("\xce\xa3\xce\x91\xce\xa3"));
    OK(u ? "\"\xd0\x9f\xd0\xa0\xd0\x98\xd0\x92\xd0\x95\xd0\xa2\""
         : "\"\xd0\xbf\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82\"",
       "upper", S("\xd0\xbf\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82"));
    /* ß has no one-letter capital; ı (2 bytes) -> I (1 byte) */
    OK(u ? "\"STRA\xc3\x9f" "E I\"" : "\"STRA\xc3\x9f" "E \xc4\xb1\"", "upper",
       S("stra\xc3\x9f" "e \xc4\xb1"));
}
END_TEST

START_TEST(lower_upper_errors)
{
    ERR("lower: a number (12) is not a string", "lower", I(12));
    ERR("upper: null is not a string", "upper", NUL);
    ERR("lower: a boolean (true) is not a string", "lower", TRUE);
    ERR("upper: an array ([1,\"A\"]) is not a string", "upper", ARR("[1,\"A\"]"));
    ERR("lower: an object ({\"A\":1}) is not a string", "lower", OBJ("{\"A\":1}"));
}
END_TEST

START_TEST(trim_takes_unicode_white_space)
{
    OK("\"a b\"", "trim", S(" \t\n\r\v\f a b \r\n"));
    OK("\"a  \"", "ltrim", S("  a  "));
    OK("\"  a\"", "rtrim", S("  a  "));
    OK("\"\"", "trim", S(" \t "));
    OK("\"\"", "ltrim", S(" "));
    OK("\"\"", "rtrim", S(""));
    /* U+0085 U+00A0 U+1680 U+2000 U+200A U+2028 U+2029 U+202F U+205F U+3000 */
    OK("\"x\"", "trim",
       S("\xc2\x85\xc2\xa0\xe1\x9a\x80\xe2\x80\x80\xe2\x80\x8a\xe2\x80\xa8x\xe2\x80\xa9"
         "\xe2\x80\xaf\xe2\x81\x9f\xe3\x80\x80"));
    /* Not white space: U+200B, U+FEFF, NUL. */
    OK("\"\xe2\x80\x8bx\xef\xbb\xbf\"", "trim", S("\xe2\x80\x8bx\xef\xbb\xbf"));
    OK("\"\\u0000\"", "trim", S(" \0 "));
    /* The last character is several bytes, and not a space. */
    OK("\"\xc3\xa9\"", "rtrim", S("\xc3\xa9 "));
    OK("\" \xe6\x9d\x8e\"", "rtrim", S(" \xe6\x9d\x8e"));
    OK("\"\xf0\x9f\x98\x80\"", "trim", S("\xe3\x80\x80\xf0\x9f\x98\x80\xe3\x80\x80"));
    ERR("trim: a number (1) is not a string", "trim", I(1));
    ERR("ltrim: null is not a string", "ltrim", NUL);
    ERR("rtrim: an array ([]) is not a string", "rtrim", ARR("[]"));
}
END_TEST

START_TEST(substr_counts_code_points)
{
    OK("\"2026-11-03\"", "substr", S("2026-11-03T04:05:06.123Z"), I(0), I(10));
    OK("\"\xc3\xa9llo\"", "substr", S("h\xc3\xa9llo w\xc3\xb6rld"), I(1), I(4));
    /* 李雷😀x */
    OK("\"\xf0\x9f\x98\x80x\"", "substr", S("\xe6\x9d\x8e\xe9\x9b\xb7\xf0\x9f\x98\x80x"), I(2));
    OK("\"\xf0\x9f\x98\x80x\"", "substr", S("\xe6\x9d\x8e\xe9\x9b\xb7\xf0\x9f\x98\x80x"), I(-2));
    OK("\"\xf0\x9f\x98\x80\"", "substr", S("\xe6\x9d\x8e\xe9\x9b\xb7\xf0\x9f\x98\x80x"), I(-2),
       I(1));
    /* A combining mark is a code point of its own. */
    OK("\"\xcc\x81\"", "substr", S("e\xcc\x81" "a"), I(1), I(1));
    OK("\"e\"", "substr", S("e\xcc\x81" "a"), I(0), I(1));
}
END_TEST

START_TEST(substr_clamps)
{
    OK("\"\"", "substr", S("abc"), I(5));
    OK("\"\"", "substr", S("abc"), I(3), I(1));
    OK("\"bc\"", "substr", S("abc"), I(1), I(100));
    OK("\"\"", "substr", S("abc"), I(0), I(0));
    OK("\"ab\"", "substr", S("abc"), I(-5), I(2));
    OK("\"abc\"", "substr", S("abc"), I(-5));
    OK("\"de\"", "substr", S("abcde"), I(-2), I(5));
    OK("\"\"", "substr", S(""), I(0), I(3));
    OK("\"\"", "substr", S("abc"), I(INT64_MAX), I(INT64_MAX));
    OK("\"abc\"", "substr", S("abc"), I(INT64_MIN), I(INT64_MAX));
    /* Integral numbers of any spelling. */
    OK("\"b\"", "substr", S("abc"), D(1.0), NUM("1e0"));
    OK("\"c\"", "substr", S("abc"), NUM("-1.0"));
}
END_TEST

START_TEST(substr_errors)
{
    ERR("substr: a number (1.5) is not an integer", "substr", S("abc"), D(1.5));
    ERR("substr: a string (\"1\") is not an integer", "substr", S("abc"), S("1"));
    ERR("substr: null is not an integer", "substr", S("abc"), I(0), NUL);
    ERR("substr: a number (1e30) is not an integer", "substr", S("abc"), NUM("1e30"));
    ERR("substr: the count -1 is negative", "substr", S("abc"), I(0), I(-1));
    ERR("substr: a number (5) is not a string", "substr", I(5), I(0));
}
END_TEST

START_TEST(replace_every_match_with_groups)
{
    OK("\"a/b/c\"", "replace", S("a.b.c"), S("\\."), S("/"));
    OK("\"example.com at john\"", "replace", S("john@example.com"), S("^(.*)@(.*)$"),
       S("$2 at $1"));
    OK("\"price $5.00, $12.00\"", "replace", S("price 5, 12"), S("[0-9]+"), S("$$$0.00"));
    /* A group that took no part is empty; a $ before no digit is itself. */
    OK("\"a[]\"", "replace", S("ab"), S("(x)?b"), S("[$1]"));
    OK("\"$x$\"", "replace", S("a"), S("a"), S("$x$"));
    OK("\"$2\"", "replace", S("a"), S("a"), S("$$2"));
    OK("\"a0b\"", "replace", S("ab"), S("(a)"), S("$10"));
    OK("\"abc\"", "replace", S("abc"), S("z"), S("y"));
    OK("\"\"", "replace", S("aaa"), S("a"), S(""));
    OK("\"\"", "replace", S(""), S("a"), S("b"));
    /* 李雷 and 李雷 */
    OK("\"\xe6\x9d\x8eLei and \xe6\x9d\x8eLei\"", "replace",
       S("\xe6\x9d\x8e\xe9\x9b\xb7 and \xe6\x9d\x8e\xe9\x9b\xb7"), S("\xe9\x9b\xb7"), S("Lei"));
    /* A lookbehind sees what the last match consumed. */
    OK("\"abb\"", "replace", S("aaa"), S("(?<=a)a"), S("b"));
    OK("\"a0b\"", "replace", S("a\0b"), S("\\x00"), S("0"));
}
END_TEST

START_TEST(replace_empty_matches_move_one_code_point)
{
    OK("\"-a-b-c-\"", "replace", S("abc"), S("x*"), S("-"));
    OK("\"-a--c-\"", "replace", S("abc"), S("b*"), S("-"));
    OK("\"a--c\"", "replace", S("abc"), S("(?=b)|b"), S("-"));
    OK("\"-\"", "replace", S(""), S("x*"), S("-"));
    OK("\"|\xc3\xa9|\xe6\x9d\x8e|\xf0\x9f\x98\x80|\"", "replace",
       S("\xc3\xa9\xe6\x9d\x8e\xf0\x9f\x98\x80"), S(""), S("|"));
    OK("\"<>a<>\"", "replace", S("a"), S("\\b"), S("<$0>"));
}
END_TEST

/* 30 a's and a b: (a+)+$ tries about 2^30 ways, past the match limit. */
#define CATASTROPHE "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"

START_TEST(replace_errors)
{
    ERR("replace: a number (1) is not a string", "replace", I(1), S("a"), S("b"));
    ERR("replace: null is not a string", "replace", S("a"), S("a"), NUL);
    ERR("replace: $2 names a group the regex does not have (it has 1)", "replace", S("a"),
        S("(a)"), S("$2"));
    ERR("replace: $1 names a group the regex does not have (it has 0)", "replace", S("z"),
        S("a"), S("x$1"));
    GAVE_UP("replace: the regex could not finish: PCRE2 match limit exceeded", "replace",
            S(CATASTROPHE), S("(a+)+$"), S("x"));
}
END_TEST

START_TEST(capture_named_groups)
{
    OK("{\"y\":\"2026\",\"m\":\"11\",\"d\":\"03\"}", "capture", S("on 2026-11-03"),
       S("(?<y>\\d+)-(?<m>\\d+)-(?<d>\\d+)"));
    /* In the order of the groups, not of the names; unnamed groups left out. */
    OK("{\"z\":\"a\",\"a\":\"b\"}", "capture", S("ab"), S("(?<z>a)(.)?(?<a>b)"));
    OK("{\"x\":null,\"b\":\"b\"}", "capture", S("ab"), S("(?<x>x)?(?<b>b)"));
    OK("{\"v\":\"b\"}", "capture", S("b"), S("(?J)(?<v>a)|(?<v>b)"));
    OK("{\"v\":\"a\"}", "capture", S("a"), S("(?J)(?<v>a)|(?<v>b)"));
    /* A repeated name has the place of its first group. */
    OK("{\"v\":\"b\",\"w\":null}", "capture", S("b"), S("(?J)(?<v>a)(?<w>x)?|(?<v>b)"));
    OK("{\"t\":\"\xe6\x9d\x8e\xe9\x9b\xb7\",\"q\":\"\\\"\\n\"}", "capture",
       S("\xe6\x9d\x8e\xe9\x9b\xb7\"\n"), S("(?<t>\\p{Han}+)(?<q>[\"\\n]+)"));
    /* The first match only. */
    OK("{\"n\":\"1\"}", "capture", S("1 2"), S("(?<n>\\d)"));
    OK("{}", "capture", S("abc"), S("(?<n>\\d)"));
    OK("{}", "capture", S("abc"), S("(b)"));
    ERR("capture: a number (7) is not a string", "capture", I(7), S("(?<n>7)"));
    GAVE_UP("capture: the regex could not finish: PCRE2 match limit exceeded", "capture",
            S(CATASTROPHE), S("(?<a>a+)+$"));
}
END_TEST

START_TEST(split_on_a_literal)
{
    OK("[\"a\",\"b\",\"\",\"c\",\"\"]", "split", S("a,b,,c,"), S(","));
    OK("[\"\",\"\"]", "split", S(","), S(","));
    OK("[]", "split", S(""), S(","));
    OK("[\"abc\"]", "split", S("abc"), S(","));
    OK("[\"a\",\"b\",\"-c\"]", "split", S("a--b---c"), S("--"));
    /* Not a regex: . is a dot. */
    OK("[\"a\",\"b\"]", "split", S("a.b"), S("."));
    OK("[\"1\",\"2\",\"3\"]", "split", S("1\xe6\x9d\x8e" "2\xe6\x9d\x8e" "3"), S("\xe6\x9d\x8e"));
    OK("[\"a\\\"b\\n\",\"\\u0000\"]", "split", S("a\"b\n,\0"), S(","));
}
END_TEST

START_TEST(split_into_code_points)
{
    OK("[\"a\",\"b\",\"c\"]", "split", S("abc"), S(""));
    OK("[\"\xe6\x9d\x8e\",\"\xe9\x9b\xb7\",\"\xf0\x9f\x98\x80\"]", "split",
       S("\xe6\x9d\x8e\xe9\x9b\xb7\xf0\x9f\x98\x80"), S(""));
    OK("[\"e\",\"\xcc\x81\"]", "split", S("e\xcc\x81"), S(""));
    OK("[]", "split", S(""), S(""));
    ERR("split: a number (1) is not a string", "split", I(1), S(","));
    ERR("split: null is not a string", "split", S("a"), NUL);
}
END_TEST

START_TEST(split_makes_an_array_value)
{
    const jp_xfunc *fn = jp_xfunc_find("split", 5);
    jp_xval args[] = {S("x,y,z"), S(",")}, out, third;
    ck_assert_int_eq(fn->fn(&ctx, &(jp_xcall){fn, NULL}, args, 2, &out), JP_XOK);
    ck_assert_int_eq(out.type, JP_ARRAY);
    ck_assert_uint_eq(jp_xval_count(&ctx, &out), 3);
    jp_xval idx = I(-1);
    ck_assert_int_eq(jp_xval_index(&ctx, &out, &idx, &third), JP_XOK);
    ck_assert_int_eq(third.type, JP_STRING);
    ck_assert_int_eq((int)third.n, 1);
    ck_assert_int_eq(third.s[0], 'z');
}
END_TEST

START_TEST(join_scalars_as_jq)
{
    OK("\"a, b, c\"", "join", ARR("[\"a\",\"b\",\"c\"]"), S(", "));
    OK("\"\"", "join", ARR("[]"), S(","));
    OK("\"a\"", "join", ARR("[ \"a\" ]"), S(","));
    OK("\"abc\"", "join", ARR("[\"a\",\"b\",\"c\"]"), S(""));
    /* jq 1.6: [1,1.5,1.50,1e2,true,false,null,"x"] | join("|") */
    OK("\"1|1.5|1.5|100|true|false||x\"", "join",
       ARR("[1, 1.5, 1.50, 1e2, true, false, null, \"x\"]"), S("|"));
    /* A number no int64 or double holds exactly is never rounded. */
    OK("\"-0.25|12345678901234567890|1e400|0.10000000000000000001|1.5e+300\"", "join",
       ARR("[-2.5e-1,12345678901234567890,1e400,0.10000000000000000001,15e299]"), S("|"));
    OK("\"9007199254740993|9223372036854775808|-9223372036854775809\"", "join",
       ARR("[9007199254740993,9223372036854775808,-9223372036854775809]"), S("|"));
    OK("\"1e+22|1.2345678901234568e+20|0.3\"", "join",
       ARR("[10000000000000000000000,123456789012345680000,0.30]"), S("|"));
    OK("\"a\\\"b\xe6\x9d\x8e\xe6\x9d\x8e\xc3\xa9\"", "join", ARR("[\"a\\\"b\",\"\\u00e9\"]"),
       S("\xe6\x9d\x8e\xe6\x9d\x8e"));
    OK("\"\"", "join", ARR("[null,null]"), S(""));
    OK("\",\"", "join", ARR("[null,null]"), S(","));
}
END_TEST

START_TEST(join_errors)
{
    ERR("join: an array ([2]) at index 1 is not a string, number, boolean or null", "join",
        ARR("[1,[2]]"), S(","));
    ERR("join: an object ({}) at index 0 is not a string, number, boolean or null", "join",
        ARR("[{}]"), S(","));
    ERR("join: an object ({\"a\":1}) is not an array", "join", OBJ("{\"a\":1}"), S(","));
    ERR("join: a string (\"abc\") is not an array", "join", S("abc"), S(","));
    ERR("join: null is not an array", "join", NUL, S(","));
    ERR("join: a number (1) is not a string", "join", ARR("[\"a\"]"), I(1));
}
END_TEST

START_TEST(starts_and_ends_with)
{
    OK("true", "starts_with", S("h\xc3\xa9llo"), S("h\xc3\xa9"));
    OK("true", "starts_with", S("abc"), S(""));
    OK("true", "starts_with", S(""), S(""));
    OK("false", "starts_with", S("a"), S("ab"));
    OK("false", "starts_with", S("abc"), S("b"));
    OK("true", "ends_with", S("\xe6\x9d\x8e\xe9\x9b\xb7"), S("\xe9\x9b\xb7"));
    OK("true", "ends_with", S("abc"), S("abc"));
    OK("false", "ends_with", S("a"), S("ba"));
    OK("false", "ends_with", S("abc"), S("b"));
    ERR("starts_with: a number (1) is not a string", "starts_with", I(1), S("1"));
    ERR("ends_with: null is not a string", "ends_with", S("a"), NUL);
}
END_TEST

static double wall_clock(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

START_TEST(now_is_the_wall_clock)
{
    const jp_xfunc *fn = jp_xfunc_find("now", 3);
    ck_assert_int_eq(fn->min_args, 0);
    ck_assert_int_eq(fn->max_args, 0);
    jp_xval out;
    double before = wall_clock();
    ck_assert_int_eq(fn->fn(&ctx, &(jp_xcall){fn, NULL}, NULL, 0, &out), JP_XOK);
    double after = wall_clock();
    ck_assert_int_eq(out.type, JP_NUMBER);
    double t = jp_xval_to_double(&out);
    ck_assert(t >= before - 1e-6 && t <= after + 1e-6);
}
END_TEST

START_TEST(now_is_the_run_clock_when_fixed)
{
    struct timespec at = {1767323045, 250000000};
    jp_clock_fix(&at);
    check_call("now", JP_XOK, "1767323045.25", NULL, 0);
    at.tv_nsec = 0;
    jp_clock_fix(&at);
    check_call("now", JP_XOK, "1767323045", NULL, 0);
    jp_clock_fix(NULL);
}
END_TEST

START_TEST(parse_time_rfc3339)
{
    OK("1793678706", "parse_time", S("2026-11-03T04:05:06Z"));
    OK("1793678706.123", "parse_time", S("2026-11-03T04:05:06.123Z"));
    OK("1793678706.5", "parse_time", S("2026-11-03T04:05:06.500000000000000000000001Z"));
    OK("1793678706", "parse_time", S("2026-11-03T04:05:06.000Z"));
    OK("1793671506", "parse_time", S("2026-11-03T04:05:06+02:00"));
    OK("1793684106.25", "parse_time", S("2026-11-03T04:05:06.25-01:30"));
    OK("1793678706", "parse_time", S("2026-11-03t04:05:06z"));
    OK("1793678706", "parse_time", S("2026-11-03 04:05:06Z"));
    OK("1793678706", "parse_time", S("2026-11-03T04:05:06-00:00"));
    OK("0", "parse_time", S("1970-01-01T00:00:00Z"));
    OK("-1", "parse_time", S("1969-12-31T23:59:59Z"));
    OK("-62167219200", "parse_time", S("0000-01-01T00:00:00Z"));
    OK("253402300799", "parse_time", S("9999-12-31T23:59:59Z"));
    OK("1709164800", "parse_time", S("2024-02-29T00:00:00Z"));
    OK("951782400", "parse_time", S("2000-02-29T00:00:00Z"));
    /* A leap second is the next minute's :00. */
    OK("1483228800", "parse_time", S("2016-12-31T23:59:60Z"));
}
END_TEST

START_TEST(parse_time_rejects_what_is_not_rfc3339)
{
    static const char *const bad[] = {
        "xyz", "2026-11-03", "2026-11-03T04:05:06", "2026-11-03T04:05:06.Z",
        "2026-11-03T04:05:06+0200", "2026-11-03T04:05Z", " 2026-11-03T04:05:06Z",
        "2026-11-03T04:05:06Z ", "2026-1-03T04:05:06Z", "2026-11-03X04:05:06Z",
        "+2026-11-03T04:05:06Z", "2026-11-03T04:05:06+02", "2026-11-03T04:05:06.1.2Z",
        "2026-11-03T04:05:06ZZ", "2026-11-03T04:05:0xZ", "2026-11-03T04:05:06+02:0x",
        "",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char want[200];
        snprintf(want, sizeof want, "parse_time: \"%s\" is not an RFC 3339 time", bad[i]);
        jp_xval s = jp_xstr(bad[i], strlen(bad[i]));
        check_call("parse_time", JP_XERR, want, &s, 1);
    }
    static const char *const unreal[] = {
        "2026-02-29T00:00:00Z", "2026-02-30T00:00:00Z", "1900-02-29T00:00:00Z",
        "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z",
        "2026-01-00T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:60:00Z",
        "2026-01-01T00:00:61Z", "2026-01-01T00:00:00+24:00", "2026-01-01T00:00:00-01:60",
    };
    for (size_t i = 0; i < sizeof unreal / sizeof unreal[0]; i++) {
        char want[200];
        snprintf(want, sizeof want,
                 "parse_time: \"%s\" is not an RFC 3339 time (no such date or time)", unreal[i]);
        jp_xval s = jp_xstr(unreal[i], strlen(unreal[i]));
        check_call("parse_time", JP_XERR, want, &s, 1);
    }
    ERR("parse_time: a number (1700000000) is not a string", "parse_time", I(1700000000));
    ERR("parse_time: null is not a string", "parse_time", NUL);
    ERR("parse_time: \"2026-11-03T04:05:06\\u0000Z\" is not an RFC 3339 time", "parse_time",
        S("2026-11-03T04:05:06\0Z"));
}
END_TEST

START_TEST(parse_time_with_a_format)
{
    OK("1793678700", "parse_time", S("03/11/2026 04:05"), S("%d/%m/%Y %H:%M"));
    OK("1793671506", "parse_time", S("2026-11-03T04:05:06+0200"), S("%Y-%m-%dT%H:%M:%S%z"));
    OK("1793678706", "parse_time", S("Tue, 03 Nov 2026 04:05:06"), S("%a, %d %b %Y %H:%M:%S"));
    /* Fields the format lacks are those of 1970-01-01T00:00:00. */
    OK("1767225600", "parse_time", S("2026"), S("%Y"));
    OK("37200", "parse_time", S("10:20"), S("%H:%M"));
    OK("1700000000", "parse_time", S("1700000000"), S("%s"));
    ERR("parse_time: \"2026x\" does not match the format \"%Y\"", "parse_time", S("2026x"),
        S("%Y"));
    ERR("parse_time: \"03/11\" does not match the format \"%d/%m/%Y\"", "parse_time", S("03/11"),
        S("%d/%m/%Y"));
    ERR("parse_time: \"2026-02-30\" does not match the format \"%Y-%m-%d\" (no such date or time)",
        "parse_time", S("2026-02-30"), S("%Y-%m-%d"));
    ERR("parse_time: \"2026\\u0000\" does not match the format \"%Y\"", "parse_time",
        S("2026\0"), S("%Y"));
    ERR("parse_time: the format holds a NUL byte", "parse_time", S("2026"), S("%Y\0"));
    ERR("parse_time: a number (1) is not a string", "parse_time", S("1"), I(1));
}
END_TEST

START_TEST(format_time_utc)
{
    OK("\"2026-11-03T04:05:06Z\"", "format_time", I(1793678706));
    OK("\"2026-11-03T04:05:06Z\"", "format_time", D(1793678706.999));
    OK("\"2017-07-14T02:40:00Z\"", "format_time", NUM("1.5e9"));
    OK("\"1969-12-31T23:59:59Z\"", "format_time", D(-0.5));
    OK("\"1970-01-01T00:00:00Z\"", "format_time", NUM("0.9"));
    OK("\"0000-01-01T00:00:00Z\"", "format_time", I(-62167219200));
    OK("\"0999-12-31T23:59:59Z\"", "format_time", I(-30610224001));
    OK("\"9999-12-31T23:59:59Z\"", "format_time", I(253402300799));
    /* %Z names UTC, as jq's strftime does (glibc's gmtime says GMT). */
    OK("\"1970/01/01 00:00:00 Thu Jan 001 UTC +0000 %\"", "format_time", I(0),
       S("%Y/%m/%d %H:%M:%S %a %b %j %Z %z %%"));
    /* %s takes a width: spaces, zeros after the sign (0), none (-). */
    OK("\"|        -1|-000000001|-1|-1|   -1|-1\"", "format_time", I(-1),
       S("|%10s|%010s|%-10s|%2s|%^#5s|%0-10s"));
    OK("\"  1793678706|001793678706|  1793678706|1793678706\"", "format_time", I(1793678706),
       S("%12s|%_012s|%0_12s|%5s"));
    OK("\"\"", "format_time", I(0), S(""));
    OK("\"1793678706 1793678706\"", "format_time", D(1793678706.5), S("%s %-s"));
    OK("\"%s=1793678706\"", "format_time", I(1793678706), S("%%s=%s"));
    OK("\"\xe6\x97\xa5 03\"", "format_time", I(1793678706), S("\xe6\x97\xa5 %d"));
}
END_TEST

START_TEST(format_time_errors)
{
    ERR("format_time: a number (253402300800) is not a time of the years 0 to 9999",
        "format_time", I(253402300800));
    ERR("format_time: a number (-62167219201) is not a time of the years 0 to 9999",
        "format_time", I(-62167219201));
    ERR("format_time: a number (1e20) is not a time of the years 0 to 9999", "format_time",
        NUM("1e20"));
    ERR("format_time: a number (-1e+300) is not a time of the years 0 to 9999", "format_time",
        D(-1e300));
    ERR("format_time: a string (\"2026\") is not a number", "format_time", S("2026"));
    ERR("format_time: null is not a number", "format_time", NUL);
    ERR("format_time: a number (5) is not a string", "format_time", I(0), I(5));
    ERR("format_time: the format holds a NUL byte", "format_time", I(0), S("%Y\0"));
    /* More than a megabyte of text is a mistake of the format. */
    size_t n = 200000;
    char *fmt = malloc(2 * n);
    for (size_t i = 0; i < n; i++)
        memcpy(fmt + 2 * i, "%c", 2);
    jp_xval args[] = {I(0), jp_xstr(fmt, 2 * n)};
    check_call("format_time", JP_XERR, "format_time: the format makes 1048576 bytes or more",
               args, 2);
    /* A long format that makes less is fine. */
    memset(fmt, 'x', 2 * n);
    memcpy(fmt + 2 * n - 2, "%Y", 2);
    jp_buf want = {0};
    jp_buf_putc(&want, '"');
    jp_buf_append(&want, fmt, 2 * n - 2);
    jp_buf_puts(&want, "1970\"");
    jp_buf_putc(&want, '\0');
    check_call("format_time", JP_XOK, want.data, args, 2);
    jp_buf_free(&want);
    free(fmt);
}
END_TEST

/* parse_time(format_time(t)) == t, with the default and with a format. */
START_TEST(time_round_trips)
{
    static const int64_t times[] = {-62167219200, -30610224001, -1, 0, 951782400,
                                    1709164800, 1793678706, 253402300799};
    static const char *const fmts[] = {NULL, "%Y-%m-%d %H:%M:%S", "%s", "%d.%m.%Y %T %z"};
    const jp_xfunc *pt = jp_xfunc_find("parse_time", 10), *ft = jp_xfunc_find("format_time", 11);
    for (size_t f = 0; f < sizeof fmts / sizeof fmts[0]; f++) {
        for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
            if (fmts[f] && !strcmp(fmts[f], "%s") && times[i] < 0)
                continue; /* glibc's strptime reads no sign for %s */
            jp_xval args[2] = {I(times[i]), fmts[f] ? jp_xstr(fmts[f], strlen(fmts[f])) : NUL};
            int nargs = fmts[f] ? 2 : 1;
            jp_xval text, back;
            jp_xctx_reset(&ctx);
            ck_assert_int_eq(ft->fn(&ctx, &(jp_xcall){ft, NULL}, args, nargs, &text), JP_XOK);
            args[0] = text;
            ck_assert_msg(pt->fn(&ctx, &(jp_xcall){pt, NULL}, args, nargs, &back) == JP_XOK,
                          "%s", ctx.why);
            int64_t got;
            ck_assert_int_eq(jp_xval_to_int(&back, &got), 0);
            ck_assert_msg(got == times[i], "%s: %.*s gave %lld, not %lld",
                          fmts[f] ? fmts[f] : "default", (int)text.n, text.s, (long long)got,
                          (long long)times[i]);
        }
    }
}
END_TEST

/* The process's time zone changes nothing: %s and %z included. */
START_TEST(time_zone_does_not_matter)
{
    setenv("TZ", "ABC+3", 1);
    tzset();
    OK("1793678706", "parse_time", S("2026-11-03T04:05:06Z"));
    OK("1700000000", "parse_time", S("1700000000"), S("%s"));
    OK("1793678706", "parse_time", S("2026-11-03 04:05:06"), S("%Y-%m-%d %H:%M:%S"));
    OK("\"2026-11-03T04:05:06Z\"", "format_time", I(1793678706));
    OK("\"1700000000 +0000 22\"", "format_time", I(1700000000), S("%s %z %H"));
    unsetenv("TZ");
    tzset();
}
END_TEST

Suite *expr_fn_suite(void)
{
    Suite *s = suite_create("expr_fn");
    TCase *t = tcase_create("string");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, lower_upper_map_unicode_letters);
    tcase_add_test(t, lower_upper_errors);
    tcase_add_test(t, trim_takes_unicode_white_space);
    tcase_add_test(t, substr_counts_code_points);
    tcase_add_test(t, substr_clamps);
    tcase_add_test(t, substr_errors);
    tcase_add_test(t, replace_every_match_with_groups);
    tcase_add_test(t, replace_empty_matches_move_one_code_point);
    tcase_add_test(t, replace_errors);
    tcase_add_test(t, capture_named_groups);
    tcase_add_test(t, split_on_a_literal);
    tcase_add_test(t, split_into_code_points);
    tcase_add_test(t, split_makes_an_array_value);
    tcase_add_test(t, join_scalars_as_jq);
    tcase_add_test(t, join_errors);
    tcase_add_test(t, starts_and_ends_with);
    suite_add_tcase(s, t);
    t = tcase_create("time");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, now_is_the_wall_clock);
    tcase_add_test(t, now_is_the_run_clock_when_fixed);
    tcase_add_test(t, parse_time_rfc3339);
    tcase_add_test(t, parse_time_rejects_what_is_not_rfc3339);
    tcase_add_test(t, parse_time_with_a_format);
    tcase_add_test(t, format_time_utc);
    tcase_add_test(t, format_time_errors);
    tcase_add_test(t, time_round_trips);
    tcase_add_test(t, time_zone_does_not_matter);
    suite_add_tcase(s, t);
    return s;
}
