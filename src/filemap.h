/* filemap.h: regions of a regular file mapped into memory, read in place.
 *
 * A large plain file is framed from mapped regions rather than read into
 * buffers: its bytes are never copied before they are parsed. A region
 * spans several batches; each batch made of it holds a reference, and the
 * last reference dropped, on whichever thread, unmaps it. Few and large
 * unmaps matter: each one stops the other CPUs to flush their TLBs.
 *
 * A mapped file that shrinks under us would make a read past its new end
 * raise SIGBUS. The guard installed with the first region instead puts a
 * page of zeros there and notes where, so whoever parsed bytes of it knows,
 * once done, whether they were the file's (jp_filemap_intact) and the run
 * goes on to report it. */
#ifndef JP_FILEMAP_H
#define JP_FILEMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct jp_filemap jp_filemap;

/* Maps the bytes [at, at + len) of fd, read-only, for the caller, who
 * holds its one reference. Returns NULL with *err a negative errno when it
 * cannot (the file is then to be read as it is). Any thread. */
jp_filemap *jp_filemap_new(int fd, uint64_t at, size_t len, int *err);
/* The byte at file offset at, which the region holds. */
const char *jp_filemap_at(const jp_filemap *m, uint64_t at);
/* The file offset just past the region. */
uint64_t jp_filemap_end(const jp_filemap *m);
void jp_filemap_ref(jp_filemap *m);
/* Drops a reference; the last unmaps the region and frees it. */
void jp_filemap_unref(jp_filemap *m);
/* Whether the region's bytes before end, as read so far, were the file's:
 * the guard has put no page of zeros below end (a read found the file
 * shorter there), and the file still holds every byte before end (a read
 * past its end on its last page finds zeros without a fault). Asked after
 * the reads, it cannot miss a shrink that came before them. */
int jp_filemap_intact(const jp_filemap *m, const char *end);

#endif
