import type { DiagnosticCode } from '../diagnostics/codes.js';
import type { Reporter } from '../diagnostics/reporter.js';
import type { Origin } from '../model/inputs.js';
import { didYouMean } from './did-you-mean.js';
import { validate, type SchemaName } from './schemas.js';

/** Validates one document against a schema and reports each error at its node. True when valid. */
export function validateDocument(
  schema: SchemaName,
  value: unknown,
  origin: Origin,
  code: DiagnosticCode,
  label: string,
  report: Reporter,
): boolean {
  const errors = validate(schema, value);
  for (const e of errors) {
    const guess = e.unknownField && e.allowedFields ? didYouMean(e.unknownField, e.allowedFields) : undefined;
    report.error(code, { origin, path: e.path, atKey: e.atKey }, `${label}: ${e.message}`, guess ? `did you mean "${guess}"?` : e.hint);
  }
  return errors.length === 0;
}
