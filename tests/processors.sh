#!/bin/bash
# processors.sh: end-to-end tests of each processor: its happy path, its
# rejections with their reasons, and its usage errors.
set -u
. "$(dirname "$0")/lib.sh"

# --- --types --------------------------------------------------------------------
expect "--types: matching types pass byte for byte" \
    '{"id":18446744073709551616,"name":"a","t":[],"o":{},"b":false,"n":null,"x":1.5e3}\n' \
    '{"id":18446744073709551616,"name":"a","t":[],"o":{},"b":false,"n":null,"x":1.5e3}\n' 0 \
    --types 'id=integer,name=string,t=array,o=object,b=boolean,n=null,x=number'
expect "--types: alternatives with |" '{"a":null}\n{"a":"s"}\n' '{"a":null}\n{"a":"s"}\n' 0 \
    --types 'a=string|null'
printf '{"id":"7"}\n{"id":1.0}\n{"id":1e2}\n{"name":"x"}\n{"id":{}}\n' |
    "$JP" --types id=integer -e "$T/err" > "$T/out"
rc=$?
check "--types: wrong and missing types are rejected" eval 'rc_is $rc 1 && [ ! -s "$T/out" ]'
check "--types: each reason" eval '
    has "$T/err" "\"line\":1,\"offset\":0,\"stage\":\"types\",\"error\":\"field \\\"id\\\" is a string, expected integer\"" &&
    has "$T/err" "\"line\":2,\"offset\":11,\"stage\":\"types\",\"error\":\"field \\\"id\\\" is a non-integer number, expected integer\"" &&
    has "$T/err" "\"line\":3,\"offset\":22,\"stage\":\"types\",\"error\":\"field \\\"id\\\" is a non-integer number, expected integer\"" &&
    has "$T/err" "\"line\":4,\"offset\":33,\"stage\":\"types\",\"error\":\"missing field \\\"id\\\" (expected integer)\"" &&
    has "$T/err" "\"line\":5,\"offset\":46,\"stage\":\"types\",\"error\":\"field \\\"id\\\" is an object, expected integer\""'
long=$(printf 'f%.0s' $(seq 600))
echo '{}' | "$JP" --require "$long" -e "$T/err" > /dev/null
check "a long reason is kept whole (600-byte field name)" has "$T/err" "\"error\":\"missing field \\\"$long\\\"\""
usage_case "jsonpipe: --types: unknown type \"int\" (string, number, integer, boolean, null, object, array)" \
    --types id=int
usage_case "jsonpipe: --types: expected FIELD=TYPE, got \"id\"" --types id

# --- --schema -------------------------------------------------------------------
cat > "$T/s.json" <<'JSON'
{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
 "required": ["id"],
 "properties": {
   "id": {"type": "integer", "minimum": 1, "maximum": 9007199254740993},
   "ts": {"type": "string", "format": "date-time"},
   "day": {"format": "date"}, "ip": {"format": "ipv4"}, "uid": {"format": "uuid"},
   "email": {"type": "string", "format": "email"},
   "name": {"type": ["string", "null"], "minLength": 2, "maxLength": 3},
   "code": {"pattern": "^[A-Z]{2}$"},
   "price": {"type": "number", "exclusiveMinimum": 0, "multipleOf": 0.01},
   "level": {"enum": ["info", "warn"]}, "v": {"const": {"a": [1, 2.0]}},
   "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": true, "maxItems": 3},
   "pair": {"prefixItems": [{"type": "string"}, {"type": "number"}], "items": false, "minItems": 2},
   "user": {"$ref": "#/$defs/user"},
   "choice": {"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "number", "minimum": 10}]},
   "either": {"anyOf": [{"type": "string"}, {"type": "boolean"}]},
   "never": {"not": {"type": "null"}},
   "node": {"$ref": "#/$defs/node"}
 },
 "patternProperties": {"^x-": {"type": "string"}},
 "additionalProperties": false,
 "$defs": {
   "user": {"type": "object", "required": ["email"], "properties": {"email": {"format": "email"}}},
   "node": {"type": "object", "properties": {"next": {"$ref": "#/$defs/node"}, "v": {"type": "integer"}}}
 }}
JSON
cat > "$T/s.ndjson" <<'JSON'
{"id":9007199254740993,"ts":"2026-11-22T01:02:03.5+01:00","day":"2024-02-29","ip":"10.0.0.255","uid":"01a200ea-9f05-720a-956b-966293da4635","email":"a.b+c@example.co.uk","name":"Zoë","code":"FR","price":19.99,"level":"info","v":{"a":[1,2]},"tags":["a","b"],"pair":["x",1],"user":{"email":"u@x.io"},"choice":3,"either":true,"never":1,"x-trace":"t","node":{"v":1,"next":{"v":2,"next":{"v":3}}}}
{"id":9007199254740994}
{"id":1.0,"price":0.001}
{"id":2,"ts":"2026-13-01T00:00:00Z"}
{"id":3,"day":"2026-02-29"}
{"id":4,"ip":"10.0.0.256"}
{"id":5,"email":"a..b@example.com"}
{"id":6,"name":"Zoëy!"}
{"id":7,"code":"fr"}
{"id":8,"level":"debug"}
{"id":9,"v":{"a":[1,3]}}
{"id":10,"tags":["a","a"]}
{"id":11,"pair":["x",1,2]}
{"id":12,"user":{}}
{"id":13,"choice":12}
{"id":14,"either":1}
{"id":15,"never":null}
{"id":16,"x-trace":1}
{"id":17,"extra":1}
{"id":18,"node":{"next":{"next":{"v":"deep"}}}}
{"name":"ab"}
[1]
{"id":19,"price":0}
{"id":20,"uid":"01a200ea-9f05-720a-956b-966293da463"}
JSON
"$JP" --schema "$T/s.json" "$T/s.ndjson" -e "$T/err" > "$T/out"
rc=$?
head -1 "$T/s.ndjson" > "$T/want"
check "--schema: a record using every keyword passes byte for byte" \
    eval 'rc_is $rc 1 && same "$T/out" "$T/want"'
sed 's/.*"line":\([0-9]*\),.*"error":"\(.*\)","record".*/\1 \2/' "$T/err" > "$T/reasons"
cat > "$T/want" <<'TEXT'
2 /id: \"maximum\": 9007199254740994 is greater than 9007199254740993 at #/properties/id
3 /price: \"multipleOf\": 0.001 is not a multiple of 0.01 at #/properties/price
4 /ts: \"format\": \"date-time\" not satisfied at #/properties/ts
5 /day: \"format\": \"date\" not satisfied at #/properties/day
6 /ip: \"format\": \"ipv4\" not satisfied at #/properties/ip
7 /email: \"format\": \"email\" not satisfied at #/properties/email
8 /name: \"maxLength\": 5 characters, at most 3 allowed at #/properties/name
9 /code: \"pattern\": \"^[A-Z]{2}$\" not matched at #/properties/code
10 /level: \"enum\": value is not one of the 2 allowed at #/properties/level
11 /v: \"const\": value differs at #/properties/v
12 /tags: \"uniqueItems\": items 0 and 1 are equal at #/properties/tags
13 /pair/2: \"false\": no value is allowed here at #/properties/pair/items
14 /user: \"required\": missing \"email\" at #/$defs/user
15 /choice: \"oneOf\": 2 subschemas matched, exactly one must at #/properties/choice
16 /either: \"anyOf\": no subschema matched at #/properties/either
17 /never: \"not\": the subschema matched at #/properties/never
18 /x-trace: \"type\": expected string, got a number at #/patternProperties/^x-
19 /extra: \"additionalProperties\": not allowed at #
20 /node/next/next/v: \"type\": expected integer, got a string at #/$defs/node/properties/v
21 /: \"required\": missing \"id\" at #
22 /: \"type\": expected object, got an array at #
23 /price: \"exclusiveMinimum\": 0 is not greater than 0 at #/properties/price
24 /uid: \"format\": \"uuid\" not satisfied at #/properties/uid
TEXT
check "--schema: each failure names the pointer and the keyword" same "$T/reasons" "$T/want"
bad_schema() {
    local want=$1 schema=$2
    printf '%s' "$schema" > "$T/bad.json"
    usage_case "jsonpipe: --schema: $T/bad.json: $want" --schema "$T/bad.json"
}
# schema_case NAME SCHEMA INPUT WANT_STDERR WANT_RC ARGS...: INPUT (printf format)
# through --schema SCHEMA gives exactly WANT_STDERR (printf format) and WANT_RC.
schema_case() {
    local name=$1 schema=$2 input=$3 want=$4 want_rc=$5; shift 5
    printf '%s' "$schema" > "$T/case.json"
    printf "$input" | "$JP" --schema "$T/case.json" "$@" > /dev/null 2> "$T/stderr"
    local rc=$?
    printf "$want" > "$T/want"
    check "--schema: $name" eval 'rc_is $rc $want_rc && same "$T/stderr" "$T/want"'
}
schema_case "an unknown keyword is ignored, not refused" '{"frobnicate": 1, "title": "t", "minimum": 2}' \
    '3\n1\n' 'jsonpipe: <stdin>:2: /: "minimum": 1 is less than 2 at #\n' 1
schema_case "format asserts by default" '{"format": "date"}' '"2024-02-30"\n"2024-02-29"\n' \
    'jsonpipe: <stdin>:1: /: "format": "date" not satisfied at #\n' 1
schema_case "--schema-format annotate: format fails nothing" '{"format": "date"}' '"2024-02-30"\n' \
    '' 0 --schema-format annotate
schema_case "--schema-format assert" '{"format": "ipv4"}' '"1.2.3"\n' \
    'jsonpipe: <stdin>:1: /: "format": "ipv4" not satisfied at #\n' 1 --schema-format=assert
schema_case "an unknown format is an annotation" '{"format": "no-such-format"}' '"x"\n' '' 0
schema_case "pattern: \\s is ECMA-262's Unicode whitespace, \\d ASCII digits, \\p{Letter} a long name" \
    '{"properties": {"s": {"pattern": "^\\s$"}, "S": {"pattern": "^\\S$"}, "d": {"pattern": "^\\d$"},
      "l": {"pattern": "^\\p{Letter}+$"}, "c": {"pattern": "^[\\s]$"}}}' \
    '{"s":"\\u00a0","S":"x","d":"1","l":"école","c":"\\u2029"}\n{"S":"\\u3000"}\n{"d":"\\u0663"}\n{"l":"a1"}\n' \
    'jsonpipe: <stdin>:2: /S: "pattern": "^\\S$" not matched at #/properties/S
jsonpipe: <stdin>:3: /d: "pattern": "^\\d$" not matched at #/properties/d
jsonpipe: <stdin>:4: /l: "pattern": "^\\p{Letter}+$" not matched at #/properties/l\n' 1
# 600 random patterns over 6,183 strings, with the verdicts of ECMAScript's
# own RegExp (tests/gen-ecma-patterns.py): $ is the end only, . takes no
# line terminator, [] nothing and [^] everything, \v one character; the
# simple patterns that jsonpipe matches without PCRE2 (ASCII strings) and
# the rest, and strings that are not ASCII, all agree.
"$JP" --schema "$FIXTURES/ecma-patterns.schema.json" "$FIXTURES/ecma-patterns.ndjson" \
    -e /dev/null > "$T/out" 2> "$T/stderr"
rc=$?
check "--schema: pattern as ECMA-262 reads it, on 6,183 strings" \
    eval 'rc_is $rc 1 && same "$T/out" "$FIXTURES/ecma-patterns.accepted" && [ ! -s "$T/stderr" ]'
schema_case "patternProperties: keys ASCII and not, by a simple pattern and by PCRE2" \
    '{"patternProperties": {"^[a-z]+$": {"type": "integer"}, "^x.$": {"const": 1}, "^(é|e)": {"type": "string"}}}' \
    '{"ab":1,"xy":1,"é":"s","e1":"t"}\n{"ab":"1"}\n{"x\\n":2}\n{"xé":2}\n{"éa":1}\n{"AB":"s","x\\r":2}\n' \
    'jsonpipe: <stdin>:2: /ab: "type": expected integer, got a string at #/patternProperties/^[a-z]+$
jsonpipe: <stdin>:4: /x\u00e9: "const": value differs at #/patternProperties/^x.$
jsonpipe: <stdin>:5: /\u00e9a: "type": expected string, got a number at #/patternProperties/^(\u00e9|e)\n' 1
# format_case FORMAT GOOD BAD: under the default (assert), GOOD passes and BAD fails with the line.
format_case() {
    schema_case "format \"$1\" takes $2, not $3" "{\"format\": \"$1\"}" "\"$2\"\\n\"$3\"\\n" \
        "jsonpipe: <stdin>:2: /: \"format\": \"$1\" not satisfied at #\\n" 1
}
format_case date-time '1990-12-31T23:59:60Z' '1990-12-31T22:59:60Z'
format_case time '22:59:60-01:00' '12:00:00'
format_case duration 'P1Y2M3DT4H5M6S' 'P1YT'
format_case duration 'P4W' 'P1Y3D'
format_case email '\\"joe bloggs\\"@example.com' 'joe..bloggs@example.com'
format_case email 'joe@[IPv6:::1]' 'joe@[300.0.0.1]'
format_case idn-email 'ü@example.com' 'ü.@example.com'
format_case hostname 'a-b.example' 'ab--cd.example'
format_case idn-hostname 'bücher.example' '-bücher.example'
format_case ipv6 '::ffff:1.2.3.4' '1::2::3'
format_case ipv6 '1:2:3:4:5:6:7:8' '1:2:3:4:5:6:7'
format_case uri 'http://[::1]:8080/a?b#c' '//example.com/a'
format_case uri-reference '../a:b/c' 'a:b c'
format_case iri 'http://ü.example/ä' 'http://a b'
format_case iri-reference '#ä' '\\\\a'
format_case uri-template 'http://e/{+path*}{?q,lang:2}' 'http://e/{a..b}'
format_case json-pointer '/a~1b/~0' '/a~2'
format_case relative-json-pointer '0#' '01/a'
format_case regex '^(?<y>[0-9]{4})$' '(?i)a'
format_case uuid '2eb8aa08-aa98-11ea-b4aa-73b441d16380' '2eb8aa08-aa98-11ea-b4aa-73b441d1638'
usage_case "jsonpipe: --schema: --schema-format: 'strict' is neither assert nor annotate" \
    --schema "$T/case.json" --schema-format strict
bad_schema '#/format: must be a string' '{"format": 1}'
schema_case "an integer-valued keyword takes 2.0 and 2e0" '{"minLength": 2.0, "maxItems": 1e0}' \
    '"a"\n"ab"\n[1,2]\n' 'jsonpipe: <stdin>:1: /: "minLength": 1 characters, at least 2 required at #
jsonpipe: <stdin>:3: /: "maxItems": 2 items, at most 1 allowed at #\n' 1
bad_schema '#/minLength: must be a non-negative integer' '{"minLength": 2.5}'
bad_schema '#/minItems: must be a non-negative integer' '{"minItems": -1.0}'
schema_case "a \\u0000 in const, enum, required and property names is kept" \
    '{"properties": {"a\u0000b": {"const": "x\u0000y"}, "e": {"enum": ["p\u0000q"]}}, "required": ["r\u0000s"]}' \
    '{"r\\u0000s":1,"a\\u0000b":"x\\u0000y","e":"p\\u0000q"}\n{"r\\u0000s":1,"a\\u0000b":"x"}\n{"r\\u0000s":1,"e":"p"}\n{"r":1}\n' \
    'jsonpipe: <stdin>:2: /a\\u0000b: "const": value differs at #/properties/a\\u0000b
jsonpipe: <stdin>:3: /e: "enum": value is not one of the 1 allowed at #/properties/e
jsonpipe: <stdin>:4: /: "required": missing "r\\u0000s" at #\n' 1
bad_schema '#/$ref: "#/$defs/nope": no such place' '{"$ref": "#/$defs/nope"}'
schema_case "minProperties and maxProperties" '{"minProperties": 1, "maxProperties": 2.0}' \
    '{"a":1}\n{}\n{"a":1,"b":2,"c":3}\n' \
    'jsonpipe: <stdin>:2: /: "minProperties": 0 properties, at least 1 required at #
jsonpipe: <stdin>:3: /: "maxProperties": 3 properties, at most 2 allowed at #\n' 1
schema_case "contains, minContains, maxContains" \
    '{"properties": {"a": {"contains": {"type": "string"}}, "b": {"contains": {"const": 1}, "minContains": 2, "maxContains": 3},
      "c": {"contains": {"type": "null"}, "minContains": 0}}}' \
    '{"a":[1,"x"],"b":[1,1,2],"c":[]}\n{"a":[1,2]}\n{"b":[1,2]}\n{"b":[1,1,1,1]}\n{"a":[]}\n' \
    'jsonpipe: <stdin>:2: /a: "contains": no item matches at #/properties/a
jsonpipe: <stdin>:3: /b: "minContains": 1 items match, at least 2 required at #/properties/b
jsonpipe: <stdin>:4: /b: "maxContains": 4 items match, at most 3 allowed at #/properties/b
jsonpipe: <stdin>:5: /a: "contains": no item matches at #/properties/a\n' 1
schema_case "dependentRequired and dependentSchemas" \
    '{"dependentRequired": {"card": ["billing", "name"]}, "dependentSchemas": {"vip": {"required": ["since"]}}}' \
    '{"card":1,"billing":2,"name":3}\n{"card":1,"billing":2}\n{"vip":true}\n{"billing":1,"since":1}\n' \
    'jsonpipe: <stdin>:2: /: "dependentRequired": missing "name", which "card" requires at #
jsonpipe: <stdin>:3: /: "required": missing "since" at #/dependentSchemas/vip\n' 1
bad_schema '#/dependentRequired: must be an object of arrays of strings' '{"dependentRequired": {"a": [1]}}'
bad_schema '#/maxContains: must be a non-negative integer' '{"maxContains": "2"}'

# unevaluated*: what keywords evaluated, in place, through every branch that held.
schema_case "unevaluatedProperties sees properties of allOf, every anyOf branch that holds, if/then and \$ref" \
    '{"allOf": [{"properties": {"a": true}}], "anyOf": [{"properties": {"b": true}}, {"properties": {"c": true}}],
      "if": {"properties": {"k": {"const": 1}}, "required": ["k"]}, "then": {"properties": {"t": true}},
      "$ref": "#/$defs/r", "$defs": {"r": {"patternProperties": {"^r": true}}},
      "not": {"properties": {"n": true}, "required": ["zz"]},
      "unevaluatedProperties": false}' \
    '{"a":1,"b":2,"c":3,"k":1,"t":1,"r1":1}\n{"b":1,"n":1}\n{"c":1,"t":1}\n{"b":1,"x":{}}\n' \
    'jsonpipe: <stdin>:2: /n: "unevaluatedProperties": not allowed at #
jsonpipe: <stdin>:3: /t: "unevaluatedProperties": not allowed at #
jsonpipe: <stdin>:4: /x: "unevaluatedProperties": not allowed at #\n' 1
schema_case "unevaluatedProperties as a schema; a failed branch evaluates nothing" \
    '{"oneOf": [{"properties": {"a": {"type": "string"}}, "required": ["a"]}, {"required": ["b"]}],
      "unevaluatedProperties": {"type": "integer"}}' \
    '{"a":"s","z":1}\n{"b":"s","a":1}\n{"a":"s","z":"s"}\n' \
    'jsonpipe: <stdin>:2: /b: "type": expected integer, got a string at #/unevaluatedProperties
jsonpipe: <stdin>:3: /z: "type": expected integer, got a string at #/unevaluatedProperties\n' 1
schema_case "unevaluatedItems after prefixItems and contains; a nested array collects its own" \
    '{"prefixItems": [{"type": "string"}, {"prefixItems": [true], "unevaluatedItems": false}],
      "contains": {"type": "null"}, "unevaluatedItems": false}' \
    '["s",[1],null]\n["s",[1],null,1]\n["s",[1,2],null]\n' \
    'jsonpipe: <stdin>:2: /3: "unevaluatedItems": not allowed at #
jsonpipe: <stdin>:3: /1/1: "unevaluatedItems": not allowed at #/prefixItems/1\n' 1
keys=$(seq 600 | sed 's/.*/"k&":1/' | paste -sd, -)
schema_case "the marks of unevaluated* count against the budget" \
    '{"anyOf": [{"properties": {"a": true}}, {"properties": {"b": true}}], "unevaluatedProperties": true}' \
    "{$keys}\\n{\"a\":1}\\n" \
    'jsonpipe: <stdin>:1: /: schema evaluation budget of 1000 steps exceeded (see --schema-budget)\n' 1 \
    --schema-budget 1000
printf '%s' '{"required": ["b"]}' > "$T/second.json"
schema_case "--schema twice: each is its own stage" '{"required": ["a"]}' '{"a":1,"b":1}\n{"a":1}\n{"b":1}\n' \
    'jsonpipe: <stdin>:2: /: "required": missing "b" at #
jsonpipe: <stdin>:3: /: "required": missing "a" at #\n' 1 --schema "$T/second.json"

# References: embedded resources ($id), anchors, files next to the schema, --schema-map.
schema_case "a \$ref inside an embedded \$id resource finds that resource's \$defs" \
    '{"$id": "http://example.com/root.json", "$defs": {"t": {"type": "integer"}},
      "properties": {"a": {"$id": "inner/a.json", "$defs": {"t": {"type": "string"}}, "$ref": "#/$defs/t"},
                     "b": {"$ref": "#/$defs/t"}, "c": {"$ref": "inner/a.json"}}}' \
    '{"a":"s","b":1,"c":"s"}\n{"a":1}\n{"b":"s"}\n{"c":2}\n' \
    'jsonpipe: <stdin>:2: /a: "type": expected string, got a number at #/properties/a/$defs/t
jsonpipe: <stdin>:3: /b: "type": expected integer, got a string at #/$defs/t
jsonpipe: <stdin>:4: /c: "type": expected string, got a number at #/properties/a/$defs/t\n' 1
schema_case "\$anchor names a subschema" \
    '{"$ref": "#num", "$defs": {"n": {"$anchor": "num", "type": "number"}}}' '1\n"x"\n' \
    'jsonpipe: <stdin>:2: /: "type": expected number, got a string at #/$defs/n\n' 1
bad_schema '#/$ref: "http://example.com/c.json": not a file, and no --schema-map covers it' \
    '{"$defs": {"c": {"const": {"$id": "http://example.com/c.json"}}}, "$ref": "http://example.com/c.json"}'
schema_case "\$dynamicRef lands on the outermost \$dynamicAnchor of the dynamic scope" \
    '{"$id": "http://example.com/strings.json", "$ref": "list.json",
      "$defs": {"item": {"$dynamicAnchor": "item", "type": "string"},
                "list": {"$id": "list.json", "type": "array", "items": {"$dynamicRef": "#item"},
                         "$defs": {"item": {"$dynamicAnchor": "item"}}}}}' \
    '["a","b"]\n["a",1]\n' 'jsonpipe: <stdin>:2: /1: "type": expected string, got a number at #/$defs/item\n' 1
schema_case "\$dynamicRef to a plain \$anchor is a \$ref" \
    '{"$id": "http://example.com/a.json", "$ref": "b.json", "$defs": {"i": {"$dynamicAnchor": "i", "type": "string"},
      "b": {"$id": "b.json", "items": {"$dynamicRef": "#i"}, "$defs": {"i": {"$anchor": "i", "type": "number"}}}}}' \
    '[1]\n["s"]\n' 'jsonpipe: <stdin>:2: /0: "type": expected number, got a string at #/$defs/b/$defs/i\n' 1
mkdir -p "$T/refs/defs" "$T/map/v1"
printf '{"$defs": {"zip": {"$anchor": "zip", "type": "string", "pattern": "^[0-9]{5}$"}}}' \
    > "$T/refs/defs/addr.json"
printf '{"properties": {"zip": {"$ref": "defs/addr.json#zip"}, "z2": {"$ref": "defs/addr.json#/$defs/zip"},
  "user": {"$ref": "http://example.com/s/v1/user.json"}}}' > "$T/refs/main.json"
printf '{"$id": "http://example.com/s/v1/user.json", "required": ["id"], "properties": {"id": {"$ref": "id.json"}}}' \
    > "$T/map/v1/user.json"
printf '{"type": "integer", "minimum": 1}' > "$T/map/v1/id.json"
printf '{"zip":"75001","z2":"75002","user":{"id":3}}\n{"zip":"7500"}\n{"z2":1}\n{"user":{}}\n{"user":{"id":0}}\n' \
    > "$T/refs.ndjson"
"$JP" --schema "$T/refs/main.json" --schema-map "http://example.com/s/=$T/map/" "$T/refs.ndjson" \
    > "$T/out" 2> "$T/stderr"
rc=$?
R=$(cd "$T" && pwd -P) # the schema file's URI is its real path
cat > "$T/want" <<TEXT
jsonpipe: $T/refs.ndjson:2: /zip: "pattern": "^[0-9]{5}$" not matched at file://$R/refs/defs/addr.json#zip
jsonpipe: $T/refs.ndjson:3: /z2: "type": expected string, got a number at file://$R/refs/defs/addr.json#zip
jsonpipe: $T/refs.ndjson:4: /user: "required": missing "id" at http://example.com/s/v1/user.json#
jsonpipe: $T/refs.ndjson:5: /user/id: "minimum": 0 is less than 1 at http://example.com/s/v1/id.json#
TEXT
check "--schema: refs to files next to the schema (by pointer and by anchor) and through --schema-map" \
    eval 'rc_is $rc 1 && same "$T/stderr" "$T/want" && [ "$(cat "$T/out")" = "$(head -1 "$T/refs.ndjson")" ]'
usage_case "jsonpipe: --schema: $T/refs/main.json: #/properties/user/\$ref: \"http://example.com/s/v1/user.json\": not a file, and no --schema-map covers it" \
    --schema "$T/refs/main.json"
usage_case "jsonpipe: --schema: $T/refs/main.json: #/properties/user/\$ref: \"http://example.com/s/v1/user.json\": $T/nowhere/v1/user.json: cannot read: No such file or directory" \
    --schema "$T/refs/main.json" --schema-map "http://example.com/s/=$T/nowhere/"
"$JP" --schema "$T/refs/main.json" --schema-map "http://other.org/=$T/nowhere/" \
    --schema-map "http://example.com/s/=$T/map/" "$T/refs.ndjson" > /dev/null 2>&1
check "--schema-map may be repeated" rc_is $? 1
"$JP" --schema "$T/refs/main.json" --schema-map "http://example.com/s=$T/map" "$T/refs.ndjson" > /dev/null 2>&1
check "--schema-map: DIR without a trailing / is the same" rc_is $? 1
mkdir -p "$T/we ird#dir/sub"
printf '{"$ref": "sub/a%%20b.json"}' > "$T/we ird#dir/s.json"
printf '{"type": "string"}' > "$T/we ird#dir/sub/a b.json"
printf '{"$ref": "a%%00b.json"}' > "$T/we ird#dir/nul.json"
R=$(cd "$T" && pwd -P | sed 's/ /%20/g; s/#/%23/g')
expect "--schema: a ref next to a schema in a directory named with ' ' and '#', percent-encoded" \
    '"x"\n1\n' '"x"\n' 1 --schema "$T/we ird#dir/s.json"
check "... and the failure names the file by its URI" has "$T/stderr" "at file://$R/we%20ird%23dir/sub/a%20b.json"
usage_case "jsonpipe: --schema: $T/we ird#dir/nul.json: #/\$ref: \"a%00b.json\": not the name of a file (a bad % or a NUL)" \
    --schema "$T/we ird#dir/nul.json"
usage_case "jsonpipe: --schema: --schema-map: 'http://example.com/' is not URI=DIR" \
    --schema "$T/refs/main.json" --schema-map "http://example.com/"
usage_case "jsonpipe: --schema: --schema-map: '=dir' is not URI=DIR" --schema "$T/refs/main.json" --schema-map "=dir"
printf '{"properties": {"next": {"$ref": "b.json"}}, "type": "object"}' > "$T/refs/a.json"
printf '{"properties": {"next": {"$ref": "a.json"}}, "required": ["v"]}' > "$T/refs/b.json"
expect "--schema: two files that refer to each other through the record do not loop" \
    '{"next":{"v":1,"next":{"next":{"v":2}}}}\n{"next":{"v":1,"next":{"next":{}}}}\n' \
    '{"next":{"v":1,"next":{"next":{"v":2}}}}\n' 1 --schema "$T/refs/a.json"

bad_schema '#/pattern: bad regex at its offset 1: missing closing parenthesis' '{"pattern": "("}'
bad_schema '#/type: unknown type' '{"type": ["string", "text"]}'
{ for i in $(seq 100000); do printf '{"not":'; done; printf '{}'; for i in $(seq 100000); do printf '}'; done; } \
    > "$T/deep.json"
"$JP" --schema "$T/deep.json" < /dev/null 2> "$T/stderr"
rc=$?
check "--schema: a schema nested 100000 deep is refused, without a crash" \
    eval 'rc_is $rc 2 && has "$T/stderr" "/not/not/not" && has "$T/stderr" ": nested deeper than 512 levels"'
bad_schema '#/allOf: is given twice' '{"allOf": [{"minimum": 1}], "allOf": [{}]}'
bad_schema '#/properties/a: is given twice' '{"properties": {"a": {}, "a": {"type": "string"}}}'
bad_schema '#/$defs/x: is given twice' '{"$defs": {"x": {}, "x": {"type": "null"}}}'
bad_schema 'not JSON at line 1, column 10: unexpected end of file, expected a value' '{"type": '
bad_schema 'not JSON at line 2, column 17: unexpected character '"'"','"'"', expected a string key or '"'"'}'"'"'' $'{"type": "object",\n "properties": {,}}'
usage_case "jsonpipe: --schema: $T/none.json: cannot read: No such file or directory" --schema "$T/none.json"
usage_case "jsonpipe: --schema: $T: cannot read: Is a directory" --schema "$T"
printf '{"type": ' > "$T/bad.json"
"$JP" --schema "$T/bad.json" < /dev/null 2> "$T/stderr"
check "--schema: a file that is not JSON is one line of error" lines "$T/stderr" 2

# --- --filter ---------------------------------------------------------------------
cat > "$T/f.ndjson" <<'JSON'
{"level":"debug","http":{"status":500},"msg":"retry now","tags":["a","prod"],"big":18446744073709551617}
{"level":"error","http":{"status":503},"msg":"x","tags":[],"user":{"email":null}}
{"level":"info","http":{"status":"500"},"msg":"retrying","tags":["prod ", "b"],"big":1e400}
{"level":"warn","msg":"caf\u00e9","vip":true}
JSON
# filter_case EXPR LINES...: the records of f.ndjson that EXPR keeps.
filter_case() {
    local expr=$1; shift
    "$JP" --filter "$expr" "$T/f.ndjson" > "$T/out"
    local rc=$?
    : > "$T/want"
    for n in "$@"; do sed -n "${n}p" "$T/f.ndjson" >> "$T/want"; done
    check "--filter '$expr' keeps lines $*" eval 'rc_is $rc 0 && same "$T/out" "$T/want"'
}
filter_case 'level != "debug" && http.status >= 500' 2
filter_case 'exists(user.email)' 2
filter_case 'msg =~ "^retry"' 1 3
filter_case 'tags contains "prod"' 1
filter_case 'msg contains "af"' 4
filter_case 'level in ["warn", "error"]' 2 4
filter_case 'big > 18446744073709551616' 1 3
filter_case 'big >= 1e400' 3
filter_case 'http.status < 501' 1
filter_case '!(http.status < 501)' 2 3 4
filter_case 'http.status == "500"' 3
filter_case 'msg == "caf\u00e9" && msg == "café"' 4
filter_case 'vip || (level == "debug")' 1 4
filter_case 'nothing != 1' 1 2 3 4
filter_case 'level == "warn" || level == "info" && http.status == "500"' 3 4
filter_case '!exists(user) && !vip || level == "error"' 1 2 3
"$JP" --stats --filter 'level == "warn"' "$T/f.ndjson" > /dev/null 2> "$T/stderr"
rc=$?
check "--filter: dropped records are counted, not rejected, exit 0" \
    eval 'rc_is $rc 0 && has "$T/stderr" "\"records_out\":1,\"rejected\":0,\"dropped\":3" &&
          has "$T/stderr" "{\"name\":\"filter\",\"records_in\":4,\"records_out\":1,\"rejected\":0,\"dropped\":3,"'
usage_case "jsonpipe: --filter: column 9: expected a value at the end" --filter 'level =='
usage_case "jsonpipe: --filter: column 6: expected a value" --filter 'a && && b'
usage_case "jsonpipe: --filter: column 8: expected ')'" --filter '(a == 1'
# Hostile sizes are refused, not allowed to exhaust the stack.
usage_case "jsonpipe: --filter: column 258: nested deeper than 256 levels" \
    --filter "$(printf '(%.0s' $(seq 60000))a$(printf ')%.0s' $(seq 60000))"
usage_case "jsonpipe: --filter: column 258: nested deeper than 256 levels" \
    --filter "$(printf '!%.0s' $(seq 100000))a"
usage_case "jsonpipe: --filter: column 12292: more than 4096 terms" --filter "a$(printf '||a%.0s' $(seq 40000))"
expect "--filter: an in list of 40000 items is one term, not 40000" '{"a":1}\n{"a":2}\n' '{"a":1}\n' 0 \
    --filter "a in [3$(printf ',1%.0s' $(seq 40000))]"
expect "--filter: 256 levels of parentheses and 4096 terms are fine" '{"a":1}\n' '{"a":1}\n' 0 \
    --filter "$(printf '(%.0s' $(seq 256))a$(printf ')%.0s' $(seq 256))" --filter "a$(printf '||a%.0s' $(seq 4096))"
usage_case "jsonpipe: --filter: column 3: =~ needs a string literal (the regex) on its right" --filter 'a =~ b'
usage_case "jsonpipe: --filter: column 8: bad regex at its offset 1: missing closing parenthesis" \
    --filter 'msg =~ "("'
usage_case "jsonpipe: --filter: column 8: unexpected text after the expression" --filter 'a == 1 b'
usage_case "jsonpipe: --filter: column 6: invalid number" --filter 'a == 01'

# --- --timestamp ----------------------------------------------------------------------
before=$(date +%s%3N)
printf '{"a":1}\n' | "$JP" --timestamp t --timestamp e=epoch --timestamp m=epoch_ms > "$T/out"
after=$(date +%s%3N)
check "--timestamp: rfc3339 (UTC, milliseconds), epoch and epoch_ms" \
    grep -qE '^\{"a":1,"t":"20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9]\.[0-9]{3}Z","e":[0-9]{10}\.[0-9]{6},"m":[0-9]{13}\}$' "$T/out"
ms=$(sed 's/.*"m":\([0-9]*\).*/\1/' "$T/out")
check "--timestamp: epoch_ms is the time of processing" eval '[ "$ms" -ge "$before" ] && [ "$ms" -le "$after" ]'
printf '{"t":0,"a":1}\n' | "$JP" --timestamp t=epoch_ms > "$T/out"
check "--timestamp: replaces an existing field where it stands" grep -qE '^\{"t":[0-9]{13},"a":1\}$' "$T/out"
usage_case "jsonpipe: --timestamp: unknown format \"iso\" (rfc3339, epoch, epoch_ms)" --timestamp t=iso

# --- --meta -----------------------------------------------------------------------------
printf '{"a":1}\n\n{"a":2}\r\n' > "$T/m.ndjson"
"$JP" --meta src.file=file --meta src.line=line --meta src.offset=offset --meta h=host \
    "$T/m.ndjson" > "$T/out"
printf '{"a":1,"src":{"file":"%s","line":1,"offset":0},"h":"%s"}\n{"a":2,"src":{"file":"%s","line":3,"offset":9},"h":"%s"}\n' \
    "$T/m.ndjson" "$(hostname)" "$T/m.ndjson" "$(hostname)" > "$T/want"
check "--meta: file, line, offset and host" same "$T/out" "$T/want"
usage_case "jsonpipe: --meta: expected FIELD=WHAT, WHAT one of file, line, offset, host" --meta a=size

# --- --uuid -------------------------------------------------------------------------------
awk 'BEGIN { for (i = 0; i < 20000; i++) print "{}" }' | "$JP" -j 1 --uuid id > "$T/out"
sed 's/{"id":"\(.*\)"}/\1/' "$T/out" > "$T/ids"
check "--uuid: every id is a UUIDv7" \
    eval '[ "$(grep -cE "^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$" "$T/ids")" -eq 20000 ]'
check "--uuid: ids are unique" eval '[ "$(sort -u "$T/ids" | wc -l)" -eq 20000 ]'
check "--uuid: one thread's ids sort in the order they were made" eval 'sort -c "$T/ids"'
t48=$(head -1 "$T/ids" | tr -d - | cut -c1-12)
check "--uuid: the first 48 bits are the time in milliseconds" \
    eval '[ $((16#$t48 / 1000)) -ge $(($(date +%s) - 60)) ] && [ $((16#$t48 / 1000)) -le $(date +%s) ]'

# --- --hash ---------------------------------------------------------------------------------
printf 'k3y\n' > "$T/key"
expect "--hash: sha256 (default), md5 and xxh64 of strings and numbers" \
    '{"e":"a@b","n":42,"s":"a\\u0040b"}\n' \
    '{"e":"7508d8b5018ea640b85269861a101203f0c26900555268e930025dac844b0f35","n":"a1d0c6e83f027327d8461063f4ac58a6","s":"cbaf9b38ee8f689c"}\n' 0 \
    --hash e --hash n=md5 --hash s=xxh64
expect "--hash with --hash-key: HMAC, the key file's newline not in the key" \
    '{"e":"a@b","s":"a@b"}\n' \
    '{"e":"b9bdbbd50e974d4158151da64bca4c2885fe0f55c03c24b88bf7ca39abfdf9c4","s":"0965befb37836c891103978641e696f4633fcbba"}\n' 0 \
    --hash e --hash s=sha1 --hash-key "$T/key"
expect "--hash: a record without the field passes unchanged" '{"x":1}\n' '{"x":1}\n' 0 --hash e
printf '{"e":{"a":1}}\n' | "$JP" --hash e 2> "$T/stderr" > "$T/out"
rc=$?
check "--hash: a field that is not a string or number is rejected" \
    eval 'rc_is $rc 1 && has "$T/stderr" "jsonpipe: <stdin>:1: cannot hash \"e\": it is an object"'
usage_case "jsonpipe: --hash: unknown algorithm \"crc32\" (sha256, sha1, md5, xxh64)" --hash e=crc32
usage_case "jsonpipe: --hash: xxh64 cannot be keyed: use sha256 with --hash-key" \
    --hash e=xxh64 --hash-key "$T/key"
usage_case "jsonpipe: --hash: --hash-key $T/nokey: cannot read: No such file or directory" --hash e --hash-key "$T/nokey"
usage_case "jsonpipe: --hash: --hash-key $T: cannot read: Is a directory" --hash e --hash-key "$T"
: > "$T/empty"
usage_case "jsonpipe: --hash: --hash-key $T/empty: the key file is empty" --hash-key "$T/empty" --hash e
# libcrypto is opened by the first --hash that needs it: a broken one in
# its place stops only those runs, at start, by name.
mkdir "$T/nolib"
echo 'not a library' > "$T/nolib/$LIBCRYPTO_SONAME"
export LD_LIBRARY_PATH=$T/nolib
usage_case "jsonpipe: --hash: sha256 needs libcrypto: $LIBCRYPTO_SONAME cannot be loaded (" --hash e
expect "--hash xxh64 runs without libcrypto" '{"s":"a@b"}\n' '{"s":"cbaf9b38ee8f689c"}\n' 0 --hash s=xxh64
unset LD_LIBRARY_PATH

# --- processors that set a field reject a record whose parent is no object ---------
for p in "--set a.b=x" "--set a.b:=1" "--timestamp a.b" "--meta a.b=line" "--uuid a.b" "--hash a.b"; do
    printf '{"a":1}\n{"a":{}}\n' | "$JP" $p -e "$T/err" > "$T/out"
    rc=$?
    stage=${p%% *}
    stage=${stage#--}
    want="\"line\":1,\"offset\":0,\"stage\":\"$stage\",\"error\":\"cannot set \\\"a.b\\\": \\\"a\\\" is a number\""
    [ "$stage" = hash ] && want='"stage":"hash"'
    if [ "$stage" = hash ]; then
        # --hash replaces only what is there: a missing field passes
        check "$p: a missing field passes" eval 'rc_is $rc 0 && lines "$T/out" 2'
    else
        check "$p: a parent that is not an object is rejected with a reason" \
            eval 'rc_is $rc 1 && lines "$T/out" 1 && has "$T/err" "$want"'
    fi
done
usage_case "jsonpipe: --uuid: empty field name" --uuid ''
usage_case "jsonpipe: --timestamp: empty component in field \"a..b\"" --timestamp a..b

# --- --delete, --rename, --select -------------------------------------------------------------
r='{"a":1, "b":{"c":2,"d":[3]}, "e":"x"}\n{"b":7}\n'
expect "--delete: the first, a middle and the last member, spacing kept" "$r" \
    '{"b":{}, "e":"x"}\n{"b":7}\n' 0 --delete a,b.c,b.d
expect "--delete: every member" "$r" '{}\n{}\n' 0 --delete b,a,e
expect "--rename: in place, within one object" "$r" \
    '{"z":1, "b":{"c":2,"d":[3]}, "e":"x"}\n{"b":7}\n' 0 --rename a=z
expect "--rename: onto an existing key replaces it" "$r" \
    '{"e":1, "b":{"c":2,"d":[3]}}\n{"b":7}\n' 0 --rename a=e
expect "--rename: across objects moves the value" "$r" \
    '{"a":1, "b":{"c":2,"d":[3],"f":"x"}}\n{"b":7}\n' 0 --rename e=b.f
printf '{"e":1,"b":7}\n' | "$JP" --rename e=b.f 2> "$T/stderr" > "$T/out"
rc=$?
check "--rename: into a parent that is not an object is rejected" \
    eval 'rc_is $rc 1 && has "$T/stderr" "jsonpipe: <stdin>:1: cannot set \"b.f\": \"b\" is a number"'
expect "--select: only these, in this order, nested ones grouped" "$r" \
    '{"e":"x","b":{"c":2},"a":1}\n{}\n' 0 --select e,b.c,a
expect "--select: a whole object wins over its members; missing fields left out" "$r" \
    '{"b":{"c":2,"d":[3]}}\n{"b":7}\n' 0 --select b.d,x,b
printf '[1]\n' | "$JP" --select a 2> "$T/stderr" > "$T/out"
rc=$?
check "--select: a record that is not an object is rejected" \
    eval 'rc_is $rc 1 && has "$T/stderr" "jsonpipe: <stdin>:1: the record is an array, not an object"'
usage_case "jsonpipe: --rename: expected OLD=NEW, got \"a\"" --rename a
usage_case "jsonpipe: --delete: empty field name" --delete a,
usage_case "jsonpipe: --select: empty component in field \"a.\"" --select a.

finish
