/* select.c: --select FIELDS keeps only these fields, in the order given:
 * "id,user.email" turns a record into {"id":..,"user":{"email":..}}. Values
 * are copied byte for byte; fields the record lacks are left out. Paths that
 * share a parent are grouped under it, where the parent is first named. */
#include <stdlib.h>

#include "json.h"
#include "processor.h"

/* The selection as a tree of fields, in the order first named. */
typedef struct pick {
    int field;
    int whole;          /* the field itself was named: copy it all */
    struct pick *child, *next;
} pick;

typedef struct select_t {
    pick root;
    const jp_fields *names;
    char *list; /* the argument: the columns of CSV and TSV output */
} select_t;

static void free_picks(pick *p)
{
    while (p) {
        pick *next = p->next;
        free_picks(p->child);
        free(p);
        p = next;
    }
}

static void select_destroy(void *arg)
{
    select_t *self = arg;
    free_picks(self->root.child);
    free(self->list);
    free(self);
}

/* The pick for field under parent, made (last in order) when missing. */
static pick *pick_for(select_t *self, pick *parent, int field)
{
    pick **link = &parent->child;
    for (; *link; link = &(*link)->next)
        if ((*link)->field == field)
            return *link;
    *link = jp_xcalloc(1, sizeof **link);
    (*link)->field = field;
    return *link;
}

static pick *add_path(select_t *self, int field)
{
    const jp_field *f = self->names->v;
    pick *parent = f[field].parent == 0 ? &self->root : add_path(self, f[field].parent);
    return pick_for(self, parent, field);
}

static void *select_create(const char *arg, jp_setup *setup, char *err, size_t errlen)
{
    int *ids;
    int n = jp_fields_add_list(setup->fields, arg, &ids, err, errlen);
    if (n < 0)
        return NULL;
    select_t *self = jp_xcalloc(1, sizeof *self);
    self->names = setup->fields;
    self->list = jp_xstrdup(arg);
    for (int i = 0; i < n; i++)
        add_path(self, ids[i])->whole = 1;
    free(ids);
    return self;
}

/* Appends the members of the picks under p that the record has. */
static void emit(const select_t *self, const pick *p, jp_record *rec, const char *bytes,
                 jp_buf *out)
{
    int first = 1;
    for (const pick *c = p->child; c; c = c->next) {
        const jp_value *v = jp_record_get(rec, c->field);
        if (!v || (!c->whole && v->type != JP_OBJECT))
            continue;
        if (!first)
            jp_buf_putc(out, ',');
        first = 0;
        const jp_field *f = &self->names->v[c->field];
        jp_json_quote(out, f->key, f->key_len);
        jp_buf_putc(out, ':');
        if (c->whole) {
            jp_buf_append(out, bytes + v->start, v->end - v->start);
        } else {
            jp_buf_putc(out, '{');
            emit(self, c, rec, bytes, out);
            jp_buf_putc(out, '}');
        }
    }
}

static const char *select_shape(const void *arg)
{
    const select_t *self = arg;
    return self->list;
}

static jp_verdict select_process(const void *arg, void *local, jp_record *rec)
{
    const select_t *self = arg;
    jp_buf *out = local;
    const jp_value *root = jp_record_get(rec, 0);
    if (root->type != JP_OBJECT)
        return jp_reject(rec, "the record is %s, not an object", jp_type_phrase(root->type));
    size_t len;
    const char *bytes = jp_record_bytes(rec, &len);
    out->len = 0;
    jp_buf_putc(out, '{');
    emit(self, &self->root, rec, bytes, out);
    jp_buf_putc(out, '}');
    jp_record_replace(rec, out->data, out->len);
    return JP_MODIFIED;
}

const jp_processor_type jp_select_processor = {
    .name = "select",
    .metavar = "FIELDS",
    .help = "keep only these fields, in the order given",
    .group = "reshape",
    .example = "--select id,level,msg,user.id",
    .cpu_heavy = 0,
    .create = select_create,
    .local_new = jp_scratch_new,
    .local_free = jp_scratch_free,
    .process = select_process,
    .shape = select_shape,
    .destroy = select_destroy,
};
