import { lstatSync } from 'node:fs';
import path from 'node:path';
import { readRegularFile } from './read-repo.js';

/**
 * The files of a previous output directory, by path relative to it (posix): their text, or
 * undefined when there is no such file. On disk for a render; from git objects for a side of
 * `fedc diff` at a ref.
 */
export type OutputFiles = (rel: string) => string | undefined;

/**
 * fedc writes its output as regular files and never through a symlink, so a symlink on the way
 * to a file (below the output directory) is not fedc's output: it reads as no file. Following it
 * could read anything on the machine, from a repository a pull request or Argo CD brought in.
 */
export function diskOutputFiles(outDir: string): OutputFiles {
  return (rel) => {
    const parts = rel.split('/');
    let at = outDir;
    try {
      for (const part of parts.slice(0, -1)) {
        at = path.join(at, part);
        if (!lstatSync(at, { throwIfNoEntry: false })?.isDirectory()) return undefined;
      }
      const read = readRegularFile(path.join(at, parts[parts.length - 1]!), Infinity);
      return read && 'bytes' in read ? read.bytes.toString('utf8') : undefined;
    } catch {
      return undefined;
    }
  };
}
