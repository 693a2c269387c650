/* filemap.h: windows of a regular file mapped into memory, read in place.
 *
 * A large plain file is framed from windows mapped with mmap rather than
 * read into buffers: its bytes are never copied before they are parsed.
 * Each window belongs to the batch made of it and is unmapped with it
 * (batch.c), on whichever thread frees the batch.
 *
 * A mapped file that shrinks under us would make a read past its new end
 * raise SIGBUS. The guard installed with the first window instead puts a
 * page of zeros there and counts the fault on the thread that made it, so
 * the worker that parsed the batch knows its bytes are not the file's
 * (jp_filemap_faults) and the run goes on to report it. */
#ifndef JP_FILEMAP_H
#define JP_FILEMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct jp_filemap {
    void *base;       /* the mapping, page aligned */
    size_t len;       /* its length */
    const char *data; /* the byte at the file offset asked for */
} jp_filemap;

/* Maps len bytes of fd from offset at, read-only, its pages read in now so
 * the parser does not fault on them one by one. Returns 0, or a negative
 * errno (the file is then to be read as it is). Any thread. */
int jp_filemap_window(int fd, uint64_t at, size_t len, jp_filemap *m);

/* Unmaps a window; base and len as jp_filemap gave them. */
void jp_filemap_release(void *base, size_t len);

/* Faults past a shrunken file's end taken on this thread so far. */
uint64_t jp_filemap_faults(void);

#endif
