/* dynlib.c: dlopen once, every symbol looked up before any is used. */
#include "dynlib.h"

#include <dlfcn.h>
#include <stdio.h>

#include "report.h"

/* The message for the last dlopen or dlsym that failed. */
static int failed(jp_dynlib *lib)
{
    const char *why = dlerror();
    snprintf(lib->error, sizeof lib->error, "%s cannot be loaded (%s)", lib->soname,
             why ? why : "no reason given");
    jp_report_fit(lib->error, sizeof lib->error);
    return -1;
}

static int open_all(jp_dynlib *lib)
{
    /* RTLD_LOCAL: its symbols stay out of the way of anything else's.
     * RTLD_NOW: one the library itself lacks fails here, not mid-run. */
    void *h = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
    if (!h)
        return failed(lib);
    for (size_t i = 0; i < lib->nsymbols; i++) {
        *lib->symbols[i].slot = dlsym(h, lib->symbols[i].name);
        if (!*lib->symbols[i].slot) {
            failed(lib);
            dlclose(h);
            return -1;
        }
    }
    return 0;
}

int jp_dynlib_load(jp_dynlib *lib, const char **why)
{
    pthread_mutex_lock(&lib->lock);
    if (lib->state == 0)
        lib->state = open_all(lib) == 0 ? 1 : -1;
    int state = lib->state;
    pthread_mutex_unlock(&lib->lock);
    *why = lib->error;
    return state == 1 ? 0 : -1;
}
