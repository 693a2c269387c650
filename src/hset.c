/* hset.c: open addressing over 64-bit hashes, linear probing. */
#include "hset.h"

#include <stdlib.h>

#include "buf.h"

void jp_hset_init(jp_hset *s, size_t n)
{
    size_t size = 8;
    while (size < 2 * n)
        size *= 2;
    s->slots = jp_xmalloc(size * sizeof *s->slots);
    for (size_t i = 0; i < size; i++)
        s->slots[i].id = -1;
    s->mask = size - 1;
}

void jp_hset_free(jp_hset *s)
{
    free(s->slots);
    s->slots = NULL;
}

void jp_hset_add(jp_hset *s, uint64_t hash, int32_t id)
{
    size_t i = (size_t)hash & s->mask;
    while (s->slots[i].id >= 0)
        i = (i + 1) & s->mask;
    s->slots[i] = (jp_hset_entry){hash, id};
}

uint64_t jp_hash_mix(uint64_t h, uint64_t with)
{
    h ^= with + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    /* splitmix64's finaliser */
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    return h ^ (h >> 31);
}

uint64_t jp_hash_bytes(const void *p, size_t n, uint64_t seed)
{
    const unsigned char *b = p;
    uint64_t h = 14695981039346656037ULL ^ seed; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211ULL;
    return jp_hash_mix(h, n);
}
