/* stage1_avx512.c: the stage-1 kernel for x86-64 with AVX-512 (F and BW),
 * one 64-byte vector a block: the steps of stage1_avx2.c, with compares
 * that give the block's bit masks directly and a masked load for a line's
 * last bytes, so the tail is not copied. Only this file is compiled for
 * AVX-512 (a target pragma, not a build flag), and dispatch.c runs it only
 * on a CPU that has it. */
#include "json.h"
#include "kernel.h"

#if defined(__x86_64__)

JP_TARGET_BEGIN("avx512f,avx512bw,pclmul,popcnt,bmi,bmi2")

#include <immintrin.h>

#include "clmul.h"
#include "utf8_tables.h"

typedef struct block {
    __m512i v;
} block;

#define JP_KERNEL_LOADS_TAIL
static inline block load_block(const uint8_t *p, size_t avail)
{
    /* The bytes past avail are not read (a masked load does not fault on
     * them) and come in as blanks. */
    if (avail < 64)
        return (block){_mm512_mask_loadu_epi8(_mm512_set1_epi8(' '), _bzhi_u64(~0ULL, (unsigned)avail), p)};
    return (block){_mm512_loadu_si512(p)};
}

/* The 16 bytes of a table in each of the four 128-bit lanes, for vpshufb. */
static inline __m512i lanes(const uint8_t table[16])
{
    return _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)table));
}

static inline void classify(const block *b, jp_block_masks *m)
{
    /* The tables of stage1_avx2.c. */
    static const uint8_t ws_table[16] = {' ', 100, 100, 100, 17, 100, 113, 2, 100, '\t', '\n', 112,
                                         100, '\r', 100, 100};
    static const uint8_t op_table[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ':', '{', ',', '}', 0, 0};
    const __m512i v = b->v;
    m->ws = _mm512_cmpeq_epi8_mask(v, _mm512_shuffle_epi8(lanes(ws_table), v));
    m->op = _mm512_cmpeq_epi8_mask(_mm512_or_si512(v, _mm512_set1_epi8(0x20)),
                                   _mm512_shuffle_epi8(lanes(op_table), v));
    m->quote = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('"'));
    m->backslash = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\\'));
    m->ctrl = _mm512_cmplt_epu8_mask(v, _mm512_set1_epi8(0x20));
}

typedef struct utf8_state {
    __m512i prev;       /* the last block checked */
    __m512i incomplete; /* where it ends inside a sequence */
    __m512i error;
} utf8_state;

static inline void utf8_init(utf8_state *u)
{
    u->prev = u->incomplete = u->error = _mm512_setzero_si512();
}

/* The bytes of in, shifted by n bytes with the last of prev coming in:
 * each 128-bit lane is joined to the lane before it (prev's last lane for
 * the first), then aligned. */
#define PREV(in, prev, n)                                                                       \
    _mm512_alignr_epi8((in), _mm512_permutex2var_epi64((prev), _mm512_set_epi64(13, 12, 11, 10, 9, 8, 7, 6), (in)), \
                       16 - (n))

static inline __m512i utf8_errors(__m512i in, __m512i prev)
{
    const __m512i x0f = _mm512_set1_epi8(0x0F);
    __m512i prev1 = PREV(in, prev, 1);
    __m512i special = _mm512_and_si512(
        _mm512_and_si512(
            _mm512_shuffle_epi8(lanes(jp_utf8_byte1_high), _mm512_and_si512(_mm512_srli_epi16(prev1, 4), x0f)),
            _mm512_shuffle_epi8(lanes(jp_utf8_byte1_low), _mm512_and_si512(prev1, x0f))),
        _mm512_shuffle_epi8(lanes(jp_utf8_byte2_high), _mm512_and_si512(_mm512_srli_epi16(in, 4), x0f)));
    __m512i third = _mm512_subs_epu8(PREV(in, prev, 2), _mm512_set1_epi8((char)(0xE0 - 0x80)));
    __m512i fourth = _mm512_subs_epu8(PREV(in, prev, 3), _mm512_set1_epi8((char)(0xF0 - 0x80)));
    __m512i must23 = _mm512_and_si512(_mm512_or_si512(third, fourth), _mm512_set1_epi8((char)0x80));
    return _mm512_xor_si512(must23, special);
}

static inline void utf8_block(utf8_state *u, const block *b)
{
    if (!_mm512_movepi8_mask(b->v)) {
        /* All ASCII: an error only if the last block left a sequence open. */
        u->error = _mm512_or_si512(u->error, u->incomplete);
    } else {
        /* The table's last 32 bytes end the block; every byte before them
         * may be anything. */
        const __m512i max_tail = _mm512_inserti64x4(
            _mm512_set1_epi8((char)0xFF), _mm256_loadu_si256((const __m256i *)jp_utf8_max_tail32), 1);
        u->error = _mm512_or_si512(u->error, utf8_errors(b->v, u->prev));
        u->incomplete = _mm512_subs_epu8(b->v, max_tail);
    }
    u->prev = b->v;
}

static inline int utf8_end(const utf8_state *u, const uint8_t *s, size_t n)
{
    (void)s;
    (void)n;
    __m512i e = _mm512_or_si512(u->error, u->incomplete);
    return _mm512_test_epi8_mask(e, e) == 0;
}

#include "stage1_body.h"

static int supported(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("popcnt") &&
           __builtin_cpu_supports("bmi") && __builtin_cpu_supports("bmi2");
}

JP_TARGET_END

const jp_scan_kernel jp_scan_kernel_avx512 = {"avx512", supported, stage1};

#else
const jp_scan_kernel jp_scan_kernel_avx512 = {"avx512", jp_scan_never, NULL};
#endif
