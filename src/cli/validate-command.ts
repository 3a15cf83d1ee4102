import { hasErrors, promoteWarnings, sortDiagnostics } from '../diagnostics/diagnostic.js';
import { count, type Format } from '../diagnostics/format.js';
import { outputCollisions } from '../emit/output-tree.js';
import { diagnosticsPrinter } from './print-diagnostics.js';
import { EXIT_ERRORS, EXIT_OK } from './exit-codes.js';
import { loadAndCompile } from './load-repo.js';
import { checkInputDir } from './input-dir.js';

export async function runValidate(dir: string, opts: { format: Format; strict?: boolean }): Promise<number> {
  const bad = await checkInputDir(dir, opts.format);
  if (bad !== undefined) return bad;
  const { settings, result } = await loadAndCompile(dir, opts);
  // What render would refuse when it lays the files out is an error here too.
  const found = result.failed ? [] : outputCollisions(result.clusters, settings.layout);
  const collisions = opts.strict ?? settings.strict ? promoteWarnings(found) : found;
  const failed = result.failed || hasErrors(collisions);
  diagnosticsPrinter(opts.format, true, dir)(sortDiagnostics([...result.diagnostics, ...collisions]));
  if (opts.format === 'text' && !failed) {
    const objects = result.clusters.reduce((n, c) => n + c.objects.length, 0);
    process.stderr.write(`ok: ${count(result.clusters.length, 'cluster')}, ${count(objects, 'object')}\n`);
  }
  return failed ? EXIT_ERRORS : EXIT_OK;
}
