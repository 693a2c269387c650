/* route.h: on the workers, where the records and error records of a batch
 * go, and their compression.
 *
 * The chain appends each record that passed every stage to the batch's out
 * and each error record to its err; with split output (a template for -o
 * or -e, template.h) it tells the route here, which notes the file each one
 * goes to. When the batch is done, jp_route_finish gathers out's (err's)
 * bytes file by file into parts (batch.h), each file's records in input
 * order, and compresses each part as its own member, by the file's suffix;
 * without split output it compresses the whole buffer, as one member. So
 * the writer and the sinks on the loop thread only write bytes.
 *
 * jp_route is built on the main thread and read-only after; each worker
 * has its own jp_route_local. */
#ifndef JP_ROUTE_H
#define JP_ROUTE_H

#include <stddef.h>

#include "batch.h"
#include "decoder.h"
#include "format.h"
#include "header.h"
#include "template.h"

typedef struct jp_route_dest {
    jp_template *split;  /* NULL: one destination */
    jp_codec codec;      /* compression: of the one destination; for split
                          * files only when forced, else by each file's name */
    int level;
    int forced;
} jp_route_dest;

typedef struct jp_route {
    jp_route_dest dest[2]; /* records, error records */
    /* CSV, TSV: each split file starts with the header row. */
    const jp_format *format;
    jp_header *header;     /* NULL for NDJSON */
} jp_route;

typedef struct jp_route_local jp_route_local;

/* r NULL: records and error records each to one destination, as they are. */
jp_route_local *jp_route_local_new(const jp_route *r);
void jp_route_local_free(jp_route_local *l);

/* The record bytes[0..len) (its JSON bytes) was written to b->out from at
 * to the end, as its row. rec: the parsed record whose current bytes they
 * are (its index finds the template's values, see jp_template_bind), or
 * NULL. */
void jp_route_record(jp_route_local *l, jp_batch *b, const char *bytes, size_t len,
                     jp_record *rec, size_t at);
/* An error record was written to b->err from at to end (its newline
 * included). */
void jp_route_error(jp_route_local *l, jp_batch *b, size_t at, size_t end);
/* The chain took back what it wrote past b->out.len and b->err.len. */
void jp_route_rollback(jp_route_local *l, const jp_batch *b);

/* The batch's records are all in: makes its parts and compresses. */
void jp_route_finish(jp_route_local *l, jp_batch *b);

/* A jp_split_preface (sink_split.h) for the records' files, route its
 * jp_route: the header row, compressed as the file's name asks. Any
 * thread, once a batch with a row is done. */
void jp_route_preface(void *route, const char *path, jp_buf *out);

#endif
