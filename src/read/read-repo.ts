import { lstatSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { glob } from 'glob';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { SourceFile } from './source-file.js';
import { SETTINGS_FILE, type Settings } from './settings.js';
import { isGeneratedByFedc } from '../model/output-contract.js';

/** Files larger than this are refused: a federation manifest is never this big. */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;

/** Always skipped, whatever the include globs say. */
export const ALWAYS_EXCLUDED = ['**/node_modules/**', '**/.git/**'];

export interface RepoFiles {
  files: SourceFile[];
  diagnostics: Diagnostic[];
}

/**
 * Lists and reads the input files of a repo directory. Files fedc wrote (they start with its
 * marker) are skipped, so rendered output is never read back as input, wherever it is.
 * Reads are synchronous: for thousands of small files that is several times faster than
 * awaiting each one, and nothing else runs meanwhile.
 */
export async function readRepo(root: string, settings: Settings): Promise<RepoFiles> {
  const diagnostics: Diagnostic[] = [];
  const absRoot = path.resolve(root);
  const realRoot = realpathSync(absRoot);
  const ignore = [...ALWAYS_EXCLUDED, SETTINGS_FILE, ...settings.exclude];
  const names = await glob(settings.include, { cwd: absRoot, ignore, nodir: true, follow: false, dot: false, posix: true });
  names.sort();
  const files: SourceFile[] = [];
  for (const name of names) {
    const rel = toPosix(name);
    const abs = path.join(absRoot, name);
    // Every file is resolved, not only symlinks: a pattern such as `clusters/**` lets glob walk
    // through one symlinked directory, and the file below it is no symlink itself.
    let target: string;
    try {
      target = realpathSync(abs);
    } catch {
      diagnostics.push(fileDiag('FEDC1004', rel, `symlink ${rel} points to nothing`));
      continue;
    }
    const inside = path.relative(realRoot, target);
    if (inside.startsWith('..') || path.isAbsolute(inside)) {
      const what = lstatSync(abs).isSymbolicLink() ? `symlink ${rel}` : `${rel} (through a symlinked directory)`;
      diagnostics.push(fileDiag('FEDC1004', rel, `${what} points outside the input directory; it is not followed`));
      continue;
    }
    const info = statSync(target);
    if (!info.isFile()) continue;
    const size = info.size;
    if (size > MAX_FILE_BYTES) {
      diagnostics.push(
        fileDiag('FEDC1002', rel, `${rel} is ${size} bytes; fedc reads at most ${MAX_FILE_BYTES} bytes per file`,
          'split it into smaller files, or exclude it in fedc.yaml'),
      );
      continue;
    }
    const text = readFileSync(abs, 'utf8');
    if (isGeneratedByFedc(text)) continue;
    files.push({ path: rel, text });
  }
  return { files, diagnostics };
}

export function fileDiag(code: Diagnostic['code'], file: string, message: string, hint?: string): Diagnostic {
  return { code, severity: 'error', message, file, line: 0, col: 0, ...(hint ? { hint } : {}) };
}

export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
