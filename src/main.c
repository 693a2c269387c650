/* main.c: jsonpipe's entry point: parse the command line, run, report. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "engine.h"
#include "report.h"
#include "stats.h"

int main(int argc, char **argv)
{
    jp_cli cli;
    int rc = jp_cli_parse(&cli, argc, argv);
    if (rc != JP_CLI_RUN) {
        jp_chain_free(&cli.chain);
        return rc == JP_CLI_DONE ? 0 : 2;
    }
    cli.chain.json_errors = cli.config.errors != NULL;
    cli.chain.timed = cli.stats;

    jp_totals totals;
    if (jp_engine_run(&cli.config, &cli.chain, &totals) < 0) {
        free(totals.stages);
        jp_chain_free(&cli.chain);
        return 3;
    }
    if (totals.hidden_messages)
        jp_report_error("%" PRIu64 " more rejected records not shown"
                        " (use --errors FILE to keep them all)",
                        totals.hidden_messages);
    if (cli.stats)
        jp_stats_print(stderr, &totals, &cli.chain);
    rc = jp_engine_exit_status(&totals);
    free(totals.stages);
    jp_chain_free(&cli.chain);
    return rc;
}
