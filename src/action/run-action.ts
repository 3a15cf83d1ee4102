import path from 'node:path';
import { formatDiagnostics } from '../diagnostics/format.js';
import { renderRefSides } from '../cli/diff-command.js';
import { namedFrom, repoInCheckout } from '../cli/print-diagnostics.js';
import { runRender } from '../cli/render-command.js';
import { compareSnapshots, type DiffResult } from '../diff/compare-snapshots.js';
import { emptySnapshot } from '../diff/render-snapshot.js';
import { markdownFormat } from '../diff/format/markdown.js';
import { ANNOTATION_LIMIT, SUMMARY_LIMIT, SUMMARY_RESERVE, type Runner } from './runner.js';
import { COMMENT_LIMIT, COMMENT_MARKER, upsertComment } from './sticky-comment.js';

const ZERO_SHA = /^0+$/;

/**
 * The GitHub Action: `mode: diff` renders the pull request's merge base and head and posts the
 * markdown diff as one sticky comment (and the full diff to the job summary); `mode: check` runs
 * `fedc render --check`. A thin shell: inputs and the event in, the same core as the CLI, bytes out.
 */
export async function runAction(runner: Runner): Promise<number> {
  const mode = runner.input('mode', 'diff');
  const rel = runner.input('path', '.');
  const dir = path.resolve(runner.workspace, rel);
  const prefix = repoInCheckout(dir, runner.workspace);
  if (mode === 'check') return check(runner, dir, rel);
  if (mode !== 'diff') {
    process.stdout.write(`::error title=fedc::input mode must be diff or check, not ${mode}\n`);
    return 2;
  }

  const event = runner.event();
  const pr = event.pull_request as { number?: number; base?: { sha?: string }; head?: { sha?: string } } | undefined;
  let base = runner.input('base');
  let head = runner.input('head');
  let mergeBase = true;
  if (pr) {
    base ||= pr.base?.sha ?? '';
    head ||= pr.head?.sha ?? '';
  } else if (runner.eventName === 'push' && typeof event.before === 'string' && !ZERO_SHA.test(event.before)) {
    base ||= event.before;
    head ||= typeof event.after === 'string' ? event.after : 'HEAD';
    mergeBase = false;
  } else {
    base ||= 'HEAD^';
    head ||= 'HEAD';
    mergeBase = false;
  }

  const sides = await renderRefSides(dir, { base, head, mergeBase });
  if (!sides.ok) {
    let body: string;
    // Only the head's problems are the pull request's: a head that fixes a broken base passes.
    const headCompiled = sides.headDiagnostics !== undefined;
    if (sides.message) {
      process.stdout.write(`::error title=fedc::${sides.message}\n`);
      // the advice fits the history a shallow checkout lacks, not a wrong path
      const history = /revision|merge base|shallow|history/.test(sides.message) ? ' Check out the whole history (actions/checkout with fetch-depth: 0).' : '';
      body = `### fedc diff\n\nfedc could not compare: ${sides.message}.${history}\n`;
    } else {
      for (const f of sides.failures) if (f.side === 'head') runner.annotate(f.errors, prefix);
      if (headCompiled) runner.annotate(sides.headDiagnostics!, prefix);
      body = '### fedc diff\n\n' + sides.failures.map((f) => `**${f.label}** does not compile: ${f.errors.length} error${f.errors.length === 1 ? '' : 's'}.`).join('\n\n') +
        (headCompiled ? `\n\n**${head}** compiles: there is no diff to show against a base that does not.` : '') +
        '\n\n' + fenced(sides.failures.map((f) => formatDiagnostics(namedFrom(f.errors, prefix), 'text')).join('')) + '\n';
    }
    // The head's outputs as against a base that renders nothing, so that a workflow gated on
    // has-changes still deploys a head that fixes its base.
    if (headCompiled && sides.head) setOutputs(runner, compareSnapshots(emptySnapshot(), sides.head.snapshot));
    runner.summary(body);
    await publish(runner, pr?.number, `${COMMENT_MARKER}\n${clip(body, COMMENT_LIMIT - COMMENT_MARKER.length - 1)}`);
    return headCompiled ? 0 : 1;
  }

  const result = compareSnapshots(sides.base.snapshot, sides.head.snapshot);
  const report = { base: sides.base.label, head: sides.head.label, result };
  runner.annotate(sides.headDiagnostics, prefix);
  const overflow = (['error', 'warning', 'info'] as const).flatMap((s) => sides.headDiagnostics.filter((d) => d.severity === s).slice(ANNOTATION_LIMIT));
  const rest = overflow.length ? `\n#### Diagnostics beyond the ${ANNOTATION_LIMIT} annotations GitHub shows per kind\n\n${fenced(formatDiagnostics(namedFrom(overflow, prefix), 'text'))}\n` : '';
  const room = SUMMARY_LIMIT - SUMMARY_RESERVE - Buffer.byteLength(rest, 'utf8');
  runner.summary(markdownFormat.format(report, { color: false, maxChars: room, maxBytes: room }) + rest);
  setOutputs(runner, result);
  runner.log(`fedc diff: ${report.base} -> ${report.head}: ${result.changed ? `${result.counts.length} clusters changed` : 'no change'}`);

  await publish(runner, pr?.number, `${COMMENT_MARKER}\n${markdownFormat.format(report, { color: false, maxChars: COMMENT_LIMIT - COMMENT_MARKER.length - 1 })}`);
  return 0;
}

/**
 * The comment: saved as the file the output comment-file names, for a workflow that posts it
 * itself (a fork's pull request, whose token cannot), and posted on the pull request unless the
 * input comment is false.
 */
async function publish(runner: Runner, pr: number | undefined, body: string): Promise<void> {
  runner.setOutput('comment-file', runner.saveFile('fedc-comment.md', body));
  if (pr !== undefined && runner.input('comment', 'true') !== 'false') await comment(runner, pr, body);
}

async function comment(runner: Runner, issue: number, body: string): Promise<void> {
  const token = runner.input('token');
  if (!token) {
    runner.notice('no token: the diff is in the job summary only');
    return;
  }
  const outcome = await upsertComment(runner.apiUrl, runner.repository, issue, token, body, runner.input('comment-author', 'github-actions[bot]'));
  if (outcome.posted) runner.log(`fedc: comment ${outcome.posted}${outcome.url ? `: ${outcome.url}` : ''}`);
  else {
    runner.notice(`not commenting: ${outcome.reason}. The diff is in the job summary.`);
    runner.summary(`\n> fedc did not comment on the pull request: ${outcome.reason}.\n`);
  }
}

async function check(runner: Runner, dir: string, rel: string): Promise<number> {
  const code = await runRender(dir, { check: true, format: 'github', cluster: [] });
  runner.setOutput('stale', code === 0 ? 'false' : 'true');
  runner.summary(code === 0
    ? '### fedc check\n\nThe committed rendered output is up to date.\n'
    : `### fedc check\n\nThe committed rendered output is stale or the repo does not compile (see the annotations). Fix it with \`fedc render ${rel}\` and commit the result.\n`);
  return code;
}

function setOutputs(runner: Runner, r: DiffResult): void {
  const total = (k: 'added' | 'changed' | 'removed') => r.counts.reduce((n, c) => n + c[k], 0);
  runner.setOutput('has-changes', String(r.changed));
  runner.setOutput('changed-clusters', r.counts.map((c) => c.cluster).join(','));
  runner.setOutput('objects-added', String(total('added')));
  runner.setOutput('objects-changed', String(total('changed')));
  runner.setOutput('objects-removed', String(total('removed')));
}

function fenced(text: string): string {
  return '```\n' + text.replace(/```/g, "'''") + '```';
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 40)}\n\n_(cut at ${max} characters)_\n`;
}
