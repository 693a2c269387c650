/* equal.h: JSON equality of values held as trees, the one rule for
 * --schema and the expression language, and hashes that agree with it. */
#ifndef JP_JSON_EQUAL_H
#define JP_JSON_EQUAL_H

#include <stddef.h>
#include <stdint.h>

#include "tree.h"

/* A value of one tree (a schema's or a record's): the node array and the
 * text its offsets point into, so values of two trees can be compared. */
typedef struct jp_side {
    const jp_node *nodes;
    const char *text;
} jp_side;

/* Scratch for comparing and hashing objects: their members sorted by key,
 * on a stack that nested objects grow and shrink. Zeroed to start; the
 * caller frees v. */
typedef struct jp_members {
    const jp_node **v;
    size_t top, cap;
    uint64_t steps; /* nodes visited, for a caller's budget */
} jp_members;

/* JSON Schema equality, the one rule of --schema and --filter: numbers by
 * value (1 == 1.0 == 1e0, -0 == 0), strings by their decoded text, arrays
 * item by item, objects by the same keys with equal values in any order
 * (of a key given twice, the last copy). */
int jp_value_equal(jp_members *m, const jp_side *as, const jp_node *a, const jp_side *bs,
                   const jp_node *b);
/* Whether members x and y of one tree have the same key. */
int jp_same_key(const jp_side *s, const jp_node *x, const jp_node *y);
/* A hash under which values equal as jp_value_equal says hash alike. */
uint64_t jp_value_hash(jp_members *m, const jp_side *s, const jp_node *n);

#endif
