/** `fedc diff` as a user runs it: the built CLI in a temporary git repository with real commits (test/fleet-repo.ts). */
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configMap, createFleetRepo, deployment, gitIn, PASSWORD_NEW, secret, SECRETS, TOKEN_NEW, TOKEN_OLD, type FleetRepo } from './fleet-repo.js';
import { compareSnapshots } from '../src/diff/compare-snapshots.js';
import { diffFormatters } from '../src/diff/format/index.js';
import { cleanup, CLI, fedc, tempDir } from './helpers.js';

let dir = '';
let repo = '';
let fleet: FleetRepo;
const git = (...args: string[]) => fleet.git(...args);
const write = (rel: string, text: string) => fleet.write(rel, text);

const diff = (...args: string[]) => fedc(['diff', ...args], repo);

beforeAll(() => {
  dir = tempDir('fedc-diff-');
  repo = path.join(dir, 'fleet');
  fleet = createFleetRepo(repo);
});

afterAll(() => {
  if (dir) cleanup(dir);
});

interface JsonDiff {
  changed: boolean;
  clusters: { compared: string[]; added: string[]; removed: string[] };
  counts: { cluster: string; added: number; changed: number; removed: number }[];
  objects: { change: string; reason: string; kind: string; namespace: string; name: string; clusters: string[]; diff: string; secretKeys?: Record<string, string[]> }[];
}

const summary = (j: JsonDiff) => j.objects.map((o) => `${o.change} ${o.reason} ${o.kind} ${o.namespace}/${o.name} [${o.clusters.join(' ')}]`);

describe('fedc diff between git refs', () => {
  it('--merge-base shows exactly what the pull request changes, on the clusters it changes', () => {
    const r = diff('--base', 'main', '--head', 'feature', '--merge-base', '--format', 'json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as JsonDiff;
    expect(summary(j)).toEqual([
      'changed modified ConfigMap shop/flags [aws azure gke]',
      'removed deleted ConfigMap shop/legacy [aws azure gke]',
      'changed modified Deployment shop/web [aws]',
      'added placed Deployment shop/web [gke]',
      'changed modified Secret shop/db [aws azure gke]',
    ]);
    expect(j.counts).toEqual([
      { cluster: 'aws', added: 0, changed: 3, removed: 1 },
      { cluster: 'azure', added: 0, changed: 2, removed: 1 },
      { cluster: 'gke', added: 1, changed: 2, removed: 1 },
    ]);
    const web = j.objects.find((o) => o.name === 'web' && o.change === 'changed')!;
    expect(web.diff).toBe('@@ -6,7 +6,7 @@\n   labels:\n     kubefed.io/managed: "true"\n spec:\n-  replicas: 3\n+  replicas: 5\n   selector:\n     matchLabels:\n       app: web');
    expect(j.objects.find((o) => o.kind === 'Secret')!.secretKeys).toEqual({ added: [], removed: [], changed: ['data.token', 'stringData.password'] });
  });

  it('without --merge-base, what landed on the base branch meanwhile shows up as a revert', () => {
    const j = JSON.parse(diff('--base', 'main', '--head', 'feature', '--format', 'json').stdout) as JsonDiff;
    expect(summary(j)).toContain('removed deleted ConfigMap shop/added-on-main [aws azure gke]');
  });

  it('the default compares HEAD with the working tree, uncommitted edits included, and leaves the work tree, index and refs alone', () => {
    expect(diff('--exit-code').code).toBe(0);
    expect(diff().stdout).toBe('fedc diff: HEAD (' + git('rev-parse', '--short=7', 'HEAD').trim() + ') -> the working tree\n\nno change\n');
    write('shop/flags.yaml', configMap('flags', 'warn'));
    // What fedc must not touch, read without running git commands that could refresh the index.
    const state = () => [git('rev-parse', 'HEAD', 'main', 'feature'), readFileSync(path.join(repo, '.git/index')).toString('base64'), readFileSync(path.join(repo, 'shop/flags.yaml'), 'utf8')];
    const before = state();
    try {
      const r = diff('--no-color');
      expect(r.stdout).toContain('~ v1 ConfigMap shop/flags: changed, on all 3 clusters\n@@ -6,4 +6,4 @@\n   labels:\n     kubefed.io/managed: "true"\n data:\n-  LOG_LEVEL: debug\n+  LOG_LEVEL: warn\n');
      expect(r.stdout.endsWith('\n3 clusters changed: 0 objects added, 3 changed, 0 removed\n')).toBe(true);
      expect(diff('--exit-code').code).toBe(1);
      expect(diff('--base', 'main', '--head', 'feature', '--merge-base').code).toBe(0);
      expect(state()).toEqual(before);
    } finally {
      git('checkout', '-q', '--', 'shop/flags.yaml');
    }
  });

  it('a change identical on every cluster is shown once, naming the clusters', () => {
    const r = diff('--base', 'main', '--head', 'feature', '--merge-base', '--no-color');
    expect(r.stdout.match(/ConfigMap shop\/flags/g)).toHaveLength(1);
    expect(r.stdout).toContain('~ v1 ConfigMap shop/flags: changed, on all 3 clusters\n');
    expect(r.stdout).toContain('+ apps/v1 Deployment shop/web: newly placed (placement changed), on gke\n');
    expect(r.stdout).toContain('- v1 ConfigMap shop/legacy: deleted, on all 3 clusters\n');
  });

  it('a template change is one entry when its diff is the same on every cluster, whatever else an override changes there', () => {
    // on feature, aws's Deployment differs from the others by its replicas override
    write('shop/web.yaml', deployment('aws, azure, gcp', 5).replace('nginx:1.25', 'nginx:1.27'));
    try {
      const r = diff('--no-color');
      expect(r.stdout).toContain('~ apps/v1 Deployment shop/web: changed, on all 3 clusters\n');
      expect(r.stdout.match(/Deployment shop\/web/g)).toHaveLength(1);
      const j = JSON.parse(diff('--format', 'json').stdout) as JsonDiff;
      expect(summary(j)).toEqual(['changed modified Deployment shop/web [aws azure gke]']);
      // a change that reads differently on a cluster is its own entry (below); one whose hunks only
      // fall at other lines there (an override adds annotations above them) is not
      const annotated = deployment('aws, azure, gcp', 5).replace('  overrides:\n', '  overrides:\n  - clusterName: azure\n    clusterOverrides:\n    - {op: add, path: /metadata/annotations, value: {team: a, owner: b}}\n');
      git('checkout', '-q', '-b', 'annotated');
      try {
        write('shop/web.yaml', annotated);
        git('commit', '-qam', 'azure annotated');
        write('shop/web.yaml', annotated.replace('nginx:1.25', 'nginx:1.27'));
        const moved = JSON.parse(diff('--format', 'json').stdout) as JsonDiff;
        expect(summary(moved)).toEqual(['changed modified Deployment shop/web [aws azure gke]']);
        expect(moved.objects[0]!.diff).toMatch(/^@@\n/); // the lines differ between the clusters: not shown
      } finally {
        git('checkout', '-q', '-f', 'feature');
        git('branch', '-q', '-D', 'annotated');
      }
      write('shop/web.yaml', deployment('aws, azure, gcp', 5).replace('nginx:1.25', 'nginx:1.27').replace('value: 5}', 'value: 6}'));
      expect(summary(JSON.parse(diff('--format', 'json').stdout) as JsonDiff)).toEqual([
        'changed modified Deployment shop/web [aws]',
        'changed modified Deployment shop/web [azure gke]',
      ]);
    } finally {
      git('checkout', '-q', '--', 'shop/web.yaml');
    }
  });

  it('an object its placement now gives no cluster is "no longer placed", not deleted, and "newly placed" when it gets one again', () => {
    const nowhere = configMap('flags', 'debug').replace('placement: {clusterSelector: {}}', 'placement: {clusters: []}');
    expect(nowhere).not.toBe(configMap('flags', 'debug'));
    write('shop/flags.yaml', nowhere);
    try {
      const j = JSON.parse(diff('--format', 'json').stdout) as JsonDiff;
      expect(summary(j)).toEqual(['removed unplaced ConfigMap shop/flags [aws azure gke]']);
      git('checkout', '-q', '-b', 'flags-nowhere');
      git('commit', '-qam', 'flags placed nowhere');
      const back = JSON.parse(diff('--base', 'flags-nowhere', '--head', 'feature', '--format', 'json').stdout) as JsonDiff;
      expect(summary(back)).toEqual(['added placed ConfigMap shop/flags [aws azure gke]']);
    } finally {
      git('checkout', '-q', '-f', 'feature');
      git('branch', '-q', '-D', 'flags-nowhere');
    }
  });

  it('--strict judges the head: a base from before the federation had files (or clusters) is the empty start, not a failure', () => {
    const mono = path.join(dir, 'mono');
    mkdirSync(mono);
    gitIn(mono, 'init', '-q', '-b', 'main');
    gitIn(mono, 'commit', '-q', '--allow-empty', '-m', 'init');
    cpSync(path.join(repo, 'shop'), path.join(mono, 'federation/shop'), { recursive: true });
    gitIn(mono, 'add', '-A');
    gitIn(mono, 'commit', '-qm', 'objects, no clusters yet');
    copyFileSync(path.join(repo, 'clusters.yaml'), path.join(mono, 'federation/clusters.yaml'));
    gitIn(mono, 'add', '-A');
    gitIn(mono, 'commit', '-qm', 'clusters');
    for (const base of ['HEAD~2', 'HEAD~1']) {
      const r = fedc(['diff', 'federation', '--base', base, '--head', 'HEAD', '--strict', '--format', 'json'], mono);
      expect(r.code, `${base}: ${r.stderr}`).toBe(0);
      expect((JSON.parse(r.stdout) as JsonDiff).clusters.added, base).toEqual(['aws', 'azure', 'gke']);
    }
    // the head is judged as ever: one without clusters fails --strict (a render would prune everything)
    const noClusters = fedc(['diff', 'federation', '--base', 'HEAD~2', '--head', 'HEAD~1', '--strict'], mono);
    expect(noClusters.code).toBe(1);
    expect(noClusters.stderr).toContain('error FEDC3008: no KubeFedCluster is declared');
  });

  it('an unknown ref and a bad command line exit 2; a side that does not compile exits 1 and is named', () => {
    expect(fedc(['diff', 'nope'], repo).stderr).toBe('fedc diff: nope does not exist\n');
    const unknown = diff('--base', 'no-such-branch');
    expect([unknown.code, unknown.stderr]).toEqual([2, 'fedc diff: unknown revision no-such-branch\n']);
    expect(diff('--base', '--help=x').code).toBe(2);
    expect(diff('--max-chars', 'ten').code).toBe(2);
    // the default is a number, and the help says so as one
    expect(fedc(['diff', '--help'], repo).stdout).toMatch(/--max-chars <n> +markdown: the most characters to print, at least 200\s+\(default: 65000\)/);
    write('shop/broken.yaml', 'apiVersion: types.kubefed.io/v1beta1\nkind: FederatedConfigMap\nmetadata: {name: broken, namespace: shop}\nspec:\n  placement: {clusters: aws}\n');
    try {
      const r = diff();
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe('fedc diff: the working tree does not compile:\nshop/broken.yaml:5:25 - error FEDC2001: FederatedConfigMap broken: spec.placement.clusters must be a list, not string "aws"\n1 error, 0 warnings\n');
      // named from the working directory, as every command's text diagnostics
      expect(fedc(['diff', 'fleet'], dir).stderr).toContain('\nfleet/shop/broken.yaml:5:25 - error FEDC2001:');
      // for a machine, the same on stdout
      const j = diff('--format', 'json');
      expect(j.code).toBe(1);
      const out = JSON.parse(j.stdout);
      expect(out.failures.map((f: any) => [f.label, f.side, f.summary.errors, f.diagnostics[0].code, f.diagnostics[0].line])).toEqual([['the working tree', 'head', 1, 'FEDC2001', 5]]);
    } finally {
      rmSync(path.join(repo, 'shop/broken.yaml'));
    }
  });
});

describe('secrets', () => {
  it('no Secret value, plain or base64, old or new, reaches stdout or stderr in any format; the diff names the keys', () => {
    const runs = ['text', 'markdown', 'json'].flatMap((format) => [
      diff('--base', 'main', '--head', 'feature', '--merge-base', '--format', format),
      diff('--base', 'main', '--head', 'feature', '--format', format, '--max-chars', '400'),
    ]);
    // an error path: the new side fails to compile next to the Secret
    write('shop/db.yaml', secret(PASSWORD_NEW, TOKEN_NEW).replace('type: Opaque', 'type: [Opaque]') + '  overrides: [{clusterName: aws, clusterOverrides: [{path: stringData.password, value: ' + PASSWORD_NEW + '}]}]\n');
    try {
      runs.push(diff(), diff('--format', 'json'));
      expect(runs.at(-1)!.code).toBe(1);
    } finally {
      git('checkout', '-q', '--', 'shop/db.yaml');
    }
    for (const r of runs) for (const s of SECRETS) expect(r.stdout + r.stderr).not.toContain(s);
    const text = runs[0]!.stdout;
    expect(text).toContain('  secret keys: ~data.token, ~stringData.password\n');
    expect(text).toContain('-  token: (redacted)\n+  token: (redacted, changed)\n   user: (redacted)\n');
    // the test can fail: --show-secrets shows them
    const shown = diff('--base', 'main', '--head', 'feature', '--merge-base', '--show-secrets').stdout;
    expect(shown).toContain(PASSWORD_NEW);
    expect(shown).toContain(TOKEN_OLD);
  });
});

describe('markdown within a budget', () => {
  it('is whole when it fits, then degrades to one line per change, then to counts, and says what it left out', () => {
    const args = ['--base', 'main', '--head', 'feature', '--merge-base', '--format', 'markdown'];
    const full = diff(...args).stdout;
    expect(full).toContain('| `gke` | 1 | 2 | 1 |');
    expect(full).toContain('<details><summary><code>~ v1 ConfigMap shop/flags</code>: changed, on all 3 clusters</summary>');
    expect(full).toContain('```diff\n@@ -6,4 +6,4 @@');
    const summary = diff(...args, '--max-chars', String(full.length - 1)).stdout;
    expect(summary.length).toBeLessThan(full.length);
    expect(summary).not.toContain('```diff');
    expect(summary).toContain('- <code>~ v1 ConfigMap shop/flags</code>: changed, on all 3 clusters\n');
    expect(summary).toContain('_The diffs are left out: they do not fit in ' + (full.length - 1) + ' characters.');
    const counts = diff(...args, '--max-chars', '300').stdout;
    expect(counts.length).toBeLessThanOrEqual(300);
    expect(counts).toContain('_The per-cluster table and the 5 changes are left out');
    // then without the refs, then the heading alone: each says what it left out, in a whole sentence
    for (const n of [250, 200]) {
      const small = diff(...args, '--max-chars', String(n)).stdout;
      expect(small.length).toBeLessThanOrEqual(n);
      expect(small).toMatch(new RegExp(`^### fedc diff\n\n(\\*\\*3 clusters changed: 1 object added, 7 changed, 3 removed\\*\\*\n\n)?_The compared refs, the (per-cluster table|counts) and the 5 changes are left out: they do not fit in ${n} characters\\. Run \`fedc diff\` locally to see them\\._\n$`));
    }
    expect(diff(...args, '--max-chars', '250').stdout).toContain('**3 clusters changed');
  });
});

describe('markdown of a change to DNS alone', () => {
  it('has no per-cluster table when no cluster\'s objects changed', () => {
    const snap = (records: string[]) => ({ clusters: new Map([['aws', new Map()]]), notCompared: new Set<string>(), zones: new Map([['example.com', { records }]]), endpoints: new Map() });
    const result = compareSnapshots(snap(['www 300 IN A 10.0.0.1']), snap(['www 300 IN A 10.0.0.2']));
    const md = diffFormatters.markdown.format({ base: 'main', head: 'feature', result }, { color: false, maxChars: 65536 });
    expect(md).not.toContain('| cluster |');
    expect(md).toContain('zone example.com');
  });
});

describe('two rendered directories', () => {
  it('compares the same objects as the git diff, in either layout, and layout never shows', () => {
    const out = path.join(dir, 'out');
    const render = (ref: string, layout: string) => {
      const wt = path.join(dir, `wt-${ref}-${layout}`);
      git('worktree', 'add', '-q', '--detach', wt, ref);
      const target = path.join(out, `${ref}-${layout}`);
      expect(fedc(['render', wt, '-o', target, '--layout', layout]).code).toBe(0);
      git('worktree', 'remove', '--force', wt);
      return target;
    };
    const base = git('merge-base', 'main', 'feature').trim();
    const fromGit = JSON.parse(diff('--base', 'main', '--head', 'feature', '--merge-base', '--format', 'json').stdout) as JsonDiff;
    const a = render(base, 'object');
    const b = render(git('rev-parse', 'feature').trim(), 'manifest');
    const j = JSON.parse(fedc(['diff', a, b, '--format', 'json']).stdout) as JsonDiff;
    expect(j.objects).toEqual(fromGit.objects);
    expect(j.counts).toEqual(fromGit.counts);
    const same = fedc(['diff', a, render(base, 'manifest'), '--exit-code']);
    expect([same.code, same.stdout.split('\n').at(-2)]).toEqual([0, 'no change']);
    expect(fedc(['diff', a, b, '--base', 'main']).code).toBe(2);
    // what is no rendered output is refused, not compared as empty ("no change", or every cluster gone)
    const notRendered = fedc(['diff', '--exit-code', repo, b]);
    expect([notRendered.code, notRendered.stdout]).toEqual([2, '']);
    expect(notRendered.stderr).toBe(`fedc diff: ${repo} is not a rendered output directory: no file in it is one fedc rendered (clusters/<cluster>/, dns/zones/, dns/endpoints/)\n`
      + '  hint: to compare two states of a federation repo, give the repo alone, with --base and --head (git refs); or render each and compare the output directories\n');
    const inside = fedc(['diff', path.join(a, 'clusters'), path.join(b, 'clusters')]);
    expect(inside.code).toBe(2);
    expect(inside.stderr).toContain('hint: give the output directory itself, the one that holds clusters/ and dns/, not a directory in it\n');
    mkdirSync(path.join(out, 'empty'));
    expect(fedc(['diff', path.join(out, 'empty'), b, '--exit-code']).code).toBe(1); // an empty render: everything added
    // a render whose clusters get no object (their kustomization.yaml alone) is a render
    const bare = path.join(dir, 'clusters-only');
    mkdirSync(bare);
    copyFileSync(path.join(repo, 'clusters.yaml'), path.join(bare, 'clusters.yaml'));
    expect(fedc(['render', bare, '-o', path.join(out, 'bare')]).code).toBe(0);
    const fromBare = fedc(['diff', path.join(out, 'bare'), b, '--format', 'json']);
    expect(fromBare.code, fromBare.stderr).toBe(0);
    expect((JSON.parse(fromBare.stdout) as JsonDiff).clusters.added).toEqual([]); // the clusters were there, empty

    // A rendered file edited by hand is read as inputs are: a diagnostic with its position, never a crash
    const c = path.join(out, 'edited');
    cpSync(a, c, { recursive: true });
    const victim = readdirSync(path.join(c, 'clusters'), { recursive: true, encoding: 'utf8' }).find((f) => f.endsWith('.yaml') && !f.endsWith('kustomization.yaml'))!;
    const file = path.join(c, 'clusters', victim);
    const lines = readFileSync(file, 'utf8').split('\n');
    writeFileSync(file, [...lines.slice(0, 3), 'extra: *nosuch', ...lines.slice(3)].join('\n'));
    const r = fedc(['diff', a, c]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`fedc diff: ${c} cannot be read as a rendered output directory:\n`
      + `${path.join(c, 'clusters', victim)}:4:8 - error FEDC1001: alias *nosuch has no anchor: no &nosuch comes before it in this document\n`
      + '  hint: define &nosuch on the value before the alias, or write the value out\n1 error, 0 warnings\n');
  });
});

describe('a revision git cannot read whole (a shallow or partial clone, a damaged object store)', () => {
  let damaged: FleetRepo;
  const run = (args: string[], env: Record<string, string> = {}) => {
    const r = spawnSync(process.execPath, [CLI, 'diff', ...args], { cwd: damaged.repo, encoding: 'utf8', env: { ...process.env, FEDC_CACHE_DIR: path.join(dir, 'damaged-cache'), ...env } });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  };
  /** Takes an object out of the store (as a shallow or partial clone lacks it); returns its id and how to put it back. */
  const hide = (rev: string) => {
    const oid = damaged.git('rev-parse', rev).trim();
    const file = path.join(damaged.repo, '.git/objects', oid.slice(0, 2), oid.slice(2));
    renameSync(file, `${file}.hidden`);
    return { oid, file, restore: () => { rmSync(file, { force: true }); renameSync(`${file}.hidden`, file); } };
  };
  const esc = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const HINT = (sha: string) => `  hint: the clone lacks its objects (a shallow or partial clone) or its object store is damaged: fetch the revision with its objects (git fetch --unshallow, or git fetch origin ${sha}), or run git fsck\n`;
  let sha = '';
  let short = '';
  /** `fedc diff ARGS` refuses main: exit 1, nothing on stdout, each error (with the hint) and the count on stderr. */
  const refusesMain = (args: string[], errors: string[]) => {
    const r = run(args);
    expect(r.code).toBe(1);
    // nothing compared on stdout: with --format json, only the failure, for a machine
    if (args.includes('json')) expect(JSON.parse(r.stdout).failures.map((f: any) => [f.label, f.side, f.summary.errors])).toEqual([[`main (${short})`, 'base', errors.length]]);
    else expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`fedc diff: main (${short}) does not compile:\n` + errors.map((e) => `${e}\n${HINT(sha)}`).join('') +
      `${errors.length} ${errors.length === 1 ? 'error' : 'errors'}, 0 warnings\n`);
  };
  beforeAll(() => {
    damaged = createFleetRepo(path.join(dir, 'damaged'));
    sha = damaged.git('rev-parse', 'main').trim();
    short = sha.slice(0, 7);
  });

  it('a missing blob is FEDC1017 naming the revision and every file it lacks, exit 1, nothing on stdout and nothing cached', () => {
    const truth = run(['--base', 'main', '--head', 'feature', '--format', 'json', '--no-cache']);
    expect(truth.code, truth.stderr).toBe(0);
    const flags = hide('main:shop/flags.yaml');
    const added = hide('main:shop/added-on-main.yaml');
    try {
      for (const format of ['text', 'markdown', 'json']) {
        refusesMain(['--base', 'main', '--head', 'feature', '--format', format], [
          `shop/added-on-main.yaml - error FEDC1017: shop/added-on-main.yaml at main (${short}) cannot be read: git object ${added.oid} is missing from the repository`,
          `shop/flags.yaml - error FEDC1017: shop/flags.yaml at main (${short}) cannot be read: git object ${flags.oid} is missing from the repository`,
        ]);
      }
    } finally {
      flags.restore();
      added.restore();
    }
    // the failed side left no entry behind: with the objects back, the same command compares
    const again = run(['--base', 'main', '--head', 'feature', '--format', 'json']);
    expect([again.code, again.stdout]).toEqual([0, truth.stdout]);
  });

  it('a missing tree names its directory; an object of the wrong type is named too', () => {
    const shop = hide('main:shop');
    try {
      refusesMain(['--base', 'main', '--no-cache'],
        [`shop - error FEDC1017: shop/ at main (${short}) cannot be read: git object ${shop.oid} (its tree) is missing from the repository`]);
    } finally {
      shop.restore();
    }
    // a damaged store holds a tree where the file's blob should be
    const flags = hide('main:shop/flags.yaml');
    const tree = damaged.git('rev-parse', 'main:shop').trim();
    copyFileSync(path.join(damaged.repo, '.git/objects', tree.slice(0, 2), tree.slice(2)), flags.file);
    try {
      refusesMain(['--base', 'main', '--no-cache'],
        [`shop/flags.yaml - error FEDC1017: shop/flags.yaml at main (${short}) cannot be read: git object ${flags.oid} is a tree, not a file's contents`]);
    } finally {
      flags.restore();
    }
    expect(run(['--base', 'main', '--no-cache']).code).toBe(0);
  });

  it('a ref whose commit object is missing is FEDC1017; a ref naming no commit is a usage error that says why', () => {
    const main = hide('main');
    try {
      refusesMain(['--base', 'main', '--no-cache'], [`fedc - error FEDC1017: main (${short}) cannot be read: git object ${sha} is missing from the repository`]);
      // an object id names itself: one the store lacks is as unknown as any other
      expect(run(['--base', sha])).toEqual({ code: 2, stdout: '', stderr: `fedc diff: unknown revision ${sha}\n` });
    } finally {
      main.restore();
    }
    expect(run(['--base', 'main^{tree}'])).toEqual({ code: 2, stdout: '', stderr: 'fedc diff: main^{tree} names a tree, not a commit\n' });
    expect(run(['--head', 'main:shop/flags.yaml'])).toEqual({ code: 2, stdout: '', stderr: 'fedc diff: main:shop/flags.yaml names a blob, not a commit\n' });
    // in a shallow clone, the history it lacks is named as such
    const shallow = path.join(dir, 'shallow');
    damaged.git('clone', '-q', '--depth', '1', `file://${damaged.repo}`, shallow);
    const r = spawnSync(process.execPath, [CLI, 'diff', '--base', 'HEAD~1'], { cwd: shallow, encoding: 'utf8' });
    expect([r.status, r.stdout, r.stderr]).toEqual([2, '', 'fedc diff: unknown revision HEAD~1 (this clone is shallow: fetch the history it lacks, as with git fetch --unshallow)\n']);
  });

  it('a partial clone whose promisor remote is gone names the file git could not fetch', () => {
    const origin = path.join(dir, 'promisor');
    const partial = path.join(dir, 'partial');
    cpSync(damaged.repo, origin, { recursive: true });
    gitIn(origin, 'config', 'uploadpack.allowFilter', 'true');
    damaged.git('clone', '-q', '--filter=blob:none', '--no-checkout', `file://${origin}`, partial);
    rmSync(origin, { recursive: true });
    const r = spawnSync(process.execPath, [CLI, 'diff', '--no-cache'], { cwd: partial, encoding: 'utf8', env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
    expect([r.status, r.stdout]).toEqual([1, '']);
    const head = gitIn(partial, 'rev-parse', 'HEAD').trim();
    const at = `HEAD (${head.slice(0, 7)})`;
    expect(r.stderr).toMatch(new RegExp(`^fedc diff: ${esc(at)} does not compile:\\n(\\S+\\.yaml) - error FEDC1017: \\1 at ${esc(at)} cannot be read: git: [^\\n]*promisor remote[^\\n]*\\n${esc(HINT(head))}1 error, 0 warnings\\n$`));
  });

  it('without git on PATH, says so (exit 2, as outside a git work tree)', () => {
    const r = run([], { PATH: path.join(dir, 'no-such-bin') });
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'fedc diff: git is not installed, or not on PATH: fedc diff reads the revisions it compares with git\n' });
  });
});

describe('symlinks at a revision', () => {
  /** A fleet repo whose inputs include symlinks, committed: the work tree and HEAD hold the same. */
  function linked(name: string): { repo: string; head: string; link: (target: string, at: string) => void; commit: () => string } {
    const own = createFleetRepo(path.join(dir, name));
    const link = (target: string, at: string) => {
      mkdirSync(path.dirname(path.join(own.repo, at)), { recursive: true });
      symlinkSync(target, path.join(own.repo, at));
    };
    const commit = () => {
      own.git('add', '-A');
      own.git('commit', '-qm', 'symlinks');
      return own.git('rev-parse', '--short', 'HEAD').trim();
    };
    return { repo: own.repo, head: '', link, commit };
  }

  it('are followed inside the input directory as on disk: fedc diff of an unchanged work tree finds nothing', () => {
    const r = linked('links-inside');
    // the web Deployment read through a chain of two symlinks and a symlinked directory, from outside the include globs
    renameSync(path.join(r.repo, 'shop/web.yaml'), path.join(r.repo, 'fedc.yaml.d-web.txt'));
    r.link('../templates/web.yaml', 'shop/web.yaml');
    r.link('../fedc.yaml.d-web.txt', 'real/web.yaml');
    r.link('real', 'templates');
    // fedc.yaml through a symlink too
    writeFileSync(path.join(r.repo, 'settings.txt'), 'exclude: ["real/**", "templates", "*.txt"]\n');
    r.link('settings.txt', 'fedc.yaml');
    r.commit();
    const disk = fedc(['validate', '.', '--format', 'json'], r.repo);
    expect(disk.code).toBe(0);
    const d = fedc(['diff', '--exit-code'], r.repo);
    expect([d.code, d.stderr]).toEqual([0, '']);
    // A commit that changes only the file the links lead to (outside the include globs) is a
    // change of the Deployment: the compile cache, which keys a commit by its inputs' blob ids,
    // keys a symlink by what it leads to.
    const target = path.join(r.repo, 'fedc.yaml.d-web.txt');
    writeFileSync(target, readFileSync(target, 'utf8').replace('replicas: 2', 'replicas: 4'));
    r.commit();
    const changed = JSON.parse(fedc(['diff', '--base', 'HEAD~1', '--head', 'HEAD', '--format', 'json'], r.repo).stdout) as JsonDiff;
    expect(summary(changed)).toEqual(['changed modified Deployment shop/web [azure gke]']);
    // and the Deployment is there: its removal from the work tree shows
    rmSync(path.join(r.repo, 'shop/web.yaml'));
    expect(fedc(['diff', '--format', 'json'], r.repo).stdout).toContain('"name": "web"');
  });

  it('a symlink to another input is read there, once (FEDC1015), on disk and at a revision alike', () => {
    const r = linked('links-twice');
    r.link('web.yaml', 'shop/web-again.yaml');
    const head = r.commit();
    const said = 'shop/web-again.yaml - info FEDC1015: symlink shop/web-again.yaml leads to shop/web.yaml, an input itself: it is read there, once';
    const disk = fedc(['validate', '.'], r.repo);
    expect([disk.code, disk.stderr.split('\n').filter((l) => l.includes('FEDC1015') || l.includes(' - error '))]).toEqual([0, [said]]);
    // HEAD reads it as the work tree does: no change, no duplicate
    const d = fedc(['diff', '--exit-code', '--no-color'], r.repo);
    expect([d.code, d.stdout.split('\n').slice(1)]).toEqual([0, ['', 'no change', '']]);
    expect(head).not.toBe('');
  });

  it('that leave the input directory, lead nowhere or loop are FEDC1004 at a revision as on disk', () => {
    const r = linked('links-bad');
    writeFileSync(path.join(dir, 'outside.yaml'), readFileSync(path.join(r.repo, 'shop/web.yaml')));
    r.link(path.join(dir, 'outside.yaml'), 'shop/absolute.yaml');
    r.link('../../outside.yaml', 'shop/relative.yaml');
    r.link('missing.yaml', 'shop/dangling.yaml');
    r.link('loop-b.yaml', 'shop/loop-a.yaml');
    r.link('loop-a.yaml', 'shop/loop-b.yaml');
    const head = r.commit();
    const disk = fedc(['validate', '.'], r.repo);
    expect(disk.code).toBe(1);
    const errors = disk.stderr.split('\n').filter((l) => / - error /.test(l));
    expect(errors).toEqual([
      'shop/absolute.yaml - error FEDC1004: symlink shop/absolute.yaml points outside the input directory; it is not followed',
      'shop/dangling.yaml - error FEDC1004: symlink shop/dangling.yaml points to nothing',
      'shop/loop-a.yaml - error FEDC1004: symlink shop/loop-a.yaml is a symlink loop; it is not followed',
      'shop/loop-b.yaml - error FEDC1004: symlink shop/loop-b.yaml is a symlink loop; it is not followed',
      'shop/relative.yaml - error FEDC1004: symlink shop/relative.yaml points outside the input directory; it is not followed',
    ]);
    // HEAD against the work tree: both sides fail alike
    const d = fedc(['diff'], r.repo);
    expect([d.code, d.stdout]).toEqual([1, '']);
    const side = (label: string) => `fedc diff: ${label} does not compile:\n${errors.join('\n')}\n5 errors, 0 warnings\n`;
    expect(d.stderr).toBe(side(`HEAD (${head})`) + side('the working tree'));
  });
});
