import type { DiffResult, ObjectChange } from '../compare-snapshots.js';
import { describeClusters, describeObject, describeReason, showsDiff, SIGN, summaryLine, type DiffFormatter, type DiffReport } from './describe.js';
import { secretKeys } from './text.js';

/**
 * For a pull request comment: a summary table, then a collapsible diff per change. Within
 * `maxChars` it degrades to the table and one line per change, then to counts alone, then to the
 * counts without the compared refs (whose names have no bound), then to the heading alone, and
 * always says what it left out, in a whole sentence. The last fits in 200 characters, the least
 * `fedc diff --max-chars` takes.
 */
export const markdownFormat: DiffFormatter = {
  format(report, { maxChars, maxBytes }) {
    const budget = maxBytes === undefined ? `${maxChars} characters` : `${Math.min(maxChars, maxBytes)} bytes`;
    const fits = (t: string) => t.length <= maxChars && (maxBytes === undefined || Buffer.byteLength(t, 'utf8') <= maxBytes);
    let text = '';
    for (const level of LEVELS) {
      text = render(report, level, budget);
      if (fits(text)) break;
    }
    return text;
  },
};

const LEVELS = ['full', 'summary', 'counts', 'bare', 'heading'] as const;
type Level = (typeof LEVELS)[number];

function render({ base, head, result: r }: DiffReport, level: Level, budget: string): string {
  const out: string[] = ['### fedc diff'];
  if (level !== 'heading') out.push('', level === 'bare' ? `**${summaryLine(r)}**` : `\`${base}\` → \`${head}\`: **${summaryLine(r)}**`);
  if (!r.changed) {
    out.push('', 'The rendered output is the same on every cluster.');
    return out.join('\n') + '\n';
  }
  if (level === 'counts' || level === 'bare' || level === 'heading') {
    const left = { counts: 'The per-cluster table', bare: 'The compared refs, the per-cluster table', heading: 'The compared refs, the counts' }[level];
    const n = r.objects.length + r.zones.length + r.endpoints.length;
    out.push('', `_${left} and the ${n === 1 ? 'one change' : `${n} changes`} are left out: they do not fit in ${budget}. Run \`fedc diff\` locally to see them._`);
    return out.join('\n') + '\n';
  }
  // no cluster's objects changed (only zones, DNSEndpoints, or clusters not compared): no table
  if (r.counts.length > 0) out.push('', ...table(r));
  const clusters: string[] = [];
  if (r.clusters.added.length) clusters.push(`New clusters: ${r.clusters.added.map((c) => `\`${c}\``).join(', ')}.`);
  if (r.clusters.removed.length) clusters.push(`Removed clusters: ${r.clusters.removed.map((c) => `\`${c}\``).join(', ')}.`);
  if (r.clusters.notCompared.length) clusters.push(`Not compared (not Ready): ${r.clusters.notCompared.map((c) => `\`${c}\``).join(', ')}.`);
  if (clusters.length) out.push('', clusters.join(' '));
  const compared = r.clusters.compared.length;
  const changes: { title: string; body: string[] }[] = [];
  const object = (c: ObjectChange, where: string) => {
    const title = `<code>${SIGN[c.change]} ${escape(describeObject(c))}</code>: ${describeReason(c)}${where ? `, ${escape(where)}` : ''}`;
    const body: string[] = [];
    if (c.secretKeys) body.push(`Secret keys: ${escape(secretKeys(c))} (values are never shown)`, '');
    if (c.diff) body.push(...fenced('diff', c.diff));
    changes.push({ title, body });
  };
  for (const c of r.objects) if (showsDiff(c)) object(c, describeClusters(c.clusters, compared));
  for (const z of r.zones) changes.push({ title: `<code>${SIGN[z.change]} zone ${escape(z.domain)}</code>`, body: fenced('diff', [...z.removed.map((x) => `-${x}`), ...z.added.map((x) => `+${x}`)].join('\n')) });
  for (const e of r.endpoints) object(e, 'for external-dns');
  if (level === 'full') {
    for (const c of changes) out.push('', `<details><summary>${c.title}</summary>`, '', ...c.body, '', '</details>');
  } else {
    out.push('', ...changes.map((c) => `- ${c.title}`), '', `_The diffs are left out: they do not fit in ${budget}. Run \`fedc diff\` locally to see them._`);
  }
  return out.join('\n') + '\n';
}

function table(r: DiffResult): string[] {
  return ['| cluster | added | changed | removed |', '|---|---:|---:|---:|', ...r.counts.map((c) => `| \`${c.cluster}\` | ${c.added} | ${c.changed} | ${c.removed} |`)];
}

/** A fenced block whose fence no line of the content can close. */
function fenced(lang: string, text: string): string[] {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return [`${fence}${lang}`, text, fence];
}

function escape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
