import { createHash } from 'node:crypto';
import path from 'node:path';
import { Minimatch } from 'minimatch';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { isGeneratedByFedc } from '../model/output-contract.js';
import { blobKey, convertedPaths, GitError, GitObjectUnreadable, listIndex, listTree, readBlobs, type BlobRequest, type TreeEntry } from './git.js';
import { INDEX, mergeConflict, stagedFiles, unreadableInIndex, workTreePath, type StagedFiles } from './index-files.js';
import { loadSettingsSync, settingsFromBytes } from './load-settings.js';
import { decodeSource } from './decode-source.js';
import { diskOutputFiles, type OutputFiles } from './output-files.js';
import { screened } from './glob-screen.js';
import { fileDiag, ignoreGlobs, MAX_FILE_BYTES, readRepo, symlinkedDirectory, symlinkedInput, tooLarge, unfollowedSymlink, type RepoFiles } from './read-repo.js';
import { DEFAULT_SETTINGS, SETTINGS_FILE, type Settings } from './settings.js';
import type { SourceFile } from './source-file.js';
import { resolveTreeLink, treeDirs } from './tree-symlinks.js';

/**
 * Where a federation repo is read from: the directory on disk, or a commit of its git history.
 * Everything a compile reads goes through it: fedc.yaml, the input files, and the previous output
 * (replicas and SOA serials), so `fedc render` and both sides of `fedc diff` compile alike.
 */
export interface RepoSource {
  /** How messages name this side: "the working tree", "main (1a2b3c4)". */
  label: string;
  readSettings(): { settings: Settings; diagnostics: Diagnostic[] };
  readInputs(settings: Settings): Promise<RepoFiles>;
  /**
   * A digest naming the bytes of every file readInputs(settings) would read, known without
   * reading them (git's paths, modes and blob ids: a blob id hashes its bytes), so that a
   * compile seen before is found without reading its inputs. Undefined when the blob ids do not
   * name those bytes: a file a checkout converts (a smudge filter, working-tree-encoding) reads as
   * the filter and its configuration make it. Sources that must read to know (the disk) have none.
   */
  inputsFingerprint?(settings: Settings): string | undefined;
  /** The files of an output directory: relative to the repo root, or absolute (on disk only). */
  output(dir: string): OutputFiles;
}

/**
 * A source cannot be read whole: its diagnostics (FEDC1017) name each file or directory whose git
 * object is missing, of the wrong type, or could not be fetched. Thrown rather than returned, so that nothing is compiled, printed or
 * cached from part of a revision: the compile cache keys a commit by its blob ids, which a fetch
 * that brings the missing objects does not change.
 */
export class UnreadableSource extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => d.message).join('; '));
  }
}

const fetchHint = (commit: string) =>
  `the clone lacks its objects (a shallow or partial clone) or its object store is damaged: fetch the revision with its objects (git fetch --unshallow, or git fetch origin ${commit}), or run git fsck`;

/** What git said, on one line. */
const gitSaid = (err: GitError) => err.message.split('\n').map((l) => l.replace(/^(fatal|error): /, '').trim()).filter(Boolean).join('; ');

/**
 * The diagnostic of a revision that git cannot read as a whole (the tree of the repo directory,
 * or of a directory above it, is missing; another git command failed): no file to name.
 */
export function unreadableRevision(label: string, commit: string, err: GitError): Diagnostic {
  const said = err instanceof GitObjectUnreadable && err.type === 'tree' ? `git object ${err.oid} (a tree) is missing from the repository` : `git: ${gitSaid(err)}`;
  return { code: 'FEDC1017', severity: 'error', message: `${label} cannot be read: ${said}`, file: '', line: 0, col: 0, hint: fetchHint(commit) };
}

/** The diagnostic of a ref whose commit object the store lacks (a damaged store). */
export function missingRevision(label: string, oid: string): Diagnostic {
  return { code: 'FEDC1017', severity: 'error', message: `${label} cannot be read: git object ${oid} is missing from the repository`, file: '', line: 0, col: 0, hint: fetchHint(oid) };
}

export function diskSource(root: string): RepoSource {
  const abs = path.resolve(root);
  return {
    label: 'the working tree',
    readSettings: () => loadSettingsSync(abs),
    readInputs: (settings) => readRepo(abs, settings),
    output: (dir) => diskOutputFiles(path.resolve(abs, dir)),
  };
}

/**
 * A commit's tree below `prefix` (the repo's directory inside the git work tree), read from git
 * objects: nothing on disk, in the index or in the refs is touched. Files are read as a checkout
 * of the commit writes them (BlobRequest), as the work tree holds them, so that both sides of a
 * diff read alike: a file git-crypt encrypts compares decrypted with its decrypted work-tree
 * copy. The filters are the work tree's (its attributes and configuration), not the commit's.
 * Reading a file or directory whose object git cannot give throws UnreadableSource; a git
 * command that fails otherwise throws GitError.
 */
export function gitSource(top: string, prefix: string, commit: string, label: string): RepoSource {
  const hint = fetchHint(commit);
  /** FEDC1017 about a file (or, `shown` ending in "/", a directory) of this revision. */
  const unreadable = (file: string, why: string, shown = file): Diagnostic =>
    ({ code: 'FEDC1017', severity: 'error', message: `${shown} at ${label} cannot be read: ${why}`, file, line: 0, col: 0, hint });
  let entries: TreeEntry[];
  try {
    entries = listTree(top, commit, prefix);
  } catch (err) {
    if (!(err instanceof GitObjectUnreadable) || err.path === undefined) throw err;
    throw new UnreadableSource([err.type === 'tree'
      ? unreadable(err.path, `git object ${err.oid} (its tree) is missing from the repository`, `${err.path}/`)
      : unreadable(err.path, `git: ${gitSaid(err)}`)]);
  }
  return entriesSource(top, entries, { label, unreadable, checkedOutAt: prefix });
}

/**
 * The index below `prefix`: what `git commit` would commit, so that a pre-commit hook checks the
 * commit rather than the work tree (files not added, and edits not staged, are not read). Only
 * read: the index and the object store are left as they are. Files are read as checked out
 * (BlobRequest), as the work tree holds them. An input or fedc.yaml with a merge conflict is
 * FEDC1019 among the diagnostics of reading; a file git cannot give (FEDC1017) throws
 * UnreadableSource. `diskRoot` is the repo's directory on disk, where output paths are resolved.
 */
export function indexSource(top: string, prefix: string, diskRoot: string): IndexSource {
  const { entries, unmerged } = listIndex(top, prefix);
  const source = entriesSource(top, entries, { label: INDEX, unreadable: unreadableInIndex, checkedOutAt: prefix, unmerged });
  // One listing (and one read of its blobs) per output directory: the previous replicas and SOA
  // serials and render --check --staged's comparison read the same files.
  const outputs = new Map<string, StagedFiles>();
  const outputAt = (abs: string): StagedFiles | undefined => {
    const at = workTreePath(top, abs);
    if (at === undefined) return undefined;
    let files = outputs.get(at);
    if (!files) outputs.set(at, (files = stagedFiles(top, at)));
    return files;
  };
  return {
    ...source,
    holdsFiles: entries.length + unmerged.length > 0,
    outputAt,
    // The previous output as staged, wherever in the work tree it lies (-o, a symlink to it).
    output: (dir) => outputAt(path.resolve(diskRoot, dir))?.read ?? (() => undefined),
  };
}

/** The index as a source, with what `--staged` needs besides. */
export interface IndexSource extends RepoSource {
  /** Whether the index holds anything below the repo's directory (for one not on disk). */
  holdsFiles: boolean;
  /** The files of the index below a directory on disk (`abs`); undefined when it lies outside the work tree. */
  outputAt(abs: string): StagedFiles | undefined;
}

interface EntriesOptions {
  /** How messages name the source: "main (1a2b3c4)", "the index". */
  label: string;
  /** The diagnostic of a file whose blob git cannot give. */
  unreadable: (file: string, why: string) => Diagnostic;
  /** The repo's directory in the work tree ('' or 'a/b/'), where its files are read as checked out (BlobRequest). */
  checkedOutAt: string;
  /** Paths (relative to the repo) with a merge conflict: FEDC1019 where they are read. */
  unmerged?: readonly string[];
}

/**
 * A repo made of git blobs: `entries` (paths relative to the repo's directory, a followed
 * symlink's with `from`, the path of the file it leads to) read with `git cat-file --batch`.
 * Shared by a commit and the index.
 */
function entriesSource(top: string, entries: TreeEntry[], options: EntriesOptions): RepoSource {
  const { label, unreadable, checkedOutAt, unmerged = [] } = options;
  const byPath = new Map(entries.map((e) => [e.path, e]));
  const request = (e: TreeEntry & { from?: string }): BlobRequest => ({ oid: e.oid, path: checkedOutAt + (e.from ?? e.path) });
  // Which paths a checkout converts, asked of git once per path: the cache's fingerprint and the
  // read both need it.
  const convertedByPath = new Map<string, boolean>();
  const converts = (paths: readonly string[]): Set<string> => {
    const ask = paths.filter((p) => !convertedByPath.has(p));
    const found = convertedPaths(top, ask);
    for (const p of ask) convertedByPath.set(p, found.has(p));
    return new Set(paths.filter((p) => convertedByPath.get(p)));
  };
  /** The blobs of these entries, in their order; throws UnreadableSource naming every one git cannot give. */
  const read = (chosen: readonly TreeEntry[]): Buffer[] => {
    let got: ReturnType<typeof readBlobs>;
    try {
      got = readBlobs(top, chosen.map(request), converts);
    } catch (err) {
      // git gave up on an object (a partial clone whose promisor remote cannot be reached):
      // name the files of the objects it names
      const named = err instanceof GitError ? chosen.filter((e) => err.message.includes(e.oid)) : [];
      if (named.length === 0) throw err;
      throw new UnreadableSource(named.map((e) => unreadable(e.path, `git: ${gitSaid(err as GitError)}`)));
    }
    const keys = chosen.map((e) => blobKey(request(e)));
    if (got.unreadable.size === 0) return keys.map((k) => got.blobs.get(k)!);
    throw new UnreadableSource(chosen.filter((_, i) => got.unreadable.has(keys[i]!)).map((e) => {
      const why = got.unreadable.get(blobKey(request(e)))!;
      return unreadable(e.path, `git object ${e.oid} ${why === 'missing' ? 'is missing from the repository' : `is a ${why}, not a file's contents`}`);
    }));
  };
  const text = (e: TreeEntry) => read([e])[0]!.toString('utf8');
  // Symlinks are followed inside the input directory, as on disk, by the tree's own entries.
  const dirs = treeDirs(entries);
  const linkTexts = new Map<string, string>();
  const linkText = (e: TreeEntry) => {
    let t = linkTexts.get(e.oid);
    if (t === undefined) linkTexts.set(e.oid, (t = text(e)));
    return t;
  };
  /** A symlink entry as the file it leads to (under the link's path), or the diagnostic of why not. */
  const followed = (e: TreeEntry): (TreeEntry & { from?: string }) | Diagnostic => {
    const t = resolveTreeLink(e.path, byPath, dirs, linkText);
    if (t.kind === 'file') return { ...t.entry, path: e.path, from: t.entry.path };
    return t.kind === 'dir' ? symlinkedDirectory(e.path, t.path) : unfollowedSymlink(e.path, t.kind);
  };
  const isEntry = (x: TreeEntry | Diagnostic): x is TreeEntry => 'oid' in x;
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  /** The entries the settings' include and exclude select, in path order. */
  const matching = (settings: Settings, matches = inputMatcher(settings)): TreeEntry[] => sorted.filter((e) => matches(e.path));
  const inputsFingerprint = (settings: Settings): string | undefined => {
    const h = createHash('sha256').update('git-inputs\0');
    const paths: string[] = [];
    for (const e of matching(settings)) {
      // a symlink by what it leads to, whose bytes its own blob id does not name
      const to = e.mode === '120000' ? followed(e) : undefined;
      h.update(`${e.path}\0${e.mode}\0${e.oid}\0${to === undefined ? '' : isEntry(to) ? to.oid : to.message}\n`);
      paths.push(request(to !== undefined && isEntry(to) ? to : e).path);
    }
    return converts(paths).size > 0 ? undefined : h.digest('hex');
  };
  return {
    label,
    readSettings() {
      if (unmerged.includes(SETTINGS_FILE)) return { settings: { ...DEFAULT_SETTINGS }, diagnostics: [mergeConflict(SETTINGS_FILE)] };
      const found = byPath.get(SETTINGS_FILE);
      // A submodule is not part of this repository.
      if (!found || found.mode === '160000') return { settings: { ...DEFAULT_SETTINGS }, diagnostics: [] };
      const e = found.mode === '120000' ? followed(found) : found;
      if (!isEntry(e)) {
        const d = e.code === 'FEDC1015' ? fileDiag('FEDC1006', SETTINGS_FILE, `${SETTINGS_FILE} cannot be read: it is a directory, not a file`) : e;
        return { settings: { ...DEFAULT_SETTINGS }, diagnostics: [d] };
      }
      return settingsFromBytes(read([e])[0]!);
    },
    inputsFingerprint,
    async readInputs(settings) {
      const matches = inputMatcher(settings);
      const diagnostics: Diagnostic[] = unmerged.filter(matches).map((file) => mergeConflict(file));
      const chosen: TreeEntry[] = [];
      for (const e of matching(settings, matches)) {
        if (e.mode === '160000') continue; // a submodule: not part of this repository
        let file = e;
        if (e.mode === '120000') {
          const to = followed(e);
          if (!isEntry(to)) {
            diagnostics.push(to);
            continue;
          }
          // a link to another input: read there, once (readRepo does the same)
          if (to.from !== undefined && matches(to.from)) {
            diagnostics.push(symlinkedInput(e.path, to.from));
            continue;
          }
          file = to;
        }
        if (file.size > MAX_FILE_BYTES) {
          diagnostics.push(tooLarge(e.path, file.size));
          continue;
        }
        chosen.push(file);
      }
      const blobs = read(chosen);
      const files: SourceFile[] = [];
      for (const [i, e] of chosen.entries()) {
        const blob = blobs[i]!;
        if (isGeneratedByFedc(blob.subarray(0, 32).toString('latin1'))) continue;
        // bad bytes are refused as readRepo refuses them, so both sides of a diff compile as render does
        const decoded = decodeSource(blob, e.path);
        if (decoded.diagnostic) diagnostics.push(decoded.diagnostic);
        else files.push({ path: e.path, text: decoded.text });
      }
      return { files, diagnostics };
    },
    output(dir) {
      if (path.isAbsolute(dir)) return () => undefined;
      const base = path.posix.normalize(dir.split(path.sep).join('/')).replace(/\/$/, '');
      return (rel) => {
        const e = byPath.get(base === '.' ? rel : `${base}/${rel}`);
        return e && e.mode !== '120000' && e.mode !== '160000' ? text(e) : undefined;
      };
    },
  };
}

/** Whether a path (relative, posix) is an input under these settings, as readRepo's glob decides. */
function inputMatcher(settings: Settings): (rel: string) => boolean {
  const include = settings.include.map((g) => new Minimatch(g, { dot: false }));
  const ignore = ignoreGlobs(settings).map((g) => screened(new Minimatch(g, { dot: true })));
  return (rel) => include.some((m) => m.match(rel)) && !ignore.some((m) => m.match(rel));
}
