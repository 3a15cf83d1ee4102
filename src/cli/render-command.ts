import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Format } from '../diagnostics/format.js';
import { clusterStream, type Layout } from '../emit/layout.js';
import { buildOutputTree } from '../emit/output-tree.js';
import { YamlCache } from '../emit/serialize.js';
import { diffTree, writeTree, type TreeChanges } from '../emit/write-tree.js';
import { EXIT_ERRORS, EXIT_OK, EXIT_USAGE } from './exit-codes.js';
import { checkInputDir } from './input-dir.js';
import { loadAndCompile } from './load-repo.js';
import { diagnosticsPrinter } from './print-diagnostics.js';

export interface RenderFlags {
  output?: string;
  layout?: Layout;
  cluster: string[];
  stdout?: boolean;
  allowEmpty?: boolean;
  check?: boolean;
  format: Format;
  strict?: boolean;
}

const cliError = (code: Diagnostic['code'], message: string, hint?: string): Diagnostic => ({
  code, severity: 'error', message, file: '', line: 0, col: 0, ...(hint ? { hint } : {}),
});

export async function runRender(dir: string, opts: RenderFlags): Promise<number> {
  if (opts.stdout && opts.check) return usage('--stdout and --check cannot be used together');
  if (opts.stdout && opts.output) return usage('--stdout writes no files; drop -o/--output');
  const bad = await checkInputDir(dir, opts.format);
  if (bad !== undefined) return bad;
  const { settings, outDir, result } = await loadAndCompile(dir, opts);
  // Diagnostics are printed once, at the end, so machine formats stay one document.
  const diags: Diagnostic[] = [...result.diagnostics];
  const print = diagnosticsPrinter(opts.format, !opts.stdout);
  // What a person reads about the run: stdout with text diagnostics, else stderr.
  const say = (line: string) => (opts.format === 'text' ? process.stdout : process.stderr).write(line + '\n');
  const fail = (...extra: Diagnostic[]): number => {
    print([...diags, ...extra]);
    return EXIT_ERRORS;
  };
  if (result.failed) {
    const code = fail();
    process.stderr.write('nothing was written\n');
    return code;
  }

  const declared = result.clusters.map((c) => c.name);
  const unknown = opts.cluster.filter((c) => !declared.includes(c));
  if (unknown.length > 0) {
    const hint = declared.length ? `declared clusters: ${declared.join(', ')}` : 'no KubeFedCluster is declared';
    return fail(...unknown.map((c) => cliError('FEDC5004', `--cluster ${c}: no KubeFedCluster named ${c}`, hint)));
  }

  if (opts.stdout) {
    const names = opts.cluster.length ? [...new Set(opts.cluster)] : declared;
    if (names.length !== 1) return usage('--stdout prints one cluster: name it with --cluster');
    const cluster = result.clusters.find((c) => c.name === names[0])!;
    if (cluster.objects.length === 0 && !opts.allowEmpty) {
      return fail(cliError('FEDC5002',
        cluster.ready ? `cluster ${cluster.name} gets no object` : `cluster ${cluster.name} is not Ready, so it gets no object`,
        'an empty stream would make Argo CD or Flux prune everything on that cluster; pass --allow-empty if that is what you want'));
    }
    print(diags);
    process.stdout.write(clusterStream(cluster.objects, new YamlCache()));
    return EXIT_OK;
  }

  const tree = buildOutputTree(result.clusters, {
    layout: opts.layout ?? settings.layout,
    dns: result.dns,
    ...(opts.cluster.length ? { only: opts.cluster } : {}),
  });
  if (tree.diagnostics.length > 0) {
    const code = fail(...tree.diagnostics);
    process.stderr.write('nothing was written\n');
    return code;
  }
  const shown = displayPath(outDir);
  const ioError = (err: unknown) =>
    fail(cliError('FEDC5005', `cannot write ${shown}: ${(err as Error).message}`, 'the previous output was left as it was'));
  let changes: TreeChanges;
  try {
    changes = await diffTree(outDir, tree);
  } catch (err) {
    return ioError(err);
  }
  if (opts.check) {
    const stale = changes.added.length + changes.changed.length + changes.removed.length;
    if (stale === 0) {
      print(diags);
      process.stderr.write(`${shown} is up to date (${changes.unchanged} files)\n`);
      return EXIT_OK;
    }
    process.stderr.write([
      ...changes.changed.map((f) => `  changed:  ${f}`),
      ...changes.added.map((f) => `  missing:  ${f}`),
      ...changes.removed.map((f) => `  orphaned: ${f}`),
    ].join('\n') + '\n');
    return fail(cliError('FEDC5001',
      `${shown} is stale: ${changes.changed.length} changed, ${changes.added.length} missing, ${changes.removed.length} orphaned`,
      `run: ${fixCommand(dir, shown, opts)}`));
  }
  try {
    await writeTree(outDir, tree, changes);
  } catch (err) {
    return ioError(err);
  }
  print(diags);
  for (const c of result.clusters) {
    if (opts.cluster.length && !opts.cluster.includes(c.name)) continue;
    say(`${c.name}: ${c.ready ? `${c.objects.length} objects` : 'not Ready, left as it was'}`);
  }
  const { zones, endpoints } = result.dns;
  if (!opts.cluster.length && zones.length + endpoints.length > 0) {
    say(`dns: ${zones.map((z) => `${z.domain} (serial ${z.serial})`).join(', ') || 'no zone'}; ${endpoints.length} DNSEndpoints`);
  }
  say(`${shown}: ${changes.added.length} added, ${changes.changed.length} changed, ${changes.removed.length} removed, ${changes.unchanged} unchanged`);
  return EXIT_OK;
}

function fixCommand(dir: string, out: string, opts: RenderFlags): string {
  const parts = ['fedc render', dir];
  if (opts.output) parts.push('-o', out);
  if (opts.layout) parts.push('--layout', opts.layout);
  for (const c of opts.cluster) parts.push('--cluster', c);
  if (opts.strict) parts.push('--strict');
  return parts.join(' ');
}

/** A path as the user should read it: relative when under the working directory. */
function displayPath(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel === '' ? '.' : rel.startsWith('..') || path.isAbsolute(rel) ? p : rel;
}

function usage(message: string): number {
  process.stderr.write(`error: ${message}\n`);
  return EXIT_USAGE;
}
