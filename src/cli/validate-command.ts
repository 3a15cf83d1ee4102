import { hasErrors, promoteWarnings, sortDiagnostics } from '../diagnostics/diagnostic.js';
import { count, type Format } from '../diagnostics/format.js';
import { outputFindings } from '../emit/output-tree.js';
import { diagnosticsPrinter } from './print-diagnostics.js';
import { UnreadableSource } from '../read/repo-source.js';
import { EXIT_ERRORS, EXIT_OK, EXIT_USAGE } from './exit-codes.js';
import { loadAndCompile, stagedRepo } from './load-repo.js';
import { checkInputDir } from './input-dir.js';

export async function runValidate(dir: string, opts: { format: Format; strict?: boolean; staged?: boolean }): Promise<number> {
  // --staged reads the directory from the index, where it may be though not on disk (stagedRepo)
  const bad = opts.staged ? undefined : await checkInputDir(dir, opts.format);
  if (bad !== undefined) return bad;
  const print = diagnosticsPrinter(opts.format, true, dir);
  let loaded: Awaited<ReturnType<typeof loadAndCompile>>;
  try {
    const staged = opts.staged ? stagedRepo(dir) : undefined;
    if (typeof staged === 'string') {
      process.stderr.write(`error: ${staged}\n`);
      return EXIT_USAGE;
    }
    loaded = await loadAndCompile(dir, opts, staged?.source);
  } catch (e) {
    if (!(e instanceof UnreadableSource)) throw e;
    print(e.diagnostics);
    return EXIT_ERRORS;
  }
  const { settings, result } = loaded;
  // What render would refuse when it lays the files out is an error here too.
  const found = result.failed ? [] : outputFindings(result.clusters, settings.layout);
  const findings = opts.strict ?? settings.strict ? promoteWarnings(found) : found;
  const failed = result.failed || hasErrors(findings);
  print(sortDiagnostics([...result.diagnostics, ...findings]));
  if (opts.format === 'text' && !failed) {
    const objects = result.clusters.reduce((n, c) => n + c.objects.length, 0);
    process.stderr.write(`ok: ${count(result.clusters.length, 'cluster')}, ${count(objects, 'object')}\n`);
  }
  return failed ? EXIT_ERRORS : EXIT_OK;
}
