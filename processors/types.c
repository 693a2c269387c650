/* types.c: --types FIELD=TYPE,... rejects a record whose field is missing or
 * of another JSON type. TYPE is string, number, integer (a number written
 * without fraction or exponent, of any size), boolean, null, object or
 * array; "string|null" accepts either. */
#include <stdio.h>
#include <stdlib.h>

#include "processor.h"

enum {
    T_STRING = 1 << JP_STRING,
    T_NUMBER = 1 << JP_NUMBER,
    T_BOOLEAN = 1 << JP_BOOLEAN,
    T_NULL = 1 << JP_NULL,
    T_OBJECT = 1 << JP_OBJECT,
    T_ARRAY = 1 << JP_ARRAY,
    T_INTEGER = 1 << 10
};

static const struct {
    const char *name;
    unsigned mask;
} type_names[] = {
    {"string", T_STRING}, {"number", T_NUMBER}, {"integer", T_INTEGER}, {"boolean", T_BOOLEAN},
    {"null", T_NULL},     {"object", T_OBJECT}, {"array", T_ARRAY},
};

typedef struct check {
    int field;
    unsigned mask;
    char *spelled; /* the TYPE as given, for messages */
} check;

typedef struct types {
    check *checks;
    int n;
    const jp_fields *names;
} types;

static void types_destroy(void *arg)
{
    types *self = arg;
    for (int i = 0; i < self->n; i++)
        free(self->checks[i].spelled);
    free(self->checks);
    free(self);
}

/* Parses "string|null" into a mask; 0 when a name is unknown. */
static unsigned parse_mask(const char *s, size_t len, char *err, size_t errlen)
{
    unsigned mask = 0;
    size_t i = 0;
    while (i <= len) {
        size_t j = i;
        while (j < len && s[j] != '|')
            j++;
        unsigned m = 0;
        for (size_t k = 0; k < sizeof type_names / sizeof type_names[0]; k++)
            if (strlen(type_names[k].name) == j - i && memcmp(type_names[k].name, s + i, j - i) == 0)
                m = type_names[k].mask;
        if (!m) {
            snprintf(err, errlen,
                     "unknown type \"%.*s\" (string, number, integer, boolean, null, object, array)",
                     (int)(j - i), s + i);
            return 0;
        }
        mask |= m;
        i = j + 1;
    }
    return mask;
}

static void *types_create(const char *arg, jp_setup *setup, char *err, size_t errlen)
{
    types *self = jp_xcalloc(1, sizeof *self);
    self->names = setup->fields;
    char *item;
    while ((item = jp_fields_next_item(&arg))) {
        size_t len = strlen(item);
        size_t eq = jp_fields_find_unescaped(item, '=');
        int field = -1;
        unsigned mask = 0;
        if (!item[eq])
            snprintf(err, errlen, "expected FIELD=TYPE, got \"%s\"", item);
        else if ((field = jp_fields_add(setup->fields, item, eq, err, errlen)) >= 0)
            mask = parse_mask(item + eq + 1, len - eq - 1, err, errlen);
        if (!mask) {
            free(item);
            types_destroy(self);
            return NULL;
        }
        self->checks = jp_xrealloc(self->checks, (size_t)(self->n + 1) * sizeof *self->checks);
        self->checks[self->n++] = (check){field, mask, jp_xstrdup(item + eq + 1)};
        free(item);
    }
    return self;
}

/* A JSON number is an integer when written without '.', 'e' or 'E'. */
static int is_integer(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] == '.' || p[i] == 'e' || p[i] == 'E')
            return 0;
    return 1;
}

static jp_verdict types_process(const void *arg, void *local, jp_record *rec)
{
    const types *self = arg;
    size_t len;
    const char *bytes = jp_record_bytes(rec, &len);
    for (int i = 0; i < self->n; i++) {
        const check *c = &self->checks[i];
        const char *path = self->names->v[c->field].path;
        const jp_value *v = jp_record_get(rec, c->field);
        if (!v)
            return jp_reject(rec, "missing field \"%s\" (expected %s)", path, c->spelled);
        if (c->mask & (1u << v->type))
            continue;
        if ((c->mask & T_INTEGER) && v->type == JP_NUMBER &&
            is_integer(bytes + v->start, v->end - v->start))
            continue;
        const char *got = (c->mask & T_INTEGER) && v->type == JP_NUMBER ? "a non-integer number"
                                                                        : jp_type_phrase(v->type);
        return jp_reject(rec, "field \"%s\" is %s, expected %s", path, got, c->spelled);
    }
    return JP_PASS;
}

const jp_processor_type jp_types_processor = {
    .name = "types",
    .metavar = "FIELD=TYPE,...",
    .help = "reject records with a field missing or mistyped",
    .group = "validate",
    .example = "--types id=integer,latency_ms=number,tags=array",
    .cpu_heavy = 0,
    .create = types_create,
    .process = types_process,
    .destroy = types_destroy,
};
