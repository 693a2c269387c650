/* header.h: fixing the run's columns, and placing its header row, by the
 * first records in output order.
 *
 * Batches run at once on several threads, and the batch that holds the
 * first row may finish after later ones. So a worker that comes to a row
 * asks jp_header_columns, which waits, while it must, until every batch
 * before it has ended (jp_header_done): then it knows whether it is first.
 * Columns taken from the first record that is an object are fixed as soon
 * as that record comes; which batch holds the header row is known when the
 * batch that holds the first row ends, so that a row taken back (a line
 * over its fan-out cap, chain.c) takes back the header with it. The output
 * has a header row exactly when it has a row. Once the columns are fixed
 * and the header row placed (or none is wanted), nothing waits or locks.
 *
 * With columns given at start-up (jp_header_new(cols, ...)) nothing waits
 * for the columns, but the same order still tells which batch holds the
 * header row. */
#ifndef JP_HEADER_H
#define JP_HEADER_H

#include <stddef.h>
#include <stdint.h>

#include "format.h"

typedef struct jp_header jp_header;

/* cols: the columns fixed at start-up (the header takes them), or NULL to
 * take them from the first record that is an object. header_row: whether a
 * header row is written (--no-header: not). */
jp_header *jp_header_new(jp_columns *cols, int header_row);
void jp_header_free(jp_header *h);

/* For a record of batch seq (rec: its final bytes), the run's columns, or
 * NULL when there are none yet and rec cannot fix them (not an object), or
 * the run is stopped. *first is set when no batch before seq holds the
 * header row: the batch's first row goes after it. Worker threads. */
const jp_columns *jp_header_columns(jp_header *h, uint64_t seq, const char *rec, size_t len,
                                    int *first);

/* Batch seq is done; carried: its output holds the header row. Every
 * batch calls this at its end, or later batches wait. */
void jp_header_done(jp_header *h, uint64_t seq, int carried);

/* The columns once fixed, else NULL. Any thread. */
const jp_columns *jp_header_fixed(jp_header *h);

/* The record rec of batch seq as a row appended to out (jp_format_row),
 * after the header row when jp_header_columns says so and the batch's out
 * does not hold it yet: *header_end is where it ends in out, 0 while it is
 * not there (the caller zeroes it for each batch, and again if it takes the
 * header back). Returns 1 when the row is written, 0 when the run is
 * stopped (nothing written), -1 with out unchanged and a reason in why. */
int jp_header_row(jp_header *h, const jp_format *f, uint64_t seq, const char *rec, size_t len,
                  jp_format_scratch *s, jp_buf *out, size_t *header_end, char *why,
                  size_t whylen);

#endif
