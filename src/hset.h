/* hset.h: a set of values by hash, for enum, const and "in" lists of any
 * size: a value's hash finds the few entries that may equal it, so a
 * lookup costs the same for 3 values or 300,000.
 *
 * The set holds only hashes and the caller's ids; the caller hashes values
 * so that equal values hash alike (jp_number_hash for numbers) and checks
 * each id found for real equality. Built once at start-up, then read-only. */
#ifndef JP_HSET_H
#define JP_HSET_H

#include <stddef.h>
#include <stdint.h>

typedef struct jp_hset_entry {
    uint64_t hash;
    int32_t id; /* -1: empty */
} jp_hset_entry;

typedef struct jp_hset {
    jp_hset_entry *slots;
    size_t mask;
} jp_hset;

/* A set with room for n ids. */
void jp_hset_init(jp_hset *s, size_t n);
void jp_hset_free(jp_hset *s);
void jp_hset_add(jp_hset *s, uint64_t hash, int32_t id);

/* Steps through the ids added with this hash: *cursor starts at 0.
 * Returns the next id, or -1 when there is none left. Inline: --schema
 * looks up every member of every object this way. */
static inline int32_t jp_hset_next(const jp_hset *s, uint64_t hash, size_t *cursor)
{
    /* The slots probed so far are counted in *cursor. */
    for (size_t i = ((size_t)hash + *cursor) & s->mask; s->slots[i].id >= 0;
         i = (i + 1) & s->mask) {
        ++*cursor;
        if (s->slots[i].hash == hash)
            return s->slots[i].id;
    }
    return -1;
}

/* Hashes of bytes and of a hash with a tag, for building value hashes. */
uint64_t jp_hash_bytes(const void *p, size_t n, uint64_t seed);
uint64_t jp_hash_mix(uint64_t h, uint64_t with);

#endif
