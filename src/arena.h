/* arena.h: a bump allocator for memory that lives as long as one record.
 *
 * The expression evaluator makes strings, arrays and numbers' texts for
 * each record it computes; they all die together when the next record
 * starts. An arena hands them out from blocks it keeps, so after the first
 * records evaluation allocates nothing. Blocks never move: a pointer stays
 * valid until jp_arena_reset. One arena belongs to one thread. */
#ifndef JP_ARENA_H
#define JP_ARENA_H

#include <stddef.h>

typedef struct jp_arena_block jp_arena_block;

typedef struct jp_arena {
    jp_arena_block *head;  /* the block being filled; older ones follow */
    size_t used;           /* bytes used in head */
} jp_arena;

/* An arena is zeroed to start. */
void jp_arena_free(jp_arena *a);
/* Frees every allocation at once; the biggest block is kept for reuse. */
void jp_arena_reset(jp_arena *a);
/* n bytes, aligned for any type. Never NULL (allocation failure aborts). */
void *jp_arena_alloc(jp_arena *a, size_t n);
/* A copy of s[0..n) with a NUL after it. */
char *jp_arena_copy(jp_arena *a, const void *s, size_t n);

#endif
