/* fuzz_scan.c: libFuzzer target for the structural scanner, with yajl as
 * the oracle. Each line of the input (split at newlines), and the whole
 * input once as one line (the record API takes newlines inside a line),
 * is parsed by every kernel this CPU runs and by yajl, at a small
 * --max-depth and at the default: verdicts, reasons, the values of every
 * declared field and their shadowed copies, and every vector kernel's
 * stage 1 against the scalar one must be equal (scan_oracle.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "scan_oracle.h"

static const int depths[] = {3, 512};
#define NDEPTHS (sizeof depths / sizeof depths[0])

/* Made once: the records are reused for every input, as a worker's are. */
static scan_oracle *oracles[NDEPTHS];

/* Parses a copy of exactly the line's bytes, so that ASan sees a parser
 * read past its end. */
static void same_everywhere(const char *line, size_t n)
{
    char *copy = jp_xmalloc(n ? n : 1);
    memcpy(copy, line, n);
    for (size_t d = 0; d < NDEPTHS; d++) {
        scan_oracle_parse(oracles[d], copy, n);
        const char *why = scan_oracle_mismatch(oracles[d]);
        if (why)
            fprintf(stderr, "--max-depth %d: %s\n", depths[d], why);
        FUZZ_CHECK(why == NULL);
    }
    free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (size_t d = 0; d < NDEPTHS; d++)
        if (!oracles[d])
            oracles[d] = scan_oracle_new(depths[d]);
    const char *text = (const char *)data;
    size_t at = 0;
    while (at < size) {
        const char *nl = memchr(text + at, '\n', size - at);
        size_t n = nl ? (size_t)(nl - (text + at)) : size - at;
        same_everywhere(text + at, n);
        at += n + 1;
    }
    if (memchr(text, '\n', size))
        same_everywhere(text, size);
    return 0;
}
