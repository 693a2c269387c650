/* clmul.h: the prefix XOR of a 64-bit mask with one carry-less multiply by
 * all ones (bit i of the result: the XOR of bits 0..i), for the x86 kernels
 * that have PCLMUL. Included after a kernel's JP_TARGET_BEGIN, so that it is
 * compiled for that kernel's instruction set. */
static inline uint64_t prefix_xor(uint64_t x)
{
    return (uint64_t)_mm_cvtsi128_si64(
        _mm_clmulepi64_si128(_mm_set_epi64x(0, (long long)x), _mm_set1_epi8((char)0xFF), 0));
}
