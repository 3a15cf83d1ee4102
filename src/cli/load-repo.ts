import path from 'node:path';
import { compile, type CompileResult } from '../compile.js';
import { hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import { loadSettings } from '../read/load-settings.js';
import { previousReplicasReader } from '../read/previous-replicas.js';
import { previousZoneReader } from '../read/previous-zones.js';
import { readRepo } from '../read/read-repo.js';
import type { Settings } from '../read/settings.js';

export interface LoadedRepo {
  settings: Settings;
  /** Absolute output directory. */
  outDir: string;
  result: CompileResult;
}

/** The IO edge shared by every command: settings, files, then the pure compile. */
export async function loadAndCompile(dir: string, flags: { strict?: boolean; output?: string }): Promise<LoadedRepo> {
  const root = path.resolve(dir);
  const { settings, diagnostics: settingsDiags } = await loadSettings(root);
  const outDir = flags.output ? path.resolve(flags.output) : path.resolve(root, settings.output);
  const strict = flags.strict ?? settings.strict;
  if (hasErrors(settingsDiags)) return { settings, outDir, result: failed(settingsDiags) };
  const read = await readRepo(root, settings);
  const result = compile(read.files, {
    kubefedNamespace: settings.kubefedNamespace,
    ...(settings.defaultNamespace ? { defaultNamespace: settings.defaultNamespace } : {}),
    strict,
    previousReplicas: previousReplicasReader(outDir),
    dns: { ...settings.dns, previousZone: previousZoneReader(outDir) },
  });
  const diagnostics = sortDiagnostics([...settingsDiags, ...read.diagnostics, ...result.diagnostics]);
  return { settings, outDir, result: { ...result, diagnostics, failed: hasErrors(diagnostics) } };
}

function failed(diagnostics: Diagnostic[]): CompileResult {
  return { diagnostics, failed: true, clusters: [], dns: { zones: [], endpoints: [] } };
}
