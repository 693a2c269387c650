/* fuzz_record.c: libFuzzer target for the record path. The input is framed
 * as the reader frames it (read sizes, batch size and --max-line taken from
 * its first two bytes), parsed, and run through one of three chains:
 * none (the output must be exactly the accepted lines), a validate and
 * reshape chain, or an enrich chain. */
#include <stdlib.h>

#include "fuzz.h"

static const char *const none[] = {NULL};
static const char *const validate[] = {
    "require", "id",
    "types", "id=integer,score=number,tags=array",
    "filter", "level != \"debug\" && !(msg =~ \"^x+$\") || tags contains 1",
    "rename", "a=b,user.name=user.login",
    "delete", "tmp,user.password",
    "set", "user.tier:={\"n\":[1,2.50,\"\\u00e9\"]}",
    NULL};
static const char *const enrich[] = {
    "hash", "user.email",
    "hash", "id=xxh64",
    "meta", "src.line=line",
    "uuid", "trace",
    "timestamp", "at=epoch_ms",
    "select", "id,user,src,trace,a.b.c",
    NULL};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    size_t chunk = 1 + (data[0] & 63);
    size_t batch_size = (size_t)64 << ((data[0] >> 6) & 3);
    size_t max_line = 16 + (size_t)(data[1] & 127) * 8;
    const char *const *args = (data[1] >> 7) ? validate : (data[0] & 1) ? enrich : none;

    jp_chain c;
    FUZZ_CHECK(fuzz_chain(&c, args) == 0);
    fuzz_run(&c, data + 2, size - 2, chunk, batch_size, max_line, args == none);
    jp_chain_free(&c);
    return 0;
}
