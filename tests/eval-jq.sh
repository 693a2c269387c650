#!/bin/bash
# eval-jq.sh: --eval and --filter give the values jq gives for the same
# idioms, record by record, on 20,000 generated log records (tests/gen-logs.sh
# and a few more fields), and --explode and --flatten give what their jq
# definitions give. Values, not bytes, are compared: both sides go through
# "jq -S -c ." (jsonpipe keeps the bytes of what it did not touch, jq
# rewrites every number and key order is its own).
#
# jq (1.6, Debian's) is the oracle: without it the test still checks a
# checked-in fixture against the output jq gave for it, then says SKIP
# (exit 77); with CI set a missing jq fails. JQ names another jq.
#
# Where jq and jsonpipe differ on purpose, the idioms and data stay clear:
# - jq 1.6 reads numbers as doubles (18446744073709551615, the "big" field
#   of gen-logs.sh, becomes 18446744073709552000); jsonpipe keeps them
#   exact. No idiom computes with "big", and normalising both sides through
#   the same jq makes an untouched "big" compare equal; the fixture has no
#   "big" at all, as it is compared byte for byte.
# - jq 1.6's fromdateiso8601 does not read fractions of a second: its side
#   cuts them off (sub) and adds the milliseconds back by hand.
# - jq's ascii_downcase and ascii_upcase change ASCII letters only, so no
#   text given to lower() or upper() has a non-ASCII capital letter.
# - jq's // skips false as well as null; no field given to ?? is false.
# - jq has no integers: -0 is a value it prints, so no idiom negates a zero.
# - jq's tostring of 12.000 is "12"; to_string keeps a number's text, so
#   to_string is given integers only.
#
# REGEN_FIXTURE=1 (with jq 1.6) rewrites tests/fixtures/eval-jq.ndjson and
# eval-jq.expected from the generated records, instead of testing.
set -u
. "$(dirname "$0")/lib.sh"
JQ=${JQ:-jq}
have_jq=0
command -v "$JQ" > /dev/null 2>&1 && have_jq=1

# --- the idioms: a name, the jsonpipe program, the jq program --------------------------------------
names=() jps=() jqs=()
idiom() { names+=("$1"); jps+=("$2"); jqs+=("$3"); }

idiom "latency units" \
    'latency_s = latency_ms / 1000' \
    '.latency_s = .latency_ms / 1000'
idiom "string keys" \
    'key = service + ":" + to_string(id)' \
    '.key = .service + ":" + (.id|tostring)'
idiom "floor, round (half away from zero) and ceil" \
    'lat_floor = floor(latency_ms); lat_round = round(latency_ms / 10); d_round = round(delta); d_ceil = ceil(delta)' \
    '.lat_floor = (.latency_ms|floor) | .lat_round = (.latency_ms / 10 | round) | .d_round = (.delta|round) | .d_ceil = (.delta|ceil)'
idiom "ternary chain" \
    'sev = level == "error" ? 3 : level == "warn" ? 2 : 1' \
    '.sev = (if .level == "error" then 3 elif .level == "warn" then 2 else 1 end)'
idiom "?? over missing and null" \
    'region = region ?? "none"' \
    '.region = (.region // "none")'
idiom "len of an array and an object, join" \
    'ntags = len(tags); nuser = len(user); tagstr = join(tags, "|")' \
    '.ntags = (.tags|length) | .nuser = (.user|length) | .tagstr = (.tags|join("|"))'
idiom "regex replace into a nested field" \
    'user.domain = replace(user.email, "^.*@", "")' \
    '.user.domain = (.user.email | sub("^.*@"; ""))'
idiom "replace with \$1, and of every match" \
    'masked = replace(user.email, "^([^@])[^@]*", "$1***"); vowels = replace(msg, "[aeiou]", "_")' \
    '.masked = (.user.email | sub("^(?<a>[^@])[^@]*"; "\(.a)***")) | .vowels = (.msg | gsub("[aeiou]"; "_"))'
idiom "substr and len in code points on non-ASCII text" \
    'nlen = len(name); tlen = len(title); head = substr(name, 1, 4); mid = substr(title, 2, 5)' \
    '.nlen = (.name|length) | .tlen = (.title|length) | .head = .name[1:5] | .mid = .title[2:7]'
idiom "a regex . is a code point" \
    'initial = replace(name, "^(.).*$", "$1")' \
    '.initial = (.name | sub("^(?<c>.).*$"; "\(.c)"))'
idiom "parse_time of RFC 3339 with fractions, and without" \
    't = floor(parse_time(ts)); ms = round(parse_time(ts) * 1000); t2 = parse_time(ts2)' \
    '.t = (.ts | sub("\\.[0-9]+Z$"; "Z") | fromdateiso8601) | .ms = (.t * 1000 + (.ts[20:23]|tonumber)) | .t2 = (.ts2|fromdateiso8601)'
idiom "parse_time with a format, format_time" \
    'pt = parse_time(substr(ts2, 0, 10), "%Y-%m-%d"); when = format_time(parse_time(ts2), "%Y-%m-%d %H:%M"); iso = format_time(parse_time(ts2))' \
    '.pt = (.ts2[0:10] | strptime("%Y-%m-%d") | mktime) | .when = (.ts2 | fromdateiso8601 | strftime("%Y-%m-%d %H:%M")) | .iso = (.ts2 | fromdateiso8601 | todate)'
idiom "coalesce over missing fields" \
    'contact = coalesce(nick, alias, name)' \
    '.contact = (.nick // .alias // .name)'
idiom "lower(split(...)[0]), upper, [-1]" \
    'first = lower(split(name, " ")[0]); route = lower(split(http.path, "?")[0]); svc = upper(service); tld = split(user.email, ".")[-1]' \
    '.first = (.name | split(" ")[0] | ascii_downcase) | .route = (.http.path | split("?")[0] | ascii_downcase) | .svc = (.service|ascii_upcase) | .tld = (.user.email | split(".")[-1])'
idiom "substr of a timestamp" \
    'day = substr(ts, 0, 10)' \
    '.day = .ts[0:10]'
idiom "assignment creates missing parents" \
    'a.b.c = 1; user.geo.region = region ?? "none"' \
    '.a.b.c = 1 | .user.geo.region = (.region // "none")'
idiom "to_int of a numeric string, parse_json" \
    'code_n = to_int(code); code_j = parse_json(code)' \
    '.code_n = (.code|tonumber) | .code_j = (.code|fromjson)'
idiom "abs, min, max" \
    'd_abs = abs(delta); c_abs = abs(to_int(code)); lo = min(latency_ms, 50); hi = max(delta, 0, -1)' \
    '.d_abs = (.delta | if . < 0 then -. else . end) | .c_abs = (.code | tonumber | if . < 0 then -. else . end) | .lo = ([.latency_ms, 50]|min) | .hi = ([.delta, 0, -1]|max)'
idiom "keys (sorted, as jq gives them) of objects and arrays, max of an array" \
    'ukeys = keys(user); hkeys = join(keys(http), ","); tkeys = keys(tags); maxtag = max(tags)' \
    '.ukeys = (.user|keys) | .hkeys = (.http|keys|join(",")) | .tkeys = (.tags|keys) | .maxtag = (.tags|max)'
idiom "type of each kind of value, and of a missing field" \
    'types = type(id) + "," + type(name) + "," + type(user) + "," + type(tags) + "," + type(user.vip) + "," + type(latency_ms) + "," + type(region) + "," + type(nothing)' \
    '.types = ([(.id|type), (.name|type), (.user|type), (.tags|type), (.user.vip|type), (.latency_ms|type), (.region|type), (.nothing|type)] | join(","))'
idiom "trim, ltrim, rtrim" \
    'trimmed = trim(pad); lt = ltrim(pad); rt = rtrim(pad)' \
    '.trimmed = (.pad | sub("^[ \t]+"; "") | sub("[ \t]+$"; "")) | .lt = (.pad | sub("^[ \t]+"; "")) | .rt = (.pad | sub("[ \t]+$"; ""))'
idiom "starts_with, ends_with" \
    'v1 = starts_with(http.path, "/v1/"); com = ends_with(user.email, ".com"); mixed = starts_with(title, "été")' \
    '.v1 = (.http.path|startswith("/v1/")) | .com = (.user.email|endswith(".com")) | .mixed = (.title|startswith("été"))'
idiom "capture named groups" \
    'parts = capture(ts, "^(?<date>[0-9-]+)T(?<hour>[0-9]{2})")' \
    '.parts = (.ts | capture("^(?<date>[0-9-]+)T(?<hour>[0-9]{2})"))'
idiom "arithmetic: % and unary -, / of integers, precedence" \
    'bucket = id % 7; neg = -(latency_ms + 1); st = http.status / 100; score = (http.status - 200) * 2 + id % 3 * -1' \
    '.bucket = (.id % 7) | .neg = -(.latency_ms + 1) | .st = (.http.status / 100) | .score = ((.http.status - 200) * 2 + .id % 3 * -1)'
idiom "to_json of an object" \
    'uj = to_json(user)' \
    '.uj = (.user|tojson)'
idiom "a later statement sees an earlier one; a field replaced where it stands" \
    'x2 = latency_ms * 2; x3 = x2 + 1; level = upper(level); http.status = http.status + 1' \
    '.x2 = .latency_ms * 2 | .x3 = .x2 + 1 | .level = (.level|ascii_upcase) | .http.status += 1'

# --filter EXPR against select(EXPR).
fnames=() fjps=() fjqs=()
filter_idiom() { fnames+=("$1"); fjps+=("$2"); fjqs+=("$3"); }
filter_idiom "functions in a filter" \
    'len(tags) > 1 && (level == "warn" || level == "error") && latency_ms > 50' \
    'select((.tags|length) > 1 and (.level == "warn" or .level == "error") and .latency_ms > 50)'
filter_idiom "?? in a filter" \
    '(region ?? "none") == "none" && ends_with(user.email, ".org")' \
    'select((.region // "none") == "none" and (.user.email|endswith(".org")))'
filter_idiom "in, =~ and arithmetic in a filter" \
    'service in ["api", "auth"] && name =~ "^[A-Z]" && id % 4 == 1' \
    'select((.service == "api" or .service == "auth") and (.name|test("^[A-Z]")) and .id % 4 == 1)'

# The eval idioms as one program each side, in the same order.
all_jp=$(printf '%s; ' "${jps[@]}")
all_jq=$(printf '%s | ' "${jqs[@]}")
all_jq=${all_jq% | }

# --- the records ---------------------------------------------------------------------------------
# gen-logs.sh's records, with the fields the idioms need: emails of several
# domains (one with two @), tags of 0 to 3 items, a region that is a
# string, null or missing, nick and alias for coalesce, a numeric string,
# a signed number, text with spaces and tabs around it, text with
# combining marks, an emoji and CJK, empty and nested objects, and a
# timestamp without fractions.
"$(dirname "$0")/gen-logs.sh" 8M | head -n 20000 | awk '{
    n = NR;
    split("example.com|mail.example.org|bücher.de|x@corp.io|EXAMPLE.NET", dom, "|");
    sub(/@example\.com"/, "@" dom[n % 5 + 1] "\"");
    split("[]|[\"a\"]|[\"a\",\"prod\"]|[\"x\",\"ü\",\"z\"]", tg, "|");
    sub(/"tags":\["a","prod"\]/, "\"tags\":" tg[n % 4 + 1]);
    extra = "";
    if (n % 3 == 1) extra = extra ",\"region\":\"eu-west-1\"";
    if (n % 3 == 2) extra = extra ",\"region\":null";
    if (n % 5 == 0) extra = extra ",\"nick\":\"nick" n "\"";
    if (n % 7 == 0) extra = extra ",\"alias\":\"al" n "\"";
    if (n % 7 == 1) extra = extra ",\"alias\":null";
    extra = extra sprintf(",\"code\":\"%d\"", (n * 37) % 20001 - 10000);
    extra = extra sprintf(",\"delta\":%g", (n % 11 - 5) * 1.25);
    split("  padded  |\\tZoë \\t|none|x ", pd, "|");
    extra = extra ",\"pad\":\"" pd[n % 4 + 1] "\"";
    split("été 😀 日本語 e\xcc\x81|ab|Ωmega", tt, "|");
    extra = extra ",\"title\":\"" tt[n % 3 + 1] "\"";
    extra = extra (n % 2 ? ",\"meta\":{}" : ",\"meta\":{\"k\":{\"z\":null},\"e\":{}}");
    extra = extra sprintf(",\"ts2\":\"2026-%02d-%02dT%02d:%02d:%02dZ\"", 1 + n % 12, 1 + n % 28, n % 24, (n * 13) % 60, (n * 17) % 60);
    $0 = substr($0, 1, length($0) - 1) extra "}";
    print }' > "$T/in"

if [ "${REGEN_FIXTURE:-}" = 1 ]; then
    # 50 records without "big", as jq writes them, and jq's output for them.
    grep -v '"big"' "$T/in" | head -n 50 | "$JQ" -c . > "$FIXTURES/eval-jq.ndjson"
    "$JQ" -c "$all_jq" "$FIXTURES/eval-jq.ndjson" > "$FIXTURES/eval-jq.expected"
    echo "wrote $FIXTURES/eval-jq.ndjson and eval-jq.expected with $("$JQ" --version)"
    exit 0
fi

# --- the fixture, without jq: byte for byte, else value by value -----------------------------------
"$JP" --eval "$all_jp" "$FIXTURES/eval-jq.ndjson" > "$T/fx.out" 2> "$T/fx.err"
rc=$?
fixture_values() {
    cmp -s "$T/fx.out" "$FIXTURES/eval-jq.expected" && return 0
    # Not the same bytes: the same values? Each pair of lines becomes one
    # record that --filter keeps when they differ (its == compares values).
    lines "$T/fx.out" "$(wc -l < "$FIXTURES/eval-jq.expected")" || return 1
    awk 'NR == FNR { got[FNR] = $0; next } { print "{\"got\":" got[FNR] ",\"want\":" $0 "}" }' \
        "$T/fx.out" "$FIXTURES/eval-jq.expected" > "$T/fx.pairs"
    "$JP" --filter 'got != want' "$T/fx.pairs" > "$T/fx.diff" 2>&1 || return 1
    [ -s "$T/fx.diff" ] && { head -n 2 "$T/fx.diff" | sed 's/^/#   /'; return 1; }
    echo "#   (the same values in other bytes)"
}
check "all ${#names[@]} idioms in one --eval on the fixture give jq's output" eval \
    'rc_is $rc 0 && fixture_values || { head -n 3 "$T/fx.err" | sed "s/^/#   /"; false; }'

if [ "$have_jq" = 0 ]; then
    [ -n "${CI:-}" ] && not_ok "jq is needed with CI set" "no $JQ on PATH"
    if [ "$fail" -ne 0 ]; then finish; exit; fi
    echo "$pass passed, $fail failed"
    echo "SKIP: no $JQ, so only the fixture was compared"
    exit 77
fi
echo "# jq: $("$JQ" --version)"

# The fixture's expected output is still what this jq makes of it.
"$JQ" -S -c "$all_jq" "$FIXTURES/eval-jq.ndjson" > "$T/fx.jq"
"$JQ" -S -c . "$FIXTURES/eval-jq.expected" > "$T/fx.want"
check "eval-jq.expected is $JQ's output for eval-jq.ndjson" same "$T/fx.jq" "$T/fx.want"

# --- value by value against jq -----------------------------------------------------------------------
# compare NAME JQ_PROGRAM JSONPIPE_ARGS...: the same values, line by line,
# and jsonpipe rejects nothing; else prints the first record that differs.
compare() {
    local name=$1 prog=$2 rc n; shift 2
    if ! "$JQ" -S -c "$prog" "$T/in" > "$T/jq.out" 2> "$T/jq.err"; then
        not_ok "$name" "jq failed: $(head -c 300 "$T/jq.err")"
        return
    fi
    "$JP" "$@" "$T/in" > "$T/jp.raw" 2> "$T/jp.err"
    rc=$?
    "$JQ" -S -c . "$T/jp.raw" > "$T/jp.out" 2> "$T/jp.norm.err"
    if [ "$rc" -eq 0 ] && cmp -s "$T/jq.out" "$T/jp.out"; then
        ok "$name"
        return
    fi
    n=$(awk 'NR == FNR { want[FNR] = $0; nwant = FNR; next }
             { got = FNR } want[FNR] != $0 { print FNR; found = 1; exit }
             END { if (!found) print (got < nwant ? got + 1 : nwant + 1) }' "$T/jq.out" "$T/jp.out")
    local want got fields
    want=$(sed -n "${n}p" "$T/jq.out")
    got=$(sed -n "${n}p" "$T/jp.out")
    # The top-level fields whose values differ, each with both values.
    fields=$("$JQ" -n -c --argjson a "${want:-null}" --argjson b "${got:-null}" \
        'if ($a|type) == "object" and ($b|type) == "object" then [($a, $b) | keys[]] | unique
         | map(select($a[.] != $b[.]) | {(.): {jq: $a[.], jsonpipe: $b[.]}}) | add else null end' \
        2> /dev/null)
    [ "$fields" = null ] && fields="(jsonpipe wrote no record there)"
    not_ok "$name" "jsonpipe $* (exit $rc; $(wc -l < "$T/jp.raw") records, jq $(wc -l < "$T/jq.out"))" \
        "first difference at output line $n; input line $n: $(sed -n "${n}p" "$T/in")" \
        "differing fields: ${fields:-?}" \
        "jq:       $want" \
        "jsonpipe: $(sed -n "${n}p" "$T/jp.raw")" \
        "jsonpipe stderr: $(cat "$T/jp.err" "$T/jp.norm.err" | head -n 2 | tr '\n' ' ' | head -c 400)"
}

records=$(wc -l < "$T/in")
check "the generator made 20000 records" [ "$records" -eq 20000 ]

# All eval idioms in one run; when they differ, one run each to tell which.
compare "all ${#names[@]} idioms in one --eval, on $records records" "$all_jq" --eval "$all_jp"
if [ "$fail" -eq 0 ]; then
    for i in "${!names[@]}"; do ok "idiom: ${names[$i]} (in the run of all)"; done
else
    for i in "${!names[@]}"; do compare "idiom: ${names[$i]}" "${jqs[$i]}" --eval "${jps[$i]}"; done
fi
for i in "${!fnames[@]}"; do compare "filter: ${fnames[$i]}" "${fjqs[$i]}" --filter "${fjps[$i]}"; done

# --- --explode and --flatten against their jq definitions (when jsonpipe has them) ---------------
if "$JP" --help 2>&1 | grep -q -- --explode; then
    compare "--explode tags is .tags[] as \$t | .tags = \$t" '.tags[] as $t | .tags = $t' --explode tags
    "$JP" --help 2>&1 | grep -q -- --eval && compare "--explode tags then --eval sees each element" \
        '.tags[] as $t | .tags = $t | .tag_len = (.tags|length)' --explode tags --eval 'tag_len = len(tags)'
else
    echo "ok - --explode against jq # SKIP this jsonpipe has no --explode"
fi
if "$JP" --help 2>&1 | grep -q -- --flatten; then
    # Nested non-empty objects become their leaves' keys joined by SEP;
    # arrays and empty objects stay values.
    flat='def fl($p; $s): reduce (to_entries[]) as $e ({};
            if ($e.value|type) == "object" and ($e.value|length) > 0
            then . + ($e.value | fl($p + $e.key + $s; $s)) else . + {($p + $e.key): $e.value} end);'
    compare "--flatten is its jq definition" "$flat fl(\"\"; \".\")" --flatten
    compare "--flatten=_ joins with _" "$flat fl(\"\"; \"_\")" --flatten=_
else
    echo "ok - --flatten against jq # SKIP this jsonpipe has no --flatten"
fi

finish
