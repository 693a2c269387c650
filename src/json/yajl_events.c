/* yajl_events.c: yajl's callbacks turned into parse events with offsets.
 *
 * yajl hands over values, not where they are, so offsets are worked out
 * from its count of bytes consumed: a token has just ended when its
 * callback runs. yajl hands a string's text rather than its bytes: a
 * pointer into the line when there was nothing to decode, else a decoded
 * copy, and then the literal is found by walking back from its end.
 *
 * One handle is reused for every line (yajl_allow_multiple_values with
 * yajl_complete_parse after each line): allocating a handle per line costs
 * more than the parse. yajl has no reset, so the handle is replaced after a
 * failed parse. Because a multi-value handle would accept "{} {}", the
 * callbacks themselves refuse a second top-level value. */
#include "yajl_events.h"

#include <stdlib.h>
#include <yajl/yajl_parse.h>

#include "json.h"

struct jp_yajl_events {
    yajl_handle yajl;

    /* Per parse. */
    const char *data;
    size_t len;
    const jp_json_listener *l;
    void *ctx;
    jp_tree *tree;
    int depth, max_depth;
    int muted;        /* depth of the container whose insides are not reported, or 0 */
    int done;         /* the top-level value is complete */
    size_t done_at;   /* offset just past it */
    int finishing;    /* inside yajl_complete_parse */
    jp_parse_fault cancel; /* why a callback stopped the parse */
    size_t cancel_at;
    jp_buf decoded;   /* a string with escapes, decoded again for the tree */
};

static int blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static size_t consumed(const jp_yajl_events *p)
{
    return yajl_get_bytes_consumed(p->yajl);
}

static int cancel(jp_yajl_events *p, jp_parse_fault fault, size_t at)
{
    p->cancel = fault;
    p->cancel_at = at;
    return 0;
}

static int reported(const jp_yajl_events *p)
{
    return !p->muted || p->depth < p->muted;
}

/* Where the string literal that ends just before end starts: the first
 * quote back that no backslash escapes. */
static size_t literal_start(const jp_yajl_events *p, size_t end)
{
    size_t i = end - 1;
    for (;;) {
        i--;
        size_t bs = 0;
        while (bs < i && p->data[i - 1 - bs] == '\\')
            bs++;
        if (p->data[i] == '"' && bs % 2 == 0)
            return i;
    }
}

static int in_line(const jp_yajl_events *p, const void *s)
{
    const char *c = s;
    return c >= p->data && c < p->data + p->len;
}

/* The text of a string or key for the tree. yajl's own decoding turns a
 * lone surrogate escape into '?' or into CESU-8 bytes; such strings are
 * decoded again from the line, as jp_json_unquote does it (U+FFFD). */
static const char *tree_text(jp_yajl_events *p, const unsigned char *s, size_t n, size_t *len)
{
    *len = n;
    if (in_line(p, s))
        return (const char *)s;
    size_t end = consumed(p), start = literal_start(p, end);
    p->decoded.len = 0;
    jp_json_unquote(&p->decoded, p->data + start, end - start);
    *len = p->decoded.len;
    return p->decoded.data ? p->decoded.data : "";
}

/* A value starts: refuse a second top-level one. */
static int starts_value(jp_yajl_events *p)
{
    if (!p->done)
        return 1;
    return cancel(p, JP_FAULT_SYNTAX, jp_json_skip_blank(p->data, p->len, p->done_at));
}

/* start, end: the scalar's bytes, as far as yajl says where they are. */
static int on_scalar(jp_yajl_events *p, jp_type type, size_t start, size_t end)
{
    if (!starts_value(p))
        return 0;
    if (p->depth == 0) {
        /* A top-level scalar: its bytes are the trimmed line. A number's
         * end is only known at yajl_complete_parse, whose count of bytes
         * consumed is of an empty chunk. */
        start = jp_json_skip_blank(p->data, p->len, 0);
        end = p->len;
        while (end > start && blank(p->data[end - 1]))
            end--;
        p->done = 1;
        p->done_at = p->finishing ? p->len : consumed(p);
    }
    if (reported(p))
        p->l->scalar(p->ctx, type, start, end);
    return 1;
}

static int tree_scalar(jp_yajl_events *p, jp_type type, const void *s, size_t n, size_t start,
                       size_t end)
{
    if (!on_scalar(p, type, start, end))
        return 0;
    if (p->tree)
        jp_tree_scalar(p->tree, type, s, n);
    return 1;
}

static int cb_null(void *ctx)
{
    jp_yajl_events *p = ctx;
    size_t end = consumed(p);
    return tree_scalar(p, JP_NULL, "null", 4, end - 4, end);
}

static int cb_boolean(void *ctx, int b)
{
    jp_yajl_events *p = ctx;
    size_t end = consumed(p), n = b ? 4 : 5;
    return tree_scalar(p, JP_BOOLEAN, b ? "true" : "false", n, end - n, end);
}

static int cb_number(void *ctx, const char *s, size_t n)
{
    jp_yajl_events *p = ctx;
    /* Inside a container a number is in the line; a top-level one is
     * placed by on_scalar. */
    size_t start = in_line(p, s) ? (size_t)(s - p->data) : 0;
    return tree_scalar(p, JP_NUMBER, s, n, start, start + n);
}

static int cb_string(void *ctx, const unsigned char *s, size_t n)
{
    jp_yajl_events *p = ctx;
    size_t end = consumed(p), start = in_line(p, s) ? (size_t)((const char *)s - p->data) - 1
                                                    : literal_start(p, end);
    const char *text = p->tree ? tree_text(p, s, n, &n) : (const char *)s;
    return tree_scalar(p, JP_STRING, text, n, start, end);
}

static int on_open(jp_yajl_events *p, jp_type type)
{
    size_t at = consumed(p) - 1;
    if (!starts_value(p))
        return 0;
    if (p->depth == p->max_depth)
        return cancel(p, JP_FAULT_TOO_DEEP, at);
    if (reported(p) && p->l->open(p->ctx, type, at) == JP_EV_SKIP)
        p->muted = p->depth + 1;
    p->depth++;
    if (p->tree)
        jp_tree_open(p->tree, type);
    return 1;
}

static int on_close(jp_yajl_events *p)
{
    if (p->tree)
        jp_tree_close(p->tree);
    if (p->muted == p->depth)
        p->muted = 0;
    p->depth--;
    if (reported(p))
        p->l->close(p->ctx, consumed(p));
    if (p->depth == 0) {
        p->done = 1;
        p->done_at = consumed(p);
    }
    return 1;
}

static int cb_start_map(void *ctx) { return on_open(ctx, JP_OBJECT); }
static int cb_start_array(void *ctx) { return on_open(ctx, JP_ARRAY); }
static int cb_end(void *ctx) { return on_close(ctx); }

static int cb_map_key(void *ctx, const unsigned char *key, size_t len)
{
    jp_yajl_events *p = ctx;
    if (p->tree) {
        size_t n;
        const char *text = tree_text(p, key, len, &n);
        jp_tree_key(p->tree, text, n);
    }
    if (reported(p)) {
        size_t end = consumed(p);
        size_t start = in_line(p, key) ? (size_t)((const char *)key - p->data) - 1
                                       : literal_start(p, end);
        p->l->key(p->ctx, start, end);
    }
    return 1;
}

static const yajl_callbacks callbacks = {
    cb_null, cb_boolean, NULL, NULL, cb_number, cb_string,
    cb_start_map, cb_map_key, cb_end, cb_start_array, cb_end,
};

jp_yajl_events *jp_yajl_events_new(void)
{
    jp_yajl_events *p = jp_xmalloc(sizeof *p);
    memset(p, 0, sizeof *p);
    p->yajl = jp_json_parser(&callbacks, p);
    return p;
}

void jp_yajl_events_free(jp_yajl_events *p)
{
    if (!p)
        return;
    yajl_free(p->yajl);
    jp_buf_free(&p->decoded);
    free(p);
}

/* yajl's success is not enough. With multiple values on, a handle ends a
 * parse content inside a token that follows the value ({"a":1}"x) or,
 * after a good line, inside the line's first token ("abc), and carries
 * that token into the next line. And yajl takes a few things RFC 8259 does
 * not (see jp_json_strict_check). */
static int line_complete(const jp_yajl_events *p)
{
    if (!p->done)
        return 0;
    return jp_json_skip_blank(p->data, p->len, p->done_at) == p->len &&
           jp_json_strict_check(p->data, p->len) == p->len;
}

int jp_yajl_events_parse(jp_yajl_events *p, const char *s, size_t n, int max_depth,
                         const jp_json_listener *l, void *ctx, jp_tree *tree, jp_parse_error *err)
{
    p->data = s;
    p->len = n;
    p->l = l;
    p->ctx = ctx;
    p->tree = tree;
    p->depth = 0;
    p->max_depth = max_depth;
    p->muted = 0;
    p->done = 0;
    p->cancel = JP_FAULT_NONE;
    if (tree)
        jp_tree_reset(tree);

    yajl_status st = yajl_parse(p->yajl, (const unsigned char *)s, n);
    size_t stop = consumed(p);
    if (st == yajl_status_ok) {
        p->finishing = 1;
        st = yajl_complete_parse(p->yajl);
        p->finishing = 0;
        stop = n;
    }
    if (st == yajl_status_ok && line_complete(p))
        return 0;
    if (st == yajl_status_client_canceled)
        *err = (jp_parse_error){p->cancel, p->cancel_at};
    else
        *err = (jp_parse_error){JP_FAULT_SYNTAX, stop};
    /* A yajl handle cannot be reset after an error; start over. */
    yajl_free(p->yajl);
    p->yajl = jp_json_parser(&callbacks, p);
    return -1;
}
