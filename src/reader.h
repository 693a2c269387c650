/* reader.h: reads the inputs one after another on the libuv loop.
 *
 * Regular files (and anything else that is not a stream, such as /dev/null)
 * are read with uv_fs_read on libuv's threadpool, but for the first read of
 * a regular file that takes all of it, which is made on the loop as its
 * open was, and for large plain files, which are mapped a window at a time
 * on the pool instead; pipes, sockets and terminals are read as libuv
 * streams. All
 * inputs go through one framer, so the lines of small inputs share a batch,
 * each line with its own input name, number and offset (batch.h). The first bytes of each input tell
 * whether it is compressed, and how (decoder.h), whatever its name. Plain bytes go
 * straight into the framer's buffer; compressed ones into a small buffer of
 * the reader's, and a decode step on libuv's pool (one at a time, so file
 * I/O always finds a free thread) fills the framer's buffer from it. A tar
 * archive (plain or compressed) is read with libarchive, a call per pool
 * step; each regular member is framed as an input of its own, named
 * "archive:path/in/archive", and may itself be compressed. Before every read the reader asks may_read(): when the engine says
 * no, reading pauses (uv_read_stop for a stream, no new uv_fs_read for a
 * file) until jp_reader_resume. Whole lines that sit unsent for
 * JP_READER_LATENCY_MS are sent anyway, so a slow producer (tail -f) sees
 * each record go through promptly.
 *
 * An input that cannot be opened or read is reported through input_error()
 * and the reader goes on with the next; damaged compressed data ends its
 * input after every record before the damage. A regular file that ends
 * before the size it had when opened, or before the bytes already read
 * from it, was truncated under us: an input error too, never a quiet end.
 * An input (or member) whose first bytes are UTF-16 or UTF-32 (a byte order
 * mark, or the NULs of ASCII text in them) is refused once, as an input
 * error, rather than rejected line by line. done() is called once, after
 * the last input is closed. */
#ifndef JP_READER_H
#define JP_READER_H

#include <stdint.h>
#include <uv.h>

#include "decoder.h"
#include "filemap.h"
#include "framer.h"
#include "tarball.h"

#define JP_READER_LATENCY_MS 50

typedef struct jp_reader_hooks {
    void (*batch)(void *ctx, jp_batch *b);
    int (*may_read)(void *ctx);
    void (*input_error)(void *ctx, const char *file, const char *message);
    void (*done)(void *ctx);
    void *ctx;
} jp_reader_hooks;

typedef struct jp_reader {
    uv_loop_t *loop;
    jp_reader_hooks hooks;
    char *const *files;
    int nfiles, index;
    const char *name;       /* the current input, as messages name it */
    jp_framer framer;       /* for the whole run: small inputs share batches */

    enum { JP_READER_IDLE, JP_READER_OPENING, JP_READER_FILE, JP_READER_STREAM,
           JP_READER_CLOSING, JP_READER_DONE } state;
    int fd;
    int own_fd;             /* opened by us, so ours to close */
    int stdin_flags;        /* fd 0's flags before libuv made it non-blocking */
    union {
        uv_handle_t handle;
        uv_stream_t stream;
        uv_pipe_t pipe;
        uv_tty_t tty;
        uv_tcp_t tcp;
    } s;
    uv_fs_t req;
    uv_timer_t timer;
    uv_idle_t turn;         /* open_next goes on at the loop's next turn */
    int opening;            /* open_next is running: an input's end returns to it */
    int ended;              /* the input open_next began has ended already */
    int reading;            /* a read is in flight or the stream is started */
    int paused;
    int stopping;
    int flush_on_stop;
    int eof;                /* the current input has no more bytes */
    int text_checked;       /* its first bytes were looked at for UTF-16/32 */
    uint64_t skip_left;     /* bytes of a leading skippable frame yet to drop */
    int refused;            /* they were UTF-16/32: end it at the next turn */
    uint64_t bytes;         /* bytes read from all inputs (an archive's: its members') */
    uint64_t position;      /* bytes taken from the input files themselves */
    int64_t opened_size;    /* a regular file's size when opened, else -1 */
    int chardev;            /* it is a character device (/dev/null) */
    uint64_t file_at;       /* its offset then (stdin may be part read) */
    uint64_t file_read;     /* bytes read from it with uv_fs_read (or mapped) since */
    size_t read_asked;      /* how many the read in flight asked for */

    /* A large plain file is framed from mapped regions (filemap.h), a
     * window of a batch's bytes a pool step, each window a batch; a line
     * longer than a window, a region that cannot be mapped, or the file's
     * end as opened ends that, and reads go on from there. */
    int mapping;            /* the current input is read so */
    int map_off;            /* it is read, not mapped, from here on */
    int map_err;            /* the step found no window */
    jp_filemap *region;     /* the region windows come from; the reader's reference */
    const char *map_at;     /* the step's window */
    size_t map_take;        /* its bytes that make the batch: whole lines */
    uint64_t recounted;     /* bytes given back to be mapped again, counted already */

    enum { JP_READER_SNIFF, JP_READER_PLAIN, JP_READER_DECODE } mode;
    unsigned char *raw;     /* compressed bytes (and the first read of each input) */
    size_t raw_cap, raw_pos, raw_len;
    jp_decoder *decoder;
    uv_work_t work;         /* one decode or archive step on libuv's pool */
    int stepping;           /* that step is in flight */
    unsigned char *step_out;
    size_t step_room, step_used, step_made;
    int step_rc;
    int step_full;          /* the last step filled its room: output may be pending */

    jp_archive *archive;    /* the input is a tar archive */
    int in_member;          /* between a member's header and its end */
    uint64_t archive_taken; /* its jp_archive_read_bytes() at the last step */
    int step_kind;          /* what the pool step in flight does */
    int arch_rc;            /* its result */
    ssize_t step_n;
    const char *step_path;
    char **names;           /* "archive:member" names: batches point at them */
    int nnames;
} jp_reader;

void jp_reader_init(jp_reader *r, uv_loop_t *loop, char *const *files, int nfiles,
                    size_t batch_size, size_t max_line, const jp_reader_hooks *hooks);
void jp_reader_start(jp_reader *r);
/* Reading was paused by may_read(); try again. */
void jp_reader_resume(jp_reader *r);
/* Stop reading: with flush, whole lines already read are still sent; the
 * partial line is dropped. done() follows once the input is closed. */
void jp_reader_stop(jp_reader *r, int flush);
/* Bytes of buffer held for the batch being filled. */
size_t jp_reader_held(const jp_reader *r);
/* Closes the reader's handles; the loop must run once more to finish. */
void jp_reader_close(jp_reader *r);
/* Frees the reader's buffer, once the loop has ended. */
void jp_reader_free(jp_reader *r);

#endif
