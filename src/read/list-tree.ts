import { type Dirent, readdirSync } from 'node:fs';
import { childPath } from '../emit/under-root.js';

/**
 * Every entry below `dir` (files, directories, symlinks and the rest), in the order
 * readdirSync(dir, { recursive: true, withFileTypes: true }) gives them on Node 20: directory by
 * directory, each as its parent listed it, never looking into a symlink. Node 22's recursive
 * readdir descends into symlinked directories (a link to an ancestor lists the tree again, some
 * 40 levels deep), so fedc walks the tree itself. Each entry's parentPath is its directory.
 */
export function listTree(dir: string): Dirent[] {
  const out: Dirent[] = [];
  const dirs = [dir];
  for (let i = 0; i < dirs.length; i++) {
    for (const e of readdirSync(dirs[i]!, { withFileTypes: true })) {
      out.push(e);
      // A Dirent says what the entry is, not what it points to: a symlink is never a directory here.
      if (e.isDirectory()) dirs.push(childPath(dirs[i]!, e.name));
    }
  }
  return out;
}
