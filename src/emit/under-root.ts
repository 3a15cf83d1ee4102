import path from 'node:path';

// Joining without normalizing: path.join and path.relative go through a path character by
// character, which for the tens of thousands of paths of a fleet's output directory cost more
// than the lstat of each. The paths here are already normal: an absolute directory as
// path.resolve or readdir gives it, and relative paths without `.`, `..` or empty segments.

const POSIX = path.sep === '/';

/** The path of `name` (or a normalized relative path, `/` between its segments) in the directory `dir`. */
export function childPath(dir: string, name: string): string {
  if (!POSIX) return path.join(dir, name);
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

/** The relative path (`/` between its segments) of an absolute path under `root`: childPath's inverse. */
export function relativeToRoot(root: string): (abs: string) => string {
  if (!POSIX) return (abs) => path.relative(root, abs).split(path.sep).join('/');
  const prefix = root.endsWith('/') ? root : `${root}/`;
  return (abs) => (abs.startsWith(prefix) ? abs.slice(prefix.length) : path.relative(root, abs));
}

/**
 * Whether a relative path (path.relative's, or a normalized one) leads out of its base: `..` or
 * `../x`, not a name that merely starts with two dots (`..rendered`), or another root entirely.
 */
export function leavesBase(rel: string): boolean {
  return rel === '..' || rel.startsWith('../') || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel);
}
