/* utf8_tables.h: the lookup tables of the vector UTF-8 check (Keiser and
 * Lemire, as in simdjson's utf8_lookup4_algorithm), for the vector kernels.
 *
 * Three lookups by nibble (the high and low nibble of the byte before, the
 * high nibble of the byte itself) each give the faults a pair of bytes may
 * have; a pair has a fault only when all three agree on it. What a pair
 * cannot show, a lead byte's third and fourth bytes, is checked apart. */
#ifndef JP_SCAN_UTF8_TABLES_H
#define JP_SCAN_UTF8_TABLES_H

#include <stdint.h>

enum {
    U8_TOO_SHORT = 1 << 0,  /* a lead byte followed by a lead byte or ASCII */
    U8_TOO_LONG = 1 << 1,   /* ASCII followed by a continuation */
    U8_OVERLONG_3 = 1 << 2, /* 11100000 100_____ */
    U8_TOO_LARGE = 1 << 3,  /* 11110100 1001____ and above */
    U8_SURROGATE = 1 << 4,  /* 11101101 101_____ */
    U8_OVERLONG_2 = 1 << 5, /* 1100000_ 10______ */
    U8_TOO_LARGE_1000 = 1 << 6, /* 11110101 1000____ and above */
    U8_OVERLONG_4 = 1 << 6, /* 11110000 1000____ */
    U8_TWO_CONTS = 1 << 7,  /* two continuations: right only as a third or fourth byte */
    U8_CARRY = U8_TOO_SHORT | U8_TOO_LONG | U8_TWO_CONTS
};

static const uint8_t jp_utf8_byte1_high[16] = {
    /* 0_______: ASCII */
    U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG,
    U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG,
    /* 10______: a continuation */
    U8_TWO_CONTS, U8_TWO_CONTS, U8_TWO_CONTS, U8_TWO_CONTS,
    /* 1100____, 1101____: two-byte leads */
    U8_TOO_SHORT | U8_OVERLONG_2,
    U8_TOO_SHORT,
    /* 1110____: three-byte leads */
    U8_TOO_SHORT | U8_OVERLONG_3 | U8_SURROGATE,
    /* 1111____: four-byte leads and bytes that are never UTF-8 */
    U8_TOO_SHORT | U8_TOO_LARGE | U8_TOO_LARGE_1000 | U8_OVERLONG_4,
};

static const uint8_t jp_utf8_byte1_low[16] = {
    U8_CARRY | U8_OVERLONG_3 | U8_OVERLONG_2 | U8_OVERLONG_4, /* ____0000 */
    U8_CARRY | U8_OVERLONG_2,                                 /* ____0001 */
    U8_CARRY,                                                 /* ____001_ */
    U8_CARRY,
    U8_CARRY | U8_TOO_LARGE,                                  /* ____0100 */
    U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000,              /* ____0101 */
    U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000,              /* ____011_ */
    U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000,
    U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000,              /* ____1___ */
    U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000,
    U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000,
    U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000,
    U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000,
    U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000 | U8_SURROGATE, /* ____1101 */
    U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000,
    U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000,
};

static const uint8_t jp_utf8_byte2_high[16] = {
    /* 0_______: ASCII */
    U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT,
    U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT,
    /* 1000____ */
    U8_TOO_LONG | U8_OVERLONG_2 | U8_TWO_CONTS | U8_OVERLONG_3 | U8_TOO_LARGE_1000 | U8_OVERLONG_4,
    /* 1001____ */
    U8_TOO_LONG | U8_OVERLONG_2 | U8_TWO_CONTS | U8_OVERLONG_3 | U8_TOO_LARGE,
    /* 101_____ */
    U8_TOO_LONG | U8_OVERLONG_2 | U8_TWO_CONTS | U8_SURROGATE | U8_TOO_LARGE,
    U8_TOO_LONG | U8_OVERLONG_2 | U8_TWO_CONTS | U8_SURROGATE | U8_TOO_LARGE,
    /* 11______: a lead byte */
    U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT,
};

/* A vector ends inside a sequence where a byte is above these: a lead of
 * four bytes three from the end, of three or more two from the end, of two
 * or more at the end. The last 16 serve a 16-byte vector. */
static const uint8_t jp_utf8_max_tail32[32] = {
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 0xF0 - 1, 0xE0 - 1, 0xC0 - 1,
};

#endif
