import type { ObjectChange } from '../compare-snapshots.js';
import { describeClusters, describeObject, describeReason, showsDiff, SIGN, summaryLine, type DiffFormatter } from './describe.js';

const ANSI = { bold: '\x1b[1m', red: '\x1b[31m', green: '\x1b[32m', cyan: '\x1b[36m', reset: '\x1b[0m' };

/** For a terminal: a unified diff per changed object, coloured on a TTY. */
export const textFormat: DiffFormatter = {
  format({ base, head, result: r }, { color }) {
    const paint = (code: string, s: string) => (color ? `${code}${s}${ANSI.reset}` : s);
    const line = (l: string) =>
      l.startsWith('@@') ? paint(ANSI.cyan, l) : l.startsWith('+') ? paint(ANSI.green, l) : l.startsWith('-') ? paint(ANSI.red, l) : l;
    const out: string[] = [paint(ANSI.bold, `fedc diff: ${base} -> ${head}`)];
    const compared = r.clusters.compared.length;
    for (const c of r.clusters.added) out.push(paint(ANSI.green, `+ cluster ${c}: new, ${r.counts.find((x) => x.cluster === c)?.added ?? 0} objects`));
    for (const c of r.clusters.removed) out.push(paint(ANSI.red, `- cluster ${c}: gone, with its ${r.counts.find((x) => x.cluster === c)?.removed ?? 0} objects`));
    for (const c of r.clusters.notCompared) out.push(`  cluster ${c}: not Ready, not compared`);
    const object = (c: ObjectChange, where: string) => {
      out.push('', paint(ANSI.bold, `${SIGN[c.change]} ${describeObject(c)}: ${describeReason(c)}${where ? `, ${where}` : ''}`));
      if (c.secretKeys) out.push(`  secret keys: ${secretKeys(c)}`);
      if (showsDiff(c) && c.diff) out.push(...c.diff.split('\n').map(line));
    };
    for (const c of r.objects) if (showsDiff(c)) object(c, describeClusters(c.clusters, compared));
    for (const z of r.zones) {
      out.push('', paint(ANSI.bold, `${SIGN[z.change]} zone ${z.domain}`));
      for (const rec of z.removed) out.push(line(`-${rec}`));
      for (const rec of z.added) out.push(line(`+${rec}`));
    }
    for (const e of r.endpoints) object(e, 'for external-dns');
    out.push('', summaryLine(r));
    return out.join('\n') + '\n';
  },
};

export function secretKeys(c: ObjectChange): string {
  const k = c.secretKeys!;
  return [...k.added.map((x) => `+${x}`), ...k.changed.map((x) => `~${x}`), ...k.removed.map((x) => `-${x}`)].join(', ');
}
