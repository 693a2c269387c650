/* linemark.h: line numbers that are learnt after a batch was framed.
 *
 * The windows of a mapped file (filemap.h) go to the pool without their
 * lines counted: counting them on the way there was a pass over every byte
 * by a thread that is not a worker, which took CPU from the workers once
 * each CPU ran one. A mark stands for the number of lines of the file
 * before some point: the framer makes one for the end of each window, a
 * segment framed after it numbers its lines from it, and the worker of the
 * window sets it. That worker walks its lines anyway, so it numbers its
 * error records from its segment's mark as if it were 0, and puts them
 * right when the walk is done: it waits for the mark then, and sets its
 * own from the walk's count (chain.c). Some chains need the numbers
 * during the walk (jp_chain.lines_first): then the worker counts its
 * lines in a pass first, and waits for its mark before it starts.
 * Either way a wait ends: the pool takes batches in the order they were
 * framed, so the batch that sets a mark has always been started before
 * the one waiting for it.
 *
 * Marks are shared by the loop thread and the workers, and counted by
 * reference: the framer holds the latest, each segment and batch that
 * names one holds its own. */
#ifndef JP_LINEMARK_H
#define JP_LINEMARK_H

#include <stdint.h>

typedef struct jp_line_mark jp_line_mark;

/* A mark not yet set, with one reference. */
jp_line_mark *jp_line_mark_new(void);
jp_line_mark *jp_line_mark_ref(jp_line_mark *m);
/* Drops a reference; m may be NULL. */
void jp_line_mark_unref(jp_line_mark *m);

/* Sets m to lines and wakes whoever waits for it. Once only. unsure: the
 * count was taken from bytes that were not all the file's (a window that a
 * shrink or a failed read reached, filemap.h), or from such a mark. */
void jp_line_mark_set(jp_line_mark *m, uint64_t lines, int unsure);

/* The lines m stands for, once it is set: returns 0, or 1 when it was set
 * unsure. While it is not set, the wait stops to ask give_up(), which
 * returns non-zero when it never will be (the run was cancelled and the
 * batch that sets it is not run): then -1. */
int jp_line_mark_wait(jp_line_mark *m, int (*give_up)(void), uint64_t *lines);

#endif
