/* path.c: walking a record's bytes to the value at a path. */
#include "path.h"

#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "json.h"

int jp_out_path_init(jp_out_path *p, const char *s, size_t len, char *err, size_t errlen)
{
    /* The one path grammar: fields.h parses it into a chain of keys. */
    jp_fields f;
    jp_fields_init(&f);
    int id = jp_fields_add(&f, s, len, err, errlen);
    memset(p, 0, sizeof *p);
    if (id < 0) {
        jp_fields_free(&f);
        return -1;
    }
    for (int at = id; f.v[at].parent >= 0; at = f.v[at].parent)
        p->n++;
    p->keys = jp_xcalloc((size_t)p->n, sizeof *p->keys);
    p->lens = jp_xcalloc((size_t)p->n, sizeof *p->lens);
    int k = p->n;
    for (int at = id; f.v[at].parent >= 0; at = f.v[at].parent) {
        k--;
        p->lens[k] = f.v[at].key_len;
        p->keys[k] = jp_xmalloc(f.v[at].key_len + 1);
        memcpy(p->keys[k], f.v[at].key, f.v[at].key_len + 1);
    }
    jp_fields_free(&f);
    return 0;
}

void jp_out_path_free(jp_out_path *p)
{
    for (int i = 0; i < p->n; i++)
        free(p->keys[i]);
    free(p->keys);
    free(p->lens);
    memset(p, 0, sizeof *p);
}

/* Whether the string literal rec[at..end) holds key. */
static int key_is(const char *rec, size_t at, size_t end, const char *key, size_t keylen,
                  jp_buf *scratch)
{
    const char *lit = rec + at + 1;
    size_t n = end - at - 2;
    if (!memchr(lit, '\\', n))
        return n == keylen && memcmp(lit, key, n) == 0;
    scratch->len = 0;
    jp_json_unquote(scratch, rec + at, end - at);
    return scratch->len == keylen && memcmp(scratch->data, key, keylen) == 0;
}

size_t jp_json_member(const char *rec, size_t len, size_t at, const char *key, size_t keylen,
                      jp_buf *scratch)
{
    size_t found = len;
    if (at >= len || rec[at] != '{')
        return len;
    at = jp_json_skip_blank(rec, len, at + 1);
    while (at < len && rec[at] == '"') {
        size_t key_end = jp_json_value_end(rec, len, at);
        int match = key_is(rec, at, key_end, key, keylen, scratch);
        /* past the ':' */
        size_t v = jp_json_skip_blank(rec, len, jp_json_skip_blank(rec, len, key_end) + 1);
        if (match)
            found = v;
        at = jp_json_skip_blank(rec, len, jp_json_value_end(rec, len, v));
        if (at < len && rec[at] == ',')
            at = jp_json_skip_blank(rec, len, at + 1);
    }
    return found;
}

size_t jp_out_path_find(const jp_out_path *p, const char *rec, size_t len, jp_buf *scratch)
{
    size_t at = jp_json_skip_blank(rec, len, 0);
    for (int i = 0; i < p->n && at < len; i++)
        at = jp_json_member(rec, len, at, p->keys[i], p->lens[i], scratch);
    return at;
}

void jp_json_value_text(jp_buf *out, const char *rec, size_t len, size_t at)
{
    size_t end = jp_json_value_end(rec, len, at);
    if (rec[at] == '"')
        jp_json_unquote(out, rec + at, end - at);
    else if (rec[at] != 'n')
        jp_buf_append(out, rec + at, end - at);
}
