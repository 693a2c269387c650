#!/bin/bash
# formats.sh: --to csv and --to tsv end to end. Tricky strings parsed back
# cell by cell (Python's csv module; TSV's escapes decoded) equal the
# records; the same bytes for any -j and batch size; the header rule and
# its columns (first record, --select with dotted paths); every rejection,
# told on stderr and as error records; compressed output; --no-header and
# --crlf; empty output; --stats counting rows, not lines; usage errors.
set -u
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1
TRICKY=$FIXTURES/tricky.ndjson
COLUMNS=id,s,n,b,z,a,o

# --- 1. parsed back, cell by cell ------------------------------------------------------------
# parsed_back FORMAT FILE COLUMNS NDJSON: FILE's header is COLUMNS and each
# row holds, cell by cell, what the record of NDJSON at that place holds:
# strings decoded, numbers as written, true, false, null and missing as an
# empty cell, arrays and objects as JSON text of the same value.
parsed_back() {
    python3 - "$@" << 'EOF'
import csv, json, sys

kind, path, columns, ndjson = sys.argv[1], sys.argv[2], sys.argv[3].split(","), sys.argv[4]
def number(text):
    return ("number", text)  # as written, never converted
def load(text):
    return json.loads(text, parse_int=number, parse_float=number, parse_constant=number)

def cell(value):
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, tuple):
        return value[1]
    if isinstance(value, str):
        return value
    return value  # an array or object: compared as a value

def tsv_rows(data):
    unescape = {"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}
    for line in data.split("\n")[:-1]:
        cells = []
        for raw in line.split("\t"):
            out, i = [], 0
            while i < len(raw):
                if raw[i] == "\\":
                    out.append(unescape[raw[i + 1]])
                    i += 2
                else:
                    out.append(raw[i])
                    i += 1
            cells.append("".join(out))
        yield cells

with open(path, newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f)) if kind == "csv" else list(tsv_rows(f.read()))
records = [load(line) for line in open(ndjson, encoding="utf-8")]
if rows[0] != columns:
    sys.exit("header %r, expected %r" % (rows[0], columns))
if len(rows) - 1 != len(records):
    sys.exit("%d rows for %d records" % (len(rows) - 1, len(records)))
for n, (row, rec) in enumerate(zip(rows[1:], records), 1):
    if len(row) != len(columns):
        sys.exit("row %d has %d cells: %r" % (n, len(row), row))
    for name, got in zip(columns, row):
        want = cell(rec.get(name))
        if isinstance(want, (list, dict)):
            if load(got) != want:
                sys.exit("row %d, %s: %r is not the JSON of %r" % (n, name, got, want))
        elif got != want:
            sys.exit("row %d, %s: %r, expected %r" % (n, name, got, want))
EOF
}

if command -v python3 > /dev/null; then
    for kind in csv tsv; do
        "$JP" --to $kind --select "$COLUMNS" "$TRICKY" > "select.$kind"
        rc=$?
        check "$kind: tricky strings parsed back equal the records (--select columns)" \
            eval 'rc_is $rc 0 && parsed_back $kind "select.$kind" "$COLUMNS" "$TRICKY"'
        "$JP" --delete a,o "$TRICKY" > trimmed.ndjson
        "$JP" --to $kind trimmed.ndjson > "out.$kind"
        rc=$?
        check "$kind: tricky strings parsed back equal the records (the first record's keys)" \
            eval 'rc_is $rc 0 && parsed_back $kind "out.$kind" id,s,n,b,z trimmed.ndjson'
        "$JP" --to $kind --crlf --select "$COLUMNS" "$TRICKY" > "crlf.$kind"
        if [ $kind = csv ]; then
            check "csv --crlf parsed back the same" parsed_back csv crlf.csv "$COLUMNS" "$TRICKY"
        else
            check "tsv --crlf is the LF output with CR before each LF" \
                eval 'sed "s/\$/\r/" select.tsv > want.crlf; cmp -s crlf.tsv want.crlf'
        fi
    done
else
    echo "# SKIP: no python3, so CSV and TSV output is not parsed back (the exact-byte tests still run)"
fi

# --- 2. exact bytes -----------------------------------------------------------------------------
expect "csv: every kind of cell" \
    '{"s":"x","i":-0.0,"big":18446744073709551617,"e":1e400,"t":true,"f":false,"z":null,"a":[1, "x,y"],"o":{"k":"v"}}\n' \
    's,i,big,e,t,f,z,a,o\nx,-0.0,18446744073709551617,1e400,true,false,,"[1, ""x,y""]","{""k"":""v""}"\n' 0 --to csv
expect "tsv: every kind of cell" \
    '{"s":"x\\ty","i":-0.0,"z":null,"a":["\\\\",1],"e":""}\n' \
    's\ti\tz\ta\te\nx\\ty\t-0.0\t\t["\\\\\\\\",1]\t\n' 0 --to tsv
expect "csv: quotes for , \" CR LF and an empty string, not for spaces" \
    '{"a":"1,2","b":"say \\"hi\\"","c":"cr\\rx","d":"lf\\nx","e":"","f":"  pad  "}\n' \
    'a,b,c,d,e,f\n"1,2","say ""hi""","cr\rx","lf\nx","",  pad  \n' 0 --to csv
expect "header names are quoted and escaped like cells" \
    '{"x,y":1,"q\\"":2,"t\\tab":3,"":4}\n' '"x,y","q""",t\tab,""\n1,2,3,4\n' 0 --to csv
expect "tsv header names are escaped" '{"t\\tab":1,"n\\nl":2}\n' 't\\tab\tn\\nl\n1\t2\n' 0 --to tsv
expect "the last copy of a duplicated key wins; the header lists it once" \
    '{"a":1,"b":2,"a":3}\n{"b":4,"a":5,"b":6}\n' 'a,b\n3,2\n5,6\n' 0 --to csv
expect "a record may lack columns: empty cells" '{"a":1,"b":2}\n{"b":3}\n{}\n' \
    'a,b\n1,2\n,3\n,\n' 0 --to csv
expect "csv: a row of one empty cell is \"\", not a blank line a reader would skip" \
    '{"a":"x"}\n{"a":null}\n{}\n{"a":""}\n' 'a\nx\n""\n""\n""\n' 0 --to csv
expect "csv: a header of one empty name is \"\" too" '{"":1}\n{"":null}\n' '""\n1\n""\n' 0 --to csv
expect "tsv: one empty cell stays empty (no quoting in TSV)" '{"a":null}\n' 'a\n\n' 0 --to tsv
expect "a first record {} fixes no columns: its rows are empty, a later key is refused" \
    '{}\n{}\n{"a":1}\n' '\n\n\n' 1 --to csv
check "... and the refused record is named with its key" \
    has "$T/stderr" 'jsonpipe: <stdin>:3: "a" is not a CSV column (the columns are the first record'"'"'s keys)'
expect "{} after non-objects, into split TSV files: no crash, the key refused" \
    '[]\n{}\n{"a":1}\n' '' 1 --to tsv -o "$T/empty-cols/{a}.tsv"
expect "a byte order mark is not part of the first key" '\xef\xbb\xbf{"a":1}\n' 'a\n1\n' 0 --to csv
expect "--to ndjson is the default" '{"a":1}\n[2]\n' '{"a":1}\n[2]\n' 0 --to ndjson
expect "--crlf ends rows, header too, in CR LF" '{"a":"x\\ny"}\n{"a":2}\n' \
    'a\r\n"x\ny"\r\n2\r\n' 0 --to csv --crlf
expect "--no-header: values only" '{"a":1,"b":"x"}\n{"a":2}\n' '1,x\n2,\n' 0 --to csv --no-header
expect "tsv --no-header --crlf" '{"a":1,"b":"x"}\n' '1\tx\r\n' 0 --to tsv --no-header --crlf

# --- 3. columns from --select ------------------------------------------------------------------
expect "--select gives the columns, dotted paths named as written" \
    '{"id":1,"user":{"email":"e@x","name":"n"},"http":{"status":200},"x":0}\n{"id":2}\n' \
    'id,user.email,http.status\n1,e@x,200\n2,,\n' 0 --select id,user.email,http.status --to csv
expect "--select with escapes: a\\.b names the key a.b" '{"a.b":1,"c,d":2}\n' \
    'a.b,"c,d"\n1,2\n' 0 --select 'a\.b,c\,d' --to csv
expect "--select after --flatten takes flattened keys" '{"id":1,"u":{"e":"x"}}\n' \
    'id,u.e\n1,x\n' 0 --flatten --select 'id,u\.e' --to csv
expect "the last --select gives the columns" '{"a":1,"b":2,"c":3}\n' 'b\n2\n' 0 \
    --select a,b --select b --to csv
expect "--select a field and one inside it: the whole object and the value" \
    '{"u":{"e":1,"f":2}}\n' 'u,u.e\n"{""e"":1,""f"":2}",1\n' 0 --select u,u.e --to csv

# --- 4. rejections ---------------------------------------------------------------------------
# rejected NAME INPUT OUT STDERR ARGS...: OUT on stdout, STDERR exactly, exit 1.
rejected() {
    local name=$1 input=$2 want=$3 want_err=$4; shift 4
    printf "$input" | "$JP" "$@" > out 2> stderr
    local rc=$?
    printf "$want" > want
    printf "$want_err" > want.err
    check "$name" eval 'rc_is $rc 1 && same out want && same stderr want.err'
}
rejected "a first record that is not an object is rejected; the next fixes the columns" \
    '[1]\n"s"\n{"a":1}\nnull\n' 'a\n1\n' \
    'jsonpipe: <stdin>:1: a CSV row needs an object, not an array\njsonpipe: <stdin>:2: a CSV row needs an object, not a string\njsonpipe: <stdin>:4: a CSV row needs an object, not null\n' \
    --to csv
rejected "a key outside the first record's is rejected, named" \
    '{"a":1}\n{"a":2,"b\\u001b[31m":3}\n{"a":4}\n' 'a\n1\n4\n' \
    'jsonpipe: <stdin>:2: "b\\u001b[31m" is not a CSV column (the columns are the first record'"'"'s keys)\n' \
    --to csv
rejected "a key a stage adds after --select is rejected, named" '{"id":1,"x":2}\n' '' \
    'jsonpipe: <stdin>:1: "user.name" is not a TSV column (the columns are the fields of --select)\n' \
    --select id,user.email --set user.name=n --to tsv
rejected "a parent of columns that a stage makes no object is rejected" \
    '{"user":{"email":"e"}}\n' '' \
    'jsonpipe: <stdin>:1: "user" is a number, not an object holding CSV columns\n' \
    --select user.email --set user:=5 --to csv
"$JP" --to csv -e errors.ndjson > out << 'EOF'
{"a":1}
[2]
{"b":3}
EOF
rc=$?
cat > want.err << 'EOF'
{"file":"<stdin>","line":2,"offset":8,"stage":"output","error":"a CSV row needs an object, not an array","record":"[2]"}
{"file":"<stdin>","line":3,"offset":12,"stage":"output","error":"\"b\" is not a CSV column (the columns are the first record's keys)","record":"{\"b\":3}"}
EOF
printf 'a\n1\n' > want
check "-e: rejections in the stage \"output\", as error records" \
    eval 'rc_is $rc 1 && same out want && same errors.ndjson want.err'
printf '{"id":1,"x":2}\n' | "$JP" --select id --set y=1 --to csv -e - > out
check "-e: an error record shows the record that could not become a row" \
    has out '"stage":"output","error":"\"y\" is not a CSV column (the columns are the fields of --select)","record":"{\"id\":1,\"y\":\"1\"}"}'

# --- 5. the same bytes for any -j and batch size ------------------------------------------------
{
    for i in $(seq 1 400); do echo '[0]'; done
    for i in $(seq 1 60); do cat "$TRICKY"; done
    for i in $(seq 1 400); do echo '{"id":1,"zz":2}'; done
} > many.ndjson
for kind in csv tsv; do
    "$JP" -j1 --to $kind --select "$COLUMNS" many.ndjson > j1.out 2> /dev/null
    ok_all=1
    for args in "-j2" "-j2 --batch-size 4K" "-j4 --batch-size 4K" "-j3 --batch-size 8K"; do
        "$JP" $args --to $kind --select "$COLUMNS" many.ndjson > jn.out 2> /dev/null
        cmp -s j1.out jn.out || { ok_all=0; echo "#   $args differs"; }
    done
    sep=,
    [ $kind = tsv ] && sep=$'\t'
    check "$kind, columns of --select: the same bytes for -j1, -j2, -j4 and batches of 4K" \
        eval '[ $ok_all -eq 1 ] && [ "$(head -1 j1.out)" = "${COLUMNS//,/$sep}" ]'
    "$JP" -j1 --to $kind --delete a,o many.ndjson > j1.out 2> /dev/null
    ok_all=1
    for args in "-j2" "-j2 --batch-size 4K" "-j4 --batch-size 4K"; do
        "$JP" $args --to $kind --delete a,o many.ndjson > jn.out 2> /dev/null
        cmp -s j1.out jn.out || { ok_all=0; echo "#   $args differs"; }
    done
    check "$kind, columns of the first record (batches after many non-objects): the same bytes for any -j" \
        eval '[ $ok_all -eq 1 ] && [ "$(grep -c "^id" j1.out)" -eq 1 ] && [ "$(head -c 2 j1.out)" = id ]'
done

# --- 6. compressed output -------------------------------------------------------------------------
"$JP" --to csv --select "$COLUMNS" many.ndjson > plain.csv 2> /dev/null
"$JP" -j2 --batch-size 4K --to csv --select "$COLUMNS" many.ndjson -o out.csv.gz 2> /dev/null
check "-o out.csv.gz: one header, zcat gives the plain output" \
    eval 'gzip -t out.csv.gz && zcat out.csv.gz | cmp -s - plain.csv'
if command -v zstd > /dev/null; then
    "$JP" -j2 --batch-size 4K --to csv --select "$COLUMNS" many.ndjson -o out.csv.zst 2> /dev/null
    check "-o out.csv.zst: zstd -dc gives the plain output" \
        eval 'zstd -qdc out.csv.zst | cmp -s - plain.csv'
fi

# --- 7. no records: no output at all ------------------------------------------------------------
for kind in csv tsv; do
    "$JP" --to $kind < /dev/null > out
    rc=$?
    check "$kind: empty input gives empty output" eval 'rc_is $rc 0 && ! [ -s out ]'
    printf '\n  \n' | "$JP" --to $kind > out
    check "$kind: only blank lines give empty output" eval '! [ -s out ]'
    printf '[1]\n2\n' | "$JP" --to $kind --select a > out 2> /dev/null
    rc=$?
    check "$kind: every record rejected gives empty output, no header" eval 'rc_is $rc 1 && ! [ -s out ]'
    printf '{"a":1}\n' | "$JP" --to $kind --filter 'a == 2' > out
    check "$kind: every record dropped gives empty output" eval '! [ -s out ]'
done
"$JP" --to csv < /dev/null -o empty.csv.gz
check "-o empty.csv.gz with no records is a valid, empty gzip file" \
    eval 'gzip -t empty.csv.gz && [ -z "$(zcat empty.csv.gz)" ]'

# --- 8. --stats counts rows, not lines -------------------------------------------------------------
printf '{"a":"x\\ny"}\n{"a":"1\\n2\\n3"}\n[]\n' | "$JP" --to csv --stats > out 2> stats
check "--stats: records_out counts rows (cells with newlines, no header); a stage \"output\"" \
    eval 'has stats "\"records_in\":3,\"records_out\":2,\"rejected\":1," &&
          has stats "{\"name\":\"output\",\"records_in\":3,\"records_out\":2,\"rejected\":1,\"dropped\":0," &&
          [ "$(wc -l < out)" -eq 6 ]'
"$JP" -j2 --batch-size 4K --to tsv --select "$COLUMNS" many.ndjson --stats -o out.tsv.gz 2> stats
check "--stats: records_out exact with compressed rows over many batches" \
    has stats "\"records_out\":1480,"
printf '{"a":1}\n' | "$JP" --stats > /dev/null 2> stats
check "--stats: no stage \"output\" for NDJSON" eval '! grep -q "\"output\"" stats'

# --- 9. usage errors ---------------------------------------------------------------------------
usage_case "jsonpipe: --to: 'xml' is not ndjson, csv or tsv" --to xml
usage_case "jsonpipe: --to: 'CSV' is not ndjson, csv or tsv" --to CSV
usage_case "jsonpipe: --no-header is for --to csv and --to tsv" --no-header
usage_case "jsonpipe: --crlf is for --to csv and --to tsv" --to ndjson --crlf
usage_case "jsonpipe: --crlf is for --to csv and --to tsv" --crlf --no-header
usage_case "jsonpipe: option '--to' needs an argument" --to

# --- 10. completion of --to's values ---------------------------------------------------------------
if [ -n "${COMPLETION:-}" ]; then
    completed() {
        (PATH=$(dirname "$JP"):$PATH bash -c 'source "$COMPLETION"; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _jsonpipe
             printf "%s " "${COMPREPLY[@]}"' _ "$@")
    }
    check "completion of --to offers ndjson csv tsv" eval '[ "$(completed jsonpipe --to "")" = "ndjson csv tsv " ]'
    check "completion of --to t offers tsv" eval '[ "$(completed jsonpipe --to t)" = "tsv " ]'
fi
finish
