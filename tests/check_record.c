/* check_record.c: parsing, field lookup and splicing edits into records. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_suites.h"
#include "json.h"
#include "number.h"
#include "record.h"
#include "scan_oracle.h"
#include "tree.h"

static jp_fields fields;
static jp_record *rec;
static int f_id, f_name, f_user_email, f_user, f_a_b_c;

static void setup(void)
{
    char err[128];
    jp_fields_init(&fields);
    f_id = jp_fields_add(&fields, "id", 2, err, sizeof err);
    f_name = jp_fields_add(&fields, "name", 4, err, sizeof err);
    f_user_email = jp_fields_add(&fields, "user.email", 10, err, sizeof err);
    f_user = jp_fields_add(&fields, "user", 4, err, sizeof err);
    f_a_b_c = jp_fields_add(&fields, "a.b.c", 5, err, sizeof err);
    rec = jp_record_new(&fields, 8, 0);
}

static void teardown(void)
{
    jp_record_free(rec);
    jp_fields_free(&fields);
}

static int parse(const char *line)
{
    return jp_record_parse(rec, line, strlen(line));
}

static void assert_bytes(const char *want)
{
    size_t n;
    const char *p = jp_record_bytes(rec, &n);
    ck_assert_msg(n == strlen(want) && memcmp(p, want, n) == 0, "got %.*s, want %s", (int)n, p,
                  want);
}

static void assert_value(int field, const char *want)
{
    const jp_value *v = jp_record_get(rec, field);
    ck_assert_ptr_nonnull(v);
    size_t n;
    const char *p = jp_record_bytes(rec, &n);
    ck_assert_msg(v->end - v->start == strlen(want) && memcmp(p + v->start, want, strlen(want)) == 0,
                  "got %.*s, want %s", (int)(v->end - v->start), p + v->start, want);
}

static void assert_rejected(const char *line, const char *reason)
{
    ck_assert_int_eq(parse(line), -1);
    ck_assert_str_eq(jp_record_reason(rec), reason);
}

START_TEST(finds_declared_fields_and_keeps_bytes)
{
    ck_assert_int_eq(parse("{\"id\" : 18446744073709551615, \"user\":{\"email\":\"a\\u0040b\"},"
                           "\"name\":\"Zo\\u00eb\"}"), 0);
    assert_value(f_id, "18446744073709551615");
    assert_value(f_user_email, "\"a\\u0040b\"");
    assert_value(f_user, "{\"email\":\"a\\u0040b\"}");
    assert_value(f_name, "\"Zo\\u00eb\"");
    ck_assert_int_eq(jp_record_get(rec, f_id)->type, JP_NUMBER);
    ck_assert_ptr_null(jp_record_get(rec, f_a_b_c));
    ck_assert(!jp_record_edited(rec));
}
END_TEST

START_TEST(escaped_keys_match_and_nested_lookalikes_do_not)
{
    /* "n\u0061me" is the key "name"; the inner "id" is not the top-level id. */
    ck_assert_int_eq(parse("{\"x\":{\"id\":1},\"n\\u0061me\":true,\"arr\":[{\"id\":2}]}"), 0);
    assert_value(f_name, "true");
    ck_assert_ptr_null(jp_record_get(rec, f_id));
}
END_TEST

START_TEST(duplicate_keys_last_wins)
{
    ck_assert_int_eq(parse("{\"id\":1,\"id\":2}"), 0);
    assert_value(f_id, "2");
    ck_assert_int_eq(parse("{\"id\":1,\"i\\u0064\":2,\"\\u0069d\":3,\"x\":0}"), 0);
    assert_value(f_id, "3");
    /* Below a duplicated parent, only the last parent counts. */
    ck_assert_int_eq(parse("{\"user\":{\"email\":\"a\"},\"user\":{\"email\":\"b\"}}"), 0);
    assert_value(f_user_email, "\"b\"");
    assert_value(f_user, "{\"email\":\"b\"}");
    ck_assert_int_eq(parse("{\"user\":{\"email\":\"a\"},\"user\":{\"x\":1}}"), 0);
    ck_assert_ptr_null(jp_record_get(rec, f_user_email));
    ck_assert_int_eq(parse("{\"a\":{\"b\":{\"c\":1}},\"a\":{\"b\":{\"c\":2},\"b\":{}}}"), 0);
    ck_assert_ptr_null(jp_record_get(rec, f_a_b_c));
    ck_assert_int_eq(parse("{\"user\":{\"email\":\"a\"},\"user\":7}"), 0);
    ck_assert_ptr_null(jp_record_get(rec, f_user_email));
    assert_value(f_user, "7");
}
END_TEST

/* Each line is parsed, edited, and must come out as want; the index must
 * still be right after the edit (name is looked up again). */
typedef struct dup_case {
    const char *line;
    const char *want;
} dup_case;

static void each_case(const dup_case *cases, size_t n, void (*edit)(void))
{
    for (size_t i = 0; i < n; i++) {
        ck_assert_int_eq(parse(cases[i].line), 0);
        edit();
        assert_bytes(cases[i].want);
    }
}

static void delete_email(void) { ck_assert_int_eq(jp_record_delete(rec, f_user_email), 1); }

START_TEST(delete_removes_every_copy)
{
    static const dup_case cases[] = {
        {"{\"user\":{\"email\":\"a\",\"email\":\"b\"}}", "{\"user\":{}}"},
        {"{\"user\":{\"email\":\"a\"},\"user\":{\"email\":\"b\"}}", "{\"user\":{},\"user\":{}}"},
        {"{\"user\":{\"email\":1, \"x\":2},\"name\":3,\"user\":{\"x\":4}}",
         "{\"user\":{\"x\":2},\"name\":3,\"user\":{\"x\":4}}"},
        {"{\"user\":{\"email\":{\"k\":\"v\"}},\"u\\u0073er\":{\"e\\u006dail\":1,\"email\":2,\"z\":0}}",
         "{\"user\":{},\"u\\u0073er\":{\"z\":0}}"},
        {"{\"user\":{\"email\":1},\"user\":{\"email\":2},\"user\":{\"email\":3},\"user\":\"s\"}",
         "{\"user\":{},\"user\":{},\"user\":{},\"user\":\"s\"}"},
    };
    each_case(cases, sizeof cases / sizeof cases[0], delete_email);
    ck_assert_int_eq(parse("{\"id\":1,\"name\":2,\"id\":3,\"id\":4}"), 0);
    ck_assert_int_eq(jp_record_delete(rec, f_id), 1);
    assert_bytes("{\"name\":2}");
    assert_value(f_name, "2");
    ck_assert_int_eq(jp_record_delete(rec, f_id), 0);
}
END_TEST

static void set_email(void) { ck_assert_int_eq(jp_record_set(rec, f_user_email, "\"x\"", 3), 0); }

START_TEST(set_leaves_one_copy_where_the_last_stood)
{
    static const dup_case cases[] = {
        {"{\"user\":{\"email\":\"a\",\"n\":1,\"email\":\"b\"}}", "{\"user\":{\"n\":1,\"email\":\"x\"}}"},
        {"{\"user\":{\"email\":\"a\"},\"user\":{\"email\":\"b\"}}", "{\"user\":{},\"user\":{\"email\":\"x\"}}"},
        /* The last parent lacks it: added there, the earlier copy goes. */
        {"{\"user\":{\"email\":\"a\"},\"user\":{\"n\":1}}", "{\"user\":{},\"user\":{\"n\":1,\"email\":\"x\"}}"},
        {"{\"user\":{\"email\":\"a\"},\"user\":{}}", "{\"user\":{},\"user\":{\"email\":\"x\"}}"},
    };
    each_case(cases, sizeof cases / sizeof cases[0], set_email);
    ck_assert_int_eq(parse("{\"id\":1,\"name\":\"n\",\"id\":2,\"user\":{\"email\":3}}"), 0);
    ck_assert_int_eq(jp_record_set(rec, f_id, "[9]", 3), 0);
    assert_bytes("{\"name\":\"n\",\"id\":[9],\"user\":{\"email\":3}}");
    assert_value(f_name, "\"n\"");
    assert_value(f_user_email, "3");
    assert_value(f_id, "[9]");
    /* A parent set to an object with duplicates is indexed anew. */
    ck_assert_int_eq(jp_record_set(rec, f_user, "{\"email\":1,\"email\":2}", 21), 0);
    assert_value(f_user_email, "2");
    ck_assert_int_eq(jp_record_delete(rec, f_user_email), 1);
    assert_bytes("{\"name\":\"n\",\"id\":[9],\"user\":{}}");
    /* The last parent is not an object: rejected, as without duplicates. */
    ck_assert_int_eq(parse("{\"user\":{\"email\":1},\"user\":[]}"), 0);
    ck_assert_int_eq(jp_record_set(rec, f_user_email, "1", 1), -1);
    ck_assert_str_eq(jp_record_reason(rec), "cannot set \"user.email\": \"user\" is an array");
}
END_TEST

START_TEST(rename_leaves_no_copy_of_either_name)
{
    ck_assert_int_eq(parse("{\"name\":1,\"id\":2,\"name\":3,\"id\":4,\"x\":5}"), 0);
    ck_assert_int_eq(jp_record_rename(rec, f_name, f_id), 1);
    assert_bytes("{\"id\":3,\"x\":5}");
    assert_value(f_id, "3");
    ck_assert_ptr_null(jp_record_get(rec, f_name));
    /* Elsewhere: the last copy moves. */
    ck_assert_int_eq(parse("{\"user\":{\"email\":1},\"user\":{\"email\":2}}"), 0);
    ck_assert_int_eq(jp_record_rename(rec, f_user_email, f_name), 1);
    assert_bytes("{\"user\":{},\"user\":{},\"name\":2}");
    /* Missing from the last parent: only the earlier copy goes. */
    ck_assert_int_eq(parse("{\"user\":{\"email\":1},\"user\":{}}"), 0);
    ck_assert_int_eq(jp_record_rename(rec, f_user_email, f_name), 1);
    assert_bytes("{\"user\":{},\"user\":{}}");
    ck_assert_int_eq(jp_record_rename(rec, f_user_email, f_name), 0);
}
END_TEST

START_TEST(unshadow_removes_only_what_a_reader_does_not_see)
{
    ck_assert_int_eq(parse("{\"user\":{\"email\":1,\"email\":2},\"user\":{\"x\":0}}"), 0);
    ck_assert_int_eq(jp_record_unshadow(rec, f_user_email), 2);
    assert_bytes("{\"user\":{},\"user\":{\"x\":0}}");
    ck_assert_int_eq(jp_record_unshadow(rec, f_user_email), 0);
    ck_assert_int_eq(parse("{\"id\":1}"), 0);
    ck_assert_int_eq(jp_record_unshadow(rec, f_id), 0);
    ck_assert(!jp_record_edited(rec));
    /* The shadows of a parent go with it, and their own shadows. */
    ck_assert_int_eq(parse("{\"a\":{\"b\":{\"c\":1,\"c\":2}},\"a\":{\"b\":{\"c\":3},\"b\":{\"c\":4}}}"), 0);
    assert_value(f_a_b_c, "4");
    ck_assert_int_eq(jp_record_unshadow(rec, f_a_b_c), 3);
    assert_bytes("{\"a\":{\"b\":{}},\"a\":{\"b\":{},\"b\":{\"c\":4}}}");
    ck_assert_int_eq(jp_record_delete(rec, f_a_b_c), 1);
    assert_bytes("{\"a\":{\"b\":{}},\"a\":{\"b\":{},\"b\":{}}}");
}
END_TEST

/* The keys and values of the members of the tree's root, "k=v,...". */
static void assert_tree(const char *want)
{
    const jp_tree *t = jp_record_tree(rec);
    ck_assert_ptr_nonnull(t);
    char got[256] = "";
    size_t at = 0;
    const jp_node *root = jp_tree_node(t, 0);
    unsigned n = 0;
    for (int32_t c = root->first; c >= 0; c = jp_tree_node(t, c)->next, n++) {
        const jp_node *m = jp_tree_node(t, c);
        at += (size_t)snprintf(got + at, sizeof got - at, "%s%.*s=%.*s", n ? "," : "",
                               (int)m->key_len, jp_tree_text(t, m->key),
                               m->type == JP_OBJECT ? 3 : (int)m->len,
                               m->type == JP_OBJECT ? "obj" : jp_tree_text(t, m->text));
    }
    ck_assert_uint_eq(root->count, n);
    ck_assert_str_eq(got, want);
}

START_TEST(the_tree_keeps_the_last_copy)
{
    jp_record_free(rec);
    rec = jp_record_new(&fields, 8, 1);
    ck_assert_int_eq(parse("{\"a\":1,\"b\":2,\"\\u0061\":3,\"c\":{},\"b\":4,\"a\":5}"), 0);
    assert_tree("c=obj,b=4,a=5");
    /* Rebuilt after an edit, the same way; and an object of many keys. */
    ck_assert_int_eq(jp_record_set(rec, f_id, "1", 1), 0);
    assert_tree("c=obj,b=4,a=5,id=1");
    jp_buf line = {0};
    jp_buf_putc(&line, '{');
    for (int i = 0; i < 300; i++)
        jp_buf_printf(&line, "%s\"k%d\":%d", i ? "," : "", i % 7, i);
    jp_buf_puts(&line, ",\"\":0,\"\":1}");
    ck_assert_int_eq(jp_record_parse(rec, line.data, line.len), 0);
    assert_tree("k6=293,k0=294,k1=295,k2=296,k3=297,k4=298,k5=299,=1");
    jp_buf_free(&line);
}
END_TEST

/* The record's tree of line[0..n) is the one jp_tree_build makes in ref. */
static void assert_same_trees(jp_tree *ref, const char *line, size_t n)
{
    ck_assert_msg(jp_record_parse(rec, line, n) == 0, "%.*s: %s", (int)n, line,
                  jp_record_reason(rec));
    ck_assert_int_eq(jp_tree_build(ref, line, n), 0);
    jp_buf got = {0}, want = {0};
    scan_oracle_tree_text(jp_record_tree(rec), 0, &got);
    scan_oracle_tree_text(ref, 0, &want);
    jp_buf_putc(&got, 0);
    jp_buf_putc(&want, 0);
    ck_assert_str_eq(got.data, want.data);
    jp_buf_free(&got);
    jp_buf_free(&want);
}

START_TEST(the_scanners_tree_is_yajls)
{
    /* The record's parse builds its tree from the scanner's events; the
     * reference is yajl's (jp_tree_build): the same nodes, keys and their
     * hashes, decoded text and surviving copies. */
    jp_buf long_escaped = {0}, wide = {0}, wide_dup = {0};
    jp_buf_puts(&long_escaped, "{\"s\":\"");
    for (int i = 0; i < 400; i++)
        jp_buf_puts(&long_escaped, i % 3 ? "\\u00e9" : "x\\n");
    jp_buf_puts(&long_escaped, "\",\"t\":\"\\ud800 lone\"}");
    jp_buf_putc(&wide, '{');
    jp_buf_putc(&wide_dup, '{');
    for (int i = 0; i < 40; i++) {
        jp_buf_printf(&wide, "%s\"key%d\":%d", i ? "," : "", i, i);
        jp_buf_printf(&wide_dup, "%s\"k%d\":%d", i ? "," : "", i % 17, i);
    }
    jp_buf_putc(&wide, '}');
    jp_buf_putc(&wide_dup, '}');
    jp_buf_putc(&long_escaped, 0); /* C strings, for strlen below */
    jp_buf_putc(&wide, 0);
    jp_buf_putc(&wide_dup, 0);
    const char *lines[] = {
        "{\"a\":{\"x\":1,\"x\":2},\"b\":[{\"y\":1,\"\\u0079\":true}],\"a\":{\"z\":null}}",
        "[1,\"two\",{\"k\":\"v\\\"q\\\\\"},[],{}]",
        "{\"\":1,\"\":2,\"e\\u0301\":\"\\ud83d\\ude00\",\"n\":-1.5e-3}",
        "\"top\\tlevel\"", "12.50", "null",
        long_escaped.data, wide.data, wide_dup.data,
    };
    jp_tree *ref = jp_tree_new();
    jp_record_free(rec);
    rec = jp_record_new(&fields, 64, 1);
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        assert_same_trees(ref, lines[i], strlen(lines[i]));
    }
    /* Strings of 0 to 20 bytes with an escape at each place or none, after
     * a key that ends in an escaped backslash: the check for escapes reads
     * words that start before a string, and must still see all of it. */
    jp_buf line = {0};
    for (int len = 0; len <= 20; len++)
        for (int at = -1; at < len; at++) {
            line.len = 0;
            jp_buf_puts(&line, "{\"k\\\\\":\"");
            for (int i = 0; i < len; i++)
                jp_buf_puts(&line, i == at ? "\\n" : "a");
            jp_buf_puts(&line, "\",\"");
            for (int i = 0; i < len; i++) /* a key of each length too */
                jp_buf_puts(&line, i == at ? "\\t" : "c");
            jp_buf_puts(&line, "\":0,\"\\\\\":[\"");
            for (int i = 0; i < len; i++)
                jp_buf_putc(&line, 'b');
            jp_buf_puts(&line, "\"]}");
            assert_same_trees(ref, line.data, line.len);
        }
    jp_buf_free(&line);
    jp_tree_free(ref);
    jp_buf_free(&long_escaped);
    jp_buf_free(&wide);
    jp_buf_free(&wide_dup);
}
END_TEST

START_TEST(scalars_and_arrays_are_records_too)
{
    ck_assert_int_eq(parse(" 42 "), 0);
    ck_assert_int_eq(jp_record_get(rec, 0)->type, JP_NUMBER);
    assert_value(0, "42");
    ck_assert_int_eq(parse("[1,{\"id\":3}]"), 0);
    ck_assert_int_eq(jp_record_get(rec, 0)->type, JP_ARRAY);
    ck_assert_ptr_null(jp_record_get(rec, f_id));
}
END_TEST

START_TEST(invalid_json_reasons_name_the_column)
{
    assert_rejected("{\"a\":", "invalid JSON at column 6: unexpected end of line, expected a value");
    assert_rejected("{\"a\":1} {\"b\":2}",
                    "invalid JSON at column 9: unexpected data after the JSON value");
    assert_rejected("\"a\" \"b\"", "invalid JSON at column 5: unexpected data after the JSON value");
    assert_rejected("{\"a\":tru}", "invalid JSON at column 9: unexpected character '}', expected true");
    assert_rejected("{\"a\":\"\xff\"}", "invalid JSON at column 7: invalid UTF-8 byte 0xFF");
    assert_rejected("[1,2]\f", "invalid JSON at column 6: form feed is not JSON whitespace");
    assert_rejected("[[[[[[[[[1]]]]]]]]]",
                    "invalid JSON at column 9: nesting too deep (see --max-depth)");
    /* The handle is replaced after each error, and parsing goes on. */
    ck_assert_int_eq(parse("{\"id\":7}"), 0);
    assert_value(f_id, "7");
}
END_TEST

/* yajl ends a parse happily inside a token after the value; such a token
 * must neither pass nor leak into the next line. */
START_TEST(an_unfinished_token_after_the_value_is_rejected)
{
    static const char *const lines[][2] = {
        {"{\"a\":1}\"", "column 8: unexpected data after the JSON value"},
        {"{\"a\":1} \"x", "column 9: unexpected data after the JSON value"},
        {"[1] \"a", "column 5: unexpected data after the JSON value"},
        {"1 \"", "column 3: unexpected data after the JSON value"},
        {"\"x\"\"", "column 4: unexpected data after the JSON value"},
        {"\"abc", "column 5: unfinished string at end of line"},
        {"[1,{\"a\"", "column 8: unexpected end of line, expected ':'"},
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        char want[128];
        snprintf(want, sizeof want, "invalid JSON at %s", lines[i][1]);
        ck_assert_int_eq(parse("{\"id\":1}"), 0);
        assert_rejected(lines[i][0], want);
        ck_assert_int_eq(parse("{\"id\":7}"), 0);
        assert_value(f_id, "7");
    }
    /* A number that ends the line is complete, blanks after it too. */
    ck_assert_int_eq(parse("12"), 0);
    ck_assert_int_eq(parse(" -1.5e3 \t"), 0);
    assert_bytes(" -1.5e3 \t");
}
END_TEST

START_TEST(strict_utf8_and_blank_lines)
{
    assert_rejected("\"\xc0\x80\"", "invalid JSON at column 2: overlong UTF-8 encoding");
    assert_rejected("[\"\xe0\x80\xaf\"]", "invalid JSON at column 4: overlong UTF-8 encoding");
    assert_rejected("\"\xed\xa0\x80\"",
                    "invalid JSON at column 3: UTF-16 surrogate encoded as UTF-8");
    assert_rejected("{\"k\":\"\xf4\x90\x80\x80\"}",
                    "invalid JSON at column 8: UTF-8 encoding beyond U+10FFFF");
    assert_rejected("   \t", "no JSON value on the line");
    static const char nul[] = "{\"a\":\"x\0y\"}";
    ck_assert_int_eq(jp_record_parse(rec, nul, sizeof nul - 1), -1);
    ck_assert_str_eq(jp_record_reason(rec),
                     "invalid JSON at column 8: control character U+0000 in a string (write it as an escape)");
    /* Escapes are the JSON grammar's business: a lone surrogate and NUL
     * written as escapes are valid JSON text, kept byte for byte. */
    ck_assert_int_eq(parse("{\"a\":\"\\ud800\\u0000\"}"), 0);
    assert_bytes("{\"a\":\"\\ud800\\u0000\"}");
    /* Valid multi-byte UTF-8 of every length, past the 8-byte fast path. */
    ck_assert_int_eq(parse("{\"name\":\"abcdefgh\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf\"}"), 0);
}
END_TEST

START_TEST(set_replaces_in_place)
{
    ck_assert_int_eq(parse("{\"id\": 1 ,\"name\":\"x\"}"), 0);
    ck_assert_int_eq(jp_record_set(rec, f_id, "\"abc\"", 5), 0);
    assert_bytes("{\"id\": \"abc\" ,\"name\":\"x\"}");
    ck_assert(jp_record_edited(rec));
    /* The index follows the edit. */
    assert_value(f_name, "\"x\"");
    ck_assert_int_eq(jp_record_set(rec, f_name, "[1, 2]", 6), 0);
    assert_bytes("{\"id\": \"abc\" ,\"name\":[1, 2]}");
}
END_TEST

START_TEST(set_adds_last_and_creates_parents)
{
    ck_assert_int_eq(parse("{\"id\":1.50e3 }"), 0);
    ck_assert_int_eq(jp_record_set(rec, f_name, "\"n\"", 3), 0);
    assert_bytes("{\"id\":1.50e3,\"name\":\"n\" }");
    ck_assert_int_eq(jp_record_set(rec, f_a_b_c, "null", 4), 0);
    assert_bytes("{\"id\":1.50e3,\"name\":\"n\",\"a\":{\"b\":{\"c\":null}} }");
    ck_assert_int_eq(parse("{ }"), 0);
    ck_assert_int_eq(jp_record_set(rec, f_id, "1", 1), 0);
    assert_bytes("{\"id\":1 }");
    ck_assert_int_eq(parse("{\"user\":{}}"), 0);
    ck_assert_int_eq(jp_record_set(rec, f_user_email, "\"e\"", 3), 0);
    assert_bytes("{\"user\":{\"email\":\"e\"}}");
}
END_TEST

START_TEST(set_refuses_a_parent_that_is_not_an_object)
{
    ck_assert_int_eq(parse("{\"user\":\"bob\"}"), 0);
    ck_assert_int_eq(jp_record_set(rec, f_user_email, "1", 1), -1);
    ck_assert_str_eq(jp_record_reason(rec), "cannot set \"user.email\": \"user\" is a string");
    ck_assert_int_eq(parse("[1]"), 0);
    ck_assert_int_eq(jp_record_set(rec, f_id, "1", 1), -1);
    ck_assert_str_eq(jp_record_reason(rec), "cannot set \"id\": the record is an array");
}
END_TEST

START_TEST(delete_and_rename_find_escaped_keys)
{
    /* "n\u0061me" is "name"; its key span must cover the escape. */
    ck_assert_int_eq(parse("{ \"n\\u0061me\" : 1 ,\"id\":2, \"x\\\"\":3}"), 0);
    ck_assert_int_eq(jp_record_rename(rec, f_name, f_id), 1);
    assert_bytes("{ \"id\" : 1 , \"x\\\"\":3}");
    ck_assert_int_eq(jp_record_delete(rec, f_id), 1);
    assert_bytes("{ \"x\\\"\":3}");
    ck_assert_int_eq(jp_record_delete(rec, f_id), 0);
    ck_assert_int_eq(parse("{\"user\":{\"email\":1}}"), 0);
    ck_assert_int_eq(jp_record_delete(rec, f_user_email), 1);
    assert_bytes("{\"user\":{}}");
}
END_TEST

START_TEST(unquote_decodes_escapes_and_surrogate_pairs)
{
    jp_buf b = {0};
    const char *lit = "\"a\\u0040\\n\\\"\\ud83d\\ude00\\u00e9\\/\"";
    jp_json_unquote(&b, lit, strlen(lit));
    jp_buf_putc(&b, '\0');
    ck_assert_str_eq(b.data, "a@\n\"\xf0\x9f\x98\x80\xc3\xa9/");
    /* Lone surrogates, high or low or in the wrong order, become U+FFFD. */
    b.len = 0;
    lit = "\"\\ud800x\\udc00\\ude00\\ud83d\"";
    jp_json_unquote(&b, lit, strlen(lit));
    jp_buf_putc(&b, '\0');
    ck_assert_str_eq(b.data, "\xef\xbf\xbdx\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
    jp_buf_free(&b);
}
END_TEST

static int cmp(const char *a, const char *b)
{
    int c = jp_number_cmp(a, strlen(a), b, strlen(b));
    return c < 0 ? -1 : c > 0;
}

START_TEST(numbers_compare_exactly)
{
    ck_assert_int_eq(cmp("1", "1.0"), 0);
    ck_assert_int_eq(cmp("1e2", "100"), 0);
    ck_assert_int_eq(cmp("-0", "0"), 0);
    ck_assert_int_eq(cmp("0.00012", "1.2e-4"), 0);
    ck_assert_int_eq(cmp("18446744073709551616", "18446744073709551617"), -1);
    ck_assert_int_eq(cmp("9007199254740993", "9007199254740992"), 1);
    ck_assert_int_eq(cmp("1e400", "1E399"), 1);
    ck_assert_int_eq(cmp("-1", "-2"), 1);
    ck_assert_int_eq(cmp("-1e-5", "0"), -1);
    ck_assert_int_eq(cmp("123.456", "123.4561"), -1);
    ck_assert_int_eq(cmp("0.5", "5e-1"), 0);
    /* Plain spellings (no exponent, up to 18 integer digits) take a
     * shorter way; at and past its edges the answers are the same. */
    ck_assert_int_eq(cmp("-0.0", "0"), 0);
    ck_assert_int_eq(cmp("0.10", "0.1"), 0);
    ck_assert_int_eq(cmp("0.12", "0.1205"), -1);
    ck_assert_int_eq(cmp("-1.5", "-1.25"), -1);
    ck_assert_int_eq(cmp("-0.001", "0"), -1);
    ck_assert_int_eq(cmp("0.001", "-0"), 1);
    ck_assert_int_eq(cmp("999999999999999999", "1e18"), -1);
    ck_assert_int_eq(cmp("999999999999999999.5", "999999999999999999"), 1);
    ck_assert_int_eq(cmp("1000000000000000000", "999999999999999999.9"), 1);
    ck_assert_int_eq(cmp("-1000000000000000000", "-999999999999999999"), -1);
    ck_assert_int_eq(cmp("12.50", "1.25e1"), 0);
    ck_assert(jp_number_is_integer("-12", 3));
    ck_assert(jp_number_is_integer("1.0", 3));
    ck_assert(jp_number_is_integer("1.5e1", 5));
    ck_assert(!jp_number_is_integer("1.5", 3));
    ck_assert(!jp_number_is_integer("1e-1", 4));
    ck_assert(jp_number_valid("-0.5e+10", 8));
    ck_assert(!jp_number_valid("01", 2));
    ck_assert(!jp_number_valid("1.", 2));
    ck_assert(!jp_number_valid("-", 1));
}
END_TEST

/* A random number in plain spelling: sign, 0 to 20 integer digits (few
 * and many, so both sides of the 18-digit edge), and a fraction with zeros
 * likely, so ties and trailing zeros are common. */
static void random_plain(char *s, unsigned *seed)
{
    size_t n = 0;
    if (rand_r(seed) % 3 == 0)
        s[n++] = '-';
    int digits = rand_r(seed) % 4 == 0 ? 17 + rand_r(seed) % 4 : 1 + rand_r(seed) % 3;
    s[n++] = (char)('0' + (digits == 1 ? rand_r(seed) % 10 : 1 + rand_r(seed) % 9));
    for (int i = 1; i < digits; i++)
        s[n++] = (char)('0' + (rand_r(seed) % 2 ? 9 : rand_r(seed) % 10));
    if (rand_r(seed) % 2) {
        s[n++] = '.';
        int frac = 1 + rand_r(seed) % 4;
        for (int i = 0; i < frac; i++)
            s[n++] = (char)('0' + (rand_r(seed) % 2 ? 0 : rand_r(seed) % 10));
    }
    s[n] = '\0';
}

START_TEST(plain_numbers_compare_as_the_general_reading_does)
{
    /* "Xe0" is X, read the general way: the two readings must agree. */
    unsigned seed = 7;
    for (int i = 0; i < 20000; i++) {
        char a[40], b[40], ae[44];
        random_plain(a, &seed);
        random_plain(b, &seed);
        if (i % 5 == 0)
            strcpy(b, a);
        snprintf(ae, sizeof ae, "%se0", a);
        ck_assert_msg(cmp(a, b) == cmp(ae, b), "%s vs %s", a, b);
        ck_assert_msg(cmp(b, a) == cmp(b, ae), "%s vs %s", b, a);
    }
}
END_TEST

START_TEST(bytes_equal_sees_every_byte)
{
    /* Every length up to 40, every place of a difference: its words may
     * overlap, but no byte may go unread. */
    char a[41], b[41];
    for (size_t n = 0; n <= 40; n++) {
        for (size_t i = 0; i < n; i++)
            a[i] = b[i] = (char)('a' + i % 26);
        ck_assert(jp_bytes_equal(a, b, n));
        for (size_t at = 0; at < n; at++) {
            b[at] ^= 0x20;
            ck_assert_msg(!jp_bytes_equal(a, b, n), "length %zu, byte %zu", n, at);
            b[at] ^= 0x20;
        }
    }
}
END_TEST

START_TEST(quote_escapes_and_flags_invalid_utf8)
{
    jp_buf b = {0};
    ck_assert_int_eq(jp_json_quote(&b, "a\"\\\n\t\x01\xc3\xa9", 8), 1);
    jp_buf_putc(&b, 0);
    ck_assert_str_eq(b.data, "\"a\\\"\\\\\\n\\t\\u0001\xc3\xa9\"");
    b.len = 0;
    /* Overlong, surrogate and stray bytes become U+FFFD. */
    ck_assert_int_eq(jp_json_quote(&b, "\xc0\xaf\xed\xa0\x80\xff", 6), 0);
    jp_buf_putc(&b, 0);
    ck_assert_str_eq(b.data, "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
    jp_buf_free(&b);
}
END_TEST

START_TEST(compact_checks_and_strips_blanks)
{
    jp_buf b = {0};
    char err[128];
    const char *in = " {\"a b\" : [1, 2],\n \"c\":\"x \\\" y\"} ";
    ck_assert_int_eq(jp_json_compact(&b, in, strlen(in), err, sizeof err), 0);
    jp_buf_putc(&b, 0);
    ck_assert_str_eq(b.data, "{\"a b\":[1,2],\"c\":\"x \\\" y\"}");
    b.len = 0;
    ck_assert_int_eq(jp_json_compact(&b, "{\"a\":", 5, err, sizeof err), -1);
    ck_assert_str_eq(err, "invalid JSON at column 6: unexpected end of the value, expected a value");
    jp_buf_free(&b);
}
END_TEST

Suite *record_suite(void)
{
    Suite *s = suite_create("record");
    TCase *tc = tcase_create("record");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, finds_declared_fields_and_keeps_bytes);
    tcase_add_test(tc, escaped_keys_match_and_nested_lookalikes_do_not);
    tcase_add_test(tc, duplicate_keys_last_wins);
    tcase_add_test(tc, delete_removes_every_copy);
    tcase_add_test(tc, set_leaves_one_copy_where_the_last_stood);
    tcase_add_test(tc, rename_leaves_no_copy_of_either_name);
    tcase_add_test(tc, unshadow_removes_only_what_a_reader_does_not_see);
    tcase_add_test(tc, the_tree_keeps_the_last_copy);
    tcase_add_test(tc, the_scanners_tree_is_yajls);
    tcase_add_test(tc, scalars_and_arrays_are_records_too);
    tcase_add_test(tc, invalid_json_reasons_name_the_column);
    tcase_add_test(tc, an_unfinished_token_after_the_value_is_rejected);
    tcase_add_test(tc, strict_utf8_and_blank_lines);
    tcase_add_test(tc, set_replaces_in_place);
    tcase_add_test(tc, set_adds_last_and_creates_parents);
    tcase_add_test(tc, set_refuses_a_parent_that_is_not_an_object);
    tcase_add_test(tc, delete_and_rename_find_escaped_keys);
    tcase_add_test(tc, unquote_decodes_escapes_and_surrogate_pairs);
    tcase_add_test(tc, numbers_compare_exactly);
    tcase_add_test(tc, plain_numbers_compare_as_the_general_reading_does);
    tcase_add_test(tc, bytes_equal_sees_every_byte);
    tcase_add_test(tc, quote_escapes_and_flags_invalid_utf8);
    tcase_add_test(tc, compact_checks_and_strips_blanks);
    suite_add_tcase(s, tc);
    return s;
}
