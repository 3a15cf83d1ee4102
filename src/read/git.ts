import { spawnSync } from 'node:child_process';

/** A blob of a tree, by path relative to the directory that was listed. */
export interface TreeEntry {
  /** git file mode: 100644, 100755, 120000 (symlink), 160000 (submodule). */
  mode: string;
  oid: string;
  size: number;
  path: string;
}

/** A git command failed; `message` is what git said, `stdout` what it printed before it failed. */
export class GitError extends Error {
  constructor(message: string, readonly stdout?: Buffer) {
    super(message);
  }
}

/**
 * An object of the listed tree cannot be read (a shallow or partial clone, a damaged object
 * store): a tree, or a blob whose size `ls-tree -l` wanted (a partial clone whose promisor remote
 * cannot be reached). `path` is the directory or file it is the object of, relative to the listed
 * directory; undefined when unknown, or the listed directory or one above it.
 */
export class GitObjectUnreadable extends GitError {
  constructor(message: string, readonly oid: string, readonly type: 'tree' | 'blob', readonly path: string | undefined) {
    super(message);
  }
}

/** git itself cannot be run: it is not installed, or not on PATH. */
export class GitNotFound extends GitError {}

/**
 * Runs git in `cwd` with the user's configuration but never a pager, a prompt or an editor, and
 * returns stdout. Only ever reads: fedc never writes to the user's repository, index or refs.
 */
function git(cwd: string, args: string[], input?: string): Buffer {
  const r = spawnSync('git', ['--no-pager', '-c', 'core.quotePath=false', ...args], {
    cwd,
    input,
    maxBuffer: 1 << 30,
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' },
  });
  if (r.error) {
    // ENOENT is the executable (every cwd given here is a directory that was checked to exist)
    if ((r.error as NodeJS.ErrnoException).code === 'ENOENT') throw new GitNotFound('git is not installed, or not on PATH');
    throw new GitError(`git: ${r.error.message}`);
  }
  if (r.status !== 0) throw new GitError(r.stderr.toString('utf8').trim() || `git ${args[0]} exited ${r.status}`, r.stdout);
  return r.stdout;
}

/**
 * The work tree's top directory and the path of `dir` inside it ('' or 'a/b/'); undefined outside
 * git. Throws GitNotFound when there is no git to ask.
 */
export function gitLocation(dir: string): { top: string; prefix: string } | undefined {
  try {
    // One question each: a path may hold a line break, so two answers on one output could not be told apart.
    const ask = (flag: string) => git(dir, ['rev-parse', flag]).toString('utf8').replace(/\n$/, '');
    return { top: ask('--show-toplevel'), prefix: ask('--show-prefix') };
  } catch (err) {
    if (err instanceof GitNotFound) throw err;
    return undefined;
  }
}

/** The commit a ref names, or undefined when it names none. */
export function resolveCommit(top: string, ref: string): string | undefined {
  if (ref.startsWith('-')) return undefined; // never an option
  try {
    return git(top, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]).toString('utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * What a ref that names no commit names instead: an object's id and type (`tree`, `blob`, `tag`,
 * or `missing` when the object store lacks it: a damaged store), whether this clone is shallow
 * (a ref into the history it lacks names nothing), or nothing at all.
 */
export function describeRef(top: string, ref: string): { oid?: string; type?: string; shallow: boolean } {
  const run = (args: string[]) => {
    try {
      return git(top, args).toString('utf8').trim();
    } catch {
      return '';
    }
  };
  const shallow = run(['rev-parse', '--is-shallow-repository']) === 'true';
  const oid = ref.startsWith('-') ? '' : run(['rev-parse', '--verify', '--quiet', '--end-of-options', ref]);
  if (!oid) return { shallow };
  return { oid, type: run(['cat-file', '-t', oid]) || 'missing', shallow };
}

/** The id of the empty tree, in the repository's hash: git knows it without storing it (nothing is written). */
export function emptyTree(top: string): string {
  return git(top, ['hash-object', '-t', 'tree', '--stdin'], '').toString('utf8').trim();
}

export function mergeBase(top: string, a: string, b: string): string | undefined {
  try {
    return git(top, ['merge-base', a, b]).toString('utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Every blob below `prefix` in a commit, paths relative to `prefix`. Throws GitObjectUnreadable
 * when git cannot read a tree of it (or the size of a blob).
 */
export function listTree(top: string, commit: string, prefix: string): TreeEntry[] {
  const list = (flags: string[]) => git(top, ['--literal-pathspecs', 'ls-tree', '-r', ...flags, '-z', '--full-tree', commit, '--', prefix === '' ? '.' : prefix]).toString('utf8');
  let out: string;
  try {
    // -t: trees are listed too (and skipped below), each before git reads it, so that the
    // directory of a tree git cannot read is known
    out = list(['-t', '-l']);
  } catch (err) {
    if (!(err instanceof GitError)) throw err;
    let oid = /\b(?:could not read|unable to read(?: tree)?|could not fetch) \(?([0-9a-f]{40,64})\b/i.exec(err.message)?.[1];
    // the commit's own tree is missing: git names no object, the commit does
    if (!oid && /not a tree object/i.test(err.message)) oid = rootTree(top, commit);
    if (!oid) throw err;
    const at = (text: string, type: string) => {
      for (const rec of text.split('\0')) {
        const tab = rec.indexOf('\t');
        const [, t, o] = rec.slice(0, tab).split(/ +/);
        const full = rec.slice(tab + 1);
        if (t === type && o === oid && full.startsWith(prefix) && full.length > prefix.length) return full.slice(prefix.length);
      }
      return undefined;
    };
    const dir = at(err.stdout?.toString('utf8') ?? '', 'tree');
    if (dir !== undefined) throw new GitObjectUnreadable(err.message, oid, 'tree', dir);
    // not a tree that was listed: a blob whose size git could not get? Listing without sizes reads trees only.
    let file: string | undefined;
    try {
      file = at(list([]), 'blob');
    } catch {
      // trees cannot be read either
    }
    if (file !== undefined) throw new GitObjectUnreadable(err.message, oid, 'blob', file);
    if (/could not fetch/i.test(err.message)) throw err; // an object of unknown path and type
    throw new GitObjectUnreadable(err.message, oid, 'tree', undefined);
  }
  const entries: TreeEntry[] = [];
  for (const rec of out.split('\0')) {
    if (rec === '') continue;
    // "<mode> SP <type> SP <oid> SP+ <size> TAB <path>"; the size is "-" for a submodule, "BAD" for a blob that is missing
    const tab = rec.indexOf('\t');
    const [mode, type, oid, size] = rec.slice(0, tab).split(/ +/);
    if (type !== 'blob' && type !== 'commit') continue;
    const full = rec.slice(tab + 1);
    if (!full.startsWith(prefix)) continue;
    const n = Number(size);
    entries.push({ mode: mode!, oid: oid!, size: Number.isInteger(n) ? n : 0, path: full.slice(prefix.length) });
  }
  return entries;
}

/**
 * Every file below `prefix` in the index (what `git commit` would commit), paths relative to
 * `prefix`, as listTree lists a commit's. Entries of a merge conflict (stages 1 to 3) are
 * `unmerged`, once per path. An intent-to-add entry (`git add -N`) is left out, as a commit leaves
 * it out. Sizes (unless `sizes` is false: then 0) come from
 * `git cat-file --batch-check`; an object the store lacks has size 0 here, and reading it says so.
 */
export function listIndex(top: string, prefix: string, sizes = true): { entries: TreeEntry[]; unmerged: string[] } {
  const out = git(top, ['--literal-pathspecs', 'ls-files', '--stage', '-z', '--full-name', '--', prefix === '' ? '.' : prefix]).toString('utf8');
  let entries: TreeEntry[] = [];
  const unmerged = new Set<string>();
  for (const rec of out.split('\0')) {
    if (rec === '') continue;
    // "<mode> SP <oid> SP <stage> TAB <path>"
    const tab = rec.indexOf('\t');
    const [mode, oid, stage] = rec.slice(0, tab).split(' ');
    const full = rec.slice(tab + 1);
    if (!full.startsWith(prefix)) continue;
    const rel = full.slice(prefix.length);
    if (stage !== '0') unmerged.add(rel);
    else entries.push({ mode: mode!, oid: oid!, size: 0, path: rel });
  }
  // only an entry with the empty blob's id can be one
  const added = entries.some((e) => EMPTY_BLOBS.has(e.oid)) ? intentToAdd(top, prefix) : new Set<string>();
  if (added.size > 0) entries = entries.filter((e) => !added.has(prefix + e.path));
  const blobs = entries.filter((e) => e.mode !== '160000');
  if (sizes && blobs.length > 0) {
    const sizes = new Map<string, number>();
    for (const line of git(top, ['cat-file', '--batch-check'], [...new Set(blobs.map((e) => e.oid))].map((o) => `${o}\n`).join('')).toString('utf8').split('\n')) {
      const [oid, type, size] = line.split(' ');
      if (type === 'blob') sizes.set(oid!, Number(size));
    }
    for (const e of blobs) e.size = sizes.get(e.oid) ?? 0;
  }
  return { entries, unmerged: [...unmerged].sort() };
}

/** The empty blob's id, in SHA-1 and in SHA-256 repositories. */
const EMPTY_BLOBS = new Set(['e69de29bb2d1d6434b8b29ae775ad8c2e48c5391', '473a0f4c3be8a93681a267e3b1e9a7dcda1185436fe141f7749120a303721813']);

/**
 * The paths (from the top) below `prefix` that the index holds as intent-to-add (`git add -N`):
 * listed by ls-files with the empty blob's id, but no part of a commit. `git status
 * --porcelain=v2`, a format git keeps stable, tells them from files staged empty: their index mode
 * is 000000. It lists only entries that differ from HEAD or the work tree, as these always do.
 */
function intentToAdd(top: string, prefix: string): Set<string> {
  const found = new Set<string>();
  const out = git(top, ['--literal-pathspecs', 'status', '--porcelain=v2', '-z', '--untracked-files=no', '--ignore-submodules=all', '--no-renames', '--', prefix === '' ? '.' : prefix]).toString('utf8');
  // "1 <XY> <sub> <mH> <mI> <mW> <hH> <hI> <path>"; other records (renames are off) do not apply
  for (const rec of out.split('\0')) {
    const f = rec.split(' ');
    if (f[0] === '1' && f[4] === '000000' && f.length >= 9) found.add(f.slice(8).join(' '));
  }
  return found;
}

function rootTree(top: string, commit: string): string | undefined {
  try {
    // read from the commit object: rev-parse <commit>^{tree} would want the tree object itself
    return /^tree ([0-9a-f]{40,64})$/m.exec(git(top, ['cat-file', 'commit', commit]).toString('utf8'))?.[1];
  } catch {
    return undefined;
  }
}

export interface BlobsRead {
  /** The contents of every blob that could be read, by blobKey. */
  blobs: Map<string, Buffer>;
  /**
   * The others, and why: `missing` (not in the object store: a shallow or partial clone, a
   * damaged store; git reports a corrupt object as missing too), or the type of the object found
   * where a blob was expected (`tree`, `commit`, `tag`).
   */
  unreadable: Map<string, string>;
}

/**
 * A blob to read, with the file's path in the work tree (from its top): it is read as a checkout
 * writes it there, through the smudge filter and the encoding the work tree's attributes and
 * configuration set for that path (git-crypt, sops and other filters, working-tree-encoding), so
 * that it reads as the file on disk does.
 */
export interface BlobRequest {
  oid: string;
  path: string;
}

/** How BlobsRead keys a request's result. */
export const blobKey = (r: BlobRequest): string => `${r.oid} ${r.path}`;

/**
 * The contents of blobs (keyed by blobKey), read by one `git cat-file --batch`, but for requests
 * whose path has a `filter` or `working-tree-encoding` attribute: each of those is read alone,
 * with `--filters` (whose --batch form gives the stored size, not the converted one, in git
 * 2.39, so that its output cannot be split). Line endings are left as stored: they read alike.
 * `converts` tells those paths (convertedPaths, unless the caller already knows some).
 */
export function readBlobs(top: string, requests: readonly BlobRequest[], converts: (paths: readonly string[]) => Set<string> = (p) => convertedPaths(top, p)): BlobsRead {
  const blobs = new Map<string, Buffer>();
  const unreadable = new Map<string, string>();
  const unique = new Map<string, BlobRequest>();
  for (const r of requests) unique.set(blobKey(r), r);
  const converted = converts([...unique.values()].map((r) => r.path));
  const batch: [string, BlobRequest][] = [];
  for (const [key, r] of unique) {
    if (!converted.has(r.path)) {
      batch.push([key, r]);
      continue;
    }
    try {
      blobs.set(key, git(top, ['cat-file', '--filters', `--path=${r.path}`, r.oid]));
    } catch (err) {
      if (!(err instanceof GitError) || !/cannot read object|not a valid object/i.test(err.message)) throw err;
      unreadable.set(key, 'missing');
    }
  }
  if (batch.length === 0) return { blobs, unreadable };
  const buf = git(top, ['cat-file', '--batch'], batch.map(([, r]) => `${r.oid}\n`).join(''));
  let at = 0;
  for (const [key, { oid }] of batch) {
    const nl = buf.indexOf(0x0a, at);
    const header = buf.subarray(at, nl < 0 ? buf.length : nl).toString('utf8'); // "<oid> <type> <size>" or "<oid> missing"
    const [, type, sizeText] = header.split(' ');
    if (nl < 0 || !header.startsWith(`${oid} `)) throw new GitError(`git cat-file: unexpected output for ${oid}: ${header}`);
    if (type === 'missing' && sizeText === undefined) {
      unreadable.set(key, 'missing');
      at = nl + 1;
      continue;
    }
    const size = Number(sizeText);
    if (!Number.isInteger(size) || size < 0 || nl + 1 + size > buf.length) throw new GitError(`git cat-file: unexpected output for ${oid}: ${header}`);
    if (type === 'blob') blobs.set(key, buf.subarray(nl + 1, nl + 1 + size));
    else unreadable.set(key, type!);
    at = nl + 1 + size + 1;
  }
  return { blobs, unreadable };
}

/** The paths a checkout converts beyond line endings: a `filter` or `working-tree-encoding` attribute set. */
export function convertedPaths(top: string, paths: readonly string[]): Set<string> {
  const out = new Set<string>();
  if (paths.length === 0) return out;
  const fields = git(top, ['check-attr', '-z', '--stdin', 'filter', 'working-tree-encoding'], paths.map((p) => `${p}\0`).join('')).toString('utf8').split('\0');
  // "<path> NUL <attribute> NUL <value> NUL", per path and attribute
  for (let i = 0; i + 2 < fields.length; i += 3) {
    const value = fields[i + 2];
    if (value !== 'unspecified' && value !== 'unset') out.add(fields[i]!);
  }
  return out;
}
