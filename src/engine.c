/* engine.c: the loop, admission control, signals and totals. */
#include "engine.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "encoder.h"
#include "filemap.h"
#include "files.h"
#include "pool.h"
#include "progress.h"
#include "reader.h"
#include "report.h"
#include "route.h"
#include "sink_fd.h"
#include "writer.h"

/* A mapped file that shrank under its batches (filemap.h) loses each one
 * from the first it cost on. That first one, in input order, is told once
 * the run is over, with the bytes of them all: the lines of the later
 * ones were counted from the zeros that stood in for the pages lost. */
typedef struct lost_input {
    const char *file;
    uint64_t seq, line, offset; /* of the first batch lost */
    size_t bytes;
    struct lost_input *next;
} lost_input;

typedef struct engine {
    const jp_config *cfg;
    const jp_chain *chain;
    jp_totals *totals;
    uv_loop_t loop;
    uv_async_t wakeup;     /* a worker finished a batch */
    uv_signal_t sigint, sigterm;
    uv_timer_t grace;      /* after a stop: how long work under way may go on */
    jp_reader reader;
    jp_pool *pool;
    jp_writer writer;
    jp_sink *sinks[2];     /* records, errors */
    jp_split_claims *claims; /* the files of split sinks, shared by both */
    jp_route route;
    jp_progress progress;
    uv_timer_t watch_timer; /* cfg->watch's periodic reports */
    int watch_held;        /* rejection messages are going to stderr */
    int watch_due;         /* a report came due meanwhile */
    /* The output's counts as of the last batch handed back, so a report
     * sees records_out and records_in of the same batches. */
    uint64_t out_records, out_bytes;
    size_t max_batches;
    uint64_t next_seq;
    size_t batches;        /* emitted and not yet written */
    size_t in_pool;        /* submitted and not yet back from the pool */
    size_t memory;         /* buffer bytes those batches hold */
    int reading_done;
    int closing;
    lost_input *lost;
} engine;

/* Reading may go on while there is room for one more batch and its output.
 * With nothing in flight it always may, so a large line still gets through. */
static int may_read(void *ctx)
{
    engine *e = ctx;
    if (e->batches == 0)
        return 1;
    size_t want = e->memory + jp_reader_held(&e->reader) + 2 * e->cfg->batch_size;
    return e->batches < e->max_batches && want <= e->cfg->max_memory;
}

static void close_all(engine *e)
{
    if (e->closing)
        return;
    e->closing = 1;
    jp_reader_close(&e->reader);
    jp_progress_stop(&e->progress);
    uv_close((uv_handle_t *)&e->wakeup, NULL);
    uv_close((uv_handle_t *)&e->sigint, NULL);
    uv_close((uv_handle_t *)&e->sigterm, NULL);
    uv_close((uv_handle_t *)&e->grace, NULL);
    uv_close((uv_handle_t *)&e->watch_timer, NULL);
}

/* After a stop, batches behind one that was discarded are never written:
 * the run ends once reading has stopped and the pool has given every batch
 * back (the writer finishes what it has started). */
static void maybe_finish(engine *e)
{
    if (e->reading_done && (e->batches == 0 || (e->totals->signal && e->in_pool == 0)))
        close_all(e);
}

static void on_batch(void *ctx, jp_batch *b)
{
    engine *e = ctx;
    b->seq = e->next_seq++;
    e->batches++;
    e->in_pool++;
    e->memory += b->in_cap;
    jp_pool_submit(e->pool, b);
}

static void on_input_error(void *ctx, const char *file, const char *message)
{
    engine *e = ctx;
    jp_progress_clear(&e->progress);
    jp_report_error("%s: %s", file, message);
    e->totals->input_errors++;
}

static void on_reading_done(void *ctx)
{
    engine *e = ctx;
    e->reading_done = 1;
    maybe_finish(e);
}

static void add_counts(jp_totals *t, const jp_batch *b)
{
    t->records_in += b->records_in;
    t->rejected += b->rejected;
    t->dropped += b->dropped;
    t->blank_lines += b->blank_lines;
    for (int i = 0; i < b->nstages && i < t->nstages; i++) {
        t->stages[i].in += b->stages[i].in;
        t->stages[i].out += b->stages[i].out;
        t->stages[i].rejected += b->stages[i].rejected;
        t->stages[i].dropped += b->stages[i].dropped;
        t->stages[i].seconds += b->stages[i].seconds;
    }
}

static void on_written(void *ctx, jp_batch *b, int sent)
{
    engine *e = ctx;
    if (sent)
        add_counts(e->totals, b);
    e->out_records = e->sinks[0]->records_out;
    e->out_bytes = e->sinks[0]->bytes_out;
    e->memory -= b->out.cap + b->err.cap;
    e->batches--;
    jp_batch_free(b);
    jp_reader_resume(&e->reader);
    maybe_finish(e);
}

static void on_write_failed(void *ctx, int to_errors, const char *name, const char *message,
                            int err)
{
    engine *e = ctx;
    if (err == UV_EPIPE && !to_errors) {
        e->totals->output_closed = 1;
    } else if (message) {
        jp_progress_clear(&e->progress);
        jp_report_error("%s", message);
        e->totals->output_error = 1;
    } else {
        const jp_config *c = e->cfg;
        int closed = to_errors ? c->err_closed : c->out_closed;
        jp_progress_clear(&e->progress);
        if (!name)
            name = to_errors ? c->err_name : c->out_name;
        jp_report_error("%s: write error: %s", name,
                        closed && err == UV_EBADF ? "the descriptor was closed when jsonpipe started"
                                                  : jp_report_syserr(err));
        e->totals->output_error = 1;
    }
    jp_reader_stop(&e->reader, 0);
}

static void watch_report(engine *e)
{
    jp_totals now = *e->totals;
    now.bytes_in = e->reader.bytes;
    now.records_out = e->out_records;
    now.bytes_out = e->out_bytes;
    jp_progress_clear(&e->progress);
    e->watch_due = 0;
    e->cfg->watch->report(e->cfg->watch->ctx, &now, 0);
}

static void on_watch_tick(uv_timer_t *t)
{
    engine *e = t->data;
    if (e->watch_held)
        e->watch_due = 1;
    else
        watch_report(e);
}

/* Rejection messages on stderr: the progress line and the watch's reports
 * keep off meanwhile. A report due comes on the next turn of the loop, once
 * the batches just written are counted. */
static void on_telling(void *ctx, int on)
{
    engine *e = ctx;
    jp_progress_hold(&e->progress, on);
    e->watch_held = on;
    if (!on && e->watch_due)
        uv_timer_start(&e->watch_timer, on_watch_tick, 0, e->cfg->watch->interval_ms);
}

/* Runs on a worker thread: only wake the loop. */
static void notify(void *ctx)
{
    engine *e = ctx;
    uv_async_send(&e->wakeup);
}

static void note_lost(engine *e, const jp_batch *b)
{
    const jp_segment *seg = &b->segs[0];
    lost_input *l = e->lost;
    while (l && l->file != seg->file)
        l = l->next;
    if (!l) {
        l = jp_xcalloc(1, sizeof *l);
        l->file = seg->file;
        l->seq = UINT64_MAX;
        l->next = e->lost;
        e->lost = l;
        e->totals->input_errors++;
    }
    l->bytes += b->in_len;
    if (b->seq < l->seq) {
        l->seq = b->seq;
        l->line = seg->first_line;
        l->offset = seg->first_offset;
    }
}

/* Tells the inputs that lost batches, in input order, and forgets them. */
static void tell_lost(engine *e)
{
    while (e->lost) {
        lost_input **first = &e->lost;
        for (lost_input **l = &e->lost; *l; l = &(*l)->next)
            if ((*l)->seq < (*first)->seq)
                first = l;
        lost_input *f = *first;
        *first = f->next;
        jp_progress_clear(&e->progress);
        jp_report_error("%s: the file changed under its mapping (it shrank, or a read failed): "
                        "lines from %" PRIu64 " (byte %" PRIu64 ") on, %zu bytes, were not "
                        "processed",
                        f->file, f->line + 1, f->offset, f->bytes);
        free(f);
    }
}

static void on_wakeup(uv_async_t *a)
{
    engine *e = a->data;
    jp_batch *b = jp_pool_take_done(e->pool);
    while (b) {
        jp_batch *next = b->next;
        e->in_pool--;
        if (b->cancelled) {
            /* Stopped: not written, and so neither is any batch after it. */
            e->memory -= b->in_cap;
            e->batches--;
            jp_batch_free(b);
        } else {
            if (b->lost)
                note_lost(e, b);
            e->memory += b->out.cap + b->err.cap;
            e->memory -= b->in_cap;
            jp_writer_push(&e->writer, b);
        }
        b = next;
    }
    maybe_finish(e);
}

/* A stop waits this long for the batches already read, then work under way
 * gives up: a slow schema could otherwise hold the stop for as long as it
 * likes. */
#define STOP_GRACE_MS 500

static void on_grace(uv_timer_t *t)
{
    engine *e = t->data;
    jp_pool_cancel(e->pool);
}

static void on_signal(uv_signal_t *s, int signum)
{
    engine *e = s->data;
    if (!e->totals->signal)
        e->totals->signal = signum;
    /* A second signal kills the process the default way. */
    uv_signal_stop(&e->sigint);
    uv_signal_stop(&e->sigterm);
    jp_outputs_trap_signals();
    uv_timer_start(&e->grace, on_grace, STOP_GRACE_MS, 0);
    jp_reader_stop(&e->reader, 1);
    maybe_finish(e);
}

/* Each worker thread keeps its chain state. */
static void *worker_init(void *ctx)
{
    engine *e = ctx;
    return jp_chain_worker_new(e->chain, &e->route);
}

/* A mapped batch whose file shrank under the parse (filemap.h) was parsed
 * from zeros in part: none of it is written, and the loop says which lines
 * were lost (note_lost). */
static void worker_work(void *state, jp_batch *b)
{
    jp_filemap *region = b->region;
    if (!region) {
        jp_chain_run(state, b);
        return;
    }
    const char *end = b->in + b->in_len;
    jp_filemap_ref(region); /* the run drops the batch's */
    jp_chain_run(state, b);
    if (!jp_filemap_intact(region, end))
        b->lost = 1; /* or set by the run: see jp_batch_resolve */
    jp_filemap_unref(region);
    if (!b->lost)
        return;
    b->out.len = b->err.len = 0;
    b->records_in = b->records_out = b->rejected = b->dropped = b->blank_lines = 0;
    memset(b->stages, 0, (size_t)b->nstages * sizeof *b->stages);
    jp_parts_free(&b->out_parts);
    jp_parts_free(&b->err_parts);
}

static void worker_fini(void *state)
{
    jp_chain_worker_free(state);
}

/* Records and error records each go to a descriptor or to split files. */
static void make_sinks(engine *e)
{
    const jp_config *cfg = e->cfg;
    e->route.dest[0] = (jp_route_dest){cfg->out_split, cfg->out_codec, cfg->out_level,
                                       cfg->out_codec_forced};
    e->route.dest[1] = (jp_route_dest){cfg->err_split, cfg->err_codec, cfg->err_level, 0};
    e->route.format = &e->chain->format;
    e->route.header = e->chain->header;
    for (int i = 0; i < 2; i++) {
        if (!e->route.dest[i].split)
            continue;
        if (!e->claims)
            e->claims = jp_split_claims_new();
        e->sinks[i] = jp_sink_split_new(&e->loop, i, cfg->max_open, cfg->taken, cfg->ntaken,
                                        e->claims, i ? NULL : jp_route_preface, &e->route);
    }
    /* CSV rows may hold newlines and follow a header row: they are counted
     * a batch at a time, as compressed members are. */
    if (!e->sinks[0])
        e->sinks[0] = jp_sink_fd_new(&e->loop, cfg->out_fd, 0,
                                     cfg->out_codec != JP_CODEC_PLAIN ||
                                         e->chain->format.kind != JP_TO_NDJSON,
                                     -1);
    if (!e->sinks[1])
        e->sinks[1] = jp_sink_fd_new(&e->loop, cfg->err_fd, 1, cfg->err_codec != JP_CODEC_PLAIN,
                                     cfg->errors ? -1 : JP_TEXT_ERRORS_SHOWN);
    if (cfg->out_cut_late)
        jp_sink_fd_cut_late(e->sinks[0]);
    if (cfg->err_cut_late)
        jp_sink_fd_cut_late(e->sinks[1]);
}

/* Writes through libuv's threadpool block until done; a descriptor someone
 * else left non-blocking would fail with EAGAIN instead. Returns the old
 * flags so they can be put back. */
static int make_blocking(int fd)
{
    int flags = fcntl(fd, F_GETFL);
    if (flags >= 0 && (flags & O_NONBLOCK))
        fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    return flags;
}

/* A compressed output that got no bytes at all gets one empty member, so it
 * is still a valid .gz or .zst file. The loop has ended: write directly.
 * A file written in place is left as it was after an input error. */
static int finish_compressed(engine *e, int errors, jp_codec codec)
{
    int fd = errors ? e->cfg->err_fd : e->cfg->out_fd;
    jp_sink *sink = e->sinks[errors];
    /* Nothing to write to a descriptor closed at start is no error; split
     * files each hold records. */
    if (codec == JP_CODEC_PLAIN || e->route.dest[errors].split || sink->bytes_out || fd < 0 ||
        (e->totals->input_errors && jp_sink_fd_uncut(sink)))
        return 0;
    int err = jp_sink_fd_begin(sink);
    if (err) {
        errno = -err;
        return -1;
    }
    jp_buf member = {0};
    jp_encoder_empty(codec, &member);
    int rc = jp_write_all(fd, member.data, member.len);
    jp_buf_free(&member);
    return rc;
}

void jp_engine_run(const jp_config *cfg, const jp_chain *chain, jp_totals *totals)
{
    memset(totals, 0, sizeof *totals);
    totals->nstages = jp_chain_nstages(chain);
    totals->stages = jp_xcalloc((size_t)totals->nstages, sizeof *totals->stages);

    int out_fd = cfg->out_fd, err_fd = cfg->err_fd;
    int out_flags = make_blocking(out_fd);
    int err_flags = make_blocking(err_fd);
    /* A closed pipe and a file over its size limit are write errors. */
    signal(SIGPIPE, SIG_IGN);
    signal(SIGXFSZ, SIG_IGN);

    engine e = {.cfg = cfg, .chain = chain, .totals = totals};
    /* Between two turns of a worker, a batch it finished goes through the
     * loop and the libuv pool twice (written, then its slot reused for the
     * next window). When every CPU runs a worker, each of those hand-offs
     * may wait for a scheduler slice. With two batches a worker, the
     * workers of -j 2 on 2 CPUs sat idle a tenth of the run, waiting for
     * the loop; with four, a few hundredths. --max-memory still bounds the
     * bytes. */
    e.max_batches = 4 * (size_t)cfg->threads + 8;
    uint64_t start = uv_hrtime();

    uv_loop_init(&e.loop);
    uv_async_init(&e.loop, &e.wakeup, on_wakeup);
    e.wakeup.data = &e;
    uv_signal_init(&e.loop, &e.sigint);
    uv_signal_init(&e.loop, &e.sigterm);
    e.sigint.data = e.sigterm.data = &e;
    uv_timer_init(&e.loop, &e.grace);
    e.grace.data = &e;
    uv_timer_init(&e.loop, &e.watch_timer);
    e.watch_timer.data = &e;
    uv_signal_start(&e.sigint, on_signal, SIGINT);
    uv_signal_start(&e.sigterm, on_signal, SIGTERM);

    jp_pool_hooks ph = {worker_init, worker_work, worker_fini, notify, &e};
    e.pool = jp_pool_new(cfg->threads, &ph);

    /* A few slots more than max_batches: one read can emit up to three
     * batches (whole lines, an over-long line, the lines after it). */
    make_sinks(&e);
    jp_writer_hooks wh = {on_written, on_write_failed, cfg->errors ? NULL : on_telling, &e};
    jp_writer_init(&e.writer, e.max_batches + 8, e.sinks[0], e.sinks[1], &wh);

    jp_reader_hooks rh = {on_batch, may_read, on_input_error, on_reading_done, &e};
    jp_reader_init(&e.reader, &e.loop, cfg->inputs, cfg->ninputs, cfg->batch_size,
                   cfg->max_line, &rh);
    if (cfg->progress) {
        jp_progress_counts pc = {&e.reader.position, &totals->records_in, &totals->rejected};
        jp_progress_start(&e.progress, &e.loop, cfg->inputs, cfg->ninputs, &pc);
    }
    if (cfg->watch)
        uv_timer_start(&e.watch_timer, on_watch_tick, cfg->watch->interval_ms,
                       cfg->watch->interval_ms);
    jp_reader_start(&e.reader);

    uv_run(&e.loop, UV_RUN_DEFAULT);
    tell_lost(&e);

    if (!totals->output_error && !totals->output_closed && !totals->signal) {
        if (finish_compressed(&e, 0, cfg->out_codec) < 0 ||
            finish_compressed(&e, 1, cfg->err_codec) < 0) {
            jp_report_error("write error: %s", jp_report_syserr(errno));
            totals->output_error = 1;
        }
    }
    totals->bytes_in = e.reader.bytes;
    totals->records_out = e.sinks[0]->records_out;
    totals->bytes_out = e.sinks[0]->bytes_out;
    totals->files = e.sinks[0]->files + e.sinks[1]->files;
    /* What was not shown is what is left, not a sum per batch: once a write
     * fails, a batch's lines are never offered to stderr at all. */
    totals->hidden_messages = cfg->errors ? 0 : totals->rejected - jp_sink_fd_shown(e.sinks[1]);
    totals->seconds = (double)(uv_hrtime() - start) * 1e-9;
    totals->threads = jp_pool_threads(e.pool);
    if (cfg->watch)
        cfg->watch->report(cfg->watch->ctx, totals, 1);

    jp_pool_free(e.pool);
    jp_writer_free(&e.writer);
    jp_sink_free(e.sinks[0]);
    jp_sink_free(e.sinks[1]);
    jp_split_claims_free(e.claims);
    jp_reader_free(&e.reader);
    uv_loop_close(&e.loop);
    if (out_flags >= 0)
        fcntl(out_fd, F_SETFL, out_flags);
    if (err_flags >= 0)
        fcntl(err_fd, F_SETFL, err_flags);
}

uint64_t jp_engine_records(const jp_totals *t)
{
    uint64_t made = t->records_out + t->rejected + t->dropped;
    return made > t->records_in ? made : t->records_in;
}

int jp_engine_exit_status(const jp_totals *t, const jp_budget *budget)
{
    if (t->signal)
        return 128 + t->signal;
    if (t->input_errors || t->output_error)
        return 3;
    return jp_budget_within(budget, t->rejected, jp_engine_records(t)) ? 0 : 1;
}
