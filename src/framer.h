/* framer.h: cutting the inputs' byte streams into batches of whole lines.
 *
 * Runs on the loop thread. The reader starts each input (jp_framer_begin),
 * asks for space (jp_framer_space), reads into it, and reports how much
 * arrived (jp_framer_commit). The framer finds the newlines with memchr,
 * counts lines so every segment of a batch knows the number and offset of
 * its first line, and emits a batch when its buffer is full of whole lines,
 * on jp_framer_flush (the reader's idle timer), and when the reader is done
 * (jp_framer_finish). An input's end (jp_framer_end) does not emit: the
 * batch stays open for the next input's lines, as a new segment, so many
 * small inputs share a batch and its trip through the pool and the writer.
 * A batch's segment table takes at most an eighth of batch_size, so it
 * stays small beside its bytes. A line longer than max_line is never held
 * whole: its first bytes are kept for the error record, the rest are dropped as
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
    size_t batch_size, max_line, max_segs;
    jp_framer_emit_fn emit;
    void *ctx;
    const char *file;    /* the input being framed */

    jp_batch *cur;       /* bytes read but not emitted; NULL before any */
    size_t start;        /* cur->in[start..) are the current input's */
    uint64_t line;       /* lines of the input before cur->in[start], from mark */
    /* Since the input's first mapped window: the lines before the end of
     * the latest, which its worker counts (linemark.h). */
    struct jp_line_mark *mark;
    uint64_t offset;     /* input offset of cur->in[start] */
    size_t scanned;      /* cur->in[0..scanned) has been searched for '\n' */
    size_t cut;          /* cur->in[0..cut) are whole lines */
    uint64_t cut_lines;  /* how many of them in cur->in[start..cut) */
    uint64_t dropped;    /* input bytes of those over-long lines not kept */
    uint64_t skipping;   /* inside an over-long line: its length so far */
} jp_framer;

void jp_framer_init(jp_framer *f, size_t batch_size, size_t max_line, jp_framer_emit_fn emit,
                    void *ctx);
/* The next input, named file (which outlives its batches), starts; the
 * one before ends if it has not. When the batch has less than a quarter of
 * batch_size left, it goes first: a first read needs room. */
void jp_framer_begin(jp_framer *f, const char *file);
/* Where the next bytes of the input should go, and how many fit (never 0). */
void jp_framer_space(jp_framer *f, char **p, size_t *n);
/* n bytes were stored at the place jp_framer_space gave. */
void jp_framer_commit(jp_framer *f, size_t n);
/* Emits the whole lines held now. */
void jp_framer_flush(jp_framer *f);
/* The input ended: its last line, '\n' or not, is whole. Its lines wait in
 * the batch for the next input's (the batch goes once full). */
void jp_framer_end(jp_framer *f);
/* Ends the input and emits everything held. */
void jp_framer_finish(jp_framer *f);
/* Drops what the current input has in the batch (it is refused). */
void jp_framer_drop_input(jp_framer *f);
/* Drops what is held (the run is stopping). */
void jp_framer_discard(jp_framer *f);
/* For a file read in mapped windows (filemap.h): emits the whole lines
 * held and gives back the current input's partial line, whose length goes
 * in *n: the reader maps it again as the start of the next window. Returns
 * -1 (and changes nothing) inside an over-long line, whose rest must be
 * read to be dropped. */
int jp_framer_unread(jp_framer *f, size_t *n);
/* b (jp_batch_mapped) holds the input's next bytes, whole lines; it is
 * emitted as it is, its lines left for its worker to count. Nothing of
 * the input may be held (jp_framer_unread first), and no line in b may be
 * longer than max_line. */
void jp_framer_mapped(jp_framer *f, jp_batch *b);
/* Bytes of buffer the framer holds. */
size_t jp_framer_held(const jp_framer *f);

#endif
