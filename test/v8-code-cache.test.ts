/**
 * The V8 code cache of the bundled CLI (scripts/build-cli.mjs, src/cli/load-bundle.ts): the build
 * writes one per script, the CLI compiles with it when it fits, only reads it, and runs the same
 * without it: missing, damaged, of another script, or made under other V8 flags (as by another
 * Node). FEDC_TEST_TRACE_CODE_CACHE=1 has the CLI say what it did with each script's cache.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, cleanup, readTree, ROOT, tempDir } from './helpers.js';

const SCRIPTS = ['bundle-program', 'bundle-commands'] as const;
const FIXTURE = path.join(ROOT, 'fixtures/seed-003-finsolutions/input');
const MAGIC = Buffer.from('fedc-v8-code-cache-1\n'.padEnd(32, '\0'));
const dir = tempDir('fedc-v8-cache-');
afterAll(() => cleanup(dir));

const TRACE = /^fedc-test: code cache (\S+) (\S+)\n/gm;

/** Runs a CLI (dist/cli/main.cjs of a package) in a fresh directory; what it printed, the trace apart, and what it wrote. */
function run(cli: string, args: string[], nodeArgs: string[] = [], env: Record<string, string> = {}) {
  const cwd = mkdtempSync(path.join(dir, 'run-'));
  const r = spawnSync(process.execPath, [...nodeArgs, cli, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '', FEDC_NO_CACHE: '1', NO_COLOR: '1', FEDC_TEST_TRACE_CODE_CACHE: '1', ...env },
  });
  const trace = Object.fromEntries([...r.stderr.matchAll(TRACE)].map((m) => [m[1], m[2]]));
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.replace(TRACE, ''), trace, cwd };
}

const render = (cli: string) => {
  const r = run(cli, ['render', FIXTURE, '-o', 'out']);
  return { ...r, out: readTree(path.join(r.cwd, 'out')) };
};

/** A copy of the package (what the CLI reads: dist/, package.json, schemas/), to damage its caches. */
function copyPackage(): { root: string; cli: string; cache: (name: string) => string; schemaCache: string } {
  const root = mkdtempSync(path.join(dir, 'pkg-'));
  for (const p of ['dist', 'package.json', 'schemas']) cpSync(path.join(ROOT, p), path.join(root, p), { recursive: true });
  return { root, cli: path.join(root, 'dist/cli/main.cjs'), cache: (name) => path.join(root, 'dist/cli', `${name}.code-cache`), schemaCache: path.join(root, 'dist/kubernetes/schemas.code-cache') };
}

const SCHEMA_MAGIC = Buffer.from('fedc-schema-code-cache-1\n'.padEnd(32, '\0'));

/** The schema cache's index (src/validate/schema-code-cache.ts): id -> [offset, length, digest]. */
function schemaIndex(bytes: Buffer): Record<string, [number, number, string]> {
  return JSON.parse(bytes.subarray(36, 36 + bytes.readUInt32BE(32)).toString('utf8')) as Record<string, [number, number, string]>;
}

describe('the V8 code cache of the CLI', () => {
  it('the build writes one for each script: its header holds the SHA-256 of the script and of V8\'s data', () => {
    for (const name of SCRIPTS) {
      const bytes = readFileSync(path.join(ROOT, 'dist/cli', `${name}.code-cache`));
      const script = readFileSync(path.join(ROOT, 'dist/cli', `${name}.js`));
      expect(bytes.subarray(0, 32).equals(MAGIC)).toBe(true);
      const data = bytes.subarray(64);
      expect(data.length).toBeGreaterThan(10_000);
      expect(bytes.subarray(32, 64).toString('hex')).toBe(createHash('sha256').update(script).update(data).digest('hex'));
    }
    // The training render compiled the compiler, so its cache is far larger than the program's.
    expect(statSync(path.join(ROOT, 'dist/cli/bundle-commands.code-cache')).size).toBeGreaterThan(4 * statSync(path.join(ROOT, 'dist/cli/bundle-program.code-cache')).size);
  });

  it('the CLI compiles with it (V8 accepts it) and never writes it', () => {
    const before = SCRIPTS.map((name) => statSync(path.join(ROOT, 'dist/cli', `${name}.code-cache`)).mtimeMs);
    const r = render(CLI);
    expect(r.code).toBe(0);
    expect(r.trace).toEqual({ 'bundle-program': 'accepted', 'bundle-commands': 'accepted', schemas: 'accepted' });
    expect(run(CLI, ['validate', FIXTURE]).trace).toEqual({ 'bundle-program': 'accepted', 'bundle-commands': 'accepted', schemas: 'accepted' });
    expect(run(CLI, ['--version']).trace).toEqual({ 'bundle-program': 'accepted' });
    expect(SCRIPTS.map((name) => statSync(path.join(ROOT, 'dist/cli', `${name}.code-cache`)).mtimeMs)).toEqual(before);
  });

  it('a missing, damaged or foreign cache is ignored: the CLI prints and writes the same, and says nothing of it', () => {
    const reference = render(CLI);
    expect(reference.code).toBe(0);
    const pkg = copyPackage();
    const good = Object.fromEntries(SCRIPTS.map((name) => [name, readFileSync(pkg.cache(name))]));
    const flipped = Buffer.from(good['bundle-commands']!);
    for (let i = 0; i < 64; i++) flipped[Math.floor(flipped.length / 2) + i] ^= 0x5a; // V8 itself would crash on this
    const cases: { name: string; damage: () => void; status: string }[] = [
      { name: 'missing', damage: () => rmSync(pkg.cache('bundle-commands')), status: 'missing' },
      { name: 'empty', damage: () => writeFileSync(pkg.cache('bundle-commands'), ''), status: 'invalid' },
      { name: 'truncated', damage: () => writeFileSync(pkg.cache('bundle-commands'), good['bundle-commands']!.subarray(0, good['bundle-commands']!.length >> 1)), status: 'invalid' },
      { name: 'bytes of V8\'s data changed', damage: () => writeFileSync(pkg.cache('bundle-commands'), flipped), status: 'invalid' },
      { name: 'the other script\'s', damage: () => writeFileSync(pkg.cache('bundle-commands'), good['bundle-program']!), status: 'invalid' },
      {
        name: 'whole, but made under other V8 flags (as another Node would)',
        damage: () => {
          const t = run(pkg.cli, ['render', FIXTURE, '-o', 'out'], ['--no-opt'], { FEDC_BUILD_CODE_CACHE: '1' });
          expect(t.trace).toEqual({ 'bundle-program': 'training', 'bundle-commands': 'training', schemas: 'training' });
        },
        status: 'rejected',
      },
    ];
    for (const c of cases) {
      for (const name of SCRIPTS) writeFileSync(pkg.cache(name), good[name]!);
      c.damage();
      const r = render(pkg.cli);
      expect({ case: c.name, trace: r.trace['bundle-commands'] }).toEqual({ case: c.name, trace: c.status });
      expect({ case: c.name, code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ case: c.name, code: 0, stdout: reference.stdout, stderr: reference.stderr });
      expect(r.out).toEqual(reference.out);
    }
    // Without the hook, nothing is said of the cache.
    rmSync(pkg.cache('bundle-commands'));
    const quiet = run(pkg.cli, ['render', FIXTURE, '-o', 'out'], [], { FEDC_TEST_TRACE_CODE_CACHE: '' });
    expect({ code: quiet.code, stdout: quiet.stdout, stderr: quiet.stderr }).toEqual({ code: 0, stdout: reference.stdout, stderr: reference.stderr });
  });

  it('a stack trace names the script\'s file and the line of the code', () => {
    // An error thrown as bundle-program.js starts, before program.ts catches any, beside a cache
    // that no longer fits the script.
    const pkg = copyPackage();
    const file = path.join(pkg.root, 'dist/cli/bundle-program.js');
    const text = readFileSync(file, 'utf8');
    const line = text.split('\n').findIndex((l) => l.startsWith('__fedc.share('));
    expect(line).toBeGreaterThan(0);
    writeFileSync(file, text.replace('\n__fedc.share(', '\nthrow new Error("planted"); __fedc.share('));
    const r = run(pkg.cli, ['--version']);
    expect(r.trace).toEqual({ 'bundle-program': 'invalid' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Error: planted');
    expect(r.stderr).toContain(`    at ${file}:${line + 1}:7\n`);
  });

  it('the build writes the Kubernetes schema factories\' code too; a damaged or foreign one is ignored, entry by entry', () => {
    const bytes = readFileSync(path.join(ROOT, 'dist/kubernetes/schemas.code-cache'));
    expect(bytes.subarray(0, 32).equals(SCHEMA_MAGIC)).toBe(true);
    const index = schemaIndex(bytes);
    // The training render checked Deployments with probes, resources and security contexts, and more kinds.
    for (const id of ['IoK8sApiAppsV1Deployment', 'IoK8sApiCoreV1PodSpec', 'IoK8sApiCoreV1Container', 'IoK8sApiCoreV1Probe', 'IoK8sApiCoreV1ResourceRequirements', 'IoK8sApiAppsV1StatefulSet', 'IoK8sApiNetworkingV1Ingress']) {
      expect(index[id], id).toBeDefined();
    }
    const data = bytes.subarray(36 + bytes.readUInt32BE(32));
    const [offset, length, digest] = index.IoK8sApiAppsV1Deployment!;
    expect(offset + length).toBeLessThanOrEqual(data.length);
    expect(digest).toMatch(/^[0-9a-f]{64}$/);

    const reference = render(CLI);
    expect(reference.trace.schemas).toBe('accepted');
    const pkg = copyPackage();
    const flipped = Buffer.from(bytes);
    const at = 36 + bytes.readUInt32BE(32) + offset + (length >> 1);
    for (let i = 0; i < 32; i++) flipped[at + i] ^= 0x5a; // V8 itself would crash on this
    const cases: { name: string; damage: () => void; status: string }[] = [
      { name: 'missing', damage: () => rmSync(pkg.schemaCache), status: 'missing' },
      { name: 'empty', damage: () => writeFileSync(pkg.schemaCache, ''), status: 'invalid' },
      { name: 'truncated', damage: () => writeFileSync(pkg.schemaCache, bytes.subarray(0, bytes.length >> 1)), status: 'invalid' },
      { name: 'bytes of one entry\'s data changed', damage: () => writeFileSync(pkg.schemaCache, flipped), status: 'invalid' },
      { name: 'an index that is no index', damage: () => writeFileSync(pkg.schemaCache, Buffer.concat([SCHEMA_MAGIC, Buffer.from([0, 0, 0, 2]), Buffer.from('[]')])), status: 'invalid' },
      { name: 'the CLI\'s cache in its place', damage: () => writeFileSync(pkg.schemaCache, readFileSync(pkg.cache('bundle-commands'))), status: 'invalid' },
      {
        name: 'whole, but made under other V8 flags (as another Node would)',
        damage: () => expect(run(pkg.cli, ['render', FIXTURE, '-o', 'out'], ['--no-opt'], { FEDC_BUILD_CODE_CACHE: '1' }).trace.schemas).toBe('training'),
        status: 'rejected',
      },
    ];
    for (const c of cases) {
      for (const name of SCRIPTS) writeFileSync(pkg.cache(name), readFileSync(path.join(ROOT, 'dist/cli', `${name}.code-cache`)));
      writeFileSync(pkg.schemaCache, bytes);
      c.damage();
      const r = render(pkg.cli);
      expect({ case: c.name, trace: r.trace.schemas }).toEqual({ case: c.name, trace: c.status });
      expect({ case: c.name, code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ case: c.name, code: 0, stdout: reference.stdout, stderr: reference.stderr });
      expect(r.out).toEqual(reference.out);
    }
  });
});
