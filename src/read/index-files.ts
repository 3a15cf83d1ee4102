import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { blobKey, listIndex, readBlobs, type TreeEntry } from './git.js';
import type { OutputFiles } from './output-files.js';

/** How messages name the git index. */
export const INDEX = 'the index';

/** FEDC1019: a path of the index with a merge conflict (stages 1 to 3, no stage 0). */
export const mergeConflict = (file: string): Diagnostic => ({
  code: 'FEDC1019', severity: 'error', file, line: 0, col: 0,
  message: 'merge conflict in the index: what a commit would hold of this file is not known',
  hint: 'resolve the conflict (for a rendered file: render again), then git add the file',
});

/** FEDC1017 about a file of the index: its blob is not in the object store. */
export const unreadableInIndex = (file: string, why: string): Diagnostic => ({
  code: 'FEDC1017', severity: 'error', file, line: 0, col: 0,
  message: `${file} in ${INDEX} cannot be read: ${why}`, hint: 'the object store is damaged: run git fsck',
});

/**
 * Where `abs` lies in the work tree whose top is `top`: '' or 'a/b/', undefined outside it (or in
 * its .git). Symlinks on the way are resolved as the file system resolves them (the nearest
 * directory that exists, then the rest as named), as git names paths without them: a repo or an
 * output directory reached through a symlink is found where the index holds it.
 */
export function workTreePath(top: string, abs: string): string | undefined {
  let base = path.resolve(abs);
  const rest: string[] = [];
  for (;;) {
    try {
      base = realpathSync(base);
      break;
    } catch {
      const parent = path.dirname(base);
      if (parent === base) return undefined;
      rest.unshift(path.basename(base));
      base = parent;
    }
  }
  let realTop: string;
  try {
    realTop = realpathSync(top);
  } catch {
    return undefined;
  }
  const rel = path.relative(realTop, path.join(base, ...rest));
  if (rel === '') return '';
  const parts = rel.split(path.sep);
  if (parts[0] === '..' || path.isAbsolute(rel) || parts[0] === '.git') return undefined;
  return parts.join('/') + '/';
}

/** The files of the index below a directory of the work tree, read as checked out (BlobRequest), all at once when the first is read. */
export interface StagedFiles {
  /** Below `prefix`, paths relative to it; conflicted paths are in `unmerged` instead. */
  entries: TreeEntry[];
  unmerged: string[];
  /** The text of a regular file's entry; undefined when the object store lacks its blob (see `missing`). */
  text(e: TreeEntry): string | undefined;
  /** The entries whose blobs the object store lacks, once read. */
  missing(): TreeEntry[];
  /** As a previous output directory: regular files only, a conflicted or missing one absent. */
  read: OutputFiles;
}

export function stagedFiles(top: string, prefix: string): StagedFiles {
  const { entries, unmerged } = listIndex(top, prefix, false); // an output's files are compared whole, whatever their size
  const files = entries.filter((e) => e.mode === '100644' || e.mode === '100755');
  const byPath = new Map(files.map((e) => [e.path, e]));
  let read: ReturnType<typeof readBlobs> | undefined;
  const requestOf = (e: TreeEntry) => ({ oid: e.oid, path: prefix + e.path });
  const all = () => (read ??= readBlobs(top, files.map(requestOf)));
  const text = (e: TreeEntry) => all().blobs.get(blobKey(requestOf(e)))?.toString('utf8');
  return {
    entries,
    unmerged,
    text,
    missing: () => files.filter((e) => all().unreadable.has(blobKey(requestOf(e)))),
    read: (rel) => {
      const e = byPath.get(rel);
      return e ? text(e) : undefined;
    },
  };
}
