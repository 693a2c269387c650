/* schema.c: --schema FILE, the processor: rejects the records that fail a
 * JSON Schema, with the engine's reason (src/schema/). This file only
 * adapts the engine to the processor interface: its settings, its
 * per-thread scratch, the record's tree. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pool.h"
#include "processor.h"
#include "schema.h"

/* The budget of evaluation steps per record when --schema-budget is not
 * given, and the most it can be set to. */
#define DEFAULT_BUDGET 1000000ULL
#define MAX_BUDGET 1000000000000ULL

/* --schema-budget N, or the default. */
static int budget_of(const char *arg, uint64_t *budget, char *err, size_t errlen)
{
    *budget = DEFAULT_BUDGET;
    if (!arg)
        return 0;
    uint64_t v = 0;
    size_t i = 0;
    for (; arg[i] >= '0' && arg[i] <= '9' && v <= MAX_BUDGET; i++)
        v = v * 10 + (uint64_t)(arg[i] - '0');
    if (!i || arg[i] || v < 1 || v > MAX_BUDGET) {
        snprintf(err, errlen, "--schema-budget: '%s' is not a number from 1 to %llu", arg,
                 (unsigned long long)MAX_BUDGET);
        return -1;
    }
    *budget = v;
    return 0;
}

/* --schema-format assert|annotate: assert unless told. */
static int format_of(const char *arg, int *assert_formats, char *err, size_t errlen)
{
    *assert_formats = !arg || strcmp(arg, "assert") == 0;
    if (arg && !*assert_formats && strcmp(arg, "annotate") != 0) {
        snprintf(err, errlen, "--schema-format: '%s' is neither assert nor annotate", arg);
        return -1;
    }
    return 0;
}

/* Every --schema-map URI=DIR, split at its first '=' (the strings stay
 * the command line's). NULL with a reason in err on one that is not. */
static jp_schema_map *maps_of(const char *const *args, int *n, char *err, size_t errlen)
{
    *n = 0;
    while (args && args[*n])
        (*n)++;
    jp_schema_map *maps = jp_xcalloc((size_t)*n + 1, sizeof *maps);
    for (int i = 0; i < *n; i++) {
        const char *eq = strchr(args[i], '=');
        if (!eq || eq == args[i] || !eq[1]) {
            snprintf(err, errlen, "--schema-map: '%s' is not URI=DIR", args[i]);
            free(maps);
            return NULL;
        }
        char *prefix = jp_xmalloc((size_t)(eq - args[i]) + 1);
        memcpy(prefix, args[i], (size_t)(eq - args[i]));
        prefix[eq - args[i]] = '\0';
        maps[i].prefix = prefix;
        maps[i].dir = eq + 1;
    }
    return maps;
}

static void *schema_create(const char *path, jp_setup *setup, char *err, size_t errlen)
{
    jp_schema_options opt = {0};
    const char *const *v = setup->setting_values;
    if (budget_of(v ? v[0] : NULL, &opt.budget, err, errlen) < 0 ||
        format_of(v ? v[1] : NULL, &opt.assert_formats, err, errlen) < 0)
        return NULL;
    jp_schema_map *maps = maps_of(setup->setting_lists ? setup->setting_lists[2] : NULL,
                                  &opt.nmaps, err, errlen);
    if (!maps)
        return NULL;
    opt.maps = maps;
    jp_schema *sc = jp_schema_load(path, &opt, err, errlen);
    for (int i = 0; i < opt.nmaps; i++)
        free((char *)maps[i].prefix);
    free(maps);
    if (sc)
        setup->want_tree = 1;
    return sc;
}

static void schema_destroy(void *self) { jp_schema_free(self); }

static void *schema_local_new(const void *self)
{
    (void)self;
    return jp_schema_scratch_new();
}

static void schema_local_free(void *local) { jp_schema_scratch_free(local); }

static jp_verdict schema_process(const void *self, void *local, jp_record *rec)
{
    const jp_tree *tree = jp_record_tree(rec);
    if (!tree)
        return jp_reject(rec, "the record could not be read for validation");
    if (jp_pool_cancelled())
        return jp_reject(rec, "evaluation stopped: the run is being stopped");
    jp_side r = {jp_tree_node(tree, 0), jp_tree_text(tree, 0)};
    const char *why;
    if (jp_schema_validate(self, local, &r, &why))
        return JP_PASS;
    return jp_reject(rec, "%s", why);
}

static const jp_setting schema_settings[] = {
    {"schema-budget", "N", "steps --schema may take per record (1000000)"},
    {"schema-format", "MODE", "format keyword: assert (default) or annotate"},
    {"schema-map", "URI=DIR", "$ref under URI: a file in DIR (repeatable)"},
    {NULL, NULL, NULL},
};

const jp_processor_type jp_schema_processor = {
    .name = "schema",
    .metavar = "FILE",
    .help = "reject records failing this JSON Schema (2020-12)",
    .group = "validate",
    .example = "--schema logs.schema.json",
    .cpu_heavy = 1,
    .create = schema_create,
    .local_new = schema_local_new,
    .local_free = schema_local_free,
    .process = schema_process,
    .destroy = schema_destroy,
    .settings = schema_settings,
};
