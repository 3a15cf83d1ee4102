import { inTreeScope, type ListedFile, type OutputListing } from '../emit/write-tree.js';
import type { OutputTree } from '../emit/output-tree.js';
import { mergeConflict, unreadableInIndex, type StagedFiles } from './index-files.js';
import { UnreadableSource } from './repo-source.js';

/**
 * The rendered output as staged: the files of the index below the output directory (`staged`,
 * IndexSource.outputAt) that the tree is compared with, so that
 * `fedc render --check --staged` judges the output a commit would hold, not the one on disk.
 * `fileOf` names a file of the output directory in diagnostics (from the repo's directory, as
 * every diagnostic names its file). A conflicted file (FEDC1019) or a blob the object store lacks
 * (FEDC1017) throws UnreadableSource.
 */
export function stagedOutput(staged: StagedFiles, tree: OutputTree, fileOf: (rel: string) => string): OutputListing {
  const inScope = inTreeScope(tree);
  const conflicts = staged.unmerged.filter(inScope);
  if (conflicts.length > 0) throw new UnreadableSource(conflicts.map((rel) => mergeConflict(fileOf(rel))));
  const files = new Map<string, ListedFile>();
  const symlinks: string[] = [];
  for (const e of staged.entries) {
    if (e.mode === '160000' || !inScope(e.path)) continue;
    if (e.mode === '120000') symlinks.push(e.path);
    else {
      files.set(e.path, {
        text: () => {
          const text = staged.text(e);
          if (text !== undefined) return text;
          throw new UnreadableSource(staged.missing().filter((m) => inScope(m.path)).map((m) => unreadableInIndex(fileOf(m.path), `git object ${m.oid} is missing from the repository`)));
        },
      });
    }
  }
  return { files, symlinks };
}
