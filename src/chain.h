/* chain.h: the processors given on the command line, in order, and what a
 * worker thread does with a batch: split it into lines, parse each, run the
 * stages, and write the survivors and the rejections into the batch.
 *
 * The chain is built on the main thread before the run and is read-only
 * while workers use it. Each worker has its own jp_chain_worker (parser,
 * record, scratch), created and freed on that worker's thread. */
#ifndef JP_CHAIN_H
#define JP_CHAIN_H

#include <stddef.h>

#include "batch.h"
#include "fields.h"
#include "format.h"
#include "header.h"
#include "processor.h"
#include "route.h"

typedef struct jp_stage {
    const jp_processor_type *type;
    void *self;
} jp_stage;

/* The values given to a setting flag: the last counts, and a repeatable
 * setting (--schema-map) sees them all. */
typedef struct jp_setting_value {
    const char *name;
    const char *value;  /* the last one given */
    const char **all;   /* every one, in order, NULL-terminated; owned */
    int n;
} jp_setting_value;

typedef struct jp_chain {
    jp_fields fields;
    jp_setting_value *settings; /* every setting of every processor type */
    int nsettings;
    jp_stage *stages;
    int n;
    int max_depth;   /* deeper records are rejected */
    int want_tree;   /* some processor needs each record's whole tree */
    /* A batch's lines are numbered before its walk, not after it
     * (linemark.h): some processor shows the numbers (--meta line); or is
     * CPU-heavy, and a batch that waited at its end for one of far higher
     * cost would hold its thread idle; or expands records, whose error
     * records count, numbers and all, towards max_fanout as they are made. */
    int lines_first;
    int json_errors; /* error records as NDJSON (else "jsonpipe: FILE:LINE: REASON") */
    int timed;       /* measure the time of every stage (for --stats) */
    size_t max_line; /* --max-line in effect, named by the reason of a longer line */
    int max_line_capped; /* the default --max-line, lowered by --max-memory */
    /* The most output and error records that one line may expand into
     * (JP_EXPAND); past it the line is rejected. SIZE_MAX: no limit. */
    size_t max_fanout; /* a quarter of --max-memory */
    /* How records are written (--to). For CSV and TSV the chain owns the
     * run's header (shared by the workers, which lock it as header.h says)
     * and each record becomes a row after the last stage, in the stage
     * "output"; NULL for NDJSON. */
    jp_format format;
    jp_header *header;
} jp_chain;

void jp_chain_init(jp_chain *c, int max_depth);
void jp_chain_free(jp_chain *c);

/* Records the value of a setting flag, before any processor is added. */
void jp_chain_setting(jp_chain *c, const char *name, const char *value);

/* Creates an instance of t from arg and appends it. Returns 0, or -1 with
 * the processor's reason in err. */
int jp_chain_add(jp_chain *c, const jp_processor_type *t, const char *arg, char *err,
                 size_t errlen);

/* Whether any stage is CPU-heavy. */
int jp_chain_cpu_heavy(const jp_chain *c);

/* The paths that fix the records' shape: those of the last stage that
 * tells them (jp_processor_type.shape), or NULL. *stage is its name. */
const char *jp_chain_shape(const jp_chain *c, const char **stage);

/* How many stages a batch counts: parse, the processors, and "output"
 * when rows are made (CSV, TSV). */
int jp_chain_nstages(const jp_chain *c);

/* Stage 0 is "parse"; stage i > 0 is the i-th processor, and the one
 * after the last is "output". */
const char *jp_chain_stage_name(const jp_chain *c, int stage);

typedef struct jp_chain_worker jp_chain_worker;

/* route: where the records go (route.h), shared read-only; NULL: as they
 * are, to one destination each. */
jp_chain_worker *jp_chain_worker_new(const jp_chain *c, const jp_route *route);
void jp_chain_worker_free(jp_chain_worker *w);

/* Processes b: fills out, err (routed and compressed) and the counts, and
 * frees in. */
void jp_chain_run(jp_chain_worker *w, jp_batch *b);

#endif
