/* path.h: finding values in a record's final bytes, for the output: the
 * members of an object, the value a dotted path names, and the text a value
 * gives a CSV cell or a file name.
 *
 * The bytes are one valid JSON value (a record as it leaves the last stage),
 * so nothing is validated again and nothing is built: each call walks the
 * bytes it needs. Keys are compared decoded ("\u0061" is "a"), and of a
 * duplicated key the last copy is the one found, within the last copy of
 * each parent, as everywhere in jsonpipe (record.h). Paths are those of
 * fields.h. Any thread; scratch buffers are the caller's. */
#ifndef JP_PATH_H
#define JP_PATH_H

#include <stddef.h>

#include "buf.h"
#include "fields.h"

/* The value at s[start, end). */
typedef struct jp_span {
    size_t start, end;
} jp_span;

/* One member of an object: its quoted key and its value. */
typedef struct jp_member {
    jp_span key, value;
} jp_member;

/* Steps through the members of the object whose '{' is at *at (start
 * there): fills m and returns 1, or returns 0 after the last one. */
int jp_path_next_member(const char *s, size_t n, size_t *at, jp_member *m);

/* The decoded key of m, *len bytes: inside s when it has no escape, else
 * in scratch (emptied first). */
const char *jp_path_key(const char *s, const jp_member *m, jp_buf *scratch, size_t *len);

/* The value of the last member called key (decoded bytes) of the object
 * whose '{' is at object. Returns 1 with *v set, or 0 when there is none. */
int jp_path_member(const char *s, size_t n, size_t object, const char *key, size_t len,
                   jp_buf *scratch, jp_span *v);

/* The value at field of f in the value s (field 0: the whole value).
 * Returns 1 with *v set, or 0 when a key on the way is missing or a parent
 * is not an object. */
int jp_path_find(const char *s, size_t n, const jp_fields *f, int field, jp_buf *scratch,
                 jp_span *v);

/* Appends the text of the value v: a string decoded, nothing for null,
 * the bytes as written for anything else (a number, true, an array). */
void jp_path_text(jp_buf *out, const char *s, jp_span v);

#endif
