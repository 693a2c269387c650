/* batch.c: batch allocation and splitting a batch into lines. */
#include "batch.h"

#include <stdlib.h>

#include "filemap.h"

jp_batch *jp_batch_new(size_t cap)
{
    jp_batch *b = jp_xmalloc(sizeof *b);
    memset(b, 0, sizeof *b);
    b->in = jp_xmalloc(cap);
    b->in_cap = cap;
    return b;
}

jp_batch *jp_batch_mapped(jp_filemap *m, const char *in, size_t len)
{
    jp_batch *b = jp_xmalloc(sizeof *b);
    memset(b, 0, sizeof *b);
    b->in = (char *)in; /* never written: the framer has cut its lines */
    b->in_len = b->in_cap = len;
    b->region = m;
    return b;
}

void jp_batch_free_in(jp_batch *b)
{
    if (b->region)
        jp_filemap_unref(b->region);
    else
        free(b->in);
    b->region = NULL;
    b->in = NULL;
    free(b->longs);
    b->longs = NULL;
    b->nlongs = b->longs_cap = 0;
    free(b->segs);
    b->segs = NULL;
    b->nsegs = b->segs_cap = 0;
}

void jp_batch_free(jp_batch *b)
{
    if (!b)
        return;
    jp_batch_free_in(b);
    jp_buf_free(&b->out);
    jp_buf_free(&b->err);
    jp_parts_free(&b->out_parts);
    jp_parts_free(&b->err_parts);
    free(b->stages);
    free(b->lost);
    free(b);
}

jp_part *jp_parts_add(jp_parts *p, const char *name, size_t len)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 8;
        p->v = jp_xrealloc(p->v, p->cap * sizeof *p->v);
    }
    jp_part *part = &p->v[p->n++];
    *part = (jp_part){.name_at = p->names.len, .name_len = len};
    jp_buf_append(&p->names, name, len);
    return part;
}

void jp_parts_free(jp_parts *p)
{
    free(p->v);
    jp_buf_free(&p->names);
    memset(p, 0, sizeof *p);
}

void jp_batch_add_long(jp_batch *b, size_t at, uint64_t len)
{
    if (b->nlongs == b->longs_cap) {
        b->longs_cap = b->longs_cap ? 2 * b->longs_cap : 8;
        b->longs = jp_xrealloc(b->longs, b->longs_cap * sizeof *b->longs);
    }
    b->longs[b->nlongs++] = (jp_long_line){at, len};
}

void jp_batch_add_segment(jp_batch *b, size_t at, const char *file, uint64_t first_line,
                          uint64_t first_offset)
{
    if (b->nsegs == b->segs_cap) {
        b->segs_cap = b->segs_cap ? 2 * b->segs_cap : 8;
        b->segs = jp_xrealloc(b->segs, b->segs_cap * sizeof *b->segs);
    }
    b->segs[b->nsegs++] = (jp_segment){at, file, first_line, first_offset};
}

int jp_batch_next_line(const jp_batch *b, jp_line_iter *it, jp_line *line)
{
    if (it->pos >= b->in_len)
        return 0;
    while (it->seg + 1 < b->nsegs && b->segs[it->seg + 1].at <= it->pos) {
        it->seg++;
        it->count = 0;
        it->skipped = 0;
    }
    const jp_segment *s = &b->segs[it->seg];
    size_t end = it->seg + 1 < b->nsegs ? b->segs[it->seg + 1].at : b->in_len;
    const char *start = b->in + it->pos;
    size_t left = end - it->pos;
    const char *nl = memchr(start, '\n', left);
    size_t len = nl ? (size_t)(nl - start) : left;

    line->data = start;
    line->file = s->file;
    line->offset = s->first_offset + (it->pos - s->at) + it->skipped;
    line->number = s->first_line + ++it->count;
    if (it->nlong < b->nlongs && b->longs[it->nlong].at == it->pos) {
        line->len = len; /* only its start: nothing to strip */
        line->long_len = b->longs[it->nlong++].len;
        it->skipped += line->long_len - len;
    } else {
        line->len = len && start[len - 1] == '\r' ? len - 1 : len;
        line->long_len = 0;
    }
    it->pos += nl ? len + 1 : len;
    return 1;
}
