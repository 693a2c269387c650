/* fields.h: the dotted paths that processors read or write, kept as one tree.
 *
 * Processors name their fields once, at start-up ("user.email"). The record
 * parser then indexes only values on those paths, so indexing a record costs
 * the same whatever its size and a lookup is an array access. Field 0 is the
 * whole record. In a dotted path, a backslash makes the next character
 * literal: "a\.b" is one key "a.b". */
#ifndef JP_FIELDS_H
#define JP_FIELDS_H

#include <stddef.h>
#include <string.h>

typedef struct jp_field {
    char *key;          /* last component, unescaped; NULL for the root */
    size_t key_len;
    char *quoted;       /* the key as a JSON string, for edits that add it */
    size_t quoted_len;
    char *path;         /* the dotted path as the user wrote it */
    int parent;         /* -1 for the root */
    int first_child;    /* -1 when none */
    int next_sibling;   /* -1 when none */
    /* The children by a hash of their keys: buckets[jp_fields_bucket()] is
     * the first, next_in_bucket the next. NULL when there is no child. */
    int *buckets;
    int next_in_bucket;
} jp_field;

#define JP_FIELD_BUCKETS 32

typedef struct jp_fields {
    jp_field *v;
    int n, cap;
} jp_fields;

void jp_fields_init(jp_fields *f);
void jp_fields_free(jp_fields *f);

/* Adds the path s[0..len) (and its missing ancestors) and returns its id,
 * or -1 with a reason in err when a component is empty. */
int jp_fields_add(jp_fields *f, const char *s, size_t len, char *err, size_t errlen);

static inline unsigned jp_fields_bucket(const char *key, size_t len)
{
    return ((unsigned)len * 7 + (unsigned char)key[0] * 3 + (unsigned char)key[len - 1]) &
           (JP_FIELD_BUCKETS - 1);
}

/* The field among c and the fields after it in its bucket called key, or
 * -1. Out of line, so that the common lookup below stays a leaf. */
int jp_fields_in_bucket(const jp_fields *f, int c, const char *key, size_t len);

/* The child called key of the field whose buckets these are, or -1. Inline:
 * the record parser asks this for every key of every object on a declared
 * path, and most keys are not declared, so most lookups end at an empty
 * bucket. */
static inline int jp_fields_child_in(const jp_fields *f, const int *buckets, const char *key,
                                     size_t len)
{
    if (!buckets || !len)
        return -1;
    int c = buckets[jp_fields_bucket(key, len)];
    return c < 0 ? -1 : jp_fields_in_bucket(f, c, key, len);
}

/* The same, with the parent's buckets taken from its id. */
static inline int jp_fields_child(const jp_fields *f, int parent, const char *key, size_t len)
{
    return jp_fields_child_in(f, f->v[parent].buckets, key, len);
}

/* Adds each path of a comma-separated list ("id,user.email"; a backslash
 * escapes a comma) and stores their ids in a new array *ids (the caller
 * frees it). Returns how many, or -1 with a reason in err. */
int jp_fields_add_list(jp_fields *f, const char *list, int **ids, char *err, size_t errlen);

/* The next item of a comma-separated list (a backslash escapes a comma),
 * as a new string the caller frees; *p moves past it. NULL at the end. */
char *jp_fields_next_item(const char **p);

/* Index of the first c in s that no backslash escapes, or strlen(s). */
size_t jp_fields_find_unescaped(const char *s, char c);

#endif
