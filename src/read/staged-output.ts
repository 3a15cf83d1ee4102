import { inTreeScope, type ListedFile, type OutputListing } from '../emit/write-tree.js';
import type { OutputTree } from '../emit/output-tree.js';
import { listIndex, readBlobs } from './git.js';
import { mergeConflict, UnreadableSource, unreadableInIndex } from './repo-source.js';

/**
 * The rendered output as staged: the files of the index below `outPrefix` (the output directory's
 * path inside the work tree, '' or 'a/b/') that the tree is compared with, so that
 * `fedc render --check --staged` judges the output a commit would hold, not the one on disk.
 * Their blobs are read together, when the first is compared. `fileOf` names a file of the output
 * directory in diagnostics (from the repo's directory, as every diagnostic names its file).
 */
export function stagedOutput(top: string, outPrefix: string, tree: OutputTree, fileOf: (rel: string) => string): OutputListing {
  const inScope = inTreeScope(tree);
  const { entries, unmerged } = listIndex(top, outPrefix);
  if (unmerged.length > 0) {
    throw new UnreadableSource(unmerged.map((rel) => mergeConflict(fileOf(rel), `render again, then git add ${fileOf(rel)}`)));
  }
  const chosen = entries.filter((e) => e.mode !== '160000' && inScope(e.path));
  let blobs: Map<string, Buffer> | undefined;
  const text = (oid: string, rel: string): string => {
    if (!blobs) {
      const read = readBlobs(top, chosen.filter((e) => e.mode !== '120000').map((e) => e.oid));
      if (read.unreadable.size > 0) {
        throw new UnreadableSource(chosen.filter((e) => read.unreadable.has(e.oid))
          .map((e) => unreadableInIndex(fileOf(e.path), `git object ${e.oid} is missing from the repository`)));
      }
      blobs = read.blobs;
    }
    const b = blobs.get(oid);
    if (b === undefined) throw new Error(`${rel}: blob ${oid} was not read`);
    return b.toString('utf8');
  };
  const files = new Map<string, ListedFile>();
  const symlinks: string[] = [];
  for (const e of chosen) {
    if (e.mode === '120000') symlinks.push(e.path);
    else files.set(e.path, { text: () => text(e.oid, e.path) });
  }
  return { files, symlinks };
}
