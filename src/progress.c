/* progress.c: drawing the progress line (see progress.h). */
#include "progress.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define REDRAW_MS 500
#define ERASE "\r\033[K"

int jp_progress_wanted(int mode, int to_stdout)
{
    if (mode >= 0)
        return mode;
    return isatty(STDERR_FILENO) && !(to_stdout && isatty(STDOUT_FILENO));
}

/* The sum of the inputs' sizes, or 0 when one is not a regular file. */
static uint64_t total_size(char *const *inputs, int n)
{
    static char *const stdin_only[] = {"-"};
    if (n == 0) {
        inputs = stdin_only;
        n = 1;
    }
    uint64_t total = 0;
    for (int i = 0; i < n; i++) {
        struct stat st;
        int rc = strcmp(inputs[i], "-") == 0 ? fstat(STDIN_FILENO, &st) : stat(inputs[i], &st);
        if (rc < 0 || !S_ISREG(st.st_mode))
            return 0;
        total += (uint64_t)st.st_size;
    }
    return total;
}

/* "512 B", "3.2 KiB", "1.5 GiB": at most 9 characters. */
static void human(char *out, size_t len, double bytes)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    int u = 0;
    while (bytes >= 1024 && u < 5) {
        bytes /= 1024;
        u++;
    }
    snprintf(out, len, u ? "%.1f %s" : "%.0f %s", bytes, units[u]);
}

static void clock_text(char *out, size_t len, double seconds)
{
    uint64_t s = (uint64_t)(seconds + 0.5);
    snprintf(out, len, "%" PRIu64 ":%02" PRIu64 ":%02" PRIu64, s / 3600, s / 60 % 60, s % 60);
}

static void put(const char *s, size_t n)
{
    while (n > 0) {
        ssize_t w = write(STDERR_FILENO, s, n);
        if (w <= 0)
            return; /* a progress line is not worth an error */
        s += w;
        n -= (size_t)w;
    }
}

static void draw(jp_progress *p)
{
    double elapsed = (double)(uv_hrtime() - p->start) * 1e-9;
    uint64_t done = *p->counts.position;
    double rate = elapsed > 0 ? (double)done / elapsed : 0;
    char size[16], speed[16], clock[24], line[160];
    human(size, sizeof size, (double)done);
    human(speed, sizeof speed, rate);
    int n = snprintf(line, sizeof line, ERASE "%s  %" PRIu64 " records  %" PRIu64 " rejected  %s/s",
                     size, *p->counts.records, *p->counts.rejected, speed);
    if (p->total) {
        double left = done < p->total ? (double)(p->total - done) : 0;
        double pct = 100.0 * (double)done / (double)p->total;
        clock_text(clock, sizeof clock, rate > 0 ? left / rate : 0);
        n += snprintf(line + n, sizeof line - (size_t)n, "  %3.0f%%  ETA %s", pct > 100 ? 100 : pct,
                      rate > 0 ? clock : "-:--:--");
    } else {
        clock_text(clock, sizeof clock, elapsed);
        n += snprintf(line + n, sizeof line - (size_t)n, "  %s", clock);
    }
    put(line, (size_t)n);
    p->shown = 1;
}

static void on_tick(uv_timer_t *t)
{
    jp_progress *p = t->data;
    if (!p->held)
        draw(p);
}

void jp_progress_start(jp_progress *p, uv_loop_t *loop, char *const *inputs, int n,
                       const jp_progress_counts *counts)
{
    memset(p, 0, sizeof *p);
    p->counts = *counts;
    p->total = total_size(inputs, n);
    p->start = uv_hrtime();
    p->active = 1;
    uv_timer_init(loop, &p->timer);
    p->timer.data = p;
    uv_timer_start(&p->timer, on_tick, REDRAW_MS, REDRAW_MS);
}

void jp_progress_clear(jp_progress *p)
{
    if (p->active && p->shown) {
        put(ERASE, sizeof ERASE - 1);
        p->shown = 0;
    }
}

void jp_progress_hold(jp_progress *p, int held)
{
    if (held)
        jp_progress_clear(p);
    p->held = held;
}

void jp_progress_stop(jp_progress *p)
{
    if (!p->active)
        return;
    jp_progress_clear(p);
    p->active = 0;
    uv_close((uv_handle_t *)&p->timer, NULL);
}
