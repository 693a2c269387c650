/* check_processors.c: --require and --set through a real chain: exact output
 * bytes, error records, and the usage errors of bad arguments. */
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
    jp_chain_worker *w = jp_chain_worker_new(&c);
    jp_batch *b = jp_batch_new(strlen(input) + 1);
    memcpy(b->in, input, strlen(input));
    b->in_len = strlen(input);
    b->file = "in.ndjson";
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
    suite_add_tcase(s, tc);
    return s;
}
