/* files.h: where the records and the error records go, opened before the
 * run and committed after it, so that no run destroys what it must not.
 *
 * - An output that is one of the inputs (the same st_dev and st_ino, under
 *   any spelling, standard output and standard error included) is refused
 *   before anything is opened, and so are -o and -e naming one file.
 * - A regular file is written to a temporary file beside it, created with
 *   its mode, and renamed over it at the end of the run: a run that failed
 *   with an input or output error leaves an existing file as it was (and
 *   after an output error creates none), a killed run leaves every file as
 *   it was, and a signal it can catch removes the temporary file. When no
 *   temporary file can be made, an existing file is written in place, cut
 *   only before its first byte (see cut_late).
 * - What is not a regular file (a terminal, a FIFO, /dev/null) is opened
 *   without truncating it, and /dev/stdout, /dev/stderr, /dev/fd/N, "-" and
 *   a path that is the file standard output or standard error already has
 *   open are written through that descriptor, so 2>>log keeps appending. */
#ifndef JP_OUTPUT_H
#define JP_OUTPUT_H

#include "engine.h"

typedef struct jp_output {
    const char *name; /* for messages: the path as given, or <stdout>, <stderr> */
    int fd;
    int own;          /* fd is ours to close */
    char *target;     /* the file the temporary file replaces at commit */
    char *temp;       /* the temporary file, or NULL when written in place */
    int existed;      /* the target existed before the run */
    int cut_late;     /* an existing file written in place: the writer cuts
                       * it before its first byte, the commit at its end */
} jp_output;

typedef struct jp_outputs {
    jp_output out, err;
    jp_file_id *taken; /* for split output (engine.h), names owned */
    size_t ntaken;
} jp_outputs;

/* Opens /dev/null on each of descriptors 0-2 that is closed, so that no
 * file opened later lands there: read-only on 1 (writing records there
 * fails, an output error), write-only on 0 (reading fails, an input error)
 * and on 2 (messages are lost, as the user asked). Call first thing in
 * main. Returns a mask of the descriptors that were closed (bit N: fd N). */
int jp_std_fds_guard(void);

/* Makes a signal that kills (HUP, INT, TERM, QUIT, ALRM, USR1, USR2, XCPU,
 * VTALRM, PROF, POLL, PWR, STKFLT, the real-time ones; not those of a
 * crash) remove the temporary files before it kills the process. libuv takes SIGINT and
 * SIGTERM while it watches them: call again when it stops. */
void jp_outputs_trap_signals(void);

/* Checks cfg's outputs against its inputs and each other, then opens them
 * into o. Returns 0; 2 after a usage error (an output onto an input, -o
 * and -e one file, compressed data to a terminal without force); 3 when an
 * output cannot be opened. Each is reported on stderr. On success cfg's
 * out_fd, err_fd, out_name and err_name are set. */
int jp_outputs_open(jp_outputs *o, jp_config *cfg);

/* What jp_outputs_close does with each temporary file. */
enum {
    JP_OUTPUTS_DISCARD,  /* remove it: every target stays as it was */
    JP_OUTPUTS_NEW_ONLY, /* rename it onto a target that did not exist, else remove it */
    JP_OUTPUTS_COMMIT    /* rename it over its target */
};

/* Closes the outputs and settles each temporary file as how says. Returns
 * 0, or -1 when closing or renaming failed (reported). */
int jp_outputs_close(jp_outputs *o, int how);

#endif
