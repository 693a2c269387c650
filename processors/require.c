/* require.c: --require FIELDS rejects a record that lacks any of the fields.
 *
 * A field is present when the record has the key, whatever its value (null
 * included), which is what JSON Schema's "required" means. */
#include <stdlib.h>

#include "processor.h"

typedef struct require {
    int *fields;
    int n;
    const jp_fields *names;
} require;

static void *require_create(const char *arg, jp_setup *setup, char *err, size_t errlen)
{
    require *self = jp_xmalloc(sizeof *self);
    self->n = jp_fields_add_list(setup->fields, arg, &self->fields, err, errlen);
    if (self->n < 0) {
        free(self);
        return NULL;
    }
    self->names = setup->fields;
    return self;
}

static jp_verdict require_process(const void *arg, void *local, jp_record *rec)
{
    const require *self = arg;
    const jp_value *root = jp_record_get(rec, 0);
    if (root->type != JP_OBJECT)
        return jp_reject(rec, "the record is %s, not an object", jp_type_phrase(root->type));
    for (int i = 0; i < self->n; i++)
        if (!jp_record_get(rec, self->fields[i]))
            return jp_reject(rec, "missing field \"%s\"", self->names->v[self->fields[i]].path);
    return JP_PASS;
}

static void require_destroy(void *arg)
{
    require *self = arg;
    free(self->fields);
    free(self);
}

const jp_processor_type jp_require_processor = {
    .name = "require",
    .metavar = "FIELDS",
    .help = "reject records lacking any of these fields",
    .group = "validate",
    .example = "--require id,user.email",
    .cpu_heavy = 0,
    .create = require_create,
    .process = require_process,
    .destroy = require_destroy,
};
