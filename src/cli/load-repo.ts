import { statSync } from 'node:fs';
import path from 'node:path';
import { compile, type CompileResult } from '../compile.js';
import { hasErrors, promoteWarnings, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import { previousReplicasReader } from '../read/previous-replicas.js';
import { previousZoneReader } from '../read/previous-zones.js';
import { compileKey, openCompileCache, recordingOutput, type CompileCache } from '../read/compile-cache.js';
import type { RepoFiles } from '../read/read-repo.js';
import { GitNotFound, gitLocation } from '../read/git.js';
import { diskSource, indexSource, UnreadableSource, type IndexSource, type RepoSource } from '../read/repo-source.js';
import { inputDirDiagnostic } from './input-dir.js';
import { SETTINGS_FILE, type Settings } from '../read/settings.js';
import { parseKubernetesVersion } from '../validate/kubernetes-versions.js';
import { envFlag } from './env-flag.js';

export interface LoadedRepo {
  settings: Settings;
  /** Absolute output directory (for a source on disk). */
  outDir: string;
  result: CompileResult;
}

export interface LoadFlags {
  strict?: boolean;
  output?: string;
  /** false (--no-cache): compile without reading or writing the compile cache. */
  cache?: boolean;
  /** The clusters the run selects (--cluster): KUBE_VERSION is theirs alone. */
  cluster?: readonly string[];
}

/** The IO edge shared by every command: settings, files, then the pure compile. */
export async function loadAndCompile(dir: string, flags: LoadFlags, source: RepoSource = diskSource(path.resolve(dir))): Promise<LoadedRepo> {
  const root = path.resolve(dir);
  const { settings, result } = await compileSource(source, flags);
  return { settings, result, outDir: flags.output ? path.resolve(flags.output) : path.resolve(root, settings.output) };
}

/** The repo as `--staged` reads it: from the git index. */
export interface StagedRepo {
  source: IndexSource;
  /** The work tree's top directory. */
  top: string;
}

/**
 * The source of `--staged` (the pre-commit hooks): the index below `dir`, so that the files a
 * commit would hold are read, not the work tree's. `dir` need not be on disk (a sparse checkout
 * leaves it out) if the index holds files below it. A string is the usage error when there is no
 * index to read; a directory that is neither on disk nor in the index throws UnreadableSource
 * (FEDC1007).
 */
export function stagedRepo(dir: string): StagedRepo | string {
  // The nearest directory on disk, and the rest of the path below it.
  let onDisk = path.resolve(dir);
  const rest: string[] = [];
  for (;;) {
    let st;
    try {
      st = statSync(onDisk);
    } catch {
      st = undefined;
    }
    if (st?.isDirectory()) break;
    if (st || path.dirname(onDisk) === onDisk) throw new UnreadableSource([inputDirDiagnostic(dir, st ? 'is not a directory' : 'does not exist')]);
    rest.unshift(path.basename(onDisk));
    onDisk = path.dirname(onDisk);
  }
  let loc: ReturnType<typeof gitLocation>;
  try {
    loc = gitLocation(onDisk);
  } catch (err) {
    if (err instanceof GitNotFound) return '--staged reads the git index, and git is not installed, or not on PATH';
    throw err;
  }
  if (!loc) return `--staged reads the git index, and ${dir} is not in a git work tree`;
  const prefix = loc.prefix + rest.map((p) => p + '/').join('');
  const source = indexSource(loc.top, prefix, path.resolve(dir));
  if (rest.length > 0 && !source.holdsFiles) throw new UnreadableSource([inputDirDiagnostic(dir, 'does not exist, on disk or in the index')]);
  return { source, top: loc.top };
}

/**
 * Compiles a repo from any source, as `fedc render` does: that source's fedc.yaml, its input
 * files, and the replicas and SOA serials in its previous output directory.
 */
export async function compileSource(source: RepoSource, flags: LoadFlags): Promise<{ settings: Settings; result: CompileResult }> {
  const prepared = await prepareCompile(source, flags);
  return { settings: prepared.settings, result: (await prepared.compile()).result };
}

export interface PreparedCompile {
  settings: Settings;
  /** The compile cache, unless --no-cache, FEDC_NO_CACHE or an unusable cache directory. */
  cache?: CompileCache;
  /** With the cache: the compile's key (fedc's code, options, fedc.yaml, every input's bytes). */
  key?: string;
  /** The result (from the cache when seen before), and the previous output's files it read. */
  compile(): Promise<{ result: CompileResult; reads: readonly string[] }>;
}

type Inputs = { read: RepoFiles; crds: RepoFiles };

/** Everything before the compile itself: fedc.yaml, and the inputs' bytes named in the cache key. */
export async function prepareCompile(source: RepoSource, flags: LoadFlags): Promise<PreparedCompile> {
  const { settings, diagnostics: settingsDiags } = source.readSettings();
  const strict = flags.strict ?? settings.strict;
  if (hasErrors(settingsDiags)) return { settings, compile: async () => ({ result: failed(settingsDiags), reads: [] }) };
  const output = source.output(flags.output ? path.resolve(flags.output) : settings.output);
  const kube = kubernetesVersion(settings, flags.cluster ?? []);
  // crds: files may lie outside include and exclude; they are read only for their schemas.
  const crdSettings = settings.crds?.length ? { ...settings, include: settings.crds, exclude: [] } : undefined;
  const readAll = async (): Promise<Inputs> => {
    const read = await source.readInputs(settings);
    const crds = crdSettings ? await source.readInputs(crdSettings) : { files: [], diagnostics: [] };
    if (crdSettings && crds.files.length === 0 && crds.diagnostics.length === 0) {
      crds.diagnostics.push({ code: 'FEDC7007', severity: 'warning', message: `no file matches crds: ${settings.crds!.join(', ')} in fedc.yaml`, file: SETTINGS_FILE, line: 0, col: 0 });
    }
    return { read, crds };
  };
  const options = {
    kubefedNamespace: settings.kubefedNamespace,
    ...(settings.defaultNamespace ? { defaultNamespace: settings.defaultNamespace } : {}),
    strict,
    ...(kube.version !== undefined ? { kubernetesVersion: kube.version } : {}),
    ...(kube.clusters ? { clusterKubernetesVersions: kube.clusters } : {}),
  };
  // A compile seen before (the same code, options, settings and input bytes, and the same
  // previous output where it was read) is taken from the cache; the result is the same either way.
  const cache = flags.cache === false || envFlag(process.env.FEDC_NO_CACHE) ? undefined : openCompileCache(output);
  // A source that names its inputs' bytes without reading them (git: blob ids) is keyed by that
  // name and read only on a miss; its entry then holds the diagnostics of reading too, which that
  // name decides. The disk, and git files that a filter converts, are read and their text hashed.
  const named = cache && source.inputsFingerprint
    ? { inputs: source.inputsFingerprint(settings), crds: crdSettings ? source.inputsFingerprint(crdSettings) : null }
    : undefined;
  const fingerprint = named?.inputs !== undefined && named.crds !== undefined ? named : undefined;
  let inputs = fingerprint ? undefined : await readAll();
  const key = !cache ? undefined : fingerprint
    ? compileKey({ options, settings, fingerprint }, undefined, [])
    : compileKey({ options, settings }, undefined, [...inputs!.read.files, ...inputs!.crds.files.map((f) => ({ path: `crds:${f.path}`, text: f.text }))]);
  /** The diagnostics of reading the inputs, where the entry does not hold them. */
  let readDiagnostics: Diagnostic[] = [];
  const compileNow = async (): Promise<{ result: CompileResult; reads: readonly string[] }> => {
    const hit = cache && key ? cache.get(key) : undefined;
    if (hit) {
      if (!fingerprint) readDiagnostics = [...inputs!.read.diagnostics, ...inputs!.crds.diagnostics];
      return { result: hit.result, reads: [...hit.reads.keys()] };
    }
    inputs ??= await readAll();
    const recorded = recordingOutput(output);
    let result = compile(inputs.read.files, {
      ...options,
      previousReplicas: previousReplicasReader(recorded.output),
      dns: { ...settings.dns, previousZone: previousZoneReader(recorded.output) },
      crdFiles: inputs.crds.files,
    });
    const fromReading = [...inputs.read.diagnostics, ...inputs.crds.diagnostics];
    if (fingerprint) result = { ...result, diagnostics: [...fromReading, ...result.diagnostics] };
    else readDiagnostics = fromReading;
    if (cache && key) cache.put(key, result, recorded.reads);
    return { result, reads: [...recorded.reads.keys()] };
  };
  return {
    settings,
    ...(cache ? { cache } : {}),
    ...(key ? { key } : {}),
    compile: async () => {
      const { result, reads } = await compileNow();
      // --strict holds for every warning, those of fedc.yaml and of reading the files too
      const all = sortDiagnostics([...settingsDiags, ...readDiagnostics, ...kube.diagnostics, ...result.diagnostics]);
      const diagnostics = strict ? promoteWarnings(all) : all;
      return { result: { ...result, diagnostics, failed: hasErrors(diagnostics) }, reads };
    },
  };
}

function failed(diagnostics: Diagnostic[]): CompileResult {
  return { diagnostics, failed: true, clusters: [], dns: { zones: [], endpoints: [] }, unplaced: [] };
}

/**
 * The Kubernetes version of clusters without a fedc.dev/kubernetes-version label: KUBE_VERSION,
 * which Argo CD sets to its destination cluster's version when it runs fedc as a plugin (measured,
 * so it wins over what the repo says), else kubernetesVersion in fedc.yaml. A run that selects
 * clusters (--cluster, the plugin's cluster) renders for them: KUBE_VERSION is theirs, and the
 * other clusters, compiled too, keep the repo's version, so that no Application fails on the
 * version of another cluster.
 */
function kubernetesVersion(settings: Settings, selected: readonly string[]): { version?: string; clusters?: Record<string, string>; diagnostics: Diagnostic[] } {
  const env = process.env.KUBE_VERSION?.trim();
  const repo = settings.kubernetesVersion !== undefined ? { version: settings.kubernetesVersion } : {};
  if (!env) return { ...repo, diagnostics: [] };
  if (parseKubernetesVersion(env) !== undefined) {
    return selected.length > 0 ? { ...repo, clusters: Object.fromEntries(selected.map((c) => [c, env])), diagnostics: [] } : { version: env, diagnostics: [] };
  }
  return {
    ...(settings.kubernetesVersion !== undefined ? { version: settings.kubernetesVersion } : {}),
    diagnostics: [{ code: 'FEDC7006', severity: 'error', message: `KUBE_VERSION "${env}" is not a Kubernetes version`, file: '', line: 0, col: 0, hint: 'KUBE_VERSION looks like 1.30 or v1.30.2; unset it to use kubernetesVersion in fedc.yaml' }],
  };
}
