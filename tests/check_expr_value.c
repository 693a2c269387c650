/* check_expr_value.c: the values of the expression language (value.c) and
 * the core functions (fn_core.c), called directly: exact output texts,
 * whether a number came out an integer or a double, and exact reasons. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "check_suites.h"
#include "expr/func.h"
#include "json.h"

static jp_xctx ctx;

static void setup(void)
{
    jp_xctx_init(&ctx);
}

static void teardown(void)
{
    jp_xctx_free(&ctx);
}

/* The value of a JSON text, as a record's field would read. */
static jp_xval J(const char *json)
{
    return jp_xval_read(&ctx, jp_type_of_json(json[0]), json, strlen(json));
}

/* v as jp_xval_write writes it, in a static buffer. */
static const char *W(const jp_xval *v)
{
    static char text[4096];
    jp_buf b = {0};
    jp_xval_write(v, &b);
    snprintf(text, sizeof text, "%.*s", (int)b.len, b.data ? b.data : "");
    jp_buf_free(&b);
    return text;
}

static void arith_is(int op, jp_xval a, jp_xval b, const char *expect, jp_xnum num)
{
    jp_xval out;
    int r = jp_xval_arith(&ctx, op, &a, &b, &out);
    ck_assert_msg(r == JP_XOK, "%s %c %s failed: %s", W(&a), op, W(&b), ctx.why);
    ck_assert_str_eq(W(&out), expect);
    ck_assert_int_eq(out.type, JP_NUMBER);
    ck_assert_int_eq(out.num, num);
}

static void arith_fails(int op, jp_xval a, jp_xval b, const char *why)
{
    jp_xval out;
    ck_assert_int_eq(jp_xval_arith(&ctx, op, &a, &b, &out), JP_XERR);
    ck_assert_str_eq(ctx.why, why);
}

static const jp_xfunc *core(const char *name)
{
    for (const jp_xfunc *f = jp_xfuncs_core; f->name; f++)
        if (strcmp(f->name, name) == 0)
            return f;
    ck_abort_msg("no core function %s", name);
    return NULL;
}

/* Calls name on the JSON texts args (NULL-ended). */
static int call(const char *name, jp_xval *out, const char *const *args)
{
    jp_xval v[8];
    int n = 0;
    while (args[n])
        v[n] = J(args[n]), n++;
    const jp_xfunc *f = core(name);
    ck_assert_int_ge(n, f->min_args);
    ck_assert_int_le(n, f->max_args);
    jp_xcall c = {f, NULL};
    ctx.why[0] = '\0';
    return f->fn(&ctx, &c, v, n, out);
}

#define CALL_IS(expect, name, ...) call_is(expect, name, (const char *const[]){__VA_ARGS__, NULL})
#define CALL_FAILS(why, name, ...) call_fails(why, name, (const char *const[]){__VA_ARGS__, NULL})

static jp_xval call_is(const char *expect, const char *name, const char *const *args)
{
    jp_xval out;
    int r = call(name, &out, args);
    ck_assert_msg(r == JP_XOK, "%s(%s) failed: %s", name, args[0], ctx.why);
    ck_assert_str_eq(W(&out), expect);
    return out;
}

static void call_fails(const char *why, const char *name, const char *const *args)
{
    jp_xval out;
    ck_assert_int_eq(call(name, &out, args), JP_XERR);
    ck_assert_str_eq(ctx.why, why);
}

/* ---- arithmetic ---------------------------------------------------------- */

START_TEST(integers_stay_exact_and_overflow_to_doubles)
{
    arith_is('+', J("9223372036854775806"), jp_xint(1), "9223372036854775807", JP_XNUM_INT);
    arith_is('+', J("9223372036854775807"), jp_xint(1), "9.223372036854776e+18", JP_XNUM_DOUBLE);
    /* -2^63 - 1 rounds to the double -2^63, which prints as the integer. */
    arith_is('-', jp_xint(INT64_MIN), jp_xint(1), "-9223372036854775808", JP_XNUM_DOUBLE);
    arith_is('-', jp_xint(INT64_MIN), jp_xint(4096), "-9.22337203685478e+18", JP_XNUM_DOUBLE);
    arith_is('*', jp_xint(3037000500), jp_xint(3037000500), "9.22337203700025e+18",
             JP_XNUM_DOUBLE);
    arith_is('*', jp_xint(-3037000499), jp_xint(3037000499), "-9223372030926249001",
             JP_XNUM_INT);
    arith_is('-', J("5"), J("7"), "-2", JP_XNUM_INT);
    /* A text with an integer value computes as an integer. */
    arith_is('+', J("2.0"), jp_xint(1), "3", JP_XNUM_INT);
    arith_is('+', J("1e2"), J("-0"), "100", JP_XNUM_INT);
}
END_TEST

START_TEST(division_is_an_integer_only_when_it_divides)
{
    arith_is('/', jp_xint(7), jp_xint(2), "3.5", JP_XNUM_DOUBLE);
    arith_is('/', jp_xint(6), jp_xint(3), "2", JP_XNUM_INT);
    arith_is('/', jp_xint(-7), jp_xint(2), "-3.5", JP_XNUM_DOUBLE);
    arith_is('/', jp_xint(1), jp_xint(3), "0.3333333333333333", JP_XNUM_DOUBLE);
    arith_is('/', jp_xint(INT64_MIN), jp_xint(-1), "9.223372036854776e+18", JP_XNUM_DOUBLE);
    arith_is('/', J("7.5"), J("2.5"), "3", JP_XNUM_DOUBLE);
    arith_fails('/', jp_xint(1), jp_xint(0), "/: division by zero");
    arith_fails('/', J("1.5"), J("0.0"), "/: division by zero");
    arith_fails('/', jp_xdouble(1), J("-0"), "/: division by zero");
}
END_TEST

START_TEST(remainder_truncates_like_jq)
{
    arith_is('%', jp_xint(7), jp_xint(3), "1", JP_XNUM_INT);
    arith_is('%', jp_xint(-7), jp_xint(3), "-1", JP_XNUM_INT);
    arith_is('%', jp_xint(7), jp_xint(-3), "1", JP_XNUM_INT);
    arith_is('%', J("5.5"), jp_xint(2), "1", JP_XNUM_INT);
    arith_is('%', jp_xint(INT64_MIN), jp_xint(-1), "0", JP_XNUM_INT);
    arith_fails('%', jp_xint(5), J("0.5"), "%: division by zero");
    arith_fails('%', jp_xint(5), jp_xint(0), "%: division by zero");
    arith_fails('%', J("1e30"), jp_xint(7), "%: 1e+30 does not fit a 64-bit integer");
    arith_fails('%', jp_xint(7), J("-1e19"), "%: -1e+19 does not fit a 64-bit integer");
}
END_TEST

START_TEST(doubles_print_shortest_and_stay_finite)
{
    arith_is('+', J("0.1"), J("0.2"), "0.30000000000000004", JP_XNUM_DOUBLE);
    arith_is('+', J("0.5"), J("0.5"), "1", JP_XNUM_DOUBLE);
    arith_is('*', J("1e20"), jp_xint(1), "1e+20", JP_XNUM_DOUBLE);
    arith_is('*', J("1.5"), J("-0.0000001"), "-1.5e-07", JP_XNUM_DOUBLE);
    arith_fails('*', J("1e308"), jp_xint(10), "*: result is not a finite number");
    arith_fails('-', J("-1e308"), J("1e308"), "-: result is not a finite number");
    arith_fails('+', J("1e400"), jp_xint(0), "+: result is not a finite number");
    jp_xval out;
    ck_assert_int_eq(jp_xval_double_result(&ctx, 1.0 / 0.0, &out), JP_XERR);
    ck_assert_str_eq(ctx.why, "result is not a finite number");
    ck_assert_int_eq(jp_xval_double_result(&ctx, 0.0 / 0.0, &out), JP_XERR);
    ck_assert_int_eq(jp_xval_double_result(&ctx, 2.25, &out), JP_XOK);
    ck_assert_str_eq(W(&out), "2.25");
    const struct {
        double d;
        const char *text;
    } cases[] = {{2.0, "2"},
                 {-0.0, "0"},
                 {1e-7, "1e-07"},
                 {123456789.125, "123456789.125"},
                 {9007199254740993.0, "9007199254740992"},
                 {1.7976931348623157e308, "1.7976931348623157e+308"},
                 {5e-324, "5e-324"},
                 {-9223372036854775808.0, "-9223372036854775808"},
                 {9223372036854775808.0, "9.223372036854776e+18"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        jp_xval v = jp_xdouble(cases[i].d);
        ck_assert_str_eq(W(&v), cases[i].text);
    }
}
END_TEST

START_TEST(strings_concatenate_and_mixes_are_errors)
{
    jp_xval out, a = J("\"ab\\u00e9\""), b = J("\"cd\"");
    ck_assert_int_eq(jp_xval_arith(&ctx, '+', &a, &b, &out), JP_XOK);
    ck_assert_int_eq(out.type, JP_STRING);
    ck_assert_str_eq(W(&out), "\"ab\xc3\xa9" "cd\"");
    a = J("\"\"");
    ck_assert_int_eq(jp_xval_arith(&ctx, '+', &a, &a, &out), JP_XOK);
    ck_assert_str_eq(W(&out), "\"\"");
    arith_fails('+', J("\"a\""), jp_xint(1), "+: cannot add a string and a number (use to_string)");
    arith_fails('+', J("1"), J("\"a\""), "+: cannot add a number and a string (use to_string)");
    arith_fails('+', J("true"), J("\"a\""), "+: cannot add a boolean and a string (use to_string)");
    arith_fails('+', J("null"), jp_xint(1), "+: cannot add null and a number");
    arith_fails('+', J("\"a\""), J("null"), "+: cannot add a string and null");
    arith_fails('+', J("[1]"), J("[2]"), "+: cannot add an array and an array");
    arith_fails('-', J("\"a\""), J("\"b\""), "-: cannot subtract a string from a string");
    arith_fails('-', jp_xint(1), J("null"), "-: cannot subtract null from a number");
    arith_fails('*', J("\"a\""), jp_xint(2), "*: cannot multiply a string by a number");
    arith_fails('/', J("[1]"), jp_xint(2), "/: cannot divide an array by a number");
    arith_fails('%', J("true"), jp_xint(2), "%: cannot divide a boolean by a number");
    arith_fails('/', jp_xint(2), J("{}"), "/: cannot divide a number by an object");
}
END_TEST

START_TEST(negation_keeps_texts_exact)
{
    const struct {
        jp_xval in;
        const char *out;
        jp_xnum num;
    } cases[] = {{jp_xint(1), "-1", JP_XNUM_INT},
                 {jp_xint(INT64_MIN), "9.223372036854776e+18", JP_XNUM_DOUBLE},
                 {jp_xdouble(2.5), "-2.5", JP_XNUM_DOUBLE},
                 {J("1.50"), "-1.50", JP_XNUM_TEXT},
                 {J("-0"), "0", JP_XNUM_TEXT},
                 {J("18446744073709551617"), "-18446744073709551617", JP_XNUM_TEXT}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        jp_xval out;
        ck_assert_int_eq(jp_xval_negate(&ctx, &cases[i].in, &out), JP_XOK);
        ck_assert_str_eq(W(&out), cases[i].out);
        ck_assert_int_eq(out.num, cases[i].num);
    }
    jp_xval s = J("\"x\""), out;
    ck_assert_int_eq(jp_xval_negate(&ctx, &s, &out), JP_XERR);
    ck_assert_str_eq(ctx.why, "-: cannot negate a string");
    s = J("null");
    ck_assert_int_eq(jp_xval_negate(&ctx, &s, &out), JP_XERR);
    ck_assert_str_eq(ctx.why, "-: cannot negate null");
}
END_TEST

/* ---- reading, writing, conversions ---------------------------------------- */

START_TEST(read_and_write_keep_texts)
{
    const char *plain = "\"abc\"";
    jp_xval v = jp_xval_read(&ctx, JP_STRING, plain, 5);
    ck_assert_ptr_eq(v.s, plain + 1); /* no escape: no copy */
    ck_assert_uint_eq(v.n, 3);
    v = J("\"a\\u00e9\\n\\\"\\ud83d\\ude00\"");
    ck_assert_uint_eq(v.n, 9);
    ck_assert_int_eq(memcmp(v.s, "a\xc3\xa9\n\"\xf0\x9f\x98\x80", 9), 0);
    ck_assert_str_eq(W(&v), "\"a\xc3\xa9\\n\\\"\xf0\x9f\x98\x80\"");
    const char *kept[] = {"1.50", "-0", "1E+2", "18446744073709551617", "[1, \"a\" ]",
                          "{\"b\" : 1,\"a\":2}", "true", "false", "null"};
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++) {
        v = J(kept[i]);
        ck_assert_str_eq(W(&v), kept[i]);
    }
    v = jp_xint(INT64_MIN);
    ck_assert_str_eq(W(&v), "-9223372036854775808");
}
END_TEST

START_TEST(numbers_as_integers_and_doubles)
{
    int64_t i;
    const struct {
        const char *text;
        int exact;   /* jp_xval_to_int */
        int64_t value;
        int trunc;   /* jp_xval_trunc */
        int64_t tvalue;
    } cases[] = {
        {"1", 0, 1, 0, 1},
        {"1.0", 0, 1, 0, 1},
        {"1e2", 0, 100, 0, 100},
        {"1.5e1", 0, 15, 0, 15},
        {"1500e-2", 0, 15, 0, 15},
        {"1.5", -1, 0, 0, 1},
        {"-4.7", -1, 0, 0, -4},
        {"0.000e99999999999999999999", 0, 0, 0, 0},
        {"-0.5", -1, 0, 0, 0},
        {"9223372036854775807", 0, INT64_MAX, 0, INT64_MAX},
        {"-9223372036854775808", 0, INT64_MIN, 0, INT64_MIN},
        {"-9223372036854775808.9", -1, 0, 0, INT64_MIN},
        {"9223372036854775808", -1, 0, -1, 0},
        {"-9223372036854775809", -1, 0, -1, 0},
        {"12345678901234567.8", -1, 0, 0, 12345678901234567},
        {"1e19", -1, 0, -1, 0},
        {"1e99999999999999999999", -1, 0, -1, 0},
        {"1e-99999999999999999999", -1, 0, 0, 0},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        jp_xval v = J(cases[k].text);
        i = 42;
        ck_assert_msg(jp_xval_to_int(&v, &i) == cases[k].exact, "to_int %s", cases[k].text);
        if (cases[k].exact == 0)
            ck_assert_int_eq(i, cases[k].value);
        ck_assert_msg(jp_xval_trunc(&v, &i) == cases[k].trunc, "trunc %s", cases[k].text);
        if (cases[k].trunc == 0)
            ck_assert_int_eq(i, cases[k].tvalue);
    }
    jp_xval d = jp_xdouble(2.0);
    ck_assert_int_eq(jp_xval_to_int(&d, &i), 0);
    ck_assert_int_eq(i, 2);
    d = jp_xdouble(2.5);
    ck_assert_int_eq(jp_xval_to_int(&d, &i), -1);
    d = jp_xdouble(9223372036854775808.0);
    ck_assert_int_eq(jp_xval_to_int(&d, &i), -1);
    ck_assert_int_eq(jp_xval_trunc(&d, &i), -1);
    jp_xval t = J("0.1");
    ck_assert(jp_xval_to_double(&t) == 0.1);
    t = J("123456789012345678901234567890");
    ck_assert(jp_xval_to_double(&t) == 123456789012345678901234567890.0);
}
END_TEST

START_TEST(truthiness_and_phrases)
{
    const char *truthy[] = {"0", "\"\"", "[]", "{}", "true", "0.0"};
    for (size_t i = 0; i < sizeof truthy / sizeof truthy[0]; i++) {
        jp_xval v = J(truthy[i]);
        ck_assert_msg(jp_xval_truthy(&v), "%s", truthy[i]);
    }
    jp_xval f = J("false"), n = J("null");
    ck_assert(!jp_xval_truthy(&f));
    ck_assert(!jp_xval_truthy(&n));
    ck_assert_str_eq(jp_xval_phrase(&n), "null");
    jp_xval o = J("{}");
    ck_assert_str_eq(jp_xval_phrase(&o), "an object");
}
END_TEST

static const char *excerpt(jp_xval v)
{
    static char text[128];
    jp_buf b = {0};
    jp_xval_excerpt(&v, &b);
    snprintf(text, sizeof text, "%.*s", (int)b.len, b.data);
    jp_buf_free(&b);
    return text;
}

START_TEST(excerpts_are_short_and_cut_at_characters)
{
    ck_assert_str_eq(excerpt(J("\"x7\"")), "\"x7\"");
    ck_assert_str_eq(excerpt(J("[1, 2]")), "[1, 2]");
    ck_assert_str_eq(excerpt(jp_xdouble(0.5)), "0.5");
    /* 38 letters quoted are 40 bytes: whole. */
    const char *s38 = "\"abcdefghijklmnopqrstuvwxyzabcdefghijkl\"";
    ck_assert_str_eq(excerpt(J(s38)), s38);
    ck_assert_str_eq(excerpt(J("\"abcdefghijklmnopqrstuvwxyzabcdefghijklm\"")),
                     "\"abcdefghijklmnopqrstuvwxyzabcdefghijklm...");
    char many[400] = "\"";
    for (int i = 0; i < 100; i++)
        strcat(many, "\xc3\xa9");
    strcat(many, "\"");
    /* 1 + 19 * 2 bytes: the 20th character would cross 40. */
    char expect[64] = "\"";
    for (int i = 0; i < 19; i++)
        strcat(expect, "\xc3\xa9");
    strcat(expect, "...");
    ck_assert_str_eq(excerpt(J(many)), expect);
    char arr[400] = "[";
    for (int i = 0; i < 60; i++)
        strcat(arr, i ? ",1" : "1");
    strcat(arr, "]");
    ck_assert_str_eq(excerpt(J(arr)), "[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1...");
}
END_TEST

/* ---- equality, order, hashes, contains ------------------------------------ */

static int eq(jp_xval a, jp_xval b)
{
    int r = jp_xval_equal(&ctx, &a, &b);
    ck_assert_int_eq(r, jp_xval_equal(&ctx, &b, &a));
    return r;
}

static int order(jp_xval a, jp_xval b)
{
    int o = 99, back = 99;
    if (!jp_xval_order(&ctx, &a, &b, &o))
        return 99;
    ck_assert(jp_xval_order(&ctx, &b, &a, &back));
    ck_assert_int_eq(o, -back);
    return o;
}

START_TEST(numbers_compare_by_exact_value)
{
    ck_assert(eq(jp_xint(1), J("1.0")));
    ck_assert(eq(jp_xint(1), J("1e0")));
    ck_assert(eq(jp_xint(1), jp_xdouble(1.0)));
    ck_assert(eq(J("-0"), jp_xint(0)));
    ck_assert(eq(jp_xdouble(-0.0), J("0")));
    ck_assert(eq(jp_xdouble(0.1), J("0.10")));
    ck_assert(!eq(jp_xint(9007199254740993), jp_xdouble(9007199254740992.0)));
    ck_assert(!eq(J("18446744073709551617"), J("18446744073709551616")));
    ck_assert(eq(J("18446744073709551617"), J("1.8446744073709551617e19")));
    ck_assert(!eq(J("18446744073709551617"), jp_xdouble(18446744073709551617.0)));
    ck_assert_int_eq(order(J("18446744073709551617"), J("18446744073709551616")), 1);
    ck_assert_int_eq(order(jp_xint(INT64_MAX), J("9223372036854775808")), -1);
    ck_assert_int_eq(order(jp_xint(9007199254740993), jp_xdouble(9007199254740992.0)), 1);
    ck_assert_int_eq(order(jp_xdouble(0.5), jp_xdouble(0.25)), 1);
    ck_assert_int_eq(order(jp_xint(-3), jp_xint(2)), -1);
    ck_assert_int_eq(order(J("1.50"), jp_xdouble(1.5)), 0);
    ck_assert(!eq(jp_xint(1), J("\"1\"")));
    ck_assert(!eq(jp_xint(1), J("true")));
    ck_assert_int_eq(order(jp_xint(1), J("\"1\"")), 99);
}
END_TEST

START_TEST(strings_compare_by_code_point)
{
    ck_assert(eq(J("\"a\""), J("\"\\u0061\"")));
    ck_assert(!eq(J("\"a\""), J("\"A\"")));
    ck_assert_int_eq(order(J("\"ab\""), J("\"abc\"")), -1);
    ck_assert_int_eq(order(J("\"\""), J("\"a\"")), -1);
    ck_assert_int_eq(order(J("\"z\""), J("\"\\u00e9\"")), -1);
    /* U+E000 before U+1F600, though UTF-16 would put the surrogates first. */
    ck_assert_int_eq(order(J("\"\\ue000\""), J("\"\\ud83d\\ude00\"")), -1);
    ck_assert_int_eq(order(J("\"x\""), J("\"x\"")), 0);
}
END_TEST

START_TEST(other_values_compare_by_type_and_content)
{
    ck_assert(eq(J("true"), jp_xbool(1)));
    ck_assert(!eq(J("true"), J("false")));
    ck_assert(eq(J("null"), jp_xnull()));
    ck_assert(!eq(J("null"), J("false")));
    ck_assert_int_eq(order(J("true"), J("false")), 99);
    ck_assert_int_eq(order(J("null"), J("null")), 99);
    ck_assert_int_eq(order(J("[1]"), J("[1]")), 99);
    ck_assert(eq(J("{\"a\":1,\"b\":2}"), J("{ \"b\" : 2.0, \"a\" : 1 }")));
    ck_assert(eq(J("{\"a\":1,\"a\":2}"), J("{\"a\":2}")));
    ck_assert(!eq(J("{\"a\":1,\"a\":2}"), J("{\"a\":1}")));
    ck_assert(!eq(J("{\"a\":1}"), J("{\"a\":1,\"b\":null}")));
    ck_assert(eq(J("{\"\\u00e9\":\"x\"}"), J("{\"\xc3\xa9\":\"\\u0078\"}")));
    ck_assert(eq(J("[1,[2,{}]]"), J("[1.0, [2e0, {}]]")));
    ck_assert(!eq(J("[1,2]"), J("[2,1]")));
    ck_assert(!eq(J("[1]"), J("{}")));
    ck_assert(!eq(J("[]"), J("null")));
}
END_TEST

/* An array or object text nested depth deep around the scalar inner,
 * with key "k" for objects; the caller frees it. */
static char *nested(size_t depth, int objects, const char *inner)
{
    const char *open = objects ? "{\"k\":" : "[", *close = objects ? "}" : "]";
    size_t on = strlen(open), in = strlen(inner);
    char *s = malloc(depth * (on + 1) + in + 1), *p = s;
    for (size_t i = 0; i < depth; i++, p += on)
        memcpy(p, open, on);
    memcpy(p, inner, in);
    p += in;
    memset(p, close[0], depth);
    p[depth] = '\0';
    return s;
}

START_TEST(deep_values_compare_without_recursion)
{
    /* Deeper than a thread's stack would hold recursion for (--max-depth
     * takes 100000, and parse_json's values were once not limited). */
    const size_t depth = 150000;
    for (int objects = 0; objects < 2; objects++) {
        char *a = nested(depth, objects, "1"), *b = nested(depth, objects, "1.0e0");
        char *c = nested(depth, objects, "2"), *d = nested(depth - 1, objects, "[1]");
        ck_assert(eq(J(a), J(b)));
        ck_assert(!eq(J(a), J(c)));
        ck_assert(eq(J(a), J(d)) == !objects);
        jp_buf list = {0};
        jp_buf_printf(&list, "[0, %s, 3]", b);
        jp_xval l = J(list.data), x = J(a), y = J(c);
        ck_assert(jp_xval_contains(&ctx, &l, &x));
        ck_assert(!jp_xval_contains(&ctx, &l, &y));
        jp_buf_free(&list);
        free(a), free(b), free(c), free(d);
    }
    /* Members in any order, every level. */
    ck_assert(eq(J("{\"a\":{\"x\":[1,{\"p\":1,\"q\":2}],\"y\":2},\"b\":[]}"),
                 J("{\"b\":[],\"a\":{\"y\":2,\"x\":[1,{\"q\":2,\"p\":1}]}}")));
    ck_assert(!eq(J("{\"a\":{\"x\":1,\"y\":2}}"), J("{\"a\":{\"x\":1,\"z\":2}}")));
    ck_assert(!eq(J("[[1,2],[3]]"), J("[[1,2],[3,4]]")));
    ck_assert(!eq(J("[[1,2],[3]]"), J("[[1],[2,3]]")));
}
END_TEST

/* jp_value_hash (--schema's enum and uniqueItems) of the tree of json. */
static uint64_t tree_hash(jp_tree *t, const char *json)
{
    ck_assert_int_eq(jp_tree_build(t, json, strlen(json)), 0);
    jp_side side = {jp_tree_node(t, 0), jp_tree_text(t, 0)};
    jp_members m = {0};
    uint64_t h = jp_value_hash(&m, &side, side.nodes);
    free(m.v);
    return h;
}

START_TEST(deep_values_hash_without_deep_recursion)
{
    jp_tree *t = jp_tree_new();
    for (int objects = 0; objects < 2; objects++) {
        char *a = nested(300000, objects, "1"), *b = nested(300000, objects, "1.0");
        ck_assert_uint_eq(tree_hash(t, a), tree_hash(t, b));
        free(a), free(b);
    }
    /* Equal values hash alike; values apart near the top hash apart. */
    ck_assert_uint_eq(tree_hash(t, "{\"a\":[1,{\"b\":2,\"c\":[]}]}"),
                      tree_hash(t, "{\"a\":[1e0,{\"c\":[],\"b\":2.0}]}"));
    ck_assert_uint_ne(tree_hash(t, "{\"a\":[1,2]}"), tree_hash(t, "{\"a\":[2,1]}"));
    ck_assert_uint_ne(tree_hash(t, "[[1]]"), tree_hash(t, "[[2]]"));
    jp_tree_free(t);
}
END_TEST

START_TEST(equal_scalars_hash_alike)
{
    jp_xval same[][4] = {
        {jp_xint(1), J("1.0"), jp_xdouble(1.0), J("10e-1")},
        {jp_xint(0), J("-0"), jp_xdouble(-0.0), J("0e5")},
        {jp_xdouble(0.1), J("0.1"), J("0.10"), J("1e-1")},
        {J("\"a\""), J("\"\\u0061\""), jp_xstr("a", 1), J("\"a\"")},
        {J("true"), jp_xbool(1), J("true"), jp_xbool(1)},
        {J("null"), jp_xnull(), J("null"), jp_xnull()},
    };
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++)
        for (int k = 1; k < 4; k++) {
            ck_assert(eq(same[i][0], same[i][k]));
            ck_assert_uint_eq(jp_xval_hash(&same[i][0]), jp_xval_hash(&same[i][k]));
        }
    jp_xval t = J("true"), f = J("false"), one = jp_xint(1), s1 = J("\"1\"");
    ck_assert_uint_ne(jp_xval_hash(&t), jp_xval_hash(&f));
    ck_assert_uint_ne(jp_xval_hash(&one), jp_xval_hash(&s1));
}
END_TEST

static int contains(const char *a, jp_xval x)
{
    jp_xval av = J(a);
    return jp_xval_contains(&ctx, &av, &x);
}

START_TEST(contains_finds_elements_and_substrings)
{
    const char *arr = "[1, \"a\", [2], {\"x\":1,\"y\":[true]}, null]";
    ck_assert(contains(arr, J("1.0")));
    ck_assert(contains(arr, J("\"a\"")));
    ck_assert(contains(arr, J("[2.0]")));
    ck_assert(contains(arr, J("{\"y\":[true],\"x\":1}")));
    ck_assert(contains(arr, J("null")));
    ck_assert(!contains(arr, J("\"b\"")));
    ck_assert(!contains(arr, J("2")));
    ck_assert(!contains(arr, J("[]")));
    ck_assert(!contains(arr, J("{\"x\":1}")));
    ck_assert(!contains("[]", J("1")));
    ck_assert(contains("\"hello\"", J("\"ell\"")));
    ck_assert(contains("\"hello\"", J("\"\"")));
    ck_assert(!contains("\"hello\"", J("\"hex\"")));
    ck_assert(!contains("\"1\"", jp_xint(1)));
    ck_assert(!contains("{\"a\":1}", J("\"a\"")));
    ck_assert(!contains("null", J("null")));
}
END_TEST

/* ---- arrays and objects ---------------------------------------------------- */

/* The members next gives, as "key=value;" or "value;". */
static const char *walk(const char *json)
{
    static char text[4096];
    jp_buf b = {0};
    jp_xval v = J(json), key, elem;
    size_t cursor = 0;
    while (jp_xval_next(&ctx, &v, &cursor, &key, &elem)) {
        if (v.type == JP_OBJECT) {
            jp_buf_append(&b, key.s, key.n);
            jp_buf_putc(&b, '=');
        }
        jp_xval_write(&elem, &b);
        jp_buf_putc(&b, ';');
    }
    snprintf(text, sizeof text, "%.*s", (int)b.len, b.data ? b.data : "");
    jp_buf_free(&b);
    return text;
}

START_TEST(next_walks_arrays_and_objects)
{
    ck_assert_str_eq(walk("[ 1 , \"a\\tb\" ,[2, 3], {\"k\":\"v\"} , null,true,-1.5e3 ]"),
                     "1;\"a\\tb\";[2, 3];{\"k\":\"v\"};null;true;-1.5e3;");
    ck_assert_str_eq(walk("[]"), "");
    ck_assert_str_eq(walk("[ ]"), "");
    ck_assert_str_eq(walk("[\"]\",\"[\",\"\\\"\"]"), "\"]\";\"[\";\"\\\"\";");
    ck_assert_str_eq(walk("{}"), "");
    ck_assert_str_eq(walk("{ \"a\" : 1 , \"b\":{\"c\":[]}}"), "a=1;b={\"c\":[]};");
    /* Of a duplicated key, the last copy, where it stands. */
    ck_assert_str_eq(walk("{\"a\":1,\"b\":2,\"a\":3}"), "b=2;a=3;");
    ck_assert_str_eq(walk("{\"a\":1,\"\\u0061\":2,\"b\":3}"), "a=2;b=3;");
    ck_assert_str_eq(walk("{\"x\\ny\":1}"), "x\ny=1;");
    jp_xval s = J("\"abc\""), key, elem;
    size_t cursor = 0;
    ck_assert(!jp_xval_next(&ctx, &s, &cursor, &key, &elem));
}
END_TEST

START_TEST(large_objects_drop_copies_too)
{
    /* Past the few members checked pairwise: keys hashed first. */
    char json[2048] = "{", plain[2048];
    char expect[2048] = "", expect_plain[2048] = "";
    for (int i = 0; i < 40; i++) {
        sprintf(json + strlen(json), "%s\"k%d\":%d", i ? "," : "", i, i);
        sprintf(expect_plain + strlen(expect_plain), "k%d=%d;", i, i);
        if (i != 7)
            sprintf(expect + strlen(expect), "k%d=%d;", i, i);
    }
    snprintf(plain, sizeof plain, "%s}", json);
    strcat(json, ",\"k\\u0037\":\"last\"}");
    strcat(expect, "k7=\"last\";");
    ck_assert_str_eq(walk(json), expect);
    jp_xval v = J(json), p = J(plain);
    ck_assert_uint_eq(jp_xval_count(&ctx, &v), 40);
    ck_assert_uint_eq(jp_xval_count(&ctx, &p), 40);
    ck_assert_str_eq(walk(plain), expect_plain);
    /* Many copies of two keys: each given once, where its last copy is. */
    char copies[8192] = "{";
    for (int i = 0; i < 1000; i++)
        sprintf(copies + strlen(copies), "%s\"%s\":%d", i ? "," : "",
                i == 500 ? "\\u0062" : i % 2 ? "a" : "b", i);
    strcat(copies, ",\"c\":true}");
    ck_assert_str_eq(walk(copies), "b=998;a=999;c=true;");
    jp_xval cv = J(copies);
    ck_assert_uint_eq(jp_xval_count(&ctx, &cv), 3);
}
END_TEST

START_TEST(count_counts_elements_and_distinct_keys)
{
    const struct {
        const char *json;
        size_t n;
    } cases[] = {{"[]", 0}, {"[[],[]]", 2}, {"[1,[2,3],{\"a\":[4]}]", 3}, {"{}", 0},
                 {"{\"a\":1,\"a\":2,\"b\":3}", 2}, {"\"abc\"", 0}, {"null", 0}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        jp_xval v = J(cases[i].json);
        ck_assert_uint_eq(jp_xval_count(&ctx, &v), cases[i].n);
    }
}
END_TEST

static void index_is(const char *a, jp_xval idx, const char *expect)
{
    jp_xval av = J(a), out;
    ck_assert_msg(jp_xval_index(&ctx, &av, &idx, &out) == JP_XOK, "%s", ctx.why);
    ck_assert_str_eq(W(&out), expect);
}

static void index_fails(const char *a, jp_xval idx, const char *why)
{
    jp_xval av = J(a), out;
    ck_assert_int_eq(jp_xval_index(&ctx, &av, &idx, &out), JP_XERR);
    ck_assert_str_eq(ctx.why, why);
}

START_TEST(index_counts_from_either_end)
{
    const char *a = "[10, \"x\", [30]]";
    index_is(a, jp_xint(0), "10");
    index_is(a, jp_xint(1), "\"x\"");
    index_is(a, jp_xint(2), "[30]");
    index_is(a, jp_xint(-1), "[30]");
    index_is(a, jp_xint(-3), "10");
    index_is(a, J("1.0"), "\"x\"");
    index_is(a, jp_xdouble(2.0), "[30]");
    index_fails(a, jp_xint(3), "[3]: index out of range (array of 3)");
    index_fails(a, jp_xint(-4), "[-4]: index out of range (array of 3)");
    index_fails(a, jp_xint(INT64_MAX), "[9223372036854775807]: index out of range (array of 3)");
    index_fails(a, jp_xint(INT64_MIN),
                "[-9223372036854775808]: index out of range (array of 3)");
    index_fails("[]", jp_xint(0), "[0]: index out of range (array of 0)");
    index_fails(a, J("1.5"), "[1.5]: the index is not an integer");
    index_fails(a, J("1e400"), "[1e400]: the index is not an integer");
    index_fails(a, J("\"1\""), "[\"1\"]: the index is a string, not an integer");
    index_fails(a, J("null"), "[null]: the index is null, not an integer");
    index_fails("\"abc\"", jp_xint(0), "[0]: cannot index a string");
    index_fails("null", jp_xint(0), "[0]: cannot index null");
    index_fails("{\"0\":1}", jp_xint(0), "[0]: cannot index an object");
}
END_TEST

/* ---- the core functions ---------------------------------------------------- */

START_TEST(core_table_holds_the_core_functions)
{
    const char *names[] = {"to_int", "to_float", "to_string", "to_bool", "parse_json",
                           "to_json", "round", "floor", "ceil", "abs", "min", "max",
                           "type", "keys", "len"};
    size_t n = 0;
    for (const jp_xfunc *f = jp_xfuncs_core; f->name; f++, n++) {
        ck_assert_int_eq(f->regex_arg, -1);
        ck_assert_ptr_nonnull(f->fn);
    }
    ck_assert_uint_eq(n, sizeof names / sizeof names[0]);
    for (size_t i = 0; i < n; i++) {
        const jp_xfunc *f = core(names[i]);
        ck_assert_int_eq(f->min_args, 1);
        ck_assert_int_eq(f->max_args, strcmp(names[i], "min") && strcmp(names[i], "max")
                                          ? 1 : INT_MAX);
    }
}
END_TEST

START_TEST(to_int_converts_numbers_strings_and_booleans)
{
    jp_xval v = CALL_IS("42", "to_int", "42");
    ck_assert_int_eq(v.num, JP_XNUM_INT);
    CALL_IS("42", "to_int", "\"42\"");
    CALL_IS("4", "to_int", "\"4.7\"");
    CALL_IS("-4", "to_int", "\"-4.7\"");
    CALL_IS("4", "to_int", "4.7");
    CALL_IS("-4", "to_int", "-4.7");
    CALL_IS("100", "to_int", "\"1e2\"");
    CALL_IS("12345678901234567", "to_int", "\"12345678901234567.8\"");
    CALL_IS("9223372036854775807", "to_int", "\"9223372036854775807\"");
    CALL_IS("1", "to_int", "true");
    CALL_IS("0", "to_int", "false");
    CALL_FAILS("to_int: a string (\"x7\") is not a number", "to_int", "\"x7\"");
    CALL_FAILS("to_int: a string (\" 42\") is not a number", "to_int", "\" 42\"");
    CALL_FAILS("to_int: a string (\"\") is not a number", "to_int", "\"\"");
    CALL_FAILS("to_int: a string (\"9223372036854775808\") does not fit a 64-bit integer",
               "to_int", "\"9223372036854775808\"");
    CALL_FAILS("to_int: a number (1e30) does not fit a 64-bit integer", "to_int", "1e30");
    CALL_FAILS("to_int: needs a number, a string or a boolean, not null", "to_int", "null");
    CALL_FAILS("to_int: needs a number, a string or a boolean, not an array ([1, 2])", "to_int",
               "[1, 2]");
    jp_xval big = jp_xdouble(1e19), out;
    jp_xcall c = {core("to_int"), NULL};
    ck_assert_int_eq(c.fn->fn(&ctx, &c, &big, 1, &out), JP_XERR);
    ck_assert_str_eq(ctx.why, "to_int: a number (1e+19) does not fit a 64-bit integer");
}
END_TEST

START_TEST(to_float_converts_numbers_and_numeric_strings)
{
    jp_xval v = CALL_IS("1", "to_float", "1");
    ck_assert_int_eq(v.num, JP_XNUM_DOUBLE);
    CALL_IS("2.5", "to_float", "\"2.5\"");
    CALL_IS("0.1", "to_float", "0.10");
    CALL_IS("1e+300", "to_float", "\"1e300\"");
    CALL_FAILS("to_float: a string (\"1e400\") is beyond the range of a double", "to_float",
               "\"1e400\"");
    CALL_FAILS("to_float: a number (-1e400) is beyond the range of a double", "to_float",
               "-1e400");
    CALL_FAILS("to_float: a string (\"x\") is not a number", "to_float", "\"x\"");
    CALL_FAILS("to_float: needs a number or a string, not a boolean (true)", "to_float", "true");
    CALL_FAILS("to_float: needs a number or a string, not null", "to_float", "null");
}
END_TEST

START_TEST(to_string_and_to_json_write_values)
{
    CALL_IS("\"a b\"", "to_string", "\"a b\"");
    CALL_IS("\"1.50\"", "to_string", "1.50");
    CALL_IS("\"true\"", "to_string", "true");
    CALL_IS("\"false\"", "to_string", "false");
    CALL_IS("\"null\"", "to_string", "null");
    CALL_IS("\"[1,\\\"a b\\\"]\"", "to_string", "[ 1, \"a b\" ]");
    CALL_IS("\"{\\\"a\\\":{}}\"", "to_string", "{\"a\": {}}");
    jp_xval sum = jp_xdouble(0.1 + 0.2), out;
    jp_xcall c = {core("to_string"), NULL};
    ck_assert_int_eq(c.fn->fn(&ctx, &c, &sum, 1, &out), JP_XOK);
    ck_assert_str_eq(W(&out), "\"0.30000000000000004\"");
    jp_xval big = jp_xint(INT64_MIN);
    ck_assert_int_eq(c.fn->fn(&ctx, &c, &big, 1, &out), JP_XOK);
    ck_assert_str_eq(W(&out), "\"-9223372036854775808\"");

    CALL_IS("\"\\\"a\\\\\\\"b\\\"\"", "to_json", "\"a\\\"b\"");
    CALL_IS("\"1.50\"", "to_json", "1.50");
    CALL_IS("\"[1,2]\"", "to_json", "[1, 2]");
    CALL_IS("\"null\"", "to_json", "null");
    CALL_IS("\"{\\\"k\\\":\\\"v w\\\"}\"", "to_json", "{ \"k\" : \"v w\" }");
}
END_TEST

START_TEST(to_bool_takes_booleans_words_numbers_and_null)
{
    CALL_IS("true", "to_bool", "true");
    CALL_IS("false", "to_bool", "false");
    CALL_IS("true", "to_bool", "\"true\"");
    CALL_IS("false", "to_bool", "\"false\"");
    CALL_IS("false", "to_bool", "0");
    CALL_IS("false", "to_bool", "-0.0e7");
    CALL_IS("true", "to_bool", "2");
    CALL_IS("true", "to_bool", "0.001");
    CALL_IS("false", "to_bool", "null");
    CALL_FAILS("to_bool: a string (\"yes\") is not \"true\" or \"false\"", "to_bool", "\"yes\"");
    CALL_FAILS("to_bool: a string (\"True\") is not \"true\" or \"false\"", "to_bool",
               "\"True\"");
    CALL_FAILS("to_bool: needs a boolean, a number, a string or null, not an array ([])",
               "to_bool", "[]");
}
END_TEST

START_TEST(parse_json_reads_one_value)
{
    jp_xval v = CALL_IS("{\"a\":[1,2]}", "parse_json", "\"{\\\"a\\\": [1, 2]}\"");
    ck_assert_int_eq(v.type, JP_OBJECT);
    v = CALL_IS("\"x\\ny\"", "parse_json", "\"\\\"x\\\\ny\\\"\"");
    ck_assert_int_eq(v.type, JP_STRING);
    ck_assert_uint_eq(v.n, 3);
    v = CALL_IS("1.50", "parse_json", "\"1.50\"");
    ck_assert_int_eq(v.type, JP_NUMBER);
    ck_assert_int_eq(v.num, JP_XNUM_TEXT);
    CALL_IS("-7", "parse_json", "\" -7 \"");
    v = CALL_IS("true", "parse_json", "\"true\"");
    ck_assert_int_eq(v.type, JP_BOOLEAN);
    v = CALL_IS("null", "parse_json", "\"null\"");
    ck_assert_int_eq(v.type, JP_NULL);
    CALL_FAILS("parse_json: invalid JSON at column 2: unexpected end of the value, expected a string key or '}'",
               "parse_json", "\"{\"");
    CALL_FAILS("parse_json: invalid JSON at column 3: unexpected data after the JSON value",
               "parse_json", "\"1 2\"");
    CALL_FAILS("parse_json: invalid JSON at column 1: unexpected end of the value, expected a value",
               "parse_json", "\"\"");
    CALL_FAILS("parse_json: needs a string, not a number (5)", "parse_json", "5");
    /* No deeper than a record may be: 512 levels, or the context's. */
    char *deep = nested(JP_XDEPTH_DEFAULT, 0, "1"), *deeper = nested(JP_XDEPTH_DEFAULT + 1, 1, "1");
    jp_buf arg = {0};
    jp_json_quote(&arg, deep, strlen(deep));
    jp_buf_putc(&arg, '\0');
    v = CALL_IS(deep, "parse_json", arg.data);
    ck_assert_int_eq(v.type, JP_ARRAY);
    arg.len = 0;
    jp_json_quote(&arg, deeper, strlen(deeper));
    jp_buf_putc(&arg, '\0');
    CALL_FAILS("parse_json: the value is nested deeper than 512 levels", "parse_json", arg.data);
    ctx.max_depth = 2;
    CALL_IS("[{\"a\":\"[[[\"}]", "parse_json", "\"[{\\\"a\\\":\\\"[[[\\\"}]\"");
    CALL_FAILS("parse_json: the value is nested deeper than 2 levels", "parse_json",
               "\"[[], [{}]]\"");
    jp_buf_free(&arg);
    free(deep), free(deeper);
}
END_TEST

START_TEST(rounding_gives_integers)
{
    jp_xval v = CALL_IS("3", "round", "2.5");
    ck_assert_int_eq(v.num, JP_XNUM_INT);
    CALL_IS("-3", "round", "-2.5");
    CALL_IS("2", "round", "2.4");
    CALL_IS("1", "round", "0.5");
    CALL_IS("-1", "round", "-0.5");
    CALL_IS("0", "round", "-0.4");
    CALL_IS("7", "round", "7");
    CALL_IS("1e400", "round", "1e400");
    CALL_IS("2.50e1", "round", "2.50e1");
    /* Texts with a fraction round exactly, at any size or exponent. */
    CALL_IS("100000000000000000001", "round", "100000000000000000000.5");
    CALL_IS("100000000000000000000", "floor", "100000000000000000000.5");
    v = CALL_IS("9223372036854775807", "floor", "9223372036854775807.5");
    ck_assert_int_eq(v.num, JP_XNUM_INT);
    CALL_IS("9223372036854775808", "ceil", "9223372036854775807.5");
    v = CALL_IS("-9223372036854775808", "ceil", "-9223372036854775808.5");
    ck_assert_int_eq(v.num, JP_XNUM_INT);
    CALL_IS("-9223372036854775809", "floor", "-9223372036854775808.5");
    CALL_IS("-12345678901234567890124", "round", "-12345678901234567890123.5");
    CALL_IS("-1", "floor", "-1e-400");
    CALL_IS("0", "ceil", "-1e-400");
    CALL_IS("1", "ceil", "1e-400");
    CALL_IS("0", "round", "4.9e-1");
    CALL_IS("1", "round", "5e-1");
    CALL_IS("1", "round", "0.05e1");
    CALL_IS("1235", "round", "123.456e1");
    CALL_IS("13", "ceil", "123.456E-1");
    CALL_IS("-10", "floor", "-9.99");
    CALL_IS("1000", "ceil", "999.000001");
    CALL_IS("1", "ceil", "1.5e-9999999999999999999999");
    CALL_IS("-0.0", "floor", "-0.0");
    /* Doubles round as the C library does, to an integer when one fits. */
    jp_xval d = jp_xdouble(-2.5), big = jp_xdouble(-1e300), out;
    jp_xcall c = {core("round"), NULL};
    ck_assert_int_eq(c.fn->fn(&ctx, &c, &d, 1, &out), JP_XOK);
    ck_assert_str_eq(W(&out), "-3");
    ck_assert_int_eq(out.num, JP_XNUM_INT);
    ck_assert_int_eq(c.fn->fn(&ctx, &c, &big, 1, &out), JP_XOK);
    ck_assert_str_eq(W(&out), "-1e+300");
    ck_assert_int_eq(out.num, JP_XNUM_DOUBLE);
    CALL_IS("-3", "floor", "-2.5");
    CALL_IS("2", "floor", "2.5");
    CALL_IS("-2", "ceil", "-2.5");
    CALL_IS("3", "ceil", "2.1");
    CALL_FAILS("round: needs a number, not a string (\"2.5\")", "round", "\"2.5\"");
    CALL_FAILS("floor: needs a number, not null", "floor", "null");
    CALL_FAILS("ceil: needs a number, not a boolean (true)", "ceil", "true");
}
END_TEST

START_TEST(abs_keeps_texts)
{
    CALL_IS("5", "abs", "-5");
    CALL_IS("5", "abs", "5");
    CALL_IS("1.50", "abs", "-1.50");
    CALL_IS("18446744073709551617", "abs", "-18446744073709551617");
    jp_xval v = jp_xint(INT64_MIN), w = jp_xdouble(-2.5), out;
    jp_xcall c = {core("abs"), NULL};
    ck_assert_int_eq(c.fn->fn(&ctx, &c, &v, 1, &out), JP_XOK);
    ck_assert_str_eq(W(&out), "9.223372036854776e+18");
    ck_assert_int_eq(c.fn->fn(&ctx, &c, &w, 1, &out), JP_XOK);
    ck_assert_str_eq(W(&out), "2.5");
    CALL_FAILS("abs: needs a number, not a string (\"x\")", "abs", "\"x\"");
}
END_TEST

START_TEST(min_and_max_of_an_array_or_of_arguments)
{
    CALL_IS("1", "min", "[3, 1, 2]");
    CALL_IS("3", "max", "[3, 1, 2]");
    CALL_IS("\"a\"", "min", "[\"b\", \"a\", \"c\"]");
    CALL_IS("\"\xc3\xa9\"", "max", "[\"z\", \"\\u00e9\"]");
    CALL_IS("1.50", "min", "3", "1.50", "2");
    CALL_IS("1", "max", "1", "1.0");
    CALL_IS("1.0", "max", "1.0", "1");
    CALL_IS("\"b\"", "max", "\"a\"", "\"b\"");
    CALL_IS("null", "min", "[]");
    CALL_IS("null", "max", "[]");
    CALL_IS("18446744073709551617", "max", "[18446744073709551616, 18446744073709551617]");
    CALL_FAILS("min: cannot compare a number and a string", "min", "[1, \"a\"]");
    CALL_FAILS("max: cannot compare a string and a number", "max", "\"a\"", "1");
    CALL_FAILS("min: needs an array or two or more values, not a number (1)", "min", "1");
    CALL_FAILS("min: needs an array or two or more values, not null", "min", "null");
    CALL_FAILS("min: needs numbers or strings, not null", "min", "[null]");
    CALL_FAILS("max: needs numbers or strings, not an array ([1])", "max", "[[1]]");
    CALL_FAILS("max: needs numbers or strings, not a boolean (true)", "max", "1", "true");
}
END_TEST

START_TEST(type_names_each_type)
{
    CALL_IS("\"null\"", "type", "null");
    CALL_IS("\"boolean\"", "type", "false");
    CALL_IS("\"number\"", "type", "1.5");
    CALL_IS("\"string\"", "type", "\"1\"");
    CALL_IS("\"array\"", "type", "[]");
    CALL_IS("\"object\"", "type", "{}");
}
END_TEST

START_TEST(keys_sorts_distinct_keys_by_code_point)
{
    CALL_IS("[\"Z\",\"a\",\"b\",\"\xc3\xa9\"]", "keys",
            "{\"b\":1,\"a\":2,\"\\u00e9\":3,\"Z\":4,\"a\":5}");
    CALL_IS("[\"\",\"\\n\",\"\xee\x80\x80\",\"\xf0\x9f\x98\x80\"]", "keys",
            "{\"\\ud83d\\ude00\":1,\"\\ue000\":2,\"\\n\":3,\"\":4}");
    CALL_IS("[]", "keys", "{}");
    CALL_IS("[0,1,2]", "keys", "[5, 6, [7]]");
    CALL_IS("[]", "keys", "[]");
    CALL_FAILS("keys: needs an object or an array, not a string (\"x\")", "keys", "\"x\"");
    CALL_FAILS("keys: needs an object or an array, not null", "keys", "null");
}
END_TEST

START_TEST(len_counts_code_points_elements_and_keys)
{
    jp_xval v = CALL_IS("5", "len", "\"h\\u00e9llo\"");
    ck_assert_int_eq(v.num, JP_XNUM_INT);
    CALL_IS("1", "len", "\"\\ud83d\\ude00\"");
    CALL_IS("3", "len", "\"\xe4\xb8\xad\xe6\x96\x87!\"");
    CALL_IS("0", "len", "\"\"");
    CALL_IS("2", "len", "[1, [2, 3]]");
    CALL_IS("2", "len", "{\"a\":1,\"a\":2,\"b\":3}");
    CALL_IS("0", "len", "null");
    CALL_FAILS("len: needs a string, an array or an object, not a number (5)", "len", "5");
    CALL_FAILS("len: needs a string, an array or an object, not a boolean (true)", "len",
               "true");
}
END_TEST

Suite *expr_value_suite(void)
{
    Suite *s = suite_create("expr_value");
    TCase *tc = tcase_create("values");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, integers_stay_exact_and_overflow_to_doubles);
    tcase_add_test(tc, division_is_an_integer_only_when_it_divides);
    tcase_add_test(tc, remainder_truncates_like_jq);
    tcase_add_test(tc, doubles_print_shortest_and_stay_finite);
    tcase_add_test(tc, strings_concatenate_and_mixes_are_errors);
    tcase_add_test(tc, negation_keeps_texts_exact);
    tcase_add_test(tc, read_and_write_keep_texts);
    tcase_add_test(tc, numbers_as_integers_and_doubles);
    tcase_add_test(tc, truthiness_and_phrases);
    tcase_add_test(tc, excerpts_are_short_and_cut_at_characters);
    tcase_add_test(tc, numbers_compare_by_exact_value);
    tcase_add_test(tc, strings_compare_by_code_point);
    tcase_add_test(tc, other_values_compare_by_type_and_content);
    tcase_add_test(tc, deep_values_compare_without_recursion);
    tcase_add_test(tc, deep_values_hash_without_deep_recursion);
    tcase_add_test(tc, equal_scalars_hash_alike);
    tcase_add_test(tc, contains_finds_elements_and_substrings);
    tcase_add_test(tc, next_walks_arrays_and_objects);
    tcase_add_test(tc, large_objects_drop_copies_too);
    tcase_add_test(tc, count_counts_elements_and_distinct_keys);
    tcase_add_test(tc, index_counts_from_either_end);
    suite_add_tcase(s, tc);
    TCase *fn = tcase_create("core functions");
    tcase_add_checked_fixture(fn, setup, teardown);
    tcase_add_test(fn, core_table_holds_the_core_functions);
    tcase_add_test(fn, to_int_converts_numbers_strings_and_booleans);
    tcase_add_test(fn, to_float_converts_numbers_and_numeric_strings);
    tcase_add_test(fn, to_string_and_to_json_write_values);
    tcase_add_test(fn, to_bool_takes_booleans_words_numbers_and_null);
    tcase_add_test(fn, parse_json_reads_one_value);
    tcase_add_test(fn, rounding_gives_integers);
    tcase_add_test(fn, abs_keeps_texts);
    tcase_add_test(fn, min_and_max_of_an_array_or_of_arguments);
    tcase_add_test(fn, type_names_each_type);
    tcase_add_test(fn, keys_sorts_distinct_keys_by_code_point);
    tcase_add_test(fn, len_counts_code_points_elements_and_keys);
    suite_add_tcase(s, fn);
    return s;
}
