import type { Reporter } from '../diagnostics/reporter.js';
import type { FederatedResource, Origin } from '../model/inputs.js';
import type { PlacedResource } from '../plan/plan-placement.js';
import { checkOverrides } from './check-overrides.js';
import { IngressConversions } from './ingress-conversions.js';
import { applyOverrides, PatchError } from './json-patch.js';
import { finishObject, objectForCluster, targetIdentity } from './object-for-cluster.js';
import { lastWriter } from './override-paths.js';

/** A plain object for one member cluster, and where it came from. */
export interface RenderedObject {
  apiVersion: string;
  kind: string;
  name: string;
  /** '' for cluster-scoped objects. */
  namespace: string;
  /**
   * The object. Clusters that get identical objects share one instance, so the emitter can
   * serialize it once: treat it as read-only.
   */
  object: Record<string, unknown>;
  source: Origin;
  federatedKind: string;
  /** Index into spec.overrides applied for this cluster, if any. */
  overrideIndex?: number;
  /** The ReplicaSchedulingPreference that set its replicas, if any. */
  scheduledBy?: Origin;
}

/** Renders every placed object for every Ready cluster it is placed on: cluster name -> objects. */
export function renderClusters(placed: readonly PlacedResource[], readyClusters: readonly string[], report: Reporter): Map<string, RenderedObject[]> {
  const out = new Map<string, RenderedObject[]>(readyClusters.map((c) => [c, []]));
  for (const p of placed) {
    const r = p.resource;
    if (!checkOverrides(r, new Set(p.clusters), report)) continue;
    const base = objectForCluster(r, report);
    // Overrides cannot change kind, so only an Ingress type can render an Ingress.
    const ingress = r.type.targetKind === 'Ingress' ? new IngressConversions(r, base, report) : undefined;
    let shared: Record<string, unknown> | undefined;
    const perCluster: [string, Record<string, unknown>, number | undefined][] = [];
    let failed = false;
    for (const cluster of p.clusters) {
      if (!out.has(cluster)) continue; // not Ready: KubeFed writes nothing there
      const oi = r.overrides.findIndex((o) => o.clusterName === cluster);
      const ops = oi >= 0 ? r.overrides[oi]!.clusterOverrides : [];
      if (ops.length === 0) {
        // One object, shared by every cluster without overrides.
        shared ??= ingress ? ingress.shared() : finishObject(base);
        perCluster.push([cluster, shared, undefined]);
        continue;
      }
      let object: Record<string, unknown>;
      try {
        object = finishObject(applyOverrides(base, ops));
      } catch (err) {
        if (!(err instanceof PatchError)) throw err;
        reportPatchError(r, oi, cluster, err, report);
        failed = true;
        continue;
      }
      if (!keepsIdentity(r, object, oi, cluster, report)) {
        failed = true;
        continue;
      }
      perCluster.push([cluster, ingress ? ingress.overridden(object, cluster, oi) : object, oi]);
    }
    if (ingress?.finish(failed)) continue;
    // An override that failed on one cluster fails the compile (its error is reported), but the
    // object still goes to the other clusters here, so that the checks after this one (the
    // template's schema, the other clusters' overrides) report their problems in the same run.
    for (const [cluster, object, overrideIndex] of perCluster) {
      const meta = object.metadata as Record<string, unknown>;
      out.get(cluster)!.push({
        apiVersion: String(object.apiVersion),
        kind: String(object.kind),
        name: String(meta.name),
        namespace: typeof meta.namespace === 'string' ? meta.namespace : '',
        object,
        source: r.origin,
        federatedKind: r.type.federatedKind,
        ...(overrideIndex !== undefined ? { overrideIndex } : {}),
        ...(r.scheduledBy ? { scheduledBy: r.scheduledBy } : {}),
      });
    }
  }
  return out;
}

/**
 * Whether the overridden object still has the federated object's name and namespace. KubeFed
 * protects only the exact paths (/metadata/name...), so an override of /metadata as a whole passes
 * its checks; but it creates and finds the object by those of the federated object, so in that
 * cluster it fails (a namespaced object without a namespace) or loses track of what it created.
 */
function keepsIdentity(r: FederatedResource, object: Record<string, unknown>, oi: number, cluster: string, report: Reporter): boolean {
  const meta = object.metadata as Record<string, unknown>;
  const want = targetIdentity(r);
  const changes: string[] = [];
  if (meta.name !== want.name) changes.push(`name ${want.name} to ${typeof meta.name === 'string' ? meta.name : 'none'}`);
  const namespace = typeof meta.namespace === 'string' ? meta.namespace : '';
  if (namespace !== want.namespace) changes.push(`namespace ${want.namespace || 'none'} to ${namespace || 'none'}`);
  if (changes.length === 0) return true;
  const ops = r.overrides[oi]!.clusterOverrides;
  const j = Math.max(lastWriter(ops, ['metadata', 'name'], true), lastWriter(ops, ['metadata', 'namespace'], true));
  // only an op on the way to metadata.name or .namespace changes them (j >= 0); said at the list otherwise
  const path = j >= 0 ? ['spec', 'overrides', oi, 'clusterOverrides', j, 'path'] : ['spec', 'overrides', oi, 'clusterOverrides'];
  report.error('FEDC4011', { origin: r.origin, path },
    `override ${j >= 0 ? ops[j]!.path : ''} for cluster "${cluster}" changes the object's ${changes.join(' and its ')}: KubeFed creates and finds the object by the name and namespace of ${r.type.federatedKind} ${r.name}, so it could not manage it there`,
    'override the fields inside metadata (/metadata/labels, /metadata/annotations), not metadata as a whole');
  return false;
}

function reportPatchError(r: FederatedResource, oi: number, cluster: string, err: PatchError, report: Reporter): void {
  const scheduledBy = r.overrides[oi]!.clusterOverrides[err.index]!.scheduledBy;
  const at = scheduledBy
    ? { origin: scheduledBy, path: ['spec', 'totalReplicas'] }
    : { origin: r.origin, path: ['spec', 'overrides', oi, 'clusterOverrides', err.index, 'path'] };
  report.error('FEDC4005', at, `override for cluster "${cluster}" cannot be applied: ${err.message}`, err.hint);
}
