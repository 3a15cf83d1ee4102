/**
 * `fedc render --shard i/n` and the progress line, end to end through the built CLI.
 *
 * Sharding runs on a 20-cluster repo from bench/gen-workload.mjs, on fixtures/dns-multicloud
 * (DNS: written by shard 1 only) and on fixtures/seed-002-replica-scheduling (a replica plan that
 * reads the previous output). The progress line runs on a real pseudo-terminal, made by util-linux
 * `script`, with an output lock held for 2.5 s so that the render surely takes over a second.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, cleanup, clusterYaml, fedc, readTree, ROOT, tempDir, type RunResult } from './helpers.js';

const GEN = path.join(ROOT, 'bench', 'gen-workload.mjs');
const DNS_INPUT = path.join(ROOT, 'fixtures/dns-multicloud/input');
const RSP_INPUT = path.join(ROOT, 'fixtures/seed-002-replica-scheduling/input');
const CLUSTER_COUNT = 20;

let work: string;
/** The generated repo (relative to `work`, the cwd of every run). */
const REPO = 'repo';
let declared: string[];

beforeAll(() => {
  // The CLI tests run dist/: make sure it is built.
  if (!existsSync(CLI)) spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  work = tempDir('fedc-shard-');
  const gen = spawnSync(process.execPath, [GEN, path.join(work, REPO), '--clusters', String(CLUSTER_COUNT), '--resources', '80', '--seed', '17'], { encoding: 'utf8' });
  if (gen.status !== 0) throw new Error(`gen-workload.mjs failed: ${gen.stderr}`);
  declared = readdirSync(path.join(work, REPO, 'clusters')).map((f) => f.replace(/\.yaml$/, '')).sort();
  expect(declared).toHaveLength(CLUSTER_COUNT);
});

afterAll(() => cleanup(work));

/** Runs the CLI in `work`; no run may print a stack trace. */
function cli(...args: string[]): RunResult {
  const r = fedc(args, work);
  expect(r.stderr, 'stack trace').not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(r.stderr).not.toMatch(/internal error|node:internal/);
  return r;
}

function ok(...args: string[]): RunResult {
  const r = cli(...args);
  expect(r.code, r.stderr).toBe(0);
  return r;
}

/** The tree under `dir` (relative to work), or an empty map when there is none. */
function tree(dir: string): Map<string, string> {
  const abs = path.join(work, dir);
  return existsSync(abs) ? readTree(abs) : new Map();
}

/** The cluster directories an output directory holds. */
function clusterDirs(dir: string): string[] {
  const abs = path.join(work, dir, 'clusters');
  return existsSync(abs) ? readdirSync(abs).sort() : [];
}

/** The rule the README states: 32-bit FNV-1 of the UTF-8 name, mod n, plus 1 (written apart from fedc's, with BigInt). */
function readmeShard(name: string, n: number): number {
  let h = 0x811c9dc5n;
  for (const b of new TextEncoder().encode(name)) h = ((h * 0x01000193n) & 0xffffffffn) ^ BigInt(b);
  return Number(h % BigInt(n)) + 1;
}

let fresh = 0;
/** A new output directory name under work. */
const out = (what: string) => `${what}-${++fresh}`;

/** Renders shards 1..n of `repo` one after another into one directory; returns it. */
function shardsInSequence(repo: string, n: number, dir = out('seq'), ...extra: string[]): string {
  for (let i = 1; i <= n; i++) ok('render', repo, '-o', dir, '--shard', `${i}/${n}`, ...extra);
  return dir;
}

/** Renders shards 1..n of `repo` each into a directory of its own; returns them. */
function shardsApart(repo: string, n: number, ...extra: string[]): string[] {
  const dirs: string[] = [];
  for (let i = 1; i <= n; i++) {
    const d = out(`shard${i}of${n}`);
    ok('render', repo, '-o', d, '--shard', `${i}/${n}`, ...extra);
    dirs.push(d);
  }
  return dirs;
}

/** Copies the directories together (as `cp -R a/. b/. merged/`). */
function merge(dirs: string[]): string {
  const m = out('merged');
  mkdirSync(path.join(work, m));
  for (const d of dirs) if (existsSync(path.join(work, d))) cpSync(path.join(work, d), path.join(work, m), { recursive: true });
  return m;
}

function copyRepo(from: string): string {
  const to = out('repo');
  cpSync(from, path.join(work, to), { recursive: true });
  return to;
}

describe('--shard: the command line', () => {
  it.each([
    [['--shard', '0/3'], 'error: --shard takes i/n, shard i of n with 1 <= i <= n (as in --shard 2/3), not "0/3"'],
    [['--shard', '4/3'], 'error: --shard takes i/n, shard i of n with 1 <= i <= n (as in --shard 2/3), not "4/3"'],
    [['--shard', '1/0'], 'error: --shard takes i/n, shard i of n with 1 <= i <= n (as in --shard 2/3), not "1/0"'],
    [['--shard', 'two'], 'error: --shard takes i/n, shard i of n with 1 <= i <= n (as in --shard 2/3), not "two"'],
    [['--shard', '1/2/3'], 'error: --shard takes i/n, shard i of n with 1 <= i <= n (as in --shard 2/3), not "1/2/3"'],
    [['--shard', '-1/3'], 'error: --shard takes i/n, shard i of n with 1 <= i <= n (as in --shard 2/3), not "-1/3"'],
    [['--shard', '1/3', '--cluster', 'x'], 'error: --shard and --cluster cannot be used together: a shard already selects its clusters'],
    [['--shard', '1/3', '--stdout'], 'error: --stdout prints one cluster named by --cluster; --shard selects clusters to write: drop one of them'],
  ])('%j exits 2 and writes nothing', (args, message) => {
    const o = out('usage');
    const r = cli('render', REPO, ...(args.includes('--stdout') ? [] : ['-o', o]), ...args);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(message);
    expect(r.stdout).toBe('');
    expect(existsSync(path.join(work, o))).toBe(false);
    expect(existsSync(path.join(work, REPO, 'rendered'))).toBe(false);
  });

  it('is in render --help', () => {
    expect(cli('render', '--help').stdout).toContain('--shard <i/n>');
  });
});

describe('--shard: which clusters', () => {
  it('puts each cluster in exactly one shard, the one the README rule names, and says so', () => {
    for (const n of [2, 3, 5]) {
      const seen = new Map<string, number>();
      for (let i = 1; i <= n; i++) {
        const d = out(`which${i}of${n}`);
        const r = ok('render', REPO, '-o', d, '--shard', `${i}/${n}`);
        const mine = clusterDirs(d);
        for (const c of mine) {
          expect(seen.has(c), `${c} in two shards of ${n}`).toBe(false);
          seen.set(c, i);
        }
        expect(mine).toEqual(declared.filter((c) => readmeShard(c, n) === i));
        // this repo has no DNS: no shard writes dns/, so none says it does
        expect(r.stdout).toContain(`shard ${i}/${n}: ${mine.length} of ${CLUSTER_COUNT} clusters\n`);
        expect(existsSync(path.join(work, d, 'dns'))).toBe(false);
        // The per-cluster lines name this shard's clusters only.
        const named = r.stdout.split('\n').filter((l) => / objects$/.test(l)).map((l) => l.split(':')[0]);
        expect(named).toEqual(mine);
      }
      expect([...seen.keys()].sort()).toEqual(declared);
    }
  });

  it('keeps every cluster in its shard when a cluster is added or removed', () => {
    const n = 3;
    const assign = (repo: string) => {
      const m = new Map<string, number>();
      for (const [i, d] of shardsApart(repo, n).entries()) for (const c of clusterDirs(d)) m.set(c, i + 1);
      return m;
    };
    const before = assign(REPO);
    expect(before.size).toBe(CLUSTER_COUNT);

    const grown = copyRepo(path.join(work, REPO));
    writeFileSync(path.join(work, grown, 'clusters/zz-added-eu-01.yaml'), clusterYaml('zz-added-eu-01', { env: 'prod', region: 'eu-west-1' }));
    const after = assign(grown);
    expect(after.size).toBe(CLUSTER_COUNT + 1);
    for (const [c, i] of before) expect(after.get(c), c).toBe(i);
    expect(after.get('zz-added-eu-01')).toBe(readmeShard('zz-added-eu-01', n));

    const shrunk = copyRepo(path.join(work, REPO));
    rmSync(path.join(work, shrunk, 'clusters', `${declared[0]}.yaml`));
    const fewer = assign(shrunk);
    expect(fewer.size).toBe(CLUSTER_COUNT - 1);
    for (const [c, i] of fewer) expect(before.get(c), c).toBe(i);
  });
});

describe('--shard: the union of the shards is the full render, byte for byte', () => {
  it.each([[1], [3], [25]])('%i shards, rendered one after another into one directory, and apart then merged', (n) => {
    const d = out('full');
    ok('render', REPO, '-o', d);
    const full = tree(d);
    expect([...full.keys()].filter((k) => k.endsWith('/kustomization.yaml')).length).toBeGreaterThanOrEqual(CLUSTER_COUNT);
    expect(tree(shardsInSequence(REPO, n))).toEqual(full);
    const apart = shardsApart(REPO, n);
    expect(tree(merge(apart))).toEqual(full);
    // More shards than clusters: some shards get none, and that is no error.
    if (n > CLUSTER_COUNT) expect(apart.filter((a) => clusterDirs(a).length === 0).length).toBeGreaterThan(0);
  });

  it('in the manifest layout too', () => {
    const d = out('full');
    ok('render', REPO, '-o', d, '--layout', 'manifest');
    const full = tree(d);
    expect(tree(shardsInSequence(REPO, 3, out('seq'), '--layout', 'manifest'))).toEqual(full);
    expect(tree(merge(shardsApart(REPO, 3, '--layout', 'manifest')))).toEqual(full);
  });

  it('a shard keeps the other shards\' files and prunes only its own clusters, including a cluster no longer declared', () => {
    const repo = copyRepo(path.join(work, REPO));
    const full = out('full');
    ok('render', repo, '-o', full);
    // A file of fedc's directly in clusters/ (fedc writes none there now): the full render deletes it, so shard 1 must.
    writeFileSync(path.join(work, full, 'clusters/left-over.yaml'), '# Generated by fedc for an old layout; do not edit.\n');
    const seq = out('seq');
    cpSync(path.join(work, full), path.join(work, seq), { recursive: true });

    // Remove a cluster, and change what every other cluster gets.
    const gone = declared[3]!;
    rmSync(path.join(work, repo, 'clusters', `${gone}.yaml`));
    const ns = readdirSync(path.join(work, repo, 'namespaces')).sort()[0]!;
    const app = readdirSync(path.join(work, repo, 'namespaces', ns)).find((f) => f !== 'namespace.yaml')!;
    const file = path.join(work, repo, 'namespaces', ns, app);
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^( {6}labels:\n)/m, '$1        shard-test: changed\n'));
    ok('render', repo, '-o', full);
    expect(clusterDirs(full)).not.toContain(gone);

    const n = 3;
    const owner = readmeShard(gone, n);
    for (let i = 1; i <= n; i++) {
      const before = tree(seq);
      ok('render', repo, '-o', seq, '--shard', `${i}/${n}`);
      const after = tree(seq);
      // Files outside this shard's clusters (and dns/ on shard 1) are exactly as they were.
      const mine = (k: string) => {
        const parts = k.split('/');
        if (parts[0] === 'clusters' && parts.length > 2) return readmeShard(parts[1]!, n) === i;
        return i === 1; // dns/, and what lies directly in clusters/
      };
      const foreign = (m: Map<string, string>) => [...m].filter(([k]) => !mine(k));
      expect(foreign(after)).toEqual(foreign(before));
      expect(clusterDirs(seq).includes(gone)).toBe(i < owner);
      expect(existsSync(path.join(work, seq, 'clusters/left-over.yaml'))).toBe(false);
    }
    expect(tree(seq)).toEqual(tree(full));
  });

  it('dns/ is written by shard 1 only, and a shard leaves it alone', () => {
    const full = out('full');
    ok('render', DNS_INPUT, '-o', path.join(work, full));
    const whole = tree(full);
    const dns = [...whole.keys()].filter((k) => k.startsWith('dns/'));
    expect(dns.length).toBeGreaterThan(1);
    expect(dns.some((k) => k.startsWith('dns/zones/'))).toBe(true);

    const apart = shardsApart(DNS_INPUT, 3).map((d) => path.join(work, d));
    const trees = apart.map((d) => (existsSync(d) ? readTree(d) : new Map<string, string>()));
    expect([...trees[0]!.keys()].filter((k) => k.startsWith('dns/'))).toEqual(dns);
    for (const t of trees.slice(1)) {
      expect([...t.keys()].filter((k) => k.startsWith('dns/'))).toEqual([]);
      expect(t.size).toBeGreaterThan(0); // each of the 3 clusters is in a shard of its own
    }
    expect(tree(merge(apart.map((d) => path.relative(work, d))))).toEqual(whole);

    // In one directory: a later shard neither rewrites nor deletes dns/, even when it is stale.
    const seq = out('seq');
    ok('render', DNS_INPUT, '-o', path.join(work, seq), '--shard', '1/3');
    const zone = dns.find((k) => k.startsWith('dns/zones/'))!;
    const zonePath = path.join(work, seq, zone);
    const mtime = statSync(zonePath).mtimeMs;
    const r2 = ok('render', DNS_INPUT, '-o', path.join(work, seq), '--shard', '2/3');
    expect(r2.stdout).not.toMatch(/^dns:/m);
    expect(r2.stdout).toMatch(/^shard 2\/3: 1 of 3 clusters$/m);
    expect(statSync(zonePath).mtimeMs).toBe(mtime);
    rmSync(zonePath);
    ok('render', DNS_INPUT, '-o', path.join(work, seq), '--shard', '3/3');
    expect(existsSync(zonePath)).toBe(false);
    const r1 = ok('render', DNS_INPUT, '-o', path.join(work, seq), '--shard', '1/3');
    expect(r1.stdout).toMatch(/^dns: /m);
    expect(r1.stdout).toMatch(/^shard 1\/3: 1 of 3 clusters, and dns\/$/m);
    expect(tree(seq)).toEqual(whole);
  });

  it('a replica plan that reads the previous output: shards in sequence over a previous render give the full render', () => {
    const repo = copyRepo(RSP_INPUT);
    const full = out('full');
    ok('render', repo, '-o', full);
    const seq = out('seq');
    cpSync(path.join(work, full), path.join(work, seq), { recursive: true });
    const rsp = path.join(work, repo, 'k8shserver/replicaset-k8shserver.yaml');
    writeFileSync(rsp, readFileSync(rsp, 'utf8').replace('totalReplicas: 1000', 'totalReplicas: 1003'));
    ok('render', repo, '-o', full);
    expect([...tree(full).values()].some((v) => v.includes('replicas: 201'))).toBe(true);
    expect(tree(shardsInSequence(repo, 3, seq))).toEqual(tree(full));
    expect(tree(merge(shardsApart(repo, 2)))).toEqual(tree(merge(shardsApart(repo, 3))));
  });
});

  it('shard 1 of a repo with no DNS does not claim dns/', () => {
    const d = out('plain');
    const r = ok('render', RSP_INPUT, '-o', path.join(work, d), '--shard', '1/2');
    expect(r.stdout).toContain('\nshard 1/2: 3 of 5 clusters\n');
    expect(existsSync(path.join(work, d, 'dns'))).toBe(false);
  });

describe('--check --shard', () => {
  it('checks only that shard\'s clusters (and dns/ on shard 1), and the fix it names keeps --shard', () => {
    const d = out('checked');
    ok('render', DNS_INPUT, '-o', path.join(work, d));
    for (let i = 1; i <= 3; i++) {
      const r = ok('render', DNS_INPUT, '-o', path.join(work, d), '--check', '--shard', `${i}/3`);
      expect(r.stderr).toMatch(new RegExp(`is up to date for shard ${i}/3 \\(\\d+ files\\)\\n$`));
    }
    // A hand edit in azure's directory (shard 2 of 3) and a deleted zone file (shard 1's).
    expect(readmeShard('azure', 3)).toBe(2);
    const azure = [...tree(d).keys()].find((k) => k.startsWith('clusters/azure/') && !k.endsWith('kustomization.yaml'))!;
    writeFileSync(path.join(work, d, azure), readFileSync(path.join(work, d, azure), 'utf8') + '# edited\n');
    const zone = [...tree(d).keys()].find((k) => k.startsWith('dns/zones/'))!;
    rmSync(path.join(work, d, zone));

    const two = cli('render', DNS_INPUT, '-o', path.join(work, d), '--check', '--shard', '2/3');
    expect(two.code).toBe(1);
    expect(two.stderr).toContain(`  changed:  ${azure}\n`);
    expect(two.stderr).not.toContain(zone);
    expect(two.stderr).toContain(`hint: run: fedc render ${DNS_INPUT} -o ${d} --shard 2/3\n`);

    const one = cli('render', DNS_INPUT, '-o', path.join(work, d), '--check', '--shard', '1/3');
    expect(one.code).toBe(1);
    expect(one.stderr).toContain(`  missing:  ${zone}\n`);
    expect(one.stderr).not.toContain(azure);

    ok('render', DNS_INPUT, '-o', path.join(work, d), '--check', '--shard', '3/3');
  });
});

// ---------------------------------------------------------------- progress

/** Whether util-linux script is here (.ci/run installs it: Debian bsdutils). */
const HAVE_SCRIPT = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
const ESC = '\x1b';
/** How long the lock is held: long past node's start-up, so the render waits past the 1 s mark. */
const HOLD_MS = 2500;

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    p.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Runs the CLI on a pseudo-terminal (stdout and stderr both on it), as a person at a terminal. */
function onTerminal(args: string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  const command = [process.execPath, CLI, ...args].map(quote).join(' ');
  return run('script', ['-qfec', command, '/dev/null'], env);
}

/** The CLI with stdout and stderr piped. */
function piped(args: string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  return run(process.execPath, [CLI, ...args], env);
}

/** The environment of a terminal session: no CI, a real TERM. */
function terminalEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color', ...extra };
  if (!('CI' in extra)) delete env.CI;
  return env;
}

/**
 * Runs `go` while a lock of another (live: this test's) process holds `outDir` for `ms`, so the
 * render waits and takes more than a second whatever the machine's speed.
 */
async function withLockHeld<T>(outDir: string, ms: number, go: () => Promise<T>): Promise<T> {
  mkdirSync(path.join(work, outDir), { recursive: true });
  const lock = path.join(work, outDir, '.fedc-lock');
  writeFileSync(lock, JSON.stringify({ pid: process.pid, hostname: hostname(), started: '2001-01-01T00:00:00.000Z', token: 'test-holder' }) + '\n');
  const timer = setTimeout(() => rmSync(lock, { force: true }), ms);
  try {
    return await go();
  } finally {
    clearTimeout(timer);
    rmSync(lock, { force: true });
  }
}

/** The progress lines drawn: `\r<line>ESC[K`. */
const frames = (s: string) => [...s.matchAll(/\r(fedc: [^\r\n\x1b]*)\x1b\[K/g)].map((m) => m[1]!);
/** What is left once the progress bytes are taken out, with the terminal's CRLF as LF. */
const withoutProgress = (s: string) => s.replace(/\r(fedc: [^\r\n\x1b]*)?\x1b\[K/g, '').replace(/\r\n/g, '\n');

describe('progress on a terminal', () => {
  it('util-linux script is on this machine (.ci/run installs bsdutils)', () => {
    expect(HAVE_SCRIPT).toBe(true);
  });

  it.runIf(HAVE_SCRIPT)('a render of more than a second shows phases, counts and elapsed time on one rewritten line, erased at the end', async () => {
    const d = out('tty');
    const t = await withLockHeld(d, HOLD_MS, () => onTerminal(['render', REPO, '-o', d], terminalEnv()));
    expect(t.code, t.stdout).toBe(0);
    const shown = frames(t.stdout);
    const phases = [...new Set(shown.map((f) => f.replace(/^fedc: /, '').split(',')[0]!.replace(/ [\d,/]+ files$/, '')))].filter((p) => p !== 'starting');
    // In order, each drawn once the line is due; compiling blocks the timers, so it is drawn as it begins.
    expect(phases.slice(0, 4)).toEqual(['waiting for another render', 'reading inputs', 'compiling', 'comparing with the output directory']);
    expect(phases.some((p) => p === 'writing' || p === 'committing')).toBe(true);
    for (const f of shown) expect(f).toMatch(/, \d+\.\d s$/);
    // Writing starts at 0 of every file of the new tree, none of the clusters done, all objects counted.
    const files = tree(d).size;
    const objects = withoutProgress(t.stdout).match(/: \d+ objects$/gm)!.reduce((n, l) => n + Number(/\d+/.exec(l)![0]), 0);
    const first = shown.find((f) => f.startsWith('fedc: writing '));
    expect(first).toMatch(new RegExp(`^fedc: writing 0/${files.toLocaleString('en-US')} files, 0/${CLUSTER_COUNT} clusters, ${objects.toLocaleString('en-US')} objects, \\d+\\.\\d s$`));
    expect(shown.filter((f) => f.includes(' clusters, ')).every((f) => f.includes(`${objects.toLocaleString('en-US')} objects`))).toBe(true);
    // Elapsed seconds never go back.
    const secs = shown.map((f) => Number(/(\d+\.\d) s$/.exec(f)![1]));
    expect(secs).toEqual([...secs].sort((a, b) => a - b));
    expect(secs[0]).toBeGreaterThanOrEqual(1);
    // The line is erased before the results, which read as without a terminal.
    const lastFrame = t.stdout.lastIndexOf('\rfedc: ');
    const erase = t.stdout.indexOf(`\r${ESC}[K`, lastFrame + 1);
    expect(erase).toBeGreaterThan(lastFrame);
    expect(t.stdout.slice(erase + 4)).not.toContain(ESC);
    const pd = out('piped');
    const p = await withLockHeld(pd, HOLD_MS, () => piped(['render', REPO, '-o', pd], terminalEnv()));
    expect(p.stderr).toContain('is being written by another fedc render');
    const results = (s: string) => s.split('\n').filter((l) => !l.startsWith('fedc: ') && !/ (added|unchanged)$/.test(l));
    expect(results(withoutProgress(t.stdout))).toEqual(results(p.stderr + p.stdout));
    expect(withoutProgress(t.stdout)).not.toMatch(/[\r\x1b]/);
    // The line printed while the progress line was up reads whole.
    expect(withoutProgress(t.stdout)).toContain(`fedc: ${d} is being written by another fedc render (pid ${process.pid} on ${hostname()}, since 2001-01-01T00:00:00.000Z); waiting up to 30 s for it to finish\n`);
    // What is written is what a render without a terminal writes.
    const plain = out('plain');
    ok('render', REPO, '-o', plain);
    expect(tree(d)).toEqual(tree(plain));
  });

  it.runIf(HAVE_SCRIPT)('a render under a second shows nothing', async () => {
    const begun = Date.now();
    const t = await onTerminal(['render', DNS_INPUT, '-o', path.join(work, out('quick'))], terminalEnv());
    const took = Date.now() - begun;
    expect(t.code).toBe(0);
    // (a machine so slow that this takes a second may show the line, but not before 1 s)
    if (took < 1000) expect(t.stdout).not.toMatch(/\r(?!\n)|\x1b/);
    else for (const f of frames(t.stdout)) expect(Number(/(\d+\.\d) s$/.exec(f)![1])).toBeGreaterThanOrEqual(1);
  });

  it.runIf(HAVE_SCRIPT).each([
    ['CI=true', { CI: 'true' }, []],
    ['TERM=dumb', { TERM: 'dumb' }, []],
    ['--format json', {}, ['--format', 'json']],
    ['--format github', {}, ['--format', 'github']],
  ])('on a terminal with %s: no progress bytes at all', async (_name, env, args) => {
    const d = out('quiet');
    const t = await withLockHeld(d, HOLD_MS, () => onTerminal(['render', REPO, '-o', d, ...args], terminalEnv(env as Record<string, string>)));
    expect(t.code, t.stdout).toBe(0);
    expect(t.stdout).toContain('is being written by another fedc render'); // it did wait
    expect(t.stdout).not.toMatch(/\r(?!\n)|\x1b/);
  });

  it('piped: no progress bytes on stderr or stdout, though the render takes more than a second', async () => {
    const d = out('pipe');
    const begun = Date.now();
    const p = await withLockHeld(d, HOLD_MS, () => piped(['render', REPO, '-o', d], terminalEnv()));
    expect(Date.now() - begun).toBeGreaterThan(1000);
    expect(p.code, p.stderr).toBe(0);
    expect(p.stderr).toContain('is being written by another fedc render');
    for (const s of [p.stderr, p.stdout]) expect(s).not.toMatch(/[\r\x1b]/);
  });
});
