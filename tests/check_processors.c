/* check_processors.c: --require, --set, --uuid and --filter through a real
 * chain: exact output bytes, error records, and the usage errors of bad
 * arguments.
 * The filter's orderings are checked against an oracle of its own. */
#include <stdio.h>
#include <stdlib.h>

#include "chain.h"
#include "check_suites.h"

static const jp_processor_type *find(const char *name)
{
    for (int i = 0; jp_processors[i]; i++)
        if (strcmp(jp_processors[i]->name, name) == 0)
            return jp_processors[i];
    ck_abort_msg("no processor %s", name);
    return NULL;
}

/* Runs "--p1 a1 --p2 a2 ..." over input; returns output and error records. */
static void run(const char *const *procs, const char *input, jp_buf *out, jp_buf *err)
{
    jp_chain c;
    char why[128];
    jp_chain_init(&c, 64);
    c.json_errors = 1;
    for (int i = 0; procs[i]; i += 2)
        ck_assert_msg(jp_chain_add(&c, find(procs[i]), procs[i + 1], why, sizeof why) == 0, "%s",
                      why);
    jp_chain_worker *w = jp_chain_worker_new(&c, NULL);
    jp_batch *b = jp_batch_new(strlen(input) + 1);
    memcpy(b->in, input, strlen(input));
    b->in_len = strlen(input);
    jp_batch_add_segment(b, 0, "in.ndjson", 0, 0, NULL);
    jp_chain_run(w, b);
    *out = b->out;
    *err = b->err;
    jp_buf_putc(out, '\0');
    jp_buf_putc(err, '\0');
    b->out = (jp_buf){0};
    b->err = (jp_buf){0};
    jp_batch_free(b);
    jp_chain_worker_free(w);
    jp_chain_free(&c);
}

static void check(const char *const *procs, const char *input, const char *want_out,
                  const char *want_err)
{
    jp_buf out, err;
    run(procs, input, &out, &err);
    ck_assert_str_eq(out.data, want_out);
    ck_assert_str_eq(err.data, want_err);
    jp_buf_free(&out);
    jp_buf_free(&err);
}

static void check_usage(const char *proc, const char *arg, const char *want)
{
    jp_chain c;
    char why[128] = "";
    jp_chain_init(&c, 64);
    ck_assert_int_eq(jp_chain_add(&c, find(proc), arg, why, sizeof why), -1);
    ck_assert_str_eq(why, want);
    jp_chain_free(&c);
}

START_TEST(require_passes_bytes_and_rejects_with_reason)
{
    static const char *const p[] = {"require", "id,user.email", NULL};
    check(p,
          "{\"id\":1, \"user\":{\"email\":null}}\n"
          "{\"id\":2}\n"
          "{\"user\":{\"email\":\"x\"}}\r\n"
          "\n"
          "7\n",
          "{\"id\":1, \"user\":{\"email\":null}}\n",
          "{\"file\":\"in.ndjson\",\"line\":2,\"offset\":32,\"stage\":\"require\","
          "\"error\":\"missing field \\\"user.email\\\"\",\"record\":\"{\\\"id\\\":2}\"}\n"
          "{\"file\":\"in.ndjson\",\"line\":3,\"offset\":41,\"stage\":\"require\","
          "\"error\":\"missing field \\\"id\\\"\",\"record\":\"{\\\"user\\\":{\\\"email\\\":\\\"x\\\"}}\"}\n"
          "{\"file\":\"in.ndjson\",\"line\":5,\"offset\":66,\"stage\":\"require\","
          "\"error\":\"the record is a number, not an object\",\"record\":\"7\"}\n");
}
END_TEST

START_TEST(set_string_and_json_values)
{
    static const char *const p[] = {"set", "source=api \"v2\"", "set", "meta.n:= [1, {\"a\": 2}]",
                                    "set", "id:=18446744073709551616", NULL};
    check(p, "{\"id\":1,\"source\":\"old\",\"x\":1e400}\n",
          "{\"id\":18446744073709551616,\"source\":\"api \\\"v2\\\"\",\"x\":1e400,"
          "\"meta\":{\"n\":[1,{\"a\":2}]}}\n",
          "");
}
END_TEST

START_TEST(set_then_require_sees_the_edit)
{
    static const char *const p[] = {"set", "name=n", "require", "id,name", "set", "name=m", NULL};
    check(p, "{\"id\":1}\n{\"x\":1}\n", "{\"id\":1,\"name\":\"m\"}\n",
          "{\"file\":\"in.ndjson\",\"line\":2,\"offset\":9,\"stage\":\"require\","
          "\"error\":\"missing field \\\"id\\\"\",\"record\":\"{\\\"x\\\":1}\"}\n");
}
END_TEST

START_TEST(set_rejects_when_parent_is_not_an_object)
{
    static const char *const p[] = {"set", "user.tier=gold", NULL};
    check(p, "{\"user\":[1]}\n",
          "",
          "{\"file\":\"in.ndjson\",\"line\":1,\"offset\":0,\"stage\":\"set\","
          "\"error\":\"cannot set \\\"user.tier\\\": \\\"user\\\" is an array\","
          "\"record\":\"{\\\"user\\\":[1]}\"}\n");
}
END_TEST

START_TEST(escaped_separators_in_field_names)
{
    static const char *const p[] = {"set", "a\\.b\\=c=1", "require", "x\\,y", NULL};
    check(p, "{\"x,y\":0}\n", "{\"x,y\":0,\"a.b=c\":\"1\"}\n", "");
}
END_TEST

START_TEST(bad_arguments_are_usage_errors)
{
    check_usage("set", "novalue", "expected FIELD=VALUE or FIELD:=JSON");
    check_usage("set", "=x", "empty field name");
    check_usage("set", "a:={\"b\":", "invalid JSON at column 6: unexpected end of the value, expected a value");
    check_usage("set", "a:=1 2", "invalid JSON at column 3: unexpected data after the JSON value");
    check_usage("require", "id,,name", "empty field name");
    check_usage("require", "user..email", "empty component in field \"user..email\"");
}
END_TEST

/* ---- --uuid ------------------------------------------------------------------------------ */

/* The stable UUIDs below were computed apart from jsonpipe, by xxh128sum
 * of printf '%s\0%s\0%s\0%s' NAME OFFSET INDICES KEY, its 13th hex digit
 * made 8 and the top two bits of its 17th made 10. */
START_TEST(uuid_stable_is_the_hash_of_name_offset_and_key)
{
    static const char *const p[] = {"uuid", "id=stable", NULL};
    check(p, "{}\n{\"a\":1}\n",
          "{\"id\":\"a2b03519-d35c-85bd-b940-03e485dccbb1\"}\n"
          "{\"a\":1,\"id\":\"7bb50b65-a03c-8b20-a9af-ea6b2842d7ae\"}\n",
          "");
    static const char *const keyed[] = {"uuid", "id=stable:run-7", NULL};
    check(keyed, "{}\n", "{\"id\":\"f966ee60-0136-85a7-b61a-bf10c2138437\"}\n", "");
    /* An empty KEY is no KEY; an existing field is replaced in place. */
    static const char *const empty[] = {"uuid", "id=stable:", NULL};
    check(empty, "{\"id\":1,\"b\":2}\n",
          "{\"id\":\"a2b03519-d35c-85bd-b940-03e485dccbb1\",\"b\":2}\n", "");
}
END_TEST

START_TEST(uuid_stable_tells_apart_the_records_expansions_make)
{
    static const char *const p[] = {"explode", "a", "explode", "b", "uuid", "id=stable", NULL};
    check(p, "{\"a\":[1,2],\"b\":[3,4]}\n",
          "{\"a\":1,\"b\":3,\"id\":\"f91201d4-a45e-895b-9521-fbde8ed451f1\"}\n"
          "{\"a\":1,\"b\":4,\"id\":\"5b5ea45f-9cb2-8f37-b7e7-ee663b8e9c8e\"}\n"
          "{\"a\":2,\"b\":3,\"id\":\"c72565a6-8569-8944-bbc0-a2e9abdfb94e\"}\n"
          "{\"a\":2,\"b\":4,\"id\":\"e99286da-76e1-893c-8898-79b9801eaebd\"}\n",
          "");
    /* Set before the expansion, the id is the line's, in every record. */
    static const char *const before[] = {"uuid", "id=stable", "explode", "a", NULL};
    check(before, "{\"a\":[1,2]}\n",
          "{\"a\":1,\"id\":\"a2b03519-d35c-85bd-b940-03e485dccbb1\"}\n"
          "{\"a\":2,\"id\":\"a2b03519-d35c-85bd-b940-03e485dccbb1\"}\n",
          "");
    /* Between two expansions, the index of the first alone. */
    static const char *const between[] = {"explode", "a", "uuid", "id=stable", "explode", "b",
                                          NULL};
    check(between, "{\"a\":[1],\"b\":[3,4]}\n",
          "{\"a\":1,\"b\":3,\"id\":\"7f2c570c-46de-8010-be4e-f2817f34ead9\"}\n"
          "{\"a\":1,\"b\":4,\"id\":\"7f2c570c-46de-8010-be4e-f2817f34ead9\"}\n",
          "");
}
END_TEST

/* Every UUID of lines * {} that --uuid arg makes has the version digit
 * version and a variant digit of 8, 9, a or b; no two are the same. */
static void uuid_bits(const char *arg, char version, int lines)
{
    const char *const p[] = {"uuid", arg, NULL};
    jp_buf in = {0}, out, err;
    for (int i = 0; i < lines; i++)
        jp_buf_puts(&in, "{}\n");
    jp_buf_putc(&in, '\0');
    run(p, in.data, &out, &err);
    ck_assert_str_eq(err.data, "");
    const size_t len = sizeof "{\"id\":\"01234567-89ab-cdef-0123-456789abcdef\"}\n" - 1;
    ck_assert_uint_eq(out.len - 1, (size_t)lines * len);
    for (int i = 0; i < lines; i++) {
        const char *id = out.data + (size_t)i * len + 7;
        ck_assert_msg(id[14] == version && strchr("89ab", id[19]), "%.36s", id);
        for (int j = 0; j < i; j++)
            ck_assert_msg(memcmp(id, out.data + (size_t)j * len + 7, 36) != 0, "%.36s twice", id);
    }
    jp_buf_free(&in);
    jp_buf_free(&out);
    jp_buf_free(&err);
}

START_TEST(uuid_kinds_set_their_version_and_variant_bits)
{
    uuid_bits("id=stable", '8', 300);
    uuid_bits("id=stable:k", '8', 300);
    uuid_bits("id=v7", '7', 300);
    uuid_bits("id", '7', 300);
}
END_TEST

START_TEST(uuid_refuses_unknown_kinds)
{
    static const char *const kinds[] = {"v4", "", "Stable", "stablex", "stable-", "v7:k", "V7"};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        char arg[32], want[96];
        snprintf(arg, sizeof arg, "id=%s", kinds[i]);
        snprintf(want, sizeof want, "unknown kind \"%s\" (v7, stable, stable:KEY)", kinds[i]);
        check_usage("uuid", arg, want);
    }
    check_usage("uuid", "=stable", "empty field name");
    /* An escaped '=' is part of the name. */
    static const char *const p[] = {"uuid", "a\\=b=stable", NULL};
    check(p, "{}\n", "{\"a=b\":\"a2b03519-d35c-85bd-b940-03e485dccbb1\"}\n", "");
}
END_TEST

/* ---- the filter's orderings against an oracle ------------------------------------------ */

/* The oracle spells a number out in fixed point, ORACLE_SPAN digit places
 * each side of the point, and compares those digit by digit: nothing like
 * number.c's normalising, so a shared mistake is unlikely. */
#define ORACLE_SPAN 1200

typedef struct fixed {
    int negative;
    unsigned char d[2 * ORACLE_SPAN]; /* d[ORACLE_SPAN - 1] is the units */
} fixed;

static void to_fixed(const char *s, fixed *f)
{
    memset(f, 0, sizeof *f);
    f->negative = *s == '-';
    s += f->negative;
    int digits[700], nd = 0, point = -1;
    for (; *s && *s != 'e' && *s != 'E'; s++) {
        if (*s == '.')
            point = nd;
        else
            digits[nd++] = *s - '0';
    }
    if (point < 0)
        point = nd;
    long exp = *s ? strtol(s + 1, NULL, 10) : 0;
    for (int i = 0; i < nd; i++) {
        long place = point - 1 - i + exp; /* digit i is worth 10^place */
        long at = ORACLE_SPAN - 1 - place;
        ck_assert_msg(at >= 0 && at < 2 * ORACLE_SPAN, "oracle span too small");
        f->d[at] = (unsigned char)digits[i];
    }
}

static int fixed_cmp(const char *a, const char *b)
{
    static fixed x, y;
    to_fixed(a, &x);
    to_fixed(b, &y);
    static const unsigned char zero[2 * ORACLE_SPAN];
    int zx = !memcmp(x.d, zero, sizeof zero), zy = !memcmp(y.d, zero, sizeof zero);
    int sx = zx ? 0 : x.negative ? -1 : 1, sy = zy ? 0 : y.negative ? -1 : 1;
    if (sx != sy)
        return sx < sy ? -1 : 1;
    int m = memcmp(x.d, y.d, sizeof x.d);
    m = m < 0 ? -1 : m > 0;
    return sx < 0 ? -m : m;
}

/* Code point order from the UTF-8 bytes, decoded here. */
static size_t code_points(const char *s, size_t n, unsigned long *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; k++) {
        unsigned char c = (unsigned char)s[i];
        int len = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
        unsigned long v = len == 1 ? c : c & (0x3f >> (len - 1));
        for (int j = 1; j < len; j++)
            v = v << 6 | ((unsigned char)s[i + j] & 0x3f);
        out[k] = v;
        i += (size_t)len;
    }
    return k;
}

typedef struct str_case {
    const char *json;  /* as written in the record and the filter */
    const char *bytes; /* its decoded UTF-8 */
    size_t len;
} str_case;

static int str_cmp(const str_case *a, const str_case *b)
{
    unsigned long x[64], y[64];
    size_t xn = code_points(a->bytes, a->len, x), yn = code_points(b->bytes, b->len, y);
    for (size_t i = 0; i < xn && i < yn; i++)
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    return xn < yn ? -1 : xn > yn;
}

static const struct {
    const char *tok;
    int lt, eq, gt; /* the answer when a < b, a == b, a > b */
} ordering_ops[] = {
    {"<", 1, 0, 0}, {"<=", 1, 1, 0}, {">", 0, 0, 1},
    {">=", 0, 1, 1}, {"==", 0, 1, 0}, {"!=", 1, 0, 1},
};

static int answer(int op, int order)
{
    return order < 0 ? ordering_ops[op].lt : order == 0 ? ordering_ops[op].eq : ordering_ops[op].gt;
}

/* Runs --filter expr over input and compares with the lines of want. */
static void filter_case(const char *expr, const char *input, const char *want)
{
    const char *p[] = {"filter", expr, NULL};
    jp_buf out, err;
    run(p, input, &out, &err);
    ck_assert_msg(strcmp(out.data, want) == 0, "--filter '%s' gave\n%s\nnot\n%s", expr, out.data,
                  want);
    ck_assert_str_eq(err.data, "");
    jp_buf_free(&out);
    jp_buf_free(&err);
}

/* Every operator on every pair of texts, three ways: field against
 * literal, literal against field, field against field. order(i, j) is
 * the oracle's answer for texts[i] against texts[j]. */
static void ordering_table(const char *const *texts, size_t n, int (*order)(size_t, size_t))
{
    jp_buf in = {0}, want = {0}, in2 = {0}, want2 = {0};
    char expr[256];
    for (size_t op = 0; op < sizeof ordering_ops / sizeof ordering_ops[0]; op++) {
        in2.len = want2.len = 0;
        for (size_t j = 0; j < n; j++) {
            in.len = want.len = 0;
            for (size_t i = 0; i < n; i++) {
                char line[512];
                snprintf(line, sizeof line, "{\"x\":%s}\n", texts[i]);
                jp_buf_puts(&in, line);
                if (answer((int)op, order(i, j)))
                    jp_buf_puts(&want, line);
                snprintf(line, sizeof line, "{\"x\":%s,\"y\":%s}\n", texts[i], texts[j]);
                jp_buf_puts(&in2, line);
                if (answer((int)op, order(i, j)))
                    jp_buf_puts(&want2, line);
            }
            jp_buf_putc(&in, '\0');
            jp_buf_putc(&want, '\0');
            snprintf(expr, sizeof expr, "x %s %s", ordering_ops[op].tok, texts[j]);
            filter_case(expr, in.data, want.data);
            /* b OP x holds when x is on the other side of b. */
            static const char *const mirror[] = {">", ">=", "<", "<=", "==", "!="};
            snprintf(expr, sizeof expr, "%s %s x", texts[j], mirror[op]);
            filter_case(expr, in.data, want.data);
        }
        jp_buf_putc(&in2, '\0');
        jp_buf_putc(&want2, '\0');
        snprintf(expr, sizeof expr, "x %s y", ordering_ops[op].tok);
        filter_case(expr, in2.data, want2.data);
    }
    jp_buf_free(&in);
    jp_buf_free(&want);
    jp_buf_free(&in2);
    jp_buf_free(&want2);
}

static const char *const number_texts[] = {
    "0", "-0", "0.0", "-0.0e5", "0e-7", "1", "1.0", "10e-1", "0.1e1", "1e0", "100E-2", "2", "3",
    "5", "-5", "-1", "-1.0", "-3", "-2.5", "12", "10", "500", "502", "499.999", "5e2", "5.02E+2",
    "1e400", "1e-400", "-1e400", "-1e-400", "123456789012345678901234567890",
    "123456789012345678901234567891", "123456789012345678901234567890.000000000000000000001",
    "18446744073709551616", "18446744073709551615", "9223372036854775807",
    "9223372036854775808", "-9223372036854775809", "0.30000000000000004", "0.3", "3e-1",
    "1.7976931348623157e308", "1.7976931348623158e308", "4.9e-324", "0.000001", "1E-6",
    "7", "7.0000000000000000000000000001", "6.9999999999999999999999999999", "1e18",
    "999999999999999999", "1000000000000000001", "2e1", "20", "-20.000", "-2E+1",
    "0.0000000000000000000000000000000000000000005", "5e-43",
};
#define NNUMBERS (sizeof number_texts / sizeof number_texts[0])

static int number_order(size_t i, size_t j)
{
    return fixed_cmp(number_texts[i], number_texts[j]);
}

START_TEST(filter_orders_numbers_exactly)
{
    ordering_table(number_texts, NNUMBERS, number_order);
}
END_TEST

static const str_case string_cases[] = {
    {"\"\"", "", 0},
    {"\"a\"", "a", 1},
    {"\"b\"", "b", 1},
    {"\"c\"", "c", 1},
    {"\"A\"", "A", 1},
    {"\"Z\"", "Z", 1},
    {"\"ab\"", "ab", 2},
    {"\"abc\"", "abc", 3},
    {"\"abd\"", "abd", 3},
    {"\"a \"", "a ", 2},
    {"\"a\\u0000\"", "a\0", 2},
    {"\"a\\u0000b\"", "a\0b", 3},
    {"\"\\u0000\"", "\0", 1},
    {"\"\\\"\"", "\"", 1},
    {"\"\\\\\"", "\\", 1},
    {"\"\xc3\xa9\"", "\xc3\xa9", 2},
    {"\"\\u00e9\"", "\xc3\xa9", 2},
    {"\"e\xcc\x81\"", "e\xcc\x81", 3},
    {"\"\xe2\x82\xac\"", "\xe2\x82\xac", 3},
    {"\"\\uffff\"", "\xef\xbf\xbf", 3},
    {"\"\xf0\x9f\x98\x80\"", "\xf0\x9f\x98\x80", 4},
    {"\"\\ud83d\\ude00\"", "\xf0\x9f\x98\x80", 4},
    {"\"\\ud83d\\ude01x\"", "\xf0\x9f\x98\x81x", 5},
    {"\"\xc2\x80\"", "\xc2\x80", 2},
    {"\"\\u007f\"", "\x7f", 1},
};
#define NSTRINGS (sizeof string_cases / sizeof string_cases[0])

static int string_order(size_t i, size_t j)
{
    return str_cmp(&string_cases[i], &string_cases[j]);
}

START_TEST(filter_orders_strings_by_code_point)
{
    const char *texts[NSTRINGS];
    for (size_t i = 0; i < NSTRINGS; i++)
        texts[i] = string_cases[i].json;
    ordering_table(texts, NSTRINGS, string_order);
}
END_TEST

/* Values of other types, or of two types, have no order: every ordering is
 * false, == false and != true, whatever their texts. */
static const char *const mixed_texts[] = {"\"5\"", "5", "true", "false", "null", "[5]", "{}"};

START_TEST(filter_orderings_are_false_across_types)
{
    jp_buf in = {0};
    for (size_t i = 0; i < sizeof mixed_texts / sizeof mixed_texts[0]; i++)
        jp_buf_printf(&in, "{\"x\":%s}\n", mixed_texts[i]);
    jp_buf_putc(&in, '\0');
    filter_case("x < \"5\" || x > \"5\" || x < 5 || x > 5 || x <= null || x >= true", in.data, "");
    filter_case("x <= \"5\"", in.data, "{\"x\":\"5\"}\n");
    filter_case("x >= 5", in.data, "{\"x\":5}\n");
    filter_case("x == 5", in.data, "{\"x\":5}\n");
    filter_case("x != 5", in.data,
                "{\"x\":\"5\"}\n{\"x\":true}\n{\"x\":false}\n{\"x\":null}\n{\"x\":[5]}\n{\"x\":{}}\n");
    filter_case("x == true || x == null", in.data, "{\"x\":true}\n{\"x\":null}\n");
    /* A missing field reads as null: it has no order, and equals null. */
    filter_case("missing < 1 || missing >= \"\" || missing > null", in.data, "");
    filter_case("missing == null && !(missing != null)", in.data, in.data);
    jp_buf_free(&in);
}
END_TEST

Suite *processors_suite(void)
{
    Suite *s = suite_create("processors");
    TCase *tc = tcase_create("processors");
    tcase_add_test(tc, require_passes_bytes_and_rejects_with_reason);
    tcase_add_test(tc, set_string_and_json_values);
    tcase_add_test(tc, set_then_require_sees_the_edit);
    tcase_add_test(tc, set_rejects_when_parent_is_not_an_object);
    tcase_add_test(tc, escaped_separators_in_field_names);
    tcase_add_test(tc, bad_arguments_are_usage_errors);
    tcase_add_test(tc, uuid_stable_is_the_hash_of_name_offset_and_key);
    tcase_add_test(tc, uuid_stable_tells_apart_the_records_expansions_make);
    tcase_add_test(tc, uuid_kinds_set_their_version_and_variant_bits);
    tcase_add_test(tc, uuid_refuses_unknown_kinds);
    tcase_set_timeout(tc, 60); /* the ordering tables run a thousand chains */
    tcase_add_test(tc, filter_orders_numbers_exactly);
    tcase_add_test(tc, filter_orders_strings_by_code_point);
    tcase_add_test(tc, filter_orderings_are_false_across_types);
    suite_add_tcase(s, tc);
    return s;
}
