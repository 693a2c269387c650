#!/bin/bash
# reshape.sh: --explode and --flatten, byte for byte. Explode in the middle
# of a chain (later stages see each element, reject one element alone),
# nested paths, empty arrays dropped and counted, rejections with their
# error records, duplicate keys, number spelling and escapes kept, the cross
# product of two explodes, 10,000 elements, a gzip input, the same output
# for -j 1 and -j 2, and the cap on what one line may expand into; flatten
# with every separator, empty objects, arrays of objects, escaped keys,
# collisions, duplicate keys, records that are not objects, and its
# optional argument, and an object 100,000 deep in linear time.
set -u
. "$(dirname "$0")/lib.sh"

# put FILE: standard input, exactly, as $T/FILE.
put() { cat > "$T/$1"; }

# run_case NAME WANT_RC ARGS...: $T/in through jsonpipe ARGS writes exactly
# $T/want to stdout and exits WANT_RC; stderr is in $T/stderr.
run_case() {
    local name=$1 want_rc=$2; shift 2
    "$JP" "$@" < "$T/in" > "$T/out" 2> "$T/stderr"
    local rc=$?
    check "$name" eval 'rc_is $rc $want_rc && same "$T/out" "$T/want"'
}

# stage_counts NAME STATS_FILE WANT: the "stages" of a --stats line, without
# cpu_seconds, are WANT.
stage_counts() {
    sed -n 's/.*"stages":\[\(.*\)\]}$/\1/p' "$2" | sed 's/,"cpu_seconds":[0-9.]*//g' > "$T/stages"
    printf '%s\n' "$3" > "$T/stages.want"
    check "$1" same "$T/stages" "$T/stages.want"
}

# --- explode: the element in the array's place ---------------------------------------------------
put in <<'EOF'
{"id":1, "tags" : [ "a" ,2.50, {"k":"\u00e9"},[1e3] , null ], "n":1E+2,"s":"x\ty"}
EOF
put want <<'EOF'
{"id":1, "tags" : "a", "n":1E+2,"s":"x\ty"}
{"id":1, "tags" : 2.50, "n":1E+2,"s":"x\ty"}
{"id":1, "tags" : {"k":"\u00e9"}, "n":1E+2,"s":"x\ty"}
{"id":1, "tags" : [1e3], "n":1E+2,"s":"x\ty"}
{"id":1, "tags" : null, "n":1E+2,"s":"x\ty"}
EOF
run_case "explode: each element in place, its bytes and all others as written" 0 --explode tags

put in <<'EOF'
{"a":{"b":{"c":[1,2]},"d":0}}
{"a":{"b":{"c":[]}}}
EOF
put want <<'EOF'
{"a":{"b":{"c":1},"d":0}}
{"a":{"b":{"c":2},"d":0}}
EOF
run_case "explode: a nested path; an empty array drops the record" 0 --explode a.b.c

put in <<'EOF'
{"a.b":[1,2],"a":{"b":[9]}}
EOF
put want <<'EOF'
{"a.b":1,"a":{"b":[9]}}
{"a.b":2,"a":{"b":[9]}}
EOF
run_case "explode: a backslash makes a dot part of the key" 0 --explode 'a\.b'

# --- explode in the middle of a chain, with --stats ----------------------------------------------
put in <<'EOF'
{"id":1,"tags":["a","b","c"]}
{"id":2,"tags":[]}
{"id":3,"tags":["b"]}
{"id":4,"tags":["a",7,"c"]}
EOF
put want <<'EOF'
{"id":1,"tags":"a","x":"1"}
{"id":1,"tags":"c","x":"1"}
{"id":4,"tags":"a","x":"1"}
{"id":4,"tags":"c","x":"1"}
EOF
run_case "explode mid-chain: --types, --filter and --set after it see each element" 1 \
    --explode tags --types tags=string --filter 'tags != "b"' --set x=1 -e "$T/errors" --stats
check "... the element --types rejects is rejected alone, with the line's place and its own bytes" \
    eval '[ "$(cat "$T/errors")" = "{\"file\":\"<stdin>\",\"line\":4,\"offset\":71,\"stage\":\"types\",\"error\":\"field \\\"tags\\\" is a number, expected string\",\"record\":\"{\\\"id\\\":4,\\\"tags\\\":7}\"}" ]'
check "... --stats: records in, written, rejected, dropped (the empty array and the two \"b\")" \
    has "$T/stderr" '{"records_in":4,"records_out":4,"rejected":1,"dropped":3,'
stage_counts "... --stats stages: explode takes 3 records in and gives 7 out" "$T/stderr" \
    '{"name":"parse","records_in":4,"records_out":4,"rejected":0,"dropped":0},{"name":"explode","records_in":4,"records_out":7,"rejected":0,"dropped":1},{"name":"types","records_in":7,"records_out":6,"rejected":1,"dropped":0},{"name":"filter","records_in":6,"records_out":4,"rejected":0,"dropped":2},{"name":"set","records_in":4,"records_out":4,"rejected":0,"dropped":0}'
"$JP" --explode tags --types tags=string < "$T/in" > /dev/null 2> "$T/stderr"
check "... without -e, the element's rejection is one line naming the source line" \
    eval '[ "$(cat "$T/stderr")" = "jsonpipe: <stdin>:4: field \"tags\" is a number, expected string" ]'
put want <<'EOF'
{"id":1,"tags":"a","line":1}
{"id":1,"tags":"b","line":1}
{"id":1,"tags":"c","line":1}
{"id":3,"tags":"b","line":3}
{"id":4,"tags":"a","line":4}
{"id":4,"tags":7,"line":4}
{"id":4,"tags":"c","line":4}
EOF
run_case "explode: --meta after it gives each element its source line" 0 --explode tags --meta line=line

# --- rejections ---------------------------------------------------------------------------------
put in <<'EOF'
{"id":1,"tags":"a"}
{"id":2}
{"id":3,"tags":{"a":[1]}}
{"id":4,"tags":null}
[1,2]
"tags"
{"id":5,"a":7}
EOF
: > "$T/want"
run_case "explode: a string, a missing field, an object, null, records that are not objects: rejected" 1 \
    --explode tags -e "$T/errors"
put want <<'EOF'
{"file":"<stdin>","line":1,"offset":0,"stage":"explode","error":"\"tags\" is a string, not an array","record":"{\"id\":1,\"tags\":\"a\"}"}
{"file":"<stdin>","line":2,"offset":20,"stage":"explode","error":"\"tags\" is missing","record":"{\"id\":2}"}
{"file":"<stdin>","line":3,"offset":29,"stage":"explode","error":"\"tags\" is an object, not an array","record":"{\"id\":3,\"tags\":{\"a\":[1]}}"}
{"file":"<stdin>","line":4,"offset":55,"stage":"explode","error":"\"tags\" is null, not an array","record":"{\"id\":4,\"tags\":null}"}
{"file":"<stdin>","line":5,"offset":76,"stage":"explode","error":"the record is an array, not an object","record":"[1,2]"}
{"file":"<stdin>","line":6,"offset":82,"stage":"explode","error":"the record is a string, not an object","record":"\"tags\""}
{"file":"<stdin>","line":7,"offset":89,"stage":"explode","error":"\"tags\" is missing","record":"{\"id\":5,\"a\":7}"}
EOF
check "... each with its error record" same "$T/errors" "$T/want"
put in <<'EOF'
{"a":7}
{"a":{"b":1}}
EOF
"$JP" --explode a.b -e "$T/errors" < "$T/in" > "$T/out"
rc=$?
check "explode a.b: under a number, missing; a number, not an array" \
    eval 'rc_is $rc 1 && [ ! -s "$T/out" ] && [ "$(grep -o "\"error\":\"[^}]*\",\"record" "$T/errors" | tr "\n" "|")" = "\"error\":\"\\\"a.b\\\" is missing\",\"record|\"error\":\"\\\"a.b\\\" is a number, not an array\",\"record|" ]'

# --- duplicate keys -----------------------------------------------------------------------------
put in <<'EOF'
{"tags":[1],"id":1,"tags":[2,3]}
{"tags":[0],"tags":[4],"tags":[5]}
EOF
put want <<'EOF'
{"id":1,"tags":2}
{"id":1,"tags":3}
{"tags":5}
EOF
run_case "explode of a duplicated key: the copy read, the shadowed copies removed" 0 --explode tags
put in <<'EOF'
{"a":{"t":[1]},"a":{"t":[5,6]}}
EOF
put want <<'EOF'
{"a":{},"a":{"t":5}}
{"a":{},"a":{"t":6}}
EOF
run_case "... under a duplicated parent, as --set leaves it" 0 --explode a.t
put in <<'EOF'
{"tags":[1,1],"tags":"x"}
EOF
: > "$T/want"
run_case "... and the copy read decides: a string after an array rejects" 1 --explode tags

# --- cross product, order, threads --------------------------------------------------------------
put in <<'EOF'
{"a":[1,2],"b":["x","y","z"]}
{"a":[3],"b":[]}
{"a":[4],"b":["w"]}
EOF
put want <<'EOF'
{"a":1,"b":"x"}
{"a":1,"b":"y"}
{"a":1,"b":"z"}
{"a":2,"b":"x"}
{"a":2,"b":"y"}
{"a":2,"b":"z"}
{"a":4,"b":"w"}
EOF
run_case "two explodes: the cross product, in order" 0 --explode a --explode b --stats
stage_counts "... --stats: the second explode drops the record with b empty" "$T/stderr" \
    '{"name":"parse","records_in":3,"records_out":3,"rejected":0,"dropped":0},{"name":"explode","records_in":3,"records_out":4,"rejected":0,"dropped":0},{"name":"explode","records_in":4,"records_out":7,"rejected":0,"dropped":1}'

# Generated records with the expected output made alongside: line i has i%7
# elements of assorted spellings.
awk 'BEGIN {
    split("1|-0|2.50|1E+3|\"a\\\"b\"|\"\\u00e9\"|{\"k\":[1,2]}|[]|true|null", el, "|");
    for (i = 1; i <= 3000; i++) {
        pre = "{\"id\":" i ",\"pad\":\"" sprintf("%0" (i % 50) "d", 0) "\",\"tags\":";
        post = ",\"z\":1.0}";
        n = i % 7; arr = "";
        for (j = 1; j <= n; j++) {
            e = el[(i + j) % 10 + 1];
            arr = arr (j > 1 ? (j % 2 ? "," : " , ") : "") e;
            print pre e post > "/dev/stderr";
        }
        print pre "[" arr "]" post;
    }
}' > "$T/gen.ndjson" 2> "$T/gen.want"
"$JP" -j 1 --batch-size 4K --explode tags "$T/gen.ndjson" > "$T/gen.j1"
rc1=$?
"$JP" -j 2 --batch-size 4K --explode tags "$T/gen.ndjson" > "$T/gen.j2"
rc2=$?
check "3000 generated records, many batches: -j 1 gives exactly the expected elements in order" \
    eval 'rc_is $rc1 0 && same "$T/gen.j1" "$T/gen.want"'
check "... and -j 2 the same bytes" eval 'rc_is $rc2 0 && same "$T/gen.j2" "$T/gen.j1"'
if command -v jq > /dev/null; then
    jq -c '.tags[] as $t | .tags = $t' "$T/gen.ndjson" > "$T/gen.jq"
    jq -c . "$T/gen.j1" > "$T/gen.ours"
    check "... value by value what jq's .tags[] as \$t | .tags = \$t gives" same "$T/gen.ours" "$T/gen.jq"
fi

# --- a big array, a gzip input, the cap ---------------------------------------------------------
awk 'BEGIN { printf "{\"h\":\"head\",\"tags\":["; for (i = 0; i < 10000; i++) printf "%s%d", i ? "," : "", i; print "],\"t\":true}" }' > "$T/big.ndjson"
awk 'BEGIN { for (i = 0; i < 10000; i++) printf "{\"h\":\"head\",\"tags\":%d,\"t\":true}\n", i }' > "$T/big.want"
gzip -c "$T/big.ndjson" > "$T/big.ndjson.gz"
"$JP" --explode tags --stats "$T/big.ndjson.gz" > "$T/out" 2> "$T/stderr"
rc=$?
check "10,000 elements of a gzip input, in order" eval 'rc_is $rc 0 && same "$T/out" "$T/big.want"'
check "... --stats: 1 record in, 10,000 out; bytes in of the file as stored, bytes out all written" \
    eval 'has "$T/stderr" "{\"records_in\":1,\"records_out\":10000,\"rejected\":0,\"dropped\":0," &&
          has "$T/stderr" "\"bytes_in\":$(wc -c < "$T/big.ndjson.gz"),\"bytes_out\":$(wc -c < "$T/big.want")," &&
          has "$T/stderr" "{\"name\":\"explode\",\"records_in\":1,\"records_out\":10000,"'
"$JP" --explode tags --set x=1 -o "$T/out.gz" "$T/big.ndjson"
rc=$?
check "... through --set into a gzip output" \
    eval 'rc_is $rc 0 && [ "$(gzip -dc "$T/out.gz" | wc -l)" -eq 10000 ] &&
          [ "$(gzip -dc "$T/out.gz" | tail -1)" = "{\"h\":\"head\",\"tags\":9999,\"t\":true,\"x\":\"1\"}" ]'

# One line of 400K that would make 10,000 copies of itself is over a
# quarter of --max-memory 4M: rejected at explode, nothing else of it kept.
awk 'BEGIN { printf "{\"pad\":\"%0400000d\",\"tags\":[", 0; for (i = 0; i < 10000; i++) printf "%s%d", i ? "," : "", i; print "]}" }' > "$T/huge.ndjson"
printf '{"tags":[1,2]}\n' > "$T/small.ndjson"
"$JP" --max-memory 4M --explode tags --filter 'tags != 5' -e "$T/errors" --stats \
    "$T/small.ndjson" "$T/huge.ndjson" "$T/small.ndjson" > "$T/out" 2> "$T/stderr"
rc=$?
printf '{"tags":1}\n{"tags":2}\n{"tags":1}\n{"tags":2}\n' > "$T/want"
check "a line that expands into more than a quarter of --max-memory is rejected; the lines around it are not" \
    eval 'rc_is $rc 1 && same "$T/out" "$T/want" &&
          [ "$(grep -o "\"stage\":\"explode\",\"error\":\"[^\"]*\"" "$T/errors")" = "\"stage\":\"explode\",\"error\":\"expands into more than 1M of output (a quarter of --max-memory)\"" ]'
stage_counts "... and what it made is not counted" "$T/stderr" \
    '{"name":"parse","records_in":3,"records_out":3,"rejected":0,"dropped":0},{"name":"explode","records_in":3,"records_out":4,"rejected":1,"dropped":0},{"name":"filter","records_in":4,"records_out":4,"rejected":0,"dropped":0}'
check "... and totals agree" has "$T/stderr" '{"records_in":3,"records_out":4,"rejected":1,"dropped":0,'

# --- flatten ------------------------------------------------------------------------------------
put in <<'EOF'
{"a":{"b":1,"c":{"d":[1,{"e":2}]}},"f":{}}
{"x":1, "y" : [ {"z":{"w":1}} ] ,"n":-0.0e+1}
{"a":{"b":{"c":{ }}},"s":"\u00e9\n"}
{}
{"a":{}}
EOF
put want <<'EOF'
{"a.b":1,"a.c.d":[1,{"e":2}],"f":{}}
{"x":1, "y" : [ {"z":{"w":1}} ] ,"n":-0.0e+1}
{"a.b.c":{ },"s":"\u00e9\n"}
{}
{"a":{}}
EOF
run_case "flatten: nested objects joined with \".\"; arrays (of objects too) and empty objects stay; nothing nested: unchanged bytes" 0 --flatten
put in <<'EOF'
{"a":{"b":{"c":1}},"d":2}
EOF
printf '{"a_b_c":1,"d":2}\n' > "$T/want"
run_case "flatten=_" 0 --flatten=_
printf '{"a→b→c":1,"d":2}\n' > "$T/want"
run_case "flatten=→ (a multi-byte separator)" 0 --flatten=→
printf '{"a::b::c":1,"d":2}\n' > "$T/want"
run_case "flatten=:: (a separator of two characters)" 0 --flatten=::
printf '{"a.b.c":1,"d":2}\n' > "$T/want"
run_case "flatten FILE: FILE is an input, not the separator" 0 --flatten "$T/in"
put in <<'EOF'
{"a\"b":{"\u00e9":1,"c\\d":{"\/":2}},"\u00e9":3}
EOF
printf '{"a\\"b.é":1,"a\\"b.c\\\\d./":2,"\\u00e9":3}\n' > "$T/want"
run_case "flatten: joined keys decoded and quoted anew, a key left alone as written" 0 --flatten
put in <<'EOF'
{"a.b":1,"a":{"b":2},"c":3}
{"a":{"b":2},"a.b":1}
{"x_y":1,"x":{"y":2,"z":3},"x_y":4}
EOF
put want <<'EOF'
{"a.b":2,"c":3}
{"a.b":1}
{"x.y":2,"x.z":3,"x_y":4}
EOF
run_case "flatten: keys that flatten to one take the last value at the first one's place" 0 --flatten
put in <<'EOF'
{"a":{"x":1},"b":0,"a":{"y":2}}
{"a":1,"a":2}
{"o":{"k":1,"k":{"m":2}},"k":{"a":1,"\u0061":2}}
EOF
put want <<'EOF'
{"b":0,"a.y":2}
{"a":2}
{"o.k.m":2,"k.a":2}
EOF
run_case "flatten: of a key given twice, the last copy alone counts, at its place" 0 --flatten
put in <<'EOF'
[{"a":{"b":1}}]
"s"
12.50
null
EOF
cp "$T/in" "$T/want"
run_case "flatten: records that are not objects pass unchanged" 0 --flatten
put in <<'EOF'
{"u":{"tags":[{"k":{"v":1}},2]},"id":1}
EOF
put want <<'EOF'
{"u.tags.k.v":1,"id":1}
{"u.tags":2,"id":1}
EOF
run_case "explode then flatten: each element flattened" 0 --explode u.tags --flatten
# An object 100,000 deep flattens in one pass: skipping each nested object
# once per object around it took minutes (d^2 bytes); 20 CPU seconds is
# a wide margin over the pass, far short of the old walk.
d=100000
{ printf '{"a":%.0s' $(seq $d); printf 1; printf '}%.0s' $(seq $d); echo; } > "$T/in"
{ printf '{"'; printf 'a.%.0s' $(seq $((d - 1))); printf 'a":1}\n'; } > "$T/want"
(ulimit -t 20; "$JP" --max-depth $d --flatten < "$T/in" > "$T/out" 2> "$T/stderr")
check "flatten: an object 100,000 deep, in linear time" eval 'rc_is $? 0 && same "$T/out" "$T/want"'
# Members after deep ones are found where the deep ones end, at every level.
d=300
{ printf '{"x":[{"y":{}}],"a":%.0s' $(seq $d); printf '{}'; printf ',"c":"}"}%.0s' $(seq $d); echo; } > "$T/in"
{ printf '{'
  p=; for i in $(seq $d); do printf '"%sx":[{"y":{}}],' "$p"; p="${p}a."; done
  printf '"%s":{}' "${p%.}"
  for i in $(seq $d); do p=${p%a.}; printf ',"%sc":"}"' "$p"; done
  echo '}'; } > "$T/want"
run_case "flatten: members after nested objects, 300 deep" 0 --flatten
usage_case "--flatten: the separator is empty" --flatten=
usage_case "--explode: empty field name" --explode ''
usage_case "option '--explode' needs an argument" --explode
"$JP" --help > "$T/help"
check "--help shows --flatten[=SEP] and --explode FIELD" \
    eval 'has "$T/help" "--flatten[=SEP]" && has "$T/help" "--explode FIELD"'
# Bash completion: --flatten= takes free text, a word after --flatten is a file.
complete_words() {
    bash -c 'source "$COMPLETION"; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _jsonpipe
             printf "%s\n" "${COMPREPLY[@]}"' _ "$@"
}
mkdir -p "$T/comp" && : > "$T/comp/logs.ndjson"
(cd "$T/comp" && PATH=$(dirname "$JP"):$PATH complete_words jsonpipe --flatten=) > "$T/completed"
check "bash completion offers nothing after --flatten=" eval '[ -z "$(tr -d "\n" < "$T/completed")" ]'
(cd "$T/comp" && PATH=$(dirname "$JP"):$PATH complete_words jsonpipe --flatten lo) > "$T/completed"
check "bash completion offers files after --flatten" eval '[ "$(cat "$T/completed")" = logs.ndjson ]'
(cd "$T/comp" && PATH=$(dirname "$JP"):$PATH complete_words jsonpipe --fl) > "$T/completed"
check "bash completion offers --flatten" eval '[ "$(cat "$T/completed")" = --flatten ]'
finish
