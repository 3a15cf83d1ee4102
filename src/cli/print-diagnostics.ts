import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { formatDiagnostics, type Format } from '../diagnostics/format.js';

/**
 * Text is for people and goes to stderr. JSON and GitHub annotations are for machines and go to
 * stdout, unless stdout carries the rendered YAML stream.
 */
export function diagnosticsPrinter(format: Format, stdoutFree: boolean): (diags: readonly Diagnostic[]) => void {
  const stream = format !== 'text' && stdoutFree ? process.stdout : process.stderr;
  return (diags) => {
    const text = formatDiagnostics(diags, format);
    if (text) stream.write(text);
  };
}
