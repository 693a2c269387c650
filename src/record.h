/* record.h: one NDJSON record as the processors see it.
 *
 * A record is the bytes of one input line, parsed with yajl's callback API.
 * Nothing is built but the positions of the values on the paths that the
 * processors declared (see fields.h). Edits splice new bytes into a copy of
 * the line, so every byte a processor did not change (number spelling, key
 * order, escapes, spacing) comes out exactly as it came in.
 *
 * Duplicate keys: a read sees what ECMAScript, Python and Go keep, the last
 * copy of a key, and below a duplicated parent object only what its last
 * copy holds. Every edit below removes the copies of its field that a read
 * does not see (earlier copies of the key, and the key inside earlier copies
 * of a parent), so no old value survives beside the edited one; a processor
 * gets that by editing through these calls and nothing else.
 *
 * A jp_record belongs to one worker thread and is reused for every line that
 * thread handles; it never holds a pointer into a line past the next parse. */
#ifndef JP_RECORD_H
#define JP_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "fields.h"

typedef enum jp_type {
    JP_ABSENT = 0,
    JP_NULL,
    JP_BOOLEAN,
    JP_NUMBER,
    JP_STRING,
    JP_OBJECT,
    JP_ARRAY
} jp_type;

/* A value's bytes are [start, end) of jp_record_bytes(). For an object
 * member, [key_start, key_end) is its quoted key. */
typedef struct jp_value {
    size_t start, end;
    size_t key_start, key_end;
    jp_type type;
} jp_value;

/* Where the record came from: its line, and for a record that stages made
 * of the line (JP_EXPAND, --explode) its place among them: expanded[k] is
 * its index, from 0, among the records that the k-th expansion on its way
 * (outermost first) made of the record before it. */
typedef struct jp_source {
    const char *file;
    uint64_t line, offset;
    const uint64_t *expanded; /* nexpanded entries, owned by the chain worker */
    int nexpanded;            /* 0: the line's own record */
} jp_source;

typedef struct jp_record jp_record;

typedef struct jp_tree jp_tree;

/* With want_tree, the parse also builds the record's whole tree (tree.h)
 * for processors that must see every value. */
jp_record *jp_record_new(const jp_fields *fields, int max_depth, int want_tree);
void jp_record_free(jp_record *r);

/* The line the record comes from; it is no record made of another. */
void jp_record_set_source(jp_record *r, const char *file, uint64_t line, uint64_t offset);
/* The record was made by expansions: its source's expanded indices become
 * indices[0..n), which must stay valid while the record is processed. */
void jp_record_set_expanded(jp_record *r, const uint64_t *indices, int n);
/* How deep the record may nest (--max-depth): also the limit of values
 * that are made to go into it. */
int jp_record_max_depth(const jp_record *r);
const jp_source *jp_record_source(const jp_record *r);

/* Parses one line (no newline). Returns 0, or -1 with the reason in
 * jp_record_reason(). The line must stay valid until the next parse. */
int jp_record_parse(jp_record *r, const char *line, size_t len);
/* The same for the line without its first skip bytes (a byte order mark
 * that starts an input, which is not part of the record); the columns of
 * reasons still count from the line's first byte. */
int jp_record_parse_after(jp_record *r, const char *line, size_t len, size_t skip);

/* The record's whole tree, as its bytes are now (built by the parse, or
 * anew after an edit). NULL unless the record was made with want_tree. */
const jp_tree *jp_record_tree(jp_record *r);

/* The value of a declared field, or NULL when the record lacks it: the
 * last copy of the key, within the last copy of each parent. */
const jp_value *jp_record_get(jp_record *r, int field);

/* The record's current bytes: the line itself until the first edit. */
const char *jp_record_bytes(const jp_record *r, size_t *len);
int jp_record_edited(const jp_record *r);

/* Removes every copy of the field that jp_record_get does not return, and
 * returns how many there were. The other edits do this first; call it
 * alone for an edit that finds nothing to change (--hash of a field the
 * record lacks), so that a shadowed value does not survive it. */
int jp_record_unshadow(jp_record *r, int field);

/* Replaces the field's value with json (one compact JSON value), or adds it
 * as the last member of its parent object, creating missing parent objects;
 * the field is left with one copy. Returns 0, or -1 with a reason when a
 * parent exists but is not an object. */
int jp_record_set(jp_record *r, int field, const char *json, size_t len);

/* Removes every copy of the field (key and value). Returns 1 when there
 * was one, 0 when the record lacks it. */
int jp_record_delete(jp_record *r, int field);

/* Renames the member field to to. When to is a sibling (same parent) the
 * member keeps its place and only its key changes; otherwise the value
 * moves, as jp_record_set places it, and field is deleted. Every copy of to
 * is removed first. Returns 1 when the record changed, 0 when not (it lacks
 * field), or -1 with a reason when to's parent is not an object. */
int jp_record_rename(jp_record *r, int field, int to);

/* Replaces the whole record with json. */
void jp_record_replace(jp_record *r, const char *json, size_t len);

/* The dotted path of a declared field, as the user wrote it. */
const char *jp_record_field_path(const jp_record *r, int field);

/* Why the last parse or edit failed, or why a processor rejected. */
const char *jp_record_reason(const jp_record *r);
void jp_record_set_reason(jp_record *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* "a string", "an object", "null": for messages. */
const char *jp_type_phrase(jp_type t);
/* The type of the valid JSON value whose first byte is c. */
jp_type jp_type_of_json(char c);

#endif
