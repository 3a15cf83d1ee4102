import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, type BigIntStats } from 'node:fs';
import path from 'node:path';
import { JOURNAL_FILE } from './commit-journal.js';
import type { FileContent } from './file-content.js';
import { childPath } from './under-root.js';

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
  version: 3;
  /** The compile key of the run that took it: only a run with the same key may report as it did. */
  compileKey: string;
  /** How many paths the stamp knows. */
  count: number;
  /**
   * The paths, packed: `count` output-relative paths joined by NUL (which no path holds). Below,
   * `signatures` and `contents` hold one item per path, in the same order, joined the same way.
   * Three strings, not three per path: a fleet's stamp knows tens of thousands of paths, and read
   * back from the cache as separate strings they took longer than checking them.
   */
  paths: string;
  /** Each path's signature ('' for a path that did not exist). */
  signatures: string;
  /**
   * What each file holds, where the run knew: `fedc:<SHA-256>` of a file fedc wrote, `other` for
   * one it did not, else ''. A later run with other inputs still knows the content of every file
   * whose signature holds without reading it.
   */
  contents: string;
  /** Entries changed just before the stamp was taken -> their content's digest (a directory: its names'). */
  racy: [rel: string, digest: string][];
  /** What the run reported, to report it again. */
  report: R;
}

const SEP = '\0';

/** What a stamp says a file holds that fedc did not write. */
export const NOT_FEDCS = 'other';

/** The signature of a directory the run left alone (a cluster not rendered): not compared. */
const KEPT = 'kept';

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

/** The key of the stamp of an output directory as a run with these flags sees it (directory, layout, clusters...). */
export function stampKey(run: unknown): string {
  return createHash('sha256').update('output-stamp\0').update(JSON.stringify(run)).digest('hex');
}

/** What a file fedc wants holds, as a stamp records it: `fedc:` and the SHA-256 of its bytes. */
export function contentDigest(c: FileContent): string {
  const h = createHash('sha256');
  if (typeof c === 'string') h.update(c);
  else for (const p of c) h.update(p);
  return `fedc:${h.digest('hex')}`;
}

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/** The identity of a path's last change; '' for a path that does not exist. */
function signature(st: BigIntStats | undefined): string {
  if (!st) return '';
  const type = st.isFile() ? 'f' : st.isDirectory() ? 'd' : st.isSymbolicLink() ? 'l' : 'o';
  return `${type}:${st.size}:${st.mtimeNs}:${st.ctimeNs}:${st.ino}:${st.dev}`;
}

const statOf = (abs: string) => lstatSync(abs, { bigint: true, throwIfNoEntry: false });
const namesDigest = (abs: string) => sha256(readdirSync(abs).sort().join('\0'));
/** A file's bytes as contentDigest writes a wanted content's. */
const fileDigest = (abs: string) => `fedc:${sha256(readFileSync(abs))}`;

/**
 * Takes the stamp of the output directory; undefined when it holds a symlink in scope (fedc
 * treats those apart on every run) or cannot be read.
 */
export function takeStamp<R>(outDir: string, compileKey: string, scope: StampScope, wanted: ReadonlyMap<string, string>, report: R, now = Date.now()): OutputStamp<R> | undefined {
  const root = path.resolve(outDir);
  const entries = new Map<string, [string, string, string?]>();
  const racy: [string, string][] = [];
  const keep = new Set(scope.keep);
  /** `inScope`: a file of the run's scopes, which is fedc's when wanted and another's when not. */
  const record = (rel: string, st: BigIntStats | undefined, inScope = false): void => {
    const content = st?.isFile() ? wanted.get(rel) ?? (inScope ? NOT_FEDCS : undefined) : undefined;
    entries.set(rel, content === undefined ? [rel, signature(st)] : [rel, signature(st), content]);
    if (st && isRacy(st, now)) {
      const abs = childPath(root, rel);
      // A file fedc wants must hold what it wants (verified before the stamp): that digest, not the disk's.
      racy.push([rel, st.isDirectory() ? namesDigest(abs) : content?.startsWith('fedc:') ? content : fileDigest(abs)]);
    }
  };
  try {
    const walk = (rel: string): boolean => {
      for (const e of readdirSync(childPath(root, rel), { withFileTypes: true })) {
        const child = `${rel}/${e.name}`;
        if (keep.has(child)) {
          // Not this run's: named (its parent's listing is known), never trusted below.
          entries.set(child, [child, KEPT]);
          continue;
        }
        const st = statOf(childPath(root, child));
        if (!st || st.isSymbolicLink()) return false;
        record(child, st, true);
        if (st.isDirectory() && !walk(child)) return false;
      }
      return true;
    };
    record(JOURNAL_FILE, statOf(childPath(root, JOURNAL_FILE)));
    for (const dir of scope.scopes) {
      // The directories on the way: one replaced by a symlink changes its signature.
      const parts = dir.split('/');
      for (let i = 1; i <= parts.length; i++) {
        const rel = parts.slice(0, i).join('/');
        const st = statOf(childPath(root, rel));
        if (st?.isSymbolicLink()) return undefined;
        record(rel, st);
      }
      if (entries.get(dir)?.[1].startsWith('d:') && !walk(dir)) return undefined;
    }
    for (const rel of scope.files) {
      const st = statOf(path.join(root, rel));
      if (st?.isSymbolicLink()) return undefined;
      record(rel, st);
    }
  } catch {
    return undefined;
  }
  const list = [...entries.values()];
  return {
    fedc: 'output-stamp', version: 3, compileKey, count: list.length,
    paths: list.map((e) => e[0]).join(SEP), signatures: list.map((e) => e[1]).join(SEP), contents: list.map((e) => e[2] ?? '').join(SEP),
    racy, report,
  };
}

/**
 * Whether the output directory is still exactly as stamped. When it is, and racy entries have
 * settled (changed at least RACY_MS before this check, which found their content as stamped), also
 * the stamp without them as racy, for the caller to store: the next runs then check their
 * signatures only, as git refreshes racily clean index entries. A change after this check comes
 * RACY_MS or more after the last one, so it shows in the signature.
 */
export function checkStamp<R>(outDir: string, stamp: OutputStamp<R>, now = Date.now()): { holds: false } | { holds: true; settled?: OutputStamp<R> } {
  const root = path.resolve(outDir);
  const stillRacy: [string, string][] = [];
  try {
    // Each signature is compared where it lies in the packed list: no string per entry but its path.
    const { paths, signatures: sigs } = stamp;
    // The paths are as takeStamp joined them (normalized, `/` between segments): childPath appends them.
    let p = 0;
    let q = 0;
    for (let i = 0; i < stamp.count; i++) {
      const pe = itemEnd(paths, p);
      const qe = itemEnd(sigs, q);
      if (pe === -1 || qe === -1) return { holds: false };
      if (!(qe - q === KEPT.length && sigs.startsWith(KEPT, q))) {
        const sig = signature(statOf(childPath(root, paths.slice(p, pe))));
        if (sig.length !== qe - q || !sigs.startsWith(sig, q)) return { holds: false };
      }
      p = pe + 1;
      q = qe + 1;
    }
    // Every item read, none left over: lists of another length are no stamp fedc took.
    if (stamp.count === 0 ? paths !== '' || sigs !== '' : p !== paths.length + 1 || q !== sigs.length + 1) return { holds: false };
    for (const [rel, digest] of stamp.racy) {
      const abs = childPath(root, rel);
      const st = statOf(abs);
      if ((st?.isDirectory() ? namesDigest(abs) : fileDigest(abs)) !== digest) return { holds: false };
      if (st && isRacy(st, now)) stillRacy.push([rel, digest]);
    }
  } catch {
    return { holds: false };
  }
  return stillRacy.length < stamp.racy.length ? { holds: true, settled: { ...stamp, racy: stillRacy } } : { holds: true };
}

/** Whether a path changed within RACY_MS of `now` (or after it): its signature alone could miss a change then. */
function isRacy(st: BigIntStats, now: number): boolean {
  return Number(st.mtimeNs > st.ctimeNs ? st.mtimeNs : st.ctimeNs) / 1e6 >= now - RACY_MS;
}

/** A record read back from the cache, if it is a stamp of this version. */
export function asStamp<R>(value: unknown): OutputStamp<R> | undefined {
  const s = value as OutputStamp<R> | undefined;
  return s && s.fedc === 'output-stamp' && s.version === 3 && Number.isSafeInteger(s.count) && s.count >= 0 &&
    typeof s.paths === 'string' && typeof s.signatures === 'string' && typeof s.contents === 'string' && Array.isArray(s.racy) ? s : undefined;
}

/** Where the packed item starting at `from` ends (its NUL, or the end of the list); -1 past the end. */
function itemEnd(list: string, from: number): number {
  if (from > list.length) return -1;
  const end = list.indexOf(SEP, from);
  return end === -1 ? list.length : end;
}

/** A packed list's items; undefined when it does not hold exactly `count`. */
function unpack(list: string, count: number): string[] | undefined {
  const items = count === 0 ? (list === '' ? [] : undefined) : list.split(SEP);
  return items && items.length === count ? items : undefined;
}

/**
 * What a stamp says of the output directory, for a run with other inputs: for each directory and
 * file whose signature still holds, its entries or its content. Racy entries are left out.
 */
export class KnownOutput {
  private readonly sigs = new Map<string, string>();
  private readonly contents = new Map<string, string>();
  private readonly children = new Map<string, string[]>();

  constructor(stamp: OutputStamp<unknown>) {
    const racy = new Set(stamp.racy.map(([rel]) => rel));
    const paths = unpack(stamp.paths, stamp.count);
    const sigs = unpack(stamp.signatures, stamp.count);
    const contents = unpack(stamp.contents, stamp.count);
    // A stamp whose lists do not agree says nothing.
    if (!paths || !sigs || !contents) return;
    for (let i = 0; i < stamp.count; i++) {
      const rel = paths[i]!;
      const sig = sigs[i]!;
      const content = contents[i] || undefined;
      if (sig === '') continue;
      const slash = rel.lastIndexOf('/');
      if (slash > 0) {
        const parent = rel.slice(0, slash);
        const list = this.children.get(parent);
        if (list) list.push(rel.slice(slash + 1));
        else this.children.set(parent, [rel.slice(slash + 1)]);
      }
      if (sig === KEPT || racy.has(rel)) continue;
      this.sigs.set(rel, sig);
      if (content !== undefined) this.contents.set(rel, content);
    }
  }

  /** The names in a directory, when it is as stamped (its signature holds). */
  names(rel: string, st: BigIntStats): string[] | undefined {
    return st.isDirectory() && this.sigs.get(rel) === signature(st) ? this.children.get(rel) ?? [] : undefined;
  }

  /** What a file holds (`fedc:<sha>` or `other`), when it is as stamped. */
  content(rel: string, st: BigIntStats): string | undefined {
    return this.sigs.get(rel) === signature(st) ? this.contents.get(rel) : undefined;
  }
}

/** The digest of every file of a tree (contentDigest), built one group at a time. */
export function treeDigests(tree: { groups: readonly { files(): Map<string, FileContent> }[] }): Map<string, string> {
  const out = new Map<string, string>();
  for (const g of tree.groups) for (const [rel, content] of g.files()) out.set(rel, contentDigest(content));
  return out;
}
