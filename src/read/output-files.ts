import { closeSync, constants as fsConstants, fstatSync, lstatSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';

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
      // O_NONBLOCK: opening a FIFO would wait for a writer
      const fd = openSync(path.join(at, parts[parts.length - 1]!), fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW | fsConstants.O_NONBLOCK);
      try {
        return fstatSync(fd).isFile() ? readFileSync(fd, 'utf8') : undefined;
      } finally {
        closeSync(fd);
      }
    } catch {
      return undefined;
    }
  };
}
