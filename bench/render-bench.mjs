#!/usr/bin/env node
// render-bench.mjs: fedc's benchmark (`npm run bench`), whole processes, each against a floor
// measured in the same run. Everything it uses is in this repository.
//
//   node bench/render-bench.mjs [--clusters 100] [--resources 2000] [--seed 42] [--runs 3] [--keep]
//                               [--tmpdir DIR]   (where the workload and outputs go; default the OS
//                               temp dir; e.g. /dev/shm takes the disk out of the numbers)
//
// Generates a workload with bench/gen-workload.mjs into a temp dir, checks fedc's output on it
// (uncounted runs), then times, round after round, each as the median of --runs runs (wall time,
// user and system CPU, peak RSS):
//   cold          fedc render REPO -o OUT                        into an empty OUT (one file per object)
//   manifest      fedc render REPO -o OUT --layout manifest      into an empty OUT
//   no change     fedc render REPO -o OUT                        OUT already up to date
//   stdout        fedc render REPO --stdout --cluster C          the largest cluster (the Argo CD plugin's call)
// and the floors (bench/floors.mjs, and cp):
//   yaml files    parse every input with yaml, stringify every placed document, write one file each
//   yaml stream   the same, one manifest.yaml per cluster
//   yaml stdout   the same for cluster C only, to stdout
//   cp -R         copy a rendered output tree (one file per object) into an empty directory
//   hash          read and sha256 every input file
// Prints both, and each fedc figure as a ratio to its floor; writes bench/results/latest.json.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'dist/cli/main.js');
const GEN = path.join(ROOT, 'bench/gen-workload.mjs');
const FLOORS = path.join(ROOT, 'bench/floors.mjs');
const GNU_TIME = '/usr/bin/time';
const RESULTS = path.join(ROOT, 'bench/results/latest.json');
const NODE = process.execPath;

// ---------------------------------------------------------------- options
function parseArgs(argv) {
  const o = { clusters: 100, resources: 2000, seed: 42, runs: 3, keep: false, tmpdir: os.tmpdir() };
  const int = (flag, v, min = 1) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) usage(`${flag} needs an integer >= ${min}, got ${v ?? 'nothing'}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--clusters') o.clusters = int(a, argv[++i]);
    else if (a === '--resources') o.resources = int(a, argv[++i]);
    else if (a === '--seed') o.seed = int(a, argv[++i], 0);
    else if (a === '--runs') o.runs = int(a, argv[++i]);
    else if (a === '--keep') o.keep = true;
    else if (a === '--tmpdir') {
      o.tmpdir = argv[++i];
      if (!o.tmpdir || !fs.existsSync(o.tmpdir)) usage(`--tmpdir needs an existing directory, got ${o.tmpdir ?? 'nothing'}`);
    }
    else if (a === '-h' || a === '--help') usage(null);
    else usage(`unknown argument ${a}`);
  }
  return o;
}
function usage(err) {
  const text = 'usage: node bench/render-bench.mjs [--clusters C] [--resources R] [--seed S] [--runs N] [--keep] [--tmpdir DIR]';
  if (err) {
    console.error(`error: ${err}\n${text}`);
    process.exit(2);
  }
  console.log(text);
  process.exit(0);
}

// ---------------------------------------------------------------- helpers
class BenchError extends Error {}
function die(message) {
  throw new BenchError(message);
}

/** Runs a command to completion, output captured; dies on failure. */
function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30, cwd: ROOT, ...opts });
  if (r.error) die(`${cmd} ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0) die(`${cmd} ${args.join(' ')} exited ${r.status}\n${r.stderr}`);
  return r;
}

/** Newest mtime of the files under dir with the given suffix (0 when none). */
function newest(dir, suffix) {
  let t = 0;
  if (!fs.existsSync(dir)) return t;
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile() && e.name.endsWith(suffix)) t = Math.max(t, fs.statSync(path.join(e.parentPath, e.name)).mtimeMs);
  }
  return t;
}

/** Object files of a rendered tree: every YAML file but the kustomizations. */
function countObjectFiles(dir) {
  let n = 0;
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile() && e.name.endsWith('.yaml') && e.name !== 'kustomization.yaml') n++;
  }
  return n;
}

/** Documents of the manifest.yaml files of a rendered tree (each starts with `---` or is the first). */
function countManifestDocs(dir) {
  let n = 0;
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile() || e.name !== 'manifest.yaml') continue;
    const text = fs.readFileSync(path.join(e.parentPath, e.name), 'utf8');
    n += countDocs(text);
  }
  return n;
}

/** Documents in a YAML stream: those that hold a `kind:` line at the top level. */
const countDocs = (text) => (text.match(/^kind: /gm) || []).length;

const median = (xs) => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};
const round = (x, d = 3) => (x === null || x === undefined ? null : +x.toFixed(d));

/**
 * One timed whole-process run: wall seconds, user and system CPU seconds, peak RSS in MiB.
 * With GNU time (`/usr/bin/time -f '%e %U %S %M'`): the user/system split matters here, as
 * writing tens of thousands of files is mostly system time. Without it (a minimal image, macOS):
 * spawn and poll /proc/<pid>/status for VmHWM where there is a /proc, wall time only otherwise.
 */
function timeOnce(cmd) {
  if (!hasGnuTime) return pollOnce(cmd);
  const tf = path.join(tmp, 'time.txt');
  const r = spawnSync(GNU_TIME, ['-f', '%e %U %S %M', '-o', tf, ...cmd], {
    cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 1 << 30,
  });
  if (r.error) die(`${GNU_TIME}: ${r.error.message}`);
  if (r.status !== 0) die(`${cmd.map(shown).join(' ')} exited ${r.status}\n${r.stderr}`);
  const [wall, user, sys, kib] = fs.readFileSync(tf, 'utf8').trim().split('\n').pop().split(/\s+/).map(Number);
  return { wall, user, sys, peakMiB: kib / 1024 };
}

function pollOnce(cmd) {
  // A tiny watcher process polls the child's VmHWM, so this process's event loop stays out of it.
  const watcher = `
    const { spawn } = require('node:child_process'); const fs = require('node:fs');
    const [cmd, ...args] = JSON.parse(process.argv[1]);
    const t0 = process.hrtime.bigint(); let peak = 0;
    const c = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    const poll = () => { try { const m = /VmHWM:\\s+(\\d+)/.exec(fs.readFileSync('/proc/' + c.pid + '/status', 'utf8')); if (m) peak = Math.max(peak, +m[1]); } catch {} };
    const timer = setInterval(poll, 10);
    c.on('exit', (code) => { clearInterval(timer); const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      console.log(JSON.stringify({ code, wall, peakKiB: peak || null })); });`;
  const r = sh(NODE, ['-e', watcher, JSON.stringify(cmd)]);
  const j = JSON.parse(r.stdout.trim().split('\n').pop());
  if (j.code !== 0) die(`${cmd.map(shown).join(' ')} exited ${j.code}\n${r.stderr}`);
  return { wall: j.wall, user: null, sys: null, peakMiB: j.peakKiB === null ? null : j.peakKiB / 1024 };
}

/** `sync` flushes the previous run's writes, so one run's writeback is not billed to the next. */
function flush() {
  spawnSync('sync', [], { stdio: 'ignore' });
}

/**
 * Times every case once per round, round after round, so the machine's drift hits all cases
 * alike. cmd(i) gives the command of run i (each writing run gets its own fresh output directory).
 */
function measureAll(cases, runs) {
  const rows = cases.map(() => []);
  for (let i = 0; i < runs; i++) {
    cases.forEach((c, k) => {
      flush();
      const r = timeOnce(c.cmd(i));
      rows[k].push(r);
      process.stderr.write(`  run ${i + 1}/${runs} ${c.name}: ${r.wall.toFixed(2)} s\n`);
    });
  }
  return Object.fromEntries(cases.map((c, k) => [c.id, summarize(c, rows[k])]));
}

function summarize(c, rows) {
  const pick = (k) => rows.map((r) => r[k]).filter((x) => x !== null);
  const wall = pick('wall');
  const user = pick('user');
  const sys = pick('sys');
  const rss = pick('peakMiB');
  return {
    name: c.name,
    command: c.cmd('N').map(shown).join(' '),
    runs: rows.length,
    wall_s: { median: round(median(wall)), min: round(Math.min(...wall)), max: round(Math.max(...wall)) },
    user_s: user.length ? round(median(user)) : null,
    sys_s: sys.length ? round(median(sys)) : null,
    peak_rss_MiB: rss.length ? round(median(rss), 1) : null,
    all_wall_s: wall.map((x) => round(x)),
  };
}

/** A markdown table; `left` holds the indexes of the left-aligned (text) columns, the others are numbers. */
function table(head, rows, left = [0]) {
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => '| ' + cells.map((c, i) => (left.includes(i) ? c.padEnd(width[i]) : c.padStart(width[i]))).join(' | ') + ' |';
  const rule = '|' + width.map((w, i) => (left.includes(i) ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') + '|';
  return [line(head), rule, ...rows.map(line)].join('\n');
}

// ---------------------------------------------------------------- main
const opt = parseArgs(process.argv.slice(2));
const hasGnuTime = fs.existsSync(GNU_TIME) && spawnSync(GNU_TIME, ['-f', '%e', 'true'], { stdio: 'ignore' }).status === 0;

if (!fs.existsSync(CLI)) {
  console.error('render-bench: dist/cli/main.js is missing: run `npm run build` first');
  process.exit(1);
}
if (newest(path.join(ROOT, 'src'), '.ts') > newest(path.join(ROOT, 'dist'), '.js')) {
  console.error('render-bench: warning: src/ is newer than dist/; run `npm run build` to measure the current code');
}

const tmp = fs.mkdtempSync(path.join(path.resolve(opt.tmpdir), 'fedc-bench-'));
// Every run compiles without the compile cache, but the one that measures it (with its own directory).
process.env.FEDC_NO_CACHE = '1';
const REPO = path.join(tmp, 'repo');
// Every writing run gets a fresh, empty output directory, and nothing is deleted until the end:
// on ext4, creating tens of thousands of files right after deleting as many makes the inode
// allocator scan the recently deleted inodes (recently_deleted/find_inode_bit in the kernel),
// which made `rm -rf OUT && render` runs 2-3x slower, and slower run after run.
const OUT_WARM = path.join(tmp, 'out');
const fresh = (what) => (i) => path.join(tmp, `${what}-${i}`);
const OUT_COLD = fresh('out-cold');
const OUT_MANIFEST = fresh('out-manifest');
const FLOOR_FILES = fresh('floor-files');
const FLOOR_STREAM = fresh('floor-stream');
const FLOOR_COPY = fresh('floor-copy');
const DIGESTS = path.join(tmp, 'digests.json');
/** A command argument as the report shows it: temp paths under $TMP, others relative to the repo. */
function shown(a) {
  if (a === NODE) return 'node';
  if (a === tmp || a.startsWith(tmp + path.sep)) return '$TMP' + a.slice(tmp.length);
  return path.isAbsolute(a) ? path.relative(ROOT, a) || '.' : a;
}

try {
  process.stderr.write(`workload: ${opt.clusters} clusters x ${opt.resources} resources, seed ${opt.seed} in ${tmp}\n`);
  const genArgs = ['--clusters', String(opt.clusters), '--resources', String(opt.resources), '--seed', String(opt.seed)];
  sh(NODE, [GEN, REPO, ...genArgs]);
  const meta = JSON.parse(fs.readFileSync(path.join(REPO, 'meta.json'), 'utf8'));
  const checks = [];
  const check = (what, ok, detail) => {
    checks.push({ what, ok, detail });
    if (!ok) console.error(`render-bench: CHECK FAILED: ${what}: ${detail}`);
  };

  // ---- uncounted runs that check what is measured
  const render = [NODE, CLI, 'render', REPO];
  sh(NODE, [CLI, 'render', REPO, '-o', OUT_WARM]);
  const files = countObjectFiles(path.join(OUT_WARM, 'clusters'));
  check('object files written = meta.json expectedDocs', files === meta.expectedDocs, `${files} files, ${meta.expectedDocs} expected`);
  const clusterDirs = fs.readdirSync(path.join(OUT_WARM, 'clusters')).length;
  check('one directory per cluster', clusterDirs === meta.clusters, `${clusterDirs} directories, ${meta.clusters} clusters`);

  let r = sh(NODE, [CLI, 'render', REPO, '-o', OUT_WARM]);
  const summary = r.stdout.trim().split('\n').pop();
  check('a second render changes nothing', / 0 added, 0 changed, 0 removed, /.test(summary), summary);

  // The largest cluster: the worst case of the Argo CD plugin's per-refresh call.
  const [cluster, docs] = Object.entries(meta.perClusterDocs).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
  r = sh(NODE, [CLI, 'render', REPO, '--stdout', '--cluster', cluster]);
  check(`--stdout --cluster ${cluster} prints its objects`, countDocs(r.stdout) === docs, `${countDocs(r.stdout)} documents, ${docs} expected`);

  sh(NODE, [CLI, 'render', REPO, '-o', OUT_MANIFEST('check'), '--layout', 'manifest']);
  const inManifests = countManifestDocs(OUT_MANIFEST('check'));
  check('manifest layout holds expectedDocs objects', inManifests === meta.expectedDocs, `${inManifests} documents, ${meta.expectedDocs} expected`);

  const floor = (...args) => [NODE, FLOORS, ...args];
  sh(NODE, floor('yaml', REPO, FLOOR_FILES('check')).slice(1));
  const floorFiles = countObjectFiles(FLOOR_FILES('check'));
  check('yaml floor wrote expectedDocs files', floorFiles === meta.expectedDocs, `${floorFiles} files, ${meta.expectedDocs} expected`);
  sh(NODE, floor('yaml', REPO, FLOOR_STREAM('check'), '--layout', 'stream').slice(1));
  const floorStream = countManifestDocs(FLOOR_STREAM('check'));
  check('yaml stream floor wrote expectedDocs documents', floorStream === meta.expectedDocs, `${floorStream} documents, ${meta.expectedDocs} expected`);
  r = sh(NODE, floor('yaml', REPO, '--stdout', '--cluster', cluster).slice(1));
  check(`yaml stdout floor prints ${cluster}'s objects`, countDocs(r.stdout) === docs, `${countDocs(r.stdout)} documents, ${docs} expected`);
  r = sh(NODE, floor('hash', REPO, DIGESTS).slice(1));
  const hashed = JSON.parse(r.stdout);
  check('hash floor read every input file', hashed.files === meta.inputFiles, `${hashed.files} files, ${meta.inputFiles} inputs`);
  r = sh(NODE, floor('hash', REPO, DIGESTS).slice(1));
  check('hash floor finds nothing changed', JSON.parse(r.stdout).changed === 0, r.stdout.trim());

  // ---- measured
  const CACHE = path.join(tmp, 'cache');
  sh('env', ['-u', 'FEDC_NO_CACHE', `FEDC_CACHE_DIR=${CACHE}`, ...render, '--stdout', '--cluster', cluster]); // warm it
  const cases = [
    { id: 'cold', name: 'fedc render, cold', cmd: (i) => [...render, '-o', OUT_COLD(i)] },
    { id: 'manifest', name: 'fedc render --layout manifest, cold', cmd: (i) => [...render, '-o', OUT_MANIFEST(i), '--layout', 'manifest'] },
    { id: 'noChange', name: 'fedc render, nothing changed', cmd: () => [...render, '-o', OUT_WARM] },
    { id: 'stdout', name: `fedc render --stdout --cluster (1 of ${meta.clusters})`, cmd: () => [...render, '--stdout', '--cluster', cluster] },
    { id: 'stdoutSeen', name: `the same, inputs seen before (compile cache)`, cmd: () => ['env', '-u', 'FEDC_NO_CACHE', `FEDC_CACHE_DIR=${CACHE}`, ...render, '--stdout', '--cluster', cluster] },
    { id: 'yamlFiles', name: 'floor: yaml, one file per object', cmd: (i) => floor('yaml', REPO, FLOOR_FILES(i)) },
    { id: 'yamlStream', name: 'floor: yaml, one manifest per cluster', cmd: (i) => floor('yaml', REPO, FLOOR_STREAM(i), '--layout', 'stream') },
    { id: 'yamlStdout', name: 'floor: yaml, one cluster to stdout', cmd: () => floor('yaml', REPO, '--stdout', '--cluster', cluster) },
    { id: 'copy', name: 'floor: cp -R of the rendered tree', cmd: (i) => ['cp', '-R', OUT_WARM, FLOOR_COPY(i)] },
    { id: 'hash', name: 'floor: read and sha256 every input', cmd: () => floor('hash', REPO, DIGESTS) },
  ];
  const results = measureAll(cases, opt.runs);
  const cold = countObjectFiles(path.join(OUT_COLD(0), 'clusters'));
  check('cold run wrote expectedDocs object files', cold === meta.expectedDocs, `${cold} files, ${meta.expectedDocs} expected`);
  const copied = countObjectFiles(FLOOR_COPY(0));
  check('cp -R copied every object file', copied === meta.expectedDocs, `${copied} files, ${meta.expectedDocs} expected`);

  const RATIOS = [
    ['cold', 'yamlFiles', 'parse + stringify every placed copy + write, with yaml'],
    ['cold', 'copy', 'cp -R of the same tree'],
    ['manifest', 'yamlStream', 'the yaml floor, one manifest per cluster'],
    ['noChange', 'hash', 'read and sha256 every input'],
    ['stdout', 'yamlStdout', 'the yaml floor for that one cluster'],
    ['stdoutSeen', 'yamlStdout', 'the yaml floor for that one cluster'],
  ];
  const ratios = RATIOS.map(([what, against, floorIs]) => ({
    fedc: results[what].name,
    floor: results[against].name,
    floorIs,
    fedc_s: results[what].wall_s.median,
    floor_s: results[against].wall_s.median,
    ratio: round(results[what].wall_s.median / results[against].wall_s.median, 2),
  }));

  // ---- report
  const fmt = (x, d = 2) => (x === null ? '-' : x.toFixed(d));
  console.log(`\n${meta.clusters} clusters, ${meta.resources} federated resources, ${meta.expectedDocs} objects from ` +
    `${(meta.inputBytes / 1e6).toFixed(1)} MB in ${meta.inputFiles} files (seed ${opt.seed}); median of ${opt.runs} run${opt.runs > 1 ? 's' : ''}; ` +
    `node ${process.version}, ${os.cpus().length} CPUs${hasGnuTime ? '' : '; no GNU time: wall and polled peak RSS only'}\n`);
  console.log(table(['what', 'wall s', 'min-max s', 'user s', 'sys s', 'peak RSS MiB'], Object.values(results).map((x) => [
    x.name, fmt(x.wall_s.median), `${fmt(x.wall_s.min)}-${fmt(x.wall_s.max)}`, fmt(x.user_s), fmt(x.sys_s), fmt(x.peak_rss_MiB, 0),
  ])));
  console.log('');
  console.log(table(['fedc', 'wall s', 'its floor', 'wall s', 'ratio'], ratios.map((x) => [x.fedc, fmt(x.fedc_s), x.floorIs, fmt(x.floor_s), `${fmt(x.ratio)}x`]), [0, 2]));
  console.log('');
  for (const x of Object.values(results)) console.log(`  ${x.name}: ${x.command}`);

  // Which code was measured: HEAD, and any uncommitted change under src/ (dist/ is built from the
  // working tree). Read-only git: --no-optional-locks keeps `status` from touching the index.
  const git = (...args) => {
    const g = spawnSync('git', ['--no-optional-locks', ...args], { cwd: ROOT, encoding: 'utf8' });
    return g.status === 0 ? g.stdout.trimEnd() : null;
  };
  const commit = git('rev-parse', 'HEAD');
  const uncommitted = git('status', '--porcelain', '--', 'src');
  const report = {
    date: new Date().toISOString(),
    commit,
    uncommittedSrc: uncommitted === null ? null : uncommitted.split('\n').filter(Boolean),
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    cpus: os.cpus().length,
    timer: hasGnuTime ? `${GNU_TIME} -f '%e %U %S %M'` : 'spawn + /proc VmHWM polling',
    tmpdir: opt.tmpdir,
    workload: {
      generator: `node bench/gen-workload.mjs REPO ${genArgs.join(' ')}`,
      clusters: meta.clusters,
      resources: meta.resources,
      seed: opt.seed,
      expectedDocs: meta.expectedDocs,
      inputFiles: meta.inputFiles,
      inputMB: round(meta.inputBytes / 1e6, 2),
    },
    runs: opt.runs,
    results,
    ratios,
    checks,
  };
  fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
  fs.writeFileSync(RESULTS, JSON.stringify(report, null, 2) + '\n');
  console.log(`\nwrote ${path.relative(process.cwd(), RESULTS) || RESULTS}`);
  if (checks.some((c) => !c.ok)) process.exitCode = 1;
} catch (err) {
  if (!(err instanceof BenchError)) throw err;
  console.error(`render-bench: ${err.message}`);
  process.exitCode = 1;
} finally {
  if (opt.keep) console.error(`kept ${tmp} (REPO: $TMP/repo)`);
  else fs.rmSync(tmp, { recursive: true, force: true });
}
