/* check_scan.c: the structural scanner agrees with yajl on every line.
 *
 * Every kernel this CPU runs parses each line beside yajl (scan_oracle.h):
 * JSONTestSuite's one-line cases, thousands of lines damaged on purpose
 * from a few seed records, lines whose strings, escapes and UTF-8
 * sequences straddle the 64-byte blocks of stage 1, nesting around
 * --max-depth, and hand-picked cases whose verdict is written down here. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "buf.h"
#include "check_suites.h"
#include "events.h"
#include "scan.h"
#include "scan_oracle.h"

#define COUNT(a) (sizeof a / sizeof a[0])

/* What a run of lines gave: a mismatch fails the test with the first. */
typedef struct tally {
    scan_oracle *o;
    int lines, accepted, mismatches;
    jp_buf first;
} tally;

static void tally_init(tally *t, int max_depth)
{
    *t = (tally){.o = scan_oracle_new(max_depth)};
    ck_assert_int_ge(scan_oracle_kernels(t->o), 1);
}

static int agree(tally *t, const char *line, size_t n)
{
    int rc = scan_oracle_parse(t->o, line, n);
    const char *why = scan_oracle_mismatch(t->o);
    t->lines++;
    t->accepted += rc == 0;
    if (why && t->mismatches++ == 0)
        jp_buf_printf(&t->first, "%s", why);
    return rc;
}

/* Fails unless every line agreed, and more than least were tried (so a
 * generator that made nothing does not pass). */
static void tally_done(tally *t, int least)
{
    ck_assert_msg(t->mismatches == 0, "%d of %d lines differ; the first: %s", t->mismatches,
                  t->lines, t->first.data);
    ck_assert_int_gt(t->lines, least);
    scan_oracle_free(t->o);
    jp_buf_free(&t->first);
}

/* --- JSONTestSuite (tests/fixtures/jsontestsuite, MIT, see its LICENSE) --- */

static int is_case(const struct dirent *d)
{
    const char *n = d->d_name;
    size_t len = strlen(n);
    return (n[0] == 'y' || n[0] == 'n' || n[0] == 'i') && n[1] == '_' && len > 5 &&
           strcmp(n + len - 5, ".json") == 0;
}

/* Runs every one-line case (a newline only at the very end) through t;
 * with verdicts, y_ cases must be accepted and n_ cases rejected. Returns
 * how many. */
static int run_suite(tally *t, int verdicts)
{
    const char *fixtures = getenv("FIXTURES");
    ck_assert_msg(fixtures != NULL, "FIXTURES is not set (make check sets it)");
    jp_buf dir = {0};
    jp_buf_printf(&dir, "%s/jsontestsuite", fixtures);
    struct dirent **names;
    int n = scandir(dir.data, &names, is_case, alphasort), cases = 0;
    ck_assert_msg(n > 0, "no cases in %s", dir.data);
    for (int i = 0; i < n; i++) {
        jp_buf path = {0}, text = {0};
        jp_buf_printf(&path, "%s/%s", dir.data, names[i]->d_name);
        ck_assert_msg(jp_buf_read_file(&text, path.data) == 0, "cannot read %s", path.data);
        size_t len = text.len;
        if (len && text.data[len - 1] == '\n')
            len--;
        if (!text.data || !memchr(text.data, '\n', len)) {
            int rc = agree(t, text.data ? text.data : "", len);
            char kind = names[i]->d_name[0];
            ck_assert_msg(!verdicts || kind == 'i' || rc == (kind == 'y' ? 0 : -1), "%s: %s", names[i]->d_name,
                          rc ? scan_oracle_reason(t->o) : "accepted");
            cases++;
        }
        jp_buf_free(&path);
        jp_buf_free(&text);
        free(names[i]);
    }
    free(names);
    jp_buf_free(&dir);
    return cases;
}

START_TEST(jsontestsuite_one_line_cases)
{
    /* The default --max-depth, where the verdicts are the suite's, and one
     * that most cases run into. */
    static const int depths[] = {512, 2};
    for (size_t d = 0; d < sizeof depths / sizeof depths[0]; d++) {
        tally t;
        tally_init(&t, depths[d]);
        int cases = run_suite(&t, depths[d] == 512);
        ck_assert_int_gt(cases, 300);
        tally_done(&t, 300);
    }
}
END_TEST

/* --- Lines damaged on purpose --- */

static const char *const seeds[] = {
    "{\"id\":1,\"key\":\"v\",\"a\":{\"b\":{\"c\":[1,2,{\"d\":null}]}},\"arr\":[1,\"x\",true],"
    "\"obj\":{\"x\":{\"y\":1}},\"s\":\"str\\\"esc\\\\aped\\u00e9\"}",
    "{\"k\\u0065y\":1,\"key\":2,\"a\":{\"b\":1},\"a\":{\"b\":{\"c\":3,\"c\":{\"d\":[]}}},"
    "\"id\":-0.5e+10,\"id\":0}",
    "[{\"a\":1},\"\\ud83d\\ude00\",1e5,false,null,\"\\ud800\",-0,0.0E-0]",
    "{\"s\":\"h\xc3\xa9llo w\xc3\xb6rld \xe2\x98\x83 \xf0\x9f\x98\x80\",\"arr\":[[[]],{\"x\":1},"
    "{\"x\":2}],\"obj\":{},\"\xc3\xa9\":\"x\",\"q\\\"\":7}",
    "{ \"id\" : 1 ,\t\"a\" :\r{\"b\" : {\"c\" : \"a long string that crosses a block boundary\"} }"
    " , \"k.dot\" : [ ] }",
    "\"just a string with \\/ \\b \\f \\n \\r \\t escapes\"",
    "-123.456e-7",
    "{\"n\":true,\"n\":false,\"n\":null,\"obj\":{\"x\":{\"y\":[1]},\"x\":{\"z\":2}},"
    "\"arr\":[{\"x\":[]},3],\"a\":{\"b\":{\"c\":{\"d\":1},\"c\":{\"d\":2}}}}",
};

/* Bytes put in place of one byte: structure, escapes, controls, the
 * bytes that start or continue UTF-8 sequences, and the starts of
 * scalars. */
static const unsigned char replacements[] = {
    '"', '\\', '{', '[', ']', '}', ':', ',', ' ', '0', '-', 'e', 'u', 'a', 't',
    0x00, 0x01, 0x09, 0x0a, 0x0c, 0x1f, 0x7f, 0x80, 0xbf, 0xc0, 0xe0, 0xed, 0xf4, 0xf5, 0xff,
};

/* Sequences inserted between two bytes: overlong forms, surrogates, code
 * points past U+10FFFF, sequences cut short, and valid ones beside them. */
static const char *const insertions[] = {
    "\"", "\\", "{", "[", "]", "}", ":", ",", "\x01", "\x7f", "\x80", "\xff",
    "\xc0\x80", "\xe0\x80\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80",
    "\xc3\xa9", "\xe2\x98\x83", "\xf0\x9f\x98\x80", "\xe2\x98", "\xf0\x9f\x98",
    "\\u", "\\ud800", "\\u00e9", "\\\"", "\"\"", "[]", "{}", ",1", "1", "\"k\":",
};

/* line with bytes [at, at + drop) replaced by p[0..n). */
static void splice_agree(tally *t, jp_buf *scratch, const char *line, size_t len, size_t at,
                         size_t drop, const char *p, size_t n)
{
    scratch->len = 0;
    jp_buf_append(scratch, line, at);
    jp_buf_append(scratch, p, n);
    jp_buf_append(scratch, line + at + drop, len - at - drop);
    agree(t, scratch->data ? scratch->data : "", scratch->len);
}

/* Every prefix and suffix, every byte replaced by each replacement, each
 * insertion between every two bytes. */
static void damage_everywhere(tally *t, const char *line, size_t len)
{
    jp_buf b = {0};
    for (size_t at = 0; at <= len; at++) {
        agree(t, line, at);
        agree(t, line + at, len - at);
        for (size_t k = 0; at < len && k < COUNT(replacements); k++)
            splice_agree(t, &b, line, len, at, 1, (const char *)&replacements[k], 1);
        for (size_t k = 0; k < COUNT(insertions); k++)
            splice_agree(t, &b, line, len, at, 0, insertions[k], strlen(insertions[k]));
    }
    jp_buf_free(&b);
}

/* xorshift64: the same damage on every run. */
static uint64_t next_random(uint64_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return *state;
}

/* A few damages at once, at random places: count lines from line. */
static void damage_at_random(tally *t, const char *line, size_t len, int count, uint64_t *rng)
{
    jp_buf cur = {0}, next = {0};
    for (int i = 0; i < count; i++) {
        cur.len = 0;
        jp_buf_append(&cur, line, len);
        int damages = 1 + (int)(next_random(rng) % 4);
        for (int d = 0; d < damages && cur.len; d++) {
            size_t at = next_random(rng) % cur.len;
            const char *p = insertions[next_random(rng) % COUNT(insertions)];
            size_t drop = next_random(rng) % 3;
            if (drop > cur.len - at)
                drop = cur.len - at;
            next.len = 0;
            jp_buf_append(&next, cur.data, at);
            jp_buf_append(&next, p, strlen(p));
            jp_buf_append(&next, cur.data + at + drop, cur.len - at - drop);
            jp_buf tmp = cur;
            cur = next;
            next = tmp;
        }
        agree(t, cur.data ? cur.data : "", cur.len);
    }
    jp_buf_free(&cur);
    jp_buf_free(&next);
}

START_TEST(damaged_seed_records)
{
    tally t;
    tally_init(&t, 512);
    uint64_t rng = 0x9e3779b97f4a7c15ULL;
    for (size_t i = 0; i < COUNT(seeds); i++) {
        damage_everywhere(&t, seeds[i], strlen(seeds[i]));
        damage_at_random(&t, seeds[i], strlen(seeds[i]), 500, &rng);
    }
    ck_assert_int_gt(t.accepted, 1000); /* the damage left many lines valid */
    tally_done(&t, 10000);
}
END_TEST

/* --- 64-byte blocks --- */

/* What a string may hold where a block ends: escapes, backslash runs of
 * either parity, UTF-8 of every length, and what breaks each. */
static const char *const straddlers[] = {
    "\\\"", "\\\\", "\\\\\\\"", "\\\\\\\\", "\\u00e9", "\\ud83d\\ude00", "\\x", "\\u12",
    "\\u12G4", "\xc3\xa9", "\xe2\x98\x83", "\xf0\x9f\x98\x80", "\xc0\x80", "\xe0\x80\x80",
    "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xc3", "\x7f", "\t", "\x01",
};

/* Lines of exactly len bytes: head, filler 'a's, what, filler 'b's, tail
 * (nothing when what does not fit). */
static void exact_line(tally *t, jp_buf *b, size_t len, const char *head, size_t pad,
                       const char *what, const char *tail)
{
    size_t fixed = strlen(head) + pad + strlen(what) + strlen(tail);
    if (fixed > len)
        return;
    b->len = 0;
    jp_buf_puts(b, head);
    for (size_t i = 0; i < pad; i++)
        jp_buf_putc(b, 'a');
    jp_buf_puts(b, what);
    for (size_t i = fixed; i < len; i++)
        jp_buf_putc(b, 'b');
    jp_buf_puts(b, tail);
    agree(t, b->data, b->len);
}

START_TEST(strings_across_block_boundaries)
{
    static const size_t lengths[] = {63, 64, 65, 127, 128, 129, 191, 192, 193};
    /* A string value, a key, a string left open at the line's end, and a
     * top-level string. */
    static const char *const frames[][2] = {
        {"{\"s\":\"", "\"}"}, {"{\"", "\":1}"}, {"[\"", ""}, {"\"", "\""},
    };
    tally t;
    tally_init(&t, 512);
    jp_buf b = {0};
    for (size_t l = 0; l < COUNT(lengths); l++)
        for (size_t f = 0; f < COUNT(frames); f++)
            for (size_t w = 0; w < COUNT(straddlers); w++)
                for (size_t pad = 0; pad < lengths[l]; pad++)
                    exact_line(&t, &b, lengths[l], frames[f][0], pad, straddlers[w], frames[f][1]);
    /* Runs of backslashes ending at every byte around each boundary. */
    for (size_t run = 1; run <= 9; run++)
        for (size_t pad = 48; pad < 140; pad++) {
            b.len = 0;
            jp_buf_puts(&b, "[\"");
            for (size_t i = 0; i < pad; i++)
                jp_buf_putc(&b, 'a');
            for (size_t i = 0; i < run; i++)
                jp_buf_putc(&b, '\\');
            jp_buf_puts(&b, "\",\"x\"]");
            agree(&t, b.data, b.len);
        }
    jp_buf_free(&b);
    tally_done(&t, 10000);
}
END_TEST

START_TEST(scalars_and_blanks_across_block_boundaries)
{
    static const char *const scalars[] = {"1", "-1", "1.5", "1e5", "-0.0E+1", "true", "null",
                                          "false", "[1]", "{\"id\":2}", "1.", "-", "tru", "01"};
    tally t;
    tally_init(&t, 512);
    jp_buf b = {0};
    for (size_t s = 0; s < COUNT(scalars); s++)
        for (size_t before = 0; before < 140; before++)
            for (size_t after = 0; after < 3; after++) {
                /* Blanks, then the scalar, then blanks or digits. */
                b.len = 0;
                for (size_t i = 0; i < before; i++)
                    jp_buf_putc(&b, " \t\r"[i % 3]);
                jp_buf_puts(&b, scalars[s]);
                for (size_t i = 0; i < after; i++)
                    jp_buf_putc(&b, after == 2 ? '7' : ' ');
                agree(&t, b.data, b.len);
            }
    for (size_t digits = 1; digits < 200; digits++) {
        b.len = 0;
        jp_buf_puts(&b, "{\"n\":-");
        for (size_t i = 0; i < digits; i++)
            jp_buf_putc(&b, (char)('1' + i % 9));
        jp_buf_puts(&b, digits % 3 ? ".5e-3}" : "}");
        agree(&t, b.data, b.len);
    }
    jp_buf_free(&b);
    tally_done(&t, 4000);
}
END_TEST

/* --- Nesting around --max-depth --- */

/* depth levels of open, then the middle, then depth levels of close. */
static void nested(jp_buf *b, int depth, const char *open, const char *middle, const char *close)
{
    b->len = 0;
    for (int i = 0; i < depth; i++)
        jp_buf_puts(b, open);
    jp_buf_puts(b, middle);
    for (int i = 0; i < depth; i++)
        jp_buf_puts(b, close);
}

START_TEST(nesting_around_max_depth)
{
    static const int depths[] = {1, 2, 3, 64};
    /* Byte replacements that break the line before, at or after the
     * bracket that goes too deep. */
    static const char damage[] = {'x', '"', ',', ']', '}', '[', '{', ' ', 0x01, (char)0xff};
    static const char *const shapes[][3] = {
        {"[", "", "]"}, {"{\"a\":", "1", "}"}, {"[\"a\",", "\"s\"", "]"},
        {"{\"a\":[", "{}", "]}"}, {"[\"\xc3\xa9\",", "\"\\u00e9\"", "]"},
    };
    for (size_t d = 0; d < COUNT(depths); d++) {
        tally t;
        tally_init(&t, depths[d]);
        jp_buf line = {0}, b = {0};
        for (int depth = depths[d] - 1; depth <= depths[d] + 2; depth++)
            for (size_t s = 0; s < COUNT(shapes); s++) {
                if (depth < 1)
                    continue;
                nested(&line, depth, shapes[s][0], shapes[s][1], shapes[s][2]);
                for (size_t at = 0; at <= line.len; at++) {
                    agree(&t, line.data, at);
                    for (size_t k = 0; at < line.len && k < sizeof damage; k++)
                        splice_agree(&t, &b, line.data, line.len, at, 1, &damage[k], 1);
                }
            }
        jp_buf_free(&line);
        jp_buf_free(&b);
        tally_done(&t, 100);
    }
}
END_TEST

/* --- Cases whose verdict is known --- */

typedef struct edge_case {
    const char *line;
    int max_depth;
    const char *reason; /* NULL: accepted */
} edge_case;

static void expect_verdicts(const edge_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const edge_case *c = &cases[i];
        tally t;
        tally_init(&t, c->max_depth);
        int rc = agree(&t, c->line, strlen(c->line));
        ck_assert_msg(rc == (c->reason ? -1 : 0), "%s: %s", c->line,
                      rc ? scan_oracle_reason(t.o) : "accepted");
        if (c->reason)
            ck_assert_str_eq(scan_oracle_reason(t.o), c->reason);
        tally_done(&t, 0);
    }
}

START_TEST(hand_picked_verdicts)
{
    static const edge_case cases[] = {
        {"[1true]", 512, "invalid JSON at column 3: unexpected character 't', expected ',' or ']'"},
        {"01", 512, "invalid JSON at column 2: a number cannot have a leading zero"},
        {"-01", 512, "invalid JSON at column 3: a number cannot have a leading zero"},
        {"-", 512, "invalid JSON at column 2: unexpected end of line, expected a digit"},
        {"1.", 512, "invalid JSON at column 3: unexpected end of line, expected a digit"},
        {"1e", 512, "invalid JSON at column 3: unexpected end of line, expected a digit"},
        {"1e+", 512, "invalid JSON at column 4: unexpected end of line, expected a digit"},
        {"[1.e1]", 512, "invalid JSON at column 4: unexpected character 'e', expected a digit"},
        {".5", 512, "invalid JSON at column 1: unexpected character '.', expected a value"},
        {"+1", 512, "invalid JSON at column 1: unexpected character '+', expected a value"},
        {"-0", 512, NULL},
        {"1E+2", 512, NULL},
        {"tru", 512, "invalid JSON at column 4: unexpected end of line, expected true"},
        {"truex", 512, "invalid JSON at column 5: unexpected data after the JSON value"},
        {"\"\\u12\"", 512,
         "invalid JSON at column 6: unexpected character '\"', expected a hex digit of a \\u escape"},
        {"\"a\\", 512, "invalid JSON at column 4: unfinished string at end of line"},
        {"\"\\\"", 512, "invalid JSON at column 4: unfinished string at end of line"},
        {"\"\\\\\"", 512, NULL},
        {"{\"a\":1}x", 512, "invalid JSON at column 8: unexpected data after the JSON value"},
        {"{} {}", 512, "invalid JSON at column 4: unexpected data after the JSON value"},
        {"\f1", 512, "invalid JSON at column 1: form feed is not JSON whitespace"},
        {"\v1", 512, "invalid JSON at column 1: vertical tab is not JSON whitespace"},
        {"\xef\xbb\xbf{}", 512,
         "invalid JSON at column 1: unexpected character U+FEFF, expected a value"},
        {"   ", 512, "no JSON value on the line"},
        {"  [1]\t\r", 512, NULL},
        /* Lone surrogate escapes are taken (yajl does); so are DEL and
         * \u0000; a raw tab is not. */
        {"\"\\ud800\"", 512, NULL},
        {"\"\\udc00\\ud800x\"", 512, NULL},
        {"\"\\uD834\\uDd1e\"", 512, NULL},
        {"\"\\u0000\"", 512, NULL},
        {"{\"s\":\"\x7f\"}", 512, NULL},
        {"\"a\tb\"", 512,
         "invalid JSON at column 3: control character U+0009 in a string (write it as an escape)"},
        {"\"\xed\xa0\x80\"", 512, "invalid JSON at column 3: UTF-16 surrogate encoded as UTF-8"},
        {"\"\xc0\x80\"", 512, "invalid JSON at column 2: overlong UTF-8 encoding"},
        {"\"\xf4\x90\x80\x80\"", 512, "invalid JSON at column 3: UTF-8 encoding beyond U+10FFFF"},
        {"\"\xf4\x8f\xbf\xbf\xef\xbf\xbf\"", 512, NULL},
        {"[1,]", 512, "invalid JSON at column 4: unexpected character ']', expected a value"},
        {"{\"a\":1,}", 512,
         "invalid JSON at column 8: unexpected character '}', expected a string key"},
        {"{1:1}", 512,
         "invalid JSON at column 2: unexpected character '1', expected a string key or '}'"},
        {"{\"a\" 1}", 512, "invalid JSON at column 6: unexpected character '1', expected ':'"},
        {"[]]", 512, "invalid JSON at column 3: unexpected data after the JSON value"},
        {"[[1]]", 2, NULL},
        {"[[[1]]]", 2, "invalid JSON at column 3: nesting too deep (see --max-depth)"},
        {"[x,[[1]]]", 2, "invalid JSON at column 2: unexpected character 'x', expected a value or ']'"},
        {"[[[1]]],x", 2, "invalid JSON at column 3: nesting too deep (see --max-depth)"},
    };
    expect_verdicts(cases, COUNT(cases));
}
END_TEST

/* Lines on which the scanner and yajl once parted: a kernel must not
 * differ on them again. */
START_TEST(past_mismatches)
{
    static const edge_case cases[] = {
        /* A too-deep bracket where no value may start, on a line stage 1
         * found bad (an open string): a syntax error, not nesting. */
        {"[1[\"", 1, "invalid JSON at column 3: unexpected character '[', expected ',' or ']'"},
        {"{[a\":1}", 1,
         "invalid JSON at column 2: unexpected character '[', expected a string key or '}'"},
        {"{\"a\":1,[\"", 1,
         "invalid JSON at column 8: unexpected character '[', expected a string key"},
        {"{\"a\"[\"", 1, "invalid JSON at column 5: unexpected character '[', expected ':'"},
        /* A newline inside the bytes given is a blank, for yajl too. */
        {"{}\n", 512, NULL},
        {"\n1", 512, NULL},
        {"1\n", 512, NULL},
        /* Form feed and 0x1A outside strings: every kernel indexes them
         * alike. */
        {"{\"id\":\f1}", 512, "invalid JSON at column 7: form feed is not JSON whitespace"},
        {"[1\x1a" "2]", 512,
         "invalid JSON at column 3: unexpected control character U+001A, expected ',' or ']'"},
    };
    expect_verdicts(cases, COUNT(cases));
}
END_TEST

/* --- what a listener that skips is told --- */

/* Writes each event as text: a bracket for an open or close, K and S for
 * a key's or scalar's bytes. It skips the values of keys named "skip",
 * and the insides of containers under keys named "mute". */
typedef struct recorder {
    const char *line;
    jp_buf events;
    int mute_next;
} recorder;

static int rec_open(void *ctx, jp_type type, size_t at)
{
    recorder *r = ctx;
    jp_buf_printf(&r->events, "%c ", r->line[at]);
    int mute = r->mute_next;
    r->mute_next = 0;
    (void)type;
    return mute ? JP_EV_SKIP : JP_EV_ENTER;
}

static void rec_close(void *ctx, size_t end)
{
    recorder *r = ctx;
    jp_buf_printf(&r->events, "%c ", r->line[end - 1]);
}

static int rec_key(void *ctx, size_t start, size_t end)
{
    recorder *r = ctx;
    jp_buf_printf(&r->events, "K%.*s ", (int)(end - start), r->line + start);
    r->mute_next = end - start == 6 && memcmp(r->line + start, "\"mute\"", 6) == 0;
    return end - start == 6 && memcmp(r->line + start, "\"skip\"", 6) == 0 ? JP_EV_SKIP
                                                                            : JP_EV_ENTER;
}

static void rec_scalar(void *ctx, jp_type type, size_t start, size_t end)
{
    recorder *r = ctx;
    (void)type;
    jp_buf_printf(&r->events, "S%.*s ", (int)(end - start), r->line + start);
}

static const jp_json_listener recording = {rec_open, rec_close, rec_key, rec_scalar};

START_TEST(skipped_keys_report_nothing_of_their_values)
{
    static const struct {
        const char *line, *events;
    } cases[] = {
        {"{\"a\":1,\"skip\":{\"x\":[1,{\"y\":2}]},\"b\":[true],\"mute\":{\"skip\":1,\"e\":[2]},"
         "\"skip\":\"s\",\"c\":{\"skip\":null,\"d\":{}}}",
         "{ K\"a\" S1 K\"skip\" K\"b\" [ Strue ] K\"mute\" { } K\"skip\" K\"c\" { K\"skip\" "
         "K\"d\" { } } } "},
        /* A skipped value last in its object, and an empty one. */
        {"{\"o\":{\"skip\":[]},\"skip\":{}}", "{ K\"o\" { K\"skip\" } K\"skip\" } "},
        /* Skipping does not hide a fault inside the skipped value. */
        {"{\"skip\":[1,tru]}", NULL},
        {"{\"skip\":{\"a\" 1}}", NULL},
    };
    jp_scanner *sc = jp_scanner_new();
    for (size_t i = 0; i < COUNT(cases); i++) {
        recorder r = {.line = cases[i].line};
        jp_parse_error err;
        int rc = jp_scanner_parse(sc, r.line, strlen(r.line), 64, &recording, &r, NULL, &err);
        if (!cases[i].events) {
            ck_assert_msg(rc == -1, "%s: accepted", r.line);
        } else {
            ck_assert_msg(rc == 0, "%s: rejected", r.line);
            ck_assert_str_eq(r.events.data, cases[i].events);
        }
        jp_buf_free(&r.events);
    }
    jp_scanner_free(sc);
}
END_TEST

/* Every kernel reads a line's last block without touching a byte past the
 * line (AVX-512 with a masked load, the others from a copy): lines of
 * every length up to three blocks end where an unreadable page begins. */
START_TEST(lines_that_end_at_an_unreadable_page)
{
    static const char *const shapes[] = {
        "{\"s\":\"%s\"}", "[%s1,2]", "{\"n\":1%s}", "\"%s", "{\"k\\\"%s\":null}",
        "[\"\xc3\xa9%s\"]", "[\"%s\xe2\x82",
    };
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    char *map = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ck_assert(map != MAP_FAILED);
    ck_assert_int_eq(mprotect(map + page, page, PROT_NONE), 0);
    tally t;
    tally_init(&t, 64);
    jp_buf line = {0};
    char fill[201] = "";
    for (size_t f = 0; f < 200; f++) {
        for (size_t k = 0; k < COUNT(shapes); k++) {
            line.len = 0;
            jp_buf_printf(&line, shapes[k], fill);
            ck_assert_uint_lt(line.len, page);
            char *at = map + page - line.len;
            memcpy(at, line.data, line.len);
            agree(&t, at, line.len);
        }
        fill[f] = f % 7 ? 'a' : ' ';
    }
    jp_buf_free(&line);
    munmap(map, 2 * page);
    tally_done(&t, 1000);
}
END_TEST

Suite *scan_suite(void)
{
    Suite *s = suite_create("scan");
    TCase *tc = tcase_create("scan");
    tcase_set_timeout(tc, 300); /* 240000 lines, each through every kernel and yajl */
    tcase_add_test(tc, jsontestsuite_one_line_cases);
    tcase_add_test(tc, damaged_seed_records);
    tcase_add_test(tc, strings_across_block_boundaries);
    tcase_add_test(tc, scalars_and_blanks_across_block_boundaries);
    tcase_add_test(tc, nesting_around_max_depth);
    tcase_add_test(tc, hand_picked_verdicts);
    tcase_add_test(tc, past_mismatches);
    tcase_add_test(tc, skipped_keys_report_nothing_of_their_values);
    tcase_add_test(tc, lines_that_end_at_an_unreadable_page);
    suite_add_tcase(s, tc);
    return s;
}
