import { closeSync, constants as fsConstants, fstatSync, lstatSync, openSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { readFault } from '../emit/io-faults.js';
import { leavesBase } from '../emit/under-root.js';
import path from 'node:path';
import { Glob, type Path } from 'glob';
import { Minimatch } from 'minimatch';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { SourceFile } from './source-file.js';
import { SETTINGS_FILE, type Settings } from './settings.js';
import { GENERATED_MARKER, ZONE_GENERATED_MARKER } from '../model/output-contract.js';
import { decodeSource } from './decode-source.js';
import { screened, screenedIgnore } from './glob-screen.js';

/** Files larger than this are refused: a federation manifest is never this big. */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;

/** Always skipped, whatever the include globs say. */
export const ALWAYS_EXCLUDED = ['**/node_modules/**', '**/.git/**'];

/** The globs no input may match: the ones always skipped, fedc.yaml itself, and the settings' exclude. */
export function ignoreGlobs(settings: Settings): string[] {
  return [...ALWAYS_EXCLUDED, SETTINGS_FILE, ...settings.exclude];
}

export interface RepoFiles {
  files: SourceFile[];
  diagnostics: Diagnostic[];
}

/**
 * Lists and reads the input files of a repo directory. Files fedc wrote (they start with its
 * marker) are skipped, so rendered output is never read back as input, wherever it is.
 * Listing and reads are synchronous: for thousands of small files that is several times faster than
 * awaiting each one, and nothing else runs meanwhile.
 *
 * Symlinks: a symlinked file is read when it resolves inside the repo (FEDC1004 when it leaves it
 * or resolves to nothing). A symlinked directory is never walked, wherever it points: its files are
 * either outside the repo (FEDC1004) or read where they really are (FEDC1015 says so). A symlink
 * loop is a symlink that resolves to nothing, and ends there.
 */
export async function readRepo(root: string, settings: Settings): Promise<RepoFiles> {
  const diagnostics: Diagnostic[] = [];
  const absRoot = path.resolve(root);
  const realRoot = realpathSync(absRoot);
  const ignore = ignoreGlobs(settings);
  // glob's defaults, given to both the walk and its ignore (glob would build that with the same)
  const platform = process.platform;
  const nocase = platform === 'darwin' || platform === 'win32';
  // Walked from where the root really is: glob, which follows no symlink, reads nothing below a
  // root that is one (`fedc render link`, with link -> repo).
  const walk = new Glob(settings.include, {
    cwd: realRoot, ignore: screenedIgnore(ignore, { platform, nocase }), platform, nocase, nodir: true, follow: false, dot: false, withFileTypes: true,
  });
  const direct = new DirectEntries(walk.scurry.cwd);
  const entries = walk.walkSync().map((entry) => ({ rel: entry.relativePosix(), entry }));
  entries.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  const walked = new Set(entries.map((e) => e.rel));
  const links = new SymlinkedDirs(realRoot, realRoot, settings.include, ignore);
  links.scan(walk.scurry.cwd);
  const expectedPrefix = realRoot + path.sep;
  const files: SourceFile[] = [];
  for (const { rel, entry } of entries) {
    const abs = entry.fullpath(); // the path glob walked: realRoot and rel, joined
    // A regular file with no symlink on its way from the root, as the directories glob read say,
    // is inside the repo: nothing needs resolving.
    let read = direct.has(entry) ? readInput(abs) : undefined;
    if (read === undefined) {
      // Anything else is resolved: a symlink, or a file below a symlinked directory that glob
      // walked through (a pattern such as `clusters/**` walks one symlink deep).
      let target: string;
      try {
        target = realpathSync(abs);
      } catch (err) {
        if (links.covers(rel) || links.add(rel)) continue;
        const loop = (err as NodeJS.ErrnoException).code === 'ELOOP';
        diagnostics.push(unfollowedSymlink(rel, loop ? 'loop' : 'nothing'));
        continue;
      }
      if (target !== expectedPrefix + rel.split('/').join(path.sep)) {
        // Somewhere on the way is a symlink: a symlinked directory (reported once, by the
        // directory), or the file itself.
        if (links.covers(rel) || links.add(rel)) continue;
        const inside = path.relative(realRoot, target);
        if (leavesBase(inside)) {
          diagnostics.push(unfollowedSymlink(rel, 'outside'));
          continue;
        }
        // A link to another input: that file is read where it is, once, as a symlinked
        // directory's files are (read twice, its objects would be defined twice).
        const to = inside.split(path.sep).join('/');
        if (walked.has(to)) {
          diagnostics.push(symlinkedInput(rel, to));
          continue;
        }
      }
      read = readInput(target);
      if (read === undefined) continue; // not a regular file (a FIFO, a device), or gone
    }
    if ('size' in read) {
      diagnostics.push(tooLarge(rel, read.size));
      continue;
    }
    if ('error' in read) {
      diagnostics.push(fileDiag('FEDC1007', rel, `${rel} cannot be read: ${readErrorText(read.error)}`));
      continue;
    }
    const { bytes } = read;
    if (startsWithMarker(bytes)) continue;
    const decoded = decodeSource(bytes, rel);
    if (decoded.diagnostic) {
      diagnostics.push(decoded.diagnostic);
      continue;
    }
    files.push({ path: rel, text: decoded.text });
  }
  diagnostics.push(...links.diagnostics());
  return { files, diagnostics };
}

/** Why a file cannot be read, from its error's code, as a diagnostic says it. */
export function readErrorText(code: string): string {
  return code === 'EACCES' || code === 'EPERM' ? `permission denied (${code})` : code;
}

/** FEDC1002: a file too large to read (`input`: one the include globs chose, which can be split or excluded). */
export function tooLarge(rel: string, size: number, input = true): Diagnostic {
  return fileDiag('FEDC1002', rel, `${rel} is ${size} bytes; fedc reads at most ${MAX_FILE_BYTES} bytes per file`,
    input ? 'split it into smaller files, or exclude it in fedc.yaml' : undefined);
}

/** An input file, read as readRegularFile reads it, unless a test injects a failure (io-faults.ts). */
function readInput(file: string): ReturnType<typeof readRegularFile> {
  const fault = readFault(file);
  return fault ? { error: fault.code! } : readRegularFile(file);
}

/**
 * A regular file's bytes, read through one descriptor: its size instead when it is over
 * `maxBytes`, the error's code when it cannot be read; undefined when it is not (or no longer) a
 * regular file: gone, another kind of file, or a symlink (O_NOFOLLOW refuses one).
 */
export function readRegularFile(file: string, maxBytes = MAX_FILE_BYTES): { bytes: Buffer } | { size: number } | { error: string } | undefined {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO would wait for a writer (fstat then says it is no file)
    fd = openSync(file, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW | fsConstants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === undefined) throw err;
    return code === 'ENOENT' || code === 'ELOOP' ? undefined : { error: code };
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) return undefined;
    if (info.size > maxBytes) return { size: info.size };
    return { bytes: readFileSync(fd) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === undefined) throw err;
    return { error: code };
  } finally {
    closeSync(fd);
  }
}

/**
 * The entries glob listed that are regular files with no symlink on their way from the root,
 * judged by the types readdir gave (glob keeps them): the directories on the way are shared, so
 * each is looked at once.
 */
class DirectEntries {
  private readonly dirs = new Map<Path, boolean>();

  constructor(private readonly root: Path) {}

  has(entry: Path): boolean {
    return entry.isFile() && !entry.isSymbolicLink() && entry.parent !== undefined && this.dir(entry.parent);
  }

  private dir(d: Path): boolean {
    if (d === this.root) return true;
    let ok = this.dirs.get(d);
    if (ok === undefined) {
      ok = d.isDirectory() && !d.isSymbolicLink() && d.parent !== undefined && this.dir(d.parent);
      this.dirs.set(d, ok);
    }
    return ok;
  }
}

const MARKERS = [GENERATED_MARKER, ZONE_GENERATED_MARKER].map((m) => Buffer.from(m, 'utf8'));

/** isGeneratedByFedc on the bytes, so fedc's own files are not even decoded. */
function startsWithMarker(bytes: Buffer): boolean {
  return MARKERS.some((m) => bytes.length >= m.length && bytes.compare(m, 0, m.length, 0, m.length) === 0);
}

/**
 * The symlinked directories an input glob could have walked into. Found in the directories glob
 * read (a symlink there that the include globs could descend into), and on the paths of the
 * files glob returned (a pattern such as `clusters/**` walks one symlink deep).
 */
class SymlinkedDirs {
  private readonly found = new Map<string, { outside: boolean; target: string }>();
  /** Directories that cannot be read: their error code. */
  private readonly unreadable = new Map<string, string>();
  private readonly include: Minimatch[];
  private readonly ignore: Minimatch[];

  constructor(private readonly absRoot: string, private readonly realRoot: string, include: readonly string[], ignore: readonly string[]) {
    this.include = include.map((g) => new Minimatch(g, { dot: false }));
    this.ignore = ignore.map((g) => screened(new Minimatch(g, { dot: true })));
  }

  /** Every symlink in a directory glob read, without reading anything more than glob did. */
  scan(start: Path): void {
    const stack = [start];
    while (stack.length > 0) {
      const dir = stack.pop()!;
      if (!dir.calledReaddir()) continue;
      for (const entry of dir.readdirCached()) {
        if (entry.isSymbolicLink()) {
          const rel = entry.relativePosix();
          if (this.relevant(rel)) this.add(rel);
        } else if (entry.isDirectory()) {
          // glob skips a directory it cannot read as if it were empty: that would drop its files
          // from the render (and prune their output), so it is an error here
          if (!entry.calledReaddir()) this.checkReadable(entry);
          stack.push(entry);
        }
      }
    }
  }

  /** A directory glob did not read (it could not, or it had no reason to): FEDC1007 when it cannot be read. */
  private checkReadable(dir: Path): void {
    const rel = dir.relativePosix();
    if (!this.relevant(rel)) return;
    try {
      readdirSync(dir.fullpath());
    } catch (err) {
      this.unreadable.set(rel, (err as NodeJS.ErrnoException).code ?? 'error');
    }
  }

  /** Whether an include glob could match something below `rel`, and no ignore glob drops it. */
  private relevant(rel: string): boolean {
    if (!this.include.some((m) => m.match(rel, true))) return false;
    return !this.ignore.some((m) => m.match(rel) || m.match(`${rel}/x`));
  }

  /**
   * Records the symlinked directory on the way to `rel` (or `rel` itself), if there is one: true
   * when there is. Only the first symlink on the way counts: nothing below it is read.
   */
  add(rel: string): boolean {
    const parts = rel.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const sub = parts.slice(0, i).join('/');
      const abs = path.join(this.absRoot, ...parts.slice(0, i));
      let link = false;
      try {
        link = lstatSync(abs).isSymbolicLink();
      } catch {
        return false;
      }
      if (!link) continue;
      if (this.found.has(sub)) return true;
      let target: string;
      try {
        if (!statSync(abs).isDirectory()) return false;
        target = realpathSync(abs);
      } catch {
        return false; // resolves to nothing (or a loop): not a directory
      }
      const inside = path.relative(this.realRoot, target);
      const outside = leavesBase(inside);
      this.found.set(sub, { outside, target: outside ? '' : toPosix(inside) || '.' });
      return true;
    }
    return false;
  }

  /** Whether `rel` is below a symlinked directory already recorded. */
  covers(rel: string): boolean {
    for (let i = rel.indexOf('/'); i !== -1; i = rel.indexOf('/', i + 1)) if (this.found.has(rel.slice(0, i))) return true;
    return false;
  }

  diagnostics(): Diagnostic[] {
    const byPath = ([a]: [string, unknown], [b]: [string, unknown]) => (a < b ? -1 : a > b ? 1 : 0);
    return [
      ...[...this.unreadable].sort(byPath).map(([rel, code]) => fileDiag('FEDC1007', rel, `directory ${rel} cannot be read: ${readErrorText(code)}`, 'its files would be left out of the render: make it readable, or exclude it in fedc.yaml')),
      ...[...this.found].sort(byPath).map(([rel, { outside, target }]) => (outside ? unfollowedSymlink(rel, 'outside', true) : symlinkedDirectory(rel, target))),
    ];
  }
}

/** FEDC1004: a symlink fedc does not follow, as it leads outside the input directory, to nothing, or round a loop. */
export function unfollowedSymlink(rel: string, why: 'outside' | 'nothing' | 'loop', dir = false): Diagnostic {
  const what = `${dir ? 'symlinked directory' : 'symlink'} ${rel}`;
  return fileDiag('FEDC1004', rel, why === 'outside' ? `${what} points outside the input directory; it is not followed`
    : why === 'loop' ? `${what} is a symlink loop; it is not followed` : `${what} points to nothing`);
}

/** FEDC1015: a symlinked file inside the repo whose target is an input too: read there, not twice. */
export function symlinkedInput(rel: string, target: string): Diagnostic {
  return {
    code: 'FEDC1015', severity: 'info', file: rel, line: 0, col: 0,
    message: `symlink ${rel} leads to ${target}, an input itself: it is read there, once`,
    hint: `to read it under this name instead, exclude ${target} in fedc.yaml`,
  };
}

/** FEDC1015: a symlinked directory inside the repo (to `target`), which fedc does not walk. */
export function symlinkedDirectory(rel: string, target: string): Diagnostic {
  return {
    code: 'FEDC1015', severity: 'info', file: rel, line: 0, col: 0,
    message: `symlinked directory ${rel} (to ${target}) is not followed: files are read where they are, once`,
    hint: 'to read them under this name too, replace the symlink by a directory',
  };
}

export function fileDiag(code: Diagnostic['code'], file: string, message: string, hint?: string): Diagnostic {
  return { code, severity: 'error', message, file, line: 0, col: 0, ...(hint ? { hint } : {}) };
}

export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
