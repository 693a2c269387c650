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

# --- a regex engine limit is never an answer ---------------------------------------------------
a40=$(printf 'a%.0s' $(seq 40))
printf '{"m":"%s!"}\n{"m":"aa"}\n{"m":"b"}\n' "$a40" > "$T/re.ndjson"
xy=$(head -c 2000000 /dev/zero | tr '\0' 'x' | sed 's/xx/xy/g')
printf '{"m":"%s"}\n{"m":"xyxy"}\n' "$xy" > "$T/xy.ndjson"
match_limit="could not finish: PCRE2 match limit exceeded"
# limit_case NAME INPUT WANT_OUT REASON ARGS...: line 1 of INPUT is rejected
# with REASON (exit 1), and the output is exactly WANT_OUT.
limit_case() {
    local name=$1 input=$2 want=$3 reason=$4; shift 4
    "$JP" "$@" "$input" > "$T/out" 2> "$T/stderr"
    local rc=$?
    printf "$want" > "$T/want"
    check "$name" eval 'rc_is $rc 1 && same "$T/out" "$T/want" &&
                       head -1 "$T/stderr" > "$T/first" && has "$T/first" "$input:1: $reason"'
}
limit_case "--filter =~ at the match limit rejects, naming it" "$T/re.ndjson" '{"m":"aa"}\n' \
    "=~ \"(a|a)+\$\" $match_limit" --filter 'm =~ "(a|a)+$"'
limit_case "... under ! too (not taken for no match)" "$T/re.ndjson" '{"m":"b"}\n' \
    "=~ \"(a|a)+\$\" $match_limit" --filter '!(m =~ "(a|a)+$")'
limit_case "... under || after a false" "$T/re.ndjson" '{"m":"aa"}\n{"m":"b"}\n' \
    "=~ \"(a|a)+\$\" $match_limit" --filter 'm == "b" || m =~ "(a|a)+$"'
limit_case "... under && and ! ! and parentheses" "$T/re.ndjson" '{"m":"aa"}\n' \
    "=~ \"(a|a)+\$\" $match_limit" --filter 'exists(m) && !!((m =~ "(a|a)+$"))'
limit_case "--filter =~ at the JIT stack limit (^(?:xy)*\$ on 2 MB)" "$T/xy.ndjson" '{"m":"xyxy"}\n' \
    "=~ \"^(?:xy)*\$\" could not finish: PCRE2 JIT stack limit reached" --filter 'm =~ "^(?:xy)*$"'
printf '{"m":"%s"}\n' "$(head -c 18000 /dev/zero | tr '\0' 'x' | sed 's/xx/xy/g')" > "$T/xy18k"
expect "^(?:xy)*\$ matches 18 kB (the JIT stack is large enough)" "$(cat "$T/xy18k")\n" \
    "$(cat "$T/xy18k")\n" 0 --filter 'm =~ "^(?:xy)*$"'
schema_limit() {
    local name=$1 want=$2 reason=$3 schema=$4
    printf '%s' "$schema" > "$T/limit.json"
    limit_case "--schema: $name" "$T/re.ndjson" "$want" "$reason" --schema "$T/limit.json"
}
pat='{"pattern":"(a|a)+$"}'
why="/m: \"pattern\": regex \"(a|a)+\$\" $match_limit"
schema_limit "pattern at the match limit rejects, naming it" '{"m":"aa"}\n' "$why" \
    "{\"properties\":{\"m\":$pat}}"
schema_limit "... under not" '{"m":"b"}\n' "$why" "{\"properties\":{\"m\":{\"not\":$pat}}}"
schema_limit "... under anyOf" '{"m":"aa"}\n{"m":"b"}\n' "$why" \
    "{\"properties\":{\"m\":{\"anyOf\":[$pat,{\"const\":\"b\"}]}}}"
schema_limit "... under oneOf" '{"m":"aa"}\n{"m":"b"}\n' "$why" \
    "{\"properties\":{\"m\":{\"oneOf\":[$pat,{\"const\":\"b\"}]}}}"
schema_limit "... as the if of if/then/else" '{"m":"aa"}\n{"m":"b"}\n' "$why" \
    "{\"properties\":{\"m\":{\"if\":$pat,\"then\":true,\"else\":{\"const\":\"b\"}}}}"
schema_limit "... in then" '{"m":"aa"}\n{"m":"b"}\n' "$why" \
    "{\"properties\":{\"m\":{\"if\":{\"minLength\":2},\"then\":$pat}}}"
schema_limit "... in not of allOf of a \$ref" '{"m":"b"}\n' "$why" \
    "{\"\$defs\":{\"p\":$pat},\"properties\":{\"m\":{\"allOf\":[{\"not\":{\"\$ref\":\"#/\$defs/p\"}}]}}}"
printf '{"%s!":1}\n{"ok":1}\n' "$a40" > "$T/keys.ndjson"
printf '{"patternProperties":{"(a|a)+$":false}}' > "$T/limit.json"
limit_case "--schema: patternProperties against a key at the match limit" "$T/keys.ndjson" '{"ok":1}\n' \
    "/$a40!: \"patternProperties\": regex \"(a|a)+\$\" $match_limit" --schema "$T/limit.json"
printf '{"propertyNames":{"not":{"pattern":"(a|a)+$"}}}' > "$T/limit.json"
limit_case "--schema: propertyNames with a pattern at the limit" "$T/keys.ndjson" '{"ok":1}\n' \
    "/$a40!: \"pattern\": regex \"(a|a)+\$\" $match_limit" --schema "$T/limit.json"
printf '{"properties":{"m":{"pattern":"^(?:xy)*$"}}}' > "$T/limit.json"
limit_case "--schema: pattern at the JIT stack limit" "$T/xy.ndjson" '{"m":"xyxy"}\n' \
    "/m: \"pattern\": regex \"^(?:xy)*\$\" could not finish: PCRE2 JIT stack limit reached" \
    --schema "$T/limit.json"

finish
