/* main.c: jsonpipe's entry point: parse the command line, run, report. */
#include <inttypes.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "engine.h"
#include "files.h"
#include "report.h"
#include "stats.h"

/* Batches come and go all the time in buffers of a megabyte or more, made
 * on one thread and freed on another. With glibc's defaults each such buffer
 * is a fresh mapping, unmapped when freed, whose pages fault in and are
 * zeroed again for the next batch: a fifth of the CPU of a fast run, in the
 * kernel, under a lock all threads share. Kept in the heap instead, freed
 * buffers are reused; what stays allocated is bounded by --max-memory as
 * before. */
static void keep_batch_buffers(void)
{
#ifdef M_MMAP_THRESHOLD
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
#endif
}

int main(int argc, char **argv)
{
    /* Before anything opens a file that could land on 0, 1 or 2. */
    jp_std_fds_guard();
    jp_outputs_trap_signals();
    keep_batch_buffers();

    jp_cli cli;
    int rc = jp_cli_parse(&cli, argc, argv);
    if (rc != JP_CLI_RUN) {
        jp_cli_free(&cli);
        return rc == JP_CLI_DONE ? 0 : 2;
    }
    cli.chain.json_errors = cli.config.errors != NULL;
    cli.chain.timed = cli.stats;

    jp_outputs outputs;
    if ((rc = jp_outputs_open(&outputs, &cli.config)) != 0) {
        jp_cli_free(&cli);
        return rc;
    }
    jp_totals totals;
    jp_engine_run(&cli.config, &cli.chain, &totals);
    /* An output error leaves every output file as it was; an input error
     * only the files that existed (the new ones keep what could be read);
     * rejections and a stop by signal are results like any other. */
    rc = jp_engine_exit_status(&totals, &cli.config.max_rejects);
    int how = totals.output_error ? JP_OUTPUTS_DISCARD
              : rc == 3           ? JP_OUTPUTS_NEW_ONLY
                                  : JP_OUTPUTS_COMMIT;
    if (jp_outputs_close(&outputs, how) < 0) {
        totals.output_error = 1;
        rc = jp_engine_exit_status(&totals, &cli.config.max_rejects);
    }
    if (totals.hidden_messages)
        jp_report_error("%" PRIu64 " more rejected records not shown"
                        " (use --errors FILE to keep them all)",
                        totals.hidden_messages);
    const jp_budget *budget = &cli.config.max_rejects;
    if (rc == 1 && budget->given)
        jp_report_error("%" PRIu64 " of %" PRIu64 " records rejected, more than --max-rejects %s"
                        " allows (%" PRIu64 ")",
                        totals.rejected, jp_engine_records(&totals), budget->given,
                        jp_budget_allowed(budget, jp_engine_records(&totals)));
    if (cli.stats)
        jp_stats_print(stderr, &totals, &cli.chain);
    free(totals.stages);
    jp_cli_free(&cli);
    return rc;
}
