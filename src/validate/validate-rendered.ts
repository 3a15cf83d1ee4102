import type { ErrorObject } from 'ajv';
import { didYouMean } from '../check/did-you-mean.js';
import type { DiagnosticCode, Severity } from '../diagnostics/diagnostic.js';
import type { At, Reporter } from '../diagnostics/reporter.js';
import type { Cluster, ClusterOverride, FederatedResource, Origin } from '../model/inputs.js';
import { formatPath, type NodePath } from '../parse/parsed-document.js';
import type { PlacedResource } from '../plan/plan-placement.js';
import { isRemove, lastIndex, lastWriter, opNode, pointer } from '../render/override-paths.js';
import type { RenderedObject } from '../render/render-clusters.js';
import { builtinApiVersionsOf, builtinKind, builtinKinds, definition, isBuiltinGroup, schemaKubernetesVersion, schemaSource } from './builtin-schemas.js';
import { CustomResourceTypes, type CrdDocument } from './crd-schemas.js';
import { unknownFields, type FieldNode } from './field-walk.js';
import {
  apiLifecycle, DEFAULT_KUBERNETES_VERSION, KUBERNETES_VERSION_LABEL, parseKubernetesVersion, servedBy, showVersion, type ApiLifecycle,
} from './kubernetes-versions.js';
import { apiServerProblems } from './api-server-checks.js';
import { schemaProblems, type SchemaProblem } from './schema-problems.js';

export interface KubernetesCheckOptions {
  /** Target version of clusters without a fedc.dev/kubernetes-version label; default DEFAULT_KUBERNETES_VERSION. */
  kubernetesVersion?: string;
  /** Target versions of named clusters without the label, over kubernetesVersion. */
  clusterKubernetesVersions?: Readonly<Record<string, string>>;
  /** CustomResourceDefinitions whose schemas check custom resources. */
  crds: readonly CrdDocument[];
}

type Obj = Record<string, unknown>;
const OBJECT_META = 'IoK8sApimachineryPkgApisMetaV1ObjectMeta';

/**
 * Checks every rendered object against Kubernetes' own schemas for the Kubernetes version of each
 * cluster it goes to, as the member API server would judge it, and reports each problem where the
 * user wrote it: once at the template, or at the override op that introduced it, naming its
 * cluster. Clusters share object instances, so each distinct object is validated once.
 */
export function checkKubernetesSchemas(
  placed: readonly PlacedResource[],
  rendered: ReadonlyMap<string, readonly RenderedObject[]>,
  clusters: readonly Cluster[],
  options: KubernetesCheckOptions,
  report: Reporter,
): void {
  const versions = clusterVersions(clusters, options.kubernetesVersion, options.clusterKubernetesVersions ?? {}, report);
  const resources = new Map<Origin, FederatedResource>(placed.map((p) => [p.resource.origin, p.resource]));
  const instances = new Map<object, { ro: RenderedObject; clusters: string[] }>();
  for (const [cluster, objects] of rendered) {
    for (const ro of objects) {
      let g = instances.get(ro.object);
      if (!g) instances.set(ro.object, (g = { ro, clusters: [] }));
      g.clusters.push(cluster);
    }
  }
  const check = new ObjectCheck(new CustomResourceTypes(options.crds, report), versions, report);
  for (const { ro, clusters: names } of instances.values()) {
    const r = resources.get(ro.source);
    if (r) check.object(ro, r, names);
  }
  check.flush();
}

/**
 * Each cluster's target minor: its own version (KUBE_VERSION for a selected cluster: Argo CD
 * measured it, so it wins over a label that may be stale, with FEDC7009 when they differ), else
 * its label, else the default (KUBE_VERSION or fedc.yaml), else fedc's default.
 */
function clusterVersions(clusters: readonly Cluster[], fallback: string | undefined, own: Readonly<Record<string, string>>, report: Reporter): Map<string, number> {
  const bundled = parseKubernetesVersion(schemaKubernetesVersion())!;
  const newer = new Set<number>();
  const tooNew = (minor: number, at: At | undefined) => {
    if (minor <= bundled || newer.has(minor)) return;
    newer.add(minor);
    const message = `Kubernetes ${showVersion(minor)} is newer than fedc's schemas (Kubernetes ${schemaKubernetesVersion()}, from ${schemaSource()}): objects are checked against those, and API versions removed after ${schemaKubernetesVersion()} are not known`;
    if (at) report.info('FEDC7008', at, message);
    else report.diagnostics.push({ code: 'FEDC7008', severity: 'info', message, file: '', line: 0, col: 0 });
  };
  let base = parseKubernetesVersion(DEFAULT_KUBERNETES_VERSION)!;
  if (fallback !== undefined) {
    const v = parseKubernetesVersion(fallback);
    if (v === undefined) {
      report.diagnostics.push({ code: 'FEDC7006', severity: 'error', message: `kubernetesVersion "${fallback}" is not a Kubernetes version`, file: '', line: 0, col: 0, hint: 'write it as 1.30 (or v1.30.2)' });
    } else {
      base = v;
      tooNew(v, undefined);
    }
  }
  const out = new Map<string, number>();
  for (const c of clusters) {
    const label = c.labels[KUBERNETES_VERSION_LABEL];
    const mine = Object.hasOwn(own, c.name) ? parseKubernetesVersion(own[c.name]!) : undefined;
    let minor = mine ?? base;
    if (mine !== undefined) tooNew(mine, undefined);
    if (label !== undefined) {
      const at = { origin: c.origin, path: ['metadata', 'labels', KUBERNETES_VERSION_LABEL] };
      const v = parseKubernetesVersion(String(label));
      if (v === undefined) {
        report.error('FEDC7006', at, `cluster ${c.name}: ${KUBERNETES_VERSION_LABEL} "${String(label)}" is not a Kubernetes version`, 'write it as 1.30 (or v1.30.2)');
      } else if (mine === undefined) {
        minor = v;
        tooNew(v, at);
      } else if (v !== mine) {
        report.info('FEDC7009', at, `cluster ${c.name}: ${KUBERNETES_VERSION_LABEL} says Kubernetes ${showVersion(v)}, but KUBE_VERSION (the version Argo CD measured) is ${showVersion(mine)}: its objects are checked against ${showVersion(mine)}`, `set the label to "${showVersion(mine)}"`);
      }
    }
    out.set(c.name, minor);
  }
  return out;
}

/** Where a field of a rendered object was written, and how a message names that place. */
interface Source {
  at: At;
  /** The override op's cluster, when an override wrote it. */
  cluster?: string;
  /** " (override /spec/replicas for cluster "aws")", or ''. */
  who: string;
  /** The type's declaration (a FederatedTypeConfig) set it, for every object of the type. */
  declared?: boolean;
}

interface Finding {
  code: DiagnosticCode;
  severity: Severity;
  at: At;
  message: (clusters: [string, number][]) => string;
  hint?: string;
  clusters: Map<string, number>;
}

class ObjectCheck {
  private readonly findings = new Map<string, Finding>();
  private readonly noSchema = new Set<string>();

  constructor(
    private readonly crds: CustomResourceTypes,
    private readonly versions: ReadonlyMap<string, number>,
    private readonly report: Reporter,
  ) {}

  object(ro: RenderedObject, r: FederatedResource, clusters: readonly string[]): void {
    const oi = ro.overrideIndex;
    const ops = oi !== undefined ? r.overrides[oi]!.clusterOverrides : [];
    const obj = ro.object;
    const { apiVersion, kind } = ro;
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    const version = apiVersion.slice(apiVersion.indexOf('/') + 1);
    const label = `${r.type.federatedKind} ${r.name}`;
    // Where the apiVersion was written: looked up only for a finding (most objects have none).
    let apiSource: Source | undefined;
    const apiAt = () => (apiSource ??= this.source(['apiVersion'], r, ops, oi, {}));
    const pairs = clusters.map((c): [string, number] => [c, this.versions.get(c) ?? parseKubernetesVersion(DEFAULT_KUBERNETES_VERSION)!]);

    const id = builtinKind(apiVersion, kind);
    const life = apiLifecycle(apiVersion, kind);
    let errors: ErrorObject[] = [];
    let fields: FieldNode;
    if (id !== undefined || life !== undefined || isBuiltinGroup(group)) {
      if (!this.served(apiVersion, kind, id, life, pairs, r, apiAt)) return;
      if (id === undefined) return;
      const def = definition(id);
      if (!def.validate(obj)) errors = def.validate.errors ?? [];
      fields = id;
    } else {
      const versions = this.crds.versions(group, kind);
      const v = versions?.find((x) => x.version === version);
      if (!versions) {
        this.missingSchema(group, kind, apiVersion, r, undefined);
        return;
      }
      if (!v || !v.served) {
        const servedVersions = versions.filter((x) => x.served).map((x) => x.version);
        this.add('FEDC7003', 'error', apiAt().at, `crd|${apiVersion}|${kind}`,
          () => `${prefix(r, apiAt())}: the CustomResourceDefinition ${versions[0]?.name ?? `${group}/${kind}`} does not serve ${version}${v ? ' (served: false)' : ''}; it serves ${servedVersions.join(', ') || 'no version'}`,
          pairs, servedVersions.length ? `use ${group}/${servedVersions[0]}` : undefined);
        return;
      }
      if (v.deprecated) {
        this.add('FEDC7004', 'warning', apiAt().at, `crd|${apiVersion}|${kind}`,
          () => `${prefix(r, apiAt())}: ${apiVersion} ${kind} is deprecated${v.deprecationWarning ? `: ${v.deprecationWarning}` : ` by its CustomResourceDefinition ${v.name}`}`, pairs);
      }
      if (!v.schema) {
        this.missingSchema(group, kind, apiVersion, r, `its CustomResourceDefinition ${v.name} gives no schema for ${version}`);
        return;
      }
      const fn = this.crds.validator(v);
      if (!fn) return;
      if (!fn(obj)) errors = [...(fn.errors ?? [])];
      // The API server checks a custom resource's metadata as it checks every object's.
      // The context as the bundled validators take it, positionally (scripts/build-kubernetes-schemas.mjs).
      const meta = definition(OBJECT_META).validate as unknown as (d: unknown, instancePath: string, parentData: unknown, parentDataProperty: string, rootData: unknown) => boolean;
      if (obj.metadata !== undefined && !meta(obj.metadata, '/metadata', obj, 'metadata', obj)) {
        errors.push(...((definition(OBJECT_META).validate.errors as ErrorObject[] | null) ?? []));
      }
      fields = { schema: v.schema!, root: true };
    }

    const secret = kind === 'Secret' && group === '';
    for (const p of [...schemaProblems(errors, obj, secret), ...apiServerProblems(group, kind, obj)]) this.problem(p, r, ops, oi, label);
    for (const u of unknownFields(obj, fields)) {
      const guess = didYouMean(u.field, u.allowed);
      const src = this.source(u.path, r, ops, oi, { unknown: true });
      this.add('FEDC7002', 'warning', src.at, `${src.cluster ?? ''}|unknown`,
        () => `${label}${src.who}: unknown field "${formatPath(u.path)}"; the API server drops it (kubectl's field validation reports it)`,
        pairs, guess ? `did you mean "${guess}"?` : undefined);
    }
  }

  /** Reports API versions the clusters do not (or no longer) serve; false when none of them serves it. */
  private served(apiVersion: string, kind: string, id: string | undefined, life: ApiLifecycle | undefined, pairs: [string, number][], r: FederatedResource, apiAt: () => Source): boolean {
    const removed: [string, number][] = [];
    const notYet: [string, number][] = [];
    const deprecated: [string, number][] = [];
    const unknown: [string, number][] = [];
    let removedIn = 0;
    let deprecatedIn = 0;
    let from = 0;
    for (const p of pairs) {
      if (!id && !life) {
        unknown.push(p);
        continue;
      }
      const s = servedBy(p[1], life);
      if (s.state === 'removed') (removed.push(p), (removedIn = s.since));
      else if (s.state === 'not-yet') (notYet.push(p), (from = s.from));
      else if (s.state === 'deprecated') (deprecated.push(p), (deprecatedIn = s.since));
    }
    if (removed.length + notYet.length + unknown.length + deprecated.length === 0) return pairs.length > 0;
    const src = apiAt();
    const who = prefix(r, src);
    const what = `${apiVersion} ${kind}`;
    const instead = life?.replacement ? `use ${life.replacement}${life.replacement.includes(' ') ? '' : ` ${kind}`}` : undefined;
    const hint = [life?.note, life && instead ? conversionHint(life) : undefined].filter(Boolean).join('; ') || undefined;
    if (removed.length) {
      this.add('FEDC7003', 'error', src.at, `removed|${what}`, (cs) => `${who}: ${what} is no longer served by Kubernetes ${showVersion(removedIn)} and later, so ${inClusters(cs)} ${refuse(cs)} it${instead ? `: ${instead}` : ''}`, removed, hint);
    }
    if (notYet.length) {
      this.add('FEDC7003', 'error', src.at, `not-yet|${what}`, (cs) => `${who}: ${what} is served from Kubernetes ${showVersion(from)} on, so ${inClusters(cs)} ${refuse(cs)} it`, notYet,
        `if the cluster runs a later version, say so with its ${KUBERNETES_VERSION_LABEL} label`);
    }
    if (unknown.length) {
      const elsewhere = builtinApiVersionsOf(kind).filter((av) => servedBy(Math.max(...pairs.map((p) => p[1])), apiLifecycle(av, kind)).state === 'served');
      this.add('FEDC7003', 'error', src.at, `unknown|${what}`, () => `${who}: Kubernetes serves no ${kind} in ${apiVersion}`, unknown,
        elsewhere.length ? `${kind} is served as ${elsewhere.join(', ')}` : builtinKinds(apiVersion).length ? `did you mean ${didYouMean(kind, builtinKinds(apiVersion)) ?? `one of ${builtinKinds(apiVersion).slice(0, 8).join(', ')}`}?` : undefined);
    }
    if (deprecated.length) {
      this.add('FEDC7004', 'warning', src.at, `deprecated|${what}`,
        (cs) => `${who}: ${what} is deprecated since Kubernetes ${showVersion(deprecatedIn)}${life?.removed ? ` and removed in ${showVersion(life.removed)}` : ''}, so ${inClusters(cs)} ${cs.length === 1 ? 'warns' : 'warn'} about it${instead ? `: ${instead}` : ''}`, deprecated, hint);
    }
    return removed.length + notYet.length + unknown.length < pairs.length;
  }

  private problem(p: SchemaProblem, r: FederatedResource, ops: readonly ClusterOverride[], oi: number | undefined, label: string): void {
    const src = this.source(p.path, r, ops, oi, p.missing !== undefined ? { missing: p.missing, atKey: p.atKey } : { atKey: p.atKey });
    this.add('FEDC7001', 'error', src.at, `${src.cluster ?? ''}|${p.message}`, () => `${label}${src.who}: ${p.message}`, [], p.hint);
  }

  /**
   * Who wrote the node at `path` of a cluster's object: the last override op whose path leads to
   * it (for a missing field, the op that removed it), else the template (apiVersion: else the
   * type's declaration; kind, name and namespace: the federated object, which sets them).
   */
  private source(path: NodePath, r: FederatedResource, ops: readonly ClusterOverride[], oi: number | undefined,
    opts: { missing?: string; unknown?: boolean; atKey?: boolean }): Source {
    const full = opts.missing !== undefined ? [...path, opts.missing] : path;
    let j = lastWriter(ops, full);
    const removedIt = lastIndex(ops, (o) => isRemove(o) && samePath(pointer(o.path), full));
    if (removedIt > j) j = removedIt;
    if (j >= 0 && oi !== undefined) {
      const op = ops[j]!;
      const cluster = r.overrides[oi]!.clusterName;
      if (op.scheduledBy) {
        return { at: { origin: op.scheduledBy, path: ['spec', 'totalReplicas'] }, cluster, who: ` (the replicas its ReplicaSchedulingPreference plans for cluster "${cluster}")` };
      }
      const node = opNode(op, oi, j);
      const rest = path.slice(pointer(op.path).length);
      const who = ` (override ${op.path} for cluster "${cluster}")`;
      if (isRemove(op) || (rest.length === 0 && opts.unknown)) {
        return { at: { origin: r.origin, path: [...node.slice(0, -1), 'path'] }, cluster, who };
      }
      return { at: { origin: r.origin, path: [...node, ...rest], atKey: (opts.unknown || opts.atKey) === true && rest.length > 0 }, cluster, who };
    }
    const template = r.template as Obj;
    if (path[0] === 'apiVersion' && path.length === 1 && typeof template.apiVersion !== 'string') {
      const d = r.type.declaration;
      return d ? { at: { origin: d.origin, path: d.versionPath }, who: '', declared: true } : { at: { origin: r.origin, path: ['kind'] }, who: '' };
    }
    if ((path[0] === 'kind' && path.length === 1) || (path[0] === 'metadata' && (path[1] === 'name' || path[1] === 'namespace') && path.length === 2)) {
      return { at: { origin: r.origin, path: path[0] === 'kind' ? ['kind'] : ['metadata', path[1]!] }, who: '' };
    }
    return { at: { origin: r.origin, path: ['spec', 'template', ...path], atKey: opts.unknown === true || opts.atKey === true }, who: '' };
  }

  private missingSchema(group: string, kind: string, apiVersion: string, r: FederatedResource, why: string | undefined): void {
    const key = `${group}/${kind}`;
    if (this.noSchema.has(key)) return;
    this.noSchema.add(key);
    const d = r.type.targetKind === kind ? r.type.declaration : undefined;
    // At a FederatedTypeConfig's targetType, an EnableTypeDirective's name (or targetVersion).
    const at = d
      ? d.versionPath[d.versionPath.length - 1] === 'version' ? { origin: d.origin, path: d.versionPath.slice(0, -1), atKey: true } : { origin: d.origin, path: d.versionPath }
      : { origin: r.origin, path: ['kind'] };
    this.report.info('FEDC7005', at,
      `${kind} (${apiVersion}) has no schema: ${why ?? 'no CustomResourceDefinition for it among the inputs or in crds: of fedc.yaml'}, so its objects are not checked`,
      why ? undefined : 'list the file of its CustomResourceDefinition under crds: in fedc.yaml');
  }

  private add(code: DiagnosticCode, severity: Severity, at: At, what: string, message: Finding['message'], clusters: readonly [string, number][], hint?: string): void {
    const o = at.origin;
    const key = JSON.stringify([code, o.file, o.docIndex, o.within ?? null, at.path ?? [], at.atKey ?? false, what]);
    let f = this.findings.get(key);
    if (!f) this.findings.set(key, (f = { code, severity, at, message, ...(hint ? { hint } : {}), clusters: new Map() }));
    for (const [c, v] of clusters) f.clusters.set(c, v);
  }

  flush(): void {
    for (const f of this.findings.values()) {
      const clusters = [...f.clusters].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      this.report.add(f.severity, f.code, f.at, f.message(clusters), f.hint);
    }
  }
}

/** How a message names the object: the federated object, or its type when the type's declaration set the apiVersion. */
function prefix(r: FederatedResource, src: Source): string {
  return src.declared ? `${r.type.federatedKind} (as declared here)` : `${r.type.federatedKind} ${r.name}${src.who}`;
}

/** "cluster aws (Kubernetes 1.36)", "clusters gke (Kubernetes 1.24) and aws, azure (Kubernetes 1.36)"; at most 5 names. */
function inClusters(cs: readonly [string, number][]): string {
  const shown = cs.slice(0, 5);
  const names = shown.map(([name, v], i) => (i === shown.length - 1 || shown[i + 1]![1] !== v ? `${name} (Kubernetes ${showVersion(v)})` : name));
  const more = cs.length - shown.length;
  const list = more > 0 ? `${names.join(', ')} and ${more} more` : names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : names[0] ?? '';
  return `${cs.length === 1 ? 'cluster' : 'clusters'} ${list}`;
}

const refuse = (cs: readonly unknown[]) => (cs.length === 1 ? 'refuses' : 'refuse');

function conversionHint(life: ApiLifecycle): string {
  if (life.kind === 'Ingress' && life.apiVersion !== 'networking.k8s.io/v1') {
    return 'in networking.k8s.io/v1 a backend is {service: {name: ..., port: {number: ...}}}, spec.backend is spec.defaultBackend, and every path has a pathType';
  }
  return 'the kubectl-convert plugin rewrites a manifest to another API version (kubectl convert -f FILE --output-version VERSION)';
}

function samePath(a: NodePath, b: NodePath): boolean {
  return a.length === b.length && a.every((s, i) => String(s) === String(b[i]));
}
