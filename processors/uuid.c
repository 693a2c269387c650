/* uuid.c: --uuid FIELD sets FIELD to a new UUIDv7 (RFC 9562): 48 bits of
 * Unix time in milliseconds, then random bits. Within one worker thread the
 * 12-bit rand_a field is a counter (RFC 9562 6.2, method 1), so the UUIDs a
 * thread makes in one millisecond still sort in the order they were made.
 * Random bits come from getrandom(2), fetched 4 KiB at a time per thread. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>
#include <time.h>

#include "processor.h"

typedef struct uuid_local {
    unsigned char pool[4096];
    size_t used;
    uint64_t last_ms;
    unsigned counter;
} uuid_local;

static void *uuid_create(const char *arg, jp_setup *setup, char *err, size_t errlen)
{
    int *field = jp_xmalloc(sizeof *field);
    *field = jp_fields_add(setup->fields, arg, strlen(arg), err, errlen);
    if (*field < 0) {
        free(field);
        return NULL;
    }
    return field;
}

static void *uuid_local_new(const void *self)
{
    uuid_local *l = jp_xcalloc(1, sizeof *l);
    l->used = sizeof l->pool;
    return l;
}

static void random_bytes(uuid_local *l, unsigned char *out, size_t n)
{
    if (l->used + n > sizeof l->pool) {
        size_t got = 0;
        while (got < sizeof l->pool) {
            ssize_t r = getrandom(l->pool + got, sizeof l->pool - got, 0);
            if (r > 0)
                got += (size_t)r;
        }
        l->used = 0;
    }
    memcpy(out, l->pool + l->used, n);
    l->used += n;
}

static jp_verdict uuid_process(const void *arg, void *local, jp_record *rec)
{
    const int *field = arg;
    uuid_local *l = local;
    unsigned char b[16];
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t ms = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
    random_bytes(l, b + 6, 10);
    if (ms <= l->last_ms) {
        /* Same millisecond (or the clock stepped back): count up; when the
         * counter runs out, borrow the next millisecond. */
        ms = l->last_ms;
        if (++l->counter > 0xFFF) {
            ms++;
            l->counter = 0;
        }
    } else {
        l->counter = (unsigned)(b[6] & 0x07) << 8 | b[7]; /* random start, room to count */
    }
    l->last_ms = ms;

    for (int i = 0; i < 6; i++)
        b[i] = (unsigned char)(ms >> (40 - 8 * i));
    b[6] = (unsigned char)(0x70 | (l->counter >> 8));
    b[7] = (unsigned char)l->counter;
    b[8] = (unsigned char)(0x80 | (b[8] & 0x3F));

    static const char hex[] = "0123456789abcdef";
    char out[40], *p = out;
    *p++ = '"';
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            *p++ = '-';
        *p++ = hex[b[i] >> 4];
        *p++ = hex[b[i] & 15];
    }
    *p++ = '"';
    if (jp_record_set(rec, *field, out, (size_t)(p - out)) < 0)
        return JP_REJECT;
    return JP_MODIFIED;
}

static void uuid_free(void *p)
{
    free(p);
}

const jp_processor_type jp_uuid_processor = {
    .name = "uuid",
    .metavar = "FIELD",
    .help = "set a new time-ordered UUIDv7",
    .group = "enrich",
    .example = "--uuid event_id",
    .cpu_heavy = 0,
    .create = uuid_create,
    .local_new = uuid_local_new,
    .local_free = uuid_free,
    .process = uuid_process,
    .destroy = uuid_free,
};
