import { readdir, readFile, rename, rm, rmdir, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GENERATED_MARKER } from './layout.js';
import type { OutputTree } from './output-tree.js';

const TMP_SUFFIX = '.fedc-tmp';

export interface TreeChanges {
  /** Relative paths, sorted. */
  added: string[];
  changed: string[];
  removed: string[];
  unchanged: number;
}

/** Compares the wanted tree with the output directory on disk. */
export async function diffTree(outDir: string, tree: OutputTree): Promise<TreeChanges> {
  const onDisk = await ownedFiles(outDir, tree);
  const added: string[] = [];
  const changed: string[] = [];
  let unchanged = 0;
  for (const [rel, content] of tree.files) {
    const current = onDisk.get(rel);
    if (current === undefined) added.push(rel);
    else if (current !== content) changed.push(rel);
    else unchanged++;
  }
  const removed = [...onDisk.keys()].filter((rel) => !tree.files.has(rel) && !rel.endsWith(TMP_SUFFIX));
  return { added: added.sort(), changed: changed.sort(), removed: removed.sort(), unchanged };
}

/**
 * Brings the output directory in line with the tree, touching only files whose bytes change.
 * New contents are first written beside their targets as temporary files; only when all are
 * written are they renamed into place and orphans deleted. A failure before that point leaves the
 * previous output as it was. Only files that start with fedc's marker are ever deleted.
 */
export async function writeTree(outDir: string, tree: OutputTree, changes: TreeChanges): Promise<void> {
  const toWrite = [...changes.added, ...changes.changed];
  const temps: [string, string][] = [];
  try {
    for (const rel of toWrite) {
      const target = safeJoin(outDir, rel);
      await mkdir(path.dirname(target), { recursive: true });
      const tmp = path.join(path.dirname(target), `.${path.basename(target)}${TMP_SUFFIX}`);
      await writeFile(tmp, tree.files.get(rel)!);
      temps.push([tmp, target]);
    }
  } catch (err) {
    await Promise.all(temps.map(([tmp]) => rm(tmp, { force: true })));
    throw err;
  }
  for (const [tmp, target] of temps) await rename(tmp, target);
  for (const rel of changes.removed) await rm(safeJoin(outDir, rel), { force: true });
  await removeLeftoverTemps(outDir, tree);
  for (const rel of changes.removed) await pruneEmptyDirs(outDir, path.dirname(rel));
}

/** Joins a relative output path to the output directory, refusing anything that would leave it. */
export function safeJoin(outDir: string, rel: string): string {
  const root = path.resolve(outDir);
  const full = path.resolve(root, rel);
  if (full !== root && !full.startsWith(root + path.sep)) throw new Error(`refusing to write outside ${root}: ${rel}`);
  return full;
}

/** Files under the tree's scopes (not under a kept directory) whose first line is fedc's marker. */
async function ownedFiles(outDir: string, tree: OutputTree): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const keep = tree.keep.map((k) => k + '/');
  for (const scope of tree.scopes) {
    let entries: string[];
    try {
      entries = (await readdir(safeJoin(outDir, scope), { recursive: true, withFileTypes: true }))
        .filter((e) => e.isFile())
        .map((e) => path.relative(path.resolve(outDir), path.join(e.parentPath, e.name)).split(path.sep).join('/'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    for (const rel of entries) {
      if (keep.some((k) => rel.startsWith(k))) continue;
      const content = await readFile(safeJoin(outDir, rel), 'utf8');
      if (content.startsWith(GENERATED_MARKER) || (rel.endsWith(TMP_SUFFIX) && path.basename(rel).startsWith('.'))) {
        out.set(rel, content);
      }
    }
  }
  return out;
}

async function removeLeftoverTemps(outDir: string, tree: OutputTree): Promise<void> {
  for (const scope of tree.scopes) {
    let entries;
    try {
      entries = await readdir(safeJoin(outDir, scope), { recursive: true, withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (e.isFile() && e.name.startsWith('.') && e.name.endsWith(TMP_SUFFIX)) await rm(path.join(e.parentPath, e.name), { force: true });
    }
  }
}

async function pruneEmptyDirs(outDir: string, relDir: string): Promise<void> {
  let rel = relDir;
  while (rel && rel !== '.') {
    try {
      await rmdir(safeJoin(outDir, rel));
    } catch {
      return; // not empty, or already gone
    }
    rel = path.posix.dirname(rel);
  }
}

