/**
 * KubeFed's replica planner (pkg/controller/util/planner, KUBEFED-SEMANTICS.md §e), reproduced to
 * the replica: the same ordering (weight, then FNV-1 hash of cluster name + key), the same
 * ceil-based rounds, minReplicas first, maxReplicas and capacity caps, and the same use of the
 * current replicas when rebalance is false.
 */

export interface ClusterPreference {
  weight?: number;
  minReplicas?: number;
  /** Absent: unbounded. */
  maxReplicas?: number;
}

export interface PlanInput {
  totalReplicas: number;
  rebalance?: boolean;
  /** Cluster name or "*" -> preferences. */
  clusters: Record<string, ClusterPreference>;
  availableClusters: string[];
  currentReplicas?: Record<string, number>;
  estimatedCapacity?: Record<string, number>;
  /** "<namespace>/<name>" in KubeFed; part of the tie-breaking hash. */
  key?: string;
}

export interface Plan {
  plan: Record<string, number>;
  overflow: Record<string, number>;
}

/** Go's hash/fnv New32: FNV-1 (multiply, then xor) over UTF-8 bytes. Not FNV-1a. */
export function fnv1_32(text: string): number {
  let h = 2166136261;
  for (const byte of Buffer.from(text, 'utf8')) {
    h = Math.imul(h, 16777619) >>> 0;
    h = (h ^ byte) >>> 0;
  }
  return h;
}

interface Pref {
  name: string;
  hash: number;
  weight: number;
  min: number;
  max: number | undefined;
}

/**
 * A record keyed by cluster name with no prototype: a cluster may be named "constructor" or
 * "toString", which a plain object would answer for before the cluster has an entry.
 */
export const byCluster = <T>(): Record<string, T> => Object.create(null) as Record<string, T>;

export function planReplicas(input: PlanInput): Plan {
  const key = input.key ?? '';
  const current = input.currentReplicas ?? {};
  const capacity = input.estimatedCapacity ?? {};
  const has = (m: Record<string, number>, c: string) => Object.hasOwn(m, c);
  const plan = byCluster<number>();
  const overflow = byCluster<number>();

  let prefs: Pref[] = [];
  for (const name of input.availableClusters) {
    const p = (Object.hasOwn(input.clusters, name) ? input.clusters[name] : undefined) ??
      (Object.hasOwn(input.clusters, '*') ? input.clusters['*'] : undefined);
    if (!p) {
      plan[name] = 0;
      continue;
    }
    prefs.push({ name, hash: fnv1_32(name + key), weight: p.weight ?? 0, min: p.minReplicas ?? 0, max: p.maxReplicas });
  }
  prefs.sort((a, b) => b.weight - a.weight || a.hash - b.hash);

  let remaining = input.totalReplicas;
  for (const p of prefs) {
    let m = Math.min(p.min, remaining);
    if (has(capacity, p.name)) m = Math.min(m, capacity[p.name]!);
    remaining -= m;
    plan[p.name] = m;
  }

  // Without rebalance, replicas a cluster already runs stay there as far as the rules allow.
  const prealloc = byCluster<number>();
  if (!input.rebalance) {
    for (const p of prefs) {
      if (!has(current, p.name) || current[p.name]! <= plan[p.name]!) continue;
      let target = current[p.name]!;
      if (p.max !== undefined) target = Math.min(target, p.max);
      if (has(capacity, p.name)) target = Math.min(target, capacity[p.name]!);
      const extra = Math.max(0, Math.min(target - plan[p.name]!, remaining));
      remaining -= extra;
      prealloc[p.name] = extra;
      plan[p.name]! += extra;
    }
  }

  let modified = true;
  while (modified && remaining > 0) {
    modified = false;
    const weightSum = prefs.reduce((s, p) => s + p.weight, 0);
    const next: Pref[] = [];
    const distribute = remaining;
    for (const p of prefs) {
      if (weightSum === 0) break;
      const start = plan[p.name]!;
      let extra = Math.min(Math.floor((distribute * p.weight + weightSum - 1) / weightSum), remaining);
      const used = Math.min(extra, prealloc[p.name] ?? 0);
      prealloc[p.name] = (prealloc[p.name] ?? 0) - used;
      extra -= used;
      if (used > 0) modified = true;
      let total = start + extra;
      let full = false;
      if (p.max !== undefined && total > p.max) {
        total = p.max;
        full = true;
      }
      if (has(capacity, p.name) && total > capacity[p.name]!) {
        overflow[p.name] = total - capacity[p.name]!;
        total = capacity[p.name]!;
        full = true;
      }
      if (!full) next.push(p);
      remaining -= total - start;
      plan[p.name] = total;
      if (total > start) modified = true;
    }
    prefs = next;
  }

  if (input.rebalance) return { plan, overflow };
  const kept = byCluster<number>();
  for (const [c, v] of Object.entries(overflow)) {
    const o = Math.min(v, remaining);
    if (o > 0) kept[c] = o;
  }
  return { plan, overflow: kept };
}
