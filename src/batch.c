/* batch.c: batch allocation and splitting a batch into lines. */
#include "batch.h"

#include <stdlib.h>

#include "filemap.h"
#include "linemark.h"
#include "lines.h"

static jp_batch *batch_of(char *in, size_t len, size_t cap)
{
    jp_batch *b = jp_xcalloc(1, sizeof *b);
    b->in = in;
    b->in_len = len;
    b->in_cap = cap;
    return b;
}

jp_batch *jp_batch_new(size_t cap)
{
    return batch_of(jp_xmalloc(cap), 0, cap);
}

jp_batch *jp_batch_mapped(jp_filemap *m, const char *in, size_t len)
{
    /* in is never written: the framer has cut its lines. */
    jp_batch *b = batch_of((char *)in, len, len);
    b->region = m;
    return b;
}

static void drop_marks(jp_batch *b)
{
    for (size_t i = 0; i < b->nsegs; i++) {
        jp_line_mark_unref(b->segs[i].mark);
        b->segs[i].mark = NULL;
    }
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
}

void jp_batch_free(jp_batch *b)
{
    if (!b)
        return;
    jp_batch_free_in(b);
    drop_marks(b);
    free(b->segs);
    jp_line_mark_unref(b->end_mark);
    jp_buf_free(&b->out);
    jp_buf_free(&b->err);
    jp_parts_free(&b->out_parts);
    jp_parts_free(&b->err_parts);
    free(b->stages);
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
                          uint64_t first_offset, jp_line_mark *mark)
{
    if (b->nsegs == b->segs_cap) {
        b->segs_cap = b->segs_cap ? 2 * b->segs_cap : 8;
        b->segs = jp_xrealloc(b->segs, b->segs_cap * sizeof *b->segs);
    }
    b->segs[b->nsegs++] =
        (jp_segment){at, file, first_line, first_offset, mark ? jp_line_mark_ref(mark) : NULL};
}

int jp_batch_marked(const jp_batch *b)
{
    for (size_t i = 0; i < b->nsegs; i++)
        if (b->segs[i].mark)
            return 1;
    return b->end_mark != NULL;
}

uint64_t jp_batch_count_last(const jp_batch *b)
{
    size_t at = b->nsegs ? b->segs[b->nsegs - 1].at : b->in_len;
    return jp_count_newlines(b->in + at, b->in_len - at);
}

int jp_batch_resolve(jp_batch *b, int (*give_up)(void), uint64_t *added)
{
    for (size_t i = 0; i < b->nsegs; i++) {
        jp_segment *s = &b->segs[i];
        uint64_t before = 0;
        int got = s->mark ? jp_line_mark_wait(s->mark, give_up, &before) : 0;
        if (got < 0)
            return -1;
        if (got > 0 && b->region)
            b->lost = 1;
        s->first_line += before;
        if (added)
            added[i] = before;
        jp_line_mark_unref(s->mark);
        s->mark = NULL;
    }
    return 0;
}

void jp_batch_set_end(jp_batch *b, uint64_t last_lines)
{
    if (!b->end_mark)
        return;
    if (b->region && !jp_filemap_intact(b->region, b->in + b->in_len))
        b->lost = 1;
    jp_line_mark_set(b->end_mark, b->nsegs ? b->segs[b->nsegs - 1].first_line + last_lines : 0,
                     b->lost);
    jp_line_mark_unref(b->end_mark);
    b->end_mark = NULL;
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
    line->seg = it->seg;
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
