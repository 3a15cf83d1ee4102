import type { NodePath } from '../parse/parsed-document.js';
import { definition, type FieldSpec } from './builtin-schemas.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Where fields are declared: a built-in definition (or part of one), or a CRD's structural schema. */
export type FieldNode = FieldSpec | { schema: Obj; root?: boolean };

export interface UnknownField {
  /** Path of the unknown field (its key is the last segment). */
  path: NodePath;
  field: string;
  /** The fields allowed there, for a "did you mean". */
  allowed: string[];
}

const OBJECT_META = 'IoK8sApimachineryPkgApisMetaV1ObjectMeta';

/** Definition id -> the values found to have no unknown field under it. */
const cleanValues = new Map<string, WeakSet<object>>();

/**
 * The fields of a value that its schema does not declare: what the API server's field validation
 * reports as unknown (and drops). Only walks where the value has the shape the schema expects;
 * wrong shapes are the validator's to report.
 */
export function unknownFields(value: unknown, node: FieldNode): UnknownField[] {
  const out: UnknownField[] = [];
  walk(value, node, [], out);
  return out;
}

// `path` is one stack, pushed and popped as the walk goes: paths are copied only for what is found.
function walk(value: unknown, node: FieldNode, path: (string | number)[], out: UnknownField[]): void {
  if (node === '' || node === '*' || value === null || typeof value !== 'object') return;
  if (typeof node === 'string') {
    // As the validators do (builtin-schemas.ts), a value shared by clusters' objects is walked once
    // per definition: what had no unknown field then has none now.
    let clean = cleanValues.get(node);
    if (clean?.has(value)) return;
    const found = out.length;
    const fields = definition(node).fields;
    if (typeof fields === 'string') walk(value, fields, path, out);
    else walkObject(value, fields, path, out);
    if (out.length === found) {
      if (!clean) cleanValues.set(node, (clean = new WeakSet()));
      clean.add(value);
    }
  } else if ('list' in node) {
    if (!Array.isArray(value)) return;
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      walk(value[i], node.list, path, out);
      path.pop();
    }
  } else if ('map' in node) {
    if (!isObj(value)) return;
    for (const k in value) {
      if (!Object.hasOwn(value, k)) continue;
      path.push(k);
      walk(value[k], node.map, path, out);
      path.pop();
    }
  } else if ('fields' in node) walkObject(value, node.fields, path, out);
  else walkSchema(value, node.schema, node.root ?? false, path, out);
}

function walkObject(value: unknown, fields: Record<string, FieldSpec>, path: (string | number)[], out: UnknownField[]): void {
  if (!isObj(value)) return;
  for (const k in value) {
    if (!Object.hasOwn(value, k)) continue;
    const spec = Object.hasOwn(fields, k) ? fields[k]! : undefined;
    path.push(k);
    if (spec === undefined) out.push({ path: [...path], field: k, allowed: Object.keys(fields) });
    else walk(value[k], spec, path, out);
    path.pop();
  }
}

/**
 * A structural schema, as the API server prunes with it: an object keeps the fields its
 * `properties` declare (any field under `additionalProperties`, or with
 * x-kubernetes-preserve-unknown-fields); apiVersion, kind and metadata of the resource (and of an
 * x-kubernetes-embedded-resource) are always known.
 */
function walkSchema(value: unknown, schema: Obj, root: boolean, path: (string | number)[], out: UnknownField[]): void {
  if (Array.isArray(value)) {
    if (!isObj(schema.items)) return;
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      walkSchema(value[i], schema.items, false, path, out);
      path.pop();
    }
    return;
  }
  if (!isObj(value) || (schema.type !== undefined && schema.type !== 'object')) return;
  const props = isObj(schema.properties) ? schema.properties : {};
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const resource = root || schema['x-kubernetes-embedded-resource'] === true;
  const additional = schema.additionalProperties;
  for (const [k, v] of Object.entries(value)) {
    if (resource && (k === 'apiVersion' || k === 'kind')) continue;
    path.push(k);
    const sub = Object.hasOwn(props, k) ? props[k] : undefined;
    if (resource && k === 'metadata') walk(v, OBJECT_META, path, out);
    else if (isObj(sub)) walkSchema(v, sub, false, path, out);
    else if (isObj(additional)) walkSchema(v, additional, false, path, out);
    else if (!preserve && additional !== true) out.push({ path: [...path], field: k, allowed: Object.keys(props) });
    path.pop();
  }
}
