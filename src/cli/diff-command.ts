import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { CompileResult } from '../compile.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { formatDiagnostics, summarize } from '../diagnostics/format.js';
import { compareSnapshots } from '../diff/compare-snapshots.js';
import { DIFF_FORMATS, diffFormatters, type DiffFormat } from '../diff/format/index.js';
import { snapshotOfCompile, snapshotOfTree, type RenderSnapshot } from '../diff/render-snapshot.js';
import { describeRef, emptyTree, GitError, GitNotFound, gitLocation, mergeBase, resolveCommit } from '../read/git.js';
import { GENERATED_MARKER, ZONE_GENERATED_MARKER } from '../model/output-contract.js';
import { listTree } from '../read/list-tree.js';
import { diskSource, gitSource, indexSource, missingRevision, UnreadableSource, unreadableRevision, type RepoSource } from '../read/repo-source.js';
import { EXIT_ERRORS, EXIT_OK, EXIT_USAGE } from './exit-codes.js';
import { compileSource } from './load-repo.js';
import { namedFrom, repoFromWorkingDir } from './print-diagnostics.js';

export interface DiffFlags {
  base?: string;
  head?: string;
  /** The new side is the git index: what the next commit would hold. */
  staged?: boolean;
  mergeBase?: boolean;
  format: DiffFormat;
  /** false with --no-color. */
  color: boolean;
  maxChars: string | number;
  showSecrets?: boolean;
  exitCode?: boolean;
  strict?: boolean;
  cache?: boolean;
}

const usage = (message: string): number => {
  process.stderr.write(`fedc diff: ${message}\n`);
  return EXIT_USAGE;
};

/**
 * `fedc diff [dir]`: the render of a git ref (default HEAD) against the working tree or another
 * ref; `fedc diff DIR_A DIR_B`: two rendered output directories. Prints the comparison; writes
 * nothing and touches neither the work tree, the index nor the refs.
 */
export async function runDiff(args: string[], opts: DiffFlags): Promise<number> {
  if (!DIFF_FORMATS.includes(opts.format)) return usage(`--format must be one of ${DIFF_FORMATS.join(', ')}`);
  const maxChars = Number(opts.maxChars);
  if (!Number.isInteger(maxChars) || maxChars < 200) return usage('--max-chars takes a whole number of at least 200');
  if (args.length > 2) return usage('give one federation repo, or two rendered output directories');

  let sides: { base: Side; head: Side } | number;
  if (args.length === 2) {
    if (opts.base || opts.head || opts.mergeBase || opts.staged) return usage('--base, --head, --merge-base and --staged compare states of one repo, not two directories');
    sides = treeSides(args[0]!, args[1]!, opts.format);
  } else sides = await repoSides(args[0] ?? '.', opts);
  if (typeof sides === 'number') return sides;

  const result = compareSnapshots(sides.base.snapshot, sides.head.snapshot, { showSecrets: opts.showSecrets ?? false });
  const color = opts.format === 'text' && opts.color && process.stdout.isTTY === true && !process.env.NO_COLOR;
  process.stdout.write(diffFormatters[opts.format].format({ base: sides.base.label, head: sides.head.label, result }, { color, maxChars }));
  return opts.exitCode && result.changed ? EXIT_ERRORS : EXIT_OK;
}

interface Side {
  label: string;
  snapshot: RenderSnapshot;
}

async function repoSides(dir: string, opts: DiffFlags): Promise<{ base: Side; head: Side } | number> {
  const r = await renderRefSides(dir, opts);
  if (r.ok) return r;
  if (r.message) return usage(r.message);
  // named from the working directory, as the other commands' text diagnostics (the side's files lie where the repo's do)
  const prefix = repoFromWorkingDir(dir);
  for (const f of r.failures) process.stderr.write(`fedc diff: ${f.label} does not compile:\n${formatDiagnostics(namedFrom(f.errors, prefix), 'text')}`);
  if (opts.format === 'json') printFailures(r.failures.map((f) => ({ label: f.label, side: f.side, diagnostics: f.errors })));
  return r.exit;
}

/** With --format json, a side that cannot be compared is told on stdout too, for the machine that reads it. */
function printFailures(failures: { label: string; side: 'base' | 'head'; diagnostics: readonly Diagnostic[] }[]): void {
  process.stdout.write(JSON.stringify({ failures: failures.map((f) => ({ ...f, summary: summarize(f.diagnostics) })) }, null, 2) + '\n');
}

export interface RefSides {
  base: Side;
  head: Side;
  /** The new side's diagnostics (warnings and infos: a side with errors fails). */
  headDiagnostics: Diagnostic[];
}

export type RefSidesResult =
  | ({ ok: true } & RefSides)
  | {
    ok: false;
    exit: number;
    message?: string;
    /** Each side that does not compile: its errors. */
    failures: { label: string; side: 'base' | 'head'; errors: Diagnostic[] }[];
    /** When only the base fails: the head's diagnostics and render (it compiled). */
    headDiagnostics?: Diagnostic[];
    head?: Side;
  };

export interface RefOptions {
  base?: string;
  head?: string;
  /** The head is the index (not with `head`). */
  staged?: boolean;
  mergeBase?: boolean;
  strict?: boolean;
  /** false (--no-cache): compile without the compile cache. */
  cache?: boolean;
}

/**
 * Both sides of a diff of one repo, each compiled as `fedc render` compiles it: `base` (default
 * HEAD, or its merge base with `head`) from git objects, `head` from git objects or the working
 * tree. Shared by `fedc diff` and the GitHub Action.
 */
export async function renderRefSides(dir: string, opts: RefOptions): Promise<RefSidesResult> {
  const fail = (message: string): RefSidesResult => ({ ok: false, exit: EXIT_USAGE, message, failures: [] });
  let isDir = false;
  let missing = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch (e) {
    missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
  }
  if (!isDir) return fail(`${dir} ${missing ? 'does not exist' : 'is not a directory'}`);
  let loc: ReturnType<typeof gitLocation>;
  try {
    loc = gitLocation(dir);
  } catch (err) {
    if (err instanceof GitNotFound) return fail('git is not installed, or not on PATH: fedc diff reads the revisions it compares with git');
    throw err;
  }
  if (!loc) return fail(`${dir} is not in a git work tree; to compare two rendered directories, give both: fedc diff DIR_A DIR_B`);
  if (opts.staged && opts.head !== undefined) return fail('--staged and --head both name the new side: give one');
  const commit = (ref: string) => resolveCommit(loc.top, ref);
  const short = (sha: string) => sha.slice(0, 7);

  /** Why a ref names no commit: it names nothing (a usage error), another type of object, or an object the store lacks (FEDC1017). */
  const noCommit = (ref: string, side: 'base' | 'head', nothing = `unknown revision ${ref}`): RefSidesResult => {
    const d = describeRef(loc.top, ref);
    // an object id names itself whether or not the store has it: not there, it is unknown here
    if (d.oid && d.type === 'missing' && !/^[0-9a-f]+$/i.test(ref)) {
      const label = `${ref} (${short(d.oid)})`;
      return { ok: false, exit: EXIT_ERRORS, failures: [{ label, side, errors: [missingRevision(label, d.oid)] }] };
    }
    if (d.oid && d.type !== 'missing') return fail(`${ref} names a ${d.type}, not a commit`);
    return fail(d.shallow ? `${nothing} (this clone is shallow: fetch the history it lacks, as with git fetch --unshallow)` : nothing);
  };
  const headCommit = opts.head !== undefined ? commit(opts.head) : undefined;
  if (opts.head !== undefined && !headCommit) return noCommit(opts.head, 'head');
  const baseRef = opts.base ?? 'HEAD';
  let baseCommit = commit(baseRef);
  let baseLabel = baseCommit ? `${baseRef} (${short(baseCommit)})` : '';
  if (!baseCommit && opts.staged && opts.base === undefined && !opts.mergeBase && !describeRef(loc.top, 'HEAD').oid) {
    // The first commit, as git diff --staged shows it: against nothing.
    baseCommit = emptyTree(loc.top);
    baseLabel = 'no commit yet';
  }
  if (!baseCommit) return noCommit(baseRef, 'base', baseRef === 'HEAD' ? 'the repository has no commit yet (HEAD names none); give --base, or compare the index with --staged' : undefined);
  if (opts.mergeBase) {
    const other = headCommit ?? commit('HEAD');
    const mb = other ? mergeBase(loc.top, baseCommit, other) : undefined;
    if (!mb) return fail(`${baseRef} and ${opts.head ?? 'HEAD'} have no merge base (in a shallow clone, fetch the history)`);
    baseCommit = mb;
    baseLabel = `merge base of ${baseRef} and ${opts.head ?? 'HEAD'} (${short(mb)})`;
  }

  const { top, prefix } = loc;
  type SideSource = { label: string; commit?: string; open: () => RepoSource };
  const at = (sha: string, label: string): SideSource => ({ label, commit: sha, open: () => gitSource(top, prefix, sha, label) });
  const base = at(baseCommit, baseLabel);
  const head: SideSource = headCommit ? at(headCommit, `${opts.head} (${short(headCommit)})`)
    : opts.staged ? { label: 'the index', open: () => indexSource(top, prefix, path.resolve(dir)) }
      : { label: 'the working tree', open: () => diskSource(dir) };
  const sides: Side[] = [];
  const failures: { label: string; side: 'base' | 'head'; errors: Diagnostic[] }[] = [];
  let headDiagnostics: Diagnostic[] = [];
  let headSide: Side | undefined;
  for (const side of [base, head]) {
    const which = side === head ? 'head' : 'base';
    let result: CompileResult;
    try {
      // --strict (or strict: in fedc.yaml) judges the change, the head: the base is where it starts
      // from, and fails only on errors (a base from before the repo had files or clusters is no mistake).
      const strict = side === base ? false : opts.strict;
      ({ result } = await compileSource(side.open(), { ...(strict !== undefined ? { strict } : {}), ...(opts.cache === false ? { cache: false } : {}) }));
    } catch (err) {
      // a revision git cannot read whole (objects missing from a shallow or partial clone, a
      // damaged object store) fails its side, as errors in its files do
      if (err instanceof UnreadableSource) failures.push({ label: side.label, side: which, errors: err.diagnostics });
      else if (err instanceof GitError && side.commit !== undefined) failures.push({ label: side.label, side: which, errors: [unreadableRevision(side.label, side.commit, err)] });
      else throw err;
      continue;
    }
    if (result.failed) failures.push({ label: side.label, side: which, errors: result.diagnostics.filter((d) => d.severity === 'error') });
    sides.push({ label: side.label, snapshot: snapshotOfCompile(result) });
    if (side === head) {
      headDiagnostics = result.diagnostics;
      headSide = sides.at(-1);
    }
  }
  if (failures.length > 0) {
    const headCompiled = !failures.some((f) => f.side === 'head');
    return { ok: false, exit: EXIT_ERRORS, failures, ...(headCompiled && headSide ? { headDiagnostics, head: headSide } : {}) };
  }
  return { ok: true, base: sides[0]!, head: sides[1]!, headDiagnostics };
}

function treeSides(a: string, b: string, format: string): { base: Side; head: Side } | number {
  const sides: Side[] = [];
  for (const dir of [a, b]) {
    let files: Map<string, string>;
    try {
      files = readTreeFiles(dir);
    } catch (err) {
      return usage(`${dir} cannot be read as a rendered output directory: ${(err as Error).message}`);
    }
    const { snapshot, problems, rendered } = snapshotOfTree(files);
    // A directory with files but none fedc rendered (a federation repo, a directory inside an
    // output) would compare as holding nothing: "no change", or every cluster gone.
    if (files.size > 0 && rendered === 0) return notRendered(dir, files);
    if (problems.length > 0) {
      const named = [...namedFrom(problems, dir.split(path.sep).join('/'))];
      process.stderr.write(`fedc diff: ${dir} cannot be read as a rendered output directory:\n${formatDiagnostics(named, 'text')}`);
      if (format === 'json') printFailures([{ label: dir, side: dir === a ? 'base' : 'head', diagnostics: named }]);
      return EXIT_ERRORS;
    }
    sides.push({ label: dir, snapshot });
  }
  return { base: sides[0]!, head: sides[1]! };
}

/** Refuses a directory none of whose files fedc rendered, with the call that was likely meant. */
function notRendered(dir: string, files: ReadonlyMap<string, string>): number {
  const ours = [...files.values()].some((t) => t.startsWith(GENERATED_MARKER) || t.startsWith(ZONE_GENERATED_MARKER));
  const hint = ours
    ? 'give the output directory itself, the one that holds clusters/ and dns/, not a directory in it'
    : 'to compare two states of a federation repo, give the repo alone, with --base and --head (git refs); or render each and compare the output directories';
  return usage(`${dir} is not a rendered output directory: no file in it is one fedc rendered (clusters/<cluster>/, dns/zones/, dns/endpoints/)\n  hint: ${hint}`);
}

/** Every regular file under dir (symlinks not followed), by posix path relative to it. */
function readTreeFiles(dir: string): Map<string, string> {
  if (!statSync(dir).isDirectory()) throw new Error('not a directory');
  const out = new Map<string, string>();
  for (const e of listTree(dir)) {
    if (!e.isFile()) continue;
    const abs = path.join(e.parentPath, e.name);
    out.set(path.relative(dir, abs).split(path.sep).join('/'), readFileSync(abs, 'utf8'));
  }
  return out;
}
