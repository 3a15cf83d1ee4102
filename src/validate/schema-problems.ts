import type { ErrorObject } from 'ajv';
import { numberText, pointerToPath } from '../check/schemas.js';
import { formatPath, type NodePath } from '../parse/parsed-document.js';
import { KUBERNETES_FORMATS } from './kubernetes-formats.js';

/** One thing wrong with a rendered object, at a path inside it. */
export interface SchemaProblem {
  path: NodePath;
  /** Point at the key (a missing field's map, an unknown field) rather than the value. */
  atKey: boolean;
  /** The field that is missing (the problem is then about path + [missing]). */
  missing?: string;
  message: string;
  hint?: string;
}

type Obj = Record<string, unknown>;

/** The value at a path of an object, or undefined. */
export function valueAt(root: unknown, path: NodePath): unknown {
  let v = root;
  for (const seg of path) {
    if (Array.isArray(v) && typeof seg === 'number') v = v[seg];
    else if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.hasOwn(v, String(seg))) v = (v as Obj)[String(seg)];
    else return undefined;
  }
  return v;
}

const an = (w: string) => (/^[aeiou]/.test(w) ? `an ${w}` : `a ${w}`);

function describeType(t: unknown): string {
  const list = (Array.isArray(t) ? t : String(t).split(',')).filter((x) => x !== 'null');
  return [...new Set(list.map((x) => (x === 'object' ? 'a map' : x === 'array' ? 'a list' : an(String(x)))))].join(' or ');
}

/**
 * A value for a message. Values of a Secret are never shown: only what kind of value it is.
 * Long strings are cut short.
 */
function describeValue(v: unknown, secret: boolean): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  if (secret) return an(typeof v);
  const s = typeof v === 'number' ? numberText(v) : JSON.stringify(v);
  return `${typeof v} ${s.length > 60 ? `${s.slice(0, 40)}..."` : s}`;
}

const quote = (v: unknown, secret: boolean) => (secret ? 'the value' : JSON.stringify(v));

/**
 * Turns a validator's errors into problems, one per offending node, each saying what the API
 * server would say. Branches of a oneOf/anyOf (IntOrString, Quantity) become one problem at the
 * node. `secret`: the object is a Secret, whose values stay out of every message.
 */
export function schemaProblems(errors: readonly ErrorObject[], object: unknown, secret: boolean): SchemaProblem[] {
  const composite = new Set(errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf').map((e) => e.instancePath));
  const out: SchemaProblem[] = [];
  const seen = new Set<string>();
  const push = (p: SchemaProblem) => {
    const key = `${JSON.stringify(p.path)}|${p.missing ?? ''}|${p.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(p);
  };
  for (const e of errors) {
    const inBranch = [...composite].some((c) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf' && (e.instancePath === c || e.instancePath.startsWith(`${c}/`)));
    if (inBranch) continue;
    const path = pointerToPath(e.instancePath);
    const data = valueAt(object, path);
    // YAML 1.1 reads an unquoted 2024-05-01 as a date; kubectl's YAML reader keeps the string.
    if (e.keyword === 'type' && data instanceof Date && String(e.params.type).includes('string')) continue;
    const field = path.length > 0 ? `${formatPath(path)} ` : '';
    if (e.keyword === 'oneOf' || e.keyword === 'anyOf') {
      push(compositeProblem(errors, e, path, data, field, secret));
      continue;
    }
    push(problem(e, path, data, field, secret));
  }
  return out;
}

function problem(e: ErrorObject, path: NodePath, data: unknown, field: string, secret: boolean): SchemaProblem {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return { path, atKey: path.length > 0, missing: String(p.missingProperty), message: `${formatPath([...path, String(p.missingProperty)])} is required` };
    case 'type': {
      const hint = typeof data === 'boolean' && String(p.type).includes('string')
        ? 'quote the value: YAML 1.1, as kubectl reads it, takes y, yes, on, n, no and off for booleans'
        : typeof data === 'string' && /integer|number/.test(String(p.type)) && /^-?[0-9.]+$/.test(data)
          ? 'write the number without quotes'
          : undefined;
      return { path, atKey: false, message: `${field}must be ${describeType(p.type)}, not ${describeValue(data, secret)}`, ...(hint ? { hint } : {}) };
    }
    case 'enum':
      return { path, atKey: false, message: `${field}must be one of ${(p.allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(', ')}, not ${quote(data, secret)}` };
    case 'const':
      return { path, atKey: false, message: `${field}must be ${JSON.stringify(p.allowedValue)}, not ${quote(data, secret)}` };
    case 'format': {
      const f = KUBERNETES_FORMATS[String(p.format)];
      const what = f ? f.describe : `in format ${String(p.format)}`;
      const hint = p.format === 'byte' ? 'data holds base64-encoded values; put plain text under stringData instead, or encode it (base64 -w0)' : undefined;
      return { path, atKey: false, message: `${field}must be ${what}${secret ? '' : `, not ${describeValue(data, secret)}`}`, ...(hint ? { hint } : {}) };
    }
    case 'pattern':
      return { path, atKey: false, message: `${field}${secret ? 'does' : `${quote(data, secret)} does`} not match ${String(p.pattern)}` };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems':
    case 'minProperties':
    case 'maxProperties':
    case 'multipleOf':
      return { path, atKey: false, message: `${field}${LIMITS[e.keyword]!} ${String(p.limit ?? p.multipleOf)}${secret ? '' : `, not ${describeValue(data, secret)}`}` };
    case 'uniqueItems':
      return { path, atKey: false, message: `${field}must not hold the same item twice (items ${String(p.j)} and ${String(p.i)})` };
    case 'additionalProperties':
      return { path: [...path, String(p.additionalProperty)], atKey: true, message: `unknown field "${String(p.additionalProperty)}"` };
    case 'not':
      return { path, atKey: false, message: `${field}must not match the schema under "not"` };
    default:
      return { path, atKey: false, message: `${field}${e.message ?? `fails ${e.keyword}`}` };
  }
}

const LIMITS: Record<string, string> = {
  minimum: 'must be at least',
  maximum: 'must be at most',
  exclusiveMinimum: 'must be more than',
  exclusiveMaximum: 'must be less than',
  minLength: 'must have at least this many characters:',
  maxLength: 'must have at most this many characters:',
  minItems: 'must have at least this many items:',
  maxItems: 'must have at most this many items:',
  minProperties: 'must have at least this many fields:',
  maxProperties: 'must have at most this many fields:',
  multipleOf: 'must be a multiple of',
};

/** IntOrString, Quantity and CRD anyOfs: what the value must be, from the branches at the node. */
function compositeProblem(errors: readonly ErrorObject[], e: ErrorObject, path: NodePath, data: unknown, field: string, secret: boolean): SchemaProblem {
  const branches = errors.filter((b) => b !== e && b.instancePath === e.instancePath && b.keyword !== 'oneOf' && b.keyword !== 'anyOf');
  const typeErrors = branches.filter((b) => b.keyword === 'type').map((b) => String(b.params.type));
  // A value of the right type that its branch still refuses (a quantity string that does not parse);
  // not a format of a branch whose type the value does not have (80.5 is no int32: it is no integer).
  const specific = branches.find((b) => {
    if (b.keyword === 'type') return false;
    const applies = b.keyword === 'format' ? KUBERNETES_FORMATS[String(b.params.format)]?.type : b.keyword === 'pattern' ? 'string' : undefined;
    return applies === undefined || !typeErrors.some((t) => (applies === 'number' ? t === 'integer' || t === 'number' : t === applies));
  });
  if (specific && branches.some((b) => b.keyword === 'type' && !typeMatches(b.params.type, data))) return problem(specific, path, data, field, secret);
  if (typeErrors.length > 0) {
    return { path, atKey: false, message: `${field}must be ${describeType(typeErrors.join(','))}, not ${describeValue(data, secret)}` };
  }
  return { path, atKey: false, message: `${field}matches none of the forms its schema allows (${e.keyword})` };
}

function typeMatches(t: unknown, data: unknown): boolean {
  const list = Array.isArray(t) ? t : String(t).split(',');
  return list.some((x) => (x === 'integer' ? Number.isInteger(data) : x === 'array' ? Array.isArray(data) : x === 'object' ? data !== null && typeof data === 'object' && !Array.isArray(data) : x === 'null' ? data === null : typeof data === x));
}
