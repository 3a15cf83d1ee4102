import type { Reporter } from '../diagnostics/reporter.js';
import { targetApiVersion } from '../model/federated-types.js';
import type { FederatedResource } from '../model/inputs.js';

type Obj = Record<string, unknown>;

export const MANAGED_LABEL = 'kubefed.io/managed';

/**
 * KubeFed's ObjectForCluster (KUBEFED-SEMANTICS.md §c): a copy of the template with name,
 * namespace and kind forced, apiVersion defaulted, annotations and finalizers dropped (unless empty). It does not
 * depend on the cluster, so it is built once per federated object. Below its top level and its
 * metadata it shares the template's values: rendered objects are read-only, and applyOverrides
 * copies before it changes anything.
 */
/**
 * The object a federated resource propagates, before overrides: its apiVersion (the template's,
 * else the type's), kind, namespace ('' when cluster-scoped) and name.
 */
export function targetIdentity(r: FederatedResource): { apiVersion: string; kind: string; namespace: string; name: string } {
  const template = r.template as Obj;
  const namespaced = r.type.targetKind !== 'Namespace' && r.namespace !== '' && r.type.targetScope === 'Namespaced';
  return {
    apiVersion: typeof template.apiVersion === 'string' && template.apiVersion !== '' ? template.apiVersion : targetApiVersion(r.type),
    kind: r.type.targetKind,
    namespace: namespaced ? r.namespace : '',
    name: r.name,
  };
}

export function objectForCluster(r: FederatedResource, report: Reporter): Obj {
  const template = r.template as Obj;
  const tmeta = isObj(template.metadata) ? template.metadata : {};
  const at = (...path: string[]) => ({ origin: r.origin, path: ['spec', 'template', ...path], atKey: true });
  // Dropped only when there is something to drop, as KubeFed does: an empty map or list stays, so
  // that an override may add to it.
  const dropAnnotations = isObj(tmeta.annotations) && Object.keys(tmeta.annotations).length > 0;
  const dropFinalizers = Array.isArray(tmeta.finalizers) && tmeta.finalizers.length > 0;
  if (dropAnnotations) {
    report.warning('FEDC4007', at('metadata', 'annotations'),
      'annotations in a template are dropped (KubeFed does not propagate them)',
      'set annotations with an override: {op: add, path: /metadata/annotations, value: {...}}');
  }
  if (dropFinalizers) {
    report.warning('FEDC4008', at('metadata', 'finalizers'), 'finalizers in a template are dropped (KubeFed does not propagate them)');
  }
  for (const [field, forced, path] of [
    ['name', r.name, ['metadata', 'name']],
    ['namespace', r.namespace, ['metadata', 'namespace']],
  ] as const) {
    if (typeof tmeta[field] === 'string' && tmeta[field] !== forced) {
      report.warning('FEDC4009', at(...path), `the template's ${field} "${tmeta[field] as string}" is ignored; the object gets the federated object's ${field} "${forced}"`);
    }
  }
  if (typeof template.kind === 'string' && template.kind !== r.type.targetKind) {
    report.warning('FEDC4009', at('kind'), `the template's kind ${template.kind} is ignored; ${r.type.federatedKind} propagates ${r.type.targetKind}`);
  }

  const id = targetIdentity(r);
  const metadata: Obj = { name: id.name };
  if (id.namespace !== '') metadata.namespace = id.namespace;
  for (const [k, v] of Object.entries(tmeta)) {
    if (k === 'name' || k === 'namespace' || (k === 'annotations' && dropAnnotations) || (k === 'finalizers' && dropFinalizers)) continue;
    metadata[k] = v;
  }
  const obj: Obj = {
    apiVersion: id.apiVersion,
    kind: id.kind,
    metadata,
  };
  for (const [k, v] of Object.entries(template)) {
    if (k === 'apiVersion' || k === 'kind' || k === 'metadata') continue;
    obj[k] = v;
  }
  return obj;
}

/** KubeFed's AddManagedLabel, applied last, then fedc's fixed key order. */
export function finishObject(obj: Obj): Obj {
  const meta = isObj(obj.metadata) ? obj.metadata : {};
  const labels = isObj(meta.labels) ? meta.labels : {};
  const { name, namespace, labels: _l, annotations, ...restMeta } = meta;
  const metadata: Obj = {};
  if (name !== undefined) metadata.name = name;
  if (namespace !== undefined) metadata.namespace = namespace;
  metadata.labels = { ...labels, [MANAGED_LABEL]: 'true' };
  if (annotations !== undefined) metadata.annotations = annotations;
  Object.assign(metadata, restMeta);
  const { apiVersion, kind, metadata: _m, ...rest } = obj;
  return { apiVersion, kind, metadata, ...rest };
}

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
