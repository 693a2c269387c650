/* path.c: walking a record's final bytes to the values the output needs. */
#include "path.h"

#include <string.h>

#include "json.h"

int jp_path_next_member(const char *s, size_t n, size_t *at, jp_member *m)
{
    /* *at is on the '{', on the ',' after the member before, or on the
     * closing '}' once the last one was given. */
    if (*at >= n || s[*at] == '}')
        return 0;
    size_t i = jp_json_skip_blank(s, n, *at + 1);
    if (i >= n || s[i] == '}') {
        *at = i;
        return 0;
    }
    m->key.start = i;
    m->key.end = jp_json_value_end(s, n, i);
    i = jp_json_skip_blank(s, n, m->key.end) + 1; /* past the ':' */
    m->value.start = jp_json_skip_blank(s, n, i);
    m->value.end = jp_json_value_end(s, n, m->value.start);
    *at = jp_json_skip_blank(s, n, m->value.end);
    return 1;
}

const char *jp_path_key(const char *s, const jp_member *m, jp_buf *scratch, size_t *len)
{
    const char *inner = s + m->key.start + 1;
    size_t inner_len = m->key.end - m->key.start - 2;
    if (!memchr(inner, '\\', inner_len)) {
        *len = inner_len;
        return inner;
    }
    scratch->len = 0;
    jp_json_unquote(scratch, s + m->key.start, m->key.end - m->key.start);
    *len = scratch->len;
    return scratch->data;
}

int jp_path_member(const char *s, size_t n, size_t object, const char *key, size_t len,
                   jp_buf *scratch, jp_span *v)
{
    int found = 0;
    jp_member m;
    for (size_t at = object; jp_path_next_member(s, n, &at, &m);) {
        size_t klen;
        const char *k = jp_path_key(s, &m, scratch, &klen);
        if (klen == len && memcmp(k, key, len) == 0) {
            *v = m.value; /* and on: a later copy wins */
            found = 1;
        }
    }
    return found;
}

int jp_path_find(const char *s, size_t n, const jp_fields *f, int field, jp_buf *scratch,
                 jp_span *v)
{
    if (field == 0) {
        v->start = jp_json_skip_blank(s, n, 0);
        v->end = jp_json_value_end(s, n, v->start);
        return 1;
    }
    const jp_field *x = &f->v[field];
    jp_span parent;
    if (!jp_path_find(s, n, f, x->parent, scratch, &parent) || s[parent.start] != '{')
        return 0;
    return jp_path_member(s, n, parent.start, x->key, x->key_len, scratch, v);
}

void jp_path_text(jp_buf *out, const char *s, jp_span v)
{
    if (s[v.start] == '"')
        jp_json_unquote(out, s + v.start, v.end - v.start);
    else if (s[v.start] != 'n')
        jp_buf_append(out, s + v.start, v.end - v.start);
}
