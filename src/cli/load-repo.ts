import path from 'node:path';
import { compile, type CompileResult } from '../compile.js';
import { hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import { previousReplicasReader } from '../read/previous-replicas.js';
import { previousZoneReader } from '../read/previous-zones.js';
import { compileKey, openCompileCache, recordingOutput, type CompileCache } from '../read/compile-cache.js';
import { diskSource, type RepoSource } from '../read/repo-source.js';
import { SETTINGS_FILE, type Settings } from '../read/settings.js';
import { parseKubernetesVersion } from '../validate/kubernetes-versions.js';

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
}

/** The IO edge shared by every command: settings, files, then the pure compile. */
export async function loadAndCompile(dir: string, flags: LoadFlags): Promise<LoadedRepo> {
  const root = path.resolve(dir);
  const { settings, result } = await compileSource(diskSource(root), flags);
  return { settings, result, outDir: flags.output ? path.resolve(flags.output) : path.resolve(root, settings.output) };
}

/**
 * Compiles a repo from any source, as `fedc render` does: that source's fedc.yaml, its input
 * files, and the replicas and SOA serials in its previous output directory.
 */
export async function compileSource(source: RepoSource, flags: LoadFlags): Promise<{ settings: Settings; result: CompileResult }> {
  const prepared = await prepareCompile(source, flags);
  return { settings: prepared.settings, result: prepared.compile().result };
}

export interface PreparedCompile {
  settings: Settings;
  /** The compile cache, unless --no-cache, FEDC_NO_CACHE or an unusable cache directory. */
  cache?: CompileCache;
  /** With the cache: the compile's key (fedc's code, options, fedc.yaml, every input's bytes). */
  key?: string;
  /** The result (from the cache when seen before), and the previous output's files it read. */
  compile(): { result: CompileResult; reads: readonly string[] };
}

/** Everything before the compile itself: fedc.yaml, the inputs read and hashed into the cache key. */
export async function prepareCompile(source: RepoSource, flags: LoadFlags): Promise<PreparedCompile> {
  const { settings, diagnostics: settingsDiags } = source.readSettings();
  const strict = flags.strict ?? settings.strict;
  if (hasErrors(settingsDiags)) return { settings, compile: () => ({ result: failed(settingsDiags), reads: [] }) };
  const read = await source.readInputs(settings);
  const output = source.output(flags.output ? path.resolve(flags.output) : settings.output);
  const kube = kubernetesVersion(settings);
  // crds: files may lie outside include and exclude; they are read only for their schemas.
  const crds = settings.crds?.length ? await source.readInputs({ ...settings, include: settings.crds, exclude: [] }) : { files: [], diagnostics: [] };
  if (settings.crds?.length && crds.files.length === 0 && crds.diagnostics.length === 0) {
    crds.diagnostics.push({ code: 'FEDC7007', severity: 'warning', message: `no file matches crds: ${settings.crds.join(', ')} in fedc.yaml`, file: SETTINGS_FILE, line: 0, col: 0 });
  }
  const options = {
    kubefedNamespace: settings.kubefedNamespace,
    ...(settings.defaultNamespace ? { defaultNamespace: settings.defaultNamespace } : {}),
    strict,
    ...(kube.version !== undefined ? { kubernetesVersion: kube.version } : {}),
  };
  // A compile seen before (the same code, options, settings and input bytes, and the same
  // previous output where it was read) is taken from the cache; the result is the same either way.
  const cache = flags.cache === false || process.env.FEDC_NO_CACHE ? undefined : openCompileCache(output);
  const key = cache && compileKey({ options, settings }, undefined, [...read.files, ...crds.files.map((f) => ({ path: `crds:${f.path}`, text: f.text }))]);
  const compileNow = (): { result: CompileResult; reads: readonly string[] } => {
    const hit = cache && key ? cache.get(key) : undefined;
    if (hit) return { result: hit.result, reads: [...hit.reads.keys()] };
    const recorded = recordingOutput(output);
    const result = compile(read.files, {
      ...options,
      previousReplicas: previousReplicasReader(recorded.output),
      dns: { ...settings.dns, previousZone: previousZoneReader(recorded.output) },
      crdFiles: crds.files,
    });
    if (cache && key) cache.put(key, result, recorded.reads);
    return { result, reads: [...recorded.reads.keys()] };
  };
  return {
    settings,
    ...(cache ? { cache } : {}),
    ...(key ? { key } : {}),
    compile: () => {
      const { result, reads } = compileNow();
      const diagnostics = sortDiagnostics([...settingsDiags, ...read.diagnostics, ...kube.diagnostics, ...crds.diagnostics, ...result.diagnostics]);
      return { result: { ...result, diagnostics, failed: hasErrors(diagnostics) }, reads };
    },
  };
}

/**
 * The Kubernetes version of clusters without a fedc.dev/kubernetes-version label: KUBE_VERSION,
 * which Argo CD sets to its destination cluster's version when it runs fedc as a plugin (measured,
 * so it wins over what the repo says), else kubernetesVersion in fedc.yaml.
 */
function kubernetesVersion(settings: Settings): { version?: string; diagnostics: Diagnostic[] } {
  const env = process.env.KUBE_VERSION?.trim();
  if (!env) return { ...(settings.kubernetesVersion !== undefined ? { version: settings.kubernetesVersion } : {}), diagnostics: [] };
  if (parseKubernetesVersion(env) !== undefined) return { version: env, diagnostics: [] };
  return {
    ...(settings.kubernetesVersion !== undefined ? { version: settings.kubernetesVersion } : {}),
    diagnostics: [{ code: 'FEDC7006', severity: 'error', message: `KUBE_VERSION "${env}" is not a Kubernetes version`, file: '', line: 0, col: 0, hint: 'KUBE_VERSION looks like 1.30 or v1.30.2; unset it to use kubernetesVersion in fedc.yaml' }],
  };
}

function failed(diagnostics: Diagnostic[]): CompileResult {
  return { diagnostics, failed: true, clusters: [], dns: { zones: [], endpoints: [] } };
}
