/* stage1_body.h: the part of stage 1 that is the same for every kernel.
 *
 * Included once by each kernel file, after its JP_TARGET_BEGIN, so that
 * this code is compiled for the kernel's instruction set. The kernel
 * defines first: its type block, with load64() (a block of 64 bytes),
 * classify() (the masks of one block), prefix_xor(), and the UTF-8 checker
 * utf8_state with utf8_init(), utf8_block() and utf8_end(). A kernel that
 * can load a line's last bytes without reading past them (a masked load)
 * defines load_block() and JP_KERNEL_LOADS_TAIL instead of load64(); any
 * other includes <string.h> before its target begins, for the load_block()
 * here. No header is included here: it would be compiled for the target.
 *
 * The bit logic follows simdjson's stage 1 (Langdale and Lemire, "Parsing
 * gigabytes of JSON per second"): escaped characters from the runs of
 * backslashes, the inside of strings as the prefix XOR of the unescaped
 * quotes, and scalars as the bytes outside strings that are neither
 * structural nor blank. Unlike simdjson, both quotes of a string are
 * indexed, so stage 2 finds a string's end without reading its bytes. The
 * state carried from block to block starts afresh with every line, so a
 * bad line cannot spill into the next. */

#ifndef JP_KERNEL_LOADS_TAIL
/* 64 bytes of the line at p, or the avail (< 64) left at its end followed
 * by blanks: the bytes after a line need not be readable, so those are
 * copied into a block that is ours, with nothing to index past the line. */
static inline block load_block(const uint8_t *p, size_t avail)
{
    uint8_t tail[64];
    if (avail < 64) {
        memset(tail, ' ', sizeof tail);
        memcpy(tail, p, avail);
        p = tail;
    }
    return load64(p);
}
#endif

/* The characters that the runs of backslashes escape (simdjson's
 * find_escaped_branchless): a run of odd length escapes the byte after it. */
static inline uint64_t find_escaped(uint64_t backslash, uint64_t *prev_escaped)
{
    const uint64_t even_bits = 0x5555555555555555ULL;
    backslash &= ~*prev_escaped;
    uint64_t follows_escape = backslash << 1 | *prev_escaped;
    uint64_t odd_starts = backslash & ~even_bits & ~follows_escape;
    uint64_t even_starts;
    *prev_escaped = __builtin_add_overflow(odd_starts, backslash, &even_starts);
    return (even_bits ^ (even_starts << 1)) & follows_escape;
}

/* Whether every escaped byte in the bits of the block at base is a JSON
 * escape: one of "\/bfnrt, or u and four hex digits. Escapes are rare, so
 * this reads the line byte by byte. */
static inline int escapes_valid(const uint8_t *s, size_t n, size_t base, uint64_t bits)
{
    while (bits) {
        size_t i = base + (size_t)__builtin_ctzll(bits);
        bits &= bits - 1;
        if (i >= n)
            return 0;
        switch (s[i]) {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
            break;
        case 'u':
            if (n - i < 5 || !jp_json_hex_digit(s[i + 1]) || !jp_json_hex_digit(s[i + 2]) ||
                !jp_json_hex_digit(s[i + 3]) || !jp_json_hex_digit(s[i + 4]))
                return 0;
            break;
        default:
            return 0;
        }
    }
    return 1;
}

/* Writes base + the offset of every set bit, in order. It writes in
 * groups of eight whatever the count, past the last offset (see the room
 * kernel.h asks for), because a branch per bit costs more. */
static inline uint32_t *flatten(uint32_t *out, uint32_t base, uint64_t bits)
{
    /* ctz of bits with the top bit set is ctz of bits for any bits but 0,
     * and defined for 0: the writes past the count need no test. */
    const uint64_t top = 1ULL << 63;
    int count = __builtin_popcountll(bits);
    for (int i = 0; i < 8; i++) {
        out[i] = base + (uint32_t)__builtin_ctzll(bits | top);
        bits &= bits - 1;
    }
    if (count > 8) {
        for (int i = 8; i < 16; i++) {
            out[i] = base + (uint32_t)__builtin_ctzll(bits | top);
            bits &= bits - 1;
        }
        for (int i = 16; bits; i++) {
            out[i] = base + (uint32_t)__builtin_ctzll(bits);
            bits &= bits - 1;
        }
    }
    return out + count;
}

static size_t stage1(const uint8_t *s, size_t n, uint32_t *index, size_t *backslash, int *bad)
{
    uint64_t prev_escaped = 0, prev_in_string = 0, prev_scalar = 0, fault = 0;
    size_t first_backslash = n;
    uint32_t *out = index;
    utf8_state u;
    utf8_init(&u);
    for (size_t base = 0; base < n; base += 64) {
        block b = load_block(s + base, n - base < 64 ? n - base : 64);
        jp_block_masks m;
        classify(&b, &m);
        utf8_block(&u, &b);
        uint64_t escaped = 0;
        if (m.backslash | prev_escaped) {
            if (m.backslash && first_backslash == n)
                first_backslash = base + (size_t)__builtin_ctzll(m.backslash);
            escaped = find_escaped(m.backslash, &prev_escaped);
        }
        uint64_t quote = m.quote & ~escaped;
        uint64_t in_string = prefix_xor(quote) ^ prev_in_string;
        prev_in_string = (uint64_t)((int64_t)in_string >> 63);
        uint64_t inside = in_string & ~quote, outside = ~(in_string | quote);
        fault |= m.ctrl & inside;
        if (escaped & inside && !escapes_valid(s, n, base, escaped & inside))
            fault = 1;
        uint64_t scalar = outside & ~(m.op | m.ws);
        uint64_t scalar_start = scalar & ~(scalar << 1 | prev_scalar);
        prev_scalar = scalar >> 63;
        out = flatten(out, (uint32_t)base, (m.op & outside) | scalar_start | quote);
    }
    *bad = (fault | prev_in_string) != 0 || !utf8_end(&u, s, n);
    *backslash = first_backslash;
    return (size_t)(out - index);
}
