import { spawnSync } from 'node:child_process';

/** A blob of a tree, by path relative to the directory that was listed. */
export interface TreeEntry {
  /** git file mode: 100644, 100755, 120000 (symlink), 160000 (submodule). */
  mode: string;
  oid: string;
  size: number;
  path: string;
}

/** A git command failed; `message` is what git said. */
export class GitError extends Error {}

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
  if (r.error) throw new GitError(`git: ${r.error.message}`);
  if (r.status !== 0) throw new GitError(r.stderr.toString('utf8').trim() || `git ${args[0]} exited ${r.status}`);
  return r.stdout;
}

/** The work tree's top directory and the path of `dir` inside it ('' or 'a/b/'); undefined outside git. */
export function gitLocation(dir: string): { top: string; prefix: string } | undefined {
  try {
    const [top, prefix] = git(dir, ['rev-parse', '--show-toplevel', '--show-prefix']).toString('utf8').split('\n');
    return { top: top!, prefix: prefix ?? '' };
  } catch {
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

export function mergeBase(top: string, a: string, b: string): string | undefined {
  try {
    return git(top, ['merge-base', a, b]).toString('utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Every blob below `prefix` in a commit, paths relative to `prefix`. */
export function listTree(top: string, commit: string, prefix: string): TreeEntry[] {
  const out = git(top, ['ls-tree', '-r', '-z', '-l', '--full-tree', commit, '--', prefix === '' ? '.' : prefix]).toString('utf8');
  const entries: TreeEntry[] = [];
  for (const rec of out.split('\0')) {
    if (rec === '') continue;
    // "<mode> SP <type> SP <oid> SP+ <size> TAB <path>"
    const tab = rec.indexOf('\t');
    const [mode, type, oid, size] = rec.slice(0, tab).split(/ +/);
    if (type !== 'blob' && type !== 'commit') continue;
    const full = rec.slice(tab + 1);
    if (!full.startsWith(prefix)) continue;
    entries.push({ mode: mode!, oid: oid!, size: size === '-' ? 0 : Number(size), path: full.slice(prefix.length) });
  }
  return entries;
}

/** The contents of blobs, read by one `git cat-file --batch`. */
export function readBlobs(top: string, oids: readonly string[]): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const unique = [...new Set(oids)];
  if (unique.length === 0) return out;
  const buf = git(top, ['cat-file', '--batch'], unique.map((o) => `${o}\n`).join(''));
  let at = 0;
  for (const oid of unique) {
    const nl = buf.indexOf(0x0a, at);
    const header = buf.subarray(at, nl).toString('utf8'); // "<oid> <type> <size>" or "<oid> missing"
    const size = Number(header.split(' ')[2]);
    if (!Number.isInteger(size)) throw new GitError(`git cat-file: ${header}`);
    out.set(oid, buf.subarray(nl + 1, nl + 1 + size));
    at = nl + 1 + size + 1;
  }
  return out;
}
