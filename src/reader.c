/* reader.c: opening and reading inputs, decoding compressed ones, pausing
 * and resuming. */
#include "reader.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report.h"

/* The compressed-bytes buffer: about what zstd suggests for one read. */
#define RAW_SIZE (128 * 1024)

/* Inputs begun in one turn of the loop before it gets a turn (signals,
 * timers, finished batches), when they end as soon as they are read. */
#define INPUTS_PER_TURN 64

static void open_next(jp_reader *r);
static void read_more(jp_reader *r);

void jp_reader_init(jp_reader *r, uv_loop_t *loop, char *const *files, int nfiles,
                    size_t batch_size, size_t max_line, const jp_reader_hooks *hooks)
{
    memset(r, 0, sizeof *r);
    r->loop = loop;
    r->hooks = *hooks;
    r->files = files;
    r->nfiles = nfiles;
    r->fd = -1;
    r->stdin_flags = -1;
    r->raw_cap = RAW_SIZE;
    r->raw = jp_xmalloc(r->raw_cap);
    jp_framer_init(&r->framer, batch_size, max_line, hooks->batch, hooks->ctx);
    uv_timer_init(loop, &r->timer);
    r->timer.data = r;
    uv_idle_init(loop, &r->turn);
    r->turn.data = r;
    r->req.data = r;
    r->work.data = r;
    r->s.handle.data = r;
}

static void input_error(jp_reader *r, const char *what, int err)
{
    char msg[300];
    snprintf(msg, sizeof msg, "%s: %s", what, jp_report_syserr(err));
    r->hooks.input_error(r->hooks.ctx, r->name, msg);
}

static void next_input(jp_reader *r)
{
    r->index++;
    r->fd = -1;
    r->state = JP_READER_IDLE;
    if (r->opening) {
        r->ended = 1; /* open_next, below us, goes on with the next */
        return;
    }
    open_next(r);
}

static void on_timer(uv_timer_t *t);

/* Whole lines held do not wait long for more, from this input or the next. */
static void keep_prompt(jp_reader *r)
{
    if (r->framer.cut && !uv_is_active((uv_handle_t *)&r->timer))
        uv_timer_start(&r->timer, on_timer, JP_READER_LATENCY_MS, 0);
}

static void on_stream_closed(uv_handle_t *h)
{
    next_input(h->data);
}

/* The current input has ended (or failed, or we are stopping). */
static void end_input(jp_reader *r)
{
    jp_filemap_unref(r->region);
    r->region = NULL;
    r->mapping = 0;
    r->recounted = 0;
    jp_framer_end(&r->framer);
    keep_prompt(r);
    jp_decoder_free(r->decoder);
    r->decoder = NULL;
    jp_archive_free(r->archive);
    r->archive = NULL;
    r->in_member = 0;
    r->raw_pos = r->raw_len = 0;
    r->reading = 0;
    r->paused = 0;
    r->state = JP_READER_CLOSING;
    if (r->s.handle.type != UV_UNKNOWN_HANDLE && !uv_is_closing(&r->s.handle)) {
        if (r->stdin_flags >= 0) {
            fcntl(0, F_SETFL, r->stdin_flags);
            r->stdin_flags = -1;
        }
        uv_close(&r->s.handle, on_stream_closed);
    } else if (r->own_fd) {
        /* Closing a file we only read does not block: done here, it saves
         * a trip through the threadpool per input (20,000 small files). */
        close(r->fd);
        next_input(r);
    } else {
        next_input(r);
    }
}

static void on_timer(uv_timer_t *t)
{
    jp_reader *r = t->data;
    /* While a decode step or a file read fills the framer's buffer on the
     * pool, the loop leaves it alone; their end restarts the timer. (A
     * stream's read happens on the loop, in on_alloc and on_stream_read.) */
    if (!r->stepping && !(r->reading && r->state == JP_READER_FILE))
        jp_framer_flush(&r->framer);
}

/* Decoded or plain bytes are in the framer's buffer: frame them, and make
 * sure whole lines do not wait long for more. */
/* The UTF-16 or UTF-32 form whose byte order mark, or whose NULs around
 * ASCII text, start p[0..n) (n >= 4), else NULL; *bom says which it was. */
static const char *wide_text(const unsigned char *p, size_t n, int *bom)
{
    static const struct { const char *name, *bom; size_t unit, at; } forms[] = {
        /* UTF-32 first: its marks and NULs start as UTF-16's do. */
        {"UTF-32LE", "\xff\xfe\0\0", 4, 0}, {"UTF-32BE", "\0\0\xfe\xff", 4, 3},
        {"UTF-16LE", "\xff\xfe", 2, 0}, {"UTF-16BE", "\xfe\xff", 2, 1},
    };
    if (n > 16)
        n = 16;
    for (size_t f = 0; f < sizeof forms / sizeof forms[0]; f++) {
        size_t unit = forms[f].unit;
        *bom = memcmp(p, forms[f].bom, unit) == 0;
        if (*bom)
            return forms[f].name;
        /* Each code unit: the ASCII byte where the form puts it, NULs else. */
        size_t i = 0, whole = n - n % unit;
        while (i < whole && (p[i] != 0) == (i % unit == forms[f].at))
            i++;
        if (i == whole)
            return forms[f].name;
    }
    return NULL;
}

/* Before the first bytes of an input are framed: refuses it when they are
 * UTF-16 or UTF-32, once for the input. */
static int refuse_wide(jp_reader *r, size_t n)
{
    const jp_framer *f = &r->framer;
    if (r->text_checked)
        return 0;
    if (f->offset != 0 || f->line != 0) { /* its start is already out */
        r->text_checked = 1;
        return 0;
    }
    size_t have = f->cur->in_len - f->start + n;
    if (have < 4)
        return 0; /* look again with more */
    r->text_checked = 1;
    int bom;
    const char *form = wide_text((const unsigned char *)f->cur->in + f->start, have, &bom);
    if (!form)
        return 0;
    /* With a mark, iconv's UTF-16 or UTF-32 reads it and drops it. */
    char msg[300];
    snprintf(msg, sizeof msg,
             "the input looks like %s (%s), not UTF-8: no record read; convert it first, "
             "as with iconv -f %.*s -t UTF-8",
             form, bom ? "its byte order mark" : "NUL bytes around ASCII text",
             bom ? 6 : (int)strlen(form), form);
    r->hooks.input_error(r->hooks.ctx, f->file, msg);
    jp_framer_drop_input(&r->framer);
    r->refused = 1;
    return 1;
}

static void framed(jp_reader *r, size_t n)
{
    if (refuse_wide(r, n))
        return;
    jp_framer_commit(&r->framer, n);
    keep_prompt(r);
}

/* Whether the input is a tar archive, compressed or not: 1 yes, 0 no, -1
 * not yet known. A compressed one is decoded a little (1 KiB) to see its
 * first header; lz4 and bzip2 give nothing until a whole block is in (up
 * to 4 MiB of lz4), so until then more is read (SNIFF_MAX at most). */
#define SNIFF_MAX ((size_t)8 << 20)
static int is_archive(const jp_reader *r, jp_codec codec)
{
    if (codec == JP_CODEC_PLAIN)
        return jp_archive_detect(r->raw, r->raw_len);
    unsigned char head[1024];
    size_t used, made = 0;
    jp_decoder *d = jp_decoder_new(codec);
    int rc = jp_decoder_step(d, r->raw, r->raw_len, &used, head, sizeof head, &made);
    jp_decoder_free(d);
    if (rc == 0 && made < sizeof head && !r->eof && r->raw_len < SNIFF_MAX)
        return -1;
    return jp_archive_detect(head, made);
}

/* How many first bytes of an input are enough to tell what it is: a tar
 * header, and the compressed bytes of one. Fewer are read on for, unless
 * they may start valid NDJSON (the first byte of a JSON value, blank
 * space or a UTF-8 byte order mark, and no NUL): so a live stream's
 * first record never waits, and a pipe that gives a compressed input or a
 * tarball a few bytes at a time is still recognised. */
#define SNIFF_SIZE 1024
static const char TEXT_START[] = "{[\"-0123456789tfn \t\r\n\xef";

/* Makes room to read more of a compressed input's first block into. */
static void grow_raw(jp_reader *r)
{
    if (r->raw_len < r->raw_cap)
        return;
    r->raw_cap = r->raw_cap * 2 < SNIFF_MAX ? r->raw_cap * 2 : SNIFF_MAX;
    r->raw = jp_xrealloc(r->raw, r->raw_cap);
}

/* The first bytes of an input: plain bytes move on to the framer; a
 * compressed format's magic switches the input to decoding. */
static void sniff(jp_reader *r)
{
    /* Skippable frames before the first zstd or lz4 frame hold no data:
     * dropped here, however long, so that the frame after them (or a
     * tarball in it) is what is recognised. */
    size_t at = 0;
    for (;;) {
        uint64_t k = r->raw_len - at < r->skip_left ? r->raw_len - at : r->skip_left;
        at += (size_t)k;
        r->skip_left -= k;
        if (r->skip_left || (r->skip_left = jp_skippable_size(r->raw + at, r->raw_len - at)) == 0)
            break;
    }
    memmove(r->raw, r->raw + at, r->raw_len - at);
    r->raw_len -= at;
    if (!r->eof && !r->in_member && r->raw_len < SNIFF_SIZE &&
        (r->raw_len == 0 || !strchr(TEXT_START, r->raw[0]) || memchr(r->raw, 0, r->raw_len)))
        return; /* read on: too little to tell, and not a start of valid NDJSON */
    jp_codec codec = jp_codec_detect(r->raw, r->raw_len);
    int archive = r->archive || r->in_member ? 0 : is_archive(r, codec);
    if (archive < 0) {
        grow_raw(r);
        return;
    }
    if (archive) {
        /* libarchive reads it all, from these bytes on. */
        r->archive = jp_archive_new(r->fd, codec, r->raw, r->raw_len);
        r->archive_taken = 0;
        r->raw_pos = r->raw_len = 0;
        return;
    }
    if (codec != JP_CODEC_PLAIN) {
        r->decoder = jp_decoder_new(codec);
        r->mode = JP_READER_DECODE;
        return;
    }
    r->mode = JP_READER_PLAIN;
    char *p;
    size_t room;
    jp_framer_space(&r->framer, &p, &room); /* room >= raw_len: see read_target */
    memcpy(p, r->raw, r->raw_len);
    framed(r, r->raw_len);
    r->raw_pos = r->raw_len = 0;
}

/* n bytes of the input were taken (read, or mapped as a batch); those
 * taken again after the framer gave them back are counted once. */
static void count_bytes(jp_reader *r, size_t n)
{
    size_t again = n < r->recounted ? n : (size_t)r->recounted;
    r->recounted -= again;
    r->bytes += n - again;
    if (!r->archive)
        r->position += n - again; /* an archive's member bytes are not file bytes */
}

/* n bytes arrived from a read. */
static void got_bytes(jp_reader *r, size_t n)
{
    count_bytes(r, n);
    if (r->mode == JP_READER_PLAIN) {
        framed(r, n);
        return;
    }
    r->raw_pos = 0;
    if (r->mode == JP_READER_SNIFF) {
        r->raw_len += n;
        sniff(r);
    } else {
        r->raw_len = n;
    }
}

/* Ends the input for jp_reader_stop: whole lines already read still go on
 * when it asked so; the partial line is dropped. */
static void finish_stop(jp_reader *r)
{
    if (r->flush_on_stop)
        jp_framer_flush(&r->framer);
    jp_framer_discard(&r->framer);
    end_input(r);
}

/* The input ends: inside a leading skippable frame, that is damage. */
static void cut_skippable(jp_reader *r)
{
    if (r->skip_left)
        r->hooks.input_error(r->hooks.ctx, r->framer.file,
                             "truncated skippable frame (zstd or lz4) at the start");
}

/* An archive member has ended (checked says whether its compressed data
 * must still be checked for a clean end). */
static void end_member(jp_reader *r, int checked)
{
    if (checked)
        cut_skippable(r);
    if (checked && r->mode == JP_READER_DECODE && jp_decoder_end(r->decoder) < 0)
        r->hooks.input_error(r->hooks.ctx, r->framer.file, jp_decoder_error(r->decoder));
    jp_framer_end(&r->framer);
    keep_prompt(r);
    jp_decoder_free(r->decoder);
    r->decoder = NULL;
    r->raw_pos = r->raw_len = 0;
    r->step_full = 0;
    r->mode = JP_READER_SNIFF;
    r->in_member = 0;
}

static void decode_work(uv_work_t *w)
{
    jp_reader *r = w->data;
    r->step_rc = jp_decoder_step(r->decoder, r->raw + r->raw_pos, r->raw_len - r->raw_pos,
                                 &r->step_used, r->step_out, r->step_room, &r->step_made);
}

static void decode_done(uv_work_t *w, int status)
{
    jp_reader *r = w->data;
    r->stepping = 0;
    r->raw_pos += r->step_used;
    r->step_full = r->step_made == r->step_room;
    framed(r, r->step_made); /* even none: the timer may have skipped a flush */
    if (r->stopping) {
        finish_stop(r);
        return;
    }
    if (r->step_rc < 0) {
        r->hooks.input_error(r->hooks.ctx, r->framer.file, jp_decoder_error(r->decoder));
        if (r->archive) {
            end_member(r, 0);
            read_more(r);
        } else {
            end_input(r);
        }
        return;
    }
    read_more(r);
}

static void start_decode(jp_reader *r)
{
    char *p;
    jp_framer_space(&r->framer, &p, &r->step_room);
    r->step_out = (unsigned char *)p;
    r->stepping = 1;
    uv_queue_work(r->loop, &r->work, decode_work, decode_done);
}

/* Every compressed byte is decoded: the stream must have ended cleanly. */
static void finish_decoding(jp_reader *r)
{
    if (jp_decoder_end(r->decoder) < 0)
        r->hooks.input_error(r->hooks.ctx, r->name, jp_decoder_error(r->decoder));
    end_input(r);
}

enum { STEP_NEXT_MEMBER, STEP_MEMBER_DATA };

static void archive_work(uv_work_t *w)
{
    jp_reader *r = w->data;
    if (r->step_kind == STEP_NEXT_MEMBER)
        r->arch_rc = jp_archive_next(r->archive, &r->step_path);
    else
        r->step_n = jp_archive_read(r->archive, r->step_out, r->step_room);
}

static void read_target(jp_reader *r, char **p, size_t *n);
static void got_bytes(jp_reader *r, size_t n);

static void archive_done(uv_work_t *w, int status)
{
    jp_reader *r = w->data;
    r->stepping = 0;
    uint64_t taken = jp_archive_read_bytes(r->archive);
    r->position += taken - r->archive_taken;
    r->archive_taken = taken;
    if (r->stopping) {
        finish_stop(r);
        return;
    }
    if (r->step_kind == STEP_NEXT_MEMBER) {
        if (r->arch_rc <= 0) {
            if (r->arch_rc < 0)
                r->hooks.input_error(r->hooks.ctx, r->name, jp_archive_error(r->archive));
            end_input(r);
            return;
        }
        size_t len = strlen(r->name) + strlen(r->step_path) + 2;
        char *name = jp_xmalloc(len);
        snprintf(name, len, "%s:%s", r->name, r->step_path);
        r->names = jp_xrealloc(r->names, (size_t)(r->nnames + 1) * sizeof *r->names);
        r->names[r->nnames++] = name;
        jp_framer_begin(&r->framer, name);
        r->in_member = 1;
        r->mode = JP_READER_SNIFF;
        r->step_full = 0;
        r->text_checked = 0;
        r->skip_left = 0;
    } else if (r->step_n < 0) {
        r->hooks.input_error(r->hooks.ctx, r->framer.file, jp_archive_error(r->archive));
        end_input(r);
        return;
    } else if (r->step_n == 0) {
        end_member(r, 1);
    } else {
        got_bytes(r, (size_t)r->step_n);
    }
    read_more(r);
}

/* The next libarchive call: a member's header, or its next bytes. */
static void start_archive_step(jp_reader *r)
{
    r->step_kind = r->in_member ? STEP_MEMBER_DATA : STEP_NEXT_MEMBER;
    if (r->in_member) {
        char *p;
        read_target(r, &p, &r->step_room);
        r->step_out = (unsigned char *)p;
    }
    r->stepping = 1;
    uv_queue_work(r->loop, &r->work, archive_work, archive_done);
}

/* A regular file at its end: whether it shrank while we read it (and
 * then say so). now is its fstat, when already taken, else NULL. */
static int shrank(jp_reader *r, const struct stat *now)
{
    struct stat st;
    if (r->opened_size < 0)
        return 0;
    if (now)
        st = *now;
    else if (fstat(r->fd, &st) < 0)
        return 0;
    uint64_t end = r->file_at + r->file_read;
    if ((uint64_t)st.st_size >= end && end >= (uint64_t)r->opened_size)
        return 0;
    char msg[200];
    snprintf(msg, sizeof msg,
             "the file shrank while being read: %" PRId64 " bytes when opened, %" PRId64
             " now, read up to byte %" PRIu64,
             r->opened_size, (int64_t)st.st_size, end);
    r->hooks.input_error(r->hooks.ctx, r->name, msg);
    return 1;
}

/* The input has no more bytes (now: as for shrank). */
static void at_eof(jp_reader *r, const struct stat *now)
{
    r->eof = 1;
    cut_skippable(r);
    if (r->mode == JP_READER_SNIFF && r->raw_len)
        sniff(r); /* the few bytes read on for are all there is */
    if (shrank(r, now)) {
        end_input(r);
        return;
    }
    if (r->mode == JP_READER_DECODE || r->archive)
        read_more(r); /* decode what is left first, or read the archive */
    else
        end_input(r);
}

/* A short read of a regular file that now ends where the read did: its
 * end, without another read to be told so. st gets its fstat. */
static int at_known_end(jp_reader *r, size_t n, struct stat *st)
{
    return r->opened_size >= 0 && !r->archive && n < r->read_asked && fstat(r->fd, st) == 0 &&
           (uint64_t)st->st_size == r->file_at + r->file_read;
}

/* A read of a regular file gave n bytes (or a libuv error). */
static void file_read_done(jp_reader *r, ssize_t n)
{
    r->reading = 0;
    if (r->stopping) {
        finish_stop(r); /* the bytes of this read are not framed: dropped */
        return;
    }
    if (n < 0) {
        input_error(r, "read error", (int)n);
        end_input(r);
        return;
    }
    if (n == 0) {
        at_eof(r, NULL);
        return;
    }
    r->file_read += (uint64_t)n;
    got_bytes(r, (size_t)n);
    struct stat st;
    if (at_known_end(r, (size_t)n, &st))
        at_eof(r, &st);
    else
        read_more(r);
}

static void on_file_read(uv_fs_t *req)
{
    jp_reader *r = req->data;
    ssize_t n = req->result;
    uv_fs_req_cleanup(req);
    file_read_done(r, n);
}

/* Whether the read about to be made, of n bytes, is made on the loop: the
 * first of a regular file when it takes all of it, or the first of a
 * character device that has bytes or its end ready now. Such a read costs
 * what its open did, where a trip through the threadpool would cost more
 * than the read itself (20,000 small files), and /dev/null ends without
 * libuv's pool ever being started. Larger files, and the rest of a device,
 * are read on the pool, so the loop is never held for long. */
static int read_here(const jp_reader *r, size_t n)
{
    if (r->file_read != 0 || r->archive)
        return 0;
    if (r->opened_size >= 0)
        return (uint64_t)r->opened_size - r->file_at < n;
    struct pollfd ready = {r->fd, POLLIN, 0};
    return r->chardev && poll(&ready, 1, 0) == 1;
}

/* Where the next read goes: the framer for plain bytes, else the reader's
 * buffer, which must be decoded before the next read. */
static void read_target(jp_reader *r, char **p, size_t *n)
{
    if (r->mode == JP_READER_PLAIN) {
        jp_framer_space(&r->framer, p, n);
    } else if (r->mode == JP_READER_SNIFF) {
        /* After what is held, and no more than the framer can take in one
         * go, should the input be plain: admission control sees every
         * batch. */
        char *unused;
        size_t room;
        jp_framer_space(&r->framer, &unused, &room);
        *p = (char *)r->raw + r->raw_len;
        *n = r->raw_len >= SNIFF_SIZE && jp_codec_detect(r->raw, r->raw_len) != JP_CODEC_PLAIN
                 ? r->raw_cap - r->raw_len /* compressed: never framed as it is */
                 : (room < r->raw_cap ? room : r->raw_cap) - r->raw_len;
    } else {
        *p = (char *)r->raw;
        *n = r->raw_cap;
    }
    if (*n > UINT32_MAX)
        *n = UINT32_MAX;
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    char *p;
    size_t n;
    read_target(h->data, &p, &n);
    *buf = uv_buf_init(p, (unsigned)n);
}

static void on_stream_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
    jp_reader *r = s->data;
    if (n == 0)
        return; /* EAGAIN */
    if (n < 0) {
        uv_read_stop(s);
        r->reading = 0;
        if (n != UV_EOF) {
            input_error(r, "read error", (int)n);
            end_input(r);
        } else {
            at_eof(r, NULL);
        }
        return;
    }
    got_bytes(r, (size_t)n);
    if (r->mode != JP_READER_PLAIN || r->refused || !r->hooks.may_read(r->hooks.ctx)) {
        /* Stop: compressed bytes must be decoded before more are read, and
         * a full pipeline must drain. */
        uv_read_stop(s);
        r->reading = 0;
        read_more(r);
    }
}

/* A file is mapped only when it has this many batches' bytes left: below
 * that, a read costs little more and small inputs keep sharing batches. */
#define MAP_LEAST_BATCHES 4

/* Whether the next bytes of the input come from a mapped window. */
static int maps(jp_reader *r)
{
    const jp_framer *f = &r->framer;
    if (r->mapping)
        return 1;
    if (r->map_off || r->state != JP_READER_FILE || r->mode != JP_READER_PLAIN ||
        r->opened_size < 0 || r->archive || f->max_line < f->batch_size)
        return 0;
    uint64_t at = r->file_at + r->file_read;
    return at <= (uint64_t)r->opened_size &&
           (uint64_t)r->opened_size - at >= MAP_LEAST_BATCHES * (uint64_t)f->batch_size;
}

/* Windows a region spans: a region is one mmap and one munmap. */
#define MAP_REGION_BATCHES 8

/* On the pool: the next window, a batch's bytes of the region (a new
 * region when they lie past its end), and its whole lines. A window is at
 * most a batch, so no line in it can be longer than max_line. What follows
 * the last newline is left to reads: the start of a line longer than a
 * window, or a last line that the file may yet finish (it may grow), or
 * that ends it without a newline. Only the window's last page is read
 * here: its worker counts the lines (linemark.h), faulting the pages in
 * as it goes. A file that has shrunk under the window hands over to reads
 * too, which find out how far. */
static void map_work(uv_work_t *w)
{
    jp_reader *r = w->data;
    uint64_t at = r->file_at + r->file_read, left = (uint64_t)r->opened_size - at;
    size_t batch = r->framer.batch_size, want = left < batch ? (size_t)left : batch;
    r->map_err = 0;
    if (!r->region || at + want > jp_filemap_end(r->region)) {
        jp_filemap_unref(r->region);
        uint64_t span = (uint64_t)MAP_REGION_BATCHES * batch;
        r->region = jp_filemap_new(r->fd, at, left < span ? (size_t)left : (size_t)span, &r->map_err);
        if (!r->region)
            return;
    }
    const char *p = jp_filemap_at(r->region, at);
    const char *nl = memrchr(p, '\n', want);
    size_t take = nl ? (size_t)(nl + 1 - p) : 0;
    r->map_at = p;
    r->map_take = take;
    if (take == 0 || !jp_filemap_intact(r->region, p + take))
        r->map_err = -1;
}

/* Reads take over at the offset the windows reached. */
static void stop_mapping(jp_reader *r)
{
    jp_filemap_unref(r->region);
    r->region = NULL;
    r->mapping = 0;
    r->map_off = 1;
    lseek(r->fd, (off_t)(r->file_at + r->file_read), SEEK_SET);
}

static void map_done(uv_work_t *w, int status)
{
    jp_reader *r = w->data;
    (void)status;
    r->reading = 0;
    if (r->stopping) {
        stop_mapping(r);
        finish_stop(r);
        return;
    }
    if (r->map_err) {
        stop_mapping(r);
        read_more(r);
        return;
    }
    size_t n = r->map_take;
    r->file_read += n;
    count_bytes(r, n);
    jp_filemap_ref(r->region);
    jp_framer_mapped(&r->framer, jp_batch_mapped(r->region, r->map_at, n));
    if (r->file_at + r->file_read < (uint64_t)r->opened_size) {
        read_more(r);
        return;
    }
    /* The end it had when opened: its end, unless it has grown since. */
    stop_mapping(r);
    struct stat st;
    if (fstat(r->fd, &st) == 0 && (uint64_t)st.st_size == r->file_at + r->file_read)
        at_eof(r, &st);
    else
        read_more(r);
}

/* Starts the pool step that maps the next window. The first gives the
 * framer's partial line back, to be mapped again as its window's start. */
static int start_map(jp_reader *r)
{
    if (!r->mapping) {
        size_t partial;
        if (jp_framer_unread(&r->framer, &partial) < 0) {
            r->map_off = 1;
            return 0;
        }
        r->file_read -= partial;
        r->recounted = partial;
        r->mapping = 1;
    }
    r->reading = 1;
    uv_queue_work(r->loop, &r->work, map_work, map_done);
    return 1;
}

static void read_more(jp_reader *r)
{
    if (r->reading || r->stepping || r->stopping ||
        (r->state != JP_READER_FILE && r->state != JP_READER_STREAM))
        return;
    if (!r->hooks.may_read(r->hooks.ctx)) {
        r->paused = 1;
        return;
    }
    r->paused = 0;
    if (r->refused) {
        r->refused = 0;
        if (r->in_member) {
            end_member(r, 0);
            read_more(r); /* the archive goes on */
        } else {
            end_input(r);
        }
        return;
    }
    if (r->mode == JP_READER_DECODE && (r->raw_pos < r->raw_len || r->step_full)) {
        start_decode(r);
        return;
    }
    if (r->archive) {
        start_archive_step(r);
        return;
    }
    if (r->mode == JP_READER_DECODE) {
        if (r->eof) {
            finish_decoding(r);
            return;
        }
    }
    if (maps(r) && start_map(r))
        return;
    r->reading = 1;
    if (r->state == JP_READER_STREAM) {
        int err = uv_read_start(&r->s.stream, on_alloc, on_stream_read);
        if (err < 0) {
            r->reading = 0;
            input_error(r, "read error", err);
            end_input(r);
        }
        return;
    }
    char *p;
    size_t n;
    read_target(r, &p, &n);
    uv_buf_t buf = uv_buf_init(p, (unsigned)n);
    r->read_asked = n;
    if (read_here(r, n)) {
        ssize_t got;
        while ((got = read(r->fd, p, n)) < 0 && errno == EINTR)
            ;
        file_read_done(r, got < 0 ? uv_translate_sys_error(errno) : got);
        return;
    }
    int err = uv_fs_read(r->loop, &r->req, r->fd, &buf, 1, -1, on_file_read);
    if (err < 0) {
        r->reading = 0;
        input_error(r, "read error", err);
        end_input(r);
    }
}

/* Opens a libuv stream on fd for pipes, sockets and terminals. Returns 0
 * when fd is something else, to be read with uv_fs_read. */
static int open_stream(jp_reader *r)
{
    uv_handle_type kind = uv_guess_handle(r->fd);
    int err;
    if (kind != UV_NAMED_PIPE && kind != UV_TTY && kind != UV_TCP)
        return 0;
    if (r->fd == 0)
        r->stdin_flags = fcntl(0, F_GETFL);
    if (kind == UV_NAMED_PIPE) {
        uv_pipe_init(r->loop, &r->s.pipe, 0);
        err = uv_pipe_open(&r->s.pipe, r->fd);
    } else if (kind == UV_TTY) {
        err = uv_tty_init(r->loop, &r->s.tty, r->fd, 1);
    } else {
        uv_tcp_init(r->loop, &r->s.tcp);
        err = uv_tcp_open(&r->s.tcp, r->fd);
    }
    r->s.handle.data = r;
    return err < 0 ? err : 1;
}

static void begin(jp_reader *r)
{
    jp_framer_begin(&r->framer, r->name);
    memset(&r->s, 0, sizeof r->s); /* type UV_UNKNOWN_HANDLE: no stream yet */
    r->mode = JP_READER_SNIFF;
    r->eof = 0;
    r->step_full = 0;
    r->text_checked = 0;
    r->refused = 0;
    r->skip_left = 0;
    struct stat st;
    int known = fstat(r->fd, &st) == 0;
    int regular = known && S_ISREG(st.st_mode);
    r->chardev = known && S_ISCHR(st.st_mode);
    int stream = regular ? 0 : open_stream(r);
    if (stream < 0) {
        input_error(r, "cannot read", stream);
        end_input(r);
        return;
    }
    r->state = stream ? JP_READER_STREAM : JP_READER_FILE;
    /* Only standard input may be part read already. */
    off_t at = !regular ? -1 : r->own_fd ? 0 : lseek(r->fd, 0, SEEK_CUR);
    r->opened_size = at >= 0 && at <= st.st_size ? st.st_size : -1;
    r->file_at = at > 0 ? (uint64_t)at : 0;
    r->file_read = 0;
    r->mapping = r->map_off = 0;
    read_more(r);
}

static void on_open(uv_fs_t *req)
{
    jp_reader *r = req->data;
    ssize_t fd = req->result;
    uv_fs_req_cleanup(req);
    if (fd < 0) {
        input_error(r, "cannot open", (int)fd);
        next_input(r);
        return;
    }
    r->fd = (int)fd;
    r->own_fd = 1;
    if (r->stopping) {
        memset(&r->s, 0, sizeof r->s);
        end_input(r);
        return;
    }
    begin(r);
}

/* Opens input index and begins reading it. A regular file is opened here
 * on the loop, which saves a trip through the threadpool per input, and so
 * is a character device, with O_NONBLOCK so that its open cannot wait (a
 * terminal line's may), then without it for the reads. Anything else (a
 * FIFO may wait for its writer) is opened on the pool. Returns 0 when it
 * cannot be opened (and says so). */
static int open_input(jp_reader *r)
{
    const char *path = r->files[r->index];
    r->own_fd = 0;
    if (strcmp(path, "-") == 0) {
        r->name = "<stdin>";
        r->fd = 0;
        begin(r);
        return 1;
    }
    r->name = path;
    r->state = JP_READER_OPENING;
    struct stat st;
    int err;
    int known = stat(path, &st) == 0;
    if (known && (S_ISREG(st.st_mode) || S_ISCHR(st.st_mode))) {
        int device = S_ISCHR(st.st_mode);
        uv_fs_t req;
        err = uv_fs_open(r->loop, &req, path, O_RDONLY | O_CLOEXEC | (device ? O_NONBLOCK : 0), 0,
                         NULL);
        uv_fs_req_cleanup(&req);
        if (err >= 0) {
            r->fd = err;
            r->own_fd = 1;
            if (device)
                fcntl(r->fd, F_SETFL, fcntl(r->fd, F_GETFL) & ~O_NONBLOCK);
            begin(r);
            return 1;
        }
    } else {
        err = uv_fs_open(r->loop, &r->req, path, O_RDONLY | O_CLOEXEC, 0, on_open);
        if (err >= 0)
            return 1;
    }
    input_error(r, "cannot open", err);
    r->fd = -1;
    r->state = JP_READER_IDLE;
    return 0;
}

static void on_turn(uv_idle_t *turn)
{
    uv_idle_stop(turn);
    open_next(turn->data);
}

/* Opens the next input. Inputs read whole as soon as they are open (small
 * regular files) end inside open_input: the loop here takes the next one,
 * rather than a call per input deeper, and lets the event loop have a turn
 * every INPUTS_PER_TURN. After the last, whatever is held goes out. */
static void open_next(jp_reader *r)
{
    int begun = 0;
    r->opening = 1;
    while (!r->stopping && r->index < r->nfiles) {
        if (begun++ == INPUTS_PER_TURN) {
            r->opening = 0;
            uv_idle_start(&r->turn, on_turn);
            return;
        }
        r->ended = 0;
        if (!open_input(r)) {
            r->index++;
            continue;
        }
        if (!r->ended) { /* under way; its end calls us again */
            r->opening = 0;
            return;
        }
    }
    r->opening = 0;
    if (r->stopping && !r->flush_on_stop)
        jp_framer_discard(&r->framer);
    jp_framer_finish(&r->framer);
    uv_timer_stop(&r->timer);
    r->state = JP_READER_DONE;
    r->hooks.done(r->hooks.ctx);
}

void jp_reader_start(jp_reader *r)
{
    open_next(r);
}

void jp_reader_resume(jp_reader *r)
{
    if (r->paused)
        read_more(r);
}

void jp_reader_stop(jp_reader *r, int flush)
{
    if (r->stopping)
        return;
    r->stopping = 1;
    r->flush_on_stop = flush;
    /* A pool step or a file read in flight is writing into our buffers,
     * and an open in flight has nothing yet: each finishes the stop when it
     * comes back. */
    if (r->stepping || (r->reading && r->state == JP_READER_FILE))
        return;
    if (r->state == JP_READER_STREAM || r->state == JP_READER_FILE) {
        if (r->reading)
            uv_read_stop(&r->s.stream);
        finish_stop(r);
    }
}

size_t jp_reader_held(const jp_reader *r)
{
    return jp_framer_held(&r->framer) + r->raw_cap;
}

void jp_reader_close(jp_reader *r)
{
    uv_close((uv_handle_t *)&r->timer, NULL);
    uv_close((uv_handle_t *)&r->turn, NULL);
}

void jp_reader_free(jp_reader *r)
{
    jp_filemap_unref(r->region);
    r->region = NULL;
    jp_framer_discard(&r->framer);
    free(r->raw);
    r->raw = NULL;
    for (int i = 0; i < r->nnames; i++)
        free(r->names[i]);
    free(r->names);
    r->names = NULL;
}
