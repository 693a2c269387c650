/* set.c: --set FIELD=VALUE sets a string, --set FIELD:=JSON any JSON value.
 *
 * An existing field is replaced where it stands (never a second key); a
 * missing one is added as the last member of its parent object, and missing
 * parent objects are created, as jq's assignment does. The value is turned
 * into compact JSON once, here, so the per-record work is one splice. */
#include <stdio.h>
#include <stdlib.h>

#include "json.h"
#include "processor.h"

typedef struct set {
    int field;
    jp_buf value; /* compact JSON */
} set;

static void *set_create(const char *arg, jp_setup *setup, char *err, size_t errlen)
{
    size_t eq = jp_fields_find_unescaped(arg, '=');
    if (!arg[eq]) {
        snprintf(err, errlen, "expected FIELD=VALUE or FIELD:=JSON");
        return NULL;
    }
    int json = eq > 0 && arg[eq - 1] == ':' && !(eq > 1 && arg[eq - 2] == '\\');
    size_t name_len = json ? eq - 1 : eq;
    const char *value = arg + eq + 1;

    set *self = jp_xmalloc(sizeof *self);
    memset(self, 0, sizeof *self);
    self->field = jp_fields_add(setup->fields, arg, name_len, err, errlen);
    if (self->field < 0)
        goto fail;
    if (json) {
        if (jp_json_compact(&self->value, value, strlen(value), err, errlen) < 0)
            goto fail;
    } else if (!jp_json_quote(&self->value, value, strlen(value))) {
        snprintf(err, errlen, "the value is not valid UTF-8");
        goto fail;
    }
    return self;
fail:
    jp_buf_free(&self->value);
    free(self);
    return NULL;
}

static jp_verdict set_process(const void *arg, void *local, jp_record *rec)
{
    const set *self = arg;
    if (jp_record_set(rec, self->field, self->value.data, self->value.len) < 0)
        return JP_REJECT;
    return JP_MODIFIED;
}

static void set_destroy(void *arg)
{
    set *self = arg;
    jp_buf_free(&self->value);
    free(self);
}

const jp_processor_type jp_set_processor = {
    .name = "set",
    .metavar = "FIELD=VALUE",
    .help = "set a string value (FIELD:=JSON: any JSON value)",
    .group = "enrich",
    .example = "--set env=prod --set 'flags:=[\"a\",1]'",
    .cpu_heavy = 0,
    .create = set_create,
    .process = set_process,
    .destroy = set_destroy,
};
