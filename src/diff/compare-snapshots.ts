import { structuredPatch } from 'diff';
import { YamlCache } from '../emit/serialize.js';
import { isSecret, redactSecretPair, type SecretKeys } from './redact-secrets.js';
import { objectKey, type RenderSnapshot, type SnapshotObject } from './render-snapshot.js';

/**
 * Why an object appears on or leaves a cluster: its cluster is new or gone, its placement now
 * includes or excludes that cluster (the object exists elsewhere on the other side), or the
 * object itself is new or deleted.
 */
export type ChangeReason = 'cluster-added' | 'cluster-removed' | 'placed' | 'unplaced' | 'created' | 'deleted' | 'modified';

export interface ObjectChange {
  change: 'added' | 'removed' | 'changed';
  reason: ChangeReason;
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  /** The clusters this change applies to, sorted: the same diff on each. Empty for DNSEndpoints. */
  clusters: string[];
  /** A unified diff of the object's YAML (Secret values redacted unless asked otherwise). */
  diff: string;
  /** For a changed Secret: which keys of data and stringData were added, removed or changed. */
  secretKeys?: SecretKeys;
}

export interface ZoneChange {
  domain: string;
  change: 'added' | 'removed' | 'changed';
  added: string[];
  removed: string[];
}

export interface ClusterCounts {
  cluster: string;
  added: number;
  changed: number;
  removed: number;
}

export interface DiffResult {
  clusters: { compared: string[]; added: string[]; removed: string[]; notCompared: string[] };
  /** Every cluster with a change, sorted. */
  counts: ClusterCounts[];
  /** A change with the same diff on several clusters is one entry. Sorted by object, then clusters. */
  objects: ObjectChange[];
  zones: ZoneChange[];
  endpoints: ObjectChange[];
  changed: boolean;
}

export interface CompareOptions {
  /** Show Secret values (local use only). */
  showSecrets?: boolean;
  /** Lines of context in the unified diffs. */
  context?: number;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A unified diff with its hunk headers (`@@ -17,4 +17,4 @@`) cut to `@@`. */
const withoutLineNumbers = (diff: string) => diff.replace(/^@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@/gm, '@@');

/**
 * Compares two renders object by object. Objects are compared by their YAML, which fedc writes in
 * one canonical form, so key order, layout and document order never show; list order does.
 */
export function compareSnapshots(base: RenderSnapshot, head: RenderSnapshot, options: CompareOptions = {}): DiffResult {
  const yaml = new YamlCache();
  const text = (o: SnapshotObject | undefined) => (o ? yaml.get(o.object) : '');
  const context = options.context ?? 3;
  const groups = new Map<string, ObjectChange>();
  const counts = new Map<string, ClusterCounts>();
  const count = (cluster: string, change: ObjectChange['change']) => {
    let c = counts.get(cluster);
    if (!c) counts.set(cluster, (c = { cluster, added: 0, changed: 0, removed: 0 }));
    c[change]++;
  };
  const diffs = new Map<string, { diff: string; secretKeys?: SecretKeys }>();
  /** The diff of two object versions, computed once however many clusters share the pair. */
  const diffOf = (before: SnapshotObject | undefined, after: SnapshotObject | undefined, bt: string, at: string) => {
    const id = `${bt}\u0001${at}`;
    let d = diffs.get(id);
    if (d) return d;
    const any = (before ?? after)!;
    if (isSecret(any) && !options.showSecrets) {
      const r = redactSecretPair(before?.object, after?.object);
      const changed = r.keys.added.length + r.keys.removed.length + r.keys.changed.length > 0;
      d = { diff: unified(r.before ? yaml.get(r.before) : '', r.after ? yaml.get(r.after) : '', context), ...(before && after && changed ? { secretKeys: r.keys } : {}) };
    } else d = { diff: unified(bt, at, context) };
    diffs.set(id, d);
    return d;
  };

  // Where each object exists on each side, to tell a placement change from a new or deleted
  // object: on some cluster, or declared and placed on none (a compile knows; a tree does not).
  const anywhere = (s: RenderSnapshot) => {
    const keys = new Set<string>(s.unplaced);
    for (const objects of s.clusters.values()) for (const k of objects.keys()) keys.add(k);
    return keys;
  };
  const inBase = anywhere(base);
  const inHead = anywhere(head);

  const notCompared = new Set([...base.notCompared, ...head.notCompared]);
  const names = [...new Set([...base.clusters.keys(), ...head.clusters.keys()])].filter((c) => !notCompared.has(c)).sort(cmp);
  const addedClusters = names.filter((c) => !base.clusters.has(c) && !base.notCompared.has(c));
  const removedClusters = names.filter((c) => !head.clusters.has(c) && !head.notCompared.has(c));
  for (const cluster of names) {
    const b = base.clusters.get(cluster) ?? new Map<string, SnapshotObject>();
    const h = head.clusters.get(cluster) ?? new Map<string, SnapshotObject>();
    for (const key of new Set([...b.keys(), ...h.keys()])) {
      const before = b.get(key);
      const after = h.get(key);
      // The same value (keys in the same order) has the same YAML: nothing to serialize.
      if (before && after && sameValue(before.object, after.object)) continue;
      const bt = text(before);
      const at = text(after);
      if (bt === at) continue;
      const change: ObjectChange['change'] = !before ? 'added' : !after ? 'removed' : 'changed';
      const reason: ChangeReason = change === 'changed' ? 'modified'
        : change === 'added' ? (!base.clusters.has(cluster) ? 'cluster-added' : inBase.has(key) ? 'placed' : 'created')
          : !head.clusters.has(cluster) ? 'cluster-removed' : inHead.has(key) ? 'unplaced' : 'deleted';
      count(cluster, change);
      // One entry per change as it reads: clusters whose objects differ elsewhere (an override of
      // their own) share the entry of a fleet-wide template change when its hunks are the same,
      // wherever in the file they fall (an added annotation moves them down).
      const d = diffOf(before, after, bt, at);
      const group = `${change}\u0002${reason}\u0002${key}\u0002${withoutLineNumbers(d.diff)}\u0002${JSON.stringify(d.secretKeys ?? null)}`;
      const existing = groups.get(group);
      if (existing) {
        existing.clusters.push(cluster);
        // the same hunks at other lines: the entry shows them without the lines, true of every cluster
        if (existing.diff !== d.diff) existing.diff = withoutLineNumbers(d.diff);
        continue;
      }
      const o = (after ?? before)!;
      groups.set(group, { change, reason, apiVersion: o.apiVersion, kind: o.kind, namespace: o.namespace, name: o.name, clusters: [cluster], ...d });
    }
  }
  const byObject = (a: ObjectChange, b: ObjectChange) =>
    cmp(a.namespace, b.namespace) || cmp(a.kind, b.kind) || cmp(a.name, b.name) || cmp(a.apiVersion, b.apiVersion) || cmp(a.clusters[0] ?? '', b.clusters[0] ?? '');
  const objects = [...groups.values()].sort(byObject);

  const zones: ZoneChange[] = [];
  for (const domain of [...new Set([...base.zones.keys(), ...head.zones.keys()])].sort(cmp)) {
    const b = new Set(base.zones.get(domain)?.records ?? []);
    const h = new Set(head.zones.get(domain)?.records ?? []);
    const added = [...h].filter((r) => !b.has(r));
    const removed = [...b].filter((r) => !h.has(r));
    if (added.length === 0 && removed.length === 0) continue;
    zones.push({ domain, change: !base.zones.has(domain) ? 'added' : !head.zones.has(domain) ? 'removed' : 'changed', added, removed });
  }

  const endpoints: ObjectChange[] = [];
  for (const key of [...new Set([...base.endpoints.keys(), ...head.endpoints.keys()])].sort(cmp)) {
    const before = base.endpoints.get(key);
    const after = head.endpoints.get(key);
    const bt = text(before);
    const at = text(after);
    if (bt === at) continue;
    const o = (after ?? before)!;
    const change: ObjectChange['change'] = !before ? 'added' : !after ? 'removed' : 'changed';
    endpoints.push({ change, reason: change === 'added' ? 'created' : change === 'removed' ? 'deleted' : 'modified', apiVersion: o.apiVersion, kind: o.kind, namespace: o.namespace, name: o.name, clusters: [], ...diffOf(before, after, bt, at) });
  }

  return {
    clusters: { compared: names, added: addedClusters, removed: removedClusters, notCompared: [...notCompared].sort(cmp) },
    counts: [...counts.values()].sort((a, b) => cmp(a.cluster, b.cluster)),
    objects,
    zones,
    endpoints,
    changed: objects.length + zones.length + endpoints.length > 0 || addedClusters.length + removedClusters.length > 0,
  };
}

/**
 * Whether two values are the same to the letter: the same keys in the same order, and leaves
 * equal by Object.is, so that their YAML is the same text. Objects the render shares are compared
 * once per pair.
 */
function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  let seen = sameCache.get(a);
  const known = seen?.get(b);
  if (known !== undefined) return known;
  const result = sameShape(a, b);
  if (!seen) sameCache.set(a, (seen = new WeakMap()));
  seen.set(b, result);
  return result;
}
const sameCache = new WeakMap<object, WeakMap<object, boolean>>();

function sameShape(a: object, b: object): boolean {
  if (Array.isArray(a) !== Array.isArray(b) || Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameLeafOrValue(a[i], bb[i])) return false;
    return true;
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] !== kb[i]) return false;
    if (!sameLeafOrValue((a as Record<string, unknown>)[ka[i]!], (b as Record<string, unknown>)[kb[i]!])) return false;
  }
  return true;
}

/** Nested values are walked without the pair cache: only whole objects are shared between clusters. */
function sameLeafOrValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return sameShape(a, b);
}

/** A unified diff body (hunks only, no file headers) of two texts. */
function unified(before: string, after: string, context: number): string {
  const patch = structuredPatch('', '', before, after, '', '', { context });
  const out: string[] = [];
  for (const h of patch.hunks) {
    out.push(`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`);
    for (const l of h.lines) if (!l.startsWith('\\')) out.push(l);
  }
  return out.join('\n');
}

export { objectKey };
