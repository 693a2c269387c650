/* delete.c: --delete FIELDS removes each of the comma-separated fields (key
 * and value) from its object. Fields the record lacks are skipped. */
#include <stdlib.h>

#include "processor.h"

typedef struct del {
    int *fields;
    int n;
} del;

static void *delete_create(const char *arg, jp_setup *setup, char *err, size_t errlen)
{
    del *self = jp_xmalloc(sizeof *self);
    self->n = jp_fields_add_list(setup->fields, arg, &self->fields, err, errlen);
    if (self->n < 0) {
        free(self);
        return NULL;
    }
    return self;
}

static jp_verdict delete_process(const void *arg, void *local, jp_record *rec)
{
    const del *self = arg;
    int changed = 0;
    for (int i = 0; i < self->n; i++)
        changed |= jp_record_delete(rec, self->fields[i]);
    return changed ? JP_MODIFIED : JP_PASS;
}

static void delete_destroy(void *arg)
{
    del *self = arg;
    free(self->fields);
    free(self);
}

const jp_processor_type jp_delete_processor = {
    .name = "delete",
    .metavar = "FIELDS",
    .help = "remove these comma-separated fields",
    .group = "reshape",
    .example = "--delete user.email,tags",
    .cpu_heavy = 0,
    .create = delete_create,
    .process = delete_process,
    .destroy = delete_destroy,
};
