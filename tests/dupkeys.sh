#!/bin/bash
# dupkeys.sh: duplicate keys under every processor (DUPLICATE KEYS in
# jsonpipe(1)). A read sees the last copy of a key, and below a duplicated
# parent only the last parent; an edit leaves no other copy of its field, at
# the top, nested, under duplicated parents, with three or more copies and
# with keys spelled with different escapes. Ends with a randomized check
# over generated records.
set -u
. "$(dirname "$0")/lib.sh"

sha() { printf %s "$1" | sha256sum | cut -c1-64; }
md5() { printf %s "$1" | md5sum | cut -c1-32; }

# dk NAME INPUT WANT_OUT WANT_RC ARGS...: one line of INPUT, taken as it is
# (no printf escapes, so \u0061 stays an escape), through jsonpipe ARGS
# gives exactly WANT_OUT (one line, or nothing when empty) and WANT_RC.
dk() {
    local name=$1 input=$2 want=$3 want_rc=$4; shift 4
    printf '%s\n' "$input" | "$JP" "$@" > "$T/out" 2> "$T/stderr"
    local rc=$?
    if [ -n "$want" ]; then printf '%s\n' "$want" > "$T/want"; else : > "$T/want"; fi
    check "$name" eval 'rc_is $rc $want_rc && same "$T/out" "$T/want"'
}

# dk_err NAME INPUT REASON ARGS...: the record is rejected (exit 1), nothing
# is written, and stderr gives REASON.
dk_err() {
    local name=$1 input=$2 reason=$3; shift 3
    printf '%s\n' "$input" | "$JP" "$@" > "$T/out" 2> "$T/stderr"
    local rc=$?
    check "$name" eval 'rc_is $rc 1 && [ ! -s "$T/out" ] && has "$T/stderr" "$reason"'
}

# --- top level: {"tok":"a","n":1,"tok":"b"} -----------------------------------------
top='{"tok":"a","n":1,"tok":"b"}'
dk "top: --delete removes every copy" "$top" '{"n":1}' 0 --delete tok
dk "top: --hash hashes the last copy, the earlier one goes" "$top" \
    "{\"n\":1,\"tok\":\"$(sha b)\"}" 0 --hash tok
dk "top: --set replaces the last copy where it stands" "$top" '{"n":1,"tok":"x"}' 0 --set tok=x
dk "top: --set := with an object" "$top" '{"n":1,"tok":{"k":[1]}}' 0 --set 'tok:={"k":[1]}'
dk "top: --rename renames the last copy" "$top" '{"n":1,"t":"b"}' 0 --rename tok=t
dk "top: --rename onto a duplicated key removes every copy of it" "$top" '{"tok":1}' 0 \
    --rename n=tok
dk "top: --rename to another parent moves the last copy" "$top" '{"n":1,"x":{"t":"b"}}' 0 \
    --rename tok=x.t
dk "top: --rename a field onto itself leaves one copy" "$top" '{"n":1,"tok":"b"}' 0 \
    --rename tok=tok
dk "top: --select writes the field once, the last copy" "$top" '{"tok":"b","n":1}' 0 \
    --select tok,n
dk "top: --meta sets the field once" "$top" '{"n":1,"tok":1}' 0 --meta tok=line
printf '%s\n' "$top" | "$JP" --timestamp tok=epoch_ms --uuid n > "$T/out"
check "top: --timestamp and --uuid set their fields once" \
    grep -qE '^\{"n":"[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}","tok":[0-9]+\}$' "$T/out"
dk "top: --require sees the key" "$top" "$top" 0 --require tok
dk "top: --types reads the last copy (a string)" '{"tok":1,"tok":"b"}' '{"tok":1,"tok":"b"}' 0 \
    --types tok=string
dk_err "top: --types rejects when the last copy is mistyped" '{"tok":"a","tok":1}' \
    'field \"tok\" is a number, expected string' --types tok=string -e /dev/stderr
dk "top: --filter reads the last copy" "$top" "$top" 0 --filter 'tok == "b"'
dk "top: --filter does not see an earlier copy" "$top" '' 0 --filter 'tok == "a"'
dk "top: --hash then --select" "$top" "{\"tok\":\"$(sha b)\"}" 0 --hash tok --select tok
dk "top: blanks around the removed copies stay tidy" '{ "tok" : "a" , "n":1, "tok":"b" }' \
    '{ "n":1 }' 0 --delete tok
dk "top: keys no processor edits keep their duplicates" '{"tok":"a","z":1,"z":2,"tok":"b"}' \
    '{"z":1,"z":2}' 0 --delete tok

# --- three copies and more -----------------------------------------------------------
three='{"k":1,"k":2,"x":0,"k":3,"k":{"s":"t"},"k":"last"}'
dk "five copies: --delete" "$three" '{"x":0}' 0 --delete k
dk "five copies: --hash md5" "$three" "{\"x\":0,\"k\":\"$(md5 last)\"}" 0 --hash k=md5
dk "five copies: --set" "$three" '{"x":0,"k":"4"}' 0 --set k=4
dk "five copies: --rename" "$three" '{"x":0,"j":"last"}' 0 --rename k=j
dk "five copies: --select" "$three" '{"k":"last"}' 0 --select k
dk "five copies: --filter" "$three" "$three" 0 --filter 'k == "last"'
dk_err "five copies: --hash judges the last copy only" '{"k":"a","k":"b","k":[1]}' \
    'cannot hash \"k\": it is an array' --hash k -e /dev/stderr
dk "three copies of a number: --hash" '{"n":10,"n":20,"n":30}' "{\"n\":\"$(sha 30)\"}" 0 --hash n

# --- keys spelled with escapes are the same key ----------------------------------------
esc='{"tok":"a","t\u006fk":"b","\u0074\u006F\u006b":"c"}'
dk "escapes: --delete removes every spelling" "$esc" '{}' 0 --delete tok
dk "escapes: --hash keeps the last copy's spelling" "$esc" "{\"\\u0074\\u006F\\u006b\":\"$(sha c)\"}" 0 \
    --hash tok
dk "escapes: --set" "$esc" '{"\u0074\u006F\u006b":"x"}' 0 --set tok=x
dk "escapes: --select" "$esc" '{"tok":"c"}' 0 --select tok
dk "escapes: --filter" "$esc" "$esc" 0 --filter 'tok == "c"'
dk "escapes: --rename" "$esc" '{"t":"c"}' 0 --rename tok=t
dk "escapes: nested" '{"\u0075":{"m":"a"},"u":{"\u006d":"b"}}' \
    "{\"\\u0075\":{},\"u\":{\"\\u006d\":\"$(sha b)\"}}" 0 --hash u.m

# --- nested: {"u":{"m":"a"},"u":{"m":"b"}} ------------------------------------------------
nest='{"u":{"m":"a"},"u":{"m":"b"}}'
dk "nested: --delete removes m from every u" "$nest" '{"u":{},"u":{}}' 0 --delete u.m
dk "nested: --hash leaves no clear copy in an earlier parent" "$nest" \
    "{\"u\":{},\"u\":{\"m\":\"$(sha b)\"}}" 0 --hash u.m
dk "nested: --set" "$nest" '{"u":{},"u":{"m":"x"}}' 0 --set u.m=x
dk "nested: --rename in place" '{"u":{"m":"a","n":0},"u":{"m":"b"}}' '{"u":{},"u":{"n":"b"}}' 0 \
    --rename u.m=u.n
dk "nested: --rename elsewhere" "$nest" '{"u":{},"u":{},"top":"b"}' 0 --rename u.m=top
dk "nested: --select reads the last parent" '{"u":{"m":"a","z":1},"u":{"m":"b"}}' \
    '{"u":{"m":"b"}}' 0 --select u.m,u.z
dk "nested: --select of the parent copies the last copy whole" '{"u":{"m":"a"},"u":{"m":"b","m":"c"}}' \
    '{"u":{"m":"b","m":"c"}}' 0 --select u
dk "nested: other members of an earlier parent stay" '{"u":{"m":"a","z":1},"u":{"m":"b"}}' \
    '{"u":{"z":1},"u":{}}' 0 --delete u.m
dk "nested: duplicates inside the last parent" '{"u":{"m":"a","m":"b"},"x":1}' \
    "{\"u\":{\"m\":\"$(sha b)\"},\"x\":1}" 0 --hash u.m
dk "nested: --filter reads the last parent" "$nest" "$nest" 0 --filter 'u.m == "b"'
dk "nested: --filter does not see an earlier parent" "$nest" '' 0 --filter 'u.m == "a"'
dk "nested: --types reads the last parent" '{"u":{"m":1},"u":{"m":"b"}}' '{"u":{"m":1},"u":{"m":"b"}}' 0 \
    --types u.m=string

# A field is missing when the last parent lacks it, whatever an earlier one holds.
gone='{"u":{"m":"a@x.io"},"u":{"x":1}}'
dk_err "missing in the last parent: --require rejects" "$gone" 'missing field \"u.m\"' \
    --require u.m -e /dev/stderr
dk_err "missing in the last parent: --types rejects" "$gone" 'missing field \"u.m\" (expected string)' \
    --types u.m=string -e /dev/stderr
dk "missing in the last parent: --filter exists() is false" "$gone" '' 0 --filter 'exists(u.m)'
dk "missing in the last parent: --hash still removes the clear copy" "$gone" '{"u":{},"u":{"x":1}}' 0 \
    --hash u.m
dk "missing in the last parent: --set adds it to the last parent" "$gone" \
    '{"u":{},"u":{"x":1,"m":"x"}}' 0 --set u.m=x
dk "missing in the last parent: --select leaves it out" "$gone" '{"u":{}}' 0 --select u.m
dk "missing in the last parent: --rename removes the earlier copy" "$gone" '{"u":{},"u":{"x":1}}' 0 \
    --rename u.m=u.n
dk "the last parent is a string: --hash removes the earlier copy" '{"u":{"m":"a"},"u":"s"}' \
    '{"u":{},"u":"s"}' 0 --hash u.m
dk_err "the last parent is a string: --set rejects" '{"u":{"m":"a"},"u":"s"}' \
    'cannot set \"u.m\": \"u\" is a string' --set u.m=x -e /dev/stderr
dk "an earlier copy that is an object goes whole" '{"acct":{"mail":{"x":"p@q.io"}},"acct":{"mail":"r@s.io"}}' \
    "{\"acct\":{},\"acct\":{\"mail\":\"$(sha r@s.io)\"}}" 0 --hash acct.mail
dk "--set of the duplicated parent itself" "$nest" '{"u":{"m":"x"}}' 0 --set 'u:={"m":"x"}'
dk "--delete of the duplicated parent" '{"u":{"m":"a"},"k":0,"u":{"m":"b"}}' '{"k":0}' 0 --delete u

# --- deep: duplicates at every level ------------------------------------------------
deep='{"a":{"b":{"c":1}},"a":{"b":{"c":2},"b":{"c":3,"c":4}}}'
dk "deep: --delete" "$deep" '{"a":{"b":{}},"a":{"b":{},"b":{}}}' 0 --delete a.b.c
dk "deep: --hash" "$deep" "{\"a\":{\"b\":{}},\"a\":{\"b\":{},\"b\":{\"c\":\"$(md5 4)\"}}}" 0 --hash a.b.c=md5
dk "deep: --set" "$deep" '{"a":{"b":{}},"a":{"b":{},"b":{"c":"x"}}}' 0 --set a.b.c=x
dk "deep: --select" "$deep" '{"a":{"b":{"c":4}}}' 0 --select a.b.c
dk "deep: --filter" "$deep" "$deep" 0 --filter 'a.b.c == 4 && !(a.b.c == 1)'
dk "deep: --hash then --delete of the parent" "$deep" '{}' 0 --hash a.b.c --delete a

# --- --schema judges the last copy ---------------------------------------------------
cat > "$T/s.json" <<'JSON'
{"type": "object",
 "properties": {
   "tok": {"type": "string"},
   "u": {"type": "object", "properties": {"m": {"type": "string"}}},
   "c": {"const": {"m": "b"}},
   "arr": {"type": "array", "items": {"type": "object", "properties": {"k": {"type": "string"}}}},
   "set": {"uniqueItems": true}
 },
 "required": ["tok"]}
JSON
dk "--schema: passes when the last copy is right" \
    '{"tok":1,"tok":"b","u":{"m":1,"m":"b"},"arr":[{"k":1,"k":"s"}]}' \
    '{"tok":1,"tok":"b","u":{"m":1,"m":"b"},"arr":[{"k":1,"k":"s"}]}' 0 --schema "$T/s.json"
dk_err "--schema: the last copy is checked (top)" '{"tok":"b","tok":1}' \
    '/tok: \"type\": expected string, got a number' --schema "$T/s.json" -e /dev/stderr
dk_err "--schema: the last copy is checked (nested)" '{"tok":"b","u":{"m":"b"},"u":{"m":1}}' \
    '/u/m: \"type\": expected string, got a number' --schema "$T/s.json" -e /dev/stderr
dk_err "--schema: the last copy is checked (in an array of objects)" '{"tok":"b","arr":[{"k":"s","k":1}]}' \
    '/arr/0/k: \"type\": expected string, got a number' --schema "$T/s.json" -e /dev/stderr
dk "--schema: a key counts once (const, escaped copies)" '{"tok":"b","c":{"m":"a","\u006d":"b"}}' \
    '{"tok":"b","c":{"m":"a","\u006d":"b"}}' 0 --schema "$T/s.json"
dk_err "--schema: const sees the last copy only" '{"tok":"b","c":{"m":"b","\u006d":"a"}}' \
    '/c: \"const\"' --schema "$T/s.json" -e /dev/stderr
dk_err "--schema: objects equal as read are not unique" '{"tok":"b","set":[{"a":1,"a":2},{"a":2}]}' \
    '/set: \"uniqueItems\"' --schema "$T/s.json" -e /dev/stderr
dk "--schema: required sees an escaped copy" '{"\u0074ok":"b"}' '{"\u0074ok":"b"}' 0 \
    --schema "$T/s.json"

# The schema's own const and enum values read the same way: their last copy.
cat > "$T/v.json" <<'JSON'
{"properties": {
   "c": {"const": {"m": "a", "m": "b"}},
   "e": {"enum": [1, [{"k": {"x": 1}, "\u006b": {"x": 2, "x": 3}}], {"n": null, "n": true}]}}}
JSON
dk "--schema: a const object with a key twice is its last copy" '{"c":{"m":"b"}}' '{"c":{"m":"b"}}' 0 \
    --schema "$T/v.json"
dk "... and equals a record with the same copies" '{"c":{"m":"a","m":"b"}}' '{"c":{"m":"a","m":"b"}}' 0 \
    --schema "$T/v.json"
dk_err "... not its shadowed copy" '{"c":{"m":"a"}}' '/c: \"const\": value differs' \
    --schema "$T/v.json" -e /dev/stderr
dk "--schema: an enum value nested in an array, keys escaped, is its last copies" \
    '{"e":[{"k":{"x":3}}]}' '{"e":[{"k":{"x":3}}]}' 0 --schema "$T/v.json"
dk "... at the top of the list too" '{"e":{"n":true}}' '{"e":{"n":true}}' 0 --schema "$T/v.json"
dk_err "... not a shadowed copy (nested)" '{"e":[{"k":{"x":1}}]}' '/e: \"enum\"' \
    --schema "$T/v.json" -e /dev/stderr
dk_err "... not a shadowed copy (top)" '{"e":{"n":null}}' '/e: \"enum\"' --schema "$T/v.json" -e /dev/stderr

# --- randomized: generated records, checked with grep --------------------------------
# Every value of tok and u.mail is a unique secret s<record>_<copy>; other
# values are f<...>. tok comes 0-4 times, spelled three ways, and u 1-3
# times with 0-3 mails each; the last u sometimes lacks mail or is a string.
RANDOM=11
spell() { case $((RANDOM % 3)) in 0) printf '"%s"' "$1" ;; 1) printf '"\\u00%x%s"' "'${1:0:1}" "${1:1}" ;;
    *) printf '"%s\\u00%x"' "${1:0:${#1}-1}" "'${1: -1}" ;; esac; }
records=300
for ((i = 1; i <= records; i++)); do
    line='{' sep='' c=0
    for ((j = RANDOM % 5; j > 0; j--)); do
        line+="$sep$(spell tok):\"s${i}_$((c++))\"" sep=','
        ((RANDOM % 2)) && line+=",\"f$j\":\"f${i}_$j\""
    done
    for ((p = RANDOM % 3 + 1; p > 0; p--)); do
        if ((p == 1 && RANDOM % 6 == 0)); then
            line+="$sep\"u\":\"f${i}_u\""
        else
            u='' usep=''
            for ((m = RANDOM % 4; m > 0; m--)); do
                u+="$usep$(spell mail):\"s${i}_$((c++))\"" usep=','
                ((RANDOM % 3)) || { u+=",\"g\":$RANDOM"; }
            done
            line+="$sep\"u\":{$u}"
        fi
        sep=','
    done
    printf '%s}\n' "$line"
done > "$T/random.ndjson"
keys='"(tok|\\u0074ok|to\\u006b|mail|\\u006dail|mai\\u006c)"'
secrets=$(grep -oE '"s[0-9]+_[0-9]+"' "$T/random.ndjson" | wc -l)
check "randomized: the generated records hold duplicates and secrets" \
    eval '[ "$secrets" -gt 600 ] && grep -qE "\"u\":\{[^}]*\},\"u\":" "$T/random.ndjson"'

"$JP" --delete tok,u.mail "$T/random.ndjson" > "$T/out"
rc=$?
check "randomized: --delete leaves no copy of tok or u.mail" \
    eval 'rc_is $rc 0 && lines "$T/out" $records && ! grep -qE "$keys|\"s[0-9]" "$T/out"'

"$JP" --hash tok --hash u.mail "$T/random.ndjson" > "$T/out"
rc=$?
check "randomized: --hash leaves no original value, and each field at most once" \
    eval 'rc_is $rc 0 && lines "$T/out" $records && ! grep -q "\"s[0-9]" "$T/out" &&
          ! grep -qE "$keys.*$keys" <(sed "s/\"u\":/\n/g" "$T/out")'
# Where a record's last copy of tok is s<i>_<n>, its digest is what is left.
n=0 bad=0
while IFS= read -r want && IFS= read -r got <&3; do
    n=$((n + 1))
    last=$(grep -oE '(tok|\\u0074ok|to\\u006b)":"s[0-9]+_[0-9]+' <<< "$want" | tail -1 | grep -oE 's[0-9]+_[0-9]+')
    if [ -n "$last" ]; then
        grep -qE "(tok|\\\\u0074ok|to\\\\u006b)\":\"$(sha "$last")\"" <<< "$got" || bad=$((bad + 1))
    fi
done < "$T/random.ndjson" 3< "$T/out"
check "randomized: --hash of tok is the digest of its last copy ($n records)" \
    eval '[ $n -eq $records ] && [ $bad -eq 0 ]'

"$JP" --set tok=new --set u.mail=new "$T/random.ndjson" -e "$T/err" > "$T/out"
rc=$?
strings=$(grep -c '"u":"f' "$T/random.ndjson")
check "randomized: --set leaves one copy, new, or rejects a string parent" \
    eval '[ $rc -eq 0 -o $rc -eq 1 ] && [ $(($(wc -l < "$T/out") + $(wc -l < "$T/err"))) -eq $records ] &&
          [ $(wc -l < "$T/err") -le $strings ] && ! grep -q "\"s[0-9]" "$T/out" &&
          [ $(grep -oE "$keys:\"new\"" "$T/out" | wc -l) -eq $((2 * $(wc -l < "$T/out"))) ]'
for chain in "--delete tok" "--hash u.mail" "--set u.mail=new --rename tok=t --select t,u.mail" \
    "--filter u.mail!=\"x\"" "--types u=object --delete u.g"; do
    "$JP" -j 1 $chain "$T/random.ndjson" -e "$T/e1" > "$T/o1" 2> /dev/null
    "$JP" -j 2 --batch-size 4K $chain "$T/random.ndjson" -e "$T/e2" > "$T/o2" 2> /dev/null
    check "randomized: $chain: -j 2 in 4K batches writes what -j 1 does" \
        eval 'same "$T/o1" "$T/o2" && same "$T/e1" "$T/e2" && [ $(($(wc -l < "$T/o1") + $(wc -l < "$T/e1"))) -le $records ] && [ -s "$T/o1" -o -s "$T/e1" ]'
done
finish
