/**
 * The compile cache (src/read/compile-cache.ts): the same bytes with and without it, really used
 * on a hit, never trusted when corrupt, invalidated by any input byte and by the previous output it
 * read, private to its owner, bounded, and safe under concurrent runs.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import { homedir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheDir, openCompileCache, recordingOutput } from '../src/read/compile-cache.js';
import { CLI, cleanup, readTree, ROOT, tempDir } from './helpers.js';

let dir = '';
beforeAll(() => {
  dir = tempDir('fedc-cache-');
});
afterAll(() => {
  if (dir) cleanup(dir);
});

function run(args: string[], cache: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, FEDC_CACHE_DIR: cache, ...env } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
const entries = (cache: string) => (existsSync(cache) ? readdirSync(cache).filter((f) => f.endsWith('.bin')) : []);
const FIXTURES = readdirSync(path.join(ROOT, 'fixtures')).filter((n) => statSync(path.join(ROOT, 'fixtures', n, 'input'), { throwIfNoEntry: false })?.isDirectory());

describe('the compile cache', () => {
  it('gives the same bytes as no cache, on every fixture and a generated repo, cold and warm', () => {
    const repo = path.join(dir, 'gen');
    spawnSync(process.execPath, [path.join(ROOT, 'bench/gen-workload.mjs'), repo, '--clusters', '8', '--resources', '150', '--seed', '5']);
    for (const input of [...FIXTURES.map((n) => path.join(ROOT, 'fixtures', n, 'input')), repo]) {
      const cache = path.join(dir, `cache-${path.basename(path.dirname(input))}`);
      const out = (name: string) => path.join(dir, `out-${path.basename(path.dirname(input))}-${name}`);
      expect(run(['render', input, '-o', out('none'), '--no-cache'], cache).code).toBe(0);
      expect(entries(cache)).toEqual([]); // --no-cache neither reads nor writes
      expect(run(['render', input, '-o', out('cold')], cache).code).toBe(0);
      expect(entries(cache)).toHaveLength(1);
      expect(run(['render', input, '-o', out('warm')], cache).code).toBe(0);
      expect(readTree(out('cold')), input).toEqual(readTree(out('none')));
      expect(readTree(out('warm')), input).toEqual(readTree(out('none')));
    }
  });

  it('is really read on a hit, and a corrupt or truncated entry is ignored, never trusted', () => {
    const input = path.join(ROOT, 'fixtures/seed-000-microbot/input');
    const cache = path.join(dir, 'cache-tamper');
    const args = ['render', input, '--stdout', '--cluster', 'aws'];
    const truth = run(args, cache).stdout;
    expect(truth).toContain('kind: Deployment');
    const [name] = entries(cache);
    const file = path.join(cache, name!);
    // A well-formed entry whose result differs: a hit must show it (so the cache is in use).
    const buf = readFileSync(file);
    const magic = buf.subarray(0, 13);
    const v = deserialize(buf.subarray(13 + 32)) as { result: { objects: Record<string, unknown>[]; yaml?: unknown } };
    expect(v.result.yaml, 'entries hold objects, not their YAML').toBeUndefined();
    const i = v.result.objects.findIndex((x) => x.kind === 'Deployment');
    (v.result.objects[i]!.metadata as Record<string, unknown>).name = 'from-the-cache';
    const payload = serialize(v);
    const key = name!.replace(/\.bin$/, '');
    writeFileSync(file, Buffer.concat([magic, createHash('sha256').update(`${key}\0`).update(payload).digest(), payload]));
    expect(run(args, cache).stdout).toContain('name: from-the-cache');
    expect(run([...args, '--no-cache'], cache).stdout).toBe(truth);
    // A flipped byte (the digest no longer matches) and a truncated entry are ignored.
    const flipped = Buffer.from(readFileSync(file));
    flipped[flipped.length - 5]! ^= 0xff;
    writeFileSync(file, flipped);
    expect(run(args, cache).stdout).toBe(truth);
    truncateSync(path.join(cache, entries(cache)[0]!), 100);
    expect(run(args, cache).stdout).toBe(truth);
  });

  it('misses when any input byte changes', () => {
    const repo = path.join(dir, 'edit');
    cpSync(path.join(ROOT, 'fixtures/seed-000-microbot/input'), repo, { recursive: true });
    const cache = path.join(dir, 'cache-edit');
    const args = ['render', repo, '--stdout', '--cluster', 'aws'];
    const first = run(args, cache);
    expect(first.stdout).toContain('replicas: 5');
    const f = path.join(repo, 'test-ns/deployment-microbot.yaml');
    writeFileSync(f, readFileSync(f, 'utf8').replace('      value: 5\n  - clusterName: azure', '      value: 6\n  - clusterName: azure'));
    const second = run(args, cache);
    expect(second.stdout).toBe(run([...args, '--no-cache'], cache).stdout);
    expect(second.stdout).toContain('replicas: 6');
    expect(entries(cache)).toHaveLength(2);
  });

  it("a commit's compile seen before is found by its blob ids, without reading a blob (fedc diff's base side)", () => {
    const repo = path.join(dir, 'git-side');
    cpSync(path.join(ROOT, 'fixtures/seed-000-microbot/input'), repo, { recursive: true });
    const git = (...a: string[]) => {
      const r = spawnSync('git', ['-C', repo, ...a], { encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x' } });
      expect(r.status, r.stderr).toBe(0);
      return r.stdout;
    };
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'fleet');
    const f = path.join(repo, 'test-ns/deployment-microbot.yaml');
    writeFileSync(f, readFileSync(f, 'utf8').replace('      value: 5\n  - clusterName: azure', '      value: 6\n  - clusterName: azure'));
    const cache = path.join(dir, 'cache-git-side');
    const first = run(['diff', repo], cache);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/-\s+replicas: 5\n\+\s+replicas: 6/);
    // HEAD's blob of the edited file is gone from the object store: only a read of it would fail.
    const oid = git('rev-parse', 'HEAD:test-ns/deployment-microbot.yaml').trim();
    rmSync(path.join(repo, '.git/objects', oid.slice(0, 2), oid.slice(2)));
    const again = run(['diff', repo], cache);
    expect(again).toEqual(first);
    const uncached = run(['diff', repo, '--no-cache'], cache);
    const head = git('rev-parse', 'HEAD').trim();
    expect(uncached.code).toBe(1);
    expect(uncached.stdout).toBe('');
    expect(uncached.stderr).toBe(`fedc diff: HEAD (${head.slice(0, 7)}) does not compile:\n` +
      `${repo}/test-ns/deployment-microbot.yaml - error FEDC1017: test-ns/deployment-microbot.yaml at HEAD (${head.slice(0, 7)}) cannot be read: git object ${oid} is missing from the repository\n` +
      `  hint: the clone lacks its objects (a shallow or partial clone) or its object store is damaged: fetch the revision with its objects (git fetch --unshallow, or git fetch origin ${head}), or run git fsck\n` +
      '1 error, 0 warnings\n');
  });

  it("is keyed by fedc's own code: any file of dist/ whose size or time changes makes another key", () => {
    // A copy of dist/ (its modules find node_modules/ from the copy's parent), asked for the key of one compile.
    const copy = path.join(dir, 'code-identity');
    cpSync(path.join(ROOT, 'dist'), path.join(copy, 'dist'), { recursive: true });
    cpSync(path.join(ROOT, 'package.json'), path.join(copy, 'package.json'));
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'));
    const key = () => {
      const script = `const { compileKey } = await import(${JSON.stringify(pathToFileURL(path.join(copy, 'dist/read/compile-cache.js')).href)});
        process.stdout.write(compileKey({ a: 1 }, 'include: []', [{ path: 'a.yaml', text: 'a: 1' }]));`;
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      return r.stdout;
    };
    const first = key();
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(key()).toBe(first);
    const file = path.join(copy, 'dist/render/json-patch.js');
    utimesSync(file, new Date(2001, 0, 1), new Date(2001, 0, 1));
    const touched = key();
    expect(touched).not.toBe(first);
    writeFileSync(path.join(copy, 'dist/emit/extra.js'), '');
    expect(key()).not.toBe(touched);
  });

  it('an entry under another key\'s name, or no regular file in an entry\'s place (a FIFO, /dev/zero), is no entry, never a hang', () => {
    const cache = path.join(dir, 'cache-misplaced');
    const microbot = ['render', path.join(ROOT, 'fixtures/seed-000-microbot/input'), '--stdout', '--cluster', 'aws'];
    const other = ['render', path.join(ROOT, 'fixtures/dns-multicloud/input'), '--stdout', '--cluster', 'aws'];
    const truth = run(microbot, cache);
    const [mine] = entries(cache);
    expect(run(other, cache).code).toBe(0);
    const [theirs] = entries(cache).filter((f) => f !== mine);
    // A whole, valid entry copied (or renamed, or linked) to microbot's key: not microbot's result
    cpSync(path.join(cache, theirs!), path.join(cache, mine!));
    expect(run(microbot, cache)).toEqual(truth);
    for (const [what, place] of [['a FIFO', (f: string) => spawnSync('mkfifo', [f])], ['a symlink to /dev/zero', (f: string) => symlinkSync('/dev/zero', f)]] as const) {
      const file = path.join(cache, mine!);
      rmSync(file, { force: true });
      place(file);
      const r = spawnSync(process.execPath, [CLI, ...microbot], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, FEDC_CACHE_DIR: cache } });
      expect([what, r.status, r.signal, r.stdout, r.stderr]).toEqual([what, 0, null, truth.stdout, truth.stderr]);
      expect([what, statSync(file).isFile()]).toEqual([what, true]); // replaced by the entry this run wrote
    }
  });

  it('a directory the user names keeps its mode, and only fedc\'s own stale temporary files are deleted from it', () => {
    const shared = path.join(dir, 'shared');
    mkdirSync(shared, { mode: 0o1777 });
    chmodSync(shared, 0o1777);
    const old = new Date(Date.now() - 2 * 3600_000);
    const mine = path.join(shared, `.${'b'.repeat(64)}.0123456789ab.tmp`);
    const theirs = path.join(shared, 'notes.tmp');
    for (const f of [mine, theirs]) {
      writeFileSync(f, 'x');
      utimesSync(f, old, old);
    }
    const cache = openCompileCache(() => undefined, { FEDC_CACHE_DIR: shared })!;
    cache.put('c'.repeat(64), { diagnostics: [], failed: false, clusters: [], dns: { zones: [], endpoints: [] }, unplaced: [] }, new Map());
    expect(statSync(shared).mode & 0o7777).toBe(0o1777);
    expect([existsSync(mine), existsSync(theirs)]).toEqual([false, true]);
  });

  it('misses when the previous output it read has changed', () => {
    const cache = openCompileCache(() => 'replicas: 3', { FEDC_CACHE_DIR: path.join(dir, 'cache-reads') })!;
    const recorded = recordingOutput((rel) => (rel === 'clusters/a/x.yaml' ? 'replicas: 3' : undefined));
    recorded.output('clusters/a/x.yaml');
    recorded.output('clusters/a/none.yaml');
    const result = { diagnostics: [], failed: false, clusters: [], dns: { zones: [], endpoints: [] } };
    cache.put('a'.repeat(64), result, recorded.reads);
    const same = openCompileCache((rel) => (rel === 'clusters/a/x.yaml' ? 'replicas: 3' : undefined), { FEDC_CACHE_DIR: path.join(dir, 'cache-reads') })!;
    expect(same.get('a'.repeat(64))?.result).toEqual(result);
    const changed = openCompileCache((rel) => (rel === 'clusters/a/x.yaml' ? 'replicas: 4' : undefined), { FEDC_CACHE_DIR: path.join(dir, 'cache-reads') })!;
    expect(changed.get('a'.repeat(64))).toBeUndefined();
    const appeared = openCompileCache(() => 'replicas: 3', { FEDC_CACHE_DIR: path.join(dir, 'cache-reads') })!;
    expect(appeared.get('a'.repeat(64))).toBeUndefined(); // none.yaml exists now
  });

  it('is private to its owner (it holds Secrets) and stays within FEDC_CACHE_MAX_MB', () => {
    const cache = path.join(dir, 'cache-small');
    for (const n of FIXTURES) expect(run(['validate', path.join(ROOT, 'fixtures', n, 'input')], cache, { FEDC_CACHE_MAX_MB: '1' }).code).toBe(0);
    expect(statSync(cache).mode & 0o777).toBe(0o700);
    const files = entries(cache);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(statSync(path.join(cache, f)).mode & 0o777).toBe(0o600);
    const total = files.reduce((n, f) => n + statSync(path.join(cache, f)).size, 0);
    expect(total).toBeLessThanOrEqual(1024 * 1024);
  });

  it('a cache directory under /proc (FEDC_CACHE_DIR, or HOME for the default) is no cache, never a hang', () => {
    const input = path.join(ROOT, 'fixtures/seed-000-microbot/input');
    const args = ['render', input, '--stdout', '--cluster', 'aws'];
    const truth = run([...args, '--no-cache'], path.join(dir, 'cache-proc-none'));
    expect(truth.code).toBe(0);
    const { FEDC_CACHE_DIR: _d, XDG_CACHE_HOME: _x, FEDC_NO_CACHE: _n, ...base } = process.env;
    // mkdirSync(dir, { recursive: true }) loops forever on /proc: the timeout turns a hang into a failure
    for (const env of [{ FEDC_CACHE_DIR: '/proc/fedc-nonexistent/cache' }, { HOME: '/proc/fedc-nonexistent' }]) {
      const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 20_000, env: { ...base, ...env } });
      expect({ code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr }, JSON.stringify(env)).toEqual({ code: 0, signal: null, stdout: truth.stdout, stderr: truth.stderr });
    }
  });

  it('FEDC_NO_CACHE is read as CI is: "", "0" and "false" leave the cache on', () => {
    const input = path.join(ROOT, 'fixtures/seed-000-microbot/input');
    for (const [value, on] of [['', true], ['0', true], ['false', true], ['FALSE', true], ['1', false], ['true', false], ['yes', false]] as const) {
      const cache = path.join(dir, `cache-no-cache-${value || 'empty'}`);
      expect(run(['validate', input], cache, { FEDC_NO_CACHE: value }).code).toBe(0);
      expect(entries(cache).length > 0, `FEDC_NO_CACHE=${JSON.stringify(value)}`).toBe(on);
    }
  });

  it('a relative XDG_CACHE_HOME is ignored, as the XDG Base Directory spec says: ~/.cache/fedc', () => {
    expect(cacheDir({ XDG_CACHE_HOME: 'relative/cache' })).toBe(path.join(homedir(), '.cache', 'fedc'));
    expect(cacheDir({ XDG_CACHE_HOME: './cache' })).toBe(path.join(homedir(), '.cache', 'fedc'));
    expect(cacheDir({ XDG_CACHE_HOME: '' })).toBe(path.join(homedir(), '.cache', 'fedc'));
    expect(cacheDir({ XDG_CACHE_HOME: path.join(dir, 'xdg') })).toBe(path.join(dir, 'xdg', 'fedc'));
    expect(cacheDir({ XDG_CACHE_HOME: 'relative/cache', FEDC_CACHE_DIR: 'named' })).toBe(path.resolve('named'));
  });

  it('is safe under concurrent runs', async () => {
    const input = path.join(ROOT, 'fixtures/real-world-mix/input');
    const cache = path.join(dir, 'cache-concurrent');
    const truth = run(['render', input, '--stdout', '--cluster', 'aks.westeurope', '--no-cache'], cache).stdout;
    const runs = await Promise.all(Array.from({ length: 6 }, () => new Promise<{ code: number; stdout: string }>((resolve) => {
      const child = spawn(process.execPath, [CLI, 'render', input, '--stdout', '--cluster', 'aks.westeurope'], { env: { ...process.env, FEDC_CACHE_DIR: cache } });
      let stdout = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.on('close', (code) => resolve({ code: code ?? -1, stdout }));
    })));
    for (const r of runs) expect(r).toEqual({ code: 0, stdout: truth });
    expect(readdirSync(cache).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
