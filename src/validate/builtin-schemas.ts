import { existsSync, openSync, readSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ErrorObject } from 'ajv';
import { KUBERNETES_FORMATS } from './kubernetes-formats.js';
import { SchemaCodeCache, type CacheUse } from './schema-code-cache.js';

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
  /** definition id -> where its factory's body is in the file: byte range, and line and column from 0. */
  bodies: Record<string, [start: number, end: number, line: number, column: number]>;
}

type Factory = (exports: object, load: (id: string) => object, formats: object) => void;

// Built by scripts/build-kubernetes-schemas.mjs: <repo>/dist/kubernetes/schemas.cjs, which is
// ../../dist/kubernetes/ from dist/validate/ and from src/validate/ (the tests run the sources)
// alike; a bundle (the GitHub Action) carries it beside itself.
const CANDIDATES = ['./kubernetes-schemas.cjs', '../../dist/kubernetes/schemas.cjs'].map((p) => fileURLToPath(new URL(p, import.meta.url)));

/**
 * The file is not required (V8 would scan all its 3.4 MB, for the few dozen definitions a repo
 * uses), nor read whole: its first line gives the byte range of the index, and the index that of
 * each factory's body, read and compiled on first use. All through one descriptor, kept open, so
 * that the index and every body come from the same file even if an upgrade replaces it meanwhile.
 */
const HEADER = /^\/\*fedc-kubernetes-schemas ([0-9]{10}) ([0-9]{10})\*\/\n/;
const HEADER_LENGTH = 50;
const FACTORY_HEAD = '(function(exports,load,formats){"use strict";';
/** The build's training render (scripts/build-cli.mjs) writes the factories' code cache as it exits. */
const TRAINING = process.env.FEDC_BUILD_CODE_CACHE === '1';
/** Test hook: FEDC_TEST_TRACE_CODE_CACHE=1 says at exit how the factories compiled ("fedc-test: code cache schemas accepted"). */
const TRACE = process.env.FEDC_TEST_TRACE_CODE_CACHE === '1';

let bundled: { file: string; fd: number; index: BundleIndex; code: SchemaCodeCache } | undefined;
/** Definitions by id, built or not (see reference()); and the ids of those built. */
const loaded = new Map<string, Definition>();
const built = new Set<string>();

function bundle(): { file: string; fd: number; index: BundleIndex; code: SchemaCodeCache } {
  if (bundled) return bundled;
  const file = CANDIDATES.find((f) => existsSync(f));
  if (!file) throw new Error(`fedc: the Kubernetes schemas are not built (${CANDIDATES[1]} is missing): run npm run build`);
  const fd = openSync(file, 'r');
  const m = HEADER.exec(readRange(file, fd, 0, HEADER_LENGTH).toString('latin1'));
  if (!m) throw new Error(`fedc: ${file} is not a Kubernetes schema bundle of this fedc: run npm run build`);
  const code = new SchemaCodeCache(file.replace(/\.cjs$/, '.code-cache'), TRAINING);
  bundled = { file, fd, index: JSON.parse(readRange(file, fd, Number(m[1]), Number(m[2])).toString('utf8')) as BundleIndex, code };
  if (TRAINING) process.on('exit', () => code.write());
  if (TRACE) process.on('exit', () => process.stderr.write(`fedc-test: code cache schemas ${summary(code.uses)}\n`));
  return bundled;
}

/** Bytes [start, end) of the bundle. */
function readRange(file: string, fd: number, start: number, end: number): Buffer {
  const buf = Buffer.allocUnsafe(end - start);
  for (let at = 0; at < buf.length; ) {
    const n = readSync(fd, buf, at, buf.length - at, start + at);
    if (n === 0) throw new Error(`fedc: ${file} is cut short: run npm run build`);
    at += n;
  }
  return buf;
}

function factory(id: string): Factory | undefined {
  const b = bundle();
  const range = Object.hasOwn(b.index.bodies, id) ? b.index.bodies[id] : undefined;
  if (!range) return undefined;
  const [start, end, line, column] = range;
  // Strict, as the module it is part of; named by its place in the file, for stack traces and profiles.
  return b.code.compile(id, `${FACTORY_HEAD}${readRange(b.file, b.fd, start, end).toString('utf8')}\n})`, {
    filename: b.file,
    lineOffset: line,
    columnOffset: Math.max(0, column - FACTORY_HEAD.length),
  }) as Factory;
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

/** One schema definition: its validator and fields, built on first use. */
export function definition(id: string): Definition {
  const d = reference(id);
  if (!built.has(id)) build(id, d);
  return d;
}

/**
 * A definition as another refers to it (a factory's load): built when its validator is first
 * called, so that a kind compiles the definitions its objects reach rather than all it refers to
 * (a Deployment refers to some 170: every volume source, probe and the like). Registered before
 * it is built, as definitions refer to each other in cycles (JSONSchemaProps).
 */
function reference(id: string): Definition {
  let d = loaded.get(id);
  if (d) return d;
  if (!Object.hasOwn(bundle().index.bodies, id)) throw new Error(`fedc: no Kubernetes schema definition ${id}`);
  const stub: Definition = {
    validate: function (this: unknown, ...args: unknown[]) {
      if (!built.has(id)) build(id, stub);
      return (stub.validate as (...a: unknown[]) => boolean).apply(this, args);
    },
    // Read only through definition(), which builds first; the factory sets it with validate.
    fields: '*',
  };
  loaded.set(id, stub);
  return stub;
}

function build(id: string, d: Definition): void {
  const stub = d.validate;
  // The factory only refers to other definitions (reference()), so nothing is built under it.
  factory(id)!(d, reference, KUBERNETES_FORMATS);
  if (d.validate === stub) throw new Error(`fedc: the Kubernetes schema definition ${id} has no validator`);
  d.validate = remembering(d.validate as Validator);
  built.add(id);
}

/** A factory's validator, with its context passed positionally (scripts/kubernetes-validators.mjs). */
type Validator = ((data: unknown, instancePath?: string, parentData?: unknown, parentDataProperty?: string | number, rootData?: unknown) => boolean) & { errors?: ErrorObject[] | null };

/**
 * A definition's validator that remembers the objects and arrays it passed, and passes them again
 * without a look. Clusters share the unchanged parts of an object (applyOverrides copies only the
 * path an override changes), so the pod template under twenty clusters' Deployments that differ
 * in replicas is checked once, not twenty times. Sound because a validator's result depends on
 * its data alone (no $data, no defaults, pure formats) and rendered objects are never changed;
 * only a pass is remembered, as errors name the instancePath they were found at.
 */
function remembering(inner: Validator): Validator {
  const passed = new WeakSet<object>();
  const v: Validator = (data, instancePath, parentData, parentDataProperty, rootData) => {
    const remember = typeof data === 'object' && data !== null;
    if (remember && passed.has(data)) {
      v.errors = null;
      return true;
    }
    const ok = inner(data, instancePath, parentData, parentDataProperty, rootData);
    v.errors = inner.errors;
    if (ok && remember) passed.add(data);
    return ok;
  };
  return v;
}

/** One word for how the factories compiled: the worst of them, "accepted" when every one the cache has was (none compiled: "none"). */
function summary(uses: ReadonlyMap<string, CacheUse>): string {
  const all = new Set(uses.values());
  for (const u of ['training', 'invalid', 'rejected', 'missing', 'accepted', 'absent'] as const) if (all.has(u)) return u;
  return 'none';
}
