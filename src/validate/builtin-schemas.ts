import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { ErrorObject } from 'ajv';
import { KUBERNETES_FORMATS } from './kubernetes-formats.js';

/**
 * What a field holds: '' a value without fields, '*' anything (nothing below it is unknown), a
 * definition id, a list or a map of something, or an object declared inline.
 */
export type FieldSpec = string | { list: FieldSpec } | { map: FieldSpec } | { fields: Record<string, FieldSpec> };

export interface Definition {
  validate: ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };
  /** The definition's fields; '*' when it declares none (it holds anything), '' for a plain value. */
  fields: Record<string, FieldSpec> | string;
}

interface BundleIndex {
  source: string;
  kubernetesVersion: string;
  /** apiVersion -> kind -> definition id. */
  kinds: Record<string, Record<string, string>>;
}

type Factory = (exports: object, load: (id: string) => object, formats: object) => void;

// Built by scripts/build-kubernetes-schemas.mjs: <repo>/dist/kubernetes/schemas.cjs, which is
// ../../dist/kubernetes/ from dist/validate/ and from src/validate/ (the tests run the sources)
// alike; a bundle (the GitHub Action) carries it beside itself.
const CANDIDATES = ['./kubernetes-schemas.cjs', '../../dist/kubernetes/schemas.cjs'].map((p) => fileURLToPath(new URL(p, import.meta.url)));

let bundled: { index: BundleIndex; factories: Record<string, Factory> } | undefined;
const loaded = new Map<string, Definition>();

function bundle(): { index: BundleIndex; factories: Record<string, Factory> } {
  if (bundled) return bundled;
  const file = CANDIDATES.find((f) => existsSync(f));
  if (!file) throw new Error(`fedc: the Kubernetes schemas are not built (${CANDIDATES[1]} is missing): run npm run build`);
  bundled = createRequire(file)(file) as typeof bundled & object;
  return bundled;
}

/** The Kubernetes release whose schemas fedc bundles ("1.36"). */
export function schemaKubernetesVersion(): string {
  return bundle().index.kubernetesVersion;
}

/** Where the schemas come from ("kubernetes-models@5.1.0"). */
export function schemaSource(): string {
  return bundle().index.source;
}

/** The definition of a built-in apiVersion and kind, if Kubernetes has one. Loaded on first use. */
export function builtinKind(apiVersion: string, kind: string): string | undefined {
  return bundle().index.kinds[apiVersion]?.[kind];
}

/** Whether an API group is one of Kubernetes' own ('' is the core group). */
export function isBuiltinGroup(group: string): boolean {
  const b = bundle().index;
  groups ??= new Set(Object.keys(b.kinds).map((av) => (av.includes('/') ? av.slice(0, av.indexOf('/')) : '')));
  return groups.has(group);
}
let groups: Set<string> | undefined;

/** The apiVersions that have a kind, for a hint. */
export function builtinApiVersionsOf(kind: string): string[] {
  return Object.entries(bundle().index.kinds).filter(([, kinds]) => kinds[kind] !== undefined).map(([av]) => av);
}

/** The kinds Kubernetes serves in an apiVersion, for a hint. */
export function builtinKinds(apiVersion: string): string[] {
  return Object.keys(bundle().index.kinds[apiVersion] ?? {}).filter((k) => !k.endsWith('List'));
}

/** One schema definition: its validator and fields, built (with what it refers to) on first use. */
export function definition(id: string): Definition {
  let d = loaded.get(id);
  if (d) return d;
  const factory = bundle().factories[id];
  if (!factory) throw new Error(`fedc: no Kubernetes schema definition ${id}`);
  d = {} as Definition;
  // Registered before it is built: definitions refer to each other in cycles (JSONSchemaProps).
  loaded.set(id, d);
  factory(d, definition, KUBERNETES_FORMATS);
  return d;
}
