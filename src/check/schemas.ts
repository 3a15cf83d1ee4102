import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import { formatPath, type NodePath } from '../parse/parsed-document.js';

import { AJV_KEYWORDS, AJV_OPTIONS, SCHEMA_FILES, type SchemaName } from './schema-files.js';

export { SCHEMA_FILES, type SchemaName };

const schemaDir = new URL('../../schemas/', import.meta.url);

export interface SchemaError {
  /** Path of the offending node. */
  path: NodePath;
  /** True when the position should be the key (an unknown field), not the value. */
  atKey: boolean;
  message: string;
  /** For unknown fields, the field name (the caller offers a "did you mean"). */
  unknownField?: string;
  /** For unknown fields, the fields allowed at that place. */
  allowedFields?: string[];
  hint?: string;
}

// The build precompiles the schemas (scripts/build-validators.mjs); running from source, as the
// tests do, compiles them on first use instead. Only then is ajv (its compiler: some 60 modules)
// loaded at all.
const precompiled = (await import('./validators.generated.js' as string).catch(() => undefined)) as
  | Record<SchemaName, ValidateFunction>
  | undefined;
const AjvClass = precompiled && Object.keys(SCHEMA_FILES).every((n) => precompiled[n as SchemaName]) ? undefined : (await import('ajv')).Ajv;

let ajv: Ajv | undefined;
const compiled = new Map<SchemaName, ValidateFunction>();

function validator(name: SchemaName): ValidateFunction {
  let v = compiled.get(name) ?? precompiled?.[name];
  if (v) return v;
  if (!ajv) {
    ajv = new AjvClass!(AJV_OPTIONS);
    for (const keyword of AJV_KEYWORDS) ajv.addKeyword({ keyword });
    for (const file of Object.values(SCHEMA_FILES)) {
      ajv.addSchema(JSON.parse(readFileSync(fileURLToPath(new URL(file, schemaDir)), 'utf8')));
    }
  }
  const id = `https://fedc.dev/schemas/${SCHEMA_FILES[name]}`;
  v = ajv.getSchema(id)!;
  compiled.set(name, v);
  return v;
}

/** Validates a value; returns the errors, most specific first, one per offending node. */
export function validate(name: SchemaName, value: unknown): SchemaError[] {
  const v = validator(name);
  if (v(value)) return [];
  return toSchemaErrors(v.errors ?? []);
}

function toSchemaErrors(errors: ErrorObject[]): SchemaError[] {
  const out: SchemaError[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const path = pointerToPath(e.instancePath);
    // Value errors name their field, so a message read alone (a CI log) says where to look.
    const field = path.length > 0 ? `${formatPath(path)} ` : '';
    let err: SchemaError;
    switch (e.keyword) {
      case 'additionalProperties': {
        const field = String(e.params.additionalProperty);
        const props = (e.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
        err = {
          path: [...path, field],
          atKey: true,
          message: `unknown field "${field}"`,
          unknownField: field,
          allowedFields: props ? Object.keys(props) : [],
        };
        break;
      }
      case 'required':
        // at the key of the map that lacks the field
        err = { path, atKey: path.length > 0, message: `missing required field "${String(e.params.missingProperty)}"` };
        break;
      case 'type':
        err = { path, atKey: false, message: `${field}must be ${describeType(e.params.type)}, not ${describeValue(e.data)}` };
        if (typeof e.data === 'boolean' && String(e.params.type).includes('string')) {
          err.hint = 'quote the value: YAML 1.1, as kubectl reads it, takes y, yes, on, n, no and off for booleans';
        }
        break;
      case 'enum':
        err = {
          path,
          atKey: false,
          message: `${field}must be one of ${(e.params.allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(', ')}, not ${JSON.stringify(e.data)}`,
        };
        break;
      case 'const':
        err = { path, atKey: false, message: `${field}must be ${JSON.stringify(e.params.allowedValue)}, not ${JSON.stringify(e.data)}` };
        break;
      case 'pattern': {
        const means = (e.parentSchema as { 'x-fedc-means'?: string } | undefined)?.['x-fedc-means'];
        err = { path, atKey: false, message: means ? `${field}must be ${means}, not ${JSON.stringify(e.data)}` : `${field}${JSON.stringify(e.data)} does not match ${String(e.params.pattern)}` };
        break;
      }
      default:
        // ajv's own words (minItems, minLength, minimum...), after the field they are about
        err = { path, atKey: false, message: `${field}${e.message ?? e.keyword}` };
    }
    const key = `${err.path.join('\u0000')}|${err.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(err);
  }
  return out;
}

function describeType(t: unknown): string {
  const list = (Array.isArray(t) ? t : String(t).split(',')).filter((x) => x !== 'null');
  const names = list.map((x) => (x === 'object' ? 'a map' : x === 'array' ? 'a list' : `a ${x}`));
  return names.join(' or ');
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  return `${typeof v} ${typeof v === 'number' ? numberText(v) : JSON.stringify(v)}`;
}

/** A number as YAML writes it: JSON has no spelling for .inf, -.inf and .nan (it gives null). */
export function numberText(n: number): string {
  return Number.isFinite(n) ? JSON.stringify(n) : Number.isNaN(n) ? '.nan' : n < 0 ? '-.inf' : '.inf';
}

/** An ajv instancePath (a JSON pointer) as a node path; list indexes become numbers. */
export function pointerToPath(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
}
