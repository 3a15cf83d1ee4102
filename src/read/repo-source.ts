import { createHash } from 'node:crypto';
import path from 'node:path';
import { Minimatch } from 'minimatch';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { isGeneratedByFedc } from '../model/output-contract.js';
import { listTree, readBlobs, type TreeEntry } from './git.js';
import { loadSettingsSync, settingsFromBytes } from './load-settings.js';
import { decodeSource } from './decode-source.js';
import { diskOutputFiles, type OutputFiles } from './output-files.js';
import { fileDiag, ignoreGlobs, MAX_FILE_BYTES, readRepo, type RepoFiles } from './read-repo.js';
import { DEFAULT_SETTINGS, SETTINGS_FILE, type Settings } from './settings.js';
import type { SourceFile } from './source-file.js';

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
   * reading them (a commit's paths, modes and blob ids: a blob id hashes its bytes), so that a
   * compile seen before is found without reading its inputs. Sources that must read to know
   * (the disk) have none.
   */
  inputsFingerprint?(settings: Settings): string;
  /** The files of an output directory: relative to the repo root, or absolute (on disk only). */
  output(dir: string): OutputFiles;
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
 * objects: nothing on disk, in the index or in the refs is touched.
 */
export function gitSource(top: string, prefix: string, commit: string, label: string): RepoSource {
  const entries = listTree(top, commit, prefix);
  const byPath = new Map(entries.map((e) => [e.path, e]));
  const text = (e: TreeEntry) => readBlobs(top, [e.oid]).get(e.oid)!.toString('utf8');
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  /** The entries the settings' include and exclude select, in path order. */
  const matching = (settings: Settings): TreeEntry[] => {
    const matches = inputMatcher(settings);
    return sorted.filter((e) => matches(e.path));
  };
  return {
    label,
    readSettings() {
      const e = byPath.get(SETTINGS_FILE);
      return e ? settingsFromBytes(readBlobs(top, [e.oid]).get(e.oid)!) : { settings: { ...DEFAULT_SETTINGS }, diagnostics: [] };
    },
    inputsFingerprint(settings) {
      const h = createHash('sha256').update('git-inputs\0');
      for (const e of matching(settings)) h.update(`${e.path}\0${e.mode}\0${e.oid}\n`);
      return h.digest('hex');
    },
    async readInputs(settings) {
      const diagnostics: Diagnostic[] = [];
      const chosen: TreeEntry[] = [];
      for (const e of matching(settings)) {
        if (e.mode === '160000') continue; // a submodule: not part of this repository
        if (e.mode === '120000') {
          diagnostics.push(fileDiag('FEDC1004', e.path, `symlink ${e.path} is not followed when reading ${label}`));
          continue;
        }
        if (e.size > MAX_FILE_BYTES) {
          diagnostics.push(fileDiag('FEDC1002', e.path, `${e.path} is ${e.size} bytes; fedc reads at most ${MAX_FILE_BYTES} bytes per file`,
            'split it into smaller files, or exclude it in fedc.yaml'));
          continue;
        }
        chosen.push(e);
      }
      const blobs = readBlobs(top, chosen.map((e) => e.oid));
      const files: SourceFile[] = [];
      for (const e of chosen) {
        const blob = blobs.get(e.oid)!;
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
  const ignore = ignoreGlobs(settings).map((g) => new Minimatch(g, { dot: true }));
  return (rel) => include.some((m) => m.match(rel)) && !ignore.some((m) => m.match(rel));
}
