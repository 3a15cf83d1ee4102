import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, type BigIntStats } from 'node:fs';
import path from 'node:path';
import { JOURNAL_FILE } from './commit-journal.js';

/**
 * The output directory as a render found it, to know it again on the next run without reading
 * it: every directory and file under the run's scopes, and every file of the previous output
 * the compile read, each with the identity of its last change (type, size, mtime and ctime in
 * nanoseconds, inode, device), as git's index and make know a file. A stamp is taken only by a
 * run whose compile read this very directory and found nothing to write, so the same inputs
 * (the key) and the same directory (the stamp holds) mean the run would find nothing again: it
 * prints what that run printed and reads nothing more.
 *
 * A change within the file system's timestamp granularity of taking the stamp could keep a
 * signature; such "racy" entries are checked by content (a file's SHA-256, a directory's names).
 */
export interface OutputStamp<R> {
  fedc: 'output-stamp';
  version: 1;
  /** Output-relative path -> signature; '' for a path that did not exist. */
  entries: [rel: string, sig: string][];
  /** Entries changed just before the stamp was taken -> SHA-256 of their content (a directory: its names). */
  racy: [rel: string, digest: string][];
  /** What the run reported, to report it again. */
  report: R;
}

/** Changes this close to taking the stamp are checked by content: the coarsest timestamps (FAT) are 2 s. */
const RACY_MS = 2_000;

export interface StampScope {
  /** Directories (relative) whose whole contents are the run's. */
  scopes: readonly string[];
  /** Directories (relative) inside them that are not. */
  keep: readonly string[];
  /** Single files (relative) the run read. */
  files: readonly string[];
}

/** The key of the stamp for a compile key and what else decides the run's output (layout, flags, directory). */
export function stampKey(compileKey: string, run: unknown): string {
  return createHash('sha256').update('output-stamp\0').update(compileKey).update('\0').update(JSON.stringify(run)).digest('hex');
}

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

function signature(st: BigIntStats | undefined): string {
  if (!st) return '';
  const type = st.isFile() ? 'f' : st.isDirectory() ? 'd' : st.isSymbolicLink() ? 'l' : 'o';
  return `${type}:${st.size}:${st.mtimeNs}:${st.ctimeNs}:${st.ino}:${st.dev}`;
}

const statOf = (abs: string) => lstatSync(abs, { bigint: true, throwIfNoEntry: false });
const namesDigest = (abs: string) => sha256(readdirSync(abs).sort().join('\0'));

/**
 * Takes the stamp of the output directory; undefined when it holds a symlink in scope (fedc
 * treats those apart on every run) or cannot be read.
 */
export function takeStamp<R>(outDir: string, scope: StampScope, report: R, now = Date.now()): OutputStamp<R> | undefined {
  const root = path.resolve(outDir);
  const entries = new Map<string, string>();
  const racy: [string, string][] = [];
  const keep = new Set(scope.keep);
  const record = (rel: string, st: BigIntStats | undefined): void => {
    entries.set(rel, signature(st));
    if (st && Number(st.mtimeNs > st.ctimeNs ? st.mtimeNs : st.ctimeNs) / 1e6 >= now - RACY_MS) {
      const abs = path.join(root, rel);
      racy.push([rel, st.isDirectory() ? namesDigest(abs) : sha256(readFileSync(abs))]);
    }
  };
  try {
    const walk = (rel: string): boolean => {
      for (const e of readdirSync(path.join(root, rel), { withFileTypes: true })) {
        const child = `${rel}/${e.name}`;
        if (keep.has(child)) continue;
        const st = statOf(path.join(root, child));
        if (!st || st.isSymbolicLink()) return false;
        record(child, st);
        if (st.isDirectory() && !walk(child)) return false;
      }
      return true;
    };
    record(JOURNAL_FILE, statOf(path.join(root, JOURNAL_FILE)));
    for (const dir of scope.scopes) {
      // The directories on the way: one replaced by a symlink changes its signature.
      const parts = dir.split('/');
      for (let i = 1; i <= parts.length; i++) {
        const rel = parts.slice(0, i).join('/');
        const st = statOf(path.join(root, rel));
        if (st?.isSymbolicLink()) return undefined;
        record(rel, st);
      }
      if (entries.get(dir)?.startsWith('d:') && !walk(dir)) return undefined;
    }
    for (const rel of scope.files) {
      const st = statOf(path.join(root, rel));
      if (st?.isSymbolicLink()) return undefined;
      record(rel, st);
    }
  } catch {
    return undefined;
  }
  return { fedc: 'output-stamp', version: 1, entries: [...entries], racy, report };
}

/** Whether the output directory is still exactly as stamped. */
export function stampHolds(outDir: string, stamp: OutputStamp<unknown>): boolean {
  const root = path.resolve(outDir);
  try {
    for (const [rel, sig] of stamp.entries) if (signature(statOf(path.join(root, rel))) !== sig) return false;
    for (const [rel, digest] of stamp.racy) {
      const abs = path.join(root, rel);
      const st = statOf(abs);
      if ((st?.isDirectory() ? namesDigest(abs) : sha256(readFileSync(abs))) !== digest) return false;
    }
  } catch {
    return false;
  }
  return true;
}

/** A record read back from the cache, if it is a stamp of this version. */
export function asStamp<R>(value: unknown): OutputStamp<R> | undefined {
  const s = value as OutputStamp<R> | undefined;
  return s && s.fedc === 'output-stamp' && s.version === 1 && Array.isArray(s.entries) && Array.isArray(s.racy) ? s : undefined;
}
