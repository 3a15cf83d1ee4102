import type { Format } from '../diagnostics/format.js';
import { diagnosticsPrinter } from './print-diagnostics.js';
import { EXIT_ERRORS, EXIT_OK } from './exit-codes.js';
import { loadAndCompile } from './load-repo.js';
import { checkInputDir } from './input-dir.js';

export async function runValidate(dir: string, opts: { format: Format; strict?: boolean }): Promise<number> {
  const bad = await checkInputDir(dir, opts.format);
  if (bad !== undefined) return bad;
  const { result } = await loadAndCompile(dir, opts);
  diagnosticsPrinter(opts.format, true)(result.diagnostics);
  if (opts.format === 'text' && !result.failed) {
    const objects = result.clusters.reduce((n, c) => n + c.objects.length, 0);
    process.stderr.write(`ok: ${result.clusters.length} clusters, ${objects} objects\n`);
  }
  return result.failed ? EXIT_ERRORS : EXIT_OK;
}
