import path from 'node:path';
import type { Reporter } from '../diagnostics/reporter.js';
import { BUILTIN_API_RESOURCES, groupQualifiedName, matchApiResources, type ApiResource } from '../model/api-resources.js';
import { BUILTIN_TYPES, FEDERATED_API_VERSION, type FederatedType, type Scope } from '../model/federated-types.js';
import type { Cluster, ControlPlane, FederatedResource, Inputs, KubeFedDocument, Labels, Origin, Override, Placement } from '../model/inputs.js';
import type { ParsedDocument } from '../parse/parsed-document.js';
import { checkOverrideList } from '../render/check-overrides.js';
import { classifyDocuments, KUSTOMIZATION_FILES, type ObjectDoc } from './classify-documents.js';
import { didYouMean } from './did-you-mean.js';
import { checkDnsLabel, checkDnsSubdomain, checkObjectName } from './names.js';
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

/** KubeFed kinds its controllers write; a repo that holds them holds a copy of a cluster's state. */
const KUBEFED_STATUS_KINDS = new Set(['PropagatedVersion', 'ClusterPropagatedVersion', 'DNSEndpoint', 'FederatedServiceStatus']);

const KUBEFED_GROUP = /(^|\.)kubefed\.io$/;

type Obj = Record<string, unknown>;
type Doc = ObjectDoc;

export interface LoadOptions {
  kubefedNamespace: string;
  /** Namespace of namespaced objects that have none (fedc.yaml defaultNamespace). */
  defaultNamespace?: string;
  /** CustomResourceDefinitions outside the inputs (fedc.yaml crds:): EnableTypeDirectives find them too. */
  crds?: readonly { value: Obj; origin: Origin }[];
}

/**
 * Classifies parsed documents (clusters, type configs, federated resources), validates each
 * against its schema and the naming rules, and builds the typed inputs of the planner.
 * A document with any error is left out of the inputs.
 */
export function loadInputs(parsed: readonly ParsedDocument[], options: LoadOptions, report: Reporter): Inputs {
  const docs = classifyDocuments(parsed, report);
  const byKind = (kind: string) => docs.filter((d) => d.kind === kind);
  const crds = byKind('CustomResourceDefinition');
  const extra = (options.crds ?? []).map((c) => ({ ...c, apiVersion: String(c.value.apiVersion), kind: 'CustomResourceDefinition' }));
  const types = buildTypeRegistry(byKind('FederatedTypeConfig'), byKind('EnableTypeDirective'), [...crds, ...extra], report);
  const controlPlane = readControlPlane(byKind('KubeFedConfig'), options, report);
  const clusters: Cluster[] = [];
  const resources: FederatedResource[] = [];
  const documents = new Map<string, KubeFedDocument[]>(Object.keys(OTHER_KINDS).map((k) => [k, []]));
  const unique = uniqueness(parsed, report);
  let declaredClusters = 0;
  const ignoredDomains: KubeFedDocument[] = [];
  const namespaceOf = (meta: Obj): string => {
    const ns = meta.namespace;
    if (typeof ns === 'string' && ns !== '') return ns;
    return options.defaultNamespace ?? '';
  };

  for (const d of docs) {
    if (HANDLED_KINDS.has(d.kind) && d.apiVersion.startsWith('core.kubefed.io/')) continue; // read above
    if (d.kind === 'CustomResourceDefinition' && d.apiVersion.startsWith('apiextensions.k8s.io/')) continue;
    const other = OTHER_KINDS[d.kind];
    if (other) {
      if (!schemaOk(other.schema, d, report)) continue;
      const meta = d.value.metadata as Obj;
      // One without a namespace is taken for one in the KubeFed namespace, as a KubeFedCluster is.
      const doc: KubeFedDocument = {
        kind: d.kind,
        name: meta.name as string,
        namespace: d.kind === 'Domain' ? ((meta.namespace as string | undefined) ?? '') : namespaceOf(meta),
        value: d.value,
        origin: d.origin,
      };
      if (d.kind === 'Domain' && meta.namespace !== undefined && !inKubefedNamespace(d, 'Domain', "KubeFed's DNS controllers read Domains", options, report)) {
        ignoredDomains.push(doc);
        continue;
      }
      if (unique(d, doc.namespace, doc.name)) documents.get(d.kind)!.push(doc);
      continue;
    }
    if (d.kind === 'KubeFedCluster') {
      declaredClusters++;
      if (!schemaOk('kubeFedCluster', d, report)) continue;
      const c = toCluster(d, options, report);
      if (c && unique(d, '', c.name)) clusters.push(c);
      continue;
    }
    const type = types.get(d.kind);
    if (!type) {
      reportUnknownKind(d, types, report);
      continue;
    }
    // Independent checks first, so that one problem never hides another in the same document.
    const apiVersionOk = d.apiVersion === type.federatedApiVersion;
    if (!apiVersionOk) {
      report.error('FEDC2001', { origin: d.origin, path: ['apiVersion'] }, `${d.kind} must have apiVersion ${type.federatedApiVersion}, not ${d.apiVersion}`);
    }
    const overridesOk = checkOverrideList(d.value, d.origin, report);
    if (!schemaOk('federatedResource', d, report) || !apiVersionOk) continue;
    const r = toResource(d, type, namespaceOf(d.value.metadata as Obj), report);
    if (!r) continue;
    if (!overridesOk) r.invalidOverrides = true;
    if (unique(d, r.namespace, r.name)) resources.push(r);
  }
  clusters.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { clusters, declaredClusters, resources, documents, ignoredDomains, controlPlane, crds: crds.map((d) => ({ value: d.value, origin: d.origin })) };
}

/** Kinds of core.kubefed.io that are read before the rest (they shape how the rest is read). */
const HANDLED_KINDS = new Set(['FederatedTypeConfig', 'EnableTypeDirective', 'KubeFedConfig']);

/**
 * Whether a document KubeFed reads from its own namespace only is there; FEDC2007 (ignored) when
 * not. `reads`: who reads it, for the message ("KubeFed reads its configuration").
 */
function inKubefedNamespace(d: Doc, kind: string, reads: string, options: LoadOptions, report: Reporter): boolean {
  const meta = d.value.metadata as Obj;
  const ns = (meta.namespace as string | undefined) ?? '';
  if (ns === options.kubefedNamespace) return true;
  report.warning('FEDC2007', { origin: d.origin, path: ns ? ['metadata', 'namespace'] : ['metadata'], atKey: !ns },
    `${kind} ${meta.name as string} is ${ns ? `in namespace ${ns}` : 'in no namespace'}; ${reads} from ${options.kubefedNamespace}, so it is ignored`,
    `move it to ${options.kubefedNamespace}, or set kubefedNamespace in fedc.yaml`);
  return false;
}

/** KubeFed's KubeFedConfig: the scope of the control plane. Without one, cluster-scoped. */
function readControlPlane(configs: Doc[], options: LoadOptions, report: Reporter): ControlPlane {
  let found: { doc: Doc; scope: ControlPlane['scope'] } | undefined;
  for (const d of configs) {
    if (!schemaOk('kubeFedConfig', d, report)) continue;
    const meta = d.value.metadata as Obj;
    if (!inKubefedNamespace(d, 'KubeFedConfig', 'KubeFed reads its configuration', options, report)) continue;
    if (found) {
      report.error('FEDC2004', { origin: d.origin, path: ['metadata', 'name'] }, 'a second KubeFedConfig: KubeFed reads one',
        `the first is at ${report.where({ origin: found.doc.origin, path: ['metadata', 'name'] })}`);
      continue;
    }
    found = { doc: d, scope: (d.value.spec as Obj).scope as ControlPlane['scope'] };
  }
  return found ? { scope: found.scope, origin: found.doc.origin } : { scope: 'Cluster' };
}

function schemaOk(schema: SchemaName, d: Doc, report: Reporter): boolean {
  // The object named as the other messages name it, where its name is one: a file may hold many.
  const name = (d.value.metadata as Obj | undefined)?.name;
  const label = typeof name === 'string' && name !== '' ? `${d.kind} ${name}` : d.kind;
  return validateDocument(schema, d.value, d.origin, 'FEDC2001', label, report);
}

/**
 * The check that an object of this kind, namespace and name was not read before (false, with
 * FEDC2004, when it was). A duplicate that lies in a directory with a kustomization is most
 * likely a kustomize patch, which fedc reads as an object: the hint says how to leave the
 * overlay out.
 */
function uniqueness(parsed: readonly ParsedDocument[], report: Reporter): (d: Doc, namespace: string, name: string) => boolean {
  const seen = new Map<string, Origin>();
  const kustomized = new Set(parsed.filter((p) => KUSTOMIZATION_FILES.has(path.posix.basename(p.file))).map((p) => path.posix.dirname(p.file)));
  return (d, namespace, name) => {
    const key = `${d.kind}/${namespace}/${name}`;
    const first = seen.get(key);
    if (!first) {
      seen.set(key, d.origin);
      return true;
    }
    const shown = namespace ? `${namespace}/${name}` : name;
    const dir = path.posix.dirname(d.origin.file);
    const overlay = kustomized.has(dir)
      ? `; ${d.origin.file} lies beside a kustomization, so it may be a kustomize patch, which fedc reads as an object: to leave the overlay out, exclude: ["${dir === '.' ? '' : `${dir}/`}**"] in fedc.yaml`
      : '';
    report.error('FEDC2004', { origin: d.origin, path: ['metadata', 'name'] }, `${d.kind} ${shown} is defined twice`, `first defined at ${report.where({ origin: first, path: ['metadata', 'name'] })}${overlay}`);
    return false;
  };
}

function buildTypeRegistry(ftcs: Doc[], directives: Doc[], crds: Doc[], report: Reporter): Map<string, FederatedType> {
  const types = new Map<string, FederatedType>(BUILTIN_TYPES.map((t) => [t.federatedKind, t]));
  const declared = new Map<string, Origin>();
  const declare = (d: Doc, kindPath: string[], t: FederatedType) => {
    const prev = declared.get(t.federatedKind);
    if (prev) {
      report.error('FEDC2005', { origin: d.origin, path: kindPath }, `${t.federatedKind} is declared twice (by a FederatedTypeConfig or an EnableTypeDirective)`, `the other is at ${report.where({ origin: prev, path: kindPath })}`);
      return;
    }
    if (types.get(t.federatedKind)?.origin === 'builtin') {
      report.info('FEDC2008', { origin: d.origin, path: kindPath }, `this ${d.kind} replaces fedc's built-in ${t.federatedKind}`);
    }
    declared.set(t.federatedKind, d.origin);
    types.set(t.federatedKind, t);
  };
  for (const d of ftcs) {
    if (d.apiVersion !== KUBEFED_CORE_API_VERSION) {
      report.error('FEDC2001', { origin: d.origin, path: ['apiVersion'] }, `FederatedTypeConfig must have apiVersion ${KUBEFED_CORE_API_VERSION}, not ${d.apiVersion}`);
      continue;
    }
    if (!schemaOk('federatedTypeConfig', d, report)) continue;
    const spec = d.value.spec as Obj;
    const fed = spec.federatedType as Obj;
    const target = spec.targetType as Obj;
    declare(d, ['spec', 'federatedType', 'kind'], {
      federatedKind: fed.kind as string,
      federatedApiVersion: `${(fed.group as string | undefined) ?? ''}/${fed.version as string}`.replace(/^\//, ''),
      federatedScope: fed.scope as Scope,
      targetGroup: targetGroupOf(d, target),
      targetVersion: target.version as string,
      targetKind: target.kind as string,
      targetScope: target.scope as Scope,
      propagation: spec.propagation === 'Enabled',
      origin: d.origin.file,
      declaration: { origin: d.origin, versionPath: ['spec', 'targetType', 'version'] },
    });
  }
  const known = [...BUILTIN_API_RESOURCES, ...crds.flatMap(apiResourcesOfCrd)];
  for (const d of directives) {
    if (!schemaOk('enableTypeDirective', d, report)) continue;
    const t = typeFromDirective(d, known, report);
    const versionPath = (d.value.spec as Obj | null | undefined)?.targetVersion !== undefined ? ['spec', 'targetVersion'] : ['metadata', 'name'];
    if (t) declare(d, ['metadata', 'name'], { ...t, declaration: { origin: d.origin, versionPath } });
  }
  return types;
}

/**
 * A FederatedTypeConfig's target group: as written, else (absent or empty) from its name,
 * `<plural>.<group>`, as KubeFed's SetFederatedTypeConfigDefaults fills it; a name without a dot
 * is a core type's.
 */
function targetGroupOf(d: Doc, target: Obj): string {
  if (typeof target.group === 'string' && target.group !== '') return target.group;
  const name = String((d.value.metadata as Obj).name ?? '');
  const dot = name.indexOf('.');
  return dot === -1 ? '' : name.slice(dot + 1);
}

/**
 * The FederatedTypeConfig `kubefedctl enable` generates from an EnableTypeDirective: the target
 * is looked up by name among the built-in resource types and the repo's CRDs (offline, they stand
 * in for discovery), the federated kind is Federated<Kind>.
 */
function typeFromDirective(d: Doc, known: readonly ApiResource[], report: Reporter): FederatedType | undefined {
  const name = (d.value.metadata as Obj).name as string;
  const spec = (d.value.spec as Obj | null | undefined) ?? {};
  const version = spec.targetVersion as string | undefined;
  const matches = matchApiResources(name, known, version);
  const at = { origin: d.origin, path: ['metadata', 'name'] };
  if (matches.length !== 1) {
    const distinct = [...new Set(matches.map(groupQualifiedName))];
    if (distinct.length > 1) {
      report.error('FEDC2013', at, `EnableTypeDirective ${name} matches ${distinct.join(', ')}`, 'name the type with its group: <plural>.<group>');
      return undefined;
    }
    if (matches.length === 0) {
      report.error('FEDC2013', at, `EnableTypeDirective ${name}${version ? ` (targetVersion ${version})` : ''}: no such resource type among Kubernetes' built-in types and the repo's CustomResourceDefinitions`,
        'add the CustomResourceDefinition to the repo, or write the FederatedTypeConfig that `kubefedctl enable` generates');
      return undefined;
    }
  }
  const r = matches[0]!;
  const group = (spec.federationGroup as string | undefined) ?? FEDERATED_API_VERSION.split('/')[0]!;
  const fedVersion = (spec.federationVersion as string | undefined) ?? FEDERATED_API_VERSION.split('/')[1]!;
  return {
    federatedKind: `Federated${r.kind}`,
    federatedApiVersion: `${group}/${fedVersion}`,
    // FederatedNamespace is namespaced so that placement needs only namespaced permissions.
    federatedScope: r.kind === 'Namespace' && r.group === '' ? 'Namespaced' : r.scope,
    targetGroup: r.group,
    targetVersion: version ?? r.version,
    targetKind: r.kind,
    targetScope: r.scope,
    propagation: true,
    origin: d.origin.file,
  };
}

/** What discovery would list for a CRD: one resource per served version, the storage version first. */
function apiResourcesOfCrd(d: Doc): ApiResource[] {
  const spec = d.value.spec as Obj | undefined;
  const names = spec?.names as Obj | undefined;
  if (!spec || !names || typeof spec.group !== 'string' || typeof names.plural !== 'string' || typeof names.kind !== 'string') return [];
  const versions = Array.isArray(spec.versions)
    ? (spec.versions as Obj[]).filter((v) => v && v.served !== false && typeof v.name === 'string')
      .sort((a, b) => Number(b.storage === true) - Number(a.storage === true)).map((v) => v.name as string)
    : typeof spec.version === 'string' ? [spec.version] : [];
  return versions.map((version) => ({
    plural: names.plural as string,
    singular: typeof names.singular === 'string' ? names.singular : (names.kind as string).toLowerCase(),
    kind: names.kind as string,
    group: spec.group as string,
    version,
    scope: spec.scope === 'Cluster' ? 'Cluster' : 'Namespaced',
    shortNames: Array.isArray(names.shortNames) ? (names.shortNames as string[]).map((n) => String(n).toLowerCase()) : [],
  }));
}

/**
 * A kind that is not one fedc reads. Federated kinds and kinds of KubeFed's groups are errors (a
 * typo, or a type to declare); anything else is a plain Kubernetes object, which KubeFed leaves
 * in the host cluster: one warning, and it goes nowhere.
 */
function reportUnknownKind(d: Doc, types: Map<string, FederatedType>, report: Reporter): void {
  const group = d.apiVersion.includes('/') ? d.apiVersion.slice(0, d.apiVersion.indexOf('/')) : '';
  const meta = (d.value.metadata ?? {}) as Obj;
  const name = typeof meta.name === 'string' ? (typeof meta.namespace === 'string' ? `${meta.namespace}/${meta.name}` : meta.name) : '(unnamed)';
  if (KUBEFED_STATUS_KINDS.has(d.kind)) {
    report.warning('FEDC2009', { origin: d.origin, path: ['kind'] }, `${d.kind} ${name} is written by KubeFed's controllers, not read by them; fedc ignores it`, 'exclude the file in fedc.yaml');
    return;
  }
  if (d.kind.startsWith('Federated') || KUBEFED_GROUP.test(group)) {
    const known = [...types.keys(), 'KubeFedCluster', 'FederatedTypeConfig', 'KubeFedConfig', 'EnableTypeDirective', ...Object.keys(OTHER_KINDS)];
    const guess = didYouMean(d.kind, known);
    const hint = guess
      ? `did you mean ${guess}?`
      : d.kind.startsWith('Federated')
        ? `declare the type with a FederatedTypeConfig (or an EnableTypeDirective) for ${d.kind.slice('Federated'.length) || 'its target'}`
        : `KubeFed's kinds that fedc reads: ${['KubeFedCluster', 'FederatedTypeConfig', 'KubeFedConfig', 'EnableTypeDirective', ...Object.keys(OTHER_KINDS)].join(', ')}`;
    report.error('FEDC2002', { origin: d.origin, path: ['kind'] }, `unknown kind ${d.kind} (apiVersion ${d.apiVersion})`, hint);
    return;
  }
  const federated = [...types.values()].find((t) => t.targetKind === d.kind);
  report.warning('FEDC2009', { origin: d.origin, path: ['kind'] },
    `${d.kind} ${name} is a plain Kubernetes object, not a federated one: KubeFed leaves it in the host cluster and propagates it to no member cluster`,
    federated
      ? `to propagate it, make it a ${federated.federatedKind} (this object under spec.template, plus a placement: \`kubefedctl federate\` writes one); otherwise exclude the file in fedc.yaml`
      : `to propagate it, declare a FederatedTypeConfig for ${d.kind} and wrap it in a Federated${d.kind}; otherwise exclude the file in fedc.yaml`);
}

function toCluster(d: Doc, options: LoadOptions, report: Reporter): Cluster | undefined {
  const meta = d.value.metadata as Obj;
  const name = meta.name as string;
  const problem = checkDnsSubdomain(name);
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
  // KubeFed's IsClusterReady: Ready only with a Ready condition that is "True" (an unreachable
  // cluster's controller writes Offline alone). A KubeFedCluster kept in git has no conditions at
  // all, as its controller has not written any: that one is Ready, as it is once joined.
  const conditions = status.conditions as Obj[] | null | undefined;
  const notReady = Array.isArray(conditions) && !conditions.some((c) => c?.type === 'Ready' && c.status === 'True');
  return {
    name,
    labels,
    ...(region !== undefined ? { region } : {}),
    zones,
    ...(meta.annotations ? { annotations: meta.annotations as Labels } : {}),
    notReady,
    origin: d.origin,
  };
}

function toResource(d: Doc, type: FederatedType, defaulted: string, report: Reporter): FederatedResource | undefined {
  const meta = d.value.metadata as Obj;
  const name = meta.name as string;
  const own = (meta.namespace as string | undefined) ?? '';
  const namespace = type.federatedScope === 'Namespaced' ? defaulted : own;
  let ok = true;
  const nameProblem = checkObjectName(type.targetKind, name);
  if (nameProblem) {
    report.error('FEDC2003', { origin: d.origin, path: ['metadata', 'name'] }, `${d.kind} name ${quoteName(name)} ${nameProblem}`);
    ok = false;
  }
  if (type.federatedScope === 'Namespaced') {
    if (namespace === '') {
      report.error('FEDC2001', { origin: d.origin, path: ['metadata'], atKey: true }, `${d.kind} ${name} is namespaced but has no metadata.namespace`,
        'add metadata.namespace, or set defaultNamespace in fedc.yaml (the namespace `kubectl apply -n` would have given it)');
      ok = false;
    } else if (checkDnsLabel(namespace)) {
      report.error('FEDC2003', { origin: d.origin, path: ['metadata', 'namespace'] }, `namespace ${quoteName(namespace)} ${checkDnsLabel(namespace)}`);
      ok = false;
    }
  } else if (own !== '') {
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
  // JSON's quoting escapes control characters (a NUL in a name must not reach a terminal or an annotation raw).
  return name.length > 64 ? `${JSON.stringify(name.slice(0, 40)).slice(0, -1)}..." (${name.length} characters)` : JSON.stringify(name);
}
