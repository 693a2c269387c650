/* arena.c: blocks of record-lived memory (see arena.h). */
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"

struct jp_arena_block {
    jp_arena_block *next;
    size_t size;
    alignas(max_align_t) char data[];
};

#define BLOCK_MIN 16384

void jp_arena_free(jp_arena *a)
{
    for (jp_arena_block *b = a->head, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    a->head = NULL;
    a->used = 0;
}

void jp_arena_reset(jp_arena *a)
{
    jp_arena_block *keep = a->head;
    for (jp_arena_block *b = a->head; b; b = b->next)
        if (b->size > keep->size)
            keep = b;
    for (jp_arena_block *b = a->head, *next; b; b = next) {
        next = b->next;
        if (b != keep)
            free(b);
    }
    if (keep)
        keep->next = NULL;
    a->head = keep;
    a->used = 0;
}

void *jp_arena_alloc(jp_arena *a, size_t n)
{
    size_t align = alignof(max_align_t);
    size_t at = (a->used + align - 1) & ~(align - 1);
    if (!a->head || at + n > a->head->size || at + n < at) {
        size_t size = BLOCK_MIN;
        while (size < n)
            size *= 2;
        jp_arena_block *b = jp_xmalloc(sizeof *b + size);
        b->size = size;
        b->next = a->head;
        a->head = b;
        at = 0;
    }
    a->used = at + n;
    return a->head->data + at;
}

char *jp_arena_copy(jp_arena *a, const void *s, size_t n)
{
    char *p = jp_arena_alloc(a, n + 1);
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}
