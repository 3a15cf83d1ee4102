import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { formatDiagnostics, type Format } from '../diagnostics/format.js';
import { clusterStream, type Layout } from '../emit/layout.js';
import { buildOutputTree } from '../emit/output-tree.js';
import { YamlCache } from '../emit/serialize.js';
import { diffTree, writeTree } from '../emit/write-tree.js';
import { EXIT_ERRORS, EXIT_OK, EXIT_USAGE } from './exit-codes.js';
import { checkInputDir } from './input-dir.js';
import { loadAndCompile } from './load-repo.js';

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

export async function runRender(dir: string, opts: RenderFlags): Promise<number> {
  if (opts.stdout && opts.check) return usage('--stdout and --check cannot be used together');
  if (opts.stdout && opts.output) return usage('--stdout writes no files; drop -o/--output');
  const bad = await checkInputDir(dir, opts.format);
  if (bad !== undefined) return bad;
  const { settings, outDir, result } = await loadAndCompile(dir, opts);
  const print = (diags: readonly Diagnostic[]) => process.stderr.write(formatDiagnostics(diags, opts.format));
  if (result.failed) {
    print(result.diagnostics);
    process.stderr.write('nothing was written\n');
    return EXIT_ERRORS;
  }

  const declared = new Set(result.clusters.map((c) => c.name));
  const unknown = opts.cluster.filter((c) => !declared.has(c));
  if (unknown.length > 0) {
    print([
      ...result.diagnostics,
      ...unknown.map((c): Diagnostic => ({
        code: 'FEDC5004', severity: 'error', message: `--cluster ${c}: no KubeFedCluster named ${c}`, file: '', line: 0, col: 0,
        hint: declared.size ? `declared clusters: ${[...declared].join(', ')}` : 'no KubeFedCluster is declared',
      })),
    ]);
    return EXIT_ERRORS;
  }

  if (opts.stdout) {
    const names = opts.cluster.length ? [...new Set(opts.cluster)] : [...declared];
    if (names.length !== 1) return usage('--stdout prints one cluster: name it with --cluster');
    const cluster = result.clusters.find((c) => c.name === names[0])!;
    if (cluster.objects.length === 0 && !opts.allowEmpty) {
      print([
        ...result.diagnostics,
        {
          code: 'FEDC5002', severity: 'error', file: '', line: 0, col: 0,
          message: cluster.ready ? `cluster ${cluster.name} gets no object` : `cluster ${cluster.name} is not Ready, so it gets no object`,
          hint: 'an empty stream would make Argo CD or Flux prune everything on that cluster; pass --allow-empty if that is what you want',
        },
      ]);
      return EXIT_ERRORS;
    }
    print(result.diagnostics);
    process.stdout.write(clusterStream(cluster.objects, new YamlCache()));
    return EXIT_OK;
  }

  print(result.diagnostics);
  const tree = buildOutputTree(result.clusters, {
    layout: opts.layout ?? settings.layout,
    ...(opts.cluster.length ? { only: opts.cluster } : {}),
  });
  if (tree.diagnostics.length > 0) {
    print(tree.diagnostics);
    process.stderr.write('nothing was written\n');
    return EXIT_ERRORS;
  }
  const shown = path.relative(process.cwd(), outDir) || '.';
  const ioError = (err: unknown): number => {
    print([{
      code: 'FEDC5005', severity: 'error', file: '', line: 0, col: 0,
      message: `cannot write ${shown}: ${(err as Error).message}`,
      hint: 'the previous output was left as it was',
    }]);
    return EXIT_ERRORS;
  };
  let changes;
  try {
    changes = await diffTree(outDir, tree);
  } catch (err) {
    return ioError(err);
  }
  if (opts.check) {
    const stale = changes.added.length + changes.changed.length + changes.removed.length;
    if (stale === 0) {
      process.stderr.write(`${shown} is up to date (${changes.unchanged} files)\n`);
      return EXIT_OK;
    }
    const lines = [
      ...changes.changed.map((f) => `  changed:  ${f}`),
      ...changes.added.map((f) => `  missing:  ${f}`),
      ...changes.removed.map((f) => `  orphaned: ${f}`),
    ];
    print([{
      code: 'FEDC5001', severity: 'error', file: '', line: 0, col: 0,
      message: `${shown} is stale: ${changes.changed.length} changed, ${changes.added.length} missing, ${changes.removed.length} orphaned`,
      hint: `run: ${fixCommand(dir, shown, opts)}`,
    }]);
    process.stderr.write(lines.join('\n') + '\n');
    return EXIT_ERRORS;
  }
  try {
    await writeTree(outDir, tree, changes);
  } catch (err) {
    return ioError(err);
  }
  for (const c of result.clusters) {
    if (opts.cluster.length && !opts.cluster.includes(c.name)) continue;
    process.stdout.write(`${c.name}: ${c.ready ? `${c.objects.length} objects` : 'not Ready, left as it was'}\n`);
  }
  process.stdout.write(
    `${shown}: ${changes.added.length} added, ${changes.changed.length} changed, ${changes.removed.length} removed, ${changes.unchanged} unchanged\n`,
  );
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

function usage(message: string): number {
  process.stderr.write(`error: ${message}\n`);
  return EXIT_USAGE;
}
