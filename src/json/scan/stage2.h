/* stage2.h: the walk over stage 1's structural index (see scan.h). */
#ifndef JP_SCAN_STAGE2_H
#define JP_SCAN_STAGE2_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "events.h"

/* Checks the grammar of s[0..n) over its count structural offsets, the
 * numbers and the literals, and reports events to l. stack has room for
 * max_depth bytes. Returns 0, or -1 with the fault in err. */
int jp_scan_stage2(const uint8_t *s, size_t n, const uint32_t *index, size_t count, int max_depth,
                   uint8_t *stack, const jp_json_listener *l, void *ctx, jp_parse_error *err);

/* For a line that stage 1 found bad: the first bracket of the index that
 * would nest deeper than max_depth, as *at; 0 when there is none. Where the
 * line is good up to and with that bracket, it is the bracket stage 2 would
 * stop at; where it is not, jp_parse_error_explain finds the earlier fault,
 * so the reason is the same as for a line good in stage 1. */
int jp_scan_too_deep(const uint8_t *s, const uint32_t *index, size_t count, int max_depth,
                     size_t *at);

#endif
