/* counters.h: --counters hadoop, the Hadoop Streaming reporter protocol.
 *
 * A Hadoop Streaming task reads lines of its child's standard error that
 * start with "reporter:": "reporter:counter:GROUP,NAME,AMOUNT" adds AMOUNT
 * to a counter of the job, and "reporter:status:TEXT" sets the task's
 * status and tells the framework it is alive. Since a counter line adds,
 * every report carries what changed since the one before: the lines of a
 * run sum to its totals, the numbers --stats prints. A periodic report
 * leaves out the counters that did not change; the last one names all six,
 * zero or not, so a job always shows them. Each report ends with a status
 * line and is written with one write(2), so its lines never mix with other
 * lines on standard error. The engine calls jp_counters_report through its
 * watch hook (engine.h), on the loop thread. */
#ifndef JP_COUNTERS_H
#define JP_COUNTERS_H

#include <stdint.h>

#include "buf.h"
#include "engine.h"

/* The counters, in the order a report gives them. */
enum { JP_COUNTER_RECORDS_IN, JP_COUNTER_RECORDS_OUT, JP_COUNTER_REJECTED, JP_COUNTER_DROPPED,
       JP_COUNTER_BYTES_IN, JP_COUNTER_BYTES_OUT, JP_COUNTERS };

#define JP_COUNTERS_INTERVAL_MS 5000

typedef struct jp_counters {
    jp_watch watch;               /* what the engine calls; ctx is this */
    int fd;                       /* where reports go */
    uint64_t sent[JP_COUNTERS];   /* the sum of the amounts reported so far */
} jp_counters;

/* Whether s names a counters protocol: only "hadoop" does. */
int jp_counters_format_known(const char *s);

/* The interval between reports from the environment's value env (NULL or
 * empty: JP_COUNTERS_INTERVAL_MS): milliseconds, 1 to 86400000. Returns 0,
 * or -1 when env is not such a number. */
int jp_counters_interval(const char *env, uint64_t *ms);

/* Ready to report to fd every interval_ms. */
void jp_counters_init(jp_counters *c, int fd, uint64_t interval_ms);

/* Appends the report for totals now to out and counts its amounts as sent;
 * last asks for the final report. */
void jp_counters_format(jp_counters *c, const jp_totals *now, int last, jp_buf *out);

/* The watch hook: formats a report and writes it to c->fd. */
void jp_counters_report(void *ctx, const jp_totals *now, int last);

#endif
