/**
 * The pre-commit hooks of .pre-commit-hooks.yaml, run by the real pre-commit against temporary git
 * repositories. The fedc that runs is the one pre-commit installed (`npm install`, `npm pack`,
 * `npm install -g` of the tarball, in a node environment of its own), never this checkout's dist/:
 * a decoy `fedc` that fails is first on PATH, and the hook repository has no dist/ to run.
 *
 * The hook repository is a git snapshot of this checkout as it would be committed: tracked files
 * and new files not ignored, as they are on disk. (`pre-commit try-repo` of the checkout itself
 * would take tracked changes only, so a new file, this one's hooks included, would be missing.)
 *
 * Installing takes a while (npm, and the package's `prepare` build, twice). `pre-commit try-repo`
 * installs into a store of its own that it deletes afterwards, every run; so try-repo shows a good
 * commit passing, and the other cases run the configuration try-repo writes with `pre-commit run`
 * and a PRE_COMMIT_HOME of this file's, installed once. npm works from its cache
 * (npm_config_prefer_offline); the registry is asked only for what the cache lacks, while a hook
 * environment is installed. Nothing else leaves the machine.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cleanup, clusterYaml, ROOT, tempDir } from './helpers.js';

interface Run {
  code: number;
  /** stdout and stderr, in the order they came. */
  out: string;
}

interface HookResult {
  status: string;
  /** The hook's output, one trimmed line each (pre-commit trims the first). */
  lines: string[];
  /** What pre-commit printed between the status line and the output (`hook id: fedc-check`, `exit code: 1`, ...). */
  meta: string[];
}

/** The hooks' names, as pre-commit reports them. */
const VALIDATE = 'fedc validate';
const CHECK = 'fedc render --check';

const NAMESPACE = `apiVersion: types.kubefed.io/v1beta1
kind: FederatedNamespace
metadata:
  name: shop
  namespace: shop
spec:
  placement:
    clusterSelector: {}
`;

const settings = (color = 'blue', placement = 'clusters') => `apiVersion: types.kubefed.io/v1beta1
kind: FederatedConfigMap
metadata:
  name: settings
  namespace: shop
spec:
  template:
    data:
      color: ${color}
  placement:
    ${placement}:
    - name: aws
    - name: gcp
  overrides:
  - clusterName: gcp
    clusterOverrides:
    - path: /data/color
      value: green
`;

/** Two clusters, a namespace and a ConfigMap on both: 4 objects, 6 rendered files. */
const FEDERATION: Record<string, string> = {
  'clusters/aws.yaml': clusterYaml('aws'),
  'clusters/gcp.yaml': clusterYaml('gcp'),
  'apps/namespace.yaml': NAMESPACE,
  'apps/settings.yaml': settings(),
};

let work = '';
let env: NodeJS.ProcessEnv = {};
let hookRepo = '';
let rev = '';
/** The configuration `pre-commit try-repo` writes for the hook repository (both hooks). */
let tryRepoConfig = '';
/** The fedc pre-commit installed into this file's PRE_COMMIT_HOME. */
let installedFedc = '';
let tryRepoGood: Run;
let repoCount = 0;

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', args, { cwd, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} in ${cwd}: ${r.stderr}`);
  return r.stdout;
}

function run(cmd: string, args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (out += b.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}

const preCommit = (cwd: string, ...args: string[]) => run('pre-commit', args, cwd);

/** `pre-commit run` of the try-repo configuration over every file: what try-repo does, with the store of PRE_COMMIT_HOME. */
const runHooks = (cwd: string) => preCommit(cwd, 'run', '--config', tryRepoConfig, '--all-files', '--verbose', '--color', 'never');

/** Fails with the output when a setup step fails, instead of asserting on half a setup. */
function ok(r: Run, what: string): Run {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}:\n${r.out}`);
  return r;
}

/**
 * The environment of every command here: no GIT_* of a calling git, no npm_* of a calling npm (npm
 * run sets npm_config_local_prefix to this checkout) but the ones that say how to reach the
 * registry, git settings of the machine ignored, a decoy fedc first on PATH (and this node, with its
 * npm, last).
 */
function hookEnv(root: string): NodeJS.ProcessEnv {
  const keepNpm = /^npm_config_(cache|registry|cafile|ca|proxy|https_proxy|noproxy|strict_ssl)$/i;
  const e: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('GIT_') || (/^npm_/i.test(k) && !keepNpm.test(k)) || k === 'INIT_CWD') continue;
    e[k] = v;
  }
  const decoy = path.join(root, 'decoy-bin');
  mkdirSync(decoy);
  writeFileSync(path.join(decoy, 'fedc'), '#!/bin/sh\necho "decoy fedc on PATH: the hook did not run the fedc pre-commit installed" >&2\nexit 97\n');
  chmodSync(path.join(decoy, 'fedc'), 0o755);
  return {
    ...e,
    PATH: [decoy, process.env.PATH ?? '', path.dirname(process.execPath)].join(path.delimiter),
    PRE_COMMIT_HOME: path.join(root, 'pre-commit-home'),
    PRE_COMMIT_COLOR: 'never',
    npm_config_prefer_offline: 'true',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    npm_config_update_notifier: 'false',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'fedc test',
    GIT_AUTHOR_EMAIL: 'fedc-test@example.com',
    GIT_COMMITTER_NAME: 'fedc test',
    GIT_COMMITTER_EMAIL: 'fedc-test@example.com',
  };
}

/** Fails the file, with what to install, when a tool is missing: a missing pre-commit is not a pass. */
function requireTool(cmd: string, why: string): void {
  const r = spawnSync(cmd, ['--version'], { env, encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`${cmd} is required: ${why} (${r.error?.message ?? (r.stderr.trim() || `exit ${r.status}`)})`);
}

/** Commits this checkout as it would be committed (see the top of the file) into dest; returns the commit. */
function snapshotCheckout(dest: string): string {
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, env, encoding: 'utf8' });
  if (listed.status !== 0 || !listed.stdout) {
    throw new Error(`the hook repository is a snapshot of this checkout taken with git ls-files, which failed in ${ROOT}: ${listed.stderr}`);
  }
  mkdirSync(dest);
  for (const f of new Set(listed.stdout.split('\0').filter(Boolean))) {
    const from = path.join(ROOT, f);
    if (!existsSync(from) || !lstatSync(from).isFile()) continue; // deleted in the work tree
    mkdirSync(path.dirname(path.join(dest, f)), { recursive: true });
    copyFileSync(from, path.join(dest, f));
  }
  expect(existsSync(path.join(dest, 'dist')), 'the snapshot has no dist/: pre-commit must build fedc').toBe(false);
  git(dest, 'init', '-q', '-b', 'main');
  git(dest, 'add', '-A');
  git(dest, 'commit', '-q', '-m', 'fedc snapshot');
  return git(dest, 'rev-parse', 'HEAD').trim();
}

/** A new git repository under the work directory holding `files` (under `sub`), committed. */
function userRepo(files: Record<string, string>, sub = ''): string {
  const dir = path.join(work, `repo-${++repoCount}`);
  writeFiles(path.join(dir, sub), files);
  git(dir, 'init', '-q', '-b', 'main');
  commitAll(dir, 'federation');
  return dir;
}

function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), text);
  }
}

function commitAll(dir: string, message: string): void {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', message);
}

/** Renders with the fedc pre-commit installed (so both sides are the same build), then commits. */
function renderAndCommit(dir: string, fedDir = '.'): void {
  const r = spawnSync(installedFedc, ['render', fedDir], { cwd: dir, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`fedc render exited ${r.status}: ${r.stderr}`);
  commitAll(dir, 'rendered');
}

/** pre-commit's report, per hook name (the name of .pre-commit-hooks.yaml: `fedc validate`, `fedc render --check`). */
function hooks(out: string): Map<string, HookResult> {
  const result = new Map<string, HookResult>();
  let current: HookResult | undefined;
  let inMeta = false;
  for (const raw of out.split('\n')) {
    const line = raw.trimEnd();
    const status = /^(\S.*?)\.{3,}(?:\([^)]*\))?(Passed|Failed|Skipped)$/.exec(line);
    if (status) {
      current = { status: status[2]!, lines: [], meta: [] };
      result.set(status[1]!, current);
      inMeta = true;
      continue;
    }
    if (!current) continue;
    if (inMeta && line.startsWith('- ')) {
      current.meta.push(line.slice(2));
      continue;
    }
    inMeta = false;
    if (line.trim()) current.lines.push(line.trim());
  }
  return result;
}

function hook(r: Run, name: string): HookResult {
  const h = hooks(r.out).get(name);
  if (!h) throw new Error(`pre-commit did not run ${name}:\n${r.out}`);
  return h;
}

/**
 * A failed setup (pre-commit missing, the install failing) fails every test that needs it, with
 * its message: thrown from beforeAll, it would only mark them skipped.
 */
let setupError: unknown;
function ready(): void {
  if (setupError) throw setupError;
}

beforeAll(async () => {
  try {
    await setUp();
  } catch (err) {
    setupError = err;
  }
}, 900_000);

async function setUp(): Promise<void> {
  work = tempDir('fedc-pre-commit-');
  env = hookEnv(work);
  requireTool('pre-commit', 'this test runs the hooks with the real pre-commit (Debian package pre-commit; .ci/run installs it)');
  requireTool('npm', 'pre-commit installs the hooks with npm (it comes with Node.js)');

  hookRepo = path.join(work, 'fedc');
  rev = snapshotCheckout(hookRepo);
  tryRepoConfig = path.join(work, 'try-repo-config.yaml');
  writeFileSync(tryRepoConfig, `repos:\n- repo: ${JSON.stringify(hookRepo)}\n  rev: ${rev}\n  hooks:\n  - id: fedc-check\n  - id: fedc-validate\n`);

  // One install into PRE_COMMIT_HOME, beside a try-repo that installs into a store of its own.
  // The try-repo repository is rendered with this checkout's fedc; from then on everything renders with the installed one.
  const good = userRepo(FEDERATION);
  const rendered = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli/main.cjs'), 'render'], { cwd: good, env, encoding: 'utf8' });
  if (rendered.status !== 0) throw new Error(`fedc render (this checkout's dist, npm run build) exited ${rendered.status}: ${rendered.stderr}`);
  commitAll(good, 'rendered');
  const [tried, installed] = await Promise.all([
    preCommit(good, 'try-repo', hookRepo, '--all-files', '--verbose', '--color', 'never'),
    preCommit(userRepo({ 'README.md': 'empty\n' }), 'install-hooks', '--config', tryRepoConfig),
  ]);
  tryRepoGood = tried;
  ok(installed, 'pre-commit install-hooks');

  const home = env.PRE_COMMIT_HOME!;
  const found = readdirSync(home)
    .filter((d) => d.startsWith('repo'))
    .flatMap((d) => readdirSync(path.join(home, d)).filter((e) => e.startsWith('node_env-')).map((e) => path.join(home, d, e, 'bin', 'fedc')))
    .filter((f) => existsSync(f));
  if (found.length !== 1) throw new Error(`expected one fedc installed under ${home}, found ${JSON.stringify(found)}`);
  installedFedc = found[0]!;
}

afterAll(() => {
  if (work) cleanup(work);
});

describe('.pre-commit-hooks.yaml', () => {
  it('declares fedc-validate and fedc-check: node, the whole repo once, YAML and JSON files', () => {
    const manifest = parse(readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Record<string, unknown>[];
    expect(manifest.map((h) => [h.id, h.name, h.entry])).toEqual([
      ['fedc-validate', VALIDATE, 'fedc validate --staged'],
      ['fedc-check', CHECK, 'fedc render --check --staged'],
    ]);
    for (const h of manifest) {
      expect(h, String(h.id)).toMatchObject({ language: 'node', pass_filenames: false, require_serial: true, files: '\\.(ya?ml|json)$' });
      expect(typeof h.description, String(h.id)).toBe('string');
    }
  });
});

describe('pre-commit try-repo', () => {
  it('installs fedc with npm and passes a good commit, both hooks', () => {
    ready();
    const r = tryRepoGood;
    expect(r.out, r.out).toContain('[INFO] Installing environment for');
    expect(r.out).not.toContain('decoy fedc');
    expect(r.code, r.out).toBe(0);
    expect(hook(r, VALIDATE)).toMatchObject({ status: 'Passed', lines: ['ok: 2 clusters, 4 objects'] });
    expect(hook(r, CHECK)).toMatchObject({ status: 'Passed', lines: ['rendered is up to date in the index (6 files)'] });
    expect(hook(r, VALIDATE).meta).toContain('hook id: fedc-validate');
    expect(hook(r, CHECK).meta).toContain('hook id: fedc-check');
  });
});

describe('the hooks, as try-repo configures them, from one installed environment', () => {
  it('passes a good commit, and the environment is installed once', async () => {
    ready();
    const dir = userRepo(FEDERATION);
    renderAndCommit(dir);
    const r = await runHooks(dir);
    expect(r.out).not.toContain('Installing environment');
    expect(r.code, r.out).toBe(0);
    expect(hook(r, VALIDATE)).toMatchObject({ status: 'Passed', lines: ['ok: 2 clusters, 4 objects'] });
    expect(hook(r, CHECK)).toMatchObject({ status: 'Passed', lines: ['rendered is up to date in the index (6 files)'] });
  });

  it('refuses a YAML syntax error, naming the file', async () => {
    ready();
    const dir = userRepo(FEDERATION);
    renderAndCommit(dir);
    writeFiles(dir, { 'apps/settings.yaml': settings().replace('    data:\n      color: blue\n', '    data: {color: blue\n') });
    commitAll(dir, 'broken YAML');
    const r = await runHooks(dir);
    expect(r.code, r.out).toBe(1);
    for (const name of [VALIDATE, CHECK]) {
      const h = hook(r, name);
      expect(h.status, name).toBe('Failed');
      expect(h.meta, name).toContain('exit code: 1');
      expect(h.lines[0], name).toMatch(/^apps\/settings\.yaml:9:3 - error FEDC1001: YAML: \S/);
      expect(h.lines[1], name).toBe('1 error, 0 warnings');
    }
    // --check never writes, so it does not say that it wrote nothing
    expect(hook(r, CHECK).lines).toHaveLength(2);
  });

  it('refuses a schema error, naming file, line and column', async () => {
    ready();
    const dir = userRepo(FEDERATION);
    renderAndCommit(dir);
    writeFiles(dir, { 'apps/settings.yaml': settings('blue', 'clusterz') });
    commitAll(dir, 'schema error');
    const r = await runHooks(dir);
    expect(r.code, r.out).toBe(1);
    for (const name of [VALIDATE, CHECK]) {
      const h = hook(r, name);
      expect(h.status, name).toBe('Failed');
      expect(h.meta, name).toContain('exit code: 1');
      expect(h.lines.slice(0, 3), name).toEqual([
        'apps/settings.yaml:11:5 - error FEDC2001: FederatedConfigMap settings: unknown field "clusterz"',
        'hint: did you mean "clusters"?',
        '1 error, 0 warnings',
      ]);
    }
  });

  it('fedc-check refuses stale rendered output with the command that fixes it; fedc-validate passes it', async () => {
    ready();
    const dir = userRepo(FEDERATION);
    renderAndCommit(dir);
    writeFiles(dir, { 'apps/settings.yaml': settings('red') });
    commitAll(dir, 'red, not rendered');
    const r = await runHooks(dir);
    expect(r.code, r.out).toBe(1);
    expect(hook(r, VALIDATE)).toMatchObject({ status: 'Passed', lines: ['ok: 2 clusters, 4 objects'] });
    const check = hook(r, CHECK);
    expect(check.status).toBe('Failed');
    expect(check.lines).toEqual([
      'changed:  clusters/aws/namespaces/shop/configmap-settings.yaml',
      'fedc - error FEDC5001: rendered is stale in the index: 1 changed, 0 missing, 0 orphaned',
      'hint: run: fedc render ., then: git add rendered',
      '1 error, 0 warnings',
    ]);

    renderAndCommit(dir); // the fix it names
    const fixed = await runHooks(dir);
    expect(fixed.code, fixed.out).toBe(0);
    expect(hook(fixed, CHECK)).toMatchObject({ status: 'Passed', lines: ['rendered is up to date in the index (6 files)'] });
  });
});

describe('the README configuration: a federation in a subdirectory, real commits', () => {
  it('a good commit passes, a stale one is refused, a commit of no YAML skips the hooks', async () => {
    ready();
    const dir = userRepo(FEDERATION, 'federation');
    renderAndCommit(dir, 'federation');
    writeFiles(dir, {
      '.pre-commit-config.yaml': [
        'repos:',
        `- repo: ${JSON.stringify(hookRepo)}`,
        `  rev: ${rev}`,
        '  hooks:',
        '  - id: fedc-validate',
        '    args: [federation]',
        '  - id: fedc-check',
        '    args: [federation]',
        '',
      ].join('\n'),
    });
    ok(await preCommit(dir, 'install'), 'pre-commit install');
    const commit = (message: string) => run('git', ['commit', '-m', message], dir);

    git(dir, 'add', '-A');
    const good = await commit('pre-commit configuration');
    expect(good.out).not.toContain('Installing environment');
    expect(good.code, good.out).toBe(0);
    expect(hooks(good.out).get(VALIDATE)?.status, good.out).toBe('Passed');
    expect(hooks(good.out).get(CHECK)?.status, good.out).toBe('Passed');

    writeFiles(dir, { 'federation/apps/settings.yaml': settings('red') });
    git(dir, 'add', '-A');
    const head = git(dir, 'rev-parse', 'HEAD');
    const stale = await commit('red, not rendered');
    expect(stale.code, stale.out).toBe(1);
    expect(git(dir, 'rev-parse', 'HEAD'), 'the commit was refused').toBe(head);
    expect(hooks(stale.out).get(VALIDATE)?.status, stale.out).toBe('Passed');
    const check = hooks(stale.out).get(CHECK);
    expect(check?.status, stale.out).toBe('Failed');
    expect(check?.lines).toContain('fedc - error FEDC5001: federation/rendered is stale in the index: 1 changed, 0 missing, 0 orphaned');
    expect(check?.lines).toContain('hint: run: fedc render federation, then: git add federation/rendered');

    renderAndCommit(dir, 'federation'); // a real commit, through the hooks
    // The file is named from the root of the git repository, where the hooks run: openable as printed.
    writeFiles(dir, { 'federation/apps/settings.yaml': settings('blue', 'clusterz') });
    git(dir, 'add', '-A');
    const broken = await commit('schema error');
    expect(broken.code, broken.out).toBe(1);
    expect(hooks(broken.out).get(VALIDATE)?.lines.slice(0, 2), broken.out).toEqual([
      'federation/apps/settings.yaml:11:5 - error FEDC2001: FederatedConfigMap settings: unknown field "clusterz"',
      'hint: did you mean "clusters"?',
    ]);
    git(dir, 'checkout', 'HEAD', '--', 'federation/apps/settings.yaml');

    // What is not added is not committed, so the hooks do not read it: a scratch file of the work
    // tree, broken, is not an error; output rendered but not added is missing from the commit.
    writeFiles(dir, { 'federation/clusters/oci.yaml': clusterYaml('oci') });
    git(dir, 'add', 'federation/clusters/oci.yaml');
    const rendered = spawnSync(installedFedc, ['render', 'federation'], { cwd: dir, env, encoding: 'utf8' });
    expect(rendered.status, rendered.stderr).toBe(0);
    writeFiles(dir, { 'federation/scratch.yaml': 'kind: [\n' });
    const unstaged = await commit('oci, its output not added');
    expect(unstaged.code, unstaged.out).toBe(1);
    expect(hooks(unstaged.out).get(VALIDATE)?.status, unstaged.out).toBe('Passed');
    const missing = hooks(unstaged.out).get(CHECK);
    // (the ConfigMap names its clusters, oci not among them: oci gets its namespace)
    expect(missing?.lines, unstaged.out).toEqual([
      'missing:  clusters/oci/cluster/namespace-shop.yaml',
      'missing:  clusters/oci/kustomization.yaml',
      'fedc - error FEDC5001: federation/rendered is stale in the index: 0 changed, 2 missing, 0 orphaned',
      'hint: run: fedc render federation, then: git add federation/rendered',
      '1 error, 0 warnings',
    ]);
    git(dir, 'add', 'federation/rendered');
    const added = await commit('oci, with its output');
    expect(added.code, added.out).toBe(0);
    rmSync(path.join(dir, 'federation/scratch.yaml'));

    // git commit -a stages into an index of its own (GIT_INDEX_FILE) for the hooks: they read that one.
    writeFiles(dir, { 'federation/apps/settings.yaml': settings('purple') });
    const all = await run('git', ['commit', '-a', '-m', 'purple, with -a, not rendered'], dir);
    expect(all.code, all.out).toBe(1);
    expect(hooks(all.out).get(CHECK)?.lines, all.out).toContain('fedc - error FEDC5001: federation/rendered is stale in the index: 1 changed, 0 missing, 0 orphaned');
    git(dir, 'checkout', 'HEAD', '--', 'federation/apps/settings.yaml');

    writeFiles(dir, { 'notes.txt': 'no YAML here\n' });
    git(dir, 'add', '-A');
    const skipped = await commit('notes');
    expect(skipped.code, skipped.out).toBe(0);
    expect(skipped.out).toMatch(/^fedc validate\.+\(no files to check\)Skipped$/m);
    expect(skipped.out).toMatch(/^fedc render --check\.+\(no files to check\)Skipped$/m);
  });
});
