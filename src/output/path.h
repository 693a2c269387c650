/* path.h: values in a record's final bytes, found by a path of keys.
 *
 * For what output makes of a record after the last processor (CSV cells,
 * file names from a template), when the record's field index no longer
 * matches its bytes. The bytes are valid JSON, so nothing is checked again.
 * As everywhere (record.h), the last copy of a duplicated key is the one
 * seen, within the last copy of each parent. Paths use the grammar of
 * fields.h ("a.b", "a\.b" for the key "a.b"). */
#ifndef JP_PATH_H
#define JP_PATH_H

#include <stddef.h>

#include "buf.h"

typedef struct jp_out_path {
    int n;           /* keys, from the top */
    char **keys;     /* decoded */
    size_t *lens;
} jp_out_path;

/* Parses s[0..len). Returns 0, or -1 with a reason in err. */
int jp_out_path_init(jp_out_path *p, const char *s, size_t len, char *err, size_t errlen);
void jp_out_path_free(jp_out_path *p);

/* The offset of the value at p in rec[0..len), or len when there is none.
 * scratch is the caller's, for decoding escaped keys. */
size_t jp_out_path_find(const jp_out_path *p, const char *rec, size_t len, jp_buf *scratch);

/* In the object at rec[at], the offset of the value of the last member
 * called key, or len when there is none (or rec[at] is no object). */
size_t jp_json_member(const char *rec, size_t len, size_t at, const char *key, size_t keylen,
                      jp_buf *scratch);

/* Appends the text of the value at rec[at]: a string decoded, nothing for
 * null, any other value its bytes as written. */
void jp_json_value_text(jp_buf *out, const char *rec, size_t len, size_t at);

#endif
