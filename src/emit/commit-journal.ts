import { closeSync, fsyncSync, lstatSync, openSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { removeEmptyDirs } from './make-dirs.js';
import { CLUSTERS_DIR, DNS_DIR, isGeneratedByFedc } from '../model/output-contract.js';

/**
 * The commit journal. Before it renames anything into place, a render writes `<out>/.fedc-journal`
 * (atomically: a temporary file, fsync, rename, fsync of the directory) naming every file it is
 * about to rename into place and every file it is about to delete; it removes the journal when
 * the renames and deletes are done and flushed. A journal found by the next render is the
 * commit of a render that was killed: every temporary file it names was written and flushed
 * before the journal was, so the commit is finished (rolled forward). Only when a temporary file
 * is missing and its target too (someone removed files by hand) is it rolled back instead: the
 * temporary files are deleted and the files stay as they are.
 */
export const JOURNAL_FILE = '.fedc-journal';
const JOURNAL_TMP = `${JOURNAL_FILE}.tmp`;
export const TMP_SUFFIX = '.fedc-tmp';

export interface Journal {
  fedc: 'commit-journal';
  version: 1;
  pid: number;
  hostname: string;
  started: string;
  /** Output-relative paths (posix) renamed from their temporary file into place. */
  renames: string[];
  /** Output-relative paths deleted (files fedc wrote). */
  deletes: string[];
}

/** A journal fedc cannot act on: damaged, or naming paths fedc never writes (a hostile repository). */
export class JournalError extends Error {}

export interface Recovery {
  outcome: 'finished' | 'rolled back';
  journal: Journal;
  /** Files renamed into place (finished) or temporary files deleted (rolled back) now. */
  files: number;
  deleted: number;
}

/** The temporary file a target is written to first: `.<name>.fedc-tmp` beside it. */
export function tempPath(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}${TMP_SUFFIX}`);
}

export function newJournal(renames: string[], deletes: string[]): Journal {
  return { fedc: 'commit-journal', version: 1, pid: process.pid, hostname: hostname(), started: new Date().toISOString(), renames, deletes };
}

export function writeJournal(outDir: string, journal: Journal): void {
  const tmp = path.join(outDir, JOURNAL_TMP);
  const fd = openSync(tmp, 'w', 0o644);
  try {
    writeSync(fd, JSON.stringify(journal) + '\n');
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, path.join(outDir, JOURNAL_FILE));
  syncDir(outDir);
}

export function removeJournal(outDir: string): void {
  rmSync(path.join(outDir, JOURNAL_FILE), { force: true });
  syncDir(outDir);
}

/** The journal of an unfinished commit, or undefined. Throws JournalError when it cannot be used. */
export function readJournal(outDir: string): Journal | undefined {
  let text: string;
  try {
    text = readFileSync(path.join(outDir, JOURNAL_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let v: Partial<Journal>;
  try {
    v = JSON.parse(text) as Partial<Journal>;
  } catch {
    throw new JournalError('it is not JSON');
  }
  if (!v || v.fedc !== 'commit-journal' || v.version !== 1 || !Array.isArray(v.renames) || !Array.isArray(v.deletes)) {
    throw new JournalError('it is not a journal fedc wrote');
  }
  for (const rel of [...v.renames, ...v.deletes]) {
    const why = badPath(rel);
    if (why) throw new JournalError(`it names ${JSON.stringify(rel)}, ${why}`);
  }
  return {
    fedc: 'commit-journal', version: 1, pid: Number(v.pid) || 0, hostname: String(v.hostname ?? ''), started: String(v.started ?? ''),
    renames: v.renames as string[], deletes: v.deletes as string[],
  };
}

/** Why a journal path is not one fedc writes, or undefined when it is. */
function badPath(rel: unknown): string | undefined {
  if (typeof rel !== 'string' || rel === '') return 'which is not a path';
  if (/[\\\0]/.test(rel) || rel.startsWith('/')) return 'which is not a relative POSIX path';
  const parts = rel.split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..')) return 'which is not a normalized path';
  if (parts[0] !== CLUSTERS_DIR && parts[0] !== DNS_DIR) return `which is outside ${CLUSTERS_DIR}/ and ${DNS_DIR}/`;
  if (parts.length < 2) return 'which is not a file fedc writes';
  return undefined;
}

/**
 * Finishes or rolls back the commit an interrupted render left, if any. Runs under the output
 * lock, before anything reads the previous output.
 */
export function recoverCommit(outDir: string): Recovery | undefined {
  const journal = readJournal(outDir);
  if (!journal) return undefined;
  const pending: [tmp: string, target: string][] = [];
  let lost = false;
  for (const rel of journal.renames) {
    const target = inside(outDir, rel);
    const tmp = tempPath(target);
    if (isFile(tmp)) pending.push([tmp, target]);
    else if (!isFile(target)) lost = true;
  }
  const dirs = new Set<string>();
  if (lost) {
    for (const [tmp] of pending) {
      rmSync(tmp, { force: true });
      removeEmptyDirs(path.dirname(tmp), outDir);
    }
    removeJournal(outDir);
    return { outcome: 'rolled back', journal, files: pending.length, deleted: 0 };
  }
  for (const [tmp, target] of pending) {
    renameSync(tmp, target);
    dirs.add(path.dirname(target));
  }
  let deleted = 0;
  for (const rel of journal.deletes) {
    const file = inside(outDir, rel);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue; // already deleted
    }
    if (!isGeneratedByFedc(text)) continue; // only ever a file fedc wrote
    unlinkSync(file);
    dirs.add(path.dirname(file));
    deleted++;
  }
  for (const d of dirs) syncDir(d);
  removeJournal(outDir);
  // as the commit would have: the directories its deletes emptied go too
  for (const d of dirs) removeEmptyDirs(d, outDir);
  return { outcome: 'finished', journal, files: pending.length, deleted };
}

/** The absolute path of a journal entry, refusing one that reaches through a symlink. */
function inside(outDir: string, rel: string): string {
  let dir = outDir;
  const parts = rel.split('/');
  for (const p of parts.slice(0, -1)) {
    dir = path.join(dir, p);
    let link = false;
    try {
      link = lstatSync(dir).isSymbolicLink();
    } catch {
      break; // missing: nothing below it exists either
    }
    if (link) throw new JournalError(`it names ${rel}, and ${path.relative(outDir, dir)} is a symlink`);
  }
  return path.join(outDir, ...parts);
}

function isFile(p: string): boolean {
  try {
    return lstatSync(p).isFile();
  } catch {
    return false;
  }
}

/** Flushes a directory's entries (new, renamed, removed names) to disk. Not every platform can. */
export function syncDir(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch {
    // EINVAL/EISDIR/EPERM on file systems and platforms that cannot sync a directory
  } finally {
    closeSync(fd);
  }
}

/** Whether a directory's entry exists (for tests and --check). */
export function journalExists(outDir: string): boolean {
  try {
    return statSync(path.join(outDir, JOURNAL_FILE)).isFile();
  } catch {
    return false;
  }
}
