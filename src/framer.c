/* framer.c: line framing, segments of inputs, and over-long line skipping. */
#include "framer.h"

#include <stdlib.h>
#include <string.h>

#include "linemark.h"
#include "lines.h"

void jp_framer_init(jp_framer *f, size_t batch_size, size_t max_line, jp_framer_emit_fn emit,
                    void *ctx)
{
    memset(f, 0, sizeof *f);
    f->batch_size = batch_size;
    f->max_line = max_line;
    f->max_segs = batch_size / (8 * sizeof(jp_segment));
    if (f->max_segs == 0)
        f->max_segs = 1;
    f->emit = emit;
    f->ctx = ctx;
}

static size_t keep_len(const jp_framer *f)
{
    return f->max_line < JP_LONG_LINE_KEEP ? f->max_line : JP_LONG_LINE_KEEP;
}

/* The current input's bytes cur->in[start..end), lines of them, are final:
 * they become a segment of cur, and the input's next bytes start at end. */
static void close_segment(jp_framer *f, size_t end, uint64_t lines)
{
    if (end > f->start)
        jp_batch_add_segment(f->cur, f->start, f->file, f->line, f->offset, f->mark);
    f->line += lines;
    f->offset += end - f->start + f->dropped;
    f->dropped = 0;
    f->start = end;
}

/* Emits cur->in[0..cut) and moves the partial line after it to a new batch. */
static void emit_whole(jp_framer *f)
{
    close_segment(f, f->cut, f->cut_lines);
    jp_batch *b = f->cur;
    size_t partial = b->in_len - f->cut;
    jp_batch *next = NULL;
    if (partial) {
        size_t cap = partial < f->batch_size ? f->batch_size : partial + f->batch_size;
        next = jp_batch_new(cap);
        memcpy(next->in, b->in + f->cut, partial);
        next->in_len = partial;
    }
    b->in_len = f->cut;
    f->cur = next;
    f->start = 0;
    f->scanned = partial;
    f->cut = 0;
    f->cut_lines = 0;
    f->emit(f->ctx, b);
}

/* Emits everything held; the current input has ended. */
static void emit_all(jp_framer *f)
{
    jp_batch *b = f->cur;
    f->cur = NULL;
    f->start = f->scanned = f->cut = 0;
    if (b && b->in_len)
        f->emit(f->ctx, b);
    else
        jp_batch_free(b);
}

/* The line at cur->in[cut..] of len bytes has ended: it is over-long and
 * its kept start is in place at cut. */
static void end_long(jp_framer *f, uint64_t len)
{
    jp_batch_add_long(f->cur, f->cut, len);
    f->dropped += len - keep_len(f);
}

static void scan(jp_framer *f);

/* The line now in cur after the whole lines is too long: keep its start.
 * The whole lines go first, so the dropped bytes have a batch of room. */
static void start_skipping(jp_framer *f)
{
    if (f->cut)
        emit_whole(f);
    f->skipping = f->cur->in_len;
    f->cur->in_len = keep_len(f);
    f->scanned = f->cur->in_len;
}

/* n bytes arrived after the kept start of an over-long line (at cut). */
static void skip(jp_framer *f, size_t n)
{
    jp_batch *b = f->cur;
    char *p = b->in + b->in_len;
    char *nl = memchr(p, '\n', n);
    if (!nl) {
        f->skipping += n;
        return;
    }
    end_long(f, f->skipping + (size_t)(nl - p));
    size_t rest = n - (size_t)(nl + 1 - p);
    *p = '\n'; /* after the kept start; the bytes after nl move up to it */
    memmove(p + 1, nl + 1, rest);
    b->in_len += 1 + rest;
    f->cut = (size_t)(p + 1 - b->in);
    f->cut_lines++;
    f->scanned = f->cut;
    f->skipping = 0;
    scan(f);
}

/* Finds the newlines not yet seen. Every line is measured against max_line,
 * whether it arrived whole or in pieces. An over-long line is cut down to
 * its kept start in place: the bytes after it move up, each once, behind a
 * write position w that trails the read position r. */
static void scan(jp_framer *f)
{
    jp_batch *b = f->cur;
    size_t r = f->scanned, w = f->scanned, keep = keep_len(f);
    char *nl;
    if (b->in_len - f->cut <= f->max_line) {
        /* No line here can be too long: only count them. */
        char *last = memrchr(b->in + r, '\n', b->in_len - r);
        if (last) {
            f->cut_lines += jp_count_newlines(b->in + r, (size_t)(last + 1 - (b->in + r)));
            f->cut = (size_t)(last + 1 - b->in);
        }
        f->scanned = b->in_len;
        if (b->in_len == b->in_cap && f->cut)
            emit_whole(f);
        return;
    }
    while ((nl = memchr(b->in + r, '\n', b->in_len - r))) {
        size_t end = (size_t)(nl - b->in);
        size_t len = (w - f->cut) + (end - r);
        if (len > f->max_line) {
            size_t have = w - f->cut; /* the line's bytes already in place */
            if (have < keep)
                memmove(b->in + w, b->in + r, keep - have);
            w = f->cut + keep;
            end_long(f, len);
            b->in[w++] = '\n';
        } else {
            if (w != r)
                memmove(b->in + w, b->in + r, end + 1 - r);
            w += end + 1 - r;
        }
        r = end + 1;
        f->cut = w;
        f->cut_lines++;
    }
    if (w != r)
        memmove(b->in + w, b->in + r, b->in_len - r);
    b->in_len = w + (b->in_len - r);
    f->scanned = b->in_len;
    if (b->in_len - f->cut > f->max_line)
        start_skipping(f);
    else if (b->in_len == b->in_cap && f->cut)
        emit_whole(f);
}

void jp_framer_space(jp_framer *f, char **p, size_t *n)
{
    if (!f->cur)
        f->cur = jp_batch_new(f->batch_size);
    jp_batch *b = f->cur;
    if (b->in_len == b->in_cap) {
        /* Full of one partial line no longer than max_line: grow, to at
         * most max_line + 1 so one more byte shows the line is too long. */
        size_t cap = b->in_cap * 2;
        if (cap > f->max_line + 1)
            cap = f->max_line + 1;
        if (cap <= b->in_cap)
            cap = b->in_cap + 1;
        b->in = jp_xrealloc(b->in, cap);
        b->in_cap = cap;
    }
    *p = b->in + b->in_len;
    *n = b->in_cap - b->in_len;
}

void jp_framer_commit(jp_framer *f, size_t n)
{
    if (f->skipping) {
        skip(f, n);
        return;
    }
    f->cur->in_len += n;
    scan(f);
}

void jp_framer_flush(jp_framer *f)
{
    if (f->cur && f->cut)
        emit_whole(f);
}

void jp_framer_end(jp_framer *f)
{
    jp_batch *b = f->cur;
    if (!b)
        return;
    uint64_t lines = f->cut_lines + (f->cut < b->in_len);
    if (f->skipping)
        end_long(f, f->skipping);
    close_segment(f, b->in_len, lines);
    f->cut = f->scanned = b->in_len;
    f->cut_lines = 0;
    f->skipping = 0;
    if (b->in_len == b->in_cap || b->nsegs >= f->max_segs)
        emit_all(f);
}

static void forget_mark(jp_framer *f)
{
    jp_line_mark_unref(f->mark);
    f->mark = NULL;
}

void jp_framer_begin(jp_framer *f, const char *file)
{
    jp_framer_end(f);
    forget_mark(f);
    /* The first read of an input tells its format from its first bytes
     * (and a tar by its first header): it gets room enough for that. */
    if (f->cur && f->cur->in_cap - f->cur->in_len < f->batch_size / 4)
        emit_all(f);
    f->file = file;
    f->line = f->offset = 0;
}

void jp_framer_finish(jp_framer *f)
{
    jp_framer_end(f);
    emit_all(f);
    forget_mark(f);
}

void jp_framer_drop_input(jp_framer *f)
{
    jp_batch *b = f->cur;
    if (!b)
        return;
    b->in_len = f->start;
    while (b->nlongs && b->longs[b->nlongs - 1].at >= f->start)
        b->nlongs--;
    f->cut = f->scanned = f->start;
    f->cut_lines = 0;
    f->dropped = 0;
    f->skipping = 0;
}

void jp_framer_discard(jp_framer *f)
{
    jp_batch_free(f->cur);
    forget_mark(f);
    f->cur = NULL;
    f->start = f->scanned = f->cut = 0;
    f->cut_lines = 0;
    f->skipping = 0;
    f->dropped = 0;
}

int jp_framer_unread(jp_framer *f, size_t *n)
{
    jp_batch *b = f->cur;
    *n = 0;
    if (f->skipping)
        return -1;
    if (!b)
        return 0;
    *n = b->in_len - f->cut;
    b->in_len = f->scanned = f->cut;
    if (f->cut)
        emit_whole(f);
    return 0;
}

void jp_framer_mapped(jp_framer *f, jp_batch *b)
{
    jp_batch_add_segment(b, 0, f->file, f->line, f->offset, f->mark);
    b->end_mark = jp_line_mark_new();
    forget_mark(f);
    f->mark = jp_line_mark_ref(b->end_mark);
    f->line = 0;
    f->offset += b->in_len;
    f->emit(f->ctx, b);
}

size_t jp_framer_held(const jp_framer *f)
{
    return f->cur ? f->cur->in_cap : 0;
}
