/* stats.c: printing the totals of a run as JSON. */
#include "stats.h"

#include <inttypes.h>
#include <stdio.h>
#include <sys/resource.h>

#include "json.h"

/* The peak of this process's own memory. getrusage's ru_maxrss is not it:
 * Linux carries the peak of the process that exec'd jsonpipe over, so one
 * started by a 400 MB Python worker would report 400 MB. VmHWM is the
 * peak of this program's own address space. */
static uint64_t peak_rss_bytes(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (f) {
        char line[256];
        unsigned long long kib;
        while (fgets(line, sizeof line, f))
            if (sscanf(line, "VmHWM: %llu kB", &kib) == 1) {
                fclose(f);
                return (uint64_t)kib * 1024;
            }
        fclose(f);
    }
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) < 0)
        return 0;
    return (uint64_t)ru.ru_maxrss * 1024; /* Linux reports KiB */
}

void jp_stats_print(FILE *f, const jp_totals *t, const jp_chain *chain)
{
    jp_buf b = {0};
    jp_buf_printf(&b,
                  "{\"records_in\":%" PRIu64 ",\"records_out\":%" PRIu64
                  ",\"rejected\":%" PRIu64 ",\"dropped\":%" PRIu64 ",\"blank_lines\":%" PRIu64
                  ",\"bytes_in\":%" PRIu64
                  ",\"bytes_out\":%" PRIu64 ",\"seconds\":%.3f,\"peak_rss_bytes\":%" PRIu64
                  ",\"files\":%" PRIu64 ",\"input_errors\":%d,\"threads\":%d,\"stages\":[",
                  t->records_in, t->records_out, t->rejected, t->dropped, t->blank_lines, t->bytes_in,
                  t->bytes_out, t->seconds, peak_rss_bytes(), t->files, t->input_errors,
                  t->threads);
    for (int i = 0; i < t->nstages; i++) {
        const jp_stage_counts *s = &t->stages[i];
        const char *name = jp_chain_stage_name(chain, i);
        jp_buf_puts(&b, i ? ",{\"name\":" : "{\"name\":");
        jp_json_quote(&b, name, strlen(name));
        jp_buf_printf(&b,
                      ",\"records_in\":%" PRIu64 ",\"records_out\":%" PRIu64
                      ",\"rejected\":%" PRIu64 ",\"dropped\":%" PRIu64 ",\"cpu_seconds\":%.3f}",
                      s->in, s->out, s->rejected, s->dropped, s->seconds);
    }
    jp_buf_puts(&b, "]}\n");
    fwrite(b.data, 1, b.len, f);
    jp_buf_free(&b);
}
