/* prop_expr.c: a property test of the expression language. It makes random
 * programs of the whole grammar (every operator, every function with a
 * right number of arguments, literals of every type) and random records,
 * and runs each pair through the fuzz target fuzz_eval.c, whose checks are
 * the properties: evaluation never crashes or breaks a record, every line
 * is accounted for, and --eval 'x = EXPR' with --filter x agrees with
 * --filter EXPR. Deterministic: PROP_SEED and PROP_CASES pick the run. A
 * broken property aborts with the program and records on stderr. */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "fuzz/fuzz.h"

/* How many programs fuzz_eval.c compared as --filter and as --eval. */
extern long fuzz_eval_compared;

static uint64_t state;

static unsigned rnd(unsigned n)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return (unsigned)(state % n);
}

static const char *pick(const char *const *v, size_t n)
{
    return v[rnd((unsigned)n)];
}
#define PICK(v) pick(v, sizeof v / sizeof v[0])

static const char *const paths[] = {
    "a", "b", "s", "t", "n", "arr", "obj", "obj.x", "obj.y.z", "missing", "u.\"k-1\"",
    ".a", ".[\"s\"]", "obj[\"x\"]", "e", "big", "."};
static const char *const strings[] = {
    "\"\"", "\"abc\"", "\"Zo\\u00eb\"", "\"李雷\"", "\"a,b,,c\"", "\"42\"", "\"-7.5\"",
    "\"x7\"", "\"true\"", "\"2026-11-03T04:05:06.250Z\"", "\"2026-02-30T00:00:00Z\"",
    "\"%Y-%m-%d\"", "\"[1,{\\\"k\\\":2}]\"", "\" pad \"", "\",\"", "\"$1-$0\""};
static const char *const numbers[] = {
    "0", "1", "2", "3", "-1", "10", "1000", "2.5", "-0.5", "1e2", "0.1", "7",
    "9223372036854775807", "-9223372036854775808", "18446744073709551616", "1e308", "-0"};
static const char *const regexes[] = {
    "\"^.*@\"", "\"(?<user>[a-z]+)@(?<host>.*)\"", "\"[0-9]+\"", "\"x*\"", "\"(a)|(b)\"",
    "\"é\"", "\"^\"", "\"(?<y>\\\\d{4})-(?<m>\\\\d\\\\d)\""};
static const struct {
    const char *name;
    int min, max, regex_arg;
} fns[] = {
    {"lower", 1, 1, -1},       {"upper", 1, 1, -1},       {"trim", 1, 1, -1},
    {"ltrim", 1, 1, -1},       {"rtrim", 1, 1, -1},       {"len", 1, 1, -1},
    {"substr", 2, 3, -1},      {"replace", 3, 3, 1},      {"split", 2, 2, -1},
    {"join", 2, 2, -1},        {"starts_with", 2, 2, -1}, {"ends_with", 2, 2, -1},
    {"to_int", 1, 1, -1},      {"to_float", 1, 1, -1},    {"to_string", 1, 1, -1},
    {"to_bool", 1, 1, -1},     {"parse_json", 1, 1, -1},  {"to_json", 1, 1, -1},
    {"round", 1, 1, -1},       {"floor", 1, 1, -1},       {"ceil", 1, 1, -1},
    {"abs", 1, 1, -1},         {"min", 1, 3, -1},         {"max", 1, 3, -1},
    {"coalesce", 1, 3, -1},    {"type", 1, 1, -1},        {"keys", 1, 1, -1},
    {"capture", 2, 2, 1},      {"parse_time", 1, 2, -1},  {"format_time", 1, 2, -1}};
static const char *const binary[] = {
    "+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">=", "&&", "||", "??", "contains"};

static void gen(jp_buf *b, int depth);

/* An operand of an operator: in parentheses, so every program made is
 * one of the grammar whatever the precedence of its parts. */
static void sub(jp_buf *b, int depth)
{
    jp_buf_putc(b, '(');
    gen(b, depth);
    jp_buf_putc(b, ')');
}

static void leaf(jp_buf *b)
{
    switch (rnd(6)) {
    case 0:
    case 1: jp_buf_puts(b, PICK(paths)); break;
    case 2: jp_buf_puts(b, PICK(strings)); break;
    case 3: jp_buf_puts(b, PICK(numbers)); break;
    default: jp_buf_puts(b, rnd(3) == 0 ? "null" : rnd(2) ? "true" : "false");
    }
}

static void call(jp_buf *b, int depth)
{
    unsigned f = rnd(sizeof fns / sizeof fns[0]);
    int n = fns[f].min + (int)rnd((unsigned)(fns[f].max - fns[f].min + 1));
    jp_buf_printf(b, "%s(", fns[f].name);
    for (int i = 0; i < n; i++) {
        if (i)
            jp_buf_puts(b, ", ");
        if (i == fns[f].regex_arg)
            jp_buf_puts(b, PICK(regexes));
        else
            gen(b, depth - 1);
    }
    jp_buf_putc(b, ')');
}

static void gen(jp_buf *b, int depth)
{
    if (depth <= 0 || rnd(4) == 0) {
        leaf(b);
        return;
    }
    switch (rnd(11)) {
    case 0:
    case 1:
        sub(b, depth - 1);
        jp_buf_printf(b, " %s ", PICK(binary));
        sub(b, depth - 1);
        break;
    case 2:
    case 3: call(b, depth); break;
    case 4:
        jp_buf_putc(b, rnd(2) ? '!' : '-');
        sub(b, depth - 1);
        break;
    case 5:
        sub(b, depth - 1);
        jp_buf_puts(b, " ? ");
        sub(b, depth - 1);
        jp_buf_puts(b, " : ");
        sub(b, depth - 1);
        break;
    case 6:
        jp_buf_putc(b, '(');
        gen(b, depth - 1);
        jp_buf_putc(b, ')');
        break;
    case 7:
        jp_buf_putc(b, '(');
        gen(b, depth - 1);
        jp_buf_puts(b, ")[");
        jp_buf_puts(b, rnd(2) ? PICK(numbers) : "-1");
        jp_buf_putc(b, ']');
        break;
    case 8:
        sub(b, depth - 1);
        jp_buf_printf(b, " in [%s, %s, null]", PICK(strings), PICK(numbers));
        break;
    case 9:
        sub(b, depth - 1);
        jp_buf_printf(b, " =~ %s", PICK(regexes));
        break;
    default: jp_buf_printf(b, "exists(%s)", rnd(2) ? "obj.x" : "missing"); break;
    }
}

static const char *const values[] = {
    "0", "1", "-3", "2.5", "1e2", "1.50", "18446744073709551615", "null", "true", "false",
    "\"\"", "\"abc\"", "\"Zo\\u00eb \\\"q\\\"\"", "\"李雷\"", "\"u1@example.com\"", "\"42\"",
    "\"2026-11-03T04:05:06.250Z\"", "[]", "[1,\"a\",null]", "[\"x\",\"y\"]", "{}",
    "{\"k\":1,\"k\":2}", "{\"x\":\"é\",\"y\":{\"z\":[1,2]}}"};
static const char *const keys[] = {"a", "b", "s", "t", "n", "arr", "obj", "e", "big", "x"};

static void record(jp_buf *b)
{
    jp_buf_putc(b, '{');
    int n = (int)rnd(7);
    for (int i = 0; i < n; i++)
        jp_buf_printf(b, "%s\"%s\":%s", i ? "," : "", PICK(keys), PICK(values));
    if (rnd(3) == 0)
        jp_buf_printf(b, "%s\"u\":{\"k-1\":%s}", n ? "," : "", PICK(values));
    jp_buf_puts(b, "}\n");
}

static jp_buf in;

/* A broken property aborts: the program and records it broke on are the
 * report. */
static void on_abort(int sig)
{
    (void)sig;
    static const char head[] = "prop_expr: broken on this input:\n";
    if (write(2, head, sizeof head - 1) < 0 || write(2, in.data, in.len) < 0)
        _exit(134);
    _exit(134);
}

int main(void)
{
    signal(SIGABRT, on_abort);
    const char *seed = getenv("PROP_SEED"), *cases = getenv("PROP_CASES");
    state = seed ? strtoull(seed, NULL, 10) : 20261201;
    if (!state)
        state = 1;
    long n = cases ? strtol(cases, NULL, 10) : 10000;
    for (long i = 0; i < n; i++) {
        in.len = 0;
        gen(&in, 1 + (int)rnd(5));
        jp_buf_putc(&in, '\n');
        for (int r = 0; r < 12; r++)
            record(&in);
        uint8_t *copy = jp_xmalloc(in.len);
        memcpy(copy, in.data, in.len);
        LLVMFuzzerTestOneInput(copy, in.len);
        free(copy);
    }
    /* Every program made is grammatical: one that did not compile is a
     * parser bug, and would have tested nothing. */
    if (fuzz_eval_compared != n) {
        fprintf(stderr, "prop_expr: only %ld of %ld programs compiled\n", fuzz_eval_compared, n);
        return 1;
    }
    printf("%ld programs of the grammar held every property\n", n);
    jp_buf_free(&in);
    return 0;
}
