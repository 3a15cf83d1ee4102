import type { Diagnostic } from './diagnostic.js';

export type Format = 'text' | 'json' | 'github';
export const FORMATS: readonly Format[] = ['text', 'json', 'github'];

/** Every way fedc prints diagnostics, in one place. */
export function formatDiagnostics(diags: readonly Diagnostic[], format: Format): string {
  switch (format) {
    case 'json':
      return JSON.stringify({ diagnostics: diags, summary: summarize(diags) }, null, 2) + '\n';
    case 'github':
      return diags.map(githubLine).join('');
    case 'text':
      return diags.map(textLine).join('') + (diags.length ? `${summaryText(diags)}\n` : '');
  }
}

function where(d: Diagnostic): string {
  if (!d.file) return 'fedc';
  return d.line > 0 ? `${d.file}:${d.line}:${d.col}` : d.file;
}

function textLine(d: Diagnostic): string {
  let s = `${printable(where(d))} - ${d.severity} ${d.code}: ${printable(d.message)}\n`;
  if (d.hint) s += `  hint: ${printable(d.hint)}\n`;
  return s;
}

/**
 * Control characters (C0 but tab, DEL, C1) that a name or value from the repo brought into a
 * message, as \uXXXX: raw, they would move the cursor, recolour or clear a terminal or a CI log
 * (ESC), or end a line where none is. Messages hold no line breaks of their own.
 */
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;
function printable(s: string): string {
  return s.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** GitHub Actions workflow commands: annotations on the pull request's files. */
function githubLine(d: Diagnostic): string {
  const level = d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'notice';
  const props = [d.file ? `file=${escapeProp(d.file)}` : '', d.line > 0 ? `line=${d.line}` : '', d.line > 0 ? `col=${d.col}` : '', `title=${d.code}`]
    .filter(Boolean)
    .join(',');
  const msg = d.hint ? `${printable(d.message)}\n${printable(d.hint)}` : printable(d.message);
  return `::${level} ${props}::${escapeData(msg)}\n`;
}

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProp(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function summarize(diags: readonly Diagnostic[]): { errors: number; warnings: number; infos: number } {
  return {
    errors: diags.filter((d) => d.severity === 'error').length,
    warnings: diags.filter((d) => d.severity === 'warning').length,
    infos: diags.filter((d) => d.severity === 'info').length,
  };
}

/** "1 error", "2 errors": a count with its noun. */
export function count(k: number, noun: string): string {
  return `${k} ${noun}${k === 1 ? '' : 's'}`;
}

function summaryText(diags: readonly Diagnostic[]): string {
  const s = summarize(diags);
  return `${count(s.errors, 'error')}, ${count(s.warnings, 'warning')}${s.infos ? `, ${count(s.infos, 'info')}` : ''}`;
}
