/* stage1_sse42.c: the stage-1 kernel for x86-64 with SSE4.2 and PCLMUL,
 * four 16-byte vectors a block: the same steps as stage1_avx2.c at half the
 * width, for CPUs without AVX2. Only this file is compiled for SSE4.2. */
#include <string.h>

#include "json.h"
#include "kernel.h"

#if defined(__x86_64__)

JP_TARGET_BEGIN("sse4.2,pclmul,popcnt")

#include <immintrin.h>

#include "clmul.h"
#include "utf8_tables.h"

typedef struct block {
    __m128i v[4];
} block;

static inline block load64(const uint8_t *p)
{
    block b;
    for (int i = 0; i < 4; i++)
        b.v[i] = _mm_loadu_si128((const __m128i *)(p + 16 * i));
    return b;
}

static inline uint64_t mask64(__m128i a, __m128i b, __m128i c, __m128i d)
{
    return (uint64_t)(uint16_t)_mm_movemask_epi8(a) | (uint64_t)(uint16_t)_mm_movemask_epi8(b) << 16 |
           (uint64_t)(uint16_t)_mm_movemask_epi8(c) << 32 | (uint64_t)(uint16_t)_mm_movemask_epi8(d) << 48;
}

static inline uint64_t eq64(const block *b, char c)
{
    __m128i v = _mm_set1_epi8(c);
    return mask64(_mm_cmpeq_epi8(b->v[0], v), _mm_cmpeq_epi8(b->v[1], v),
                  _mm_cmpeq_epi8(b->v[2], v), _mm_cmpeq_epi8(b->v[3], v));
}

static inline void classify(const block *in, jp_block_masks *m)
{
    /* The tables of stage1_avx2.c. */
    const __m128i ws_table = _mm_setr_epi8(' ', 100, 100, 100, 17, 100, 113, 2, 100, '\t', '\n', 112,
                                           100, '\r', 100, 100);
    const __m128i op_table = _mm_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ':', '{', ',', '}', 0, 0);
    const __m128i x20 = _mm_set1_epi8(0x20), x1f = _mm_set1_epi8(0x1F);
    block ws, op, ctrl;
    for (int i = 0; i < 4; i++) {
        ws.v[i] = _mm_cmpeq_epi8(in->v[i], _mm_shuffle_epi8(ws_table, in->v[i]));
        op.v[i] = _mm_cmpeq_epi8(_mm_or_si128(in->v[i], x20), _mm_shuffle_epi8(op_table, in->v[i]));
        ctrl.v[i] = _mm_cmpeq_epi8(_mm_min_epu8(in->v[i], x1f), in->v[i]);
    }
    m->ws = mask64(ws.v[0], ws.v[1], ws.v[2], ws.v[3]);
    m->op = mask64(op.v[0], op.v[1], op.v[2], op.v[3]);
    m->ctrl = mask64(ctrl.v[0], ctrl.v[1], ctrl.v[2], ctrl.v[3]);
    m->quote = eq64(in, '"');
    m->backslash = eq64(in, '\\');
}

typedef struct utf8_state {
    __m128i prev, incomplete, error;
} utf8_state;

static inline void utf8_init(utf8_state *u)
{
    u->prev = u->incomplete = u->error = _mm_setzero_si128();
}

static inline __m128i nibble_lookup(const uint8_t table[16], __m128i nibbles)
{
    return _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)table), nibbles);
}

static inline __m128i utf8_errors(__m128i in, __m128i prev)
{
    const __m128i x0f = _mm_set1_epi8(0x0F);
    __m128i prev1 = _mm_alignr_epi8(in, prev, 15);
    __m128i special = _mm_and_si128(
        _mm_and_si128(nibble_lookup(jp_utf8_byte1_high, _mm_and_si128(_mm_srli_epi16(prev1, 4), x0f)),
                      nibble_lookup(jp_utf8_byte1_low, _mm_and_si128(prev1, x0f))),
        nibble_lookup(jp_utf8_byte2_high, _mm_and_si128(_mm_srli_epi16(in, 4), x0f)));
    __m128i third = _mm_subs_epu8(_mm_alignr_epi8(in, prev, 14), _mm_set1_epi8((char)(0xE0 - 0x80)));
    __m128i fourth = _mm_subs_epu8(_mm_alignr_epi8(in, prev, 13), _mm_set1_epi8((char)(0xF0 - 0x80)));
    __m128i must23 = _mm_and_si128(_mm_or_si128(third, fourth), _mm_set1_epi8((char)0x80));
    return _mm_xor_si128(must23, special);
}

static inline void utf8_block(utf8_state *u, const block *in)
{
    const block b = *in;
    __m128i any = _mm_or_si128(_mm_or_si128(b.v[0], b.v[1]), _mm_or_si128(b.v[2], b.v[3]));
    if (!_mm_movemask_epi8(any)) {
        u->error = _mm_or_si128(u->error, u->incomplete);
    } else {
        __m128i prev = u->prev;
        for (int i = 0; i < 4; i++) {
            u->error = _mm_or_si128(u->error, utf8_errors(b.v[i], prev));
            prev = b.v[i];
        }
        u->incomplete = _mm_subs_epu8(b.v[3], _mm_loadu_si128((const __m128i *)(jp_utf8_max_tail32 + 16)));
    }
    u->prev = b.v[3];
}

static inline int utf8_end(const utf8_state *u, const uint8_t *s, size_t n)
{
    (void)s;
    (void)n;
    __m128i e = _mm_or_si128(u->error, u->incomplete);
    return _mm_testz_si128(e, e);
}

#include "stage1_body.h"

static int supported(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("sse4.2") && __builtin_cpu_supports("pclmul") &&
           __builtin_cpu_supports("popcnt");
}

JP_TARGET_END

const jp_scan_kernel jp_scan_kernel_sse42 = {"sse42", supported, stage1};

#else
const jp_scan_kernel jp_scan_kernel_sse42 = {"sse42", jp_scan_never, NULL};
#endif
