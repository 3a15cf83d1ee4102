/** fedc as a library: the pure compiler and the pieces around it. */
export { compile, type CompileOptions, type CompileResult, type ClusterOutput } from './compile.js';
export type { Diagnostic, Severity } from './diagnostics/diagnostic.js';
export { CODES, type DiagnosticCode } from './diagnostics/codes.js';
export { formatDiagnostics, type Format } from './diagnostics/format.js';
export type { SourceFile } from './read/source-file.js';
export { readRepo } from './read/read-repo.js';
export { loadSettings, parseSettings } from './read/load-settings.js';
export { DEFAULT_SETTINGS, type Settings } from './read/settings.js';
export { BUILTIN_TYPES, type FederatedType } from './model/federated-types.js';
export type { RenderedObject } from './render/render-clusters.js';
export { applyOverrides, PatchError } from './render/json-patch.js';
export { compileSelector } from './plan/label-selector.js';
export { buildOutputTree, type OutputTree } from './emit/output-tree.js';
export { clusterStream, layoutCluster, sortForApply } from './emit/layout.js';
export { toYaml } from './emit/serialize.js';
export { diffTree, writeTree } from './emit/write-tree.js';
export { planReplicas, fnv1_32, type PlanInput, type Plan, type ClusterPreference } from './plan/plan-replicas.js';
