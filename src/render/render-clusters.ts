import type { Reporter } from '../diagnostics/reporter.js';
import type { FederatedResource, Origin } from '../model/inputs.js';
import type { PlacedResource } from '../plan/plan-placement.js';
import { checkOverrides } from './check-overrides.js';
import { IngressConversions } from './ingress-conversions.js';
import { applyOverrides, PatchError } from './json-patch.js';
import { finishObject, objectForCluster } from './object-for-cluster.js';

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

function reportPatchError(r: FederatedResource, oi: number, cluster: string, err: PatchError, report: Reporter): void {
  const scheduledBy = r.overrides[oi]!.clusterOverrides[err.index]!.scheduledBy;
  const at = scheduledBy
    ? { origin: scheduledBy, path: ['spec', 'totalReplicas'] }
    : { origin: r.origin, path: ['spec', 'overrides', oi, 'clusterOverrides', err.index, 'path'] };
  report.error('FEDC4005', at, `override for cluster "${cluster}" cannot be applied: ${err.message}`, err.hint);
}
