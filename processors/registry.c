/* registry.c: the table of processors. Adding one is a new file in this
 * directory plus one line here; nothing else names a processor. */
#include <stddef.h>

#include "processor.h"

extern const jp_processor_type jp_require_processor;
extern const jp_processor_type jp_set_processor;

const jp_processor_type *const jp_processors[] = {
    &jp_require_processor,
    &jp_set_processor,
    NULL,
};
