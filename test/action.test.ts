/**
 * The GitHub Action as the runner runs it: `node action/dist/index.mjs` (the committed bundle)
 * with the runner's environment (INPUT_*, GITHUB_EVENT_PATH with a pull_request payload,
 * GITHUB_STEP_SUMMARY, GITHUB_OUTPUT, GITHUB_API_URL pointing at a fake GitHub API on 127.0.0.1)
 * in a git repository with base and head commits (test/fleet-repo.ts).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { CLUSTERS, configMap, createFleetRepo, gitIn, NAMESPACE, SECRETS, type FleetRepo } from './fleet-repo.js';
import { cleanup, fedc, ROOT, tempDir } from './helpers.js';

const BUNDLE = path.join(ROOT, 'action/dist/index.mjs');
const MARKER = '<!-- fedc-diff: this comment is updated on every push -->';

interface Call {
  method: string;
  url: string;
  auth: string | undefined;
  body?: { body: string };
}

/** A fake of the GitHub REST API's issue comments: enough to list, create and update them. */
class FakeGitHub {
  calls: Call[] = [];
  comments: { id: number; body: string; user: { login: string } }[] = [];
  /** Answer writes with 403, as GitHub does for a fork's read-only token. */
  readOnly = false;
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const call: Call = { method: req.method!, url: req.url!, auth: req.headers.authorization, ...(raw ? { body: JSON.parse(raw) } : {}) };
    this.calls.push(call);
    const send = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    const list = /^\/repos\/acme\/fleet\/issues\/7\/comments\?per_page=100&page=(\d+)$/.exec(req.url!);
    if (req.method === 'GET' && list) {
      const page = Number(list[1]);
      return send(200, this.comments.slice((page - 1) * 100, page * 100));
    }
    if (this.readOnly && (req.method === 'POST' || req.method === 'PATCH')) return send(403, { message: 'Resource not accessible by integration' });
    if (req.method === 'POST' && req.url === '/repos/acme/fleet/issues/7/comments') {
      const c = { id: 1000 + this.comments.length, body: call.body!.body, user: { login: 'github-actions[bot]' } };
      this.comments.push(c);
      return send(201, { ...c, html_url: `https://github.example/acme/fleet/pull/7#issuecomment-${c.id}` });
    }
    const patch = /^\/repos\/acme\/fleet\/issues\/comments\/(\d+)$/.exec(req.url!);
    if (req.method === 'PATCH' && patch) {
      const c = this.comments.find((x) => x.id === Number(patch[1]));
      if (!c) return send(404, { message: 'Not Found' });
      c.body = call.body!.body;
      return send(200, c);
    }
    send(404, { message: `no route ${req.method} ${req.url}` });
  }
}

let dir = '';
let fleet: FleetRepo;
const api = new FakeGitHub();

interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  summary: string;
  /** The outputs but comment-file, whose file's text is commentFile (a file in RUNNER_TEMP). */
  outputs: Record<string, string>;
  commentFile?: string;
}

/** Runs the committed bundle as the runner does: `node <main>` in the workspace, with its environment. */
async function runAction(inputs: Record<string, string>, event: Record<string, unknown>, eventName = 'pull_request', workspace = fleet.repo, extraEnv: NodeJS.ProcessEnv = {}): Promise<ActionRun> {
  const run = tempDir('fedc-action-run-');
  const files = { event: path.join(run, 'event.json'), summary: path.join(run, 'summary.md'), output: path.join(run, 'output.txt') };
  writeFileSync(files.event, JSON.stringify(event));
  writeFileSync(files.summary, '');
  writeFileSync(files.output, '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_REPOSITORY: 'acme/fleet',
    GITHUB_WORKSPACE: workspace,
    GITHUB_API_URL: api.url,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_OUTPUT: files.output,
    GITHUB_SHA: fleet.git('rev-parse', 'HEAD').trim(),
    RUNNER_TEMP: run,
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
    ...extraEnv,
  };
  const child = spawn(process.execPath, [BUNDLE], { cwd: workspace, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  const outputs = Object.fromEntries(readFileSync(files.output, 'utf8').split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  const { 'comment-file': commentPath, ...rest } = outputs;
  if (commentPath !== undefined) expect(path.dirname(commentPath)).toBe(run);
  const result = { code, stdout, stderr, summary: readFileSync(files.summary, 'utf8'), outputs: rest, ...(commentPath ? { commentFile: readFileSync(commentPath, 'utf8') } : {}) };
  cleanup(run);
  return result;
}

const sha = (ref: string) => fleet.git('rev-parse', ref).trim();

/** A branch off feature whose head does not compile (FEDC2001 in shop/broken.yaml), with more files if given; checked out. */
function brokenBranch(name: string, more: Record<string, string> = {}): void {
  fleet.git('checkout', '-q', '-b', name, 'feature');
  fleet.write('shop/broken.yaml', 'apiVersion: types.kubefed.io/v1beta1\nkind: FederatedConfigMap\nmetadata: {name: broken, namespace: shop}\nspec:\n  placement: {clusters: aws}\n');
  for (const [rel, text] of Object.entries(more)) fleet.write(rel, text);
  fleet.git('add', '-A');
  fleet.git('commit', '-qm', 'broken');
}
const prEvent = () => ({
  action: 'synchronize',
  number: 7,
  pull_request: { number: 7, base: { ref: 'main', sha: sha('main') }, head: { ref: 'feature', sha: sha('feature') } },
  repository: { full_name: 'acme/fleet' },
});
const DIFF = { mode: 'diff', path: '.', token: 'ghs_fake-token', comment: 'true' };

beforeAll(async () => {
  dir = tempDir('fedc-action-');
  fleet = createFleetRepo(path.join(dir, 'fleet'));
  await api.start();
});

afterAll(async () => {
  await api.stop();
  if (dir) cleanup(dir);
});

describe('the committed bundle', () => {
  it('is what a fresh build of the sources gives (npm run build:action)', () => {
    mkdirSync(path.join(dir, 'fresh'));
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build-action.mjs'), path.join(dir, 'fresh/index.mjs')], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    // the bundle and what it loads from beside itself (Kubernetes' schemas)
    const committed = readdirSync(path.dirname(BUNDLE)).sort();
    expect(committed).toEqual(['index.mjs', 'kubernetes-schemas.cjs']);
    expect(readdirSync(path.join(dir, 'fresh')).sort()).toEqual(committed);
    for (const f of committed) {
      expect(readFileSync(path.join(dir, 'fresh', f)).equals(readFileSync(path.join(path.dirname(BUNDLE), f))), `action/dist/${f} is stale: run npm run build:action and commit it`).toBe(true);
    }
  });

  it('action.yml runs it on node24 and declares the inputs and outputs it reads', () => {
    const action = parseYaml(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as { runs: { using: string; main: string }; inputs: Record<string, unknown>; outputs: Record<string, unknown> };
    expect(action.runs).toEqual({ using: 'node24', main: 'action/dist/index.mjs' });
    expect(Object.keys(action.inputs).sort()).toEqual(['base', 'comment', 'comment-author', 'head', 'mode', 'path', 'token']);
    expect(Object.keys(action.outputs).sort()).toEqual(['changed-clusters', 'comment-file', 'has-changes', 'objects-added', 'objects-changed', 'objects-removed', 'stale']);
    const source = readFileSync(path.join(ROOT, 'src/action/run-action.ts'), 'utf8');
    for (const name of Object.keys(action.inputs)) expect(source, name).toContain(`input('${name}'`);
    for (const name of Object.keys(action.outputs)) expect(source, name).toContain(`'${name}'`);
  });
});

describe('mode: diff on a pull request', () => {
  it('creates one sticky comment on the first run and updates it in place on the next, never a second', async () => {
    api.calls = [];
    const first = await runAction(DIFF, prEvent());
    expect([first.code, first.stderr]).toEqual([0, '']);
    expect(api.calls.map((c) => `${c.method} ${c.url}`)).toEqual(['GET /repos/acme/fleet/issues/7/comments?per_page=100&page=1', 'POST /repos/acme/fleet/issues/7/comments']);
    expect(api.calls.every((c) => c.auth === 'Bearer ghs_fake-token')).toBe(true);
    expect(api.comments).toHaveLength(1);
    const body = api.comments[0]!.body;
    expect(body.startsWith(`${MARKER}\n### fedc diff\n`)).toBe(true);
    expect(body).toContain('**3 clusters changed: 1 object added, 7 changed, 3 removed**');
    expect(body).toContain('| `gke` | 1 | 2 | 1 |');
    expect(first.outputs).toEqual({ 'has-changes': 'true', 'changed-clusters': 'aws,azure,gke', 'objects-added': '1', 'objects-changed': '7', 'objects-removed': '3' });
    expect(first.summary).toContain('<details><summary><code>~ v1 ConfigMap shop/flags</code>: changed, on all 3 clusters</summary>');
    expect(first.commentFile).toBe(body);

    // another comment by someone else, then a new push: the same comment is edited
    api.comments.unshift({ id: 1, body: 'looks good to me', user: { login: 'reviewer' } });
    api.calls = [];
    fleet.git('checkout', '-q', 'feature');
    fleet.write('shop/flags.yaml', configMap('flags', 'warn'));
    fleet.git('commit', '-qam', 'another push');
    const second = await runAction(DIFF, prEvent());
    expect(second.code).toBe(0);
    expect(api.calls.map((c) => `${c.method} ${c.url}`)).toEqual(['GET /repos/acme/fleet/issues/7/comments?per_page=100&page=1', 'PATCH /repos/acme/fleet/issues/comments/1000']);
    expect(api.comments.filter((c) => c.body.startsWith(MARKER))).toHaveLength(1);
    expect(api.comments.find((c) => c.id === 1000)!.body).toContain('+  LOG_LEVEL: warn');
    fleet.git('reset', '-q', '--hard', 'HEAD^');
  });

  it('with comment: false posts nothing and leaves the comment in the file comment-file names, for a workflow that posts it', async () => {
    const posted = await runAction(DIFF, prEvent());
    api.calls = [];
    const saved = await runAction({ ...DIFF, comment: 'false' }, prEvent());
    expect([saved.code, api.calls]).toEqual([0, []]);
    expect(saved.commentFile).toBe(posted.commentFile);
    expect(saved.commentFile).toBe(api.comments.find((c) => c.id === 1000)!.body);
    // a head that does not compile: the same, and the job fails
    brokenBranch('broken-quiet');
    try {
      const event = prEvent();
      event.pull_request.head.sha = sha('broken-quiet');
      const failed = await runAction({ ...DIFF, comment: 'false' }, event);
      expect([failed.code, api.calls]).toEqual([1, []]);
      expect(failed.commentFile).toMatch(new RegExp(`^${MARKER}\n### fedc diff\n\n\\*\\*${sha('broken-quiet')} \\(${sha('broken-quiet').slice(0, 7)}\\)\\*\\* does not compile: 1 error\\.`));
    } finally {
      fleet.git('checkout', '-q', 'feature');
    }
  });

  it('says so in the comment when nothing changes, rather than leaving a stale diff', async () => {
    api.calls = [];
    const event = prEvent();
    event.pull_request.base.sha = event.pull_request.head.sha;
    const r = await runAction(DIFF, event);
    expect(r.code).toBe(0);
    expect(api.comments.find((c) => c.id === 1000)!.body).toBe(`${MARKER}\n### fedc diff\n\n\`merge base of ${sha('feature')} and ${sha('feature')} (${sha('feature').slice(0, 7)})\` → \`${sha('feature')} (${sha('feature').slice(0, 7)})\`: **no change**\n\nThe rendered output is the same on every cluster.\n`);
    expect(r.outputs['has-changes']).toBe('false');
  });

  it('keeps a huge diff within GitHub\'s comment limit and puts the full diff in the summary', async () => {
    fleet.git('checkout', '-q', '-b', 'huge', 'feature');
    const big = 'x'.repeat(400);
    for (let i = 0; i < 150; i++) fleet.write(`shop/big-${i}.yaml`, configMap(`big-${i}`, `${big}-${i}`));
    fleet.git('add', '-A');
    fleet.git('commit', '-qm', 'huge');
    try {
      const event = prEvent();
      event.pull_request.head.sha = sha('huge');
      const r = await runAction(DIFF, event);
      expect(r.code).toBe(0);
      const body = api.comments.find((c) => c.id === 1000)!.body;
      expect(body.length).toBeLessThanOrEqual(65536);
      expect(body).toContain('left out');
      expect(r.summary.length).toBeGreaterThan(65536);
      expect(r.summary.length).toBeLessThanOrEqual(1024 * 1024);
      expect(r.summary).toContain('<code>+ v1 ConfigMap shop/big-149</code>');
    } finally {
      fleet.git('checkout', '-q', 'feature');
    }
  });

  it('keeps the summary within GitHub\'s 1 MiB in bytes, not characters, the notes after the diff included', async () => {
    fleet.git('checkout', '-q', '-b', 'wide', 'feature');
    // 3 bytes per character: some 400,000 characters of diff, 1.2 MB
    const wide = '語'.repeat(2000);
    for (let i = 0; i < 200; i++) fleet.write(`shop/wide-${i}.yaml`, configMap(`wide-${i}`, `${wide}-${i}`));
    fleet.git('add', '-A');
    fleet.git('commit', '-qm', 'wide');
    api.readOnly = true;
    try {
      const event = prEvent();
      event.pull_request.head.sha = sha('wide');
      const r = await runAction(DIFF, event);
      expect(r.code).toBe(0);
      expect(r.summary.length).toBeLessThan(1024 * 1024);
      expect(Buffer.byteLength(r.summary)).toBeLessThanOrEqual(1024 * 1024);
      expect(r.summary).toContain('<code>+ v1 ConfigMap shop/wide-199</code>');
      expect(r.summary).toMatch(/_The diffs are left out: they do not fit in \d+ bytes\./);
      expect(r.summary).toContain('fedc did not comment on the pull request');
    } finally {
      api.readOnly = false;
      fleet.git('checkout', '-q', 'feature');
    }
  });

  it('never takes over a comment that starts with the marker but is not the token\'s account\'s (comment-author)', async () => {
    const forged = { id: 1, body: `${MARKER}\nsomeone else's words`, user: { login: 'mallory' } };
    const saved = api.comments;
    api.comments = [forged];
    api.calls = [];
    try {
      const r = await runAction(DIFF, prEvent());
      expect(r.code).toBe(0);
      expect(api.calls.map((c) => c.method)).toEqual(['GET', 'POST']);
      expect(forged.body).toBe(`${MARKER}\nsomeone else's words`);
      // a bot account's token: its comments are the ones to edit
      api.calls = [];
      const bot = await runAction({ ...DIFF, 'comment-author': 'mallory' }, prEvent());
      expect(bot.code).toBe(0);
      expect(api.calls.map((c) => `${c.method} ${c.url}`)).toEqual(['GET /repos/acme/fleet/issues/7/comments?per_page=100&page=1', 'PATCH /repos/acme/fleet/issues/comments/1']);
    } finally {
      api.comments = saved;
    }
  });

  it('a fork\'s read-only token gets the summary and a notice instead of a failed job', async () => {
    api.readOnly = true;
    api.calls = [];
    try {
      const r = await runAction(DIFF, prEvent());
      expect(r.code).toBe(0);
      expect(api.calls.map((c) => c.method)).toEqual(['GET', 'PATCH']);
      expect(r.stdout).toContain('::notice title=fedc::not commenting: the token may not comment (403): a pull request from a fork gets a read-only token; see the README for the workflow_run setup. The diff is in the job summary.');
      expect(r.summary).toContain('### fedc diff');
      expect(r.summary).toContain('fedc did not comment on the pull request');
    } finally {
      api.readOnly = false;
    }
  });

  it('an API it cannot reach is a notice, not a failed job (nor an internal error)', async () => {
    const closed = await new Promise<string>((resolve) => {
      const srv = createServer();
      srv.listen(0, '127.0.0.1', () => {
        const { port } = srv.address() as AddressInfo;
        srv.close(() => resolve(`http://127.0.0.1:${port}`)); // a port nothing listens on
      });
    });
    const r = await runAction(DIFF, prEvent(), 'pull_request', fleet.repo, { GITHUB_API_URL: closed });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`::notice title=fedc::not commenting: the GitHub API at ${closed} could not be used: fetch failed (ECONNREFUSED). The diff is in the job summary.`);
    expect(r.stdout).not.toContain('internal error');
    expect(r.summary).toContain('### fedc diff');
  });

  it('a head that fixes a base that does not compile passes, and only the head is annotated', async () => {
    brokenBranch('broken-base');
    try {
      fleet.git('checkout', '-q', '-b', 'fixes-base', 'broken-base');
      fleet.git('rm', '-q', 'shop/broken.yaml');
      fleet.git('commit', '-qm', 'fix');
      const event = prEvent();
      event.pull_request.base.sha = sha('broken-base');
      event.pull_request.head.sha = sha('fixes-base');
      const r = await runAction(DIFF, event);
      expect(r.code).toBe(0);
      expect(r.stdout).not.toContain('::error');
      expect(r.summary).toContain('does not compile: 1 error.');
      expect(r.summary).toContain(`compiles: there is no diff to show against a base that does not.`);
      // its outputs are those of a head compared with nothing: a workflow gated on has-changes deploys it
      expect(r.outputs).toEqual({ 'has-changes': 'true', 'changed-clusters': 'aws,azure,gke', 'objects-added': expect.stringMatching(/^[1-9]\d*$/), 'objects-changed': '0', 'objects-removed': '0' });
      // the other way round, the head's errors fail it, annotated
      event.pull_request.base.sha = sha('fixes-base');
      event.pull_request.head.sha = sha('broken-base');
      const broken = await runAction(DIFF, event);
      expect(broken.code).toBe(1);
      expect(broken.stdout).toContain('::error file=shop/broken.yaml,line=5,col=25,title=FEDC2001::');
    } finally {
      fleet.git('checkout', '-q', 'feature');
    }
  });

  it('never lets a Secret value reach the comment, its file, the summary, the outputs or the log', async () => {
    const runs = [await runAction(DIFF, prEvent()), await runAction({ ...DIFF, comment: 'false' }, prEvent())];
    const channels = [...runs.flatMap((r) => [r.stdout, r.stderr, r.summary, JSON.stringify(r.outputs), r.commentFile ?? '']), ...api.comments.map((c) => c.body)];
    for (const s of SECRETS) for (const c of channels) expect(c).not.toContain(s);
    expect(runs[0]!.summary).toContain('Secret keys: ~data.token, ~stringData.password (values are never shown)');
  });

  it('annotates the pull request\'s files with diagnostics, and a head that does not compile fails the job', async () => {
    brokenBranch('broken', { 'shop/plain.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: plain, namespace: shop}\n' });
    try {
      const event = prEvent();
      event.pull_request.head.sha = sha('broken');
      const r = await runAction(DIFF, event);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('::error file=shop/broken.yaml,line=5,col=25,title=FEDC2001::FederatedConfigMap broken: spec.placement.clusters must be a list, not string "aws"\n');
      expect(api.comments.find((c) => c.id === 1000)!.body).toContain('does not compile: 1 error.');
      fleet.git('rm', '-q', 'shop/broken.yaml');
      fleet.git('commit', '-qm', 'fixed');
      event.pull_request.head.sha = sha('broken');
      const warned = await runAction(DIFF, event);
      expect(warned.code).toBe(0);
      expect(warned.stdout).toContain('::warning file=shop/plain.yaml,line=2,col=7,title=FEDC2009::');
    } finally {
      fleet.git('checkout', '-q', 'feature');
    }
  });
});

describe('mode: check', () => {
  it('needs no token, passes on fresh output and fails on stale output with the fix', async () => {
    expect(fedc(['render', fleet.repo]).code).toBe(0);
    fleet.git('add', '-A');
    fleet.git('commit', '-qm', 'rendered');
    const fresh = await runAction({ mode: 'check', path: '.' }, {}, 'push');
    expect([fresh.code, fresh.outputs.stale]).toEqual([0, 'false']);
    expect(fresh.summary).toContain('The committed rendered output is up to date.');
    fleet.write('shop/flags.yaml', configMap('flags', 'error'));
    const stale = await runAction({ mode: 'check', path: '.' }, {}, 'push');
    expect([stale.code, stale.outputs.stale]).toEqual([1, 'true']);
    expect(stale.stdout).toContain('::error title=FEDC5001::');
    expect(stale.summary).toContain('Fix it with `fedc render .` and commit the result.');
    fleet.git('checkout', '-q', '--', 'shop/flags.yaml');
  });

  it('names files from the checkout\'s root when the federation repo is a directory of it (path:), and the fix as the summary does', async () => {
    const ws = tempDir('fedc-action-ws-');
    try {
      const fed = path.join(ws, 'federation');
      const put = (rel: string, text: string) => {
        mkdirSync(path.dirname(path.join(fed, rel)), { recursive: true });
        writeFileSync(path.join(fed, rel), text);
      };
      put('clusters.yaml', CLUSTERS);
      put('shop/namespace.yaml', NAMESPACE);
      put('shop/flags.yaml', configMap('flags', 'info'));
      put('shop/plain.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: plain, namespace: shop}\n');
      expect(fedc(['render', fed]).code).toBe(0);
      gitIn(ws, 'init', '-q');
      gitIn(ws, 'add', '-A');
      gitIn(ws, 'commit', '-qm', 'rendered');
      const fresh = await runAction({ mode: 'check', path: 'federation' }, {}, 'push', ws);
      expect([fresh.code, fresh.outputs.stale]).toEqual([0, 'false']);
      expect(fresh.stdout).toContain('::warning file=federation/shop/plain.yaml,line=2,col=7,title=FEDC2009::');
      put('shop/flags.yaml', configMap('flags', 'error'));
      const stale = await runAction({ mode: 'check', path: 'federation' }, {}, 'push', ws);
      expect([stale.code, stale.outputs.stale]).toEqual([1, 'true']);
      expect(stale.stdout).toMatch(/^::error title=FEDC5001::.*%0Arun: fedc render federation$/m);
      expect(stale.summary).toContain('Fix it with `fedc render federation` and commit the result.');
      // diff mode: the summary names the file as the annotation does
      put('shop/broken.yaml', 'apiVersion: types.kubefed.io/v1beta1\nkind: FederatedConfigMap\nmetadata: {name: broken, namespace: shop}\nspec:\n  placement: {clusters: aws}\n');
      gitIn(ws, 'add', '-A');
      gitIn(ws, 'commit', '-qm', 'broken');
      const broken = await runAction({ mode: 'diff', path: 'federation', comment: 'false' }, {}, 'workflow_dispatch', ws);
      expect(broken.code).toBe(1);
      expect(broken.stdout).toContain('::error file=federation/shop/broken.yaml,line=5,col=25,title=FEDC2001::');
      expect(broken.summary).toContain('\nfederation/shop/broken.yaml:5:25 - error FEDC2001: FederatedConfigMap broken: spec.placement.clusters must be a list, not string "aws"\n');
    } finally {
      cleanup(ws);
    }
  });
});
