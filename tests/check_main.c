/* check_main.c: runs every unit test suite; fails when any test fails or
 * when no test ran at all. */
#include <stdlib.h>

#include "check_suites.h"

int main(void)
{
    SRunner *sr = srunner_create(framer_suite());
    srunner_add_suite(sr, order_suite());
    srunner_add_suite(sr, record_suite());
    srunner_add_suite(sr, processors_suite());
    srunner_add_suite(sr, report_suite());
    srunner_add_suite(sr, expr_value_suite());
    srunner_add_suite(sr, expr_fn_suite());
    srunner_add_suite(sr, chain_suite());
    srunner_add_suite(sr, scan_suite());
    srunner_add_suite(sr, format_suite());
    srunner_add_suite(sr, header_suite());
    srunner_add_suite(sr, clock_suite());
    srunner_add_suite(sr, budget_suite());
    srunner_add_suite(sr, cpus_suite());
    srunner_add_suite(sr, counters_suite());
    srunner_add_suite(sr, filemap_suite());
    srunner_add_suite(sr, linemark_suite());
    srunner_run_all(sr, CK_NORMAL);
    int ran = srunner_ntests_run(sr);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return ran > 0 && failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
