import type { Reporter } from '../diagnostics/reporter.js';
import type { Cluster, FederatedResource, Inputs } from '../model/inputs.js';
import { federatedNamespaces, isFederatedNamespace } from './federated-namespaces.js';
import { compileSelector } from './label-selector.js';

/** Namespaces KubeFed never propagates as Namespace objects (their FederatedNamespace still gates). */
export const SYSTEM_NAMESPACES = ['kube-system', 'kube-public', 'default'];

export interface PlacedResource {
  resource: FederatedResource;
  /** Clusters the placement selects, sorted by name, Ready or not (KubeFed writes only to Ready ones). */
  clusters: string[];
}

export interface PlanOptions {
  kubefedNamespace: string;
}

/**
 * KubeFed's placement (KUBEFED-SEMANTICS.md §a): explicit cluster list or label selector,
 * intersected with the registered clusters and, for namespaced targets, with the placement of the
 * namespace's FederatedNamespace. What KubeFed drops silently becomes a warning here.
 */
export function planPlacement(inputs: Inputs, options: PlanOptions, report: Reporter): PlacedResource[] {
  const registered = new Map<string, Cluster>(inputs.clusters.map((c) => [c.name, c]));
  const hints = clusterHints(registered);
  const own = new Map<FederatedResource, Set<string> | undefined>();
  for (const r of inputs.resources) own.set(r, selectedClusters(r, registered, hints, report));

  for (const r of inputs.resources) {
    if (r.type.targetKind !== 'Namespace' || isFederatedNamespace(r)) continue;
    report.warning('FEDC3004', { origin: r.origin, path: ['metadata', 'name'] },
      `FederatedNamespace ${r.namespace}/${r.name} is ignored: KubeFed only reads the FederatedNamespace named like its namespace`,
      `rename it to ${r.namespace}`);
  }
  const gates = federatedNamespaces(inputs.resources);

  const system = new Set([...SYSTEM_NAMESPACES, options.kubefedNamespace]);
  const limitedScope = inputs.controlPlane.scope === 'Namespaced';
  const placed: PlacedResource[] = [];
  for (const r of inputs.resources) {
    let selected = own.get(r);
    if (!selected) continue;
    if (!r.type.propagation) {
      report.warning('FEDC2006', { origin: r.origin, path: ['kind'] }, `${r.type.federatedKind} has propagation: Disabled in ${r.type.origin}; ${r.namespace ? r.namespace + '/' : ''}${r.name} is not propagated`);
      continue;
    }
    if (r.type.targetKind === 'Namespace') {
      if (!isFederatedNamespace(r)) continue; // reported above
      if (system.has(r.name)) {
        report.info('FEDC3005', { origin: r.origin, path: ['metadata', 'name'] },
          `namespace ${r.name} is a system namespace: KubeFed never propagates it, but this FederatedNamespace still gates the objects in it`);
        continue;
      }
    }
    if (limitedScope && (r.type.federatedScope === 'Cluster' || r.namespace !== options.kubefedNamespace)) {
      report.warning('FEDC2012', { origin: r.origin, path: r.namespace ? ['metadata', 'namespace'] : ['kind'] },
        r.type.federatedScope === 'Cluster'
          ? `${r.type.federatedKind} ${r.name} is cluster-scoped; KubeFed's namespace-scoped control plane (KubeFedConfig scope: Namespaced) propagates only namespaced objects of its namespace ${options.kubefedNamespace}`
          : `${r.type.federatedKind} ${r.name} is in namespace ${r.namespace}; KubeFed's namespace-scoped control plane (KubeFedConfig scope: Namespaced) watches only ${options.kubefedNamespace}, so it is propagated to no cluster`,
        r.type.federatedScope === 'Cluster'
          ? 'make the control plane cluster-scoped (KubeFedConfig spec.scope: Cluster)'
          : `move it to namespace ${options.kubefedNamespace}, or make the control plane cluster-scoped (KubeFedConfig spec.scope: Cluster)`);
      continue;
    }
    if (r.type.targetScope === 'Namespaced') {
      const fedNs = gates.get(r.namespace);
      if (!fedNs && limitedScope) {
        // KubeFed's limitedScope: without a FederatedNamespace, the object's own placement as written.
        placed.push({ resource: r, clusters: [...selected].sort() });
        continue;
      }
      if (!fedNs) {
        report.warning('FEDC3003', { origin: r.origin, path: ['metadata', 'namespace'] },
          `namespace ${r.namespace} has no FederatedNamespace, so KubeFed propagates ${r.type.federatedKind} ${r.name} to no cluster`,
          `add a FederatedNamespace named ${r.namespace} in namespace ${r.namespace}`);
        continue;
      }
      const nsClusters = own.get(fedNs) ?? new Set<string>();
      if (r.scheduledBy) reportGatedReplicas(r, [...selected].filter((c) => !nsClusters.has(c)), report);
      selected = new Set([...selected].filter((c) => nsClusters.has(c)));
    }
    placed.push({ resource: r, clusters: [...selected].sort() });
  }
  return placed;
}

/**
 * A ReplicaSchedulingPreference plans over the Ready clusters (or the selectors), not over the
 * FederatedNamespace's placement, which gates the object afterwards: replicas it gives to a
 * cluster the namespace leaves out run nowhere. KubeFed does the same, silently.
 */
function reportGatedReplicas(r: FederatedResource, gated: readonly string[], report: Reporter): void {
  const lost = gated
    .map((c) => [c, scheduledReplicas(r, c)] as const)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (lost.length === 0) return;
  const n = lost.reduce((sum, [, k]) => sum + k, 0);
  report.warning('FEDC3108', { origin: r.scheduledBy!, path: ['spec', 'totalReplicas'] },
    `${n} replicas of ${r.type.federatedKind} ${r.namespace}/${r.name} are scheduled to ${lost.length === 1 ? 'cluster' : 'clusters'} ${someNames(lost.map(([c, k]) => `${c} (${k})`))}, where the FederatedNamespace ${r.namespace} does not place it: they run on no cluster`,
    `place the FederatedNamespace ${r.namespace} on ${lost.length === 1 ? 'that cluster' : 'those clusters'}, or keep the preference off ${lost.length === 1 ? 'it' : 'them'} (maxReplicas: 0, or intersectWithClusterSelector with a clusterSelector on both objects)`);
}

/** The replicas a ReplicaSchedulingPreference gave the object on one cluster (0 when none). */
function scheduledReplicas(r: FederatedResource, cluster: string): number {
  const op = r.overrides.find((o) => o.clusterName === cluster)?.clusterOverrides.find((o) => o.scheduledBy);
  return typeof op?.value === 'number' ? op.value : 0;
}

/** The object's own placement ∩ registered clusters; undefined when the placement is invalid. */
function selectedClusters(r: FederatedResource, registered: Map<string, Cluster>, hintFor: (name: string) => string, report: Reporter): Set<string> | undefined {
  const { clusters, clusterSelector } = r.placement;
  if (clusters !== null) {
    const out = new Set<string>();
    clusters.forEach((name, i) => {
      if (registered.has(name)) out.add(name);
      else {
        report.warning('FEDC3002', { origin: r.origin, path: ['spec', 'placement', 'clusters', i, 'name'] },
          `placement names cluster "${name}", which is not a declared KubeFedCluster; KubeFed skips it`,
          hintFor(name));
      }
    });
    return out;
  }
  if (clusterSelector === null) {
    report.warning('FEDC3006', { origin: r.origin, path: ['spec', 'placement'], atKey: true },
      `${r.type.federatedKind} ${r.name} has neither placement.clusters nor placement.clusterSelector, so KubeFed propagates it to no cluster`,
      'add placement.clusterSelector: {} to select every cluster, or list the clusters');
    return new Set();
  }
  const { matcher, problems } = compileSelector(clusterSelector);
  for (const p of problems) {
    report.error('FEDC3001', { origin: r.origin, path: ['spec', 'placement', 'clusterSelector', ...p.path], atKey: p.atKey ?? false }, `invalid clusterSelector: ${p.message}`);
  }
  if (problems.length > 0) return undefined;
  return new Set([...registered.values()].filter((c) => matcher(c.labels)).map((c) => c.name));
}

/**
 * The hint for a cluster name that is not declared: the declared name it differs from in case
 * only, else some declared names. Built once: a list of 10,000 unknown names against 10,000
 * clusters would otherwise compare every pair.
 */
function clusterHints(registered: Map<string, Cluster>): (name: string) => string {
  const names = [...registered.keys()];
  const byLower = new Map<string, string>();
  for (const n of names) if (!byLower.has(n.toLowerCase())) byLower.set(n.toLowerCase(), n);
  const declared = names.length ? `declared clusters: ${someNames(names)}` : 'no KubeFedCluster is declared';
  return (name) => {
    const close = byLower.get(name.toLowerCase());
    return close ? `did you mean ${close}?` : declared;
  };
}

/** At most 20 names, so a hint stays a line even with 10,000 clusters. */
export function someNames(names: readonly string[], max = 20): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}
