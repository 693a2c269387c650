/* dispatch.c: picking the stage-1 kernel once, and the scanner that runs
 * stage 1 and stage 2 over a line.
 *
 * The pick is made once for the process: the best kernel this CPU runs,
 * unless JSONPIPE_ISA names a lower one (for tests, and to measure one
 * kernel against another). A scanner keeps the kernel it was made with, its
 * structural index and its stack of open containers, and belongs to one
 * thread. */
#include "scan.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "kernel.h"
#include "stage2.h"

/* Best first. NULL stands for yajl, which is always there. */
static const jp_scan_kernel *const kernels[] = {&jp_scan_kernel_avx512, &jp_scan_kernel_avx2,
                                                &jp_scan_kernel_sse42, &jp_scan_kernel_scalar};
#define NKERNELS (sizeof kernels / sizeof kernels[0])

static const jp_scan_kernel *picked;
static int have_pick;
static pthread_once_t pick_once = PTHREAD_ONCE_INIT;

int jp_scan_never(void)
{
    return 0;
}

static int runs(const jp_scan_kernel *k)
{
    return k->stage1 && k->supported();
}

static const jp_scan_kernel *best_from(size_t i)
{
    for (; i < NKERNELS; i++)
        if (runs(kernels[i]))
            return kernels[i];
    return &jp_scan_kernel_scalar;
}

int jp_scan_select(const char *name, char *err, size_t errlen)
{
    const char *why = name ? "a kernel name" : "JSONPIPE_ISA";
    if (!name)
        name = getenv("JSONPIPE_ISA");
    if (!name || !*name) {
        picked = best_from(0);
    } else if (strcmp(name, "yajl") == 0) {
        picked = NULL;
    } else {
        size_t i = 0;
        while (i < NKERNELS && strcmp(kernels[i]->name, name) != 0)
            i++;
        if (i == NKERNELS) {
            snprintf(err, errlen, "%s: '%s' is not one of avx512, avx2, sse42, scalar, yajl", why, name);
            return -1;
        }
        picked = best_from(i);
    }
    have_pick = 1;
    return 0;
}

static void pick_default(void)
{
    char err[128];
    if (!have_pick && jp_scan_select(NULL, err, sizeof err) < 0)
        picked = best_from(0); /* the command line has refused such a name already */
}

const char *jp_scan_kernel_name(void)
{
    pthread_once(&pick_once, pick_default);
    return picked ? picked->name : "yajl";
}

const char *const *jp_scan_kernels(void)
{
    static const char *names[NKERNELS + 2];
    size_t k = 0;
    for (size_t i = 0; i < NKERNELS; i++)
        if (runs(kernels[i]))
            names[k++] = kernels[i]->name;
    names[k++] = "yajl";
    names[k] = NULL;
    return names;
}

struct jp_scanner {
    const jp_scan_kernel *kernel;
    uint32_t *index;
    size_t index_cap;
    uint8_t *stack;
    int stack_cap;
};

jp_scanner *jp_scanner_new(void)
{
    pthread_once(&pick_once, pick_default);
    if (!picked)
        return NULL;
    jp_scanner *s = jp_xcalloc(1, sizeof *s);
    s->kernel = picked;
    return s;
}

void jp_scanner_free(jp_scanner *s)
{
    if (!s)
        return;
    free(s->index);
    free(s->stack);
    free(s);
}

int jp_scanner_parse(jp_scanner *s, const char *data, size_t n, int max_depth,
                     const jp_json_listener *l, void *ctx, size_t *backslash,
                     jp_parse_error *err)
{
    if (n + 64 > s->index_cap) {
        s->index_cap = n + 64 > 2 * s->index_cap ? n + 64 : 2 * s->index_cap;
        free(s->index);
        s->index = jp_xmalloc(s->index_cap * sizeof *s->index);
    }
    if (max_depth > s->stack_cap) {
        free(s->stack);
        s->stack = jp_xmalloc((size_t)max_depth);
        s->stack_cap = max_depth;
    }
    const uint8_t *u = (const uint8_t *)data;
    int bad;
    size_t first_backslash;
    size_t count = s->kernel->stage1(u, n, s->index, &first_backslash, &bad);
    if (backslash)
        *backslash = first_backslash;
    if (bad) {
        size_t at = 0;
        jp_parse_fault fault = jp_scan_too_deep(u, s->index, count, max_depth, &at)
                                   ? JP_FAULT_TOO_DEEP : JP_FAULT_SYNTAX;
        *err = (jp_parse_error){fault, at};
        return -1;
    }
    return jp_scan_stage2(u, n, s->index, count, max_depth, s->stack, l, ctx, err);
}
