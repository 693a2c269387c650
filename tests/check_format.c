/* check_format.c: CSV and TSV rows (format.c) and the walk to the values
 * at paths (path.c): every cell type, quoting and escaping, decoded
 * strings, numbers as written, nested values as their text, duplicate
 * keys, the columns of paths and of a first record, and every rejection. */
#include <stdio.h>
#include <stdlib.h>

#include "check_suites.h"
#include "format.h"
#include "path.h"

static const jp_format CSV = {JP_TO_CSV, 1, 0};
static const jp_format TSV = {JP_TO_TSV, 1, 0};

/* The output of records (one per line of lines) under f: the header of the
 * columns (those of paths, or else the first record's), then each row, or
 * "! REASON" for a record rejected. The rejections leave out as it was. */
static jp_buf table(const jp_format *f, const char *paths, const char *lines)
{
    jp_buf out = {0};
    jp_format_scratch s = {0};
    char err[256];
    jp_columns *c = paths ? jp_columns_from_paths(paths, "the paths", err, sizeof err) : NULL;
    ck_assert_msg(!paths || c, "%s", err);
    if (c && f->header)
        jp_format_header(f, c, &out);
    for (const char *p = lines; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (!c && (c = jp_columns_from_record(p, len)) && f->header)
            jp_format_header(f, c, &out);
        size_t before = out.len;
        char why[512];
        if (jp_format_row(f, c, p, len, &s, &out, why, sizeof why) < 0) {
            ck_assert_uint_eq(out.len, before);
            jp_buf_printf(&out, "! %s\n", why);
        }
        p += len + (nl != NULL);
    }
    jp_columns_free(c);
    jp_format_scratch_free(&s);
    return out;
}

/* table() gives exactly want, of want_len bytes (it may hold NUL). */
static void table_is(const jp_format *f, const char *paths, const char *lines, const char *want,
                     size_t want_len)
{
    jp_buf out = table(f, paths, lines);
    jp_buf_putc(&out, '\0');
    ck_assert_msg(out.len - 1 == want_len && memcmp(out.data, want, want_len) == 0,
                  "got\n%s\nwant\n%s", out.data, want);
    jp_buf_free(&out);
}

#define TABLE_IS(f, paths, lines, want) table_is(f, paths, lines, want, sizeof want - 1)

START_TEST(every_cell_type)
{
    const char *rec = "{\"s\":\"x\",\"i\":-0.0,\"big\":18446744073709551617,\"e\":1e400,"
                      "\"E\":1.5E-3,\"t\":true,\"f\":false,\"z\":null,\"a\":[1, \"x,y\"],"
                      "\"o\":{\"k\" : \"v\"},\"ea\":[],\"eo\":{}}";
    TABLE_IS(&CSV, NULL, rec,
             "s,i,big,e,E,t,f,z,a,o,ea,eo\n"
             "x,-0.0,18446744073709551617,1e400,1.5E-3,true,false,,\"[1, \"\"x,y\"\"]\","
             "\"{\"\"k\"\" : \"\"v\"\"}\",[],{}\n");
    TABLE_IS(&TSV, NULL, rec,
             "s\ti\tbig\te\tE\tt\tf\tz\ta\to\tea\teo\n"
             "x\t-0.0\t18446744073709551617\t1e400\t1.5E-3\ttrue\tfalse\t\t[1, \"x,y\"]\t"
             "{\"k\" : \"v\"}\t[]\t{}\n");
}
END_TEST

START_TEST(csv_quotes_a_cell_with_a_delimiter_quote_or_line_break)
{
    TABLE_IS(&CSV, "a,b,c,d,e,f,g",
             "{\"a\":\"1,2\",\"b\":\"say \\\"hi\\\"\",\"c\":\"cr\\rhere\",\"d\":\"lf\\nhere\","
             "\"e\":\"\\r\\n\",\"f\":\"\\\"\",\"g\":\"tab\\there\"}",
             "a,b,c,d,e,f,g\n"
             "\"1,2\",\"say \"\"hi\"\"\",\"cr\rhere\",\"lf\nhere\",\"\r\n\",\"\"\"\",tab\there\n");
    /* Spaces are data (RFC 4180): kept, and no reason to quote. */
    TABLE_IS(&CSV, "a,b", "{\"a\":\"  both ends  \",\"b\":\" \"}", "a,b\n  both ends  , \n");
}
END_TEST

START_TEST(an_empty_string_is_quoted_null_and_missing_are_empty)
{
    TABLE_IS(&CSV, "a,b,c", "{\"a\":\"\",\"b\":null}", "a,b,c\n\"\",,\n");
    TABLE_IS(&TSV, "a,b,c", "{\"a\":\"\",\"b\":null}", "a\tb\tc\n\t\t\n");
    /* One column: an empty cell is "", or the line would be blank. */
    TABLE_IS(&CSV, "a", "{}\n{\"a\":null}\n{\"a\":\"\"}", "a\n\"\"\n\"\"\n\"\"\n");
    TABLE_IS(&TSV, "a", "{}\n{\"a\":null}", "a\n\n\n");
}
END_TEST

START_TEST(tsv_escapes_tab_newline_return_and_backslash)
{
    TABLE_IS(&TSV, "a,b,c",
             "{\"a\":\"t\\tn\\nr\\rb\\\\\",\"b\":\"q\\\"c,\",\"c\":[\"\\\\\",\"\\t\"]}",
             "a\tb\tc\n"
             "t\\tn\\nr\\rb\\\\\tq\"c,\t[\"\\\\\\\\\",\"\\\\t\"]\n");
    /* The JSON text of an array keeps a tab it holds as whitespace. */
    TABLE_IS(&TSV, "a", "{\"a\":[1,\t2]}", "a\n[1,\\t2]\n");
}
END_TEST

START_TEST(strings_are_decoded)
{
    /* U+0000, U+2028, a surrogate pair, a lone surrogate, raw UTF-8. */
    TABLE_IS(&CSV, "a,b,c,d,e,f",
             "{\"a\":\"x\\u0000y\",\"b\":\"\\u2028\",\"c\":\"\\ud83d\\ude00\",\"d\":\"\\ud800\","
             "\"e\":\"\xc3\xa9\xe2\x86\x92\xf0\x9f\x98\x80\",\"f\":\"\\/\\b\\f\\u0041\"}",
             "a,b,c,d,e,f\n"
             "x\0y,\xe2\x80\xa8,\xf0\x9f\x98\x80,\xef\xbf\xbd,\xc3\xa9\xe2\x86\x92\xf0\x9f\x98\x80,"
             "/\b\fA\n");
}
END_TEST

START_TEST(the_last_copy_of_a_key_wins)
{
    TABLE_IS(&CSV, NULL, "{\"a\":1,\"b\":2,\"a\":3}\n{\"b\":4,\"a\":5,\"b\":6}",
             "a,b\n3,2\n5,6\n");
    /* Below a duplicated parent only its last copy counts. */
    TABLE_IS(&CSV, "u.e", "{\"u\":{\"e\":1},\"u\":{\"e\":2}}\n{\"u\":{\"e\":1},\"u\":{}}",
             "u.e\n2\n\"\"\n");
    /* A key with escapes is the key it decodes to. */
    TABLE_IS(&CSV, "ab", "{\"\\u0061b\":1,\"a\\u0062\":2}", "ab\n2\n");
    TABLE_IS(&CSV, NULL, "{\"\\u0061b\":1,\"ab\":2}\n{\"a\\u0062\":3}", "ab\n2\n3\n");
}
END_TEST

START_TEST(columns_of_the_first_record)
{
    /* Names are decoded, quoted like cells; the empty key is a column;
     * a key with a dot or a backslash is one key. */
    TABLE_IS(&CSV, NULL,
             "{\"x,y\":1,\"q\\\"\":2,\"\":3,\"a.b\":4,\"c\\\\d\":5,\"\\u00e9\":6}\n"
             "{\"\":7,\"a.b\":8}",
             "\"x,y\",\"q\"\"\",\"\",a.b,c\\d,\xc3\xa9\n1,2,3,4,5,6\n,,7,8,,\n");
    TABLE_IS(&TSV, NULL, "{\"t\\tab\":1,\"n\\nl\":2,\"\":3}", "t\\tab\tn\\nl\t\n1\t2\t3\n");
    TABLE_IS(&CSV, NULL, "  {\"a\":1}  \n\t{\"a\":2}", "a\n1\n2\n");
}
END_TEST

START_TEST(columns_of_paths)
{
    /* Named by their keys joined with dots, the escapes of the grammar
     * taken away; a path named twice is one column. */
    TABLE_IS(&CSV, "id,user.email,a\\.b,x\\,y,id",
             "{\"id\":1,\"user\":{\"email\":\"e@x\"},\"a.b\":2,\"x,y\":3}\n{\"user\":{}}",
             "id,user.email,a.b,\"x,y\"\n1,e@x,2,3\n,,,\n");
    /* A column and a column under it: the first shows the whole object. */
    TABLE_IS(&CSV, "u,u.e", "{\"u\":{\"e\":1,\"g\":[2]}}", "u,u.e\n\"{\"\"e\"\":1,\"\"g\"\":[2]}\",1\n");
    /* A parent of columns that is missing: its columns are empty. */
    TABLE_IS(&CSV, "a.b.c,a.d", "{\"a\":{\"b\":{\"c\":true}}}\n{}", "a.b.c,a.d\ntrue,\n,\n");
    char err[128];
    ck_assert_ptr_null(jp_columns_from_paths("a..b", "x", err, sizeof err));
    ck_assert_str_eq(err, "empty component in field \"a..b\"");
}
END_TEST

START_TEST(a_record_that_is_not_an_object_is_rejected)
{
    TABLE_IS(&CSV, "a", "[1]\n\"s\"\n1\ntrue\nnull\n{\"a\":1}",
             "a\n! a CSV row needs an object, not an array\n! a CSV row needs an object, not a string\n"
             "! a CSV row needs an object, not a number\n! a CSV row needs an object, not a boolean\n"
             "! a CSV row needs an object, not null\n1\n");
    /* Before any columns: no header until an object comes. */
    TABLE_IS(&TSV, NULL, "[]\n{\"a\":1}", "! a TSV row needs an object, not an array\na\n1\n");
}
END_TEST

START_TEST(a_value_no_column_shows_is_rejected_naming_it)
{
    TABLE_IS(&CSV, NULL, "{\"a\":1}\n{\"a\":2,\"b\\\"\\n\":3}\n{\"\":1}\n{\"a\":4}",
             "a\n1\n! \"b\\\"\\n\" is not a CSV column (the columns are the first record's keys)\n"
             "! \"\" is not a CSV column (the columns are the first record's keys)\n4\n");
    TABLE_IS(&CSV, "u.e",
             "{\"u\":{\"e\":1,\"g\":2}}\n{\"u\":5}\n{\"u\":null}\n{\"x\":1}\n{\"u\":{\"\":1}}",
             "u.e\n! \"u.g\" is not a CSV column (the columns are the paths)\n"
             "! \"u\" is a number, not an object holding CSV columns\n"
             "! \"u\" is null, not an object holding CSV columns\n"
             "! \"x\" is not a CSV column (the columns are the paths)\n"
             "! \"u.\" is not a CSV column (the columns are the paths)\n");
    /* A long name is cut on a whole character. */
    char rec[1024] = "{\"a\":1,\"";
    size_t at = strlen(rec);
    for (int i = 0; i < 150; i++, at += 2)
        memcpy(rec + at, "\xc3\xa9", 2);
    strcpy(rec + at, "\":1}");
    jp_buf out = table(&CSV, "a", rec);
    jp_buf_putc(&out, '\0');
    ck_assert_msg(strstr(out.data, "\xc3\xa9...\" is not a CSV column"), "%s", out.data);
    ck_assert_uint_eq(strlen(out.data), strlen("a\n! \"...\" is not a CSV column (the columns are the paths)\n") + 200);
    jp_buf_free(&out);
}
END_TEST

START_TEST(line_ends_and_no_header)
{
    const jp_format crlf = {JP_TO_CSV, 1, 1}, bare = {JP_TO_TSV, 0, 1};
    TABLE_IS(&crlf, NULL, "{\"a\":\"x\\ny\"}\n{\"a\":2}", "a\r\n\"x\ny\"\r\n2\r\n");
    TABLE_IS(&bare, NULL, "{\"a\":1,\"b\":2}", "1\t2\r\n");
}
END_TEST

START_TEST(ndjson_is_the_record_and_a_newline)
{
    const jp_format nd = {JP_TO_NDJSON, 1, 0};
    jp_buf out = {0};
    ck_assert_int_eq(jp_format_row(&nd, NULL, " [1] ", 5, NULL, &out, NULL, 0), 0);
    ck_assert_uint_eq(out.len, 6);
    ck_assert_int_eq(memcmp(out.data, " [1] \n", 6), 0);
    jp_buf_free(&out);
    jp_format_kind k;
    ck_assert_int_eq(jp_format_parse("tsv", &k), 0);
    ck_assert_int_eq(k, JP_TO_TSV);
    ck_assert_int_eq(jp_format_parse("csv", &k), 0);
    ck_assert_int_eq(k, JP_TO_CSV);
    ck_assert_int_eq(jp_format_parse("ndjson", &k), 0);
    ck_assert_int_eq(k, JP_TO_NDJSON);
    ck_assert_int_eq(jp_format_parse("CSV", &k), -1);
    ck_assert_int_eq(jp_format_parse("", &k), -1);
}
END_TEST

/* The text of the value at path in rec, "<none>" when there is none. */
static void path_is(const char *rec, const char *path, const char *want)
{
    jp_fields f;
    jp_fields_init(&f);
    char err[64];
    int field = *path ? jp_fields_add(&f, path, strlen(path), err, sizeof err) : 0;
    ck_assert_int_ge(field, 0);
    jp_buf scratch = {0}, text = {0};
    jp_span v;
    if (jp_path_find(rec, strlen(rec), &f, field, &scratch, &v))
        jp_path_text(&text, rec, v);
    else
        jp_buf_puts(&text, "<none>");
    jp_buf_putc(&text, '\0');
    ck_assert_str_eq(text.data, want);
    jp_buf_free(&text);
    jp_buf_free(&scratch);
    jp_fields_free(&f);
}

START_TEST(the_value_at_a_path)
{
    const char *rec = " { \"a\" : { \"b\" : \"x\\u0041\" , \"n\":null, \"c\":[1 ,2]} ,"
                      "\"d\":1.0e+2, \"a\":{\"b\":\"last\"}, \"t\":true, \"k.k\":\"dot\","
                      "\"o\":{\"\\u0070\":\"esc\"}} ";
    path_is(rec, "a.b", "last");
    path_is(rec, "a.n", "<none>"); /* only in the shadowed copy of a */
    path_is(rec, "d", "1.0e+2");
    path_is(rec, "t", "true");
    path_is(rec, "k\\.k", "dot");
    path_is(rec, "o.p", "esc");
    path_is(rec, "d.x", "<none>");
    path_is(rec, "nope", "<none>");
    const char *one = "{\"a\":{\"b\":\"x\\u0041\",\"n\":null,\"c\":[1 ,2]}}";
    path_is(one, "a.b", "xA");
    path_is(one, "a.n", "");
    path_is(one, "a.c", "[1 ,2]");
    path_is("{\"a\":{}}", "a", "{}");
    path_is("[1,2]", "", "[1,2]");
    path_is("\"s\"", "", "s");
}
END_TEST

START_TEST(members_in_order_and_the_last_copy)
{
    const char *rec = "{ \"a\":1 , \"b\" :[ ], \"a\":\"two\"\t}";
    size_t n = strlen(rec), at = 0;
    jp_member m;
    jp_buf scratch = {0};
    const char *want[][2] = {{"\"a\"", "1"}, {"\"b\"", "[ ]"}, {"\"a\"", "\"two\""}};
    for (int i = 0; i < 3; i++) {
        ck_assert(jp_path_next_member(rec, n, &at, &m));
        ck_assert_int_eq(memcmp(rec + m.key.start, want[i][0], m.key.end - m.key.start), 0);
        ck_assert_uint_eq(m.value.end - m.value.start, strlen(want[i][1]));
        ck_assert_int_eq(memcmp(rec + m.value.start, want[i][1], strlen(want[i][1])), 0);
    }
    ck_assert(!jp_path_next_member(rec, n, &at, &m));
    ck_assert(!jp_path_next_member(rec, n, &at, &m));
    jp_span v;
    ck_assert(jp_path_member(rec, n, 0, "a", 1, &scratch, &v));
    ck_assert_int_eq(memcmp(rec + v.start, "\"two\"", 5), 0);
    ck_assert(!jp_path_member(rec, n, 0, "c", 1, &scratch, &v));
    at = 0;
    ck_assert(!jp_path_next_member("{ }", 3, &at, &m));
    jp_buf_free(&scratch);
}
END_TEST

Suite *format_suite(void)
{
    Suite *s = suite_create("format");
    TCase *t = tcase_create("rows");
    tcase_add_test(t, every_cell_type);
    tcase_add_test(t, csv_quotes_a_cell_with_a_delimiter_quote_or_line_break);
    tcase_add_test(t, an_empty_string_is_quoted_null_and_missing_are_empty);
    tcase_add_test(t, tsv_escapes_tab_newline_return_and_backslash);
    tcase_add_test(t, strings_are_decoded);
    tcase_add_test(t, the_last_copy_of_a_key_wins);
    tcase_add_test(t, columns_of_the_first_record);
    tcase_add_test(t, columns_of_paths);
    tcase_add_test(t, a_record_that_is_not_an_object_is_rejected);
    tcase_add_test(t, a_value_no_column_shows_is_rejected_naming_it);
    tcase_add_test(t, line_ends_and_no_header);
    tcase_add_test(t, ndjson_is_the_record_and_a_newline);
    suite_add_tcase(s, t);
    TCase *p = tcase_create("paths");
    tcase_add_test(p, the_value_at_a_path);
    tcase_add_test(p, members_in_order_and_the_last_copy);
    suite_add_tcase(s, p);
    return s;
}
