import type { Reporter } from '../diagnostics/reporter.js';
import { BUILTIN_TYPES, type FederatedType, type Scope } from '../model/federated-types.js';
import type { Cluster, FederatedResource, Inputs, KubeFedDocument, Labels, Origin, Override, Placement } from '../model/inputs.js';
import type { ParsedDocument } from '../parse/parsed-document.js';
import { didYouMean } from './did-you-mean.js';
import { checkDnsLabel, checkObjectName } from './names.js';
import type { SchemaName } from './schemas.js';
import { validateDocument } from './validate-document.js';

export const KUBEFED_CORE_API_VERSION = 'core.kubefed.io/v1beta1';

/** KubeFed's kinds besides clusters, type configs and federated objects: kind -> apiVersion and schema. */
export const OTHER_KINDS: Record<string, { apiVersion: string; schema: SchemaName }> = {
  ReplicaSchedulingPreference: { apiVersion: 'scheduling.kubefed.io/v1alpha1', schema: 'replicaSchedulingPreference' },
  Domain: { apiVersion: 'multiclusterdns.kubefed.io/v1alpha1', schema: 'domain' },
  ServiceDNSRecord: { apiVersion: 'multiclusterdns.kubefed.io/v1alpha1', schema: 'serviceDNSRecord' },
  IngressDNSRecord: { apiVersion: 'multiclusterdns.kubefed.io/v1alpha1', schema: 'ingressDNSRecord' },
};

const REGION_LABELS = ['topology.kubernetes.io/region', 'failure-domain.beta.kubernetes.io/region'];
const ZONE_LABELS = ['topology.kubernetes.io/zone', 'failure-domain.beta.kubernetes.io/zone'];

type Obj = Record<string, unknown>;

interface Doc {
  origin: Origin;
  value: Obj;
  apiVersion: string;
  kind: string;
}

export interface LoadOptions {
  kubefedNamespace: string;
}

/**
 * Classifies parsed documents (clusters, type configs, federated resources), validates each
 * against its schema and the naming rules, and builds the typed inputs of the planner.
 * A document with any error is left out of the inputs.
 */
export function loadInputs(parsed: readonly ParsedDocument[], options: LoadOptions, report: Reporter): Inputs {
  const docs: Doc[] = [];
  for (const p of parsed) {
    const origin: Origin = { file: p.file, docIndex: p.index, line: p.line };
    const v = p.value;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      report.error('FEDC1005', { origin }, `document ${p.index + 1} is ${Array.isArray(v) ? 'a list' : `a ${typeof v}`}, not a Kubernetes object`);
      continue;
    }
    const obj = v as Obj;
    const missing = ['apiVersion', 'kind'].filter((k) => obj[k] === undefined || obj[k] === null || obj[k] === '');
    if (missing.length > 0) {
      report.error('FEDC1005', { origin }, `document ${p.index + 1} has no ${missing.join(' and ')}; it is not a Kubernetes object`);
      continue;
    }
    const notString = ['apiVersion', 'kind'].filter((k) => typeof obj[k] !== 'string');
    if (notString.length > 0) {
      for (const k of notString) report.error('FEDC2001', { origin, path: [k] }, `${k} must be a string, not ${JSON.stringify(obj[k])}`);
      continue;
    }
    docs.push({ origin, value: obj, apiVersion: obj.apiVersion as string, kind: obj.kind as string });
  }

  const types = buildTypeRegistry(docs.filter((d) => d.kind === 'FederatedTypeConfig'), report);
  const clusters: Cluster[] = [];
  const resources: FederatedResource[] = [];
  const documents = new Map<string, KubeFedDocument[]>(Object.keys(OTHER_KINDS).map((k) => [k, []]));
  const seen = new Map<string, Origin>();

  for (const d of docs) {
    if (d.kind === 'FederatedTypeConfig') continue; // handled above
    const other = OTHER_KINDS[d.kind];
    if (other) {
      if (!schemaOk(other.schema, d, report)) continue;
      const meta = d.value.metadata as Obj;
      const doc: KubeFedDocument = {
        kind: d.kind,
        name: meta.name as string,
        namespace: (meta.namespace as string | undefined) ?? '',
        value: d.value,
        origin: d.origin,
      };
      if (unique(d, doc.namespace, doc.name, seen, report)) documents.get(d.kind)!.push(doc);
      continue;
    }
    if (d.kind === 'KubeFedCluster') {
      if (!schemaOk('kubeFedCluster', d, report)) continue;
      const c = toCluster(d, options, report);
      if (c && unique(d, '', c.name, seen, report)) clusters.push(c);
      continue;
    }
    const type = types.get(d.kind);
    if (!type) {
      reportUnknownKind(d, types, report);
      continue;
    }
    if (!schemaOk('federatedResource', d, report)) continue;
    if (d.apiVersion !== type.federatedApiVersion) {
      report.error('FEDC2001', { origin: d.origin, path: ['apiVersion'] }, `${d.kind} must have apiVersion ${type.federatedApiVersion}, not ${d.apiVersion}`);
      continue;
    }
    const r = toResource(d, type, report);
    if (r && unique(d, r.namespace, r.name, seen, report)) resources.push(r);
  }
  clusters.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { clusters, resources, documents };
}

function schemaOk(schema: SchemaName, d: Doc, report: Reporter): boolean {
  return validateDocument(schema, d.value, d.origin, 'FEDC2001', d.kind, report);
}

/** False, with FEDC2004, when an object of this kind, namespace and name was already read. */
function unique(d: Doc, namespace: string, name: string, seen: Map<string, Origin>, report: Reporter): boolean {
  const key = `${d.kind}/${namespace}/${name}`;
  const first = seen.get(key);
  if (first) {
    const shown = namespace ? `${namespace}/${name}` : name;
    report.error('FEDC2004', { origin: d.origin, path: ['metadata', 'name'] }, `${d.kind} ${shown} is defined twice`, `first defined at ${report.where({ origin: first, path: ['metadata', 'name'] })}`);
    return false;
  }
  seen.set(key, d.origin);
  return true;
}

function buildTypeRegistry(ftcs: Doc[], report: Reporter): Map<string, FederatedType> {
  const types = new Map<string, FederatedType>(BUILTIN_TYPES.map((t) => [t.federatedKind, t]));
  const declared = new Map<string, Origin>();
  for (const d of ftcs) {
    if (d.apiVersion !== KUBEFED_CORE_API_VERSION) {
      report.error('FEDC2001', { origin: d.origin, path: ['apiVersion'] }, `FederatedTypeConfig must have apiVersion ${KUBEFED_CORE_API_VERSION}, not ${d.apiVersion}`);
      continue;
    }
    if (!schemaOk('federatedTypeConfig', d, report)) continue;
    const spec = d.value.spec as Obj;
    const fed = spec.federatedType as Obj;
    const target = spec.targetType as Obj;
    const kind = fed.kind as string;
    const prev = declared.get(kind);
    if (prev) {
      report.error('FEDC2005', { origin: d.origin, path: ['spec', 'federatedType', 'kind'] }, `${kind} is declared by two FederatedTypeConfigs`, `the other is at ${report.where({ origin: prev, path: ['spec', 'federatedType', 'kind'] })}`);
      continue;
    }
    if (types.get(kind)?.origin === 'builtin') {
      report.info('FEDC2008', { origin: d.origin, path: ['spec', 'federatedType', 'kind'] }, `this FederatedTypeConfig replaces fedc's built-in ${kind}`);
    }
    declared.set(kind, d.origin);
    types.set(kind, {
      federatedKind: kind,
      federatedApiVersion: `${(fed.group as string | undefined) ?? ''}/${fed.version as string}`.replace(/^\//, ''),
      federatedScope: fed.scope as Scope,
      targetGroup: (target.group as string | undefined) ?? '',
      targetVersion: target.version as string,
      targetKind: target.kind as string,
      targetScope: target.scope as Scope,
      propagation: spec.propagation === 'Enabled',
      origin: d.origin.file,
    });
  }
  return types;
}

function reportUnknownKind(d: Doc, types: Map<string, FederatedType>, report: Reporter): void {
  const known = [...types.keys(), 'KubeFedCluster', 'FederatedTypeConfig', ...Object.keys(OTHER_KINDS)];
  const guess = didYouMean(d.kind, known);
  const plain = [...types.values()].find((t) => t.targetKind === d.kind);
  let hint: string;
  if (guess) hint = `did you mean ${guess}?`;
  else if (plain) hint = `fedc reads federated objects: put this ${d.kind} in the spec.template of a ${plain.federatedKind}, or exclude the file in fedc.yaml`;
  else hint = 'declare the type with a FederatedTypeConfig, or exclude the file in fedc.yaml';
  report.error('FEDC2002', { origin: d.origin, path: ['kind'] }, `unknown kind ${d.kind} (apiVersion ${d.apiVersion})`, hint);
}

function toCluster(d: Doc, options: LoadOptions, report: Reporter): Cluster | undefined {
  const meta = d.value.metadata as Obj;
  const name = meta.name as string;
  const problem = checkDnsLabel(name);
  if (problem) {
    report.error('FEDC2003', { origin: d.origin, path: ['metadata', 'name'] }, `cluster name ${quoteName(name)} ${problem}`, 'a cluster name becomes a directory name in the output');
    return undefined;
  }
  const ns = meta.namespace as string | undefined;
  if (ns !== undefined && ns !== options.kubefedNamespace) {
    report.warning('FEDC2007', { origin: d.origin, path: ['metadata', 'namespace'] }, `KubeFedCluster ${name} is in namespace ${ns}; KubeFed only reads clusters in ${options.kubefedNamespace}, so it is ignored`, `move it to ${options.kubefedNamespace}, or set kubefedNamespace in fedc.yaml`);
    return undefined;
  }
  const labels = (meta.labels as Labels | null | undefined) ?? {};
  const status = (d.value.status as Obj | undefined) ?? {};
  const firstLabel = (keys: string[]) => keys.map((k) => labels[k]).find((v) => v !== undefined && v !== '');
  const region = firstLabel(REGION_LABELS) ?? (status.region as string | undefined);
  const zoneLabel = firstLabel(ZONE_LABELS);
  const zones = zoneLabel !== undefined ? [zoneLabel] : ((status.zones as string[] | undefined) ?? []);
  const ready = ((status.conditions as Obj[] | undefined) ?? []).find((c) => c.type === 'Ready');
  return {
    name,
    labels,
    ...(region !== undefined ? { region } : {}),
    zones,
    ...(meta.annotations ? { annotations: meta.annotations as Labels } : {}),
    notReady: ready !== undefined && ready.status !== 'True',
    origin: d.origin,
  };
}

function toResource(d: Doc, type: FederatedType, report: Reporter): FederatedResource | undefined {
  const meta = d.value.metadata as Obj;
  const name = meta.name as string;
  const namespace = (meta.namespace as string | undefined) ?? '';
  let ok = true;
  const nameProblem = checkObjectName(type.targetKind, name);
  if (nameProblem) {
    report.error('FEDC2003', { origin: d.origin, path: ['metadata', 'name'] }, `${d.kind} name ${quoteName(name)} ${nameProblem}`);
    ok = false;
  }
  if (type.federatedScope === 'Namespaced') {
    if (namespace === '') {
      report.error('FEDC2001', { origin: d.origin, path: ['metadata'], atKey: true }, `${d.kind} ${name} is namespaced but has no metadata.namespace`);
      ok = false;
    } else if (checkDnsLabel(namespace)) {
      report.error('FEDC2003', { origin: d.origin, path: ['metadata', 'namespace'] }, `namespace ${quoteName(namespace)} ${checkDnsLabel(namespace)}`);
      ok = false;
    }
  } else if (namespace !== '') {
    report.error('FEDC2001', { origin: d.origin, path: ['metadata', 'namespace'] }, `${d.kind} is cluster-scoped and must not have metadata.namespace`);
    ok = false;
  }
  if (!ok) return undefined;
  const spec = d.value.spec as Obj;
  const placement = (spec.placement as Obj | undefined) ?? {};
  const clusterList = placement.clusters as { name: string }[] | null | undefined;
  const p: Placement = {
    clusters: clusterList == null ? null : clusterList.map((c) => c.name),
    clusterSelector: (placement.clusterSelector as Placement['clusterSelector'] | undefined) ?? null,
  };
  const overrides: Override[] = ((spec.overrides as Obj[] | null | undefined) ?? []).map((o) => ({
    clusterName: o.clusterName as string,
    clusterOverrides: (o.clusterOverrides as Override['clusterOverrides'] | null | undefined) ?? [],
  }));
  return {
    type,
    name,
    namespace,
    template: (spec.template as Obj | undefined) ?? {},
    placement: p,
    overrides,
    origin: d.origin,
  };
}


/** A name for a message: quoted, and cut short when it is very long. */
function quoteName(name: string): string {
  return name.length > 64 ? `"${name.slice(0, 40)}..." (${name.length} characters)` : `"${name}"`;
}
