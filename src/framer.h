/* framer.h: cutting one input's byte stream into batches of whole lines.
 *
 * Runs on the loop thread. The reader asks for space (jp_framer_space),
 * reads into it, and reports how much arrived (jp_framer_commit). The framer
 * finds the newlines with memchr, counts lines so every batch knows the
 * number and offset of its first line, and emits a batch when its buffer is
 * full of whole lines, on jp_framer_flush (the reader's idle timer), and at
 * the end of the input. A line longer than max_line is never held whole:
 * its first bytes are kept for the error record, the rest are dropped as
 * they arrive, and it stays in its batch among the other lines, listed in
 * the batch's longs[]. So one read emits at most two batches however many
 * over-long lines it holds (the ordering ring and --max-memory count on
 * that). Emitted batches belong to the emit callback. */
#ifndef JP_FRAMER_H
#define JP_FRAMER_H

#include <stddef.h>
#include <stdint.h>

#include "batch.h"

/* How much of an over-long line is kept for its error record. */
#define JP_LONG_LINE_KEEP 256

typedef void (*jp_framer_emit_fn)(void *ctx, jp_batch *b);

typedef struct jp_framer {
    size_t batch_size, max_line;
    jp_framer_emit_fn emit;
    void *ctx;
    const char *file;

    jp_batch *cur;       /* bytes read but not emitted; NULL before any */
    uint64_t line;       /* lines of the input before cur->in[0] */
    uint64_t offset;     /* input offset of cur->in[0] */
    size_t scanned;      /* cur->in[0..scanned) has been searched for '\n' */
    size_t cut;          /* cur->in[0..cut) are whole lines */
    uint64_t cut_lines;  /* how many */
    uint64_t dropped;    /* input bytes of cur's over-long lines not kept */
    uint64_t skipping;   /* inside an over-long line: its length so far */
} jp_framer;

void jp_framer_init(jp_framer *f, const char *file, size_t batch_size, size_t max_line,
                    jp_framer_emit_fn emit, void *ctx);
/* Where the next bytes of the input should go, and how many fit (never 0). */
void jp_framer_space(jp_framer *f, char **p, size_t *n);
/* n bytes were stored at the place jp_framer_space gave. */
void jp_framer_commit(jp_framer *f, size_t n);
/* Emits the whole lines held now. */
void jp_framer_flush(jp_framer *f);
/* The input ended: emits everything, a last line without '\n' included. */
void jp_framer_finish(jp_framer *f);
/* Drops what is held (the run is stopping). */
void jp_framer_discard(jp_framer *f);
/* Bytes of buffer the framer holds. */
size_t jp_framer_held(const jp_framer *f);

#endif
