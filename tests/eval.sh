#!/bin/bash
# eval.sh: the expression language end to end, as --eval and --filter see
# it, byte for byte: statements in order, where an assignment puts its
# field, untouched bytes, duplicate and quoted keys, "-" outside names,
# indexes, ?? (and what it does not catch), the precedence of every level
# (each case one that a wrong precedence answers differently), numbers,
# type errors, every usage error with its column, the limits on a
# program's size, programs and records that are hostile (NUL, bad UTF-8,
# non-objects, deep nesting, huge), and the chain around the language.
set -u
. "$(dirname "$0")/lib.sh"

# ev NAME INPUT WANT ARGS...: INPUT (records, as is, a newline added)
# through jsonpipe ARGS writes exactly WANT (a newline added; none when
# empty) and exits 0 with nothing on stderr.
ev() {
    local name=$1 input=$2 want=$3; shift 3
    printf '%s\n' "$input" | "$JP" "$@" > "$T/out" 2> "$T/stderr"
    local rc=$?
    if [ -n "$want" ]; then printf '%s\n' "$want" > "$T/want"; else : > "$T/want"; fi
    check "$name" eval 'rc_is $rc 0 && same "$T/out" "$T/want" && [ ! -s "$T/stderr" ]'
}

# rej NAME INPUT REASON ARGS...: the one record INPUT is rejected (exit 1,
# nothing written) and stderr is exactly "jsonpipe: <stdin>:1: REASON".
rej() {
    local name=$1 input=$2 reason=$3; shift 3
    printf '%s\n' "$input" | "$JP" "$@" > "$T/out" 2> "$T/stderr"
    local rc=$?
    printf 'jsonpipe: <stdin>:1: %s\n' "$reason" > "$T/want"
    check "$name" eval 'rc_is $rc 1 && [ ! -s "$T/out" ] && same "$T/stderr" "$T/want"'
}

# errrec NAME INPUT WANT ARGS...: with -e, the error records of INPUT are
# exactly WANT, exit 1.
errrec() {
    local name=$1 input=$2 want=$3; shift 3
    printf '%s\n' "$input" | "$JP" -e "$T/err" "$@" > "$T/out" 2> "$T/stderr"
    local rc=$?
    printf '%s\n' "$want" > "$T/want"
    check "$name" eval 'rc_is $rc 1 && same "$T/err" "$T/want"'
}

# bad OPTION MESSAGE PROGRAM: jsonpipe OPTION PROGRAM is a usage error (exit
# 2) whose first line is exactly "jsonpipe: OPTION: MESSAGE".
bad() {
    local opt=$1 msg=$2 prog=$3
    "$JP" "$opt" "$prog" < /dev/null > "$T/out" 2> "$T/stderr"
    local rc=$?
    printf 'jsonpipe: %s: %s\n' "$opt" "$msg" > "$T/want"
    head -1 "$T/stderr" > "$T/first"
    check "usage: $opt '$(printf '%s' "$prog" | head -c 60)' is '$msg'" \
        eval 'rc_is $rc 2 && same "$T/first" "$T/want" && [ ! -s "$T/out" ]'
}

# --- statements, in order, and where their fields go ----------------------------------------------
ev "a later statement sees an earlier one" '{"a":1}' '{"a":2,"b":42}' --eval 'a = 2; b = a * 21'
ev "a statement sees its own field's old value" '{"n":1}' '{"n":4}' --eval 'n = n + 1; n = n * 2'
ev "a trailing ; is allowed" '{}' '{"a":1}' --eval 'a = 1;'
ev "missing parents are created" '{"x":0}' '{"x":0,"a":{"b":{"c":1}}}' --eval 'a.b.c = 1'
ev "a field created by one statement is extended by the next" '{}' \
    '{"a":{"b":{"c":2,"e":3}},"d":2}' --eval 'a.b.c = 2; d = a.b.c; a.b.e = 3'
ev "an existing field is replaced where it stands" '{"a":1,"b":2,"c":3}' '{"a":1,"b":"x","c":3}' \
    --eval 'b = "x"'
ev "a nested field is replaced where it stands" '{"u":{"a":1,"b":2},"z":0}' \
    '{"u":{"a":1,"b":[1,2],"c":true},"z":0}' --eval 'u.b = parse_json("[1, 2]"); u.c = true'
ev "untouched bytes stay: spelling, escapes, spacing, key order" \
    '{"z":1.50, "s":"\u00e9\n\/", "a" : [1 , 2e0],"m":-0.0}' \
    '{"z":1.50, "s":"\u00e9\n\/", "a" : [1 , 2e0],"m":-0.0,"n":3}' --eval 'n = 3'
ev "a number only moved keeps its spelling" '{"x":1.50,"y":2E+3,"o":{"k":1.0e1}}' \
    '{"x":1.50,"y":2E+3,"o":{"k":1.0e1},"a":1.50,"b":2E+3,"c":{"k":1.0e1}}' --eval 'a = x; b = y; c = o'
ev "the same path assigned twice: the last value, one copy" '{"a":0}' '{"a":3}' \
    --eval 'a = 1; a = 2; a = a + 1'
ev "an object assigned then read inside" '{}' '{"a":{"b":1},"c":1}' \
    --eval 'a = parse_json("{\"b\":1}"); c = a.b'
ev "an object assigned, changed inside, read whole" '{}' '{"a":{"b":2},"c":1,"d":{"b":2}}' \
    --eval 'a = parse_json("{\"b\":1}"); c = a.b; a.b = 2; d = a'
ev "a field replaced by a scalar reads as null below" '{"a":{"x":1}}' '{"a":5,"b":null}' \
    --eval 'a = 5; b = a.x'
ev "a scalar replaced by an object, then set inside" '{"a":5}' '{"a":{"x":1,"y":2},"b":1}' \
    --eval 'a = parse_json("{\"x\":1}"); a.y = 2; b = a.x'
ev "a value copied, then its source changed: the copy holds" '{"x":{"k":1}}' \
    '{"x":{"k":2},"y":{"k":1}}' --eval 'y = x; x.k = 2'

# --- duplicate keys -------------------------------------------------------------------------------
ev "a read sees the last copy" '{"a":1,"a":2}' '{"a":1,"a":2,"b":2}' --eval 'b = a'
ev "a set of a duplicated key leaves one copy, where the last stood" '{"a":1,"b":0,"a":2}' \
    '{"b":0,"a":5}' --eval 'a = 5'
ev "a set reading the duplicated key sees the last copy" '{"a":1,"a":2}' '{"a":12}' --eval 'a = a + 10'
ev "below a duplicated parent, the last copy is set" '{"a":{"b":1},"a":{"c":2}}' \
    '{"a":{"b":1},"a":{"c":2,"d":3},"x":null,"y":2}' --eval 'a.d = 3; x = a.b; y = a.c'

# --- quoted keys, "-", "." --------------------------------------------------------------------------
ev "quoted keys: .\"@timestamp\", [\"a b\"], a.\"x.y\", .[\"k\"], a[\"x.y\"]" \
    '{"@timestamp":"t","a b":1,"a":{"x.y":2},"k":3}' \
    '{"@timestamp":"t","a b":1,"a":{"x.y":2},"k":3,"p":"t","q":1,"r":2,"s":3,"t":2}' \
    --eval 'p = ."@timestamp"; q = ["a b"]; r = a."x.y"; s = .["k"]; t = a["x.y"]'
ev "a key with a dot is one key, not a path" '{"a.b":1,"a":{"b":2}}' \
    '{"a.b":1,"a":{"b":2},"x":1,"y":2,"z":1,"w":2}' --eval 'x = ."a.b"; y = a.b; z = ["a.b"]; w = .a["b"]'
ev "keys with a backslash" '{"a\\b":1,"a\\.b":2}' '{"a\\b":1,"a\\.b":2,"x":1,"y":2}' \
    --eval 'x = ."a\\b"; y = ["a\\.b"]'
ev "quoted keys are set too" '{}' '{"@t":1,"a b":{"c.d":2},"u-a":3}' \
    --eval '."@t" = 1; ["a b"]."c.d" = 2; ."u-a" = 3'
ev "b-1 is a subtraction, b - c too" '{"b":5,"c":1,"b-1":9}' '{"b":5,"c":1,"b-1":9,"x":4,"y":4,"z":9}' \
    --eval 'x = b-1; y = b-c; z = ."b-1"'
ev "user-agent must be quoted" '{"user-agent":"u","user":3,"agent":1}' \
    '{"user-agent":"u","user":3,"agent":1,"a":"u","b":2}' --eval 'a = ."user-agent"; b = user-agent'
ev ". is the whole record" '{"b":5}' '{"b":5,"c":{"b":5}}' --eval 'c = .'
ev "names of keywords and functions are fields" '{"lower":1,"in":2,"exists":3,"contains":4}' \
    '{"lower":1,"in":2,"exists":3,"contains":4,"a":10}' --eval 'a = lower + in + exists + contains'
ev "UTF-8 names need no quotes" '{"é":1,"李":{"雷":2}}' '{"é":1,"李":{"雷":2},"x":3}' --eval 'x = é + 李.雷'
ev "digits after a dot are a key" '{"a":{"0":7}}' '{"a":{"0":7},"b":7}' --eval 'b = a.0'

# --- indexes --------------------------------------------------------------------------------------
ev "[i] from 0, negative from the end" '{"t":[1,2,3]}' '{"t":[1,2,3],"a":1,"b":3,"c":1,"d":2}' \
    --eval 'a = t[0]; b = t[-1]; c = t[-3]; d = t[3 - 2]'
rej "[i] past the end" '{"t":[1,2,3]}' 'statement 1, column 6: [3]: index out of range (array of 3)' \
    --eval 'a = t[3]'
rej "[i] before the start" '{"t":[1,2,3]}' \
    'statement 2, column 13: [-4]: index out of range (array of 3)' --eval 'a = 1; b = t[-4]'
rej "[i] of a fraction" '{"t":[1]}' 'statement 1, column 6: [1.5]: the index is not an integer' \
    --eval 'a = t[1.5]'
rej "[i] of a number" '{"t":1}' 'statement 1, column 6: [0]: cannot index a number' --eval 'a = t[0]'
ev "[i] of a computed array" '{"p":"a?b"}' '{"p":"a?b","x":"a","y":"b"}' \
    --eval 'x = split(p, "?")[0]; y = split(p, "?")[-1]'
ev "[i] far out of range, with ??" '{"t":[1,2]}' '{"t":[1,2],"a":1,"b":2,"c":3,"d":4}' \
    --eval 'a = t[9223372036854775807] ?? 1; b = t[-9223372036854775808] ?? 2; c = t[-9223372036854775807] ?? 3; d = t[1e300] ?? 4'
ev "[\"key\"] of a computed object" '{}' '{"x":3,"y":3}' \
    --eval 'x = parse_json("{\"\":3}")[""]; y = parse_json("{\"k\":3}").k'

# --- ?? -------------------------------------------------------------------------------------------
ev "?? takes the right of null, a missing field and a failure" '{"s":"x","t":[1]}' \
    '{"s":"x","t":[1],"a":0,"b":1,"c":"d","d":3,"e":"none","f":5}' \
    --eval 'a = to_int(s) ?? 0; b = null ?? 1; c = missing ?? "d"; d = (1/0) ?? 3; e = t[5] ?? "none"; f = (to_int("q") ?? 4) + 1'
ev "?? keeps false and 0" '{}' '{"a":false,"b":0}' --eval 'a = false ?? 1; b = 0 ?? 1'
ev "?? chains" '{}' '{"a":3}' --eval 'a = x ?? y ?? 3'
S='{"s":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"}'
rej "?? does not catch a regex limit (=~)" "$S" \
    'column 4: =~ "(a|a)+$" could not finish: PCRE2 match limit exceeded' --filter '(s =~ "(a|a)+$") ?? true'
rej "?? does not catch a regex limit (replace)" "$S" \
    'statement 1, column 5: replace: the regex could not finish: PCRE2 match limit exceeded' \
    --eval 'a = replace(s, "(a|a)+$", "x") ?? 1'
rej "coalesce does not catch a regex limit" "$S" \
    'statement 1, column 14: capture: the regex could not finish: PCRE2 match limit exceeded' \
    --eval 'a = coalesce(capture(s, "(?<x>(a|a)+$)"), 1)'
ev "a regex not run is no limit (||, ?:)" "$S" "${S%\}},\"a\":1}" \
    --filter 'true || s =~ "(a|a)+$"' --eval 'a = false ? (s =~ "(a|a)+$") : 1'

# --- precedence: each answer differs under a wrong one -----------------------------------------------
ev "?: is right-associative" '{"x":2}' '{"x":2,"a":"two","b":1,"c":4}' \
    --eval 'a = x == 1 ? "one" : x == 2 ? "two" : "other"; b = true ? 1 : false ? 2 : 3; c = false ? 1 : false ? 3 : 4'
ev "?: is looser than ??" '{}' '{"a":1}' --eval 'a = 5 ?? true ? 1 : 2'
ev "?? is looser than ||" '{}' '{"a":false}' --eval 'a = false || null ?? 5'
ev "|| is looser than &&" '{}' '{"a":true,"b":true}' --eval 'a = true || true && false; b = false && true || true'
ev "&& is looser than !" '{}' '{"a":false}' --eval 'a = !false && false'
ev "! is looser than comparisons" '{}' '{"a":true}' --eval 'a = !1 == 2'
ev "comparisons are looser than + -" '{}' '{"a":true,"b":true,"c":true}' \
    --eval 'a = 1 + 1 == 2; b = "a" + "b" contains "ab"; c = 1 + 1 in [2]'
ev "+ - are looser than * / %" '{}' '{"a":7,"b":9,"c":2,"d":1}' \
    --eval 'a = 1 + 2 * 3; b = (1 + 2) * 3; c = 8 - 4 / 2 * 3; d = 7 - 3 % 2 * 6'
ev "+ - * / % are left-associative" '{}' '{"a":5,"b":2,"c":2,"d":0}' \
    --eval 'a = 10 - 2 - 3; b = 12 / 2 / 3; c = 2 * 3 % 4; d = 7 % 4 % 3'
ev "unary - is tighter than + and looser than [i]" '{"t":[5]}' '{"t":[5],"a":1,"b":-5,"c":3}' \
    --eval 'a = -1 + 2; b = -t[0]; c = 2 - -1'
ev "comparisons do not chain" '{}' '{"a":true}' --eval 'a = (1 < 2) == true'

# --- numbers --------------------------------------------------------------------------------------
ev "unary - on a literal keeps its spelling" '{}' '{"a":-1.50,"b":-1.50,"c":-0,"d":-1e5,"e":1,"f":-1.50}' \
    --eval 'a = -1.50; b = - 1.50; c = -0; d = -1e5; e = --1; f = -(1.50)'
ev "/ of integers that divide is an integer, else a double" '{}' \
    '{"a":2,"b":3.5,"c":-2,"d":0.3333333333333333,"e":25,"f":2}' \
    --eval 'a = 6 / 3; b = 7 / 2; c = -6 / 3; d = 1 / 3; e = 1e2 / 4; f = 6.0 / 3'
ev "% has the sign of the dividend" '{}' '{"a":1,"b":-1,"c":1,"d":0}' \
    --eval 'a = 7 % 3; b = -7 % 3; c = 7 % -3; d = -9223372036854775808 % -1'
ev "integers exact to 64 bits, then doubles" '{}' \
    '{"a":9223372036854775807,"b":-9223372036854775808,"c":9.223372036854776e+18,"d":0.30000000000000004}' \
    --eval 'a = 9223372036854775806 + 1; b = -9223372036854775807 - 1; c = 9223372036854775807 + 1; d = 0.1 + 0.2'
rej "division by zero" '{}' 'statement 2, column 14: /: division by zero' --eval 'a = 1; b = a / 0'
rej "remainder by zero" '{}' 'statement 1, column 7: %: division by zero' --eval 'a = 7 % 0'
ev "+ joins strings" '{"a":"x","b":"é"}' '{"a":"x","b":"é","c":"x-é","d":""}' --eval 'c = a + "-" + b; d = "" + ""'

# --- type errors name the types --------------------------------------------------------------------
rej "string + number" '{}' 'statement 2, column 24: +: cannot add a string and a number (use to_string)' \
    --eval 'a = "a" + "b"; b = "a" + 1'
rej "number + string" '{}' 'statement 1, column 7: +: cannot add a number and a string (use to_string)' \
    --eval 'a = 1 + "a"'
rej "null + number" '{}' 'statement 1, column 10: +: cannot add null and a number' --eval 'a = null + 1'
rej "missing field + number" '{}' 'statement 1, column 7: +: cannot add null and a number' --eval 'a = x + 1'
rej "boolean * number" '{}' 'statement 1, column 10: *: cannot multiply a boolean by a number' \
    --eval 'a = true * 1'
rej "object - number" '{"o":{}}' 'statement 1, column 7: -: cannot subtract a number from an object' \
    --eval 'a = o - 1'
rej "- of an array" '{"o":[]}' 'statement 1, column 5: -: cannot negate an array' --eval 'a = -o'
rej "- of a string" '{}' 'statement 1, column 5: -: cannot negate a string' --eval 'a = -"x"'
rej "a function names the type" '{"s":"x7"}' \
    'statement 2, column 12: to_int: a string ("x7") is not a number' --eval 'a = 1; b = to_int(s)'
rej "--filter: a type error is a rejection, with its column" '{"a":"x"}' \
    'column 3: *: cannot multiply a string by a number' --filter 'a * 2 > 1'
errrec "-e: the error record of --eval" '{"a":5}
{"a":{}}' \
    '{"file":"<stdin>","line":1,"offset":0,"stage":"eval","error":"statement 2, column 9: cannot set \"a.b\": \"a\" is a number","record":"{\"a\":5}"}' \
    --eval 'x = 1;  a.b = 1'
errrec "-e: the error record of --filter" '{"a":1}
{"a":"x"}' \
    '{"file":"<stdin>","line":2,"offset":8,"stage":"filter","error":"column 3: -: cannot negate a string","record":"{\"a\":\"x\"}"}' \
    --filter '! -a'

# --- a parent that is not an object, records that are not objects -------------------------------------
rej "a.b = 1 where a is 5" '{"a":5}' 'statement 1, column 1: cannot set "a.b": "a" is a number' \
    --eval 'a.b = 1'
rej "a.b.c = 1 where a is an array, statement 2" '{"a":[1]}' \
    'statement 2, column 8: cannot set "a.b.c": "a" is an array' --eval 'x = 1; a.b.c = 1'
rej "a.b.c = 1 where a.b is a string" '{"a":{"b":"s"}}' \
    'statement 1, column 1: cannot set "a.b.c": "a.b" is a string' --eval 'a.b.c = 1'
rej "--eval on an array record" '[1,2]' 'statement 1, column 1: cannot set "a": the record is an array' \
    --eval 'a = 1'
rej "--eval on a number record" '5' 'statement 1, column 1: cannot set "a": the record is a number' \
    --eval 'a = 1'
ev "--filter on records that are not objects" '[1,2]
"s"
5
null
false
{"a":1}' '[1,2]
"s"
{"a":1}' --filter '(.[0] ?? 0) == 1 || . == "s" || a == 1'
ev "--filter .: null and false are false" 'false
null
0
""' '0
""' --filter '.'

# --- NUL, empty keys, bad UTF-8 -----------------------------------------------------------------------
ev "a key with \\u0000 is read as itself, not cut at the NUL" '{"a\u0000b":1,"a":2}' \
    '{"a\u0000b":1,"a":2,"x":1,"y":1,"z":true,"w":false}' \
    --eval 'x = ."a\u0000b"; y = ["a\u0000b"]; z = exists(."a\u0000b"); w = exists(["a\u0000c"])'
ev "a key with \\u0000 is set as itself" '{"a\u0000b":1,"a":2}
{"a":2}' '{"a\u0000b":5,"a":2}
{"a":2,"a\u0000b":5}' --eval '."a\u0000b" = 5'
ev "strings with \\u0000" '{"s":"x\u0000y"}' '{"s":"x\u0000y","n":3,"c":true,"t":"x\u0000yx\u0000y"}' \
    --eval 'n = len(s); c = s contains "\u0000"; t = s + s'
bad --eval 'column 6: a field path cannot name an empty key' 'x = ."".""'
bad --eval 'column 6: a field path cannot name an empty key' 'x = .""'
bad --eval 'column 2: a field path cannot name an empty key' 'a[""] = 1'
bad --filter 'column 9: a field path cannot name an empty key' 'exists(."")'
bad --eval 'column 1: invalid UTF-8' "$(printf '\xff = 1')"
bad --eval 'column 3: invalid UTF-8' "$(printf 'ab\xc3 = 1')"
bad --eval 'column 6: invalid UTF-8' "$(printf 'a = b\xed\xa0\x80')"
bad --eval 'column 8: invalid UTF-8' "$(printf 'x = "ab\xc3"')"
bad --filter 'column 6: invalid UTF-8' "$(printf 's == \xc0\xaf')"
ev "valid UTF-8 in names and strings" '{"é":1}' '{"é":1,"x":"abé","y":1}' \
    --eval "$(printf 'x = "ab\xc3\xa9"; y = \xc3\xa9')"

# --- usage errors, each with its column ----------------------------------------------------------------
bad --eval 'column 5: unterminated string' 'a = "abc'
bad --eval 'column 5: unterminated string' 'a = "abc\'
bad --eval 'column 7: invalid escape in a string' 'a = "a\qb"'
bad --eval 'column 7: invalid escape in a string (\u needs 4 hex digits)' 'a = "a\u12"'
bad --eval 'column 7: invalid escape in a string (\u needs 4 hex digits)' 'a = "a\u12G4"'
bad --eval 'column 7: control character in a string (write it as an escape)' "$(printf 'a = "a\tb"')"
bad --eval 'column 5: unknown function foo' 'a = foo(1)'
bad --eval 'column 9: unknown function foo' 'a = 1 + foo()'
bad --eval 'column 5: lower takes 1 argument, not 2' 'a = lower(1, 2)'
bad --eval 'column 5: substr takes 2 to 3 arguments, not 1' 'a = substr(s)'
bad --eval 'column 5: coalesce needs at least one argument' 'a = coalesce()'
bad --eval 'column 16: replace needs a string literal (a regex) as argument 2' 'a = replace(s, x, "y")'
bad --eval 'column 7: =~ needs a string literal (the regex) on its right' 'a = s =~ b'
bad --eval 'column 10: bad regex at its offset 1: missing closing parenthesis' 'a = s =~ "("'
bad --eval 'column 7: expected '"';'"' or the end' 'a = 1 2'
bad --filter 'column 3: unexpected text after the expression' 'a b'
bad --eval 'column 12: expected '"';'"' or the end' 'a = b == c == d'
bad --eval 'column 1: expected a statement (PATH = EXPR)' ''
bad --eval 'column 3: expected a statement (PATH = EXPR)' '  '
bad --filter 'column 1: expected a value at the end' ''
bad --eval 'column 1: expected a field path to assign to' ';'
bad --eval 'column 7: expected a field path to assign to' 'a = 1;; b = 2'
bad --eval 'column 5: expected a value at the end' 'a = '
bad --eval 'column 1: expected a field path to assign to' '= 1'
bad --eval 'column 1: expected a field path to assign to' '1 = a'
bad --eval 'column 1: expected a field path to assign to' 'a[0] = 1'
bad --eval 'column 1: expected a field path to assign to' '. = 1'
bad --eval 'column 1: expected a field path to assign to' 'lower(a) = 1'
bad --eval 'column 1: expected a field path to assign to' 'true = 1'
bad --eval "column 3: expected '=', found this" 'a == 1'
bad --eval "column 2: expected '=', found the end" 'a'
bad --eval "column 10: expected ':', found the end" 'x = a ? 1'
bad --eval "column 7: expected ')', found the end" 'x = (1'
bad --eval "column 13: expected a value" 'x = lower(a,)'
bad --eval "column 11: expected a literal in the list" 'x = a in []'
bad --eval "column 11: expected a literal in the list" 'x = a in [b]'
bad --eval "column 5: invalid number" 'x = 01'
bad --eval "column 5: invalid number" 'x = 1.'
bad --eval "column 5: unexpected character" 'x = ~1'
bad --eval "column 7: expected a field name after '.'" 'x = a.[0]'
bad --eval 'column 12: exists needs a field path' 'x = exists()'
bad --eval 'column 12: exists needs a field path' 'x = exists(1 + 2)'
bad --eval 'column 5: exists needs a field path, not an element or a computed value' 'x = exists(a[0])'
bad --eval 'column 5: exists needs a field path, not an element or a computed value' 'x = exists(f(a))'
bad --eval 'column 5: exists needs a field path, not an element or a computed value' 'x = exists(true)'
bad --eval "column 13: expected ')', found this" 'x = exists(a, b)'

# --- exists(), missing fields ----------------------------------------------------------------------
ev "exists() of every kind of path" '{"x":1,"a b":{"c":null}}' \
    '{"x":1,"a b":{"c":null},"a":true,"b":false,"c":true,"d":true,"e":false,"f":true,"g":true,"h":true}' \
    --eval 'a = exists(x); b = exists(y); c = exists(.x); d = exists(."x"); e = exists(x.y); f = exists(["a b"].c); g = exists(.["a b"]); h = exists(.)'
ev "a missing field reads as null in --filter" '{}
{"x":1}
{"y":{"z":2}}' '{}' --filter 'x == null && !x && y.z == null'
ev "a missing field reads as null in --eval" '{"x":1}' '{"x":1,"a":null,"b":null,"c":true,"d":null}' \
    --eval 'a = y; b = x.z; c = q == null; d = y.z.w'

# --- the chain around the language -------------------------------------------------------------------
ev "--filter and --eval run in command-line order" '{"a":1}
{"a":2}
{"a":3}' '{"a":1,"b":2,"c":20}
{"a":3,"b":4,"c":null}' \
    --filter 'a != 2' --eval 'b = a + 1' --filter 'b == 2 || b == 4' --eval 'c = b == 2 ? b * 10 : null' \
    --filter 'c != null || b == 4' --delete x
ev "--eval then --filter sees the new value" '{"a":1}' '' --eval 'a = 5' --filter 'a == 1'
ev "--explode before --eval sees each element" '{"a":[1,2,3],"k":"x"}
{"a":[]}' '{"a":1,"k":"x","b":10}
{"a":2,"k":"x","b":20}
{"a":3,"k":"x","b":30}' --explode a --eval 'b = a * 10'
ev "--eval then --explode explodes the computed array" '{"s":"a,b"}' '{"s":"a,b","t":"a"}
{"s":"a,b","t":"b"}' --eval 't = split(s, ",")' --explode t
awk 'BEGIN { for (i = 0; i < 5000; i++)
    printf "{\"i\":%d,\"s\":\"v%d\",\"t\":[%d,%d],\"f\":%d.50}\n", i, i % 7, i, -i, i }' > "$T/many"
args=(--filter 'i % 3 != 1' --eval 'k = s + ":" + to_string(i); h = t[-1] * 2; g = f / 2; z = i % 5 == 0 ? to_int("x") : 1')
"$JP" -j 1 -e "$T/e1" "${args[@]}" "$T/many" > "$T/j1" 2> /dev/null; rc1=$?
"$JP" -j 2 -e "$T/e2" "${args[@]}" "$T/many" > "$T/j2" 2> /dev/null; rc2=$?
check "-j 1 and -j 2 agree on 5,000 records, rejections included" \
    eval 'rc_is $rc1 1 && rc_is $rc2 1 && same "$T/j1" "$T/j2" && same "$T/e1" "$T/e2" && lines "$T/j1" 2666 && lines "$T/e1" 667'
check "one record of the -j runs, byte for byte" \
    eval '[ "$(sed -n 1p "$T/j1")" = "{\"i\":2,\"s\":\"v2\",\"t\":[2,-2],\"f\":2.50,\"k\":\"v2:2\",\"h\":-4,\"g\":1.25,\"z\":1}" ]'

# --- limits on a program's size ------------------------------------------------------------------------
rep() { local i; for ((i = 0; i < $2; i++)); do printf '%s' "$1"; done; }
ev "256 levels of parentheses" '{}' '{"a":1}' --eval "a = $(rep '(' 256)1$(rep ')' 256)"
bad --eval 'column 262: nested deeper than 256 levels' "a = $(rep '(' 257)1$(rep ')' 257)"
bad --eval 'column 262: nested deeper than 256 levels' "a = $(rep '-' 300)x"
bad --eval 'column 262: nested deeper than 256 levels' "a = $(rep '!' 300)x"
bad --eval 'column 1547: nested deeper than 256 levels' "a = $(rep 'lower(' 257)x$(rep ')' 257)"
bad --eval 'column 1033: nested deeper than 256 levels' "a = $(rep 'x ? ' 300)1"
ev "4096 terms in one statement" '{}' '{"a":4097}' --eval "a = 1$(rep ' + 1' 4096)"
bad --eval 'column 16393: more than 4096 terms' "a = 1$(rep ' + 1' 4097)"
bad --eval 'column 12295: more than 4096 terms' "a = x$(rep '[0]' 4096)$(rep '.k' 4096)"
# The bound is per statement: 10,000 statements of a few terms each pass.
prog=$(for ((i = 0; i < 10000; i++)); do printf 'b%d=b%d+1;' $((i % 100)) $(((i + 99) % 100)); done)
want=$(printf '{'; for ((i = 0; i < 100; i++)); do printf '"b%d":%d' $i $((i + 9901)); [ $i -lt 99 ] && printf ','; done; printf '}')
zeros=$(printf '{'; for ((i = 0; i < 100; i++)); do printf '"b%d":0' $i; [ $i -lt 99 ] && printf ','; done; printf '}')
ev "10,000 statements, each seeing the one before" "$zeros" "$want" --eval "$prog"
nested=$(rep '[' 4000)7$(rep ']' 4000)
ev "4,000 indexes into an array nested 4,000 deep" "{\"x\":$nested}" "{\"x\":$nested,\"a\":7}" \
    --max-depth 4001 --eval "a = x$(rep '[0]' 4000)"
rej "a record deeper than --max-depth is rejected before the language" "{\"x\":$(rep '[' 10)$(rep ']' 10)}" \
    'invalid JSON at column 15: nesting too deep (see --max-depth)' --max-depth 10 --eval 'a = x'
# A set may not make the record deeper than --max-depth: the record is
# indexed again after it, by the next stage to read (this crashed).
d4=$(rep '[' 4)$(rep ']' 4); d5=$(rep '[' 5)$(rep ']' 5)
ev "a set up to --max-depth, read by later stages" "{\"x\":$d4}" "{\"x\":1,\"a\":{\"b\":$d4},\"y\":true}" \
    --max-depth 6 --eval 'a.b = x; y = a.b != null' --set x:=1 --filter 'a.b != 1'
rej "--eval beyond --max-depth is rejected" "{\"x\":$d5}" \
    'statement 2, column 8: cannot set "a.b": the record would nest deeper than --max-depth 6' \
    --max-depth 6 --eval 'y = 1; a.b = x; z = a' --set x:=1
rej "--eval of a computed value beyond --max-depth" '{}' \
    'statement 1, column 1: cannot set "a.b.c": the record would nest deeper than --max-depth 6' \
    --max-depth 6 --eval "a.b.c = parse_json(\"$d4\")" --select a
rej "--set beyond --max-depth is rejected" '{}' \
    'cannot set "a.b.c": the record would nest deeper than --max-depth 6' \
    --max-depth 6 --set "a.b.c:=$d4" --select a
rej "--rename beyond --max-depth is rejected" "{\"x\":$d4}" \
    'cannot set "a.b.c": the record would nest deeper than --max-depth 6' \
    --max-depth 6 --rename x=a.b.c --set y=1
ev "brackets in strings are not nesting" '{}' '{"a":{"b":{"c":"\\\"[[[[[[{{{{"}}}' \
    --max-depth 4 --eval 'a.b.c = "\\\"[[[[[[{{{{"' --set x:=1 --delete x
long=$(rep 'abcdefgh' 12000)
ev "a string literal of 96,000 bytes" '{}' "{\"s\":\"$long\",\"n\":96000}" --eval "s = \"$long\"; n = len(s)"
big=$(rep '0123456789' 300000)
ev "a record of 3 MB through --eval and --filter" "{\"s\":\"$big\"}" "{\"s\":\"$big\",\"n\":3000000,\"e\":\"9\"}" \
    --filter 's contains "789"' --eval 'n = len(s); e = substr(s, -1)'

# A computed value is at most 64M: doubling a string each statement would
# otherwise grow the record until memory ran out.
grow=$(for i in $(seq 30); do printf 's = s + s; '; done)
rej "a value doubled 26 times is refused past 64M, naming where" '{"s":"ab"}' \
    "statement 26, column 282: the value made here is 134217728 bytes, more than the 64M a value may be" \
    --eval "$grow"
rej "... and so is one that a function makes" '{"s":"ab"}' \
    "statement 26, column 605: the value made here is 134217728 bytes, more than the 64M a value may be" \
    --eval "$(for i in $(seq 30); do printf 's = replace(s, "$", s); '; done)"

# parse_json makes nothing deeper than --max-depth lets a record be.
rej "parse_json refuses a value deeper than --max-depth" '{"s":"[[[[1]]]]"}' \
    "statement 1, column 5: parse_json: the value is nested deeper than 3 levels" \
    --max-depth 3 --eval 'x = parse_json(s)'
ev "... and takes it under a larger --max-depth" '{"s":"[[[[1]]]]"}' '{"s":"[[[[1]]]]","x":[[[[1]]]]}' \
    --max-depth 8 --eval 'x = parse_json(s)'

finish
