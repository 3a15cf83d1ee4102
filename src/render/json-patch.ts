import jsonPatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import type { ClusterOverride } from '../model/inputs.js';

const { applyOperation, unescapePathComponent } = jsonPatch;

/** An override op that cannot be applied; `index` is its position in the cluster's list. */
export class PatchError extends Error {
  constructor(
    readonly index: number,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

const INDEX = /^[+-]?[0-9]+$/;

/**
 * Applies one cluster's overrides to a copy of `doc` with KubeFed's semantics: evanphx/json-patch
 * v4 as KubeFed calls it (KUBEFED-SEMANTICS.md §b). It differs from RFC 6902 as fast-json-patch
 * implements it: `op` defaults to replace, replace on a missing object key adds it, negative array
 * indexes count from the end, and add never creates missing parents. Each op is checked and its
 * index resolved here; fast-json-patch then performs it. The patch is atomic: on any error the
 * input is untouched and a PatchError is thrown.
 *
 * Copy on write: the result shares with `doc` everything the ops do not reach. Only the maps and
 * lists on the way to a changed value are copied, each once, so an object of a thousand lines
 * with one replica count overridden costs a few shallow copies, not a deep one (rendered objects
 * are read-only). A value that sits at two places of `doc` (a YAML alias) changes only at the
 * place an op names, as in KubeFed, which reads the template as JSON.
 */
export function applyOverrides<T>(doc: T, ops: readonly ClusterOverride[]): T {
  const copies = new Set<object>();
  const copy = <V>(v: V): V => {
    const c = (Array.isArray(v) ? [...v] : { ...v }) as V & object;
    copies.add(c);
    return c;
  };
  const out = copy(doc);
  ops.forEach((o, index) => {
    const op = o.op || 'replace';
    const segments = o.path.split('/').slice(1).map(unescapePathComponent);
    if (segments.includes('__proto__')) throw new PatchError(index, `${op} ${o.path}: a path may not name __proto__`);
    const parentPath = segments.slice(0, -1);
    const last = segments[segments.length - 1]!;
    let parent: unknown = out;
    for (let i = 0; i < parentPath.length; i++) {
      const seg = parentPath[i]!;
      let next = child(parent, seg);
      // A timestamp is a string in the JSON KubeFed reads: it holds nothing a path could name.
      if (next === undefined || next === null || typeof next !== 'object' || next instanceof Date) {
        const missing = '/' + o.path.split('/').slice(1, i + 2).join('/');
        const absent = next === undefined || next === null;
        throw new PatchError(
          index,
          absent
            ? `${op} ${o.path}: ${missing} does not exist${op === 'add' ? "; KubeFed's add does not create missing parents" : ''}`
            : `${op} ${o.path}: ${missing} is a ${typeof next === 'object' ? 'timestamp' : typeof next}, not a map or a list`,
          absent && op === 'add' && i === parentPath.length - 1
            ? last === '-' || INDEX.test(last)
              ? `add the whole list instead: {op: add, path: ${missing}, value: [...]}`
              : `add the whole map instead: {op: add, path: ${missing}, value: {${last}: ...}}`
            : undefined,
        );
      }
      if (!copies.has(next)) {
        next = copy(next);
        (parent as Record<string, unknown>)[Array.isArray(parent) ? Number(seg) : seg] = next;
      }
      parent = next;
    }
    let key = last;
    if (Array.isArray(parent)) {
      const len = parent.length;
      if (op === 'add' && last === '-') key = '-';
      else {
        if (!INDEX.test(last)) throw new PatchError(index, `${op} ${o.path}: "${last}" is not an array index`);
        let idx = Number(last);
        if (op === 'add') {
          if (idx < 0) idx += len + 1;
          if (idx < 0 || idx > len) throw new PatchError(index, `${op} ${o.path}: index ${last} is out of range for a list of ${len}`);
        } else {
          if (idx < 0 && op === 'remove') idx += len;
          if (idx < 0 || idx >= len) throw new PatchError(index, `${op} ${o.path}: index ${last} is out of range for a list of ${len}`);
        }
        key = String(idx);
      }
    } else if (op === 'remove' && !Object.hasOwn(parent as object, last)) {
      throw new PatchError(index, `remove ${o.path}: there is no ${last} to remove`);
    }
    const escaped = [...parentPath, key].map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1'));
    const path = '/' + escaped.join('/');
    // KubeFed marshals a missing value as JSON null.
    const operation = (op === 'remove' ? { op, path } : { op, path, value: structuredClone(o.value ?? null) }) as Operation;
    try {
      applyOperation(out, operation, false, true, true); // true: never let a path reach __proto__
    } catch (err) {
      throw new PatchError(index, `${op} ${o.path}: ${(err as Error).message.split('\n')[0]}`);
    }
  });
  return out;
}

function child(parent: unknown, seg: string): unknown {
  if (Array.isArray(parent)) {
    if (!/^[0-9]+$/.test(seg)) return undefined;
    return parent[Number(seg)];
  }
  if (parent !== null && typeof parent === 'object' && Object.hasOwn(parent, seg)) {
    return (parent as Record<string, unknown>)[seg];
  }
  return undefined;
}
