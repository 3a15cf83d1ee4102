import path from 'node:path';
import { compile, type CompileResult } from '../compile.js';
import { hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import { previousReplicasReader } from '../read/previous-replicas.js';
import { previousZoneReader } from '../read/previous-zones.js';
import { diskSource, type RepoSource } from '../read/repo-source.js';
import type { Settings } from '../read/settings.js';

export interface LoadedRepo {
  settings: Settings;
  /** Absolute output directory (for a source on disk). */
  outDir: string;
  result: CompileResult;
}

export interface LoadFlags {
  strict?: boolean;
  output?: string;
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
  const { settings, diagnostics: settingsDiags } = source.readSettings();
  const strict = flags.strict ?? settings.strict;
  if (hasErrors(settingsDiags)) return { settings, result: failed(settingsDiags) };
  const read = await source.readInputs(settings);
  const output = source.output(flags.output ? path.resolve(flags.output) : settings.output);
  const result = compile(read.files, {
    kubefedNamespace: settings.kubefedNamespace,
    ...(settings.defaultNamespace ? { defaultNamespace: settings.defaultNamespace } : {}),
    strict,
    previousReplicas: previousReplicasReader(output),
    dns: { ...settings.dns, previousZone: previousZoneReader(output) },
  });
  const diagnostics = sortDiagnostics([...settingsDiags, ...read.diagnostics, ...result.diagnostics]);
  return { settings, result: { ...result, diagnostics, failed: hasErrors(diagnostics) } };
}

function failed(diagnostics: Diagnostic[]): CompileResult {
  return { diagnostics, failed: true, clusters: [], dns: { zones: [], endpoints: [] } };
}
