/* framer_feed.c: see framer_feed.h. */
#include "framer_feed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void framer_feed_bytes(jp_framer *f, const char *input, size_t len, size_t chunk)
{
    for (size_t at = 0; at < len;) {
        char *p;
        size_t room;
        jp_framer_space(f, &p, &room);
        if (room == 0) {
            fprintf(stderr, "framer_feed: the framer offers no room\n");
            abort();
        }
        size_t n = len - at < chunk ? len - at : chunk;
        if (n > room)
            n = room;
        memcpy(p, input + at, n);
        jp_framer_commit(f, n);
        at += n;
    }
}

void framer_feed_input(jp_framer *f, const char *input, size_t len, size_t chunk)
{
    framer_feed_bytes(f, input, len, chunk);
    jp_framer_end(f);
}

void framer_feed(jp_framer *f, const char *input, size_t len, size_t chunk)
{
    framer_feed_input(f, input, len, chunk);
    jp_framer_finish(f);
}
