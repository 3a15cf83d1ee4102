import type { RenderedObject } from '../render/render-clusters.js';
import type { FileContent } from './file-content.js';
import { toYaml, YamlCache } from './serialize.js';

export type Layout = 'object' | 'manifest';

import { CLUSTERS_DIR, GENERATED_MARKER, MANIFEST_FILE, objectFilePath } from '../model/output-contract.js';

export { GENERATED_MARKER };

export { CLUSTERS_DIR };

/** kustomize's legacy apply order: kinds others depend on first, webhooks last. */
const ORDER_FIRST = [
  'Namespace', 'ResourceQuota', 'StorageClass', 'CustomResourceDefinition', 'ServiceAccount', 'PodSecurityPolicy',
  'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'ConfigMap', 'Secret', 'Endpoints', 'Service',
  'LimitRange', 'PriorityClass', 'PersistentVolume', 'PersistentVolumeClaim', 'Deployment', 'StatefulSet',
  'CronJob', 'PodDisruptionBudget',
];
const ORDER_LAST = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

/** A kind's place in the apply order: lower first (kinds not listed in between, at 500). */
export function rank(kind: string): number {
  const i = ORDER_FIRST.indexOf(kind);
  if (i >= 0) return i;
  const j = ORDER_LAST.indexOf(kind);
  return j >= 0 ? 1000 + j : 500;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * kustomize's legacy sort key of a type: `group_version_kind`, the core group as `~G`, so that
 * core kinds outside its list (Pod) come after the grouped ones, and `apps2.x` before `apps`.
 */
export function typeSortKey(apiVersion: string, kind: string): string {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  return `${group || '~G'}_${version || '~V'}_${kind || '~K'}`;
}

/** kustomize's legacy sort key of an object within its type: `namespace|name` (`team-a|x` before `team|x`). */
export const idSortKey = (namespace: string, name: string): string => `${namespace || '~X'}|${name || '~N'}`;

/**
 * Apply order, as kustomize's legacy order sorts (its SortOrderTransformer): by kind rank, then
 * typeSortKey, then idSortKey, each compared as bytes. Sorts in place, stably. Each object's keys
 * are computed once, not in every comparison: every render sorts each cluster's objects, twice
 * when it writes.
 */
export function sortForApply(objects: RenderedObject[]): RenderedObject[] {
  const keyed = objects.map((o) => ({ o, rank: rank(o.kind), type: typeSortKey(o.apiVersion, o.kind), id: idSortKey(o.namespace, o.name) }));
  keyed.sort((a, b) => a.rank - b.rank || cmp(a.type, b.type) || cmp(a.id, b.id));
  for (let i = 0; i < keyed.length; i++) objects[i] = keyed[i]!.o;
  return objects;
}

export function objectFileName(o: RenderedObject): string {
  return objectFilePath(o.kind, o.namespace, o.name);
}

/** Objects that would share one file in the object layout: the first owner and a later one. */
export interface FileCollision {
  file: string;
  objects: [RenderedObject, RenderedObject];
  /**
   * The second object's file, when the two names differ in case only: both are written, but a
   * checkout on a case-insensitive file system (macOS, Windows) keeps one of them.
   */
  caseOnly?: string;
}

/** The collisions of the object layout, from file names alone (the caller reports them). */
export function objectFileCollisions(cluster: string, objects: RenderedObject[]): FileCollision[] {
  const dir = `${CLUSTERS_DIR}/${cluster}`;
  const owners = new Map<string, RenderedObject>();
  const folded = new Map<string, [string, RenderedObject]>();
  const collisions: FileCollision[] = [];
  for (const o of sortForApply([...objects])) {
    const name = objectFileName(o);
    const prev = owners.get(name);
    if (prev) {
      collisions.push({ file: `${dir}/${name}`, objects: [prev, o] });
      continue;
    }
    owners.set(name, o);
    const other = folded.get(name.toLowerCase());
    if (other) collisions.push({ file: `${dir}/${other[0]}`, objects: [other[1], o], caseOnly: `${dir}/${name}` });
    else folded.set(name.toLowerCase(), [name, o]);
  }
  return collisions;
}

/**
 * The files of one cluster directory, in the chosen layout, with its kustomization.yaml: path
 * relative to the output directory -> content. Of objects that collide on a file name
 * (objectFileCollisions) the first in apply order is written.
 */
export function layoutCluster(cluster: string, objects: RenderedObject[], layout: Layout, yaml: YamlCache): Map<string, FileContent> {
  const dir = `${CLUSTERS_DIR}/${cluster}`;
  const files = new Map<string, FileContent>();
  const sorted = sortForApply([...objects]);
  let resources: string[];
  if (layout === 'manifest') {
    const pieces = [`${GENERATED_MARKER} for cluster ${cluster}; do not edit.\n`];
    for (const o of sorted) pieces.push(`---\n# Source: ${o.source.file}\n`, yaml.get(o.object));
    files.set(`${dir}/${MANIFEST_FILE}`, pieces);
    resources = [MANIFEST_FILE];
  } else {
    resources = [];
    for (const o of sorted) {
      const name = objectFileName(o);
      if (files.has(`${dir}/${name}`)) continue;
      resources.push(name);
      files.set(`${dir}/${name}`, [`${GENERATED_MARKER} from ${o.source.file}; do not edit.\n`, yaml.get(o.object)]);
    }
  }
  files.set(`${dir}/kustomization.yaml`, kustomization(cluster, resources));
  return files;
}

function kustomization(cluster: string, resources: string[]): string {
  return (
    `${GENERATED_MARKER} for cluster ${cluster}; do not edit. Resources are listed in apply order.\n` +
    toYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources })
  );
}

/** One YAML stream of a cluster's objects in apply order, as `--stdout` prints it. */
export function clusterStream(objects: RenderedObject[], yaml: YamlCache): string {
  return sortForApply([...objects])
    .map((o) => `---\n${yaml.get(o.object)}`)
    .join('');
}
