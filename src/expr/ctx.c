/* ctx.c: the evaluation context every function and operator works in
 * (func.h): its arena, scratch, and the reason of a failure. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "func.h"

void jp_xctx_init(jp_xctx *c)
{
    *c = (jp_xctx){.max_depth = JP_XDEPTH_DEFAULT};
    c->regex = jp_regex_scratch_new();
    c->ta = jp_tree_new();
    c->tb = jp_tree_new();
}

void jp_xctx_free(jp_xctx *c)
{
    jp_arena_free(&c->arena);
    jp_regex_scratch_free(c->regex);
    jp_buf_free(&c->scratch);
    jp_tree_free(c->ta);
    jp_tree_free(c->tb);
    free(c->members.v);
}

void jp_xctx_reset(jp_xctx *c)
{
    jp_arena_reset(&c->arena);
}

static void set_why(jp_xctx *c, const char *fmt, va_list ap)
{
    vsnprintf(c->why, sizeof c->why, fmt, ap);
}

int jp_xfail(jp_xctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_why(c, fmt, ap);
    va_end(ap);
    return JP_XERR;
}

int jp_xunfinished(jp_xctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_why(c, fmt, ap);
    va_end(ap);
    return JP_XUNFINISHED;
}

jp_xval jp_xstr_copy(jp_xctx *c, const char *s, size_t n)
{
    return jp_xstr(jp_arena_copy(&c->arena, s, n), n);
}

jp_xval jp_xval_take(jp_xctx *c, jp_type t, const jp_buf *b)
{
    const char *s = jp_arena_copy(&c->arena, b->len ? b->data : "", b->len);
    if (t == JP_STRING)
        return jp_xstr(s, b->len);
    return jp_xjson(t, s, b->len);
}

const jp_xfunc *jp_xfunc_find(const char *name, size_t n)
{
    static const jp_xfunc *const tables[] = {jp_xfuncs_core, jp_xfuncs_string, jp_xfuncs_time};
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
        for (const jp_xfunc *f = tables[t]; f->name; f++)
            if (strlen(f->name) == n && memcmp(f->name, name, n) == 0)
                return f;
    return NULL;
}
