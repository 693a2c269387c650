/* schema.h: the JSON Schema (draft 2020-12) engine behind --schema: a
 * schema file compiled once, then any number of record trees validated
 * against it, from any number of threads at once.
 *
 * A compiled jp_schema is read-only and shared; each thread validates with
 * a jp_schema_scratch of its own, which owns the memory a validation
 * reuses (and the reason of its last failure). */
#ifndef JP_SCHEMA_H
#define JP_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

#include "equal.h"
#include "registry.h"
#include "tree.h"

typedef struct schema jp_schema;
typedef struct schema_local jp_schema_scratch;

typedef struct jp_schema_options {
    uint64_t budget;    /* evaluation steps one record may take */
    int assert_formats; /* format asserts (else it is an annotation) */
    const jp_schema_map *maps; /* where URIs are read from: --schema-map */
    int nmaps;
} jp_schema_options;

/* Reads and compiles the schema file at path. On an unusable schema
 * returns NULL with a reason in err that starts with path. */
jp_schema *jp_schema_load(const char *path, const jp_schema_options *opt, char *err,
                          size_t errlen);
void jp_schema_free(jp_schema *sc);

jp_schema_scratch *jp_schema_scratch_new(void);
void jp_schema_scratch_free(jp_schema_scratch *l);

/* Validates the record whose tree is r (its root is node 0). Returns 1
 * when it is valid; 0 when it is not, or when its evaluation could not
 * finish, with *why set to the reason (owned by l, good until l's next
 * use). */
int jp_schema_validate(const jp_schema *sc, jp_schema_scratch *l, const jp_side *r,
                       const char **why);

#endif
