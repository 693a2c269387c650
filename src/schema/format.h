/* format.h: the formats the "format" keyword asserts (draft 2020-12,
 * section 7.3 of its validation vocabulary), each a check of a string's
 * bytes (UTF-8, not NUL-terminated, NULs possible). */
#ifndef JP_SCHEMA_FORMAT_H
#define JP_SCHEMA_FORMAT_H

#include <stddef.h>

typedef int (*jp_format_check)(const char *s, size_t n);

/* The check of the format named name[0..n), with that name as a static
 * C string in *known; or NULL for a format this does not know (which is
 * then an annotation). */
jp_format_check jp_format_find(const char *name, size_t n, const char **known);

#endif
