/* timestamp.c: --timestamp FIELD[=FORMAT] sets FIELD to the time the record
 * is processed, as the run's clock tells it (clock.h: --now fixes it):
 * rfc3339 (default; UTC with milliseconds, a string), epoch
 * (seconds with a fraction, a number) or epoch_ms (an integer). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "clock.h"
#include "processor.h"

enum format { RFC3339, EPOCH, EPOCH_MS };

typedef struct timestamp {
    int field;
    enum format format;
} timestamp;

/* The text for the current millisecond, per thread: many records share it. */
typedef struct timestamp_local {
    int64_t ms;
    char out[48];
    int n;
} timestamp_local;

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

/* Year, month and day of a count of days since 1970-01-01 (H. Hinnant's
 * civil_from_days). gmtime_r would do, but it takes glibc's time zone lock,
 * which the worker threads would queue on. */
static void civil(int64_t days, int *y, int *m, int *d)
{
    days += 719468;
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    int64_t doe = days - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static void format(const timestamp *self, const struct timespec *ts, timestamp_local *l)
{
    long ms = ts->tv_nsec / 1000000;
    if (self->format == RFC3339) {
        int64_t days = ts->tv_sec / 86400, rest = ts->tv_sec % 86400;
        int y, mo, d;
        civil(days, &y, &mo, &d);
        l->n = snprintf(l->out, sizeof l->out, "\"%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ\"", y, mo,
                        d, (int)(rest / 3600), (int)(rest / 60 % 60), (int)(rest % 60), ms);
    } else if (self->format == EPOCH) {
        l->n = snprintf(l->out, sizeof l->out, "%lld.%06ld", (long long)ts->tv_sec,
                        ts->tv_nsec / 1000);
    } else {
        l->n = snprintf(l->out, sizeof l->out, "%lld", (long long)ts->tv_sec * 1000 + ms);
    }
    l->ms = (int64_t)ts->tv_sec * 1000 + ms;
}

static jp_verdict timestamp_process(const void *arg, void *local, jp_record *rec)
{
    const timestamp *self = arg;
    timestamp_local *l = local;
    struct timespec ts;
    jp_clock_now(&ts);
    /* epoch has microseconds: it cannot be kept for a millisecond. */
    if (self->format == EPOCH || (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 != l->ms)
        format(self, &ts, l);
    if (jp_record_set(rec, self->field, l->out, (size_t)l->n) < 0)
        return JP_REJECT;
    return JP_MODIFIED;
}

static void *timestamp_local_new(const void *self)
{
    timestamp_local *l = jp_xcalloc(1, sizeof *l);
    l->ms = -1;
    return l;
}

static void timestamp_free(void *p)
{
    free(p);
}

const jp_processor_type jp_timestamp_processor = {
    .name = "timestamp",
    .metavar = "FIELD[=FMT]",
    .help = "add the processing time: rfc3339, epoch, epoch_ms",
    .group = "enrich",
    .example = "--timestamp ingested_at=epoch_ms",
    .cpu_heavy = 0,
    .create = timestamp_create,
    .local_new = timestamp_local_new,
    .local_free = timestamp_free,
    .process = timestamp_process,
    .destroy = timestamp_free,
};
