#!/usr/bin/env node
// render-bench.mjs: fedc's benchmark (`npm run bench`), whole processes, against the JS floor.
//
//   node bench/render-bench.mjs [--clusters 100] [--resources 2000] [--seed 42] [--runs 3] [--keep]
//                               [--tmpdir DIR]   (where the workload and outputs go; default the OS
//                               temp dir; e.g. /dev/shm takes the disk out of the numbers)
//
// Generates the shared workload (../shared/bench/gen-workload.mjs) into a temp dir, then times
//   cold       node dist/cli/main.js render REPO -o OUT          into an empty OUT
//   no-change  the same again, OUT already up to date
//   stdout     node dist/cli/main.js render REPO --stdout --cluster C   (the Argo CD plugin's call)
//   floor      node ../shared/bench/floor.mjs REPO OUT --layout files   (parse yaml, mode floor)
// each as the median of --runs runs (wall time, CPU, peak RSS), measured round-robin, after
// uncounted runs that check the output. Prints a table and writes bench/results/latest.json.
// The shared tools are called where they are, never copied.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = path.resolve(ROOT, '../shared/bench');
const CLI = path.join(ROOT, 'dist/cli/main.js');
const GEN = path.join(SHARED, 'gen-workload.mjs');
const FLOOR = path.join(SHARED, 'floor.mjs');
const GNU_TIME = '/usr/bin/time';
const RESULTS = path.join(ROOT, 'bench/results/latest.json');
const FEDC_YAML = 'include: ["clusters/**", "namespaces/**"]\n';

// ---------------------------------------------------------------- options
function parseArgs(argv) {
  const o = { clusters: 100, resources: 2000, seed: 42, runs: 3, keep: false, tmpdir: os.tmpdir() };
  const int = (flag, v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) usage(`${flag} needs a positive integer, got ${v ?? 'nothing'}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--clusters') o.clusters = int(a, argv[++i]);
    else if (a === '--resources') o.resources = int(a, argv[++i]);
    else if (a === '--seed') o.seed = int(a, argv[++i]);
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
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30, ...opts });
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

/** Object files of a rendered tree: every YAML file under clusters/ but the kustomizations. */
function countObjectFiles(dir) {
  let n = 0;
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile() && e.name.endsWith('.yaml') && e.name !== 'kustomization.yaml') n++;
  }
  return n;
}

const median = (xs) => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};
const round = (x, d = 3) => (x === null || x === undefined ? null : +x.toFixed(d));

/**
 * One timed whole-process run: wall seconds, user and system CPU seconds, peak RSS in MiB.
 * With GNU time, as ../shared/bench/time-median.mjs runs it (`/usr/bin/time -f ...`), called
 * directly because each run needs its own fresh output directory and because the user/system
 * split matters here (writing tens of thousands of files is mostly system time; time-median
 * reports their sum). Without GNU time: spawn and poll /proc/<pid>/status for VmHWM.
 */
function timeOnce(cmd) {
  if (!fs.existsSync(GNU_TIME)) return pollOnce(cmd);
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
  const r = sh(process.execPath, ['-e', watcher, JSON.stringify(cmd)], { cwd: ROOT });
  const j = JSON.parse(r.stdout.trim().split('\n').pop());
  if (j.code !== 0) die(`${cmd.join(' ')} exited ${j.code}\n${r.stderr}`);
  return { wall: j.wall, user: null, sys: null, peakMiB: j.peakKiB === null ? null : j.peakKiB / 1024 };
}

/**
 * Times every case once per round, round after round, so the machine's drift hits all cases
 * alike. Before each timed run, `sync` flushes the previous run's writes, so one run's writeback
 * is not billed to the next. cmd(i) gives the command of run i (each writing run gets its own
 * fresh output directory: see OUT below).
 */
function measureAll(cases, runs) {
  const rows = cases.map(() => []);
  for (let i = 0; i < runs; i++) {
    cases.forEach((c, k) => {
      spawnSync('sync', [], { stdio: 'ignore' });
      const r = timeOnce(c.cmd(i));
      rows[k].push(r);
      process.stderr.write(`  run ${i + 1}/${runs} ${c.name}: ${r.wall.toFixed(2)} s\n`);
    });
  }
  return cases.map((c, k) => summarize(c.name, c.cmd('N'), rows[k]));
}

function summarize(name, cmd, rows) {
  const pick = (k) => rows.map((r) => r[k]).filter((x) => x !== null);
  const wall = pick('wall');
  const user = pick('user');
  const sys = pick('sys');
  const rss = pick('peakMiB');
  return {
    name,
    command: cmd.map(shown).join(' '),
    runs: rows.length,
    wall_s: { median: round(median(wall)), min: round(Math.min(...wall)), max: round(Math.max(...wall)) },
    user_s: user.length ? round(median(user)) : null,
    sys_s: sys.length ? round(median(sys)) : null,
    peak_rss_MiB: rss.length ? round(median(rss), 1) : null,
    all_wall_s: wall.map((x) => round(x)),
  };
}

// ---------------------------------------------------------------- main
const opt = parseArgs(process.argv.slice(2));

if (!fs.existsSync(CLI)) {
  console.error('render-bench: dist/cli/main.js is missing: run `npm run build` first');
  process.exit(1);
}
if (newest(path.join(ROOT, 'src'), '.ts') > newest(path.join(ROOT, 'dist'), '.js')) {
  console.error('render-bench: warning: src/ is newer than dist/; run `npm run build` to measure the current code');
}
if (!fs.existsSync(path.join(SHARED, 'node_modules', 'yaml'))) {
  console.error(`render-bench: installing the floor's dependencies (npm ci in ${SHARED})`);
  sh('npm', ['ci', '--no-audit', '--no-fund'], { cwd: SHARED, stdio: ['ignore', 'ignore', 'inherit'] });
}

const tmp = fs.mkdtempSync(path.join(path.resolve(opt.tmpdir), 'fedc-bench-'));
const REPO = path.join(tmp, 'repo');
// Every writing run gets a fresh, empty output directory, and nothing is deleted until the end:
// on ext4, creating tens of thousands of files right after deleting as many makes the inode
// allocator scan the recently deleted inodes (recently_deleted/find_inode_bit in the kernel),
// which made `rm -rf OUT && render` runs 2-3x slower, and slower run after run.
const OUT_WARM = path.join(tmp, 'out');
const OUT_COLD = (i) => path.join(tmp, `out-cold-${i}`);
const OUT_FLOOR = (i) => path.join(tmp, `out-floor-${i}`);
/** A command argument as the report shows it: temp paths under $TMP, others relative to the repo. */
function shown(a) {
  if (a.startsWith(tmp + path.sep)) return '$TMP/' + path.relative(tmp, a);
  return path.isAbsolute(a) ? path.relative(ROOT, a) || '.' : a;
}

try {
  process.stderr.write(`workload: ${opt.clusters} clusters x ${opt.resources} resources, seed ${opt.seed} in ${tmp}\n`);
  sh(process.execPath, [GEN, REPO, '--clusters', String(opt.clusters), '--resources', String(opt.resources), '--seed', String(opt.seed)]);
  fs.writeFileSync(path.join(REPO, 'fedc.yaml'), FEDC_YAML);
  const meta = JSON.parse(fs.readFileSync(path.join(REPO, 'meta.json'), 'utf8'));
  const checks = [];
  const check = (what, ok, detail) => {
    checks.push({ what, ok, detail });
    if (!ok) console.error(`render-bench: CHECK FAILED: ${what}: ${detail}`);
  };

  // Uncounted renders that check the output: one file per expected object, then nothing to change.
  const render = ['node', CLI, 'render', REPO];
  let r = sh(process.execPath, [CLI, 'render', REPO, '-o', OUT_WARM], { cwd: ROOT });
  const files = countObjectFiles(path.join(OUT_WARM, 'clusters'));
  check('object files written = meta.json expectedDocs', files === meta.expectedDocs, `${files} files, ${meta.expectedDocs} expected`);
  const clusterDirs = fs.readdirSync(path.join(OUT_WARM, 'clusters')).length;
  check('one directory per cluster', clusterDirs === meta.clusters, `${clusterDirs} directories, ${meta.clusters} clusters`);

  r = sh(process.execPath, [CLI, 'render', REPO, '-o', OUT_WARM], { cwd: ROOT });
  const summary = r.stdout.trim().split('\n').pop();
  check('a second render changes nothing', / 0 added, 0 changed, 0 removed, /.test(summary), summary);

  // The largest cluster: the worst case of the Argo CD plugin's per-refresh call.
  const [cluster, docs] = Object.entries(meta.perClusterDocs).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
  r = sh(process.execPath, [CLI, 'render', REPO, '--stdout', '--cluster', cluster], { cwd: ROOT });
  const streamed = (r.stdout.match(/^---$/gm) || []).length;
  check(`--stdout --cluster ${cluster} prints its objects`, streamed === docs, `${streamed} documents, ${docs} expected`);

  const floor = (out) => ['node', FLOOR, REPO, out, '--layout', 'files'];
  sh(process.execPath, floor(OUT_FLOOR('check')).slice(1), { cwd: ROOT });
  const floorFiles = countObjectFiles(OUT_FLOOR('check'));
  check('floor wrote expectedDocs files', floorFiles === meta.expectedDocs, `${floorFiles} files, ${meta.expectedDocs} expected`);

  const results = measureAll([
    { name: 'fedc render (cold)', cmd: (i) => [...render, '-o', OUT_COLD(i)] },
    { name: 'fedc render (no change)', cmd: () => [...render, '-o', OUT_WARM] },
    { name: `fedc --stdout (1 of ${meta.clusters})`, cmd: () => [...render, '--stdout', '--cluster', cluster] },
    { name: 'floor (yaml, files)', cmd: (i) => floor(OUT_FLOOR(i)) },
  ], opt.runs);
  const cold = countObjectFiles(path.join(OUT_COLD(0), 'clusters'));
  check('cold run wrote expectedDocs object files', cold === meta.expectedDocs, `${cold} files, ${meta.expectedDocs} expected`);

  const ratio = round(results[0].wall_s.median / results[3].wall_s.median, 2);

  // ---- report
  const head = ['what', 'median s', 'min-max s', 'user s', 'sys s', 'peak RSS MiB'];
  const rows = results.map((x) => [
    x.name,
    x.wall_s.median.toFixed(2),
    `${x.wall_s.min.toFixed(2)}-${x.wall_s.max.toFixed(2)}`,
    x.user_s === null ? '-' : x.user_s.toFixed(2),
    x.sys_s === null ? '-' : x.sys_s.toFixed(2),
    x.peak_rss_MiB === null ? '-' : x.peak_rss_MiB.toFixed(0),
  ]);
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => '| ' + cells.map((c, i) => (i === 0 ? c.padEnd(width[i]) : c.padStart(width[i]))).join(' | ') + ' |';
  console.log(`\n${meta.clusters} clusters, ${meta.resources} federated resources, ${meta.expectedDocs} objects (seed ${opt.seed}); ` +
    `median of ${opt.runs} run${opt.runs > 1 ? 's' : ''}; node ${process.version}, ${os.cpus().length} CPUs\n`);
  console.log(line(head));
  console.log('|' + width.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') + '|');
  for (const row of rows) console.log(line(row));
  console.log(`\nfedc cold / floor: ${ratio}x`);
  for (const x of results) console.log(`  ${x.name}: ${x.command}`);

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
    timer: fs.existsSync(GNU_TIME) ? `${GNU_TIME} -f '%e %U %S %M'` : 'spawn + /proc VmHWM polling',
    tmpdir: opt.tmpdir,
    workload: {
      clusters: meta.clusters,
      resources: meta.resources,
      seed: opt.seed,
      expectedDocs: meta.expectedDocs,
      fedMB: round(meta.fedBytes / 1e6, 2),
      generator: `node ../shared/bench/gen-workload.mjs REPO --clusters ${opt.clusters} --resources ${opt.resources} --seed ${opt.seed}`,
    },
    runs: opt.runs,
    results,
    ratio_cold_to_floor: ratio,
    checks,
  };
  fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
  fs.writeFileSync(RESULTS, JSON.stringify(report, null, 2) + '\n');
  console.log(`\nwrote ${path.relative(process.cwd(), RESULTS)}`);
  if (checks.some((c) => !c.ok)) process.exitCode = 1;
} catch (err) {
  if (!(err instanceof BenchError)) throw err;
  console.error(`render-bench: ${err.message}`);
  process.exitCode = 1;
} finally {
  if (opt.keep) console.error(`kept ${tmp} (REPO: $TMP/repo)`);
  else fs.rmSync(tmp, { recursive: true, force: true });
}
