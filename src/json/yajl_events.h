/* yajl_events.h: yajl as a source of parse events (events.h), and the
 * builder of value trees for the processors that need one (tree.h).
 *
 * yajl is the reference parser: the structural scanner (scan/) must accept
 * and reject exactly what this does. One handle is reused for every line of
 * one thread. */
#ifndef JP_YAJL_EVENTS_H
#define JP_YAJL_EVENTS_H

#include <stddef.h>

#include "error.h"
#include "events.h"
#include "tree.h"

typedef struct jp_yajl_events jp_yajl_events;

jp_yajl_events *jp_yajl_events_new(void);
void jp_yajl_events_free(jp_yajl_events *p);

/* As jp_scanner_parse (scan.h); with tree, also builds the line's tree into
 * it (reset first; complete only when the parse succeeds). */
int jp_yajl_events_parse(jp_yajl_events *p, const char *s, size_t n, int max_depth,
                         const jp_json_listener *l, void *ctx, jp_tree *tree, jp_parse_error *err);

#endif
