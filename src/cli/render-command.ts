import path from 'node:path';
import { hasErrors, promoteWarnings, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Format } from '../diagnostics/format.js';
import { clusterStream, type Layout } from '../emit/layout.js';
import { buildOutputTree, type OutputTree } from '../emit/output-tree.js';
import { stampTrace } from '../emit/io-faults.js';
import { asStamp, checkStamp, KnownOutput, stampKey, takeStamp, treeDigests } from '../emit/output-stamp.js';
import { YamlCache } from '../emit/serialize.js';
import { clusterDirsOnDisk, compareListing, diffTree, writeTree, type TreeChanges } from '../emit/write-tree.js';
import { lockState } from '../emit/output-lock.js';
import { DNS_SHARD, inShard, parseShard, shardText, type Shard } from '../emit/shards.js';
import { someNames } from '../plan/plan-placement.js';
import { diskSource, UnreadableSource } from '../read/repo-source.js';
import { stagedOutput } from '../read/staged-output.js';
import { EXIT_ERRORS, EXIT_OK, EXIT_USAGE } from './exit-codes.js';
import { checkInputDir } from './input-dir.js';
import { prepareCompile, stagedRepo, type StagedRepo } from './load-repo.js';
import { guardOutput, isGuardError, journalForCheck, outputDirOf, outputErrorDiagnostic, recoveryDiagnostic, unfinishedCommitDiagnostic, type OutputGuard } from './output-guard.js';
import { diagnosticsPrinter, displayPath, repoFromWorkingDir } from './print-diagnostics.js';
import { noProgress, startProgress, wantsProgress, withPhases, type Progress } from './progress.js';

export interface RenderFlags {
  output?: string;
  layout?: Layout;
  cluster: string[];
  stdout?: boolean;
  allowEmpty?: boolean;
  check?: boolean;
  /** With --check or --stdout: read the inputs (and, with --check, the output) from the git index. */
  staged?: boolean;
  format: Format;
  strict?: boolean;
  /** Seconds to wait for another render writing the output directory (default DEFAULT_WAIT_S). */
  wait?: string;
  /** `i/n`: render only the clusters of shard i of n (shards.ts). */
  shard?: string;
  /** The words of a host that runs render for its own users (the Argo CD plugin); default the CLI's (cliWords). */
  words?: RenderWords;
}

/** What render's messages say that depends on who runs it: the CLI, or a host such as the Argo CD plugin. */
export interface RenderWords {
  /** How diagnostics name where the cluster was given: `--cluster`; the Argo CD plugin, its env. */
  clusterTerm: string;
  /** FEDC5002's hint: pass --allow-empty; the Argo CD plugin has no such flag. */
  emptyHint: string;
  /** What text diagnostics put before a repo file's path: the repo's directory from the working directory. */
  textPrefix: string;
}

/** The CLI's words, for the repo at `dir`. */
function cliWords(dir: string): RenderWords {
  return {
    clusterTerm: '--cluster',
    emptyHint: 'an empty stream would make Argo CD or Flux prune everything on that cluster; pass --allow-empty if that is what you want',
    textPrefix: repoFromWorkingDir(dir),
  };
}

/** How long a render waits for another one writing the same output directory, by default. */
export const DEFAULT_WAIT_S = 30;

const STDOUT_ONE_CLUSTER = '--stdout prints one cluster: name it with --cluster';

const cliError = (code: Diagnostic['code'], message: string, hint?: string): Diagnostic => ({
  code, severity: 'error', message, file: '', line: 0, col: 0, ...(hint ? { hint } : {}),
});

export async function runRender(dir: string, opts: RenderFlags): Promise<number> {
  if (opts.stdout && opts.check) return usage('--stdout and --check cannot be used together');
  if (opts.stdout && opts.output) return usage('--stdout writes no files; drop -o/--output');
  const waitS = opts.wait === undefined ? DEFAULT_WAIT_S : Number(opts.wait);
  if (!(waitS >= 0) || opts.wait?.trim() === '') return usage(`--wait takes a number of seconds, not "${opts.wait}"`);
  let shard: Shard | undefined;
  if (opts.shard !== undefined) {
    shard = parseShard(opts.shard);
    if (!shard) return usage(`--shard takes i/n, shard i of n with 1 <= i <= n (as in --shard 2/3), not "${opts.shard}"`);
    if (opts.cluster.length) return usage('--shard and --cluster cannot be used together: a shard already selects its clusters');
    if (opts.stdout) return usage('--stdout prints one cluster named by --cluster; --shard selects clusters to write: drop one of them');
  }
  // Two clusters named is wrong whatever the repo holds (no --cluster needs the compile: a repo
  // with one cluster needs none).
  const named = [...new Set(opts.cluster)];
  if (opts.stdout && named.length > 1) return usage(`--stdout prints one cluster, and --cluster names ${named.length} (${named.join(', ')}): name one`);
  if (opts.allowEmpty && !opts.stdout) return usage('--allow-empty goes with --stdout: a render into a directory may leave a cluster empty without it');
  if (opts.staged && !opts.check && !opts.stdout) return usage('--staged goes with --check or --stdout: a render writes the output of the files on disk, which git add then stages');
  // --staged reads the directory from the index, where it may be though not on disk (stagedRepo)
  const bad = opts.staged ? undefined : await checkInputDir(dir, opts.format);
  if (bad !== undefined) return bad;
  // The progress line: a render writing files, text diagnostics, stderr a terminal, not CI.
  const progress = !opts.stdout && opts.format === 'text' && wantsProgress(process.stderr, process.env)
    ? startProgress(process.stderr)
    : noProgress(process.stderr);
  const words = opts.words ?? cliWords(dir);
  const printAll = diagnosticsPrinter(opts.format, !opts.stdout, dir, words.textPrefix);
  const print = (d: readonly Diagnostic[]) => {
    progress.end();
    printAll(d);
  };
  const root = path.resolve(dir);
  let staged: StagedRepo | undefined;
  try {
    const s = opts.staged ? stagedRepo(dir) : undefined;
    if (typeof s === 'string') return usage(s);
    staged = s;
  } catch (e) {
    if (!(e instanceof UnreadableSource)) throw e;
    print(e.diagnostics);
    return EXIT_ERRORS;
  }
  // Only a render that writes takes the lock; --check waits for one that writes; --stdout and
  // --staged (which reads no output on disk) neither.
  const guard = opts.stdout || staged ? undefined : guardOutput(withPhases(diskSource(root), progress), {
    root, output: opts.output, waitMs: waitS * 1000, mode: opts.check ? 'check' : 'write',
    say: (line) => {
      progress.log(line);
      progress.phase('waiting');
    },
    shown: displayPath,
  });
  try {
    return await render(dir, opts, guard, print, { progress, words, ...(shard ? { shard } : {}), ...(staged ? { staged } : {}) });
  } catch (e) {
    if (e instanceof UnreadableSource) {
      print(e.diagnostics);
      return EXIT_ERRORS;
    }
    // Taking the lock, recovering or the output path failed: nothing was compiled yet.
    if (!isGuardError(e)) throw e;
    const shown = displayPath(guard?.outDir ?? path.resolve(opts.output ?? root));
    const d = outputErrorDiagnostic(e, shown, fixCommand(dir, shown, opts), guard?.recovery ? 'recovered' : 'nothing');
    if (!d) throw e;
    print([...(guard?.recovery ? [recoveryDiagnostic(guard.recovery, shown)] : []), d]);
    return EXIT_ERRORS;
  } finally {
    progress.end();
    guard?.release();
  }
}

interface RenderRun {
  progress: Progress;
  words: RenderWords;
  shard?: Shard;
  /** --staged: the index, which the inputs are read from (and, with --check, the output compared with). */
  staged?: StagedRepo;
}

async function render(dir: string, opts: RenderFlags, guard: OutputGuard | undefined, print: (d: readonly Diagnostic[]) => void, run: RenderRun): Promise<number> {
  const { progress, words, shard, staged } = run;
  const root = path.resolve(dir);
  const prepared = await prepareCompile(staged?.source ?? guard?.source ?? diskSource(root), opts);
  const { settings } = prepared;
  const outDir = outputDirOf(root, opts.output, settings);
  const shown = displayPath(outDir);
  // What a person reads about the run: stdout with text diagnostics, else stderr.
  const say = (line: string) => {
    progress.end();
    (opts.format === 'text' ? process.stdout : process.stderr).write(line + '\n');
  };
  const replay = (report: RunReport): number => {
    print(report.diagnostics);
    if (report.stderr) process.stderr.write(report.stderr);
    for (const line of report.said) say(line);
    return EXIT_OK;
  };
  // The output stamp of the last run with these flags that found nothing to do: with the same
  // inputs and the directory as it left it, its report is this run's; else it still tells what
  // the files whose signature holds contain, so they need not be read.
  const stamped = guard && !shard && prepared.key && prepared.cache && !guard.recovery
    ? { cache: prepared.cache, compileKey: prepared.key, key: stampKey({ dir, outDir, shown, mode: opts.check ? 'check' : 'write', layout: opts.layout ?? null, cluster: opts.cluster }) }
    : undefined;
  let known: KnownOutput | undefined;
  if (stamped) {
    const stamp = asStamp<RunReport>(stamped.cache.getRecord(stamped.key));
    if (stamp && stamp.compileKey === stamped.compileKey) {
      const check = checkStamp(outDir, stamp);
      stampTrace(check.holds ? 'holds' : 'stale');
      if (check.holds) {
        if (check.settled) {
          stamped.cache.putRecord(stamped.key, check.settled);
          stampTrace('settled');
        }
        return replay(stamp.report);
      }
    } else if (stamp) stampTrace('used');
    if (stamp) known = new KnownOutput(stamp);
  }
  const { result, reads } = await prepared.compile();
  // Diagnostics are printed once, at the end, so machine formats stay one document.
  const diags: Diagnostic[] = [...result.diagnostics];
  if (guard?.recovery) diags.unshift(recoveryDiagnostic(guard.recovery, shown));
  const nothing = guard?.recovery ? 'nothing else was written' : 'nothing was written';
  /** Reports the run; when it found nothing to do, stamps the directory with that report first. */
  const finish = (report: RunReport, tree: OutputTree, changes: TreeChanges): number => {
    const nothingToDo = changes.added.length + changes.changed.length + changes.removed.length + changes.leftovers.length === 0;
    if (stamped && nothingToDo) {
      const stamp = takeStamp(outDir, stamped.compileKey, { scopes: tree.scopes, keep: tree.keep, files: reads }, treeDigests(tree), report);
      if (stamp) {
        stamped.cache.putRecord(stamped.key, stamp);
        stampTrace('taken');
      }
    }
    return replay(report);
  };
  const fail = (...extra: Diagnostic[]): number => {
    print([...diags, ...extra]);
    return EXIT_ERRORS;
  };
  /** Fails a run that would have written, saying that it did not (--stdout and --check never write). */
  const refuse = (...extra: Diagnostic[]): number => {
    const code = fail(...extra);
    if (!opts.stdout && !opts.check) process.stderr.write(`${nothing}\n`);
    return code;
  };
  if (result.failed) return refuse();

  const declared = result.clusters.map((c) => c.name);
  const unknown = opts.cluster.filter((c) => !declared.includes(c));
  if (unknown.length > 0) {
    const hint = declared.length ? `declared clusters: ${someNames(declared)}` : 'no KubeFedCluster is declared';
    return fail(...unknown.map((c) => cliError('FEDC5004', `${words.clusterTerm} ${c}: no KubeFedCluster named ${c}`, hint)));
  }

  if (opts.stdout) {
    const names = opts.cluster.length ? [...new Set(opts.cluster)] : declared;
    if (names.length !== 1) return usage(STDOUT_ONE_CLUSTER);
    const cluster = result.clusters.find((c) => c.name === names[0])!;
    if (cluster.objects.length === 0 && !opts.allowEmpty) {
      return fail(cliError('FEDC5002',
        cluster.ready ? `cluster ${cluster.name} gets no object` : `cluster ${cluster.name} is not Ready, so it gets no object`,
        words.emptyHint));
    }
    print(diags);
    process.stdout.write(clusterStream(cluster.objects, new YamlCache()));
    return EXIT_OK;
  }

  // The clusters this run renders: all, those named by --cluster, or those of the shard.
  const owns = (name: string) => (!opts.cluster.length || opts.cluster.includes(name)) && (!shard || inShard(name, shard));
  const ioFail = (e: unknown): number => {
    const d = outputErrorDiagnostic(e, shown, fixCommand(dir, shown, opts), guard?.recovery ? 'recovered' : 'nothing');
    if (!d) throw e;
    return fail(d);
  };
  let present: string[] = [];
  try {
    // A shard prunes the directories of its clusters that are no longer declared.
    if (shard) present = clusterDirsOnDisk(outDir);
  } catch (e) {
    return ioFail(e);
  }
  const tree = buildOutputTree(result.clusters, {
    layout: opts.layout ?? settings.layout,
    dns: result.dns,
    ...(opts.cluster.length ? { only: opts.cluster } : {}),
    ...(shard ? { shard, present } : {}),
  });
  if (progress.active) {
    const rendered = result.clusters.filter((c) => c.ready && owns(c.name));
    progress.totals(rendered.map((c) => c.name), rendered.reduce((n, c) => n + c.objects.length, 0));
  }
  // the layout's own findings: files two objects would share (errors), names that differ in case only
  const treeDiags = opts.strict ?? settings.strict ? promoteWarnings(tree.diagnostics) : tree.diagnostics;
  if (hasErrors(treeDiags)) {
    return refuse(...treeDiags);
  }
  diags.push(...treeDiags);
  let changes: TreeChanges;
  const where = staged ? ' in the index' : '';
  try {
    progress.phase(opts.check ? 'checking' : 'comparing');
    if (staged) {
      const files = staged.source.outputAt(outDir);
      if (files === undefined) return usage(`--staged compares the output as staged, and ${shown} is not inside the git work tree ${staged.top}`);
      const named = path.relative(root, outDir).split(path.sep).join('/');
      changes = compareListing(stagedOutput(files, tree, (rel) => path.posix.join(named, rel)), tree);
    } else changes = await diffTree(outDir, tree, known);
  } catch (e) {
    if (e instanceof UnreadableSource) return fail(...e.diagnostics);
    return ioFail(e);
  }
  if (changes.occupied.length > 0) {
    // Writing over a file fedc did not write would lose it: the user moves it, fedc never does.
    progress.end();
    return refuse(...changes.occupied.map((f) => cliError('FEDC5013',
      `${shown}/${f} was not written by fedc, and fedc renders a file to that path`,
      'fedc never writes over a file of yours: move it out of the output directory (or delete it), then run again')));
  }
  const layout = opts.layout ?? settings.layout;
  if (opts.check) {
    progress.end();
    // An interrupted commit is the work tree's: the index holds none.
    const { journal, problem } = staged ? {} : journalForCheck(outDir);
    const unfinished = [
      ...(journal ? [unfinishedCommitDiagnostic(journal, lockState(outDir), shown, fixCommand(dir, shown, opts))] : []),
      ...(problem ? [outputErrorDiagnostic(problem, shown, fixCommand(dir, shown, opts), 'nothing')!] : []),
    ];
    const stale = changes.added.length + changes.changed.length + changes.removed.length;
    // Files fedc did not write are listed, never a failure: fedc leaves them where they are.
    const foreign = changes.foreign.map((f) => `  foreign:  ${f} (not written by fedc; left alone)`);
    if (stale === 0 && unfinished.length === 0) {
      const stderr = [...foreign, `${shown} is up to date${where}${shard ? ` for shard ${shardText(shard)}` : ''} (${changes.unchanged} files)`].join('\n') + '\n';
      return finish({ diagnostics: diags, stderr, said: [] }, tree, changes);
    }
    process.stderr.write([
      ...changes.changed.map((f) => `  changed:  ${f}`),
      ...changes.added.map((f) => `  missing:  ${f}`),
      ...changes.removed.map((f) => `  orphaned: ${f}`),
      ...foreign,
    ].map((l) => l + '\n').join(''));
    return fail(...unfinished, ...(stale === 0 ? [] : [cliError('FEDC5001',
      `${shown} is stale${where}: ${changes.changed.length} changed, ${changes.added.length} missing, ${changes.removed.length} orphaned`,
      `run: ${fixCommand(dir, shown, opts)}${staged ? `, then: git add ${shown}` : ''}`)]));
  }
  if (layout === 'manifest' && changes.foreign.length > 0) {
    // An Argo CD directory application applies every manifest in the directory, fedc's or not.
    let foreign: Diagnostic[] = changes.foreign.map((f) => ({
      code: 'FEDC5008', severity: 'warning', file: '', line: 0, col: 0,
      message: `${shown}/${f} was not written by fedc; an Argo CD directory application of ${shown}/${f.split('/').slice(0, 2).join('/')} would apply it with the rendered manifest`,
      hint: 'fedc leaves it where it is: move it out of the cluster directory unless it is meant for that cluster',
    }));
    if (opts.strict ?? settings.strict) foreign = promoteWarnings(foreign);
    diags.push(...foreign);
    if (hasErrors(foreign)) {
      return refuse();
    }
  }
  try {
    if (progress.active) {
      progress.files([...changes.added, ...changes.changed]);
      progress.phase('writing');
    }
    await writeTree(outDir, tree, changes, {
      ...(guard?.lock ? { lock: guard.lock } : {}),
      ...(progress.active ? { onWritten: (rel: string) => progress.written(rel) } : {}),
    });
  } catch (e) {
    return ioFail(e);
  }
  const said: string[] = [];
  for (const c of result.clusters) {
    if (!owns(c.name)) continue;
    said.push(`${c.name}: ${c.ready ? `${c.objects.length} ${c.objects.length === 1 ? 'object' : 'objects'}` : 'not Ready, left as it was'}`);
  }
  const { zones, endpoints } = result.dns;
  const dnsHere = !opts.cluster.length && (!shard || shard.index === DNS_SHARD) && zones.length + endpoints.length > 0;
  if (dnsHere) {
    said.push(`dns: ${zones.map((z) => `${z.domain} (serial ${z.serial})`).join(', ') || 'no zone'}; ${endpoints.length} DNSEndpoints`);
  }
  if (shard) {
    const mine = result.clusters.filter((c) => owns(c.name)).length;
    said.push(`shard ${shardText(shard)}: ${mine} of ${result.clusters.length} clusters${dnsHere ? ', and dns/' : ''}`);
  }
  said.push(`${shown}: ${changes.added.length} added, ${changes.changed.length} changed, ${changes.removed.length} removed, ${changes.unchanged} unchanged`);
  return finish({ diagnostics: diags, said }, tree, changes);
}

/** What a run printed: its diagnostics, then lines on stderr, then the lines about the render. */
interface RunReport {
  diagnostics: Diagnostic[];
  stderr?: string;
  said: string[];
}

function fixCommand(dir: string, out: string, opts: RenderFlags): string {
  // as given, but an absolute path under the working directory shortened (the Action gives one)
  const parts = ['fedc render', path.isAbsolute(dir) ? displayPath(dir) : dir];
  if (opts.output) parts.push('-o', out);
  if (opts.layout) parts.push('--layout', opts.layout);
  for (const c of opts.cluster) parts.push('--cluster', c);
  if (opts.shard) parts.push('--shard', opts.shard.trim());
  if (opts.strict) parts.push('--strict');
  return parts.join(' ');
}

function usage(message: string): number {
  process.stderr.write(`error: ${message}\n`);
  return EXIT_USAGE;
}
