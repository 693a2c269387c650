/* fields.c: the tree of dotted field paths. */
#include "fields.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"

static int fields_new(jp_fields *f, int parent, char *key, size_t key_len,
                      const char *path, size_t path_len)
{
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 8;
        f->v = jp_xrealloc(f->v, (size_t)f->cap * sizeof *f->v);
    }
    int id = f->n++;
    jp_field *x = &f->v[id];
    x->key = key;
    x->key_len = key_len;
    x->quoted = NULL;
    x->quoted_len = 0;
    if (key) {
        jp_buf q = {0};
        jp_json_quote(&q, key, key_len);
        x->quoted = q.data;
        x->quoted_len = q.len;
    }
    x->path = jp_xmalloc(path_len + 1);
    memcpy(x->path, path, path_len);
    x->path[path_len] = '\0';
    x->parent = parent;
    x->first_child = -1;
    x->next_sibling = -1;
    x->buckets = NULL;
    x->next_in_bucket = -1;
    if (parent >= 0) {
        /* Append, so children keep the order they were named in. */
        int *link = &f->v[parent].first_child;
        while (*link >= 0)
            link = &f->v[*link].next_sibling;
        *link = id;
        jp_field *p = &f->v[parent];
        if (!p->buckets) {
            p->buckets = jp_xmalloc(JP_FIELD_BUCKETS * sizeof *p->buckets);
            for (int b = 0; b < JP_FIELD_BUCKETS; b++)
                p->buckets[b] = -1;
        }
        int *head = &p->buckets[jp_fields_bucket(key, key_len)];
        x->next_in_bucket = *head;
        *head = id;
    }
    return id;
}

void jp_fields_init(jp_fields *f)
{
    memset(f, 0, sizeof *f);
    fields_new(f, -1, NULL, 0, "", 0);
}

void jp_fields_free(jp_fields *f)
{
    for (int i = 0; i < f->n; i++) {
        free(f->v[i].key);
        free(f->v[i].quoted);
        free(f->v[i].path);
        free(f->v[i].buckets);
    }
    free(f->v);
    memset(f, 0, sizeof *f);
}

size_t jp_fields_find_unescaped(const char *s, char c)
{
    size_t i = 0;
    for (; s[i] && s[i] != c; i++)
        if (s[i] == '\\' && s[i + 1])
            i++;
    return i;
}

int jp_fields_add(jp_fields *f, const char *s, size_t len, char *err, size_t errlen)
{
    int node = 0;
    size_t i = 0;

    if (len == 0) {
        snprintf(err, errlen, "empty field name");
        return -1;
    }
    while (i <= len) {
        char *key = jp_xmalloc(len - i + 1);
        size_t klen = 0;
        while (i < len && s[i] != '.') {
            if (s[i] == '\\' && i + 1 < len)
                i++;
            key[klen++] = s[i++];
        }
        if (klen == 0) {
            free(key);
            snprintf(err, errlen, "empty component in field \"%.*s\"", (int)len, s);
            return -1;
        }
        int child = jp_fields_child(f, node, key, klen);
        if (child >= 0) {
            free(key);
            node = child;
        } else {
            node = fields_new(f, node, key, klen, s, i);
        }
        i++; /* past the dot, or past the end */
    }
    return node;
}

__attribute__((noinline)) int jp_fields_in_bucket(const jp_fields *f, int c, const char *key,
                                                  size_t len)
{
    for (; c >= 0; c = f->v[c].next_in_bucket) {
        const jp_field *x = &f->v[c];
        if (x->key_len == len && jp_bytes_equal(x->key, key, len))
            return c;
    }
    return -1;
}

char *jp_fields_next_item(const char **p)
{
    if (!*p)
        return NULL;
    size_t len = jp_fields_find_unescaped(*p, ',');
    char *item = jp_xmalloc(len + 1);
    memcpy(item, *p, len);
    item[len] = '\0';
    *p = (*p)[len] ? *p + len + 1 : NULL;
    return item;
}

int jp_fields_add_list(jp_fields *f, const char *list, int **ids, char *err, size_t errlen)
{
    int n = 0;
    char *item;
    *ids = NULL;
    while ((item = jp_fields_next_item(&list))) {
        int id = jp_fields_add(f, item, strlen(item), err, errlen);
        free(item);
        if (id < 0) {
            free(*ids);
            *ids = NULL;
            return -1;
        }
        *ids = jp_xrealloc(*ids, (size_t)(n + 1) * sizeof **ids);
        (*ids)[n++] = id;
    }
    return n;
}
