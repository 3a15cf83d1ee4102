import type { Origin } from '../model/inputs.js';
import { formatPath, type NodePath } from '../parse/parsed-document.js';
import type { Locator } from '../parse/positions.js';
import type { Diagnostic, DiagnosticCode, Location, Severity } from './diagnostic.js';

export interface At {
  origin: Origin;
  path?: NodePath;
  /** Point at the map key rather than its value (unknown fields). */
  atKey?: boolean;
}

/** Collects diagnostics about input documents, resolving node paths to line and column lazily. */
export class Reporter {
  readonly diagnostics: Diagnostic[] = [];

  constructor(private readonly locator: Locator) {}

  error(code: DiagnosticCode, at: At, message: string, hint?: string): void {
    this.add('error', code, at, message, hint);
  }

  warning(code: DiagnosticCode, at: At, message: string, hint?: string): void {
    this.add('warning', code, at, message, hint);
  }

  info(code: DiagnosticCode, at: At, message: string, hint?: string): void {
    this.add('info', code, at, message, hint);
  }

  /**
   * `file:line:col` of a node, for messages and hints that point at another place. The next
   * diagnostic added whose text quotes it (where() is called to build it) lists it in `related`,
   * so that a printer that names files from elsewhere (the working directory) names it so too.
   */
  where(at: At): string {
    const pos = this.position(at);
    const text = `${at.origin.file}:${pos.line}:${pos.col}`;
    this.quoted.push([text, { file: at.origin.file, line: pos.line, col: pos.col }]);
    return text;
  }

  /** Places where() gave out since the last diagnostic was added. */
  private quoted: [text: string, at: Location][] = [];

  private position(at: At): { line: number; col: number } {
    const path = fullPath(at);
    if (path.length === 0) return { line: at.origin.line, col: 1 };
    return this.locator.locate(at.origin.file, at.origin.docIndex, path, at.atKey ?? false);
  }

  add(severity: Severity, code: DiagnosticCode, at: At, message: string, hint?: string): void {
    const path = fullPath(at);
    const pos = this.position(at);
    const d: Diagnostic = { code, severity, message, file: at.origin.file, line: pos.line, col: pos.col };
    if (path.length > 0) d.path = formatPath(path);
    if (hint) d.hint = hint;
    if (this.quoted.length > 0) {
      const related = this.quoted.filter(([text]) => message.includes(text) || (hint ?? '').includes(text)).map(([, loc]) => loc);
      if (related.length > 0) d.related = related;
      this.quoted = [];
    }
    this.diagnostics.push(d);
  }
}

/** The node's path from its document's root (List items sit below `items[i]`). */
function fullPath(at: At): NodePath {
  const within = at.origin.within;
  return within ? [...within, ...(at.path ?? [])] : (at.path ?? []);
}
