/* value.h: one value of the expression language, and what is done to one
 * value: reading it from a record's JSON, arithmetic, equality and order,
 * conversions, and writing it back as JSON.
 *
 * A value never owns memory. Its bytes point into the record being
 * evaluated (valid until the record is edited), into the program (literals)
 * or into the evaluation's arena (jp_xctx, valid until the next record).
 * A number read from a record keeps its text, so a number that is only
 * moved is written exactly as it came; arithmetic works on 64-bit integers
 * while they fit, else on doubles. Arrays and objects are JSON text. */
#ifndef JP_EXPR_VALUE_H
#define JP_EXPR_VALUE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "record.h"

typedef struct jp_xctx jp_xctx;

/* How a number holds its value. */
typedef enum jp_xnum {
    JP_XNUM_TEXT,   /* s[0..n) is a valid JSON number, as written */
    JP_XNUM_INT,    /* i */
    JP_XNUM_DOUBLE  /* d, always finite */
} jp_xnum;

typedef struct jp_xval {
    jp_type type;   /* JP_NULL .. JP_ARRAY; a missing field reads as JP_NULL */
    jp_xnum num;    /* numbers only */
    int b;          /* booleans: 0 or 1 */
    int64_t i;
    double d;
    /* Strings: the decoded UTF-8 text, no quotes. Numbers of JP_XNUM_TEXT:
     * the JSON text. Arrays and objects: their JSON text (valid JSON). */
    const char *s;
    size_t n;
} jp_xval;

jp_xval jp_xnull(void);
jp_xval jp_xbool(int b);
jp_xval jp_xint(int64_t i);
/* d must be finite (see jp_xval_double_result). */
jp_xval jp_xdouble(double d);
jp_xval jp_xstr(const char *s, size_t n);
/* A number, array or object from valid JSON text s[0..n) of that type. */
jp_xval jp_xjson(jp_type type, const char *s, size_t n);

/* The value of a record's JSON text: strings decoded (pointing into json
 * when there is no escape, else copied into the arena), numbers, arrays
 * and objects kept as text. json is valid JSON of type t. */
jp_xval jp_xval_read(jp_xctx *c, jp_type t, const char *json, size_t n);

/* Appends v as compact JSON. Numbers of text as written, integers in
 * decimal, doubles as the shortest text that reads back the same double
 * (an integral double as an integer: 2.0 -> 2), strings quoted as
 * jp_json_quote does, arrays and objects as their text. */
void jp_xval_write(const jp_xval *v, jp_buf *out);

/* "a string", "an object", ... for messages. */
const char *jp_xval_phrase(const jp_xval *v);
/* Appends a short excerpt of v for a message: at most about 40 bytes of
 * its JSON text, cut at a character and marked with "..." when longer. */
void jp_xval_excerpt(const jp_xval *v, jp_buf *out);

/* False for null and false, true for everything else (0 and "" too). */
int jp_xval_truthy(const jp_xval *v);

/* A number as a double (the nearest to a text of any size). */
double jp_xval_to_double(const jp_xval *v);
/* A number as an exact 64-bit integer: 0, or -1 when it has a fractional
 * part or does not fit (1.0 and 1e2 are integers, 1.5 is not). */
int jp_xval_to_int(const jp_xval *v, int64_t *out);
/* The same with a fractional part dropped (toward zero: -4.7 -> -4),
 * exactly for a text of any length: -1 only when it does not fit. */
int jp_xval_trunc(const jp_xval *v, int64_t *out);

/* How jp_xval_round rounds. */
#define JP_XROUND_FLOOR 'f'
#define JP_XROUND_CEIL 'c'
#define JP_XROUND_HALF_AWAY 'r' /* to the nearer integer, halves away from zero */

/* A number rounded to an integer, exactly: an integer as it is (a text of
 * any size too), a text with a fraction as the integer of its digits (an
 * int64 when it fits, else a text in the arena: floor(-1e-400) is -1), a
 * double as floor, ceil or round give it (an int64 when it fits). */
jp_xval jp_xval_round(jp_xctx *c, const jp_xval *v, int mode);

/* The result of arithmetic on doubles: the value, or -1 with a reason in
 * c when d is infinite or not a number. */
int jp_xval_double_result(jp_xctx *c, double d, jp_xval *out);

/* a OP b for OP one of + - * / %: numbers (integers while they fit 64
 * bits; / of integers that divide is an integer), or + of two strings
 * (concatenation into the arena). Returns 0, or -1 with a reason in c:
 * another mix of types, division or remainder by zero, a non-finite
 * result. */
int jp_xval_arith(jp_xctx *c, int op, const jp_xval *a, const jp_xval *b, jp_xval *out);
/* -a of a number; -1 with a reason in c for another type. */
int jp_xval_negate(jp_xctx *c, const jp_xval *a, jp_xval *out);

/* The one equality of the language (that of --schema's const, tree.h):
 * values of one type, numbers by exact value (1 == 1.0), strings by text,
 * arrays item by item, objects by keys and values in any order. */
int jp_xval_equal(jp_xctx *c, const jp_xval *a, const jp_xval *b);
/* The order of two numbers (by exact value) or two strings (by code
 * point): returns 1 with *order -1, 0 or 1; 0 when a and b are not two
 * numbers or two strings. */
int jp_xval_order(jp_xctx *c, const jp_xval *a, const jp_xval *b, int *order);
/* A hash of a scalar under which equal scalars hash alike (for "in"). */
uint64_t jp_xval_hash(const jp_xval *v);
/* "a contains x": the array a has an element equal to x, or the string a
 * has the string x in it; 0 for any other mix. */
int jp_xval_contains(jp_xctx *c, const jp_xval *a, const jp_xval *x);

/* Elements of an array (key untouched) or members of an object (key a
 * string), in order; *cursor starts at 0. Returns 1 while there is one.
 * For objects only the last copy of a duplicated key is given. */
int jp_xval_next(jp_xctx *c, const jp_xval *v, size_t *cursor, jp_xval *key, jp_xval *elem);
/* How many elements (array) or distinct keys (object). */
size_t jp_xval_count(jp_xctx *c, const jp_xval *v);
/* a[idx] for an array a and an integer idx (negative counts from the
 * end). Returns 0, or -1 with a reason in c (not an array, not an
 * integer, out of range). */
int jp_xval_index(jp_xctx *c, const jp_xval *a, const jp_xval *idx, jp_xval *out);

#endif
