/* route.c: noting each record's file, and gathering a batch into parts. */
#include "route.h"

#include <stdint.h>
#include <stdlib.h>

#include "encoder.h"
#include "hset.h"

/* A record of the batch: its bytes and the part they go to. */
typedef struct entry {
    size_t at, len;
    uint32_t part;
} entry;

/* What one destination (records or errors) of the batch under way holds. */
typedef struct dest_state {
    entry *entries;
    size_t n, cap;
    /* The batch's file names to their parts: an open-addressed table of
     * part indices + 1 (0: empty), twice as large as the parts at most. */
    uint32_t *slots;
    size_t nslots;
    size_t parts;     /* parts the table holds */
} dest_state;

struct jp_route_local {
    const jp_route *route;
    dest_state dest[2];
    jp_buf name, scratch;
    jp_buf gathered;   /* a batch's bytes in file order, swapped with out/err */
    jp_encoder *encoders[2]; /* gzip, zstd: made when first needed */
    int levels[2];
};

jp_route_local *jp_route_local_new(const jp_route *r)
{
    static const jp_route plain; /* one destination each, uncompressed */
    jp_route_local *l = jp_xcalloc(1, sizeof *l);
    l->route = r ? r : &plain;
    return l;
}

void jp_route_local_free(jp_route_local *l)
{
    if (!l)
        return;
    for (int i = 0; i < 2; i++) {
        free(l->dest[i].entries);
        free(l->dest[i].slots);
        jp_encoder_free(l->encoders[i]);
    }
    jp_buf_free(&l->name);
    jp_buf_free(&l->scratch);
    jp_buf_free(&l->gathered);
    free(l);
}

static void grow_slots(dest_state *d, const jp_parts *parts)
{
    size_t n = d->nslots ? 2 * d->nslots : 64;
    free(d->slots);
    d->slots = jp_xcalloc(n, sizeof *d->slots);
    d->nslots = n;
    for (size_t i = 0; i < parts->n; i++) {
        const jp_part *p = &parts->v[i];
        size_t at = jp_hash_bytes(parts->names.data + p->name_at, p->name_len, 0) & (n - 1);
        while (d->slots[at])
            at = (at + 1) & (n - 1);
        d->slots[at] = (uint32_t)i + 1;
    }
}

/* The part of the file called name, added when new. */
static uint32_t part_for(dest_state *d, jp_parts *parts, const char *name, size_t len)
{
    if (2 * (parts->n + 1) > d->nslots)
        grow_slots(d, parts);
    size_t at = jp_hash_bytes(name, len, 0) & (d->nslots - 1);
    for (; d->slots[at]; at = (at + 1) & (d->nslots - 1)) {
        const jp_part *p = &parts->v[d->slots[at] - 1];
        if (p->name_len == len && memcmp(parts->names.data + p->name_at, name, len) == 0)
            return d->slots[at] - 1;
    }
    jp_parts_add(parts, name, len);
    d->slots[at] = (uint32_t)parts->n;
    return (uint32_t)parts->n - 1;
}

static void note(jp_route_local *l, int which, jp_parts *parts, const char *json, size_t json_len,
                 jp_record *rec, size_t at, size_t end)
{
    dest_state *d = &l->dest[which];
    l->name.len = 0;
    jp_template_render(l->route->dest[which].split, json, json_len, rec, &l->name, &l->scratch);
    uint32_t part = part_for(d, parts, l->name.data, l->name.len);
    if (d->n == d->cap) {
        d->cap = d->cap ? 2 * d->cap : 256;
        d->entries = jp_xrealloc(d->entries, d->cap * sizeof *d->entries);
    }
    d->entries[d->n++] = (entry){at, end - at, part};
}

void jp_route_record(jp_route_local *l, jp_batch *b, const char *bytes, size_t len,
                     jp_record *rec, size_t at)
{
    if (l->route->dest[0].split)
        note(l, 0, &b->out_parts, bytes, len, rec, at, b->out.len);
}

void jp_route_error(jp_route_local *l, jp_batch *b, size_t at, size_t end)
{
    /* The template takes its values from the error record itself, less
     * its newline. */
    if (l->route->dest[1].split)
        note(l, 1, &b->err_parts, b->err.data + at, end - at - 1, NULL, at, end);
}

void jp_route_rollback(jp_route_local *l, const jp_batch *b)
{
    size_t ends[2] = {b->out.len, b->err.len};
    for (int i = 0; i < 2; i++) {
        dest_state *d = &l->dest[i];
        while (d->n && d->entries[d->n - 1].at >= ends[i])
            d->n--;
    }
}

static jp_encoder *encoder_for(jp_route_local *l, jp_codec codec, int level)
{
    int k = codec == JP_CODEC_GZIP ? 0 : 1;
    if (l->encoders[k] && l->levels[k] != level) {
        jp_encoder_free(l->encoders[k]);
        l->encoders[k] = NULL;
    }
    if (!l->encoders[k]) {
        l->encoders[k] = jp_encoder_new(codec, level);
        l->levels[k] = level;
    }
    return l->encoders[k];
}

/* Puts bytes's records file by file, each part's in input order. */
static void gather(jp_route_local *l, dest_state *d, jp_parts *parts, jp_buf *bytes)
{
    for (size_t i = 0; i < parts->n; i++)
        parts->v[i].len = parts->v[i].records = 0;
    for (size_t i = 0; i < d->n; i++) {
        parts->v[d->entries[i].part].len += d->entries[i].len;
        parts->v[d->entries[i].part].records++;
    }
    size_t at = 0;
    for (size_t i = 0; i < parts->n; i++) {
        parts->v[i].at = at;
        at += parts->v[i].len;
    }
    jp_buf *g = &l->gathered;
    g->len = 0;
    jp_buf_reserve(g, at);
    g->len = at;
    /* A second pass puts each entry after those of its part before it:
     * the parts' lengths count up again as they fill. */
    for (size_t i = 0; i < parts->n; i++)
        parts->v[i].len = 0;
    for (size_t i = 0; i < d->n; i++) {
        jp_part *p = &parts->v[d->entries[i].part];
        memcpy(g->data + p->at + p->len, bytes->data + d->entries[i].at, d->entries[i].len);
        p->len += d->entries[i].len;
    }
    jp_buf tmp = *bytes;
    *bytes = *g;
    *g = tmp;
}

/* The codec and level of part p's file: --compress's, else its name's. */
static jp_codec part_codec(jp_route_local *l, const jp_route_dest *rd, const jp_parts *parts,
                           const jp_part *p, int *level)
{
    *level = rd->level;
    if (rd->forced)
        return rd->codec;
    l->name.len = 0;
    jp_buf_append(&l->name, parts->names.data + p->name_at, p->name_len);
    jp_buf_putc(&l->name, '\0');
    jp_codec codec = jp_codec_for_name(l->name.data);
    *level = jp_codec_default_level(codec);
    return codec;
}

/* Compresses each part that its file's name (or --compress) asks for. */
static void compress_parts(jp_route_local *l, const jp_route_dest *rd, jp_parts *parts,
                           jp_buf *bytes)
{
    size_t first = 0;
    int level;
    while (first < parts->n &&
           part_codec(l, rd, parts, &parts->v[first], &level) == JP_CODEC_PLAIN)
        first++;
    if (first == parts->n)
        return;
    jp_buf *g = &l->gathered;
    g->len = 0;
    jp_buf_append(g, bytes->data, first ? parts->v[first].at : 0);
    for (size_t i = first; i < parts->n; i++) {
        jp_part *p = &parts->v[i];
        jp_codec codec = part_codec(l, rd, parts, p, &level);
        size_t at = g->len;
        if (codec == JP_CODEC_PLAIN)
            jp_buf_append(g, bytes->data + p->at, p->len);
        else
            jp_encoder_append(encoder_for(l, codec, level), bytes->data + p->at, p->len, g);
        p->at = at;
        p->len = g->len - at;
    }
    jp_buf tmp = *bytes;
    *bytes = *g;
    *g = tmp;
}

void jp_route_preface(void *route, const char *path, jp_buf *out)
{
    const jp_route *r = route;
    const jp_columns *cols = r->header && r->format->header ? jp_header_fixed(r->header) : NULL;
    if (!cols)
        return;
    jp_buf row = {0};
    jp_format_header(r->format, cols, &row);
    const jp_route_dest *rd = &r->dest[0];
    jp_codec codec = rd->forced ? rd->codec : jp_codec_for_name(path);
    if (codec == JP_CODEC_PLAIN) {
        jp_buf_append(out, row.data, row.len);
    } else {
        jp_encoder *e = jp_encoder_new(codec, rd->forced ? rd->level : jp_codec_default_level(codec));
        jp_encoder_append(e, row.data, row.len, out);
        jp_encoder_free(e);
    }
    jp_buf_free(&row);
}

void jp_route_finish(jp_route_local *l, jp_batch *b)
{
    jp_buf *bytes[2] = {&b->out, &b->err};
    jp_parts *parts[2] = {&b->out_parts, &b->err_parts};
    for (int i = 0; i < 2; i++) {
        const jp_route_dest *rd = &l->route->dest[i];
        dest_state *d = &l->dest[i];
        if (!rd->split) {
            if (rd->codec != JP_CODEC_PLAIN && bytes[i]->len)
                jp_encoder_run(encoder_for(l, rd->codec, rd->level), bytes[i], &l->gathered);
            continue;
        }
        gather(l, d, parts[i], bytes[i]);
        compress_parts(l, rd, parts[i], bytes[i]);
        d->n = 0;
        if (d->nslots)
            memset(d->slots, 0, d->nslots * sizeof *d->slots);
    }
}
