// Precompiles the JSON Schemas in schemas/ into one ES module of standalone ajv validators
// (dist/check/validators.generated.js), so the CLI does not compile schemas on every start.
import { readFileSync, writeFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { AJV_OPTIONS, SCHEMA_FILES } from '../dist/check/schema-files.js';

const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true, esm: true } });
ajv.addKeyword({ keyword: 'x-kubernetes-preserve-unknown-fields' });
const refs = {};
for (const [name, file] of Object.entries(SCHEMA_FILES)) {
  const schema = JSON.parse(readFileSync(new URL(`../schemas/${file}`, import.meta.url), 'utf8'));
  ajv.addSchema(schema);
  refs[name] = schema.$id;
}
writeFileSync(new URL('../dist/check/validators.generated.js', import.meta.url), standaloneCode(ajv, refs));
