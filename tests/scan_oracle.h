/* scan_oracle.h: the structural scanner held against yajl, line by line.
 *
 * The bar for the scanner (src/json/scan) is that a record parsed with any
 * of its kernels is indistinguishable from one parsed with yajl plus the
 * strict check: the same verdict, the same reason and column, and the same
 * values indexed for every declared field, shadowed copies of duplicate
 * keys included; and for records that --schema reads whole, the same
 * value tree. An oracle holds one record per kernel this CPU runs and one
 * for yajl, over one set of declared paths chosen to reach every part of
 * the field index, each once without a tree and once with one, and says
 * where they part. The unit suite
 * (check_scan.c) and the fuzz target (fuzz/fuzz_scan.c) both ask it. */
#ifndef SCAN_ORACLE_H
#define SCAN_ORACLE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "tree.h"

typedef struct scan_oracle scan_oracle;

/* Records with --max-depth max_depth for every kernel of jp_scan_kernels().
 * The kernel selection is left as JSONPIPE_ISA and the CPU make it. */
scan_oracle *scan_oracle_new(int max_depth);
void scan_oracle_free(scan_oracle *o);

/* How many scanner kernels the oracle holds against yajl. */
int scan_oracle_kernels(const scan_oracle *o);

/* Parses line[0..n) with every record, and runs every kernel's stage 1
 * against the scalar kernel's. Returns yajl's verdict (0 or -1). */
int scan_oracle_parse(scan_oracle *o, const char *line, size_t n);
/* After a parse: NULL when every kernel agreed with yajl and with the
 * scalar stage 1, else what differed first, with the line in hex (the
 * text belongs to the oracle, until the next parse). */
const char *scan_oracle_mismatch(const scan_oracle *o);
/* yajl's reason for the last line ("" when accepted). */
const char *scan_oracle_reason(const scan_oracle *o);

/* Appends the tree below node i as text, every key with its hash:
 * "{k#hash:v,...}", "[v,...]", a scalar as its type and text. Two trees
 * are the same when their texts are. */
void scan_oracle_tree_text(const jp_tree *t, int32_t i, jp_buf *out);

#endif
