/* sch.h: the compiled form of a schema, built by compile.c and applied by
 * validate.c; internal to src/schema/. Every sch belongs to its schema
 * (schema.all) and points into the documents its registry owns. */
#ifndef JP_SCHEMA_SCH_H
#define JP_SCHEMA_SCH_H

#include <stddef.h>
#include <stdint.h>

#include "ecma_simple.h"
#include "equal.h"
#include "format.h"
#include "hset.h"
#include "number.h"
#include "regex.h"
#include "registry.h"
#include "schema.h"
#include "tree.h"

enum {
    T_NULL = 1 << JP_NULL, T_BOOLEAN = 1 << JP_BOOLEAN, T_NUMBER = 1 << JP_NUMBER,
    T_STRING = 1 << JP_STRING, T_OBJECT = 1 << JP_OBJECT, T_ARRAY = 1 << JP_ARRAY,
    T_INTEGER = 1 << 10
};


typedef struct sch sch;

typedef struct named {
    const char *name; /* points into the schema's tree */
    size_t len;
    sch *s;
    uint64_t hash;    /* jp_key_hash of the name */
    int required;     /* of a property: its place in the required list when
                         the list names it once, else -1 */
} named;

typedef struct pattern {
    jp_regex *re;
    jp_ecma_simple *fast; /* NULL: not simple */
    const char *source;
    size_t len;
    sch *s;
} pattern;

/* "dependentRequired": {"name": [names]}. */
typedef struct dependent {
    const char *name;
    size_t len;
    const jp_node *names; /* the array */
} dependent;

typedef struct list {
    sch **v;
    int n;
} list;

typedef struct number {
    const char *text; /* in the schema's tree, not NUL-terminated */
    size_t len;
    int is_plain;     /* plain holds it, read once */
    jp_plain_number plain;
} number;

enum { PROPS_NONE = -1, PROPS_SEVERAL = -2 };

/* Groups of keywords a subschema may have (sch.has). */
enum {
    HAS_VALUE = 1,    /* type, const, enum */
    HAS_OBJECT = 2,   /* the keywords of objects */
    HAS_ARRAY = 4,    /* of arrays */
    HAS_NUMBER = 8,   /* of numbers */
    HAS_STRING = 16,  /* of strings */
    HAS_IN_PLACE = 32, /* allOf, anyOf, oneOf, not, if, $ref, $dynamicRef */
    HAS_UNEVALUATED = 64 /* unevaluatedProperties, unevaluatedItems */
};

struct sch {
    int id;                  /* index in schema.all */
    unsigned has;            /* its groups of keywords, set once all are compiled:
                                validation passes over the others with one test */
    int has_no_subschemas;   /* a schema object whose keywords apply none */
    char *where;             /* its place in the schema, for messages */
    const jp_schema_doc *doc; /* the document it is compiled from, */
    int32_t node;            /* and its node there */
    const jp_side *d;        /* doc's values, which const, enum and required point into */
    int boolean;             /* -1: a schema object; 0: false; 1: true */
    unsigned types;          /* 0: any */
    const char *types_text;  /* for messages */
    const jp_node **required; /* the names, in the list's order */
    int nrequired;
    jp_hset required_set;     /* the names by hash: their place in the list */
    uint64_t required_bits;   /* bit (hash & 63) of each name: most keys that are
                                 not required are told by it alone */
    named *props;
    int nprops;
    /* props by the low bits of their names' hashes: the one property whose
     * hash has them, PROPS_NONE, or PROPS_SEVERAL (then look in prop_set),
     * so a key is told by one load and one comparison of hashes. */
    int32_t *prop_table;
    uint64_t prop_mask;
    jp_hset prop_set;        /* props by name hash */
    pattern *pprops;
    int npprops;
    sch *additional, *names;
    const jp_node *constv, *enumv;
    jp_hset enum_set;        /* enumv's values by hash: node index in the schema */
    int enum_few_strings;    /* enumv is a few strings, compared in turn */
    number minimum, maximum, xminimum, xmaximum, multiple;
    long long min_length, max_length, min_items, max_items; /* -1: none */
    pattern pat;
    jp_format_check format;  /* NULL: none asserted */
    const char *format_name; /* its name, static */
    list prefix;
    sch *items;
    int unique;
    list all, any, one;
    sch *not_, *if_, *then_, *else_;
    sch *ref;
    long long min_props, max_props;          /* -1: none */
    sch *contains;
    long long min_contains, max_contains;    /* 1 and -1 unless given */
    dependent *dep_required;  /* names whose presence requires a list of names */
    int ndep_required;
    named *dep_schemas;       /* names whose presence applies a schema to the object */
    int ndep_schemas;
    sch *uneval_props, *uneval_items;
    const char *base;         /* its resource's base URI, interned by the registry */
    /* $dynamicRef: where it points unless the dynamic scope holds a
     * resource with the same $dynamicAnchor, listed in dyn. */
    sch *dynref;
    struct dyn_target { const char *base; sch *s; } *dyn;
    int ndyn;
};

typedef struct doc_places {
    const jp_schema_doc *doc;
    sch **at;
    size_t n;
} doc_places;

typedef struct schema {
    jp_registry *reg; /* every document read, and its named places */
    sch *root;
    sch **all;   /* every compiled node, to free */
    int nall;
    doc_places *places; /* the same, by document and node */
    int nplaces;
    uint64_t budget;
    int dynamic; /* some subschema has $dynamicRef: evaluation keeps its scope */
} schema;

/* A name for messages: NUL-terminated, a NUL in it shown as \u0000; one
 * too long for out is cut on a whole character and marked "...". */
void sch_show(char *out, size_t outlen, const char *s, size_t n);
/* sch_show() of all of s, in a new string the caller frees. */
char *sch_show_whole(const char *s, size_t n);

#endif
