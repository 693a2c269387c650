/* uuid.c: --uuid FIELD[=KIND] sets FIELD to a UUID (RFC 9562) of one of
 * two kinds.
 *
 * v7 (the default): a new UUIDv7: 48 bits of Unix time in milliseconds,
 * then random bits. Within one worker thread the 12-bit rand_a field is a
 * counter (RFC 9562 6.2, method 1), so the UUIDs a thread makes in one
 * millisecond still sort in the order they were made. Random bits come from
 * getrandom(2), fetched 4 KiB at a time per thread. Its time is the real
 * one even under --now: a fixed time would make ids that only look ordered.
 *
 * stable[:KEY]: a UUIDv8 that is a function of where the record came from,
 * so a run that is retried gives every record the id it had: XXH3-128 of
 * NAME NUL OFFSET NUL INDICES NUL KEY (the input's name, its line's byte
 * offset in decimal, the record's indices among the records expansions made
 * of the line, in decimal joined by '.', and KEY), big-endian, with the
 * version and variant bits set. jsonpipe(1) tells users how to reproduce it
 * with xxh128sum. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>
#include <time.h>
#include <xxhash.h>

#include "processor.h"

enum kind { V7, STABLE };

typedef struct uuid {
    int field;
    enum kind kind;
    char *key; /* STABLE: the KEY, "" when none was given */
} uuid;

typedef struct uuid_local {
    /* V7 */
    unsigned char pool[4096];
    size_t used;
    uint64_t last_ms;
    unsigned counter;
    /* STABLE: the bytes hashed for the record */
    jp_buf name;
} uuid_local;

static void uuid_destroy(void *arg)
{
    uuid *self = arg;
    free(self->key);
    free(self);
}

/* The kind after FIELD=: v7, stable or stable:KEY. Returns 0, or -1 with
 * a reason in err. */
static int read_kind(uuid *self, const char *kind, char *err, size_t errlen)
{
    static const char stable[] = "stable";
    size_t n = sizeof stable - 1;
    if (strcmp(kind, "v7") == 0) {
        self->kind = V7;
    } else if (strncmp(kind, stable, n) == 0 && (kind[n] == '\0' || kind[n] == ':')) {
        self->kind = STABLE;
        self->key = jp_xstrdup(kind[n] ? kind + n + 1 : "");
    } else {
        snprintf(err, errlen, "unknown kind \"%s\" (v7, stable, stable:KEY)", kind);
        return -1;
    }
    return 0;
}

static void *uuid_create(const char *arg, jp_setup *setup, char *err, size_t errlen)
{
    size_t eq = jp_fields_find_unescaped(arg, '=');
    uuid *self = jp_xcalloc(1, sizeof *self);
    self->kind = V7;
    if ((arg[eq] && read_kind(self, arg + eq + 1, err, errlen) < 0) ||
        (self->field = jp_fields_add(setup->fields, arg, eq, err, errlen)) < 0) {
        uuid_destroy(self);
        return NULL;
    }
    return self;
}

static void *uuid_local_new(const void *self)
{
    uuid_local *l = jp_xcalloc(1, sizeof *l);
    l->used = sizeof l->pool;
    return l;
}

static void uuid_local_free(void *arg)
{
    uuid_local *l = arg;
    jp_buf_free(&l->name);
    free(l);
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

static void make_v7(uuid_local *l, unsigned char b[16])
{
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
}

/* The bytes the stable kind hashes, into name. */
static void stable_name(jp_buf *name, const jp_source *src, const char *key)
{
    name->len = 0;
    jp_buf_puts(name, src->file);
    jp_buf_putc(name, '\0');
    jp_buf_printf(name, "%" PRIu64, src->offset);
    jp_buf_putc(name, '\0');
    for (int k = 0; k < src->nexpanded; k++) {
        if (k)
            jp_buf_putc(name, '.');
        jp_buf_printf(name, "%" PRIu64, src->expanded[k]);
    }
    jp_buf_putc(name, '\0');
    jp_buf_puts(name, key);
}

/* RFC 9562 5.8: the 128 bits are ours but for the version (8) and the
 * variant (binary 10). */
static void make_v8(const char *name, size_t len, unsigned char b[16])
{
    XXH128_canonical_t digest;
    XXH128_canonicalFromHash(&digest, XXH3_128bits(name, len));
    memcpy(b, digest.digest, 16);
    b[6] = (unsigned char)(0x80 | (b[6] & 0x0F));
    b[8] = (unsigned char)(0x80 | (b[8] & 0x3F));
}

/* The 36 characters of b in the 8-4-4-4-12 form, lowercase, and a NUL. */
static void uuid_text(const unsigned char b[16], char out[37])
{
    static const char hex[] = "0123456789abcdef";
    char *p = out;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            *p++ = '-';
        *p++ = hex[b[i] >> 4];
        *p++ = hex[b[i] & 15];
    }
    *p = '\0';
}

static jp_verdict uuid_process(const void *arg, void *local, jp_record *rec)
{
    const uuid *self = arg;
    uuid_local *l = local;
    unsigned char b[16];
    if (self->kind == STABLE) {
        stable_name(&l->name, jp_record_source(rec), self->key);
        make_v8(l->name.data, l->name.len, b);
    } else {
        make_v7(l, b);
    }
    char out[40];
    out[0] = '"';
    uuid_text(b, out + 1);
    out[37] = '"';
    if (jp_record_set(rec, self->field, out, 38) < 0)
        return JP_REJECT;
    return JP_MODIFIED;
}

const jp_processor_type jp_uuid_processor = {
    .name = "uuid",
    .metavar = "FIELD[=KIND]",
    .help = "set a UUID: v7 (new) or stable[:KEY] (reruns)",
    .group = "enrich",
    .example = "--uuid event_id",
    .cpu_heavy = 0,
    .create = uuid_create,
    .local_new = uuid_local_new,
    .local_free = uuid_local_free,
    .process = uuid_process,
    .destroy = uuid_destroy,
};
