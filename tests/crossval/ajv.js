#!/usr/bin/env node
// Cross-validation with ajv 8 (JSON Schema 2020-12) and ajv-formats.
//
// Usage: node ajv.js SCHEMAS_DIR VECTORS_DIR
//
// For every `VECTORS_DIR/<version>/{valid,invalid}/*.json` (manifest.json excepted), prints one
// JSON line: {"file":"<version>/<valid|invalid>/<name>","accepted":bool,"errors":[...]}.
// A file holds one record (validated against `SCHEMAS_DIR/<version>/<kind>.json`, `kind` read
// off the record), an array of records (each against its kind's schema) or a batch (the batch
// schema). Bytes that are not UTF-8 JSON, and records without a known kind, are not accepted.
"use strict";

const fs = require("fs");
const path = require("path");
const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats");

const [schemasDir, vectorsDir] = process.argv.slice(2);
if (!schemasDir || !vectorsDir) {
  console.error("usage: node ajv.js SCHEMAS_DIR VECTORS_DIR");
  process.exit(2);
}

const sorted = (dir) => (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []);

// One ajv instance per version: every version's schemas have their own `$id`s.
// Strict mode is on (strictSchema, strictNumbers, strictTypes, strictTuples all throw), except
// strictRequired, which is off as in ajv's own defaults: it refuses the standard conditional
// requirement `"then": {"required": ["issuingCountry"]}` (a property named in `required` of an
// `if`/`then` branch but declared in the parent's `properties`), which is valid 2020-12.
const validators = new Map();
function validatorFor(version, kind) {
  if (!validators.has(version)) {
    const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true });
    addFormats(ajv);
    const byKind = new Map();
    for (const name of sorted(path.join(schemasDir, version))) {
      if (!name.endsWith(".json")) continue;
      const schema = JSON.parse(fs.readFileSync(path.join(schemasDir, version, name), "utf8"));
      byKind.set(name.slice(0, -5), ajv.compile(schema));
    }
    validators.set(version, byKind);
  }
  return validators.get(version).get(kind);
}

function check(version, record, at, errors) {
  const kind = record && typeof record === "object" && !Array.isArray(record) ? record.kind : undefined;
  const validate = typeof kind === "string" ? validatorFor(version, kind) : undefined;
  if (!validate) {
    errors.push(`${at}: no schema for kind ${JSON.stringify(kind)}`);
    return;
  }
  if (!validate(record)) {
    for (const e of validate.errors) errors.push(`${at}${e.instancePath}: ${e.keyword} ${e.message}`);
  }
}

const decoder = new TextDecoder("utf-8", { fatal: true });
for (const version of sorted(vectorsDir)) {
  for (const group of ["valid", "invalid"]) {
    const dir = path.join(vectorsDir, version, group);
    for (const name of sorted(dir)) {
      if (!name.endsWith(".json") || name === "manifest.json") continue;
      const errors = [];
      let value;
      try {
        value = JSON.parse(decoder.decode(fs.readFileSync(path.join(dir, name))));
      } catch (e) {
        errors.push(`not UTF-8 JSON: ${e.message}`);
      }
      if (errors.length === 0) {
        if (Array.isArray(value)) value.forEach((r, i) => check(version, r, `/${i}`, errors));
        else check(version, value, "", errors);
      }
      console.log(JSON.stringify({ file: `${version}/${group}/${name}`, accepted: errors.length === 0, errors }));
    }
  }
}
