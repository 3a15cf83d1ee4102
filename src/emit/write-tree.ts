import { mkdirSync, readdirSync, readFileSync, rmSync, rmdirSync, statSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isGeneratedByFedc } from '../model/output-contract.js';
import type { OutputTree } from './output-tree.js';

// Reading and listing are synchronous: from the page cache that is fastest. Creating files is
// disk-bound and goes much faster with many writes in flight (the file system batches them),
// so writes and renames run through a bounded pool.

/** Writes in flight at once. */
const WRITE_CONCURRENCY = 64;

/** Runs `task` over `items` with at most `limit` running at once. */
async function pool<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

const TMP_SUFFIX = '.fedc-tmp';

export interface TreeChanges {
  /** Relative paths, sorted. */
  added: string[];
  changed: string[];
  removed: string[];
  unchanged: number;
  /** Temporary files an interrupted run left behind (absolute paths); removed by writeTree. */
  leftovers: string[];
}

/** Compares the wanted tree with the output directory on disk. */
export async function diffTree(outDir: string, tree: OutputTree): Promise<TreeChanges> {
  const { owned: onDisk, leftovers } = ownedFiles(outDir, tree);
  const added: string[] = [];
  const changed: string[] = [];
  let unchanged = 0;
  for (const [rel, content] of tree.files) {
    const current = onDisk.get(rel);
    if (current === undefined) added.push(rel);
    else if (current !== content) changed.push(rel);
    else unchanged++;
  }
  const removed = [...onDisk.keys()].filter((rel) => !tree.files.has(rel));
  return { added: added.sort(), changed: changed.sort(), removed: removed.sort(), unchanged, leftovers };
}

/**
 * Brings the output directory in line with the tree, touching only files whose bytes change.
 * New contents are first written beside their targets as temporary files; only when all are
 * written are they renamed into place and orphans deleted. A failure before that point leaves the
 * previous output as it was. Only files that start with fedc's marker are ever deleted.
 */
export async function writeTree(outDir: string, tree: OutputTree, changes: TreeChanges): Promise<void> {
  const made = new Set<string>();
  const temps: [rel: string, tmp: string, target: string][] = [];
  for (const rel of [...changes.added, ...changes.changed]) {
    const target = safeJoin(outDir, rel);
    const dir = path.dirname(target);
    temps.push([rel, path.join(dir, `.${path.basename(target)}${TMP_SUFFIX}`), target]);
  }
  try {
    for (const [, , target] of temps) {
      const dir = path.dirname(target);
      if (!made.has(dir)) {
        mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
    }
    await pool(temps, WRITE_CONCURRENCY, ([rel, tmp]) => writeFile(tmp, tree.files.get(rel)!));
    // A rename onto a directory would fail halfway through the commit: refuse before it starts.
    for (const [rel, , target] of temps) {
      if (statSync(target, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`${rel} is a directory`);
    }
  } catch (err) {
    await pool(temps, WRITE_CONCURRENCY, ([, tmp]) => rm(tmp, { force: true }));
    throw err;
  }
  await pool(temps, WRITE_CONCURRENCY, ([, tmp, target]) => rename(tmp, target));
  for (const rel of changes.removed) rmSync(safeJoin(outDir, rel), { force: true });
  for (const abs of changes.leftovers) rmSync(abs, { force: true });
  for (const rel of changes.removed) pruneEmptyDirs(outDir, path.posix.dirname(rel));
}

/** Joins a relative output path to the output directory, refusing anything that would leave it. */
export function safeJoin(outDir: string, rel: string): string {
  const root = path.resolve(outDir);
  const full = path.resolve(root, rel);
  if (full !== root && !full.startsWith(root + path.sep)) throw new Error(`refusing to write outside ${root}: ${rel}`);
  return full;
}

/** Every file under the tree's scopes that is not under a kept directory: relative path -> absolute. */
function scopedFiles(outDir: string, tree: OutputTree): Map<string, string> {
  const out = new Map<string, string>();
  const root = path.resolve(outDir);
  const keep = tree.keep.map((k) => k + '/');
  for (const scope of tree.scopes) {
    let entries;
    try {
      entries = readdirSync(safeJoin(outDir, scope), { recursive: true, withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    for (const e of entries) {
      if (!e.isFile()) continue;
      const abs = path.join(e.parentPath, e.name);
      const rel = path.relative(root, abs).split(path.sep).join('/');
      if (!keep.some((k) => rel.startsWith(k))) out.set(rel, abs);
    }
  }
  return out;
}

/** Files in scope whose first line is fedc's marker (relative path -> content), and fedc's temporary files. */
function ownedFiles(outDir: string, tree: OutputTree): { owned: Map<string, string>; leftovers: string[] } {
  const owned = new Map<string, string>();
  const leftovers: string[] = [];
  for (const [rel, abs] of scopedFiles(outDir, tree)) {
    if (path.posix.basename(rel).startsWith('.') && rel.endsWith(TMP_SUFFIX)) {
      leftovers.push(abs);
      continue;
    }
    const content = readFileSync(abs, 'utf8');
    if (isGeneratedByFedc(content)) owned.set(rel, content);
  }
  return { owned, leftovers };
}

function pruneEmptyDirs(outDir: string, relDir: string): void {
  let rel = relDir;
  while (rel && rel !== '.') {
    try {
      rmdirSync(safeJoin(outDir, rel));
    } catch {
      return; // not empty, or already gone
    }
    rel = path.posix.dirname(rel);
  }
}
