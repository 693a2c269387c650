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

# --- == on objects and arrays: values, as --schema's const, not bytes ------------------------------
filter_keeps "objects equal whatever their key order, spacing and spelling" 'x == y' \
    '{"x":{"a":1,"b":2},"y":{"b":2,"a":1}}\n{"x":{"a":1,"b":2},"y":{"a":1, "b":2}}\n{"x":{"a":"\\u00e9"},"y":{"\\u0061":"é"}}\n{"x":{"a":1},"y":{"a":1,"b":2}}\n{"x":{},"y":[]}\n' \
    '{"x":{"a":1,"b":2},"y":{"b":2,"a":1}}\n{"x":{"a":1,"b":2},"y":{"a":1, "b":2}}\n{"x":{"a":"\\u00e9"},"y":{"\\u0061":"é"}}\n'
filter_keeps "arrays equal item by item, numbers by value, order kept" 'x == y' \
    '{"x":[1,2],"y":[1.0,2e0]}\n{"x":[1,2],"y":[2,1]}\n{"x":[[-0]],"y":[[0]]}\n{"x":[1],"y":[1,1]}\n' \
    '{"x":[1,2],"y":[1.0,2e0]}\n{"x":[[-0]],"y":[[0]]}\n'
filter_keeps "of a key given twice, the last copy is compared" 'x == y' \
    '{"x":{"a":0,"a":1},"y":{"a":1}}\n{"x":{"a":0,"a":1},"y":{"a":0}}\n{"x":{"a":1},"y":{"a":1,"a":2}}\n' \
    '{"x":{"a":0,"a":1},"y":{"a":1}}\n'
filter_keeps "!= on objects is the negation" 'x != y' \
    '{"x":{"a":1,"b":2},"y":{"b":2,"a":1}}\n{"x":{"a":1},"y":{"a":1,"b":2}}\n' \
    '{"x":{"a":1},"y":{"a":1,"b":2}}\n'
filter_keeps "contains finds an object or array element by value" 'x contains y' \
    '{"x":[{"b":1,"a":[1.0]}],"y":{"a":[1],"b":1}}\n{"x":[[1,2]],"y":[1,2.0]}\n{"x":[[1,2]],"y":[2,1]}\n{"x":[1,{"a":2}],"y":{"a":3}}\n' \
    '{"x":[{"b":1,"a":[1.0]}],"y":{"a":[1],"b":1}}\n{"x":[[1,2]],"y":[1,2.0]}\n'

# --- an expression in parentheses or exists() compared is its boolean -----------------------------
filter_keeps "(x == 1) == true is x == 1" '(x == 1) == true' \
    '{"x":1}\n{"x":2}\n{}\n' '{"x":1}\n'
filter_keeps "exists() compared with true and false" 'exists(x) == true && exists(y) == false' \
    '{"x":5}\n{"x":5,"y":1}\n{"y":1}\n' '{"x":5}\n'
filter_keeps "two booleans compared, and in a list" '(x > 1) == (x < 10) && (x > 3) in [true]' \
    '{"x":5}\n{"x":11}\n{"x":2}\n' '{"x":5}\n'
filter_keeps "a path in parentheses is still its value" '(x) == 5 && (x) > 4' \
    '{"x":5}\n{"x":true}\n' '{"x":5}\n'

# --- exact numbers and every byte of strings in --schema -------------------------------------------
# schema_keeps NAME SCHEMA INPUT WANT: --schema SCHEMA passes exactly WANT of
# INPUT (printf formats); the others are rejected.
schema_keeps() {
    printf '%s' "$2" > "$T/s.json"
    printf "$3" > "$T/in"
    printf "$4" > "$T/want"
    "$JP" --schema "$T/s.json" "$T/in" > "$T/out" 2> "$T/stderr"
    local rc=$?
    local want_rc=0
    cmp -s "$T/in" "$T/want" || want_rc=1
    check "$1" eval 'rc_is $rc $want_rc && same "$T/out" "$T/want"'
}
schema_keeps "bounds read once as plain numbers, and beside exponents and long integers" \
    '{"minimum": 0.5, "maximum": 1e2, "exclusiveMinimum": -0, "exclusiveMaximum": 100.00000000000000000001}' \
    '0.5\n0.50\n0.49999\n5e-1\n100\n100.0\n1e2\n100.0000001\n-0.0\n0\n99.999999999999999999\n1000000000000000000000\n' \
    '0.5\n0.50\n5e-1\n100\n100.0\n1e2\n99.999999999999999999\n'
schema_keeps "integer bounds past 18 digits, and negative fractions" \
    '{"minimum": -1.25, "maximum": 999999999999999999}' \
    '-1.25\n-1.250\n-1.26\n-1.2\n999999999999999999\n1000000000000000000\n999999999999999999.5\n-0\n' \
    '-1.25\n-1.250\n-1.2\n999999999999999999\n-0\n'
schema_keeps "maximum 7e9223372036854775807 refuses 7e9223372036854775808" \
    '{"maximum": 7e9223372036854775807}' \
    '7e9223372036854775808\n7e9223372036854775807\n6.99e9223372036854775807\n70e9223372036854775806\n1e9223372036854775808\n-7e9223372036854775808\n' \
    '7e9223372036854775807\n6.99e9223372036854775807\n70e9223372036854775806\n-7e9223372036854775808\n'
schema_keeps "minimum and exclusive bounds with exponents beyond 64 bits" \
    '{"minimum": -1e-99999999999999999999, "exclusiveMaximum": 1e-99999999999999999999}' \
    '0\n-1e-99999999999999999999\n1e-99999999999999999999\n-1e-99999999999999999998\n0.9e-99999999999999999999\n-1E-100000000000000000000\n' \
    '0\n-1e-99999999999999999999\n0.9e-99999999999999999999\n-1E-100000000000000000000\n'
schema_keeps "exclusiveMinimum compares 21-digit exponents exactly" \
    '{"exclusiveMinimum": 5e100000000000000000000}' \
    '5e100000000000000000000\n50e99999999999999999999\n5.0000001e100000000000000000000\n6e100000000000000000000\n1e100000000000000000001\n4e100000000000000000001\n' \
    '5.0000001e100000000000000000000\n6e100000000000000000000\n1e100000000000000000001\n4e100000000000000000001\n'
schema_keeps "const with a 21-digit exponent, equal values spelled differently" \
    '{"const": 1e100000000000000000000}' \
    '1e100000000000000000000\n10e99999999999999999999\n0.1e100000000000000000001\n1e100000000000000000001\n1e99999999999999999999\n1e-100000000000000000000\n' \
    '1e100000000000000000000\n10e99999999999999999999\n0.1e100000000000000000001\n'
schema_keeps "multipleOf with huge exponents is exact" \
    '{"multipleOf": 3e99999999999999999999}' \
    '3e99999999999999999999\n6e99999999999999999999\n30e99999999999999999999\n1e100000000000000000000\n9e99999999999999999998\n0\n3e199999999999999999999\n' \
    '3e99999999999999999999\n6e99999999999999999999\n30e99999999999999999999\n0\n3e199999999999999999999\n'
schema_keeps "multipleOf a tiny divisor: any number with no more decimals is one" \
    '{"multipleOf": 1e-99999999999999999999}' \
    '1.5\n123456789\n1e-99999999999999999999\n7e-99999999999999999998\n1e-100000000000000000000\n' \
    '1.5\n123456789\n1e-99999999999999999999\n7e-99999999999999999998\n'
schema_keeps "integer with exponents of any size" '{"type": "integer"}' \
    '1e99999999999999999999\n1.5e1\n1.55e1\n1e-99999999999999999999\n0e-99999999999999999999\n12.000\n' \
    '1e99999999999999999999\n1.5e1\n0e-99999999999999999999\n12.000\n'
schema_keeps "enum [\"p\\\\u0000q\"] matches that string, not \"p\"" '{"enum": ["p\u0000q"]}' \
    '"p"\n"p\\u0000q"\n"p\\u0000"\n"pq"\n"p\\u0000q\\u0000"\n' '"p\\u0000q"\n'
schema_keeps "const with a NUL" '{"const": "\u0000"}' '""\n"\\u0000"\n"\\u0000\\u0000"\n' '"\\u0000"\n'
schema_keeps "pattern with a NUL in it" '{"pattern": "^a\u0000b$"}' \
    '"a"\n"a\\u0000b"\n"ab"\n"a\\u0000bc"\n' '"a\\u0000b"\n'
schema_keeps "property names and required names with a NUL" \
    '{"required": ["k\u0000"], "properties": {"k\u0000": {"type": "integer"}}, "additionalProperties": false}' \
    '{"k\\u0000":1}\n{"k":1}\n{"k\\u0000":"x"}\n{"k\\u0000":1,"k":1}\n' '{"k\\u0000":1}\n'
"$JP" --schema "$T/s.json" "$T/in" > /dev/null 2> "$T/stderr"
check "... and the reasons show the NUL as \\u0000" eval \
    'has "$T/stderr" "$T/in:2: /: \"required\": missing \"k\\u0000\"" &&
     has "$T/stderr" "$T/in:3: /k\\u0000: \"type\": expected integer, got a string"'
filter_keeps "--filter string literals keep a \\u0000" 'x == "p\u0000q" || x < "\u0000"' \
    '{"x":"p"}\n{"x":"p\\u0000q"}\n{"x":""}\n{"x":"\\u0000"}\n' '{"x":"p\\u0000q"}\n{"x":""}\n'

# --- enum, const and in: JSON Schema equality, at a cost that does not grow with the list --------
eq_values='1, "a", {"x": 1, "y": [1, 2]}, [1, {"k": "v"}], null, true, "p\u0000q", 1e400, -0'
eq_in='1.0\n10e-1\n1e0\n"a"\n"A"\n{"y":[1,2.0],"x":1}\n{"x":1}\n{"x":1,"y":[2,1]}\n[1,{"k":"v"}]\n[{"k":"v"},1]\nnull\nfalse\n"p\\u0000q"\n"p"\n10e399\n0\n0.0\n"1"\n{"x":2,"x":1,"y":[1,2]}\n{"x":1,"x":2,"y":[1,2]}\n[]\n{}\n'
eq_want='1.0\n10e-1\n1e0\n"a"\n{"y":[1,2.0],"x":1}\n[1,{"k":"v"}]\nnull\n"p\\u0000q"\n10e399\n0\n0.0\n{"x":2,"x":1,"y":[1,2]}\n'
schema_keeps "enum: numbers by value, objects in any key order, a key's last copy" \
    "{\"enum\": [$eq_values]}" "$eq_in" "$eq_want"
schema_keeps "a lone surrogate escape in a schema decodes as in a record (U+FFFD, not ?)" \
    '{"const": "\ud800"}' '"\\ud800"\n"?"\n"x"\n' '"\\ud800"\n'
printf '{"properties": {"s": {"const": "a\\ud800"}}}' > "$T/lone.json"
printf '{"s":"a\\ud800"}\n{"s":"a?"}\n' > "$T/lone.in"
check "an edited record's tree decodes a lone surrogate as its first parse did" \
    eval '[ "$("$JP" --set x=1 --schema "$T/lone.json" "$T/lone.in" 2> /dev/null)" = "{\"s\":\"a\\ud800\",\"x\":\"1\"}" ]'
schema_keeps "const of an object: in any key order, by value" '{"const": {"x": 1, "y": [1, 2]}}' \
    '{"y":[1,2.0],"x":1.0}\n{"x":1,"y":[1,2]}\n{"x":1,"y":[1,2],"z":0}\n{"x":1}\n{"x":1,"y":[1]}\n' \
    '{"y":[1,2.0],"x":1.0}\n{"x":1,"y":[1,2]}\n'
schema_keeps "uniqueItems: equal by value, in any key order" '{"uniqueItems": true}' \
    '[1,2,3]\n[1,1.0]\n[{"a":1,"b":2},{"b":2,"a":1}]\n[[1,2],[2,1]]\n["a","A"]\n[0,-0]\n' \
    '[1,2,3]\n[[1,2],[2,1]]\n["a","A"]\n'
"$JP" --schema "$T/s.json" "$T/in" > /dev/null 2> "$T/stderr"
check "... naming the first pair of equal items" eval \
    'has "$T/stderr" "$T/in:2: /: \"uniqueItems\": items 0 and 1 are equal"'
schema_case_props() {
    printf '%s' "$2" > "$T/r.json"
    printf "$3" > "$T/r.in"
    "$JP" --schema "$T/r.json" "$T/r.in" > /dev/null 2> "$T/stderr"
    local rc=$?
    printf "$4" | sed "s|IN|$T/r.in|g" > "$T/want"
    check "$1" eval 'rc_is $rc 1 && same "$T/stderr" "$T/want"'
}
# A line's strings are decoded when a backslash is inside them, found by
# one search forward: escapes before, inside and after each key and value,
# an escaped backslash, a whole line that is one string.
schema_case_props "keys and strings decoded wherever their escapes are" \
    '{"properties": {"a": {"const": "x\"y"}, "b\\c": {"const": "\\"}, "é": {"type": "integer"}}, "required": ["a", "b\\c", "é"]}' \
    '{"a":"x\\"y","b\\\\c":"\\\\","\\u00e9":1}\n{"\\u0061":"x\\u0022y","b\\u005cc":"\\u005c","é":1}\n{"z":"\\\\\\\\","a":"x\\"y","b\\\\c":"\\\\","é":1}\n{"a":"xy","b\\\\c":"\\\\","é":1}\n{"a":"x\\"y","b\\\\c":"\\\\\\\\","é":1}\n{"a":"x\\"y","bc":"\\\\","é":1}\n"\\"\\\\"\n{"\\t":"\\n","a":"x\\"y","b\\\\c":"\\\\","é":"\\u0031"}\n' \
    'jsonpipe: IN:4: /a: "const": value differs at #/properties/a
jsonpipe: IN:5: /b\\c: "const": value differs at #/properties/b\\c
jsonpipe: IN:6: /: "required": missing "b\\c" at #
jsonpipe: IN:8: /\u00e9: "type": expected integer, got a string at #/properties/\u00e9\n'
# Short arrays compare their items in pairs, longer ones sort hashes: both
# name the same pair, the earliest second item and its earliest equal.
for pad in "" ',7,8,9,10'; do
    printf '{"uniqueItems": true}' > "$T/u.json"
    printf '[3,1,2,1.0,3%s]\n[5,6,{"a":[1]},{"a":[1.0]}%s]\n["x","y","\\u0079"%s]\n' "$pad" "$pad" "$pad" > "$T/u.in"
    "$JP" --schema "$T/u.json" "$T/u.in" > "$T/out" 2> "$T/stderr"
    rc=$?
    printf 'jsonpipe: %s:1: /: "uniqueItems": items 1 and 3 are equal at #\njsonpipe: %s:2: /: "uniqueItems": items 2 and 3 are equal at #\njsonpipe: %s:3: /: "uniqueItems": items 1 and 2 are equal at #\n' \
        "$T/u.in" "$T/u.in" "$T/u.in" > "$T/want"
    check "uniqueItems over $(( 5 + ${#pad} / 2 )) items or so: the first pair" \
        eval 'rc_is $rc 1 && [ ! -s "$T/out" ] && same "$T/stderr" "$T/want"'
done
# A few strings are compared in turn, more through their hashes: the same
# answers, a string decoded first, a value of another type never equal.
few='"a", "", "b\u0000c", "\u00e9"'
many="$few, $(seq -s, -f '"s%g"' 1 20)"
for list in "$few" "$many"; do
    schema_keeps "enum of $(( $(printf '%s' "$list" | tr -cd , | wc -c) + 1 )) strings" "{\"enum\": [$list]}" \
        '"a"\n"\\u0061"\n""\n"b\\u0000c"\n"b"\n"\\u00e9"\n"é"\n"e"\n"A"\n"aa"\n1\nnull\n["a"]\n{"a":1}\n' \
        '"a"\n"\\u0061"\n""\n"b\\u0000c"\n"\\u00e9"\n"é"\n'
done
# required names found through properties: a name listed twice, one that
# is not a property, a missing property; and 300 properties, so that many
# share a slot of the table that finds them.
schema_case_props "required names among properties, twice, and not among them" \
    '{"required": ["a", "b", "a", "z"], "properties": {"a": {"type": "integer"}, "b": {}, "c": {"const": 1}}}' \
    '{"a":1,"b":2,"z":3}\n{"b":2,"z":3}\n{"a":1,"z":3}\n{"a":1,"b":2}\n{"z":0,"b":0,"a":"x"}\n{"a":1,"b":2,"z":3,"c":2}\n{"c":2}\n' \
    'jsonpipe: IN:2: /: "required": missing "a" at #
jsonpipe: IN:3: /: "required": missing "b" at #
jsonpipe: IN:4: /: "required": missing "z" at #
jsonpipe: IN:5: /a: "type": expected integer, got a string at #/properties/a
jsonpipe: IN:6: /c: "const": value differs at #/properties/c
jsonpipe: IN:7: /: "required": missing "a" at #\n'
props=$(seq 300 | awk '{ printf "%s\"p%d\": {\"minimum\": %d}", (NR > 1 ? "," : ""), $1, $1 }')
good=$(seq 300 | awk '{ printf "%s\"p%d\": %d", (NR > 1 ? "," : ""), $1, $1 }')
schema_case_props "300 properties: each found, each checked" \
    "{\"properties\": {$props}, \"required\": [\"p300\", \"p7\"]}" \
    "{$good}\n{$good,\"q\":0}\n{${good/\"p77\": 77/\"p77\": 76}}\n{${good%,\"p300\": 300}}\n{\"p300\":300}\n" \
    'jsonpipe: IN:3: /p77: "minimum": 76 is less than 77 at #/properties/p77
jsonpipe: IN:4: /: "required": missing "p300" at #
jsonpipe: IN:5: /: "required": missing "p7" at #\n'
filter_keeps "in: numbers by value, strings by text, a NUL kept, a missing field is null" \
    'v in [1, "a", null, true, "p\u0000q", 1e400, -0]' \
    '{"v":1.0}\n{"v":1e0}\n{"v":"a"}\n{"v":"\\u0061"}\n{"v":"A"}\n{"v":null}\n{"v":false}\n{"v":"p\\u0000q"}\n{"v":"p"}\n{"v":0.1e401}\n{"v":0}\n{"v":[1]}\n{"v":{}}\n{}\n' \
    '{"v":1.0}\n{"v":1e0}\n{"v":"a"}\n{"v":"\\u0061"}\n{"v":null}\n{"v":"p\\u0000q"}\n{"v":0.1e401}\n{"v":0}\n{}\n'
filter_keeps "! in" '!(v in [1, 2])' '{"v":1}\n{"v":3}\n{"v":2.0}\n' '{"v":3}\n'

# A 300,000-value enum over 200,000 records: a linear scan took over 5 minutes.
awk 'BEGIN { printf "{\"properties\":{\"v\":{\"enum\":[";
             for (i = 0; i < 300000; i++) printf "%s%s", i ? "," : "", i % 2 ? "\"s" i "\"" : i;
             print "]}}}" }' > "$T/enum.json"
# The records, and beside them the ones the enum holds: odd k as "sK",
# even k as the number K (written K.0), for k under 300,000.
awk -v want="$T/want" 'BEGIN { for (i = 0; i < 200000; i++) { k = (i * 7919) % 600000;
             if (i % 2) line = sprintf("{\"v\":\"s%d\"}", k); else line = sprintf("{\"v\":%d.0}", k);
             print line; if (k < 300000 && k % 2 == i % 2) print line > want } }' > "$T/enum.ndjson"
start=$(date +%s)
"$JP" --schema "$T/enum.json" "$T/enum.ndjson" > "$T/out" 2> /dev/null
rc=$?
took=$(( $(date +%s) - start ))
check "a 300,000-value enum over 200,000 records: right answers, in ${took}s (under 60)" \
    eval 'rc_is $rc 1 && same "$T/out" "$T/want" && [ "$took" -lt 60 ]'
list=$(awk 'BEGIN { for (i = 0; i < 20000; i++) printf "%s%d", i ? "," : "", i * 3 }')
awk 'BEGIN { for (i = 0; i < 200000; i++) printf "{\"v\":%d}\n", (i * 7919) % 120000 }' > "$T/in.ndjson"
awk -F'[:}]' '$2 % 3 == 0 && $2 < 60000' "$T/in.ndjson" > "$T/want"
start=$(date +%s)
"$JP" --filter "v in [$list]" "$T/in.ndjson" > "$T/out"
rc=$?
took=$(( $(date +%s) - start ))
check "in [...] of 20,000 values over 200,000 records: right answers, in ${took}s (under 30)" \
    eval 'rc_is $rc 0 && same "$T/out" "$T/want" && [ "$took" -lt 30 ]'
rm -f "$T/enum.json" "$T/enum.ndjson" "$T/in.ndjson"

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
    "column 3: =~ \"(a|a)+\$\" $match_limit" --filter 'm =~ "(a|a)+$"'
limit_case "... under ! too (not taken for no match)" "$T/re.ndjson" '{"m":"b"}\n' \
    "column 5: =~ \"(a|a)+\$\" $match_limit" --filter '!(m =~ "(a|a)+$")'
limit_case "... under || after a false" "$T/re.ndjson" '{"m":"aa"}\n{"m":"b"}\n' \
    "column 15: =~ \"(a|a)+\$\" $match_limit" --filter 'm == "b" || m =~ "(a|a)+$"'
limit_case "... under && and ! ! and parentheses" "$T/re.ndjson" '{"m":"aa"}\n' \
    "column 20: =~ \"(a|a)+\$\" $match_limit" --filter 'exists(m) && !!((m =~ "(a|a)+$"))'
limit_case "... in parentheses compared with true" "$T/re.ndjson" '{"m":"aa"}\n' \
    "column 4: =~ \"(a|a)+\$\" $match_limit" --filter '(m =~ "(a|a)+$") == true'
limit_case "... compared with false, on the right" "$T/re.ndjson" '{"m":"b"}\n' \
    "column 13: =~ \"(a|a)+\$\" $match_limit" --filter 'false == (m =~ "(a|a)+$")'
limit_case "... in parentheses before in [...]" "$T/re.ndjson" '{"m":"b"}\n' \
    "column 4: =~ \"(a|a)+\$\" $match_limit" --filter '(m =~ "(a|a)+$") in [false]'
limit_case "--filter =~ at the JIT stack limit (^(?:xy)*\$ on 2 MB)" "$T/xy.ndjson" '{"m":"xyxy"}\n' \
    "column 3: =~ \"^(?:xy)*\$\" could not finish: PCRE2 JIT stack limit reached" --filter 'm =~ "^(?:xy)*$"'
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

# timed_run ARGS...: jsonpipe ARGS into $T/out and $T/stderr, setting rc
# and took (whole seconds).
timed_run() {
    local start=$(date +%s)
    "$JP" "$@" > "$T/out" 2> "$T/stderr"
    rc=$?
    took=$(( $(date +%s) - start ))
}
# uniqueItems over many copies of one value: comparing every pair took
# minutes and ignored the budget and a stop.
printf '{"uniqueItems":true}' > "$T/u.json"
awk 'BEGIN { printf "["; for (i = 0; i < 100000; i++) printf "%s1.0", i ? "," : ""; print "]";
             printf "["; for (i = 0; i < 30000; i++) printf "%s{\"a\":[1,{\"b\":2}]}", i ? "," : ""; print "]";
             printf "["; for (i = 0; i < 100000; i++) printf "%s%d", i ? "," : "", i; print "]";
             printf "[2,1,3,1e0,2.0,3]\n" }' > "$T/u.ndjson"
timed_run --schema "$T/u.json" "$T/u.ndjson"
check "uniqueItems over 100,000 copies of one value: the first pair, in ${took}s (under 20)" \
    eval 'rc_is $rc 1 && lines "$T/out" 1 && [ "$took" -lt 20 ] && lines "$T/stderr" 3 &&
          has "$T/stderr" "u.ndjson:1: /: \"uniqueItems\": items 0 and 1 are equal" &&
          has "$T/stderr" "u.ndjson:2: /: \"uniqueItems\": items 0 and 1 are equal" &&
          has "$T/stderr" "u.ndjson:4: /: \"uniqueItems\": items 1 and 3 are equal"'

# required of 30,000 names over objects of 30,000 keys: each key is looked
# up, not each name searched for (9 x 10^8 comparisons a record before).
awk 'BEGIN { printf "{\"required\":["; for (i = 0; i < 30000; i++) printf "%s\"k%d\"", i ? "," : "", i; print ",\"k\\u0000\"]}" }' > "$T/req.json"
# Record 1 lacks k0, 2 lacks k29999, 3 lacks k\u0000 (it has "k"), 4 lacks none.
awk 'BEGIN { for (r = 0; r < 4; r++) { printf "{"; for (i = 29999; i >= 0; i--) if (!(r == 0 && i == 0) && !(r == 1 && i == 29999)) printf "\"k%d\":1,", i;
             printf "\"k%s\":0}\n", r == 3 ? "\\u0000" : "" } }' > "$T/req.ndjson"
timed_run --schema "$T/req.json" "$T/req.ndjson"
check "required of 30,000 names over 30,000 keys: the first missing, in ${took}s (under 10)" \
    eval 'rc_is $rc 1 && lines "$T/out" 1 && [ "$took" -lt 10 ] && lines "$T/stderr" 3 &&
          has "$T/stderr" "req.ndjson:1: /: \"required\": missing \"k0\"" &&
          has "$T/stderr" "req.ndjson:2: /: \"required\": missing \"k29999\"" &&
          has "$T/stderr" "req.ndjson:3: /: \"required\": missing \"k\\u0000\"" &&
          [ "$(head -c 8 "$T/out")" = "{\"k29999" ]'
expect "required: NUL bytes, escapes and a name listed twice" \
    '{"b":1,"a":2}\n{"b":1,"a\\u0000":2}\n{"b":1,"a\\u0000":2,"\\u0061":3}\n' '{"b":1,"a\\u0000":2,"\\u0061":3}\n' 1 \
    --schema <(echo '{"required":["a","b","a\u0000","a"]}')
rm -f "$T/req.json" "$T/req.ndjson"

# exp.json: a chain of anyOf of two $refs, 40 deep, ending in "a string":
# a string passes in 40 steps, a number takes 2^40.
awk 'BEGIN { printf "{\"$ref\":\"#/$defs/a0\",\"$defs\":{";
             for (i = 0; i < 40; i++) printf "\"a%d\":{\"anyOf\":[{\"$ref\":\"#/$defs/a%d\"},{\"$ref\":\"#/$defs/a%d\"}]},", i, i + 1, i + 1;
             print "\"a40\":{\"type\":\"string\"}}}" }' > "$T/exp.json"

# --- the evaluation budget and $ref cycles -------------------------------------------------------------
printf '"s"\n1\n{"a":1}\n' > "$T/three"
"$JP" --schema "$T/exp.json" "$T/three" > "$T/out" 2> "$T/stderr"
rc=$?
check "an exponential 2.6 KB schema: a record over the default budget is rejected, naming it" \
    eval 'rc_is $rc 1 && [ "$(cat "$T/out")" = "\"s\"" ] && lines "$T/stderr" 2 &&
          has "$T/stderr" "$T/three:2: /: schema evaluation budget of 1000000 steps exceeded (see --schema-budget)" &&
          has "$T/stderr" "$T/three:3: /: schema evaluation budget of 1000000 steps exceeded"'
"$JP" --schema-budget 30 --schema "$T/exp.json" "$T/three" > "$T/out" 2> "$T/stderr"
rc=$?
check "--schema-budget 30 (given before --schema): even the string is over it" \
    eval 'rc_is $rc 1 && [ ! -s "$T/out" ] && lines "$T/stderr" 3 &&
          has "$T/stderr" "$T/three:1: /: schema evaluation budget of 30 steps exceeded"'
"$JP" --schema "$T/exp.json" --schema-budget 100 "$T/three" > "$T/out" 2> /dev/null
check "--schema-budget 100: the string's 41 steps fit" eval '[ "$(cat "$T/out")" = "\"s\"" ]'
printf '{"anyOf":[{"pattern":"^a"},{"pattern":"^b"}],"not":{"anyOf":[{"pattern":"^a"},{"pattern":"^b"}]}}' > "$T/small.json"
usage_case "--schema-budget: '0' is not a number from 1 to 1000000000000" --schema-budget 0 --schema "$T/small.json"
usage_case "--schema-budget: 'x' is not a number from 1 to 1000000000000" --schema-budget x --schema "$T/small.json"
usage_case "--schema-budget: '1000000000001' is not a number from 1 to 1000000000000" \
    --schema-budget 1000000000001 --schema "$T/small.json"
cycle_case() {
    printf '%s' "$2" > "$T/cycle.json"
    usage_case "jsonpipe: --schema: $T/cycle.json: \$ref cycle that never goes into the record: $1" \
        --schema "$T/cycle.json"
}
cycle_case '# -> #' '{"$ref": "#"}'
cycle_case '#/$defs/a -> #/$defs/b -> #/$defs/a' \
    '{"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "properties": {"x": {"$ref": "#/$defs/a"}}}'
cycle_case '#/$defs/a -> #/$defs/b -> #/$defs/b/allOf/0 -> #/$defs/a' \
    '{"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"allOf": [{"$ref": "#/$defs/a"}]}}}'
cycle_case '# -> #/anyOf/1 -> #/anyOf/1/not -> #' '{"anyOf": [{"type": "string"}, {"not": {"$ref": "#"}}]}'
cycle_case '#/$defs/x -> #/$defs/x/then -> #/$defs/x' \
    '{"$defs": {"x": {"if": true, "then": {"$ref": "#/$defs/x"}}}}'
cycle_case '#/$defs/x -> #/$defs/x/oneOf/1 -> #/$defs/x' \
    '{"$defs": {"x": {"oneOf": [{"type": "null"}, {"$ref": "#/$defs/x"}]}}}'
# ref_case NAME DEFNAME REF: "$ref": REF finds the definition named DEFNAME.
ref_case() {
    printf '{"$defs":{"%s":{"type":"string"}},"$ref":"%s"}' "$2" "$3" > "$T/ref.json"
    expect "\$ref $3 finds $1" '"s"\n1\n' '"s"\n' 1 --schema "$T/ref.json"
}
ref_case "a name with a NUL" 'a\u0000b' '#/$defs/a%00b'
ref_case "a name with ~" 'a~b' '#/$defs/a~0b'
ref_case "a name with /" 'a/b' '#/$defs/a~1b'
printf '{"$defs":{"a":{"b":{"type":"string"}}},"$ref":"#/$defs/a%%2Fb"}' > "$T/ref.json"
expect "\$ref #/\$defs/a%2Fb: a / percent-encoded is one of the pointer (RFC 6901, section 6)" \
    '"s"\n1\n' '"s"\n' 1 --schema "$T/ref.json"
ref_case "a name with %" 'a%b' '#/$defs/a%25b'
ref_case "a ~0 percent-encoded" 'a~b' '#/$defs/a%7E0b'
ref_case "a UTF-8 name percent-encoded" 'é' '#/$defs/%C3%A9'
ref_case "the empty name" '' '#/$defs/'
for bad in '#/$defs/a/b|no such place' \
           '#/$defs/a%2|a % not followed by two hex digits' \
           '#/$defs/a%zz|a % not followed by two hex digits' \
           '#/$defs/a~2|a ~ not followed by 0 or 1' \
           '#nope|no anchor "nope" there' \
           'other.json#/x|'"$T"'/other.json: cannot read: No such file or directory' \
           'http://example.com/s.json|not a file, and no --schema-map covers it'; do
    printf '{"$defs":{"a/b":true,"a~2":true,"a%%2":true},"$ref":"%s"}' "${bad%%|*}" > "$T/ref.json"
    usage_case "jsonpipe: --schema: $T/ref.json: #/\$ref: \"${bad%%|*}\": ${bad#*|}" --schema "$T/ref.json"
done
printf '{"$defs":{"t":{"type":"object","properties":{"c":{"items":{"$ref":"#/$defs/t"}}}}},"$ref":"#/$defs/t"}' > "$T/tree.json"
expect "a \$ref that recurses through properties and items is no cycle" \
    '{"c":[{"c":[]},{"c":[{}]}]}\n{"c":[1]}\n' '{"c":[{"c":[]},{"c":[{}]}]}\n' 1 --schema "$T/tree.json"

# --- a stop by signal ends a slow evaluation within a second ---------------------------------------
awk 'BEGIN { for (i = 0; i < 200000; i++) printf "\"s%d\"\n", i; print 1; for (i = 0; i < 1000; i++) printf "\"t%d\"\n", i }' \
    > "$T/slow.ndjson"
printf '{"m":"%s!"}\n' "$a40" > "$T/one"
awk -v line="$(cat "$T/one")" 'BEGIN { for (i = 0; i < 5000; i++) print line }' > "$T/slowre.ndjson"
# stop_case NAME SIGNAL WANT_RC INPUT ARGS...: once output has begun (or
# after 3 s), SIGNAL ends the run within a second (half of it the grace
# for work under way), and the output is a prefix of INPUT's lines.
stop_case() {
    local name=$1 sig=$2 want_rc=$3 input=$4; shift 4
    "$JP" "$@" "$input" > "$T/out" 2> "$T/stderr" &
    local pid=$!
    for i in $(seq 60); do [ -s "$T/out" ] && break; sleep 0.05; done
    sleep 0.3
    local t0 t1 rc
    t0=$(date +%s%N)
    kill -"$sig" $pid
    # A run that does not stop is killed after 10 s, and fails the check.
    for i in $(seq 1000); do kill -0 $pid 2> /dev/null || break; sleep 0.01; done
    t1=$(date +%s%N)
    kill -9 $pid 2> /dev/null
    wait $pid
    rc=$?
    local ms=$(( (t1 - t0) / 1000000 )) size
    size=$(wc -c < "$T/out")
    # Sanitizers slow the workers down; a second is the promise otherwise.
    local bound=1000
    [ "${SANITIZERS:-no}" = yes ] && bound=2500
    check "$name: exit $want_rc ${ms} ms after the signal, a prefix of whole records" \
        eval 'rc_is $rc $want_rc && [ $ms -lt $bound ] && cmp -s -n "$size" "$T/out" "$input" &&
              [ -z "$(tail -c 1 "$T/out" | tr -d "\n")" ]'
}
stop_case "SIGTERM during an exponential schema" TERM 143 "$T/slow.ndjson" \
    --schema "$T/exp.json" --schema-budget 1000000000000
check "... and the records before the slow one came out" eval '[ -s "$T/out" ]'
stop_case "SIGINT during an exponential schema, one thread" INT 130 "$T/slow.ndjson" \
    -j 1 --schema "$T/exp.json" --schema-budget 1000000000000
stop_case "SIGTERM during regexes that run to their match limit" TERM 143 "$T/slowre.ndjson" \
    --filter 'm =~ "(a|a)+$"'
stop_case "SIGINT during schema regexes that run to their match limit" INT 130 "$T/slowre.ndjson" \
    -j 4 --schema <(echo '{"properties":{"m":{"pattern":"(a|a)+$"}}}')

# Many regexes in one record, each below its limits (a tenth of a second):
# a stop is looked for before each, not only between records.
a22=$(printf 'a%.0s' $(seq 22))
awk -v a="$a22" 'BEGIN { for (r = 0; r < 3; r++) { printf "{"; for (i = 0; i < 300; i++) printf "%s\"k%d%s!\":1", i ? "," : "", i, a; print "}" } }' \
    > "$T/manykeys.ndjson"
stop_case "SIGTERM during 300 slow patternProperties matches of one record" TERM 143 "$T/manykeys.ndjson" \
    --schema <(echo '{"patternProperties":{"(a|a)+$":true}}')
printf '{"m":"%s!"}\n{"m":"%s!"}\n' "$a22" "$a22" > "$T/slowor.ndjson"
stop_case "SIGINT during 2000 slow =~ of one record" INT 130 "$T/slowor.ndjson" \
    --filter "$(awk 'BEGIN { for (i = 0; i < 2000; i++) printf "%sm =~ \"(a|a)+$\"", i ? " || " : "" }')"

finish
