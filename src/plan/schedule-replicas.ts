import type { Reporter } from '../diagnostics/reporter.js';
import type { Cluster, ClusterOverride, FederatedResource, Inputs, KubeFedDocument, Override } from '../model/inputs.js';
import { federatedNamespaces } from './federated-namespaces.js';
import { compileSelector } from './label-selector.js';
import { byCluster, planReplicas, type ClusterPreference } from './plan-replicas.js';

/** The kinds KubeFed's scheduling plugin handles. */
export const SCHEDULABLE_KINDS = ['FederatedDeployment', 'FederatedReplicaSet'];

const REPLICAS_PATH = '/spec/replicas';

/** Where an object stood in the previous output, to read its replicas from. */
export interface ObjectRef {
  kind: string;
  namespace: string;
  name: string;
}

/**
 * The replicas an object has in a cluster in the previous output (fedc's stand-in for KubeFed's
 * live member objects), or undefined when there is none.
 */
export type PreviousReplicas = (cluster: string, object: ObjectRef) => number | undefined;

export interface ScheduleOptions {
  previousReplicas?: PreviousReplicas;
}

type Obj = Record<string, unknown>;

/**
 * KubeFed's scheduling plugin (KUBEFED-SEMANTICS.md §e): for each ReplicaSchedulingPreference,
 * plan its target's replicas over the Ready clusters and rewrite the target as the plugin does:
 * placement.clusters = every available cluster (those planned 0 included), and a /spec/replicas
 * override per cluster that wins over the user's own. Returns the inputs with targets rewritten.
 */
export function scheduleReplicas(inputs: Inputs, options: ScheduleOptions, report: Reporter): Inputs {
  const preferences = inputs.documents.get('ReplicaSchedulingPreference') ?? [];
  if (preferences.length === 0) return inputs;
  const ready = inputs.clusters.filter((c) => !c.notReady);
  const declared = new Set(inputs.clusters.map((c) => c.name));
  const byKey = new Map(inputs.resources.map((r) => [`${r.type.federatedKind}/${r.namespace}/${r.name}`, r]));
  const rewritten = new Map<FederatedResource, FederatedResource>();

  for (const doc of preferences) {
    const spec = doc.value.spec as Obj;
    const at = (...path: (string | number)[]) => ({ origin: doc.origin, path: ['spec', ...path] });
    const targetKind = spec.targetKind as string;
    if (!SCHEDULABLE_KINDS.includes(targetKind)) {
      report.error('FEDC3102', at('targetKind'), `targetKind ${targetKind} cannot be scheduled: KubeFed schedules only ${SCHEDULABLE_KINDS.join(' and ')}`);
      continue;
    }
    const target = byKey.get(`${targetKind}/${doc.namespace}/${doc.name}`);
    if (!target) {
      const other = SCHEDULABLE_KINDS.find((k) => k !== targetKind && byKey.has(`${k}/${doc.namespace}/${doc.name}`));
      report.warning('FEDC3101', at('targetKind'),
        `no ${targetKind} ${doc.namespace}/${doc.name} for this ReplicaSchedulingPreference; it has no effect`,
        other ? `did you mean targetKind: ${other}?` : `a preference applies to the ${targetKind} with its own namespace and name`);
      continue;
    }

    const total = spec.totalReplicas as number;
    let prefs = (spec.clusters as Record<string, ClusterPreference> | null | undefined) ?? {};
    if (Object.keys(prefs).length === 0) prefs = { '*': { weight: 1 } };
    for (const [name, p] of Object.entries(prefs)) {
      if (name !== '*' && !declared.has(name)) {
        report.warning('FEDC3103', { ...at('clusters', name), atKey: true }, `preference for cluster "${name}", which is not a declared KubeFedCluster; it is ignored`);
      }
      if (p.minReplicas !== undefined && p.maxReplicas !== undefined && p.minReplicas > p.maxReplicas) {
        report.warning('FEDC3105', at('clusters', name, 'minReplicas'), `minReplicas ${p.minReplicas} is above maxReplicas ${p.maxReplicas}: KubeFed grants the minimum first and applies the maximum only when it adds more, so ${name} may get more than ${p.maxReplicas}`);
      }
    }

    const available = availableClusters(target, doc, ready, inputs.resources, spec.intersectWithClusterSelector === true, report);
    if (available === undefined) continue;

    const rebalance = spec.rebalance === true;
    const current = byCluster<number>();
    if (!rebalance && options.previousReplicas) {
      for (const c of available) {
        const n = options.previousReplicas(c, { kind: target.type.targetKind, namespace: target.namespace, name: target.name });
        if (n !== undefined) current[c] = n;
      }
    }
    const prefOf = (c: string) => (Object.hasOwn(prefs, c) ? prefs[c] : Object.hasOwn(prefs, '*') ? prefs['*'] : undefined);
    const minSum = available.reduce((s, c) => s + (prefOf(c)?.minReplicas ?? 0), 0);
    if (minSum > total) {
      report.warning('FEDC3104', at('totalReplicas'), `minReplicas add up to ${minSum} over the available clusters, more than totalReplicas ${total}; the heaviest clusters get their minimum first`);
    }
    const { plan, overflow } = planReplicas({
      totalReplicas: total,
      rebalance,
      clusters: prefs,
      availableClusters: available,
      currentReplicas: current,
      key: `${target.namespace}/${target.name}`,
    });
    const result = byCluster<number>();
    for (const c of Object.keys(current)) result[c] = 0;
    Object.assign(result, plan);
    for (const [c, n] of Object.entries(overflow)) result[c] = (result[c] ?? 0) + n;
    const placed = Object.values(result).reduce((s, n) => s + n, 0);
    if (placed < total) {
      report.warning('FEDC3106', at('totalReplicas'), `only ${placed} of ${total} replicas can be placed: every cluster that may take replicas is at its maxReplicas (or has weight 0)`);
    }
    rewritten.set(target, applyPlan(target, result, doc));
  }
  return { ...inputs, resources: inputs.resources.map((r) => rewritten.get(r) ?? r) };
}

/**
 * The clusters to schedule on: the Ready ones, or with intersectWithClusterSelector, those the
 * object's and its FederatedNamespace's clusterSelectors both select (their cluster lists ignored).
 * Undefined when nothing can be scheduled (KubeFed then leaves the object as it is).
 */
function availableClusters(
  target: FederatedResource,
  doc: KubeFedDocument,
  ready: Cluster[],
  resources: FederatedResource[],
  intersect: boolean,
  report: Reporter,
): string[] | undefined {
  let available = ready.map((c) => c.name);
  if (intersect) {
    const fedNs = federatedNamespaces(resources).get(target.namespace);
    // KubeFed's scheduler fetches the FederatedNamespace first, and fails without one, even where
    // a namespace-scoped control plane propagates without it.
    if (!fedNs) {
      report.warning('FEDC3107', { origin: doc.origin, path: ['spec', 'intersectWithClusterSelector'] },
        `intersectWithClusterSelector needs the FederatedNamespace of ${target.namespace}, and there is none; KubeFed schedules nothing`);
      return undefined;
    }
    // compileSelector reports no problems here: planPlacement reports them for both objects.
    const own = compileSelector(target.placement.clusterSelector).matcher;
    const ns = compileSelector(fedNs.placement.clusterSelector).matcher;
    available = ready.filter((c) => own(c.labels) && ns(c.labels)).map((c) => c.name);
  }
  if (available.length === 0) {
    // Why none: no cluster is Ready, or the selectors intersectWithClusterSelector applies select none of them.
    const why = ready.length === 0 || !intersect
      ? `no Ready cluster to schedule ${target.namespace}/${target.name} on`
      : `with intersectWithClusterSelector, no Ready cluster to schedule ${target.namespace}/${target.name} on: the clusterSelector of ${target.type.federatedKind} ${target.name} and that of the FederatedNamespace ${target.namespace} select none (a placement.clusters list does not count)`;
    report.warning('FEDC3107', { origin: doc.origin, path: intersect && ready.length > 0 ? ['spec', 'intersectWithClusterSelector'] : ['spec'] }, `${why}; KubeFed leaves it as it is`);
    return undefined;
  }
  return available;
}

/** KubeFed's updateOverridesMap, and placement.clusters = every cluster in the result. */
function applyPlan(target: FederatedResource, result: Record<string, number>, doc: KubeFedDocument): FederatedResource {
  const clusters = Object.keys(result).sort();
  const overrides: Override[] = target.overrides.map((o) => {
    const n = result[o.clusterName];
    let ops: ClusterOverride[];
    if (n === undefined) ops = o.clusterOverrides.filter((op) => op.path !== REPLICAS_PATH);
    else if (o.clusterOverrides.some((op) => op.path === REPLICAS_PATH)) {
      ops = o.clusterOverrides.map((op) => (op.path === REPLICAS_PATH ? { ...op, value: n, scheduledBy: doc.origin } : op));
    } else ops = [...o.clusterOverrides, { path: REPLICAS_PATH, value: n, scheduledBy: doc.origin }];
    return { ...o, clusterOverrides: ops };
  });
  for (const c of clusters) {
    if (!overrides.some((o) => o.clusterName === c)) {
      overrides.push({ clusterName: c, clusterOverrides: [{ path: REPLICAS_PATH, value: result[c]!, scheduledBy: doc.origin }] });
    }
  }
  return { ...target, placement: { ...target.placement, clusters }, overrides, scheduledBy: doc.origin };
}
