/* processor.h: the interface every processor implements.
 *
 * A processor is one jp_processor_type, registered in processors/registry.c.
 * Each use on the command line (--NAME ARG) creates one instance from its
 * argument at start-up; that instance is then shared, read-only, by all the
 * worker threads, which call process() once per record in command-line
 * order. The engine knows processors only through this struct.
 *
 * A processor may also put several records in the place of one (JP_EXPAND,
 * --explode): the engine then asks it for them one at a time with next()
 * and runs the stages after it on each, in order, before asking for the
 * following one, so a record that fans out into a million never holds more
 * than one of them at a time beyond the output itself. */
#ifndef JP_PROCESSOR_H
#define JP_PROCESSOR_H

#include <stddef.h>

#include "fields.h"
#include "record.h"

typedef enum jp_verdict {
    JP_PASS,     /* record goes on unchanged */
    JP_MODIFIED, /* record goes on, edited through jp_record_set() */
    JP_DROP,     /* record is left out on purpose: counted, not an error */
    JP_REJECT,   /* record is bad: reason set with jp_reject() */
    JP_EXPAND    /* record is replaced by the records next() gives, none or more */
} jp_verdict;

/* A flag that configures a processor rather than adding a stage, such as
 * --hash-key FILE for --hash. Its value is there for create(), wherever the
 * flag stands on the command line. */
typedef struct jp_setting {
    const char *name;    /* the flag, --NAME */
    const char *metavar;
    const char *help;
} jp_setting;

/* How many setting flags one processor type may own. */
#define JP_MAX_SETTINGS 8

/* What a processor may use while it is created. */
typedef struct jp_setup {
    jp_fields *fields; /* declare every path the processor will look at */
    const char *const *setting_values; /* parallel to the type's settings: the last given */
    /* Also parallel: every value given, in order, NULL-terminated (or NULL
     * when none was), for a setting that may be repeated. */
    const char *const *const *setting_lists;
    int want_tree;     /* set by a processor that calls jp_record_tree() */
    /* Set by a processor that reads jp_record_source()->line: without it,
     * a worker may learn its lines' numbers only once its records are
     * made (linemark.h). */
    int want_lines;
} jp_setup;

typedef struct jp_processor_type {
    const char *name;    /* the flag (--NAME) and the stage name in errors and --stats */
    const char *metavar; /* its argument in --help, e.g. "FIELDS" */
    /* The argument may be left out: --NAME alone, or --NAME=ARG (never
     * --NAME ARG, which would take a file name for it). create() then gets
     * NULL for arg. --help shows --NAME[=METAVAR]. */
    int optional_arg;
    const char *help;    /* one line for --help */
    const char *group;   /* where --help lists it: "validate", "filter", "enrich", "reshape" */
    const char *example; /* its flags in one use, for --list-processors (runs on samples/) */
    /* Costs much more per record than parsing; the engine then uses smaller
     * batches so the work spreads evenly over the threads. */
    int cpu_heavy;
    /* Builds an instance from the flag's argument. On a bad argument returns
     * NULL with a reason in err: the run stops with a usage error. */
    void *(*create)(const char *arg, jp_setup *setup, char *err, size_t errlen);
    /* Optional: per-thread state (a digest context, a random pool) made on
     * the worker thread that uses it, so process() never allocates. */
    void *(*local_new)(const void *self);
    void (*local_free)(void *local);
    jp_verdict (*process)(const void *self, void *local, jp_record *rec);
    /* With JP_EXPAND: puts the next record that replaces the one expanded
     * into out (emptied by the engine; one valid JSON value, written as it
     * is when no stage follows) and returns 1, or
     * returns 0 when there are no more. Between calls the engine reuses the
     * jp_record for the records made, so process() keeps in local all that
     * next() needs. The engine may stop asking before the end (the line is
     * given up); the next process() starts afresh. */
    int (*next)(const void *self, void *local, jp_buf *out);
    /* Optional: for a processor whose records hold nothing but the fields
     * it was given (--select), those fields, as a comma-separated list in
     * the grammar of jp_fields_add_list, in their order. CSV and TSV output
     * takes its columns from the last stage that has it. */
    const char *(*shape)(const void *self);
    void (*destroy)(void *self);
    const jp_setting *settings; /* NULL-name-terminated, or NULL; at most JP_MAX_SETTINGS */
} jp_processor_type;

/* local_new and local_free for processors whose per-thread state is one
 * scratch jp_buf. */
void *jp_scratch_new(const void *self);
void jp_scratch_free(void *local);

/* Sets the record's rejection reason and returns JP_REJECT. */
jp_verdict jp_reject(jp_record *rec, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The registry: every processor, NULL-terminated. */
extern const jp_processor_type *const jp_processors[];

#endif
