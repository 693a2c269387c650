/* stage1_avx2.c: the stage-1 kernel for x86-64 with AVX2 and PCLMUL, two
 * 32-byte vectors a block. Only this file is compiled for AVX2 (a target
 * pragma, not a build flag), and dispatch.c runs it only on a CPU that has
 * it. Classes come from two table lookups (vpshufb) as in simdjson; UTF-8 is
 * checked with the lookup method of Keiser and Lemire ("Validating UTF-8 in
 * less than one instruction per byte"), with the tables in utf8_tables.h. */
#include <string.h>

#include "json.h"
#include "kernel.h"

#if defined(__x86_64__)

JP_TARGET_BEGIN("avx2,pclmul,popcnt,bmi")

#include <immintrin.h>

#include "clmul.h"
#include "utf8_tables.h"

typedef struct block {
    __m256i lo, hi;
} block;

static inline block load64(const uint8_t *p)
{
    return (block){_mm256_loadu_si256((const __m256i *)p), _mm256_loadu_si256((const __m256i *)(p + 32))};
}

static inline uint64_t mask64(__m256i lo, __m256i hi)
{
    return (uint32_t)_mm256_movemask_epi8(lo) | (uint64_t)(uint32_t)_mm256_movemask_epi8(hi) << 32;
}

static inline uint64_t eq64(__m256i lo, __m256i hi, char c)
{
    __m256i v = _mm256_set1_epi8(c);
    return mask64(_mm256_cmpeq_epi8(lo, v), _mm256_cmpeq_epi8(hi, v));
}

static inline void classify(const block *b, jp_block_masks *m)
{
    /* A byte is blank when the table holds it at its low nibble; [ and ]
     * become { and } with 0x20 set, and then so do the op characters. A
     * byte above 0x7F looks up 0 and so is neither. */
    const __m256i ws_table = _mm256_setr_epi8(' ', 100, 100, 100, 17, 100, 113, 2, 100, '\t', '\n',
                                              112, 100, '\r', 100, 100, ' ', 100, 100, 100, 17, 100,
                                              113, 2, 100, '\t', '\n', 112, 100, '\r', 100, 100);
    const __m256i op_table = _mm256_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ':', '{', ',', '}', 0, 0,
                                              0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ':', '{', ',', '}', 0, 0);
    const __m256i lo = b->lo, hi = b->hi;
    const __m256i x20 = _mm256_set1_epi8(0x20);
    m->ws = mask64(_mm256_cmpeq_epi8(lo, _mm256_shuffle_epi8(ws_table, lo)),
                   _mm256_cmpeq_epi8(hi, _mm256_shuffle_epi8(ws_table, hi)));
    m->op = mask64(_mm256_cmpeq_epi8(_mm256_or_si256(lo, x20), _mm256_shuffle_epi8(op_table, lo)),
                   _mm256_cmpeq_epi8(_mm256_or_si256(hi, x20), _mm256_shuffle_epi8(op_table, hi)));
    m->quote = eq64(lo, hi, '"');
    m->backslash = eq64(lo, hi, '\\');
    /* Below 0x20: unchanged by an unsigned min with 0x1F. */
    const __m256i x1f = _mm256_set1_epi8(0x1F);
    m->ctrl = mask64(_mm256_cmpeq_epi8(_mm256_min_epu8(lo, x1f), lo),
                     _mm256_cmpeq_epi8(_mm256_min_epu8(hi, x1f), hi));
}

typedef struct utf8_state {
    __m256i prev;       /* the last vector checked */
    __m256i incomplete; /* where it ends inside a sequence */
    __m256i error;
} utf8_state;

static inline void utf8_init(utf8_state *u)
{
    u->prev = u->incomplete = u->error = _mm256_setzero_si256();
}

/* The bytes of in, shifted by n bytes with the last of prev coming in. */
#define PREV(in, prev, n) _mm256_alignr_epi8((in), _mm256_permute2x128_si256((prev), (in), 0x21), 16 - (n))

static inline __m256i nibble_lookup(const uint8_t table[16], __m256i nibbles)
{
    return _mm256_shuffle_epi8(_mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)table)),
                               nibbles);
}

static inline __m256i utf8_errors(__m256i in, __m256i prev)
{
    const __m256i x0f = _mm256_set1_epi8(0x0F);
    __m256i prev1 = PREV(in, prev, 1);
    __m256i special = _mm256_and_si256(
        _mm256_and_si256(nibble_lookup(jp_utf8_byte1_high, _mm256_and_si256(_mm256_srli_epi16(prev1, 4), x0f)),
                         nibble_lookup(jp_utf8_byte1_low, _mm256_and_si256(prev1, x0f))),
        nibble_lookup(jp_utf8_byte2_high, _mm256_and_si256(_mm256_srli_epi16(in, 4), x0f)));
    __m256i third = _mm256_subs_epu8(PREV(in, prev, 2), _mm256_set1_epi8((char)(0xE0 - 0x80)));
    __m256i fourth = _mm256_subs_epu8(PREV(in, prev, 3), _mm256_set1_epi8((char)(0xF0 - 0x80)));
    __m256i must23 = _mm256_and_si256(_mm256_or_si256(third, fourth), _mm256_set1_epi8((char)0x80));
    return _mm256_xor_si256(must23, special);
}

static inline void utf8_block(utf8_state *u, const block *b)
{
    const __m256i lo = b->lo, hi = b->hi;
    if (!_mm256_movemask_epi8(_mm256_or_si256(lo, hi))) {
        /* All ASCII: an error only if the last block left a sequence open. */
        u->error = _mm256_or_si256(u->error, u->incomplete);
    } else {
        u->error = _mm256_or_si256(u->error, utf8_errors(lo, u->prev));
        u->error = _mm256_or_si256(u->error, utf8_errors(hi, lo));
        u->incomplete = _mm256_subs_epu8(hi, _mm256_loadu_si256((const __m256i *)jp_utf8_max_tail32));
    }
    u->prev = hi;
}

static inline int utf8_end(const utf8_state *u, const uint8_t *s, size_t n)
{
    (void)s;
    (void)n;
    __m256i e = _mm256_or_si256(u->error, u->incomplete);
    return _mm256_testz_si256(e, e);
}

#include "stage1_body.h"

static int supported(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("pclmul") &&
           __builtin_cpu_supports("popcnt") && __builtin_cpu_supports("bmi");
}

JP_TARGET_END

const jp_scan_kernel jp_scan_kernel_avx2 = {"avx2", supported, stage1};

#else
const jp_scan_kernel jp_scan_kernel_avx2 = {"avx2", jp_scan_never, NULL};
#endif
