/* fuzz.h: what the libFuzzer targets share.
 *
 * Each target (fuzz_*.c) defines LLVMFuzzerTestOneInput. Built with
 * --enable-fuzzing they link libFuzzer; otherwise they link replay.c, which
 * runs the kept corpus and every past crasher through the same code in
 * `make check`. A target checks invariants, not just the absence of
 * crashes: a broken one aborts with FUZZ_CHECK's message. */
#ifndef JP_FUZZ_H
#define JP_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "chain.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

void fuzz_fail(const char *file, int line, const char *what);
#define FUZZ_CHECK(cond)                                                                      \
    do {                                                                                      \
        if (!(cond))                                                                          \
            fuzz_fail(__FILE__, __LINE__, #cond);                                             \
    } while (0)

/* A chain with error records as NDJSON; the processors come from args,
 * "--name", "arg" pairs ending with NULL. Returns 0, or -1 when a processor
 * refused its argument (a usage error, which is fine for fuzzed arguments). */
int fuzz_chain(jp_chain *c, const char *const *args);

/* What a run gave: its output and error records, and the counts. */
typedef struct fuzz_result {
    jp_buf out, err;
    uint64_t records_in, records_out, rejected, dropped;
} fuzz_result;

void fuzz_result_free(fuzz_result *r);

/* Frames input as the reader does, in reads of `chunk` bytes, into batches
 * of batch_size with max_line, runs every batch through the chain, and
 * checks that every non-empty line is accounted for exactly once, that
 * every output line is one valid JSON value, and that every error record is
 * one valid JSON object. With passthrough (a chain that changes nothing),
 * the output must also be exactly the accepted input lines. */
void fuzz_run(const jp_chain *c, const uint8_t *input, size_t len, size_t chunk,
              size_t batch_size, size_t max_line, int passthrough);
/* The same, keeping what the run gave in *result (freed by the caller). */
void fuzz_run_into(const jp_chain *c, const uint8_t *input, size_t len, size_t chunk,
                   size_t batch_size, size_t max_line, int passthrough, fuzz_result *result);

#endif
