/* timestamp.c: --timestamp FIELD[=FORMAT] sets FIELD to the time the record
 * is processed: rfc3339 (default; UTC with milliseconds, a string), epoch
 * (seconds with a fraction, a number) or epoch_ms (an integer). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "processor.h"

enum format { RFC3339, EPOCH, EPOCH_MS };

typedef struct timestamp {
    int field;
    enum format format;
} timestamp;

static void *timestamp_create(const char *arg, jp_setup *setup, char *err, size_t errlen)
{
    static const char *const names[] = {"rfc3339", "epoch", "epoch_ms"};
    size_t eq = jp_fields_find_unescaped(arg, '=');
    timestamp *self = jp_xcalloc(1, sizeof *self);
    self->format = RFC3339;
    if (arg[eq]) {
        int found = 0;
        for (int i = 0; i < 3; i++)
            if (strcmp(arg + eq + 1, names[i]) == 0) {
                self->format = (enum format)i;
                found = 1;
            }
        if (!found) {
            snprintf(err, errlen, "unknown format \"%s\" (rfc3339, epoch, epoch_ms)", arg + eq + 1);
            free(self);
            return NULL;
        }
    }
    self->field = jp_fields_add(setup->fields, arg, eq, err, errlen);
    if (self->field < 0) {
        free(self);
        return NULL;
    }
    return self;
}

static jp_verdict timestamp_process(const void *arg, void *local, jp_record *rec)
{
    const timestamp *self = arg;
    struct timespec ts;
    char out[48];
    int n;
    clock_gettime(CLOCK_REALTIME, &ts);
    long ms = ts.tv_nsec / 1000000;
    if (self->format == RFC3339) {
        struct tm tm;
        gmtime_r(&ts.tv_sec, &tm);
        n = snprintf(out, sizeof out, "\"%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ\"", tm.tm_year + 1900,
                     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
    } else if (self->format == EPOCH) {
        n = snprintf(out, sizeof out, "%lld.%06ld", (long long)ts.tv_sec, ts.tv_nsec / 1000);
    } else {
        n = snprintf(out, sizeof out, "%lld", (long long)ts.tv_sec * 1000 + ms);
    }
    if (jp_record_set(rec, self->field, out, (size_t)n) < 0)
        return JP_REJECT;
    return JP_MODIFIED;
}

static void timestamp_destroy(void *self)
{
    free(self);
}

const jp_processor_type jp_timestamp_processor = {
    .name = "timestamp",
    .metavar = "FIELD[=FORMAT]",
    .help = "set the processing time (rfc3339, epoch, epoch_ms)",
    .group = "enrich",
    .cpu_heavy = 0,
    .create = timestamp_create,
    .process = timestamp_process,
    .destroy = timestamp_destroy,
};
