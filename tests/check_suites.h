/* check_suites.h: the unit test suites, one per module under test. */
#ifndef CHECK_SUITES_H
#define CHECK_SUITES_H

#include <check.h>

Suite *framer_suite(void);
Suite *order_suite(void);
Suite *record_suite(void);
Suite *processors_suite(void);
Suite *report_suite(void);
Suite *expr_value_suite(void);
Suite *expr_fn_suite(void);
Suite *chain_suite(void);
Suite *scan_suite(void);
Suite *format_suite(void);
Suite *header_suite(void);
Suite *clock_suite(void);
Suite *budget_suite(void);
Suite *cpus_suite(void);
Suite *counters_suite(void);
Suite *filemap_suite(void);
Suite *linemark_suite(void);

#endif
