/* explode.c: --explode PATH puts one record per element of the array at
 * PATH in the record's place, the element where the array stood, in order:
 * what jq's `.tags[] as $t | .tags = $t` gives. The bytes around the array,
 * and each element's, stay as written. An empty array drops the record; a
 * missing field, or one that is not an array, rejects it.
 *
 * The records are made one at a time (JP_EXPAND, next()), from a copy of
 * the record taken in process(): an array of a million elements costs that
 * one copy and a cursor, never a million records at once. */
#include <stdlib.h>

#include "json.h"
#include "processor.h"

typedef struct explode {
    int field;
} explode;

/* Per thread: the record being exploded and where its array stands. */
typedef struct explode_local {
    jp_buf record;
    size_t array_start, array_end; /* the array's bytes, brackets included */
    size_t next;                   /* where the search for the next element starts */
} explode_local;

static void *explode_create(const char *arg, jp_setup *setup, char *err, size_t errlen)
{
    int field = jp_fields_add(setup->fields, arg, strlen(arg), err, errlen);
    if (field < 0)
        return NULL;
    explode *self = jp_xmalloc(sizeof *self);
    self->field = field;
    return self;
}

static void *explode_local_new(const void *self)
{
    return jp_xcalloc(1, sizeof(explode_local));
}

static void explode_local_free(void *arg)
{
    explode_local *l = arg;
    jp_buf_free(&l->record);
    free(l);
}

static jp_verdict explode_process(const void *arg, void *local, jp_record *rec)
{
    const explode *self = arg;
    explode_local *l = local;
    const jp_value *root = jp_record_get(rec, 0);
    if (root->type != JP_OBJECT)
        return jp_reject(rec, "the record is %s, not an object", jp_type_phrase(root->type));
    /* The copies a read does not see go, as with every edit: none of them
     * is to come out in the records made. */
    jp_record_unshadow(rec, self->field);
    const char *path = jp_record_field_path(rec, self->field);
    const jp_value *v = jp_record_get(rec, self->field);
    if (!v)
        return jp_reject(rec, "\"%s\" is missing", path);
    if (v->type != JP_ARRAY)
        return jp_reject(rec, "\"%s\" is %s, not an array", path, jp_type_phrase(v->type));

    size_t len;
    const char *bytes = jp_record_bytes(rec, &len);
    size_t first = jp_json_skip_blank(bytes, v->end, v->start + 1);
    if (bytes[first] == ']')
        return JP_DROP;
    l->record.len = 0;
    jp_buf_append(&l->record, bytes, len);
    l->array_start = v->start;
    l->array_end = v->end;
    l->next = first;
    return JP_EXPAND;
}

static int explode_next(const void *arg, void *local, jp_buf *out)
{
    explode_local *l = local;
    const char *s = l->record.data;
    size_t close = l->array_end - 1; /* the ']' */
    size_t at = jp_json_skip_blank(s, close, l->next);
    if (at < close && s[at] == ',')
        at = jp_json_skip_blank(s, close, at + 1);
    if (at >= close)
        return 0;
    size_t end = jp_json_value_end(s, close, at);
    jp_buf_append(out, s, l->array_start);
    jp_buf_append(out, s + at, end - at);
    jp_buf_append(out, s + l->array_end, l->record.len - l->array_end);
    l->next = end;
    return 1;
}

static void explode_destroy(void *self)
{
    free(self);
}

const jp_processor_type jp_explode_processor = {
    .name = "explode",
    .metavar = "FIELD",
    .help = "one record per element of this array, in its place",
    .group = "reshape",
    .example = "--explode tags",
    .cpu_heavy = 0,
    .create = explode_create,
    .local_new = explode_local_new,
    .local_free = explode_local_free,
    .process = explode_process,
    .next = explode_next,
    .destroy = explode_destroy,
};
