/* engine.h: one run of jsonpipe: inputs through the chain to the output.
 *
 * The engine owns the libuv loop and wires the reader, the worker pool and
 * the writer together. It alone decides when reading may go on: at most
 * max_batches batches and max_memory bytes of buffers are between the reader
 * and the end of their write, so a slow consumer pauses the input instead of
 * filling memory. It also turns signals into a clean stop. */
#ifndef JP_ENGINE_H
#define JP_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "batch.h"
#include "budget.h"
#include "chain.h"
#include "decoder.h"
#include "sink_split.h"
#include "template.h"

struct jp_totals;

/* Something that follows a run as it goes (counters.h): report is called on
 * the loop thread every interval_ms with the counts so far, never while
 * rejection messages are being written to stderr (a report due meanwhile
 * comes right after them), and once more with last = 1 and the run's final
 * totals when it is over, however it ended. */
typedef struct jp_watch {
    void (*report)(void *ctx, const struct jp_totals *now, int last);
    void *ctx;
    uint64_t interval_ms;
} jp_watch;

typedef struct jp_config {
    char *const *inputs;   /* "-" is stdin */
    int ninputs;
    const char *output;    /* NULL: stdout */
    const char *errors;    /* NULL: messages on stderr; "-": stdout */
    int threads;
    jp_budget max_rejects; /* rejections that still let the run succeed */
    size_t batch_size, max_memory, max_line;
    jp_codec out_codec, err_codec; /* compress the output, the error records */
    int out_level, err_level;
    int out_codec_forced;  /* --compress: split files too, whatever their names */
    /* Split output: -o (-e) was a template; its files are opened as records
     * come (sink_split.h), at most max_open at once each. */
    jp_template *out_split, *err_split;
    size_t max_open;
    int progress;          /* draw the progress line (progress.h) */
    const jp_watch *watch; /* NULL: none */
    int force;             /* write compressed data to a terminal too */
    /* Set by jp_outputs_open (output.h): where records and errors go, their
     * names for messages, and whether that descriptor was closed at start. */
    int out_fd, err_fd;
    const char *out_name, *err_name;
    int out_closed, err_closed;
    /* An existing file written in place (no temporary file could be made):
     * it is cut to nothing only before its first byte is written. */
    int out_cut_late, err_cut_late;
    /* Set by jp_outputs_open for split output: the files none of its files
     * may be (the inputs, the other output). */
    jp_file_id *taken;
    size_t ntaken;
} jp_config;

/* Without --errors, how many rejections are told on stderr before only a
 * count is given at the end. */
#define JP_TEXT_ERRORS_SHOWN 20

/* What happened, for --stats and the exit status. */
typedef struct jp_totals {
    uint64_t records_in, records_out, rejected, dropped, blank_lines;
    uint64_t bytes_in, bytes_out;
    uint64_t files;            /* files of split output written */
    uint64_t hidden_messages;  /* rejections not shown on stderr */
    jp_stage_counts *stages;   /* nstages entries, stage 0 is parse */
    int nstages;
    int threads;               /* worker threads the run had (-j, or fewer if one failed) */
    int input_errors;          /* inputs that could not be opened or read */
    int output_error;          /* a write failed (not a closed pipe) */
    int output_closed;         /* the reader of the output went away */
    int signal;                /* the signal that stopped the run, or 0 */
    double seconds;
} jp_totals;

/* Runs, writing to the outputs jp_outputs_open opened. totals->stages is
 * allocated here; the caller frees it. */
void jp_engine_run(const jp_config *cfg, const jp_chain *chain, jp_totals *totals);

/* The records a run had, which a --max-rejects percentage is taken of: the
 * lines read (records_in), or the records that came of them where
 * --explode made more (written, rejected and dropped). */
uint64_t jp_engine_records(const jp_totals *t);

/* The exit status documented in jsonpipe(1) for a run with these totals:
 * rejections fail it only beyond the budget, of jp_engine_records. */
int jp_engine_exit_status(const jp_totals *t, const jp_budget *budget);

#endif
