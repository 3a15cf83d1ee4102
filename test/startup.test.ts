/**
 * What the CLI loads: a command loads only what it needs, so that start-up stays cheap (--version
 * loads no compiler; a render of a repo without CRDs never loads ajv's compiler, as the input
 * schemas are precompiled and the Kubernetes schemas are compiled per definition). Seen through
 * the modules tsc wrote (dist/cli/program.js and what it imports), whose loads Node records. The
 * bundled CLI (scripts/build-cli.mjs) is made of the same modules, in two scripts: bundle-program.js
 * (program.ts, commander) and bundle-commands.js, which it loads only when a command runs; it says
 * which it loads with FEDC_TEST_TRACE_CODE_CACHE=1 (src/cli/load-bundle.ts).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, cleanup, clusterYaml, ROOT, tempDir } from './helpers.js';

const PROGRAM = path.join(ROOT, 'dist/cli/program.js');
const dir = tempDir('fedc-startup-');
afterAll(() => cleanup(dir));

/** Runs the CLI in a plain Node process; returns what it printed and the modules it loaded. */
function modulesOf(...args: string[]): { code: number | null; stdout: string; stderr: string; modules: string[] } {
  const script = `
    import { createRequire } from 'node:module';
    process.on('exit', () => {
      const cjs = Object.keys(createRequire(import.meta.url).cache);
      process.stderr.write('\\n@@MODULES@@' + JSON.stringify(cjs));
    });
    process.argv = [process.argv[0], ${JSON.stringify(CLI)}, ...${JSON.stringify(args)}];
    await import(${JSON.stringify(pathToFileURL(PROGRAM).href)});
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8', env: { ...process.env, FEDC_NO_CACHE: '1', NO_COLOR: '1' } });
  const [stderr, modules] = r.stderr.split('\n@@MODULES@@');
  return { code: r.status, stdout: r.stdout, stderr: stderr!, modules: (JSON.parse(modules ?? '[]') as string[]).map((m) => path.relative(ROOT, m).split(path.sep).join('/')) };
}

const ajvCompiler = (modules: string[]) => modules.filter((m) => /node_modules\/ajv\/dist\/(core|compile)/.test(m));

describe('start-up', () => {
  it('the precompiled input validators load in plain Node (an ES module has no require)', () => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e',
      `const m = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, 'dist/check/validators.generated.js')).href)}); console.log(Object.keys(m).sort().join(','));`],
    { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('domain,enableTypeDirective,federatedResource,federatedTypeConfig,ingressDNSRecord,kubeFedCluster,kubeFedConfig,replicaSchedulingPreference,serviceDNSRecord,settings');
  });

  it('--version loads no CommonJS dependency but commander: neither yaml nor ajv', () => {
    const r = modulesOf('--version');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(r.modules.filter((m) => m.startsWith('node_modules/') && !m.startsWith('node_modules/commander/'))).toEqual([]);
  });

  it('the bundled CLI loads the commands\' script only when a command runs; the program\'s holds no dependency but commander', () => {
    const scripts = (...args: string[]) => {
      const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, FEDC_NO_CACHE: '1', NO_COLOR: '1', FEDC_TEST_TRACE_CODE_CACHE: '1' } });
      return { code: r.status, loaded: [...r.stderr.matchAll(/^fedc-test: code cache (bundle-\S+) /gm)].map((m) => m[1]) };
    };
    expect(scripts('--version')).toEqual({ code: 0, loaded: ['bundle-program'] });
    expect(scripts('--help')).toEqual({ code: 0, loaded: ['bundle-program'] });
    expect(scripts('validate', '--help')).toEqual({ code: 0, loaded: ['bundle-program'] });
    expect(scripts('validate', '.')).toMatchObject({ loaded: ['bundle-program', 'bundle-commands'] });
    // esbuild heads each module it bundles with a comment naming it.
    const packages = (name: string) => [...new Set([...readFileSync(path.join(ROOT, 'dist/cli', name), 'utf8').matchAll(/^\/\/ (?:\S*\/)?node_modules\/((?:@[^/]+\/)?[^/]+)\//gm)].map((m) => m[1]))].sort();
    expect(packages('bundle-program.js')).toEqual(['commander']);
    expect(packages('bundle-commands.js')).toEqual(expect.arrayContaining(['ajv', 'yaml']));
  });

  it('the bundled CLI loads child_process only when it runs git (scripts/build-cli.mjs makes it lazy)', () => {
    const repo = tempDir('fedc-startup-git-');
    try {
      writeFileSync(path.join(repo, 'clusters.yaml'), clusterYaml('aws', { cloud: 'aws' }));
      const run = (...args: string[]) => {
        const script = `
          process.on('exit', () => process.stderr.write('\\n@@LOADED@@' + process.moduleLoadList.includes('NativeModule child_process')));
          process.argv = [process.argv[0], ${JSON.stringify(CLI)}, ...${JSON.stringify(args)}];
          await import(${JSON.stringify(pathToFileURL(CLI).href)});
        `;
        const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: repo, encoding: 'utf8', env: { ...process.env, FEDC_NO_CACHE: '1', NO_COLOR: '1' } });
        const [stderr, loaded] = r.stderr.split('\n@@LOADED@@');
        return { code: r.status, stderr: stderr!, childProcess: loaded === 'true' };
      };
      expect(run('--version')).toMatchObject({ code: 0, childProcess: false });
      expect(run('render', '.', '-o', 'out')).toMatchObject({ code: 0, childProcess: false });
      // A diff against a ref reads it with git: child_process is there when needed (here: no git repo).
      const diff = run('diff', '.');
      expect(diff.childProcess).toBe(true);
      expect(diff.code).not.toBe(0);
      expect(diff.stderr).toMatch(/git/);
    } finally {
      cleanup(repo);
    }
  });

  it('the bin is CommonJS: a start runs no ES module; dist/cli/main.js runs the same CLI', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(path.join(ROOT, pkg.bin.fedc!)).toBe(CLI);
    // Node loads its module jobs and translators to run an ES module (Node 20 only then; a later
    // Node may load some for itself, but never fewer for an ES module entry).
    const esm = (entry: string, ...args: string[]) => {
      const r = spawnSync(process.execPath, ['-r', path.join(dir, 'esm-loaded.cjs'), entry, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, FEDC_NO_CACHE: '1', NO_COLOR: '1' } });
      const [stderr, loaded] = r.stderr.split('\n@@ESM@@');
      return { code: r.status, stdout: r.stdout, stderr: stderr!, esm: JSON.parse(loaded ?? 'null') as string[] };
    };
    writeFileSync(path.join(dir, 'esm-loaded.cjs'), "process.on('exit', () => process.stderr.write('\\n@@ESM@@' + JSON.stringify(process.moduleLoadList.filter((m) => /esm\\/(module_job|translators)$/.test(m)))));\n");
    writeFileSync(path.join(dir, 'clusters.yaml'), clusterYaml('aws', { cloud: 'aws' }));
    for (const args of [['--version'], ['validate', '.'], ['render', '.', '-o', 'out-bin']]) {
      const bin = esm(CLI, ...args);
      expect(bin.code).toBe(0);
      const main = esm(path.join(ROOT, 'dist/cli/main.js'), ...args.map((a) => (a === 'out-bin' ? 'out-main' : a)));
      expect(bin.esm.length).toBeLessThan(main.esm.length);
      if (process.versions.node.startsWith('20.')) expect(bin.esm).toEqual([]);
      expect([main.code, main.stdout.replaceAll('out-main', 'out-bin'), main.stderr]).toEqual([bin.code, bin.stdout, bin.stderr]);
    }
  });

  it('a render without CRDs never loads ajv\'s compiler; one with a CRD does, and checks its objects', () => {
    writeFileSync(path.join(dir, 'clusters.yaml'), clusterYaml('aws', { cloud: 'aws' }));
    writeFileSync(path.join(dir, 'ns.yaml'), 'apiVersion: types.kubefed.io/v1beta1\nkind: FederatedNamespace\nmetadata: {name: web, namespace: web}\nspec:\n  placement:\n    clusterSelector: {}\n');
    writeFileSync(path.join(dir, 'cm.yaml'), 'apiVersion: types.kubefed.io/v1beta1\nkind: FederatedConfigMap\nmetadata: {name: web, namespace: web}\nspec:\n  template:\n    data: {a: b}\n  placement:\n    clusterSelector: {}\n');
    const plain = modulesOf('render', '.', '-o', 'out1');
    expect(plain.stderr).toBe('');
    expect(plain.code).toBe(0);
    expect(ajvCompiler(plain.modules)).toEqual([]);

    writeFileSync(path.join(dir, 'crd.yaml'), `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Widget, plural: widgets}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {type: integer}
`);
    writeFileSync(path.join(dir, 'enable.yaml'), 'apiVersion: core.kubefed.io/v1beta1\nkind: EnableTypeDirective\nmetadata:\n  name: widgets.example.com\n');
    writeFileSync(path.join(dir, 'widget.yaml'), 'apiVersion: types.kubefed.io/v1beta1\nkind: FederatedWidget\nmetadata: {name: w, namespace: web}\nspec:\n  template:\n    spec: {size: big}\n  placement:\n    clusterSelector: {}\n');
    const crd = modulesOf('validate', '.');
    expect(crd.stderr).toContain('widget.yaml:6:18 - error FEDC7001: FederatedWidget w: spec.size must be an integer, not string "big"');
    expect(ajvCompiler(crd.modules).length).toBeGreaterThan(0);
    // The bundled CLI (dist/cli/main.cjs) compiles the CRD's schema with the ajv it carries.
    const bundled = spawnSync(process.execPath, [CLI, 'validate', '.'], { cwd: dir, encoding: 'utf8', env: { ...process.env, FEDC_NO_CACHE: '1', NO_COLOR: '1' } });
    expect({ code: bundled.status, stderr: bundled.stderr }).toEqual({ code: crd.code, stderr: crd.stderr });
  });
});
