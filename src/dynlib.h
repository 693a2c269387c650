/* dynlib.h: the shared libraries that only some runs need, opened by the
 * first run that needs one instead of by the dynamic linker at every start.
 *
 * libarchive (tar input) and libcrypto (--hash's sha256, sha1 and md5)
 * were most of what an empty run cost: libarchive brings libxml2, ICU,
 * libstdc++, nettle and libacl along, and loading and relocating those
 * nine objects (35,000 relocations) took about 2.5 ms of the 4.5 ms
 * jsonpipe spent on nothing. So the program is not linked with them:
 * configure finds the soname the headers were built against
 * (JP_SONAME_*), and the first use opens it and looks up every function
 * the caller will call, all at once, so a library that is missing or too
 * old is told in one message naming it, never found later as a crash.
 * Packagers: these are run-time dependencies that the binary's NEEDED
 * entries do not show.
 *
 * A caller lists its functions as an X-macro, FUNCTIONS(X, t) giving
 * X(t, fn) for each, and JP_DYNLIB declares from it a struct of pointers,
 * one per function and of that function's own type, so that the calls stay
 * type-checked against the library's headers. */
#ifndef JP_DYNLIB_H
#define JP_DYNLIB_H

#include <pthread.h>
#include <stddef.h>

typedef struct jp_dynsym {
    const char *name;
    void **slot;     /* where its address goes: a function pointer */
} jp_dynsym;

typedef struct jp_dynlib {
    const char *soname;
    const jp_dynsym *symbols;
    size_t nsymbols;
    pthread_mutex_t lock;
    int state;       /* 0: not tried yet, 1: loaded, -1: failed */
    char error[320];
} jp_dynlib;

#define JP_DYNLIB_POINTER(table, fn) __typeof__(fn) *fn;
/* (The cast is the one POSIX gives for storing dlsym's answer in a
 * function pointer.) */
#define JP_DYNLIB_SYMBOL(table, fn) {#fn, (void **)&(table).fn},

/* Declares TABLE, the struct of pointers to FUNCTIONS, and LIB, which
 * fills it from SONAME. */
#define JP_DYNLIB(lib, table, functions, soname)                                           \
    static struct {                                                                         \
        functions(JP_DYNLIB_POINTER, table)                                                 \
    } table;                                                                                \
    static const jp_dynsym lib##_symbols[] = {functions(JP_DYNLIB_SYMBOL, table)};          \
    static jp_dynlib lib = {(soname), lib##_symbols,                                        \
                            sizeof(lib##_symbols) / sizeof(lib##_symbols[0]),               \
                            PTHREAD_MUTEX_INITIALIZER, 0, ""}

/* Opens the library and fills every slot, once for the process; later calls
 * give the same answer. 0, or -1 with *why set to "SONAME cannot be loaded
 * (REASON)". Any thread. */
int jp_dynlib_load(jp_dynlib *lib, const char **why);

#endif
