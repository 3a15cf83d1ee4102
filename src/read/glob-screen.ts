import { Ignore } from 'glob';
import { Minimatch } from 'minimatch';

/**
 * A Minimatch whose match() first asks whether the path holds the pattern's literal segments at
 * all, and answers false at once when it does not. glob asks every ignore pattern of every entry
 * it walks, twice, and minimatch's match splits the path and backtracks over each `**`: at some
 * 200 files that was most of a listing's time (`**` + `/node_modules/**` against each input).
 *
 * The answer is minimatch's own: a literal part of a pattern matches a path segment only by
 * equality (the other parts are regular expressions or `**`), and the segments match() compares
 * are the path's own (it only drops `.`, `..` and empty ones), so a path that lacks one of a set's
 * literals as a substring cannot match that set. Left as it is where match() does more than that:
 * negated and partial patterns, and Windows, where a drive letter matches in any case.
 */
export function screened(m: Minimatch): Minimatch {
  if (m.negate || m.partial || m.isWindows || m.comment || m.empty) return m;
  const literals = m.set.map((parts) => parts.filter((p): p is string => typeof p === 'string' && p !== ''));
  if (literals.some((l) => l.length === 0)) return m; // a set every path could match
  const match = m.match;
  m.match = function (this: Minimatch, f: string, partial?: boolean): boolean {
    if (!partial && !literals.some((l) => l.every((part) => f.includes(part)))) return false;
    return match.call(this, f, partial);
  };
  return m;
}

/**
 * glob's own ignore (`ignore:` as globs), with each of its matchers screened. `platform` and
 * `nocase` are those of the Glob it serves: glob would build its Ignore with the same.
 */
export function screenedIgnore(globs: readonly string[], opts: { platform: NodeJS.Platform; nocase: boolean }): Ignore {
  const ignore = new Ignore([...globs], opts);
  // relativeChildren holds matchers of relative too (and absoluteChildren of absolute): screen each once.
  const all = new Set([...ignore.relative, ...ignore.relativeChildren, ...ignore.absolute, ...ignore.absoluteChildren]);
  for (const m of all) screened(m);
  return ignore;
}
