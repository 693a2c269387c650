/* stage1_scalar.c: the portable stage-1 kernel, for CPUs without SSE4.2 and
 * PCLMUL, and the plain statement of what the vector kernels compute. A
 * byte at a time through a table of classes; UTF-8 is checked for the whole
 * line at the end, when it holds a byte above 0x7F at all. */
#include <string.h>

#include "json.h"
#include "kernel.h"

enum { C_QUOTE = 1, C_BACKSLASH = 2, C_OP = 4, C_WS = 8, C_CTRL = 16 };

static const uint8_t byte_class[256] = {
    [0 ... 0x08] = C_CTRL,
    ['\t'] = C_CTRL | C_WS, ['\n'] = C_CTRL | C_WS,
    /* Form feed and 0x1A are structural in the vector kernels' tables (they
     * look like ',' and ':' there); stage 2 refuses them either way, and
     * here they are the same, so that every kernel writes the same index. */
    [0x0B] = C_CTRL, [0x0C] = C_CTRL | C_OP,
    ['\r'] = C_CTRL | C_WS,
    [0x0E ... 0x19] = C_CTRL, [0x1A] = C_CTRL | C_OP, [0x1B ... 0x1F] = C_CTRL,
    [' '] = C_WS,
    ['"'] = C_QUOTE, ['\\'] = C_BACKSLASH,
    ['{'] = C_OP, ['}'] = C_OP, ['['] = C_OP, [']'] = C_OP, [':'] = C_OP, [','] = C_OP,
};

typedef struct block {
    uint8_t bytes[64];
} block;

static inline block load64(const uint8_t *p)
{
    block b;
    memcpy(b.bytes, p, 64);
    return b;
}

static inline void classify(const block *b, jp_block_masks *m)
{
    const uint8_t *p = b->bytes;
    *m = (jp_block_masks){0};
    for (int i = 0; i < 64; i++) {
        uint8_t c = byte_class[p[i]];
        uint64_t bit = 1ULL << i;
        m->quote |= c & C_QUOTE ? bit : 0;
        m->backslash |= c & C_BACKSLASH ? bit : 0;
        m->op |= c & C_OP ? bit : 0;
        m->ws |= c & C_WS ? bit : 0;
        m->ctrl |= c & C_CTRL ? bit : 0;
    }
}

static inline uint64_t prefix_xor(uint64_t x)
{
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    return x;
}

typedef struct utf8_state {
    uint64_t high; /* the top bits of every byte so far */
} utf8_state;

static inline void utf8_init(utf8_state *u)
{
    u->high = 0;
}

static inline void utf8_block(utf8_state *u, const block *b)
{
    const uint8_t *p = b->bytes;
    for (int i = 0; i < 64; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        u->high |= w & 0x8080808080808080ULL;
    }
}

static inline int utf8_end(const utf8_state *u, const uint8_t *s, size_t n)
{
    if (!u->high)
        return 1;
    for (size_t i = 0; i < n;) {
        size_t len = s[i] < 0x80 ? 1 : jp_utf8_seq_len(s + i, n - i);
        if (!len)
            return 0;
        i += len;
    }
    return 1;
}

#include "stage1_body.h"

static int always(void)
{
    return 1;
}

const jp_scan_kernel jp_scan_kernel_scalar = {"scalar", always, stage1};
