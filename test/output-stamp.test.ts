/**
 * The output stamp (src/emit/output-stamp.ts): a render that finds its inputs and the output
 * directory exactly as a run that had nothing to do left them prints what that run printed and
 * reads nothing else; any change to the directory (a byte, a file added or removed, a journal,
 * a symlink) sends it down the full path, which then gives what a render without cache gives.
 * Run through the built CLI, as users run it; FEDC_TEST_TRACE_STAMP tells which path ran.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, lstatSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkStamp, KnownOutput, takeStamp } from '../src/emit/output-stamp.js';
import { CLI, cleanup, readTree, ROOT, tempDir } from './helpers.js';

let dir = '';
beforeAll(() => {
  dir = tempDir('fedc-stamp-');
});
afterAll(() => {
  if (dir) cleanup(dir);
});

const INPUT = path.join(ROOT, 'fixtures/real-world-mix/input');

function fedc(args: string[], cache: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    cwd: dir,
    env: { ...process.env, FEDC_CACHE_DIR: cache, FEDC_TEST_TRACE_STAMP: '1', ...env },
  });
  const trace = (r.stderr.match(/^fedc-test: output stamp (\w+)$/gm) ?? []).map((l) => l.split(' ').pop());
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr.replace(/^fedc-test: .*\n/gm, ''), trace };
}

/** A render into `out` until it has stamped the directory: write, compare (stamp taken). */
function stamped(name: string, extra: string[] = []) {
  const cache = path.join(dir, `cache-${name}`);
  const out = path.join(dir, `out-${name}`);
  const args = ['render', INPUT, '-o', out, ...extra];
  expect(fedc(args, cache).code).toBe(0);
  const second = fedc(args, cache);
  expect(second.trace).toEqual(['taken']);
  return { cache, out, args, second };
}

/**
 * The stamp held. Its entries written under RACY_MS (2 s) before it was taken may have settled by
 * now on a slow machine, which the run then says too: both are the stamp holding.
 */
function expectHolds(trace: string[]): void {
  expect([['holds'], ['holds', 'settled']]).toContainEqual(trace);
}

describe('the output stamp', () => {
  it('a render that finds nothing changed prints, byte for byte, what the render that took the stamp printed', () => {
    for (const format of ['text', 'json', 'github']) {
      const { cache, args, second } = stamped(`same-${format}`, ['--format', format]);
      const third = fedc(args, cache);
      expectHolds(third.trace);
      expect(third.code).toBe(0);
      expect(third.stdout).toBe(second.stdout);
      expect(third.stderr).toBe(second.stderr);
      // and what a run without any cache prints
      const none = fedc([...args, '--no-cache'], cache);
      expect(none.trace).toEqual([]);
      expect(third.stdout).toBe(none.stdout);
      expect(third.stderr).toBe(none.stderr);
    }
    expect(fedc(['render', INPUT, '-o', path.join(dir, 'out-same-text')], path.join(dir, 'cache-same-text')).stdout).toMatch(/0 added, 0 changed, 0 removed, \d+ unchanged\n$/);
  });

  it('render --check keeps its own stamp, and says the same', () => {
    const { cache, out } = stamped('check');
    const args = ['render', INPUT, '-o', out, '--check'];
    const first = fedc(args, cache);
    expect(first.trace).toEqual(['taken']);
    const again = fedc(args, cache);
    expectHolds(again.trace);
    expect(again).toMatchObject({ code: 0, stdout: first.stdout, stderr: first.stderr });
    expect(again.stderr).toMatch(/is up to date \(\d+ files\)\n$/);
  });

  const file = (out: string) => path.join(out, 'clusters/eks.us-east-1/kustomization.yaml');
  it.each([
    ['one byte of a file changed, size and mtime kept', (out: string) => {
      const f = file(out);
      const st = statSync(f);
      const text = readFileSync(f, 'utf8');
      writeFileSync(f, text.replace(/.$/s, text.endsWith('\n') ? '\r' : '\n'));
      utimesSync(f, st.atime, st.mtime);
    }],
    ['a file removed', (out: string) => rmSync(file(out))],
    ['a foreign file added', (out: string) => writeFileSync(path.join(out, 'clusters/eks.us-east-1/extra.yaml'), 'kind: ConfigMap\n')],
    ['a leftover temporary file', (out: string) => writeFileSync(path.join(out, 'clusters/eks.us-east-1/.kustomization.yaml.fedc-tmp'), 'x')],
    ['a file replaced by its copy', (out: string) => {
      const f = file(out);
      cpSync(f, f + '.copy');
      renameSync(f + '.copy', f);
    }],
    ['a cluster directory replaced by a symlink to its copy', (out: string) => {
      const d = path.join(out, 'clusters/eks.us-east-1');
      cpSync(d, d + '-real', { recursive: true });
      rmSync(d, { recursive: true });
      symlinkSync(d + '-real', d);
    }],
  ])('%s: the stamp no longer holds and the render does what a render without cache does', (name, change) => {
    const { cache, out, args } = stamped(`change-${name.replace(/\W+/g, '-')}`);
    change(out);
    const copy = `${out}-nocache`;
    cpSync(out, copy, { recursive: true, verbatimSymlinks: true });
    const after = fedc(args, cache);
    expect(after.trace[0]).toBe('stale');
    const none = fedc(['render', INPUT, '-o', copy, '--no-cache'], cache);
    expect(after.code).toBe(none.code);
    // (paths are shown relative to the working directory, dir)
    const named = (s: string, d: string) => s.replaceAll(path.basename(d), '<out>');
    expect(named(after.stdout, out)).toBe(named(none.stdout, copy));
    expect(named(after.stderr, out)).toBe(named(none.stderr, copy));
    expect(readTree(out)).toEqual(readTree(copy));
  });

  it('an input byte changed: the stamp is not replayed, only its word on unchanged files is taken, and the render writes the change', () => {
    const repo = path.join(dir, 'repo-edit');
    cpSync(INPUT, repo, { recursive: true });
    const cache = path.join(dir, 'cache-edit');
    const out = path.join(dir, 'out-edit');
    const args = ['render', repo, '-o', out];
    fedc(args, cache);
    expect(fedc(args, cache).trace).toEqual(['taken']);
    // and, behind the stamp's back, an output file edited and a foreign file added
    appendFileSync(file(out), '# edited\n');
    writeFileSync(path.join(out, 'clusters/eks.us-east-1/extra.yaml'), 'kind: ConfigMap\n');
    const cm = path.join(repo, 'legacy/settings-v01.yaml');
    writeFileSync(cm, readFileSync(cm, 'utf8').replace('LOG_LEVEL: info', 'LOG_LEVEL: debug'));
    const copy = `${out}-nocache`;
    cpSync(out, copy, { recursive: true });
    const edited = fedc(args, cache);
    expect(edited.trace).toEqual(['used']);
    expect(edited.stdout).toMatch(/0 added, 2 changed/);
    const none = fedc(['render', repo, '-o', copy, '--no-cache'], cache);
    const named = (s: string, d: string) => s.replaceAll(path.basename(d), '<out>');
    expect(named(edited.stdout, out)).toBe(named(none.stdout, copy));
    expect(named(edited.stderr, out)).toBe(named(none.stderr, copy));
    expect(readTree(out)).toEqual(readTree(copy));
    // The next run finds nothing to do and stamps again; the one after replays it.
    expect(fedc(args, cache).trace).toEqual(['used', 'taken']);
    expectHolds(fedc(args, cache).trace);
  });

  it('what a stamp says of a file counts only while its signature holds, and never for a racy entry', async () => {
    const out = path.join(dir, 'out-known');
    const cache = path.join(dir, 'cache-known');
    expect(fedc(['render', INPUT, '-o', out], cache).code).toBe(0);
    await new Promise((r) => setTimeout(r, 2_100)); // older than the racy window
    const k = 'clusters/eks.us-east-1/kustomization.yaml';
    const st = () => lstatSync(path.join(out, k), { bigint: true });
    const stamp = takeStamp(out, 'key', { scopes: ['clusters'], keep: [], files: [] }, new Map([[k, 'fedc:abc']]), null)!;
    expect(stamp.racy).toEqual([]);
    const known = new KnownOutput(stamp);
    expect(known.content(k, st())).toBe('fedc:abc');
    expect(known.names('clusters', lstatSync(path.join(out, 'clusters'), { bigint: true }))).toEqual(expect.arrayContaining(['eks.us-east-1', 'aks.westeurope']));
    appendFileSync(path.join(out, k), '');
    expect(known.content(k, st())).toBe('fedc:abc'); // appending nothing changes nothing
    appendFileSync(path.join(out, k), '#');
    expect(known.content(k, st())).toBeUndefined();
    const racy = new KnownOutput(takeStamp(out, 'key', { scopes: ['clusters'], keep: [], files: [] }, new Map([[k, 'fedc:abc']]), null)!);
    expect(racy.content(k, st())).toBeUndefined();
    // Through the CLI, with a stamp older than the racy window: other inputs, the same tree as without cache.
    const repo = path.join(dir, 'repo-known');
    cpSync(INPUT, repo, { recursive: true });
    const args = ['render', repo, '-o', out];
    fedc(args, cache);
    await new Promise((r) => setTimeout(r, 2_100));
    expect(fedc(args, cache).trace).toEqual(['taken']);
    const cm = path.join(repo, 'legacy/settings-v01.yaml');
    writeFileSync(cm, readFileSync(cm, 'utf8').replace('LOG_LEVEL: info', 'LOG_LEVEL: warn'));
    const copy = `${out}-nocache`;
    cpSync(out, copy, { recursive: true });
    const edited = fedc(args, cache);
    expect(edited.trace).toEqual(['used']);
    expect(edited.stdout).toMatch(/0 added, 1 changed/);
    expect(fedc(['render', repo, '-o', copy, '--no-cache'], cache).stdout.replaceAll(path.basename(copy), '<out>')).toBe(edited.stdout.replaceAll(path.basename(out), '<out>'));
    expect(readTree(out)).toEqual(readTree(copy));
  });

  it('keeps its paths packed: any file name round-trips, and lists that do not hold count items are no stamp', () => {
    const out = path.join(dir, 'out-packed');
    const cache = path.join(dir, 'cache-packed');
    expect(fedc(['render', INPUT, '-o', out], cache).code).toBe(0);
    // Names a user could leave in a cluster directory: spaces, a line break, non-ASCII, an empty-looking one.
    const odd = ['with space.yaml', 'line\nbreak.yaml', 'ünï 😀.yaml', ' .yaml'];
    for (const name of odd) writeFileSync(path.join(out, 'clusters/eks.us-east-1', name), 'x');
    const later = Date.now() + 60_000;
    const stamp = takeStamp(out, 'key', { scopes: ['clusters'], keep: [], files: [] }, new Map(), null, later)!;
    const paths = stamp.paths.split('\0');
    expect(paths.length).toBe(stamp.count);
    expect(stamp.signatures.split('\0').length).toBe(stamp.count);
    expect(stamp.contents.split('\0').length).toBe(stamp.count);
    for (const name of odd) expect(paths).toContain(`clusters/eks.us-east-1/${name}`);
    expect(checkStamp(out, stamp, later)).toEqual({ holds: true });
    const known = new KnownOutput(stamp);
    const st = (rel: string) => lstatSync(path.join(out, rel), { bigint: true });
    expect(known.content('clusters/eks.us-east-1/line\nbreak.yaml', st('clusters/eks.us-east-1/line\nbreak.yaml'))).toBe('other');
    expect(known.names('clusters/eks.us-east-1', st('clusters/eks.us-east-1'))).toEqual(expect.arrayContaining(odd));
    // The last signature, the one between, the first: each one changed is seen.
    const sigs = stamp.signatures.split('\0');
    for (const i of [sigs.length - 1, sigs.length >> 1, 0]) {
      const changed = sigs.map((x, j) => (j === i && x !== 'kept' ? x + '0' : x)).join('\0');
      if (changed !== stamp.signatures) expect(checkStamp(out, { ...stamp, signatures: changed }, later)).toEqual({ holds: false });
    }
    // One item more or less than count, in any list: no stamp fedc took.
    for (const bad of [
      { count: stamp.count + 1 },
      { count: stamp.count - 1 },
      { paths: stamp.paths + '\0extra' },
      { signatures: stamp.signatures + '\0' },
      { paths: stamp.paths.slice(0, stamp.paths.lastIndexOf('\0')) },
    ]) {
      expect(checkStamp(out, { ...stamp, ...bad }, later)).toEqual({ holds: false });
    }
    for (const bad of [{ count: stamp.count + 1 }, { contents: stamp.contents + '\0' }]) {
      const none = new KnownOutput({ ...stamp, ...bad });
      expect(none.names('clusters/eks.us-east-1', st('clusters/eks.us-east-1'))).toBeUndefined();
    }
  });

  it('without the cache (--no-cache, FEDC_NO_CACHE) no stamp is read or taken', () => {
    const { cache, args } = stamped('nocache');
    expect(fedc([...args, '--no-cache'], cache).trace).toEqual([]);
    expect(fedc(args, cache, { FEDC_NO_CACHE: '1' }).trace).toEqual([]);
  });

  it('entries changed within 2 s of the stamp are checked by content as well', () => {
    const out = path.join(dir, 'out-racy');
    const cache = path.join(dir, 'cache-racy');
    expect(fedc(['render', INPUT, '-o', out], cache).code).toBe(0);
    appendFileSync(file(out), '');
    const now = Date.now();
    const fresh = takeStamp(out, 'key', { scopes: ['clusters'], keep: [], files: [] }, new Map(), null, now)!;
    expect(fresh.racy.map(([rel]) => rel)).toContain('clusters/eks.us-east-1/kustomization.yaml');
    const later = takeStamp(out, 'key', { scopes: ['clusters'], keep: [], files: [] }, new Map(), null, now + 60_000)!;
    expect(later.racy).toEqual([]);
    expect(later.count).toBe(fresh.count);
    expect(later.paths).toBe(fresh.paths);
    // Checked again while they are racy, they stay racy; once settled, the stamp without them is given to store.
    expect(checkStamp(out, fresh, now)).toEqual({ holds: true });
    expect(checkStamp(out, fresh, now + 60_000)).toEqual({ holds: true, settled: { ...fresh, racy: [] } });
  });

  it('a stamp taken just after its files were written is stored again once they settle: later runs check their signatures only', async () => {
    const { cache, out, args, second } = stamped('settle');
    const before = readFileSync(file(out), 'utf8');
    await new Promise((r) => setTimeout(r, 2_100)); // older than the racy window
    const settling = fedc(args, cache);
    expect(settling.trace).toEqual(['holds', 'settled']);
    const next = fedc(args, cache);
    expect(next.trace).toEqual(['holds']);
    for (const r of [settling, next]) expect([r.code, r.stdout, r.stderr]).toEqual([second.code, second.stdout, second.stderr]);
    // Settled is not trusted blindly: a byte changed is still seen.
    appendFileSync(file(out), '# edited\n');
    expect(fedc(args, cache).trace).toEqual(['stale']);
    expect(readFileSync(file(out), 'utf8')).toBe(before);
  });
});
