/* tree.h: a whole record as a tree, for processors that must see every
 * value (--schema). Built from yajl callbacks into arrays that are reused
 * from record to record, so after the first records it allocates nothing.
 * Numbers keep their text; strings are decoded. One jp_tree per thread.
 * Values of trees compare by one equality rule (json/equal.h). */
#ifndef JP_TREE_H
#define JP_TREE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "events.h"
#include "json.h"
#include "record.h"

typedef struct jp_node {
    jp_type type;
    uint32_t count;   /* children of an object or array */
    int32_t first;    /* first child, or -1 */
    int32_t next;     /* next sibling, or -1 */
    size_t key, key_len; /* member key: offset in the tree's text */
    uint64_t key_hash;   /* jp_key_hash of the member key, for lookups */
    size_t text, len;    /* number text, decoded string, "true"/"false" */
} jp_node;

typedef struct jp_tree jp_tree;

jp_tree *jp_tree_new(void);
void jp_tree_free(jp_tree *t);
/* Keeps every copy of a key given more than once in an object, for a
 * reader that refuses such objects (a schema file) rather than read the
 * last copy as records are read. */
void jp_tree_keep_every_copy(jp_tree *t);
/* Builds the tree of json (valid JSON, one value). Returns 0, or -1. */
int jp_tree_build(jp_tree *t, const char *json, size_t len);

/* The same, fed by a parse that is under way elsewhere (the record's own),
 * so a record is parsed once: reset, then one call per parser event. */
void jp_tree_reset(jp_tree *t);
void jp_tree_scalar(jp_tree *t, jp_type type, const void *p, size_t n);
void jp_tree_open(jp_tree *t, jp_type type);
void jp_tree_close(jp_tree *t);
void jp_tree_key(jp_tree *t, const void *key, size_t n);

/* A listener of parse events (json/events.h) that builds tree from them
 * and passes them on to next, which may still skip what it has no use
 * for: the tree gets every event, next only those it asked for. So the
 * record's own parse (the structural scanner's) builds its tree. Strings
 * are decoded as jp_json_unquote does it. */
typedef struct jp_tree_feed {
    jp_tree *tree;
    jp_json_escapes escapes; /* which of the line's strings need decoding */
    const jp_json_listener *next;
    void *next_ctx;
    int depth;    /* containers open */
    int muted_at; /* the depth of the container next skipped, or 0 */
} jp_tree_feed;

extern const jp_json_listener jp_tree_feed_listener;

/* Readies feed for a parse of data[0..n), the tree reset. */
void jp_tree_feed_start(jp_tree_feed *feed, const char *data, size_t n);

const jp_node *jp_tree_node(const jp_tree *t, int32_t i); /* the root is 0 */
/* The hash of a decoded key that every tree's members carry (key_hash):
 * sets of names looked up by members' keys are made with it. */
uint64_t jp_key_hash(const void *key, size_t n);
const char *jp_tree_text(const jp_tree *t, size_t off);

#endif
