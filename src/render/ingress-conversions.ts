import type { Reporter } from '../diagnostics/reporter.js';
import type { ClusterOverride, FederatedResource } from '../model/inputs.js';
import type { NodePath } from '../parse/parsed-document.js';
import { convertIngressToV1, describeChanges, isV1Ingress, type IngressChangeKind, type IngressConversion } from './convert-ingress.js';
import { finishObject } from './object-for-cluster.js';
import { isPrefix, lastIndex, lastWriter, opNode, pointer } from './override-paths.js';

type Obj = Record<string, unknown>;

/** Where a conversion's change or problem came from: the template, or one override op of a cluster. */
type Source = { op: number; oi: number; cluster: string } | 'template';

/**
 * The member API server converts an extensions/v1beta1 Ingress body to networking.k8s.io/v1, and
 * KubeFed sends it the object with overrides applied. So fedc converts each rendered
 * networking.k8s.io/v1 Ingress after overrides (convert-ingress.ts) and reports once per
 * federated object what came from the template (FEDC4010 at the template), and once per
 * override op what its value brought in (FEDC4010 at that value). A body that no API server
 * accepts fails the object (FEDC2001). Diagnostics wait for finish(), so that an object that fails
 * elsewhere gets no info about it.
 */
export class IngressConversions {
  private sharedObject: Obj | undefined;
  private finishedBase: Obj | undefined;
  private baseConversion: IngressConversion | null | undefined;
  /** Template changes are carried by at least one rendered object. */
  private templateUsed = false;
  private readonly opKinds = new Map<string, { oi: number; op: number; cluster: string; kinds: Set<IngressChangeKind> }>();
  private readonly errors = new Map<string, () => void>();

  constructor(
    private readonly r: FederatedResource,
    private readonly base: Obj,
    private readonly report: Reporter,
  ) {}

  /** The object of clusters without overrides: built and converted once. */
  shared(): Obj {
    if (this.sharedObject) return this.sharedObject;
    const conv = this.base0();
    if (conv === null) return this.finishedBase!;
    this.sharedObject = conv.object;
    if (conv.changes.length > 0) this.templateUsed = true;
    for (const pr of conv.problems) this.problem('template', pr.path, pr.message, pr.hint);
    return this.sharedObject;
  }

  /** One cluster's object with its overrides applied (overrides[oi]), converted when it is a v1 Ingress. */
  overridden(object: Obj, cluster: string, oi: number): Obj {
    if (!isV1Ingress(object)) return object;
    const conv = convertIngressToV1(object);
    if (conv.changes.length === 0 && conv.problems.length === 0) return object;
    const ops = this.r.overrides[oi]!.clusterOverrides;
    const base = this.base0();
    const baseChanged = base !== null && base.changes.length > 0;
    for (const c of conv.changes) {
      let src = this.source(c.path, ops, oi, cluster);
      if (src === 'template' && !baseChanged) src = this.fallback(c.path, ops, oi, cluster, base === null);
      if (src === 'template') {
        this.templateUsed = true;
        continue;
      }
      const key = `${oi}/${src.op}`;
      let entry = this.opKinds.get(key);
      if (!entry) this.opKinds.set(key, (entry = { ...src, kinds: new Set() }));
      entry.kinds.add(c.kind);
    }
    for (const pr of conv.problems) {
      let src = this.source(pr.path, ops, oi, cluster);
      const inTemplate = base?.problems.some((b) => b.message === pr.message && samePath(b.path, pr.path)) ?? false;
      if (src === 'template' && !inTemplate) src = this.fallback(pr.path, ops, oi, cluster, base === null);
      this.problem(src, pr.path, pr.message, pr.hint);
    }
    return conv.object;
  }

  /** Reports what was converted unless the object failed; returns whether conversion problems fail it. */
  finish(failed: boolean): boolean {
    for (const e of this.errors.values()) e();
    if (failed || this.errors.size > 0) return this.errors.size > 0;
    const { r, report } = this;
    const base = this.baseConversion;
    if (this.templateUsed && base && base.changes.length > 0) {
      // At the first converted field; at the first path without pathType if nothing else was converted.
      const first = (base.changes.find((c) => c.kind !== 'pathType') ?? base.changes[0]!).path;
      report.info('FEDC4010', { origin: r.origin, path: ['spec', 'template', ...first], atKey: typeof first[first.length - 1] === 'string' },
        `${r.type.federatedKind} ${r.name}: converted from extensions/v1beta1 to networking.k8s.io/v1 as the API server would: ${describeChanges(base.changes.map((c) => c.kind))}`,
        HINT);
    }
    for (const { oi, op, cluster, kinds } of this.opKinds.values()) {
      const o = r.overrides[oi]!.clusterOverrides[op]!;
      const what = o.path === '/apiVersion'
        ? `makes the object networking.k8s.io/v1; its extensions/v1beta1 fields are converted as the API server would`
        : `sets extensions/v1beta1 fields; converted to networking.k8s.io/v1 as the API server would`;
      report.info('FEDC4010', { origin: r.origin, path: opNode(o, oi, op) },
        `${r.type.federatedKind} ${r.name}: the override ${o.path} for cluster "${cluster}" ${what}: ${describeChanges(kinds)}`,
        HINT);
    }
    return false;
  }

  /** The object without overrides, converted; null when it is not a networking.k8s.io/v1 Ingress. */
  private base0(): IngressConversion | null {
    if (this.baseConversion !== undefined) return this.baseConversion;
    this.finishedBase = finishObject(this.base);
    this.baseConversion = isV1Ingress(this.finishedBase) ? convertIngressToV1(this.finishedBase) : null;
    return this.baseConversion;
  }

  /** The last add or replace op that wrote the node at `path` (or a parent of it), else the template. */
  private source(path: NodePath, ops: readonly ClusterOverride[], oi: number, cluster: string): Source {
    const j = lastWriter(ops, path);
    return j >= 0 ? { op: j, oi, cluster } : 'template';
  }

  /**
   * What made the cluster's object need a conversion its template does not: the op that set its
   * apiVersion (when the template's object is not a v1 Ingress), else the last op that touched the
   * node (removing a pathType, say), else the cluster's last op.
   */
  private fallback(path: NodePath, ops: readonly ClusterOverride[], oi: number, cluster: string, baseNotV1: boolean): Source {
    let j = baseNotV1 ? lastIndex(ops, (o) => o.path === '/apiVersion') : -1;
    if (j < 0) j = lastIndex(ops, (o) => isPrefix(path, pointer(o.path)));
    if (j < 0) j = ops.length - 1;
    return { op: j, oi, cluster };
  }

  private problem(src: Source, path: NodePath, message: string, hint: string | undefined): void {
    const { r, report } = this;
    const at = src === 'template'
      ? { origin: r.origin, path: ['spec', 'template', ...path], atKey: true }
      : { origin: r.origin, path: opNode(r.overrides[src.oi]!.clusterOverrides[src.op]!, src.oi, src.op) };
    const who = src === 'template' ? '' : ` (override ${r.overrides[src.oi]!.clusterOverrides[src.op]!.path} for cluster "${src.cluster}")`;
    const key = JSON.stringify([at.path, message]);
    if (this.errors.has(key)) return;
    this.errors.set(key, () => report.error('FEDC2001', at, `${r.type.federatedKind} ${r.name}${who}: ${message}`, hint));
  }
}

const HINT = 'write the networking.k8s.io/v1 form: backend: {service: {name: ..., port: {number: ...}}}, spec.defaultBackend, and a pathType on every path';

function samePath(a: NodePath, b: NodePath): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}
