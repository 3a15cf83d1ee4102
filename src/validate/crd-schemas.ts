import { createRequire } from 'node:module';
import type { Ajv, ValidateFunction } from 'ajv';
import type { Reporter } from '../diagnostics/reporter.js';
import type { Origin } from '../model/inputs.js';
import type { ParsedDocument } from '../parse/parsed-document.js';
import { KUBERNETES_FORMATS } from './kubernetes-formats.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A CustomResourceDefinition document: among the inputs, or in a file of `crds:` in fedc.yaml. */
export interface CrdDocument {
  value: Obj;
  origin: Origin;
}

/** One version of a custom resource type, as its CRD declares it. */
export interface CrdVersion {
  crd: CrdDocument;
  /** metadata.name of the CRD. */
  name: string;
  version: string;
  served: boolean;
  deprecated: boolean;
  deprecationWarning?: string;
  /** The openAPIV3Schema, if the CRD gives one; and where it is in the CRD. */
  schema?: Obj;
  schemaPath: (string | number)[];
}

/**
 * The CustomResourceDefinitions in files of `crds:` (fedc.yaml): documents and List items of kind
 * CustomResourceDefinition; anything else in those files is ignored. A file with none is warned
 * about (FEDC7007), as its glob probably points at the wrong place.
 */
export function crdsOfFiles(parsed: readonly ParsedDocument[], files: readonly string[], report: Reporter): CrdDocument[] {
  const out: CrdDocument[] = [];
  const found = new Set<string>();
  const visit = (v: unknown, origin: Origin) => {
    if (!isObj(v)) return;
    if (Array.isArray(v.items) && typeof v.kind === 'string' && v.kind.endsWith('List')) {
      v.items.forEach((item, i) => visit(item, { ...origin, within: [...(origin.within ?? []), 'items', i] }));
      return;
    }
    if (isCrd(v)) {
      out.push({ value: v, origin });
      found.add(origin.file);
    }
  };
  for (const p of parsed) visit(p.value, { file: p.file, docIndex: p.index, line: p.line });
  for (const f of files) {
    if (found.has(f)) continue;
    report.warning('FEDC7007', { origin: { file: f, docIndex: 0, line: 1 } },
      `${f} is listed under crds: in fedc.yaml but holds no CustomResourceDefinition`,
      'crds: names files of CustomResourceDefinitions (apiextensions.k8s.io/v1), read for their schemas');
  }
  return out;
}

export function isCrd(v: Obj): boolean {
  return v.kind === 'CustomResourceDefinition' && typeof v.apiVersion === 'string' && v.apiVersion.startsWith('apiextensions.k8s.io/');
}

/** The repo's custom resource types: group/kind -> versions, the first CRD of a group and kind wins. */
export class CustomResourceTypes {
  private readonly byKind = new Map<string, CrdVersion[]>();
  private readonly compiled = new Map<CrdVersion, ValidateFunction | null>();

  constructor(crds: readonly CrdDocument[], private readonly report: Reporter) {
    for (const crd of crds) {
      const spec = crd.value.spec;
      const names = isObj(spec) ? spec.names : undefined;
      if (!isObj(spec) || !isObj(names) || typeof spec.group !== 'string' || typeof names.kind !== 'string') continue;
      const key = `${spec.group}/${names.kind}`;
      if (this.byKind.has(key)) continue;
      const meta = isObj(crd.value.metadata) ? crd.value.metadata : {};
      const name = typeof meta.name === 'string' ? meta.name : key;
      const shared = isObj(spec.validation) && isObj(spec.validation.openAPIV3Schema) ? spec.validation.openAPIV3Schema : undefined;
      const versions: CrdVersion[] = [];
      if (Array.isArray(spec.versions)) {
        spec.versions.forEach((v: unknown, i) => {
          if (!isObj(v) || typeof v.name !== 'string') return;
          const own = isObj(v.schema) && isObj(v.schema.openAPIV3Schema) ? v.schema.openAPIV3Schema : undefined;
          versions.push({
            crd, name, version: v.name,
            served: v.served !== false,
            deprecated: v.deprecated === true,
            ...(typeof v.deprecationWarning === 'string' ? { deprecationWarning: v.deprecationWarning } : {}),
            ...(own ?? shared ? { schema: (own ?? shared)! } : {}),
            schemaPath: own ? ['spec', 'versions', i, 'schema', 'openAPIV3Schema'] : ['spec', 'validation', 'openAPIV3Schema'],
          });
        });
      } else if (typeof spec.version === 'string') {
        versions.push({ crd, name, version: spec.version, served: true, deprecated: false, ...(shared ? { schema: shared } : {}), schemaPath: ['spec', 'validation', 'openAPIV3Schema'] });
      }
      this.byKind.set(key, versions);
    }
  }

  /** The versions the repo's CRD of this group and kind declares; undefined when there is no CRD. */
  versions(group: string, kind: string): CrdVersion[] | undefined {
    return this.byKind.get(`${group}/${kind}`);
  }

  /** The version's validator, compiled on first use; null when it has no usable schema. */
  validator(v: CrdVersion): ValidateFunction | null {
    if (this.compiled.has(v)) return this.compiled.get(v)!;
    let fn: ValidateFunction | null = null;
    if (v.schema) {
      try {
        fn = ajv().compile(toJsonSchema(v.schema));
      } catch (err) {
        this.report.warning('FEDC7007', { origin: v.crd.origin, path: v.schemaPath, atKey: true },
          `the schema of ${v.name} (version ${v.version}) cannot be used: ${(err as Error).message.split('\n')[0]}; its custom resources are not checked`);
      }
    }
    this.compiled.set(v, fn);
    return fn;
  }
}

let shared: Ajv | undefined;
function ajv(): Ajv {
  if (shared) return shared;
  // ajv (its compiler: some 60 modules) is loaded only when a repo has a CRD schema to compile.
  // The core is synchronous, so it is required, not imported: in an ES module through
  // createRequire; in a bundle (the CLI's, the GitHub Action's), through the plain call the
  // bundler sees and resolves to the copy of ajv it carries.
  const { Ajv: AjvClass } = (typeof require === 'function' ? require('ajv') : createRequire(import.meta.url)('ajv')) as typeof import('ajv');
  // Formats Kubernetes does not check are ignored, as the API server ignores them.
  shared = new AjvClass({ allErrors: true, strict: false, logger: false, validateFormats: true });
  for (const [name, f] of Object.entries(KUBERNETES_FORMATS)) {
    shared.addFormat(name, { type: f.type, validate: f.validate } as never);
  }
  return shared;
}

const KEPT = new Set(['type', 'required', 'enum', 'format', 'pattern', 'minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems',
  'uniqueItems', 'multipleOf', 'minProperties', 'maxProperties']);

/**
 * A CRD's structural schema (OpenAPI v3.0) as a JSON Schema ajv reads: `nullable` allows null,
 * boolean exclusiveMinimum/Maximum become numbers, x-kubernetes-int-or-string becomes an anyOf of
 * integer and string, the other x-kubernetes-* extensions and annotations go.
 */
export function toJsonSchema(s: unknown): Obj {
  if (!isObj(s)) return {};
  const out: Obj = {};
  for (const [k, v] of Object.entries(s)) {
    if (KEPT.has(k)) out[k] = v;
    else if (k === 'properties' && isObj(v)) out.properties = Object.fromEntries(Object.entries(v).map(([p, sub]) => [p, toJsonSchema(sub)]));
    else if (k === 'items') out.items = Array.isArray(v) ? v.map(toJsonSchema) : toJsonSchema(v);
    else if (k === 'additionalProperties') out.additionalProperties = typeof v === 'boolean' ? v : toJsonSchema(v);
    else if ((k === 'allOf' || k === 'anyOf' || k === 'oneOf') && Array.isArray(v)) out[k] = v.map(toJsonSchema);
    else if (k === 'not') out.not = toJsonSchema(v);
  }
  if (s.exclusiveMinimum === true && typeof s.minimum === 'number') {
    out.exclusiveMinimum = s.minimum;
    delete out.minimum;
  }
  if (s.exclusiveMaximum === true && typeof s.maximum === 'number') {
    out.exclusiveMaximum = s.maximum;
    delete out.maximum;
  }
  if (s['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    if (!out.anyOf) out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (s.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
  }
  // Unknown fields are the field walk's (a warning), not the validator's (an error).
  if (out.additionalProperties === false) delete out.additionalProperties;
  return out;
}
