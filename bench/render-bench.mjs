#!/usr/bin/env node
// render-bench.mjs: fedc's benchmark (`npm run bench`), whole processes, each against a floor
// measured in the same run. Everything it uses is in this repository (and `kubectl`, when on PATH,
// for the kustomize floor).
//
//   node bench/render-bench.mjs [--clusters 100] [--resources 2000] [--seed 42] [--runs 3]
//                               [--kustomize | --no-kustomize] [--no-snapshot] [--keep] [--tmpdir DIR]
//   node bench/render-bench.mjs --suite [--large] [--large-runs 1] [--seed 42] [--runs 3]
//                               [--no-kustomize] [--no-snapshot] [--keep] [--tmpdir DIR]
//
// One workload (the first form), or the suite (--suite): 20 clusters x 500 resources, 100 x 2000
// and, with --large, 200 x 10000 (minutes: it only times the cold --layout manifest render, with
// --large-runs runs, default 1). Each workload is generated with bench/gen-workload.mjs into a
// temp dir (--tmpdir DIR: where; e.g. /dev/shm takes the disk out of the numbers); fedc's output on
// it is checked (uncounted runs), then, round after round, each case is timed as the median of
// --runs runs (wall time, user and system CPU, peak RSS, by /usr/bin/time):
//   cold             fedc render REPO -o OUT                    OUT new and empty, FEDC_NO_CACHE=1
//   manifest         fedc render REPO -o OUT --layout manifest  the same, one manifest per cluster
//   no change        fedc render REPO -o OUT                    OUT up to date, compile cache warm
//   no change, no cache   the same with FEDC_NO_CACHE=1
//   one override     fedc render REPO -o OUT                    after one override value was edited
//                    (OUT up to date and the cache warm before the edit; each run a new value)
//   diff             fedc diff REPO                             the workload is a git repo; one override
//                    edited in the work tree; HEAD's compile in the cache from an earlier diff
//                    (uncounted), the work tree's new (each run a new value): a user's next diff
//                    after another edit. Its output is checked to show that change.
//   stdout           fedc render REPO --stdout --cluster C      largest cluster, an empty cache dir
//   stdout, seen     the same, inputs seen before (compile cache warm)
// against the floors (bench/floors.mjs, cp, kubectl):
//   yaml files       parse every input with yaml, stringify every placed document, write one file each
//   yaml stream      the same, one manifest.yaml per cluster
//   yaml stdout      the same for cluster C only, to stdout
//   cp -R            copy a rendered output tree (one file per object) into an empty directory
//   hash             read and sha256 every input file
//   kustomize        `kubectl kustomize overlays/<cluster>` for every cluster, one after another,
//                    output to /dev/null (the generator's overlays build what fedc must write);
//                    by default at up to 10,000 objects in the one-workload form, at 20 x 500 in the suite
//   node -e 0        Node starting and exiting, which every fedc run pays first
// Where NODE_EXTRA_CA_CERTS is set (Node 20 reads that file at every start), the workload with the
// kustomize floor also times the manifest render and node -e 0 with it unset, and checks that render
// wrote the same bytes; every other row runs with the environment as it is.
// Every run uses its own compile cache directory under the temp dir (FEDC_CACHE_DIR), never the
// user's; the rows that claim a cache hit are checked to have added no cache entry. The fedc
// measured is a copy of dist/ taken at the start ($BUILD; --no-snapshot runs dist/ itself), so a
// rebuild in the tree meanwhile neither mixes builds nor invalidates the cache mid-run. Prints each workload's cases and ratios, then the table "issue 13 targets" (each figure
// of the performance issue: measured, target, met or not), and writes bench/results/latest.json.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The fedc that is measured: a copy of dist/ taken at the start (see snapshotBuild), or dist/ itself with --no-snapshot. */
let BUILD = ROOT;
let CLI = path.join(ROOT, 'dist/cli/main.cjs');
const GEN = path.join(ROOT, 'bench/gen-workload.mjs');
const FLOORS = path.join(ROOT, 'bench/floors.mjs');
const GNU_TIME = '/usr/bin/time';
const RESULTS = path.join(ROOT, 'bench/results/latest.json');
const NODE = process.execPath;
/** Whether the environment names extra CA certificates for Node (see the "without NODE_EXTRA_CA_CERTS" rows). */
const EXTRA_CA = Boolean(process.env.NODE_EXTRA_CA_CERTS);
/** In the one-workload form, the kustomize floor runs by default up to this many objects (it takes ~1 ms each). */
const KUSTOMIZE_AUTO_MAX_DOCS = 10000;

/** The suite's workloads: the sizes the issue's figures are stated at. */
const SUITE = [
  { clusters: 20, resources: 500, profile: 'full', kustomize: true },
  { clusters: 100, resources: 2000, profile: 'full', kustomize: false },
  { clusters: 200, resources: 10000, profile: 'scale', kustomize: false, large: true },
];

// ---------------------------------------------------------------- options
function parseArgs(argv) {
  const o = {
    clusters: undefined, resources: undefined, seed: 42, runs: 3, largeRuns: 1, keep: false, tmpdir: os.tmpdir(),
    suite: false, large: false, kustomize: 'auto', snapshot: true,
  };
  const int = (flag, v, min = 1) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) usage(`${flag} needs an integer >= ${min}, got ${v ?? 'nothing'}`);
    return n;
  };
  let largeRunsGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--clusters') o.clusters = int(a, argv[++i]);
    else if (a === '--resources') o.resources = int(a, argv[++i]);
    else if (a === '--seed') o.seed = int(a, argv[++i], 0);
    else if (a === '--runs') o.runs = int(a, argv[++i]);
    else if (a === '--large-runs') {
      o.largeRuns = int(a, argv[++i]);
      largeRunsGiven = true;
    }
    else if (a === '--suite') o.suite = true;
    else if (a === '--large') o.large = true;
    else if (a === '--kustomize') o.kustomize = 'on';
    else if (a === '--no-kustomize') o.kustomize = 'off';
    else if (a === '--keep') o.keep = true;
    else if (a === '--no-snapshot') o.snapshot = false;
    else if (a === '--tmpdir') {
      o.tmpdir = argv[++i];
      if (!o.tmpdir || !fs.existsSync(o.tmpdir)) usage(`--tmpdir needs an existing directory, got ${o.tmpdir ?? 'nothing'}`);
    }
    else if (a === '-h' || a === '--help') usage(null);
    else usage(`unknown argument ${a}`);
  }
  if (o.suite && (o.clusters !== undefined || o.resources !== undefined)) usage('--suite runs its own sizes: no --clusters or --resources with it');
  if (!o.suite && (o.large || largeRunsGiven)) usage('--large and --large-runs go with --suite');
  if (o.suite && o.kustomize === 'on') usage('--suite runs the kustomize floor at 20 x 500 anyway (--no-kustomize to skip it)');
  o.clusters ??= 100;
  o.resources ??= 2000;
  return o;
}
function usage(err) {
  const text = 'usage: node bench/render-bench.mjs [--clusters C] [--resources R] [--seed S] [--runs N] [--kustomize|--no-kustomize] [--no-snapshot] [--keep] [--tmpdir DIR]\n' +
    '       node bench/render-bench.mjs --suite [--large] [--large-runs N] [--seed S] [--runs N] [--no-kustomize] [--no-snapshot] [--keep] [--tmpdir DIR]';
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
  if (r.status !== 0) die(`${[cmd, ...args].map(shown).join(' ')} exited ${r.status}\n${r.stderr}`);
  return r;
}
/** `sh` of a command given as one array, as the cases give theirs. */
const run = (cmd, opts) => sh(cmd[0], cmd.slice(1), opts);

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

/** null when trees a and b hold the same paths with the same bytes, else the first difference. */
function sameTree(a, b) {
  const list = (dir) => fs.readdirSync(dir, { recursive: true }).map(String).sort();
  const [la, lb] = [list(a), list(b)];
  if (la.join('\n') !== lb.join('\n')) return `${shown(a)} and ${shown(b)} list different paths`;
  for (const rel of la) {
    const [pa, pb] = [path.join(a, rel), path.join(b, rel)];
    if (fs.statSync(pa).isFile() && !fs.readFileSync(pa).equals(fs.readFileSync(pb))) return `${shown(pa)} differs`;
  }
  return null;
}

/** Documents in a YAML stream: those that hold a `kind:` line at the top level. */
const countDocs = (text) => (text.match(/^kind: /gm) || []).length;

const median = (xs) => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};
const round = (x, d = 3) => (x === null || x === undefined || Number.isNaN(x) ? null : +x.toFixed(d));

/**
 * One timed whole-process run: wall seconds, user and system CPU seconds, peak RSS in MiB.
 * With GNU time (`/usr/bin/time -f '%U %S %M'`): the user/system split matters here, as
 * writing tens of thousands of files is mostly system time. Without it (a minimal image, macOS):
 * spawn and poll /proc/<pid>/status for VmHWM where there is a /proc, wall time only otherwise.
 * Wall time is this process's clock around the spawn, to the microsecond: GNU time's `%e` has
 * 10 ms steps, 5% of a 0.2 s render. Spawning GNU time costs about 2 ms of it, in every row alike.
 */
function timeOnce(cmd) {
  if (!hasGnuTime) return pollOnce(cmd);
  const tf = path.join(tmp, 'time.txt');
  const t0 = process.hrtime.bigint();
  const r = spawnSync(GNU_TIME, ['-f', '%U %S %M', '-o', tf, ...cmd], {
    cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 1 << 30,
  });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.error) die(`${GNU_TIME}: ${r.error.message}`);
  if (r.status !== 0) die(`${cmd.map(shown).join(' ')} exited ${r.status}\n${r.stderr}`);
  const [user, sys, kib] = fs.readFileSync(tf, 'utf8').trim().split('\n').pop().split(/\s+/).map(Number);
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
 * alike. cmd(i) gives the command of run i (each writing run gets its own fresh output directory);
 * before(i) and after(i), when a case has them, run uncounted around its timed run (an edit of
 * the inputs and its undoing).
 */
function measureAll(cases, runs) {
  const rows = cases.map(() => []);
  for (let i = 0; i < runs; i++) {
    cases.forEach((c, k) => {
      c.before?.(i);
      const cacheDir = c.cache?.(i);
      const had = cacheDir ? new Set(cacheEntries(cacheDir)) : null;
      flush();
      const r = timeOnce(c.cmd(i));
      // Entries a run added to its compile cache: 0 on a hit (a hit writes no entry), else the misses it stored.
      if (had) r.cacheNew = cacheEntries(cacheDir).filter((n) => !had.has(n)).length;
      c.after?.(i);
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
    ...(c.note ? { note: c.note } : {}),
    runs: rows.length,
    wall_s: { median: round(median(wall)), min: round(Math.min(...wall)), max: round(Math.max(...wall)) },
    user_s: user.length ? round(median(user)) : null,
    sys_s: sys.length ? round(median(sys)) : null,
    peak_rss_MiB: rss.length ? round(median(rss), 1) : null,
    peak_rss_max_MiB: rss.length ? round(Math.max(...rss), 1) : null,
    all_wall_s: wall.map((x) => round(x)),
    ...(c.cache ? { cache_entries_added: rows.map((r) => r.cacheNew) } : {}),
  };
}

/** A markdown table; `left` holds the indexes of the left-aligned (text) columns, the others are numbers. */
function table(head, rows, left = [0]) {
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => '| ' + cells.map((c, i) => (left.includes(i) ? c.padEnd(width[i]) : c.padStart(width[i]))).join(' | ') + ' |';
  const rule = '|' + width.map((w, i) => (left.includes(i) ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') + '|';
  return [line(head), rule, ...rows.map(line)].join('\n');
}

/** The current workload's temp dir: time.txt goes there, and commands show it as $TMP. */
let tmp = null;
/** A command argument as the report shows it: temp paths as $TMP, others relative to the repo. */
function shown(a) {
  a = String(a);
  if (a === NODE) return 'node';
  if (BUILD !== ROOT && a.includes(BUILD)) a = a.split(BUILD).join('$BUILD');
  if (tmp && a.includes(tmp)) a = a.split(tmp).join('$TMP');
  else if (path.isAbsolute(a) && !path.relative(ROOT, a).startsWith('..')) a = path.relative(ROOT, a) || '.';
  return /[\s'"|;&<>]/.test(a) ? `'${a.replace(/'/g, `'\\''`)}'` : a;
}

/** The prefix of a command that runs with the compile cache on, in the given directory. */
const cached = (dir) => ['env', '-u', 'FEDC_NO_CACHE', `FEDC_CACHE_DIR=${dir}`];

/** git for the workload repo: no user or system config, a fixed author and date (the same commit every time). */
const GIT_ENV = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'fedc bench', GIT_AUTHOR_EMAIL: 'bench@fedc.invalid', GIT_AUTHOR_DATE: '2000-01-01T00:00:00Z',
  GIT_COMMITTER_NAME: 'fedc bench', GIT_COMMITTER_EMAIL: 'bench@fedc.invalid', GIT_COMMITTER_DATE: '2000-01-01T00:00:00Z',
};
const git = (repo, ...args) => sh('git', ['-C', repo, ...args], { env: GIT_ENV });

/** YAML as gen-workload.mjs writes it: re-stringifying one of its documents gives back its bytes. */
const toYaml = (v) => stringifyYaml(v, { version: '1.1', aliasDuplicateObjects: false, lineWidth: 0 });

/**
 * The edit "one override changed": the first (in path order) `/spec/replicas` override of a
 * FederatedDeployment under namespaces/. It changes that value only, nothing else in the file
 * (the document is re-stringified as the generator wrote it, which must give back its bytes).
 */
function findReplicasOverride(repo) {
  const files = fs.readdirSync(path.join(repo, 'namespaces'), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.yaml'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
  for (const file of files) {
    const original = fs.readFileSync(file, 'utf8');
    const docs = original.split(/^---\n/m);
    for (let d = 0; d < docs.length; d++) {
      if (!docs[d].includes('path: /spec/replicas')) continue;
      const v = parseYaml(docs[d], { version: '1.1' });
      if (v?.kind !== 'FederatedDeployment' || !Array.isArray(v.spec?.overrides)) continue;
      for (let k = 0; k < v.spec.overrides.length; k++) {
        const ops = v.spec.overrides[k].clusterOverrides ?? [];
        const j = ops.findIndex((o) => o.path === '/spec/replicas' && (o.op ?? 'replace') === 'replace' && Number.isInteger(o.value));
        if (j < 0) continue;
        if (toYaml(v) !== docs[d]) die(`${file}: document ${d + 1} does not read back as gen-workload.mjs wrote it; cannot edit one value in it`);
        const rel = path.relative(repo, file);
        return {
          file, rel, original,
          name: v.metadata.name, namespace: v.metadata.namespace, cluster: v.spec.overrides[k].clusterName, old: ops[j].value,
          describe: `${rel}: ${v.metadata.name}'s override for ${v.spec.overrides[k].clusterName}, /spec/replicas ${ops[j].value} -> the run's value`,
          /** Writes the file with that value set to `value`. */
          apply(value) {
            const w = structuredClone(v);
            w.spec.overrides[k].clusterOverrides[j].value = value;
            fs.writeFileSync(file, docs.map((t, i) => (i === d ? toYaml(w) : t)).join('---\n'));
          },
          restore() {
            fs.writeFileSync(file, original);
          },
        };
      }
    }
  }
  die('no FederatedDeployment in the workload overrides /spec/replicas: nothing to edit for the one-override cases');
}

/** `kubectl version --client`, first line, or null when kubectl is not on PATH. */
function kubectlVersion() {
  const r = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return null;
  return r.stdout.trim().split('\n').join('; ');
}

/** Sizes and times of every file under dir, hashed: what fedc's compile cache keys its own code by. */
function fingerprint(dir) {
  const h = createHash('sha256');
  const entries = fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name)).sort();
  for (const f of entries) {
    const st = fs.statSync(f);
    h.update(`${path.relative(dir, f)}\0${st.size}\0${st.mtimeMs}\n`);
  }
  return h.digest('hex');
}

/**
 * A copy of the built fedc (dist/, schemas/, package.json; node_modules linked), as the npm package
 * lays it out, that every run of this bench uses: the tree is shared, and a rebuild of dist/ in the
 * middle of a run would otherwise mix two builds in one table, fail a run while half written, and
 * make every compile-cache row miss (the cache keys fedc's code by its files' sizes and times).
 * Taken again when dist/ changed while it was copied, or when the copy does not start.
 */
function snapshotBuild(base) {
  const dist = path.join(ROOT, 'dist');
  for (let attempt = 1; attempt <= 6; attempt++) {
    const before = fingerprint(dist);
    const snap = fs.mkdtempSync(path.join(base, 'fedc-bench-build-'));
    fs.cpSync(dist, path.join(snap, 'dist'), { recursive: true });
    fs.cpSync(path.join(ROOT, 'schemas'), path.join(snap, 'schemas'), { recursive: true });
    fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(snap, 'package.json'));
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(snap, 'node_modules'), 'dir');
    const stable = fingerprint(dist) === before;
    const starts = stable && spawnSync(NODE, [path.join(snap, 'dist/cli/main.cjs'), '--version'], { encoding: 'utf8' }).status === 0;
    if (stable && starts) return { dir: snap, distFingerprint: before, attempts: attempt };
    fs.rmSync(snap, { recursive: true, force: true });
    process.stderr.write(`render-bench: dist/ ${stable ? 'does not start' : 'changed while it was copied'}; trying again in 10 s\n`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10_000);
  }
  console.error('render-bench: could not take a working copy of dist/ (is a build running, or failing?)');
  process.exit(1);
}

/** The compile cache's entries in dir (none when it does not exist). */
const cacheEntries = (dir) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => /^[0-9a-f]{64}\.bin$/.test(n)) : []);

// ---------------------------------------------------------------- one workload
/**
 * Generates a workload, checks fedc on it, times its cases, prints its tables; returns its report.
 * w: {clusters, resources, profile: 'full' | 'scale', kustomize}; 'scale' times the cold
 * --layout manifest render only (figure 5), its output checked after the runs.
 */
function benchWorkload(w, runs) {
  tmp = fs.mkdtempSync(path.join(path.resolve(opt.tmpdir), 'fedc-bench-'));
  const label = `${w.clusters} x ${w.resources}`;
  const checks = [];
  const notes = [];
  const check = (what, ok, detail) => {
    checks.push({ what, ok, detail });
    if (!ok) console.error(`render-bench: CHECK FAILED (${label}): ${what}: ${detail}`);
  };
  // Every run compiles without the compile cache but those that measure it, each in a directory of
  // this run; FEDC_CACHE_DIR is set for all, so that nothing ever reads or writes the user's cache.
  process.env.FEDC_NO_CACHE = '1';
  process.env.FEDC_CACHE_DIR = path.join(tmp, 'cache-unused');
  const REPO = path.join(tmp, 'repo');
  // Every writing run gets a fresh, empty output directory, and nothing is deleted until the end:
  // on ext4, creating tens of thousands of files right after deleting as many makes the inode
  // allocator scan the recently deleted inodes (recently_deleted/find_inode_bit in the kernel),
  // which made `rm -rf OUT && render` runs 2-3x slower, and slower run after run.
  const OUT_WARM = path.join(tmp, 'out');
  const OUT_EDIT = path.join(tmp, 'out-edit');
  const fresh = (what) => (i) => path.join(tmp, `${what}-${i}`);
  const OUT_COLD = fresh('out-cold');
  const OUT_MANIFEST = fresh('out-manifest');
  const OUT_MANIFEST_NO_CA = fresh('out-manifest-no-ca');
  const FLOOR_FILES = fresh('floor-files');
  const FLOOR_STREAM = fresh('floor-stream');
  const FLOOR_COPY = fresh('floor-copy');
  const CACHE_EMPTY = fresh('cache-empty');
  const CACHE = path.join(tmp, 'cache');
  const DIGESTS = path.join(tmp, 'digests.json');
  const genArgs = ['--clusters', String(w.clusters), '--resources', String(w.resources), '--seed', String(opt.seed)];
  const report = {
    workload: { generator: `node bench/gen-workload.mjs REPO ${genArgs.join(' ')}`, clusters: w.clusters, resources: w.resources, seed: opt.seed, profile: w.profile },
    runs,
    ok: false,
  };
  let edit = null;
  try {
    process.stderr.write(`\nworkload: ${label}, seed ${opt.seed} in ${tmp}\n`);
    sh(NODE, [GEN, REPO, ...genArgs]);
    const meta = JSON.parse(fs.readFileSync(path.join(REPO, 'meta.json'), 'utf8'));
    Object.assign(report.workload, { expectedDocs: meta.expectedDocs, inputFiles: meta.inputFiles, inputMB: round(meta.inputBytes / 1e6, 2) });
    const render = [NODE, CLI, 'render', REPO];
    const floor = (...args) => [NODE, FLOORS, ...args];
    const manifestCase = {
      id: 'manifest', name: 'fedc render --layout manifest, cold', cmd: (i) => [...render, '-o', OUT_MANIFEST(i), '--layout', 'manifest'],
      note: 'a new, empty output directory; no compile cache (FEDC_NO_CACHE=1)',
    };
    let cases;
    let kustomize = false;

    if (w.profile === 'scale') {
      cases = [manifestCase];
    } else {
      // ---- uncounted runs that check what is measured
      sh(NODE, [CLI, 'render', REPO, '-o', OUT_WARM]);
      const files = countObjectFiles(path.join(OUT_WARM, 'clusters'));
      check('object files written = meta.json expectedDocs', files === meta.expectedDocs, `${files} files, ${meta.expectedDocs} expected`);
      const clusterDirs = fs.readdirSync(path.join(OUT_WARM, 'clusters')).length;
      check('one directory per cluster', clusterDirs === meta.clusters, `${clusterDirs} directories, ${meta.clusters} clusters`);

      let r = sh(NODE, [CLI, 'render', REPO, '-o', OUT_WARM]);
      let summary = r.stdout.trim().split('\n').pop();
      check('a second render changes nothing', / 0 added, 0 changed, 0 removed, /.test(summary), summary);
      // The compile cache, warmed for the "nothing changed" row: the same render with the cache on.
      run([...cached(CACHE), ...render, '-o', OUT_WARM]);
      r = run([...cached(CACHE), ...render, '-o', OUT_WARM]);
      summary = r.stdout.trim().split('\n').pop();
      check('a render with the cache warm changes nothing', / 0 added, 0 changed, 0 removed, /.test(summary), summary);

      // The largest cluster: the worst case of the Argo CD plugin's per-refresh call.
      const [cluster, docs] = Object.entries(meta.perClusterDocs).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
      r = sh(NODE, [CLI, 'render', REPO, '--stdout', '--cluster', cluster]);
      check(`--stdout --cluster ${cluster} prints its objects`, countDocs(r.stdout) === docs, `${countDocs(r.stdout)} documents, ${docs} expected`);
      r = run([...cached(CACHE), ...render, '--stdout', '--cluster', cluster]); // warms the cache for "seen before"
      check(`--stdout --cluster ${cluster} with the cache prints its objects`, countDocs(r.stdout) === docs, `${countDocs(r.stdout)} documents, ${docs} expected`);

      sh(NODE, [CLI, 'render', REPO, '-o', OUT_MANIFEST('check'), '--layout', 'manifest']);
      const inManifests = countManifestDocs(OUT_MANIFEST('check'));
      check('manifest layout holds expectedDocs objects', inManifests === meta.expectedDocs, `${inManifests} documents, ${meta.expectedDocs} expected`);

      run(floor('yaml', REPO, FLOOR_FILES('check')));
      const floorFiles = countObjectFiles(FLOOR_FILES('check'));
      check('yaml floor wrote expectedDocs files', floorFiles === meta.expectedDocs, `${floorFiles} files, ${meta.expectedDocs} expected`);
      run(floor('yaml', REPO, FLOOR_STREAM('check'), '--layout', 'stream'));
      const floorStream = countManifestDocs(FLOOR_STREAM('check'));
      check('yaml stream floor wrote expectedDocs documents', floorStream === meta.expectedDocs, `${floorStream} documents, ${meta.expectedDocs} expected`);
      r = run(floor('yaml', REPO, '--stdout', '--cluster', cluster));
      check(`yaml stdout floor prints ${cluster}'s objects`, countDocs(r.stdout) === docs, `${countDocs(r.stdout)} documents, ${docs} expected`);
      r = run(floor('hash', REPO, DIGESTS));
      const hashed = JSON.parse(r.stdout);
      check('hash floor read every input file', hashed.files === meta.inputFiles, `${hashed.files} files, ${meta.inputFiles} inputs`);
      r = run(floor('hash', REPO, DIGESTS));
      check('hash floor finds nothing changed', JSON.parse(r.stdout).changed === 0, r.stdout.trim());

      // ---- one override changed: the edit, and what a render and a diff make of it
      edit = findReplicasOverride(REPO);
      notes.push(`one override changed: ${edit.describe}`);
      const objectFile = path.join(OUT_EDIT, 'clusters', edit.cluster, 'namespaces', edit.namespace, `deployment-${edit.name}.yaml`);
      const renderEdit = [...cached(CACHE), ...render, '-o', OUT_EDIT];
      run(renderEdit); // OUT_EDIT up to date, the cache warm for the unedited inputs
      edit.apply(1998);
      r = run(renderEdit);
      summary = r.stdout.trim().split('\n').pop();
      check('a render after one override changed changes one file', / 0 added, 1 changed, 0 removed, /.test(summary), summary);
      const written = fs.existsSync(objectFile) ? fs.readFileSync(objectFile, 'utf8') : '';
      check('... and writes the new value', /^ {2}replicas: 1998$/m.test(written), `${shown(objectFile)}${written ? '' : ' is missing'}`);
      edit.restore();
      r = run(renderEdit);
      summary = r.stdout.trim().split('\n').pop();
      check('... and the undone edit changes it back', / 0 added, 1 changed, 0 removed, /.test(summary), summary);

      // The workload as a git repo for `fedc diff` (the output directories are beside it, not in it).
      git(REPO, 'init', '-q', '-b', 'main');
      git(REPO, 'add', '-A');
      git(REPO, 'commit', '-q', '-m', 'bench workload');
      report.workload.gitHead = git(REPO, 'rev-parse', 'HEAD').stdout.trim();
      const diff = (i) => [...cached(CACHE), NODE, CLI, 'diff', REPO, '--no-color'];
      edit.apply(2998);
      r = run(diff('check')); // also puts HEAD's compile into the cache, as a user's first diff does
      const out = r.stdout;
      const ok = out.includes(`Deployment ${edit.namespace}/${edit.name}: changed, on ${edit.cluster}`) &&
        new RegExp(`^-\\s+replicas: ${edit.old}$`, 'm').test(out) && /^\+\s+replicas: 2998$/m.test(out) &&
        /: 0 objects added, 1 changed, 0 removed/.test(out);
      check(`fedc diff shows the change (${edit.namespace}/${edit.name} on ${edit.cluster}, replicas ${edit.old} -> 2998) and nothing else`, ok,
        ok ? out.trim().split('\n').pop() : `its output:\n${out}`);
      edit.restore();
      const status = git(REPO, 'status', '--porcelain').stdout.trim();
      check('the workload repo is clean (no output inside it, the edit undone)', status === '', status || 'clean');

      // ---- kubectl kustomize, the floor of figure 2: what it builds is fedc's output
      const kversion = kubectlVersion();
      report.kubectl = kversion;
      const wanted = w.kustomize === 'auto' ? meta.expectedDocs <= KUSTOMIZE_AUTO_MAX_DOCS : w.kustomize;
      if (wanted && !kversion) notes.push('kustomize floor skipped: kubectl is not on PATH');
      else if (!wanted) {
        notes.push(w.kustomize === 'auto'
          ? `kustomize floor skipped: ${meta.expectedDocs} objects, over ${KUSTOMIZE_AUTO_MAX_DOCS} (--kustomize runs it anyway; about 1 ms per object)`
          : 'kustomize floor not run here');
      } else {
        kustomize = true;
        let bad = [];
        for (const c of Object.keys(meta.perClusterDocs)) {
          const k = sh('kubectl', ['kustomize', '--load-restrictor', 'LoadRestrictionsNone', path.join(REPO, 'overlays', c)]);
          if (countDocs(k.stdout) !== meta.perClusterDocs[c]) bad.push(`${c}: ${countDocs(k.stdout)} of ${meta.perClusterDocs[c]}`);
        }
        check('kubectl kustomize builds every overlay with its expected objects', bad.length === 0, bad.join(', ') || `${meta.clusters} overlays`);
      }

      // ---- measured
      const sameCold = 'as its fedc row: each run a new, empty output directory, no cache';
      cases = [
        { id: 'cold', name: 'fedc render, cold', cmd: (i) => [...render, '-o', OUT_COLD(i)], note: 'a new, empty output directory; no compile cache (FEDC_NO_CACHE=1)' },
        manifestCase,
        { id: 'noChange', name: 'fedc render, nothing changed (compile cache)', cmd: () => [...cached(CACHE), ...render, '-o', OUT_WARM], cache: () => CACHE, note: 'the output directory up to date, the cache warm for these inputs' },
        { id: 'noChangeNoCache', name: 'fedc render, nothing changed, no cache', cmd: () => [...render, '-o', OUT_WARM], note: 'the output directory up to date; FEDC_NO_CACHE=1' },
        {
          id: 'override', name: 'fedc render, one override changed', cmd: () => renderEdit, cache: () => CACHE,
          note: `before each run (uncounted): edit undone, \`${renderEdit.map(shown).join(' ')}\` (output up to date, cache warm), then ${edit.rel}: /spec/replicas of ${edit.name} for ${edit.cluster} set to 2000+run (a value never rendered before); undone after`,
          before: (i) => {
            edit.restore();
            run(renderEdit);
            edit.apply(2000 + i);
          },
          after: (i) => {
            // The timed run did render the edit (read before it is undone).
            const text = fs.existsSync(objectFile) ? fs.readFileSync(objectFile, 'utf8') : '';
            if (!new RegExp(`^ {2}replicas: ${2000 + i}$`, 'm').test(text)) die(`the timed render after the edit did not write replicas ${2000 + i} to ${shown(objectFile)}`);
            edit.restore();
          },
        },
        {
          id: 'diff', name: 'fedc diff, one override changed', cmd: diff, cache: () => CACHE,
          note: `HEAD's compile in the cache (from the checked diff before, uncounted); ${edit.rel}: /spec/replicas of ${edit.name} for ${edit.cluster} set to 3000+run in the work tree (never seen before), undone after: a user's next diff after another edit`,
          before: (i) => edit.apply(3000 + i),
          after: () => edit.restore(),
        },
        { id: 'stdout', name: `fedc render --stdout --cluster (1 of ${meta.clusters})`, cmd: (i) => [...cached(CACHE_EMPTY(i)), ...render, '--stdout', '--cluster', cluster], cache: CACHE_EMPTY, note: 'inputs not seen before: cache on, a new empty cache directory each run' },
        { id: 'stdoutSeen', name: 'the same, inputs seen before (compile cache)', cmd: () => [...cached(CACHE), ...render, '--stdout', '--cluster', cluster], cache: () => CACHE, note: 'the cache warm for these inputs' },
        { id: 'yamlFiles', name: 'floor: yaml, one file per object', cmd: (i) => floor('yaml', REPO, FLOOR_FILES(i)), note: sameCold },
        { id: 'yamlStream', name: 'floor: yaml, one manifest per cluster', cmd: (i) => floor('yaml', REPO, FLOOR_STREAM(i), '--layout', 'stream'), note: sameCold },
        { id: 'yamlStdout', name: 'floor: yaml, one cluster to stdout', cmd: () => floor('yaml', REPO, '--stdout', '--cluster', cluster) },
        { id: 'copy', name: 'floor: cp -R of the rendered tree', cmd: (i) => ['cp', '-R', OUT_WARM, FLOOR_COPY(i)] },
        { id: 'hash', name: 'floor: read and sha256 every input', cmd: () => floor('hash', REPO, DIGESTS) },
        { id: 'nodeStart', name: 'floor: node -e 0 (Node starting and exiting)', cmd: () => [NODE, '-e', '0'] },
      ];
      if (EXTRA_CA && kustomize) {
        // Node 20 reads the file NODE_EXTRA_CA_CERTS names at every start, before any of fedc runs
        // (Node 22 does not); fedc opens no TLS connection. Measured apart so the two costs are seen.
        const noCa = ['env', '-u', 'NODE_EXTRA_CA_CERTS'];
        cases.push(
          { ...manifestCase, id: 'manifestNoCa', name: `${manifestCase.name}, without NODE_EXTRA_CA_CERTS`, cmd: (i) => [...noCa, ...render, '-o', OUT_MANIFEST_NO_CA(i), '--layout', 'manifest'] },
          { id: 'nodeStartNoCa', name: 'floor: node -e 0 without NODE_EXTRA_CA_CERTS', cmd: () => [...noCa, NODE, '-e', '0'] },
        );
        notes.push('NODE_EXTRA_CA_CERTS is set here: every row runs with it, as a user\'s shell would; the two rows "without NODE_EXTRA_CA_CERTS" unset it');
      }
      if (kustomize) {
        cases.push({
          id: 'kustomize', name: `floor: kubectl kustomize, ${meta.clusters} overlays in turn`,
          cmd: () => ['sh', '-c', 'for d in "$1"/overlays/*/; do kubectl kustomize --load-restrictor LoadRestrictionsNone "$d" > /dev/null || exit 1; done', 'sh', REPO],
          note: 'one kubectl process per overlay, one after another, start-up included, output to /dev/null',
        });
      }
    }

    const results = measureAll(cases, runs);
    if (results.diff) {
      const added = results.diff.cache_entries_added;
      check('every timed fedc diff found HEAD in the cache (it added at most the work tree\'s entry)', added.every((n) => n <= 1), `entries added per run: ${added.join(', ')}`);
    }
    for (const id of ['noChange', 'stdoutSeen']) {
      if (!results[id]) continue;
      const added = results[id].cache_entries_added;
      check(`every timed run of "${results[id].name}" was a compile-cache hit (it added no entry)`, added.every((n) => n === 0), `entries added per run: ${added.join(', ')}`);
    }
    if (results.cold) {
      const cold = countObjectFiles(path.join(OUT_COLD(0), 'clusters'));
      check('cold run wrote expectedDocs object files', cold === meta.expectedDocs, `${cold} files, ${meta.expectedDocs} expected`);
      const copied = countObjectFiles(FLOOR_COPY(0));
      check('cp -R copied every object file', copied === meta.expectedDocs, `${copied} files, ${meta.expectedDocs} expected`);
    }
    const inManifests = countManifestDocs(OUT_MANIFEST(0));
    check('cold --layout manifest run wrote expectedDocs objects', inManifests === meta.expectedDocs, `${inManifests} documents, ${meta.expectedDocs} expected`);
    if (results.manifestNoCa) {
      const same = sameTree(OUT_MANIFEST(0), OUT_MANIFEST_NO_CA(0));
      check('the render without NODE_EXTRA_CA_CERTS wrote the same bytes', same === null, same ?? 'identical');
    }

    const RATIOS = [
      ['cold', 'yamlFiles', 'parse + stringify every placed copy + write, with yaml'],
      ['cold', 'copy', 'cp -R of the same tree'],
      ['manifest', 'yamlStream', 'the yaml floor, one manifest per cluster'],
      ['manifest', 'kustomize', 'kubectl kustomize of every overlay, one after another'],
      ['manifestNoCa', 'kustomize', 'kubectl kustomize of every overlay, one after another'],
      ['cold', 'kustomize', 'kubectl kustomize of every overlay, one after another'],
      ['noChange', 'hash', 'read and sha256 every input'],
      ['noChangeNoCache', 'hash', 'read and sha256 every input'],
      ['override', 'cold', 'a cold render (one file per object, no cache)'],
      ['diff', 'cold', 'a cold render (one file per object, no cache)'],
      ['stdout', 'yamlStdout', 'the yaml floor for that one cluster'],
      ['stdoutSeen', 'yamlStdout', 'the yaml floor for that one cluster'],
    ];
    const ratios = RATIOS.filter(([a, b]) => results[a] && results[b]).map(([what, against, floorIs]) => ({
      id: `${what}/${against}`,
      fedc: results[what].name,
      floor: results[against].name,
      floorIs,
      fedc_s: results[what].wall_s.median,
      floor_s: results[against].wall_s.median,
      ratio: round(results[what].wall_s.median / results[against].wall_s.median, 3),
    }));
    const perDoc = { manifest_us_per_doc: round((results.manifest.wall_s.median / meta.expectedDocs) * 1e6, 2) };
    if (results.cold) perDoc.cold_us_per_doc = round((results.cold.wall_s.median / meta.expectedDocs) * 1e6, 2);

    // ---- report
    const fmt = (x, d = 2) => (x === null || x === undefined ? '-' : x.toFixed(d));
    console.log(`\n## ${label}: ${meta.clusters} clusters, ${meta.resources} federated resources, ${meta.expectedDocs} objects from ` +
      `${(meta.inputBytes / 1e6).toFixed(1)} MB in ${meta.inputFiles} files (seed ${opt.seed}); median of ${runs} run${runs > 1 ? 's' : ''}; ` +
      `node ${process.version}, ${os.cpus().length} CPUs${hasGnuTime ? '' : '; no GNU time: wall and polled peak RSS only'}\n`);
    console.log(table(['what', 'wall s', 'min-max s', 'user s', 'sys s', 'peak RSS MiB'], Object.values(results).map((x) => [
      x.name, fmt(x.wall_s.median, 3), `${fmt(x.wall_s.min, 3)}-${fmt(x.wall_s.max, 3)}`, fmt(x.user_s), fmt(x.sys_s), fmt(x.peak_rss_MiB, 0),
    ])));
    console.log('');
    if (ratios.length) {
      console.log(table(['fedc', 'wall s', 'its floor', 'wall s', 'ratio'], ratios.map((x) => [x.fedc, fmt(x.fedc_s, 3), x.floorIs, fmt(x.floor_s, 3), `${fmt(x.ratio, 3)}x`]), [0, 2]));
      console.log('');
    }
    console.log(`  per object: cold --layout manifest ${fmt(perDoc.manifest_us_per_doc, 1)} µs` + (perDoc.cold_us_per_doc ? `, cold one file per object ${fmt(perDoc.cold_us_per_doc, 1)} µs` : ''));
    for (const n of notes) console.log(`  note: ${n}`);
    for (const x of Object.values(results)) {
      const added = x.cache_entries_added ? `; compile-cache entries it added, per run: ${x.cache_entries_added.join(', ')}` : '';
      console.log(`  ${x.name}: ${x.command}${x.note || added ? `\n      (${x.note ?? ''}${added})` : ''}`);
    }

    Object.assign(report, { ok: true, results, ratios, perDoc, notes, checks });
    return report;
  } catch (err) {
    if (!(err instanceof BenchError)) throw err;
    console.error(`render-bench (${label}): ${err.message}`);
    Object.assign(report, { ok: false, error: err.message, notes, checks });
    return report;
  } finally {
    edit?.restore();
    if (opt.keep) console.error(`kept ${tmp} (REPO: $TMP/repo)`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- the issue's figures
/**
 * Each figure of the performance issue (#13): at which size it is stated, its target, and how it
 * is read from the workloads' reports. value(w) gives null when the workload did not measure it.
 */
const ratioOf = (w, id) => w.ratios?.find((r) => r.id === id)?.ratio ?? null;
const FIGURES = [
  { id: '1', what: 'cold render --layout manifest / yaml floor (one manifest per cluster)', size: [100, 2000], max: 0.25, aim: 0.15, unit: 'x', value: (w) => ratioOf(w, 'manifest/yamlStream') },
  { id: '2', what: 'cold render --layout manifest / kubectl kustomize, overlays in turn', size: [20, 500], max: 0.1, unit: 'x', value: (w) => ratioOf(w, 'manifest/kustomize') },
  {
    id: '2 no CA', what: 'the same, fedc run without NODE_EXTRA_CA_CERTS (shown, no target; run only when it is set)', size: [20, 500], unit: 'x',
    value: (w) => ratioOf(w, 'manifestNoCa/kustomize'), only: () => EXTRA_CA,
  },
  { id: '2 files', what: 'cold render, one file per object / kubectl kustomize (shown, no target)', size: [20, 500], unit: 'x', value: (w) => ratioOf(w, 'cold/kustomize') },
  { id: '3 no change', what: 'render, nothing changed, compile cache on / read and sha256 every input', size: [100, 2000], max: 6, aim: 3, unit: 'x', value: (w) => ratioOf(w, 'noChange/hash') },
  { id: '3 no cache', what: 'render, nothing changed, no cache / read and sha256 (shown, no target)', size: [100, 2000], unit: 'x', value: (w) => ratioOf(w, 'noChangeNoCache/hash') },
  { id: '3 override', what: 'render after one override changed (output up to date, cache warm) / cold render', size: [100, 2000], max: 0.3, unit: 'x', value: (w) => ratioOf(w, 'override/cold') },
  { id: '3 diff', what: 'fedc diff, one override changed (HEAD in the cache) / cold render', size: [100, 2000], max: 0.2, unit: 'x', value: (w) => ratioOf(w, 'diff/cold') },
  { id: '4 seen', what: '--stdout --cluster X, inputs seen before (compile cache)', size: [100, 2000], below: 0.4, unit: ' s', value: (w) => w.results?.stdoutSeen?.wall_s.median ?? null },
  { id: '4 new', what: '--stdout --cluster X, inputs not seen before', size: [100, 2000], below: 1, unit: ' s', value: (w) => w.results?.stdout?.wall_s.median ?? null },
  {
    id: '5 per doc', what: 'cold --layout manifest, time per object at 200 x 10000 / at 100 x 2000', size: [200, 10000], max: 1.1, unit: 'x',
    value: (w, all) => {
      const base = all.find((x) => x.ok && x.workload.clusters === 100 && x.workload.resources === 2000);
      return w.perDoc && base?.perDoc ? round(w.perDoc.manifest_us_per_doc / base.perDoc.manifest_us_per_doc, 3) : null;
    },
    detail: (w, all) => {
      const base = all.find((x) => x.ok && x.workload.clusters === 100 && x.workload.resources === 2000);
      return w.perDoc && base?.perDoc ? `${w.perDoc.manifest_us_per_doc} µs vs ${base.perDoc.manifest_us_per_doc} µs` : '';
    },
  },
  { id: '5 RSS', what: 'peak RSS of that render at 200 x 10000 (highest of its runs)', size: [200, 10000], below: 512, unit: ' MiB', value: (w) => w.results?.manifest?.peak_rss_max_MiB ?? null },
];

function targets(reports, suite) {
  return FIGURES.filter((f) => !f.only || f.only()).map((f) => {
    const [c, r] = f.size;
    const target = f.max !== undefined ? `<= ${f.max}${f.unit}${f.aim !== undefined ? ` (aim ${f.aim}${f.unit})` : ''}`
      : f.below !== undefined ? `< ${f.below}${f.unit}` : '-';
    const row = { id: f.id, figure: f.what, issueSize: `${c} x ${r}`, target, measuredAt: null, value: null, unit: f.unit.trim(), status: null };
    // The suite reads each figure at the size the issue states it at; one workload reads all at its size.
    const w = suite ? reports.find((x) => x.workload.clusters === c && x.workload.resources === r) : reports[0];
    if (!w) {
      row.status = 'not measured: needs --suite --large';
      return row;
    }
    row.measuredAt = `${w.workload.clusters} x ${w.workload.resources}`;
    if (!w.ok) {
      row.status = 'not measured: that workload failed';
      return row;
    }
    if (!suite && f.id.startsWith('5')) {
      row.status = 'not measured: needs --suite --large';
      row.measuredAt = null;
      return row;
    }
    row.value = f.value(w, reports);
    if (f.detail) row.detail = f.detail(w, reports);
    if (row.value === null) {
      row.status = f.id.startsWith('2') ? `not measured: ${w.notes?.find((n) => n.startsWith('kustomize')) ?? 'no kustomize floor'}` : 'not measured';
      return row;
    }
    const limit = f.max ?? f.below;
    if (limit === undefined) row.status = 'shown';
    else {
      const met = f.max !== undefined ? row.value <= f.max : row.value < f.below;
      row.met = met;
      row.status = met ? 'met' : 'NOT MET';
      if (f.aim !== undefined) row.status += row.value <= f.aim ? ', aim met' : ', aim not met';
    }
    if (row.measuredAt !== row.issueSize) row.status += ` (at ${row.measuredAt}, the issue's size is ${row.issueSize})`;
    return row;
  });
}

// ---------------------------------------------------------------- main
const opt = parseArgs(process.argv.slice(2));
const hasGnuTime = fs.existsSync(GNU_TIME) && spawnSync(GNU_TIME, ['-f', '%e', 'true'], { stdio: 'ignore' }).status === 0;

if (!fs.existsSync(CLI)) {
  console.error('render-bench: dist/cli/main.cjs is missing: run `npm run build` first');
  process.exit(1);
}
if (newest(path.join(ROOT, 'src'), '.ts') > newest(path.join(ROOT, 'dist'), '.js')) {
  console.error('render-bench: warning: src/ is newer than dist/; run `npm run build` to measure the current code');
}

const build = opt.snapshot ? snapshotBuild(path.resolve(opt.tmpdir)) : null;
if (build) {
  BUILD = build.dir;
  CLI = path.join(BUILD, 'dist/cli/main.cjs');
  process.on('exit', () => {
    if (opt.keep) console.error(`kept ${BUILD} ($BUILD)`);
    else fs.rmSync(BUILD, { recursive: true, force: true });
  });
  console.log(`measuring $BUILD = ${BUILD}: a copy of dist/ (with schemas/ and package.json) taken at the start, so that a rebuild meanwhile changes nothing here (--no-snapshot: run dist/ itself)`);
}
const plan = opt.suite
  ? SUITE.filter((w) => !w.large || opt.large).map((w) => ({ ...w, kustomize: w.kustomize && opt.kustomize !== 'off', runs: w.large ? opt.largeRuns : opt.runs }))
  : [{ clusters: opt.clusters, resources: opt.resources, profile: 'full', kustomize: opt.kustomize === 'auto' ? 'auto' : opt.kustomize === 'on', runs: opt.runs }];
const reports = plan.map((w) => benchWorkload(w, w.runs));
const figures = targets(reports, opt.suite);

const fmtValue = (x) => (x.value === null ? '-' : `${x.value.toFixed(x.unit === 'MiB' ? 0 : 3)}${x.unit === 'x' ? 'x' : ` ${x.unit}`}`);
console.log(`\n## issue 13 targets${opt.suite ? '' : ` (one workload, ${opt.clusters} x ${opt.resources}: every figure read at that size; --suite reads each at its own)`}\n`);
console.log(table(['#', 'figure', 'issue size', 'measured', 'target', 'status'],
  figures.map((x) => [x.id, x.figure + (x.detail ? ` [${x.detail}]` : ''), x.issueSize, fmtValue(x), x.target, x.status]), [0, 1, 2, 5]));

// Which code was measured: HEAD, and any uncommitted change under src/ (dist/ is built from the
// working tree). Read-only git: --no-optional-locks keeps `status` from touching the index.
const rootGit = (...args) => {
  const g = spawnSync('git', ['--no-optional-locks', ...args], { cwd: ROOT, encoding: 'utf8' });
  return g.status === 0 ? g.stdout.trimEnd() : null;
};
const commit = rootGit('rev-parse', 'HEAD');
const uncommitted = rootGit('status', '--porcelain', '--', 'src');
const allChecks = reports.flatMap((w) => (w.checks ?? []).map((c) => ({ workload: `${w.workload.clusters} x ${w.workload.resources}`, ...c })));
const out = {
  date: new Date().toISOString(),
  commit,
  uncommittedSrc: uncommitted === null ? null : uncommitted.split('\n').filter(Boolean),
  node: process.version,
  platform: `${os.platform()} ${os.arch()}`,
  cpus: os.cpus().length,
  timer: hasGnuTime ? `wall: process.hrtime around the spawn; CPU and peak RSS: ${GNU_TIME} -f '%U %S %M'` : 'spawn + /proc VmHWM polling',
  tmpdir: opt.tmpdir,
  build: build ? { snapshotOf: 'dist/', distFingerprint: build.distFingerprint, copyAttempts: build.attempts } : { snapshotOf: null, note: '--no-snapshot: dist/ itself' },
  command: `node bench/render-bench.mjs ${process.argv.slice(2).join(' ')}`.trim(),
  mode: opt.suite ? (opt.large ? 'suite --large' : 'suite') : 'one workload',
  runs: opt.runs,
  ...(opt.suite && opt.large ? { largeRuns: opt.largeRuns } : {}),
  targets: figures,
  workloads: reports,
  checks: allChecks,
};
fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
fs.writeFileSync(RESULTS, JSON.stringify(out, null, 2) + '\n');
console.log(`\nwrote ${path.relative(process.cwd(), RESULTS) || RESULTS}`);
const failed = allChecks.filter((c) => !c.ok);
if (failed.length || reports.some((w) => !w.ok)) {
  console.error(`render-bench: ${failed.length} check${failed.length === 1 ? '' : 's'} failed${reports.some((w) => !w.ok) ? ', and a workload did not finish' : ''}`);
  process.exitCode = 1;
}
