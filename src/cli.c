/* cli.c: parsing the command line, --help and --version.
 *
 * Processors are long options built from the registry, so getopt_long hands
 * them back in command-line order and each becomes the next stage. */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "budget.h"
#include "clock.h"
#include "cpus.h"
#include "config.h"
#include "counters.h"
#include "encoder.h"
#include "progress.h"
#include "report.h"
#include "scan.h"

#define DEFAULT_MAX_MEMORY ((size_t)256 << 20)
#define DEFAULT_MAX_LINE ((size_t)16 << 20)
#define DEFAULT_BATCH ((size_t)1 << 20)
#define DEFAULT_BATCH_HEAVY ((size_t)256 << 10)
#define DEFAULT_MAX_DEPTH 512
#define DEFAULT_MAX_OPEN 128
#define MIN_MAX_MEMORY ((size_t)1 << 20)

enum {
    OPT_BATCH_SIZE = 256,
    OPT_MAX_MEMORY,
    OPT_MAX_LINE,
    OPT_MAX_DEPTH,
    OPT_STATS,
    OPT_PROGRESS,
    OPT_NO_PROGRESS,
    OPT_LIST_PROCESSORS,
    OPT_COMPRESS,
    OPT_MAX_OPEN,
    OPT_TO,
    OPT_NO_HEADER,
    OPT_CRLF,
    OPT_NOW,
    OPT_MAX_REJECTS,
    OPT_COUNTERS,
    OPT_PROCESSOR = 512,  /* + index in jp_processors */
    OPT_SETTING = 1024    /* + JP_MAX_SETTINGS * index in jp_processors + index in its settings */
};

static const struct option core_options[] = {
    {"output", required_argument, NULL, 'o'},
    {"errors", required_argument, NULL, 'e'},
    {"force", no_argument, NULL, 'f'},
    {"now", required_argument, NULL, OPT_NOW},
    {"compress", required_argument, NULL, OPT_COMPRESS},
    {"max-open", required_argument, NULL, OPT_MAX_OPEN},
    {"to", required_argument, NULL, OPT_TO},
    {"no-header", no_argument, NULL, OPT_NO_HEADER},
    {"crlf", no_argument, NULL, OPT_CRLF},
    {"threads", required_argument, NULL, 'j'},
    {"batch-size", required_argument, NULL, OPT_BATCH_SIZE},
    {"max-memory", required_argument, NULL, OPT_MAX_MEMORY},
    {"max-line", required_argument, NULL, OPT_MAX_LINE},
    {"max-depth", required_argument, NULL, OPT_MAX_DEPTH},
    {"max-rejects", required_argument, NULL, OPT_MAX_REJECTS},
    {"stats", no_argument, NULL, OPT_STATS},
    {"counters", required_argument, NULL, OPT_COUNTERS},
    {"progress", no_argument, NULL, OPT_PROGRESS},
    {"no-progress", no_argument, NULL, OPT_NO_PROGRESS},
    {"list-processors", no_argument, NULL, OPT_LIST_PROCESSORS},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
};

/* Where the help text of an option starts: every option fits one line. */
#define HELP_COLUMN 30

/* One option of the help: short flag (or NULL), long flag and argument,
 * then the text from HELP_COLUMN. */
static void usage_line(FILE *f, const char *shortflag, const char *name, const char *metavar,
                       const char *help)
{
    char left[96];
    snprintf(left, sizeof left, "  %s%s--%s%s%s", shortflag ? shortflag : "    ",
             shortflag ? ", " : "", name, metavar ? " " : "", metavar ? metavar : "");
    fprintf(f, "%-*s%s\n", HELP_COLUMN, left, help);
}

/* A processor's flag and argument: "--set FIELD=VALUE", "--flatten[=SEP]". */
static void processor_flag(char *out, size_t outlen, const jp_processor_type *t)
{
    snprintf(out, outlen, t->optional_arg ? "%s[=%s]" : "%s %s", t->name, t->metavar);
}

/* The processors grouped as --help and --list-processors show them:
 * validate, filter, enrich, reshape, each group in registry order. */
static const jp_processor_type *const *processors_in_order(void)
{
    static const char *const groups[] = {"validate", "filter", "enrich", "reshape"};
    static const jp_processor_type *sorted[64];
    size_t n = 0;
    for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++)
        for (int i = 0; jp_processors[i] && n + 1 < sizeof sorted / sizeof sorted[0]; i++)
            if (strcmp(jp_processors[i]->group, groups[g]) == 0)
                sorted[n++] = jp_processors[i];
    sorted[n] = NULL;
    return sorted;
}

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: jsonpipe [OPTION | PROCESSOR]... [FILE]...\n"
            "Stream NDJSON records from FILEs (standard input when none, or for -)\n"
            "through PROCESSORs, applied in command-line order, and write the records\n"
            "that pass, byte for byte, in input order. Bad records are reported and\n"
            "the run goes on.\n"
            "\n"
            "Input and output:\n");
    usage_line(f, "-o", "output", "FILE", "write records to FILE (-: standard output)");
    usage_line(f, "-e", "errors", "FILE", "write rejected records to FILE, as NDJSON");
    usage_line(f, NULL, "max-open", "N", "split output: files open at once, each (128)");
    usage_line(f, NULL, "compress", "ALG[:N]", "compress: gzip[:1-9], zstd[:1-19] or none");
    usage_line(f, "-f", "force", NULL, "write compressed data to a terminal too");
    usage_line(f, NULL, "to", "FORMAT", "write ndjson (default), csv or tsv rows");
    usage_line(f, NULL, "no-header", NULL, "csv, tsv: no header row of column names");
    usage_line(f, NULL, "crlf", NULL, "csv, tsv: end rows in CR LF, not LF");
    usage_line(f, NULL, "now", "TIME", "the time it is: RFC 3339 (reproducible runs)");
    usage_line(f, NULL, "max-rejects", "N|P%", "exit 0 if at most N (or P% of records) rejected");
    fprintf(f, "FILE.gz and FILE.zst are written compressed; inputs compressed with gzip\n"
               "or zstd, and tar archives, are read as they are, by content. CSV and TSV\n"
               "columns are --select's fields, or else the first record's keys.\n"
               "A FILE with {PATH} or {PATH:STRFTIME} splits the output: one file per value,\n"
               "as in -o 'out/{service}/{ts:%%Y-%%m-%%d}.ndjson.gz'.\n");
    fprintf(f, "\nProcessors, applied in the order given:\n");
    const jp_processor_type *const *t = processors_in_order();
    for (int i = 0; t[i]; i++) {
        if (i == 0 || strcmp(t[i]->group, t[i - 1]->group) != 0)
            fprintf(f, "  %c%s:\n", t[i]->group[0] - 'a' + 'A', t[i]->group + 1);
        char flag[64];
        processor_flag(flag, sizeof flag, t[i]);
        usage_line(f, NULL, flag, NULL, t[i]->help);
        for (int j = 0; t[i]->settings && t[i]->settings[j].name; j++)
            usage_line(f, NULL, t[i]->settings[j].name, t[i]->settings[j].metavar,
                       t[i]->settings[j].help);
    }
    char threads[64];
    snprintf(threads, sizeof threads, "worker threads (default: usable CPUs, here %d)",
             jp_cpus_usable());
    fprintf(f, "\nTuning:\n");
    usage_line(f, "-j", "threads", "N", threads);
    usage_line(f, NULL, "batch-size", "SIZE", "input bytes per batch (default 1M or 256K)");
    usage_line(f, NULL, "max-memory", "SIZE", "cap on buffered input and output (256M)");
    usage_line(f, NULL, "max-line", "SIZE", "reject longer lines, never held (16M)");
    usage_line(f, NULL, "max-depth", "N", "reject records nested deeper than N (512)");
    fprintf(f, "\nInformation:\n");
    usage_line(f, NULL, "stats", NULL, "print run statistics as JSON on stderr at exit");
    usage_line(f, NULL, "counters", "hadoop", "report Hadoop Streaming counters on stderr");
    usage_line(f, NULL, "progress", NULL, "show progress on stderr (default: on a tty)");
    usage_line(f, NULL, "no-progress", NULL, "never show the progress line");
    usage_line(f, NULL, "list-processors", NULL, "list the processors, each with an example");
    usage_line(f, "-h", "help", NULL, "show this help and exit");
    usage_line(f, "-V", "version", NULL, "show the version and the JSON parser kernel, exit");
    fprintf(f,
            "\n"
            "SIZE is bytes, with an optional K, M or G suffix (powers of 1024).\n"
            "Fields are dotted paths (user.email); a backslash escapes '.', ',', '='.\n"
            "Exit status: 0 every record passed or was dropped (or the rejected were\n"
            "within --max-rejects), 1 some were rejected, 2 usage error, 3 input or\n"
            "output error, 130/143 stopped by SIGINT/SIGTERM.\n"
            "JSONPIPE_ISA=avx512|avx2|sse42|scalar|yajl picks a lower JSON parser kernel.\n"
            "See jsonpipe(1) for every detail, the error records and the --stats keys.\n");
}

void jp_cli_free(jp_cli *cli)
{
    jp_template_free(cli->config.out_split);
    jp_template_free(cli->config.err_split);
    cli->config.out_split = cli->config.err_split = NULL;
    jp_chain_free(&cli->chain);
}

/* Every processor with its help and an example that runs in samples/. */
static void list_processors(FILE *f)
{
    fprintf(f, "Processors, in the order --help lists them; each example runs in samples/.\n");
    const jp_processor_type *const *t = processors_in_order();
    for (int i = 0; t[i]; i++) {
        char flag[64];
        processor_flag(flag, sizeof flag, t[i]);
        fprintf(f, "\n--%s  [%s]\n    %s\n    $ jsonpipe %s app.ndjson\n", flag, t[i]->group,
                t[i]->help, t[i]->example);
    }
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    jp_report_verror(fmt, ap);
    fputs("Try 'jsonpipe --help' for more information.\n", stderr);
    va_end(ap);
    return JP_CLI_USAGE;
}

int jp_parse_size(const char *s, size_t *out)
{
    char *end;
    if (!isdigit((unsigned char)*s))
        return -1;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno)
        return -1;
    unsigned shift = 0;
    switch (toupper((unsigned char)*end)) {
    case 'K': shift = 10; end++; break;
    case 'M': shift = 20; end++; break;
    case 'G': shift = 30; end++; break;
    }
    if (*end == 'i' && shift)
        end++;
    if (*end == 'B' || *end == 'b')
        end++;
    if (*end || v > (SIZE_MAX >> shift))
        return -1;
    *out = (size_t)v << shift;
    return 0;
}

static int size_option(const char *name, const char *arg, size_t *out)
{
    if (jp_parse_size(arg, out) < 0)
        return usage_error("--%s: '%s' is not a size", name, arg);
    return JP_CLI_RUN;
}

/* --max-rejects N or P%: the error budget. */
static int max_rejects_option(const char *arg, jp_budget *b)
{
    char err[256];
    if (jp_budget_parse(arg, b, err, sizeof err) < 0) {
        jp_report_fit(err, sizeof err);
        return usage_error("--max-rejects: %s", err);
    }
    return JP_CLI_RUN;
}

/* --now TIME: the run's clock stands at TIME. */
static int now_option(const char *arg)
{
    char err[256];
    struct timespec at;
    if (jp_clock_parse(arg, &at, err, sizeof err) < 0) {
        jp_report_fit(err, sizeof err);
        return usage_error("--now: %s", err);
    }
    jp_clock_fix(&at);
    return JP_CLI_RUN;
}

/* --counters hadoop: reports every JSONPIPE_COUNTERS_INTERVAL ms. */
static int counters_option(jp_cli *cli, const char *arg)
{
    const char *env = getenv("JSONPIPE_COUNTERS_INTERVAL");
    uint64_t ms;
    if (!jp_counters_format_known(arg))
        return usage_error("--counters: '%s' is not hadoop", arg);
    if (jp_counters_interval(env, &ms) < 0)
        return usage_error("JSONPIPE_COUNTERS_INTERVAL: '%s' is not a number of milliseconds"
                           " from 1 to 86400000", env);
    jp_counters_init(&cli->counters, STDERR_FILENO, ms);
    cli->config.watch = &cli->counters.watch;
    return JP_CLI_RUN;
}

static int parse_int(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

/* An unknown option, or an abbreviation of several (getopt_long tells them
 * apart only on its own stderr, which opterr = 0 silences). */
static int unknown_option(const struct option *opts, const char *arg)
{
    size_t n = strcspn(arg + 2, "=");
    jp_buf list = {0};
    int matches = 0, exact = -1, last = -1;
    for (int i = 0; arg[0] == '-' && arg[1] == '-' && n && opts[i].name; i++)
        if (strncmp(opts[i].name, arg + 2, n) == 0) {
            jp_buf_printf(&list, " '--%s'", opts[i].name);
            matches++;
            last = i;
            if (!opts[i].name[n])
                exact = i;
        }
    if (exact < 0 && matches == 1)
        exact = last;
    if (exact >= 0 && arg[n + 2] == '=')
        usage_error("option '--%s' takes no argument", opts[exact].name);
    else if (exact < 0 && matches > 1)
        usage_error("option '%.*s' is ambiguous; possibilities:%s", (int)n + 2, arg, list.data);
    else
        usage_error("unknown option '%s'", arg);
    jp_buf_free(&list);
    return JP_CLI_USAGE;
}

/* A setting (--hash-key) does nothing without its processor (--hash). */
static int check_settings(const jp_chain *chain, const unsigned char *given)
{
    for (int i = 0; jp_processors[i]; i++) {
        const jp_processor_type *t = jp_processors[i];
        int used = 0;
        for (int k = 0; k < chain->n && !used; k++)
            used = chain->stages[k].type == t;
        for (int j = 0; !used && t->settings && t->settings[j].name && j < JP_MAX_SETTINGS; j++)
            if (given[JP_MAX_SETTINGS * i + j])
                return usage_error("--%s sets how --%s works, but no --%s is given",
                                   t->settings[j].name, t->name, t->name);
    }
    return JP_CLI_RUN;
}

static struct option *build_options(void)
{
    size_t ncore = sizeof core_options / sizeof core_options[0], n = ncore;
    struct option *opts = jp_xcalloc(ncore + 1, sizeof *opts);
    memcpy(opts, core_options, sizeof core_options);
    for (int i = 0; jp_processors[i]; i++) {
        const jp_processor_type *t = jp_processors[i];
        opts = jp_xrealloc(opts, (n + 2 + JP_MAX_SETTINGS) * sizeof *opts);
        opts[n++] = (struct option){t->name, t->optional_arg ? optional_argument : required_argument,
                                    NULL, OPT_PROCESSOR + i};
        for (int j = 0; t->settings && t->settings[j].name && j < JP_MAX_SETTINGS; j++)
            opts[n++] = (struct option){t->settings[j].name, required_argument, NULL,
                                        OPT_SETTING + JP_MAX_SETTINGS * i + j};
    }
    memset(&opts[n], 0, sizeof *opts);
    return opts;
}

/* CSV and TSV: the columns come from the last stage that fixes the
 * records' shape (--select), else from the first record; the chain gets
 * the run's header. */
static int settle_format(jp_cli *cli, const jp_format *f)
{
    if (f->kind == JP_TO_NDJSON) {
        if (!f->header || f->crlf)
            return usage_error("--%s is for --to csv and --to tsv", f->crlf ? "crlf" : "no-header");
        return JP_CLI_RUN;
    }
    const char *stage;
    const char *paths = jp_chain_shape(&cli->chain, &stage);
    jp_columns *cols = NULL;
    if (paths) {
        char by[64], err[256];
        snprintf(by, sizeof by, "the fields of --%s", stage);
        if (!(cols = jp_columns_from_paths(paths, by, err, sizeof err)))
            return usage_error("--%s: %s", stage, err);
    }
    cli->chain.format = *f;
    cli->chain.header = jp_header_new(cols, f->header);
    return JP_CLI_RUN;
}

/* Fills in the defaults that depend on other options and checks the sizes
 * fit together. */
static int settle_sizes(jp_cli *cli, int have_batch, int have_line)
{
    jp_config *c = &cli->config;
    if (c->max_memory < MIN_MAX_MEMORY)
        return usage_error("--max-memory must be at least 1M");
    if (!have_line) {
        c->max_line = DEFAULT_MAX_LINE;
        if (c->max_line > c->max_memory / 4)
            c->max_line = c->max_memory / 4;
    } else if (c->max_line == 0 || c->max_line > c->max_memory / 4) {
        return usage_error("--max-line must be between 1 and a quarter of --max-memory");
    }
    cli->chain.max_line = c->max_line;
    cli->chain.max_fanout = c->max_memory / 4;
    cli->chain.max_line_capped = !have_line && c->max_line < DEFAULT_MAX_LINE;
    if (!have_batch) {
        c->batch_size = jp_chain_cpu_heavy(&cli->chain) ? DEFAULT_BATCH_HEAVY : DEFAULT_BATCH;
        if (c->batch_size > c->max_memory / 8)
            c->batch_size = c->max_memory / 8;
    } else if (c->batch_size < 4096 || c->batch_size > c->max_memory / 8) {
        return usage_error("--batch-size must be between 4K and an eighth of --max-memory");
    }
    return JP_CLI_RUN;
}

/* -o and -e with {PATH} in them name the files of split output; -o's
 * values are found by the records' index, -e's in the error records. */
static int compile_templates(jp_config *c, jp_fields *fields)
{
    const char *specs[2] = {c->output, c->errors};
    jp_template **made[2] = {&c->out_split, &c->err_split};
    char err[256];
    for (int i = 0; i < 2; i++) {
        if (!specs[i] || !jp_template_is(specs[i]))
            continue;
        if (!(*made[i] = jp_template_compile(specs[i], err, sizeof err)))
            return usage_error("%s '%s': %s", i ? "--errors" : "--output", specs[i], err);
    }
    if (c->out_split)
        jp_template_bind(c->out_split, fields);
    return JP_CLI_RUN;
}

int jp_cli_parse(jp_cli *cli, int argc, char **argv)
{
    memset(cli, 0, sizeof *cli);
    jp_config *c = &cli->config;
    c->threads = jp_cpus_usable();
    c->max_memory = DEFAULT_MAX_MEMORY;
    c->max_open = DEFAULT_MAX_OPEN;
    int have_batch = 0, have_line = 0, have_compress = 0, have_max_open = 0;
    jp_format format = {.kind = JP_TO_NDJSON, .header = 1};
    int progress = -1; /* automatic */
    long depth = DEFAULT_MAX_DEPTH, n;
    char err[256];

    /* Processors are created as they come, and a setting (--hash-key) may
     * stand after the processor it configures: take settings in a first
     * pass. */
    struct option *opts = build_options();
    int nprocessors = 0;
    while (jp_processors[nprocessors])
        nprocessors++;
    unsigned char *given = jp_xcalloc((size_t)nprocessors * JP_MAX_SETTINGS, 1);
    int rc = JP_CLI_RUN, opt;
    jp_chain_init(&cli->chain, DEFAULT_MAX_DEPTH);
    opterr = 0;
    optind = 0; /* 0, not 1: glibc then forgets any earlier scan */
    while ((opt = getopt_long(argc, argv, ":o:e:j:fhV", opts, NULL)) != -1) {
        if (opt == OPT_MAX_DEPTH && parse_int(optarg, 1, 100000, &depth) < 0)
            rc = usage_error("--max-depth: '%s' is not a number from 1 to 100000", optarg);
        if (opt >= OPT_SETTING) {
            const jp_processor_type *t = jp_processors[(opt - OPT_SETTING) / JP_MAX_SETTINGS];
            jp_chain_setting(&cli->chain, t->settings[(opt - OPT_SETTING) % JP_MAX_SETTINGS].name,
                             optarg);
            given[opt - OPT_SETTING] = 1;
        }
    }
    cli->chain.max_depth = (int)depth;
    if (rc != JP_CLI_RUN)
        goto out;

    optind = 0;
    while ((opt = getopt_long(argc, argv, ":o:e:j:fhV", opts, NULL)) != -1) {
        switch (opt) {
        case 'o': c->output = strcmp(optarg, "-") == 0 ? NULL : optarg; break;
        case 'e': c->errors = optarg; break;
        case 'f': c->force = 1; break;
        case OPT_NOW:
            if ((rc = now_option(optarg)) != JP_CLI_RUN)
                goto out;
            break;
        case OPT_MAX_REJECTS:
            if ((rc = max_rejects_option(optarg, &c->max_rejects)) != JP_CLI_RUN)
                goto out;
            break;
        case 'j':
            if (parse_int(optarg, 1, 1024, &n) < 0) {
                rc = usage_error("--threads: '%s' is not a number from 1 to 1024", optarg);
                goto out;
            }
            c->threads = (int)n;
            break;
        case OPT_BATCH_SIZE:
            if ((rc = size_option("batch-size", optarg, &c->batch_size)) != JP_CLI_RUN)
                goto out;
            have_batch = 1;
            break;
        case OPT_MAX_MEMORY:
            if ((rc = size_option("max-memory", optarg, &c->max_memory)) != JP_CLI_RUN)
                goto out;
            break;
        case OPT_MAX_LINE:
            if ((rc = size_option("max-line", optarg, &c->max_line)) != JP_CLI_RUN)
                goto out;
            have_line = 1;
            break;
        case OPT_MAX_DEPTH: break;
        case OPT_STATS: cli->stats = 1; break;
        case OPT_COUNTERS:
            if ((rc = counters_option(cli, optarg)) != JP_CLI_RUN)
                goto out;
            break;
        case OPT_PROGRESS: progress = 1; break;
        case OPT_NO_PROGRESS: progress = 0; break;
        case OPT_LIST_PROCESSORS:
            list_processors(stdout);
            rc = JP_CLI_DONE;
            goto out;
        case OPT_MAX_OPEN:
            if (parse_int(optarg, 1, 1000000, &n) < 0) {
                rc = usage_error("--max-open: '%s' is not a number from 1 to 1000000", optarg);
                goto out;
            }
            c->max_open = (size_t)n;
            have_max_open = 1;
            break;
        case OPT_COMPRESS:
            if ((n = jp_codec_parse(optarg, &c->out_codec, &c->out_level)) < 0) {
                if (n == -2)
                    rc = usage_error("--compress: '%s': the %s level is a number from 1 to %d",
                                     optarg, c->out_codec == JP_CODEC_GZIP ? "gzip" : "zstd",
                                     jp_codec_max_level(c->out_codec));
                else
                    rc = usage_error("--compress: '%s' is not gzip[:1-9], zstd[:1-19] or none",
                                     optarg);
                goto out;
            }
            have_compress = 1;
            break;
        case OPT_TO:
            if (jp_format_parse(optarg, &format.kind) < 0) {
                rc = usage_error("--to: '%s' is not ndjson, csv or tsv", optarg);
                goto out;
            }
            break;
        case OPT_NO_HEADER: format.header = 0; break;
        case OPT_CRLF: format.crlf = 1; break;
        case 'h':
            usage(stdout);
            rc = JP_CLI_DONE;
            goto out;
        case 'V':
            printf("jsonpipe %s (JSON scanner: %s)\n", PACKAGE_VERSION, jp_scan_kernel_name());
            rc = JP_CLI_DONE;
            goto out;
        case ':':
            rc = usage_error("option '%s' needs an argument", argv[optind - 1]);
            goto out;
        case '?':
            rc = unknown_option(opts, argv[optind - 1]);
            goto out;
        default: {
            if (opt >= OPT_SETTING)
                break; /* taken in the first pass */
            const jp_processor_type *t = jp_processors[opt - OPT_PROCESSOR];
            if (jp_chain_add(&cli->chain, t, optarg, err, sizeof err) < 0) {
                jp_report_fit(err, sizeof err);
                rc = usage_error("--%s: %s", t->name, err);
                goto out;
            }
        }
        }
    }
    if (optind < argc) {
        c->inputs = argv + optind;
        c->ninputs = argc - optind;
    } else {
        cli->stdin_only[0] = "-";
        c->inputs = cli->stdin_only;
        c->ninputs = 1;
    }
    if ((rc = check_settings(&cli->chain, given)) != JP_CLI_RUN ||
        (rc = settle_format(cli, &format)) != JP_CLI_RUN)
        goto out;
    if (!have_compress) {
        c->out_codec = jp_codec_for_name(c->output);
        c->out_level = jp_codec_default_level(c->out_codec);
    }
    c->out_codec_forced = have_compress;
    if ((rc = compile_templates(c, &cli->chain.fields)) != JP_CLI_RUN)
        goto out;
    if (have_max_open && !c->out_split && !c->err_split) {
        rc = usage_error("--max-open is for split output (-o or -e with a {PATH} template)");
        goto out;
    }
    c->progress = jp_progress_wanted(progress, c->output == NULL);
    c->err_codec = jp_codec_for_name(c->errors);
    c->err_level = jp_codec_default_level(c->err_codec);
    rc = settle_sizes(cli, have_batch, have_line);
    if (rc == JP_CLI_RUN && jp_scan_select(NULL, err, sizeof err) < 0)
        rc = usage_error("%s", err);
out:
    free(given);
    free(opts);
    return rc;
}
