#!/usr/bin/env node
// Throughput of ajv on an NDJSON upload: JSON.parse every line, then the compiled 2.0 schema of
// its kind (Ajv2020 + ajv-formats, strict as in tests/crossval/ajv.js), counting valid and
// invalid records. Reads the file in 64 KiB chunks, so memory does not grow with the file.
//
// Usage: NODE_PATH=tests/crossval/node_modules node bench/ajv_bench.js SCHEMAS_DIR/2.0 FILE.ndjson
// Prints one JSON line: {"records":N,"valid":N,"invalid":N,"seconds":S}.
"use strict";

const fs = require("fs");
const path = require("path");
const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats");

const [schemaDir, file] = process.argv.slice(2);
if (!schemaDir || !file) {
  console.error("usage: node ajv_bench.js SCHEMAS_DIR/2.0 FILE.ndjson");
  process.exit(2);
}

const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true });
addFormats(ajv);
const byKind = new Map();
for (const kind of ["person", "course", "completion", "certificate"]) {
  const schema = JSON.parse(fs.readFileSync(path.join(schemaDir, `${kind}.json`), "utf8"));
  byKind.set(kind, ajv.compile(schema));
}

const start = process.hrtime.bigint();
let records = 0, valid = 0, invalid = 0;
function line(text) {
  if (text.trim() === "") return;
  records++;
  let value;
  try {
    value = JSON.parse(text);
  } catch (e) {
    invalid++;
    return;
  }
  const kind = value && typeof value === "object" && !Array.isArray(value) ? value.kind : undefined;
  const validate = typeof kind === "string" ? byKind.get(kind) : undefined;
  if (validate && validate(value)) valid++;
  else invalid++;
}

const fd = fs.openSync(file, "r");
const buf = Buffer.allocUnsafe(1 << 16);
let carry = Buffer.alloc(0);
for (;;) {
  const n = fs.readSync(fd, buf, 0, buf.length, null);
  if (n === 0) break;
  let chunk = carry.length ? Buffer.concat([carry, buf.subarray(0, n)]) : buf.subarray(0, n);
  let from = 0;
  for (;;) {
    const nl = chunk.indexOf(10, from);
    if (nl < 0) break;
    line(chunk.toString("utf8", from, nl));
    from = nl + 1;
  }
  carry = Buffer.from(chunk.subarray(from));
}
if (carry.length) line(carry.toString("utf8"));
fs.closeSync(fd);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(JSON.stringify({ records, valid, invalid, seconds }));
