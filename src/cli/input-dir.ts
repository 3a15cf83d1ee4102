import { stat } from 'node:fs/promises';
import type { Format } from '../diagnostics/format.js';
import { diagnosticsPrinter } from './print-diagnostics.js';
import { EXIT_ERRORS } from './exit-codes.js';

/** A missing input directory is an input error with a diagnostic, not a stack trace. */
export async function checkInputDir(dir: string, format: Format): Promise<number | undefined> {
  try {
    if ((await stat(dir)).isDirectory()) return undefined;
  } catch {
    // reported below
  }
  diagnosticsPrinter(format, true)([{ code: 'FEDC1007', severity: 'error', message: `${dir} is not a directory`, file: '', line: 0, col: 0 }]);
  return EXIT_ERRORS;
}
