/* chain.c: running the processors over the records of a batch. */
#include "chain.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "json.h"
#include "pool.h"
#include "record.h"
#include "report.h"
#include "route.h"

struct jp_chain_worker {
    const jp_chain *chain;
    jp_route_local *route;
    jp_record *rec;
    void **locals;    /* per stage, from local_new */
    jp_buf *made;     /* per stage: the record it made last (JP_EXPAND) */
    /* The index of the record under way in each expansion on its way, the
     * source's expanded (record.h): one entry per stage at most. */
    uint64_t *expanded;
    double mark;      /* when the time now charged to a stage started */

    /* The line under way, and what it held before a stage first expanded
     * it: its records together may come to at most max_fanout bytes of
     * output and error records, else all it made is taken back. */
    const jp_line *line;
    int expanded_at;  /* that stage, or 0 */
    int over;         /* past max_fanout: the line is being given up */
    size_t out_at, err_at;
    jp_stage_counts *saved; /* b->stages then */
    uint64_t saved_out, saved_rejected, saved_dropped;

    /* CSV and TSV: where the run's header row ends in the batch's out, 0
     * while it is not there (header.h); and the rows' scratch. */
    size_t header_end;
    jp_format_scratch rows;

    /* A batch numbered late (linemark.h): its error records were written
     * with line numbers counted from their segments' marks, which are set
     * once the batches before are done. Where each record starts in err,
     * where its number is, the number and its segment, to put it right. */
    int late;
    struct late_number {
        size_t at, number;
        uint64_t line;
        size_t seg;
    } *late_numbers;
    size_t nlate, late_cap;
    uint64_t *added; /* per segment, what its mark stood for */
    size_t added_cap;
};

void *jp_scratch_new(const void *self)
{
    return jp_xcalloc(1, sizeof(jp_buf));
}

void jp_scratch_free(void *local)
{
    jp_buf_free(local);
    free(local);
}

void jp_chain_init(jp_chain *c, int max_depth)
{
    memset(c, 0, sizeof *c);
    jp_fields_init(&c->fields);
    c->max_depth = max_depth;
    c->max_fanout = SIZE_MAX;
}

void jp_chain_free(jp_chain *c)
{
    for (int i = 0; i < c->n; i++)
        c->stages[i].type->destroy(c->stages[i].self);
    free(c->stages);
    for (int i = 0; i < c->nsettings; i++)
        free(c->settings[i].all);
    free(c->settings);
    jp_fields_free(&c->fields);
    jp_header_free(c->header);
}

void jp_chain_setting(jp_chain *c, const char *name, const char *value)
{
    jp_setting_value *v = NULL;
    for (int i = 0; i < c->nsettings && !v; i++)
        if (strcmp(c->settings[i].name, name) == 0)
            v = &c->settings[i];
    if (!v) {
        c->settings = jp_xrealloc(c->settings, (size_t)(c->nsettings + 1) * sizeof *c->settings);
        v = &c->settings[c->nsettings++];
        *v = (jp_setting_value){name, NULL, NULL, 0};
    }
    v->value = value;
    v->all = jp_xrealloc(v->all, (size_t)(v->n + 2) * sizeof *v->all);
    v->all[v->n++] = value;
    v->all[v->n] = NULL;
}

static const jp_setting_value *setting_value(const jp_chain *c, const char *name)
{
    for (int i = 0; i < c->nsettings; i++)
        if (strcmp(c->settings[i].name, name) == 0)
            return &c->settings[i];
    return NULL;
}

int jp_chain_add(jp_chain *c, const jp_processor_type *t, const char *arg, char *err,
                 size_t errlen)
{
    const char *values[JP_MAX_SETTINGS] = {0};
    const char *const *lists[JP_MAX_SETTINGS] = {0};
    for (int i = 0; t->settings && t->settings[i].name && i < JP_MAX_SETTINGS; i++) {
        const jp_setting_value *v = setting_value(c, t->settings[i].name);
        values[i] = v ? v->value : NULL;
        lists[i] = v ? v->all : NULL;
    }
    jp_setup setup = {.fields = &c->fields, .setting_values = values, .setting_lists = lists};
    void *self = t->create(arg, &setup, err, errlen);
    if (!self)
        return -1;
    c->want_tree |= setup.want_tree;
    c->lines_first |= setup.want_lines || t->cpu_heavy || t->next;
    c->stages = jp_xrealloc(c->stages, (size_t)(c->n + 1) * sizeof *c->stages);
    c->stages[c->n++] = (jp_stage){t, self};
    return 0;
}

int jp_chain_cpu_heavy(const jp_chain *c)
{
    for (int i = 0; i < c->n; i++)
        if (c->stages[i].type->cpu_heavy)
            return 1;
    return 0;
}

const char *jp_chain_shape(const jp_chain *c, const char **stage)
{
    for (int i = c->n - 1; i >= 0; i--)
        if (c->stages[i].type->shape) {
            *stage = c->stages[i].type->name;
            return c->stages[i].type->shape(c->stages[i].self);
        }
    return NULL;
}

int jp_chain_nstages(const jp_chain *c)
{
    return c->n + 1 + (c->header != NULL);
}

const char *jp_chain_stage_name(const jp_chain *c, int stage)
{
    return stage == 0 ? "parse" : stage > c->n ? "output" : c->stages[stage - 1].type->name;
}

jp_chain_worker *jp_chain_worker_new(const jp_chain *c, const jp_route *route)
{
    jp_chain_worker *w = jp_xcalloc(1, sizeof *w);
    w->chain = c;
    w->route = jp_route_local_new(route);
    w->rec = jp_record_new(&c->fields, c->max_depth, c->want_tree);
    w->locals = jp_xcalloc((size_t)c->n + 1, sizeof *w->locals);
    w->made = jp_xcalloc((size_t)c->n + 1, sizeof *w->made);
    w->expanded = jp_xcalloc((size_t)c->n + 1, sizeof *w->expanded);
    w->saved = jp_xcalloc((size_t)jp_chain_nstages(c), sizeof *w->saved);
    for (int i = 0; i < c->n; i++)
        if (c->stages[i].type->local_new)
            w->locals[i] = c->stages[i].type->local_new(c->stages[i].self);
    return w;
}

void jp_chain_worker_free(jp_chain_worker *w)
{
    if (!w)
        return;
    for (int i = 0; i < w->chain->n; i++)
        if (w->chain->stages[i].type->local_free)
            w->chain->stages[i].type->local_free(w->locals[i]);
    for (int i = 0; i < w->chain->n; i++)
        jp_buf_free(&w->made[i]);
    free(w->made);
    free(w->expanded);
    free(w->saved);
    free(w->locals);
    jp_format_scratch_free(&w->rows);
    free(w->late_numbers);
    free(w->added);
    jp_record_free(w->rec);
    jp_route_local_free(w->route);
    free(w);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The time since the mark goes to stage st. */
static void charge(jp_chain_worker *w, jp_stage_counts *st)
{
    if (!w->chain->timed)
        return;
    double t = now();
    st->seconds += t - w->mark;
    w->mark = t;
}

/* Appends r, about a line of segment seg, to the batch's error records,
 * and tells the route, or leaves that to number_late(). */
static void put_rejection(jp_chain_worker *w, jp_batch *b, const jp_rejection *r, size_t seg)
{
    size_t at = b->err.len;
    size_t number = w->chain->json_errors ? jp_report_json(&b->err, r) : jp_report_text(&b->err, r);
    if (!w->late) {
        jp_route_error(w->route, b, at, b->err.len);
        return;
    }
    if (w->nlate == w->late_cap) {
        w->late_cap = w->late_cap ? 2 * w->late_cap : 64;
        w->late_numbers = jp_xrealloc(w->late_numbers, w->late_cap * sizeof *w->late_numbers);
    }
    w->late_numbers[w->nlate++] = (struct late_number){at, number, r->line, seg};
}

/* An error record for the line, showing record (the line itself, or a
 * record a stage made of it). */
static void reject(jp_chain_worker *w, jp_batch *b, const jp_line *line, int stage,
                   const char *reason, const char *record, size_t record_len)
{
    const jp_chain *c = w->chain;
    jp_rejection r = {
        .file = line->file,
        .line = line->number,
        .offset = line->offset,
        .stage = jp_chain_stage_name(c, stage),
        .reason = reason,
        .record = record,
        .record_len = record_len,
    };
    put_rejection(w, b, &r, line->seg);
    b->stages[stage].rejected++;
    b->rejected++;
}

/* A blank line (empty, or only spaces, tabs and carriage returns, after a
 * byte order mark that starts the input) is skipped, as NDJSON readers do,
 * and counted. NDJSON's rule wins over JSON's, for which a space is no
 * JSON text. */
static int blank(const jp_line *line)
{
    size_t bom = line->offset == 0 ? jp_json_bom_len(line->data, line->len) : 0;
    return jp_json_blank(line->data + bom, line->len - bom);
}

/* A size as the size options take it (16M, 1000). */
static void format_size(char *out, size_t outlen, size_t n)
{
    static const char units[] = "GMK";
    int shift = 30;
    while (shift && n % ((size_t)1 << shift) != 0)
        shift -= 10;
    if (shift)
        snprintf(out, outlen, "%zu%c", n >> shift, units[(30 - shift) / 10]);
    else
        snprintf(out, outlen, "%zu", n);
}

/* A stage expands the line for the first time: keep the counts, so that a
 * line given up leaves no trace but its rejection. */
static void save_counts(jp_chain_worker *w, jp_batch *b, int stage)
{
    w->expanded_at = stage;
    w->out_at = b->out.len;
    w->err_at = b->err.len;
    memcpy(w->saved, b->stages, (size_t)b->nstages * sizeof *b->stages);
    w->saved_out = b->records_out;
    w->saved_rejected = b->rejected;
    w->saved_dropped = b->dropped;
}

/* After output for an expanded line: has it made too much? */
static void check_fanout(jp_chain_worker *w, const jp_batch *b)
{
    if (w->expanded_at &&
        (b->out.len - w->out_at) + (b->err.len - w->err_at) > w->chain->max_fanout)
        w->over = 1;
}

/* Takes back all that the line made, and rejects it at the stage that
 * first expanded it. The time spent stays counted. */
static void give_up(jp_chain_worker *w, jp_batch *b)
{
    const jp_chain *c = w->chain;
    b->out.len = w->out_at;
    b->err.len = w->err_at;
    if (w->header_end > w->out_at)
        w->header_end = 0; /* taken back with the rows after it */
    for (int i = 0; i < b->nstages; i++) {
        double seconds = b->stages[i].seconds;
        b->stages[i] = w->saved[i];
        b->stages[i].seconds = seconds;
    }
    b->records_out = w->saved_out;
    b->rejected = w->saved_rejected;
    b->dropped = w->saved_dropped;
    jp_route_rollback(w->route, b);
    char limit[32], reason[160];
    format_size(limit, sizeof limit, c->max_fanout);
    snprintf(reason, sizeof reason,
             "expands into more than %s of output (a quarter of --max-memory)", limit);
    reject(w, b, w->line, w->expanded_at, reason, w->line->data, w->line->len);
}

/* CSV, TSV: the record as a row, or a rejection in the stage "output". */
static void write_row(jp_chain_worker *w, jp_batch *b, const char *bytes, size_t len)
{
    const jp_chain *c = w->chain;
    jp_stage_counts *st = &b->stages[c->n + 1];
    char why[512];
    st->in++;
    int rc = jp_header_row(c->header, &c->format, b->seq, bytes, len, &w->rows, &b->out,
                           &w->header_end, why, sizeof why);
    charge(w, st);
    if (rc < 0) {
        reject(w, b, w->line, c->n + 1, why, bytes, len);
    } else if (rc > 0) {
        st->out++;
        b->records_out++;
    }
}

/* rec: the record whose current bytes these are, or NULL for bytes that
 * a processor made and no stage parsed. */
static void write_record(jp_chain_worker *w, jp_batch *b, const char *bytes, size_t len,
                         jp_record *rec)
{
    size_t at = b->out.len;
    if (w->chain->header) {
        write_row(w, b, bytes, len);
        if (w->header_end > at)
            at = w->header_end; /* the row follows the header row */
    } else {
        jp_format_row(&w->chain->format, NULL, bytes, len, NULL, &b->out, NULL, 0);
        b->records_out++;
    }
    if (b->out.len > at)
        jp_route_record(w->route, b, bytes, len, rec, at);
    check_fanout(w, b);
}

static void run_stages(jp_chain_worker *w, jp_batch *b, int from, const char *origin,
                       size_t origin_len);

/* Stage i expanded the record: each record it makes, in order, goes
 * through the stages after it, knowing its index among them. None is a
 * drop. */
static void expand(jp_chain_worker *w, jp_batch *b, int i)
{
    const jp_chain *c = w->chain;
    const jp_stage *s = &c->stages[i - 1];
    jp_stage_counts *st = &b->stages[i];
    jp_buf *made = &w->made[i - 1];
    int depth = jp_record_source(w->rec)->nexpanded;
    uint64_t n = 0;
    if (!w->expanded_at)
        save_counts(w, b, i);
    for (;;) {
        made->len = 0;
        if (!s->type->next(s->self, w->locals[i - 1], made)) {
            charge(w, st);
            break;
        }
        n++;
        if (i == c->n) {
            /* No stage after: written as made, not parsed again. */
            charge(w, st);
            st->out++;
            write_record(w, b, made->data, made->len, NULL);
            if (w->over)
                return;
            continue;
        }
        int bad = jp_record_parse(w->rec, made->data, made->len) < 0;
        charge(w, st);
        if (bad) {
            /* A processor's fault, told as such rather than passed on. */
            char reason[200];
            snprintf(reason, sizeof reason, "made a record that is not JSON: %s",
                     jp_record_reason(w->rec));
            reject(w, b, w->line, i, reason, made->data, made->len);
            check_fanout(w, b);
        } else {
            st->out++;
            w->expanded[depth] = n - 1;
            jp_record_set_expanded(w->rec, w->expanded, depth + 1);
            run_stages(w, b, i + 1, made->data, made->len);
        }
        if (w->over)
            return;
    }
    if (n == 0) {
        st->dropped++;
        b->dropped++;
    }
}

/* Runs stages from..n on the record in w->rec, which was parsed from
 * origin (what its error record shows), and writes it if it passes. */
static void run_stages(jp_chain_worker *w, jp_batch *b, int from, const char *origin,
                       size_t origin_len)
{
    const jp_chain *c = w->chain;
    jp_record *rec = w->rec;
    jp_stage_counts *st = b->stages;

    for (int i = from; i <= c->n; i++) {
        const jp_stage *s = &c->stages[i - 1];
        st[i].in++;
        jp_verdict v = s->type->process(s->self, w->locals[i - 1], rec);
        charge(w, &st[i]);
        switch (v) {
        case JP_REJECT:
            reject(w, b, w->line, i, jp_record_reason(rec), origin, origin_len);
            check_fanout(w, b);
            return;
        case JP_DROP:
            st[i].dropped++;
            b->dropped++;
            return;
        case JP_EXPAND:
            expand(w, b, i);
            return;
        case JP_PASS:
        case JP_MODIFIED:
            st[i].out++;
        }
    }

    size_t len;
    const char *bytes = jp_record_bytes(rec, &len);
    write_record(w, b, bytes, len, rec);
}

static void run_record(jp_chain_worker *w, jp_batch *b, const jp_line *line)
{
    const jp_chain *c = w->chain;
    jp_record *rec = w->rec;
    jp_stage_counts *st = b->stages;
    if (c->timed)
        w->mark = now();

    st[0].in++;
    jp_record_set_source(rec, line->file, line->number, line->offset);
    /* A UTF-8 byte order mark may start an input (RFC 8259 lets a reader
     * ignore it); it is not part of the record written. Error records keep
     * the line as it was. */
    size_t bom = line->offset == 0 ? jp_json_bom_len(line->data, line->len) : 0;
    int bad = jp_record_parse_after(rec, line->data, line->len, bom) < 0;
    charge(w, &st[0]);
    if (bad) {
        reject(w, b, line, 0, jp_record_reason(rec), line->data, line->len);
        return;
    }
    st[0].out++;

    w->line = line;
    w->expanded_at = 0;
    w->over = 0;
    run_stages(w, b, 1, line->data, line->len);
    if (w->over)
        give_up(w, b);
}

static void run_long_line(jp_chain_worker *w, jp_batch *b, const jp_line *line)
{
    const jp_chain *c = w->chain;
    /* The limit as --max-line takes it, and why when the user did not set
     * it to that. */
    char limit[32], reason[160];
    format_size(limit, sizeof limit, c->max_line);
    snprintf(reason, sizeof reason,
             "line of %" PRIu64 " bytes is longer than --max-line %s%s", line->long_len, limit,
             c->max_line_capped ? " (a quarter of --max-memory)" : "");
    jp_rejection r = {
        .file = line->file,
        .line = line->number,
        .offset = line->offset,
        .stage = "parse",
        .reason = reason,
        .record = line->data,
        .record_len = line->len,
        .truncated = 1,
    };
    put_rejection(w, b, &r, line->seg);
    b->stages[0].in++;
    b->stages[0].rejected++;
    b->rejected++;
}

static size_t decimal_len(uint64_t n)
{
    size_t len = 1;
    while (n >= 10) {
        n /= 10;
        len++;
    }
    return len;
}

/* Rewrites err with each late number plus what its segment's mark stood
 * for, and moves each record's start with it. */
static void renumber(jp_chain_worker *w, jp_batch *b)
{
    jp_buf err = {0};
    jp_buf_reserve(&err, b->err.len + w->nlate * 20);
    size_t from = 0;
    for (size_t i = 0; i < w->nlate; i++) {
        struct late_number *n = &w->late_numbers[i];
        size_t at = err.len + (n->at - from);
        jp_buf_append(&err, b->err.data + from, n->number - from);
        jp_buf_printf(&err, "%" PRIu64, n->line + w->added[n->seg]);
        from = n->number + decimal_len(n->line);
        n->at = at;
    }
    jp_buf_append(&err, b->err.data + from, b->err.len - from);
    jp_buf_free(&b->err);
    b->err = err;
}

/* The walk is done: the marks are waited for (the batches before this
 * one were started first, and are done or nearly), this batch's end mark
 * is set from the walk's count, and the error records get their numbers
 * and then their routes. A cancelled run writes nothing, and ends here. */
static void number_late(jp_chain_worker *w, jp_batch *b, const jp_line_iter *it)
{
    if (b->nsegs > w->added_cap) {
        w->added_cap = b->nsegs;
        w->added = jp_xrealloc(w->added, w->added_cap * sizeof *w->added);
    }
    if (jp_batch_resolve(b, jp_pool_cancelled, w->added) < 0)
        return;
    jp_batch_set_end(b, b->nsegs && it->seg == b->nsegs - 1 ? it->count : 0);
    int moved = 0;
    for (size_t i = 0; i < w->nlate && !moved; i++)
        moved = w->added[w->late_numbers[i].seg] != 0;
    if (moved)
        renumber(w, b);
    for (size_t i = 0; i < w->nlate; i++)
        jp_route_error(w->route, b, w->late_numbers[i].at,
                       i + 1 < w->nlate ? w->late_numbers[i + 1].at : b->err.len);
}

/* Before the walk, when it is not numbered late: the count of this
 * batch's lines goes first, as the batches after it wait for it, then the
 * wait for the marks before it. -1: the run was cancelled. */
static int number_first(jp_batch *b)
{
    uint64_t last = b->end_mark ? jp_batch_count_last(b) : 0;
    if (jp_batch_resolve(b, jp_pool_cancelled, NULL) < 0)
        return -1;
    jp_batch_set_end(b, last);
    return 0;
}

void jp_chain_run(jp_chain_worker *w, jp_batch *b)
{
    const jp_chain *c = w->chain;
    b->nstages = jp_chain_nstages(c);
    b->stages = jp_xcalloc((size_t)b->nstages, sizeof *b->stages);
    w->header_end = 0;
    /* A batch whose framer left its lines uncounted is numbered after its
     * walk, from the walk's own count, unless the chain needs the numbers
     * sooner (jp_chain.lines_first). */
    int marked = jp_batch_marked(b);
    w->late = marked && !c->lines_first;
    w->nlate = 0;
    int cancelled = marked && !w->late && number_first(b) < 0;

    /* Room for the records and what edits add to them, so the buffer is
     * seldom moved while it fills. */
    jp_buf_reserve(&b->out, b->in_len + b->in_len / 8 + 64);
    jp_line_iter it = {0};
    jp_line line;
    while (!cancelled && jp_batch_next_line(b, &it, &line)) {
        if (line.long_len) {
            b->records_in++;
            run_long_line(w, b, &line);
            continue;
        }
        if (blank(&line)) {
            b->blank_lines++;
            continue;
        }
        b->records_in++;
        run_record(w, b, &line);
    }
    if (w->late)
        number_late(w, b, &it);
    jp_batch_free_in(b);
    if (c->header)
        jp_header_done(c->header, b->seq, w->header_end > 0);
    jp_route_finish(w->route, b);
}
