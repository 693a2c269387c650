/* progress.h: the live progress line on standard error, like pv's.
 *
 * Shown with --progress, or by default when standard error is a terminal
 * and standard output is not (records on the same screen would tear it).
 * A timer on the engine's loop redraws one line twice a second: bytes and
 * records done, the rate, the rejections and, when every input is a regular
 * file, percent and ETA by the bytes taken from the files (compressed bytes
 * for compressed inputs). The line is drawn with '\r' and erased with the
 * ANSI erase-line sequence; anything else written to standard error while
 * it is up must erase it first (jp_progress_clear). Loop thread only. */
#ifndef JP_PROGRESS_H
#define JP_PROGRESS_H

#include <stdint.h>
#include <uv.h>

/* What the line reports, read at every redraw. */
typedef struct jp_progress_counts {
    const uint64_t *position; /* bytes taken from the input files */
    const uint64_t *records;  /* records done (written, rejected or dropped) */
    const uint64_t *rejected;
} jp_progress_counts;

typedef struct jp_progress {
    uv_timer_t timer;
    jp_progress_counts counts;
    uint64_t total;   /* bytes of all the inputs, 0 when some size is unknown */
    uint64_t start;   /* uv_hrtime() at the start */
    int shown;        /* a line is on the screen */
    int held;         /* something else is writing to standard error */
    int active;
} jp_progress;

/* Whether the line is wanted: mode is 1 (--progress), 0 (--no-progress) or
 * -1 (automatic); to_stdout tells whether records go to standard output. */
int jp_progress_wanted(int mode, int to_stdout);

/* Starts the timer on loop; inputs (NULL-terminated count n, "-" is stdin)
 * give the total size when all are regular files. */
void jp_progress_start(jp_progress *p, uv_loop_t *loop, char *const *inputs, int n,
                       const jp_progress_counts *counts);
/* Erases the line, if shown; it comes back at the next redraw. */
void jp_progress_clear(jp_progress *p);
/* While held, the line is erased and not redrawn. */
void jp_progress_hold(jp_progress *p, int held);
/* Erases the line for good and closes the timer. */
void jp_progress_stop(jp_progress *p);

#endif
