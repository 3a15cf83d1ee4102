/**
 * The closest candidate within a small edit distance, for "did you mean" hints. The distance
 * allowed grows with the part of the word that differs from the candidate, not with a prefix
 * they share: FederatedWidget is not a misspelt FederatedSecret.
 */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDist = Infinity;
  const w = word.toLowerCase();
  for (const c of candidates) {
    const lc = c.toLowerCase();
    let shared = 0;
    while (shared < w.length && shared < lc.length && w[shared] === lc[shared]) shared++;
    const limit = Math.max(2, Math.floor((w.length - shared) / 3));
    const d = editDistance(w, lc);
    if (d > limit) continue;
    if (d < bestDist || (d === bestDist && best !== undefined && c < best)) {
      best = c;
      bestDist = d;
    }
  }
  return best;
}

/** Damerau-Levenshtein (optimal string alignment): a swapped pair of letters costs one edit. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}
