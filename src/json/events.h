/* events.h: what a JSON parser tells its listener, with byte offsets.
 *
 * Both parsers of a record report through this one interface: yajl (through
 * yajl_events.c, which also builds value trees) and the structural scanner
 * (scan/). So the field index in record.c never knows which parser ran.
 * Offsets count from the first byte given to the parser. Strings and keys
 * are reported as their quoted bytes; a listener that needs the text
 * decodes it, most never do.
 *
 * Events come in document order. A listener that has no use for what a
 * container holds says so when it opens (JP_EV_SKIP): the parser still
 * checks every byte inside, but reports only that container's close. */
#ifndef JP_JSON_EVENTS_H
#define JP_JSON_EVENTS_H

#include <stddef.h>

#include "record.h"

enum { JP_EV_ENTER = 1, JP_EV_SKIP = 2 };

typedef struct jp_json_listener {
    /* An object or array opens at the bracket at byte at. Returns
     * JP_EV_ENTER or JP_EV_SKIP. */
    int (*open)(void *ctx, jp_type type, size_t at);
    /* The container opened last closes; end is just past its bracket. */
    void (*close)(void *ctx, size_t end);
    /* An object member's key, quotes included: [start, end). Returns
     * JP_EV_ENTER, or JP_EV_SKIP when the listener has no use for the
     * member's value. The scanner then reports nothing of that value (a
     * container's close included); yajl's adapter and the tree's feed
     * still report it, so a listener that skips must take it either way. */
    int (*key)(void *ctx, size_t start, size_t end);
    /* A string (quotes included), number, true, false or null. */
    void (*scalar)(void *ctx, jp_type type, size_t start, size_t end);
} jp_json_listener;

#endif
