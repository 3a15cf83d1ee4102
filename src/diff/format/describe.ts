import type { DiffResult, ObjectChange } from '../compare-snapshots.js';

/** The two sides of a diff, as messages name them, and the comparison. */
export interface DiffReport {
  base: string;
  head: string;
  result: DiffResult;
}

export interface FormatOptions {
  /** ANSI colours (text only). */
  color: boolean;
  /** Markdown only: the most characters the output may have. */
  maxChars: number;
  /** Markdown only: the most UTF-8 bytes it may have besides (GitHub's job summary counts bytes). */
  maxBytes?: number;
}

/** One output format of `fedc diff`: a report in, the bytes to print out. */
export interface DiffFormatter {
  format(report: DiffReport, options: FormatOptions): string;
}

export function describeObject(o: Pick<ObjectChange, 'apiVersion' | 'kind' | 'namespace' | 'name'>): string {
  return `${o.apiVersion} ${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
}

/** "on all 37 clusters", "on 2 clusters: aws, gke", "on 45 clusters: a, b, ... and 35 more"; "" for none. */
export function describeClusters(clusters: readonly string[], compared: number, max = 10): string {
  if (clusters.length === 0) return '';
  if (clusters.length === compared && compared === 2) return 'on both clusters';
  if (clusters.length === compared && compared > 2) return `on all ${compared} clusters`;
  if (clusters.length === 1) return `on ${clusters[0]}`;
  const shown = clusters.slice(0, max).join(', ');
  return `on ${clusters.length} clusters: ${shown}${clusters.length > max ? `, ... and ${clusters.length - max} more` : ''}`;
}

const REASONS: Record<ObjectChange['reason'], string> = {
  'cluster-added': 'on a new cluster',
  'cluster-removed': 'with its cluster',
  placed: 'newly placed (placement changed)',
  unplaced: 'no longer placed (placement changed)',
  created: 'new',
  deleted: 'deleted',
  modified: 'changed',
};

export function describeReason(c: ObjectChange): string {
  return REASONS[c.reason];
}

export const SIGN: Record<ObjectChange['change'], string> = { added: '+', removed: '-', changed: '~' };

/** Whether a change's diff is worth showing: not for objects that only came or went with their cluster. */
export function showsDiff(c: ObjectChange): boolean {
  return c.reason !== 'cluster-added' && c.reason !== 'cluster-removed';
}

/** "3 clusters changed: 4 objects added, 2 changed, 1 removed; 1 zone changed". */
export function summaryLine(r: DiffResult): string {
  if (!r.changed) return 'no change';
  const t = r.counts.reduce((s, c) => ({ added: s.added + c.added, changed: s.changed + c.changed, removed: s.removed + c.removed }), { added: 0, changed: 0, removed: 0 });
  const parts: string[] = [];
  const n = r.counts.length;
  if (n > 0) parts.push(`${n} cluster${n === 1 ? '' : 's'} changed: ${t.added} object${t.added === 1 ? '' : 's'} added, ${t.changed} changed, ${t.removed} removed`);
  if (r.zones.length > 0) parts.push(`${r.zones.length} zone${r.zones.length === 1 ? '' : 's'} changed`);
  if (r.endpoints.length > 0) parts.push(`${r.endpoints.length} DNSEndpoint${r.endpoints.length === 1 ? '' : 's'} changed`);
  return parts.join('; ');
}
