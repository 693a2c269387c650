/* rename.c: --rename OLD=NEW,... gives a field a new name. When NEW is in
 * the same object as OLD the member keeps its place and only its key
 * changes; otherwise the value moves to NEW (added last, parents created) and
 * OLD is removed. A member already called NEW is replaced. A record without
 * OLD passes unchanged. The moving is the record's (jp_record_rename), which
 * also clears duplicate copies of both names. */
#include <stdio.h>
#include <stdlib.h>

#include "processor.h"

typedef struct pair {
    int from, to;
} pair;

typedef struct rename {
    pair *pairs;
    int n;
} rename_t;

static void rename_destroy(void *arg)
{
    rename_t *self = arg;
    free(self->pairs);
    free(self);
}

static void *rename_create(const char *arg, jp_setup *setup, char *err, size_t errlen)
{
    rename_t *self = jp_xcalloc(1, sizeof *self);
    char *item;
    while ((item = jp_fields_next_item(&arg))) {
        size_t len = strlen(item);
        size_t eq = jp_fields_find_unescaped(item, '=');
        int from = -1, to = -1;
        if (!item[eq])
            snprintf(err, errlen, "expected OLD=NEW, got \"%s\"", item);
        else if ((from = jp_fields_add(setup->fields, item, eq, err, errlen)) >= 0)
            to = jp_fields_add(setup->fields, item + eq + 1, len - eq - 1, err, errlen);
        free(item);
        if (to < 0) {
            rename_destroy(self);
            return NULL;
        }
        self->pairs = jp_xrealloc(self->pairs, (size_t)(self->n + 1) * sizeof *self->pairs);
        self->pairs[self->n++] = (pair){from, to};
    }
    return self;
}

static jp_verdict rename_process(const void *arg, void *local, jp_record *rec)
{
    const rename_t *self = arg;
    int changed = 0;
    for (int i = 0; i < self->n; i++) {
        int rc = jp_record_rename(rec, self->pairs[i].from, self->pairs[i].to);
        if (rc < 0)
            return JP_REJECT;
        changed |= rc;
    }
    return changed ? JP_MODIFIED : JP_PASS;
}

const jp_processor_type jp_rename_processor = {
    .name = "rename",
    .metavar = "OLD=NEW,...",
    .help = "rename fields (in place within one object)",
    .group = "reshape",
    .example = "--rename ts=@timestamp,user.vip=user.premium",
    .cpu_heavy = 0,
    .create = rename_create,
    .process = rename_process,
    .destroy = rename_destroy,
};
