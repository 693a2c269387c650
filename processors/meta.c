/* meta.c: --meta FIELD=WHAT sets FIELD to where the record came from: file
 * (the input's name, a string), line (its 1-based line number), offset (the
 * byte offset of its line in the input) or host (this machine's name). */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "json.h"
#include "processor.h"

enum what { FILE_NAME, LINE, OFFSET, HOST };

typedef struct meta {
    int field;
    enum what what;
    jp_buf host; /* quoted, for HOST */
} meta;

static void meta_destroy(void *arg)
{
    meta *self = arg;
    jp_buf_free(&self->host);
    free(self);
}

static void *meta_create(const char *arg, jp_setup *setup, char *err, size_t errlen)
{
    static const char *const names[] = {"file", "line", "offset", "host"};
    size_t eq = jp_fields_find_unescaped(arg, '=');
    meta *self = jp_xcalloc(1, sizeof *self);
    int found = 0;
    for (int i = 0; arg[eq] && i < 4; i++)
        if (strcmp(arg + eq + 1, names[i]) == 0) {
            self->what = (enum what)i;
            found = 1;
        }
    if (!found) {
        snprintf(err, errlen, "expected FIELD=WHAT, WHAT one of file, line, offset, host");
        meta_destroy(self);
        return NULL;
    }
    self->field = jp_fields_add(setup->fields, arg, eq, err, errlen);
    if (self->field < 0) {
        meta_destroy(self);
        return NULL;
    }
    setup->want_lines = self->what == LINE;
    if (self->what == HOST) {
        char name[256] = "";
        gethostname(name, sizeof name - 1);
        jp_json_quote(&self->host, name, strlen(name));
    }
    return self;
}

static jp_verdict meta_process(const void *arg, void *local, jp_record *rec)
{
    const meta *self = arg;
    const jp_source *src = jp_record_source(rec);
    jp_buf *scratch = local;
    char num[24];
    const char *value = num;
    size_t len;
    switch (self->what) {
    case FILE_NAME:
        scratch->len = 0;
        jp_json_quote(scratch, src->file, strlen(src->file));
        value = scratch->data;
        len = scratch->len;
        break;
    case LINE:
        len = (size_t)snprintf(num, sizeof num, "%llu", (unsigned long long)src->line);
        break;
    case OFFSET:
        len = (size_t)snprintf(num, sizeof num, "%llu", (unsigned long long)src->offset);
        break;
    default:
        value = self->host.data;
        len = self->host.len;
    }
    if (jp_record_set(rec, self->field, value, len) < 0)
        return JP_REJECT;
    return JP_MODIFIED;
}

const jp_processor_type jp_meta_processor = {
    .name = "meta",
    .metavar = "FIELD=WHAT",
    .help = "set the record's file, line, offset, or the host",
    .group = "enrich",
    .example = "--meta src.file=file --meta src.line=line",
    .cpu_heavy = 0,
    .create = meta_create,
    .local_new = jp_scratch_new,
    .local_free = jp_scratch_free,
    .process = meta_process,
    .destroy = meta_destroy,
};
