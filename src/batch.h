/* batch.h: a run of whole input lines, the unit of parallel work.
 *
 * A batch may hold the lines of several inputs, one after another: each
 * input's part is a segment, which names the input and the number and
 * offset of its first line, so every line keeps its own provenance. A line
 * never runs across the start of a segment.
 *
 * The framer (loop thread) fills in[] and hands the batch to the pool; one
 * worker owns it while it runs the chain, fills out[] and err[], and frees
 * in[]; the writer (loop thread) writes it in sequence order and frees it.
 * A batch is never touched by two threads at once. */
#ifndef JP_BATCH_H
#define JP_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* A line longer than --max-line inside a batch: in[at..] holds its first
 * bytes (up to JP_LONG_LINE_KEEP) and then its '\n'. */
typedef struct jp_long_line {
    size_t at;
    uint64_t len; /* its length in the input, '\n' not counted */
} jp_long_line;

/* Counts of one stage (parse, then each processor) over one batch. */
typedef struct jp_stage_counts {
    uint64_t in, out, rejected, dropped;
    double seconds;
} jp_stage_counts;

/* Split output (-o or -e with a template): the bytes of out (or err) that
 * go to one file, and the records they hold. */
typedef struct jp_part {
    size_t name_at, name_len; /* the file's name, in the parts' names */
    size_t at, len;           /* its bytes */
    uint64_t records;
} jp_part;

/* A batch's parts, in order of each file's first record in the batch. */
typedef struct jp_parts {
    jp_part *v;
    size_t n, cap;
    jp_buf names;
} jp_parts;

struct jp_line_mark;

/* The part of a batch from in[at] up to the next segment's at (or the end)
 * that comes from one input. */
typedef struct jp_segment {
    size_t at;
    const char *file;      /* input name for messages; outlives the batch */
    uint64_t first_line;   /* lines of the input before in[at] */
    uint64_t first_offset; /* input byte offset of in[at] */
    /* Non-NULL until jp_batch_resolve: first_line counts from the lines
     * this mark stands for (linemark.h), which a worker learns. */
    struct jp_line_mark *mark;
} jp_segment;

typedef struct jp_batch {
    uint64_t seq;          /* position in the output order */
    char *in;              /* whole lines; only an input's last may lack '\n' */
    size_t in_len, in_cap;
    /* When in lies in a mapped region of a file (filemap.h): the batch
     * holds a reference, dropped where in would be freed. */
    struct jp_filemap *region;
    /* Set by the worker when in was not the file's bytes as it parsed them
     * (the file shrank): out and err are then empty, and the loop tells. */
    int lost;
    /* In order of at; the first at 0. Freed with the batch. */
    jp_segment *segs;
    size_t nsegs, segs_cap;
    /* The lines longer than --max-line, in input order: in[] holds just
     * the start of each, the rest was never kept. */
    jp_long_line *longs;
    size_t nlongs, longs_cap;
    /* Non-NULL when the framer did not count the lines (a mapped window,
     * which ends at a line's end): the worker sets it to the lines of the
     * last segment's input before in[in_len], for the segments framed
     * after. */
    struct jp_line_mark *end_mark;

    jp_buf out;            /* records to write, each ending in '\n' (CSV, TSV: rows) */
    jp_buf err;            /* error records or messages, one per line */
    /* With split output, where out's (err's) bytes go; unused otherwise. */
    jp_parts out_parts, err_parts;
    uint64_t records_in, records_out, rejected, dropped;
    uint64_t blank_lines;  /* skipped: empty or only spaces and tabs */
    jp_stage_counts *stages; /* one per stage, filled by the worker */
    int nstages;
    int cancelled;         /* the run was stopped: out and err are not to be written */

    struct jp_batch *next; /* link in whichever queue holds the batch */
} jp_batch;

jp_batch *jp_batch_new(size_t cap);
/* A batch of the len bytes at in, which lie in region m; it takes over a
 * reference to m. */
struct jp_filemap;
jp_batch *jp_batch_mapped(struct jp_filemap *m, const char *in, size_t len);
void jp_batch_free(jp_batch *b);

/* Records that an over-long line of len bytes starts at in[at]. */
void jp_batch_add_long(jp_batch *b, size_t at, uint64_t len);
/* Records that in[at..] comes from file, starting at that line (counted
 * from mark, unless it is NULL; the segment takes a reference) and offset. */
void jp_batch_add_segment(jp_batch *b, size_t at, const char *file, uint64_t first_line,
                          uint64_t first_offset, struct jp_line_mark *mark);

/* Numbering the lines of a batch with marks, on its worker (linemark.h).
 * Whether any segment counts from a mark, or the batch has an end_mark. */
int jp_batch_marked(const jp_batch *b);
/* The lines of the last segment: a pass over its bytes. */
uint64_t jp_batch_count_last(const jp_batch *b);
/* Waits for every segment's mark and adds what it stands for to the
 * segment's first_line; added[i], unless added is NULL, gets what was
 * added to segment i. Returns -1 when a mark will never be set
 * (give_up()). A mapped batch numbered from an unsure mark is lost: a
 * window before it was, and the lines from there on are not processed,
 * as its message says (engine.c). */
int jp_batch_resolve(jp_batch *b, int (*give_up)(void), uint64_t *added);
/* After jp_batch_resolve, and after every byte was read: sets the
 * end_mark, if there is one, from the lines of the last segment, unsure
 * when the batch is lost, which it is also when its bytes were not the
 * file's (jp_filemap_intact). */
void jp_batch_set_end(jp_batch *b, uint64_t last_lines);
/* Appends a part named name[0..len) to p and returns it. */
jp_part *jp_parts_add(jp_parts *p, const char *name, size_t len);
void jp_parts_free(jp_parts *p);

/* Frees in[] and its over-long lines, once its lines are done; the
 * segments stay, for messages about the batch. */
void jp_batch_free_in(jp_batch *b);

/* One line of a batch, its '\r\n' or '\n' stripped. */
typedef struct jp_line {
    const char *data;
    size_t len;
    const char *file;  /* the input it comes from */
    size_t seg;        /* the batch's segment it is in */
    uint64_t number;   /* 1-based, counted from the segment's mark if it has one */
    uint64_t offset;   /* input byte offset of its first byte */
    uint64_t long_len; /* non-zero: an over-long line this long, data its start */
} jp_line;

/* Where a walk through a batch's lines stands; start it zeroed. */
typedef struct jp_line_iter {
    size_t pos;
    size_t seg;       /* the segment pos is in */
    uint64_t count;   /* lines of that segment given so far */
    size_t nlong;     /* over-long lines of the batch given so far */
    uint64_t skipped; /* input bytes of the segment's ones that were not kept */
} jp_line_iter;

/* Steps through the lines of b. Returns 0 at the end. */
int jp_batch_next_line(const jp_batch *b, jp_line_iter *it, jp_line *line);

#endif
