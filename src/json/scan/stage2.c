/* stage2.c: the grammar over stage 1's structural index, and events.
 *
 * Stage 1 has checked what lies inside strings; here each structural byte
 * is taken in turn by a small state machine (a value, a key, a colon, a
 * comma or a close), numbers and true/false/null are checked where they
 * start, and what a listener asked for is reported. Inside a container
 * the listener skipped, the same checks run but nothing is reported until
 * its close; of a value whose key it skipped, nothing at all. */
#include "stage2.h"

#include <string.h>

enum state {
    WANT_VALUE,      /* at the top, after ':', after ',' in an array */
    WANT_FIRST_ITEM, /* just after '[' */
    WANT_FIRST_KEY,  /* just after '{' */
    WANT_KEY,        /* after ',' in an object */
    WANT_COLON,
    WANT_NEXT,       /* after a value in a container: ',' or the close */
    WANT_NOTHING     /* after the top-level value */
};

/* Bytes that may follow a number or a literal: what ends a scalar in
 * stage 1. Anything else is part of the token, and the token is bad. */
static const uint8_t ends_scalar[256] = {
    [' '] = 1, ['\t'] = 1, ['\r'] = 1, ['\n'] = 1, [','] = 1, [':'] = 1,
    ['['] = 1, [']'] = 1, ['{'] = 1, ['}'] = 1, ['"'] = 1,
};

static int digit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

/* The end of the run of digits from i: eight bytes at a time where eight
 * are there, as a number's length varies from line to line and a branch a
 * byte mispredicts at its end. A byte is a digit when its high nibble is 3
 * before and after adding 6; a carry out of a byte only comes from one
 * that is not a digit, and reaches only the bytes after it. */
static size_t digits(const uint8_t *s, size_t n, size_t i)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const uint64_t high = 0xF0F0F0F0F0F0F0F0ULL, threes = 0x3030303030303030ULL;
    while (n - i >= 8) {
        uint64_t v;
        memcpy(&v, s + i, 8);
        uint64_t other = ((v & high) ^ threes) | (((v + 0x0606060606060606ULL) & high) ^ threes);
        if (other)
            return i + (size_t)(__builtin_ctzll(other) >> 3);
        i += 8;
    }
#endif
    while (i < n && digit(s[i]))
        i++;
    return i;
}

/* The end of the number that starts at i, or 0 when it is not one. A
 * leading zero followed by a digit stops the number at the zero, and the
 * digit then fails as what follows it. */
static size_t number_end(const uint8_t *s, size_t n, size_t i)
{
    if (s[i] == '-')
        i++;
    if (i == n || !digit(s[i]))
        return 0;
    i = s[i] == '0' ? i + 1 : digits(s, n, i);
    if (i < n && s[i] == '.') {
        if (++i == n || !digit(s[i]))
            return 0;
        i = digits(s, n, i);
    }
    if (i < n && (s[i] | 0x20) == 'e') {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        if (i == n || !digit(s[i]))
            return 0;
        i = digits(s, n, i);
    }
    return i;
}

/* The end of the scalar that starts at i (not a string), with its type, or
 * 0 when it is not a whole number, true, false or null. */
static size_t scalar_end(const uint8_t *s, size_t n, size_t i, jp_type *type)
{
    size_t end;
    switch (s[i]) {
    case 't':
        end = n - i >= 4 && memcmp(s + i, "true", 4) == 0 ? i + 4 : 0;
        *type = JP_BOOLEAN;
        break;
    case 'f':
        end = n - i >= 5 && memcmp(s + i, "false", 5) == 0 ? i + 5 : 0;
        *type = JP_BOOLEAN;
        break;
    case 'n':
        end = n - i >= 4 && memcmp(s + i, "null", 4) == 0 ? i + 4 : 0;
        *type = JP_NULL;
        break;
    default:
        end = number_end(s, n, i);
        *type = JP_NUMBER;
        break;
    }
    return end && (end == n || ends_scalar[s[end]]) ? end : 0;
}

int jp_scan_stage2(const uint8_t *s, size_t n, const uint32_t *index, size_t count, int max_depth,
                   uint8_t *stack, const jp_json_listener *l, void *ctx, jp_parse_error *err)
{
    enum state st = WANT_VALUE;
    int depth = 0, muted = 0; /* muted: depth of the container skipped, or 0 */
    int skip_value = 0;       /* the listener skipped the key before this value */
    int quiet_close = 0;      /* the muted container's close is not reported either */
    size_t k = 0, at = 0;
    while (k < count) {
        at = index[k++];
        uint8_t c = s[at];
        switch (st) {
        case WANT_FIRST_ITEM:
            if (c == ']')
                goto close;
            /* fall through */
        case WANT_VALUE:
            goto value;
        case WANT_FIRST_KEY:
            if (c == '}')
                goto close;
            /* fall through */
        case WANT_KEY:
            if (c != '"')
                goto bad;
            if (!muted)
                skip_value = l->key(ctx, at, index[k] + 1) == JP_EV_SKIP;
            k++;
            st = WANT_COLON;
            continue;
        case WANT_COLON:
            if (c != ':')
                goto bad;
            st = WANT_VALUE;
            continue;
        case WANT_NEXT:
            if (c == ',') {
                st = stack[depth - 1] == '{' ? WANT_KEY : WANT_VALUE;
                continue;
            }
            if (c != (stack[depth - 1] == '{' ? '}' : ']'))
                goto bad;
            goto close;
        case WANT_NOTHING:
            goto bad;
        }

    value:
        if (c == '{' || c == '[') {
            if (depth == max_depth) {
                *err = (jp_parse_error){JP_FAULT_TOO_DEEP, at};
                return -1;
            }
            jp_type type = c == '{' ? JP_OBJECT : JP_ARRAY;
            stack[depth++] = c;
            if (!muted && skip_value) {
                muted = depth;
                quiet_close = 1;
            } else if (!muted && l->open(ctx, type, at) == JP_EV_SKIP) {
                muted = depth;
            }
            skip_value = 0;
            st = c == '{' ? WANT_FIRST_KEY : WANT_FIRST_ITEM;
            continue;
        }
        if (c == '"') {
            if (!muted && !skip_value)
                l->scalar(ctx, JP_STRING, at, index[k] + 1);
            k++;
        } else {
            jp_type type;
            size_t end = scalar_end(s, n, at, &type);
            if (!end)
                goto bad;
            if (!muted && !skip_value)
                l->scalar(ctx, type, at, end);
        }
        skip_value = 0;
        st = depth ? WANT_NEXT : WANT_NOTHING;
        continue;

    close: {
        int report = !muted;
        if (muted == depth) {
            report = !quiet_close;
            muted = quiet_close = 0;
        }
        depth--;
        if (report)
            l->close(ctx, at + 1);
        st = depth ? WANT_NEXT : WANT_NOTHING;
    }
    }
    if (st == WANT_NOTHING)
        return 0;
    at = n; /* the text ends too early */
bad:
    *err = (jp_parse_error){JP_FAULT_SYNTAX, at};
    return -1;
}

int jp_scan_too_deep(const uint8_t *s, const uint32_t *index, size_t count, int max_depth,
                     size_t *at)
{
    int depth = 0;
    for (size_t k = 0; k < count; k++) {
        uint8_t c = s[index[k]];
        if (c == '{' || c == '[') {
            if (depth == max_depth) {
                *at = index[k];
                return 1;
            }
            depth++;
        } else if ((c == '}' || c == ']') && depth > 0) {
            depth--;
        }
    }
    return 0;
}
