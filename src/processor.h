/* processor.h: the interface every processor implements.
 *
 * A processor is one jp_processor_type, registered in processors/registry.c.
 * Each use on the command line (--NAME ARG) creates one instance from its
 * argument at start-up; that instance is then shared, read-only, by all the
 * worker threads, which call process() once per record in command-line
 * order. The engine knows processors only through this struct. */
#ifndef JP_PROCESSOR_H
#define JP_PROCESSOR_H

#include <stddef.h>

#include "fields.h"
#include "record.h"

typedef enum jp_verdict {
    JP_PASS,     /* record goes on unchanged */
    JP_MODIFIED, /* record goes on, edited through jp_record_set() */
    JP_DROP,     /* record is left out on purpose: counted, not an error */
    JP_REJECT    /* record is bad: reason set with jp_reject() */
} jp_verdict;

/* What a processor may use while it is created. */
typedef struct jp_setup {
    jp_fields *fields; /* declare every path the processor will look at */
} jp_setup;

typedef struct jp_processor_type {
    const char *name;    /* the flag (--NAME) and the stage name in errors and --stats */
    const char *metavar; /* its argument in --help, e.g. "FIELDS" */
    const char *help;    /* one line for --help */
    /* Costs much more per record than parsing; the engine then uses smaller
     * batches so the work spreads evenly over the threads. */
    int cpu_heavy;
    /* Builds an instance from the flag's argument. On a bad argument returns
     * NULL with a reason in err: the run stops with a usage error. */
    void *(*create)(const char *arg, jp_setup *setup, char *err, size_t errlen);
    jp_verdict (*process)(const void *self, jp_record *rec);
    void (*destroy)(void *self);
} jp_processor_type;

/* Sets the record's rejection reason and returns JP_REJECT. */
jp_verdict jp_reject(jp_record *rec, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The registry: every processor, NULL-terminated. */
extern const jp_processor_type *const jp_processors[];

#endif
