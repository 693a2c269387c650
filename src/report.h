/* report.h: how a rejected record, and every other diagnostic, is told to
 * the user.
 *
 * With --errors FILE each rejection is one NDJSON object:
 *   {"file":..,"line":..,"offset":..,"stage":..,"error":..,"record":..}
 * "record" is the line as a JSON string; when the line is not valid UTF-8
 * it carries U+FFFD for the bad bytes and "record_base64" holds the exact
 * bytes. When only the start of an over-long line was kept, "record" is that
 * start and "truncated" is true. Without --errors each rejection is a line
 * "jsonpipe: FILE:LINE: REASON" for stderr.
 *
 * Text meant for a terminal comes from the data (file and member names,
 * keys, values), so it is escaped where it is printed: a message is always
 * one line and cannot move the cursor, recolour the terminal or forge
 * another line. Error records are JSON and are escaped as JSON instead. */
#ifndef JP_REPORT_H
#define JP_REPORT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

typedef struct jp_rejection {
    const char *file;
    uint64_t line, offset;
    const char *stage, *reason;
    const char *record; /* the original bytes */
    size_t record_len;
    int truncated;      /* record holds only the start of the line */
} jp_rejection;

/* Both append r to out, and return where in out its line number is: a
 * worker that learns the numbers late puts them right (linemark.h). */
size_t jp_report_json(jp_buf *out, const jp_rejection *r);
/* One line, escaped as jp_report_escape does. */
size_t jp_report_text(jp_buf *out, const jp_rejection *r);

/* Appends s with what a terminal would act on written as escapes: \n, \r,
 * \t, \b, \f, \uXXXX for the other C0 controls, DEL, C1 controls (U+0080 to
 * U+009F) and the Unicode controls that break a line or reorder it (U+2028,
 * U+2029, U+202A to U+202E, U+2066 to U+2069), and \xHH for each byte that
 * is not UTF-8. Everything else, backslash included, is kept as it is, so a
 * reason that already quotes a value as JSON is not escaped twice. */
void jp_report_escape(jp_buf *out, const char *s, size_t n);

/* Prints "jsonpipe: MESSAGE\n" on stderr in one write, MESSAGE escaped: the
 * way every diagnostic but the rejection lines reaches the terminal. */
void jp_report_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void jp_report_verror(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* A library's account of an error (zlib, zstd, libarchive) in our style,
 * into out: its first letter lower case, unless it starts an acronym. */
void jp_report_detail(char *out, size_t outlen, const char *detail);

/* The length of s cut to at most max bytes, less the start of a character
 * the cut would split: for "%.*s". */
size_t jp_report_cut_len(const char *s, size_t max);

/* out was filled by snprintf within outlen and may have been cut there: if
 * it fills outlen, it is made to end on a whole character, then "...", so
 * no message ends in half a UTF-8 sequence (told as \xHH). */
void jp_report_fit(char *out, size_t outlen);

/* The words for a system error, in strerror's style ("No such file or
 * directory") whichever library reported it: err is an errno value or a
 * libuv error code (a negative errno, or one of libuv's own). */
const char *jp_report_syserr(int err);

#endif
