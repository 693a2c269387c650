/* registry.c: the table of processors. Adding one is a new file in this
 * directory plus one line here; nothing else names a processor. */
#include <stddef.h>

#include "processor.h"

extern const jp_processor_type jp_require_processor;
extern const jp_processor_type jp_types_processor;
extern const jp_processor_type jp_schema_processor;
extern const jp_processor_type jp_filter_processor;
extern const jp_processor_type jp_set_processor;
extern const jp_processor_type jp_eval_processor;
extern const jp_processor_type jp_timestamp_processor;
extern const jp_processor_type jp_meta_processor;
extern const jp_processor_type jp_hash_processor;
extern const jp_processor_type jp_rename_processor;
extern const jp_processor_type jp_delete_processor;
extern const jp_processor_type jp_select_processor;
extern const jp_processor_type jp_explode_processor;
extern const jp_processor_type jp_flatten_processor;
extern const jp_processor_type jp_uuid_processor;

const jp_processor_type *const jp_processors[] = {
    &jp_require_processor,
    &jp_types_processor,
    &jp_schema_processor,
    &jp_filter_processor,
    &jp_set_processor,
    &jp_eval_processor,
    &jp_timestamp_processor,
    &jp_meta_processor,
    &jp_hash_processor,
    &jp_rename_processor,
    &jp_delete_processor,
    &jp_select_processor,
    &jp_explode_processor,
    &jp_flatten_processor,
    &jp_uuid_processor,
    NULL,
};
