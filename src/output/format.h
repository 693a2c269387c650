/* format.h: a finished record as the output wants it: the NDJSON line as it
 * is, or one CSV or TSV row of the run's columns.
 *
 * Runs on the worker threads, record by record, after the last processor:
 * a record that cannot become a row (not an object, or holding a key that
 * no column shows) is rejected with a reason, never cut silently. The
 * columns are fixed once for the run, either at start-up (from the paths of
 * the processor that fixes the records' shape, --select) or by the first
 * record in output order (header.c); once fixed they are shared read-only
 * by every thread.
 *
 * CSV is RFC 4180: a cell holding ',', '"', CR or LF is quoted, its '"'
 * doubled, and so is an empty string, which an empty cell (null, missing)
 * would not tell apart. TSV is the text format of PostgreSQL and Miller: a
 * tab, LF, CR and backslash in a cell are written \t, \n, \r and \\. */
#ifndef JP_FORMAT_H
#define JP_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

typedef enum jp_format_kind { JP_TO_NDJSON, JP_TO_CSV, JP_TO_TSV } jp_format_kind;

/* "ndjson", "csv" or "tsv". Returns 0, or -1 for another name. */
int jp_format_parse(const char *name, jp_format_kind *kind);

typedef struct jp_columns jp_columns;

/* Columns named by a comma-separated list of paths (the fields grammar of
 * fields.h, escapes included): each holds the value at its path and is
 * named by its keys joined with '.', the grammar's escapes taken away
 * ("a\.b" names the key "a.b" and its column). A path named twice is one
 * column. A record's value that no column shows (a key beside the paths, or
 * a parent of paths that is not an object) is then rejected, the reason
 * saying that the columns are by ("the fields of --select"). Returns NULL
 * with a reason. */
jp_columns *jp_columns_from_paths(const char *list, const char *by, char *err, size_t errlen);
/* Columns from the top-level keys of the object rec (one valid JSON value),
 * decoded, in order of first appearance, each once. A record with another
 * top-level key is then rejected. NULL when rec is not an object. */
jp_columns *jp_columns_from_record(const char *rec, size_t len);
void jp_columns_free(jp_columns *c);

typedef struct jp_format {
    jp_format_kind kind;
    int header; /* a header row before the first row of each output */
    int crlf;   /* rows end in CR LF rather than LF */
} jp_format;

/* What making rows needs on one thread, reused from row to row: start it
 * zeroed, free it with jp_format_scratch_free on that thread. */
typedef struct jp_format_scratch {
    jp_buf slots; /* where the values of a row's columns are */
    jp_buf key;   /* a key with escapes, decoded */
} jp_format_scratch;

void jp_format_scratch_free(jp_format_scratch *s);

/* Appends the header row of c (the columns' names, quoted as cells are). */
void jp_format_header(const jp_format *f, const jp_columns *c, jp_buf *out);

/* Appends rec (one valid JSON value: a record's final bytes, no newline) as
 * one row ending in its line end (NDJSON: rec and '\n', c unused). Cells:
 * strings decoded, numbers exactly as written, true and false, null and a
 * missing value as an empty cell, arrays and objects as their JSON text as
 * the record holds it. Returns 0, or -1 with out unchanged and a reason in
 * why (the record is not an object, a key is not a column). c is not
 * looked at for a record that is not an object: it may be NULL then. */
int jp_format_row(const jp_format *f, const jp_columns *c, const char *rec, size_t len,
                  jp_format_scratch *s, jp_buf *out, char *why, size_t whylen);

#endif
