/**
 * Hardening, end to end through the built CLI: concurrent and interrupted renders (the output
 * lock and the commit journal, with real SIGKILLs), bad bytes, hostile repositories (symlinks,
 * names, sizes, depth, alias bombs), full and unwritable disks, and files in the output that fedc
 * did not write. Every run is checked for stack traces and internal errors.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { guardOutput } from '../src/cli/output-guard.js';
import { diskOutputFiles } from '../src/read/output-files.js';
import { readRepo } from '../src/read/read-repo.js';
import { diskSource } from '../src/read/repo-source.js';
import { DEFAULT_SETTINGS } from '../src/read/settings.js';
import { cleanup, CLI, readTree, ROOT, tempDir, type RunResult } from './helpers.js';

const SEED = path.join(ROOT, 'fixtures/seed-001-eks/input');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) cleanup(d);
});

function scratch(): string {
  const dir = tempDir('fedc-hard-');
  dirs.push(dir);
  return dir;
}

/** A temp dir holding `in/`, a copy of the seed-001 input. */
/**
 * The bound on a hostile input's run: far above any machine's time for what fedc does, far below
 * what the attack would cost unrefused (a loop, an exponential expansion), so it tells a hang from
 * a slow machine. Speed itself is npm run bench's to measure, not a test's.
 */
const NO_HANG_MS = 60_000;

function seed(): string {
  const dir = scratch();
  cpSync(SEED, path.join(dir, 'in'), { recursive: true });
  return dir;
}

function write(dir: string, rel: string, text: string | Buffer): void {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), text);
}

function noCrash(r: { stderr: string; code: number | null }): void {
  expect(r.stderr, 'stack trace').not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(r.stderr).not.toMatch(/internal error|node:internal|RangeError|TypeError/);
  expect(r.code, 'internal error exit').not.toBe(3);
}

/** Runs the built CLI; `node` flags (a heap bound) and environment (test hooks) as given. */
function cli(cwd: string, args: string[], env: Record<string, string> = {}, nodeFlags: string[] = []): RunResult & { ms: number } {
  const t = Date.now();
  const r = spawnSync(process.execPath, [...nodeFlags, CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 28 });
  const out = { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t };
  noCrash(out);
  return out;
}

interface Running {
  child: ChildProcess;
  stderr: () => string;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

function start(cwd: string, args: string[], env: Record<string, string> = {}): Running {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, stderr: () => stderr, done };
}

async function until(what: string, ok: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Every file of a rendered tree but fedc's lock, journal and temporary files. */
function rendered(dir: string): Map<string, string> {
  const t = readTree(dir);
  for (const k of [...t.keys()]) if (/(^|\/)\.fedc-|\.fedc-tmp$/.test(k)) t.delete(k);
  return t;
}

/** Files with their mtimes, to prove a run touched nothing. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [rel, content] of readTree(dir)) out.set(rel, `${statSync(path.join(dir, rel)).mtimeMs} ${content}`);
  return out;
}

/** Every directory under dir, relative, sorted. */
function listDirs(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      const r = rel ? `${rel}/${e.name}` : e.name;
      out.push(r);
      walk(r);
    }
  };
  walk('');
  return out.sort();
}

function age(dir: string): void {
  const old = new Date('2001-01-01T00:00:00Z');
  for (const rel of readTree(dir).keys()) utimesSync(path.join(dir, rel), old, old);
}

function configMap(name: string, value = 'b'): string {
  return `apiVersion: types.kubefed.io/v1beta1
kind: FederatedConfigMap
metadata: {name: ${name}, namespace: test}
spec: {template: {data: {a: "${value}"}}, placement: {clusters: [{name: cluster1}, {name: cluster2}]}}
`;
}

function lockFile(holder: Record<string, unknown>): string {
  return JSON.stringify({ hostname: hostname(), started: '2026-01-01T00:00:00.000Z', token: 'test', ...holder }) + '\n';
}

/** A process that only waits, to hold a lock in a test; killed by the test. */
function sleeper(): ChildProcess {
  return spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
}

describe('one writer at a time', () => {
  it('two renders at once with different inputs: both succeed, one waits, and the tree is exactly one of them', async () => {
    const dir = scratch();
    for (const [name, seedNo] of [['a', '1'], ['b', '2']] as const) {
      spawnSync(process.execPath, [path.join(ROOT, 'bench/gen-workload.mjs'), path.join(dir, name), '--clusters', '6', '--resources', '150', '--seed', seedNo]);
      expect(cli(dir, ['render', name, '-o', `ref-${name}`]).code).toBe(0);
    }
    const refs = { a: rendered(path.join(dir, 'ref-a')), b: rendered(path.join(dir, 'ref-b')) };
    expect(refs.a.size).toBeGreaterThan(300);
    // twice: into a directory that does not exist yet, then over the result of the first round
    for (const round of [1, 2]) {
      // a stops (SIGSTOP, a test hook) holding the lock, its commit journaled; b starts and
      // waits; then a goes on. So the two overlap however loaded the machine is.
      const a = start(dir, ['render', 'a', '-o', 'shared', '--no-cache'], { FEDC_TEST_CRASH_AFTER_RENAMES: '0' });
      await until('the first render to stop holding the lock', () => a.stderr().includes('fedc-test: stopped after 0 renames'));
      const b = start(dir, ['render', 'b', '-o', 'shared', '--no-cache']);
      await until('the second render to wait', () => b.stderr().includes('waiting up to 30 s'));
      a.child.kill('SIGCONT');
      const [ra, rb] = await Promise.all([a.done, b.done]);
      for (const r of [ra, rb]) {
        noCrash(r);
        expect(r.code, r.stderr).toBe(0);
      }
      expect(`${ra.stderr}${rb.stderr}`, `round ${round}: one of them waited`).toMatch(/fedc: shared is being written by another fedc render \(pid \d+ on .+, since .+\); waiting up to 30 s for it to finish/);
      const tree = rendered(path.join(dir, 'shared'));
      const which = ra.stderr.includes('waiting up to') ? 'a' : 'b';
      expect(tree, `round ${round}: the tree is the render that went last`).toEqual(refs[which]);
      expect(readdirSync(path.join(dir, 'shared')).filter((f) => f.startsWith('.'))).toEqual([]);
    }
  }, 60_000);

  it('a running holder: --wait 0 fails at once naming it, --wait 1 gives up after a second, nothing is written; once it is gone its lock is taken over', async () => {
    const dir = seed();
    expect(cli(dir, ['render', 'in', '-o', 'out']).code).toBe(0);
    write(dir, 'in/test/config.yaml', configMap('cfg'));
    const holder = sleeper();
    try {
      write(dir, 'out/.fedc-lock', lockFile({ pid: holder.pid }));
      age(path.join(dir, 'out'));
      const before = snapshot(path.join(dir, 'out'));
      const now = cli(dir, ['render', 'in', '-o', 'out', '--wait', '0']);
      expect(now.code).toBe(1);
      expect(now.ms).toBeLessThan(20_000); // it did not wait the 30 s that --wait defaults to
      expect(now.stderr).toBe(
        `fedc - error FEDC5006: out is being written by another fedc render (pid ${holder.pid} on ${hostname()}, since 2026-01-01T00:00:00.000Z); gave up without waiting (--wait 0)\n` +
          '  hint: nothing was written; run again when it has finished, or wait longer with --wait SECONDS\n1 error, 0 warnings\n',
      );
      const later = cli(dir, ['render', 'in', '-o', 'out', '--wait', '1', '--format', 'json']);
      expect(later.code).toBe(1);
      expect(later.ms).toBeGreaterThanOrEqual(1_000);
      expect(later.stderr).toMatch(/^fedc: out is being written by another fedc render \(pid \d+ .*; waiting up to 1 s for it to finish\n$/);
      expect(JSON.parse(later.stdout).diagnostics[0].message).toMatch(/gave up after waiting 1(\.\d)? s$/);
      // --check waits for a writer too; --stdout writes nothing and takes no lock
      expect(cli(dir, ['render', 'in', '-o', 'out', '--check', '--wait', '0']).stderr).toContain('error FEDC5006: out is being written by another fedc render');
      expect(cli(dir, ['render', 'in', '--stdout', '--cluster', 'cluster1']).code).toBe(0);
      expect(snapshot(path.join(dir, 'out')), 'nothing was written').toEqual(before);
    } finally {
      holder.kill('SIGKILL');
    }
    await new Promise((r) => holder.once('exit', r));
    const after = cli(dir, ['render', 'in', '-o', 'out', '--wait', '0']);
    expect(after.code).toBe(0);
    expect(after.stdout).toContain('out: 2 added, 2 changed, 0 removed, 4 unchanged');
    expect(existsSync(path.join(dir, 'out/.fedc-lock'))).toBe(false);
  });

  it('a render stopped while it waits (a cancelled job, Ctrl-C) leaves nothing in the output; a draft of one killed mid-attempt goes with the next render', async () => {
    const dir = seed();
    expect(cli(dir, ['render', 'in', '-o', 'out']).code).toBe(0);
    const holder = sleeper();
    try {
      write(dir, 'out/.fedc-lock', lockFile({ pid: holder.pid }));
      for (const signal of ['SIGTERM', 'SIGINT'] as const) {
        const waiter = start(dir, ['render', 'in', '-o', 'out', '--wait', '60']);
        await until('the render to wait', () => waiter.stderr().includes('waiting up to 60 s'));
        waiter.child.kill(signal);
        const r = await waiter.done;
        expect([signal, r.signal]).toEqual([signal, signal]);
        expect([signal, readdirSync(path.join(dir, 'out')).filter((f) => f.startsWith('.'))]).toEqual([signal, ['.fedc-lock']]);
      }
    } finally {
      holder.kill('SIGKILL');
    }
    await new Promise((r) => holder.once('exit', r));
    rmSync(path.join(dir, 'out/.fedc-lock'));
    const orphan = path.join(dir, 'out/.fedc-lock.0b4d3c2a-1e5f-4a6b-9c8d-7e6f5a4b3c2d');
    const fresh = path.join(dir, 'out/.fedc-lock.1b4d3c2a-1e5f-4a6b-9c8d-7e6f5a4b3c2d');
    write(dir, 'out/.fedc-lock.0b4d3c2a-1e5f-4a6b-9c8d-7e6f5a4b3c2d', lockFile({ pid: 1 }));
    write(dir, 'out/.fedc-lock.1b4d3c2a-1e5f-4a6b-9c8d-7e6f5a4b3c2d', lockFile({ pid: 1 }));
    const old = new Date(Date.now() - 60_000);
    utimesSync(orphan, old, old);
    expect(cli(dir, ['render', 'in', '-o', 'out']).code).toBe(0);
    // a draft a moment old may be another render's attempt under way: left
    expect([existsSync(orphan), existsSync(fresh)]).toEqual([false, true]);
  });

  it('a stale lock is taken over: its process is gone, its pid now names another process, or it was never written out', () => {
    const dir = seed();
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(gone.stdout);
    const locks = [lockFile({ pid: deadPid }), ''];
    // Linux: a live pid whose start time is not the one recorded (the pid was reused)
    if (existsSync('/proc/self/stat')) locks.push(lockFile({ pid: process.pid, procStart: '1' }));
    for (const lock of locks) {
      write(dir, 'out/.fedc-lock', lock);
      const old = new Date(Date.now() - 60_000);
      utimesSync(path.join(dir, 'out/.fedc-lock'), old, old);
      const r = cli(dir, ['render', 'in', '-o', 'out', '--wait', '0']);
      expect(r.code, `${JSON.stringify(lock)}: ${r.stderr}`).toBe(0);
      expect(r.stderr).toBe('');
      expect(existsSync(path.join(dir, 'out/.fedc-lock'))).toBe(false);
    }
  });

  it('a lock held from another host is never guessed stale: the message says which file to delete', () => {
    const dir = seed();
    write(dir, 'out/.fedc-lock', lockFile({ pid: 12345, hostname: 'ci-runner-7' }));
    const r = cli(dir, ['render', 'in', '-o', 'out', '--wait', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error FEDC5006: out is being written by another fedc render (pid 12345 on ci-runner-7, since 2026-01-01T00:00:00.000Z); gave up without waiting (--wait 0)');
    expect(r.stderr).toContain('hint: nothing was written; that render runs on another host or container (ci-runner-7), so fedc cannot tell whether it still runs: if it does not, delete out/.fedc-lock');
    expect(readdirSync(path.join(dir, 'out'))).toEqual(['.fedc-lock']);
  });

  it('a render into a directory that does not exist leaves no directory behind when it fails, and no lock when it succeeds', () => {
    const dir = seed();
    write(dir, 'in/test/broken.yaml', 'kind: [\n');
    expect(cli(dir, ['render', 'in', '-o', 'deep/new/out']).code).toBe(1);
    expect(existsSync(path.join(dir, 'deep')), 'the directories made for the lock are removed').toBe(false);
    rmSync(path.join(dir, 'in/test/broken.yaml'));
    expect(cli(dir, ['render', 'in', '-o', 'deep/new/out']).code).toBe(0);
    expect(readdirSync(path.join(dir, 'deep/new/out'))).toEqual(['clusters']);
  });

  it('the lock is taken once, however often a compile reads inputs (CRD files are read apart)', async () => {
    const dir = seed();
    const root = path.join(dir, 'in');
    const guard = guardOutput(diskSource(root), { root, output: path.join(dir, 'out'), waitMs: 0, mode: 'write', say: () => {}, shown: (p) => p });
    await guard.source.readInputs(DEFAULT_SETTINGS);
    await guard.source.readInputs(DEFAULT_SETTINGS);
    guard.lock!.assertHeld();
    guard.release();
    expect(existsSync(path.join(dir, 'out')), 'the directory made for the lock is gone again').toBe(false);
  });

  it('--wait takes seconds', () => {
    const dir = seed();
    const r = cli(dir, ['render', 'in', '--wait', 'soon']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: --wait takes a number of seconds, not "soon"\n');
  });
});

describe('interrupted commits', () => {
  /** Old input: the seed and a ConfigMap "old"; new input: replicas changed, "old" gone, ten new ConfigMaps. */
  function setup(): { dir: string; old: Map<string, string>; next: Map<string, string>; toNew: () => void; toOld: () => void } {
    const dir = seed();
    const deployment = path.join(dir, 'in/test/deployment.yaml');
    const base = readFileSync(deployment, 'utf8');
    const toOld = () => {
      writeFileSync(deployment, base);
      for (let i = 0; i < 10; i++) rmSync(path.join(dir, `in/test/cm-${i}.yaml`), { force: true });
      write(dir, 'in/test/old.yaml', configMap('old'));
    };
    const toNew = () => {
      writeFileSync(deployment, base.replace('replicas: 3', 'replicas: 4'));
      rmSync(path.join(dir, 'in/test/old.yaml'), { force: true });
      for (let i = 0; i < 10; i++) write(dir, `in/test/cm-${i}.yaml`, configMap(`cm-${i}`, `value ${i}`));
    };
    toNew();
    expect(cli(dir, ['render', 'in', '-o', 'ref-new']).code).toBe(0);
    toOld();
    expect(cli(dir, ['render', 'in', '-o', 'ref-old']).code).toBe(0);
    expect(cli(dir, ['render', 'in', '-o', 'out']).code).toBe(0);
    // files of the user's in the output directory stay through everything below
    write(dir, 'out/NOTES.md', 'mine\n');
    write(dir, 'out/clusters/cluster1/extra.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata: {name: extra}\n');
    toNew();
    return { dir, old: rendered(path.join(dir, 'ref-old')), next: rendered(path.join(dir, 'ref-new')), toNew, toOld };
  }

  const MINE = { 'NOTES.md': 'mine\n', 'clusters/cluster1/extra.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: extra}\n' };
  const withMine = (t: Map<string, string>) => new Map([...t, ...Object.entries(MINE)].sort(([a], [b]) => (a < b ? -1 : 1)));

  // 23 renames (20 new files, two kustomization.yaml and one deployment), then 2 deletes
  it.each([0, 1, 11, 23])('SIGKILL after %i renames: every file is whole, old or new; --check says so; the next render finishes the commit', async (n) => {
    const { dir, old, next, toOld } = setup();
    const run = start(dir, ['render', 'in', '-o', 'out'], { FEDC_TEST_CRASH_AFTER_RENAMES: String(n) });
    await until('the crash point', () => run.stderr().includes(`fedc-test: stopped after ${n} renames`));
    run.child.kill('SIGKILL');
    const killed = await run.done;
    expect(killed.signal).toBe('SIGKILL');
    const out = path.join(dir, 'out');
    expect(existsSync(path.join(out, '.fedc-journal')), 'the journal is left').toBe(true);

    const tree = rendered(out);
    let fresh = 0;
    for (const [rel, content] of tree) {
      if (rel in MINE) {
        expect(content).toBe(MINE[rel as keyof typeof MINE]);
        continue;
      }
      const ok = content === old.get(rel) || content === next.get(rel);
      expect(ok, `${rel} is its old or its new content, whole`).toBe(true);
      if (content === next.get(rel) && content !== old.get(rel)) fresh++;
    }
    expect(fresh, 'at least the renames before the kill are done').toBeGreaterThanOrEqual(n);

    const check = cli(dir, ['render', 'in', '-o', 'out', '--check']);
    expect(check.code).toBe(1);
    expect(check.stderr).toMatch(/error FEDC5007: out holds the unfinished commit of a render that was interrupted \(pid \d+ on .+, started .+\): its files are a mix of two renders\n {2}hint: run: fedc render in -o out \(it finishes the commit first\)/);

    if (n === 11) {
      // the next render may be of other inputs: it finishes the commit, then renders those
      toOld();
      const back = cli(dir, ['render', 'in', '-o', 'out']);
      expect(back.code).toBe(0);
      expect(back.stderr).toMatch(/^fedc - info FEDC5010: out held the unfinished commit of a render that was interrupted .*; fedc finished it \(12 files renamed into place, 2 deleted\) before rendering\n/);
      expect(rendered(out)).toEqual(withMine(old));
      return;
    }
    const again = cli(dir, ['render', 'in', '-o', 'out']);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('info FEDC5010: out held the unfinished commit of a render that was interrupted');
    expect(again.stderr).toContain(`fedc finished it (${23 - n} files renamed into place, 2 deleted) before rendering`);
    expect(again.stdout).toContain('out: 0 added, 0 changed, 0 removed, 26 unchanged');
    expect(rendered(out)).toEqual(withMine(next));
    expect(readdirSync(out).filter((f) => f.startsWith('.'))).toEqual([]);
    expect(cli(dir, ['render', 'in', '-o', 'out', '--check']).code).toBe(0);
  }, 30_000);

  it('a commit whose temporary files were removed by hand is rolled back, and the render brings the tree up to date', async () => {
    const { dir, next } = setup();
    const run = start(dir, ['render', 'in', '-o', 'out'], { FEDC_TEST_CRASH_AFTER_RENAMES: '0' });
    await until('the crash point', () => run.stderr().includes('fedc-test: stopped after 0 renames'));
    run.child.kill('SIGKILL');
    await run.done;
    rmSync(path.join(dir, 'out/clusters/cluster1/namespaces/test/.configmap-cm-0.yaml.fedc-tmp'));
    const r = cli(dir, ['render', 'in', '-o', 'out']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/info FEDC5010: out held the unfinished commit of .*, and some of its files were gone, so fedc rolled it back \(22 temporary files deleted\) before rendering/);
    expect(rendered(path.join(dir, 'out'))).toEqual(withMine(next));
  });

  it('a commit that fails halfway (an injected EIO on a rename) says so, and the next render finishes it', () => {
    const { dir, next } = setup();
    const r = cli(dir, ['render', 'in', '-o', 'out'], { FEDC_TEST_FAIL_RENAME: 'EIO:5' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error FEDC5005: cannot write out: EIO: injected failure, rename .*; the commit stopped after \d+ of 23 files were renamed into place\n {2}hint: out\/\.fedc-journal records the unfinished commit, and the next fedc render finishes it before it renders; until then the directory mixes two renders, and --check says so\n/);
    expect(cli(dir, ['render', 'in', '-o', 'out', '--check']).stderr).toContain('error FEDC5007');
    const again = cli(dir, ['render', 'in', '-o', 'out']);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('info FEDC5010');
    expect(rendered(path.join(dir, 'out'))).toEqual(withMine(next));
  });

  it('a journal naming paths fedc never writes (a hostile repository commits one) is not acted on', () => {
    const dir = seed();
    write(dir, 'victim.yaml', '# Generated by fedc, but not in the output\n');
    write(dir, 'in/rendered/clusters/cluster1/.x.fedc-tmp', '# Generated by fedc\n');
    for (const [renames, why] of [
      [['../../victim.yaml'], 'it names "../../victim.yaml", which is not a normalized path'],
      [['clusters/cluster1/../../../victim.yaml'], 'which is not a normalized path'],
      [['/etc/passwd'], 'which is not a relative POSIX path'],
      [['README.md'], 'which is outside clusters/ and dns/'],
    ] as const) {
      write(dir, 'in/rendered/.fedc-journal', JSON.stringify({ fedc: 'commit-journal', version: 1, pid: 1, hostname: 'x', started: 'x', renames, deletes: ['../../victim.yaml'] }));
      for (const args of [['render', 'in'], ['render', 'in', '--check']]) {
        const r = cli(dir, args);
        expect(r.code).toBe(1);
        expect(r.stderr).toContain('error FEDC5011: in/rendered/.fedc-journal cannot be used: ');
        expect(r.stderr).toContain(why);
      }
      expect(readFileSync(path.join(dir, 'victim.yaml'), 'utf8')).toBe('# Generated by fedc, but not in the output\n');
    }
    write(dir, 'in/rendered/.fedc-journal', 'not json');
    expect(cli(dir, ['render', 'in']).stderr).toContain('error FEDC5011: in/rendered/.fedc-journal cannot be used: it is not JSON; fedc did not act on it');
  });
});

describe('bad bytes', () => {
  const CM = (value: string, eol = '\n') => [
    'apiVersion: types.kubefed.io/v1beta1', 'kind: FederatedConfigMap', 'metadata:', '  name: cfg', '  namespace: test',
    'spec:', '  placement: {clusters: [{name: cluster1}]}', '  template:', '    data:', `      key: ${value}`, '',
  ].join(eol);

  it('invalid UTF-8 is FEDC1013 with its line and column, CRLF or not, and nothing is rendered', () => {
    for (const eol of ['\n', '\r\n']) {
      const dir = seed();
      const text = Buffer.from(CM('caf\u00e9 XX', eol), 'utf8');
      const at = text.indexOf('XX');
      text[at] = 0xe9; // Latin-1 é: not UTF-8
      text[at + 1] = 0x21;
      write(dir, 'in/test/config.yaml', text);
      const r = cli(dir, ['render', 'in', '-o', 'out', '--format', 'json']);
      expect(r.code).toBe(1);
      const [d] = JSON.parse(r.stdout).diagnostics;
      expect(d).toEqual({
        code: 'FEDC1013', severity: 'error', file: 'test/config.yaml', line: 10, col: 17,
        message: 'invalid UTF-8 (byte 0xe9); Kubernetes refuses such a file, and fedc does not guess what was meant',
        hint: 'save the file as UTF-8 (a Latin-1 or Windows-1252 file has to be converted, e.g. with iconv -f latin1 -t utf-8)',
      });
      expect(existsSync(path.join(dir, 'out'))).toBe(false);
    }
  });

  it.each([
    ['NUL', '\u0000', 'a NUL character (U+0000)'],
    ['ESC', '\u001b', 'the control character U+001B'],
    ['form feed', '\u000c', 'the control character U+000C'],
    ['DEL', '\u007f', 'the control character U+007F'],
    ['C1', '\u0090', 'the control character U+0090'],
    ['U+FFFF', '\uffff', 'the control character U+FFFF'],
  ])('%s is FEDC1014 at its position', async (_name, ch, what) => {
    const dir = seed();
    write(dir, 'in/test/config.yaml', CM(`ab${ch}c`, '\r\n'));
    const { diagnostics } = await readRepo(path.join(dir, 'in'), DEFAULT_SETTINGS);
    expect(diagnostics.map((d) => [d.code, d.file, d.line, d.col, d.message])).toEqual([
      ['FEDC1014', 'test/config.yaml', 10, 14, `${what}: YAML does not allow it in a file, and Kubernetes refuses the file`],
    ]);
  });

  it('tab, NEL and characters beyond the BMP are fine; a BOM and CRLF line ends render the same bytes as plain LF', () => {
    const dir = seed();
    write(dir, 'in/test/config.yaml', CM('"tab\there, nel\u0085 and \u{1F600}"'));
    expect(cli(dir, ['render', 'in', '-o', 'lf']).code).toBe(0);
    write(dir, 'in/test/config.yaml', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CM('"tab\there, nel\u0085 and \u{1F600}"', '\r\n'))]));
    expect(cli(dir, ['render', 'in', '-o', 'crlf']).code).toBe(0);
    // PowerShell's `>` writes UTF-16 with a BOM; kubectl reads it, so fedc does
    write(dir, 'in/test/config.yaml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(CM('"tab\there, nel\u0085 and \u{1F600}"', '\r\n'), 'utf16le')]));
    expect(cli(dir, ['render', 'in', '-o', 'utf16']).code).toBe(0);
    const lf = readTree(path.join(dir, 'lf'));
    expect(lf.get('clusters/cluster1/namespaces/test/configmap-cfg.yaml')).toContain('key: "tab\\there, nel\\N and \u{1F600}"');
    expect(readTree(path.join(dir, 'crlf'))).toEqual(lf);
    expect(readTree(path.join(dir, 'utf16'))).toEqual(lf);
  });

  it('UTF-16 without a BOM reads as NUL characters and says what the file probably is', async () => {
    const dir = seed();
    write(dir, 'in/test/config.yaml', Buffer.from(CM('b'), 'utf16le'));
    const { diagnostics } = await readRepo(path.join(dir, 'in'), DEFAULT_SETTINGS);
    expect(diagnostics.map((d) => [d.code, d.line, d.col, d.hint])).toEqual([
      ['FEDC1014', 1, 2, 'the file is full of NUL characters: is it UTF-16 without a byte-order mark? Save it as UTF-8'],
    ]);
  });

  it('a YAML error in a CRLF file keeps its line and column; fedc.yaml is read as strictly', () => {
    const dir = seed();
    write(dir, 'in/test/config.yaml', CM('[unclosed', '\r\n'));
    const r = cli(dir, ['validate', 'in', '--format', 'json']);
    const [d] = JSON.parse(r.stdout).diagnostics;
    expect([d.code, d.line]).toEqual(['FEDC1001', 11]);
    rmSync(path.join(dir, 'in/test/config.yaml'));
    write(dir, 'in/fedc.yaml', Buffer.from([0x6f, 0x75, 0x74, 0x70, 0x75, 0x74, 0x3a, 0x20, 0xff, 0x0a]));
    const s = cli(dir, ['validate', 'in', '--format', 'json']);
    expect(JSON.parse(s.stdout).diagnostics.map((x: { code: string; file: string; line: number; col: number }) => [x.code, x.file, x.line, x.col])).toEqual([['FEDC1013', 'fedc.yaml', 1, 9]]);
  });
});

describe('hostile repositories', () => {
  it('a symlinked directory that leaves the repo is named (FEDC1004) and not read, whatever the include globs', () => {
    const dir = seed();
    mkdirSync(path.join(dir, 'elsewhere'));
    write(dir, 'elsewhere/cm.yaml', configMap('from-outside'));
    symlinkSync(path.join(dir, 'elsewhere'), path.join(dir, 'in/test/linked'));
    symlinkSync('../../elsewhere', path.join(dir, 'in/clusters/more'));
    for (const settings of ['', 'include: ["clusters/**", "test/**"]\n']) {
      if (settings) write(dir, 'in/fedc.yaml', settings);
      const r = cli(dir, ['validate', 'in', '--format', 'json']);
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stdout).diagnostics).toEqual([
        { code: 'FEDC1004', severity: 'error', file: 'clusters/more', line: 0, col: 0, message: 'symlinked directory clusters/more points outside the input directory; it is not followed' },
        { code: 'FEDC1004', severity: 'error', file: 'test/linked', line: 0, col: 0, message: 'symlinked directory test/linked points outside the input directory; it is not followed' },
      ]);
    }
    // a directory no include glob reaches is not fedc's business
    write(dir, 'in/fedc.yaml', 'include: ["clusters/*.yaml", "test/*.yaml"]\n');
    expect(cli(dir, ['validate', 'in']).code).toBe(0);
  });

  it('a symlinked directory inside the repo is not walked (FEDC1015): its files are read once, where they are', () => {
    const dir = seed();
    symlinkSync('test', path.join(dir, 'in/test-again'));
    symlinkSync('..', path.join(dir, 'in/test/loop')); // a loop back to the root ends at once
    const r = cli(dir, ['render', 'in', '-o', 'out', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).diagnostics.map((d: { code: string; file: string; message: string }) => [d.code, d.file, d.message])).toEqual([
      ['FEDC1015', 'test-again', 'symlinked directory test-again (to test) is not followed: files are read where they are, once'],
      ['FEDC1015', 'test/loop', 'symlinked directory test/loop (to .) is not followed: files are read where they are, once'],
    ]);
    expect(readTree(path.join(dir, 'out')).size).toBe(6);
  });

  it('symlink loops end: a file loop is FEDC1004, a directory loop is never walked', () => {
    const dir = seed();
    symlinkSync('b.yaml', path.join(dir, 'in/test/a.yaml'));
    symlinkSync('a.yaml', path.join(dir, 'in/test/b.yaml'));
    symlinkSync('d2', path.join(dir, 'in/d1'));
    symlinkSync('d1', path.join(dir, 'in/d2'));
    const r = cli(dir, ['validate', 'in', '--format', 'json']);
    expect(r.ms).toBeLessThan(NO_HANG_MS);
    expect(JSON.parse(r.stdout).diagnostics.map((d: { code: string; message: string }) => [d.code, d.message])).toEqual([
      ['FEDC1004', 'symlink test/a.yaml is a symlink loop; it is not followed'],
      ['FEDC1004', 'symlink test/b.yaml is a symlink loop; it is not followed'],
    ]);
  });

  it('names with "..", "/" or NUL never become paths', () => {
    const dir = seed();
    write(dir, 'in/test/bad.yaml', `apiVersion: types.kubefed.io/v1beta1
kind: FederatedConfigMap
metadata: {name: "../../../../escaped", namespace: test}
spec: {template: {data: {a: b}}, placement: {clusters: [{name: cluster1}]}}
---
apiVersion: types.kubefed.io/v1beta1
kind: FederatedConfigMap
metadata: {name: "a\\0b", namespace: "te/st"}
spec: {template: {data: {a: b}}, placement: {clusters: [{name: cluster1}]}}
---
apiVersion: types.kubefed.io/v1beta1
kind: FederatedClusterRole
metadata: {name: ".."}
spec: {template: {rules: []}, placement: {clusters: [{name: cluster1}]}}
---
apiVersion: core.kubefed.io/v1beta1
kind: KubeFedCluster
metadata: {name: "../../escaped", namespace: kube-federation-system}
spec: {apiEndpoint: "https://x.example.com", secretRef: {name: x}}
---
apiVersion: core.kubefed.io/v1beta1
kind: FederatedTypeConfig
metadata: {name: widgets.example.com, namespace: kube-federation-system}
spec:
  federatedType: {group: types.kubefed.io, kind: FederatedWidget, pluralName: federatedwidgets, scope: Namespaced, version: v1beta1}
  propagation: Enabled
  targetType: {group: example.com, kind: "../../Escaped", pluralName: widgets, scope: Namespaced, version: v1}
---
apiVersion: multiclusterdns.kubefed.io/v1alpha1
kind: Domain
metadata: {name: d, namespace: kube-federation-system}
domain: "../../escaped"
nameServer: ns1.example.com
`);
    const r = cli(dir, ['render', 'in', '-o', 'out/a/b', '--format', 'json']);
    expect(r.code).toBe(1);
    const codes = JSON.parse(r.stdout).diagnostics.map((d: { code: string; line: number }) => `${d.code}@${d.line}`);
    expect(codes).toEqual(expect.arrayContaining(['FEDC2003@3', 'FEDC2003@8', 'FEDC2003@13', 'FEDC2003@18', 'FEDC2001@27', 'FEDC6003@32']));
    expect(readdirSync(dir).sort()).toEqual(['in']);
  });

  const heap = ['--max-old-space-size=384'];

  it('a 64 MiB file is refused unread (FEDC1002), fast and within a bounded heap', () => {
    const dir = seed();
    write(dir, 'in/test/huge.yaml', Buffer.alloc(64 * 1024 * 1024, 0x61));
    const r = cli(dir, ['validate', 'in'], {}, heap);
    expect(r.code).toBe(1);
    expect(r.ms).toBeLessThan(NO_HANG_MS);
    expect(r.stderr).toContain('test/huge.yaml - error FEDC1002: test/huge.yaml is 67108864 bytes; fedc reads at most 8388608 bytes per file');
  });

  it.each([
    ['flow', `data:\n  a: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`, '1:1'],
    ['block', `data:\n  a:\n  ${'- '.repeat(20_000)}x\n`, '1:1'],
    ['just too deep', `data:\n  a: ${'['.repeat(255)}${']'.repeat(255)}\n`, '5:260'],
  ])('20,000 levels of nesting (%s) are FEDC1016, not a stack overflow', (_name, body, at) => {
    const dir = seed();
    write(dir, 'in/test/deep.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\n${body}`);
    const r = cli(dir, ['render', 'in', '-o', 'out'], {}, heap);
    expect(r.code).toBe(1);
    expect(r.ms).toBeLessThan(NO_HANG_MS);
    expect(r.stderr.split('\n')[0]).toBe(`in/test/deep.yaml:${at} - error FEDC1016: document 1 nests maps and lists more than 256 levels deep; fedc refuses it`);
  });

  it('256 levels are fine', () => {
    const dir = seed();
    write(dir, 'in/test/deep.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata:\n  a: ${'['.repeat(254)}${']'.repeat(254)}\n`);
    const r = cli(dir, ['validate', 'in', '--format', 'json']);
    expect(JSON.parse(r.stdout).diagnostics.map((d: { code: string }) => d.code)).toEqual(['FEDC2009']);
  });

  it('an alias bomb is FEDC1003, fast and within a bounded heap', () => {
    const dir = seed();
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    let prev = 'a';
    for (const c of 'bcdefghi') {
      lines.push(`${c}: &${c} [${Array(9).fill(`*${prev}`).join(',')}]`);
      prev = c;
    }
    write(dir, 'in/test/bomb.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
    const r = cli(dir, ['render', 'in', '-o', 'out'], {}, heap);
    expect(r.code).toBe(1);
    expect(r.ms).toBeLessThan(NO_HANG_MS);
    expect(r.stderr.split('\n')[0]).toBe("in/test/bomb.yaml:1:1 - error FEDC1003: document 1 is an alias bomb: its aliases would make most of what it holds, which Kubernetes' YAML reader refuses too; refusing to expand it");
  });

  it('a 1 MB single-line scalar renders cleanly', () => {
    const dir = seed();
    const big = 'x'.repeat(1 << 20);
    write(dir, 'in/test/config.yaml', configMap('big', big));
    const r = cli(dir, ['render', 'in', '-o', 'out'], {}, heap);
    expect(r.code).toBe(0);
    expect(r.ms).toBeLessThan(NO_HANG_MS);
    expect(readFileSync(path.join(dir, 'out/clusters/cluster1/namespaces/test/configmap-big.yaml'), 'utf8')).toContain(big);
  });

  it('10,000 clusters, a placement naming all of them and 10,000 that are not declared: seconds, a bounded heap, one-line hints', () => {
    const dir = scratch();
    const n = 10_000;
    const clusters: string[] = [];
    for (let i = 0; i < n; i++) {
      clusters.push(`apiVersion: core.kubefed.io/v1beta1\nkind: KubeFedCluster\nmetadata: {name: c${String(i).padStart(5, '0')}, namespace: kube-federation-system}\nspec: {apiEndpoint: "https://c${i}.example.com", secretRef: {name: s}}\n`);
    }
    write(dir, 'repo/clusters.yaml', clusters.join('---\n'));
    const list = Array.from({ length: 2 * n }, (_, i) => `    - name: c${String(i).padStart(5, '0')}\n`).join('');
    write(dir, 'repo/app.yaml', `apiVersion: types.kubefed.io/v1beta1
kind: FederatedNamespace
metadata: {name: app, namespace: app}
spec: {placement: {clusterSelector: {}}}
---
apiVersion: types.kubefed.io/v1beta1
kind: FederatedConfigMap
metadata: {name: cfg, namespace: app}
spec:
  template: {data: {a: b}}
  placement:
    clusters:
${list}`);
    const v = cli(dir, ['validate', 'repo'], {}, ['--max-old-space-size=768']);
    expect(v.code).toBe(0);
    expect(v.ms).toBeLessThan(NO_HANG_MS);
    expect(v.stderr).toContain('ok: 10000 clusters, 20000 objects');
    const warnings = v.stderr.split('\n').filter((l) => l.includes('warning FEDC3002'));
    expect(warnings).toHaveLength(n);
    expect(v.stderr).toContain('  hint: declared clusters: c00000, c00001, c00002, c00003, c00004, c00005, c00006, c00007, c00008, c00009, c00010, c00011, c00012, c00013, c00014, c00015, c00016, c00017, c00018, c00019 and 9980 more\n');
    const s = cli(dir, ['render', 'repo', '--stdout', '--cluster', 'c09999'], {}, ['--max-old-space-size=768']);
    expect(s.code).toBe(0);
    expect(s.ms).toBeLessThan(NO_HANG_MS);
    expect(s.stdout).toContain('kind: ConfigMap');
  }, 3 * NO_HANG_MS);

  it('a symlink inside the output directory is never written through (FEDC5012)', () => {
    const dir = seed();
    expect(cli(dir, ['render', 'in', '-o', 'out']).code).toBe(0);
    mkdirSync(path.join(dir, 'elsewhere'));
    rmSync(path.join(dir, 'out/clusters/cluster1/namespaces'), { recursive: true });
    symlinkSync(path.join(dir, 'elsewhere'), path.join(dir, 'out/clusters/cluster1/namespaces'));
    const r = cli(dir, ['render', 'in', '-o', 'out']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error FEDC5012: cannot write out: clusters/cluster1/namespaces is a symlink; fedc does not write through symlinks (it would write clusters/cluster1/namespaces/test/deployment-test.yaml wherever it points)');
    expect(readdirSync(path.join(dir, 'elsewhere'))).toEqual([]);
    // the whole clusters/ directory as a symlink: nothing is read or deleted through it either
    rmSync(path.join(dir, 'out'), { recursive: true });
    mkdirSync(path.join(dir, 'out'));
    write(dir, 'elsewhere/cluster9/kustomization.yaml', '# Generated by fedc for cluster cluster9; do not edit.\n');
    symlinkSync(path.join(dir, 'elsewhere'), path.join(dir, 'out/clusters'));
    expect(cli(dir, ['render', 'in', '-o', 'out']).stderr).toContain('error FEDC5012: cannot write out: clusters is a symlink');
    expect(existsSync(path.join(dir, 'elsewhere/cluster9/kustomization.yaml'))).toBe(true);
  });

  it("fedc.yaml's output cannot leave the repo through a symlink (FEDC5012); -o can", () => {
    const dir = seed();
    mkdirSync(path.join(dir, 'elsewhere'));
    symlinkSync(path.join(dir, 'elsewhere'), path.join(dir, 'in/rendered'));
    const r = cli(dir, ['render', 'in']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error FEDC5012: the output directory in/rendered leads outside the repository through a symlink (to ${path.join(dir, 'elsewhere')})`);
    expect(readdirSync(path.join(dir, 'elsewhere'))).toEqual([]);
    symlinkSync(path.join(dir, 'elsewhere'), path.join(dir, 'link'));
    rmSync(path.join(dir, 'in/rendered'));
    expect(cli(dir, ['render', 'in', '-o', 'link']).code).toBe(0);
    expect(readdirSync(path.join(dir, 'elsewhere'))).toEqual(['clusters']);
  });
});

describe('full and unwritable disks', () => {
  it('an output directory under /proc is FEDC5005 at once, never a hang (mkdir -p there loops forever in Node 20)', () => {
    const dir = seed();
    const r = spawnSync(process.execPath, [CLI, 'render', 'in', '-o', '/proc/fedc-nonexistent/out'], { cwd: dir, encoding: 'utf8', timeout: NO_HANG_MS });
    expect(r.signal).toBe(null);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("fedc - error FEDC5005: cannot write /proc/fedc-nonexistent/out: ENOENT: no such file or directory, mkdir '/proc/fedc-nonexistent'\n");
  });

  it('an output path that is a dangling symlink is FEDC5005 naming what is in the way', () => {
    const dir = seed();
    symlinkSync(path.join(dir, 'nowhere'), path.join(dir, 'out'));
    const r = cli(dir, ['render', 'in', '-o', 'out']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`fedc - error FEDC5005: cannot write out: EEXIST: file already exists, mkdir '${path.join(dir, 'out')}'\n`);
  });

  function rendered6(): { dir: string; before: Map<string, string> } {
    const dir = seed();
    expect(cli(dir, ['render', 'in', '-o', 'out']).code).toBe(0);
    for (let i = 0; i < 5; i++) write(dir, `in/test/cm-${i}.yaml`, configMap(`cm-${i}`));
    age(path.join(dir, 'out'));
    return { dir, before: snapshot(path.join(dir, 'out')) };
  }

  it.each([
    ['ENOSPC', 'FEDC5009', 'cannot write out: the disk of out is full (ENOSPC: injected failure, write'],
    ['EDQUOT', 'FEDC5009', 'cannot write out: the disk of out is full (EDQUOT: injected failure, write'],
    ['EACCES', 'FEDC5005', 'cannot write out: EACCES: injected failure, write'],
    ['EROFS', 'FEDC5005', 'cannot write out: EROFS: injected failure, write'],
  ])('a write failing with %s (injected) is %s, and the previous output stays byte for byte', (errno, code, message) => {
    const { dir, before } = rendered6();
    const r = cli(dir, ['render', 'in', '-o', 'out'], { FEDC_TEST_FAIL_WRITE: `${errno}:3` });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`fedc - error ${code}: ${message}`);
    expect(r.stderr).toContain('  hint: the previous output was left as it was\n');
    expect(snapshot(path.join(dir, 'out'))).toEqual(before);
  });

  it('a write that fails takes the directories it made with it, and a commit finished by the next render the directories it emptied', async () => {
    const { dir } = rendered6();
    const out = path.join(dir, 'out');
    const dirs = () => listDirs(out);
    const cluster3 = readFileSync(path.join(dir, 'in/clusters/cluster2.yaml'), 'utf8').replace(/cluster2/g, 'cluster3');
    write(dir, 'in/clusters/cluster3.yaml', cluster3);
    const before = dirs();
    const failed = cli(dir, ['render', 'in', '-o', 'out'], { FEDC_TEST_FAIL_WRITE: 'ENOSPC:3' });
    expect(failed.stderr).toContain('error FEDC5009');
    expect(dirs()).toEqual(before);
    expect(cli(dir, ['render', 'in', '-o', 'out']).code).toBe(0);
    expect(dirs()).toContain('clusters/cluster3');
    // cluster3 goes; the render is killed before its commit's deletes, and the next one finishes it
    rmSync(path.join(dir, 'in/clusters/cluster3.yaml'));
    write(dir, 'in/test/cm-0.yaml', configMap('cm-0', 'changed'));
    const run = start(dir, ['render', 'in', '-o', 'out'], { FEDC_TEST_CRASH_AFTER_RENAMES: '0' });
    await until('the crash point', () => run.stderr().includes('fedc-test: stopped after 0 renames'));
    run.child.kill('SIGKILL');
    await run.done;
    const again = cli(dir, ['render', 'in', '-o', 'out']);
    expect(again.stderr).toContain('info FEDC5010');
    expect(dirs()).toEqual(before);
  });

  it.each([
    ['EACCES', 'permission denied (EACCES)'],
    ['EIO', 'EIO'],
  ])('an input file that cannot be read (%s, injected) is FEDC1007 naming it, and the previous output stays', (errno, why) => {
    const { dir, before } = rendered6();
    // Files are read in path order: the second is clusters/cluster2.yaml.
    const r = cli(dir, ['render', 'in', '-o', 'out'], { FEDC_TEST_FAIL_READ: `${errno}:2` });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    // (and the placements naming cluster2 warn that it is not declared)
    expect(r.stderr.startsWith(`in/clusters/cluster2.yaml - error FEDC1007: clusters/cluster2.yaml cannot be read: ${why}\n`)).toBe(true);
    expect(r.stderr).toMatch(/\n1 error, \d+ warnings\nnothing was written\n$/);
    expect(snapshot(path.join(dir, 'out'))).toEqual(before);
  });

  it('an input directory that cannot be read is FEDC1007 naming it: its objects are not pruned from the output', () => {
    const dir = seed();
    write(dir, 'in/test/locked/cm.yaml', configMap('hidden'));
    expect(cli(dir, ['render', 'in', '-o', 'out']).code).toBe(0);
    const before = snapshot(path.join(dir, 'out'));
    expect([...before.keys()].filter((k) => k.endsWith('/configmap-hidden.yaml')).length).toBeGreaterThan(0);
    // A real unreadable directory: root reads any, so as root fedc runs as nobody (uid 65534),
    // which must reach the work directory and fedc itself (a clone may sit in a 0700 mktemp dir):
    // the directories on the way get o+x for the run, and their modes back after it
    const root = process.getuid?.() === 0;
    const opened: [string, number][] = [];
    if (root) {
      spawnSync('chmod', ['-R', 'a+rwX', dir]);
      for (const start of [dir, path.dirname(CLI)]) {
        for (let d = start; d !== path.dirname(d); d = path.dirname(d)) {
          const mode = statSync(d).mode & 0o7777;
          if ((mode & 0o001) === 0 && !opened.some(([o]) => o === d)) {
            opened.push([d, mode]);
            chmodSync(d, mode | 0o001);
          }
        }
      }
    }
    chmodSync(path.join(dir, 'in/test/locked'), 0o000);
    try {
      const r = spawnSync(process.execPath, [CLI, 'render', 'in', '-o', 'out'], {
        cwd: dir, encoding: 'utf8', env: { ...process.env, FEDC_NO_CACHE: '1' }, ...(root ? { uid: 65534, gid: 65534 } : {}),
      });
      noCrash({ code: r.status, stderr: r.stderr });
      expect(r.status, r.stderr).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('test/locked - error FEDC1007: directory test/locked cannot be read: permission denied (EACCES)\n'
        + '  hint: its files would be left out of the render: make it readable, or exclude it in fedc.yaml\n');
      expect(r.stderr).toMatch(/\nnothing was written\n$/);
    } finally {
      chmodSync(path.join(dir, 'in/test/locked'), 0o755);
      for (const [d, mode] of opened) chmodSync(d, mode);
    }
    expect(snapshot(path.join(dir, 'out'))).toEqual(before);
  });

  const canMount = (() => {
    if (process.getuid?.() !== 0) return false;
    const probe = tempDir('fedc-mount-probe-');
    const ok = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe]).status === 0;
    if (ok) spawnSync('umount', [probe]);
    cleanup(probe);
    return ok;
  })();

  it.skipIf(!canMount)('a real full tmpfs is FEDC5009 and a read-only one FEDC5005, and the previous output stays (needs root to mount)', () => {
    const dir = seed();
    const mnt = path.join(dir, 'mnt');
    mkdirSync(mnt);
    expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=96k', 'tmpfs', mnt]).status).toBe(0);
    try {
      expect(cli(dir, ['render', 'in', '-o', 'mnt/out']).code).toBe(0);
      age(path.join(mnt, 'out'));
      const before = snapshot(path.join(mnt, 'out'));
      // leave a few pages: the next render needs far more
      spawnSync('dd', ['if=/dev/zero', `of=${path.join(mnt, 'filler')}`, 'bs=4k', 'count=12']);
      for (let i = 0; i < 40; i++) write(dir, `in/test/cm-${i}.yaml`, configMap(`cm-${i}`, 'v'.repeat(2000)));
      const full = cli(dir, ['render', 'in', '-o', 'mnt/out']);
      expect(full.code).toBe(1);
      expect(full.stderr).toMatch(/fedc - error FEDC5009: cannot write mnt\/out: the disk of mnt\/out is full \(ENOSPC: no space left on device/);
      expect(full.stderr).toContain('  hint: the previous output was left as it was\n');
      expect(snapshot(path.join(mnt, 'out'))).toEqual(before);
      // not a byte left, not even for the lock file: the same error, and no lock left behind
      spawnSync('dd', ['if=/dev/zero', `of=${path.join(mnt, 'filler2')}`, 'bs=4k']);
      const none = cli(dir, ['render', 'in', '-o', 'mnt/out']);
      expect(none.code).toBe(1);
      expect(none.stderr).toContain('fedc - error FEDC5009: cannot write mnt/out: the disk of mnt/out is full (ENOSPC');
      expect(existsSync(path.join(mnt, 'out/.fedc-lock'))).toBe(false);
      expect(snapshot(path.join(mnt, 'out'))).toEqual(before);
      rmSync(path.join(mnt, 'filler'));
      rmSync(path.join(mnt, 'filler2'));
      expect(spawnSync('mount', ['-o', 'remount,ro', mnt]).status).toBe(0);
      const ro = cli(dir, ['render', 'in', '-o', 'mnt/out']);
      expect(ro.code).toBe(1);
      expect(ro.stderr).toMatch(/fedc - error FEDC5005: cannot write mnt\/out: EROFS: read-only file system/);
      expect(snapshot(path.join(mnt, 'out'))).toEqual(before);
    } finally {
      spawnSync('umount', [mnt]);
    }
  });
});

describe('files fedc did not write', () => {
  it('--layout manifest warns about a manifest in a cluster directory (FEDC5008); --check lists them in both layouts without failing', () => {
    const dir = seed();
    for (const layout of ['manifest', 'object']) {
      const out = `out-${layout}`;
      expect(cli(dir, ['render', 'in', '-o', out, '--layout', layout]).code).toBe(0);
      write(dir, `${out}/clusters/cluster1/extra.yaml`, 'apiVersion: v1\nkind: Namespace\nmetadata: {name: extra}\n');
      write(dir, `${out}/clusters/cluster1/sub/more.json`, '{}');
      write(dir, `${out}/clusters/cluster1/NOTES.md`, 'not applied by anyone\n');
      write(dir, `${out}/README.yaml`, 'outside every cluster directory\n');
      const r = cli(dir, ['render', 'in', '-o', out, '--layout', layout]);
      expect(r.code).toBe(0);
      if (layout === 'manifest') {
        expect(r.stderr).toBe(
          `fedc - warning FEDC5008: ${out}/clusters/cluster1/extra.yaml was not written by fedc; an Argo CD directory application of ${out}/clusters/cluster1 would apply it with the rendered manifest\n` +
            '  hint: fedc leaves it where it is: move it out of the cluster directory unless it is meant for that cluster\n' +
            `fedc - warning FEDC5008: ${out}/clusters/cluster1/sub/more.json was not written by fedc; an Argo CD directory application of ${out}/clusters/cluster1 would apply it with the rendered manifest\n` +
            '  hint: fedc leaves it where it is: move it out of the cluster directory unless it is meant for that cluster\n' +
            '0 errors, 2 warnings\n',
        );
        const strict = cli(dir, ['render', 'in', '-o', out, '--layout', layout, '--strict']);
        expect(strict.code).toBe(1);
        expect(strict.stderr).toContain('error FEDC5008');
        expect(strict.stderr.endsWith('nothing was written\n')).toBe(true);
      } else {
        expect(r.stderr).toBe('');
      }
      const check = cli(dir, ['render', 'in', '-o', out, '--layout', layout, '--check']);
      expect(check.code).toBe(0);
      expect(check.stderr).toBe(
        `  foreign:  clusters/cluster1/extra.yaml (not written by fedc; left alone)\n  foreign:  clusters/cluster1/sub/more.json (not written by fedc; left alone)\n${out} is up to date (${layout === 'manifest' ? 4 : 6} files)\n`,
      );
      expect(readFileSync(path.join(dir, out, 'clusters/cluster1/extra.yaml'), 'utf8')).toContain('name: extra');
    }
  });

  it('a file of yours at a path fedc renders to is never written over: FEDC5013, nothing written, --check fails too', () => {
    for (const layout of ['object', 'manifest']) {
      const dir = seed();
      // a file fedc renders in this layout, made the user's (no header), and kustomization.yaml beside it
      expect(cli(dir, ['render', 'in', '-o', 'out', '--layout', layout]).code).toBe(0);
      const theirs = layout === 'manifest' ? 'clusters/cluster1/manifest.yaml' : 'clusters/cluster1/namespaces/test/deployment-test.yaml';
      write(dir, `out/${theirs}`, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: mine}\n');
      write(dir, 'out/clusters/cluster1/kustomization.yaml', 'resources: [mine.yaml]\n');
      write(dir, 'in/test/cm-new.yaml', configMap('new')); // something to write
      age(path.join(dir, 'out'));
      const before = snapshot(path.join(dir, 'out'));
      const r = cli(dir, ['render', 'in', '-o', 'out', '--layout', layout]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      const said = (rel: string) => `fedc - error FEDC5013: out/${rel} was not written by fedc, and fedc renders a file to that path\n`
        + '  hint: fedc never writes over a file of yours: move it out of the output directory (or delete it), then run again\n';
      const both = [theirs, 'clusters/cluster1/kustomization.yaml'].sort();
      expect(r.stderr).toBe(`${both.map(said).join('')}2 errors, 0 warnings\nnothing was written\n`);
      expect(snapshot(path.join(dir, 'out'))).toEqual(before);
      const check = cli(dir, ['render', 'in', '-o', 'out', '--layout', layout, '--check']);
      expect(check.code).toBe(1);
      expect(check.stderr).toContain(said(theirs));
      // moved away, the render writes fedc's file there
      rmSync(path.join(dir, 'out', theirs));
      rmSync(path.join(dir, 'out/clusters/cluster1/kustomization.yaml'));
      expect(cli(dir, ['render', 'in', '-o', 'out', '--layout', layout]).code).toBe(0);
      expect(readFileSync(path.join(dir, 'out', theirs), 'utf8')).toMatch(/^# Generated by fedc/);
    }
  });
});

describe('validate agrees with render', () => {
  it('two objects that would be written to one file are an error for validate too (FEDC5003)', () => {
    const dir = seed();
    const ftc = (group: string, fk: string) => `apiVersion: core.kubefed.io/v1beta1
kind: FederatedTypeConfig
metadata: {name: widgets.${group}, namespace: kube-federation-system}
spec:
  federatedType: {group: types.kubefed.io, kind: ${fk}, pluralName: ${fk.toLowerCase()}s, scope: Namespaced, version: v1beta1}
  propagation: Enabled
  targetType: {group: ${group}, kind: Widget, pluralName: widgets, scope: Namespaced, version: v1}
---
apiVersion: types.kubefed.io/v1beta1
kind: ${fk}
metadata: {name: w, namespace: test}
spec: {template: {spec: {}}, placement: {clusters: [{name: cluster1}]}}
`;
    write(dir, 'in/test/a.yaml', ftc('a.example.com', 'FederatedWidgetA'));
    write(dir, 'in/test/b.yaml', ftc('b.example.com', 'FederatedWidgetB'));
    const v = cli(dir, ['validate', 'in', '--format', 'json']);
    const r = cli(dir, ['render', 'in', '-o', 'out', '--format', 'json']);
    expect(v.code).toBe(1);
    expect(r.code).toBe(1);
    const codes = (x: RunResult) => JSON.parse(x.stdout).diagnostics.filter((d: { severity: string }) => d.severity === 'error');
    expect(codes(v)).toEqual(codes(r));
    expect(codes(v).map((d: { code: string }) => d.code)).toEqual(['FEDC5003']);
    expect(codes(v)[0].message).toBe('Widget w (a.example.com/v1, FederatedWidgetA at test/a.yaml:9) and Widget w (b.example.com/v1, FederatedWidgetB at test/b.yaml:9) would both be written to clusters/cluster1/namespaces/test/widget-w.yaml');
  });
});

describe('output file names that differ only in case', () => {
  it('are a warning (FEDC5014) in validate and render, an error with --strict; both files are written', () => {
    const dir = seed();
    const role = (name: string) => `apiVersion: types.kubefed.io/v1beta1\nkind: FederatedRole\nmetadata: {name: ${name}, namespace: test}\nspec:\n  template: {rules: []}\n  placement: {clusters: [{name: cluster1}]}\n`;
    write(dir, 'in/test/roles.yaml', role('UPPER') + '---\n' + role('upper'));
    const warning = 'warning FEDC5014: Role UPPER and Role upper are written to clusters/cluster1/namespaces/test/role-UPPER.yaml and clusters/cluster1/namespaces/test/role-upper.yaml, which differ only in case: a checkout on a case-insensitive file system (macOS, Windows) keeps one of them';
    const v = cli(dir, ['validate', 'in']);
    expect(v.code).toBe(0);
    expect(v.stderr).toContain(`test/roles.yaml:8:1 - ${warning}\n`);
    const r = cli(dir, ['render', 'in', '-o', 'out']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(warning);
    expect(readdirSync(path.join(dir, 'out/clusters/cluster1/namespaces/test')).filter((f) => f.startsWith('role-')).sort()).toEqual(['role-UPPER.yaml', 'role-upper.yaml']);
    for (const cmd of [['validate', 'in', '--strict'], ['render', 'in', '-o', 'out2', '--strict']]) {
      const s = cli(dir, cmd);
      expect(s.code, cmd.join(' ')).toBe(1);
      expect(s.stderr).toContain('error FEDC5014');
    }
    expect(existsSync(path.join(dir, 'out2'))).toBe(false);
  });
});

describe('the previous output fedc reads (DNS serials, replica plans)', () => {
  it('is read only from regular files with no symlink on the way: anything else is no file, and nothing waits on a FIFO', () => {
    const dir = scratch();
    const out = path.join(dir, 'out');
    write(dir, 'out/dns/zones/example.com.zone', 'zone\n');
    write(dir, 'secret/example.org.zone', 'not fedc\'s\n');
    symlinkSync(path.join(dir, 'secret/example.org.zone'), path.join(out, 'dns/zones/example.org.zone'));
    symlinkSync(path.join(dir, 'secret'), path.join(out, 'linked'));
    const read = diskOutputFiles(out);
    expect(read('dns/zones/example.com.zone')).toBe('zone\n');
    expect(read('dns/zones/example.org.zone')).toBeUndefined();
    expect(read('linked/example.org.zone')).toBeUndefined();
    expect(read('dns/zones/none.zone')).toBeUndefined();
    expect(read('dns/zones')).toBeUndefined();
    if (process.platform !== 'win32') {
      expect(spawnSync('mkfifo', [path.join(out, 'dns/zones/pipe.zone')]).status).toBe(0);
      expect(read('dns/zones/pipe.zone')).toBeUndefined();
    }
  });
});
