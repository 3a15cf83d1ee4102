import { Command, CommanderError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { FORMATS } from '../diagnostics/format.js';
import { DIFF_FORMATS } from '../diff/format/index.js';
import { runArgoDiscover } from './argocd-paths.js';
import { EXIT_INTERNAL, EXIT_OK, EXIT_READER_GONE, EXIT_USAGE } from './exit-codes.js';

// Each command's implementation (and the compiler, the YAML libraries, git, diff... under it) is
// imported when the command runs, so that --help, --version and one command do not load them all.

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

function program(): Command {
  const p = new Command('fedc')
    .description('Offline compiler for KubeFed-style federation repos')
    .version(pkg.version)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  const format = () => new Option('--format <format>', 'diagnostics format').choices(FORMATS).default('text');

  p.command('validate')
    .description('check every input against its schema and KubeFed semantics; write nothing')
    .argument('[dir]', 'federation repo', '.')
    .addOption(format())
    .option('--strict', 'treat warnings as errors')
    .option('--staged', 'read the files as staged in the git index, as a commit would hold them (the pre-commit hooks)')
    .option('--no-cache', 'compile without reading or writing the compile cache (FEDC_CACHE_DIR)')
    .action(async (dir: string, opts) => {
      const { runValidate } = await import('./validate-command.js');
      process.exitCode = await runValidate(dir, opts);
    });

  p.command('render')
    .description('render one directory of plain objects per member cluster')
    .argument('[dir]', 'federation repo', '.')
    .option('-o, --output <dir>', 'output directory (default: fedc.yaml output, else <dir>/rendered)')
    .addOption(new Option('--layout <layout>', 'one file per object, or one manifest.yaml per cluster (default: layout in fedc.yaml, else object)').choices(['object', 'manifest']))
    .option('--cluster <name>', 'render only this cluster (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--stdout', 'print one cluster as a YAML stream instead of writing files')
    .option('--allow-empty', 'with --stdout, succeed even when the cluster gets no object')
    .option('--check', 'write nothing; exit 1 when the output directory is stale')
    .option('--staged', 'with --check or --stdout: read inputs (and, with --check, the output) as staged in the git index')
    .option('--shard <i/n>', 'render only the clusters of shard i of n (FNV-1 hash of the name mod n); shard 1 also writes dns/')
    .option('--wait <seconds>', 'when another render is writing the output directory, wait this long for it (default 30; 0: fail at once)')
    .addOption(format())
    .option('--strict', 'treat warnings as errors')
    .option('--no-cache', 'compile without reading or writing the compile cache (FEDC_CACHE_DIR)')
    .action(async (dir: string, opts) => {
      const { runRender } = await import('./render-command.js');
      process.exitCode = await runRender(dir, opts);
    });

  p.command('diff')
    .description('show what a change does to every member cluster: a git ref against the working tree or another ref, or two rendered directories')
    .argument('[dirs...]', 'federation repo (default .), or two rendered output directories')
    .option('--base <ref>', 'git ref of the old side (default HEAD)')
    .option('--head <ref>', 'git ref of the new side (default: the working tree, uncommitted edits included)')
    .option('--staged', 'the new side is the git index: what the next commit would hold')
    .option('--merge-base', 'compare against the merge base of --base and --head, as a pull request does')
    .addOption(new Option('--format <format>', 'output format').choices(DIFF_FORMATS).default('text'))
    .option('--no-color', 'no colours (also NO_COLOR=1)')
    .addOption(new Option('--max-chars <n>', 'markdown: the most characters to print, at least 200').default(65000))
    .option('--show-secrets', 'show the values of Secrets (local use only)')
    .option('--exit-code', 'exit 1 when anything changed, 0 when nothing did')
    .option('--strict', 'treat warnings as errors')
    .option('--no-cache', 'compile without reading or writing the compile cache (FEDC_CACHE_DIR)')
    .action(async (dirs: string[], opts) => {
      const { runDiff } = await import('./diff-command.js');
      process.exitCode = await runDiff(dirs, opts);
    });

  const argocd = p.command('argocd').description('Argo CD config-management plugin (plugin.yaml)');
  argocd.command('generate')
    .description('print the objects of the cluster named by ARGOCD_ENV_FEDC_CLUSTER (or the plugin parameter cluster), as argocd-cmp-server runs it')
    .action(async () => {
      const { runArgoGenerate } = await import('./argocd-command.js');
      process.exitCode = await runArgoGenerate();
    });
  argocd.command('discover')
    .description("print the fedc.yaml of the application's federation repo, nothing when there is none (plugin.yaml's discover command)")
    .action(() => {
      process.exitCode = runArgoDiscover();
    });
  return p;
}

// A reader that stops early (`fedc render --stdout | head`) closes the pipe: what is left to print
// has no one to read it, so it is dropped, the command finishes (files it writes are never left
// half-written), and fedc exits 141 as a program stopped by SIGPIPE does, unless it failed anyway.
let readerGone = false;
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') {
      readerGone = true;
      return;
    }
    if (stream !== process.stderr) process.stderr.write(`fedc: cannot write to stdout: ${err.message}\n`);
    process.exit(EXIT_INTERNAL);
  });
}
process.on('exit', (code) => {
  if (readerGone && code === EXIT_OK) process.exitCode = EXIT_READER_GONE;
});

try {
  const p = program();
  // `fedc help bogus`: commander prints the general help alone; say why first, as `fedc bogus` does
  const [first, second] = process.argv.slice(2);
  if (first === 'help' && second !== undefined && !second.startsWith('-') && second !== 'help' && !p.commands.some((c) => c.name() === second)) {
    p.error(`error: unknown command '${second}'`);
  }
  // `fedc help help`: commander prints the general help as an error; it is a request for help
  await p.parseAsync(first === 'help' && second === 'help' ? [...process.argv.slice(0, 2), 'help', ...process.argv.slice(4)] : process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0 ? 0 : EXIT_USAGE;
  } else {
    process.stderr.write(`fedc: internal error: ${(err as Error).message}\n`);
    process.exitCode = EXIT_INTERNAL;
  }
}
