/* fuzz_schema.c: libFuzzer target for the JSON Schema loader and
 * validator. The input up to its first NUL byte is the schema file; when it
 * loads, the bytes after the NUL are records validated against it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, '\0', size);
    size_t slen = nul ? (size_t)(nul - data) : size;
    /* The loader reads a file: give it one that lives in memory. */
    int fd = memfd_create("schema", 0);
    FUZZ_CHECK(fd >= 0);
    FUZZ_CHECK(write(fd, data, slen) == (ssize_t)slen);
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    const char *args[] = {"schema", path, NULL};

    jp_chain c;
    if (fuzz_chain(&c, args) == 0) {
        size_t skip = nul ? slen + 1 : size;
        fuzz_run(&c, data + skip, size - skip, 4096, 4096, 4096, 0);
        jp_chain_free(&c);
    }
    close(fd);
    return 0;
}
