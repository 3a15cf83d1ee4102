/**
 * `--staged` (validate, render --check, render --stdout): the repo as the git index holds it, what
 * a commit would hold, so that the pre-commit hooks judge the commit and not the work tree. Runs
 * the built CLI in real git repositories.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, clusterYaml, fedc, ROOT, tempDir } from './helpers.js';

const configMap = (color: string) => `apiVersion: types.kubefed.io/v1beta1
kind: FederatedConfigMap
metadata:
  name: settings
  namespace: shop
spec:
  template:
    data:
      color: ${color}
  placement:
    clusterSelector: {}
`;

const NAMESPACE = `apiVersion: types.kubefed.io/v1beta1
kind: FederatedNamespace
metadata:
  name: shop
  namespace: shop
spec:
  placement:
    clusterSelector: {}
`;

let work = '';
let repo = '';

const env = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com',
};

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', args, { cwd, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function write(dir: string, files: Record<string, string>): void {
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), text);
  }
}

/** A federation of two clusters under `sub` of a new git repository (`name` in the work directory), rendered and committed. */
function federation(sub = '', name = 'repo'): string {
  const top = path.join(work, name);
  const dir = path.join(top, sub);
  write(dir, { 'clusters/aws.yaml': clusterYaml('aws'), 'clusters/gcp.yaml': clusterYaml('gcp'), 'apps/namespace.yaml': NAMESPACE, 'apps/settings.yaml': configMap('blue') });
  git(top, 'init', '-q', '-b', 'main');
  expect(fedc(['render', dir]).code).toBe(0);
  git(top, 'add', '-A');
  git(top, 'commit', '-q', '-m', 'rendered');
  return top;
}

/** Puts apps/settings.yaml under a clean/smudge filter that stores it base64-encoded, and commits that. */
function filterSettings(top: string): void {
  git(top, 'config', 'filter.b64.clean', 'base64 -w0');
  git(top, 'config', 'filter.b64.smudge', 'base64 -d');
  write(top, { '.gitattributes': 'apps/settings.yaml filter=b64\n' });
  git(top, 'add', '--renormalize', '.');
  git(top, 'add', '.gitattributes');
  git(top, 'commit', '-q', '-m', 'filtered');
  expect(git(top, 'cat-file', '-p', 'HEAD:apps/settings.yaml')).not.toContain('kind:'); // stored encoded
}

beforeEach(() => {
  work = tempDir('fedc-staged-');
  repo = federation();
});

afterEach(() => cleanup(work));

describe('fedc validate --staged', () => {
  it('reads the index: a file not added is not read, the staged text of a file is, with its positions', () => {
    write(repo, { 'scratch.yaml': 'kind: [\n' });
    expect(fedc(['validate'], repo).code).toBe(1); // the work tree holds the broken file
    const clean = fedc(['validate', '--staged'], repo);
    expect([clean.code, clean.stderr]).toEqual([0, 'ok: 2 clusters, 4 objects\n']);

    // staged broken, then mended on disk only: the commit would hold the broken one
    write(repo, { 'apps/settings.yaml': configMap('blue').replace('  placement:', '  placment:') });
    git(repo, 'add', 'apps/settings.yaml');
    write(repo, { 'apps/settings.yaml': configMap('blue') });
    expect(fedc(['validate'], repo).code).toBe(1); // scratch.yaml still
    rmSync(path.join(repo, 'scratch.yaml'));
    expect(fedc(['validate'], repo).code).toBe(0);
    const staged = fedc(['validate', '--staged'], repo);
    expect(staged.code).toBe(1);
    expect(staged.stderr).toBe([
      'apps/settings.yaml:10:3 - error FEDC2001: FederatedConfigMap settings: unknown field "placment"',
      '  hint: did you mean "placement"?',
      '1 error, 0 warnings',
      '',
    ].join('\n'));
  });

  it('names files from the working directory for a federation in a subdirectory of the work tree', () => {
    repo = federation('federation', 'in-sub');
    write(repo, { 'federation/apps/settings.yaml': configMap('blue').replace('  placement:', '  placment:') });
    git(repo, 'add', '-A');
    const r = fedc(['validate', '--staged', 'federation'], repo);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe('federation/apps/settings.yaml:10:3 - error FEDC2001: FederatedConfigMap settings: unknown field "placment"');
  });

  it('a file with a merge conflict is FEDC1019; outside a git work tree, a usage error', () => {
    git(repo, 'checkout', '-q', '-b', 'red');
    write(repo, { 'apps/settings.yaml': configMap('red') });
    git(repo, 'commit', '-q', '-am', 'red');
    git(repo, 'checkout', '-q', 'main');
    write(repo, { 'apps/settings.yaml': configMap('green') });
    git(repo, 'commit', '-q', '-am', 'green');
    spawnSync('git', ['merge', '-q', 'red'], { cwd: repo, env });
    const r = fedc(['validate', '--staged'], repo);
    expect([r.code, r.stderr]).toEqual([1, [
      'apps/settings.yaml - error FEDC1019: merge conflict in the index: what a commit would hold of this file is not known',
      '  hint: resolve the conflict (for a rendered file: render again), then git add the file',
      '1 error, 0 warnings',
      '',
    ].join('\n')]);
    // a conflict in a file that is no input does not concern fedc
    git(repo, 'checkout', '-q', '--theirs', 'apps/settings.yaml');
    git(repo, 'add', 'apps/settings.yaml');
    expect(fedc(['validate', '--staged'], repo).code).toBe(0);
    git(repo, 'merge', '--abort');
    git(repo, 'checkout', '-q', '-b', 'notes');
    write(repo, { 'NOTES.md': 'a\n' });
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'notes a');
    git(repo, 'checkout', '-q', 'main');
    write(repo, { 'NOTES.md': 'b\n' });
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'notes b');
    spawnSync('git', ['merge', '-q', 'notes'], { cwd: repo, env });
    expect(git(repo, 'ls-files', '--unmerged')).toContain('NOTES.md');
    const unrelated = fedc(['validate', '--staged'], repo);
    expect([unrelated.code, unrelated.stderr]).toEqual([0, 'ok: 2 clusters, 4 objects\n']);

    const plain = path.join(work, 'plain');
    write(plain, { 'clusters/aws.yaml': clusterYaml('aws') });
    const outside = fedc(['validate', '--staged', plain], work);
    expect([outside.code, outside.stderr]).toEqual([2, `error: --staged reads the git index, and ${plain} is not in a git work tree\n`]);
  });
});

describe('fedc render --check --staged', () => {
  it('compares the output as staged: output rendered but not added is missing from the commit', () => {
    write(repo, { 'clusters/oci.yaml': clusterYaml('oci') });
    git(repo, 'add', 'clusters/oci.yaml');
    expect(fedc(['render'], repo).code).toBe(0);
    // On disk everything is up to date; the commit would lack oci's output.
    expect(fedc(['render', '--check'], repo).stderr).toBe('rendered is up to date (9 files)\n');
    const r = fedc(['render', '--check', '--staged'], repo);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe([
      '  missing:  clusters/oci/cluster/namespace-shop.yaml',
      '  missing:  clusters/oci/kustomization.yaml',
      '  missing:  clusters/oci/namespaces/shop/configmap-settings.yaml',
      'fedc - error FEDC5001: rendered is stale in the index: 0 changed, 3 missing, 0 orphaned',
      '  hint: run: fedc render ., then: git add rendered',
      '1 error, 0 warnings',
      '',
    ].join('\n'));
    git(repo, 'add', 'rendered');
    const ok = fedc(['render', '--check', '--staged'], repo);
    expect([ok.code, ok.stderr]).toEqual([0, 'rendered is up to date in the index (9 files)\n']);
  });

  it('output only intended to be added (git add -N) is missing from the commit; a file staged empty is read empty', () => {
    write(repo, { 'clusters/oci.yaml': clusterYaml('oci') });
    git(repo, 'add', 'clusters/oci.yaml');
    expect(fedc(['render'], repo).code).toBe(0);
    git(repo, 'add', '-N', 'rendered');
    expect(git(repo, 'ls-files', '-s', 'rendered/clusters/oci/kustomization.yaml')).toMatch(/^100644 e69de29bb2d1d6434b8b29ae775ad8c2e48c5391 0\t/);
    const r = fedc(['render', '--check', '--staged'], repo);
    expect([r.code, r.stderr.split('\n').slice(0, 4)]).toEqual([1, [
      '  missing:  clusters/oci/cluster/namespace-shop.yaml',
      '  missing:  clusters/oci/kustomization.yaml',
      '  missing:  clusters/oci/namespaces/shop/configmap-settings.yaml',
      'fedc - error FEDC5001: rendered is stale in the index: 0 changed, 3 missing, 0 orphaned',
    ]]);
    git(repo, 'add', 'rendered');
    writeFileSync(path.join(repo, 'rendered/clusters/oci/kustomization.yaml'), '');
    git(repo, 'add', 'rendered');
    const empty = fedc(['render', '--check', '--staged'], repo);
    expect([empty.code, empty.stderr.split('\n')[0]]).toEqual([1, expect.stringContaining('clusters/oci/kustomization.yaml')]);
    expect(empty.stderr).not.toContain('missing:');
  });

  it('a change staged without its output is stale; output changed on disk but not staged does not count', () => {
    write(repo, { 'apps/settings.yaml': configMap('red') });
    git(repo, 'add', 'apps/settings.yaml');
    expect(fedc(['render'], repo).code).toBe(0);
    const r = fedc(['render', '--check', '--staged'], repo);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').slice(0, 3)).toEqual([
      '  changed:  clusters/aws/namespaces/shop/configmap-settings.yaml',
      '  changed:  clusters/gcp/namespaces/shop/configmap-settings.yaml',
      'fedc - error FEDC5001: rendered is stale in the index: 2 changed, 0 missing, 0 orphaned',
    ]);
    // an orphan: a cluster whose removal is staged, its output still staged
    git(repo, 'add', 'rendered');
    git(repo, 'rm', '-q', 'clusters/gcp.yaml');
    expect(fedc(['render'], repo).code).toBe(0);
    const orphaned = fedc(['render', '--check', '--staged'], repo);
    expect(orphaned.stderr.split('\n').filter((l) => l.startsWith('  '))).toEqual([
      '  orphaned: clusters/gcp/cluster/namespace-shop.yaml',
      '  orphaned: clusters/gcp/kustomization.yaml',
      '  orphaned: clusters/gcp/namespaces/shop/configmap-settings.yaml',
      '  hint: run: fedc render ., then: git add rendered',
    ]);
  });

  it('finds the output of a federation in a subdirectory, reached through a symlink too', () => {
    repo = federation('federation', 'in-sub');
    const link = path.join(work, 'link');
    symlinkSync(path.join(repo, 'federation'), link);
    const ok = fedc(['render', '--check', '--staged', link], work);
    expect([ok.code, ok.stderr]).toEqual([0, `${path.relative(work, link)}/rendered is up to date in the index (6 files)\n`]);
    write(repo, { 'federation/apps/settings.yaml': configMap('red') });
    git(repo, 'add', '-A');
    const stale = fedc(['render', '--check', '--staged', 'federation'], repo);
    expect(stale.stderr).toContain('fedc - error FEDC5001: federation/rendered is stale in the index: 2 changed, 0 missing, 0 orphaned\n');
    expect(stale.stderr).toContain('  hint: run: fedc render federation, then: git add federation/rendered\n');
  });

  it('--staged without --check or --stdout, and an output directory outside the work tree, are usage errors', () => {
    const r = fedc(['render', '--staged'], repo);
    expect([r.code, r.stderr]).toEqual([2, 'error: --staged goes with --check or --stdout: a render writes the output of the files on disk, which git add then stages\n']);
    const out = path.join(work, 'elsewhere');
    const o = fedc(['render', '--check', '--staged', '-o', out], repo);
    expect(o.code).toBe(2);
    expect(o.stderr).toBe(`error: --staged compares the output as staged, and ${out} is not inside the git work tree ${repo}\n`);
  });
});

describe('fedc render --stdout --staged', () => {
  it('prints the cluster as the staged files render it', () => {
    write(repo, { 'apps/settings.yaml': configMap('red') });
    git(repo, 'add', 'apps/settings.yaml');
    write(repo, { 'apps/settings.yaml': configMap('green') });
    const staged = fedc(['render', '--stdout', '--staged', '--cluster', 'aws'], repo);
    expect(staged.code).toBe(0);
    expect(staged.stdout).toContain('  color: red\n');
    expect(fedc(['render', '--stdout', '--cluster', 'aws'], repo).stdout).toContain('  color: green\n');
    expect(readFileSync(path.join(repo, 'rendered/clusters/aws/namespaces/shop/configmap-settings.yaml'), 'utf8')).toContain('  color: blue\n');
  });
});

describe('fedc diff --staged', () => {
  it('compares HEAD with the index: what the next commit changes, edits not staged left out', () => {
    write(repo, { 'apps/settings.yaml': configMap('red') });
    git(repo, 'add', 'apps/settings.yaml');
    write(repo, { 'apps/settings.yaml': configMap('green') });
    const r = fedc(['diff', '--staged', '--no-color'], repo);
    expect(r.code).toBe(0);
    const head = git(repo, 'rev-parse', '--short=7', 'HEAD').trim();
    expect(r.stdout.split('\n').slice(0, 3)).toEqual([`fedc diff: HEAD (${head}) -> the index`, '', '~ v1 ConfigMap shop/settings: changed, on both clusters']);
    expect(r.stdout).toContain('\n-  color: blue\n+  color: red\n');
    expect(r.stdout).not.toContain('green');
    const both = fedc(['diff', '--staged', '--head', 'HEAD'], repo);
    expect([both.code, both.stderr]).toEqual([2, 'fedc diff: --staged and --head both name the new side: give one\n']);
  });
});

describe('fedc diff reads a commit as checked out', () => {
  it('a file under a smudge filter compares decoded with its work-tree copy, cached or not', () => {
    filterSettings(repo);
    const cache = { FEDC_NO_CACHE: '', FEDC_CACHE_DIR: path.join(work, 'cache') };
    const trace = path.join(work, 'git-trace');
    for (const run of ['first', 'cached']) {
      const r = fedc(['diff', '--no-color'], repo, { ...cache, GIT_TRACE: trace });
      expect([run, r.code, r.stderr, r.stdout.split('\n').slice(1)]).toEqual([run, 0, '', ['', 'no change', '']]);
      // HEAD's attributes are asked of git once, for the cache's key and the read alike
      const asked = readFileSync(trace, 'utf8').split('\n').filter((l) => /built-in: git check-attr /.test(l));
      expect([run, asked.length]).toEqual([run, 1]);
      rmSync(trace);
    }
    write(repo, { 'apps/settings.yaml': configMap('red') });
    const red = fedc(['diff', '--no-color'], repo, cache);
    expect(red.stdout).toContain('\n-  color: blue\n+  color: red\n');
    // The same blobs read through another smudge filter: the cache keys them by what was read.
    git(repo, 'config', 'filter.b64.smudge', 'base64 -d | sed s/blue/green/');
    const green = fedc(['diff', '--no-color'], repo, cache);
    expect(green.stdout).toContain('\n-  color: green\n+  color: red\n');
  });
});

describe('--staged reads what git checks out, wherever the repo and its output lie', () => {
  it('-o naming the output reads its previous SOA serials from the index too', () => {
    const top = path.join(work, 'dns');
    mkdirSync(top);
    cpSync(path.join(ROOT, 'fixtures/dns-multicloud/input'), path.join(top, 'fed'), { recursive: true });
    git(top, 'init', '-q', '-b', 'main');
    expect(fedc(['render', 'fed', '-o', 'out'], top).code).toBe(0);
    git(top, 'add', '-A');
    git(top, 'commit', '-q', '-m', '1');
    const web = path.join(top, 'fed/shop/service-web.yaml');
    writeFileSync(web, readFileSync(web, 'utf8').replace('203.0.113.20', '203.0.113.21'));
    expect(fedc(['render', 'fed', '-o', 'out'], top).code).toBe(0);
    git(top, 'add', '-A');
    git(top, 'commit', '-q', '-m', '2');
    for (const out of ['out', path.join(top, 'out')]) {
      const r = fedc(['render', '--check', '--staged', 'fed', '-o', out], top);
      expect([r.code, r.stderr.split('\n').at(-2)], out).toEqual([0, expect.stringMatching(/ is up to date in the index \(\d+ files\)$/)]);
    }
  });

  it('files under a clean/smudge filter are read as checked out', () => {
    filterSettings(repo);
    const v = fedc(['validate', '--staged'], repo);
    expect([v.code, v.stderr]).toEqual([0, 'ok: 2 clusters, 4 objects\n']);
    expect(fedc(['render', '--check', '--staged'], repo).code).toBe(0);
  });

  it('a file with working-tree-encoding is read in that encoding, as the file on disk is', () => {
    // UTF-16 without a byte-order mark: fedc refuses it on disk, and so from the index, whose blob is UTF-8
    write(repo, { '.gitattributes': 'apps/settings.yaml working-tree-encoding=UTF-16LE text\n' });
    writeFileSync(path.join(repo, 'apps/settings.yaml'), Buffer.from(configMap('red'), 'utf16le'));
    git(repo, 'add', '.gitattributes', 'apps/settings.yaml');
    expect(git(repo, 'cat-file', '-p', ':apps/settings.yaml')).toBe(configMap('red')); // stored as UTF-8
    const disk = fedc(['validate'], repo);
    const staged = fedc(['validate', '--staged'], repo);
    expect(disk.code).toBe(1);
    expect(disk.stderr).toContain('apps/settings.yaml');
    expect([staged.code, staged.stderr]).toEqual([disk.code, disk.stderr]);
  });

  it('an output directory that is a symlink, and a repo reached through one with -o its real path', () => {
    git(repo, 'mv', 'rendered', 'out2');
    symlinkSync('out2', path.join(repo, 'rendered'));
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'linked output');
    expect(fedc(['render', '--check'], repo).code).toBe(0);
    const r = fedc(['render', '--check', '--staged'], repo);
    expect([r.code, r.stderr]).toEqual([0, 'rendered is up to date in the index (6 files)\n']);
    const link = path.join(work, 'link');
    symlinkSync(repo, link);
    expect(fedc(['render', '--check', '--staged', link, '-o', path.join(repo, 'out2')], work).code).toBe(0);
    expect(fedc(['render', '--check', '--staged', repo, '-o', path.join(link, 'rendered')], work).code).toBe(0);
  });

  it('a directory the index holds but the disk does not (a sparse checkout) is read; one in neither is FEDC1007', () => {
    repo = federation('fed', 'in-sub');
    write(repo, { 'other/a.txt': 'x\n' });
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'other');
    git(repo, 'sparse-checkout', 'set', '--cone', 'other');
    expect(existsSync(path.join(repo, 'fed'))).toBe(false);
    const v = fedc(['validate', '--staged', 'fed'], repo);
    expect([v.code, v.stderr]).toEqual([0, 'ok: 2 clusters, 4 objects\n']);
    expect(fedc(['render', '--check', '--staged', 'fed'], repo).code).toBe(0);
    const none = fedc(['validate', '--staged', 'nowhere'], repo);
    expect([none.code, none.stderr]).toEqual([1, 'fedc - error FEDC1007: nowhere does not exist, on disk or in the index\n1 error, 0 warnings\n']);
  });

  it('a directory whose name holds a line break', () => {
    repo = federation('a\nb', 'in-sub');
    const v = fedc(['validate', '--staged', 'a\nb'], repo);
    expect([v.code, v.stderr]).toEqual([0, 'ok: 2 clusters, 4 objects\n']);
  });
});

describe('fedc diff --staged before the first commit', () => {
  it('compares the index with nothing, as git diff --staged does', () => {
    const fresh = path.join(work, 'fresh');
    write(fresh, { 'clusters/aws.yaml': clusterYaml('aws'), 'apps/namespace.yaml': NAMESPACE, 'apps/settings.yaml': configMap('blue') });
    git(fresh, 'init', '-q', '-b', 'main');
    git(fresh, 'add', '-A');
    const r = fedc(['diff', '--staged', '--no-color'], fresh);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('fedc diff: no commit yet -> the index');
    expect(r.stdout).toContain('1 cluster changed: 2 objects added, 0 changed, 0 removed');
    const plain = fedc(['diff'], fresh);
    expect([plain.code, plain.stderr]).toEqual([2, 'fedc diff: the repository has no commit yet (HEAD names none); give --base, or compare the index with --staged\n']);
  });
});
