import { stat } from 'node:fs/promises';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Format } from '../diagnostics/format.js';
import { diagnosticsPrinter } from './print-diagnostics.js';
import { EXIT_ERRORS } from './exit-codes.js';
import { readErrorText } from '../read/read-repo.js';

/** A missing input directory is an input error with a diagnostic, not a stack trace. */
export async function checkInputDir(dir: string, format: Format): Promise<number | undefined> {
  let why = 'is not a directory';
  try {
    if ((await stat(dir)).isDirectory()) return undefined;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    why = code === 'ENOENT' ? 'does not exist' : code === 'ENOTDIR' ? 'is not a directory' : `cannot be read: ${readErrorText(code ?? String(e))}`;
  }
  diagnosticsPrinter(format, true)([inputDirDiagnostic(dir, why)]);
  return EXIT_ERRORS;
}

/** FEDC1007 about the input directory itself: `why` it cannot be read ("does not exist"). */
export function inputDirDiagnostic(dir: string, why: string): Diagnostic {
  return { code: 'FEDC1007', severity: 'error', message: `${dir} ${why}`, file: '', line: 0, col: 0 };
}
