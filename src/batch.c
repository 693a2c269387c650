/* batch.c: batch allocation and splitting a batch into lines. */
#include "batch.h"

#include <stdlib.h>

jp_batch *jp_batch_new(size_t cap)
{
    jp_batch *b = jp_xmalloc(sizeof *b);
    memset(b, 0, sizeof *b);
    b->in = jp_xmalloc(cap);
    b->in_cap = cap;
    return b;
}

void jp_batch_free(jp_batch *b)
{
    if (!b)
        return;
    free(b->in);
    jp_buf_free(&b->out);
    jp_buf_free(&b->err);
    free(b->stages);
    free(b);
}

int jp_batch_next_line(const jp_batch *b, size_t *pos, uint64_t *count, jp_line *line)
{
    if (*pos >= b->in_len)
        return 0;
    const char *start = b->in + *pos;
    size_t left = b->in_len - *pos;
    const char *nl = memchr(start, '\n', left);
    size_t len = nl ? (size_t)(nl - start) : left;

    line->data = start;
    line->len = len && start[len - 1] == '\r' ? len - 1 : len;
    line->offset = b->first_offset + *pos;
    line->number = b->first_line + ++*count;
    *pos += nl ? len + 1 : len;
    return 1;
}
