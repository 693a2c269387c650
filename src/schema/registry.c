/* registry.c: schema documents and the resources in them by absolute URI
 * (registry.h). A document is walked once when it is read: each subschema
 * gets its base URI, and each $id, $anchor and $dynamicAnchor is recorded.
 * Only the places that hold subschemas are walked as schemas, so an "$id"
 * inside a const, an enum or an unknown keyword names nothing, as the
 * specification says. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "hset.h"
#include "json.h"
#include "registry.h"
#include "uri.h"

/* Deeper than this the compiler refuses the schema anyway: the walk
 * stops there rather than risk the stack. */
#define MAX_WALK_DEPTH 600

typedef struct named_node {
    char *uri; /* owned */
    jp_schema_doc *doc;
    int32_t node;
    const char *dynamic; /* a $dynamicAnchor's name (in uri), else NULL */
    const char *base;
} named_node;

struct jp_registry {
    jp_schema_map *maps; /* copies, owned */
    int nmaps;
    jp_schema_doc **docs;
    int ndocs;
    named_node *res; /* resources, by their URI without fragment, and anchors, with it */
    int nres;
    jp_hset index;   /* res by the hash of its URI, rebuilt twice as large when full */
    size_t index_room;
    char **strings;  /* the base URIs the documents' nodes point to */
    int nstrings;
};

jp_registry *jp_registry_new(const jp_schema_map *maps, int nmaps)
{
    jp_registry *r = jp_xcalloc(1, sizeof *r);
    r->maps = jp_xcalloc((size_t)nmaps + 1, sizeof *r->maps);
    for (int i = 0; i < nmaps; i++)
        r->maps[i] = (jp_schema_map){jp_xstrdup(maps[i].prefix), jp_xstrdup(maps[i].dir)};
    r->nmaps = nmaps;
    return r;
}

void jp_registry_free(jp_registry *r)
{
    if (!r)
        return;
    for (int i = 0; i < r->nmaps; i++) {
        free((char *)r->maps[i].prefix);
        free((char *)r->maps[i].dir);
    }
    free(r->maps);
    for (int i = 0; i < r->ndocs; i++) {
        jp_tree_free(r->docs[i]->tree);
        free(r->docs[i]->uri);
        free(r->docs[i]->base);
        free(r->docs[i]);
    }
    free(r->docs);
    for (int i = 0; i < r->nres; i++)
        free(r->res[i].uri);
    free(r->res);
    jp_hset_free(&r->index);
    for (int i = 0; i < r->nstrings; i++)
        free(r->strings[i]);
    free(r->strings);
    free(r);
}

static const char *keep(jp_registry *r, char *s)
{
    r->strings = jp_xrealloc(r->strings, (size_t)(r->nstrings + 1) * sizeof *r->strings);
    return r->strings[r->nstrings++] = s;
}

static const named_node *lookup(const jp_registry *r, const char *uri, size_t n)
{
    if (!r->index_room)
        return NULL;
    size_t cursor = 0;
    for (int32_t i; (i = jp_hset_next(&r->index, jp_hash_bytes(uri, n, 0), &cursor)) >= 0;)
        if (strlen(r->res[i].uri) == n && memcmp(r->res[i].uri, uri, n) == 0)
            return &r->res[i];
    return NULL;
}

/* The first to claim a URI keeps it. */
static named_node *name_node(jp_registry *r, char *uri, jp_schema_doc *doc, int32_t node)
{
    if (lookup(r, uri, strlen(uri))) {
        free(uri);
        return NULL;
    }
    r->res = jp_xrealloc(r->res, (size_t)(r->nres + 1) * sizeof *r->res);
    r->res[r->nres] = (named_node){uri, doc, node, NULL, NULL};
    if ((size_t)r->nres >= r->index_room) {
        jp_hset_free(&r->index);
        r->index_room = r->index_room ? r->index_room * 2 : 64;
        jp_hset_init(&r->index, r->index_room);
        for (int i = 0; i < r->nres; i++)
            jp_hset_add(&r->index, jp_hash_bytes(r->res[i].uri, strlen(r->res[i].uri), 0), i);
    }
    jp_hset_add(&r->index, jp_hash_bytes(uri, strlen(uri), 0), r->nres);
    return &r->res[r->nres++];
}

enum holds { DATA, SCHEMA, SCHEMA_MAP, SCHEMA_LIST };

/* What the value of a schema's keyword holds. */
static enum holds holds_of(const char *k, size_t n)
{
    static const struct { const char *k; enum holds h; } t[] = {
        {"properties", SCHEMA_MAP}, {"patternProperties", SCHEMA_MAP}, {"$defs", SCHEMA_MAP},
        {"dependentSchemas", SCHEMA_MAP}, {"allOf", SCHEMA_LIST}, {"anyOf", SCHEMA_LIST},
        {"oneOf", SCHEMA_LIST}, {"prefixItems", SCHEMA_LIST}, {"items", SCHEMA},
        {"additionalProperties", SCHEMA}, {"propertyNames", SCHEMA}, {"not", SCHEMA},
        {"if", SCHEMA}, {"then", SCHEMA}, {"else", SCHEMA}, {"contains", SCHEMA},
        {"unevaluatedItems", SCHEMA}, {"unevaluatedProperties", SCHEMA},
        {"contentSchema", SCHEMA}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strlen(t[i].k) == n && memcmp(t[i].k, k, n) == 0)
            return t[i].h;
    return DATA;
}

static const jp_node *member(const jp_side *d, const jp_node *obj, const char *key)
{
    for (int32_t i = obj->first; i >= 0; i = d->nodes[i].next)
        if (d->nodes[i].key_len == strlen(key) && memcmp(d->text + d->nodes[i].key, key, strlen(key)) == 0)
            return &d->nodes[i];
    return NULL;
}

static char *text_of(const jp_side *d, const jp_node *n)
{
    char *s = jp_xmalloc(n->len + 1);
    memcpy(s, d->text + n->text, n->len);
    s[n->len] = '\0';
    return s;
}

static void name_anchor(jp_registry *r, jp_schema_doc *doc, int32_t i, const char *base,
                        const jp_node *a, int dynamic)
{
    if (!a || a->type != JP_STRING)
        return;
    jp_buf u = {0};
    jp_buf_append(&u, base, jp_uri_without_fragment(base));
    jp_buf_putc(&u, '#');
    size_t name = u.len;
    jp_buf_append(&u, doc->d.text + a->text, a->len);
    jp_buf_putc(&u, '\0');
    named_node *n = name_node(r, u.data, doc, i);
    if (n) {
        n->base = base;
        n->dynamic = dynamic ? n->uri + name : NULL;
    }
}

int jp_registry_next_dynamic(const jp_registry *r, const char *name, int *cursor,
                             jp_schema_doc **doc, int32_t *node, const char **base)
{
    for (; *cursor < r->nres; (*cursor)++) {
        const named_node *n = &r->res[*cursor];
        if (n->dynamic && strcmp(n->dynamic, name) == 0) {
            *doc = n->doc;
            *node = n->node;
            *base = n->base;
            (*cursor)++;
            return 0;
        }
    }
    return -1;
}

static void walk(jp_registry *r, jp_schema_doc *doc, int32_t i, const char *base,
                 enum holds h, int depth)
{
    const jp_side *d = &doc->d;
    const jp_node *n = &d->nodes[i];
    doc->base = jp_xgrow_zeroed(doc->base, &doc->nbase, (size_t)i, sizeof *doc->base);
    if (h == SCHEMA && n->type == JP_OBJECT) {
        const jp_node *id = member(d, n, "$id");
        if (id && id->type == JP_STRING) {
            char *ref = text_of(d, id);
            char *abs = jp_uri_resolve(base, ref);
            free(ref);
            abs[jp_uri_without_fragment(abs)] = '\0';
            base = keep(r, abs);
            name_node(r, jp_xstrdup(base), doc, i);
        }
        name_anchor(r, doc, i, base, member(d, n, "$anchor"), 0);
        name_anchor(r, doc, i, base, member(d, n, "$dynamicAnchor"), 1);
    }
    doc->base[i] = base;
    if (depth == MAX_WALK_DEPTH)
        return;
    for (int32_t c = n->first; c >= 0; c = d->nodes[c].next) {
        enum holds ch = DATA;
        if (h == SCHEMA && n->type == JP_OBJECT)
            ch = holds_of(d->text + d->nodes[c].key, d->nodes[c].key_len);
        else if ((h == SCHEMA_MAP && n->type == JP_OBJECT) || (h == SCHEMA_LIST && n->type == JP_ARRAY))
            ch = SCHEMA;
        walk(r, doc, c, base, ch, depth + 1);
    }
}

/* Reads the file at path as the document of uri. */
static jp_schema_doc *load(jp_registry *r, const char *uri, const char *path, char *err,
                           size_t errlen)
{
    jp_buf text = {0};
    if (jp_buf_read_file(&text, path) < 0) {
        snprintf(err, errlen, "cannot read: %s", jp_buf_read_error(errno));
        jp_buf_free(&text);
        return NULL;
    }
    /* Checked as one JSON value first, for a reason when it is not one. */
    jp_buf compact = {0};
    char why[8];
    int bad_json = jp_json_compact(&compact, text.data ? text.data : "", text.len, why,
                                   sizeof why) < 0;
    jp_buf_free(&compact);
    jp_tree *tree = jp_tree_new();
    jp_tree_keep_every_copy(tree);
    if (bad_json || jp_tree_build(tree, text.data, text.len) < 0) {
        char where[256];
        jp_json_file_error(text.data ? text.data : "", text.len, where, sizeof where);
        snprintf(err, errlen, "not JSON at %s", where);
        jp_buf_free(&text);
        jp_tree_free(tree);
        return NULL;
    }
    jp_buf_free(&text);
    jp_schema_doc *doc = jp_xcalloc(1, sizeof *doc);
    doc->tree = tree;
    doc->d = (jp_side){jp_tree_node(tree, 0), jp_tree_text(tree, 0)};
    doc->uri = jp_xstrdup(uri);
    r->docs = jp_xrealloc(r->docs, (size_t)(r->ndocs + 1) * sizeof *r->docs);
    r->docs[r->ndocs++] = doc;
    name_node(r, jp_xstrdup(uri), doc, 0);
    walk(r, doc, 0, keep(r, jp_xstrdup(uri)), SCHEMA, 0);
    return doc;
}

jp_schema_doc *jp_registry_load_root(jp_registry *r, const char *path, char *err,
                                     size_t errlen)
{
    /* Percent-encoded, so that a '#', '?' or '%' in a directory's name is
     * not read as a part of the URI. */
    char *real = realpath(path, NULL);
    jp_buf uri = {0};
    jp_buf_puts(&uri, "file://");
    for (const unsigned char *p = (const unsigned char *)(real ? real : path); *p; p++)
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("/-._~", *p))
            jp_buf_putc(&uri, (char)*p);
        else
            jp_buf_printf(&uri, "%%%02X", *p);
    jp_buf_putc(&uri, '\0');
    free(real);
    jp_schema_doc *doc = load(r, uri.data, path, err, errlen);
    jp_buf_free(&uri);
    return doc;
}

/* Reads the document of uri (no fragment) from where a map or a file:
 * URI says it is. */
static int fetch_local(jp_registry *r, const char *uri, char *err, size_t errlen)
{
    const char *dir = NULL, *rest = NULL;
    for (int i = 0; i < r->nmaps && !rest; i++) {
        size_t n = strlen(r->maps[i].prefix);
        if (strncmp(uri, r->maps[i].prefix, n) == 0) {
            dir = r->maps[i].dir;
            rest = uri + n;
        }
    }
    if (!rest && strncmp(uri, "file://", 7) == 0)
        rest = uri + 7;
    if (!rest) {
        snprintf(err, errlen, "not a file, and no --schema-map covers it");
        return -1;
    }
    size_t len;
    char *name = jp_uri_percent_decode(rest, strlen(rest), &len);
    if (!name || strlen(name) != len) {
        snprintf(err, errlen, "not the name of a file (a bad %% or a NUL)");
        free(name);
        return -1;
    }
    /* DIR and the rest are one path, whether DIR ends with a / or not. */
    jp_buf path = {0};
    if (dir)
        jp_buf_printf(&path, "%s%s", dir,
                      *dir && dir[strlen(dir) - 1] != '/' && name[0] != '/' ? "/" : "");
    jp_buf_puts(&path, name);
    jp_buf_putc(&path, '\0');
    free(name);
    char why[256];
    jp_schema_doc *doc = load(r, uri, path.data, why, sizeof why);
    if (!doc)
        snprintf(err, errlen, "%s: %s", path.data, why);
    jp_buf_free(&path);
    return doc ? 0 : -1;
}

/* The node a JSON Pointer (already percent-decoded) names from node i;
 * -1 when there is none, -2 when a ~ is not followed by 0 or 1. */
static int32_t follow(const jp_side *d, int32_t i, const char *p, size_t n)
{
    size_t at = 0;
    jp_buf tok = {0};
    while (i >= 0 && at < n) {
        if (p[at] != '/') {
            i = -1;
            break;
        }
        tok.len = 0;
        for (at++; at < n && p[at] != '/'; at++) {
            if (p[at] == '~' && at + 1 < n && (p[at + 1] == '0' || p[at + 1] == '1'))
                jp_buf_putc(&tok, p[++at] == '0' ? '~' : '/');
            else if (p[at] == '~')
                break;
            else
                jp_buf_putc(&tok, p[at]);
        }
        if (at < n && p[at] == '~') {
            i = -2;
            break;
        }
        const jp_node *cur = &d->nodes[i];
        int32_t next = -1;
        if (cur->type == JP_OBJECT) {
            for (int32_t c = cur->first; c >= 0 && next < 0; c = d->nodes[c].next)
                if (d->nodes[c].key_len == tok.len &&
                    memcmp(d->text + d->nodes[c].key, tok.data ? tok.data : "", tok.len) == 0)
                    next = c;
        } else if (cur->type == JP_ARRAY && tok.len && tok.len < 10 &&
                   (tok.data[0] != '0' || tok.len == 1)) {
            size_t k = 0, idx = 0;
            while (k < tok.len && tok.data[k] >= '0' && tok.data[k] <= '9')
                idx = idx * 10 + (size_t)(tok.data[k++] - '0');
            int32_t c = cur->first;
            while (k == tok.len && c >= 0 && idx--)
                c = d->nodes[c].next;
            next = k == tok.len ? c : -1;
        }
        i = next;
    }
    jp_buf_free(&tok);
    return i;
}

int jp_registry_find(jp_registry *r, const char *uri, jp_schema_doc **doc, int32_t *node,
                     char *err, size_t errlen)
{
    size_t n = jp_uri_without_fragment(uri);
    const char *frag = uri[n] == '#' ? uri + n + 1 : "";
    if (*frag && *frag != '/') {
        const named_node *a = lookup(r, uri, strlen(uri));
        if (!a && !lookup(r, uri, n)) {
            char *res = jp_xstrdup(uri);
            res[n] = '\0';
            int rc = fetch_local(r, res, err, errlen);
            free(res);
            if (rc < 0)
                return -1;
            a = lookup(r, uri, strlen(uri));
        }
        if (!a) {
            snprintf(err, errlen, "no anchor \"%s\" there", frag);
            return -1;
        }
        *doc = a->doc;
        *node = a->node;
        return 0;
    }
    const named_node *res = lookup(r, uri, n);
    if (!res) {
        char *base = jp_xstrdup(uri);
        base[n] = '\0';
        int rc = fetch_local(r, base, err, errlen);
        free(base);
        if (rc < 0)
            return -1;
        res = lookup(r, uri, n);
    }
    size_t plen;
    char *pointer = jp_uri_percent_decode(frag, strlen(frag), &plen);
    if (!pointer) {
        snprintf(err, errlen, "a %% not followed by two hex digits");
        return -1;
    }
    int32_t i = res ? follow(&res->doc->d, res->node, pointer, plen) : -1;
    free(pointer);
    if (i < 0) {
        snprintf(err, errlen, i == -2 ? "a ~ not followed by 0 or 1" : "no such place");
        return -1;
    }
    *doc = res->doc;
    *node = i;
    return 0;
}
