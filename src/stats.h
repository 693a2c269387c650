/* stats.h: the --stats report, one JSON object. */
#ifndef JP_STATS_H
#define JP_STATS_H

#include <stdio.h>

#include "chain.h"
#include "engine.h"

void jp_stats_print(FILE *f, const jp_totals *t, const jp_chain *chain);

#endif
