import { lstatSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { validateDocument } from '../check/validate-document.js';
import { leavesBase } from '../emit/under-root.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { Reporter } from '../diagnostics/reporter.js';
import { parseFile } from '../parse/parse-documents.js';
import { Locator } from '../parse/positions.js';
import { decodeSource } from './decode-source.js';
import { fileDiag, readErrorText, readRegularFile, tooLarge, unfollowedSymlink } from './read-repo.js';
import { DEFAULT_SETTINGS, SETTINGS_FILE, type Settings } from './settings.js';

/** Reads `fedc.yaml` at the repo root, if there is one, validated against its schema. */
export async function loadSettings(root: string): Promise<{ settings: Settings; diagnostics: Diagnostic[] }> {
  return loadSettingsSync(root);
}

export function loadSettingsSync(root: string): { settings: Settings; diagnostics: Diagnostic[] } {
  // The defaults stand in, so that an error is reported with everything else the run finds.
  const failedWith = (d: Diagnostic) => ({ settings: { ...DEFAULT_SETTINGS }, diagnostics: [d] });
  const file = path.join(root, SETTINGS_FILE);
  let target = file;
  try {
    const st = lstatSync(file, { throwIfNoEntry: false });
    if (!st) return { settings: { ...DEFAULT_SETTINGS }, diagnostics: [] };
    // A symlink is followed only inside the repo, as for every input (a repository Argo CD
    // brought in could point it at any file of the machine).
    if (st.isSymbolicLink()) {
      target = realpathSync(file);
      const inside = path.relative(realpathSync(root), target);
      if (leavesBase(inside)) return failedWith(unfollowedSymlink(SETTINGS_FILE, 'outside'));
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ELOOP') return failedWith(unfollowedSymlink(SETTINGS_FILE, code === 'ELOOP' ? 'loop' : 'nothing'));
    throw err;
  }
  const read = readRegularFile(target);
  if (read === undefined) {
    const st = statSync(target, { throwIfNoEntry: false });
    if (!st) return { settings: { ...DEFAULT_SETTINGS }, diagnostics: [] }; // gone meanwhile
    return failedWith(fileDiag('FEDC1006', SETTINGS_FILE, `${SETTINGS_FILE} cannot be read: ${st.isDirectory() ? 'it is a directory, not a file' : 'it is not a regular file'}`));
  }
  if ('size' in read) return failedWith(tooLarge(SETTINGS_FILE, read.size, false));
  if ('error' in read) return failedWith(fileDiag('FEDC1006', SETTINGS_FILE, `${SETTINGS_FILE} cannot be read: ${readErrorText(read.error)}`));
  return settingsFromBytes(read.bytes);
}

/** fedc.yaml's bytes, decoded as strictly as every input (on disk or at a git ref), then parsed. */
export function settingsFromBytes(bytes: Uint8Array): { settings: Settings; diagnostics: Diagnostic[] } {
  const decoded = decodeSource(bytes, SETTINGS_FILE);
  if (decoded.diagnostic) return { settings: { ...DEFAULT_SETTINGS }, diagnostics: [decoded.diagnostic] };
  return parseSettings(decoded.text);
}

/** Pure half of loadSettings. */
export function parseSettings(text: string): { settings: Settings; diagnostics: Diagnostic[] } {
  const file = { path: SETTINGS_FILE, text };
  const parsed = parseFile(file);
  const report = new Reporter(new Locator([file]));
  report.diagnostics.push(...parsed.diagnostics);
  const doc = parsed.documents[0];
  if (parsed.documents.length > 1) {
    const second = parsed.documents[1]!;
    report.error('FEDC1006', { origin: { file: SETTINGS_FILE, docIndex: second.index, line: second.line } }, 'fedc.yaml must hold one document');
  }
  let settings = { ...DEFAULT_SETTINGS };
  if (doc) {
    const origin = { file: SETTINGS_FILE, docIndex: doc.index, line: doc.line };
    if (validateDocument('settings', doc.value, origin, 'FEDC1006', SETTINGS_FILE, report)) {
      const value = doc.value as Partial<Settings>;
      // A repo must not be able to make fedc write outside its own checkout (think of a pull request).
      const out = value.output;
      if (out !== undefined && (path.isAbsolute(out) || leavesBase(path.posix.normalize(out.replace(/\\/g, '/'))))) {
        report.error('FEDC1006', { origin, path: ['output'] }, `fedc.yaml: output "${out}" leaves the repository`, 'use a path inside the repository, or pass -o on the command line');
      } else settings = { ...settings, ...value };
    }
  }
  return { settings, diagnostics: report.diagnostics };
}
