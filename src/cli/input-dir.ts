import { stat } from 'node:fs/promises';
import { formatDiagnostics, type Format } from '../diagnostics/format.js';
import { EXIT_ERRORS } from './exit-codes.js';

/** A missing input directory is an input error with a diagnostic, not a stack trace. */
export async function checkInputDir(dir: string, format: Format): Promise<number | undefined> {
  try {
    if ((await stat(dir)).isDirectory()) return undefined;
  } catch {
    // reported below
  }
  process.stderr.write(
    formatDiagnostics([{ code: 'FEDC1007', severity: 'error', message: `${dir} is not a directory`, file: '', line: 0, col: 0 }], format),
  );
  return EXIT_ERRORS;
}
