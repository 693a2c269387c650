/* format.c: the checks of "format" (format.h), one per format, on the
 * grammars of their RFCs: 3339 (date-time, date, time, duration), 5321 and
 * 6531 (email, idn-email), 1123 and 5890 (hostname, idn-hostname), 2673
 * and 4291 (ipv4, ipv6), 3986 and 3987 (uri, uri-reference, iri,
 * iri-reference), 6570 (uri-template), 4122 (uuid), 6901 and the
 * relative JSON Pointer draft, and ECMA-262 for regex (as PCRE2 reads
 * it). Every check is exact on what it accepts; none allocates but regex. */
#include <string.h>

#include "ecma.h"
#include "format.h"
#include "regex.h"

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int is_hex(char c) { return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'); }

static int digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_digit(s[i]))
            return 0;
    return 1;
}

static int num(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* ---- dates and times (RFC 3339) ---- */

static int is_date(const char *s, size_t n)
{
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (n != 10 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' ||
        !digits(s + 8, 2))
        return 0;
    int y = num(s, 4), m = num(s + 5, 2), d = num(s + 8, 2);
    if (m < 1 || m > 12 || d < 1 || d > days[m - 1])
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return !(m == 2 && d == 29 && !leap);
}

/* full-time: HH:MM:SS[.frac](Z|+HH:MM|-HH:MM); a leap second only at
 * 23:59:60 UTC. */
static int is_time(const char *s, size_t n)
{
    if (n < 9 || !digits(s, 2) || s[2] != ':' || !digits(s + 3, 2) || s[5] != ':' ||
        !digits(s + 6, 2))
        return 0;
    int h = num(s, 2), m = num(s + 3, 2), sec = num(s + 6, 2);
    if (h > 23 || m > 59 || sec > 60)
        return 0;
    size_t i = 8;
    if (s[i] == '.') {
        size_t start = ++i;
        while (i < n && is_digit(s[i]))
            i++;
        if (i == start)
            return 0;
    }
    int offset = 0;
    if (i + 1 == n && (s[i] == 'Z' || s[i] == 'z')) {
        offset = 0;
    } else {
        const char *z = s + i;
        if (i + 6 != n || (z[0] != '+' && z[0] != '-') || !digits(z + 1, 2) || z[3] != ':' ||
            !digits(z + 4, 2) || num(z + 1, 2) > 23 || num(z + 4, 2) > 59)
            return 0;
        offset = (z[0] == '+' ? 1 : -1) * (num(z + 1, 2) * 60 + num(z + 4, 2));
    }
    if (sec == 60) {
        int utc = ((h * 60 + m - offset) % 1440 + 1440) % 1440;
        return utc == 23 * 60 + 59;
    }
    return 1;
}

static int is_date_time(const char *s, size_t n)
{
    return n > 11 && is_date(s, 10) && (s[10] == 'T' || s[10] == 't') && is_time(s + 11, n - 11);
}

/* RFC 3339 appendix A: P, then weeks alone, or years, months, days in
 * that order without a gap, then T and hours, minutes, seconds so. */
static int units(const char *s, size_t n, size_t *i, const char *order)
{
    int any = 0, last = -1;
    while (*i < n && is_digit(s[*i])) {
        size_t start = *i;
        while (*i < n && is_digit(s[*i]))
            (*i)++;
        if (*i == n)
            return -1;
        const char *u = strchr(order, s[*i]);
        if (!u || !s[*i] || (last >= 0 && (int)(u - order) != last + 1) || start == *i)
            return -1;
        last = (int)(u - order);
        (*i)++;
        any = 1;
    }
    return any;
}

static int is_duration(const char *s, size_t n)
{
    if (n < 2 || s[0] != 'P')
        return 0;
    size_t i = 1;
    if (n > 2 && s[n - 1] == 'W')
        return digits(s + 1, n - 2);
    int date = units(s, n, &i, "YMD");
    if (date < 0)
        return 0;
    if (i == n)
        return date == 1;
    if (s[i++] != 'T')
        return 0;
    return units(s, n, &i, "HMS") == 1 && i == n;
}

/* ---- hosts and addresses ---- */

static int is_ipv4(const char *s, size_t n)
{
    int parts = 0;
    size_t i = 0;
    while (parts < 4) {
        size_t start = i;
        int v = 0;
        while (i < n && is_digit(s[i]) && i - start < 3)
            v = v * 10 + (s[i++] - '0');
        if (i == start || v > 255 || (i - start > 1 && s[start] == '0'))
            return 0;
        if (++parts < 4 && (i >= n || s[i++] != '.'))
            return 0;
    }
    return i == n;
}

static int is_ipv6(const char *s, size_t n)
{
    int groups = 0, gap = 0;
    size_t i = 0;
    if (n >= 2 && s[0] == ':' && s[1] == ':') {
        gap = 1;
        i = 2;
    } else if (n && s[0] == ':') {
        return 0;
    }
    while (i < n) {
        size_t start = i;
        while (i < n && is_hex(s[i]) && i - start < 5)
            i++;
        if (i < n && s[i] == '.') {
            /* A trailing IPv4 address counts for two groups. */
            if (!is_ipv4(s + start, n - start))
                return 0;
            groups += 2;
            i = n;
            break;
        }
        if (i == start || i - start > 4)
            return 0;
        groups++;
        if (i == n)
            break;
        if (s[i] != ':')
            return 0;
        i++;
        if (i < n && s[i] == ':') {
            if (gap)
                return 0;
            gap = 1;
            i++;
        } else if (i == n) {
            return 0;
        }
    }
    return gap ? groups <= 7 : groups == 8;
}

/* Labels of letters, digits and inner hyphens, at most 63 bytes each and
 * 253 in all; bytes of 0x80 and above pass as letters when idn. A label
 * with -- in its third and fourth places is an A-label (xn--) or nothing. */
static int hostname(const char *s, size_t n, int idn)
{
    if (n == 0 || n > 253)
        return 0;
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] != '.') {
            unsigned char c = (unsigned char)s[i];
            if (!(is_alpha((char)c) || is_digit((char)c) || c == '-' || (idn && c >= 0x80)))
                return 0;
            continue;
        }
        size_t len = i - start;
        const char *l = s + start;
        if (len == 0 || len > 63 || l[0] == '-' || l[len - 1] == '-')
            return 0;
        if (len >= 4 && l[2] == '-' && l[3] == '-' && !((l[0] | 0x20) == 'x' && (l[1] | 0x20) == 'n'))
            return 0;
        start = i + 1;
    }
    return 1;
}

static int is_hostname(const char *s, size_t n) { return hostname(s, n, 0); }
static int is_idn_hostname(const char *s, size_t n) { return hostname(s, n, 1); }

/* local@domain (RFC 5321 section 4.1.2): a dot-atom or a quoted string,
 * then a host name or an address literal; bytes of 0x80 and above pass in
 * the local part and the name when idn. */
static int email(const char *s, size_t n, int idn)
{
    size_t i = 0;
    if (n && s[0] == '"') {
        for (i = 1; i < n && s[i] != '"'; i++)
            if (s[i] == '\\')
                i++;
            else if ((unsigned char)s[i] < 0x20)
                return 0;
        if (i >= n || i + 1 >= n || s[i + 1] != '@')
            return 0;
        i++;
    } else {
        for (; i < n && s[i] != '@'; i++) {
            unsigned char c = (unsigned char)s[i];
            if (c == '.') {
                if (i == 0 || i + 1 >= n || s[i + 1] == '.' || s[i + 1] == '@')
                    return 0;
            } else if (!(is_alpha((char)c) || is_digit((char)c) || (idn && c >= 0x80) ||
                         (c && strchr("!#$%&'*+/=?^_`{|}~-", c)))) {
                return 0;
            }
        }
        if (i == 0 || i > 64 || i >= n)
            return 0;
    }
    const char *d = s + i + 1;
    size_t dn = n - i - 1;
    if (dn >= 2 && d[0] == '[' && d[dn - 1] == ']') {
        if (dn > 7 && memcmp(d + 1, "IPv6:", 5) == 0)
            return is_ipv6(d + 6, dn - 7);
        return is_ipv4(d + 1, dn - 2);
    }
    return hostname(d, dn, idn) && memchr(d, '.', dn) != NULL;
}

static int is_email(const char *s, size_t n) { return email(s, n, 0); }
static int is_idn_email(const char *s, size_t n) { return email(s, n, 1); }

static int is_uuid(const char *s, size_t n)
{
    if (n != 36)
        return 0;
    for (size_t i = 0; i < n; i++) {
        int dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !is_hex(s[i]))
            return 0;
    }
    return 1;
}

/* ---- URIs and IRIs (RFC 3986, 3987) ---- */

/* Whether s[i] starts a character allowed in a URI part besides the
 * unreserved ones: pct-encoded (its length returned), one of extra, or
 * (for an IRI) a byte of 0x80 and above. 0 when it is not allowed. */
static size_t uri_char(const char *s, size_t n, size_t i, const char *extra, int iri)
{
    unsigned char c = (unsigned char)s[i];
    if (is_alpha((char)c) || is_digit((char)c) || (c && strchr("-._~!$&'()*+,;=", c)))
        return 1;
    if (c == '%')
        return i + 2 < n && is_hex(s[i + 1]) && is_hex(s[i + 2]) ? 3 : 0;
    if (c && strchr(extra, c))
        return 1;
    return iri && c >= 0x80 ? 1 : 0;
}

/* Every character of s[from..to) is allowed with extra. */
static int uri_chars(const char *s, size_t from, size_t to, const char *extra, int iri)
{
    for (size_t i = from; i < to;) {
        size_t k = uri_char(s, to, i, extra, iri);
        if (!k)
            return 0;
        i += k;
    }
    return 1;
}

/* authority = [userinfo "@"] host [":" port] */
static int authority(const char *s, size_t n, int iri)
{
    const char *at = NULL;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '@')
            at = s + i;
    size_t h = at ? (size_t)(at - s) + 1 : 0;
    if (at && !uri_chars(s, 0, h - 1, ":", iri))
        return 0;
    size_t end = n;
    if (h < n && s[h] == '[') {
        const char *close = memchr(s + h, ']', n - h);
        if (!close)
            return 0;
        size_t cl = (size_t)(close - s);
        if (!is_ipv6(s + h + 1, cl - h - 1) &&
            !(cl > h + 3 && (s[h + 1] | 0x20) == 'v' && uri_chars(s, h + 2, cl, ":", 0)))
            return 0;
        if (cl + 1 < n && s[cl + 1] != ':')
            return 0;
        return cl + 1 >= n || digits(s + cl + 2, n - cl - 2);
    }
    for (size_t i = h; i < n; i++)
        if (s[i] == ':') {
            end = i;
            break;
        }
    if (end < n && !digits(s + end + 1, n - end - 1))
        return 0;
    return uri_chars(s, h, end, "", iri);
}

/* The rest of a reference after its scheme (or all of a relative one):
 * ["//" authority] path ["?" query] ["#" fragment]. */
static int hier(const char *s, size_t n, int relative, int iri)
{
    size_t i = 0;
    if (n >= 2 && s[0] == '/' && s[1] == '/') {
        size_t a = 2;
        while (a < n && s[a] != '/' && s[a] != '?' && s[a] != '#')
            a++;
        if (!authority(s + 2, a - 2, iri))
            return 0;
        i = a;
    }
    size_t p = i;
    while (p < n && s[p] != '?' && s[p] != '#')
        p++;
    if (relative && i == 0) {
        /* The first segment of a relative path holds no colon. */
        size_t seg = 0;
        while (seg < p && s[seg] != '/')
            if (s[seg++] == ':')
                return 0;
    }
    if (!uri_chars(s, i, p, ":@/", iri))
        return 0;
    size_t q = p;
    if (q < n && s[q] == '?') {
        while (q < n && s[q] != '#')
            q++;
        if (!uri_chars(s, p + 1, q, ":@/?", iri))
            return 0;
    }
    return q >= n || uri_chars(s, q + 1, n, ":@/?", iri);
}

/* scheme ":" hier-part; 0 when s has no scheme. */
static size_t scheme_len(const char *s, size_t n)
{
    if (!n || !is_alpha(s[0]))
        return 0;
    size_t i = 1;
    while (i < n && (is_alpha(s[i]) || is_digit(s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.'))
        i++;
    return i < n && s[i] == ':' ? i : 0;
}

static int uri(const char *s, size_t n, int iri)
{
    size_t k = scheme_len(s, n);
    return k && hier(s + k + 1, n - k - 1, 0, iri);
}

static int uri_reference(const char *s, size_t n, int iri)
{
    return uri(s, n, iri) || (!scheme_len(s, n) && hier(s, n, 1, iri));
}

static int is_uri(const char *s, size_t n) { return uri(s, n, 0); }
static int is_iri(const char *s, size_t n) { return uri(s, n, 1); }
static int is_uri_reference(const char *s, size_t n) { return uri_reference(s, n, 0); }
static int is_iri_reference(const char *s, size_t n) { return uri_reference(s, n, 1); }

/* RFC 6570: literals, and expressions {[op]varspec,...}. */
static int is_uri_template(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '{') {
            size_t j = i + 1;
            if (j < n && strchr("+#./;?&=,!@|", s[j]) && s[j])
                j++;
            for (;;) {
                size_t name = j;
                while (j < n && (is_alpha(s[j]) || is_digit(s[j]) || s[j] == '_' || s[j] == '.' ||
                                 s[j] == '%')) {
                    if (s[j] == '%' && !(j + 2 < n && is_hex(s[j + 1]) && is_hex(s[j + 2])))
                        return 0;
                    j += s[j] == '%' ? 3 : 1;
                }
                if (j == name || s[name] == '.' || s[j - 1] == '.' ||
                    memmem(s + name, j - name, "..", 2))
                    return 0;
                if (j < n && s[j] == ':') {
                    size_t d = ++j;
                    while (j < n && is_digit(s[j]))
                        j++;
                    if (j == d || j - d > 4 || s[d] == '0')
                        return 0;
                } else if (j < n && s[j] == '*') {
                    j++;
                }
                if (j < n && s[j] == ',') {
                    j++;
                    continue;
                }
                break;
            }
            if (j >= n || s[j] != '}')
                return 0;
            i = j;
        } else if (c < 0x21 || c == 0x7f || (c < 0x80 && strchr("\"<>\\^`{|}", c))) {
            return 0;
        } else if (c == '%' && !(i + 2 < n && is_hex(s[i + 1]) && is_hex(s[i + 2]))) {
            return 0;
        }
    }
    return 1;
}

/* ---- pointers and regexes ---- */

static int is_json_pointer(const char *s, size_t n)
{
    if (n && s[0] != '/')
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '~' && (i + 1 >= n || (s[i + 1] != '0' && s[i + 1] != '1')))
            return 0;
    return 1;
}

static int is_relative_json_pointer(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && is_digit(s[i]))
        i++;
    if (i == 0 || (i > 1 && s[0] == '0'))
        return 0;
    /* An index manipulation (+N, -N) may follow the count. */
    if (i < n && (s[i] == '+' || s[i] == '-')) {
        size_t d = ++i;
        while (i < n && is_digit(s[i]))
            i++;
        if (i == d || (i - d > 1 && s[d] == '0'))
            return 0;
    }
    return (i + 1 == n && s[i] == '#') || is_json_pointer(s + i, n - i);
}

/* A regex PCRE2 compiles, less what ECMA-262 does not have: the escape
 * \a, Python's (?P...) groups, (?#...) comments and inline flags (?i). */
static int is_regex(const char *s, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++) {
        if (s[i] == '\\' && s[++i] == 'a')
            return 0;
        if (s[i] == '(' && s[i + 1] == '?' && i + 2 < n &&
            (s[i + 2] == 'P' || s[i + 2] == '#' || is_alpha(s[i + 2]) || s[i + 2] == '-'))
            return 0;
    }
    char why[64];
    jp_buf pcre = {0};
    jp_ecma_to_pcre2(&pcre, s, n);
    jp_regex *re = jp_regex_compile(pcre.data ? pcre.data : "", pcre.len, why, sizeof why);
    jp_buf_free(&pcre);
    jp_regex_free(re);
    return re != NULL;
}

static const struct {
    const char *name;
    jp_format_check check;
} formats[] = {
    {"date-time", is_date_time}, {"date", is_date}, {"time", is_time},
    {"duration", is_duration}, {"email", is_email}, {"idn-email", is_idn_email},
    {"hostname", is_hostname}, {"idn-hostname", is_idn_hostname}, {"ipv4", is_ipv4},
    {"ipv6", is_ipv6}, {"uri", is_uri}, {"uri-reference", is_uri_reference},
    {"iri", is_iri}, {"iri-reference", is_iri_reference}, {"uri-template", is_uri_template},
    {"uuid", is_uuid}, {"json-pointer", is_json_pointer},
    {"relative-json-pointer", is_relative_json_pointer}, {"regex", is_regex},
};

jp_format_check jp_format_find(const char *name, size_t n, const char **known)
{
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (strlen(formats[i].name) == n && memcmp(formats[i].name, name, n) == 0) {
            *known = formats[i].name;
            return formats[i].check;
        }
    return NULL;
}
