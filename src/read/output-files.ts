import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The files of a previous output directory, by path relative to it (posix): their text, or
 * undefined when there is no such file. On disk for a render; from git objects for a side of
 * `fedc diff` at a ref.
 */
export type OutputFiles = (rel: string) => string | undefined;

export function diskOutputFiles(outDir: string): OutputFiles {
  return (rel) => {
    try {
      return readFileSync(path.join(outDir, ...rel.split('/')), 'utf8');
    } catch {
      return undefined;
    }
  };
}
