/** A diagnostic is a value: every stage appends to one list, formatters print them. */
export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  /** Repo-relative path, POSIX separators. Empty when the diagnostic is not about a file. */
  file: string;
  /** 1-based; 0 when unknown. */
  line: number;
  col: number;
  /** JSON path of the offending node inside its document, e.g. spec.placement.clusters[1].name */
  path?: string;
  hint?: string;
  /** Other places the message or hint names (as `file:line:col`), e.g. where an object was first defined. */
  related?: Location[];
}

/** A place in a file: repo-relative path, 1-based line and column. */
export interface Location {
  file: string;
  line: number;
  col: number;
}

import type { DiagnosticCode } from './codes.js';
export type { DiagnosticCode } from './codes.js';

export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === 'error');
}

/** Stable order: file, line, column, code. */
export function sortDiagnostics(diags: Diagnostic[]): Diagnostic[] {
  return diags.sort(
    (a, b) =>
      cmp(a.file, b.file) || a.line - b.line || a.col - b.col || cmp(a.code, b.code) || cmp(a.message, b.message),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `--strict`: every warning becomes an error. */
export function promoteWarnings(diags: Diagnostic[]): Diagnostic[] {
  return diags.map((d) => (d.severity === 'warning' ? { ...d, severity: 'error' } : d));
}
