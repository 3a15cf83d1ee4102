import { mkdirSync, rmdirSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * mkdir -p: the first directory it created (the one nearest the root), or undefined when `dir`
 * was there already, as mkdirSync's recursive mode answers. Not that mode itself: it loops
 * forever under /proc (an output or cache directory there), where mkdir of a missing parent keeps
 * failing with ENOENT. Here each directory on the way is tried once, so the work is bounded by
 * the path's depth; it throws when `dir` cannot be made. One that a concurrent run makes
 * meanwhile counts as there.
 */
export function makeDirs(dir: string, mode = 0o777): string | undefined {
  const target = path.resolve(dir);
  const missing: string[] = [];
  let first: string | undefined;
  for (let d = target; ; d = path.dirname(d)) {
    try {
      mkdirSync(d, { mode });
      first = d;
      break;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && isDirectory(d)) break;
      if (code !== 'ENOENT' || path.dirname(d) === d) throw e;
      missing.push(d);
    }
  }
  // `missing` runs from `target` up to the one below what exists (or was just made): made top down.
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d, { mode });
      first ??= d;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || !isDirectory(d)) throw e;
    }
  }
  return first;
}

/** A directory, or a symlink to one; false for anything else, a dangling symlink included (whose mkdir's EEXIST then says what is in the way). */
function isDirectory(d: string): boolean {
  try {
    return statSync(d).isDirectory();
  } catch {
    return false;
  }
}

/**
 * mkdir -p's inverse: removes `dir`, then its parents, while they are empty, never `above` or
 * anything not below it. Absolute paths. Stops at the first that is not empty, or not there.
 */
export function removeEmptyDirs(dir: string, above: string): void {
  const stop = path.resolve(above);
  const under = stop.endsWith(path.sep) ? stop : stop + path.sep;
  for (let d = path.resolve(dir); d.startsWith(under); d = path.dirname(d)) {
    try {
      rmdirSync(d);
    } catch {
      return;
    }
  }
}
