// ajv_validate.js: the schema case's peer in tests/bench.sh. Validates each
// line of an NDJSON file against a JSON Schema (draft 2020-12) with ajv 8 and
// ajv-formats, in one node process: JSON.parse per line, then the compiled
// validator. Writes the lines that pass, as they are, to standard output,
// so its verdicts can be compared with jsonpipe --schema's line by line;
// counts the failures on standard error.
//
// usage: NODE_PATH=DIR node ajv_validate.js SCHEMA FILE
// (DIR: where npm installed ajv and ajv-formats)
"use strict";
const fs = require("fs");
const { StringDecoder } = require("string_decoder");
const Ajv2020 = require("ajv/dist/2020");
const addFormats = require("ajv-formats");

const [schemaFile, input] = process.argv.slice(2);
const ajv = new Ajv2020({ strict: false, allErrors: false });
addFormats(ajv);
// ajv-formats has no idn-email: RFC 6531's address, local part and domain of
// any Unicode but spaces, around one @ (what the samples' schema asks of its
// ASCII and non-ASCII addresses).
ajv.addFormat("idn-email", /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/u);
const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaFile, "utf8")));

const out = [];
let outBytes = 0, failed = 0;
function flush() {
  if (out.length) fs.writeSync(1, out.join(""));
  out.length = 0;
  outBytes = 0;
}
function line(text) {
  let ok = false;
  try {
    ok = validate(JSON.parse(text));
  } catch (e) {
    ok = false;
  }
  if (ok) {
    out.push(text, "\n");
    outBytes += text.length + 1;
    if (outBytes > 1 << 20) flush();
  } else {
    failed++;
  }
}

const fd = fs.openSync(input, "r");
const chunk = Buffer.alloc(1 << 22);
const utf8 = new StringDecoder("utf8"); // a character cut by a chunk's end waits
let rest = "";
for (;;) {
  const n = fs.readSync(fd, chunk, 0, chunk.length, null);
  if (n === 0) break;
  const text = rest + utf8.write(chunk.subarray(0, n));
  let at = 0, nl;
  while ((nl = text.indexOf("\n", at)) >= 0) {
    if (nl > at) line(text.slice(at, nl));
    at = nl + 1;
  }
  rest = text.slice(at);
}
rest += utf8.end();
if (rest.length) line(rest);
flush();
process.stderr.write(`${failed} failed\n`);
