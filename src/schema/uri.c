/* uri.c: reference resolution of RFC 3986 (section 5) for $id and $ref:
 * a URI is split into its five parts, merged with a base, and its dot
 * segments removed. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "uri.h"

typedef struct part {
    const char *p;
    size_t n;
    int given; /* an empty query is not an absent one */
} part;

typedef struct parts {
    part scheme, authority, path, query, fragment;
} parts;

static void split(const char *u, parts *o)
{
    memset(o, 0, sizeof *o);
    const char *s = u;
    const char *colon = s + strcspn(s, ":/?#");
    if (*colon == ':' && colon > s) {
        o->scheme = (part){s, (size_t)(colon - s), 1};
        s = colon + 1;
    }
    if (s[0] == '/' && s[1] == '/') {
        s += 2;
        size_t n = strcspn(s, "/?#");
        o->authority = (part){s, n, 1};
        s += n;
    }
    size_t n = strcspn(s, "?#");
    o->path = (part){s, n, 1};
    s += n;
    if (*s == '?') {
        n = strcspn(++s, "#");
        o->query = (part){s, n, 1};
        s += n;
    }
    if (*s == '#')
        o->fragment = (part){s + 1, strlen(s + 1), 1};
}

/* RFC 3986 section 5.2.4. */
static void remove_dots(jp_buf *out, const char *p, size_t n)
{
    jp_buf in = {0};
    jp_buf_append(&in, p, n);
    jp_buf_putc(&in, '\0');
    const char *s = in.data;
    while (*s) {
        if (strncmp(s, "../", 3) == 0)
            s += 3;
        else if (strncmp(s, "./", 2) == 0)
            s += 2;
        else if (strncmp(s, "/./", 3) == 0)
            s += 2;
        else if (strcmp(s, "/.") == 0)
            s = "/";
        else if (strncmp(s, "/../", 4) == 0 || strcmp(s, "/..") == 0) {
            s = s[3] ? s + 3 : "/";
            while (out->len && out->data[out->len - 1] != '/')
                out->len--;
            if (out->len)
                out->len--;
        } else if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
            s += strlen(s);
        else {
            size_t k = strcspn(s + 1, "/") + 1;
            jp_buf_append(out, s, k);
            s += k;
        }
    }
    jp_buf_free(&in);
}

static void put(jp_buf *b, const char *pre, const part *x, const char *post)
{
    if (!x->given)
        return;
    jp_buf_puts(b, pre);
    jp_buf_append(b, x->p, x->n);
    jp_buf_puts(b, post);
}

char *jp_uri_resolve(const char *base, const char *ref)
{
    parts b, r, t;
    split(base, &b);
    split(ref, &r);
    jp_buf path = {0};
    if (r.scheme.given) {
        t = r;
        remove_dots(&path, r.path.p, r.path.n);
    } else {
        t.scheme = b.scheme;
        if (r.authority.given) {
            t.authority = r.authority;
            t.query = r.query;
            remove_dots(&path, r.path.p, r.path.n);
        } else {
            t.authority = b.authority;
            if (r.path.n == 0) {
                jp_buf_append(&path, b.path.p, b.path.n);
                t.query = r.query.given ? r.query : b.query;
            } else {
                jp_buf merged = {0};
                if (r.path.p[0] == '/') {
                    jp_buf_append(&merged, r.path.p, r.path.n);
                } else {
                    /* RFC 3986 section 5.2.3 */
                    if (b.authority.given && b.path.n == 0)
                        jp_buf_putc(&merged, '/');
                    const char *slash = NULL;
                    for (size_t i = 0; i < b.path.n; i++)
                        if (b.path.p[i] == '/')
                            slash = b.path.p + i;
                    if (slash)
                        jp_buf_append(&merged, b.path.p, (size_t)(slash - b.path.p) + 1);
                    jp_buf_append(&merged, r.path.p, r.path.n);
                }
                remove_dots(&path, merged.data ? merged.data : "", merged.len);
                jp_buf_free(&merged);
                t.query = r.query;
            }
        }
        t.fragment = r.fragment;
    }
    jp_buf out = {0};
    put(&out, "", &t.scheme, ":");
    put(&out, "//", &t.authority, "");
    jp_buf_append(&out, path.data ? path.data : "", path.len);
    put(&out, "?", &t.query, "");
    put(&out, "#", &t.fragment, "");
    jp_buf_putc(&out, '\0');
    jp_buf_free(&path);
    return out.data;
}

size_t jp_uri_without_fragment(const char *u) { return strcspn(u, "#"); }

static int hex(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

char *jp_uri_percent_decode(const char *s, size_t n, size_t *out_len)
{
    char *out = jp_xmalloc(n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '%') {
            out[k++] = s[i];
        } else if (i + 2 < n && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
            out[k++] = (char)(hex(s[i + 1]) * 16 + hex(s[i + 2]));
            i += 2;
        } else {
            free(out);
            return NULL;
        }
    }
    out[k] = '\0';
    *out_len = k;
    return out;
}
