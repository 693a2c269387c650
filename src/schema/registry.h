/* registry.h: the schema resources of one --schema, by absolute URI: the
 * schema file, the files its references name (next to it, or under a
 * --schema-map directory), and inside each the subschemas an $id, $anchor
 * or $dynamicAnchor names. A reference is found here or nowhere: nothing
 * is fetched over a network.
 *
 * The registry owns every document it reads and every string it makes;
 * they live until jp_registry_free. */
#ifndef JP_SCHEMA_REGISTRY_H
#define JP_SCHEMA_REGISTRY_H

#include <stddef.h>

#include "equal.h"
#include "tree.h"

/* One JSON document read from a file. */
typedef struct jp_schema_doc {
    jp_tree *tree;
    jp_side d;
    char *uri;          /* the URI it was read by */
    const char **base;  /* by node index: the base URI there (its $id's) */
    size_t nbase;
} jp_schema_doc;

/* --schema-map URI=DIR: a URI that starts with prefix is read from dir
 * and the rest of it. */
typedef struct jp_schema_map {
    const char *prefix, *dir;
} jp_schema_map;

typedef struct jp_registry jp_registry;

/* The maps are copied. */
jp_registry *jp_registry_new(const jp_schema_map *maps, int nmaps);
void jp_registry_free(jp_registry *r);

/* Reads the schema file at path, whose URI is file://ITS-REAL-PATH. NULL
 * with a reason in err (not naming path) when it cannot be read or is not
 * JSON. */
jp_schema_doc *jp_registry_load_root(jp_registry *r, const char *path, char *err,
                                     size_t errlen);

/* The document and node an absolute URI reference names (a resource, a
 * JSON Pointer into one, or an anchor), reading the file it lives in when
 * it is not read yet. -1 with a reason in err when it names nothing. */
int jp_registry_find(jp_registry *r, const char *uri, jp_schema_doc **doc, int32_t *node,
                     char *err, size_t errlen);

/* Steps through the subschemas with "$dynamicAnchor": name, in the order
 * they were read; *cursor starts at 0. Each comes with the base URI of its
 * resource (the pointer jp_schema_doc.base holds for it). Returns -1 past
 * the last. */
int jp_registry_next_dynamic(const jp_registry *r, const char *name, int *cursor,
                             jp_schema_doc **doc, int32_t *node, const char **base);

#endif
