/* framer_feed.h: feeding bytes to a framer as the reader does, in reads of
 * at most chunk bytes into the space it offers. Shared by the unit tests
 * and the fuzz targets. */
#ifndef JP_FRAMER_FEED_H
#define JP_FRAMER_FEED_H

#include <stddef.h>

#include "framer.h"

/* Feeds input[0..len) to f. Aborts if the framer ever offers no room. */
void framer_feed_bytes(jp_framer *f, const char *input, size_t len, size_t chunk);
/* The same, then ends the input (jp_framer_end). */
void framer_feed_input(jp_framer *f, const char *input, size_t len, size_t chunk);
/* The same, then finishes: every line is emitted. */
void framer_feed(jp_framer *f, const char *input, size_t len, size_t chunk);

#endif
