/**
 * Maps and lists nested deeper than this are refused. Kubernetes objects nest a few dozen levels
 * (a CRD's schema perhaps a hundred); every stage after parsing recurses, and JavaScript's stack
 * is bounded, so the limit is checked once, as files are parsed.
 */
export const MAX_DEPTH = 256;

/** Whether a plain value nests maps and lists more than `limit` levels deep. */
export function nestedDeeper(v: unknown, limit: number): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (limit === 0) return true;
  if (Array.isArray(v)) {
    for (const x of v) if (nestedDeeper(x, limit - 1)) return true;
    return false;
  }
  for (const k in v) if (nestedDeeper((v as Record<string, unknown>)[k], limit - 1)) return true;
  return false;
}
