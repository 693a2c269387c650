/* template.h: file names made of record values, for split output:
 * -o 'out/{service}/{ts:%Y-%m-%d}.ndjson.gz'.
 *
 * {PATH} stands for the record's value at PATH (path.h): a string decoded,
 * a number as written, true or false, an object or array as its JSON text.
 * {PATH:FMT} formats a time, an RFC 3339 string or a number of seconds since
 * the epoch (of milliseconds when too large for seconds), with strftime(3)
 * in UTC. {{ and }} are a literal brace.
 *
 * A value can never leave the directory that the template's literal text
 * names: in what a value gives, '/', '\', '%', NUL and the other control
 * bytes are percent-encoded (%2F), a whole component "." or ".." made by
 * values is written %2E or %2E%2E, and a value that is missing, null, empty
 * or (with FMT) no time becomes "_" (so a value "_" is written %5F). A value
 * longer than JP_TEMPLATE_VALUE_MAX bytes once encoded is cut, and the cut
 * is marked with '~' and a hash of the whole value, so two values never
 * share a file; so is a component that values made longer than
 * JP_TEMPLATE_NAME_MAX. All of this is done here and nowhere else.
 *
 * Compiled once on the main thread; rendered by every worker at once. */
#ifndef JP_TEMPLATE_H
#define JP_TEMPLATE_H

#include <stddef.h>

#include "buf.h"
#include "fields.h"
#include "record.h"

#define JP_TEMPLATE_VALUE_MAX 200
/* The longest component (between slashes) values may make: what common
 * file systems take (NAME_MAX). */
#define JP_TEMPLATE_NAME_MAX 255

typedef struct jp_template jp_template;

/* Whether spec is a template: it holds a '{' that is not "{{". */
int jp_template_is(const char *spec);

/* Returns NULL with a reason in err for a malformed template (an unclosed
 * or empty {}, a bad path, a '}' alone). */
jp_template *jp_template_compile(const char *spec, char *err, size_t errlen);
void jp_template_free(jp_template *t);

/* Declares the template's paths in the records' index (record.h), so that
 * rendering a parsed record looks its values up instead of walking its
 * bytes. Main thread, before the run. */
void jp_template_bind(jp_template *t, jp_fields *fields);

/* Appends the file name for the value bytes[0..len) (a record's final
 * bytes) to out. rec, when not NULL, is the record these bytes are the
 * current bytes of, parsed with the index the template was bound to.
 * scratch is the caller's. */
void jp_template_render(const jp_template *t, const char *bytes, size_t len, jp_record *rec,
                        jp_buf *out, jp_buf *scratch);

#endif
