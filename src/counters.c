/* counters.c: reports in the Hadoop Streaming reporter protocol (see
 * counters.h). */
#include "counters.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define GROUP "jsonpipe"
#define INTERVAL_MAX_MS 86400000

static const char *const names[JP_COUNTERS] = {"records_in", "records_out", "rejected",
                                               "dropped",    "bytes_in",    "bytes_out"};

int jp_counters_format_known(const char *s)
{
    return strcmp(s, "hadoop") == 0;
}

int jp_counters_interval(const char *env, uint64_t *ms)
{
    if (!env || !*env) {
        *ms = JP_COUNTERS_INTERVAL_MS;
        return 0;
    }
    char *end;
    errno = 0;
    long long v = strtoll(env, &end, 10);
    if (errno || *end || *env < '0' || *env > '9' || v < 1 || v > INTERVAL_MAX_MS)
        return -1;
    *ms = (uint64_t)v;
    return 0;
}

void jp_counters_init(jp_counters *c, int fd, uint64_t interval_ms)
{
    memset(c, 0, sizeof *c);
    c->watch = (jp_watch){jp_counters_report, c, interval_ms};
    c->fd = fd;
}

void jp_counters_format(jp_counters *c, const jp_totals *now, int last, jp_buf *out)
{
    const uint64_t values[JP_COUNTERS] = {now->records_in, now->records_out, now->rejected,
                                          now->dropped,    now->bytes_in,    now->bytes_out};
    for (int i = 0; i < JP_COUNTERS; i++) {
        /* Signed: should a count ever go back, the sum still comes out right. */
        int64_t delta = (int64_t)(values[i] - c->sent[i]);
        if (delta == 0 && !last)
            continue;
        jp_buf_printf(out, "reporter:counter:" GROUP ",%s,%" PRId64 "\n", names[i], delta);
        c->sent[i] = values[i];
    }
    jp_buf_printf(out,
                  "reporter:status:jsonpipe: %" PRIu64 " records in, %" PRIu64 " out, %" PRIu64
                  " rejected\n",
                  now->records_in, now->records_out, now->rejected);
}

void jp_counters_report(void *ctx, const jp_totals *now, int last)
{
    jp_counters *c = ctx;
    jp_buf b = {0};
    jp_counters_format(c, now, last, &b);
    /* Waits out a stderr left non-blocking by whoever started us: a lost
     * report would leave the job's sums short. A failed write leaves only
     * the report: the run itself goes on. */
    (void)jp_write_all(c->fd, b.data, b.len);
    jp_buf_free(&b);
}
