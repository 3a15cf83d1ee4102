import type { ClusterOverride } from '../model/inputs.js';
import type { NodePath } from '../parse/parsed-document.js';

/**
 * Which part of a federated object wrote a field of a rendered object: the last override op of its
 * cluster whose path leads to the field, else the template. Shared by the stages that report
 * problems of rendered objects where the user wrote them (the Ingress conversion, the Kubernetes
 * schema check).
 */

/** An override path's segments (RFC 6901 unescaped). */
export function pointer(path: string): string[] {
  return path.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * Whether `prefix` (pointer segments, or a path) leads to `path`. A "-" or negative index in an
 * override path matches any index: where it landed depends on the list's length.
 */
export function isPrefix(prefix: NodePath, path: NodePath): boolean {
  if (prefix.length > path.length) return false;
  return prefix.every((seg, i) => {
    const p = path[i]!;
    if (String(seg) === String(p)) return true;
    return typeof p === 'number' && (seg === '-' || /^-[0-9]+$/.test(String(seg)));
  });
}

export function lastIndex<T>(list: readonly T[], test: (item: T) => boolean): number {
  for (let i = list.length - 1; i >= 0; i--) if (test(list[i]!)) return i;
  return -1;
}

export const isRemove = (o: ClusterOverride) => (o.op || 'replace') === 'remove';

/**
 * The last op that wrote the node at `path` or a parent of it (add or replace), or removed it
 * (only with `removes`); -1 when none did, so the node is the template's.
 */
export function lastWriter(ops: readonly ClusterOverride[], path: NodePath, removes = false): number {
  return lastIndex(ops, (o) => (removes || !isRemove(o)) && isPrefix(pointer(o.path), path));
}

/** An override op's value, or its path when it has none (remove). */
export function opNode(o: ClusterOverride, oi: number, j: number): NodePath {
  return ['spec', 'overrides', oi, 'clusterOverrides', j, isRemove(o) ? 'path' : 'value'];
}
