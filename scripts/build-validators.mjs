// Precompiles the JSON Schemas in schemas/ into one ES module of standalone ajv validators
// (dist/check/validators.generated.js), so the CLI does not compile schemas, nor load ajv's
// compiler, on every start.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { AJV_KEYWORDS, AJV_OPTIONS, SCHEMA_FILES } from '../dist/check/schema-files.js';

const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true, esm: true } });
for (const keyword of AJV_KEYWORDS) ajv.addKeyword({ keyword });
const refs = {};
for (const [name, file] of Object.entries(SCHEMA_FILES)) {
  const schema = JSON.parse(readFileSync(new URL(`../schemas/${file}`, import.meta.url), 'utf8'));
  ajv.addSchema(schema);
  refs[name] = schema.$id;
}
let code = standaloneCode(ajv, refs);

// Even with esm: true, ajv's standalone code calls require() for its runtime helpers, which an ES
// module does not have: importing the module failed, and src/check/schemas.ts compiled every
// schema at runtime instead. The one helper these schemas use, the length of a string in Unicode
// code points (minLength, maxLength: a surrogate pair counts once), is written into the module;
// importing ajv's CommonJS helper instead would read its default export differently in Node, the
// test runner and the bundler.
const HELPERS = {
  'ajv/dist/runtime/ucs2length': ['__codePointLength', 'function __codePointLength(s) { let n = 0; for (const _ of s) n++; return n; }'],
};
const used = new Set();
code = code.replace(/require\("([^"]+)"\)\.default/g, (m, mod) => {
  if (!HELPERS[mod]) throw new Error(`validators.generated.js: the schemas need ${mod}, which scripts/build-validators.mjs does not provide`);
  used.add(mod);
  return HELPERS[mod][0];
});
if (/\brequire\(/.test(code)) throw new Error('validators.generated.js: a require() is left');
const preamble = '"use strict";';
if (!code.startsWith(preamble)) throw new Error('validators.generated.js: unexpected preamble');
code = preamble + [...used].map((mod) => HELPERS[mod][1]).join('') + code.slice(preamble.length);
// Renamed over the old file, so that a fedc starting meanwhile reads one whole module or the other.
const out = new URL('../dist/check/validators.generated.js', import.meta.url);
const tmp = new URL(`../dist/check/.validators.generated.js.${process.pid}.tmp`, import.meta.url);
writeFileSync(tmp, code);
renameSync(tmp, out);
