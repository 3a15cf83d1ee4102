import type { DiagnosticCode } from '../diagnostics/codes.js';
import type { At, Reporter } from '../diagnostics/reporter.js';
import { formatPath } from '../parse/parsed-document.js';
import type { NameProblem } from './dns-names.js';

/**
 * The reporter of the DNS stage. One bad input (a zone label, say) can make many bad names:
 * each problem is reported once per code and node.
 */
export class DnsReport {
  private readonly seen = new Set<string>();

  constructor(readonly report: Reporter) {}

  error(code: DiagnosticCode, at: At, message: string, hint?: string): void {
    if (this.once(code, at)) this.report.error(code, at, message, hint);
  }

  warning(code: DiagnosticCode, at: At, message: string, hint?: string): void {
    if (this.once(code, at)) this.report.warning(code, at, message, hint);
  }

  info(code: DiagnosticCode, at: At, message: string, hint?: string): void {
    if (this.once(code, at)) this.report.info(code, at, message, hint);
  }

  problem(p: NameProblem, hint?: string): void {
    this.error(p.code, p.at, p.message, hint);
  }

  where(at: At): string {
    return this.report.where(at);
  }

  private once(code: DiagnosticCode, at: At): boolean {
    const key = `${code} ${at.origin.file} ${at.origin.docIndex} ${formatPath([...(at.origin.within ?? []), ...(at.path ?? [])])}`;
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    return true;
  }
}
