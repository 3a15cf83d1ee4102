import { existsSync, lstatSync, type BigIntStats, readdirSync, readFileSync, realpathSync, rmSync, rmdirSync, statSync } from 'node:fs';
import { makeDirs, removeEmptyDirs } from './make-dirs.js';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { CLUSTERS_DIR, isGeneratedByFedc } from '../model/output-contract.js';
import { listTree } from '../read/list-tree.js';
import { newJournal, removeJournal, tempPath, TMP_SUFFIX, writeJournal } from './commit-journal.js';
import { contentBytes, contentEquals, contentLength, type FileContent } from './file-content.js';
import { crashPoint, renameConcurrency, renameFault, writeFault } from './io-faults.js';
import type { OutputTree } from './output-tree.js';
import { contentDigest, NOT_FEDCS, type KnownOutput } from './output-stamp.js';
import { childPath, leavesBase, relativeToRoot } from './under-root.js';

// Reading and listing are synchronous: from the page cache that is fastest. Creating files is
// disk-bound and goes much faster with many writes in flight (the file system batches them),
// so writes and renames run through a bounded pool.

/** Writes in flight at once. */
const WRITE_CONCURRENCY = 64;
/** Characters of new content in flight at once: a fleet's manifests are written a few at a time. */
const WRITE_BUDGET = 16 << 20;

/**
 * Runs `task` over `items` with at most `limit` running at once and, given `size`, starts one only
 * while less than `budget` is in flight (so at most `budget` plus one item). Items are taken one
 * by one as tasks start, so an iterable that builds them lazily holds only those in flight. The
 * first failure stops the pool from starting more; it is thrown once every task started has ended.
 */
async function pool<T>(items: Iterable<T>, limit: number, task: (item: T) => Promise<void>, size?: (item: T) => number, budget = Infinity): Promise<void> {
  const it = items[Symbol.iterator]();
  let failure: { err: unknown } | undefined;
  let inFlight = 0;
  const waiters: (() => void)[] = [];
  const worker = async () => {
    while (!failure) {
      // An item is taken only when there is room for more: what waits holds nothing.
      while (inFlight >= budget) await new Promise<void>((r) => waiters.push(r));
      if (failure) return;
      let item: IteratorResult<T>;
      try {
        item = it.next();
      } catch (err) {
        failure ??= { err };
        return;
      }
      if (item.done) return;
      const weight = size ? size(item.value) : 0;
      inFlight += weight;
      try {
        await task(item.value);
      } catch (err) {
        failure ??= { err };
      } finally {
        inFlight -= weight;
        waiters.splice(0).forEach((w) => w());
      }
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  if (failure) throw failure.err;
}

export interface TreeChanges {
  /** Relative paths, sorted. */
  added: string[];
  changed: string[];
  removed: string[];
  unchanged: number;
  /** Temporary files an interrupted run left behind (absolute paths); removed by writeTree. */
  leftovers: string[];
  /**
   * Files in a rendered cluster's directory that fedc did not write and that an Argo CD directory
   * application would apply (`*.yaml`, `*.yml`, `*.json`): relative, sorted. fedc leaves them.
   */
  foreign: string[];
  /**
   * Files fedc did not write at paths fedc would write (relative, sorted): never written over,
   * as that would lose a file of the user's; a render refuses to run while one is there.
   */
  occupied: string[];
  /** Symlinks in the managed directories (relative): fedc never writes or deletes through one. */
  symlinks: string[];
}

/**
 * The names of the directories (and symlinks) in clusters/ of an output directory, for
 * `--shard`: a shard prunes the directories of its clusters that are no longer declared.
 */
export function clusterDirsOnDisk(outDir: string): string[] {
  try {
    return readdirSync(safeJoin(outDir, CLUSTERS_DIR), { withFileTypes: true })
      .filter((e) => e.isDirectory() || e.isSymbolicLink())
      .map((e) => e.name)
      .sort();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw err;
  }
}

/**
 * Compares the wanted tree with the output directory on disk, one group at a time: only one
 * group's contents and one file read from disk are held at once.
 */
export async function diffTree(outDir: string, tree: OutputTree, known?: KnownOutput): Promise<TreeChanges> {
  return compareListing(known ? knownScopedFiles(outDir, tree, known) : scopedFiles(outDir, tree), tree, known);
}

/**
 * The files of an output directory that a tree is compared with: those under its scopes and
 * under no kept directory (relative path -> file), and the symlinks there. From the disk
 * (scopedFiles), or from elsewhere (the index: `fedc render --check --staged`).
 */
export interface OutputListing {
  files: Map<string, ListedFile>;
  symlinks: string[];
}

export interface ListedFile {
  /** Where it is on disk; absent for a file that is not (a blob of the index). */
  abs?: string;
  /** Its lstat, when the listing took one (with a stamp to compare it with). */
  st?: BigIntStats;
  text(): string;
}

/** Whether a path of an output directory is one the tree is compared with (under a scope, under no kept directory). */
export function inTreeScope(tree: OutputTree): (rel: string) => boolean {
  const scopes = tree.scopes.map((s) => s + '/');
  const keep = tree.keep.map((k) => k + '/');
  return (rel) => scopes.some((s) => rel.startsWith(s)) && !keep.some((k) => rel.startsWith(k));
}

/** What writing the tree would change in the listed directory (see diffTree). */
export function compareListing(listing: OutputListing, tree: OutputTree, known?: KnownOutput): TreeChanges {
  const { files: onDisk, symlinks } = listing;
  const added: string[] = [];
  const changed: string[] = [];
  const foreign: string[] = [];
  const occupied: string[] = [];
  const leftovers: string[] = [];
  const wanted = new Set<string>();
  let unchanged = 0;
  /** A file on disk that fedc did not write: foreign where Argo CD would apply it. */
  const notOurs = (rel: string) => {
    if (APPLIED_IN_CLUSTER_DIR.test(rel)) foreign.push(rel);
  };
  /** What the stamp says the file holds, if its signature holds. */
  const stamped = (file: ListedFile | undefined, rel: string) => (known && file?.st ? known.content(rel, file.st) : undefined);
  for (const group of tree.groups) {
    for (const [rel, content] of group.files()) {
      wanted.add(rel);
      const file = onDisk.get(rel);
      const said = stamped(file, rel);
      if (file === undefined) added.push(rel);
      else if (said !== undefined) {
        if (said === NOT_FEDCS) occupied.push(rel);
        else if (said === contentDigest(content)) unchanged++;
        else changed.push(rel);
      } else {
        const current = file.text();
        if (!isGeneratedByFedc(current)) occupied.push(rel);
        else if (!contentEquals(current, content)) changed.push(rel);
        else unchanged++;
      }
    }
  }
  const removed: string[] = [];
  for (const [rel, file] of onDisk) {
    if (wanted.has(rel)) continue;
    const said = stamped(file, rel);
    if (file.abs !== undefined && path.posix.basename(rel).startsWith('.') && rel.endsWith(TMP_SUFFIX)) leftovers.push(file.abs);
    else if (said !== undefined ? said !== NOT_FEDCS : isGeneratedByFedc(file.text())) removed.push(rel);
    else notOurs(rel);
  }
  return { added: added.sort(), changed: changed.sort(), removed: removed.sort(), unchanged, leftovers, foreign: foreign.sort(), occupied: occupied.sort(), symlinks: symlinks.sort() };
}

/** The files of the tree that are to be written, with their contents, built one group at a time. */
function* contentsToWrite(tree: OutputTree, rels: ReadonlySet<string>): Generator<[rel: string, content: FileContent]> {
  // The groups holding a file to write: each group's files lie under its directory.
  const dirs = new Set(tree.groups.map((g) => g.dir));
  const needed = new Set<string>();
  for (const rel of rels) {
    for (let i = rel.indexOf('/'); i !== -1; i = rel.indexOf('/', i + 1)) {
      const dir = rel.slice(0, i);
      if (dirs.has(dir)) {
        needed.add(dir);
        break;
      }
    }
  }
  for (const group of tree.groups) {
    if (!needed.has(group.dir)) continue;
    for (const [rel, content] of group.files()) if (rels.has(rel)) yield [rel, content];
  }
}

/** A file to write or delete lies below a symlink in the output directory. */
export class SymlinkInOutputError extends Error {
  constructor(readonly link: string, readonly file: string) {
    super(`${link} is a symlink; fedc does not write through symlinks (it would write ${file} wherever it points)`);
  }
}

/**
 * The commit failed after its journal was written: some files are renamed into place, others
 * not. The journal stays, and the next render finishes the commit (or rolls it back).
 */
export class CommitInterruptedError extends Error {
  constructor(override readonly cause: unknown, readonly done: number, readonly total: number) {
    super((cause as Error).message);
  }
}

export interface WriteOptions {
  /** Checked just before the commit: a render whose lock was taken over commits nothing. */
  lock?: { assertHeld(): void };
  /** Called as each new content is written (beside its target, before the commit), for progress. */
  onWritten?: (rel: string) => void;
}

/**
 * Brings the output directory in line with the tree, touching only files whose bytes change.
 * New contents are first written beside their targets as temporary files and flushed to disk;
 * then the journal (commit-journal.ts) records the commit, the temporary files are renamed into
 * place, orphans are deleted, the directories are flushed, and the journal is removed. A failure
 * before the journal leaves the previous output as it was; a failure or a kill after it leaves a
 * journal from which the next render finishes the commit. Every file is its old content or its
 * new content, whole. Only files that start with fedc's marker are ever deleted.
 */
export async function writeTree(outDir: string, tree: OutputTree, changes: TreeChanges, options: WriteOptions = {}): Promise<void> {
  const temps: [rel: string, tmp: string, target: string][] = [];
  for (const rel of [...changes.added, ...changes.changed]) {
    const target = safeJoin(outDir, rel);
    temps.push([rel, tempPath(target), target]);
  }
  if (temps.length + changes.removed.length + changes.leftovers.length === 0) return;
  refuseSymlinks(changes, [...changes.added, ...changes.changed, ...changes.removed]);
  const root = path.resolve(outDir);
  // Directories whose entries change: flushed before the journal goes.
  const touched = new Set<string>();
  // Directories this render made: a failure before the commit removes them with its files.
  const created = new Set<string>();
  try {
    const made = new Set<string>();
    for (const [, , target] of temps) {
      const dir = path.dirname(target);
      touched.add(dir);
      if (made.has(dir)) continue;
      made.add(dir);
      const first = makeDirs(dir);
      // Every directory from `first` down to `dir` is new: its parent gained an entry.
      for (let d = dir; first !== undefined; d = path.dirname(d)) {
        created.add(d);
        touched.add(path.dirname(d));
        if (d === first || d === root || path.dirname(d) === d) break;
      }
    }
    const { onWritten } = options;
    await pool(contentsToWrite(tree, new Set(temps.map(([rel]) => rel))), WRITE_CONCURRENCY, async ([rel, content]) => {
      await writeDurable(tempPath(safeJoin(outDir, rel)), content);
      onWritten?.(rel);
    }, ([, content]) => contentLength(content), WRITE_BUDGET);
    // A rename onto a directory would fail halfway through the commit: refuse before it starts.
    for (const [rel, , target] of temps) {
      if (statSync(target, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`${rel} is a directory`);
    }
    options.lock?.assertHeld();
    writeJournal(outDir, newJournal(temps.map(([rel]) => rel), changes.removed));
  } catch (err) {
    await pool(temps, WRITE_CONCURRENCY, ([, tmp]) => rm(tmp, { force: true }));
    // deepest first, so that a directory is empty when its turn comes
    for (const d of [...created].sort((a, b) => b.length - a.length)) removeEmptyDirs(d, path.dirname(d));
    throw err;
  }
  let done = 0;
  try {
    crashPoint(0);
    await pool(temps, renameConcurrency(WRITE_CONCURRENCY), async ([, tmp, target]) => {
      const fault = renameFault(target);
      if (fault) throw fault;
      await rename(tmp, target);
      crashPoint(++done);
    });
    for (const rel of changes.removed) {
      const file = safeJoin(outDir, rel);
      rmSync(file, { force: true });
      touched.add(path.dirname(file));
    }
  } catch (err) {
    throw new CommitInterruptedError(err, done, temps.length);
  }
  for (const abs of changes.leftovers) rmSync(abs, { force: true });
  await pool([...touched], WRITE_CONCURRENCY, syncDirAsync);
  removeJournal(outDir);
  // what the commit emptied: the directories of files it deleted, and of the temporary files of an
  // earlier render killed before its commit (which made directories for them)
  for (const rel of changes.removed) removeEmptyDirs(path.dirname(safeJoin(outDir, rel)), root);
  for (const abs of changes.leftovers) removeEmptyDirs(path.dirname(abs), root);
}

/** Writes a file and flushes its data to disk, so a rename of it can never expose an empty file. */
async function writeDurable(file: string, content: FileContent): Promise<void> {
  const fault = writeFault(file);
  const bytes = contentBytes(content);
  const h = await open(file, 'w');
  try {
    if (fault) {
      await h.writeFile(bytes.subarray(0, bytes.length >> 1));
      throw fault;
    }
    await h.writeFile(bytes);
    await h.datasync();
  } finally {
    await h.close();
  }
}

async function syncDirAsync(dir: string): Promise<void> {
  let h;
  try {
    h = await open(dir, 'r');
  } catch {
    return; // gone (pruned) or not openable on this platform
  }
  try {
    await h.sync();
  } catch {
    // file systems and platforms that cannot sync a directory
  } finally {
    await h.close();
  }
}

function refuseSymlinks(changes: TreeChanges, paths: readonly string[]): void {
  if (changes.symlinks.length === 0) return;
  const links = new Set(changes.symlinks);
  for (const rel of paths) {
    for (let i = rel.indexOf('/'); i !== -1; i = rel.indexOf('/', i + 1)) {
      const dir = rel.slice(0, i);
      if (links.has(dir)) throw new SymlinkInOutputError(dir, rel);
    }
  }
}

/**
 * Why an output directory from fedc.yaml (or the default) is not inside the repo although its
 * path is: a symlink on the way leads out. Undefined when it stays inside.
 */
export function outputLeavesRepo(root: string, outDir: string): string | undefined {
  const realRoot = realpathSync(root);
  let existing = path.resolve(outDir);
  const rest: string[] = [];
  while (!existsSync(existing)) {
    rest.unshift(path.basename(existing));
    const up = path.dirname(existing);
    if (up === existing) break;
    existing = up;
  }
  const real = path.join(realpathSync(existing), ...rest);
  const rel = path.relative(realRoot, real);
  return leavesBase(rel) ? real : undefined;
}

/** Joins a relative output path to the output directory, refusing anything that would leave it. */
export function safeJoin(outDir: string, rel: string): string {
  const root = path.resolve(outDir);
  const full = path.resolve(root, rel);
  if (full !== root && !full.startsWith(root.endsWith(path.sep) ? root : root + path.sep)) throw new Error(`refusing to write outside ${root}: ${rel}`);
  return full;
}

/** A file on disk, read when compared. */
const diskFile = (abs: string, st?: BigIntStats): ListedFile => ({ abs, ...(st ? { st } : {}), text: () => readFileSync(abs, 'utf8') });

/**
 * Every file under the tree's scopes that is not under a kept directory, and the symlinks there.
 * A scope that is itself a symlink, or lies below one, is not read: it is reported as a symlink.
 */
function scopedFiles(outDir: string, tree: OutputTree): OutputListing {
  const out = new Map<string, ListedFile>();
  const symlinks: string[] = [];
  const root = path.resolve(outDir);
  const relative = relativeToRoot(root);
  const inScope = inTreeScope(tree);
  for (const scope of readableScopes(outDir, tree, symlinks)) {
    let entries;
    try {
      entries = listTree(safeJoin(outDir, scope));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    for (const e of entries) {
      const link = e.isSymbolicLink();
      if (!link && !e.isFile()) continue;
      const abs = childPath(e.parentPath, e.name);
      const rel = relative(abs);
      if (!inScope(rel)) continue;
      if (link) symlinks.push(rel);
      else out.set(rel, diskFile(abs));
    }
  }
  return { files: out, symlinks };
}

/** The scopes that are no symlink and lie below none; the others are added to `symlinks`. */
function readableScopes(outDir: string, tree: OutputTree, symlinks: string[]): string[] {
  const out: string[] = [];
  scopes: for (const scope of tree.scopes) {
    const parts = scope.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const sub = parts.slice(0, i).join('/');
      if (lstatSync(safeJoin(outDir, sub), { throwIfNoEntry: false })?.isSymbolicLink()) {
        if (!symlinks.includes(sub)) symlinks.push(sub);
        continue scopes;
      }
    }
    out.push(scope);
  }
  return out;
}

/**
 * The same listing as scopedFiles, taken with a stamp: each entry is lstat-ed, and a directory
 * whose signature holds is not read again (its names are the stamp's), so the caller can trust
 * the stamp's word on every file whose signature holds too.
 */
function knownScopedFiles(outDir: string, tree: OutputTree, known: KnownOutput): OutputListing {
  const out = new Map<string, ListedFile>();
  const symlinks: string[] = [];
  const root = path.resolve(outDir);
  const keep = new Set(tree.keep);
  const walk = (rel: string, st: BigIntStats): void => {
    for (const name of known.names(rel, st) ?? readdirSync(childPath(root, rel))) {
      const child = `${rel}/${name}`;
      if (keep.has(child)) continue;
      const abs = childPath(root, child);
      const cst = lstatSync(abs, { bigint: true, throwIfNoEntry: false });
      if (!cst) continue; // gone since the listing
      if (cst.isSymbolicLink()) symlinks.push(child);
      else if (cst.isDirectory()) walk(child, cst);
      else if (cst.isFile()) out.set(child, diskFile(abs, cst));
    }
  };
  for (const scope of readableScopes(outDir, tree, symlinks)) {
    const st = lstatSync(safeJoin(outDir, scope), { bigint: true, throwIfNoEntry: false });
    if (st?.isDirectory()) walk(scope, st);
  }
  return { files: out, symlinks };
}

/** A file Argo CD would apply, in a cluster's directory (not clusters/ itself). */
const APPLIED_IN_CLUSTER_DIR = new RegExp(`^${CLUSTERS_DIR}/[^/]+/.+\\.(ya?ml|json)$`);

