/* cli.h: the command line: options, processors in order, help and version. */
#ifndef JP_CLI_H
#define JP_CLI_H

#include "chain.h"
#include "counters.h"
#include "engine.h"

typedef struct jp_cli {
    jp_config config;
    jp_chain chain;
    int stats;
    jp_counters counters; /* --counters: config.watch points here */
    char *stdin_only[1]; /* the input list when no FILE is given */
} jp_cli;

enum { JP_CLI_RUN, JP_CLI_DONE, JP_CLI_USAGE };

/* Parses argv into cli. Returns JP_CLI_RUN, JP_CLI_DONE after --help or
 * --version, or JP_CLI_USAGE after telling the user what is wrong. Free
 * what it made with jp_cli_free, whatever it returned. */
int jp_cli_parse(jp_cli *cli, int argc, char **argv);

/* Frees what jp_cli_parse made, in every case. */
void jp_cli_free(jp_cli *cli);

/* Parses "64M" and the like (K, M, G: powers of 1024). Returns 0 or -1. */
int jp_parse_size(const char *s, size_t *out);

#endif
