import type { TreeEntry } from './git.js';

/** Where a symlink of a git tree leads, as the file system would resolve it in a checkout. */
export type TreeLinkTarget =
  | { kind: 'file'; entry: TreeEntry }
  | { kind: 'dir'; path: string }
  | { kind: 'outside' }
  | { kind: 'nothing' }
  | { kind: 'loop' };

/** As many symlinks as Linux follows on one path before it says ELOOP. */
const MAX_HOPS = 40;

/**
 * Resolves the symlink at `link` (a path of the listed directory, posix) among the entries of a
 * tree, component by component as realpath does, so that `..` after a symlinked directory goes
 * where a checkout would take it. Paths are relative to the listed directory (the input
 * directory): a target above it, or absolute, is outside, as it is on disk. `linkText` gives a
 * symlink entry's target (its blob).
 */
export function resolveTreeLink(
  link: string,
  byPath: ReadonlyMap<string, TreeEntry>,
  dirs: ReadonlySet<string>,
  linkText: (e: TreeEntry) => string,
): TreeLinkTarget {
  const done: string[] = [];
  let todo = link.split('/');
  let hops = 0;
  while (todo.length > 0) {
    const part = todo.shift()!;
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (done.length === 0) return { kind: 'outside' };
      done.pop();
      continue;
    }
    const at = [...done, part].join('/');
    const e = byPath.get(at);
    if (e?.mode === '120000') {
      if (++hops > MAX_HOPS) return { kind: 'loop' };
      const target = linkText(e);
      if (target.startsWith('/')) return { kind: 'outside' };
      todo = [...target.split('/'), ...todo];
      continue;
    }
    if (e) {
      // a file, or a submodule (not part of this repository): nothing can be below it
      if (todo.some((p) => p !== '' && p !== '.') || e.mode === '160000') return { kind: 'nothing' };
      return { kind: 'file', entry: e };
    }
    if (!dirs.has(at)) return { kind: 'nothing' };
    done.push(part);
  }
  return done.length === 0 ? { kind: 'dir', path: '.' } : { kind: 'dir', path: done.join('/') };
}

/** The directories of a tree listing: every parent of an entry. */
export function treeDirs(entries: Iterable<TreeEntry>): Set<string> {
  const dirs = new Set<string>();
  for (const e of entries) {
    for (let i = e.path.indexOf('/'); i !== -1; i = e.path.indexOf('/', i + 1)) dirs.add(e.path.slice(0, i));
  }
  return dirs;
}
