/* fuzz_filter.c: libFuzzer target for the --filter expression language.
 * The input's first line is the expression; when it compiles, the lines
 * after it are records run through it. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size);
    size_t elen = nl ? (size_t)(nl - data) : size;
    char *expr = malloc(elen + 1);
    memcpy(expr, data, elen);
    expr[elen] = '\0';
    const char *args[] = {"filter", expr, NULL};

    jp_chain c;
    if (strlen(expr) == elen && fuzz_chain(&c, args) == 0) {
        size_t skip = nl ? elen + 1 : size;
        fuzz_run(&c, data + skip, size - skip, 4096, 4096, 4096, 0);
        jp_chain_free(&c);
    }
    free(expr);
    return 0;
}
